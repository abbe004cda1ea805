//! Export (floor 4): akhbar's articles and analysis for another engine.
//! It uses the floors below (corpus, analysis, entities, index, search);
//! the printers and the command line use it.
//!
//! `opensearch` (OpenSearch / Elasticsearch): `analysis` (akhbar's
//! analyzers as a stock analysis chain, generated from akhbar's code and
//! `analysis::rules`) → `mapping` (`index.json`); `document` (an article
//! as a document, with its entities and parsed date) → `bulk`
//! (size-bounded `_bulk` files); `run` (the export over folders) and
//! `summary` (what it wrote); `readme` (the README with the load
//! commands); `query` (akhbar's query language as query DSL).
//! `tools/lucene-check/` checks the chain with Lucene itself.

mod analysis;
mod bulk;
mod document;
mod expand;
mod layout;
mod mapping;
mod query;
mod readme;
mod run;
mod summary;

pub use bulk::DEFAULT_BULK_BYTES;
pub use layout::Layout;
pub use query::{translate, QueryOptions, Translation};
pub use run::{export, ExportOptions};
pub use summary::{ExportSummary, Skipped};
