//! Serve: the search page for people (issue 13) — one HTML shell, its
//! script modules, style sheet and icon, all embedded in the binary at
//! build time (no CDN, no remote font, no request leaves akhbar).
//!
//! | path | answer |
//! | --- | --- |
//! | `GET /` | the page: search box, results, facets (state in the query string) |
//! | `GET /article?id=…` | the same shell; the script shows the article view |
//! | `GET /trends?q=…&q=…&entity=…` | the same shell; the script shows «اتجاهات» |
//! | `GET /page/{file}` | an asset of [`ASSETS`], by exact name (404 otherwise) |
//!
//! The files live in `src/serve/page/`: plain HTML, CSS and JavaScript
//! modules with no library and no build step, so what is in the folder
//! is what the browser runs. The script inserts every text from the index
//! or the user as text (`textContent`, text nodes), never as HTML.
//!
//! Every page answer carries [`CONTENT_SECURITY_POLICY`]: only the page's
//! own scripts, styles, icon and API calls; no inline script or style, no
//! plugin, no frame, no other origin; and Trusted Types required, so that
//! even a mistaken `innerHTML = …` throws instead of parsing HTML.
//! `Referrer-Policy: no-referrer` keeps a search out of the `Referer` a
//! news site would receive when a reader follows an article's link.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::error::ApiError;

/// The policy every page answer carries.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; \
    trusted-types 'none'";

/// The HTML shell (both views).
const INDEX_HTML: &str = include_str!("page/index.html");

/// One embedded file: its name under `/page/`, content type and bytes.
pub struct Asset {
    /// File name, as requested under `/page/`.
    pub name: &'static str,
    /// `Content-Type` it is served with.
    pub content_type: &'static str,
    /// The file.
    pub body: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";

/// The files under `/page/`.
pub const ASSETS: &[Asset] = &[
    Asset {
        name: "app.js",
        content_type: JS,
        body: include_bytes!("page/app.js"),
    },
    Asset {
        name: "views.js",
        content_type: JS,
        body: include_bytes!("page/views.js"),
    },
    Asset {
        name: "facets.js",
        content_type: JS,
        body: include_bytes!("page/facets.js"),
    },
    Asset {
        name: "state.js",
        content_type: JS,
        body: include_bytes!("page/state.js"),
    },
    Asset {
        name: "format.js",
        content_type: JS,
        body: include_bytes!("page/format.js"),
    },
    Asset {
        name: "text.js",
        content_type: JS,
        body: include_bytes!("page/text.js"),
    },
    Asset {
        name: "live.js",
        content_type: JS,
        body: include_bytes!("page/live.js"),
    },
    Asset {
        name: "take.js",
        content_type: JS,
        body: include_bytes!("page/take.js"),
    },
    Asset {
        name: "typeahead.js",
        content_type: JS,
        body: include_bytes!("page/typeahead.js"),
    },
    Asset {
        name: "trends.js",
        content_type: JS,
        body: include_bytes!("page/trends.js"),
    },
    Asset {
        name: "dom.js",
        content_type: JS,
        body: include_bytes!("page/dom.js"),
    },
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("page/style.css"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("page/icon.svg"),
    },
];

/// The page's routes, merged into the API's router.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(shell))
        .route("/article", get(shell))
        .route("/trends", get(shell))
        .route("/page/{file}", get(asset))
}

/// The headers of every page answer.
fn page_response(content_type: &'static str, body: &'static [u8]) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

async fn shell() -> Response {
    page_response("text/html; charset=utf-8", INDEX_HTML.as_bytes())
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == file) {
        Some(a) => page_response(a.content_type, a.body),
        None => {
            let shown: String = file.chars().take(100).collect();
            ApiError::not_found(format!("no page file {shown:?}")).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of `attr="…"` in `text`.
    fn attribute_values<'a>(text: &'a str, attr: &str) -> Vec<&'a str> {
        let needle = format!("{attr}=\"");
        text.match_indices(&needle)
            .filter_map(|(at, _)| {
                let rest = &text[at + needle.len()..];
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    #[test]
    fn the_shell_is_arabic_right_to_left_and_names_only_embedded_files() {
        assert!(INDEX_HTML.contains("<html dir=\"rtl\" lang=\"ar\">"));
        let mut linked = attribute_values(INDEX_HTML, "src");
        linked.extend(attribute_values(INDEX_HTML, "href"));
        let files: Vec<&str> = linked
            .iter()
            .filter_map(|l| l.strip_prefix("/page/"))
            .collect();
        assert!(files.len() >= 3, "script, style and icon: {linked:?}");
        for file in files {
            assert!(
                ASSETS.iter().any(|a| a.name == file),
                "{file} is linked but not embedded"
            );
        }
        for link in linked {
            assert!(
                link.starts_with('/') || link.starts_with('#'),
                "{link}: the page names nothing outside akhbar"
            );
        }
    }

    #[test]
    fn every_module_import_is_an_embedded_file() {
        for asset in ASSETS.iter().filter(|a| a.content_type == JS) {
            let text = std::str::from_utf8(asset.body).expect("utf-8");
            for line in text.lines().filter(|l| l.starts_with("import ")) {
                let target = line
                    .split(['"', '\''])
                    .nth(1)
                    .and_then(|t| t.strip_prefix("./"))
                    .unwrap_or_else(|| panic!("{}: {line}", asset.name));
                assert!(
                    ASSETS.iter().any(|a| a.name == target),
                    "{} imports {target}, which is not embedded",
                    asset.name
                );
            }
        }
    }

    #[test]
    fn no_inline_script_or_style_and_no_html_parsing_in_the_script() {
        // The policy forbids inline code; an inline block would be dead.
        assert!(!INDEX_HTML.contains("<style"));
        assert!(!INDEX_HTML.contains(" style="));
        assert!(!INDEX_HTML.contains("<script>"));
        assert_eq!(INDEX_HTML.matches("<script").count(), 1);
        for asset in ASSETS.iter().filter(|a| a.content_type == JS) {
            let text = std::str::from_utf8(asset.body).expect("utf-8");
            for sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
                "setAttribute(\"style\"",
            ] {
                assert!(!text.contains(sink), "{} uses {sink}", asset.name);
            }
        }
    }

    #[test]
    fn the_policy_allows_only_the_page_itself() {
        let policy = CONTENT_SECURITY_POLICY;
        assert!(policy.starts_with("default-src 'none';"));
        for directive in policy.split(';').map(str::trim) {
            let mut words = directive.split_whitespace();
            let name = words.next().unwrap_or_default();
            for source in words {
                assert!(
                    ["'self'", "'none'", "'script'"].contains(&source),
                    "{name} allows {source}"
                );
            }
        }
    }
}
