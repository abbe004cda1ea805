//! akhbar's benchmark, one command, one run (see BENCHMARKS.md):
//!
//! 1. indexes the corpus twice, each in a child process and a fresh temp
//!    folder: a baseline (tantivy's default tokenizer over the same title
//!    and body, nothing Arabic, same readers and writer settings) and
//!    akhbar's full pipeline; prints articles/s, input MB/s, index size,
//!    peak resident memory, and the ratio akhbar / baseline;
//! 2. runs the fixed query set (bench/queries.tsv) several times after a
//!    warm-up, 10 hits with snippets each, and prints p50/p95/max latency
//!    per query class.
//!
//! `cargo run --release --example bench -- --corpus DIR [--runs N] [--json]`

#[path = "support/mod.rs"]
mod support;

use support::{arg, dir_bytes, peak_rss_bytes, percentile, run_self, Silent};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use akhbar::corpus::list_files;
use akhbar::corpus::read_file;
use akhbar::index::index_folders;
use akhbar::index::open_existing;
use akhbar::index::{build, IndexOptions};
use akhbar::search::{search, Page, SearchRequest};
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use tantivy::schema::{Schema, STORED, TEXT};
use tantivy::{doc, Index};

/// Writer settings shared by both indexing runs.
const MEMORY_MB: usize = 256;
const THREADS: usize = 2;

#[derive(Serialize, Deserialize, Clone, Debug)]
struct IndexRun {
    name: String,
    articles: u64,
    input_bytes: u64,
    seconds: f64,
    articles_per_sec: f64,
    mb_per_sec: f64,
    index_bytes: u64,
    peak_rss_bytes: u64,
}

#[derive(Serialize, Debug)]
struct Latency {
    class: String,
    queries: usize,
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
}

#[derive(Serialize, Debug)]
struct Report {
    corpus: String,
    baseline: IndexRun,
    akhbar: IndexRun,
    throughput_ratio: f64,
    latency: Vec<Latency>,
}

fn input_bytes(corpus: &Path) -> u64 {
    let (files, _) = list_files(
        &[corpus.to_path_buf()],
        &index_folders(Path::new("/nonexistent")),
    );
    files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum()
}

/// Baseline: same readers, tantivy's default tokenizer, title and body.
fn index_baseline(corpus: &Path, out: &Path) -> anyhow::Result<u64> {
    let mut schema = Schema::builder();
    let title = schema.add_text_field("title", TEXT | STORED);
    let body = schema.add_text_field("body", TEXT | STORED);
    std::fs::create_dir_all(out)?;
    let index = Index::create_in_dir(out, schema.build())?;
    let mut writer = index.writer_with_num_threads(THREADS, MEMORY_MB << 20)?;
    let (files, _) = list_files(&[corpus.to_path_buf()], &index_folders(out));
    let (tx, rx) = std::sync::mpsc::sync_channel(4);
    let reader = std::thread::spawn(move || {
        for f in files {
            if tx.send(read_file(&f.path)).is_err() {
                break;
            }
        }
    });
    let mut articles = 0;
    for read in rx.into_iter().flatten() {
        for a in read.articles {
            writer.add_document(doc!(title => a.title, body => a.body))?;
            articles += 1;
        }
    }
    let _ = reader.join();
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(articles)
}

fn index_akhbar(corpus: &Path, out: &Path) -> anyhow::Result<u64> {
    let options = IndexOptions {
        roots: vec![corpus.to_path_buf()],
        index_dir: out.to_path_buf(),
        rebuild: true,
        memory_mb: MEMORY_MB,
        threads: THREADS,
        commit_every: usize::MAX,
        commit_secs: f64::MAX,
        aliases: None,
        ..IndexOptions::default()
    };
    let summary = build(&options, &mut Silent)?;
    Ok((summary.articles_added + summary.articles_updated) as u64)
}

/// Child mode: one indexing run, its figures as JSON on stdout.
fn child(kind: &str, corpus: &Path, out: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let articles = match kind {
        "baseline" => index_baseline(corpus, out)?,
        "akhbar" => index_akhbar(corpus, out)?,
        other => bail!("unknown run {other}"),
    };
    let seconds = started.elapsed().as_secs_f64();
    let bytes = input_bytes(corpus);
    let run = IndexRun {
        name: kind.to_string(),
        articles,
        input_bytes: bytes,
        seconds,
        articles_per_sec: articles as f64 / seconds,
        mb_per_sec: bytes as f64 / 1_048_576.0 / seconds,
        index_bytes: dir_bytes(out),
        peak_rss_bytes: peak_rss_bytes(),
    };
    println!("{}", serde_json::to_string(&run)?);
    Ok(())
}

fn run_child(kind: &str, corpus: &Path, out: &Path) -> anyhow::Result<IndexRun> {
    let args = [
        "--child".as_ref(),
        kind.as_ref(),
        "--corpus".as_ref(),
        corpus.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    run_self(&args, kind)
}

fn latencies(index: &Path, queries: &Path, runs: usize) -> anyhow::Result<Vec<Latency>> {
    let text = std::fs::read_to_string(queries)?;
    let queries: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let open = open_existing(index)?;
    let request = |q: &str| SearchRequest {
        query: q.to_string(),
        page: Page {
            limit: 10,
            offset: 0,
        },
        ..SearchRequest::default()
    };
    for (_, q) in &queries {
        search(&open, &request(q))?;
    }
    let mut times: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for _ in 0..runs {
        for (class, q) in &queries {
            let started = Instant::now();
            search(&open, &request(q))?;
            times
                .entry(class)
                .or_default()
                .push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let counts: BTreeMap<&str, usize> = queries.iter().fold(BTreeMap::new(), |mut m, (c, _)| {
        *m.entry(*c).or_default() += 1;
        m
    });
    Ok(times
        .into_iter()
        .map(|(class, mut t)| {
            t.sort_by(|a, b| a.total_cmp(b));
            Latency {
                class: class.to_string(),
                queries: counts.get(class).copied().unwrap_or(0),
                p50_ms: percentile(&t, 50.0),
                p95_ms: percentile(&t, 95.0),
                max_ms: t.last().copied().unwrap_or(0.0),
            }
        })
        .collect())
}

fn print_text(r: &Report) {
    println!("corpus: {}", r.corpus);
    println!(
        "{:<9} {:>9} {:>8} {:>10} {:>8} {:>10} {:>10}",
        "indexer", "articles", "seconds", "articles/s", "MiB/s", "index MiB", "peak MiB"
    );
    for run in [&r.baseline, &r.akhbar] {
        println!(
            "{:<9} {:>9} {:>8.1} {:>10.0} {:>8.2} {:>10.1} {:>10.0}",
            run.name,
            run.articles,
            run.seconds,
            run.articles_per_sec,
            run.mb_per_sec,
            run.index_bytes as f64 / 1_048_576.0,
            run.peak_rss_bytes as f64 / 1_048_576.0
        );
    }
    println!(
        "throughput ratio akhbar / baseline: {:.2}",
        r.throughput_ratio
    );
    println!(
        "{:<8} {:>7} {:>8} {:>8} {:>8}",
        "class", "queries", "p50 ms", "p95 ms", "max ms"
    );
    for l in &r.latency {
        println!(
            "{:<8} {:>7} {:>8.2} {:>8.2} {:>8.2}",
            l.class, l.queries, l.p50_ms, l.p95_ms, l.max_ms
        );
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let corpus =
        PathBuf::from(arg(&args, "--corpus").unwrap_or_else(|| "../shared/corpora".into()));
    if let Some(kind) = arg(&args, "--child") {
        let out = PathBuf::from(arg(&args, "--out").context("--out")?);
        return child(&kind, &corpus, &out);
    }
    if !corpus.exists() {
        bail!("{}: no such corpus folder", corpus.display());
    }
    let runs: usize = arg(&args, "--runs").map_or(Ok(10), |r| r.parse())?;
    let queries =
        PathBuf::from(arg(&args, "--queries").unwrap_or_else(|| "bench/queries.tsv".into()));
    let tmp = tempfile::tempdir()?;
    let baseline = run_child("baseline", &corpus, &tmp.path().join("baseline"))?;
    let akhbar_dir = tmp.path().join("akhbar");
    let akhbar = run_child("akhbar", &corpus, &akhbar_dir)?;
    let report = Report {
        corpus: corpus.display().to_string(),
        throughput_ratio: akhbar.articles_per_sec / baseline.articles_per_sec,
        latency: latencies(&akhbar_dir, &queries, runs)?,
        baseline,
        akhbar,
    };
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report);
    }
    Ok(())
}
