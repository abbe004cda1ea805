//! Index: open an index folder for writing or reading, or create it.

use std::fs;
use std::path::Path;

use std::sync::{Arc, OnceLock};

use tantivy::{Index, IndexReader, Searcher};

use super::cache::SearchCaches;
use super::meta::{Manifest, MANIFEST_FILE};
use super::schema::{build_schema, fields, Fields};
use super::IndexError;
use crate::analysis::register;

/// An open akhbar index with its schema fields and manifest.
pub struct OpenIndex {
    /// The tantivy index, with akhbar's analyzers registered.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// The manifest read from (or to be written to) the folder.
    pub manifest: Manifest,
    /// The index folder.
    pub dir: std::path::PathBuf,
    /// What searches computed from this commit's dictionaries and
    /// postings (see `search::plan`).
    pub caches: Arc<SearchCaches>,
    reader: OnceLock<IndexReader>,
}

impl OpenIndex {
    /// A searcher on the last commit; the reader behind it is opened once
    /// and reused by every search.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the index cannot be read.
    pub fn searcher(&self) -> Result<Searcher, IndexError> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader.searcher());
        }
        let reader = self
            .index
            .reader()
            .map_err(|e| IndexError::tantivy(&self.dir, e))?;
        Ok(self.reader.get_or_init(|| reader).searcher())
    }
}

/// Opens an existing index for searching.
///
/// # Errors
/// [`IndexError::Missing`] when the folder has no index;
/// [`IndexError::NotAnIndex`], [`IndexError::VersionMismatch`],
/// [`IndexError::BadManifest`] or [`IndexError::Tantivy`] when it cannot be
/// used.
pub fn open_existing(dir: &Path) -> Result<OpenIndex, IndexError> {
    if !dir.is_dir() {
        return Err(IndexError::Missing(dir.to_path_buf()));
    }
    if !dir.join(MANIFEST_FILE).exists() {
        return Err(if is_empty_dir(dir) {
            IndexError::Missing(dir.to_path_buf())
        } else {
            IndexError::NotAnIndex(dir.to_path_buf())
        });
    }
    let manifest = Manifest::load(dir)?;
    manifest.check(dir)?;
    if manifest.files.is_empty() && !dir.join("meta.json").exists() {
        // The first run is creating the index (the manifest comes first,
        // see `create`): nothing is indexed yet.
        return Err(IndexError::Missing(dir.to_path_buf()));
    }
    let index = Index::open_in_dir(dir).map_err(|e| IndexError::tantivy(dir, e))?;
    // The manifest that goes with the last commit (a run may have been
    // killed between its commit and the manifest's rename).
    let payload = index.load_metas().ok().and_then(|m| m.payload);
    let manifest = match payload {
        Some(p) if p != manifest.payload() => {
            let committed = Manifest::load_committed(dir, Some(&p))?;
            committed.check(dir)?;
            committed
        }
        _ => manifest,
    };
    with_analyzers(index, manifest, dir)
}

/// An [`OpenIndex`] for a tantivy index: akhbar's analyzers registered and
/// the schema's fields looked up.
fn with_analyzers(index: Index, manifest: Manifest, dir: &Path) -> Result<OpenIndex, IndexError> {
    register(index.tokenizers());
    let fields = fields(&index.schema(), dir)?;
    Ok(OpenIndex {
        index,
        fields,
        manifest,
        dir: dir.to_path_buf(),
        caches: Arc::default(),
        reader: OnceLock::new(),
    })
}

/// Opens an index for writing, creating it when the folder is new or empty;
/// with `rebuild`, an index of another version (or a damaged one) is
/// cleared here, and one of this version is emptied by the writer.
///
/// # Errors
/// As [`open_existing`], plus [`IndexError::Io`] when the folder cannot be
/// created or cleared. A non-empty folder that is not an akhbar index is
/// never deleted.
pub fn open_for_writing(dir: &Path, rebuild: bool) -> Result<OpenIndex, IndexError> {
    let has_manifest = dir.join(MANIFEST_FILE).exists();
    if is_own_leftover(dir) {
        // A run of an older akhbar killed while creating the index.
        let _lock = writer_lock(dir)?;
        clear_dir(dir)?;
        return create(dir);
    }
    if dir.exists() && !is_empty_dir(dir) && !has_manifest {
        return Err(IndexError::NotAnIndex(dir.to_path_buf()));
    }
    if has_manifest && !dir.join("meta.json").exists() {
        // Killed after writing the manifest and before tantivy's first
        // commit: nothing was indexed yet, start the index over.
        let manifest = Manifest::load(dir)?;
        if manifest.files.is_empty() || rebuild {
            return create(dir);
        }
    }
    if has_manifest {
        match open_existing(dir) {
            Ok(mut open) => {
                // Put the committed manifest in place; drop a `.next` one
                // whose commit never happened.
                if Manifest::load(dir).ok().as_ref() != Some(&open.manifest) {
                    open.manifest.save(dir)?;
                }
                Manifest::discard_next(dir);
                if rebuild {
                    // Same versions: the writer will delete every document
                    // under its lock; the manifest starts over.
                    open.manifest.files.clear();
                }
                return Ok(open);
            }
            Err(IndexError::Locked(p)) => return Err(IndexError::Locked(p)),
            Err(e) if !rebuild => return Err(e),
            Err(_) => {
                let _lock = writer_lock(dir)?;
                clear_dir(dir)?;
            }
        }
    }
    create(dir)
}

/// Creates a new index in `dir`: the manifest first, so that a run killed
/// before tantivy's files exist leaves a folder akhbar recognizes as its
/// own.
fn create(dir: &Path) -> Result<OpenIndex, IndexError> {
    fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
    let manifest = Manifest::default();
    manifest.save(dir)?;
    let index =
        Index::create_in_dir(dir, build_schema()).map_err(|e| IndexError::tantivy(dir, e))?;
    with_analyzers(index, manifest, dir)
}

/// Takes akhbar's own run lock in `dir` (created if needed), held for a
/// whole indexing run: a second `akhbar index` on the same folder is told
/// at once that the index is being written, before it touches anything.
/// A non-empty folder that is not an akhbar index is refused first, and
/// gets no lock file.
///
/// # Errors
/// [`IndexError::NotAnIndex`], [`IndexError::Locked`], or an I/O error
/// ([`IndexError::ReadOnly`] when the folder cannot be written).
pub fn run_lock(dir: &Path) -> Result<fs::File, IndexError> {
    if dir.exists() && is_foreign(dir) {
        return Err(IndexError::NotAnIndex(dir.to_path_buf()));
    }
    fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
    let path = dir.join(".akhbar-writer.lock");
    let file = lock_file(dir, &path)?;
    if is_foreign(dir) {
        // Someone filled the folder meanwhile: leave it as it was.
        drop(file);
        let _ = fs::remove_file(&path);
        return Err(IndexError::NotAnIndex(dir.to_path_buf()));
    }
    Ok(file)
}

/// Opens (creating) the lock file `path` of index `dir` and takes an
/// exclusive advisory lock on it without waiting.
fn lock_file(dir: &Path, path: &Path) -> Result<fs::File, IndexError> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| IndexError::io(path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(IndexError::Locked(dir.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(IndexError::io(path, e)),
    }
}

/// True for an existing, non-empty folder that akhbar did not make.
fn is_foreign(dir: &Path) -> bool {
    !is_empty_dir(dir) && !dir.join(MANIFEST_FILE).exists() && !is_own_leftover(dir)
}

/// Takes tantivy's writer lock file (an advisory `flock`, the same kind
/// tantivy takes), so an index another process is writing is never cleared.
fn writer_lock(dir: &Path) -> Result<fs::File, IndexError> {
    lock_file(dir, &dir.join(".tantivy-writer.lock"))
}

/// True for a folder akhbar left while creating an index: a temporary
/// manifest and no manifest (tantivy's files may be there).
fn is_own_leftover(dir: &Path) -> bool {
    !dir.join(MANIFEST_FILE).exists() && dir.join(format!("{MANIFEST_FILE}.tmp")).exists()
}

/// True for a folder holding nothing but hidden files and a leftover
/// manifest temp file (from a run killed while saving it).
fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| {
        entries.all(|e| {
            e.is_ok_and(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with('.') || name == format!("{MANIFEST_FILE}.tmp")
            })
        })
    })
}

/// Deletes the files of an akhbar index folder, keeping the folder and its
/// hidden files (such as a `.gitignore`).
fn clear_dir(dir: &Path) -> Result<(), IndexError> {
    let entries = fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IndexError::io(dir, e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| IndexError::io(&path, e))?;
    }
    Ok(())
}
