//! Output of a watcher (`akhbar index --watch`, `akhbar serve --watch`):
//! one line per pass that changed something, and the problems it retries.
//!
//! Text, on stderr: `akhbar: watch: 2 files indexed, 1 deleted: +5 articles,
//! 3 updated, 1 deleted (0.21 s); 0 queued`. With `--json`, one JSON object a
//! line on stdout per pass: the fields of the index summary (see
//! `output/index.rs`) plus `queued` (files still waiting) and `at` (RFC
//! 3339). Problems are always text on stderr: `akhbar: watch: …`.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::index::StderrReporter;
use crate::corpus::{Position, Problem};
use crate::index::{Reporter, Summary, WatchReporter};

/// A watcher's reporter: per-file problems and notes as `akhbar index`
/// prints them, and a line per pass.
pub struct WatchLog {
    inner: StderrReporter,
    json: bool,
}

#[derive(Serialize)]
struct PassLine<'a> {
    at: String,
    queued: usize,
    #[serde(flatten)]
    summary: &'a Summary,
}

impl WatchLog {
    /// A reporter printing each pass as text (stderr) or a JSON line
    /// (stdout).
    pub fn new(json: bool) -> Self {
        WatchLog {
            inner: StderrReporter::new(false).with_resumes(true),
            json,
        }
    }
}

/// Writes one pass as a JSON line.
///
/// # Errors
/// Writing fails.
pub fn print_pass_json<W: Write>(out: &mut W, summary: &Summary, queued: usize) -> io::Result<()> {
    let line = PassLine {
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        queued,
        summary,
    };
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)?;
    out.flush()
}

/// One pass as a line of text.
pub fn pass_text(s: &Summary, queued: usize) -> String {
    let mut files = vec![format!("{} files indexed", s.files_indexed)];
    if s.files_deleted > 0 {
        files.push(format!("{} deleted", s.files_deleted));
    }
    if s.files_skipped > 0 {
        files.push(format!("{} skipped", s.files_skipped));
    }
    if s.files_held > 0 {
        files.push(format!("{} still being written", s.files_held));
    }
    format!(
        "akhbar: watch: {}: +{} articles, {} updated, {} deleted ({:.2} s); {queued} queued; {} in the index",
        files.join(", "),
        s.articles_added,
        s.articles_updated,
        s.articles_deleted,
        s.elapsed_secs,
        s.articles_total
    )
}

impl Reporter for WatchLog {
    fn start(&mut self, files: usize, bytes: u64) {
        self.inner.start(files, bytes);
    }

    fn advance(&mut self, bytes: u64, articles: usize) {
        self.inner.advance(bytes, articles);
    }

    fn resumed(&mut self, path: &Path, at: &Position) {
        self.inner.resumed(path, at);
    }

    fn problem(&mut self, path: &Path, problem: &Problem) {
        self.inner.problem(path, problem);
    }

    fn note(&mut self, path: &Path, note: &str) {
        self.inner.note(path, note);
    }

    fn finish(&mut self) {}
}

impl WatchReporter for WatchLog {
    fn pass(&mut self, summary: &Summary, queued: usize) {
        if self.json {
            // A reader that went away is no reason to stop indexing.
            let _ = print_pass_json(&mut io::stdout().lock(), summary, queued);
        } else {
            eprintln!("{}", pass_text(summary, queued));
        }
    }

    fn watch_problem(&mut self, text: &str, solved: bool) {
        let lead = if solved { "" } else { "problem: " };
        eprintln!("akhbar: watch: {lead}{text}");
    }
}
