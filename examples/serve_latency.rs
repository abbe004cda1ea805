//! What the HTTP layer costs: the same queries searched directly through
//! the library and printed as JSON into a buffer (what `search --stdin
//! --json` does per line: one open index, one search and one print per
//! query) and through an `akhbar serve` server running in this
//! process, asked over loopback by a keep-alive HTTP client. Each run
//! takes the queries in order, one direct then one HTTP search each, so
//! both see the same machine noise; after a warm-up, p50/p95/max of both
//! and the p50 difference are printed, with the round trip of `/healthz`
//! (HTTP alone, no search) beside them.
//!
//! `cargo run --release --example serve_latency -- --index DIR
//!  [--queries ../shared/peers/queries/ar-news-v1.tsv] [--runs 10]`
//!
//! Queries file: `id<TAB>query` lines, `#` comments skipped; each query is
//! akhbar's syntax as written (words AND-ed, "phrases"), 10 hits with
//! snippets.

#[path = "support/mod.rs"]
mod support;

use support::{arg, percentile};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use akhbar::entities::AliasTable;
use akhbar::index::open_existing;
use akhbar::output::print_search_json;
use akhbar::search::{search_with, Page, SearchRequest};
use akhbar::serve::{Limits, ServeOptions, Server};

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let index = PathBuf::from(arg(&args, "--index").unwrap_or_else(|| "index".into()));
    let runs: usize = arg(&args, "--runs").map_or(Ok(10), |r| r.parse())?;
    let file =
        arg(&args, "--queries").unwrap_or_else(|| "../shared/peers/queries/ar-news-v1.tsv".into());
    let queries: Vec<String> = std::fs::read_to_string(&file)?
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t').map(|(_, q)| q.to_string()))
        .collect();
    let table = Arc::new(AliasTable::builtin());
    let open = open_existing(&index)?;
    let request = |q: &str| SearchRequest {
        query: q.to_string(),
        page: Page {
            limit: 10,
            offset: 0,
        },
        ..SearchRequest::default()
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let server = runtime.block_on(Server::bind(ServeOptions {
        index: index.clone(),
        addr: "127.0.0.1:0".parse()?,
        table: Arc::clone(&table),
        sources: akhbar::output::Sources::builtin(),
        cors: None,
        limits: Limits::default(),
    }))?;
    let base = format!("http://{}", server.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = runtime.spawn(server.run(async {
        let _ = stopped.await;
    }));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    // The answer's body as text (parsing it is the client's business).
    let http = |q: &str| -> anyhow::Result<String> {
        let url = format!("{base}/api/search?q={}&limit=10", encode(q));
        let mut response = agent.get(&url).call()?;
        let body = response.body_mut().read_to_string()?;
        anyhow::ensure!(response.status() == 200, "{q}: {body}");
        Ok(body)
    };
    // The HTTP round trip alone: a request that searches nothing.
    let health = || -> anyhow::Result<()> {
        let mut response = agent.get(&format!("{base}/healthz")).call()?;
        response.body_mut().read_to_string()?;
        Ok(())
    };
    let library = |q: &str| -> anyhow::Result<Vec<u8>> {
        let results = search_with(&open, &request(q), &table)?;
        let mut out = Vec::new();
        print_search_json(&mut out, &results, &akhbar::output::Sources::builtin())?;
        Ok(out)
    };

    for q in &queries {
        let direct: serde_json::Value = serde_json::from_slice(&library(q)?)?;
        let served: serde_json::Value = serde_json::from_str(&http(q)?)?;
        anyhow::ensure!(
            direct["total_hits"] == served["total_hits"] && direct["hits"] == served["hits"],
            "{q}: the server answered otherwise"
        );
    }
    let (mut direct, mut served, mut round_trip) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        for q in &queries {
            let t = Instant::now();
            health()?;
            round_trip.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            library(q)?;
            direct.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            http(q)?;
            served.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let _ = stop.send(());
    runtime.block_on(serving)?;
    direct.sort_by(f64::total_cmp);
    served.sort_by(f64::total_cmp);
    round_trip.sort_by(f64::total_cmp);
    println!(
        "{} queries x {runs} runs, 10 hits with snippets each",
        queries.len()
    );
    println!("path          p50 ms   p95 ms   max ms");
    for (name, t) in [
        ("library", &direct),
        ("http", &served),
        ("healthz", &round_trip),
    ] {
        println!(
            "{name:<10} {:>8.2} {:>8.2} {:>8.2}",
            percentile(t, 50.0),
            percentile(t, 95.0),
            percentile(t, 100.0)
        );
    }
    println!(
        "http - library at p50: {:.2} ms",
        percentile(&served, 50.0) - percentile(&direct, 50.0)
    );
    Ok(())
}
