//! Serve: JSON for the answers the HTTP layer makes by itself.
//!
//! hyper answers a request it cannot parse — a malformed request line or
//! header, a request head larger than [`super::Limits::max_head_bytes`] —
//! before any handler runs, with an empty body. [`JsonErrors`] wraps each
//! connection's socket and rewrites such an answer (recognized by its
//! shape: an error status and `content-length: 0`, which no endpoint
//! sends) into the API's JSON error, so that a client always gets JSON.
//! hyper reports any oversized head as 431; when no line end was read
//! before it, the request line itself was too long, and the answer is the
//! 414 it deserves.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::error::ApiError;

/// A socket whose HTTP-layer error answers are made JSON.
pub struct JsonErrors<S> {
    inner: S,
    /// A rewritten answer still to be sent, and how much of it was.
    pending: Vec<u8>,
    sent: usize,
    /// A line end was read since the last answer.
    saw_line_end: bool,
}

impl<S> JsonErrors<S> {
    /// Wraps a socket.
    pub fn new(inner: S) -> Self {
        JsonErrors {
            inner,
            pending: Vec::new(),
            sent: 0,
            saw_line_end: false,
        }
    }
}

/// The JSON answer replacing `head` when it is one of hyper's own error
/// answers; `None` for anything else.
pub fn rewrite(head: &[u8], saw_line_end: bool) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head).ok()?;
    let rest = text
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| text.strip_prefix("HTTP/1.0 "))?;
    let status: u16 = rest.get(..3)?.parse().ok()?;
    let lower = text.to_ascii_lowercase();
    if status < 400 || !lower.contains("\r\ncontent-length: 0\r\n") || !text.ends_with("\r\n\r\n") {
        return None;
    }
    let status = if status == 431 && !saw_line_end {
        414
    } else {
        status
    };
    let status = StatusCode::from_u16(status).ok()?;
    let error = ApiError::for_status(status);
    let body = error.body();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json; charset=utf-8\r\n\
         content-length: {}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

impl<S: AsyncWrite + Unpin> JsonErrors<S> {
    /// Sends what is left of a rewritten answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for JsonErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
        if buf.filled()[before..].contains(&b'\n') {
            self.saw_line_end = true;
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for JsonErrors<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        let saw = std::mem::replace(&mut self.saw_line_end, false);
        if let Some(answer) = rewrite(buf, saw) {
            self.pending = answer;
            self.sent = 0;
            // Sent by the next write, flush or shutdown if not now.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HYPER_431: &[u8] =
        b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n";

    fn parts(answer: &[u8]) -> (String, serde_json::Value) {
        let text = String::from_utf8(answer.to_vec()).expect("utf8");
        let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
        (
            head.to_string(),
            serde_json::from_str(body).expect("json body"),
        )
    }

    #[test]
    fn oversized_heads_become_json_414_or_431() {
        let (head, body) = parts(&rewrite(HYPER_431, false).expect("rewritten"));
        assert!(head.starts_with("HTTP/1.1 414 "), "{head}");
        assert_eq!(body["error"]["code"], "uri_too_long");
        let (head, body) = parts(&rewrite(HYPER_431, true).expect("rewritten"));
        assert!(head.starts_with("HTTP/1.1 431 "), "{head}");
        assert_eq!(body["error"]["code"], "header_too_large");
    }

    #[test]
    fn other_answers_pass_untouched() {
        let untouched: [&[u8]; 4] = [
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 80\r\n\r\n",
            b"{\"hits\": []}",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n{}",
        ];
        for bytes in untouched {
            assert!(
                rewrite(bytes, true).is_none(),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
        let bad = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        assert!(rewrite(bad, true).is_some());
    }
}
