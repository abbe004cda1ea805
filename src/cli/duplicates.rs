//! `akhbar duplicates ID`: the near copies of one article, with their
//! estimated similarity (the share of five-word runs of the body they
//! share), so a user can see why a search folded them together.
//!
//! Exit codes: 0 listed; 1 no article with that id; 2 the index could not
//! be used.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::analysis::shingles::THRESHOLD;
use crate::cli::print_stdout;
use crate::cli::search::open_or_build;
use crate::output::duplicates::{print_json, print_text};
use crate::search::collapse::parse_story_threshold;
use crate::search::duplicates::duplicates;

/// Arguments of `akhbar duplicates`.
#[derive(Args, Debug)]
pub struct DuplicatesArgs {
    /// The article's id (as search prints it).
    pub id: String,
    /// Index folder (default: index/, or $AKHBAR_INDEX).
    #[arg(long, env = "AKHBAR_INDEX")]
    pub index: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The least similarity listed, from 0.6 (the default) to 1.
    #[arg(long, value_name = "SIMILARITY", default_value_t = THRESHOLD, value_parser = parse_story_threshold)]
    pub story_threshold: f64,
}

/// Runs `akhbar duplicates`; returns the exit code.
///
/// # Errors
/// An unusable index, or a failed write to stdout.
pub fn run(args: &DuplicatesArgs) -> anyhow::Result<i32> {
    let open = open_or_build(args.index.as_ref())?;
    let Some(found) =
        duplicates(&open, &args.id, args.story_threshold).context("duplicates failed")?
    else {
        eprintln!("akhbar: no article with id {:?} in the index", args.id);
        return Ok(1);
    };
    print_stdout(
        args.json,
        |out| print_json(out, &found),
        |out| print_text(out, &found),
    )?;
    Ok(0)
}
