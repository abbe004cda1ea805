//! Index: one incremental indexing pass (`akhbar index`).
//!
//! Plan: list the files; delete from the index the files of these roots that
//! disappeared; skip files whose size and mtime match the manifest (or,
//! when those changed, whose content hash does); read, parse and replace
//! the rest. Parsing runs on a reader thread, one file ahead of the writer,
//! through a bounded channel, while tantivy's writer threads analyze and
//! index; memory is bounded by the writer budget plus a few files in flight.
//! Commits happen every `commit_every` articles and at the end; the
//! manifest is saved after each commit, so an interrupted run loses at most
//! the last batch, and the next run redoes exactly the files the manifest
//! does not list. Every article is added after a delete of its id, so a
//! redone file never duplicates an article.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::thread;
use std::time::{Instant, UNIX_EPOCH};

use serde::Serialize;

use tantivy::{IndexWriter, TantivyDocument, Term};

use super::document::DocBuilder;
use super::meta::FileRecord;
use super::open::{open_for_writing, run_lock, OpenIndex};
use super::pipeline::OrderedPool;
use super::schema::Fields;
use super::IndexError;
use crate::corpus::left_out::{self, LeftOut, Reason};
use crate::corpus::text;
use crate::corpus::walk::{collect, CorpusFile};
use crate::corpus::{article_id, decode, Article, FileArticles, Format, Problem, TextEncoding};
use crate::entities::AliasTable;

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
            aliases: None,
        }
    }
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
    /// Articles from new files.
    pub articles_added: usize,
    /// Articles from changed files.
    pub articles_updated: usize,
    /// Articles removed with deleted or changed files.
    pub articles_deleted: usize,
    /// Articles in unchanged files.
    pub articles_unchanged: usize,
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
    /// articles indexed in this run.
    pub chars_indexed: usize,
    /// Characters of the lines of the files read in this run that went
    /// into no article (read-also markers, related headlines, links,
    /// boilerplate, page footers; see [`Reason`]).
    pub chars_left_out: usize,
    /// `chars_left_out` per reason (reasons with none omitted).
    pub chars_left_out_by_reason: BTreeMap<Reason, usize>,
    /// Files that lost more than a fifth of their text:
    /// `path: N% of the text was left out as …`.
    pub notes: Vec<String>,
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
    /// One more file done; `bytes` its size, `articles` the articles so far.
    fn file_done(&mut self, bytes: u64, articles: usize);
    /// A file or a line was skipped.
    fn problem(&mut self, path: &Path, problem: &Problem);
    /// A file was indexed but something about it deserves a look (much
    /// of its text left out); the note is also in [`Summary::notes`].
    fn note(&mut self, _path: &Path, _note: &str) {}
    /// The run is over.
    fn finish(&mut self);
}

/// One file after the reader thread has looked at it.
struct ReadFile {
    file: CorpusFile,
    key: String,
    size: u64,
    mtime_ns: u128,
    outcome: ReadOutcome,
}

enum ReadOutcome {
    Unchanged,
    Touched { hash: String },
    Parsed { hash: String, read: FileArticles },
    Failed(Problem),
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
    let mut writer: IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(threads, budget)
        .map_err(|e| IndexError::tantivy(dir, e))?;
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
    }
    // A damaged index fails here (asking for --rebuild) rather than being
    // taken for an empty one; --rebuild deletes everything anyway.
    let existing_docs = match index.reader() {
        Ok(reader) => reader.searcher().num_docs(),
        Err(_) if options.rebuild => 0,
        Err(e) => return Err(IndexError::tantivy(dir, e)),
    };
    let need_deletes = !(options.rebuild || existing_docs == 0);

    let mut summary = Summary::default();
    let (files, walk_problems) = collect(&options.roots, dir);
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
    let forced = sharing_ids(&manifest, &suspects(&keyed, &manifest, &gone));
    for key in gone {
        writer.delete_term(Term::from_field_text(fields.file, &key));
        if let Some(record) = manifest.files.remove(&key) {
            summary.articles_deleted += record.articles;
        }
        summary.files_deleted += 1;
    }

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
    let mut ids_this_run: HashSet<String> = HashSet::new();
    let mut since_commit = 0usize;
    let mut commit_error = None;

    let mut pool = {
        let table = Arc::clone(&table);
        OrderedPool::new(threads, threads * 4, move || {
            let mut builder = DocBuilder::new(fields, Arc::clone(&table));
            move |chunk: Chunk| chunk.build(&mut builder)
        })
    };
    thread::scope(|scope| {
        let (tx, rx) = sync_channel::<ReadFile>(2);
        let (known, forced) = (&known, &forced);
        scope.spawn(move || {
            for (file, key) in keyed {
                let force = forced.contains(&key)
                    || reread_text && Format::of(&file.path) == Some(Format::Text);
                let read = read_one(file, key, known, force);
                if tx.send(read).is_err() {
                    break;
                }
            }
        });
        for read in rx {
            let articles = apply(
                read,
                &fields,
                &mut writer,
                &mut pool,
                &mut manifest,
                &mut summary,
                reporter,
                need_deletes,
                &mut ids_this_run,
            );
            since_commit += articles;
            if since_commit >= options.commit_every {
                since_commit = 0;
                pool.drain(&mut |docs| add_docs(&mut writer, &fields, docs));
                if let Err(e) = commit(&mut writer, &manifest, dir) {
                    commit_error = Some(e);
                    break;
                }
            }
        }
    });
    pool.drain(&mut |docs| add_docs(&mut writer, &fields, docs));
    drop(pool);
    if let Some(e) = commit_error {
        return Err(e);
    }
    manifest.entities_fingerprint = table.fingerprint.clone();
    manifest.text_reader_version = text::READER_VERSION;
    commit(&mut writer, &manifest, dir)?;
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

fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    manifest: &super::meta::Manifest,
    dir: &Path,
) -> Result<(), IndexError> {
    writer.commit().map_err(|e| IndexError::tantivy(dir, e))?;
    manifest.save(dir)
}

/// Files that are gone or whose size or mtime changed since the manifest.
fn suspects(
    keyed: &[(CorpusFile, String)],
    manifest: &super::meta::Manifest,
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

/// Unchanged files that share an article id with a suspect file: deleting
/// or replacing the suspect's articles may delete theirs, so they are
/// indexed again.
fn sharing_ids(manifest: &super::meta::Manifest, suspects: &HashSet<String>) -> HashSet<String> {
    if suspects.is_empty() {
        return HashSet::new();
    }
    let mut owners: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, record) in &manifest.files {
        for id in &record.ids {
            owners.entry(id.as_str()).or_default().push(key.as_str());
        }
    }
    let mut out = HashSet::new();
    for suspect in suspects {
        let Some(record) = manifest.files.get(suspect) else {
            continue;
        };
        for id in &record.ids {
            for owner in owners.get(id.as_str()).into_iter().flatten() {
                if !suspects.contains(*owner) {
                    out.insert((*owner).to_string());
                }
            }
        }
    }
    out
}

/// Looks at one file on the reader thread: unchanged, or read and parsed
/// (always read when `force`).
fn read_one(
    file: CorpusFile,
    key: String,
    known: &HashMap<String, FileRecord>,
    force: bool,
) -> ReadFile {
    let meta = fs::metadata(&file.path);
    let (size, mtime_ns) = meta
        .as_ref()
        .map(|m| (m.len(), mtime_ns(m)))
        .unwrap_or((0, 0));
    let record = known.get(&key).filter(|_| !force);
    let outcome = if record.is_some_and(|r| r.size == size && r.mtime_ns == mtime_ns) {
        ReadOutcome::Unchanged
    } else {
        parse(&file.path, record)
    };
    ReadFile {
        file,
        key,
        size,
        mtime_ns,
        outcome,
    }
}

fn parse(path: &Path, record: Option<&FileRecord>) -> ReadOutcome {
    let Some(format) = Format::of(path) else {
        return ReadOutcome::Failed(Problem::file(
            "unsupported file type (expected .txt, .md, .json, .jsonl, .ndjson, or .gz)",
        ));
    };
    let bytes = match decode::read_bytes(path) {
        Ok(b) => b,
        Err(p) => return ReadOutcome::Failed(p),
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if record.is_some_and(|r| r.hash == hash) {
        return ReadOutcome::Touched { hash };
    }
    match crate::corpus::parse_bytes(&bytes, format) {
        Ok(read) => ReadOutcome::Parsed { hash, read },
        Err(p) => ReadOutcome::Failed(p),
    }
}

fn mtime_ns(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Applies one file to the index; returns the articles it added.
#[allow(clippy::too_many_arguments)]
fn apply(
    read: ReadFile,
    fields: &Fields,
    writer: &mut IndexWriter<TantivyDocument>,
    pool: &mut OrderedPool<Chunk, Vec<Prepared>>,
    manifest: &mut super::meta::Manifest,
    summary: &mut Summary,
    reporter: &mut dyn Reporter,
    need_deletes: bool,
    ids_this_run: &mut HashSet<String>,
) -> usize {
    let ReadFile {
        file,
        key,
        size,
        mtime_ns,
        outcome,
    } = read;
    let mut added = 0;
    match outcome {
        ReadOutcome::Unchanged => {
            summary.files_unchanged += 1;
            summary.articles_unchanged += manifest.files.get(&key).map_or(0, |r| r.articles);
        }
        ReadOutcome::Touched { hash } => {
            summary.files_unchanged += 1;
            if let Some(r) = manifest.files.get_mut(&key) {
                summary.articles_unchanged += r.articles;
                r.mtime_ns = mtime_ns;
                r.hash = hash;
            }
        }
        ReadOutcome::Failed(problem) => {
            reporter.problem(&file.path, &problem);
            summary.skipped.push(describe(&file.path, &problem));
            summary.files_skipped += 1;
        }
        ReadOutcome::Parsed { hash, read } => {
            let previous = manifest.files.get(&key).map(|r| r.articles);
            if let Some(old) = previous {
                writer.delete_term(Term::from_field_text(fields.file, &key));
                summary.articles_deleted += old;
            }
            for problem in &read.problems {
                reporter.problem(&file.path, problem);
                summary.skipped.push(describe(&file.path, problem));
                summary.records_skipped += 1;
            }
            if read.encoding == TextEncoding::Windows1256 {
                summary.windows_1256_files += 1;
            }
            summary.empty_bodies += read.empty_bodies;
            let mut chars_indexed = 0;
            let mut ids = Vec::with_capacity(read.articles.len());
            let mut chunk = Chunk::new(&key, &file.path);
            for (n, article) in read.articles.into_iter().enumerate() {
                let id = article_id(&article, &file.relative, read.multi, n);
                let delete = need_deletes || !ids_this_run.insert(id.clone());
                chars_indexed += article.chars();
                if !article.date_text.is_empty() && article.date.is_none() {
                    summary.unparsed_dates += 1;
                }
                ids.push(id.clone());
                chunk.articles.push((article, id, delete));
                if chunk.articles.len() == CHUNK_ARTICLES {
                    let full = std::mem::replace(&mut chunk, Chunk::new(&key, &file.path));
                    pool.submit(full, &mut |docs| add_docs(writer, fields, docs));
                }
            }
            if !chunk.articles.is_empty() {
                pool.submit(chunk, &mut |docs| add_docs(writer, fields, docs));
            }
            account(&file.path, chars_indexed, &read.left_out, summary, reporter);
            added = ids.len();
            if previous.is_some() {
                summary.articles_updated += added;
            } else {
                summary.articles_added += added;
            }
            summary.files_indexed += 1;
            summary.bytes += size;
            manifest.files.insert(
                key,
                FileRecord {
                    size,
                    mtime_ns,
                    hash,
                    articles: added,
                    ids,
                },
            );
        }
    }
    reporter.file_done(size, summary.articles_added + summary.articles_updated);
    added
}

/// Adds a file's indexed and left-out characters to the summary, with a
/// note when it lost more than [`left_out::NOTE_SHARE`] of its text.
fn account(
    path: &Path,
    chars_indexed: usize,
    left: &[LeftOut],
    summary: &mut Summary,
    reporter: &mut dyn Reporter,
) {
    summary.chars_indexed += chars_indexed;
    for (reason, chars) in left_out::by_reason(left) {
        summary.chars_left_out += chars;
        *summary.chars_left_out_by_reason.entry(reason).or_default() += chars;
    }
    if let Some(note) = left_out::note(path, chars_indexed, left) {
        reporter.note(path, &note);
        summary.notes.push(format!("{}: {note}", path.display()));
    }
}

/// Articles analyzed per pool job.
const CHUNK_ARTICLES: usize = 32;

/// A batch of one file's articles for the analysis workers: each with its
/// id and whether an older copy must be deleted first.
struct Chunk {
    key: String,
    path: PathBuf,
    articles: Vec<(Article, String, bool)>,
}

/// A built document, its id, and whether to delete that id first.
type Prepared = (String, bool, TantivyDocument);

impl Chunk {
    fn new(key: &str, path: &Path) -> Self {
        Chunk {
            key: key.to_string(),
            path: path.to_path_buf(),
            articles: Vec::with_capacity(CHUNK_ARTICLES),
        }
    }

    fn build(self, builder: &mut DocBuilder) -> Vec<Prepared> {
        let (key, path) = (self.key, self.path);
        self.articles
            .into_iter()
            .map(|(a, id, delete)| {
                let doc = builder.build(&a, &id, &key, &path);
                (id, delete, doc)
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
