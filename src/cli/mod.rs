//! Command line: clap definitions and the dispatch to each command.

pub mod analyze;

use clap::{Parser, Subcommand};

/// akhbar: full-text search for Arabic news.
#[derive(Parser, Debug)]
#[command(name = "akhbar", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands akhbar understands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Show how each analyzer normalizes, splits and stems a text.
    Analyze(analyze::AnalyzeArgs),
}

/// Runs the parsed command; returns the process exit code.
///
/// # Errors
/// Returns an error when the command cannot do its work (for instance when
/// writing to stdout fails).
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
    }
}
