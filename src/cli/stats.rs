//! `akhbar stats`: what the index holds.

use std::path::PathBuf;

use clap::Args;

use crate::cli::print_stdout;
use crate::cli::search::open_or_build;
use crate::output::stats::{print_json, print_text};
use crate::search::stats::stats;

/// Arguments of `akhbar stats`.
#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Index folder (default: index/, or $AKHBAR_INDEX).
    #[arg(long, env = "AKHBAR_INDEX")]
    pub index: Option<PathBuf>,
    /// Sources to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `akhbar stats`; returns the exit code.
///
/// # Errors
/// An unusable index, or a failed write to stdout.
pub fn run(args: &StatsArgs) -> anyhow::Result<i32> {
    let open = open_or_build(args.index.as_ref())?;
    let figures = stats(&open, args.top, true)?;
    print_stdout(
        args.json,
        |out| print_json(out, &figures),
        |out| print_text(out, &figures),
    )?;
    Ok(0)
}
