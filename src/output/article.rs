//! Output of one whole article (the API's `/api/articles/{id}`), as JSON:
//! `{"id", "title", "title_highlights": [[start, end]], "body",
//! "body_highlights": [[start, end]], "date": "YYYY-MM-DD" | null,
//! "date_text", "source", "source_name" (the outlet's name from the
//! sources table, else the id), "source_url" (its home page, empty when
//! not known), "url", "path", "line" (where its record starts in `path`:
//! line, or Parquet row; null for a file that is one article), "category", "keywords",
//! "entities": [{"name", "type", "mentions"}]}`; every `[start, end]` is a
//! byte range into the string it belongs to (empty without `q`/`entity`).

use std::io::{self, Write};

use serde::Serialize;

use super::search::{json_entities, pairs, JsonEntity};
use super::sources::Sources;
use crate::search::Article;

#[derive(Serialize)]
struct JsonArticle<'a> {
    id: &'a str,
    title: &'a str,
    title_highlights: Vec<[usize; 2]>,
    body: &'a str,
    body_highlights: Vec<[usize; 2]>,
    date: Option<&'a str>,
    date_text: &'a str,
    source: &'a str,
    source_name: &'a str,
    source_url: &'a str,
    url: &'a str,
    path: &'a str,
    line: Option<u64>,
    category: &'a str,
    keywords: &'a str,
    entities: Vec<JsonEntity<'a>>,
}

/// Prints the article as one JSON object and a newline, its source named
/// from `sources`.
pub fn print_article_json<W: Write>(out: &mut W, a: &Article, sources: &Sources) -> io::Result<()> {
    let json = JsonArticle {
        id: &a.id,
        title: &a.title,
        title_highlights: pairs(&a.title_highlights),
        body: &a.body,
        body_highlights: pairs(&a.body_highlights),
        date: a.date.as_deref(),
        date_text: &a.date_text,
        source: &a.source,
        source_name: sources.name(&a.source),
        source_url: sources.get(&a.source).map_or("", |e| e.url.as_str()),
        url: &a.url,
        path: &a.path,
        line: a.line,
        category: &a.category,
        keywords: &a.keywords,
        entities: json_entities(&a.entities),
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}
