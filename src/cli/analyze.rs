//! `akhbar analyze`: show each token, its byte offsets into the original
//! text, and its form under each analyzer (like Elasticsearch's _analyze);
//! with `--entity`, what a name resolves to; with `--file`, how an article
//! file is read (exit 2 when it cannot be read at all).

use anyhow::bail;
use clap::Args;

use std::path::PathBuf;

use super::common::{load_table, print_stdout, AliasesArg};
use super::EXIT_ERROR;
use crate::analysis::explain;
use crate::analysis::Analyzer;
use crate::corpus::explain_file;
use crate::entities::explain_entity;
use crate::output::{print_analysis_json, print_analysis_json_line, print_analysis_text};
use crate::output::{print_entity_json, print_entity_text};
use crate::output::{print_file_json, print_file_text};

/// Arguments of `akhbar analyze`.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// The text to analyze (quote it).
    #[arg(required_unless_present_any = ["file", "batch"])]
    pub text: Option<String>,
    /// Read texts from standard input, one JSON string a line, and print
    /// for each one line of compact JSON (the --json object): for
    /// checkers that analyze many texts with one process.
    #[arg(long, conflicts_with_all = ["text", "file", "entity"])]
    pub batch: bool,
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
    /// The user's alias table.
    #[command(flatten)]
    pub aliases: AliasesArg,
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
    if args.batch {
        return batch(args);
    }
    let text = args.text.as_deref().unwrap_or_default();
    if args.entity {
        let table = load_table(args.aliases.aliases.as_deref());
        let report = explain_entity(&table, text);
        print_stdout(
            args.json,
            |out| print_entity_json(out, &report),
            |out| print_entity_text(out, &report),
        )?;
        return Ok(0);
    }
    let analyzers = analyzers(args)?;
    let report = explain(text, &analyzers);
    print_stdout(
        args.json,
        |out| print_analysis_json(out, text, &report),
        |out| print_analysis_text(out, &report),
    )?;
    Ok(0)
}

/// The analyzers `--analyzer` asks for (default: both).
fn analyzers(args: &AnalyzeArgs) -> anyhow::Result<Vec<Analyzer>> {
    Ok(match &args.analyzer {
        None => Analyzer::ALL.to_vec(),
        Some(name) => match Analyzer::from_name(name) {
            Some(a) => vec![a],
            None => bail!("unknown analyzer {name:?}: use `exact` or `keyword`"),
        },
    })
}

/// `--batch`: one JSON string a line in, one compact JSON report a line
/// out; a line that is not a JSON string is reported with its number and
/// answered with `null`, so output lines stay paired with input lines.
fn batch(args: &AnalyzeArgs) -> anyhow::Result<i32> {
    use std::io::{BufRead, Write};
    let analyzers = analyzers(args)?;
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut bad = 0;
    for (n, line) in stdin.lines().enumerate() {
        let line = line?;
        match serde_json::from_str::<String>(&line) {
            Ok(text) => print_analysis_json_line(&mut out, &text, &explain(&text, &analyzers))?,
            Err(e) => {
                bad += 1;
                eprintln!("akhbar: stdin line {}: not a JSON string: {e}", n + 1);
                writeln!(out, "null")?;
            }
        }
    }
    out.flush()?;
    Ok(if bad > 0 { EXIT_ERROR } else { 0 })
}
