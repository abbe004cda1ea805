//! Serve: `GET /api/suggest?prefix=…` — names and words as the reader
//! types them (the search box's list).
//!
//! Parameters: `prefix` (what is typed so far, at most 100 characters),
//! `limit` (default 8, at most 20), `names` (`1`: entity names only, as
//! with «ابحث عن اسم»). Answer: `{"prefix", "took_ms", "suggestions":
//! [{"text", "kind": "entity"|"word", "type", "matched", "articles"}]}`
//! (see [`crate::search::Names`]).
//!
//! What is suggested is gathered once per commit (the alias table's
//! names, the names found in articles and their counts, the frequent
//! words) and kept in the server's state (`app::NamesCache`): after a
//! commit the kept names answer while they are built again in the
//! background; a prefix is answered from memory.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::app::App;
use super::error::ApiError;
use super::params::Params;

/// Longest prefix, in characters.
const MAX_PREFIX: usize = 100;

/// `GET /api/suggest`.
pub async fn suggest(State(app): State<Arc<App>>, uri: Uri) -> Result<Response, ApiError> {
    let p = Params::parse(uri.query(), &["prefix", "limit", "names"])?;
    let prefix = p
        .text("prefix", MAX_PREFIX)?
        .unwrap_or_default()
        .to_string();
    let (limit, _) = p.count("limit", 8, 20, true)?;
    let names_only = p.flag("names", false)?;
    let open = app.index()?;
    let worker = Arc::clone(&app);
    let body = app
        .run(move || {
            let started = Instant::now();
            let searcher = open
                .searcher()
                .map_err(|e| ApiError::unavailable(e.to_string()))?;
            // The index's commit number (the searcher's generation starts
            // again at each reopening, so it cannot tell commits apart).
            let names = worker.names(&open, open.manifest.generation)?;
            let found = names.suggest(&searcher, &prefix, limit, names_only);
            let answer = json!({
                "prefix": prefix,
                "took_ms": started.elapsed().as_secs_f64() * 1000.0,
                "suggestions": found,
            });
            Ok(format!("{answer}\n").into_bytes())
        })
        .await?;
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(response)
}
