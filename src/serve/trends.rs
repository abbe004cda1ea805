//! Serve: `GET /api/trends` — up to five searches counted period by
//! period (the page's «اتجاهات»).
//!
//! Parameters: `q` and `entity`, each repeatable (every `q` is a series of
//! words, every `entity` a series of one name; at most
//! [`MAX_SERIES`] in all), `from`, `to`, `source` (for every series),
//! `interval` (`auto`, the default: weeks up to six months, months up to
//! ten years, years beyond; or `week`, `month`, `year`), `op`, and
//! `format` (`json`, the default, or `csv`). Answer: `akhbar trends
//! --json` ([`crate::output::print_trends_json`]).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::app::App;
use super::error::ApiError;
use super::params::Params;
use super::request::page_and_filters;
use crate::output::{print_trends_csv, print_trends_json};
use crate::search::{trends as count_trends, Interval, Op, SeriesAsk, TrendRequest, MAX_SERIES};

/// `GET /api/trends`.
pub async fn trends(State(app): State<Arc<App>>, uri: Uri) -> Result<Response, ApiError> {
    let p = Params::parse(
        uri.query(),
        &[
            "q", "entity", "from", "to", "source", "interval", "op", "format",
        ],
    )?;
    let max = app.limits.max_query_chars;
    let mut series = Vec::new();
    for q in p.all("q").map(str::trim).filter(|q| !q.is_empty()) {
        series.push(SeriesAsk {
            query: q.to_string(),
            entity: None,
        });
    }
    for e in p.all("entity").map(str::trim).filter(|e| !e.is_empty()) {
        series.push(SeriesAsk {
            query: String::new(),
            entity: Some(e.to_string()),
        });
    }
    if series.is_empty() || series.len() > MAX_SERIES {
        return Err(ApiError::bad_request(format!(
            "give from 1 to {MAX_SERIES} series: q= (words) or entity= (a name), each repeatable"
        )));
    }
    if series.iter().any(|s| s.label().chars().nth(max).is_some()) {
        return Err(ApiError::bad_request(format!(
            "a series is longer than {max} characters"
        )));
    }
    let (_, filters, _) = page_and_filters(&app, &p)?;
    let interval = Interval::parse(p.text("interval", 10)?.unwrap_or_default())
        .map_err(ApiError::bad_request)?;
    let op = match p.text("op", 10)? {
        None | Some("and") => Op::And,
        Some("or") => Op::Or,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "op must be and or or, not {other:?}"
            )))
        }
    };
    let csv = match p.text("format", 10)? {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "format must be json or csv, not {other:?}"
            )))
        }
    };
    let request = TrendRequest {
        series,
        filters,
        interval,
        op,
    };
    let open = app.index()?;
    let table = Arc::clone(&app.table);
    let body = app
        .run(move || {
            let found = count_trends(&open, &request, &table)?;
            let mut body = Vec::new();
            let printed = if csv {
                print_trends_csv(&mut body, &found, true)
            } else {
                print_trends_json(&mut body, &found)
            };
            printed.map_err(|e| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })?;
            Ok(body)
        })
        .await?;
    let mut response = (StatusCode::OK, body).into_response();
    let kind = if csv {
        "text/csv; charset=utf-8"
    } else {
        "application/json; charset=utf-8"
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    Ok(response)
}
