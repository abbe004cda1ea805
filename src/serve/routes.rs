//! Serve: the endpoints, and the checks every request passes first.
//!
//! | endpoint | answer |
//! | --- | --- |
//! | `GET /api/search?q=&entity=&from=&to=&source=&limit=&offset=&snippets=&facets=&op=&sort=&fuzzy=` | the `search --json` object (plus `facets` with `facets=1`) |
//! | `GET /api/search?…&format=csv\|jsonl&all=1&fields=` | the hits streamed as `search --format csv\|jsonl --all` ([`super::export`]) |
//! | `GET /api/articles/{id}?q=&entity=` | the whole stored article, its entities and their mentions, the query's highlights |
//! | `GET /api/similar/{id}?from=&to=&source=&limit=&offset=&snippets=` | `similar --json` |
//! | `GET /api/entities?type=&top=&q=` | `entities --json` |
//! | `GET /api/stats?top=` | `stats --json` |
//! | `GET /api/analyze?text=&analyzer=&entity=` | `analyze --json` (`analyze --entity --json` with `entity=1`) |
//! | `GET /healthz` | `{"status": "ok", "articles", "index_version": {"analyzer", "schema"}, "generation", "last_indexed"}` |
//! | `GET /api/suggest?prefix=&limit=&names=` | names and words as typed ([`super::suggest`]) |
//! | `GET /api/trends?q=&q=&entity=…` | up to five searches counted period by period ([`super::trends`]) |
//! | `GET /feed?…` | the search as an Atom feed, newest first ([`super::feed`]) |
//! | `GET /api` | the list of endpoints |
//! | `GET /`, `/article`, `/page/{file}` | the search page ([`super::page`]) |
//!
//! Every API answer is JSON, errors included ([`super::error`]). The
//! bodies are made by the same printers as the commands' `--json`, so the
//! API and the CLI cannot drift apart; the article's `entity_mentions`
//! are the one addition ([`super::mentions`]).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;

use super::app::App;
use super::error::ApiError;
use super::export::{export, export_format, extra_fields};
use super::mentions::{entity_mentions, with_entity_mentions};
use super::params::{decode_path, Params};
use super::request::{page_and_filters, search_request, threshold_param, SEARCH_PARAMS};
use crate::analysis::explain;
use crate::analysis::{Analyzer, ANALYZER_VERSION};
use crate::entities::explain_entity;
use crate::entities::EntityType;
use crate::index::SCHEMA_VERSION;
use crate::output::ExtraFields;
use crate::search::search_with;
use crate::search::stats;
use crate::search::top_entities;
use crate::search::{article, Highlight};
use crate::search::{similar, SimilarRequest};

/// Prefix of the article endpoint.
const ARTICLES: &str = "/api/articles/";
/// Prefix of the similar-articles endpoint.
const SIMILAR: &str = "/api/similar/";

/// The endpoints, with the request checks and the JSON safety net around
/// them.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/api", get(endpoints))
        .route("/api/search", get(search))
        .route("/api/articles/{*id}", get(show_article))
        .route("/api/similar/{*id}", get(similar_to))
        .route("/api/entities", get(entities))
        .route("/api/stats", get(index_stats))
        .route("/api/analyze", get(analyze))
        .route("/healthz", get(health))
        .route("/feed", get(super::feed::feed))
        .route("/api/suggest", get(super::suggest::suggest))
        .route("/api/trends", get(super::trends::trends))
        .merge(super::page::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), guard))
        .with_state(app)
}

type Answer = Result<Response, ApiError>;

/// A JSON body with a 200.
fn ok(body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Runs a printer into a buffer.
fn printed(print: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    print(&mut body)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    Ok(body)
}

async fn not_found(uri: Uri) -> ApiError {
    let path: String = uri.path().chars().take(200).collect();
    ApiError::not_found(format!(
        "no endpoint at {path:?}; the API is listed at /api"
    ))
}

async fn method_not_allowed() -> ApiError {
    ApiError::for_status(StatusCode::METHOD_NOT_ALLOWED)
}

async fn endpoints() -> Response {
    let list = json!({"endpoints": [
        "GET /api/search?q=&entity=&from=&to=&source=&limit=&offset=&snippets=&facets=&op=&sort=&fuzzy=&format=json|csv|jsonl&all=&fields=body,snippets",
        "GET /api/articles/{id}?q=&entity=",
        "GET /api/similar/{id}?from=&to=&source=&limit=&offset=&snippets=",
        "GET /api/entities?type=&top=&q=",
        "GET /api/stats?top=",
        "GET /api/analyze?text=&analyzer=&entity=",
        "GET /api/suggest?prefix=&limit=&names=",
        "GET /api/trends?q=&q=&entity=&from=&to=&source=&interval=auto|week|month|year&op=&format=json|csv",
        "GET /healthz",
        "GET /feed?q=&entity=&from=&to=&source=&op=&fuzzy=&collapse=&story_threshold=&limit=&sort=date",
    ]});
    ok(format!("{list}\n").into_bytes())
}

async fn search(State(app): State<Arc<App>>, uri: Uri) -> Answer {
    let p = Params::parse(uri.query(), SEARCH_PARAMS)?;
    let (mut request, capped) = search_request(&app, &p)?;
    let all = p.flag("all", false)?;
    let extra = extra_fields(&p)?;
    if let Some(format) = export_format(&p)? {
        if all {
            request.page.limit = usize::MAX;
        }
        return export(app, request, format, extra).await;
    }
    if all || extra != ExtraFields::default() {
        return Err(ApiError::bad_request(
            "all= and fields= are for exports: add format=csv or format=jsonl",
        ));
    }
    let open = app.index()?;
    let table = Arc::clone(&app.table);
    let sources = app.sources.clone();
    let max_limit = app.limits.max_limit;
    let body = app
        .run(move || {
            let mut results = search_with(&open, &request, &table)?;
            if capped {
                results
                    .warnings
                    .push(format!("limit capped at {max_limit} hits per page"));
            }
            printed(|out| crate::output::print_search_json(out, &results, &sources))
        })
        .await?;
    Ok(ok(body))
}

async fn show_article(State(app): State<Arc<App>>, uri: Uri) -> Answer {
    let raw = uri.path().strip_prefix(ARTICLES).unwrap_or_default();
    let id = decode_path(raw)?;
    let p = Params::parse(uri.query(), &["q", "entity"])?;
    let max = app.limits.max_query_chars;
    let query = p.text("q", max)?.map(str::to_string);
    let entity = p.text("entity", max)?.map(str::to_string);
    let open = app.index()?;
    let table = Arc::clone(&app.table);
    let sources = app.sources.clone();
    let body = app
        .run(move || {
            let highlight = Highlight {
                query: query.as_deref(),
                entity: entity.as_deref(),
            };
            let shown: String = id.chars().take(200).collect();
            let found = article(&open, &id, &highlight, &table)?
                .ok_or_else(|| ApiError::not_found(format!("no article with id {shown:?}")))?;
            let mentions = entity_mentions(&found, &table);
            let body = printed(|out| crate::output::print_article_json(out, &found, &sources))?;
            Ok(with_entity_mentions(body, &mentions))
        })
        .await?;
    Ok(ok(body))
}

/// `similar --json`: the articles like one article, with the search's
/// date, outlet and paging parameters.
async fn similar_to(State(app): State<Arc<App>>, uri: Uri) -> Answer {
    let raw = uri.path().strip_prefix(SIMILAR).unwrap_or_default();
    let id = decode_path(raw)?;
    let p = Params::parse(
        uri.query(),
        &["from", "to", "source", "limit", "offset", "snippets"],
    )?;
    let (page, filters, capped) = page_and_filters(&app, &p)?;
    let request = SimilarRequest {
        page,
        filters,
        snippets: p.flag("snippets", true)?,
        ..SimilarRequest::new(&id)
    };
    let open = app.index()?;
    let sources = app.sources.clone();
    let max_limit = app.limits.max_limit;
    let body = app
        .run(move || {
            let shown: String = id.chars().take(200).collect();
            let mut found = similar(&open, &request)?
                .ok_or_else(|| ApiError::not_found(format!("no article with id {shown:?}")))?;
            if capped {
                found
                    .warnings
                    .push(format!("limit capped at {max_limit} hits per page"));
            }
            printed(|out| crate::output::print_similar_json(out, &found, &sources))
        })
        .await?;
    Ok(ok(body))
}

async fn entities(State(app): State<Arc<App>>, uri: Uri) -> Answer {
    let p = Params::parse(uri.query(), &["type", "top", "q"])?;
    let types = match p.text("type", 10)? {
        None => EntityType::ALL.to_vec(),
        Some(code) => vec![EntityType::from_code(code).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown entity type {code:?}: use PER, ORG, LOC or MISC"
            ))
        })?],
    };
    let (top, _) = p.count("top", 20, app.limits.max_limit, true)?;
    let query = p.text("q", app.limits.max_query_chars)?.map(str::to_string);
    let open = app.index()?;
    let body = app
        .run(move || {
            let counts = top_entities(&open, &types, top, query.as_deref())?;
            printed(|out| crate::output::print_top_entities_json(out, &counts))
        })
        .await?;
    Ok(ok(body))
}

async fn index_stats(State(app): State<Arc<App>>, uri: Uri) -> Answer {
    let p = Params::parse(uri.query(), &["top", "stories", "story_threshold"])?;
    let (top, _) = p.count("top", 10, app.limits.max_limit, true)?;
    // grouping the whole index into stories reads every article's
    // signature (0.09 s on the shared corpora, growing with the archive):
    // asked for, not on each page load
    let stories = if p.flag("stories", false)? {
        Some(threshold_param(&p)?)
    } else {
        None
    };
    let open = app.index()?;
    let sources = app.sources.clone();
    let body = app
        .run(move || {
            let figures =
                stats(&open, top, stories).map_err(|e| ApiError::unavailable(e.to_string()))?;
            printed(|out| crate::output::print_stats_json(out, &figures, &sources))
        })
        .await?;
    Ok(ok(body))
}

async fn analyze(State(app): State<Arc<App>>, uri: Uri) -> Answer {
    let p = Params::parse(uri.query(), &["text", "analyzer", "entity"])?;
    let text = p
        .text("text", app.limits.max_query_chars)?
        .ok_or_else(|| ApiError::bad_request("give text, the text to analyze"))?
        .to_string();
    let as_entity = p.flag("entity", false)?;
    let analyzers = match p.text("analyzer", 20)? {
        None => Analyzer::ALL.to_vec(),
        Some(name) => vec![Analyzer::from_name(name).ok_or_else(|| {
            ApiError::bad_request(format!("unknown analyzer {name:?}: use exact or keyword"))
        })?],
    };
    let table = Arc::clone(&app.table);
    let body = app
        .run(move || {
            if as_entity {
                let report = explain_entity(&table, &text);
                return printed(|out| crate::output::print_entity_json(out, &report));
            }
            let report = explain(&text, &analyzers);
            printed(|out| crate::output::print_analysis_json(out, &text, &report))
        })
        .await?;
    Ok(ok(body))
}

async fn health(State(app): State<Arc<App>>, uri: Uri) -> Answer {
    Params::parse(uri.query(), &[])?;
    let open = app.index()?;
    let searcher = open
        .searcher()
        .map_err(|e| ApiError::unavailable(e.to_string()))?;
    let indexed_at = &open.manifest.indexed_at;
    let body = json!({
        "status": "ok",
        "articles": searcher.num_docs(),
        "index_version": {"analyzer": ANALYZER_VERSION, "schema": SCHEMA_VERSION},
        // What changes with every commit: pages poll it to see new articles.
        "generation": open.manifest.generation,
        "last_indexed": (!indexed_at.is_empty()).then_some(indexed_at),
    });
    Ok(ok(format!("{body}\n").into_bytes()))
}

/// Bytes of all header names and values.
fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// The checks before any endpoint (sizes, bodies, CORS preflight) and, on
/// the way out, the JSON safety net and the response headers.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let limits = &app.limits;
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    let rejected = if target > limits.max_uri_bytes {
        Some(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!(
                "request target of {target} bytes; the most is {}",
                limits.max_uri_bytes
            ),
        ))
    } else if header_bytes(request.headers()) > limits.max_header_bytes {
        Some(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "header_too_large",
            format!("request headers over {} bytes", limits.max_header_bytes),
        ))
    } else {
        body_problem(request.headers(), limits.max_body_bytes)
    };
    let origin = app.cors.clone();
    let mut response = match rejected {
        Some(error) => {
            // Close rather than read a large body or the rest of the head.
            let mut response = error.into_response();
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
        None if request.method() == Method::OPTIONS && origin.is_some() => preflight(),
        None => next.run(request).await,
    };
    as_json(&mut response);
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Feeds say no-cache (keep and revalidate); the rest is not kept.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(header::VARY, HeaderValue::from_static("origin"));
    }
    response
}

/// A 413 for a request body: none is read, and a large one is refused.
fn body_problem(headers: &HeaderMap, max: u64) -> Option<ApiError> {
    let too_large = |message: String| {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
    };
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return Some(too_large(
            "a request body of unknown length; this API takes none".to_string(),
        ));
    }
    let length = headers.get(header::CONTENT_LENGTH)?;
    match length
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        Some(n) if n <= max => None,
        _ => Some(too_large(format!(
            "request body over {max} bytes; this API takes none"
        ))),
    }
}

/// The answer to a CORS preflight (only with `--cors`).
fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    response
}

/// Replaces an error answer that is not JSON (one made by the routing
/// layer itself) with the JSON error for its status.
fn as_json(response: &mut Response) {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        *response = ApiError::for_status(status).into_response();
    }
}
