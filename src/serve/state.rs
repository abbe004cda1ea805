//! Serve: the index being served, kept fresh and safe to share.
//!
//! One [`OpenIndex`] is shared by every request (its reader is reused);
//! [`Served::refresh`], run every quarter second by the server, notices a
//! change and reopens:
//! - a commit by `akhbar index` rewrites `meta.json` (tantivy's atomic
//!   commit point) and then the manifest: the index is reopened, so the
//!   next searches see the new articles, and only ever a whole commit;
//! - the folder deleted, replaced (`--rebuild` after a version change) or
//!   damaged — the manifest or `meta.json` gone or rewritten, or a file of
//!   a segment in use deleted, truncated or replaced: reopening fails and
//!   every request gets a 503 with the reason until the folder can be
//!   opened again, which is tried at each refresh.
//!
//! The check is a few `stat` calls (manifest, `meta.json`, the files of
//! the segments in use), not a read of the folder; new segment files that
//! an indexing run writes before its commit change nothing.
//!
//! A request holds an `Arc` of the index it started with, so a reopen in
//! the middle of a search never pulls the index from under it (tantivy
//! keeps the files of a searcher it opened mapped).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use crate::index::MANIFEST_FILE;
use crate::index::{open_existing, OpenIndex};

/// Identity of one file: inode, size, modification time (`None`: absent).
type FileStamp = Option<(u64, u64, i64, i64)>;

/// What the index folder looked like when it was opened.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp(Vec<(PathBuf, FileStamp)>);

fn file_stamp(path: &Path) -> FileStamp {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.ino(), m.len(), m.mtime(), m.mtime_nsec()))
}

impl Stamp {
    /// The manifest and `meta.json`, plus the files of `segments`.
    fn of(dir: &Path, segments: &[PathBuf]) -> Stamp {
        let mut paths = vec![dir.join(MANIFEST_FILE), dir.join("meta.json")];
        paths.extend(segments.iter().map(|f| dir.join(f)));
        Stamp(
            paths
                .into_iter()
                .map(|p| (file_stamp(&p), p))
                .map(|(s, p)| (p, s))
                .collect(),
        )
    }

    /// The same files looked at again.
    fn again(&self) -> Stamp {
        Stamp(
            self.0
                .iter()
                .map(|(p, _)| (p.clone(), file_stamp(p)))
                .collect(),
        )
    }
}

/// The index as requests see it.
enum Current {
    /// Open and answering.
    Ready { open: Arc<OpenIndex>, stamp: Stamp },
    /// Cannot be opened; the reason is the 503's message.
    Down { reason: String },
}

/// The served index folder.
pub struct Served {
    dir: PathBuf,
    current: RwLock<Arc<Current>>,
}

/// Files of the segments an open index searches.
fn segment_files(open: &OpenIndex) -> Vec<PathBuf> {
    use tantivy::index::SegmentComponent as C;
    let Ok(metas) = open.index.searchable_segment_metas() else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for meta in metas {
        let parts = [
            C::Postings,
            C::Positions,
            C::Terms,
            C::Store,
            C::FastFields,
            C::FieldNorms,
        ];
        files.extend(parts.into_iter().map(|c| meta.relative_path(c)));
        if meta.has_deletes() {
            files.push(meta.relative_path(C::Delete));
        }
    }
    files
}

/// Opens the folder and a searcher on it (so that a damaged segment is
/// found now, not by the first request).
fn open_checked(dir: &Path) -> Current {
    // Stamp before opening: a commit racing with the open changes the
    // stamp afterwards, and the next refresh opens again.
    let before = Stamp::of(dir, &[]);
    let opened = open_existing(dir).and_then(|open| open.searcher().map(|_| open));
    match opened {
        Ok(open) => {
            let mut stamp = Stamp::of(dir, &segment_files(&open));
            stamp.0[..2].clone_from_slice(&before.0);
            Current::Ready {
                open: Arc::new(open),
                stamp,
            }
        }
        Err(e) => Current::Down {
            reason: e.to_string(),
        },
    }
}

impl Served {
    /// Opens the index in `dir` (a folder that cannot be opened yet is
    /// served as unavailable, and retried at each refresh).
    pub fn open(dir: &Path) -> Served {
        Served {
            dir: dir.to_path_buf(),
            current: RwLock::new(Arc::new(open_checked(dir))),
        }
    }

    fn now(&self) -> Arc<Current> {
        match self.current.read() {
            Ok(c) => Arc::clone(&c),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The open index, or why it cannot be used.
    ///
    /// # Errors
    /// The reason the folder cannot be opened.
    pub fn get(&self) -> Result<Arc<OpenIndex>, String> {
        match &*self.now() {
            Current::Ready { open, .. } => Ok(Arc::clone(open)),
            Current::Down { reason } => Err(reason.clone()),
        }
    }

    /// Looks at the folder and reopens it when it changed (or could not be
    /// opened before). Returns true when it reopened.
    pub fn refresh(&self) -> bool {
        let changed = match &*self.now() {
            Current::Ready { stamp, .. } => stamp.again() != *stamp,
            Current::Down { .. } => true,
        };
        if !changed {
            return false;
        }
        let next = Arc::new(open_checked(&self.dir));
        match self.current.write() {
            Ok(mut c) => *c = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_down_with_the_reason_and_retried() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("nothing-here");
        let served = Served::open(&dir);
        let reason = served.get().err().expect("down");
        assert!(reason.contains("no index here"), "{reason}");
        assert!(served.refresh(), "a down index is retried");
    }

    #[test]
    fn stamps_see_deleted_and_rewritten_files() {
        let tmp = tempfile::tempdir().expect("tmp");
        let file = tmp.path().join("seg.idx");
        std::fs::write(&file, b"abc").expect("write");
        let stamp = Stamp::of(tmp.path(), &[PathBuf::from("seg.idx")]);
        assert_eq!(stamp.again(), stamp);
        std::fs::write(&file, b"abcd").expect("rewrite");
        assert_ne!(stamp.again(), stamp);
        std::fs::remove_file(&file).expect("delete");
        assert_ne!(stamp.again(), stamp);
    }
}
