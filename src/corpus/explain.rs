//! Corpus: how a file was read (`akhbar analyze --file`) — the articles
//! found, each with its id, title, date, source and first words, and the
//! lines left out with their reasons: the tool to run when a search
//! misses an article that is in a file.
//!
//! Built from a reader's [`FileArticles`], so every format akhbar reads
//! (and any reader added later) is explained the same way; for JSON and
//! JSON Lines the report simply lists the articles and the records
//! skipped.

use std::path::Path;

use chrono::DateTime;
use serde::Serialize;

use super::left_out::{self, by_reason, LeftOut, Reason};
use super::{article_id, read_file, Article, FileArticles, Format, Problem, TextEncoding};

/// Words of each body shown in the report.
pub const FIRST_WORDS: usize = 12;

/// How one file was read.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The file, as named.
    pub path: String,
    /// `text`, `json`, `jsonl` or `html`.
    pub format: &'static str,
    /// The encoding its text was decoded from.
    pub encoding: TextEncoding,
    /// Articles found, in file order.
    pub articles: Vec<ArticleReport>,
    /// Lines that went into no article.
    pub left_out: Vec<LeftOutLine>,
    /// Lines or records skipped as unreadable.
    pub problems: Vec<ProblemLine>,
    /// Characters of the articles' text (white space not counted).
    pub chars_indexed: usize,
    /// Characters of the lines left out (white space not counted).
    pub chars_left_out: usize,
    /// Characters left out per reason, largest first.
    pub left_out_by_reason: Vec<ReasonChars>,
    /// WARC records that held no HTML page, by kind.
    pub other_records: std::collections::BTreeMap<String, usize>,
    /// What deserves a look, as `akhbar index` notes it (a page whose
    /// main text is empty or far shorter than its running text, a WARC
    /// record cut short).
    pub notes: Vec<String>,
}

/// One article as read.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleReport {
    /// 1-based position in the file.
    pub number: usize,
    /// The id it gets when this file is indexed by name (under a folder,
    /// the path is relative to that folder).
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication date as written.
    pub date_text: String,
    /// Publication date, `YYYY-MM-DD`, when parseable.
    pub date: Option<String>,
    /// Outlet.
    pub source: String,
    /// Keywords.
    pub keywords: String,
    /// The first [`FIRST_WORDS`] words of the body.
    pub first_words: String,
    /// Words in the body.
    pub body_words: usize,
    /// How a web page's body was chosen (which block of the page, or
    /// JSON-LD `articleBody`, and why).
    pub explain: Vec<String>,
}

/// A line left out.
#[derive(Clone, Debug, Serialize)]
pub struct LeftOutLine {
    /// 1-based line number.
    pub line: usize,
    /// Why.
    pub reason: Reason,
    /// The reason in words.
    pub why: &'static str,
    /// Its characters (white space not counted).
    pub chars: usize,
    /// The line.
    pub text: String,
}

/// A line or record skipped as unreadable.
#[derive(Clone, Debug, Serialize)]
pub struct ProblemLine {
    /// 1-based line number, when the problem is on one line.
    pub line: Option<usize>,
    /// Why it was skipped.
    pub reason: String,
}

/// Characters left out for one reason.
#[derive(Clone, Debug, Serialize)]
pub struct ReasonChars {
    /// The reason.
    pub reason: Reason,
    /// The reason in words.
    pub why: &'static str,
    /// Characters.
    pub chars: usize,
}

/// Reads `path` and reports how it was read.
///
/// # Errors
/// A [`Problem`] when the file cannot be read at all (as `akhbar index`
/// would skip it).
pub fn explain_file(path: &Path) -> Result<FileReport, Problem> {
    let read = read_file(path)?;
    let format = match Format::of(path) {
        Some(Format::Json) => "json",
        Some(Format::JsonLines) => "jsonl",
        Some(Format::Html) => "html",
        Some(Format::Warc) => "warc",
        Some(Format::Delimited(b'\t')) => "tsv",
        Some(Format::Delimited(_)) => "csv",
        Some(Format::Parquet) => "parquet",
        _ => "text",
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(report(&path.display().to_string(), format, &name, &read))
}

/// The report of a file already read; `name` is its path for ids.
pub fn report(path: &str, format: &'static str, name: &str, read: &FileArticles) -> FileReport {
    let articles: Vec<ArticleReport> = read
        .articles
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let mut report = article(a, article_id(a, name, read.multi, n), n);
            report.explain = read
                .explain
                .iter()
                .filter(|(at, _)| *at == n)
                .map(|(_, line)| line.clone())
                .collect();
            report
        })
        .collect();
    FileReport {
        path: path.to_string(),
        format,
        encoding: read.encoding,
        chars_indexed: read.articles.iter().map(Article::chars).sum(),
        chars_left_out: read.left_out.iter().map(LeftOut::chars).sum(),
        left_out_by_reason: by_reason(&read.left_out)
            .into_iter()
            .map(|(reason, chars)| ReasonChars {
                reason,
                why: reason.describe(),
                chars,
            })
            .collect(),
        articles,
        other_records: read.other_records.clone(),
        notes: read.notes.clone(),
        left_out: read.left_out.iter().map(line).collect(),
        problems: read
            .problems
            .iter()
            .map(|p| ProblemLine {
                line: p.line,
                reason: p.reason.clone(),
            })
            .collect(),
    }
}

impl FileReport {
    /// Share of the file's text left out (0 to 1).
    pub fn left_out_share(&self) -> f64 {
        left_out::share(self.chars_indexed, self.chars_left_out)
    }
}

fn article(a: &Article, id: String, n: usize) -> ArticleReport {
    let words: Vec<&str> = a.body.split_whitespace().collect();
    ArticleReport {
        number: n + 1,
        id,
        title: a.title.clone(),
        date_text: a.date_text.clone(),
        date: a
            .date
            .and_then(|ts| DateTime::from_timestamp(ts, 0))
            .map(|d| d.format("%Y-%m-%d").to_string()),
        source: a.source.clone(),
        keywords: a.keywords.clone(),
        first_words: words[..words.len().min(FIRST_WORDS)].join(" "),
        body_words: words.len(),
        explain: Vec::new(),
    }
}

fn line(l: &LeftOut) -> LeftOutLine {
    LeftOutLine {
        line: l.line,
        reason: l.reason,
        why: l.reason.describe(),
        chars: l.chars(),
        text: l.text.clone(),
    }
}
