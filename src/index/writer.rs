//! Index: the writing side of an indexing run. It applies what the reader
//! thread sends ([`Msg`]): batches go to the ordered pool of analysis
//! workers ([`super::document`]) and on to tantivy's writer, each id into
//! the id log; a file's end records it in the manifest; and [`Writer::commit`]
//! adds everything submitted, appends the new ids to the id log and commits
//! the index with its manifest in one step (see [`super::meta`]).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::document::DocBuilder;
use super::feed::{Msg, Outgoing, BATCH_ARTICLES};
use super::ids::{id_hash, Entry, IdLog, INDEXED};
use super::meta::{FileRecord, Manifest};
use super::pipeline::OrderedPool;
use super::schema::Fields;
use super::summary::{Reporter, Resumed, Summary};
use super::IndexError;
use crate::corpus::Position;
use crate::corpus::Tally;
use crate::corpus::{Problem, TextEncoding};

/// The file being read.
pub(super) struct Current {
    key: String,
    path: PathBuf,
    size: u64,
    mtime_ns: u128,
    file_no: u32,
    articles: usize,
    updating: bool,
    checkpoint: Option<Position>,
    raw: u64,
}

/// The writing side of a run.
pub(super) struct Writer<'a> {
    /// The index folder.
    pub dir: &'a Path,
    /// The index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// tantivy's writer.
    pub writer: IndexWriter<TantivyDocument>,
    /// The analysis workers.
    pub pool: OrderedPool<Chunk, Vec<Prepared>>,
    /// The manifest as it will be committed.
    pub manifest: Manifest,
    /// The id log.
    pub log: IdLog,
    /// The run's summary so far.
    pub summary: Summary,
    /// The file being read, if any.
    pub current: Option<Current>,
    /// Articles submitted since the last commit.
    pub since_commit: usize,
    /// When the last commit was made.
    pub last_commit: Instant,
}

impl Writer<'_> {
    /// True when a commit now would record a resume point the reader can
    /// go on from (between files, or after a record of the current one).
    pub fn can_commit(&self) -> bool {
        self.current.as_ref().is_none_or(|c| c.checkpoint.is_some())
    }

    /// Applies one message of the reader thread.
    ///
    /// # Errors
    /// The index cannot be read to delete a changed file's vanished ids.
    pub fn apply(&mut self, msg: Msg, reporter: &mut dyn Reporter) -> Result<(), IndexError> {
        match msg {
            Msg::Unchanged { key, size } => {
                let summary = &mut self.summary;
                summary.files_unchanged += 1;
                summary.articles_unchanged +=
                    self.manifest.files.get(&key).map_or(0, |r| r.articles);
                reporter.advance(size, summary.indexed());
            }
            Msg::Touched {
                key,
                size,
                mtime_ns,
                hash,
            } => {
                let summary = &mut self.summary;
                summary.files_unchanged += 1;
                if let Some(r) = self.manifest.files.get_mut(&key) {
                    summary.articles_unchanged += r.articles;
                    r.mtime_ns = mtime_ns;
                    r.hash = hash;
                }
                reporter.advance(size, summary.indexed());
            }
            Msg::Failed {
                path,
                size,
                problem,
            } => {
                let summary = &mut self.summary;
                summary.skip(&path, &problem, reporter);
                summary.files_skipped += 1;
                reporter.advance(size, summary.indexed());
            }
            Msg::Start {
                file,
                key,
                size,
                mtime_ns,
                file_no,
                resumed,
                reuse,
                appended,
            } => {
                let current = Current {
                    key,
                    path: file.path,
                    size,
                    mtime_ns,
                    file_no,
                    articles: 0,
                    updating: false,
                    checkpoint: None,
                    raw: 0,
                };
                self.start(current, resumed, (reuse, appended), reporter);
            }
            Msg::Batch {
                articles,
                problems,
                shadowed,
                kept,
                checkpoint,
                raw,
            } => {
                let batch = Batch {
                    articles,
                    problems,
                    shadowed,
                    kept,
                    checkpoint,
                    raw,
                };
                self.batch(batch, reporter);
            }
            Msg::End {
                hash,
                encoding,
                broken,
                chars_indexed,
                left_out,
                notes,
                vanished,
                replaced,
                tail,
            } => {
                let end = End {
                    tail,
                    hash,
                    encoding,
                    broken,
                    chars_indexed,
                    left_out,
                    notes,
                    vanished,
                    replaced,
                };
                self.end(end, reporter)?;
            }
        }
        Ok(())
    }

    /// A file starts: resumed where a killed run committed, read on from
    /// its old end (`appended`: a JSON Lines file that grew), read again
    /// keeping its unchanged articles (`reuse`), or read from the start
    /// (its old documents deleted).
    fn start(
        &mut self,
        mut current: Current,
        resumed: Option<Position>,
        (reuse, appended): (bool, bool),
        reporter: &mut dyn Reporter,
    ) {
        let summary = &mut self.summary;
        self.manifest.next_file_no = self.manifest.next_file_no.max(current.file_no + 1);
        match resumed {
            Some(at) if appended => {
                summary.files_appended += 1;
                current.articles = at.articles as usize;
                current.checkpoint = Some(at);
            }
            Some(at) => {
                reporter.resumed(&current.path, &at);
                summary.resumed_files += 1;
                summary.articles_skipped_as_committed += at.articles as usize;
                summary.resumed.push(Resumed {
                    path: current.path.display().to_string(),
                    line: at.line,
                    byte: at.offset,
                    articles: at.articles,
                });
                current.articles = at.articles as usize;
                current.checkpoint = Some(at);
            }
            None if reuse => {
                // No commit until the file ends: a resume point
                // would retire the log's old records, the only
                // list of the ids to delete if they left the file.
                current.checkpoint = None;
                current.updating = true;
            }
            None => {
                current.checkpoint = Some(start_position());
                if let Some(old) = self.manifest.files.get(&current.key) {
                    self.writer
                        .delete_term(Term::from_field_text(self.fields.file, &current.key));
                    summary.articles_deleted += old.articles;
                    current.updating = old.partial.is_none();
                }
            }
        }
        self.current = Some(current);
    }

    /// Articles and skipped records of the current file: each id logged,
    /// the articles submitted to the analysis workers.
    fn batch(&mut self, batch: Batch, reporter: &mut dyn Reporter) {
        let Some(current) = self.current.as_mut() else {
            return;
        };
        let summary = &mut self.summary;
        for problem in &batch.problems {
            summary.skip(&current.path, problem, reporter);
            summary.records_skipped += 1;
        }
        let n = batch.articles.len();
        let file_no = current.file_no;
        for &(id, content) in &batch.shadowed {
            self.log.push(Entry {
                file_no,
                id,
                content,
            });
        }
        for &(id, content) in &batch.kept {
            self.log.push(Entry {
                file_no,
                id,
                content: content | INDEXED,
            });
        }
        current.articles += batch.shadowed.len() + batch.kept.len();
        summary.articles_kept += batch.kept.len();
        let mut chunk = Chunk::new(&current.key, &current.path);
        for out in batch.articles {
            let a = &out.article;
            if a.body.trim().is_empty() {
                summary.empty_bodies += 1;
            }
            if !a.date_text.is_empty() && a.date.is_none() {
                summary.unparsed_dates += 1;
            }
            self.log.push(Entry {
                file_no,
                id: out.hash,
                content: out.content | INDEXED,
            });
            chunk.articles.push(out);
        }
        let (writer, fields) = (&mut self.writer, &self.fields);
        self.pool
            .submit(chunk, &mut |docs| add_docs(writer, fields, docs));
        current.articles += n;
        if current.updating {
            summary.articles_updated += n;
        } else {
            summary.articles_added += n;
        }
        self.since_commit += n;
        current.checkpoint = batch.checkpoint;
        reporter.advance(batch.raw.saturating_sub(current.raw), summary.indexed());
        current.raw = batch.raw;
    }

    /// The current file is done: its vanished articles deleted, its
    /// characters and problems counted, its record in the manifest.
    ///
    /// # Errors
    /// The index cannot be read to delete the vanished ids.
    fn end(&mut self, end: End, reporter: &mut dyn Reporter) -> Result<(), IndexError> {
        let Some(current) = self.current.take() else {
            return Ok(());
        };
        self.summary.articles_deleted += end.replaced + end.vanished.len();
        if !end.vanished.is_empty() {
            self.delete_vanished(&current.key, &end.vanished)?;
        }
        let summary = &mut self.summary;
        summary.account(&current.path, end.chars_indexed, &end.left_out, reporter);
        summary.page_notes(&current.path, &end.notes, reporter);
        if end.encoding == TextEncoding::Windows1256 {
            summary.windows_1256_files += 1;
        }
        let partial = match end.broken {
            Some(problem) => {
                // Keep what was read; the next run goes on from the
                // last resume point and meets the error again until
                // the file is repaired.
                summary.skip(&current.path, &problem, reporter);
                summary.records_skipped += 1;
                Some(current.checkpoint.clone().unwrap_or_else(start_position))
            }
            None => None,
        };
        summary.files_indexed += 1;
        summary.bytes += current.size;
        reporter.advance(current.size.saturating_sub(current.raw), summary.indexed());
        self.manifest.files.insert(
            current.key,
            FileRecord {
                size: current.size,
                mtime_ns: current.mtime_ns,
                hash: if partial.is_some() {
                    String::new()
                } else {
                    end.hash
                },
                articles: current.articles,
                file_no: current.file_no,
                tail: end.tail.filter(|_| partial.is_none()),
                partial,
                ids: Vec::new(),
            },
        );
        Ok(())
    }

    /// Deletes the copies of file `key` of the articles whose id hashes are
    /// `vanished`: their ids are found in the committed index's id terms
    /// (the log keeps hashes only). Another file's copy of such an id,
    /// added in this run, stays: the delete names the file too.
    fn delete_vanished(&mut self, key: &str, vanished: &[u64]) -> Result<(), IndexError> {
        let dir = self.dir;
        let err = |e| IndexError::tantivy(dir, e);
        let wanted: HashSet<u64> = vanished.iter().copied().collect();
        let reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        let searcher = reader.searcher();
        let mut ids = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let terms = segment.inverted_index(self.fields.id).map_err(err)?;
            let mut stream = terms.terms().stream().map_err(|e| IndexError::io(dir, e))?;
            while stream.advance() {
                if let Ok(id) = std::str::from_utf8(stream.key()) {
                    if wanted.contains(&id_hash(id)) {
                        ids.insert(id.to_string());
                    }
                }
            }
        }
        let file = Term::from_field_text(self.fields.file, key);
        for id in ids {
            let id = Term::from_field_text(self.fields.id, &id);
            let both = BooleanQuery::intersection(vec![
                Box::new(TermQuery::new(id, IndexRecordOption::Basic)),
                Box::new(TermQuery::new(file.clone(), IndexRecordOption::Basic)),
            ]);
            self.writer.delete_query(Box::new(both)).map_err(err)?;
        }
        Ok(())
    }

    /// Adds everything submitted, appends the new ids to the log, and
    /// commits the index with its manifest (recording where the file being
    /// read stands).
    ///
    /// # Errors
    /// The id log, the manifest or the index cannot be written.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        let (writer, fields) = (&mut self.writer, &self.fields);
        self.pool.drain(&mut |docs| add_docs(writer, fields, docs));
        if let Some(c) = &self.current {
            self.manifest.files.insert(
                c.key.clone(),
                FileRecord {
                    size: c.size,
                    mtime_ns: c.mtime_ns,
                    hash: String::new(),
                    articles: c.articles,
                    file_no: c.file_no,
                    partial: Some(c.checkpoint.clone().unwrap_or_else(start_position)),
                    ids: Vec::new(),
                    tail: None,
                },
            );
        }
        self.log.write()?;
        let s = &self.summary;
        if s.indexed() + s.articles_deleted + s.files_indexed + s.files_deleted > 0
            || self.current.as_ref().is_some_and(|c| c.articles > 0)
        {
            self.manifest.indexed_at =
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        }
        self.manifest.ids = self.log.reference();
        self.manifest.generation += 1;
        self.manifest.save_next(self.dir)?;
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| IndexError::tantivy(self.dir, e))?;
        prepared.set_payload(&self.manifest.payload());
        prepared
            .commit()
            .map_err(|e| IndexError::tantivy(self.dir, e))?;
        Manifest::promote_next(self.dir)?;
        self.summary.commits += 1;
        self.since_commit = 0;
        self.last_commit = Instant::now();
        Ok(())
    }
}

/// A [`Msg::Batch`]'s contents.
struct Batch {
    articles: Vec<Outgoing>,
    problems: Vec<Problem>,
    shadowed: Vec<(u64, u64)>,
    kept: Vec<(u64, u64)>,
    checkpoint: Option<Position>,
    raw: u64,
}

/// A [`Msg::End`]'s contents.
struct End {
    tail: Option<super::meta::Tail>,
    hash: String,
    encoding: TextEncoding,
    broken: Option<Problem>,
    chars_indexed: usize,
    left_out: Tally,
    notes: Vec<String>,
    vanished: Vec<u64>,
    replaced: usize,
}

/// The start of a file, as a resume point.
fn start_position() -> Position {
    Position {
        offset: 0,
        line: 1,
        articles: 0,
        hash: blake3::hash(b"").to_hex().to_string(),
    }
}

/// A batch of one file's articles for the analysis workers.
pub(super) struct Chunk {
    key: String,
    path: PathBuf,
    articles: Vec<Outgoing>,
}

/// A built document, ready for the writer.
pub(super) struct Prepared {
    /// Its article's id.
    id: String,
    /// Delete the documents with this id first.
    delete: bool,
    /// The document.
    doc: TantivyDocument,
}

impl Chunk {
    fn new(key: &str, path: &Path) -> Self {
        Chunk {
            key: key.to_string(),
            path: path.to_path_buf(),
            articles: Vec::with_capacity(BATCH_ARTICLES),
        }
    }

    /// The chunk's documents, in order.
    pub fn build(self, builder: &mut DocBuilder) -> Vec<Prepared> {
        let (key, path) = (self.key, self.path);
        self.articles
            .into_iter()
            .map(|o| Prepared {
                doc: builder.build(&o.article, &o.id, &key, &path),
                id: o.id,
                delete: o.delete,
            })
            .collect()
    }
}

/// Adds built documents in order, deleting older copies of their ids.
fn add_docs(writer: &mut IndexWriter<TantivyDocument>, fields: &Fields, docs: Vec<Prepared>) {
    for Prepared { id, delete, doc } in docs {
        if delete {
            writer.delete_term(Term::from_field_text(fields.id, &id));
        }
        // add_document fails only when the writer's threads are gone; the
        // commit that follows reports that error.
        let _ = writer.add_document(doc);
    }
}
