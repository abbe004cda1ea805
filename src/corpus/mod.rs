//! Corpus (floor 1): find article files and read them into [`Article`]s.
//!
//! Files are streamed, never read whole: `source` hands out a file's
//! (gunzipped) bytes with their offset, line and running hash; `records`
//! cuts them into records (JSON lines, JSON array items, TREC `<DOC>`s,
//! pages, WARC records) and parses each with `json` (field names), `text`
//! (TREC documents, and scraped .txt/.md pages through `page` and its
//! `boilerplate` patterns), `html` (saved web pages) or `warc` (web
//! archives); `decode` detects UTF-8 or Windows-1256; `date` parses the
//! many date forms news sites use; `walk` lists the files under the
//! folders a user names. Readers account for the text they leave out
//! (`left_out`); `explain` shows how a file was read (`akhbar analyze
//! --file`).

mod boilerplate;
mod columnar;
mod date;
mod decode;
mod delimited;
mod explain;
mod field_map;
mod html;
mod json;
mod left_out;
mod page;
mod records;
mod source;
mod text;
mod walk;
mod warc;

use std::path::Path;

pub use date::parse_date;
pub use decode::TextEncoding;
pub use explain::{
    explain_file, ArticleReport, FileReport, LeftOutLine, ProblemLine, ReasonChars, FIRST_WORDS,
};
pub use field_map::FieldMap;
pub use html::{read as read_page, Hints as PageHints, Page};
pub use left_out::{
    note as left_out_note, share as left_out_share, LeftOut, Reason, Tally, NOTE_SHARE,
};
pub use records::RecordReader;
pub use source::{io_reason, Position, Source};
pub use text::READER_VERSION as TEXT_READER_VERSION;
pub use walk::{list_files, unsupported_note, walk, CorpusFile, Walk};

/// One news article as read from the corpus, before analysis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Article {
    /// The article's id in its source (JSON `id`, TREC `DOCNO`), if any.
    pub id: Option<String>,
    /// Headline.
    pub title: String,
    /// Article text.
    pub body: String,
    /// Publication date as written in the source.
    pub date_text: String,
    /// Publication date, seconds since the Unix epoch (UTC), when parseable.
    pub date: Option<i64>,
    /// Outlet or newspaper.
    pub source: String,
    /// Address of the article online.
    pub url: String,
    /// Section or category.
    pub category: String,
    /// Keywords or tags given by the source.
    pub keywords: String,
    /// Where its record starts in the file: the 1-based line (JSON
    /// Lines, JSON arrays, CSV and TSV, TREC and WARC files, counted in
    /// the gunzipped text) or row (Parquet); `None` for a file that is
    /// one article (a page, a JSON object). Set by [`RecordReader`].
    pub line: Option<u64>,
}

impl Article {
    /// Characters of its text fields (white space not counted): what
    /// `chars_indexed` counts.
    pub fn chars(&self) -> usize {
        [
            &self.title,
            &self.body,
            &self.date_text,
            &self.source,
            &self.url,
            &self.category,
            &self.keywords,
        ]
        .into_iter()
        .map(|t| left_out::chars(t))
        .sum()
    }
}

/// The article's stable id: its own id, else the file's path under the
/// indexed folder, with `#N` for the Nth article of a multi-article file
/// and for every article after the first of a page (`page.txt`,
/// `page.txt#2`).
pub fn article_id(article: &Article, relative: &str, multi: bool, n: usize) -> String {
    match &article.id {
        Some(id) => id.clone(),
        None if multi || n > 0 => format!("{relative}#{}", n + 1),
        None => relative.to_string(),
    }
}

/// A problem with one file, or one line of it, that did not stop the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number, when the problem is on one line.
    pub line: Option<usize>,
    /// Why the file or line was skipped.
    pub reason: String,
}

impl Problem {
    /// A problem with the whole file.
    pub fn file(reason: impl Into<String>) -> Self {
        Problem {
            line: None,
            reason: reason.into(),
        }
    }

    /// A problem with one line of the file.
    pub fn at_line(line: usize, reason: impl Into<String>) -> Self {
        Problem {
            line: Some(line),
            reason: reason.into(),
        }
    }
}

/// What reading one file produced.
#[derive(Debug, Default)]
pub struct FileArticles {
    /// Articles read, in file order.
    pub articles: Vec<Article>,
    /// Lines (or records) skipped, with reasons.
    pub problems: Vec<Problem>,
    /// Lines that went into no article, with reasons (text pages and
    /// TREC abstracts; JSON readers take named fields and leave nothing
    /// out).
    pub left_out: Vec<LeftOut>,
    /// Articles kept whose body is empty.
    pub empty_bodies: usize,
    /// What deserves a look though nothing was skipped (see
    /// `records::Record::notes`).
    pub notes: Vec<String>,
    /// How web pages' bodies were chosen: the article's position in
    /// [`FileArticles::articles`] and a line (see
    /// `records::Record::explain`).
    pub explain: Vec<(usize, String)>,
    /// Encoding the text was decoded from.
    pub encoding: TextEncoding,
    /// True for multi-article layouts (JSON Lines, JSON arrays, TREC
    /// files, WARC files), whose articles without an id are numbered `#N`.
    pub multi: bool,
    /// WARC records that held no HTML page, counted by kind (`request`,
    /// `metadata`, `response image/png` …).
    pub other_records: std::collections::BTreeMap<String, usize>,
}

/// Input formats akhbar reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text: title line, then body (scraped layout or TREC `<DOC>`).
    Text,
    /// One JSON article object, or an array of them.
    Json,
    /// JSON Lines: one article object per line.
    JsonLines,
    /// A saved web page: one article, main text only.
    Html,
    /// A web archive: its HTML responses, one article each.
    Warc,
    /// A data set: a header row, then one article a row, split on
    /// commas (`.csv`) or tabs (`.tsv`).
    Delimited(u8),
    /// A Parquet data set: one article a row.
    Parquet,
}

impl Format {
    /// The format of a file, from its extension (after any `.gz`).
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.')?.1;
        match ext {
            "txt" | "md" | "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "warc" => Some(Format::Warc),
            "parquet" | "parq" => Some(Format::Parquet),
            "csv" | "tsv" | "tab" => Some(Format::Delimited(delimited::delimiter(name))),
            _ => None,
        }
    }
}

/// Reads every article of one file into memory (for small files and
/// tests; the indexer streams records with [`records::RecordReader`]).
///
/// # Errors
/// A [`Problem`] when the whole file cannot be read: I/O failure, a
/// gzip stream broken in its first bytes, binary data, an unknown
/// encoding, an unsupported format, invalid JSON in a one-article `.json`
/// file, or no article at all.
pub fn read_file(path: &Path) -> Result<FileArticles, Problem> {
    collect(records::RecordReader::open(path)?)
}

/// Parses a file's bytes (not gzipped) in `format`.
///
/// # Errors
/// As [`read_file`], for everything but I/O.
pub fn parse_bytes(bytes: &[u8], format: Format) -> Result<FileArticles, Problem> {
    if format == Format::Parquet {
        let blob = columnar::Blob::Bytes(bytes.to_vec().into());
        return collect(records::RecordReader::parquet(blob, &FieldMap::default())?);
    }
    let source = source::Source::from_bytes(bytes.to_vec());
    collect(records::RecordReader::new(source, format)?)
}

/// Reads every record of a reader.
fn collect(mut reader: records::RecordReader) -> Result<FileArticles, Problem> {
    let mut out = FileArticles {
        multi: reader.multi(),
        ..FileArticles::default()
    };
    while let Some(record) = reader.next_record() {
        match record {
            Ok(mut r) => {
                if !out.multi && r.articles.is_empty() {
                    // A one-article file whose article could not be read.
                    if let Some(problem) = r.problems.pop() {
                        return Err(problem);
                    }
                }
                let at = out.articles.len();
                out.explain.extend(r.explain.drain(..).map(|l| (at, l)));
                out.articles.append(&mut r.articles);
                out.problems.append(&mut r.problems);
                out.left_out.append(&mut r.left_out);
                out.notes.append(&mut r.notes);
            }
            Err(problem) if out.articles.is_empty() => {
                return Err(Problem::file(problem.reason));
            }
            Err(problem) => out.problems.push(problem),
        }
    }
    out.encoding = reader.encoding();
    out.other_records = reader.other_records().clone();
    out.empty_bodies = out
        .articles
        .iter()
        .filter(|a| a.body.trim().is_empty())
        .count();
    if out.articles.is_empty() && out.problems.is_empty() {
        if !out.other_records.is_empty() {
            return Err(Problem::file("no HTML page among the WARC records"));
        }
        return Err(Problem::file("no article found"));
    }
    Ok(out)
}
