//! Corpus: data sets as CSV or TSV files (`.csv`, `.tsv`, optionally
//! `.gz`): a header row names the columns, each later row is an article.
//!
//! Columns are matched to akhbar's fields by the names JSON objects use
//! ([`super::json`]), case-insensitively, first match wins; a file with no
//! body-like column is refused with the columns it has. Quoted fields may
//! hold the delimiter, quotes (doubled) and line breaks (CRLF or LF); the
//! encoding is sniffed as for text files (UTF-8 or Windows-1256, a BOM
//! skipped). Rows are read one at a time with `csv-core` straight from the
//! file's buffer (the `csv` crate's reader wants its own `Read` and would
//! hide the offsets resuming needs); a row whose field count differs from
//! the header's is skipped with its line number.

use std::borrow::Cow;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use super::date::parse_date;
use super::decode::{Decoder, BOM};
use super::field_map::{Field, FieldMap};
use super::json;
use super::source::{Source, MAX_RECORD_BYTES};
use super::{Article, Problem};

/// Which column holds each field (by position in the header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    /// Number of columns in the header.
    count: usize,
    id: Option<usize>,
    title: Option<usize>,
    body: usize,
    date: Option<usize>,
    date_iso: Option<usize>,
    source: Option<usize>,
    url: Option<usize>,
    category: Option<usize>,
    keywords: Option<usize>,
}

impl Columns {
    /// Maps a header's names to fields, the user's names (`--map`) first.
    ///
    /// # Errors
    /// When no column holds a body: the reason lists the columns found.
    pub fn of(header: &[String], map: &FieldMap) -> Result<Columns, String> {
        let position = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        };
        let find = |field: Field, names: &[&str]| {
            map.get(field)
                .and_then(position)
                .or_else(|| names.iter().find_map(|name| position(name)))
        };
        let Some(body) = find(Field::Body, json::BODY) else {
            let found = header
                .iter()
                .map(|h| format!("«{}»", h.trim()))
                .collect::<Vec<_>>()
                .join(", ");
            let mapped = match map.get(Field::Body) {
                Some(name) => format!("no column «{name}» (mapped to body) and "),
                None => String::new(),
            };
            return Err(format!(
                "{mapped}no body column in the header row (columns: {found}); name one {} \
                 or map one with --map body=COLUMN",
                json::BODY.join(", ")
            ));
        };
        Ok(Columns {
            count: header.len(),
            id: find(Field::Id, json::ID),
            title: find(Field::Title, json::TITLE),
            body,
            date: find(Field::Date, json::DATE),
            date_iso: json::DATE_ISO.iter().find_map(|name| position(name)),
            source: find(Field::Source, json::SOURCE),
            url: find(Field::Url, json::URL),
            category: find(Field::Category, json::CATEGORY),
            keywords: find(Field::Keywords, json::KEYWORDS),
        })
    }

    /// True when column `i` holds one of akhbar's fields.
    pub fn uses(&self, i: usize) -> bool {
        [
            self.id,
            self.title,
            Some(self.body),
            self.date,
            self.date_iso,
            self.source,
            self.url,
            self.category,
            self.keywords,
        ]
        .contains(&Some(i))
    }

    /// The body's column.
    pub fn body(&self) -> usize {
        self.body
    }

    /// Columns in the header.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The article a row's fields describe (fields as written, as JSON
    /// strings are taken).
    pub fn article(&self, row: &[Cow<'_, str>]) -> Article {
        let get = |at: Option<usize>| {
            at.and_then(|i| row.get(i))
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        let date_text = get(self.date);
        let iso = get(self.date_iso);
        Article {
            id: Some(get(self.id)).filter(|s| !s.is_empty()),
            title: get(self.title),
            body: get(Some(self.body)),
            date: parse_date(&iso).or_else(|| parse_date(&date_text)),
            date_text,
            source: get(self.source),
            url: get(self.url),
            category: get(self.category),
            keywords: get(self.keywords),
            line: None,
        }
    }
}

/// A delimited file's row reader and its header's columns.
pub struct Table {
    rows: RowReader,
    columns: Columns,
}

impl Table {
    /// Reads the header row of a CSV or TSV file (a BOM skipped) and maps
    /// its columns.
    ///
    /// # Errors
    /// A header that is not text in the file's encoding, longer than
    /// [`MAX_RECORD_BYTES`], or without a body column.
    pub fn open(
        source: &mut Source,
        decoder: &mut Decoder,
        delimiter: u8,
        map: &FieldMap,
    ) -> Result<Table, Problem> {
        if source.buffered().starts_with(BOM) {
            source.consume(BOM.len());
        }
        let mut rows = RowReader::new(delimiter);
        let columns = match rows.read(source, MAX_RECORD_BYTES) {
            RowEnd::End => return Err(Problem::file("empty file")),
            RowEnd::TooLong => return Err(Problem::at_line(1, "header row longer than 16 MiB")),
            RowEnd::Row => {
                let header = rows.decoded(decoder).map_err(|r| Problem::at_line(1, r))?;
                let header: Vec<String> = header.into_iter().map(|h| h.into_owned()).collect();
                Columns::of(&header, map).map_err(|r| Problem::at_line(1, r))?
            }
        };
        if let Some(problem) = source.error(Some(source.line())) {
            return Err(problem);
        }
        Ok(Table { rows, columns })
    }

    /// The next row as an article, or the problem that skipped it (with
    /// the line the row starts on); `None` after the last row.
    pub fn next(
        &mut self,
        source: &mut Source,
        decoder: &mut Decoder,
    ) -> Option<(Vec<Article>, Vec<Problem>)> {
        RowReader::skip_line_ends(source);
        let line = source.line() as usize;
        let (mut articles, mut problems) = (Vec::new(), Vec::new());
        match self.rows.read(source, MAX_RECORD_BYTES) {
            RowEnd::End => return None,
            RowEnd::TooLong => problems.push(Problem::at_line(
                line,
                format!("record larger than {} MiB", MAX_RECORD_BYTES >> 20),
            )),
            RowEnd::Row if self.rows.field_count() != self.columns.count() => {
                problems.push(Problem::at_line(
                    line,
                    format!(
                        "{} fields where the header row has {}",
                        self.rows.field_count(),
                        self.columns.count()
                    ),
                ));
            }
            RowEnd::Row => match self.rows.decoded(decoder) {
                Ok(fields) => articles.push(self.columns.article(&fields)),
                Err(reason) => problems.push(Problem::at_line(line, reason)),
            },
        }
        Some((articles, problems))
    }
}

/// How reading one row ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowEnd {
    /// A row was read (its fields are in the reader).
    Row,
    /// A row longer than the cap was read past (its fields are dropped).
    TooLong,
    /// No more rows.
    End,
}

/// Reads rows of one delimited file, field bytes and their ends.
pub struct RowReader {
    core: Reader,
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// Fields of the last row read.
    fields: usize,
}

impl RowReader {
    /// A reader splitting on `delimiter` (`,` or tab), `"` quoting.
    pub fn new(delimiter: u8) -> RowReader {
        RowReader {
            core: ReaderBuilder::new().delimiter(delimiter).build(),
            bytes: vec![0; 4096],
            ends: vec![0; 32],
            fields: 0,
        }
    }

    /// Reads the next row from `source`, keeping at most `cap` bytes of
    /// fields (a longer row is read past and reported as too long).
    pub fn read(&mut self, source: &mut Source, cap: usize) -> RowEnd {
        let (mut out, mut end) = (0, 0);
        let mut too_long = false;
        loop {
            let input_len = source.fill(1);
            let (result, read, wrote, ended) = {
                let input = &source.buffered()[..input_len];
                self.core
                    .read_record(input, &mut self.bytes[out..], &mut self.ends[end..])
            };
            source.consume(read);
            out += wrote;
            end += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    if self.bytes.len() >= cap {
                        // keep parsing to find the row's end, dropping bytes
                        too_long = true;
                        out = 0;
                        end = 0;
                    } else {
                        let grown = (self.bytes.len() * 2).min(cap.max(4096));
                        self.bytes.resize(grown, 0);
                    }
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    self.fields = end;
                    return if too_long {
                        RowEnd::TooLong
                    } else {
                        RowEnd::Row
                    };
                }
                ReadRecordResult::End => return RowEnd::End,
            }
        }
    }

    /// Consumes the line breaks before the next row (the one ending the
    /// last row is left for the next read), so that the source's line is
    /// the row's first.
    pub fn skip_line_ends(source: &mut Source) {
        loop {
            let avail = source.fill(1);
            let n = source
                .buffered()
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            source.consume(n);
            if n == 0 || n < avail {
                return;
            }
        }
    }

    /// The fields of the row just read, as bytes.
    pub fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let ends = &self.ends[..self.fields];
        let starts = std::iter::once(0).chain(ends.iter().copied());
        starts
            .zip(ends.iter().copied())
            .map(|(a, b)| &self.bytes[a..b])
    }

    /// Number of fields of the row just read.
    pub fn field_count(&self) -> usize {
        self.fields
    }

    /// The row just read, decoded field by field.
    ///
    /// # Errors
    /// The first field that is not text in the file's encoding.
    pub fn decoded<'a>(&'a self, decoder: &mut Decoder) -> Result<Vec<Cow<'a, str>>, String> {
        self.fields().map(|f| decoder.decode(f)).collect()
    }
}

/// The delimiter of a file named `name` (lowercase, without `.gz`).
pub fn delimiter(name: &str) -> u8 {
    if name.ends_with(".tsv") || name.ends_with(".tab") {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus::records::RecordReader;
    use crate::corpus::Position;
    use crate::corpus::{parse_bytes, Format, Source};

    const CSV: &str = "\u{feff}ID,Headline,Text,Published,Newspaper\r\n\
        1,عنوان أول,\"متن أول، فيه فاصلة\r\nوسطر ثان\",2024-05-01,الأفق\r\n\
        2,\"عنوان \"\"مقتبس\"\"\",متن ثان,2024-05-02,الأفق\r\n\
        3,ناقص,متن\r\n\
        \r\n\
        4,عنوان رابع,متن رابع,,المدى\r\n";

    #[test]
    fn rows_become_articles_by_their_header_names() {
        let out = parse_bytes(CSV.as_bytes(), Format::Delimited(b',')).expect("reads");
        let titles: Vec<&str> = out.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["عنوان أول", "عنوان \"مقتبس\"", "عنوان رابع"]);
        let first = &out.articles[0];
        assert_eq!(first.id.as_deref(), Some("1"));
        assert_eq!(first.body, "متن أول، فيه فاصلة\r\nوسطر ثان");
        assert_eq!(first.source, "الأفق");
        assert!(first.date.is_some());
        assert!(out.articles[2].date.is_none());
        // the short row, on line 5 after a quoted line break
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        assert_eq!(out.problems[0].line, Some(5));
        assert!(
            out.problems[0]
                .reason
                .contains("3 fields where the header row has 5"),
            "{}",
            out.problems[0].reason
        );
        assert!(out.multi);
    }

    #[test]
    fn tabs_and_windows_1256() {
        let text = "title\tbody\nعنوان\tمتن بترميز قديم\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let out = parse_bytes(&bytes, Format::Delimited(b'\t')).expect("reads");
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].body, "متن بترميز قديم");
        assert_eq!(format!("{:?}", out.encoding), "Windows1256");
    }

    #[test]
    fn no_body_column_names_the_columns() {
        let err =
            parse_bytes(b"headline,when\nx,y\n", Format::Delimited(b',')).expect_err("no body");
        assert_eq!(err.line, Some(1));
        assert!(
            err.reason.contains("«headline», «when»") && err.reason.contains("body, text"),
            "{}",
            err.reason
        );
    }

    #[test]
    fn a_reader_resumes_after_a_row() {
        let open = || {
            RecordReader::new(
                Source::from_bytes(CSV.as_bytes().to_vec()),
                Format::Delimited(b','),
            )
            .expect("opens")
        };
        let mut first = open();
        let mut at: Option<Position> = None;
        while let Some(record) = first.next_record() {
            let record = record.expect("no stream error");
            assert!(record.resumable);
            if record.articles.iter().any(|a| a.title.contains("مقتبس")) {
                at = Some(first.position());
                break;
            }
        }
        let at = at.expect("second row read");
        assert_eq!(at.articles, 2);
        let mut second = open();
        assert!(second.resume(&at));
        let mut titles = Vec::new();
        while let Some(record) = second.next_record() {
            let record = record.expect("no stream error");
            titles.extend(record.articles.into_iter().map(|a| a.title));
        }
        assert_eq!(titles, ["عنوان رابع"]);
        // a position from a changed file is refused
        let changed = CSV.replace("متن ثان", "متن آخر");
        let mut third = RecordReader::new(
            Source::from_bytes(changed.into_bytes()),
            Format::Delimited(b','),
        )
        .expect("opens");
        assert!(!third.resume(&at));
    }
}
