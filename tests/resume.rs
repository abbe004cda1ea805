//! Big files: `akhbar index` killed with SIGKILL inside one large file, then
//! run again. After a kill, search works and the index holds exactly the
//! articles its manifest says were committed (a prefix of the file, no
//! partial article, no duplicate); the next run resumes there when the
//! bytes before that point are unchanged, reads the file from the start
//! when they changed, and ends with exactly the file's articles, each id
//! with its latest content.
//!
//! The slow tests are `#[ignore]`d and run in release by `.ci/run`. Kill
//! points come from a seeded xorshift generator (printed;
//! `AKHBAR_CRASH_SEED=N` replays another) or from polling the committed
//! count with `akhbar stats`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Mutex;
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::{finish, shared_corpora, spawn, stored_titles, Dir, Run, XorShift};

/// Words the generated articles are made of (written for these tests).
const WORDS: &[&str] = &[
    "أعلنت",
    "البلدية",
    "افتتاح",
    "سوق",
    "جديد",
    "للخضار",
    "في",
    "الحي",
    "الغربي",
    "وقال",
    "المسؤول",
    "إن",
    "المشروع",
    "يخدم",
    "آلاف",
    "السكان",
    "ويوفر",
    "فرص",
    "عمل",
    "للشباب",
];

/// A generated article line: id, title, JSON line.
fn article(n: usize, revision: usize) -> (String, String, String) {
    let id = format!("big-{n:06}");
    let title = if revision == 0 {
        format!("سوق الحي رقم {n}")
    } else {
        format!("سوق الحي رقم {n} (تحديث {revision})")
    };
    let body: Vec<&str> = (0..40)
        .map(|k| WORDS[(n * 7 + k * 3) % WORDS.len()])
        .collect();
    let line = json!({"id": id, "title": title, "date": "2024-03-01", "body": body.join(" ")});
    (id, title, format!("{line}\n"))
}

/// The lines of a generated file: `n` articles, and every 997th line a
/// later copy of an earlier id with a new title (the copy must win).
fn lines(n: usize) -> Vec<(String, String, String)> {
    let mut out = Vec::with_capacity(n + n / 997);
    for k in 0..n {
        out.push(article(k, 0));
        if k % 997 == 996 {
            out.push(article(k - 500, k));
        }
    }
    out
}

fn write_lines(path: &Path, lines: &[(String, String, String)]) {
    let mut out = BufWriter::new(fs::File::create(path).expect("create"));
    for (_, _, line) in lines {
        out.write_all(line.as_bytes()).expect("write");
    }
    out.into_inner().expect("flush").sync_all().expect("sync");
}

/// id → title after the first `m` lines (a later line of an id wins).
fn expected(lines: &[(String, String, String)], m: usize) -> BTreeMap<String, String> {
    lines[..m]
        .iter()
        .map(|(id, title, _)| (id.clone(), title.clone()))
        .collect()
}

/// The tests here each load both cores; run them one at a time so that
/// one's timings do not depend on the others.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn seed() -> u64 {
    std::env::var("AKHBAR_CRASH_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0x00AC_4BA2_2026_1201)
        .max(1)
}

/// `akhbar index --json --quiet ARGS`, which must exit 0.
fn index(dir: &Dir, args: &[&str]) -> (Value, f64) {
    let mut all = vec!["index", "--json", "--quiet"];
    all.extend_from_slice(args);
    let started = Instant::now();
    let run = dir.akhbar(&all);
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(run.code, 0, "index {args:?}:\n{}", run.stderr);
    (run.json(), secs)
}

fn count(summary: &Value, key: &str) -> u64 {
    summary[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no {key} in {summary:#}"))
}

/// Articles the committed manifest says a partly read file holds (`None`
/// when no file is partly read).
fn partial_articles(index: &Path) -> Option<u64> {
    let read = |name: &str| -> Option<Value> {
        serde_json::from_str(&fs::read_to_string(index.join(name)).ok()?).ok()
    };
    let mut manifest = read("akhbar.json")?;
    // A kill between tantivy's commit and the manifest's rename: the
    // commit payload names the `.next` manifest's generation.
    let payload = read("meta.json").and_then(|m| m["payload"].as_str().map(str::to_string));
    if let (Some(p), Some(next)) = (payload, read("akhbar.json.next")) {
        if p.ends_with(&format!(":{}", next["generation"])) {
            manifest = next;
        }
    }
    manifest["files"]
        .as_object()?
        .values()
        .find_map(|f| f.get("partial").and_then(|p| p["articles"].as_u64()))
}

/// Committed articles, by `akhbar stats` (None while there is no index).
fn committed(dir: &Dir, index: &str) -> Option<u64> {
    let run = dir.akhbar(&["stats", "--json", "--index", index]);
    (run.code == 0)
        .then(|| run.json()["articles"].as_u64())
        .flatten()
}

/// Kills the run once `akhbar stats` counts at least `at_least` committed
/// articles (or after `limit`); returns the committed count seen and the
/// time until the kill.
fn kill_when_committed(dir: &Dir, child: Child, at_least: u64, limit: Duration) -> (u64, f64) {
    kill_when(dir, child, at_least, Duration::ZERO, limit)
}

/// As [`kill_when_committed`], `then` later.
fn kill_when(
    dir: &Dir,
    mut child: Child,
    at_least: u64,
    then: Duration,
    limit: Duration,
) -> (u64, f64) {
    let started = Instant::now();
    loop {
        let seen = committed(dir, "idx").unwrap_or(0);
        let done = child.try_wait().expect("poll").is_some();
        assert!(
            !done,
            "the run ended before {at_least} articles were committed (saw {seen})"
        );
        if seen >= at_least || started.elapsed() > limit {
            sleep(then);
            assert!(
                child.try_wait().expect("poll").is_none(),
                "the run ended within {} ms after {seen} articles were committed",
                then.as_millis()
            );
            child.kill().expect("SIGKILL");
            let (code, _) = finish(child);
            assert_eq!(code, -1, "not killed by the signal");
            return (seen, started.elapsed().as_secs_f64());
        }
        sleep(Duration::from_millis(100));
    }
}

/// After a kill: search exits 0 and counts what tantivy stores, and the
/// stored articles are exactly the first lines the manifest says were
/// committed. Returns that count.
fn check_committed_prefix(dir: &Dir, lines: &[(String, String, String)], what: &str) -> usize {
    let index = dir.path().join("idx");
    let stored = if index.join("meta.json").exists() {
        stored_titles(&index, what)
    } else {
        BTreeMap::new()
    };
    let run: Run = dir.akhbar(&["search", "--json", "--index", "idx", "--", "سوق"]);
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    if index.join("akhbar.json").exists() && index.join("meta.json").exists() {
        assert_eq!(
            run.code, 0,
            "{what}: search after the kill:\n{}",
            run.stderr
        );
        assert_eq!(
            run.json()["total_hits"].as_u64(),
            Some(stored.len() as u64),
            "{what}: search and the stored articles disagree"
        );
    }
    let m = match partial_articles(&index) {
        Some(m) => m as usize,
        None if stored.is_empty() => 0,
        None => lines.len(),
    };
    assert_eq!(
        stored,
        expected(lines, m),
        "{what}: the index does not hold exactly the first {m} lines"
    );
    m
}

#[test]
#[ignore = "slow in debug; run with --release --ignored (CI does)"]
fn killed_inside_one_big_file_resumes_from_the_last_commit() {
    let _serial = serial();
    // Large enough that a run lasts several seconds on a fast, idle
    // machine (50,000 took 1.2 s there, and a kill meant for the middle
    // of the file landed after its end).
    const ARTICLES: usize = 200_000;
    const POINTS: usize = 3;
    let seed = seed();
    let mut rng = XorShift::new(seed);
    eprintln!("crash test seed: {seed} (set AKHBAR_CRASH_SEED to replay another)");
    let dir = Dir::new();
    fs::create_dir_all(dir.path().join("in")).expect("mkdir");
    let lines = lines(ARTICLES);
    write_lines(&dir.path().join("in/big.jsonl"), &lines);
    let args = [
        "in",
        "--index",
        "idx",
        "--commit-every",
        "2000",
        "--commit-secs",
        "1",
    ];

    let (summary, full_secs) = index(&dir, &args);
    assert_eq!(count(&summary, "articles_added"), lines.len() as u64);
    assert_eq!(count(&summary, "articles_total"), ARTICLES as u64);
    eprintln!(
        "{} lines, full run {full_secs:.1} s, {} commits",
        lines.len(),
        count(&summary, "commits")
    );

    for point in 0..POINTS {
        // Seeded: a committed count to wait for, then a delay that lands
        // anywhere between two commits (they are at most 1 s apart).
        let target =
            (ARTICLES as f64 * (0.1 + 0.6 * (point as f64 + rng.unit()) / POINTS as f64)) as u64;
        let jitter = Duration::from_secs_f64(0.8 * rng.unit());
        let _ = fs::remove_dir_all(dir.path().join("idx"));
        let child = spawn(
            &dir,
            &[
                "index",
                "--quiet",
                "--commit-every",
                "2000",
                "--commit-secs",
                "1",
                "in",
                "--index",
                "idx",
            ],
        );
        let (seen, secs) = kill_when(&dir, child, target, jitter, Duration::from_secs(300));
        let what = format!(
            "kill point {point} ({seen} committed, then {} ms more, {secs:.1} s in)",
            jitter.as_millis()
        );
        let m = check_committed_prefix(&dir, &lines, &what);

        let (summary, secs) = index(&dir, &args);
        eprintln!(
            "{what}: {m} lines committed; next run {secs:.1} s (full run {full_secs:.1} s): {summary}",
            summary = json!({
                "resumed_files": summary["resumed_files"],
                "articles_skipped_as_committed": summary["articles_skipped_as_committed"],
                "articles_added": summary["articles_added"],
                "resumed": summary["resumed"],
            })
        );
        assert_eq!(count(&summary, "articles_total"), ARTICLES as u64, "{what}");
        if m == lines.len() {
            // the run ended before the kill: nothing to resume or add
            eprintln!("{what}: the killed run had finished the file");
            assert_eq!(count(&summary, "resumed_files"), 0, "{what}");
            assert_eq!(count(&summary, "articles_added"), 0, "{what}");
        } else if m > 0 {
            assert_eq!(count(&summary, "resumed_files"), 1, "{what}");
            assert_eq!(
                count(&summary, "articles_skipped_as_committed"),
                m as u64,
                "{what}"
            );
            assert_eq!(
                count(&summary, "articles_added"),
                (lines.len() - m) as u64,
                "{what}"
            );
        }
        let stored = stored_titles(&dir.path().join("idx"), &what);
        assert_eq!(stored, expected(&lines, lines.len()), "{what}: final index");
    }
}

#[test]
#[ignore = "slow in debug; run with --release --ignored (CI does)"]
fn file_changed_after_a_kill_is_read_again_and_matches_a_rebuild() {
    let _serial = serial();
    const ARTICLES: usize = 20_000;
    let original = lines(ARTICLES);
    // (name, change, resumable): edits before the committed point force a
    // read from the start; lines appended leave the prefix as it was.
    let edit = |l: &mut Vec<(String, String, String)>| {
        for k in [3, 50, 1200] {
            l[k] = article(k, 100_000 + k);
        }
    };
    let remove = |l: &mut Vec<(String, String, String)>| {
        l.drain(100..400);
    };
    let append = |l: &mut Vec<(String, String, String)>| {
        for k in 0..500 {
            l.push(article(ARTICLES + k, 0));
        }
        let n = l.len();
        l[n - 2000] = article(7, 7);
    };
    type Change<'a> = &'a dyn Fn(&mut Vec<(String, String, String)>);
    let changes: [(&str, Change, bool); 3] = [
        ("lines edited", &edit, false),
        ("lines removed", &remove, false),
        ("lines appended, one edited after the commit", &append, true),
    ];
    for (what, change, resumable) in changes {
        let dir = Dir::new();
        fs::create_dir_all(dir.path().join("in")).expect("mkdir");
        let path = dir.path().join("in/big.jsonl");
        write_lines(&path, &original);
        let child = spawn(
            &dir,
            &[
                "index",
                "--quiet",
                "--commit-every",
                "1000",
                "in",
                "--index",
                "idx",
            ],
        );
        let (seen, secs) = kill_when_committed(&dir, child, 3000, Duration::from_secs(120));
        let m = check_committed_prefix(&dir, &original, what);
        eprintln!("{what}: killed after {secs:.1} s, {seen} seen committed, {m} in the manifest");
        assert!(
            m >= 3000 && m < original.len() - 2000,
            "{what}: {m} committed"
        );

        let mut changed = original.clone();
        change(&mut changed);
        write_lines(&path, &changed);
        let (summary, _) = index(&dir, &["in", "--index", "idx"]);
        let (_, _) = index(&dir, &["in", "--index", "fresh", "--rebuild"]);
        let resumed = count(&summary, "resumed_files") == 1;
        assert_eq!(resumed, resumable, "{what}: {summary:#}");
        let got = stored_titles(&dir.path().join("idx"), what);
        let fresh = stored_titles(&dir.path().join("fresh"), what);
        assert_eq!(
            got.len(),
            fresh.len(),
            "{what}: counts differ from a rebuild"
        );
        assert!(
            got == fresh,
            "{what}: the index differs from a fresh --rebuild"
        );
        assert_eq!(got, expected(&changed, changed.len()), "{what}");
        assert_eq!(count(&summary, "articles_total"), fresh.len() as u64);
    }
}

/// Concatenates the shared corpora's JSON Lines files into `out`
/// (gzipped when `gzip`); returns the number of non-empty lines.
fn concatenate_shared(out: &Path, gzip: bool) -> Option<u64> {
    let shared = shared_corpora()?;
    let mut inputs: Vec<PathBuf> = common::files_under(&shared)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    inputs.sort();
    let file = fs::File::create(out).expect("create");
    let mut sink: Box<dyn Write> = if gzip {
        Box::new(flate2::write::GzEncoder::new(
            BufWriter::new(file),
            flate2::Compression::fast(),
        ))
    } else {
        Box::new(BufWriter::new(file))
    };
    let mut count = 0;
    for input in &inputs {
        for line in BufReader::new(fs::File::open(input).expect("open")).lines() {
            let line = line.expect("read");
            if line.trim().is_empty() {
                continue;
            }
            sink.write_all(line.as_bytes()).expect("write");
            sink.write_all(b"\n").expect("write");
            count += 1;
        }
    }
    sink.flush().expect("flush");
    drop(sink);
    Some(count)
}

/// One file of the shared corpora, killed once at least `fraction` of its
/// articles are committed, then resumed: every article ends up indexed
/// once, and the resumed run reads only what was not committed.
fn kill_and_resume_shared(gzip: bool, fraction: f64, with_full_run: bool) {
    let _serial = serial();
    let dir = Dir::new();
    fs::create_dir_all(dir.path().join("in")).expect("mkdir");
    let name = if gzip {
        "in/all.jsonl.gz"
    } else {
        "in/all.jsonl"
    };
    let path = dir.path().join(name);
    let Some(lines) = concatenate_shared(&path, gzip) else {
        return;
    };
    let size = fs::metadata(&path).expect("stat").len();
    eprintln!("{name}: {lines} articles, {:.1} MB", size as f64 / 1e6);
    let full_secs = with_full_run.then(|| {
        let (summary, secs) = index(&dir, &["in", "--index", "full"]);
        assert_eq!(count(&summary, "articles_total"), lines);
        secs
    });
    let child = spawn(&dir, &["index", "--quiet", "in", "--index", "idx"]);
    let target = (lines as f64 * fraction) as u64;
    let (seen, killed_after) = kill_when_committed(&dir, child, target, Duration::from_secs(600));
    let m = partial_articles(&dir.path().join("idx")).unwrap_or(0);
    assert!(
        seen >= target && m >= seen,
        "{name}: {seen} committed by stats, {m} by the manifest"
    );
    let (summary, secs) = index(&dir, &["in", "--index", "idx"]);
    eprintln!(
        "{name}: killed after {killed_after:.1} s with {m} of {lines} articles committed \
         ({:.0}%); the next run took {secs:.1} s{}; {}",
        100.0 * m as f64 / lines as f64,
        full_secs.map_or(String::new(), |f| format!(" (a full run {f:.1} s)")),
        json!({"resumed": summary["resumed"], "articles_added": summary["articles_added"]})
    );
    assert_eq!(count(&summary, "resumed_files"), 1);
    assert_eq!(count(&summary, "articles_skipped_as_committed"), m);
    assert_eq!(count(&summary, "articles_added"), lines - m);
    assert_eq!(
        count(&summary, "articles_total"),
        lines,
        "final count = lines"
    );
    assert_eq!(committed(&dir, "idx"), Some(lines));
}

#[test]
#[ignore = "slow (the shared corpora as one gzipped file); run with --release --ignored (CI does)"]
fn gzipped_shared_corpora_killed_and_resumed() {
    kill_and_resume_shared(true, 0.3, false);
}

#[test]
#[ignore = "slow (the shared corpora as one 238 MB file); run with --release --ignored (CI does)"]
fn shared_corpora_as_one_file_killed_at_sixty_percent_and_resumed() {
    kill_and_resume_shared(false, 0.5, true);
}

/// A reporter that asks the run to stop once `after` steps were reported.
struct StopAfter {
    steps: usize,
    after: usize,
}

impl akhbar::index::Reporter for StopAfter {
    fn start(&mut self, _files: usize, _bytes: u64) {}
    fn advance(&mut self, _bytes: u64, _articles: usize) {
        self.steps += 1;
    }
    fn problem(&mut self, path: &Path, problem: &akhbar::corpus::Problem) {
        panic!("{}: {}", path.display(), problem.reason);
    }
    fn finish(&mut self) {}
    fn stop_requested(&mut self) -> bool {
        self.steps >= self.after
    }
}

/// A run the caller stops (as the Python package's Ctrl-C does) ends with
/// `Stopped`, keeps a committed prefix the index opens and searches, and
/// the next run goes on to exactly the file's articles.
#[test]
fn run_stopped_by_its_reporter_keeps_a_committed_prefix_and_the_next_run_finishes() {
    use akhbar::index::{build, open_existing, IndexError, IndexOptions};
    let dir = Dir::new();
    let file = dir.path().join("big.jsonl");
    let lines = lines(3_000);
    write_lines(&file, &lines);
    let options = IndexOptions {
        roots: vec![file.clone()],
        index_dir: dir.path().join("idx"),
        commit_every: 500,
        threads: 1,
        ..IndexOptions::default()
    };
    let mut reporter = StopAfter { steps: 0, after: 3 };
    let stopped = build(&options, &mut reporter);
    assert!(
        matches!(stopped, Err(IndexError::Stopped(_))),
        "the run did not stop: {stopped:?}"
    );
    assert!(
        stopped
            .err()
            .is_some_and(|e| e.to_string().contains("run `akhbar index` again")),
        "the message does not say how to finish"
    );
    let m = check_committed_prefix(&dir, &lines, "stopped run");
    assert!(
        m > 0 && m < lines.len(),
        "committed {m} of {} lines",
        lines.len()
    );
    assert!(
        open_existing(&options.index_dir).is_ok(),
        "the stopped index does not open"
    );
    let mut quiet = StopAfter {
        steps: 0,
        after: usize::MAX,
    };
    let summary = build(&options, &mut quiet).expect("the next run finishes");
    assert_eq!(summary.resumed_files, 1, "{summary:?}");
    assert_eq!(
        stored_titles(&options.index_dir, "after the next run"),
        expected(&lines, lines.len())
    );
}
