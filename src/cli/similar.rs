//! `akhbar similar ID` (and `search --like ID`): the articles most like
//! one article, by its distinctive words, its entities and its date
//! (see `search::similar`).
//!
//! Exit codes: 0 the article was found (even with no similar ones); 2 no
//! article has that id, or the index could not be used.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{anyhow, Context};
use clap::Args;

use super::search::{open_or_build, output_format, FormatArg};
use crate::index::open::OpenIndex;
use crate::output::export::{ExportFormat, Exporter, ExtraFields};
use crate::output::search::Marks;
use crate::output::similar::{print_json, print_text};
use crate::search::similar::{similar, similar_each, SimilarRequest};

/// Arguments of `akhbar similar`.
#[derive(Args, Debug)]
pub struct SimilarArgs {
    /// The article's id (as `search` prints it).
    pub id: String,
    /// Index folder (default: index/, or $AKHBAR_INDEX).
    #[arg(long, env = "AKHBAR_INDEX")]
    pub index: Option<PathBuf>,
    /// Articles to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Articles to skip (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print JSON (the same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Output: text, one JSON object, or one line per article (jsonl,
    /// csv: the columns of `search --format`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Start CSV output with a UTF-8 byte order mark.
    #[arg(long)]
    pub bom: bool,
    /// No snippets or per-article entities (fastest).
    #[arg(long)]
    pub no_snippets: bool,
    /// No colour, even on a terminal.
    #[arg(long)]
    pub no_color: bool,
}

/// How to print an answer.
pub struct Printing {
    /// Output format.
    pub format: FormatArg,
    /// CSV byte order mark.
    pub bom: bool,
    /// Colour allowed (on a terminal, unless NO_COLOR).
    pub color: bool,
}

/// Runs `akhbar similar`; returns the exit code.
///
/// # Errors
/// No article with that id, or an unusable index.
pub fn run(args: &SimilarArgs) -> anyhow::Result<i32> {
    let format = output_format(args.format, args.json)?;
    let exporting = matches!(format, FormatArg::Jsonl | FormatArg::Csv);
    let request = SimilarRequest {
        limit: args.limit,
        offset: args.offset,
        snippets: !args.no_snippets && !exporting,
        entities: exporting,
        ..SimilarRequest::new(&args.id)
    };
    let open = open_or_build(args.index.as_ref())?;
    let printing = Printing {
        format,
        bom: args.bom,
        color: !args.no_color,
    };
    answer(&open, &request, &printing)
}

/// Finds and prints the articles like `request.id` (`similar`, `search
/// --like`).
///
/// # Errors
/// No article with that id, an unusable index, or stdout failing.
pub fn answer(
    open: &OpenIndex,
    request: &SimilarRequest,
    printing: &Printing,
) -> anyhow::Result<i32> {
    let missing = || {
        anyhow!(
            "no article with id {:?} in {} (ids are as `akhbar search` prints them)",
            request.id,
            open.dir.display()
        )
    };
    let export = match printing.format {
        FormatArg::Jsonl => Some(ExportFormat::Jsonl),
        FormatArg::Csv => Some(ExportFormat::Csv),
        FormatArg::Text | FormatArg::Json => None,
    };
    if let Some(export) = export {
        let out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        let mut exporter = Exporter::start(export, out, printing.bom, ExtraFields::default())?;
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
    if printing.format == FormatArg::Json {
        print_json(&mut out, &results)?;
    } else {
        let color = out.is_terminal()
            && printing.color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let marks = if color { Marks::Color } else { Marks::Plain };
        print_text(&mut out, &results, marks)?;
    }
    out.flush()?;
    Ok(0)
}
