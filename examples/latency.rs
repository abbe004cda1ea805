//! Query latency on an existing index: runs bench/queries.tsv (or a file
//! given with --queries) several times after a warm-up, with snippets (unless `--no-snippets`), and
//! prints p50/p95/max per query class. With `--no-collapse`, searches
//! show every copy (no story grouping); with `--compare-collapse`, each
//! query runs both ways in the same loop and both columns are printed
//! (the cost of collapsing near copies, issue 15); with `--compare-ranker`,
//! each query runs with the learned second stage and without it
//! (`--no-ranker`) in the same loop (its cost, issue 30).
//!
//! `cargo run --release --example latency -- --index DIR [--runs N] [--queries FILE] [--no-collapse | --compare-collapse | --compare-ranker] [--no-snippets]`

#[path = "support/mod.rs"]
mod support;

use support::{arg, percentile};

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use akhbar::index::open_existing;
use akhbar::search::{search, Page, SearchRequest};

/// How a query is searched.
#[derive(Clone, Copy)]
struct Mode {
    collapse: bool,
    ranker: bool,
}

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
    let compare = args.iter().any(|a| a == "--compare-collapse");
    let compare_ranker = args.iter().any(|a| a == "--compare-ranker");
    let collapse = !args.iter().any(|a| a == "--no-collapse");
    let snippets = !args.iter().any(|a| a == "--no-snippets");
    let open = open_existing(&index)?;
    let request = |q: &str, mode: Mode| SearchRequest {
        query: q.to_string(),
        page: Page {
            limit: 10,
            offset: 0,
        },
        collapse: mode.collapse,
        ranker: mode.ranker,
        snippets,
        ..SearchRequest::default()
    };
    let mode = |collapse, ranker| Mode { collapse, ranker };
    let modes: Vec<(Mode, &str)> = if compare {
        vec![(mode(false, true), ""), (mode(true, true), " collapsed")]
    } else if compare_ranker {
        vec![
            (mode(collapse, false), " no-ranker"),
            (mode(collapse, true), " ranker"),
        ]
    } else {
        vec![(mode(collapse, true), "")]
    };
    for (_, q) in &queries {
        for &(c, _) in &modes {
            search(&open, &request(q, c))?; // warm-up
        }
    }
    let mut times: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for run in 0..runs {
        for (class, q) in &queries {
            // each way first in every other run: the second search of a
            // query finds the caches the first one warmed
            let order: Vec<&(Mode, &str)> = if run % 2 == 0 {
                modes.iter().collect()
            } else {
                modes.iter().rev().collect()
            };
            for &&(c, suffix) in &order {
                let started = Instant::now();
                search(&open, &request(q, c))?;
                times
                    .entry(format!("{class}{suffix}"))
                    .or_default()
                    .push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    if compare || compare_ranker {
        let mut all: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for (class, t) in &times {
            let (_, suffix) = modes
                .iter()
                .rev()
                .find(|(_, s)| !s.is_empty() && class.ends_with(*s))
                .unwrap_or(&modes[0]);
            all.entry(suffix).or_default().extend(t);
        }
        let mut p50s = Vec::new();
        for (suffix, mut t) in all {
            t.sort_by(|a, b| a.total_cmp(b));
            let (p50, p95) = (percentile(&t, 50.0), percentile(&t, 95.0));
            println!("all{suffix:<14} p50 {p50:.3} ms  p95 {p95:.3} ms");
            p50s.push(p50);
        }
        if let [without, with] = p50s[..] {
            println!("p50 ratio (second / first) {:.2}", with / without);
        }
    }
    println!(
        "{} queries x {runs} runs, 10 hits {} snippets each",
        queries.len(),
        if snippets { "with" } else { "without" }
    );
    println!(
        "{:<18} {:>8} {:>8} {:>8}",
        "class", "p50 ms", "p95 ms", "max ms"
    );
    for (class, mut t) in times {
        t.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{class:<18} {:>8.2} {:>8.2} {:>8.2}",
            percentile(&t, 50.0),
            percentile(&t, 95.0),
            t.last().copied().unwrap_or(0.0)
        );
    }
    Ok(())
}
