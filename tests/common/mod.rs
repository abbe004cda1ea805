//! Helpers shared by the end-to-end tests: run the `akhbar` binary in a
//! temporary folder and look at what it printed.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use tempfile::TempDir;

/// A temporary working folder for one test.
pub struct Dir {
    /// Keeps the folder alive.
    pub tmp: TempDir,
}

/// What one run of the binary produced.
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Parses stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// The ids of the hits of a successful `search --json`, in order.
    pub fn hit_ids(&self) -> Vec<String> {
        assert_eq!(self.code, 0, "{}", self.stderr);
        ids_in(&self.json()["hits"])
    }
}

/// The `id` of every object of a JSON array (a search's `hits`, a hit's
/// `duplicates`), in order.
pub fn ids_in(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

impl Dir {
    /// A new empty folder.
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes a file (creating parent folders) and returns its path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent");
        }
        fs::write(&path, bytes).expect("write file");
        path
    }

    /// Runs `akhbar ARGS` in this folder with `input` on standard input.
    pub fn akhbar_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .args(args)
            .current_dir(self.path())
            .env_remove("AKHBAR_INDEX")
            .env_remove("AKHBAR_SOURCES")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn akhbar");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        Run::from(child.wait_with_output().expect("wait for akhbar"))
    }

    /// Runs `akhbar ARGS` in this folder.
    pub fn akhbar(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .args(args)
            .current_dir(self.path())
            .env_remove("AKHBAR_INDEX")
            .env_remove("AKHBAR_SOURCES")
            .env("NO_COLOR", "1")
            .output()
            .expect("run akhbar");
        Run::from(output)
    }
}

/// The project's bundled sample corpus.
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The bundled corpus indexed once per test binary (in the cargo test
/// temporary folder, named after `name` and the process).
pub fn sample_index(name: &str) -> &'static PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-index-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let run = Dir::new().akhbar(&[
            "index",
            "--quiet",
            "--index",
            dir.to_str().expect("utf8"),
            sample_corpus().to_str().expect("utf8"),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        dir
    })
}

/// Says that the running test could not run, and why, where the user
/// looks: on the process's stderr, which the test harness does not
/// capture (it hides `eprintln!` of a passing test).
pub fn skipped(why: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
}

/// The shared real corpora, when present.
pub fn shared_corpora() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if path.is_dir() {
        Some(path)
    } else {
        skipped("../shared/corpora is absent");
        None
    }
}

/// Copies the sample corpus into `dir/corpus` and returns that path.
pub fn copy_sample_corpus(dir: &Dir) -> PathBuf {
    let target = dir.path().join("corpus");
    copy_tree(&sample_corpus(), &target);
    target
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

impl Dir {
    /// Runs `akhbar ARGS` in this folder with extra environment variables
    /// (for instance `AKHBAR_INDEX`).
    pub fn akhbar_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_akhbar"));
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("AKHBAR_INDEX")
            .env_remove("AKHBAR_SOURCES")
            .env("NO_COLOR", "1");
        for (key, value) in env {
            command.env(key, value);
        }
        Run::from(command.output().expect("run akhbar"))
    }
}

/// Every article stored in the index folder `index`, read with tantivy
/// directly (no akhbar code): one JSON object per document, mapping each
/// stored field to its first value, in index order.
pub fn stored_docs(index: &Path) -> Vec<serde_json::Map<String, serde_json::Value>> {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::AllQuery;
    use tantivy::{Document, TantivyDocument};

    let index = tantivy::Index::open_in_dir(index).expect("open the index with tantivy");
    let schema = index.schema();
    let searcher = index.reader().expect("index reader").searcher();
    let mut addresses: Vec<_> = searcher
        .search(&AllQuery, &DocSetCollector)
        .expect("list documents")
        .into_iter()
        .collect();
    addresses.sort();
    addresses
        .into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address).expect("stored document");
            let json: serde_json::Value =
                serde_json::from_str(&doc.to_json(&schema)).expect("document as JSON");
            let serde_json::Value::Object(fields) = json else {
                panic!("document is not a JSON object: {json}");
            };
            fields
                .into_iter()
                .map(|(name, values)| match values {
                    serde_json::Value::Array(mut items) if !items.is_empty() => {
                        (name, items.swap_remove(0))
                    }
                    other => (name, other),
                })
                .collect()
        })
        .collect()
}

/// Every file under `root`, sorted.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Starts `akhbar ARGS` in `dir` without waiting for it; stdout is thrown
/// away, stderr kept for `wait_with_output`.
pub fn spawn(dir: &Dir, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("AKHBAR_INDEX")
        .env_remove("AKHBAR_SOURCES")
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start akhbar")
}

/// Waits for a child started by [`spawn`]; returns its exit code and stderr.
pub fn finish(child: Child) -> (i32, String) {
    let out = child.wait_with_output().expect("wait for akhbar");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every stored article as id → title, read with tantivy; fails on an id
/// stored twice.
pub fn stored_titles(index: &Path, what: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut doubled = Vec::new();
    for doc in stored_docs(index) {
        let id = doc["id"].as_str().expect("stored id").to_string();
        let title = doc
            .get("title")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string();
        if out.insert(id.clone(), title).is_some() {
            doubled.push(id);
        }
    }
    assert!(
        doubled.is_empty(),
        "{what}: {} ids stored more than once, e.g. {:?}",
        doubled.len(),
        &doubled[..doubled.len().min(10)]
    );
    out
}

/// A tiny xorshift64 generator: reproducible kill points without a crate.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> XorShift {
        XorShift(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A folder whose `corpus/news.jsonl` holds one article per `(id, body)`
/// (no title, the keyword `zztest`), indexed into `index/`.
pub fn indexed_bodies(articles: &[(&str, &str)]) -> Dir {
    let dir = Dir::new();
    let text: String = articles
        .iter()
        .map(|(id, body)| {
            serde_json::json!({"id": id, "title": "", "body": body, "keywords": "zztest"})
                .to_string()
                + "\n"
        })
        .collect();
    dir.write("corpus/news.jsonl", text);
    let run = dir.akhbar(&["index", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

/// Asserts, for each `(name, must find, must not find)` case, which article
/// ids `entity_ids(name)` (an `--entity` search) returns.
pub fn assert_entity_cases(
    cases: &[(&str, &[&str], &[&str])],
    entity_ids: impl Fn(&str) -> Vec<String>,
) {
    for (name, found, not_found) in cases {
        let got = entity_ids(name);
        for id in *found {
            assert!(
                got.iter().any(|g| g == id),
                "--entity {name}: {id} missing in {got:?}"
            );
        }
        for id in *not_found {
            assert!(
                !got.iter().any(|g| g == id),
                "--entity {name}: {id} wrongly in {got:?}"
            );
        }
    }
}
