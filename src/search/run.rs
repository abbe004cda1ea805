//! Search: run a query against an open index and gather plain-data hits
//! (text, highlight ranges, metadata) for the printers.

use std::ops::{Bound, Range};
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DateTime, TantivyDocument, Term};

use super::highlight::{Highlighter, Snippet};
use super::parse::parse;
use super::plan::Planner;
use crate::index::open::OpenIndex;
use crate::index::schema::source_key;
use crate::index::IndexError;

/// What the user asked for.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// The query text.
    pub query: String,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
    /// Earliest publication date (Unix seconds, inclusive).
    pub from: Option<i64>,
    /// Latest publication date (Unix seconds, inclusive).
    pub to: Option<i64>,
    /// Only these outlets (any of them).
    pub sources: Vec<String>,
}

/// One article found.
#[derive(Clone, Debug)]
pub struct Hit {
    /// 1-based rank in the whole result list.
    pub rank: usize,
    /// Stable article id.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// Byte ranges of matched words in the title.
    pub title_highlights: Vec<Range<usize>>,
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
    /// BM25-based score.
    pub score: f32,
    /// Body snippets with highlights.
    pub snippets: Vec<Snippet>,
}

/// The answer to a search.
#[derive(Clone, Debug)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Articles matching in all.
    pub total_hits: usize,
    /// Time spent searching and building snippets, milliseconds.
    pub took_ms: f64,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// What the lenient parser repaired or ignored.
    pub warnings: Vec<String>,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query has nothing to search for.
    #[error("{0}")]
    Query(String),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// Runs a search.
///
/// # Errors
/// [`SearchError::Query`] for a query with nothing to search for;
/// [`SearchError::Index`] when the index cannot be read.
pub fn search(open: &OpenIndex, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    let started = Instant::now();
    let parsed = parse(&req.query).map_err(SearchError::Query)?;
    let mut planner = Planner::new(open.fields);
    let main = planner
        .plan(&parsed.node)
        .ok_or_else(|| SearchError::Query(format!("nothing to search for in {:?}", req.query)))?;
    let query = with_filters(open, main, req);
    let tantivy_err = |e| SearchError::Index(IndexError::tantivy(&open.dir, e));
    let searcher = open.searcher()?;
    let collector = (
        Count,
        TopDocs::with_limit(req.limit.max(1))
            .and_offset(req.offset)
            .order_by_score(),
    );
    let (total_hits, top) = searcher.search(&query, &collector).map_err(tantivy_err)?;
    let mut highlighter = Highlighter::new(planner.highlight);
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, address)) in top.into_iter().enumerate().take(req.limit) {
        let doc: TantivyDocument = searcher.doc(address).map_err(tantivy_err)?;
        hits.push(hit(open, &doc, &mut highlighter, req.offset + i + 1, score));
    }
    Ok(SearchResults {
        query: req.query.clone(),
        total_hits,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        warnings: parsed.warnings,
    })
}

fn with_filters(open: &OpenIndex, main: Box<dyn Query>, req: &SearchRequest) -> Box<dyn Query> {
    let f = &open.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    if req.from.is_some() || req.to.is_some() {
        let bound = |ts: Option<i64>| match ts {
            Some(ts) => Bound::Included(Term::from_field_date(
                f.date,
                DateTime::from_timestamp_secs(ts),
            )),
            None => Bound::Unbounded,
        };
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(bound(req.from), bound(req.to))),
        ));
    }
    if !req.sources.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = req
            .sources
            .iter()
            .map(|s| {
                let term = Term::from_field_text(f.source_key, &source_key(s));
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    }
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn hit(
    open: &OpenIndex,
    doc: &TantivyDocument,
    h: &mut Highlighter,
    rank: usize,
    score: f32,
) -> Hit {
    let f = &open.fields;
    let title = text_of(doc, f.title);
    let body = text_of(doc, f.body);
    let date = doc
        .get_first(f.date)
        .and_then(|v| v.as_datetime())
        .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
        .map(|d| d.format("%Y-%m-%d").to_string());
    Hit {
        rank,
        id: text_of(doc, f.id),
        title_highlights: h.matches(&title),
        title,
        date,
        date_text: text_of(doc, f.date_text),
        source: text_of(doc, f.source),
        url: text_of(doc, f.url),
        path: text_of(doc, f.path),
        score,
        snippets: h.snippets(&body),
    }
}
