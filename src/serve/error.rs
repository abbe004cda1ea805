//! Serve: the API's errors, always JSON:
//! `{"error": {"code": "bad_request", "message": "…"}}` with the status
//! that says what went wrong (never a stack trace or an HTML page).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::search::SearchError;

/// An error answer: a status, a stable machine-readable code and a
/// message for a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code, such as `bad_request` or `index_unavailable`.
    pub code: &'static str,
    /// What went wrong and, where there is one, the remedy.
    pub message: String,
}

#[derive(Serialize)]
struct Wire<'a> {
    error: WireBody<'a>,
}

#[derive(Serialize)]
struct WireBody<'a> {
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400: the request cannot be answered as asked.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 404: no such article or endpoint.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 503: the index cannot be opened or read now (the reason given).
    pub fn unavailable(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "index_unavailable", reason)
    }

    /// The default error for a status with no more specific code, such as
    /// the answers the HTTP layer makes by itself.
    pub fn for_status(status: StatusCode) -> Self {
        let (code, message) = match status.as_u16() {
            400 => ("bad_request", "malformed HTTP request"),
            404 => ("not_found", "no such endpoint"),
            405 => ("method_not_allowed", "only GET is served"),
            413 => ("payload_too_large", "request body too large"),
            414 => ("uri_too_long", "request line too long"),
            431 => ("header_too_large", "request headers too large"),
            505 => ("http_version", "HTTP version not supported"),
            s if s >= 500 => ("internal", "internal error"),
            _ => ("bad_request", "the request could not be answered"),
        };
        Self::new(status, code, message)
    }

    /// The JSON body.
    pub fn body(&self) -> Vec<u8> {
        let wire = Wire {
            error: WireBody {
                code: self.code,
                message: &self.message,
            },
        };
        let mut body = serde_json::to_vec(&wire).unwrap_or_else(|_| b"{}".to_vec());
        body.push(b'\n');
        body
    }
}

impl From<SearchError> for ApiError {
    fn from(err: SearchError) -> Self {
        match err {
            SearchError::Query(message) => ApiError::bad_request(message),
            SearchError::Index(e) => ApiError::unavailable(e.to_string()),
            SearchError::Write(e) => ApiError::unavailable(e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_the_documented_object() {
        let e = ApiError::bad_request("cannot read the date \"<script>\"");
        let value: serde_json::Value = serde_json::from_slice(&e.body()).expect("json");
        assert_eq!(value["error"]["code"], "bad_request");
        assert_eq!(
            value["error"]["message"],
            "cannot read the date \"<script>\""
        );
    }

    #[test]
    fn every_status_has_a_code() {
        for (status, code) in [
            (400, "bad_request"),
            (404, "not_found"),
            (405, "method_not_allowed"),
            (413, "payload_too_large"),
            (414, "uri_too_long"),
            (431, "header_too_large"),
            (500, "internal"),
        ] {
            let s = StatusCode::from_u16(status).expect("status");
            assert_eq!(ApiError::for_status(s).code, code, "{status}");
        }
    }
}
