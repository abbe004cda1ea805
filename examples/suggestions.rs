//! "Did you mean" on an existing index: runs each misspelling of
//! bench/misspellings.tsv (or --file) and counts how often the first
//! suggestion is the word meant (compared normalized); times each
//! misspelled search (suggestions included) against the search for the
//! word meant, in the same run, and prints the ratio of the medians.
//!
//! `cargo run --release --example suggestions -- --index DIR [--file FILE] [--runs N]`

#[path = "support/mod.rs"]
mod support;

use support::{arg, percentile};

use std::path::PathBuf;
use std::time::Instant;

use akhbar::analysis::normalize;
use akhbar::index::open_existing;
use akhbar::search::{search, Page, SearchRequest};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let index = PathBuf::from(arg(&args, "--index").unwrap_or_else(|| "index".into()));
    let file = arg(&args, "--file").unwrap_or_else(|| "bench/misspellings.tsv".into());
    let runs: usize = arg(&args, "--runs").map_or(Ok(5), |r| r.parse())?;
    let text = std::fs::read_to_string(&file)?;
    let pairs: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let open = open_existing(&index)?;
    let request = |q: &str| SearchRequest {
        query: q.to_string(),
        page: Page {
            limit: 10,
            offset: 0,
        },
        ..SearchRequest::default()
    };
    let (mut right, mut none) = (0, 0);
    let (mut typo_ms, mut meant_ms) = (Vec::new(), Vec::new());
    for (typo, meant) in &pairs {
        let results = search(&open, &request(typo))?;
        let first = results
            .suggestions
            .first()
            .and_then(|s| s.alternatives.first())
            .map(|a| a.word.clone());
        let ok = first.as_deref().map(normalize) == Some(normalize(meant));
        right += usize::from(ok);
        none += usize::from(first.is_none());
        println!(
            "{}\t{typo}\t{meant}\t{}\t{} hits",
            if ok { "ok" } else { "MISS" },
            first.unwrap_or_else(|| "-".into()),
            results.total_hits
        );
        for _ in 0..runs {
            let t = Instant::now();
            search(&open, &request(typo))?;
            typo_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            search(&open, &request(meant))?;
            meant_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    typo_ms.sort_by(f64::total_cmp);
    meant_ms.sort_by(f64::total_cmp);
    let (p50t, p50m) = (percentile(&typo_ms, 50.0), percentile(&meant_ms, 50.0));
    println!(
        "hit rate {right}/{} ({:.0}%), no suggestion {none}; misspelled search p50 {p50t:.2} ms \
         p95 {:.2} ms; the word meant p50 {p50m:.2} ms; ratio {:.2}",
        pairs.len(),
        100.0 * right as f64 / pairs.len().max(1) as f64,
        percentile(&typo_ms, 95.0),
        p50t / p50m.max(1e-9)
    );
    Ok(())
}
