//! `akhbar entities`: the most-mentioned people, organisations and places
//! of the index, or of a query's hits.

use anyhow::bail;
use clap::Args;

use super::common::{print_stdout, IndexArg};
use crate::entities::EntityType;
use crate::output::{print_top_entities_json, print_top_entities_text};
use crate::search::top_entities;

/// Arguments of `akhbar entities`.
#[derive(Args, Debug)]
pub struct EntitiesArgs {
    /// Only this type: PER, ORG, LOC or MISC.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Entities to list per type.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Count only among the articles matching this query.
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// The index to read.
    #[command(flatten)]
    pub index: IndexArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `akhbar entities`; returns the exit code.
///
/// # Errors
/// An unknown type, a query with nothing to search for, or an unusable
/// index.
pub fn run(args: &EntitiesArgs) -> anyhow::Result<i32> {
    let types = match &args.kind {
        None => EntityType::ALL.to_vec(),
        Some(code) => match EntityType::from_code(code) {
            Some(t) => vec![t],
            None => bail!("unknown entity type {code:?}: use PER, ORG, LOC or MISC"),
        },
    };
    let open = args.index.open(None)?;
    let counts = top_entities(&open, &types, args.top, args.query.as_deref())?;
    print_stdout(
        args.json,
        |out| print_top_entities_json(out, &counts),
        |out| print_top_entities_text(out, &counts),
    )?;
    Ok(0)
}
