//! `akhbar stats`: what the index holds.

use clap::Args;

use super::common::{print_stdout, IndexArg, SourcesArg, StoryArg};
use crate::output::{print_stats_json, print_stats_text};
use crate::search::stats;

/// Arguments of `akhbar stats`.
#[derive(Args, Debug)]
pub struct StatsArgs {
    /// The index to read.
    #[command(flatten)]
    pub index: IndexArg,
    /// Sources to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// When near copies are one story.
    #[command(flatten)]
    pub story: StoryArg,
    /// The sources' display names.
    #[command(flatten)]
    pub sources: SourcesArg,
}

/// Runs `akhbar stats`; returns the exit code.
///
/// # Errors
/// An unusable index, or a failed write to stdout.
pub fn run(args: &StatsArgs) -> anyhow::Result<i32> {
    let open = args.index.open(None)?;
    let figures = stats(&open, args.top, Some(args.story.story_threshold))?;
    let sources = args.sources.load();
    print_stdout(
        args.json,
        |out| print_stats_json(out, &figures, &sources),
        |out| print_stats_text(out, &figures, &sources),
    )?;
    Ok(0)
}
