//! Index (floor 2): the tantivy schema, the index folder and its manifest,
//! and the incremental indexer behind `akhbar index`.
//!
//! `schema` defines the fields; `meta` the manifest (versions and the
//! files already indexed); `open` opens or creates an index folder and
//! checks its versions; `build` runs an indexing pass: `changes` finds
//! what changed since the last run, `feed` streams the files on a reader
//! thread, `writer` applies what it sends (documents built by `document`
//! on the workers of `pipeline`, ids logged by `ids`, commits) and
//! `summary` is what the run reports; `cache` keeps what searches compute
//! from one commit's term dictionaries; `trim` keeps the mapped index
//! files out of an indexing run's resident memory. `watch` follows the
//! folders and runs a pass for each round of changes (`akhbar index
//! --watch`), telling others how it goes through `watch_status`.

mod build;
mod cache;
mod changes;
mod document;
mod error;
mod feed;
mod ids;
mod meta;
mod open;
mod pipeline;
mod schema;
mod summary;
mod trim;
mod watch;
mod watch_status;
mod writer;

pub use build::{build, Hold, IndexOptions, WATCH_MERGE_DOCS};
pub use cache::{GenerationCache, SearchCaches, SegmentTerms};
pub use error::IndexError;
pub use meta::{index_folders, MANIFEST_FILE};
pub use open::{open_existing, OpenIndex};
pub use pipeline::OrderedPool;
pub use schema::{build_schema, entity_facet, fields, source_key, Fields, SCHEMA_VERSION};
pub use summary::{Reporter, Resumed, Summary};
pub use watch::{watch, WatchOptions, WatchReporter};
pub use watch_status::{WatchStatus, WATCH_FILE};
