//! Index: what an indexing run reports — the closing [`Summary`] (also
//! `akhbar index --json`), the files resumed where a killed run stopped,
//! and the [`Reporter`] that hears of progress, problems and notes while
//! the run goes on.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::corpus::Position;
use crate::corpus::Problem;
use crate::corpus::{left_out_note, Reason, Tally};

/// A file this run went on with where a killed run stopped.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Resumed {
    /// The file.
    pub path: String,
    /// The line the run went on from.
    pub line: u64,
    /// The byte (of the gunzipped stream) it went on from.
    pub byte: u64,
    /// Articles already committed before that point, not read again.
    pub articles: u64,
}

/// Closing summary of an indexing run (also the `--json` output).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Summary {
    /// Files found under the roots.
    pub files_seen: usize,
    /// Files read and indexed in this run.
    pub files_indexed: usize,
    /// Files unchanged since the last run.
    pub files_unchanged: usize,
    /// Files skipped because they could not be read.
    pub files_skipped: usize,
    /// Files deleted from the index because they disappeared.
    pub files_deleted: usize,
    /// Files under the folders of a type akhbar does not read, by
    /// extension (`.pdf`: 24); not in `files_seen`.
    pub files_unsupported: BTreeMap<String, usize>,
    /// Files left as they were because they were still being written
    /// (`--watch` only; they are read once they settle).
    pub files_held: usize,
    /// JSON Lines files that grew: read from where the last run ended
    /// (their new lines only).
    pub files_appended: usize,
    /// Articles from new files.
    pub articles_added: usize,
    /// Articles from changed files.
    pub articles_updated: usize,
    /// Articles removed with deleted or changed files.
    pub articles_deleted: usize,
    /// Articles in unchanged files.
    pub articles_unchanged: usize,
    /// Unchanged articles of changed files, left in the index as they were
    /// (same id, same content: not analysed again).
    pub articles_kept: usize,
    /// Files resumed where an interrupted run stopped.
    pub resumed_files: usize,
    /// Articles of resumed files that the interrupted run had committed,
    /// not read again.
    pub articles_skipped_as_committed: usize,
    /// Each resumed file and where it was resumed.
    pub resumed: Vec<Resumed>,
    /// Lines or records skipped inside files that were indexed.
    pub records_skipped: usize,
    /// Articles indexed with an empty body.
    pub empty_bodies: usize,
    /// Articles whose date could not be parsed (kept as text).
    pub unparsed_dates: usize,
    /// Files decoded from Windows-1256.
    pub windows_1256_files: usize,
    /// Every skipped file or line: `path[:line]: reason`.
    pub skipped: Vec<String>,
    /// Characters (white space not counted) of the text fields of the
    /// articles read in this run.
    pub chars_indexed: usize,
    /// Characters of the lines of the files read in this run that went
    /// into no article (read-also markers, related headlines, links,
    /// boilerplate, page footers; see [`Reason`]).
    pub chars_left_out: usize,
    /// `chars_left_out` per reason (reasons with none omitted).
    pub chars_left_out_by_reason: BTreeMap<Reason, usize>,
    /// Web pages noted: main text empty or shorter than a block of running
    /// text left out of the page, or a WARC record cut short (read from
    /// what it holds).
    pub pages_noted: usize,
    /// Files that lost more than a fifth of their text (`path: N% of the
    /// text was left out as …`), and the noted pages (`path: page …: its
    /// main text is empty …`).
    pub notes: Vec<String>,
    /// Commits made.
    pub commits: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Wall time, seconds.
    pub elapsed_secs: f64,
    /// Articles indexed per second.
    pub articles_per_sec: f64,
    /// Input megabytes (MiB) read per second.
    pub mb_per_sec: f64,
    /// Articles in the index after the run.
    pub articles_total: u64,
}

impl Summary {
    /// True when a file or a line was skipped.
    pub fn skipped_anything(&self) -> bool {
        self.files_skipped > 0 || self.records_skipped > 0
    }
}

/// Receives progress and problems while a run goes on.
pub trait Reporter {
    /// The run found `files` files totalling `bytes` bytes to look at.
    fn start(&mut self, files: usize, bytes: u64);
    /// `bytes` more bytes of the files done; `articles` indexed so far.
    fn advance(&mut self, bytes: u64, articles: usize);
    /// A file is resumed at `at`, where a killed run stopped.
    fn resumed(&mut self, _path: &Path, _at: &Position) {}
    /// A file or a line was skipped.
    fn problem(&mut self, path: &Path, problem: &Problem);
    /// A file was indexed but something about it deserves a look (much
    /// of its text left out); the note is also in [`Summary::notes`].
    fn note(&mut self, _path: &Path, _note: &str) {}
    /// The run is over.
    fn finish(&mut self);
    /// True when the caller wants the run to stop (asked after each step
    /// of the run: a batch of articles or a file): the run commits what it
    /// has read when it can, as a periodic commit would, and ends with
    /// [`super::IndexError::Stopped`]; the next run goes on from there.
    fn stop_requested(&mut self) -> bool {
        false
    }
}

impl Summary {
    /// Articles indexed so far (added or updated).
    pub(super) fn indexed(&self) -> usize {
        self.articles_added + self.articles_updated
    }

    /// Records a skipped file or line: `path[:line]: reason`, reported.
    pub(super) fn skip(&mut self, path: &Path, problem: &Problem, reporter: &mut dyn Reporter) {
        reporter.problem(path, problem);
        self.skipped.push(describe(path, problem));
    }

    /// Adds a file's indexed and left-out characters, with a note when it
    /// lost more than [`crate::corpus::NOTE_SHARE`] of its text.
    pub(super) fn account(
        &mut self,
        path: &Path,
        chars_indexed: usize,
        left: &Tally,
        reporter: &mut dyn Reporter,
    ) {
        self.chars_indexed += chars_indexed;
        for (reason, chars) in left.by_reason() {
            self.chars_left_out += chars;
            *self.chars_left_out_by_reason.entry(reason).or_default() += chars;
        }
        if let Some(note) = left_out_note(path, chars_indexed, left) {
            reporter.note(path, &note);
            self.notes.push(format!("{}: {note}", path.display()));
        }
    }
}

/// Most page notes printed for one file (all are counted).
const PAGE_NOTES_SHOWN: usize = 20;

impl Summary {
    /// Notes a file's pages that may have lost their article (and WARC
    /// records cut short): each is printed and kept in the summary, the
    /// first [`PAGE_NOTES_SHOWN`] of a file, and all are counted.
    pub(super) fn page_notes(
        &mut self,
        path: &Path,
        notes: &[String],
        reporter: &mut dyn Reporter,
    ) {
        self.pages_noted += notes.len();
        let see = format!("(see akhbar analyze --file {})", path.display());
        let mut shown: Vec<String> = notes
            .iter()
            .take(PAGE_NOTES_SHOWN)
            .map(|n| format!("{n} {see}"))
            .collect();
        if notes.len() > PAGE_NOTES_SHOWN {
            shown.push(format!(
                "{} more pages noted {see}",
                notes.len() - PAGE_NOTES_SHOWN
            ));
        }
        for note in shown {
            reporter.note(path, &note);
            self.notes.push(format!("{}: {note}", path.display()));
        }
    }
}

/// A skipped file or line as the summary lists it.
fn describe(path: &Path, problem: &Problem) -> String {
    match problem.line {
        Some(line) => format!("{}:{line}: {}", path.display(), problem.reason),
        None => format!("{}: {}", path.display(), problem.reason),
    }
}
