//! `akhbar export opensearch`: the articles of folders, with akhbar's
//! analysis chain, as files an OpenSearch or Elasticsearch cluster loads
//! (`index.json`, `bulk-NNN.ndjson`, `README.md`); with `--query`, the
//! query DSL of an akhbar query for that index.
//!
//! The query translation lives here (`export opensearch --query`) rather
//! than in `search --explain`: it needs no akhbar index (a user with only
//! a cluster can run it), and it belongs with the export whose field and
//! analyzer names it uses.
//!
//! Exit codes: 0 done (files or lines skipped are reported on stderr);
//! 2 nothing could be written, or the query has nothing to search for.

use std::path::PathBuf;

use anyhow::anyhow;
use clap::{Args, Subcommand};

use super::common::{date_arg, load_table, print_stdout, AliasesArg, MapArg, OpArg};
use super::EXIT_ERROR;
use crate::export::DEFAULT_BULK_BYTES;
use crate::export::{export, ExportOptions, Layout};
use crate::export::{translate, QueryOptions};
use crate::output::{print_export_json, print_export_text, print_query};

/// Arguments of `akhbar export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Where to export to.
    #[command(subcommand)]
    pub target: ExportTarget,
}

/// The engines akhbar exports to.
#[derive(Subcommand, Debug)]
pub enum ExportTarget {
    /// OpenSearch / Elasticsearch: index.json (akhbar's analyzers as an
    /// analysis chain), bulk-NNN.ndjson (articles, entities, dates) and
    /// README.md; or, with --query, a query's DSL.
    Opensearch(OpensearchArgs),
}

/// Arguments of `akhbar export opensearch`.
#[derive(Args, Debug)]
pub struct OpensearchArgs {
    /// Files and folders of articles to export.
    #[arg(value_name = "PATH", required_unless_present_any = ["query", "entity"])]
    pub paths: Vec<PathBuf>,
    /// The folder to write (created if needed; its bulk files are replaced).
    #[arg(long, value_name = "DIR", required_unless_present_any = ["query", "entity"])]
    pub out: Option<PathBuf>,
    /// The index name in the bulk files and commands.
    #[arg(long, value_name = "NAME", default_value = "akhbar")]
    pub index_name: String,
    /// Largest bulk file, in MiB (a larger article gets a file of its own).
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_BULK_BYTES / (1024 * 1024))]
    pub bulk_mb: u64,
    /// Print the query DSL of this akhbar query instead of exporting.
    #[arg(long, value_name = "QUERY", conflicts_with_all = ["paths", "out"])]
    pub query: Option<String>,
    /// With --query (or alone): only articles naming this entity.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["paths", "out"])]
    pub entity: Option<String>,
    /// With --query: only articles on or after this date.
    #[arg(long, value_name = "DATE", conflicts_with_all = ["paths", "out"])]
    pub from: Option<String>,
    /// With --query: only articles on or before this date (inclusive).
    #[arg(long, value_name = "DATE", conflicts_with_all = ["paths", "out"])]
    pub to: Option<String>,
    /// With --query: how words side by side combine.
    #[arg(long, value_enum, default_value = "and", conflicts_with_all = ["paths", "out"])]
    pub op: OpArg,
    /// With --query: every article, not one hit per near-duplicate story
    /// (leaves `collapse` out of the request body).
    #[arg(long, conflicts_with_all = ["paths", "out"])]
    pub no_collapse: bool,
    /// akhbar analyzes the text here, once, and the cluster indexes the
    /// words and stems it writes with a white-space analyzer (cheap
    /// ingest), instead of running akhbar's analysis chain on every node;
    /// with --query, the request body for such an index.
    #[arg(long)]
    pub pre_analyzed: bool,
    /// Print JSON (the export's summary).
    #[arg(long)]
    pub json: bool,
    /// The user's alias table.
    #[command(flatten)]
    pub aliases: AliasesArg,
    /// The data set's names for fields (with PATHs).
    #[command(flatten)]
    pub map: MapArg,
}

/// Runs `akhbar export`; returns the exit code.
///
/// # Errors
/// A bad date, or a failed write to stdout.
pub fn run(args: &ExportArgs) -> anyhow::Result<i32> {
    let ExportTarget::Opensearch(args) = &args.target;
    let table = load_table(args.aliases.aliases.as_deref());
    if args.query.is_some() || args.entity.is_some() {
        let options = QueryOptions {
            op: args.op.into(),
            entity: args.entity.clone(),
            from: date_arg(args.from.as_deref(), false)?,
            to: date_arg(args.to.as_deref(), true)?,
            no_collapse: args.no_collapse,
            layout: layout(args),
        };
        return match translate(args.query.as_deref(), &options, &table) {
            Ok(t) => {
                for w in &t.warnings {
                    eprintln!("akhbar: note: {w}");
                }
                print_stdout(true, |out| print_query(out, &t), |_| Ok(()))?;
                Ok(0)
            }
            Err(e) => {
                eprintln!("akhbar: {e}");
                Ok(EXIT_ERROR)
            }
        };
    }
    let Some(out) = args.out.clone() else {
        return Err(anyhow!("--out DIR is required to export"));
    };
    let options = ExportOptions {
        roots: args.paths.clone(),
        out,
        index_name: args.index_name.clone(),
        bulk_bytes: args.bulk_mb.max(1) * 1024 * 1024,
        layout: layout(args),
        map: args.map.map.clone().unwrap_or_default(),
    };
    let summary = match export(&options, table) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("akhbar: {e:#}");
            return Ok(EXIT_ERROR);
        }
    };
    for s in &summary.skipped {
        let at = s.line.map(|l| format!(":{l}")).unwrap_or_default();
        eprintln!("akhbar: skipped {}{at}: {}", s.path.display(), s.reason);
    }
    print_stdout(
        args.json,
        |out| print_export_json(out, &summary),
        |out| print_export_text(out, &summary),
    )?;
    Ok(if summary.articles == 0 { EXIT_ERROR } else { 0 })
}

/// The layout `--pre-analyzed` asks for.
fn layout(args: &OpensearchArgs) -> Layout {
    if args.pre_analyzed {
        Layout::PreAnalyzed
    } else {
        Layout::Chain
    }
}
