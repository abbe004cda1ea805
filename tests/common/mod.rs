//! Helpers shared by the end-to-end tests: run the `akhbar` binary in a
//! temporary folder and look at what it printed.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

    /// Runs `akhbar ARGS` in this folder.
    pub fn akhbar(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .args(args)
            .current_dir(self.path())
            .env_remove("AKHBAR_INDEX")
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

/// The shared real corpora, when present.
pub fn shared_corpora() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipped: ../shared/corpora is absent");
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
