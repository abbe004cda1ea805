//! Serve: followed searches as Atom feeds (`GET /feed`), for feed readers
//! that poll.
//!
//! Parameters: the page's search parameters (`q`, `entity`, `from`, `to`,
//! `source`…, `op`, `fuzzy`, `collapse`, `story_threshold`), `limit`
//! (entries, default 20, at most 100) and `sort` (only `date`: a feed
//! lists the newest first). The body is `search --format atom`'s
//! ([`crate::output::print_search_atom`]).
//!
//! Conditional GET: the `ETag` is a hash of the served commit (its
//! generation, time and article count), the parameters and the host the
//! links are made for, so it is known *before* searching: a reader that
//! sends it back (`If-None-Match`) while nothing was indexed gets a 304
//! with no search run. `Last-Modified` is when the index last changed
//! (`If-Modified-Since` is honoured when no `If-None-Match` is sent).
//! `Cache-Control: no-cache`: keep it, ask again.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::app::App;
use super::error::ApiError;
use super::params::Params;
use super::request::search_request;
use crate::output::{feed_params, feed_subject, print_search_atom, FeedMeta};
use crate::search::{search_with, Page, SortOrder};

/// The parameters `/feed` takes.
const FEED_PARAMS: &[&str] = &[
    "q",
    "entity",
    "from",
    "to",
    "source",
    "op",
    "fuzzy",
    "collapse",
    "story_threshold",
    "limit",
    "sort",
];

/// Entries of a feed unless `limit` says otherwise.
const DEFAULT_ENTRIES: usize = 20;
/// Most entries of a feed.
const MAX_ENTRIES: usize = 100;

/// The feed's parameters in a fixed order (its id, links and `ETag`).
fn canonical(p: &Params) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for name in FEED_PARAMS {
        for value in p.all(name) {
            pairs.push((name, value.trim()));
        }
    }
    feed_params(&pairs)
}

/// `http://HOST` from the request's `Host` header (HTTP/1.1 requires
/// one); a header that is not a plain host and port is refused.
fn base_url(headers: &HeaderMap) -> Result<String, ApiError> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let plain = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if host.is_empty() || host.len() > 255 || !plain {
        return Err(ApiError::bad_request("the Host header is not a host name"));
    }
    Ok(format!("http://{host}"))
}

/// An HTTP date (`Last-Modified`).
fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// True when the request's validators match: nothing changed for it.
fn not_modified(headers: &HeaderMap, etag: &str, modified: Option<DateTime<Utc>>) -> bool {
    if let Some(wanted) = headers.get(header::IF_NONE_MATCH) {
        let wanted = wanted.to_str().unwrap_or_default();
        return wanted
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*");
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
    match (since, modified) {
        // HTTP dates have whole seconds.
        (Some(since), Some(at)) => at.timestamp() <= since.timestamp(),
        _ => false,
    }
}

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

/// `GET /feed`: the search as an Atom feed, newest first.
pub async fn feed(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let p = Params::parse(uri.query(), FEED_PARAMS)?;
    match p.text("sort", 10)? {
        None | Some("date") => {}
        Some(other) => {
            let shown: String = other.chars().take(20).collect();
            return Err(ApiError::bad_request(format!(
                "a feed lists the newest articles first: sort can only be date, not {shown:?}"
            )));
        }
    }
    let (limit, _) = p.count("limit", DEFAULT_ENTRIES, MAX_ENTRIES, true)?;
    let (mut request, _) = search_request(&app, &p)?;
    request.sort = SortOrder::Newest;
    request.page = Page { limit, offset: 0 };
    request.entities = true;
    let base = base_url(&headers)?;
    let open = app.index()?;
    let manifest = &open.manifest;
    let modified = DateTime::parse_from_rfc3339(&manifest.indexed_at)
        .ok()
        .map(|t| t.to_utc());
    let params = canonical(&p);
    let articles = open.searcher().map(|s| s.num_docs()).unwrap_or_default();
    let key = format!(
        "{}\n{}\n{articles}\n{base}\n{params}\n{limit}",
        manifest.generation, manifest.indexed_at
    );
    let etag = format!("\"{}\"", &blake3::hash(key.as_bytes()).to_hex()[..20]);
    let mut response = if not_modified(&headers, &etag, modified) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let subject = feed_subject(&request.query, request.entity.as_deref());
        let meta = FeedMeta {
            base,
            params,
            subject,
            updated: modified,
        };
        let table = Arc::clone(&app.table);
        let body = app
            .run(move || {
                let results = search_with(&open, &request, &table)?;
                let mut body = Vec::new();
                print_search_atom(&mut body, &results, &meta).map_err(|e| {
                    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                })?;
                Ok(body)
            })
            .await?;
        let mut response = (StatusCode::OK, body).into_response();
        set(
            &mut response,
            header::CONTENT_TYPE,
            "application/atom+xml; charset=utf-8",
        );
        response
    };
    set(&mut response, header::ETAG, &etag);
    if let Some(at) = modified {
        set(&mut response, header::LAST_MODIFIED, &http_date(at));
    }
    set(&mut response, header::CACHE_CONTROL, "no-cache");
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).expect("value"));
        }
        map
    }

    #[test]
    fn validators_table() {
        let at = DateTime::parse_from_rfc3339("2024-06-20T10:00:00Z")
            .expect("date")
            .to_utc();
        let etag = "\"abc\"";
        // (request headers, not modified?)
        let table: Vec<(Vec<(header::HeaderName, &str)>, bool)> = vec![
            (vec![], false),
            (vec![(header::IF_NONE_MATCH, "\"abc\"")], true),
            (vec![(header::IF_NONE_MATCH, "W/\"abc\"")], true),
            (vec![(header::IF_NONE_MATCH, "\"x\", \"abc\"")], true),
            (vec![(header::IF_NONE_MATCH, "\"other\"")], false),
            (vec![(header::IF_NONE_MATCH, "*")], true),
            (
                vec![(header::IF_MODIFIED_SINCE, "Thu, 20 Jun 2024 10:00:00 GMT")],
                true,
            ),
            (
                vec![(header::IF_MODIFIED_SINCE, "Thu, 20 Jun 2024 09:59:59 GMT")],
                false,
            ),
            (vec![(header::IF_MODIFIED_SINCE, "garbage")], false),
            // If-None-Match wins over If-Modified-Since.
            (
                vec![
                    (header::IF_NONE_MATCH, "\"other\""),
                    (header::IF_MODIFIED_SINCE, "Thu, 20 Jun 2024 10:00:00 GMT"),
                ],
                false,
            ),
        ];
        for (pairs, want) in table {
            let h = headers(&pairs);
            assert_eq!(not_modified(&h, etag, Some(at)), want, "{pairs:?}");
        }
        assert_eq!(http_date(at), "Thu, 20 Jun 2024 10:00:00 GMT");
    }

    #[test]
    fn hosts_table() {
        for (host, ok) in [
            ("127.0.0.1:7700", true),
            ("[::1]:7700", true),
            ("news.example", true),
            ("evil\"><x", false),
            ("", false),
        ] {
            let h = headers(&[(header::HOST, host)]);
            assert_eq!(base_url(&h).is_ok(), ok, "{host}");
        }
    }
}
