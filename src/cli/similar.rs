//! `akhbar similar ID` (and `search --like ID`): the articles most like
//! one article, by its distinctive words, its entities and its date
//! (see `search::similar`).
//!
//! Exit codes: 0 the article was found (even with no similar ones); 2 no
//! article has that id, or the index could not be used.

use std::io::{self, Write};

use anyhow::{anyhow, Context};
use clap::Args;

use super::common::{use_color, FormatArg, IndexArg, OutputArgs, PageArgs, SourcesArg};
use crate::index::OpenIndex;
use crate::output::{print_similar_json, print_similar_text};
use crate::output::{ExportFormat, Exporter, ExtraFields};
use crate::output::{Marks, Sources};
use crate::search::{similar, similar_each, SimilarRequest};

/// Arguments of `akhbar similar`.
#[derive(Args, Debug)]
pub struct SimilarArgs {
    /// The article's id (as `search` prints it).
    pub id: String,
    /// The index to search.
    #[command(flatten)]
    pub index: IndexArg,
    /// Which articles to show.
    #[command(flatten)]
    pub page: PageArgs,
    /// How to print them (jsonl and csv: the columns of `search --format`).
    #[command(flatten)]
    pub output: OutputArgs,
    /// The names shown for the sources' ids.
    #[command(flatten)]
    pub sources: SourcesArg,
    /// No snippets or per-article entities (fastest).
    #[arg(long)]
    pub no_snippets: bool,
}

/// Runs `akhbar similar`; returns the exit code.
///
/// # Errors
/// No article with that id, or an unusable index.
pub fn run(args: &SimilarArgs) -> anyhow::Result<i32> {
    let format = args.output.format()?;
    let exporting = matches!(format, FormatArg::Jsonl | FormatArg::Csv);
    let request = SimilarRequest {
        page: args.page.page(),
        snippets: !args.no_snippets && !exporting,
        entities: exporting,
        ..SimilarRequest::new(&args.id)
    };
    let open = args.index.open(None)?;
    answer(&open, &request, format, &args.output, &args.sources.load())
}

/// Finds and prints the articles like `request.id` (`similar`, `search
/// --like`) in `format`, with `output`'s byte order mark and colour, the
/// sources named from `sources`.
///
/// # Errors
/// No article with that id, an unusable index, or stdout failing.
pub fn answer(
    open: &OpenIndex,
    request: &SimilarRequest,
    format: FormatArg,
    output: &OutputArgs,
    sources: &Sources,
) -> anyhow::Result<i32> {
    let missing = || {
        anyhow!(
            "no article with id {:?} in {} (ids are as `akhbar search` prints them)",
            request.id,
            open.dir.display()
        )
    };
    let export = match format {
        FormatArg::Jsonl => Some(ExportFormat::Jsonl),
        FormatArg::Csv => Some(ExportFormat::Csv),
        FormatArg::Text | FormatArg::Json => None,
        FormatArg::Atom => {
            return Err(anyhow!(
                "--format atom follows a search (newest first): use it with akhbar search"
            ))
        }
    };
    if let Some(export) = export {
        let out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        let mut exporter = Exporter::start(
            export,
            out,
            output.bom,
            ExtraFields::default(),
            sources.clone(),
        )?;
        similar_each(open, request, &mut |hit| exporter.write(&hit))
            .context("similar failed")?
            .ok_or_else(missing)?;
        exporter.finish()?;
        return Ok(0);
    }
    let results = similar(open, request)
        .context("similar failed")?
        .ok_or_else(missing)?;
    let mut out = io::stdout().lock();
    if format == FormatArg::Json {
        print_similar_json(&mut out, &results, sources)?;
    } else {
        let marks = if use_color(&out, !output.no_color) {
            Marks::Color
        } else {
            Marks::Plain
        };
        print_similar_text(&mut out, &results, marks)?;
    }
    out.flush()?;
    Ok(0)
}
