//! `akhbar stats`: what the index holds.

use std::path::PathBuf;

use clap::Args;

use crate::analysis::shingles::THRESHOLD;
use crate::cli::print_stdout;
use crate::cli::search::open_or_build;
use crate::output::stats::{print_json, print_text};
use crate::search::collapse::parse_story_threshold;
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
    /// How alike two articles must be to count as one story, from 0.6 (the
    /// default) to 1.
    #[arg(long, value_name = "SIMILARITY", default_value_t = THRESHOLD, value_parser = parse_story_threshold)]
    pub story_threshold: f64,
}

/// Runs `akhbar stats`; returns the exit code.
///
/// # Errors
/// An unusable index, or a failed write to stdout.
pub fn run(args: &StatsArgs) -> anyhow::Result<i32> {
    let open = open_or_build(args.index.as_ref())?;
    let figures = stats(&open, args.top, Some(args.story_threshold))?;
    print_stdout(
        args.json,
        |out| print_json(out, &figures),
        |out| print_text(out, &figures),
    )?;
    Ok(0)
}
