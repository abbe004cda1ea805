//! Search: the most-mentioned entities of the index, or of a query's hits
//! (`akhbar entities`), counted by `entity_counts`.

use tantivy::query::{AllQuery, Query};

use super::entity_counts::{display_name, top_of, EntityCount, EntityCounter};
use super::error::SearchError;
use super::parse::parse;
use super::plan::Planner;
use crate::entities::EntityType;
use crate::index::OpenIndex;

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
    let counts = searcher
        .search(&q, &EntityCounter)
        .map_err(|e| SearchError::tantivy(&open.dir, e))?;
    let mut out = Vec::new();
    for t in types {
        for (kind, name, n) in top_of(&counts, Some(*t), top) {
            out.push(EntityCount {
                name: display_name(&searcher, open.fields.entity_form, kind, name),
                kind,
                articles: n,
            });
        }
    }
    Ok(out)
}
