//! akhbar: full-text search for Arabic news, built on tantivy.
//!
//! The folders follow the pipeline, each using only the floors below it
//! (ARCHITECTURE.md draws them; `tests/architecture.rs` checks them):
//! [`analysis`] (text → terms) → [`corpus`] (files → articles) and
//! [`entities`] (names) → [`index`] (the incremental indexer) →
//! [`search`] (queries → plain-data hits) → [`export`] (the OpenSearch
//! export) → [`output`] (printers) → [`serve`] (the HTTP API and page) →
//! [`cli`] (the command line). Each folder's modules are private; what the
//! others use is re-exported at the folder's root.
#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod corpus;
pub mod entities;
pub mod export;
pub mod index;
pub mod output;
pub mod search;
pub mod serve;
