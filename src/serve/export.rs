//! Serve: taking results away — `GET /api/search?…&format=csv|jsonl`
//! (with `all=1`, every hit) streams the hits as `akhbar search --format
//! csv|jsonl` writes them: the same columns, the same story rules (one row
//! per story, or per article with `collapse=0`), `fields=body,snippets`
//! for the extra columns, and CSV with a UTF-8 byte order mark so
//! spreadsheets open Arabic right.
//!
//! Memory stays flat whatever the number of hits: the search hands hits
//! over one at a time ([`search_each`]) to the printer, whose output goes
//! out in 64 KiB chunks through a channel holding at most
//! [`CHUNKS_IN_FLIGHT`] of them; a slow client slows the search down, a
//! client that goes away stops it. A bad request is a JSON error before
//! anything is sent; an error after the first chunk can only cut the
//! download short.

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::app::App;
use super::error::ApiError;
use super::params::Params;
use crate::output::{url_encode, ExportFormat, Exporter, ExtraFields};
use crate::search::{search_each, SearchRequest};

/// Bytes gathered before a chunk goes out.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks waiting for the client at most.
const CHUNKS_IN_FLIGHT: usize = 4;

/// What went through the channel: a chunk, or the error that ended the
/// export.
type Piece = Result<Vec<u8>, ApiError>;

/// A `Write` that sends what it is given in chunks down the channel.
struct ChunkWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Piece>,
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK_BYTES));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Chunks go out when full or at the end, not on every flush.
        Ok(())
    }
}

/// The receiving end as a body stream.
struct Chunks(mpsc::Receiver<Piece>);

impl futures_core::Stream for Chunks {
    type Item = Result<Vec<u8>, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .poll_recv(cx)
            .map(|piece| piece.map(|p| p.map_err(|e| io::Error::other(e.message))))
    }
}

/// The export format of a `format=` value (`json` and none: not an export).
///
/// # Errors
/// A 400 for another value.
pub fn export_format(p: &Params) -> Result<Option<ExportFormat>, ApiError> {
    match p.text("format", 10)? {
        None | Some("json") => Ok(None),
        Some("csv") => Ok(Some(ExportFormat::Csv)),
        Some("jsonl") => Ok(Some(ExportFormat::Jsonl)),
        Some(other) => {
            let shown: String = other.chars().take(20).collect();
            Err(ApiError::bad_request(format!(
                "format must be json, csv or jsonl, not {shown:?}"
            )))
        }
    }
}

/// The extra columns of `fields=body,snippets`.
///
/// # Errors
/// A 400 for another field.
pub fn extra_fields(p: &Params) -> Result<ExtraFields, ApiError> {
    let mut extra = ExtraFields::default();
    for field in p.text("fields", 40)?.unwrap_or_default().split(',') {
        match field.trim() {
            "" => {}
            "body" => extra.body = true,
            "snippets" => extra.snippets = true,
            other => {
                let shown: String = other.chars().take(20).collect();
                return Err(ApiError::bad_request(format!(
                    "fields takes body and snippets, not {shown:?}"
                )));
            }
        }
    }
    Ok(extra)
}

/// A file name for the download: `akhbar-QUERY.csv`, the query
/// percent-encoded (RFC 5987), with an ASCII fallback.
fn disposition(request: &SearchRequest, format: ExportFormat) -> String {
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Jsonl => "jsonl",
    };
    let subject: String = request
        .entity
        .as_deref()
        .unwrap_or(&request.query)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .take(60)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    let name = if subject.is_empty() {
        format!("akhbar.{ext}")
    } else {
        format!("akhbar-{subject}.{ext}")
    };
    format!(
        "attachment; filename=\"akhbar-export.{ext}\"; filename*=UTF-8''{}",
        url_encode(&name)
    )
}

/// Streams the hits of `request` in `format`.
///
/// # Errors
/// A JSON error when the search cannot start (a query with nothing to
/// search for, the index unavailable, no worker free).
pub async fn export(
    app: Arc<App>,
    mut request: SearchRequest,
    format: ExportFormat,
    extra: ExtraFields,
) -> Result<Response, ApiError> {
    request.entities = true;
    request.body = extra.body;
    request.snippets = extra.snippets;
    let open = app.index()?;
    let permit = app.stream_permit().await?;
    let table = Arc::clone(&app.table);
    let sources = app.sources.clone();
    let (tx, mut rx) = mpsc::channel::<Piece>(CHUNKS_IN_FLIGHT);
    let name = disposition(&request, format);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut out = ChunkWriter {
            buf: Vec::with_capacity(CHUNK_BYTES),
            tx: tx.clone(),
        };
        let written = (|| -> Result<(), ApiError> {
            let internal = |e: io::Error| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            };
            let bom = format == ExportFormat::Csv;
            let mut exporter =
                Exporter::start(format, &mut out, bom, extra, sources).map_err(internal)?;
            search_each(&open, &request, &table, &mut |hit| exporter.write(&hit))?;
            exporter.finish().map_err(internal)?;
            out.send().map_err(internal)
        })();
        if let Err(e) = written {
            // The client may be gone; then nobody listens.
            let _ = tx.blocking_send(Err(e));
        }
    });
    // The first piece says whether the search started: an error before
    // any byte is a proper JSON answer.
    let first = match rx.recv().await {
        Some(Err(e)) => return Err(e),
        Some(Ok(chunk)) => chunk,
        None => Vec::new(),
    };
    let body = Body::from_stream(Chain(Some(first), Chunks(rx)));
    let mut response = (StatusCode::OK, body).into_response();
    let content_type = match format {
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Jsonl => "application/x-ndjson; charset=utf-8",
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The first chunk, then the rest of the stream.
struct Chain(Option<Vec<u8>>, Chunks);

impl futures_core::Stream for Chain {
    type Item = Result<Vec<u8>, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(first) = self.0.take() {
            if !first.is_empty() {
                return Poll::Ready(Some(Ok(first)));
            }
        }
        Pin::new(&mut self.1).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_the_query_and_an_ascii_fallback() {
        let request = SearchRequest {
            query: "\"قوات سوريا\" -x".to_string(),
            ..SearchRequest::default()
        };
        let d = disposition(&request, ExportFormat::Csv);
        assert!(
            d.starts_with("attachment; filename=\"akhbar-export.csv\"; filename*=UTF-8''akhbar-"),
            "{d}"
        );
        assert!(!d.contains(' ') || d.starts_with("attachment;"), "{d}");
        assert!(d.ends_with(".csv"), "{d}");
        let empty = SearchRequest::default();
        assert!(disposition(&empty, ExportFormat::Jsonl).ends_with("akhbar.jsonl"));
    }
}
