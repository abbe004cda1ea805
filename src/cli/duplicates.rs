//! `akhbar duplicates ID`: the near copies of one article, with their
//! estimated similarity (the share of five-word runs of the body they
//! share), so a user can see why a search folded them together.
//!
//! Exit codes: 0 listed; 1 no article with that id; 2 the index could not
//! be used.

use anyhow::Context;
use clap::Args;

use super::common::{print_stdout, IndexArg, StoryArg};
use crate::output::{print_duplicates_json, print_duplicates_text};
use crate::search::duplicates;

/// Arguments of `akhbar duplicates`.
#[derive(Args, Debug)]
pub struct DuplicatesArgs {
    /// The article's id (as search prints it).
    pub id: String,
    /// The index to read.
    #[command(flatten)]
    pub index: IndexArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The least similarity listed.
    #[command(flatten)]
    pub story: StoryArg,
}

/// Runs `akhbar duplicates`; returns the exit code.
///
/// # Errors
/// An unusable index, or a failed write to stdout.
pub fn run(args: &DuplicatesArgs) -> anyhow::Result<i32> {
    let open = args.index.open(None)?;
    let Some(found) =
        duplicates(&open, &args.id, args.story.story_threshold).context("duplicates failed")?
    else {
        eprintln!("akhbar: no article with id {:?} in the index", args.id);
        return Ok(1);
    };
    print_stdout(
        args.json,
        |out| print_duplicates_json(out, &found),
        |out| print_duplicates_text(out, &found),
    )?;
    Ok(0)
}
