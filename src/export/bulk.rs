//! Export: `_bulk` files, `bulk-001.ndjson`, `bulk-002.ndjson` …, each at
//! most a byte budget (an action line and its document are never split;
//! a document larger than the budget gets a file of its own).
//!
//! Each article is an `index` action with akhbar's article id as `_id`,
//! so loading the files again replaces rather than duplicates, and an id
//! two files share ends as the copy read last, as in akhbar's index.
//! Partial updates (`update` actions, `{"doc": …}`) follow the documents
//! they change, in the same sequence of files (the near-duplicate story
//! ids, known only once every article is read).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Default byte budget of one bulk file (OpenSearch suggests bulk
/// requests of 5–15 MB).
pub const DEFAULT_BULK_BYTES: u64 = 10 * 1024 * 1024;

/// One written bulk file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BulkFile {
    /// Its path.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Actions it holds: documents, and story updates in the last files.
    pub docs: u64,
}

/// Writes documents into size-bounded bulk files.
pub struct BulkWriter {
    dir: PathBuf,
    index: String,
    max_bytes: u64,
    current: Option<BufWriter<File>>,
    files: Vec<BulkFile>,
    pair: Vec<u8>,
}

/// Which action a pair of lines is.
#[derive(Clone, Copy)]
enum Kind {
    Index,
    Update,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Action<'a> {
    Index(Target<'a>),
    Update(Target<'a>),
}

#[derive(Serialize)]
struct PartialDoc<'a, D> {
    doc: &'a D,
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

impl BulkWriter {
    /// A writer into `dir` for the index `index`, files of at most
    /// `max_bytes` (except a lone larger document).
    pub fn new(dir: &Path, index: &str, max_bytes: u64) -> Self {
        BulkWriter {
            dir: dir.to_path_buf(),
            index: index.to_string(),
            max_bytes: max_bytes.max(1),
            current: None,
            files: Vec::new(),
            pair: Vec::new(),
        }
    }

    /// Appends one document with its `_id`.
    ///
    /// # Errors
    /// A file that cannot be created or written.
    pub fn add<D: Serialize>(&mut self, id: &str, doc: &D) -> io::Result<()> {
        self.write(Kind::Index, id, doc)
    }

    /// Appends a partial update of the document `id` (its fields in
    /// `fields` replace the document's).
    ///
    /// # Errors
    /// A file that cannot be created or written.
    pub fn update<D: Serialize>(&mut self, id: &str, fields: &D) -> io::Result<()> {
        self.write(Kind::Update, id, &PartialDoc { doc: fields })
    }

    /// Writes an action on the document `id` and its body line into the
    /// current file, or a new one when it would pass the budget.
    fn write<B: Serialize>(&mut self, kind: Kind, id: &str, body: &B) -> io::Result<()> {
        self.pair.clear();
        let target = Target {
            index: &self.index,
            id,
        };
        let action = match kind {
            Kind::Index => Action::Index(target),
            Kind::Update => Action::Update(target),
        };
        serde_json::to_writer(&mut self.pair, &action)?;
        self.pair.push(b'\n');
        serde_json::to_writer(&mut self.pair, body)?;
        self.pair.push(b'\n');
        let len = self.pair.len() as u64;
        let full = self
            .files
            .last()
            .is_some_and(|f| f.docs > 0 && f.bytes + len > self.max_bytes);
        if self.current.is_none() || full {
            self.open_next()?;
        }
        if let (Some(out), Some(file)) = (self.current.as_mut(), self.files.last_mut()) {
            out.write_all(&self.pair)?;
            file.bytes += len;
            file.docs += 1;
        }
        Ok(())
    }

    fn open_next(&mut self) -> io::Result<()> {
        if let Some(mut out) = self.current.take() {
            out.flush()?;
        }
        let path = self
            .dir
            .join(format!("bulk-{:03}.ndjson", self.files.len() + 1));
        let file = File::create(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        self.current = Some(BufWriter::with_capacity(1 << 20, file));
        self.files.push(BulkFile {
            path,
            bytes: 0,
            docs: 0,
        });
        Ok(())
    }

    /// Flushes the last file and returns every file written.
    ///
    /// # Errors
    /// A failed flush.
    pub fn finish(mut self) -> io::Result<Vec<BulkFile>> {
        if let Some(mut out) = self.current.take() {
            out.flush()?;
        }
        Ok(self.files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_stay_under_the_budget_and_lines_pair_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut writer = BulkWriter::new(dir.path(), "news", 400);
        for i in 0..20 {
            let doc =
                serde_json::json!({"id": i, "title": "عنوان الخبر", "body": "x".repeat(i * 10)});
            writer.add(&format!("doc-{i}"), &doc).expect("add");
        }
        let big = serde_json::json!({"body": "y".repeat(1000)});
        writer.add("big", &big).expect("add big");
        let files = writer.finish().expect("finish");
        assert!(files.len() > 3, "{files:?}");
        let mut ids = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(&f.path).expect("read");
            assert_eq!(text.len() as u64, f.bytes);
            assert!(f.bytes <= 400 || f.docs == 1, "{f:?}");
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len() as u64, f.docs * 2);
            for pair in lines.chunks(2) {
                let action: serde_json::Value = serde_json::from_str(pair[0]).expect("action");
                assert_eq!(action["index"]["_index"], "news");
                ids.push(action["index"]["_id"].as_str().expect("id").to_string());
                let doc: serde_json::Value = serde_json::from_str(pair[1]).expect("doc");
                assert!(doc.is_object());
            }
            assert!(text.ends_with('\n'));
        }
        assert_eq!(ids.len(), 21);
        assert_eq!(ids.last().map(String::as_str), Some("big"));
        assert!(files[0].path.ends_with("bulk-001.ndjson"));
    }

    #[test]
    fn updates_follow_the_documents_as_partial_docs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut writer = BulkWriter::new(dir.path(), "news", 1 << 20);
        writer
            .add("a", &serde_json::json!({"story": "a"}))
            .expect("add");
        writer
            .update("a", &serde_json::json!({"story": "b"}))
            .expect("update");
        let files = writer.finish().expect("finish");
        let text = std::fs::read_to_string(&files[0].path).expect("read");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines[0]["index"]["_id"], "a");
        assert_eq!(lines[2]["update"]["_id"], "a");
        assert_eq!(lines[2]["update"]["_index"], "news");
        assert_eq!(lines[3], serde_json::json!({"doc": {"story": "b"}}));
        assert_eq!(files[0].docs, 2);
    }
}
