//! Query latency on an existing index: runs bench/queries.tsv (or a file
//! given with --queries) several times after a warm-up, with snippets, and
//! prints p50/p95/max per query class.
//!
//! `cargo run --release --example latency -- --index DIR [--runs N] [--queries FILE]`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

mod common;

use common::{arg, percentile};

use akhbar::index::open::open_existing;
use akhbar::search::run::{search, SearchRequest};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let index = PathBuf::from(arg(&args, "--index").unwrap_or_else(|| "index".into()));
    let runs: usize = arg(&args, "--runs").map_or(Ok(20), |r| r.parse())?;
    let queries_file = arg(&args, "--queries").unwrap_or_else(|| "bench/queries.tsv".into());
    let text = std::fs::read_to_string(&queries_file)?;
    let queries: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(c, q)| (c.to_string(), q.to_string()))
        .collect();
    let open = open_existing(&index)?;
    let request = |q: &str| SearchRequest {
        query: q.to_string(),
        limit: 10,
        ..SearchRequest::default()
    };
    for (_, q) in &queries {
        search(&open, &request(q))?; // warm-up
    }
    let mut times: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut hits: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..runs {
        for (class, q) in &queries {
            let started = Instant::now();
            let results = search(&open, &request(q))?;
            times
                .entry(class.clone())
                .or_default()
                .push(started.elapsed().as_secs_f64() * 1000.0);
            *hits.entry(class.clone()).or_default() += results.hits.len();
        }
    }
    println!(
        "{} queries x {runs} runs, 10 hits with snippets each",
        queries.len()
    );
    println!(
        "{:<8} {:>8} {:>8} {:>8}",
        "class", "p50 ms", "p95 ms", "max ms"
    );
    for (class, mut t) in times {
        t.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{class:<8} {:>8.2} {:>8.2} {:>8.2}",
            percentile(&t, 50.0),
            percentile(&t, 95.0),
            t.last().copied().unwrap_or(0.0)
        );
    }
    Ok(())
}
