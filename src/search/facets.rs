//! Search: the most-mentioned entities of the index, or of a query's hits
//! (`akhbar entities`).

use serde::Serialize;
use tantivy::collector::FacetCollector;
use tantivy::query::{AllQuery, Query};

use super::parse::parse;
use super::plan::Planner;
use super::run::SearchError;
use crate::entities::EntityType;
use crate::index::open::OpenIndex;
use crate::index::IndexError;

/// An entity and the number of articles naming it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EntityCount {
    /// Canonical (or normalized new) name.
    pub name: String,
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Articles that name it.
    pub articles: u64,
}

/// The `top` most-named entities of each requested type, among all
/// articles or those matching `query`.
///
/// # Errors
/// A query with nothing to search for, or an unreadable index.
pub fn top_entities(
    open: &OpenIndex,
    types: &[EntityType],
    top: usize,
    query: Option<&str>,
) -> Result<Vec<EntityCount>, SearchError> {
    let searcher = open.searcher()?;
    let q: Box<dyn Query> = match query {
        Some(text) => {
            let parsed = parse(text).map_err(SearchError::Query)?;
            Planner::new(open.fields, &searcher)
                .plan(&parsed.node)
                .ok_or_else(|| SearchError::Query(format!("nothing to search for in {text:?}")))?
        }
        None => Box::new(AllQuery),
    };
    let mut collector = FacetCollector::for_field("entity");
    for t in types {
        collector.add_facet(format!("/{}", t.code()).as_str());
    }
    let counts = searcher
        .search(&q, &collector)
        .map_err(|e| SearchError::Index(IndexError::tantivy(&open.dir, e)))?;
    let mut out = Vec::new();
    for t in types {
        for (facet, n) in counts.top_k(format!("/{}", t.code()).as_str(), top) {
            let name = facet
                .to_path()
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default();
            out.push(EntityCount {
                name,
                kind: *t,
                articles: n,
            });
        }
    }
    Ok(out)
}
