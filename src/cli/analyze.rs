//! `akhbar analyze`: show each token, its byte offsets into the original
//! text, and its form under each analyzer (like Elasticsearch's _analyze);
//! with `--entity`, what a name resolves to; with `--file`, how an article
//! file is read (exit 2 when it cannot be read at all).

use anyhow::bail;
use clap::Args;

use std::path::PathBuf;

use crate::analysis::explain::explain;
use crate::analysis::Analyzer;
use crate::cli::search::load_table;
use crate::cli::{print_stdout, EXIT_ERROR};
use crate::corpus::explain::explain_file;
use crate::entities::explain::explain_entity;
use crate::output::analyze::{print_json, print_text};
use crate::output::entity::{print_entity_json, print_entity_text};
use crate::output::file::{print_file_json, print_file_text};

/// Arguments of `akhbar analyze`.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// The text to analyze (quote it).
    #[arg(required_unless_present = "file")]
    pub text: Option<String>,
    /// Show how akhbar reads this article file: the articles found (id,
    /// title, date, source, first words) and the lines left out, with why.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["text", "entity", "analyzer"])]
    pub file: Option<PathBuf>,
    /// Only this analyzer: `exact` or `keyword` (default: both).
    #[arg(long, value_name = "NAME")]
    pub analyzer: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Treat TEXT as an entity name: show its entity, names and the
    /// spelling variants `search --entity` tries.
    #[arg(long)]
    pub entity: bool,
    /// Your alias file (TSV), added to the built-in entity table.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
}

/// Runs `akhbar analyze`; returns the exit code.
///
/// # Errors
/// An unknown analyzer name, or a failed write to stdout.
pub fn run(args: &AnalyzeArgs) -> anyhow::Result<i32> {
    if let Some(path) = &args.file {
        let report = match explain_file(path) {
            Ok(report) => report,
            Err(problem) => {
                let at = problem.line.map(|l| format!(":{l}")).unwrap_or_default();
                eprintln!(
                    "akhbar: cannot read {}{at}: {}",
                    path.display(),
                    problem.reason
                );
                return Ok(EXIT_ERROR);
            }
        };
        print_stdout(
            args.json,
            |out| print_file_json(out, &report),
            |out| print_file_text(out, &report),
        )?;
        return Ok(0);
    }
    let text = args.text.as_deref().unwrap_or_default();
    if args.entity {
        let table = load_table(args.aliases.as_deref());
        let report = explain_entity(&table, text);
        print_stdout(
            args.json,
            |out| print_entity_json(out, &report),
            |out| print_entity_text(out, &report),
        )?;
        return Ok(0);
    }
    let analyzers = match &args.analyzer {
        None => Analyzer::ALL.to_vec(),
        Some(name) => match Analyzer::from_name(name) {
            Some(a) => vec![a],
            None => bail!("unknown analyzer {name:?}: use `exact` or `keyword`"),
        },
    };
    let report = explain(text, &analyzers);
    print_stdout(
        args.json,
        |out| print_json(out, text, &report),
        |out| print_text(out, &report),
    )?;
    Ok(0)
}
