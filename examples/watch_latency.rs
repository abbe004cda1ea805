//! How soon a new article is searchable (issue 31): an `akhbar serve
//! --watch` process (the binary, as users run it) over a folder seeded
//! with a corpus; files are renamed into the folder one by one at random
//! intervals while clients search; for each file, the time from its
//! rename to the first search that finds it. Prints p50/p95/max of that
//! time, the clients' search latency meanwhile, and one JSON line.
//!
//! `cargo build --release && cargo run --release --example watch_latency --
//!  [--binary target/release/akhbar] [--seed corpus] [--files 200]
//!  [--clients 8] [--gap-ms 500]`
//!
//! `--seed` is copied into the watched folder first (a file, or a folder
//! of files); each dropped file is one JSON Lines article with a word of
//! its own; intervals are uniform in 0..2×`--gap-ms`.

#[path = "support/mod.rs"]
mod support;

use support::{arg, percentile};

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A word no article holds: the file's number in Arabic letters.
fn token(n: usize) -> String {
    const LETTERS: [char; 10] = ['ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز'];
    let digits: String = format!("{n:04}")
        .bytes()
        .map(|d| LETTERS[usize::from(d - b'0')])
        .collect();
    format!("طظ{digits}")
}

/// xorshift64: reproducible intervals without a crate.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn copy_seed(from: &Path, to: &Path) -> anyhow::Result<()> {
    if from.is_file() {
        std::fs::copy(from, to.join(from.file_name().unwrap_or_default()))?;
        return Ok(());
    }
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_seed(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn get(agent: &ureq::Agent, url: &str) -> Option<serde_json::Value> {
    let mut response = agent.get(url).call().ok()?;
    let text = response.body_mut().read_to_string().ok()?;
    serde_json::from_str(&text).ok()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let binary =
        PathBuf::from(arg(&args, "--binary").unwrap_or_else(|| "target/release/akhbar".into()));
    let seed = PathBuf::from(arg(&args, "--seed").unwrap_or_else(|| "corpus".into()));
    let files: usize = arg(&args, "--files").map_or(Ok(200), |v| v.parse())?;
    let clients: usize = arg(&args, "--clients").map_or(Ok(8), |v| v.parse())?;
    let gap_ms: u64 = arg(&args, "--gap-ms").map_or(Ok(500), |v| v.parse())?;
    let work = tempfile::tempdir()?;
    let folder = work.path().join("feed");
    std::fs::create_dir_all(&folder)?;
    copy_seed(&seed, &folder)?;

    let mut child = Command::new(&binary)
        .args(["serve", "--addr", "127.0.0.1:0", "--watch"])
        .arg(&folder)
        .arg("--index")
        .arg(work.path().join("idx"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().expect("stderr");
    let passes = Arc::new(Mutex::new(Vec::<f64>::new()));
    let seen = Arc::clone(&passes);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap_or_default().to_string());
            }
            // "… (0.21 s); …": the pass's own time
            if let Some(secs) = line
                .strip_prefix("akhbar: watch: ")
                .and_then(|l| l.split(" s); ").next())
                .and_then(|l| l.rsplit('(').next())
                .and_then(|s| s.parse::<f64>().ok())
            {
                seen.lock().expect("passes").push(secs);
            }
        }
    });
    let addr = rx.recv_timeout(Duration::from_secs(60))?;
    let base = format!("http://{addr}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    // The first pass over the seed, whole: the watcher's status says a
    // pass is done and nothing is queued (a large seed is committed in
    // several batches, so articles appear before the pass ends).
    let started = Instant::now();
    loop {
        let stats = get(&agent, &format!("{base}/api/stats"));
        let watch = stats.as_ref().map(|s| &s["watch"]);
        if watch.is_some_and(|w| w["passes"].as_u64() >= Some(1) && w["queued"].as_u64() == Some(0))
        {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the seed was never indexed"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let seeded = started.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_secs(2));
    passes.lock().expect("passes").clear();

    let stop = Arc::new(AtomicBool::new(false));
    let words = [
        "الحكومة",
        "سوريا",
        "الاقتصاد",
        "\"وزير الخارجية\"",
        "النفط OR الغاز",
        "مصر",
    ];
    let searchers: Vec<_> = (0..clients)
        .map(|c| {
            let (stop, agent, base) = (Arc::clone(&stop), agent.clone(), base.clone());
            std::thread::spawn(move || {
                let mut times = Vec::new();
                let mut i = c;
                while !stop.load(Ordering::SeqCst) {
                    let url = format!(
                        "{base}/api/search?q={}&limit=10",
                        encode(words[i % words.len()])
                    );
                    let t = Instant::now();
                    let _ = get(&agent, &url);
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    i += 1;
                }
                times
            })
        })
        .collect();

    // The checker: each dropped file's word searched until found.
    let pending: Arc<Mutex<HashMap<usize, Instant>>> = Arc::default();
    let found: Arc<Mutex<Vec<f64>>> = Arc::default();
    let checker = {
        let (pending, found, agent, base) = (
            Arc::clone(&pending),
            Arc::clone(&found),
            agent.clone(),
            base.clone(),
        );
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) || !pending.lock().expect("pending").is_empty() {
                let now: Vec<(usize, Instant)> = pending
                    .lock()
                    .expect("pending")
                    .iter()
                    .map(|(n, t)| (*n, *t))
                    .collect();
                for (n, dropped) in now {
                    let url = format!(
                        "{base}/api/search?q={}&limit=0&snippets=0",
                        encode(&token(n))
                    );
                    let hits = get(&agent, &url).and_then(|a| a["total_hits"].as_u64());
                    if hits.is_some_and(|h| h > 0) {
                        found
                            .lock()
                            .expect("found")
                            .push(dropped.elapsed().as_secs_f64());
                        pending.lock().expect("pending").remove(&n);
                    } else if dropped.elapsed() > Duration::from_secs(120) {
                        eprintln!("file {n} never found");
                        pending.lock().expect("pending").remove(&n);
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };

    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for n in 0..files {
        let word = token(n);
        let line = serde_json::json!({
            "id": format!("drop-{n}"),
            "title": format!("خبر عاجل رقم {n} عن {word}"),
            "body": format!("نص الخبر {n}: ورد ذكر {word} في تقرير جديد عن الأسواق والطقس."),
            "date": "2025-01-01",
        });
        let tmp = folder.join(format!(".drop-{n}.part"));
        std::fs::write(&tmp, format!("{line}\n"))?;
        std::fs::rename(&tmp, folder.join(format!("drop-{n}.jsonl")))?;
        pending.lock().expect("pending").insert(n, Instant::now());
        let wait = next(&mut state) % (2 * gap_ms + 1);
        std::thread::sleep(Duration::from_millis(wait));
    }
    stop.store(true, Ordering::SeqCst);
    checker.join().expect("checker");
    let mut search: Vec<f64> = searchers
        .into_iter()
        .flat_map(|s| s.join().expect("client"))
        .collect();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();

    let mut found = found.lock().expect("found").clone();
    found.sort_by(f64::total_cmp);
    search.sort_by(f64::total_cmp);
    let mut pass_secs = passes.lock().expect("passes").clone();
    pass_secs.sort_by(f64::total_cmp);
    println!(
        "{files} files renamed in (gaps 0..{} ms), {clients} clients searching; seed indexed in {seeded:.1} s",
        2 * gap_ms
    );
    println!(
        "rename → found: p50 {:.2} s, p95 {:.2} s, max {:.2} s ({} of {files} found)",
        percentile(&found, 50.0),
        percentile(&found, 95.0),
        found.last().copied().unwrap_or(0.0),
        found.len()
    );
    println!(
        "searches meanwhile: {} (p50 {:.1} ms, p95 {:.1} ms); {} passes (p50 {:.2} s, p95 {:.2} s)",
        search.len(),
        percentile(&search, 50.0),
        percentile(&search, 95.0),
        pass_secs.len(),
        percentile(&pass_secs, 50.0),
        percentile(&pass_secs, 95.0)
    );
    println!(
        "{}",
        serde_json::json!({
            "files": files, "found": found.len(), "clients": clients,
            "p50_s": percentile(&found, 50.0), "p95_s": percentile(&found, 95.0),
            "max_s": found.last().copied().unwrap_or(0.0),
            "search_p50_ms": percentile(&search, 50.0), "search_p95_ms": percentile(&search, 95.0),
            "passes": pass_secs.len(), "seed_secs": seeded,
        })
    );
    Ok(())
}
