//! Search: one whole stored article by its id (the API's
//! `/api/articles/{id}`), with the entities it names and, given a query or
//! an entity, the matched words highlighted in its title and body.
//!
//! The id is looked up as a term of the index's raw `id` field — never
//! turned into a path — so an id such as `../etc/passwd` is just an id
//! that no article has.

use std::ops::Range;
use std::sync::Arc;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::entity::plan_entity;
use super::error::SearchError;
use super::hits::HitEntity;
use super::parse::parse;
use super::plan::{HighlightTerms, Planner};
use crate::entities::decode_stored;
use crate::entities::AliasTable;
use crate::index::OpenIndex;

/// A whole stored article.
#[derive(Clone, Debug, Default)]
pub struct Article {
    /// Stable article id.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// Body as written.
    pub body: String,
    /// Publication date, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// Publication date as written in the source.
    pub date_text: String,
    /// Outlet.
    pub source: String,
    /// Address online.
    pub url: String,
    /// File the article came from.
    pub path: String,
    /// Line (or Parquet row) its record starts on in that file; `None`
    /// for a file that is one article.
    pub line: Option<u64>,
    /// Section or category given by the source.
    pub category: String,
    /// Keywords given by the source.
    pub keywords: String,
    /// Entities the article names, most mentioned first.
    pub entities: Vec<HitEntity>,
    /// Byte ranges of the query's matches in `title`.
    pub title_highlights: Vec<Range<usize>>,
    /// Byte ranges of the query's matches in `body`.
    pub body_highlights: Vec<Range<usize>>,
}

/// What to highlight in an article: a query, an entity, or both.
#[derive(Clone, Debug, Default)]
pub struct Highlight<'a> {
    /// Query text (the search syntax).
    pub query: Option<&'a str>,
    /// Entity name (as `--entity`).
    pub entity: Option<&'a str>,
}

/// The article with this id, `None` when the index has none.
///
/// # Errors
/// [`SearchError::Query`] for a highlight query with nothing to search
/// for; [`SearchError::Index`] when the index cannot be read.
pub fn article(
    open: &OpenIndex,
    id: &str,
    highlight: &Highlight<'_>,
    table: &Arc<AliasTable>,
) -> Result<Option<Article>, SearchError> {
    let searcher = open.searcher()?;
    let tantivy_err = |e| SearchError::tantivy(&open.dir, e);
    let terms = highlight_terms(open, &searcher, highlight, table)?;
    let f = &open.fields;
    let by_id = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
    let top = searcher
        .search(&by_id, &TopDocs::with_limit(1).order_by_score())
        .map_err(tantivy_err)?;
    let Some((_, address)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(*address).map_err(tantivy_err)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let mut found = Article {
        id: text(f.id),
        title: text(f.title),
        body: text(f.body),
        date: doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
            .map(|d| d.format("%Y-%m-%d").to_string()),
        date_text: text(f.date_text),
        source: text(f.source),
        url: text(f.url),
        path: text(f.path),
        line: doc.get_first(f.line).and_then(|v| v.as_u64()),
        category: text(f.category),
        keywords: text(f.keywords),
        ..Article::default()
    };
    let highlighter = super::highlight::Highlighter::new(terms);
    let words = [
        highlighter.words(&found.title),
        highlighter.words(&found.body),
    ];
    found.title_highlights = highlighter.matches_in(&words[0]);
    found.body_highlights = highlighter.matches_in(&words[1]);
    found.entities = HitEntity::shown(decode_stored(&text(f.entities)));
    Ok(Some(found))
}

/// The words a query and an entity would highlight (none without either).
fn highlight_terms(
    open: &OpenIndex,
    searcher: &tantivy::Searcher,
    highlight: &Highlight<'_>,
    table: &AliasTable,
) -> Result<HighlightTerms, SearchError> {
    let mut planner = Planner::new(open.fields, searcher);
    if let Some(text) = highlight.query.filter(|q| !q.trim().is_empty()) {
        let parsed = parse(text).map_err(SearchError::Query)?;
        if planner.plan(&parsed.node).is_none() {
            return Err(SearchError::Query(format!(
                "nothing to search for in {text:?}"
            )));
        }
    }
    if let Some(name) = highlight.entity.filter(|n| !n.trim().is_empty()) {
        let current = open.manifest.entities_fingerprint == table.fingerprint;
        if plan_entity(name, table, &mut planner, searcher, current).is_none() {
            return Err(SearchError::Query(format!(
                "no name to search for in {name:?}"
            )));
        }
    }
    Ok(planner.highlight)
}
