//! Index: the reader thread of an indexing run. It walks the files in
//! order, decides for each whether it is unchanged, only touched (same
//! content), to resume where a killed run committed, or to read from the
//! start, and streams what it reads to the writer as [`Msg`]s: batches of
//! at most [`BATCH_ARTICLES`] articles or [`BATCH_BYTES`] of text, each
//! with its id, whether an older copy must be deleted first, and the
//! position after it. The channel holds a few batches, so memory stays
//! bounded whatever the file size.
//!
//! Shared ids: when two files carry one id the file read last, in path
//! order, wins. The reader knows, for every id hash in the index, the
//! position of the last file holding it ([`Owners`]); an article of a file
//! read now whose id a later file holds is not sent to the index (the
//! later file's copy stays), only logged as this file's. So a changed file
//! never makes the later files that share its ids be read again (it did:
//! at 3× the shared corpora, 3 changed files made 150 be read).
//!
//! Changed files: a file read again from the start whose articles the id
//! log knows with their content ([`super::ids::Entry`]) keeps its
//! unchanged articles in the index as they are (sent as `kept`, logged,
//! not analysed again; unchanged means the same fields on the same line,
//! since the line is stored and shown: an article that moved is indexed
//! again); changed and new ones are sent as usual, and the
//! ids that left the file are sent with its end (`vanished`) for the
//! writer to delete. An unchanged article is kept only when the log holds
//! its id once (this file's, indexed) and no file claimed it earlier in
//! this run; an id several files hold is added again, and the file read
//! last wins as before. Such a
//! file is read without resume points (the log's old records are the
//! only list of what to delete, and they stop being live at the first
//! commit): a run killed inside it reads it again from the start, which
//! costs parsing, not analysis, for the articles that did not change.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::sync::mpsc::SyncSender;

use super::changes::{mtime_ns, Keyed, Owner, Owners, OUTSIDE};
use super::ids::{content_hash, id_hash, INDEXED};
use super::meta::{FileRecord, Tail};
use crate::corpus::CorpusFile;
use crate::corpus::Position;
use crate::corpus::RecordReader;
use crate::corpus::Tally;
use crate::corpus::{article_id, Article, FieldMap, Format, Problem, TextEncoding};

/// Articles per batch.
pub const BATCH_ARTICLES: usize = 32;
/// Text bytes per batch (a single larger article travels alone).
pub const BATCH_BYTES: usize = 1 << 20;

/// An article on its way to the writer: its id, whether an older copy
/// must be deleted first, and the id's hash (for the id log).
pub struct Outgoing {
    /// The article.
    pub article: Article,
    /// Its stable id.
    pub id: String,
    /// Delete documents with this id before adding it.
    pub delete: bool,
    /// [`id_hash`] of the id.
    pub hash: u64,
    /// [`content_hash`] of the article.
    pub content: u64,
}

/// What the reader thread sends.
pub enum Msg {
    /// A file needing no reading.
    Unchanged {
        /// Manifest key.
        key: String,
        /// Size in bytes.
        size: u64,
    },
    /// A file whose mtime changed but not its content.
    Touched {
        /// Manifest key.
        key: String,
        /// Size in bytes.
        size: u64,
        /// New mtime.
        mtime_ns: u128,
        /// Content hash.
        hash: String,
    },
    /// A file that could not be read at all (nothing sent before).
    Failed {
        /// The file.
        path: std::path::PathBuf,
        /// Size in bytes.
        size: u64,
        /// Why.
        problem: Problem,
    },
    /// A file starts (sent with its first content).
    Start {
        /// The file.
        file: CorpusFile,
        /// Manifest key.
        key: String,
        /// Size in bytes.
        size: u64,
        /// Modification time.
        mtime_ns: u128,
        /// Its number in the id log.
        file_no: u32,
        /// Where the read resumed, for a file a killed run stopped inside.
        resumed: Option<Position>,
        /// The file's unchanged articles stay in the index (it is not
        /// deleted whole; see the module doc).
        reuse: bool,
        /// A JSON Lines file that grew, read from where it ended (`resumed`
        /// is that point).
        appended: bool,
    },
    /// Articles and skipped records of the current file.
    Batch {
        /// Articles, in file order.
        articles: Vec<Outgoing>,
        /// Records skipped.
        problems: Vec<Problem>,
        /// Id and content hashes of articles not sent because a later file
        /// holds the id (logged as this file's all the same).
        shadowed: Vec<(u64, u64)>,
        /// Id and content hashes of unchanged articles left in the index.
        kept: Vec<(u64, u64)>,
        /// Where the batch ends, when the reader can resume there.
        checkpoint: Option<Position>,
        /// Bytes of the file read so far.
        raw: u64,
    },
    /// The current file is done.
    End {
        /// Content hash of the whole file.
        hash: String,
        /// Encoding it was decoded from.
        encoding: TextEncoding,
        /// A read error that ended the file early (after some records).
        broken: Option<Problem>,
        /// Characters of the articles read in this run (white space not
        /// counted).
        chars_indexed: usize,
        /// Characters of the lines read in this run that went into no
        /// article, by reason (counts, not lines: bounded on huge files).
        left_out: Tally,
        /// Notes of its records (web pages whose main text may have lost
        /// the article, WARC records cut short).
        notes: Vec<String>,
        /// Id hashes of articles the file no longer holds whose copies in
        /// the index are its own (to delete; reused files only).
        vanished: Vec<u64>,
        /// Articles of the file sent again whose old copies were in the
        /// index (reused files only).
        replaced: usize,
        /// Where a JSON Lines file ended, when it ended with a line break.
        tail: Option<Tail>,
    },
}

/// What the reader thread works from.
pub struct Feed<'a> {
    /// Files in walk order, with their manifest keys.
    pub files: Vec<Keyed>,
    /// The manifest's records (empty for a fresh build).
    pub known: &'a HashMap<String, FileRecord>,
    /// Files to read again whatever their state.
    pub forced: &'a HashSet<String>,
    /// Kinds of files read again whatever their state.
    pub reread: Reread,
    /// The user's names for fields (`--map`).
    pub map: FieldMap,
    /// Id owners; see [`Owners`].
    pub owners: Owners,
    /// Delete every id before adding it (the index had documents).
    pub need_deletes: bool,
    /// Number for the next file read.
    pub next_file_no: u32,
    /// For files that may be read again: their articles' contents by id
    /// hash, from the log, by file number.
    pub previous: HashMap<u32, HashMap<u64, u64>>,
    /// Ids the log holds more than once: their articles are never kept
    /// (which copy is in the index depends on the order files were read
    /// in; adding them again settles it).
    pub shared: HashSet<u64>,
    /// Salt of the content hashes (the alias table's fingerprint).
    pub salt: String,
}

impl Feed<'_> {
    /// Reads every file, sending what it finds; stops early when the
    /// receiver is gone.
    pub fn run(mut self, tx: &SyncSender<Msg>) {
        let files = std::mem::take(&mut self.files);
        for (pos, Keyed { file, key }) in files.into_iter().enumerate() {
            let pos = pos as u32;
            let force = self.forced.contains(&key) || self.reread.covers(&file.path);
            if !self.one(file, key, pos, force, tx) {
                return;
            }
        }
    }

    /// One file; false when the receiver is gone.
    fn one(
        &mut self,
        file: CorpusFile,
        key: String,
        pos: u32,
        force: bool,
        tx: &SyncSender<Msg>,
    ) -> bool {
        let (size, mtime_ns) = match fs::metadata(&file.path) {
            Ok(m) => (m.len(), mtime_ns(&m)),
            Err(e) => {
                let problem = Problem::file(crate::corpus::io_reason(&e));
                return failed(tx, file.path, 0, problem);
            }
        };
        let known = self.known.get(&key);
        let record = known.filter(|_| !force);
        if let Some(r) = record.filter(|r| r.partial.is_none() && r.size == size) {
            if r.mtime_ns == mtime_ns {
                return send(tx, Msg::Unchanged { key, size });
            }
            if hash_file(&file.path).is_some_and(|h| h == r.hash) {
                let hash = r.hash.clone();
                return send(
                    tx,
                    Msg::Touched {
                        key,
                        size,
                        mtime_ns,
                        hash,
                    },
                );
            }
        }
        let open = |path: &Path| RecordReader::open_mapped(path, &self.map);
        let mut reader = match open(&file.path) {
            Ok(r) => r,
            Err(problem) => return failed(tx, file.path, size, problem),
        };
        let mut resumed = None;
        let mut file_no = self.next_file_no;
        let grown = record.and_then(|r| self.grown(r, size, &file.path).map(|p| (p, r.file_no)));
        let appended = grown.is_some();
        let partial = record.and_then(|r| r.partial.clone().map(|p| (p, r.file_no)));
        if let Some((at, no)) = partial.or(grown) {
            if reader.resume(&at) {
                resumed = Some(at);
                file_no = no;
            } else {
                reader = match open(&file.path) {
                    Ok(r) => r,
                    Err(problem) => return failed(tx, file.path, size, problem),
                };
            }
        }
        let mut previous = None;
        if resumed.is_none() {
            self.next_file_no += 1;
            // Every article's content must be known, else an id that left
            // the file could not be told from one never indexed.
            previous = known
                .filter(|r| r.partial.is_none())
                .and_then(|r| self.previous.remove(&r.file_no))
                .filter(|p| p.values().all(|&c| c != 0));
        }
        let start = Msg::Start {
            file: file.clone(),
            key,
            size,
            mtime_ns,
            file_no,
            appended: appended && resumed.is_some(),
            resumed,
            reuse: previous.is_some(),
        };
        self.stream(reader, &file, start, pos, size, previous, tx)
    }

    /// Streams a file's records; false when the receiver is gone.
    #[allow(clippy::too_many_arguments)]
    fn stream(
        &mut self,
        mut reader: RecordReader,
        file: &CorpusFile,
        start: Msg,
        pos: u32,
        size: u64,
        mut previous: Option<HashMap<u64, u64>>,
        tx: &SyncSender<Msg>,
    ) -> bool {
        let multi = reader.multi();
        let mut kept: Vec<(u64, u64)> = Vec::new();
        let mut replaced = 0;
        let mut start = Some(start);
        let mut articles: Vec<Outgoing> = Vec::new();
        let mut problems: Vec<Problem> = Vec::new();
        let mut shadowed: Vec<(u64, u64)> = Vec::new();
        let mut bytes = 0usize;
        let mut broken = None;
        let mut any = false;
        let mut chars_indexed = 0;
        let mut left_out = Tally::default();
        let mut notes = Vec::new();
        let mut ends_line = true;
        while let Some(next) = reader.next_record() {
            let record = match next {
                Ok(r) => r,
                Err(problem) if !any => {
                    let problem = Problem::file(problem.reason);
                    return failed(tx, file.path.clone(), size, problem);
                }
                Err(problem) => {
                    broken = Some(problem);
                    break;
                }
            };
            if !multi && record.articles.is_empty() {
                if let Some(problem) = record.problems.into_iter().next() {
                    return failed(tx, file.path.clone(), size, problem);
                }
                continue;
            }
            any = true;
            ends_line = record.resumable;
            problems.extend(record.problems);
            for line in &record.left_out {
                left_out.add(line);
            }
            notes.extend(record.notes);
            for (n, article) in record.articles.into_iter().enumerate() {
                chars_indexed += article.chars();
                let id = article_id(&article, &file.relative, multi, record.first as usize + n);
                let hash = id_hash(&id);
                let content = content_hash(&article, &self.salt);
                let old = previous.as_mut().and_then(|p| p.remove(&hash));
                let was_indexed = old.is_some_and(|c| c & INDEXED != 0);
                if was_indexed && old == Some(content | INDEXED) && self.keep(hash, pos) {
                    kept.push((hash, content));
                    continue;
                }
                let Some(delete) = self.claim(hash, pos) else {
                    shadowed.push((hash, content));
                    continue;
                };
                replaced += usize::from(was_indexed);
                bytes += article.body.len() + article.title.len();
                articles.push(Outgoing {
                    article,
                    id,
                    delete,
                    hash,
                    content,
                });
            }
            let pending = articles.len() + shadowed.len() + kept.len();
            if pending >= BATCH_ARTICLES || bytes >= BATCH_BYTES {
                let resumable = record.resumable && previous.is_none();
                let checkpoint = resumable.then(|| reader.position());
                let batch = Msg::Batch {
                    articles: std::mem::take(&mut articles),
                    problems: std::mem::take(&mut problems),
                    shadowed: std::mem::take(&mut shadowed),
                    kept: std::mem::take(&mut kept),
                    checkpoint,
                    raw: reader.raw_bytes(),
                };
                bytes = 0;
                if !send_started(tx, &mut start, batch) {
                    return false;
                }
            }
        }
        if !any && broken.is_none() {
            // Said as `akhbar analyze --file` says it.
            let problem = Problem::file(if reader.other_records().is_empty() {
                "no article found"
            } else {
                "no HTML page among the WARC records"
            });
            return failed(tx, file.path.clone(), size, problem);
        }
        if !articles.is_empty() || !problems.is_empty() || !shadowed.is_empty() || !kept.is_empty()
        {
            let batch = Msg::Batch {
                articles,
                problems,
                shadowed,
                kept,
                checkpoint: None,
                raw: reader.raw_bytes(),
            };
            if !send_started(tx, &mut start, batch) {
                return false;
            }
        }
        let at = reader.position();
        let tail = (broken.is_none() && ends_line && appendable(&file.path)).then_some(Tail {
            line: at.line,
            articles: at.articles,
        });
        let end = Msg::End {
            tail,
            hash: reader.hash(),
            encoding: reader.encoding(),
            broken,
            chars_indexed,
            left_out,
            notes,
            vanished: previous
                .into_iter()
                .flatten()
                .filter(|&(_, c)| c & INDEXED != 0)
                .map(|(id, _)| id)
                .collect(),
            replaced,
        };
        send_started(tx, &mut start, end)
    }

    /// Where to go on reading a JSON Lines file that grew since it was read
    /// to its end (a feeder appending lines): its old end, when the record
    /// knows it and no id of the file is shared with another (the file
    /// then claims none of its old ids again, which only matters for ids
    /// another file holds). `None`: read it again from the start.
    fn grown(&self, record: &FileRecord, size: u64, path: &Path) -> Option<Position> {
        let tail = record.tail?;
        let own = self.previous.get(&record.file_no)?;
        let alone = own.keys().all(|id| !self.shared.contains(id));
        (record.partial.is_none() && size > record.size && alone && appendable(path)).then(|| {
            Position {
                offset: record.size,
                line: tail.line,
                articles: tail.articles,
                hash: record.hash.clone(),
            }
        })
    }

    /// Whether the file at `pos` may leave its indexed copy of the id
    /// `hash` as it is (claiming the id): no other file holds the id and
    /// it was not claimed earlier in this run.
    fn keep(&mut self, hash: u64, pos: u32) -> bool {
        if self.shared.contains(&hash) {
            return false;
        }
        let free = match self.owners.get(&hash) {
            None => true,
            // This file's own, from the log (a forced file's ids stay
            // among the owners).
            Some(o) => !o.now && o.pos == pos,
        };
        if free {
            self.owners.insert(hash, Owner { pos, now: true });
        }
        free
    }

    /// Records that the file at `pos` adds the id `hash`: `None` when a
    /// later file holds it (its copy stays), else whether an older copy
    /// may be in the index and must be deleted first.
    fn claim(&mut self, hash: u64, pos: u32) -> Option<bool> {
        let now = Owner { pos, now: true };
        match self.owners.get_mut(&hash) {
            Some(owner) if owner.pos != OUTSIDE && owner.pos > pos => None,
            Some(owner) => {
                *owner = now;
                Some(true)
            }
            None => {
                self.owners.insert(hash, now);
                Some(self.need_deletes)
            }
        }
    }
}

fn failed(tx: &SyncSender<Msg>, path: std::path::PathBuf, size: u64, problem: Problem) -> bool {
    send(
        tx,
        Msg::Failed {
            path,
            size,
            problem,
        },
    )
}

fn send(tx: &SyncSender<Msg>, msg: Msg) -> bool {
    tx.send(msg).is_ok()
}

/// Sends `msg`, preceded by the file's start message if not sent yet.
fn send_started(tx: &SyncSender<Msg>, start: &mut Option<Msg>, msg: Msg) -> bool {
    if let Some(s) = start.take() {
        if !send(tx, s) {
            return false;
        }
    }
    send(tx, msg)
}

/// Kinds of files a run reads again whole, whatever their state.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reread {
    /// Text files: the index's were read by another version of the page
    /// and TREC readers.
    pub text: bool,
    /// Record files (JSON, JSON Lines, CSV, TSV, Parquet): the index's
    /// were read with another field map (`--map`).
    pub records: bool,
}

impl Reread {
    /// True when the file at `path` is of a kind read again.
    pub fn covers(&self, path: &Path) -> bool {
        match Format::of(path) {
            Some(Format::Text) => self.text,
            Some(Format::Json | Format::JsonLines | Format::Delimited(_) | Format::Parquet) => {
                self.records
            }
            _ => false,
        }
    }
}

/// Whether a file can be read on from where it ended when it grows: JSON
/// Lines not compressed (appending to a gzip stream rewrites its end).
fn appendable(path: &Path) -> bool {
    Format::of(path) == Some(Format::JsonLines)
        && !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// The content hash of a file (gunzipped), as the reader computes it.
fn hash_file(path: &Path) -> Option<String> {
    let mut source = crate::corpus::Source::open(path).ok()?;
    while source.skip(1 << 20) {}
    (!source.failed()).then(|| source.hash())
}
