//! Corpus: the article a JSON object describes, for .json files (one
//! article object or an array of them) and JSON Lines (.jsonl, .ndjson:
//! one object per line); [`super::records`] cuts files into objects.
//!
//! Field names are matched case-insensitively against the names news
//! datasets use (first match wins): id (`id`, `_id`, `docno`, `guid`),
//! title (`title`, `headline`, `head_line`), body (`body`, `text`,
//! `content`, `article`; `abstract` when no body), date (`date_iso`,
//! `date`, `published`, `date_published`, `published_at`, `pubdate`,
//! `datetime`, `time`), source (`source`, `newspaper`, `publisher`,
//! `outlet`), url (`url`, `link`), category (`category`, `section`),
//! keywords (`keywords`, `tags`). Arrays of strings are joined.

use serde_json::{Map, Value};

use super::date::parse_date;
use super::field_map::{Field, FieldMap};
use super::Article;

/// Names of the id field, most telling first.
pub(super) const ID: &[&str] = &["id", "_id", "doc_id", "docno", "guid"];
/// Names of the title field, most telling first.
pub(super) const TITLE: &[&str] = &["title", "headline", "head_line", "heading"];
/// Names of the body field, most telling first.
pub(super) const BODY: &[&str] = &["body", "text", "content", "article", "story", "abstract"];
/// Names of the date iso field, most telling first.
pub(super) const DATE_ISO: &[&str] = &["date_iso"];
/// Names of the date field, most telling first.
pub(super) const DATE: &[&str] = &[
    "date",
    "published",
    "date_published",
    "published_at",
    "pubdate",
    "publish_date",
    "datetime",
    "time",
    "date_iso",
];
/// Names of the source field, most telling first.
pub(super) const SOURCE: &[&str] = &["source", "newspaper", "publisher", "outlet"];
/// Names of the url field, most telling first.
pub(super) const URL: &[&str] = &["url", "link", "href"];
/// Names of the category field, most telling first.
pub(super) const CATEGORY: &[&str] = &["category", "section", "categories"];
/// Names of the keywords field, most telling first.
pub(super) const KEYWORDS: &[&str] = &["keywords", "tags"];

/// The article a JSON object describes, the user's names for fields
/// looked up before the common ones.
pub fn article(map: &Map<String, Value>, names: &FieldMap) -> Article {
    let get = |f: Field, common: &[&str]| field(map, names.get(f), common);
    let date_text = get(Field::Date, DATE);
    let iso = field(map, None, DATE_ISO);
    Article {
        id: Some(get(Field::Id, ID)).filter(|s| !s.is_empty()),
        title: get(Field::Title, TITLE),
        body: get(Field::Body, BODY),
        date: parse_date(&iso).or_else(|| parse_date(&date_text)),
        date_text,
        source: get(Field::Source, SOURCE),
        url: get(Field::Url, URL),
        category: get(Field::Category, CATEGORY),
        keywords: get(Field::Keywords, KEYWORDS),
        line: None,
    }
}

/// The first non-empty value among `mapped` and then `names`, as text.
fn field(map: &Map<String, Value>, mapped: Option<&str>, names: &[&str]) -> String {
    for name in mapped.iter().chain(names) {
        let value = map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| as_text(v));
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            return v;
        }
    }
    String::new()
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => items
            .iter()
            .map(as_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("، "),
        Value::Object(map) => map.get("name").map(as_text).unwrap_or_default(),
        Value::Null => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{parse_bytes, Format};

    fn read_json(text: &str) -> Result<crate::corpus::FileArticles, crate::corpus::Problem> {
        parse_bytes(text.as_bytes(), Format::Json)
    }

    #[test]
    fn field_names() {
        let text = r#"{"ID": 7, "headline": "عنوان", "content": "متن", "published": "2024-05-01",
            "newspaper": "الأفق", "link": "https://x.test", "section": "اقتصاد", "tags": ["أ", "ب"]}"#;
        let out = read_json(text).expect("valid");
        let a = &out.articles[0];
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.title, "عنوان");
        assert_eq!(a.body, "متن");
        assert!(a.date.is_some());
        assert_eq!(a.source, "الأفق");
        assert_eq!(a.url, "https://x.test");
        assert_eq!(a.category, "اقتصاد");
        assert_eq!(a.keywords, "أ، ب");
    }

    #[test]
    fn date_iso_preferred_date_text_kept() {
        let text = r#"{"title": "ت", "body": "م", "date": "Sun, 18 Feb 2018", "date_iso": "2018-02-18T00:00:00Z"}"#;
        let a = &read_json(text).expect("valid").articles[0];
        assert_eq!(a.date_text, "Sun, 18 Feb 2018");
        assert_eq!(a.date, parse_date("2018-02-18"));
    }

    #[test]
    fn array_and_lines() {
        let out = read_json(r#"[{"title": "أ"}, 3, {"title": "ب"}]"#).expect("valid");
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.problems.len(), 1);
        assert!(
            out.problems[0].reason.contains("array item 2"),
            "{:?}",
            out.problems
        );
        let lines =
            "{\"title\": \"أ\"}\n{broken\n\n[1]\n{\"title\": \"ب\", \"body\": \"\"}\n\"x\"\n";
        let out = parse_bytes(lines.as_bytes(), Format::JsonLines).expect("valid");
        assert_eq!(out.articles.len(), 2);
        let bad: Vec<usize> = out.problems.iter().filter_map(|p| p.line).collect();
        assert_eq!(bad, vec![2, 4, 6]);
    }

    #[test]
    fn invalid_json_file() {
        let err = read_json("{\"title\": ").expect_err("invalid");
        assert!(err.reason.contains("invalid JSON"));
    }
}
