//! Corpus: saved web pages (`.html`, `.htm`, `.xhtml`, gzipped too), one
//! article per page, main text only. [`charset`] decodes the bytes,
//! html5ever (through `scraper`) parses them as a browser would,
//! `nesting` guards the parser against absurdly deep markup, `metadata`
//! takes the title, date, source, url, section and keywords from JSON-LD,
//! OpenGraph/`<meta>`, `<h1>`, `<title>` and `<time>`, `blocks` cuts the
//! page into text blocks (with what `classes` says of the elements around
//! them), `content` finds the main text and accounts for every block it
//! leaves out, and `body` chooses between it and JSON-LD `articleBody`
//! and notes a page whose article may be lost. WARC responses (`warc`) go
//! through the same [`read`].

mod blocks;
mod body;
mod charset;
mod classes;
mod content;
mod metadata;
mod nesting;

use scraper::Html;

use super::date::parse_date;
use super::left_out::LeftOut;
use super::{Article, TextEncoding};

/// What a page's context adds: a WARC record's target URI, date and
/// HTTP charset.
#[derive(Clone, Debug, Default)]
pub struct Hints {
    /// Address the page was fetched from (url when the page names none;
    /// also the article's id).
    pub url: Option<String>,
    /// Date it was fetched (date when the page gives none).
    pub date: Option<String>,
    /// Charset of the HTTP `Content-Type`.
    pub charset: Option<String>,
}

/// One page read.
#[derive(Debug)]
pub struct Page {
    /// The article.
    pub article: Article,
    /// Blocks left out, in page order, numbered 1, 2, … (a page has no
    /// meaningful lines).
    pub left_out: Vec<LeftOut>,
    /// Encoding the page was decoded from.
    pub encoding: TextEncoding,
    /// What deserves a look: a main text empty or far shorter than the
    /// page's running text, a WARC record cut short.
    pub notes: Vec<String>,
    /// How the body was chosen (for `akhbar analyze --file`).
    pub explain: Vec<String>,
}

/// Reads one page.
///
/// # Errors
/// Why the bytes are not a readable page (empty, binary, undecodable, no
/// text at all).
pub fn read(bytes: &[u8], hints: &Hints) -> Result<Page, String> {
    let (text, encoding) = charset::decode(bytes, hints.charset.as_deref(), hints.url.as_deref())?;
    let html = Html::parse_document(&nesting::flatten(&text));
    drop(text);
    let meta = metadata::read(&html);
    let mut extract = content::extract(&html, &meta.title);
    let chosen = body::choose(&mut extract, meta.body.as_deref());
    let body = chosen.body;
    let date_text = if meta.date.is_empty() {
        hints.date.clone().unwrap_or_default()
    } else {
        meta.date
    };
    let url = if meta.url.is_empty() {
        hints.url.clone().unwrap_or_default()
    } else {
        meta.url
    };
    if meta.title.is_empty() && body.trim().is_empty() {
        return Err("no text found in the HTML page".to_string());
    }
    let article = Article {
        id: hints.url.clone(),
        title: meta.title,
        body,
        date: parse_date(&date_text),
        date_text,
        source: meta.source,
        url,
        category: meta.category,
        keywords: meta.keywords,
        line: None,
    };
    let left_out = extract
        .left_out
        .into_iter()
        .enumerate()
        .map(|(n, (reason, text))| LeftOut {
            line: n + 1,
            reason,
            text,
        })
        .collect();
    Ok(Page {
        article,
        left_out,
        encoding,
        notes: chosen
            .note
            .map(|n| match &hints.url {
                Some(url) => format!("page {url}: {n}"),
                None => n,
            })
            .into_iter()
            .collect(),
        explain: chosen.explain,
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod class_tests;
