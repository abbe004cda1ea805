//! Command line: clap definitions and the dispatch to each command.

mod analyze;
mod common;
mod completions;
mod duplicates;
mod entities;
mod export;
mod index;
mod search;
mod serve;
mod similar;
mod stats;
mod train;
mod trends;

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
    /// Build or update the index from files and folders of articles.
    Index(index::IndexArgs),
    /// Search the index: words, "phrases", OR, -word, title:, source:.
    Search(search::SearchArgs),
    /// The articles most like one article (its words, entities, date).
    Similar(similar::SimilarArgs),
    /// Show what the index holds: articles, terms, size, dates, sources.
    Stats(stats::StatsArgs),
    /// List the most-mentioned people, organisations and places.
    Entities(entities::EntitiesArgs),
    /// Serve the index as an HTTP JSON API (loopback by default).
    Serve(serve::ServeArgs),
    /// Export articles and akhbar's analysis to another engine
    /// (OpenSearch / Elasticsearch), or translate a query for it.
    Export(export::ExportArgs),
    /// List the near copies of one article, with their similarity.
    Duplicates(duplicates::DuplicatesArgs),
    /// Count up to five searches period by period, side by side.
    Trends(trends::TrendsArgs),
    /// Print the completion script for a shell (bash, zsh, fish …).
    Completions(completions::CompletionsArgs),
    /// Print the manual page akhbar(1), or write every page with --out.
    Man(completions::ManArgs),
    /// Train the entity model on a corpus (for developers: the model
    /// is built in; see BENCHMARKS.md).
    #[command(name = "train-entities")]
    TrainEntities(train::TrainArgs),
}

/// Exit code when another process is writing the index.
pub const EXIT_LOCKED: i32 = 3;
/// Exit code when a command could not do its work.
pub const EXIT_ERROR: i32 = 2;

/// Maps an error to its exit code.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    match err.downcast_ref::<crate::index::IndexError>() {
        Some(crate::index::IndexError::Locked(_)) => EXIT_LOCKED,
        _ => EXIT_ERROR,
    }
}

/// True when the error is stdout closed by the reader (`akhbar … | head`):
/// not a failure of the command, so the binary exits quietly with 0.
pub fn is_closed_output(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs the parsed command; returns the process exit code.
///
/// # Errors
/// Returns an error when the command cannot do its work (for instance when
/// writing to stdout fails).
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Index(args) => index::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Similar(args) => similar::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Entities(args) => entities::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Duplicates(args) => duplicates::run(&args),
        Command::Trends(args) => trends::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => completions::run_man(&args),
        Command::TrainEntities(args) => train::run(&args),
    }
}
