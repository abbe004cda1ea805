//! `akhbar stats`: what the index holds.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

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
    let figures = stats(&open, args.top)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if args.json {
        print_json(&mut out, &figures)?;
    } else {
        print_text(&mut out, &figures)?;
    }
    out.flush()?;
    Ok(0)
}
