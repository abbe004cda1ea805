//! Index: errors that stop an indexing or search run, each with its remedy.

use std::path::PathBuf;

use thiserror::Error;

/// Why an index could not be opened, written or read.
#[derive(Debug, Error)]
pub enum IndexError {
    /// The folder has files but is not an akhbar index.
    #[error("{0}: not an akhbar index (no akhbar.json); name an empty or new folder with --index")]
    NotAnIndex(PathBuf),
    /// The index was built by another analyzer or schema version.
    #[error(
        "{path}: index built with {what} version {found}, this akhbar uses {expected}; \
         run `akhbar index --rebuild`"
    )]
    VersionMismatch {
        /// The index folder.
        path: PathBuf,
        /// `analyzer` or `schema`.
        what: &'static str,
        /// Version found in the index.
        found: u32,
        /// Version this build uses.
        expected: u32,
    },
    /// Another process holds the index writer lock.
    #[error("{0}: index is being written by another process; wait for it to finish")]
    Locked(PathBuf),
    /// The index folder cannot be written.
    #[error("{0}: cannot write here (permission denied); make the folder writable, or name another with --index")]
    ReadOnly(PathBuf),
    /// The device holding the index is full. Nothing committed is lost:
    /// tantivy's commit point and the manifest are replaced atomically.
    #[error(
        "{0}: no space left on the device; the index keeps its last commit, \
         free some space and run `akhbar index` again to finish"
    )]
    NoSpace(PathBuf),
    /// The index folder does not exist.
    #[error("{0}: no index here; run `akhbar index` first")]
    Missing(PathBuf),
    /// The manifest is unreadable.
    #[error("{path}: damaged akhbar.json ({reason}); run `akhbar index --rebuild`")]
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// What was wrong with it.
        reason: String,
    },
    /// A corpus path named on the command line does not exist.
    #[error("{0}: no such file or folder")]
    NoSuchPath(PathBuf),
    /// An I/O failure on the index folder.
    #[error("{path}: {cause}")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The underlying error (in the message, not chained, so that it
        /// is printed once).
        cause: std::io::Error,
    },
    /// The caller stopped the run (see
    /// [`super::Reporter::stop_requested`]); what it committed is kept.
    #[error("{0}: indexing stopped before the end; what was committed is kept, run `akhbar index` again to finish")]
    Stopped(PathBuf),
    /// tantivy could not open or write the index (damaged or unreadable).
    #[error("{path}: {cause}; if the index is damaged, run `akhbar index --rebuild`")]
    Tantivy {
        /// The index folder.
        path: PathBuf,
        /// The underlying error (in the message, not chained).
        cause: tantivy::TantivyError,
    },
}

impl IndexError {
    /// Wraps a tantivy error, recognizing a busy writer lock, a read-only
    /// folder and a full device.
    pub fn tantivy(path: &std::path::Path, cause: tantivy::TantivyError) -> Self {
        let text = cause.to_string();
        if text.contains("Permission denied") {
            return IndexError::ReadOnly(path.to_path_buf());
        }
        if text.contains("No space left on device") {
            return IndexError::NoSpace(path.to_path_buf());
        }
        match cause {
            tantivy::TantivyError::LockFailure(..) => IndexError::Locked(path.to_path_buf()),
            cause => IndexError::Tantivy {
                path: path.to_path_buf(),
                cause,
            },
        }
    }

    /// Wraps an I/O error on `path`.
    pub fn io(path: &std::path::Path, cause: std::io::Error) -> Self {
        if cause.kind() == std::io::ErrorKind::PermissionDenied {
            return IndexError::ReadOnly(path.to_path_buf());
        }
        if cause.kind() == std::io::ErrorKind::StorageFull {
            return IndexError::NoSpace(path.to_path_buf());
        }
        IndexError::Io {
            path: path.to_path_buf(),
            cause,
        }
    }
}
