//! Corpus: list the article files under the paths a user names.
//!
//! Walks folders with walkdir, following symlinks (walkdir detects loops
//! and reports them instead of looping), skipping hidden entries and the
//! entries the caller's `skip` predicate names (the indexer's: any akhbar
//! index folder; the corpus layer does not know what one holds). Files named directly are taken whatever their
//! extension (an unsupported one is then reported); inside folders only
//! files of a known [`Format`] are taken, and every other file is counted
//! by extension ([`Walk::unsupported`]) so that a run never ignores a
//! file silently: `akhbar index` prints the counts as a note and in its
//! `--json` as `files_unsupported`. Hidden files and index folders are
//! skipped quietly, as documented.

use std::collections::BTreeMap;
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

/// What walking the roots found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files of a format akhbar reads, in walk order.
    pub files: Vec<CorpusFile>,
    /// Unreadable folders and symlink loops, with the path they concern.
    pub problems: Vec<(PathBuf, Problem)>,
    /// Files under the folders of a type akhbar does not read, counted by
    /// extension (`extension_label`).
    pub unsupported: BTreeMap<String, usize>,
}

/// Lists article files under `roots`, skipping hidden entries and those
/// `skip` names. Problems (an unreadable folder, a symlink loop) are
/// returned with the path they concern.
pub fn list_files(
    roots: &[PathBuf],
    skip: &dyn Fn(&Path) -> bool,
) -> (Vec<CorpusFile>, Vec<(PathBuf, Problem)>) {
    let w = walk(roots, skip);
    (w.files, w.problems)
}

/// The extension a file not read is counted under: `.pdf`, `.warc.gz`
/// (the last extension, with the one before it for `.gz`), or `(none)`.
pub fn extension_label(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (stem, gz) = match name.strip_suffix(".gz") {
        Some(stem) => (stem, ".gz"),
        None => (name.as_str(), ""),
    };
    match stem.rsplit_once('.') {
        Some((before, ext)) if !before.is_empty() && !ext.is_empty() => format!(".{ext}{gz}"),
        _ if !gz.is_empty() => ".gz".to_string(),
        _ => "(none)".to_string(),
    }
}

/// Walks `roots` like [`list_files`], also counting the files not read.
pub fn walk(roots: &[PathBuf], skip: &dyn Fn(&Path) -> bool) -> Walk {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut unsupported = BTreeMap::new();
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
            .filter_entry(|e| e.depth() == 0 || !(is_hidden(e.path()) || skip(e.path())));
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
                Ok(e) if e.file_type().is_file() => {
                    *unsupported.entry(extension_label(e.path())).or_default() += 1;
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
    Walk {
        files,
        problems,
        unsupported,
    }
}

/// The note for files not read: `3 files not read: .pdf 2, .docx 1`
/// (most frequent first), `None` when every file was read.
pub fn unsupported_note(unsupported: &BTreeMap<String, usize>) -> Option<String> {
    let total: usize = unsupported.values().sum();
    if total == 0 {
        return None;
    }
    let mut by_count: Vec<(&String, &usize)> = unsupported.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = by_count
        .iter()
        .map(|(ext, n)| format!("{ext} {}", thousands(**n)))
        .collect();
    let files = if total == 1 { "file" } else { "files" };
    Some(format!(
        "{} {files} not read: {}",
        thousands(total),
        parts.join(", ")
    ))
}

/// `1204` as `1,204`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// True for hidden entries (a name starting with a dot).
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_labels() {
        let cases = [
            ("a.PDF", ".pdf"),
            ("archive.warc.gz", ".warc.gz"),
            ("x.tar.gz", ".tar.gz"),
            ("README", "(none)"),
            ("data.gz", ".gz"),
            ("report.final.docx", ".docx"),
        ];
        for (name, label) in cases {
            assert_eq!(extension_label(Path::new(name)), label, "{name}");
        }
    }

    #[test]
    fn note_lists_most_frequent_first_with_thousands() {
        let mut counts = BTreeMap::new();
        assert_eq!(unsupported_note(&counts), None);
        counts.insert(".pdf".to_string(), 24);
        counts.insert(".html".to_string(), 1180);
        assert_eq!(
            unsupported_note(&counts).as_deref(),
            Some("1,204 files not read: .html 1,180, .pdf 24")
        );
        counts.clear();
        counts.insert(".doc".to_string(), 1);
        assert_eq!(
            unsupported_note(&counts).as_deref(),
            Some("1 file not read: .doc 1")
        );
    }
}
