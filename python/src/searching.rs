//! `akhbar.Index`: an open index, searched from any number of Python
//! threads at once (the GIL is released while akhbar searches). Each
//! answer is what the matching command prints with `--json`.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;

use akhbar::entities::{AliasTable, EntityType};
use akhbar::index::{open_existing, OpenIndex};
use akhbar::output::{
    print_article_json, print_search_json, print_similar_json, print_top_entities_json,
    suggestion_notes, Sources,
};
use akhbar::search::{
    article, date_bound, search_with, top_entities, Filters, Highlight, Op, Page, SearchRequest,
    SimilarRequest, SortOrder,
};

use crate::errors::{akhbar_error, query_error, search_error, warn_notes};
use crate::from_json;

/// An akhbar index opened for searching: `Index(path, aliases=None,
/// sources=None)`.
#[pyclass(frozen, module = "akhbar")]
pub struct Index {
    open: Arc<OpenIndex>,
    table: Arc<AliasTable>,
    sources: Arc<Sources>,
}

/// The date filters and outlets asked for.
fn filters(
    py: Python<'_>,
    date_from: Option<&Bound<'_, PyAny>>,
    date_to: Option<&Bound<'_, PyAny>>,
    source: Option<&Bound<'_, PyAny>>,
) -> PyResult<Filters> {
    let bound = |date: Option<&Bound<'_, PyAny>>, end_of_day: bool| -> PyResult<Option<i64>> {
        let Some(date) = date else { return Ok(None) };
        // A str, or anything whose str() is a date (datetime.date).
        let text = date.str()?.to_string();
        date_bound(&text, end_of_day)
            .map(Some)
            .map_err(|e| query_error(py, e))
    };
    let sources = match source {
        None => Vec::new(),
        Some(s) => match s.extract::<String>() {
            Ok(one) => vec![one],
            Err(_) => s.extract::<Vec<String>>()?,
        },
    };
    Ok(Filters {
        from: bound(date_from, false)?,
        to: bound(date_to, true)?,
        sources,
    })
}

#[pymethods]
impl Index {
    /// Opens the index in `path` (made by `akhbar index` or
    /// `akhbar.index`); `aliases`: your alias table (TSV) for `entity=`;
    /// `sources`: your sources table (TSV: id, name, url) for the
    /// `source_name` of hits (else `$AKHBAR_SOURCES`, over the built-in one).
    #[new]
    #[pyo3(signature = (path, aliases=None, sources=None))]
    fn new(
        py: Python<'_>,
        path: PathBuf,
        aliases: Option<PathBuf>,
        sources: Option<PathBuf>,
    ) -> PyResult<Self> {
        let (opened, (table, problems), (names, name_problems)) = py.detach(|| {
            (
                open_existing(&path),
                AliasTable::load(&AliasTable::user_files(aliases.as_deref())),
                Sources::load(Sources::user_file(sources.as_deref()).as_deref()),
            )
        });
        let open = opened.map_err(|e| akhbar_error(e.to_string()))?;
        let skipped: Vec<String> = problems
            .iter()
            .map(|p| format!("skipped alias line {p}"))
            .chain(
                name_problems
                    .iter()
                    .map(|p| format!("skipped source line {p}")),
            )
            .collect();
        warn_notes(py, &skipped)?;
        Ok(Index {
            open: Arc::new(open),
            table: Arc::new(table),
            sources: Arc::new(names),
        })
    }

    /// The index folder.
    #[getter]
    fn path(&self) -> PathBuf {
        self.open.dir.clone()
    }

    /// The hits of a search, as dicts with the fields of `akhbar search
    /// --json`'s hits (same ids, order and snippets). Parser notes and
    /// "did you mean" come as `akhbar.Note` warnings.
    #[pyo3(signature = (query="", entity=None, limit=10, offset=0, sort=None, date_from=None,
        date_to=None, source=None, op="and", fuzzy=false, snippets=true, collapse=true,
        ranker=true))]
    #[allow(clippy::too_many_arguments)]
    fn search<'py>(
        &self,
        py: Python<'py>,
        query: &str,
        entity: Option<String>,
        limit: usize,
        offset: usize,
        sort: Option<&str>,
        date_from: Option<&Bound<'py, PyAny>>,
        date_to: Option<&Bound<'py, PyAny>>,
        source: Option<&Bound<'py, PyAny>>,
        op: &str,
        fuzzy: bool,
        snippets: bool,
        collapse: bool,
        ranker: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let op = match op {
            "and" | "AND" => Op::And,
            "or" | "OR" => Op::Or,
            other => {
                return Err(query_error(
                    py,
                    format!("unknown op {other:?}: use and or or"),
                ))
            }
        };
        let request = SearchRequest {
            query: query.to_string(),
            page: Page { limit, offset },
            filters: filters(py, date_from, date_to, source)?,
            entity,
            op,
            snippets,
            sort: SortOrder::parse(sort.unwrap_or("relevance")).map_err(|e| query_error(py, e))?,
            fuzzy,
            collapse,
            ranker,
            ..SearchRequest::default()
        };
        let results = self.search_full(py, request)?;
        results.get_item("hits")
    }

    /// As `search`, in a pandas DataFrame (one row a hit, the hit's
    /// fields as columns). Needs pandas.
    #[pyo3(signature = (query="", **kwargs))]
    fn search_df<'py>(
        slf: &Bound<'py, Self>,
        query: &str,
        kwargs: Option<&Bound<'py, pyo3::types::PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let pandas = py.import("pandas").map_err(|e| {
            PyImportError::new_err(format!(
                "Index.search_df needs pandas ({e}): pip install pandas, or use Index.search"
            ))
        })?;
        let hits = slf.call_method("search", (query,), kwargs)?;
        pandas.getattr("DataFrame")?.call1((hits,))
    }

    /// One article by id (a dict with its whole body, as the API's
    /// `/api/articles/{id}`), `None` when the index has none; `query` or
    /// `entity` mark its words in `title_highlights` and `body_highlights`.
    #[pyo3(signature = (id, query=None, entity=None))]
    fn article<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        query: Option<&str>,
        entity: Option<&str>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let highlight = Highlight { query, entity };
        let printed = py.detach(|| {
            article(&self.open, id, &highlight, &self.table).map(|found| {
                found.map(|a| {
                    let mut out = Vec::new();
                    print_article_json(&mut out, &a, &self.sources).map(|()| out)
                })
            })
        });
        match printed.map_err(|e| search_error(py, e))? {
            None => Ok(None),
            Some(out) => Ok(Some(from_json(py, &out?)?)),
        }
    }

    /// The most-mentioned entities (as `akhbar entities --json`'s
    /// `entities`), of the whole index or of a query's hits; `type`:
    /// PER, ORG, LOC or MISC (default all), `limit` per type.
    #[pyo3(signature = (query=None, limit=20, r#type=None))]
    fn entities<'py>(
        &self,
        py: Python<'py>,
        query: Option<&str>,
        limit: usize,
        r#type: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let types = match r#type {
            None => EntityType::ALL.to_vec(),
            Some(code) => match EntityType::from_code(code) {
                Some(t) => vec![t],
                None => {
                    return Err(query_error(
                        py,
                        format!("unknown entity type {code:?}: use PER, ORG, LOC or MISC"),
                    ))
                }
            },
        };
        let printed = py
            .detach(|| {
                top_entities(&self.open, &types, limit, query).map(|counts| {
                    let mut out = Vec::new();
                    print_top_entities_json(&mut out, &counts).map(|()| out)
                })
            })
            .map_err(|e| search_error(py, e))??;
        from_json(py, &printed)?.get_item("entities")
    }

    /// The articles most like the article `id` (as `akhbar similar --json`'s
    /// hits); raises `AkhbarError` when no article has that id.
    #[pyo3(signature = (id, limit=10, offset=0, snippets=true))]
    fn similar<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        limit: usize,
        offset: usize,
        snippets: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = SimilarRequest {
            page: Page { limit, offset },
            snippets,
            ..SimilarRequest::new(id)
        };
        let printed = py
            .detach(|| {
                akhbar::search::similar(&self.open, &request).map(|found| {
                    found.map(|r| {
                        let mut out = Vec::new();
                        print_similar_json(&mut out, &r, &self.sources).map(|()| out)
                    })
                })
            })
            .map_err(|e| search_error(py, e))?;
        let Some(printed) = printed else {
            return Err(akhbar_error(format!(
                "no article with id {id:?} in {} (ids are as `akhbar search` prints them)",
                self.open.dir.display()
            )));
        };
        from_json(py, &printed?)?.get_item("hits")
    }

    fn __repr__(&self) -> String {
        format!("akhbar.Index({:?})", self.open.dir.display().to_string())
    }
}

impl Index {
    /// Runs a search with the GIL released; the whole `--json` answer.
    fn search_full<'py>(
        &self,
        py: Python<'py>,
        request: SearchRequest,
    ) -> PyResult<Bound<'py, PyAny>> {
        let answer = py.detach(|| {
            search_with(&self.open, &request, &self.table).map(|results| {
                let mut out = Vec::new();
                let printed = print_search_json(&mut out, &results, &self.sources).map(|()| out);
                let mut notes = results.warnings.clone();
                notes.extend(suggestion_notes(&results));
                (printed, notes)
            })
        });
        let (printed, notes) = answer.map_err(|e| search_error(py, e))?;
        let parsed = from_json(py, &printed?)?;
        warn_notes(py, &notes)?;
        Ok(parsed)
    }
}

/// `Index` is shared by threads (`frozen`: no `&mut self`), so what it
/// holds must be `Send + Sync`; checked at compile time.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Index>();
};
