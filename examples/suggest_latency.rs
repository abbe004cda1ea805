//! How fast names come as the reader types (issue 35): `/api/suggest`
//! for prefixes a reader types, through the library and through an
//! `akhbar serve` server running in this process (over loopback, a
//! keep-alive client), one after the other for each prefix so both see
//! the same machine noise. Also the cost of building the name index,
//! paid once per commit by the first suggestion after it.
//!
//! `cargo run --release --example suggest_latency -- --index DIR
//!  [--prefixes 3000] [--runs 3]`
//!
//! Prefixes: from every name of the built-in alias table, each word's
//! first 2, 3 and 4 letters, and the whole first word followed by the
//! first 2 letters of the next (as «ابن سل»); shuffled with a fixed seed,
//! the first `--prefixes` kept.

#[path = "support/mod.rs"]
mod support;

use support::{arg, percentile};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use akhbar::entities::AliasTable;
use akhbar::index::open_existing;
use akhbar::search::Names;
use akhbar::serve::{Limits, ServeOptions, Server};

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// What readers type: prefixes of the names' words.
fn prefixes(table: &AliasTable, keep: usize) -> Vec<String> {
    let mut out = Vec::new();
    for entity in &table.entities {
        for name in entity.names() {
            let words: Vec<&str> = name.split_whitespace().collect();
            for w in &words {
                for n in [2, 3, 4] {
                    if w.chars().count() >= n {
                        out.push(w.chars().take(n).collect::<String>());
                    }
                }
            }
            if let [first, second, ..] = words.as_slice() {
                let start: String = second.chars().take(2).collect();
                out.push(format!("{first} {start}"));
            }
        }
    }
    out.sort();
    out.dedup();
    // xorshift shuffle, fixed seed.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out.truncate(keep);
    out
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let index = PathBuf::from(arg(&args, "--index").unwrap_or_else(|| "index".into()));
    let keep: usize = arg(&args, "--prefixes").map_or(Ok(3000), |r| r.parse())?;
    let runs: usize = arg(&args, "--runs").map_or(Ok(3), |r| r.parse())?;
    let table = Arc::new(AliasTable::builtin());
    let open = open_existing(&index)?;
    let typed = prefixes(&table, keep);

    let mut builds = Vec::new();
    let mut names = None;
    for _ in 0..3 {
        let t = Instant::now();
        names = Some(Names::build(&open, &table)?);
        builds.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let names = names.ok_or_else(|| anyhow::anyhow!("no name index"))?;
    let searcher = open.searcher()?;

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
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let http = |prefix: &str| -> anyhow::Result<serde_json::Value> {
        let url = format!("{base}/api/suggest?prefix={}&limit=8", encode(prefix));
        let mut response = agent.get(&url).call()?;
        let body = response.body_mut().read_to_string()?;
        anyhow::ensure!(response.status() == 200, "{prefix}: {body}");
        Ok(serde_json::from_str(&body)?)
    };
    // The first suggestion builds the server's name index.
    let t = Instant::now();
    http("سعو")?;
    let first_ms = t.elapsed().as_secs_f64() * 1000.0;

    let (mut direct, mut served) = (Vec::new(), Vec::new());
    let mut empty = 0;
    for run in 0..runs {
        for p in &typed {
            let t = Instant::now();
            let found = names.suggest(&searcher, p, 8, false);
            direct.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let answer = http(p)?;
            served.push(t.elapsed().as_secs_f64() * 1000.0);
            if run == 0 {
                let listed = answer["suggestions"].as_array().map_or(0, Vec::len);
                anyhow::ensure!(listed == found.len(), "{p}: the server answered otherwise");
                empty += usize::from(found.is_empty());
            }
        }
    }
    let _ = stop.send(());
    runtime.block_on(serving)?;
    direct.sort_by(f64::total_cmp);
    served.sort_by(f64::total_cmp);
    builds.sort_by(f64::total_cmp);
    println!(
        "{} prefixes x {runs} runs ({empty} with nothing to suggest), 8 suggestions asked",
        typed.len()
    );
    println!("path          p50 ms   p95 ms   max ms");
    for (name, t) in [("library", &direct), ("http", &served)] {
        println!(
            "{name:<10} {:>8.3} {:>8.3} {:>8.3}",
            percentile(t, 50.0),
            percentile(t, 95.0),
            percentile(t, 100.0)
        );
    }
    println!(
        "name index build (once per commit): {:.0} ms (median of 3); first suggestion over HTTP {first_ms:.0} ms",
        percentile(&builds, 50.0)
    );
    println!(
        "{}",
        serde_json::json!({
            "prefixes": typed.len(), "runs": runs, "empty": empty,
            "library_p50_ms": percentile(&direct, 50.0), "library_p95_ms": percentile(&direct, 95.0),
            "http_p50_ms": percentile(&served, 50.0), "http_p95_ms": percentile(&served, 95.0),
            "http_max_ms": percentile(&served, 100.0),
            "build_ms": percentile(&builds, 50.0), "first_http_ms": first_ms,
        })
    );
    Ok(())
}
