//! Index: the tantivy schema, the index folder and its manifest, and the
//! incremental indexer behind `akhbar index`.
//!
//! [`schema`] defines the fields; [`meta`] the manifest (versions and the
//! files already indexed); [`open`] opens or creates an index folder and
//! checks its versions; [`build`] runs an indexing pass: [`feed`] streams
//! the files on a reader thread, [`document`] builds documents on the
//! workers of [`pipeline`], [`ids`] logs which file holds which id;
//! [`cache`] keeps what searches compute from one commit's term
//! dictionaries; [`trim`] keeps the mapped index files out of an indexing
//! run's resident memory.

pub mod build;
pub mod cache;
pub mod document;
pub mod error;
pub mod feed;
pub mod ids;
pub mod meta;
pub mod open;
pub mod pipeline;
pub mod schema;
pub mod trim;

pub use error::IndexError;
