//! Corpus: a file read as a stream of records, never whole. A record is a
//! JSON line, an item of a JSON array, a TREC `<DOC>`, or a whole page;
//! each is held in memory alone, up to [`MAX_RECORD_BYTES`], decoded,
//! parsed into articles, and handed out with the [`Position`] after it.
//!
//! Memory per reader: the [`BUFFER_BYTES`](super::source::BUFFER_BYTES)
//! read buffer, gzip's window, and one record (at most
//! [`MAX_RECORD_BYTES`], its text and its articles). A longer record is
//! skipped with its line, the rest of the file is read.
//!
//! Resuming: a position after a delimited record (a line with its newline,
//! an array item, a `<DOC>` followed by the next) is a place the reader can
//! come back to ([`RecordReader::resume`]): it reads the bytes before it
//! again (re-decompressing a `.gz`: at 200–400 MB/s, far faster than
//! indexing, so no decompressor state is stored) and checks their hash, so
//! a file changed before that point is read from the start instead.

use std::collections::BTreeMap;

use memchr::memmem::Finder;
use serde_json::Value;

use super::columnar::{Blob, Rows};
use super::decode::{Decoder, TextEncoding, BOM};
use super::delimited::{RowReader, Table};
use super::field_map::FieldMap;
use super::source::{Position, Source, Until, BUFFER_BYTES, MAX_RECORD_BYTES};
use super::{html, json, text, warc, Article, Format, LeftOut, Problem};
use scan::{scan_value, Scan};

/// What one record gave.
#[derive(Debug, Default)]
pub struct Record {
    /// Its articles (several for a TREC file's page or a page with others
    /// attached, usually one).
    pub articles: Vec<Article>,
    /// Why it, or part of it, was skipped.
    pub problems: Vec<Problem>,
    /// Its lines that went into no article (a page's read-also markers,
    /// related headlines, boilerplate; a TREC abstract not in the body),
    /// numbered as lines of the file.
    pub left_out: Vec<LeftOut>,
    /// What deserves a look though nothing was skipped (a web page whose
    /// main text is empty or far shorter than its running text, a WARC
    /// record cut short): `akhbar index` notes and counts them.
    pub notes: Vec<String>,
    /// How a web page's body was chosen (for `akhbar analyze --file`),
    /// for its first article.
    pub explain: Vec<String>,
    /// Ordinal (0-based, in the file) of its first article.
    pub first: u64,
    /// True when the reader can resume right after this record.
    pub resumable: bool,
}

/// How a file's records are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Lines,
    Array(ArrayState),
    Object,
    Trec,
    Page,
    Html,
    Warc,
    /// Rows of a CSV or TSV file, read by [`RecordReader::table`].
    Table,
    /// Rows of a Parquet file, read by [`Rows`].
    Parquet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArrayState {
    Start,
    AfterItem,
    Done,
}

/// Reads one file's records in order.
pub struct RecordReader {
    source: Source,
    decoder: Decoder,
    layout: Layout,
    page_encoding: Option<TextEncoding>,
    articles: u64,
    items: u64,
    started: bool,
    finished: bool,
    buf: Vec<u8>,
    doc: Finder<'static>,
    warc: Finder<'static>,
    other_records: BTreeMap<String, usize>,
    /// The rows and columns of a CSV or TSV file.
    table: Option<Table>,
    /// The rows of a Parquet file.
    parquet: Option<Box<Rows>>,
    /// The user's names for fields (`--map`).
    names: FieldMap,
    /// Bytes consumed when the reader was opened (a delimited file's
    /// header row): where [`RecordReader::resume`] starts from.
    opened_at: u64,
    /// The line the record being read starts on.
    at: u64,
}

impl RecordReader {
    /// Opens a file and detects its encoding and layout.
    ///
    /// # Errors
    /// A [`Problem`] for the whole file: unsupported type, I/O failure, a
    /// gzip stream broken within its first bytes, an empty, binary or
    /// undecodable file, or JSON that is neither an object nor an array.
    pub fn open(path: &std::path::Path) -> Result<RecordReader, Problem> {
        RecordReader::open_mapped(path, &FieldMap::default())
    }

    /// As [`RecordReader::open`], with the user's names for fields.
    ///
    /// # Errors
    /// As [`RecordReader::open`].
    pub fn open_mapped(path: &std::path::Path, map: &FieldMap) -> Result<RecordReader, Problem> {
        let format = Format::of(path).ok_or_else(|| {
            Problem::file(
                "unsupported file type (expected .txt, .md, .json, .jsonl, .ndjson, .html, .htm, .xhtml, .warc, .csv, .tsv, .parquet, or .gz)",
            )
        })?;
        if format == Format::Parquet {
            let gz = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
            if gz {
                return Err(Problem::file(
                    "a gzipped Parquet file is not read: unzip it (Parquet compresses its own pages)",
                ));
            }
            let file =
                std::fs::File::open(path).map_err(|e| Problem::file(super::io_reason(&e)))?;
            return RecordReader::parquet(Blob::File(file), map);
        }
        RecordReader::new_mapped(Source::open(path)?, format, map)
    }

    /// A reader over a Parquet file's rows.
    ///
    /// # Errors
    /// Not a (complete) Parquet file, no body-like column, or a body
    /// column that does not hold text.
    pub fn parquet(blob: Blob, map: &FieldMap) -> Result<RecordReader, Problem> {
        let rows = Rows::open(blob, map)?;
        let mut reader = RecordReader::with(
            Source::from_bytes(Vec::new()),
            Decoder::utf8(),
            Layout::Parquet,
        );
        reader.parquet = Some(Box::new(rows));
        Ok(reader)
    }

    /// A reader over `source`, in `format`.
    ///
    /// # Errors
    /// As [`RecordReader::open`].
    pub fn new(source: Source, format: Format) -> Result<RecordReader, Problem> {
        RecordReader::new_mapped(source, format, &FieldMap::default())
    }

    /// As [`RecordReader::new`], with the user's names for fields.
    ///
    /// # Errors
    /// As [`RecordReader::open`].
    pub fn new_mapped(
        mut source: Source,
        format: Format,
        map: &FieldMap,
    ) -> Result<RecordReader, Problem> {
        if format == Format::Warc {
            source.fill(BUFFER_BYTES);
            if let Some(problem) = source.error(None) {
                return Err(problem);
            }
            if source.buffered().iter().all(u8::is_ascii_whitespace) {
                return Err(Problem::file("empty file"));
            }
            return Ok(RecordReader::with(source, Decoder::utf8(), Layout::Warc));
        }
        if format == Format::Html {
            // Web pages name or imply their own charset: html::charset.
            source.fill(BUFFER_BYTES);
            if let Some(problem) = source.error(None) {
                return Err(problem);
            }
            return Ok(RecordReader::with(source, Decoder::utf8(), Layout::Html));
        }
        let avail = source.fill(BUFFER_BYTES);
        if let Some(problem) = source.error(None) {
            return Err(problem);
        }
        let prefix = source.buffered();
        let prefix = prefix.strip_prefix(BOM).unwrap_or(prefix);
        let complete = avail < BUFFER_BYTES;
        let decoder = Decoder::sniff(prefix, complete)?;
        let first = prefix.iter().find(|b| !b.is_ascii_whitespace()).copied();
        let layout = match format {
            Format::JsonLines => Layout::Lines,
            Format::Json => match first {
                Some(b'[') => Layout::Array(ArrayState::Start),
                Some(b'{') => Layout::Object,
                _ => {
                    return Err(Problem::file(
                        "JSON is neither an article object nor an array",
                    ))
                }
            },
            Format::Text if trec_start(prefix) => Layout::Trec,
            Format::Text => Layout::Page,
            Format::Html => Layout::Html,
            Format::Warc => Layout::Warc,
            Format::Delimited(delimiter) => {
                return RecordReader::table(source, decoder, delimiter, map)
            }
            Format::Parquet => {
                return Err(Problem::file(
                    "a Parquet file is read from its path or its bytes",
                ))
            }
        };
        let mut reader = RecordReader::with(source, decoder, layout);
        reader.names = map.clone();
        Ok(reader)
    }

    /// A reader over a CSV or TSV file, its header row read.
    ///
    /// # Errors
    /// As [`Table::open`].
    fn table(
        mut source: Source,
        mut decoder: Decoder,
        delimiter: u8,
        map: &FieldMap,
    ) -> Result<RecordReader, Problem> {
        let table = Table::open(&mut source, &mut decoder, delimiter, map)?;
        let mut reader = RecordReader::with(source, decoder, Layout::Table);
        reader.opened_at = reader.source.offset();
        reader.table = Some(table);
        Ok(reader)
    }

    /// The next row of a CSV or TSV file as an article, or the problem
    /// that skipped it.
    fn next_row(&mut self) -> Option<Record> {
        let table = self.table.as_mut()?;
        // the row starts after any blank line ends (Table::next skips them too)
        RowReader::skip_line_ends(&mut self.source);
        self.at = self.source.line();
        let (articles, problems) = table.next(&mut self.source, &mut self.decoder)?;
        Some(self.record(articles, problems, true))
    }

    fn with(source: Source, decoder: Decoder, layout: Layout) -> RecordReader {
        RecordReader {
            source,
            decoder,
            layout,
            page_encoding: None,
            articles: 0,
            items: 0,
            started: false,
            finished: false,
            buf: Vec::new(),
            doc: Finder::new(b"<DOC>"),
            warc: Finder::new(b"\nWARC/"),
            other_records: BTreeMap::new(),
            table: None,
            parquet: None,
            names: FieldMap::default(),
            opened_at: 0,
            at: 0,
        }
    }

    /// WARC records that were no HTML page, counted by kind.
    pub fn other_records(&self) -> &BTreeMap<String, usize> {
        &self.other_records
    }

    /// A WARC record: an HTML response's article, a problem, or nothing
    /// (another kind of record, counted).
    fn next_warc(&mut self) -> Option<Record> {
        self.source.skip_whitespace();
        self.at = self.source.line();
        let item = warc::next_item(&mut self.source, &mut self.buf, &self.warc)?;
        Some(match item {
            warc::Item::Page(page) => {
                let page = *page;
                let mut record = self.record(vec![page.article], Vec::new(), true);
                record.left_out = page.left_out;
                record.notes = page.notes;
                record.explain = page.explain;
                record
            }
            warc::Item::Other(kind) => {
                *self.other_records.entry(kind).or_default() += 1;
                self.record(Vec::new(), Vec::new(), true)
            }
            warc::Item::Bad(problem) => self.record(Vec::new(), vec![problem], true),
        })
    }

    /// True for multi-article layouts (JSON Lines, JSON arrays, TREC
    /// files), whose articles without an id are numbered `#N`.
    pub fn multi(&self) -> bool {
        matches!(
            self.layout,
            Layout::Lines
                | Layout::Array(_)
                | Layout::Trec
                | Layout::Warc
                | Layout::Table
                | Layout::Parquet
        )
    }

    /// The encoding found so far.
    pub fn encoding(&self) -> TextEncoding {
        self.page_encoding
            .unwrap_or_else(|| self.decoder.encoding())
    }

    /// Where the reader stands.
    pub fn position(&self) -> Position {
        if let Some(rows) = &self.parquet {
            return rows.position();
        }
        Position {
            offset: self.source.offset(),
            line: self.source.line(),
            articles: self.articles,
            hash: self.source.hash(),
        }
    }

    /// Bytes read from the file itself (compressed, for `.gz`).
    pub fn raw_bytes(&self) -> u64 {
        if let Some(rows) = &self.parquet {
            return rows.raw_bytes();
        }
        self.source.raw_bytes()
    }

    /// blake3 hash (hex) of everything read; the whole file's once
    /// [`RecordReader::next_record`] returned `None`.
    pub fn hash(&mut self) -> String {
        if let Some(rows) = &mut self.parquet {
            return rows.hash();
        }
        self.source.hash()
    }

    /// Skips to `at`, a position an earlier reader of this file gave:
    /// true when the bytes before it are still the same (the reader then
    /// goes on from there), false when the file changed (the reader is
    /// spent: open the file again).
    pub fn resume(&mut self, at: &Position) -> bool {
        if let Some(rows) = &mut self.parquet {
            let resumed = rows.resume(at);
            if resumed {
                self.articles = at.articles;
                self.started = true;
            } else {
                self.finished = true;
            }
            return resumed;
        }
        if at.offset == 0 && self.source.offset() == 0 {
            return at.hash == self.source.hash();
        }
        let here = self.source.offset();
        if here != self.opened_at
            || at.offset < here
            || !self.source.skip(at.offset - here)
            || self.source.hash() != at.hash
        {
            self.finished = true;
            return false;
        }
        self.articles = at.articles;
        self.started = true;
        if let Layout::Array(state) = &mut self.layout {
            *state = ArrayState::AfterItem;
        }
        true
    }

    /// The next record, `None` at the end; `Some(Err)` when the stream
    /// broke (a truncated gzip file): the problem names the line reached,
    /// and nothing more can be read.
    pub fn next_record(&mut self) -> Option<Result<Record, Problem>> {
        loop {
            if self.finished {
                return None;
            }
            let first = !self.started;
            if first {
                if !matches!(
                    self.layout,
                    Layout::Html | Layout::Warc | Layout::Table | Layout::Parquet
                ) {
                    self.skip_bom();
                }
                self.started = true;
            }
            let record = match self.layout {
                Layout::Lines => self.next_line(),
                Layout::Array(state) => self.next_item(state),
                Layout::Object | Layout::Page | Layout::Html if first => self.whole(),
                Layout::Object | Layout::Page | Layout::Html => None,
                Layout::Trec => self.next_doc(first),
                Layout::Warc => self.next_warc(),
                Layout::Table => self.next_row(),
                Layout::Parquet => match self.parquet.as_mut().and_then(|r| r.next_row()) {
                    None => None,
                    Some(Ok((article, resumable))) => {
                        Some(self.record(vec![article], Vec::new(), resumable))
                    }
                    Some(Err(problem)) => {
                        self.finished = true;
                        return Some(Err(problem));
                    }
                },
            };
            if let Some(problem) = self.broken() {
                self.finished = true;
                return Some(Err(problem));
            }
            match record {
                Some(r)
                    if r.articles.is_empty() && r.problems.is_empty() && r.left_out.is_empty() =>
                {
                    continue
                }
                Some(r) => return Some(Ok(r)),
                None => {
                    self.finished = true;
                    return None;
                }
            }
        }
    }

    fn skip_bom(&mut self) {
        if self.source.fill(BOM.len()) >= BOM.len() && self.source.buffered().starts_with(BOM) {
            self.source.consume(BOM.len());
        }
    }

    /// A read error met while reading, as a problem at the line reached.
    fn broken(&self) -> Option<Problem> {
        if !self.source.failed() {
            return None;
        }
        self.source.error(Some(self.source.line()))
    }

    /// A record from parsed articles and problems, numbering the articles.
    fn record(
        &mut self,
        mut articles: Vec<Article>,
        problems: Vec<Problem>,
        resumable: bool,
    ) -> Record {
        let first = self.articles;
        self.articles += articles.len() as u64;
        let line = match self.layout {
            Layout::Object | Layout::Page | Layout::Html => None,
            Layout::Parquet => Some(first + 1),
            _ => Some(self.at),
        };
        for a in &mut articles {
            a.line = line;
        }
        Record {
            articles,
            problems,
            left_out: Vec::new(),
            notes: Vec::new(),
            explain: Vec::new(),
            first,
            resumable,
        }
    }

    fn next_line(&mut self) -> Option<Record> {
        if self.source.at_end() {
            return None;
        }
        let line = self.source.line() as usize;
        self.at = line as u64;
        self.buf.clear();
        let until = self
            .source
            .read_until(b'\n', &mut self.buf, MAX_RECORD_BYTES);
        let resumable = until == Until::Found;
        let mut problems = Vec::new();
        let mut articles = Vec::new();
        if until == Until::TooLong {
            problems.push(too_long(line));
        } else {
            match self.decoder.decode(&self.buf) {
                Err(reason) => problems.push(Problem::at_line(line, reason)),
                Ok(text) if text.trim().is_empty() => {}
                Ok(text) => match serde_json::from_str::<Value>(text.trim()) {
                    Ok(Value::Object(map)) => articles.push(json::article(&map, &self.names)),
                    Ok(_) => problems.push(Problem::at_line(line, "not a JSON object")),
                    Err(e) => problems.push(Problem::at_line(line, format!("invalid JSON: {e}"))),
                },
            }
        }
        Some(self.record(articles, problems, resumable))
    }

    fn next_item(&mut self, state: ArrayState) -> Option<Record> {
        self.source.skip_whitespace();
        match (state, self.source.peek()) {
            (ArrayState::Done, _) => return self.trailing(),
            (ArrayState::Start, Some(b'[')) => self.source.consume(1),
            (ArrayState::AfterItem, Some(b',')) => self.source.consume(1),
            (_, Some(b']')) => {
                self.source.consume(1);
                self.layout = Layout::Array(ArrayState::Done);
                return self.trailing();
            }
            (_, None) => {
                let line = self.source.line() as usize;
                self.layout = Layout::Array(ArrayState::Done);
                let problem =
                    Problem::at_line(line, "unexpected end of file inside the JSON array");
                return Some(self.record(Vec::new(), vec![problem], false));
            }
            (_, Some(_)) => {
                let line = self.source.line() as usize;
                self.layout = Layout::Array(ArrayState::Done);
                let problem =
                    Problem::at_line(line, "invalid JSON: expected `,` or `]` in the array");
                return Some(self.record(Vec::new(), vec![problem], false));
            }
        }
        self.source.skip_whitespace();
        if self.source.peek() == Some(b']') && state == ArrayState::Start {
            self.source.consume(1);
            self.layout = Layout::Array(ArrayState::Done);
            return self.trailing();
        }
        let line = self.source.line() as usize;
        self.at = line as u64;
        self.items += 1;
        self.buf.clear();
        let scan = scan_value(&mut self.source, &mut self.buf, MAX_RECORD_BYTES);
        let (mut articles, mut problems) = (Vec::new(), Vec::new());
        match scan {
            Scan::Complete => match self.decoder.decode(&self.buf) {
                Err(reason) => problems.push(Problem::at_line(line, reason)),
                Ok(text) => match serde_json::from_str::<Value>(&text) {
                    Ok(Value::Object(map)) => articles.push(json::article(&map, &self.names)),
                    Ok(_) => problems.push(Problem::at_line(
                        line,
                        format!("array item {} is not an article object", self.items),
                    )),
                    Err(e) => problems.push(Problem::at_line(line, format!("invalid JSON: {e}"))),
                },
            },
            Scan::TooLong => problems.push(too_long(line)),
            Scan::Eof => {
                self.layout = Layout::Array(ArrayState::Done);
                problems.push(Problem::at_line(
                    line,
                    "unexpected end of file inside the JSON array",
                ));
                return Some(self.record(articles, problems, false));
            }
        }
        self.layout = Layout::Array(ArrayState::AfterItem);
        Some(self.record(articles, problems, true))
    }

    /// After a JSON array: only whitespace may follow.
    fn trailing(&mut self) -> Option<Record> {
        self.source.skip_whitespace();
        if self.source.at_end() {
            return None;
        }
        let line = self.source.line() as usize;
        while self.source.skip(BUFFER_BYTES as u64) {}
        let problem = Problem::at_line(line, "invalid JSON: text after the end of the array");
        Some(self.record(Vec::new(), vec![problem], false))
    }

    /// A page or a single JSON object: the whole file is one record.
    fn whole(&mut self) -> Option<Record> {
        self.buf.clear();
        let until = self.source.read_until_eof(&mut self.buf, MAX_RECORD_BYTES);
        if until == Until::TooLong {
            let what = if matches!(self.layout, Layout::Page | Layout::Html) {
                "page"
            } else {
                "JSON object"
            };
            let problem = Problem {
                line: None,
                reason: format!("{what} larger than {} MiB", MAX_RECORD_BYTES >> 20),
            };
            return Some(self.record(Vec::new(), vec![problem], false));
        }
        if self.layout == Layout::Html {
            return Some(match html::read(&self.buf, &html::Hints::default()) {
                Ok(page) => {
                    self.page_encoding = Some(page.encoding);
                    let mut record = self.record(vec![page.article], Vec::new(), false);
                    record.left_out = page.left_out;
                    record.notes = page.notes;
                    record.explain = page.explain;
                    record
                }
                Err(reason) => self.record(Vec::new(), vec![Problem::file(reason)], false),
            });
        }
        let text = match self.decoder.decode(&self.buf) {
            Ok(text) => text,
            Err(reason) => {
                return Some(self.record(Vec::new(), vec![Problem::file(reason)], false))
            }
        };
        if self.layout == Layout::Page {
            let read = text::read(&text);
            let mut record = self.record(read.articles, read.problems, false);
            record.left_out = read.left_out;
            return Some(record);
        }
        let (articles, problems) = match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => (vec![json::article(&map, &self.names)], Vec::new()),
            Ok(_) => (
                Vec::new(),
                vec![Problem::file(
                    "JSON is neither an article object nor an array",
                )],
            ),
            Err(e) => (
                Vec::new(),
                vec![Problem::at_line(e.line(), format!("invalid JSON: {e}"))],
            ),
        };
        Some(self.record(articles, problems, false))
    }

    /// A TREC document: from `<DOC>` to the next `<DOC>` or the end.
    fn next_doc(&mut self, first: bool) -> Option<Record> {
        if first {
            // What precedes the first <DOC> (whitespace) is not a document.
            self.buf.clear();
            if self
                .source
                .read_until_pattern(&self.doc, &mut self.buf, BUFFER_BYTES)
                != Until::Found
            {
                return None;
            }
        }
        if self.source.at_end() {
            return None;
        }
        let line = self.source.line() as usize;
        self.at = line as u64;
        self.buf.clear();
        self.source.fill(5);
        self.source.take_capped(5, &mut self.buf, MAX_RECORD_BYTES);
        let until = self
            .source
            .read_until_pattern(&self.doc, &mut self.buf, MAX_RECORD_BYTES);
        let resumable = until == Until::Found;
        if until == Until::TooLong {
            return Some(self.record(Vec::new(), vec![too_long(line)], resumable));
        }
        let (articles, problems, mut left_out) = match self.decoder.decode(&self.buf) {
            Ok(doc) => {
                let read = text::read(&doc);
                (read.articles, Vec::new(), read.left_out)
            }
            Err(reason) => (Vec::new(), vec![Problem::at_line(line, reason)], Vec::new()),
        };
        // The document's lines count from its `<DOC>` line.
        for l in &mut left_out {
            l.line += line - 1;
        }
        let mut record = self.record(articles, problems, resumable);
        record.left_out = left_out;
        Some(record)
    }
}

/// True when a text file's first bytes (after whitespace) open a TREC
/// document.
fn trec_start(prefix: &[u8]) -> bool {
    let start = prefix
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(prefix.len());
    prefix[start..].starts_with(b"<DOC>")
}

fn too_long(line: usize) -> Problem {
    Problem::at_line(
        line,
        format!("record larger than {} MiB", MAX_RECORD_BYTES >> 20),
    )
}

mod scan;
#[cfg(test)]
mod tests;
