//! Export: the two ways an export lays out its text for the cluster.
//!
//! - [`Layout::Chain`]: the cluster analyzes `title` and `body` with
//!   akhbar's analyzers written as a stock analysis chain (`analysis.rs`):
//!   every node pays for akhbar's analysis at ingest, about 15 and 29
//!   times the stock `arabic` analyzer's time (BENCHMARKS.md).
//! - [`Layout::PreAnalyzed`]: akhbar analyzes once, on the machine that
//!   exports, in parallel, and writes what its index holds: `*_words`,
//!   the normalized words of each text, one a position (a position whose
//!   word akhbar drops is written `_`, which the cluster's `stop` filter
//!   drops while keeping its place), and `*_stems`, the keyword stems of
//!   every reading of every word. The cluster only splits on white space.
//!   A word's proclitic readings are not indexed: the query side asks for
//!   every written form of a reading instead (`clitic_forms`, the inverse
//!   of the splitter), so a query matches the same articles. `title` and
//!   `body` keep the text as written, not indexed, for display and for
//!   highlighting with `akhbar_exact` at search time.

/// How an export lays out the text fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// The cluster runs akhbar's analysis chain at ingest.
    #[default]
    Chain,
    /// akhbar's analysis written out; the cluster splits on white space.
    PreAnalyzed,
}

impl Layout {
    /// The layout's name in `index.json`'s `_meta` and the README.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Chain => "analysis-chain",
            Layout::PreAnalyzed => "pre-analyzed",
        }
    }
}

/// The position placeholder of a dropped word in `*_words` fields.
pub const GAP: &str = "_";

/// The field of normalized words of `field` (`title`, `body`).
pub fn words_field(field: &str) -> String {
    format!("{field}_words")
}

/// The field of stems of `field` (`title`, `body`).
pub fn stems_field(field: &str) -> String {
    format!("{field}_stems")
}
