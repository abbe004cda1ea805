//! Output of a followed search as an Atom feed (RFC 4287): `GET /feed` and
//! `akhbar search --format atom`, through the same printer.
//!
//! The feed: `id` (a `tag:` URI made of the search's parameters, so it
//! stays the same across polls), `title` («أخبار: …»), `updated` (when the
//! index last changed, else the newest entry's date), links to itself and
//! to the search on the page, `generator` akhbar. Each entry, newest
//! first: `id` (`tag:akhbar,2024:article:ID`, the id percent-encoded: the
//! same article keeps its entry id across polls and feeds), `title`,
//! `published` and `updated` (the article's date at midnight UTC;
//! 1970-01-01 for an undated article, which sorts it last as the search
//! does), `author` (the outlet), a link to akhbar's article view
//! (`alternate`) and to the original (`related`, when it is a web
//! address), the main entities as categories, and a `summary` as text:
//! the matched passages with each matched word in [brackets], as the text
//! output shows them. The XML is written by the `atom_syndication` crate.

use std::io::{self, Write};

use atom_syndication::{Category, Entry, Feed, Generator, Link, Person, Text};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::search::{Hit, SearchResults};

/// Characters kept as they are in a URL's query value or an id.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query value or an id.
pub fn url_encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// What a feed says about itself besides its entries.
#[derive(Clone, Debug)]
pub struct FeedMeta {
    /// Where akhbar's page is served: `http://127.0.0.1:7700` (no slash at
    /// the end). Entries link to its article view.
    pub base: String,
    /// The search's parameters as a query string (`q=…&entity=…`, encoded,
    /// in a fixed order): the feed's id and links are made of it.
    pub params: String,
    /// What the feed follows, for its title («الحكومة»).
    pub subject: String,
    /// When the index last changed, if known.
    pub updated: Option<DateTime<Utc>>,
}

impl FeedMeta {
    /// The feed's own address.
    pub fn self_url(&self) -> String {
        format!("{}/feed?{}", self.base, self.params)
    }
}

/// The query string of a search's parameters, in a fixed order, empty
/// values left out: the same search always makes the same string.
pub fn feed_params(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What a feed follows, for its title: «query», «name», or both.
pub fn feed_subject(query: &str, entity: Option<&str>) -> String {
    match (entity, query.trim()) {
        (Some(name), "") => format!("«{name}»"),
        (Some(name), q) => format!("«{q}» مع «{name}»"),
        (None, q) => format!("«{q}»"),
    }
}

/// Midnight UTC of a `YYYY-MM-DD` date; the epoch for none.
fn day(date: Option<&str>) -> DateTime<FixedOffset> {
    date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::UNIX_EPOCH, |t| t.and_utc())
        .fixed_offset()
}

/// A snippet's text with each highlighted byte range in [brackets].
fn bracketed(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for r in ranges {
        let (start, end) = (r.start.max(at), r.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push('[');
        out.push_str(&text[start..end]);
        out.push(']');
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href,
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Link::default()
    }
}

/// One hit as an entry.
fn entry(hit: &Hit, meta: &FeedMeta) -> Entry {
    let when = day(hit.date.as_deref());
    let mut article = format!("{}/article?id={}", meta.base, url_encode(&hit.id));
    if !meta.params.is_empty() {
        // The article view marks the search's words.
        let marks: Vec<&str> = meta
            .params
            .split('&')
            .filter(|p| p.starts_with("q=") || p.starts_with("entity="))
            .collect();
        if !marks.is_empty() {
            article.push('&');
            article.push_str(&marks.join("&"));
        }
    }
    let mut links = vec![link(article, "alternate", Some("text/html"))];
    if hit.url.starts_with("http://") || hit.url.starts_with("https://") {
        links.push(link(hit.url.clone(), "related", None));
    }
    let summary: Vec<String> = hit
        .snippets
        .iter()
        .map(|s| bracketed(&s.text, &s.highlights))
        .collect();
    let title = if hit.title.trim().is_empty() {
        "(مقالة بلا عنوان)".to_string()
    } else {
        hit.title.clone()
    };
    Entry {
        title: Text::plain(title),
        id: format!("tag:akhbar,2024:article:{}", url_encode(&hit.id)),
        updated: when,
        published: Some(when),
        authors: vec![Person {
            name: if hit.source.is_empty() {
                "مصدر غير معروف".to_string()
            } else {
                hit.source.clone()
            },
            ..Person::default()
        }],
        links,
        categories: hit
            .entities
            .iter()
            .take(5)
            .map(|e| Category {
                term: e.name.clone(),
                ..Category::default()
            })
            .collect(),
        summary: (!summary.is_empty()).then(|| Text::plain(summary.join(" … "))),
        ..Entry::default()
    }
}

/// Prints the hits of a search as an Atom feed.
///
/// # Errors
/// Writing fails.
pub fn print_search_atom<W: Write>(
    out: &mut W,
    results: &SearchResults,
    meta: &FeedMeta,
) -> io::Result<()> {
    let entries: Vec<Entry> = results.hits.iter().map(|h| entry(h, meta)).collect();
    let newest = entries.iter().map(|e| e.updated).max();
    let updated = meta
        .updated
        .map(|t| t.fixed_offset())
        .or(newest)
        .unwrap_or_else(|| DateTime::UNIX_EPOCH.fixed_offset());
    let feed = Feed {
        title: Text::plain(format!("أخبار: {}", meta.subject)),
        id: format!("tag:akhbar,2024:feed:{}", meta.params),
        updated,
        authors: vec![Person {
            name: "akhbar".to_string(),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "akhbar".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
            ..Generator::default()
        }),
        links: vec![
            link(meta.self_url(), "self", Some("application/atom+xml")),
            link(
                format!("{}/?{}", meta.base, meta.params),
                "alternate",
                Some("text/html"),
            ),
        ],
        lang: Some("ar".to_string()),
        entries,
        ..Feed::default()
    };
    feed.write_to(&mut *out)
        .map_err(|e| io::Error::other(e.to_string()))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn brackets_mark_whole_ranges_only() {
        let table: [(&str, &[std::ops::Range<usize>], &str); 4] = [
            // byte ranges: «قال » is 7 bytes, «الوزير» 12
            ("قال الوزير", &[7..19], "قال [الوزير]"),
            ("abc", &[], "abc"),
            ("abc", &[0..1, 2..3], "[a]b[c]"),
            // a range inside a letter is left out, never split
            ("قال", &[1..2], "قال"),
        ];
        for (text, ranges, want) in table {
            assert_eq!(bracketed(text, ranges), want, "{text}");
        }
    }

    #[test]
    fn days_and_params() {
        assert_eq!(
            day(Some("2024-06-20")).to_rfc3339(),
            "2024-06-20T00:00:00+00:00"
        );
        assert_eq!(day(None), DateTime::UNIX_EPOCH.fixed_offset());
        assert_eq!(day(Some("junk")), DateTime::UNIX_EPOCH.fixed_offset());
        assert_eq!(
            feed_params(&[("q", "سوريا ب"), ("entity", ""), ("from", "2024-01-01")]),
            "q=%D8%B3%D9%88%D8%B1%D9%8A%D8%A7%20%D8%A8&from=2024-01-01"
        );
    }
}
