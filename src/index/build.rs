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

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use tantivy::indexer::{IndexWriterOptions, LogMergePolicy};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::changes::{migrate_legacy_ids, Changes, Kept, Keyed};
use super::document::DocBuilder;
use super::feed::{Feed, Msg, Reread};
use super::ids::{contents_of, IdLog};
use super::meta::{index_folders, FileRecord, Manifest};
use super::open::{open_for_writing, run_lock, OpenIndex};
use super::pipeline::OrderedPool;
use super::schema::Fields;
use super::summary::{Reporter, Summary};
use super::trim::{self, Trimmer};
use super::writer::{Chunk, Writer};
use super::IndexError;

use crate::corpus::{walk, Walk};
use crate::corpus::{FieldMap, Problem, TEXT_READER_VERSION};
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

/// Segments of one size class merged together, and no fewer. Every commit
/// closes a segment per writer thread, so the shared corpora (72,000
/// articles, a commit every 20,000) end with about 8 segments; tantivy's
/// default (8) then merged them all into one after the last commit, a
/// single-threaded tail of 3.4 s on a 14 s build (24% of the wall time,
/// 15% of the CPU) that bought no search speed: the bench queries' p50 and
/// p95 are the same over 8 segments as over 1 (BENCHMARKS.md, issue 28).
/// Ten, as Lucene's tiered policy (`segmentsPerTier`), lets a run end with
/// up to nine segments per size class; larger corpora still merge, during
/// the run, ten segments at a time.
const MIN_MERGE_SEGMENTS: usize = 10;

/// The merge cap of the watcher's passes after its first: only segments
/// of at most this many articles are merged, so a pass never waits for
/// more than a merge of small segments. Without it, tantivy's log merge
/// policy counts every segment under 10,000 documents as one size class,
/// so a one-file pass over the shared corpora (eight first-pass segments
/// of about 9,000 articles) merged all 72,000 articles and took 18.7 s
/// while the files renamed in meanwhile waited (BENCHMARKS.md, issue 31).
/// The watcher's own segments are merged up to this size; an ordinary
/// `akhbar index` run merges further.
pub const WATCH_MERGE_DOCS: usize = 2_000;

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
    /// Files to leave as they are in this run (the watcher's files still
    /// being written): neither read nor deleted, their indexed articles
    /// kept.
    pub hold: Hold,
    /// Make no commit when the run changed nothing (the watcher's passes:
    /// a commit makes every server reopen the index).
    pub skip_idle_commit: bool,
    /// Segments with more documents than this are not merged in this run
    /// (150,000 by default). A run waits for the merges its
    /// commits start, so the watcher's passes after the first use
    /// [`WATCH_MERGE_DOCS`]: a pass that indexes one file must not wait
    /// for a merge of the whole index.
    pub max_merge_docs: usize,
    /// The user's names for fields (`--map`); `None` keeps the map the
    /// index was built with. A changed map reads the record files again.
    pub field_map: Option<FieldMap>,
}

/// Which files a run leaves as they are (see [`IndexOptions::hold`]).
#[derive(Clone, Default)]
pub struct Hold(Option<Arc<HoldFn>>);

/// The test a [`Hold`] makes of each file.
type HoldFn = dyn Fn(&Path) -> bool + Send + Sync;

impl Hold {
    /// Holds the files for which `held` is true.
    pub fn new(held: impl Fn(&Path) -> bool + Send + Sync + 'static) -> Hold {
        Hold(Some(Arc::new(held)))
    }

    /// True when the file at `path` is held.
    pub fn holds(&self, path: &Path) -> bool {
        self.0.as_ref().is_some_and(|held| held(path))
    }
}

impl std::fmt::Debug for Hold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Hold(..)"
        } else {
            "Hold(none)"
        })
    }
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
            hold: Hold::default(),
            skip_idle_commit: false,
            max_merge_docs: MAX_MERGE_DOCS,
            field_map: None,
        }
    }
}

/// The field map of this run (the user's, or the one the index was built
/// with) and the kinds of files it reads again whatever their state.
fn rereads(
    options: &IndexOptions,
    manifest: &Manifest,
    fresh: bool,
    dir: &Path,
) -> Result<(FieldMap, Reread), IndexError> {
    let map = match &options.field_map {
        Some(map) => map.clone(),
        None => FieldMap::parse(&manifest.field_map).map_err(|reason| IndexError::BadManifest {
            path: Manifest::path(dir),
            reason: format!("field map: {reason}"),
        })?,
    };
    let reread = Reread {
        // Text files read by an older page reader are read again,
        text: manifest.text_reader_version != TEXT_READER_VERSION,
        // and record files read with another field map.
        records: !fresh && map.canonical() != manifest.field_map,
    };
    Ok((map, reread))
}

/// Runs one indexing pass.
///
/// # Errors
/// A missing root, or an index that cannot be opened, locked or committed.
/// Problems with single files are reported to `reporter`, not returned.
pub fn build(options: &IndexOptions, reporter: &mut dyn Reporter) -> Result<Summary, IndexError> {
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
    let threads = writer_threads(options.threads);
    let writer = open_writer(&index, fields, dir, options, threads)?;
    // Mapped index pages out of the resident set while merges read them.
    let _trimmer = Trimmer::start(dir, trim::PERIOD);
    let (table, table_problems) =
        AliasTable::load(&AliasTable::user_files(options.aliases.as_deref()));
    for p in &table_problems {
        reporter.problem(&p.file, &Problem::at_line(p.line, p.reason.clone()));
    }
    let table = Arc::new(table);
    let fresh = options.rebuild || manifest.files.is_empty();
    let (map, reread) = rereads(options, &manifest, fresh, dir)?;
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
    let loaded = manifest.clone();

    let mut summary = Summary::default();
    let (keyed, kept) = walk_roots(options, dir, &mut summary, reporter);
    let changes = Changes::find(&keyed, &manifest, &log, &options.roots, need_deletes, &kept)?;
    for key in &changes.gone {
        writer.delete_term(Term::from_field_text(fields.file, key));
        if let Some(record) = manifest.files.remove(key) {
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
        .filter(|k| {
            changes.suspects.contains(&k.key)
                || changes.forced.contains(&k.key)
                || reread.covers(k.path())
        })
        .filter_map(|k| manifest.files.get(&k.key))
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
        .filter_map(|k| fs::metadata(k.path()).ok())
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
    let Changes {
        forced,
        owners,
        shared,
        ..
    } = changes;
    let feed = Feed {
        files: keyed,
        known: &known,
        forced: &forced,
        reread,
        map: map.clone(),
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
    write_all(&mut w, feed, every, secs, reporter)?;
    w.manifest.entities_fingerprint = table.fingerprint.clone();
    w.manifest.text_reader_version = TEXT_READER_VERSION;
    w.manifest.field_map = map.canonical();
    let idle = w.summary.commits == 0 && w.manifest == loaded && !options.rebuild;
    if !(idle && options.skip_idle_commit) {
        w.commit()?;
    }
    let Writer {
        writer,
        pool,
        summary,
        ..
    } = w;
    drop(pool);
    writer
        .wait_merging_threads()
        .map_err(|e| IndexError::tantivy(dir, e))?;
    reporter.finish();
    finish_summary(summary, &index, dir, started)
}

/// Writer threads for `--threads N` (0: one per core, at most 8).
fn writer_threads(asked: usize) -> usize {
    match asked {
        0 => thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8),
        n => n,
    }
}

/// tantivy's writer for a run: the memory budget split over `threads`,
/// one merge thread, merges capped at `options.max_merge_docs`.
///
/// # Errors
/// The writer cannot be created (the index is locked or unreadable).
fn open_writer(
    index: &Index,
    fields: Fields,
    dir: &Path,
    options: &IndexOptions,
    threads: usize,
) -> Result<IndexWriter<TantivyDocument>, IndexError> {
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
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(options.max_merge_docs);
    policy.set_min_num_segments(MIN_MERGE_SEGMENTS);
    writer.set_merge_policy(Box::new(policy));
    Ok(writer)
}

/// The files under the run's roots with their manifest keys, and what
/// the run must keep as it is though it reads none of it: the keys of the
/// held files and of the paths the walk could not read (a folder that
/// cannot be listed for a moment loses none of its indexed articles).
/// The walk's problems, the held files and the files not read are
/// counted in `summary`.
fn walk_roots(
    options: &IndexOptions,
    dir: &Path,
    summary: &mut Summary,
    reporter: &mut dyn Reporter,
) -> (Vec<Keyed>, Kept) {
    let Walk {
        files,
        problems,
        unsupported,
    } = walk(&options.roots, &index_folders(dir));
    summary.files_unsupported = unsupported;
    let mut kept = Kept::default();
    for (path, problem) in &problems {
        summary.skip(path, problem, reporter);
        summary.files_skipped += 1;
        kept.under.push(Keyed::key_of(path));
    }
    summary.files_seen = files.len();
    let (held, read): (Vec<Keyed>, Vec<Keyed>) = Keyed::all(files)
        .into_iter()
        .partition(|k| options.hold.holds(k.path()));
    summary.files_held = held.len();
    kept.files = held.into_iter().map(|k| k.key).collect();
    (read, kept)
}

/// Runs the reader thread and applies what it sends, committing every
/// `every` articles and every `secs` (where the reader can resume), until
/// the reader is done or the reporter asks the run to stop.
///
/// # Errors
/// A commit, or deleting a changed file's vanished ids, failed; or
/// [`IndexError::Stopped`] when the reporter asked the run to stop.
fn write_all(
    w: &mut Writer<'_>,
    feed: Feed<'_>,
    every: usize,
    secs: Duration,
    reporter: &mut dyn Reporter,
) -> Result<(), IndexError> {
    let mut error = None;
    thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Msg>(8);
        scope.spawn(move || feed.run(&tx));
        for msg in rx {
            if let Err(e) = w.apply(msg, reporter) {
                error = Some(e);
                break;
            }
            let due =
                w.since_commit >= every || (w.since_commit > 0 && w.last_commit.elapsed() >= secs);
            if due && w.can_commit() {
                if let Err(e) = w.commit() {
                    error = Some(e);
                    break;
                }
            }
            if reporter.stop_requested() {
                // Dropping the receiver stops the reader at its next send.
                let kept = if w.since_commit > 0 && w.can_commit() {
                    w.commit()
                } else {
                    Ok(())
                };
                error = Some(
                    kept.err()
                        .unwrap_or(IndexError::Stopped(w.dir.to_path_buf())),
                );
                break;
            }
        }
    });
    error.map_or(Ok(()), Err)
}

/// The summary with the index's article count and the run's rates.
///
/// # Errors
/// The index cannot be read after the run.
fn finish_summary(
    mut summary: Summary,
    index: &Index,
    dir: &Path,
    started: Instant,
) -> Result<Summary, IndexError> {
    summary.articles_total = index
        .reader()
        .map_err(|e| IndexError::tantivy(dir, e))?
        .searcher()
        .num_docs();
    let secs = started.elapsed().as_secs_f64();
    summary.elapsed_secs = secs;
    let indexed = summary.indexed() as f64;
    summary.articles_per_sec = if secs > 0.0 { indexed / secs } else { 0.0 };
    summary.mb_per_sec = if secs > 0.0 {
        summary.bytes as f64 / 1_048_576.0 / secs
    } else {
        0.0
    };
    Ok(summary)
}
