//! Serve: a request's search parameters made into a [`SearchRequest`]
//! (shared by `/api/search`, `/feed` and the exports), strictly: every
//! value checked, a clear 400 for anything else.

use super::app::App;
use super::error::ApiError;
use super::params::Params;
use crate::search::date_bound;
use crate::search::Op;
use crate::search::SortOrder;
use crate::search::{Filters, Page, SearchRequest};

/// Most `source=` filters in one search.
const MAX_SOURCES: usize = 64;

/// The parameters of `/api/search`.
pub(super) const SEARCH_PARAMS: &[&str] = &[
    "q",
    "entity",
    "from",
    "to",
    "source",
    "limit",
    "offset",
    "snippets",
    "facets",
    "op",
    "sort",
    "fuzzy",
    "collapse",
    "story_threshold",
    "format",
    "all",
    "fields",
];

/// The search a request asks for (`/api/search`, `/feed`), and whether
/// its limit was capped.
pub(super) fn search_request(app: &App, p: &Params) -> Result<(SearchRequest, bool), ApiError> {
    let max = app.limits.max_query_chars;
    let query = p.text("q", max)?.unwrap_or_default().to_string();
    let entity = p.text("entity", max)?.map(str::to_string);
    if query.is_empty() && entity.is_none() {
        return Err(ApiError::bad_request(
            "nothing to search for: give q (a query) or entity (a name)",
        ));
    }
    let (page, filters, capped) = page_and_filters(app, p)?;
    let snippets = p.flag("snippets", true)?;
    let op = match p.text("op", 10)? {
        None | Some("and") => Op::And,
        Some("or") => Op::Or,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "op must be and or or, not {other:?}"
            )))
        }
    };
    let sort = match p.text("sort", 10)? {
        None => SortOrder::Relevance,
        Some(text) => SortOrder::parse(text).map_err(ApiError::bad_request)?,
    };
    let request = SearchRequest {
        query,
        page,
        filters,
        entity,
        op,
        snippets,
        facets: p.flag("facets", false)?,
        sort,
        fuzzy: p.flag("fuzzy", false)?,
        collapse: p.flag("collapse", true)?,
        story_threshold: threshold_param(p)?,
        ..SearchRequest::default()
    };
    Ok((request, capped))
}

/// The page, dates and outlets of a request (search and similar); true
/// when the limit was capped.
pub(super) fn page_and_filters(app: &App, p: &Params) -> Result<(Page, Filters, bool), ApiError> {
    let max = app.limits.max_query_chars;
    let date = |name, end_of_day| {
        p.text(name, 100)?
            .map(|d| date_bound(d, end_of_day))
            .transpose()
            .map_err(ApiError::bad_request)
    };
    let (from, to) = (date("from", false)?, date("to", true)?);
    let sources: Vec<String> = p
        .all("source")
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
        .collect();
    if sources.len() > MAX_SOURCES || sources.iter().any(|s| s.chars().nth(max).is_some()) {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_SOURCES} source= filters of at most {max} characters"
        )));
    }
    let (limit, capped) = p.count("limit", 10, app.limits.max_limit, true)?;
    let (offset, _) = p.count("offset", 0, app.limits.max_offset, false)?;
    Ok((
        Page { limit, offset },
        Filters { from, to, sources },
        capped,
    ))
}

/// The `story_threshold` parameter (see `--story-threshold`).
pub(super) fn threshold_param(p: &Params) -> Result<f64, ApiError> {
    match p.text("story_threshold", 20)? {
        None => Ok(crate::analysis::THRESHOLD),
        Some(text) => crate::search::parse_story_threshold(text).map_err(ApiError::bad_request),
    }
}
