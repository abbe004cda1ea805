//! Corpus: list the article files under the paths a user names.
//!
//! Walks folders with walkdir, following symlinks (walkdir detects loops
//! and reports them instead of looping), skipping hidden entries and any
//! akhbar index folder. Files named directly are taken whatever their
//! extension (an unsupported one is then reported); inside folders only
//! files of a known [`Format`] are taken.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{Format, Problem};

/// A file to index and the root it was found under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusFile {
    /// The file's path as walked (root joined with the relative path).
    pub path: PathBuf,
    /// The path relative to the root it was found under (for ids).
    pub relative: String,
}

/// Lists article files under `roots`, skipping `index_dir`. Problems (an
/// unreadable folder, a symlink loop) are returned with the path they
/// concern.
pub fn collect(roots: &[PathBuf], index_dir: &Path) -> (Vec<CorpusFile>, Vec<(PathBuf, Problem)>) {
    let index_dir = index_dir.canonicalize().ok();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for root in roots {
        if root.is_file() {
            let relative = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push(CorpusFile {
                path: root.clone(),
                relative,
            });
            continue;
        }
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !skip_entry(e.path(), index_dir.as_deref()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && Format::of(e.path()).is_some() => {
                    let relative = e
                        .path()
                        .strip_prefix(root)
                        .unwrap_or(e.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.push(CorpusFile {
                        path: e.path().to_path_buf(),
                        relative,
                    });
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().unwrap_or(root).to_path_buf();
                    let reason = if err.loop_ancestor().is_some() {
                        "symlink loop, not followed".to_string()
                    } else {
                        err.io_error()
                            .map_or_else(|| err.to_string(), |e| e.to_string())
                    };
                    problems.push((path, Problem::file(reason)));
                }
            }
        }
    }
    (files, problems)
}

/// True for hidden entries and for akhbar index folders.
fn skip_entry(path: &Path, index_dir: Option<&Path>) -> bool {
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'));
    let is_index = path.join(crate::index::meta::MANIFEST_FILE).exists()
        || index_dir.is_some_and(|d| path.canonicalize().is_ok_and(|p| p == d));
    hidden || is_index
}
