//! Scale benchmark (see docs/scaling.md): how akhbar's costs grow with the
//! corpus. For each factor N (default 1, 3, 10) it builds N copies of a
//! corpus with distinct ids in a temp folder (JSON and TREC ids get a
//! `~cK` suffix, other ids are paths and differ by folder); from 10 copies
//! on, the JSON Lines of the upper half of the copies go into one file
//! (over 1 GB for the shared corpora). Then, for each:
//!
//! 1. indexes it from scratch in a child process (default settings):
//!    seconds, articles/s, CPU seconds, peak RSS (VmHWM) and, sampled
//!    every 0.1 s, its peaks by kind: anonymous (RssAnon), mapped index
//!    files (RssFile), and held (resident less clean pages), commits;
//! 2. index size and segment count; checks articles = N × the 1× count;
//! 3. p50/p95 of bench/queries.tsv per class, 10 hits with snippets and
//!    with none (limit 0: count and ranking only);
//! 4. `akhbar entities` and `akhbar stats` (the binary, wall time, best
//!    of 3);
//! 5. changes 1% of the files (seeded) and times the incremental re-run.
//!
//! `cargo run --release --example scale -- --corpus ../shared/corpora
//!  [--factors 1,3,10] [--runs 5] [--tmp DIR] [--json]`
//!
//! With `AKHBAR_SCALE_KEEP` set, the copies and indexes stay in the temp
//! folder for a closer look.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "support/mod.rs"]
mod support;

use support::{
    arg, dir_bytes, peak_rss_bytes, percentile, run_self, MemoryPeaks, MemorySampler, Silent,
};

use akhbar::corpus::list_files;
use akhbar::index::index_folders;
use akhbar::index::open_existing;
use akhbar::index::{build, IndexOptions};
use akhbar::search::{search, Page, SearchRequest};
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

/// One indexing run, measured in a child process.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
struct IndexRun {
    articles_total: u64,
    articles_read: u64,
    files_indexed: u64,
    seconds: f64,
    cpu_seconds: f64,
    peak_rss_mib: f64,
    /// Peaks by kind (anonymous, mapped files, not reclaimable).
    #[serde(default)]
    memory: MemoryPeaks,
    commits: u64,
}

#[derive(Serialize, Debug)]
struct Latency {
    class: String,
    p50_ms: f64,
    p95_ms: f64,
    p50_no_snippets_ms: f64,
    p95_no_snippets_ms: f64,
}

#[derive(Serialize, Debug)]
struct Step {
    factor: usize,
    files: usize,
    input_mib: f64,
    largest_file_mib: f64,
    build: IndexRun,
    articles_per_sec: f64,
    index_mib: f64,
    manifest_kib: f64,
    segments: usize,
    latency: Vec<Latency>,
    entities_secs: f64,
    stats_secs: f64,
    changed_files: usize,
    incremental: IndexRun,
    incremental_ratio: f64,
}

/// User + system CPU seconds of this process (clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

/// Child mode: one indexing run with the CLI's default settings.
fn child(corpus: &Path, index: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let sampler = MemorySampler::start(std::time::Duration::from_millis(100));
    let options = IndexOptions {
        roots: vec![corpus.to_path_buf()],
        index_dir: index.to_path_buf(),
        ..IndexOptions::default()
    };
    let s = build(&options, &mut Silent)?;
    let memory = sampler.stop();
    let run = IndexRun {
        articles_total: s.articles_total,
        articles_read: (s.articles_added + s.articles_updated) as u64,
        files_indexed: s.files_indexed as u64,
        seconds: started.elapsed().as_secs_f64(),
        cpu_seconds: cpu_seconds(),
        peak_rss_mib: peak_rss_bytes() as f64 / 1_048_576.0,
        memory,
        commits: s.commits as u64,
    };
    println!("{}", serde_json::to_string(&run)?);
    Ok(())
}

fn run_child(corpus: &Path, index: &Path) -> anyhow::Result<IndexRun> {
    run_self(
        &[
            "--child-index".as_ref(),
            corpus.as_os_str(),
            index.as_os_str(),
        ],
        "index",
    )
}

/// Gives a JSON line's id (or a TREC DOCNO) the copy's suffix.
fn with_suffix(line: &str, suffix: &str) -> String {
    for (open, close) in [("\"id\": \"", '"'), ("\"id\":\"", '"'), ("<DOCNO>", '<')] {
        if let Some(start) = line.find(open).map(|i| i + open.len()) {
            if let Some(len) = line[start..].find(close) {
                let end = start + len;
                return format!("{}{suffix}{}", &line[..end], &line[end..]);
            }
        }
    }
    line.to_string()
}

/// Writes `factor` copies of `corpus` under `out`; returns (files, bytes,
/// largest file bytes).
fn make_copies(corpus: &Path, out: &Path, factor: usize) -> anyhow::Result<(usize, u64, u64)> {
    let (files, _) = list_files(
        &[corpus.to_path_buf()],
        &index_folders(Path::new("/nonexistent")),
    );
    let big_from = if factor >= 10 { factor / 2 } else { usize::MAX };
    fs::create_dir_all(out)?;
    let mut big = BufWriter::new(fs::File::create(out.join("big.jsonl"))?);
    for k in 0..factor {
        let suffix = if k == 0 {
            String::new()
        } else {
            format!("~c{k}")
        };
        for f in &files {
            let name = f.relative.as_str();
            let jsonl = name.ends_with(".jsonl") || name.ends_with(".ndjson");
            let reader = BufReader::new(fs::File::open(&f.path)?);
            if jsonl && k >= big_from {
                for line in reader.lines() {
                    writeln!(big, "{}", with_suffix(&line?, &suffix))?;
                }
                continue;
            }
            let target = out.join(format!("copy-{k:02}")).join(name);
            fs::create_dir_all(target.parent().context("parent")?)?;
            if jsonl || name.ends_with(".txt") {
                let mut w = BufWriter::new(fs::File::create(&target)?);
                for line in reader.lines() {
                    writeln!(w, "{}", with_suffix(&line?, &suffix))?;
                }
            } else {
                fs::copy(&f.path, &target)?;
            }
        }
    }
    big.flush()?;
    drop(big);
    if fs::metadata(out.join("big.jsonl"))?.len() == 0 {
        fs::remove_file(out.join("big.jsonl"))?;
    }
    let (all, _) = list_files(
        &[out.to_path_buf()],
        &index_folders(Path::new("/nonexistent")),
    );
    let sizes: Vec<u64> = all
        .iter()
        .filter_map(|f| fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .collect();
    Ok((
        all.len(),
        sizes.iter().sum(),
        sizes.iter().copied().max().unwrap_or(0),
    ))
}

/// Changes about 1% of the files (seeded, at least one): one title edited
/// in each. Returns how many.
fn change_one_percent(root: &Path, seed: u64) -> anyhow::Result<usize> {
    let (files, _) = list_files(
        &[root.to_path_buf()],
        &index_folders(Path::new("/nonexistent")),
    );
    let want = (files.len() / 100).max(1);
    let mut x = seed.max(1);
    let mut picked = std::collections::BTreeSet::new();
    while picked.len() < want {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        picked.insert((x % files.len() as u64) as usize);
    }
    for &i in &picked {
        let path = &files[i].path;
        let text = fs::read_to_string(path)?;
        let changed = if let Some(pos) = text.find("\"title\": \"") {
            let at = pos + "\"title\": \"".len();
            format!("{}تعديل {}", &text[..at], &text[at..])
        } else if let Some(pos) = text.find("<TITLE>") {
            let at = pos + "<TITLE>".len();
            format!("{}تعديل {}", &text[..at], &text[at..])
        } else {
            format!("تعديل {text}")
        };
        fs::write(path, changed)?;
    }
    Ok(picked.len())
}

fn latencies(index: &Path, queries: &Path, runs: usize) -> anyhow::Result<Vec<Latency>> {
    let text = fs::read_to_string(queries)?;
    let queries: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let open = open_existing(index)?;
    let request = |q: &str, limit: usize| SearchRequest {
        query: q.to_string(),
        page: Page { limit, offset: 0 },
        ..SearchRequest::default()
    };
    for (_, q) in &queries {
        search(&open, &request(q, 10))?;
    }
    let mut times: BTreeMap<(&str, usize), Vec<f64>> = BTreeMap::new();
    for _ in 0..runs {
        for limit in [10, 0] {
            for (class, q) in &queries {
                let started = Instant::now();
                search(&open, &request(q, limit))?;
                times
                    .entry((class, limit))
                    .or_default()
                    .push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    for t in times.values_mut() {
        t.sort_by(|a, b| a.total_cmp(b));
    }
    let classes: std::collections::BTreeSet<&str> = queries.iter().map(|(c, _)| *c).collect();
    Ok(classes
        .into_iter()
        .map(|class| {
            let with = &times[&(class, 10)];
            let without = &times[&(class, 0)];
            Latency {
                class: class.to_string(),
                p50_ms: percentile(with, 50.0),
                p95_ms: percentile(with, 95.0),
                p50_no_snippets_ms: percentile(without, 50.0),
                p95_no_snippets_ms: percentile(without, 95.0),
            }
        })
        .collect())
}

/// Best of 3 wall times of `akhbar ARGS` (the release binary next to
/// this example), seconds.
fn time_cli(args: &[&str]) -> anyhow::Result<f64> {
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("akhbar"))
        .context("binary path")?;
    if !bin.exists() {
        bail!("{} not built: cargo build --release first", bin.display());
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let out = Command::new(&bin).args(args).output()?;
        if !out.status.success() {
            bail!("akhbar {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    Ok(best)
}

fn step(
    corpus: &Path,
    tmp: &Path,
    factor: usize,
    runs: usize,
    queries: &Path,
) -> anyhow::Result<Step> {
    let root = tmp.join(format!("corpus-x{factor}"));
    let index = tmp.join(format!("index-x{factor}"));
    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&index);
    eprintln!("x{factor}: writing the copies");
    let (files, bytes, largest) = make_copies(corpus, &root, factor)?;
    eprintln!(
        "x{factor}: {files} files, {:.0} MiB; indexing",
        bytes as f64 / 1_048_576.0
    );
    let build = run_child(&root, &index)?;
    let open = open_existing(&index)?;
    let segments = open.searcher()?.segment_readers().len();
    drop(open);
    eprintln!(
        "x{factor}: {} articles in {:.1} s; queries",
        build.articles_total, build.seconds
    );
    let latency = latencies(&index, queries, runs)?;
    let index_arg = index.to_string_lossy().into_owned();
    let entities_secs = time_cli(&["entities", "--index", &index_arg, "--json"])?;
    let stats_secs = time_cli(&["stats", "--index", &index_arg, "--json"])?;
    let index_mib = dir_bytes(&index) as f64 / 1_048_576.0;
    let manifest_kib = fs::metadata(index.join("akhbar.json"))?.len() as f64 / 1024.0;
    let changed_files = change_one_percent(&root, 0x5CA1E + factor as u64)?;
    eprintln!("x{factor}: {changed_files} files changed; incremental run");
    let incremental = run_child(&root, &index)?;
    if std::env::var_os("AKHBAR_SCALE_KEEP").is_none() {
        let _ = fs::remove_dir_all(&root);
        let _ = fs::remove_dir_all(&index);
    }
    Ok(Step {
        factor,
        files,
        input_mib: bytes as f64 / 1_048_576.0,
        largest_file_mib: largest as f64 / 1_048_576.0,
        articles_per_sec: build.articles_total as f64 / build.seconds,
        incremental_ratio: incremental.seconds / build.seconds,
        build,
        index_mib,
        manifest_kib,
        segments,
        latency,
        entities_secs,
        stats_secs,
        changed_files,
        incremental,
    })
}

fn print_text(steps: &[Step]) {
    println!(
        "{:>3} {:>6} {:>8} {:>9} {:>8} {:>9} {:>7} {:>8} {:>6} {:>6} {:>6} {:>8} {:>4} {:>8} {:>6} {:>6} {:>9}",
        "x",
        "files",
        "in MiB",
        "articles",
        "secs",
        "art/s",
        "cpu s",
        "peak MiB",
        "anon",
        "file",
        "held",
        "idx MiB",
        "segs",
        "manif KB",
        "ent s",
        "stat s",
        "incr s(%)"
    );
    for s in steps {
        println!(
            "{:>3} {:>6} {:>8.0} {:>9} {:>8.1} {:>9.0} {:>7.1} {:>8.0} {:>6.0} {:>6.0} {:>6.0} {:>8.0} {:>4} {:>8.1} {:>6.2} {:>6.2} {:>5.1}({:.1})",
            s.factor,
            s.files,
            s.input_mib,
            s.build.articles_total,
            s.build.seconds,
            s.articles_per_sec,
            s.build.cpu_seconds,
            s.build.peak_rss_mib,
            s.build.memory.anon_mib,
            s.build.memory.file_mib,
            s.build.memory.held_mib,
            s.index_mib,
            s.segments,
            s.manifest_kib,
            s.entities_secs,
            s.stats_secs,
            s.incremental.seconds,
            100.0 * s.incremental_ratio
        );
    }
    println!("query latency, ms (10 hits with snippets | no hits built)");
    println!(
        "{:>3} {:<8} {:>7} {:>7} {:>7} {:>7}",
        "x", "class", "p50", "p95", "p50 -", "p95 -"
    );
    for s in steps {
        for l in &s.latency {
            println!(
                "{:>3} {:<8} {:>7.2} {:>7.2} {:>7.2} {:>7.2}",
                s.factor, l.class, l.p50_ms, l.p95_ms, l.p50_no_snippets_ms, l.p95_no_snippets_ms
            );
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child-index") {
        let corpus = PathBuf::from(args.get(i + 1).context("corpus")?);
        let index = PathBuf::from(args.get(i + 2).context("index")?);
        return child(&corpus, &index);
    }
    let corpus =
        PathBuf::from(arg(&args, "--corpus").unwrap_or_else(|| "../shared/corpora".into()));
    if !corpus.is_dir() {
        bail!("{}: no such corpus folder", corpus.display());
    }
    let factors: Vec<usize> = arg(&args, "--factors")
        .unwrap_or_else(|| "1,3,10".into())
        .split(',')
        .map(|f| f.trim().parse())
        .collect::<Result<_, _>>()?;
    let runs: usize = arg(&args, "--runs").map_or(Ok(5), |r| r.parse())?;
    let queries =
        PathBuf::from(arg(&args, "--queries").unwrap_or_else(|| "bench/queries.tsv".into()));
    let tmp = match arg(&args, "--tmp") {
        Some(dir) => tempfile::tempdir_in(dir)?,
        None => tempfile::tempdir()?,
    };
    let tmp = if std::env::var_os("AKHBAR_SCALE_KEEP").is_some() {
        let kept = tmp.keep();
        eprintln!("keeping the copies and indexes in {}", kept.display());
        Kept::Path(kept)
    } else {
        Kept::Temp(tmp)
    };
    let mut steps: Vec<Step> = Vec::new();
    for factor in factors {
        let s = step(&corpus, tmp.path(), factor, runs, &queries)?;
        if let Some(first) = steps.first() {
            let expected = first.build.articles_total * factor as u64 / first.factor as u64;
            if s.build.articles_total != expected {
                eprintln!(
                    "x{factor}: {} articles, expected {expected}",
                    s.build.articles_total
                );
            }
        }
        eprintln!("{}", serde_json::to_string(&s)?);
        steps.push(s);
    }
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&steps)?);
    } else {
        print_text(&steps);
    }
    Ok(())
}

/// The temp folder: removed at the end, or kept (`AKHBAR_SCALE_KEEP`).
enum Kept {
    Temp(tempfile::TempDir),
    Path(PathBuf),
}

impl Kept {
    fn path(&self) -> &Path {
        match self {
            Kept::Temp(t) => t.path(),
            Kept::Path(p) => p,
        }
    }
}
