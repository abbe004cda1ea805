//! Output of `akhbar index`: the closing summary as text or JSON, and the
//! progress bar shown on a terminal.
//!
//! JSON schema: the fields of [`Summary`], one object:
//! `files_seen, files_indexed, files_unchanged, files_skipped,
//! files_deleted, files_unsupported {extension: files}, articles_added,
//! articles_updated, articles_deleted, articles_unchanged, articles_kept,
//! resumed_files, articles_skipped_as_committed,
//! resumed [{path, line, byte, articles}], records_skipped, empty_bodies,
//! unparsed_dates, windows_1256_files, skipped [string], chars_indexed,
//! chars_left_out, chars_left_out_by_reason {reason: chars}, pages_noted,
//! notes [string], commits, bytes,
//! elapsed_secs, articles_per_sec, mb_per_sec, articles_total`.

use std::io::{self, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use crate::corpus::left_out_share as share;
use crate::corpus::unsupported_note;
use crate::corpus::Problem;
use crate::corpus::{Format, Position};
use crate::index::{Reporter, Summary};

/// Prints the summary as JSON.
pub fn print_index_json<W: Write>(out: &mut W, summary: &Summary) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, summary)?;
    writeln!(out)
}

/// Prints the summary as a few readable lines.
pub fn print_index_text<W: Write>(out: &mut W, s: &Summary) -> io::Result<()> {
    writeln!(
        out,
        "files: {} seen, {} indexed, {} unchanged, {} deleted, {} skipped",
        s.files_seen, s.files_indexed, s.files_unchanged, s.files_deleted, s.files_skipped
    )?;
    writeln!(
        out,
        "articles: {} added, {} updated, {} deleted, {} unchanged; {} in the index",
        s.articles_added,
        s.articles_updated,
        s.articles_deleted,
        s.articles_unchanged + s.articles_kept,
        s.articles_total
    )?;
    if let Some(note) = unsupported_note(&s.files_unsupported) {
        writeln!(out, "{note}")?;
    }
    if s.records_skipped > 0 || s.empty_bodies > 0 || s.unparsed_dates > 0 || s.pages_noted > 0 {
        let pages = if s.pages_noted > 0 {
            format!(", {} web pages noted", s.pages_noted)
        } else {
            String::new()
        };
        writeln!(
            out,
            "notes: {} lines skipped, {} empty bodies, {} dates kept as text{pages}",
            s.records_skipped, s.empty_bodies, s.unparsed_dates
        )?;
    }
    if s.chars_left_out > 0 {
        let reasons: Vec<String> = s
            .chars_left_out_by_reason
            .iter()
            .map(|(reason, chars)| format!("{} {chars}", reason.describe()))
            .collect();
        writeln!(
            out,
            "text: {} characters indexed, {} left out ({:.1}%: {})",
            s.chars_indexed,
            s.chars_left_out,
            share(s.chars_indexed, s.chars_left_out) * 100.0,
            reasons.join(", ")
        )?;
    }
    for r in &s.resumed {
        writeln!(
            out,
            "resumed: {} at {} {} ({} articles already committed)",
            r.path,
            unit(Path::new(&r.path)),
            r.line,
            r.articles
        )?;
    }
    if s.windows_1256_files > 0 {
        writeln!(
            out,
            "encoding: {} files decoded from Windows-1256",
            s.windows_1256_files
        )?;
    }
    writeln!(
        out,
        "read {:.1} MiB in {:.2} s: {:.0} articles/s, {:.1} MiB/s",
        s.bytes as f64 / 1_048_576.0,
        s.elapsed_secs,
        s.articles_per_sec,
        s.mb_per_sec
    )
}

/// Reports problems on stderr as they happen, with a progress bar when
/// stderr is a terminal.
pub struct StderrReporter {
    bar: Option<ProgressBar>,
    resumes: bool,
}

impl StderrReporter {
    /// A reporter; `progress` shows the bar (callers pass false when stderr
    /// is not a terminal or with `--quiet`).
    pub fn new(progress: bool) -> Self {
        let bar = progress.then(|| {
            let bar = ProgressBar::new(0);
            let style = ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        StderrReporter {
            bar,
            resumes: false,
        }
    }

    /// Also prints a line for each file resumed where a killed run
    /// stopped (notes about text left out are always printed).
    pub fn with_resumes(mut self, resumes: bool) -> Self {
        self.resumes = resumes;
        self
    }

    fn line(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }
}

impl Reporter for StderrReporter {
    fn start(&mut self, _files: usize, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(bytes);
        }
    }

    fn resumed(&mut self, path: &Path, at: &Position) {
        if self.resumes {
            self.line(format!(
                "akhbar: resuming {} at {} {} ({} articles already committed)",
                path.display(),
                unit(path),
                at.line,
                at.articles
            ));
        }
    }

    fn advance(&mut self, bytes: u64, articles: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            bar.set_message(format!("{articles} articles"));
        }
    }

    fn problem(&mut self, path: &Path, problem: &Problem) {
        let line = match problem.line {
            Some(l) => format!("akhbar: skipped {}:{l}: {}", path.display(), problem.reason),
            None => format!("akhbar: skipped {}: {}", path.display(), problem.reason),
        };
        self.line(line);
    }

    fn note(&mut self, path: &Path, note: &str) {
        self.line(format!("akhbar: note: {}: {note}", path.display()));
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// What a resume point counts in a file: rows of a Parquet file (whose
/// resume points are row group ends), lines of the others.
fn unit(path: &Path) -> &'static str {
    if Format::of(path) == Some(Format::Parquet) {
        "row"
    } else {
        "line"
    }
}
