//! Index: one incremental indexing pass (`akhbar index`).
//!
//! Plan: list the files; delete from the index the files of these roots that
//! disappeared; then a reader thread ([`super::feed`]) streams every file
//! in walk order: unchanged ones (size and mtime, else content hash) are
//! skipped, a file a killed run stopped inside is resumed where that run
//! committed (when the bytes before that point are unchanged), the rest
//! are read from the start, replacing what the index held of them (a
//! changed file's unchanged articles stay as they are; see [`super::feed`]). Articles
//! travel in small batches to an ordered pool of analysis workers and on
//! to tantivy's writer threads, so memory is bounded by the writer budget
//! plus a few batches, whatever the file size.
//!
//! Memory: the writer budget (anonymous memory), a few batches in flight,
//! and the segments one merge reads (mapped; see [`MAX_MERGE_DOCS`], given
//! back twice a second by [`super::trim`]).
//!
//! Commits: every `commit_every` articles and every `commit_secs` seconds,
//! inside files too (after a record the reader can resume from). Each
//! commit appends the ids it added to the id log, writes the manifest
//! (with the resume point of the file being read) and commits it with
//! tantivy in one step (see [`super::meta`]). So an interrupted run loses
//! at most the articles read since the last commit, and the next run
//! redoes exactly those. Every article is added after a delete of its id,
//! whenever an older copy may exist, so a redone article never doubles.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use serde::Serialize;

use tantivy::indexer::{IndexWriterOptions, LogMergePolicy};
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::document::DocBuilder;
use super::feed::{is_text, mtime_ns, Feed, Msg, Outgoing, Owner, Owners, OUTSIDE};
use super::ids::{contents_of, id_hash, ids_of, Entry, IdLog, INDEXED};
use super::meta::{FileRecord, Manifest, Position};
use super::open::{open_for_writing, run_lock, OpenIndex};
use super::pipeline::OrderedPool;
use super::schema::Fields;
use super::trim::{self, Trimmer};
use super::IndexError;
use crate::corpus::left_out::{self, Reason, Tally};
use crate::corpus::text;
use crate::corpus::walk::{walk, CorpusFile, Walk};
use crate::corpus::{Problem, TextEncoding};
use crate::entities::AliasTable;

/// Segments with more documents than this are not merged again. A merge
/// reads its segments through memory maps, which count in the process's
/// resident memory: tantivy's default (10 million documents, 4 merges at
/// once) took the peak to 2.0 GB at 727,000 articles (1.7 GB of it mapped
/// index). One merge at a time over segments of at most 150,000 articles
/// (about 400 MB of index each) took the 10x build from 395 s to 168 s
/// (wall, an earlier run); an index of N articles then has about
/// N / 150,000 large segments. The mapped pages are clean page cache: at
/// 10x they still reach about the index size (RssFile 1.7 GiB) while
/// anonymous memory peaks at 431 MiB (see docs/scaling.md).
const MAX_MERGE_DOCS: usize = 150_000;

/// What an indexing run is asked to do.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Files and folders to index.
    pub roots: Vec<PathBuf>,
    /// The index folder.
    pub index_dir: PathBuf,
    /// Start over instead of updating.
    pub rebuild: bool,
    /// Writer memory budget, in MiB.
    pub memory_mb: usize,
    /// Writer threads (0: one per core, at most 8).
    pub threads: usize,
    /// Commit after this many articles.
    pub commit_every: usize,
    /// Commit at least this often, in seconds of work.
    pub commit_secs: f64,
    /// The user's alias file (else `$AKHBAR_ALIASES` or the default
    /// location), added to the built-in table for entity extraction.
    pub aliases: Option<PathBuf>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            roots: vec![PathBuf::from("corpus")],
            index_dir: PathBuf::from("index"),
            rebuild: false,
            memory_mb: 256,
            threads: 0,
            commit_every: 20_000,
            commit_secs: 30.0,
            aliases: None,
        }
    }
}

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
}

/// The file being read.
struct Current {
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
struct Writer<'a> {
    dir: &'a Path,
    index: Index,
    fields: Fields,
    writer: IndexWriter<TantivyDocument>,
    pool: OrderedPool<Chunk, Vec<Prepared>>,
    manifest: Manifest,
    log: IdLog,
    summary: Summary,
    current: Option<Current>,
    since_commit: usize,
    last_commit: Instant,
}

/// Runs one indexing pass.
///
/// # Errors
/// A missing root, or an index that cannot be opened, locked or committed.
/// Problems with single files are reported to `reporter`, not returned.
pub fn run(options: &IndexOptions, reporter: &mut dyn Reporter) -> Result<Summary, IndexError> {
    let started = Instant::now();
    for root in &options.roots {
        if !root.exists() {
            return Err(IndexError::NoSuchPath(root.clone()));
        }
    }
    let dir = &options.index_dir;
    let _run_lock = run_lock(dir)?;
    let OpenIndex {
        index,
        fields,
        mut manifest,
        ..
    } = open_for_writing(dir, options.rebuild)?;
    let threads = match options.threads {
        0 => thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8),
        n => n,
    };
    let budget = (options.memory_mb << 20).max((threads * 16) << 20);
    let writer_options = IndexWriterOptions::builder()
        .memory_budget_per_thread(budget / threads)
        .num_worker_threads(threads)
        .num_merge_threads(1)
        .build();
    let writer: IndexWriter<TantivyDocument> = index
        .writer_with_options(writer_options)
        .map_err(|e| IndexError::tantivy(dir, e))?;
    // A new writer gives its first operation the opstamp of the last
    // commit. A merge started at open targets that opstamp too, and
    // tantivy's `advance_deletes` takes a segment whose deletes were
    // applied at exactly that opstamp as up to date, without reading the
    // operation; another segment of the merge reads it and moves past it,
    // and the merged segment inherits that cursor. So a delete given that
    // opstamp can be lost (seen in tests/reliability.rs: a killed run's
    // last commit had deletes, the re-run's first delete, of a changed
    // file's old article, never applied). The first operation is therefore
    // one that matches nothing.
    writer.delete_term(Term::from_field_text(fields.id, "\u{0}"));
    // Files a killed run wrote but never committed (a delete bitset named
    // after an opstamp this run may reach again would make the commit fail
    // with "file already exists"): tantivy only collects them after a
    // commit, so collect them before the first one.
    writer
        .garbage_collect_files()
        .wait()
        .map_err(|e| IndexError::tantivy(dir, e))?;
    // Mapped index pages out of the resident set while merges read them.
    let _trimmer = Trimmer::start(dir, trim::PERIOD);
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(MAX_MERGE_DOCS);
    writer.set_merge_policy(Box::new(policy));
    let (table, table_problems) =
        AliasTable::load(&AliasTable::user_files(options.aliases.as_deref()));
    for p in &table_problems {
        reporter.problem(&p.file, &Problem::at_line(p.line, p.reason.clone()));
    }
    let table = Arc::new(table);
    let fresh = options.rebuild || manifest.files.is_empty();
    // Text files read by an older page reader are read again.
    let reread_text = manifest.text_reader_version != text::READER_VERSION;
    if options.rebuild {
        writer
            .delete_all_documents()
            .map_err(|e| IndexError::tantivy(dir, e))?;
        manifest.ids.records = 0;
    }
    // A damaged index fails here (asking for --rebuild) rather than being
    // taken for an empty one; --rebuild deletes everything anyway.
    let existing_docs = match index.reader() {
        Ok(reader) => reader.searcher().num_docs(),
        Err(_) if options.rebuild => 0,
        Err(e) => return Err(IndexError::tantivy(dir, e)),
    };
    let need_deletes = !(options.rebuild || existing_docs == 0);
    let mut log = IdLog::open(dir, &manifest.ids)?;
    migrate_legacy_ids(&mut manifest, &mut log);

    let mut summary = Summary::default();
    let Walk {
        files,
        problems: walk_problems,
        unsupported,
    } = walk(&options.roots, dir);
    summary.files_unsupported = unsupported;
    for (path, problem) in &walk_problems {
        reporter.problem(path, problem);
        summary.skipped.push(describe(path, problem));
        summary.files_skipped += 1;
    }
    summary.files_seen = files.len();
    let keyed: Vec<(CorpusFile, String)> = files
        .into_iter()
        .map(|f| {
            let key = canonical_key(&f.path);
            (f, key)
        })
        .collect();

    // Files of these roots that disappeared.
    let present: HashSet<&str> = keyed.iter().map(|(_, k)| k.as_str()).collect();
    let root_keys: Vec<String> = options.roots.iter().map(|r| canonical_key(r)).collect();
    let gone: Vec<String> = manifest
        .files
        .keys()
        .filter(|k| !present.contains(k.as_str()))
        .filter(|k| root_keys.iter().any(|r| is_under(k, r)))
        .cloned()
        .collect();
    let suspects = suspects(&keyed, &manifest, &gone);
    let Sharing {
        forced,
        owners,
        shared,
    } = if need_deletes {
        sharing(&keyed, &manifest, &log, &suspects)?
    } else {
        Sharing::default()
    };
    for key in gone {
        writer.delete_term(Term::from_field_text(fields.file, &key));
        if let Some(record) = manifest.files.remove(&key) {
            summary.articles_deleted += record.articles;
        }
        summary.files_deleted += 1;
    }
    let live: HashSet<u32> = manifest.files.values().map(|r| r.file_no).collect();
    let live_articles = manifest.files.values().map(|r| r.articles as u64).sum();
    log.compact_if_sparse(&live, live_articles)?;
    // What the files that may be read again held, to keep what did not change.
    let again: HashSet<u32> = keyed
        .iter()
        .filter(|(f, k)| {
            suspects.contains(k) || forced.contains(k) || reread_text && is_text(&f.path)
        })
        .filter_map(|(_, k)| manifest.files.get(k))
        .filter(|r| r.partial.is_none())
        .map(|r| r.file_no)
        .collect();
    let previous = if !need_deletes || again.is_empty() {
        HashMap::new()
    } else {
        contents_of(&log, &again)?
    };

    let total_bytes: u64 = keyed
        .iter()
        .filter_map(|(f, _)| fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    reporter.start(keyed.len(), total_bytes);

    let known: HashMap<String, FileRecord> = if fresh {
        HashMap::new()
    } else {
        manifest.files.clone().into_iter().collect()
    };
    let pool = {
        let table = Arc::clone(&table);
        OrderedPool::new(threads, threads * 4, move || {
            let mut builder = DocBuilder::new(fields, Arc::clone(&table));
            move |chunk: Chunk| chunk.build(&mut builder)
        })
    };
    let feed = Feed {
        files: keyed,
        known: &known,
        forced: &forced,
        reread_text,
        owners,
        need_deletes,
        next_file_no: manifest.next_file_no,
        previous,
        shared,
        salt: table.fingerprint.clone(),
    };
    let mut w = Writer {
        dir,
        index: index.clone(),
        fields,
        writer,
        pool,
        manifest,
        log,
        summary,
        current: None,
        since_commit: 0,
        last_commit: Instant::now(),
    };
    let every = options.commit_every.max(1);
    let secs = Duration::from_secs_f64(options.commit_secs.max(0.0));
    let mut commit_error = None;
    thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Msg>(8);
        scope.spawn(move || feed.run(&tx));
        for msg in rx {
            if let Err(e) = w.apply(msg, reporter) {
                commit_error = Some(e);
                break;
            }
            let due =
                w.since_commit >= every || (w.since_commit > 0 && w.last_commit.elapsed() >= secs);
            let safe = w.current.as_ref().is_none_or(|c| c.checkpoint.is_some());
            if due && safe {
                if let Err(e) = w.commit() {
                    commit_error = Some(e);
                    break;
                }
            }
        }
    });
    if let Some(e) = commit_error {
        return Err(e);
    }
    w.manifest.entities_fingerprint = table.fingerprint.clone();
    w.manifest.text_reader_version = text::READER_VERSION;
    w.commit()?;
    let Writer {
        writer,
        pool,
        mut summary,
        ..
    } = w;
    drop(pool);
    writer
        .wait_merging_threads()
        .map_err(|e| IndexError::tantivy(dir, e))?;
    reporter.finish();

    summary.articles_total = index
        .reader()
        .map_err(|e| IndexError::tantivy(dir, e))?
        .searcher()
        .num_docs();
    let secs = started.elapsed().as_secs_f64();
    summary.elapsed_secs = secs;
    let indexed = (summary.articles_added + summary.articles_updated) as f64;
    summary.articles_per_sec = if secs > 0.0 { indexed / secs } else { 0.0 };
    summary.mb_per_sec = if secs > 0.0 {
        summary.bytes as f64 / 1_048_576.0 / secs
    } else {
        0.0
    };
    Ok(summary)
}

impl Writer<'_> {
    /// Applies one message of the reader thread.
    ///
    /// # Errors
    /// The index cannot be read to delete a changed file's vanished ids.
    fn apply(&mut self, msg: Msg, reporter: &mut dyn Reporter) -> Result<(), IndexError> {
        let summary = &mut self.summary;
        match msg {
            Msg::Unchanged { key, size } => {
                summary.files_unchanged += 1;
                summary.articles_unchanged +=
                    self.manifest.files.get(&key).map_or(0, |r| r.articles);
                reporter.advance(size, indexed(summary));
            }
            Msg::Touched {
                key,
                size,
                mtime_ns,
                hash,
            } => {
                summary.files_unchanged += 1;
                if let Some(r) = self.manifest.files.get_mut(&key) {
                    summary.articles_unchanged += r.articles;
                    r.mtime_ns = mtime_ns;
                    r.hash = hash;
                }
                reporter.advance(size, indexed(summary));
            }
            Msg::Failed {
                path,
                size,
                problem,
            } => {
                reporter.problem(&path, &problem);
                summary.skipped.push(describe(&path, &problem));
                summary.files_skipped += 1;
                reporter.advance(size, indexed(summary));
            }
            Msg::Start {
                file,
                key,
                size,
                mtime_ns,
                file_no,
                resumed,
                reuse,
            } => {
                self.manifest.next_file_no = self.manifest.next_file_no.max(file_no + 1);
                let mut current = Current {
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
                match resumed {
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
            Msg::Batch {
                articles,
                problems,
                shadowed,
                kept,
                checkpoint,
                raw,
            } => {
                let Some(current) = self.current.as_mut() else {
                    return Ok(());
                };
                for problem in &problems {
                    reporter.problem(&current.path, problem);
                    summary.skipped.push(describe(&current.path, problem));
                    summary.records_skipped += 1;
                }
                let n = articles.len();
                let file_no = current.file_no;
                for &(id, content) in &shadowed {
                    self.log.push(Entry {
                        file_no,
                        id,
                        content,
                    });
                }
                for &(id, content) in &kept {
                    self.log.push(Entry {
                        file_no,
                        id,
                        content: content | INDEXED,
                    });
                }
                current.articles += shadowed.len() + kept.len();
                summary.articles_kept += kept.len();
                let mut chunk = Chunk::new(&current.key, &current.path);
                for out in articles {
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
                current.checkpoint = checkpoint;
                reporter.advance(raw.saturating_sub(current.raw), indexed(summary));
                current.raw = raw;
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
            } => {
                let Some(current) = self.current.take() else {
                    return Ok(());
                };
                summary.articles_deleted += replaced + vanished.len();
                if !vanished.is_empty() {
                    self.delete_vanished(&current.key, &vanished)?;
                }
                let summary = &mut self.summary;
                account(&current.path, chars_indexed, &left_out, summary, reporter);
                page_notes(&current.path, &notes, summary, reporter);
                if encoding == TextEncoding::Windows1256 {
                    summary.windows_1256_files += 1;
                }
                let partial = match broken {
                    Some(problem) => {
                        // Keep what was read; the next run goes on from the
                        // last resume point and meets the error again until
                        // the file is repaired.
                        reporter.problem(&current.path, &problem);
                        summary.skipped.push(describe(&current.path, &problem));
                        summary.records_skipped += 1;
                        Some(current.checkpoint.clone().unwrap_or_else(start_position))
                    }
                    None => None,
                };
                summary.files_indexed += 1;
                summary.bytes += current.size;
                reporter.advance(current.size.saturating_sub(current.raw), indexed(summary));
                self.manifest.files.insert(
                    current.key,
                    FileRecord {
                        size: current.size,
                        mtime_ns: current.mtime_ns,
                        hash: if partial.is_some() {
                            String::new()
                        } else {
                            hash
                        },
                        articles: current.articles,
                        file_no: current.file_no,
                        partial,
                        ids: Vec::new(),
                    },
                );
            }
        }
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
        let mut ids = std::collections::BTreeSet::new();
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
    fn commit(&mut self) -> Result<(), IndexError> {
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
                },
            );
        }
        self.log.write()?;
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

/// Adds a file's indexed and left-out characters to the summary, with a
/// note when it lost more than [`left_out::NOTE_SHARE`] of its text.
fn account(
    path: &Path,
    chars_indexed: usize,
    left: &Tally,
    summary: &mut Summary,
    reporter: &mut dyn Reporter,
) {
    summary.chars_indexed += chars_indexed;
    for (reason, chars) in left.by_reason() {
        summary.chars_left_out += chars;
        *summary.chars_left_out_by_reason.entry(reason).or_default() += chars;
    }
    if let Some(note) = left_out::note(path, chars_indexed, left) {
        reporter.note(path, &note);
        summary.notes.push(format!("{}: {note}", path.display()));
    }
}

/// Most page notes printed for one file (all are counted).
const PAGE_NOTES_SHOWN: usize = 20;

/// Notes a file's pages that may have lost their article (and WARC
/// records cut short): each is printed and kept in the summary, the first
/// [`PAGE_NOTES_SHOWN`] of a file, and all are counted.
fn page_notes(path: &Path, notes: &[String], summary: &mut Summary, reporter: &mut dyn Reporter) {
    summary.pages_noted += notes.len();
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
        summary.notes.push(format!("{}: {note}", path.display()));
    }
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

fn indexed(summary: &Summary) -> usize {
    summary.articles_added + summary.articles_updated
}

/// Gives the files of a manifest written before the id log a number, and
/// their listed ids to the log.
fn migrate_legacy_ids(manifest: &mut Manifest, log: &mut IdLog) {
    for record in manifest.files.values_mut() {
        if record.file_no != 0 {
            continue;
        }
        record.file_no = manifest.next_file_no;
        manifest.next_file_no += 1;
        for id in std::mem::take(&mut record.ids) {
            log.push(Entry {
                file_no: record.file_no,
                id: id_hash(&id),
                content: 0,
            });
        }
    }
}

/// Files that are gone or whose size or mtime changed since the manifest.
fn suspects(
    keyed: &[(CorpusFile, String)],
    manifest: &Manifest,
    gone: &[String],
) -> HashSet<String> {
    let mut out: HashSet<String> = gone.iter().cloned().collect();
    for (file, key) in keyed {
        let Some(record) = manifest.files.get(key) else {
            continue;
        };
        let changed = fs::metadata(&file.path).map_or(true, |m| {
            m.len() != record.size || mtime_ns(&m) != record.mtime_ns
        });
        if changed {
            out.insert(key.clone());
        }
    }
    out
}

/// From the id log: the owner of every id (the last file holding it, in
/// walk order), and the unchanged files to read again because a suspect
/// (changed or gone) file shares an id with them and may have held the
/// copy in the index: files before the suspect in walk order, or any file
/// when the suspect is gone. (A file after it holds the winning copy,
/// which the suspect's re-reading leaves alone.) Suspects' own ids are
/// left out of the owners: they claim them again when read. A suspect a
/// killed run had partly indexed, resumed because only bytes after its
/// commit point changed, and sharing an id with an earlier file, may then
/// lose that id's copy to the earlier file (the content of one of the two
/// copies is kept, never none).
fn sharing(
    keyed: &[(CorpusFile, String)],
    manifest: &Manifest,
    log: &IdLog,
    suspects: &HashSet<String>,
) -> Result<Sharing, IndexError> {
    let position: HashMap<&str, u32> = keyed
        .iter()
        .enumerate()
        .map(|(i, (_, k))| (k.as_str(), i as u32))
        .collect();
    let mut of_no: HashMap<u32, (&str, u32)> = HashMap::new();
    for (key, record) in &manifest.files {
        let pos = position.get(key.as_str()).copied().unwrap_or(OUTSIDE);
        of_no.insert(record.file_no, (key.as_str(), pos));
    }
    let suspect_nos: HashSet<u32> = suspects
        .iter()
        .filter_map(|k| manifest.files.get(k))
        .map(|r| r.file_no)
        .collect();
    // For each id of a suspect, the latest suspect position holding it.
    let mut suspect_ids: HashMap<u64, u32> = HashMap::new();
    let mut shared = HashSet::new();
    for (no, hashes) in ids_of(log, &suspect_nos)? {
        let pos = of_no.get(&no).map_or(OUTSIDE, |&(_, p)| p);
        for hash in hashes {
            if suspect_ids.contains_key(&hash) {
                shared.insert(hash);
            }
            let at = suspect_ids.entry(hash).or_insert(pos);
            if pos == OUTSIDE || (*at != OUTSIDE && pos > *at) {
                *at = pos;
            }
        }
    }
    let live: HashSet<u32> = of_no.keys().copied().collect();
    let mut owners = Owners::new();
    let mut forced = HashSet::new();
    log.read_live(
        &live,
        |Entry {
             file_no: no,
             id: hash,
             ..
         }| {
            let Some(&(key, pos)) = of_no.get(&no) else {
                return;
            };
            if suspect_nos.contains(&no) {
                // Read again (or gone): it claims its ids anew when read.
                return;
            }
            if owners.contains_key(&hash) || suspect_ids.contains_key(&hash) {
                shared.insert(hash);
            }
            let owner = owners.entry(hash).or_insert(Owner { pos, now: false });
            if owner.pos == OUTSIDE || (pos != OUTSIDE && pos > owner.pos) {
                owner.pos = pos;
            }
            if let Some(&suspect) = suspect_ids.get(&hash) {
                if suspect == OUTSIDE || pos < suspect {
                    forced.insert(key.to_string());
                }
            }
        },
    )?;
    Ok(Sharing {
        forced,
        owners,
        shared,
    })
}

/// What the id log says of ids that several files hold.
#[derive(Default)]
struct Sharing {
    /// Unchanged files to read again (see [`sharing`]).
    forced: HashSet<String>,
    /// The owner of every id of the files not suspected.
    owners: Owners,
    /// Ids logged more than once (by two files, or twice by one).
    shared: HashSet<u64>,
}

/// A batch of one file's articles for the analysis workers.
struct Chunk {
    key: String,
    path: PathBuf,
    articles: Vec<Outgoing>,
}

/// A built document, its id, and whether to delete that id first.
type Prepared = (String, bool, TantivyDocument);

impl Chunk {
    fn new(key: &str, path: &Path) -> Self {
        Chunk {
            key: key.to_string(),
            path: path.to_path_buf(),
            articles: Vec::with_capacity(super::feed::BATCH_ARTICLES),
        }
    }

    fn build(self, builder: &mut DocBuilder) -> Vec<Prepared> {
        let (key, path) = (self.key, self.path);
        self.articles
            .into_iter()
            .map(|o| {
                let doc = builder.build(&o.article, &o.id, &key, &path);
                (o.id, o.delete, doc)
            })
            .collect()
    }
}

/// Adds built documents in order, deleting older copies of their ids.
fn add_docs(writer: &mut IndexWriter<TantivyDocument>, fields: &Fields, docs: Vec<Prepared>) {
    for (id, delete, doc) in docs {
        if delete {
            writer.delete_term(Term::from_field_text(fields.id, &id));
        }
        // add_document fails only when the writer's threads are gone; the
        // commit that follows reports that error.
        let _ = writer.add_document(doc);
    }
}

pub use super::document::entity_facet;

fn describe(path: &Path, problem: &Problem) -> String {
    match problem.line {
        Some(line) => format!("{}:{line}: {}", path.display(), problem.reason),
        None => format!("{}: {}", path.display(), problem.reason),
    }
}

/// The canonical path of a file as a manifest key (the path itself when it
/// cannot be canonicalized).
fn canonical_key(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

fn is_under(key: &str, root: &str) -> bool {
    key == root
        || key
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
}
