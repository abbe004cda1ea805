//! `akhbar index --watch` end to end (issue 31): real processes, real
//! files, a real file system's events. Files renamed into place, written
//! in place, appended to, edited and deleted are found (or gone) by the
//! next searches; a half-written file is never indexed half; a folder that
//! disappears is reported and watched again; a watcher killed with SIGKILL
//! ten times while a thousand files come and go leaves the index holding
//! exactly the files' current articles.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::{stored_docs, stored_titles, Dir, XorShift};

/// Long enough for a debug build on a busy two-core machine.
const WAIT: Duration = Duration::from_secs(60);

/// A running `akhbar index --watch`.
struct Watcher {
    child: Option<Child>,
    stderr: Arc<Mutex<String>>,
    passes: Arc<Mutex<Vec<Value>>>,
}

impl Watcher {
    /// Starts `akhbar index --watch --json FOLDERS… --index idx` in `dir`.
    fn start(dir: &Dir, folders: &[&str], extra: &[&str]) -> Watcher {
        let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .args(["index", "--watch", "--json", "--index", "idx"])
            .args(["--settle", "0.4", "--rescan", "60"])
            .args(extra)
            .args(folders)
            .current_dir(dir.path())
            .env_remove("AKHBAR_INDEX")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start akhbar index --watch");
        let stderr = Arc::new(Mutex::new(String::new()));
        let passes = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut s = sink.lock().expect("log");
                s.push_str(&line);
                s.push('\n');
            }
        });
        let sink = Arc::clone(&passes);
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let pass: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("a pass line is not JSON ({e}): {line}"));
                sink.lock().expect("passes").push(pass);
            }
        });
        Watcher {
            child: Some(child),
            stderr,
            passes,
        }
    }

    fn log(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// SIGKILL: no chance to finish anything.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, then the exit code.
    fn stop(&mut self) -> i32 {
        let Some(mut child) = self.child.take() else {
            return -1;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < WAIT {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        -1
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The ids of the articles a search finds (`--no-collapse`, every hit).
fn found(dir: &Dir, query: &str) -> Vec<String> {
    let run = dir.akhbar(&[
        "search",
        query,
        "--index",
        "idx",
        "--all",
        "--format",
        "jsonl",
        "--no-collapse",
    ]);
    if run.code != 0 {
        // The index is not made yet: nothing found.
        return Vec::new();
    }
    run.stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            v["id"].as_str().expect("id").to_string()
        })
        .collect()
}

/// Polls until `done` holds for the ids `query` finds, or fails with `what`.
fn wait_until(
    dir: &Dir,
    watcher: &Watcher,
    query: &str,
    what: &str,
    done: impl Fn(&[String]) -> bool,
) {
    let started = Instant::now();
    loop {
        let ids = found(dir, query);
        if done(&ids) {
            return;
        }
        assert!(
            started.elapsed() < WAIT,
            "{what}: still {ids:?} for {query:?} after {WAIT:?}\n{}",
            watcher.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Writes `text` to `path` the way feeders are asked to: a hidden name in
/// the same folder, then a rename into place.
fn drop_file(path: &Path, text: &str) {
    let name = path.file_name().expect("name").to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.part"));
    fs::write(&tmp, text).expect("write temp");
    fs::rename(&tmp, path).expect("rename into place");
}

fn article(id: &str, title: &str, body: &str) -> String {
    format!(
        "{}\n",
        json!({"id": id, "title": title, "body": body, "date": "2024-05-01"})
    )
}

#[test]
fn files_renamed_in_edited_appended_and_deleted_are_followed() {
    let dir = Dir::new();
    dir.write(
        "feed/first.jsonl",
        article("w-1", "أول خبر عن الرمان", "موسم الرمان بدأ"),
    );
    let mut watcher = Watcher::start(&dir, &["feed"], &[]);
    wait_until(&dir, &watcher, "الرمان", "first pass", |ids| {
        ids == ["w-1"]
    });

    // Renamed into place.
    drop_file(
        &dir.path().join("feed/second.jsonl"),
        &article("w-2", "خبر عن الرمان والعنب", "العنب أيضاً"),
    );
    wait_until(&dir, &watcher, "العنب", "renamed in", |ids| {
        ids == ["w-2"]
    });

    // Appended to: the new line is read from where the file ended.
    let grown = dir.path().join("feed/first.jsonl");
    let mut text = fs::read_to_string(&grown).expect("read");
    text.push_str(&article("w-3", "سطر جديد عن المشمش", "المشمش وصل"));
    fs::write(&grown, text).expect("append");
    wait_until(&dir, &watcher, "المشمش", "appended", |ids| {
        ids == ["w-3"]
    });
    // The pass's line comes after its commit, which searches may see
    // first: wait for the line.
    let said = Instant::now();
    let appended = loop {
        let seen = watcher
            .passes
            .lock()
            .expect("passes")
            .iter()
            .any(|p| p["files_appended"] == 1 && p["articles_added"] == 1);
        if seen || said.elapsed() > Duration::from_secs(10) {
            break seen;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        appended,
        "the grown file was read on, not again: {:?}",
        watcher.passes
    );

    // Edited in place: the new title replaces the old.
    fs::write(
        dir.path().join("feed/second.jsonl"),
        article("w-2", "خبر معدل عن التين", "التين الآن"),
    )
    .expect("edit");
    wait_until(&dir, &watcher, "التين", "edited", |ids| ids == ["w-2"]);
    wait_until(
        &dir,
        &watcher,
        "العنب",
        "old words gone",
        <[String]>::is_empty,
    );

    // Deleted.
    fs::remove_file(dir.path().join("feed/second.jsonl")).expect("delete");
    wait_until(&dir, &watcher, "التين", "deleted", <[String]>::is_empty);
    assert_eq!(found(&dir, "الرمان"), ["w-1"]);

    // The status, and a clean stop.
    let stats = dir.akhbar(&["stats", "--index", "idx", "--json"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    let stats = stats.json();
    assert_eq!(stats["watch"]["running"], true, "{stats:#}");
    assert!(stats["last_indexed"].is_string(), "{stats:#}");
    assert_eq!(watcher.stop(), 0, "{}", watcher.log());
    let stats = dir.akhbar(&["stats", "--index", "idx", "--json"]).json();
    assert_eq!(stats["watch"]["running"], false, "{stats:#}");
}

/// The word only the first half of the slow file holds, and the one its
/// end adds.
const HALF: &str = "البداية";
const END: &str = "الخاتمة";

#[test]
fn a_file_written_slowly_in_place_is_never_indexed_half() {
    let dir = Dir::new();
    dir.write("feed/other.jsonl", article("o-1", "خبر آخر", "نص"));
    let watcher = Watcher::start(&dir, &["feed"], &[]);
    wait_until(&dir, &watcher, "خبر", "first pass", |ids| ids == ["o-1"]);
    // A text page written in pieces, each under the settle time apart,
    // while searches look for its first half.
    let path = dir.path().join("feed/slow.txt");
    let pieces = [
        format!("عنوان الصفحة البطيئة\n{HALF} فقرة أولى عن القمح.\n"),
        "فقرة ثانية عن الشعير.\n".to_string(),
        "فقرة ثالثة عن الذرة.\n".to_string(),
        format!("{END} فقرة أخيرة.\n"),
    ];
    let writer = std::thread::spawn(move || {
        let mut file = fs::File::create(&path).expect("create");
        for _ in 0..3 {
            for piece in &pieces {
                std::io::Write::write_all(&mut file, piece.as_bytes()).expect("write");
                std::io::Write::flush(&mut file).expect("flush");
                std::thread::sleep(Duration::from_millis(150));
            }
        }
        file
    });
    let mut looks = 0;
    while !writer.is_finished() {
        let half: Vec<String> = found(&dir, HALF);
        assert!(half.is_empty(), "indexed half: {half:?}\n{}", watcher.log());
        looks += 1;
    }
    assert!(
        looks > 1,
        "the searches did not look while the file was written"
    );
    let file = writer.join().expect("writer");
    drop(file);
    wait_until(
        &dir,
        &watcher,
        &format!("{HALF} {END}"),
        "whole file",
        |ids| ids.len() == 1,
    );
    let log = watcher.log();
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn a_folder_that_disappears_is_reported_and_watched_again() {
    let dir = Dir::new();
    dir.write("a/one.jsonl", article("a-1", "خبر المجلد الأول", "الكرز"));
    dir.write("b/two.jsonl", article("b-1", "خبر المجلد الثاني", "الخوخ"));
    let mut watcher = Watcher::start(&dir, &["a", "b"], &[]);
    wait_until(
        &dir,
        &watcher,
        "الكرز OR الخوخ",
        "first pass",
        |ids| ids.len() == 2,
    );
    fs::rename(dir.path().join("b"), dir.path().join("b-away")).expect("move away");
    let started = Instant::now();
    while !watcher.log().contains("b: ") && started.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(watcher.log().contains("problem:"), "{}", watcher.log());
    assert!(watcher.alive(), "the watcher stopped: {}", watcher.log());
    // The other folder is still followed; the gone one's articles stay.
    drop_file(
        &dir.path().join("a/three.jsonl"),
        &article("a-3", "خبر جديد", "الليمون"),
    );
    wait_until(&dir, &watcher, "الليمون", "other folder", |ids| {
        ids == ["a-3"]
    });
    assert_eq!(
        found(&dir, "الخوخ"),
        ["b-1"],
        "a missing folder loses nothing"
    );
    let stats = dir.akhbar(&["stats", "--index", "idx", "--json"]).json();
    let problems = stats["watch"]["problems"]
        .as_array()
        .expect("problems")
        .clone();
    assert!(!problems.is_empty(), "{stats:#}");
    // Back, with one file changed: watched again and read.
    fs::rename(dir.path().join("b-away"), dir.path().join("b")).expect("move back");
    drop_file(
        &dir.path().join("b/four.jsonl"),
        &article("b-4", "عاد المجلد", "الموز"),
    );
    wait_until(&dir, &watcher, "الموز", "folder back", |ids| {
        ids == ["b-4"]
    });
    assert!(watcher.log().contains("watched again"), "{}", watcher.log());
    assert!(watcher.alive());
}

// ---------------------------------------------------------------------------
// A thousand files, ten SIGKILLs
// ---------------------------------------------------------------------------

/// What the folder holds now: id → (title, body).
type Truth = BTreeMap<String, (String, String)>;

/// The closing words every complete body ends with.
const COMPLETE: &str = "نهاية الخبر";

fn body_of(id: &str, version: u32) -> String {
    format!("نص الخبر {id} في نسخته {version} عن الحصاد والمطر والأسواق. {COMPLETE}")
}

/// One change to the folder: a new file (renamed into place, or written
/// in place in two pieces), an edit, or a delete.
fn change(root: &Path, truth: &mut Truth, files: &mut Vec<PathBuf>, rng: &mut XorShift, n: usize) {
    let roll = rng.below(10);
    if files.is_empty() || roll < 6 {
        let id = format!("k-{n:04}");
        let path = root.join(format!("d{}/{id}.jsonl", n % 7));
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let title = format!("عنوان {id} الأول");
        let body = body_of(&id, 1);
        let text = format!("{}\n", json!({"id": id, "title": title, "body": body}));
        if roll.is_multiple_of(2) {
            drop_file(&path, &text);
        } else {
            // In place, in two pieces: never read half (the first is not
            // even a whole JSON line).
            let mut cut = text.len() / 2;
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            let (a, b) = text.split_at(cut);
            fs::write(&path, a).expect("first piece");
            std::thread::sleep(Duration::from_millis(20));
            let mut all = a.to_string();
            all.push_str(b);
            fs::write(&path, all).expect("second piece");
        }
        truth.insert(id, (title, body));
        files.push(path);
    } else if roll < 8 {
        let path = &files[rng.below(files.len())];
        let id = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        let version = 2 + rng.below(100) as u32;
        let title = format!("عنوان {id} المعدل {version}");
        let body = body_of(&id, version);
        drop_file(
            path,
            &format!("{}\n", json!({"id": id, "title": title, "body": body})),
        );
        truth.insert(id, (title, body));
    } else {
        let path = files.swap_remove(rng.below(files.len()));
        let id = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        fs::remove_file(&path).expect("delete");
        truth.remove(&id);
    }
}

#[test]
fn a_thousand_changes_and_ten_kills_leave_exactly_the_files_articles() {
    let dir = Dir::new();
    let root = dir.path().join("feed");
    fs::create_dir_all(&root).expect("mkdir");
    let mut rng = XorShift::new(31);
    let mut truth = Truth::new();
    let mut files = Vec::new();
    let mut watcher = Watcher::start(&dir, &["feed"], &[]);
    let kills = 10;
    let changes = 1000;
    let started = Instant::now();
    for n in 0..changes {
        change(&root, &mut truth, &mut files, &mut rng, n);
        if rng.below(4) == 0 {
            std::thread::sleep(Duration::from_millis(rng.below(30) as u64));
        }
        if (n + 1).is_multiple_of(changes / kills) {
            // SIGKILL at a random moment of whatever it is doing.
            std::thread::sleep(Duration::from_millis(rng.below(400) as u64));
            watcher.kill();
            watcher = Watcher::start(&dir, &["feed"], &[]);
        }
    }
    // Settle: the watcher catches up, then the index must hold exactly
    // the folder's articles.
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut last = BTreeMap::new();
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        if !dir.path().join("idx/akhbar.json").exists() {
            continue;
        }
        let status: Value = fs::read_to_string(dir.path().join("idx/akhbar-watch.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        if status["queued"] != 0 {
            continue;
        }
        last = stored_titles(&dir.path().join("idx"), "after the kills");
        let want: BTreeMap<String, String> = truth
            .iter()
            .map(|(id, (t, _))| (id.clone(), t.clone()))
            .collect();
        if last == want {
            break;
        }
    }
    let want: BTreeMap<String, String> = truth
        .iter()
        .map(|(id, (t, _))| (id.clone(), t.clone()))
        .collect();
    let missing: Vec<&String> = want.keys().filter(|k| !last.contains_key(*k)).collect();
    let extra: Vec<&String> = last.keys().filter(|k| !want.contains_key(*k)).collect();
    let stale: Vec<&String> = want
        .iter()
        .filter(|(k, t)| last.get(*k).is_some_and(|got| got != *t))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && stale.is_empty(),
        "after {changes} changes and {kills} kills ({:.0} s): {} articles on disk, {} indexed; \
         missing {:?}, extra {:?}, stale {:?}\n{}",
        started.elapsed().as_secs_f64(),
        want.len(),
        last.len(),
        &missing[..missing.len().min(10)],
        &extra[..extra.len().min(10)],
        &stale[..stale.len().min(10)],
        watcher.log()
    );
    // Every body whole: nothing was ever read half.
    for doc in stored_docs(&dir.path().join("idx")) {
        let id = doc["id"].as_str().expect("id");
        let body = doc.get("body").and_then(Value::as_str).unwrap_or_default();
        assert_eq!(body, truth[id].1, "{id}: the body as indexed");
    }
    eprintln!(
        "{changes} changes, {kills} SIGKILLs, settled with {} articles in {:.0} s",
        want.len(),
        started.elapsed().as_secs_f64()
    );
}
