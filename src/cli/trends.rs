//! `akhbar trends`: up to five searches counted period by period, side by
//! side (for a chart: `--format csv`).
//!
//! Exit codes: 0 counted; 2 a series with nothing to search for, too many
//! series, or an unusable index.

use std::io::{self, Write};

use anyhow::{anyhow, Context};
use clap::Args;

use super::common::{date_arg, load_table, AliasesArg, IndexArg, OpArg};
use crate::output::{print_trends_csv, print_trends_json, print_trends_text};
use crate::search::{trends, Filters, Interval, SeriesAsk, TrendRequest, MAX_SERIES};

/// Arguments of `akhbar trends`.
#[derive(Args, Debug)]
pub struct TrendsArgs {
    /// The searches to count, one series each (words, "phrases", OR …).
    pub queries: Vec<String>,
    /// A name to count as a series of its own (as --entity finds it);
    /// repeat for several.
    #[arg(long, value_name = "NAME")]
    pub entity: Vec<String>,
    /// The index to count in.
    #[command(flatten)]
    pub index: IndexArg,
    /// Only articles published on or after this date.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only articles published on or before this date (inclusive).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only articles from this outlet (repeat for several).
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Period: auto (weeks up to six months, months up to ten years,
    /// years beyond), week, month or year.
    #[arg(long, default_value = "auto")]
    pub interval: String,
    /// How words side by side combine.
    #[arg(long, value_enum, default_value_t = OpArg::And)]
    pub op: OpArg,
    /// Output: text, json or csv.
    #[arg(long, default_value = "text", value_parser = ["text", "json", "csv"])]
    pub format: String,
    /// Start CSV with a UTF-8 byte order mark (for Excel).
    #[arg(long)]
    pub bom: bool,
    /// The user's alias table.
    #[command(flatten)]
    pub aliases: AliasesArg,
}

/// Runs `akhbar trends`; returns the exit code.
///
/// # Errors
/// No series or too many, a series with nothing to search for, a bad
/// date or interval, or an unusable index.
pub fn run(args: &TrendsArgs) -> anyhow::Result<i32> {
    let mut series: Vec<SeriesAsk> = args
        .queries
        .iter()
        .map(|q| SeriesAsk {
            query: q.clone(),
            entity: None,
        })
        .collect();
    series.extend(args.entity.iter().map(|e| SeriesAsk {
        query: String::new(),
        entity: Some(e.clone()),
    }));
    if series.is_empty() || series.len() > MAX_SERIES {
        return Err(anyhow!(
            "give from 1 to {MAX_SERIES} series: queries, or --entity NAME"
        ));
    }
    let request = TrendRequest {
        series,
        filters: Filters {
            from: date_arg(args.from.as_deref(), false)?,
            to: date_arg(args.to.as_deref(), true)?,
            sources: args.source.clone(),
        },
        interval: Interval::parse(&args.interval).map_err(|e| anyhow!(e))?,
        op: args.op.into(),
    };
    let aliases = args.aliases.aliases.as_deref();
    let table = load_table(aliases);
    let open = args.index.open(aliases)?;
    let found = trends(&open, &request, &table).context("trends failed")?;
    for s in &found.series {
        for w in &s.warnings {
            eprintln!("akhbar: note: {}: {w}", s.label);
        }
    }
    let mut out = io::stdout().lock();
    match args.format.as_str() {
        "json" => print_trends_json(&mut out, &found)?,
        "csv" => print_trends_csv(&mut out, &found, args.bom)?,
        _ => print_trends_text(&mut out, &found)?,
    }
    out.flush()?;
    Ok(0)
}
