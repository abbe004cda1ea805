//! Search: why a search failed, for every search command and the API.

use std::path::Path;

use crate::index::IndexError;

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query has nothing to search for.
    #[error("{0}")]
    Query(String),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A hit could not be handed on (its writer failed).
    #[error("writing the hits failed")]
    Write(#[source] std::io::Error),
}

impl SearchError {
    /// A tantivy failure while reading the index in `dir`.
    pub fn tantivy(dir: &Path, cause: tantivy::TantivyError) -> Self {
        SearchError::Index(IndexError::tantivy(dir, cause))
    }
}
