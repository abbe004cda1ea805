//! Index: the manifest `akhbar.json` in the index folder: the analyzer and
//! schema versions the index was built with, and every indexed file with
//! its size, modification time, content hash and article count, so that a
//! re-run skips unchanged files. Saved atomically (write, then rename) and
//! only after a tantivy commit, so it never claims more than the index has.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::schema::SCHEMA_VERSION;
use super::IndexError;
use crate::analysis::ANALYZER_VERSION;

/// File name of the manifest inside an index folder.
pub const MANIFEST_FILE: &str = "akhbar.json";

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
    /// ([`crate::corpus::text::READER_VERSION`]; 0 before it was kept).
    #[serde(default)]
    pub text_reader_version: u32,
    /// Indexed files by canonical path.
    pub files: BTreeMap<String, FileRecord>,
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
    /// Ids of those articles, so that a file sharing an id with a deleted
    /// or changed file can be indexed again.
    #[serde(default)]
    pub ids: Vec<String>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            format: "akhbar-index".to_string(),
            analyzer_version: ANALYZER_VERSION,
            schema_version: SCHEMA_VERSION,
            entities_fingerprint: String::new(),
            text_reader_version: crate::corpus::text::READER_VERSION,
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
