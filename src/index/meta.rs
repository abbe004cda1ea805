//! Index: the manifest `akhbar.json` in the index folder: the analyzer and
//! schema versions the index was built with, and every indexed file with
//! its size, modification time, content hash and article count, so that a
//! re-run skips unchanged files, and, for a file a run stopped inside, the
//! [`Position`] its committed articles reach.
//!
//! Saved atomically with each tantivy commit: the new manifest is written
//! to `akhbar.json.next` first, the commit carries its generation number
//! as tantivy's commit payload, then the file is renamed into place. A run
//! killed between the commit and the rename leaves a manifest one
//! generation behind the index; [`Manifest::load_committed`] then takes
//! the `.next` one, whose generation the index names. The article ids of
//! each file live in the id log ([`super::ids`]), not here.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ids::LogRef;
use super::schema::SCHEMA_VERSION;
use super::IndexError;
use crate::analysis::ANALYZER_VERSION;
use crate::corpus::Position;

/// File name of the manifest inside an index folder.
pub const MANIFEST_FILE: &str = "akhbar.json";

/// What a walk of the corpus leaves out besides hidden entries: akhbar
/// index folders (those holding a manifest) and `dir`, the folder being
/// written (which has none before its first commit).
pub fn index_folders(dir: &Path) -> impl Fn(&Path) -> bool {
    let dir = dir.canonicalize().ok();
    move |path: &Path| {
        path.join(MANIFEST_FILE).exists()
            || dir
                .as_deref()
                .is_some_and(|d| path.canonicalize().is_ok_and(|p| p == d))
    }
}

/// What the index folder records about itself.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Always `akhbar-index`.
    pub format: String,
    /// Version of the analysis rules the index was built with.
    pub analyzer_version: u32,
    /// Version of the schema the index was built with.
    pub schema_version: u32,
    /// Fingerprint of the alias table the entity facets were built with.
    #[serde(default)]
    pub entities_fingerprint: String,
    /// Version of the text readers the text files were read with
    /// ([`crate::corpus::TEXT_READER_VERSION`]; 0 before it was kept).
    #[serde(default)]
    pub text_reader_version: u32,
    /// The user's names for fields the record files were read with
    /// (`--map`, canonical form; empty: none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field_map: String,
    /// Commit generation (also the payload of the tantivy commit it goes
    /// with).
    #[serde(default)]
    pub generation: u64,
    /// The id log and its committed length.
    #[serde(default)]
    pub ids: LogRef,
    /// When a commit last changed the index (RFC 3339, UTC; empty before
    /// it was kept).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub indexed_at: String,
    /// Number the next file read gets in the id log.
    #[serde(default = "first_file_no")]
    pub next_file_no: u32,
    /// Indexed files by canonical path.
    pub files: BTreeMap<String, FileRecord>,
}

fn first_file_no() -> u32 {
    1
}

/// What the manifest remembers of one indexed file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileRecord {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u128,
    /// blake3 hash of the file's bytes.
    pub hash: String,
    /// Articles indexed from it.
    pub articles: usize,
    /// Its number in the id log (0: none, an index made before the log).
    #[serde(default)]
    pub file_no: u32,
    /// For a file a run stopped inside: where its committed articles
    /// end (the hash is then of the bytes before that point).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<Position>,
    /// Ids of its articles, as older akhbar versions listed them; moved to
    /// the id log by the next indexing run.
    #[serde(default, skip_serializing)]
    pub ids: Vec<String>,
    /// For a JSON Lines file read to its end, which ended with a line
    /// break: where its next line would start, so that a file a feeder
    /// appends to is read from there (see `feed.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail: Option<Tail>,
}

/// The end of a JSON Lines file as read (its offset and hash are the
/// record's size and hash).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Tail {
    /// The 1-based line the next record would start on.
    pub line: u64,
    /// Articles read before it (the reader's count, which numbers the
    /// `#N` ids).
    pub articles: u64,
}

/// Start of the tantivy commit payload akhbar writes.
const PAYLOAD_PREFIX: &str = "akhbar-manifest-generation:";

fn payload_generation(payload: &str) -> Option<u64> {
    payload.strip_prefix(PAYLOAD_PREFIX)?.parse().ok()
}

fn next_path(dir: &Path) -> PathBuf {
    dir.join(format!("{MANIFEST_FILE}.next"))
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            format: "akhbar-index".to_string(),
            analyzer_version: ANALYZER_VERSION,
            schema_version: SCHEMA_VERSION,
            entities_fingerprint: String::new(),
            text_reader_version: crate::corpus::TEXT_READER_VERSION,
            field_map: String::new(),
            generation: 0,
            ids: LogRef::default(),
            indexed_at: String::new(),
            next_file_no: first_file_no(),
            files: BTreeMap::new(),
        }
    }
}

impl Manifest {
    /// Path of the manifest in `dir`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(MANIFEST_FILE)
    }

    /// Loads the manifest of an index folder.
    ///
    /// # Errors
    /// [`IndexError::BadManifest`] when it cannot be read or parsed.
    pub fn load(dir: &Path) -> Result<Manifest, IndexError> {
        let path = Self::path(dir);
        let bad = |reason: String| IndexError::BadManifest {
            path: path.clone(),
            reason,
        };
        let text = fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| bad(e.to_string()))
    }

    /// Loads the manifest that goes with the index's last commit: the one
    /// in place, or the `.next` one when the commit `payload` names its
    /// generation (a run killed between its commit and the rename).
    ///
    /// # Errors
    /// As [`Manifest::load`].
    pub fn load_committed(dir: &Path, payload: Option<&str>) -> Result<Manifest, IndexError> {
        let manifest = Manifest::load(dir)?;
        let Some(generation) = payload.and_then(payload_generation) else {
            return Ok(manifest);
        };
        if generation != manifest.generation {
            let next = next_path(dir);
            if let Ok(text) = fs::read_to_string(&next) {
                if let Ok(newer) = serde_json::from_str::<Manifest>(&text) {
                    if newer.generation == generation {
                        return Ok(newer);
                    }
                }
            }
        }
        Ok(manifest)
    }

    /// The tantivy commit payload naming this manifest's generation.
    pub fn payload(&self) -> String {
        format!("{PAYLOAD_PREFIX}{}", self.generation)
    }

    /// Writes the manifest to `akhbar.json.next`, before the commit it
    /// goes with.
    ///
    /// # Errors
    /// [`IndexError::Io`] when the folder cannot be written.
    pub fn save_next(&self, dir: &Path) -> Result<(), IndexError> {
        let next = next_path(dir);
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| IndexError::io(&next, std::io::Error::other(e)))?;
        let file = fs::File::create(&next).map_err(|e| IndexError::io(&next, e))?;
        let mut out = std::io::BufWriter::new(&file);
        std::io::Write::write_all(&mut out, text.as_bytes())
            .map_err(|e| IndexError::io(&next, e))?;
        std::io::Write::flush(&mut out).map_err(|e| IndexError::io(&next, e))?;
        drop(out);
        file.sync_data().map_err(|e| IndexError::io(&next, e))
    }

    /// Moves `akhbar.json.next` into place, after its commit.
    ///
    /// # Errors
    /// [`IndexError::Io`] when the rename fails.
    pub fn promote_next(dir: &Path) -> Result<(), IndexError> {
        let path = Self::path(dir);
        fs::rename(next_path(dir), &path).map_err(|e| IndexError::io(&path, e))
    }

    /// Removes a `.next` manifest whose commit never happened.
    pub fn discard_next(dir: &Path) {
        let _ = fs::remove_file(next_path(dir));
    }

    /// Checks the versions against this build's.
    ///
    /// # Errors
    /// [`IndexError::VersionMismatch`] naming the version that differs.
    pub fn check(&self, dir: &Path) -> Result<(), IndexError> {
        let mismatch = |what, found, expected| IndexError::VersionMismatch {
            path: dir.to_path_buf(),
            what,
            found,
            expected,
        };
        if self.analyzer_version != ANALYZER_VERSION {
            return Err(mismatch(
                "analyzer",
                self.analyzer_version,
                ANALYZER_VERSION,
            ));
        }
        if self.schema_version != SCHEMA_VERSION {
            return Err(mismatch("schema", self.schema_version, SCHEMA_VERSION));
        }
        Ok(())
    }

    /// Writes the manifest atomically into `dir`.
    ///
    /// # Errors
    /// [`IndexError::Io`] when the folder cannot be written.
    pub fn save(&self, dir: &Path) -> Result<(), IndexError> {
        let path = Self::path(dir);
        let tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| IndexError::io(&path, std::io::Error::other(e)))?;
        fs::write(&tmp, text).map_err(|e| IndexError::io(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| IndexError::io(&path, e))
    }
}
