//! Export: akhbar's articles and analysis for another engine. A room of
//! its own that depends downward on the library (corpus, analysis,
//! entities, index, search) and that nothing depends on.
//!
//! `opensearch` (OpenSearch / Elasticsearch): [`analysis`] (akhbar's
//! analyzers as a stock analysis chain, generated from akhbar's code and
//! word lists) → [`mapping`] (`index.json`); [`document`] (an article as
//! a document, with its entities and parsed date) → [`bulk`]
//! (size-bounded `_bulk` files); [`run`] (the export over folders);
//! [`readme`] (the README with the load commands); [`query`] (akhbar's
//! query language as query DSL). `tools/lucene-check/` checks the chain
//! with Lucene itself.

pub mod analysis;
pub mod bulk;
pub mod document;
pub mod mapping;
pub mod query;
pub mod readme;
pub mod run;
