//! Export: what an export wrote ([`ExportSummary`], also `export
//! --json`) and what it skipped.

use std::path::PathBuf;

use serde::Serialize;

use super::bulk::BulkFile;

/// A file or line that was skipped.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Its line, when one line was skipped.
    pub line: Option<usize>,
    /// Why.
    pub reason: String,
}

/// What an export wrote.
#[derive(Clone, Debug, Serialize)]
pub struct ExportSummary {
    /// The folder written.
    pub out: PathBuf,
    /// The index name.
    pub index_name: String,
    /// The layout: `analysis-chain` or `pre-analyzed`.
    pub layout: &'static str,
    /// Files read.
    pub files_read: usize,
    /// Articles exported.
    pub articles: u64,
    /// Size of `index.json` in bytes.
    pub index_json_bytes: u64,
    /// The bulk files.
    pub bulk_files: Vec<BulkFile>,
    /// Near-duplicate stories among the articles (an article alone is one).
    pub stories: usize,
    /// Articles whose `story` an update action sets (copies of an
    /// earlier article).
    pub story_updates: usize,
    /// Files and lines skipped.
    pub skipped: Vec<Skipped>,
    /// Wall time, seconds.
    pub seconds: f64,
}

impl ExportSummary {
    /// Bytes of all bulk files.
    pub fn bulk_bytes(&self) -> u64 {
        self.bulk_files.iter().map(|f| f.bytes).sum()
    }
}
