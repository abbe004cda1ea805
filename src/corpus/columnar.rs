//! Corpus: Parquet data sets (`.parquet`, the Hugging Face hub's and most
//! pipelines' format), one article a row.
//!
//! The schema's top-level column names are mapped to akhbar's fields as a
//! CSV header is ([`super::delimited::Columns`]); only those columns are
//! read (a projection: an embedding or image column costs nothing). Rows
//! come through the `parquet` crate's record API page by page, so memory
//! stays near one page per column whatever the file's size. Numbers,
//! dates and timestamps are written as text, lists (keywords) joined.
//!
//! Resuming: the end of each row group is a resume point. Its
//! [`Position`] holds the byte offset where the group's column chunks end
//! and the blake3 hash of the bytes before it; resuming hashes those bytes
//! again and opens the file at the next group (a changed file is read from
//! the start, as for the other formats).

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use bytes::Bytes;
use parquet::basic::Type as Physical;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::{ReadOptionsBuilder, SerializedFileReader};
use parquet::record::reader::RowIter;
use parquet::record::Field;
use parquet::schema::types::Type;

use super::delimited::Columns;
use super::field_map::FieldMap;
use super::source::Position;
use super::{Article, Problem};

/// A Parquet file's bytes: on disk, or in memory (tests, `parse_bytes`).
pub enum Blob {
    /// A file on disk.
    File(File),
    /// Bytes in memory.
    Bytes(Bytes),
}

impl Blob {
    /// A reader of the file, keeping the row groups from `first` on.
    fn reader(&self, first: usize) -> parquet::errors::Result<Box<dyn FileReader>> {
        let options = ReadOptionsBuilder::new()
            .with_predicate(Box::new(move |_, i| i >= first))
            .build();
        Ok(match self {
            Blob::File(f) => Box::new(SerializedFileReader::new_with_options(
                f.try_clone()?,
                options,
            )?),
            Blob::Bytes(b) => Box::new(SerializedFileReader::new_with_options(b.clone(), options)?),
        })
    }

    /// Length in bytes.
    fn len(&self) -> u64 {
        match self {
            Blob::File(f) => f.metadata().map_or(0, |m| m.len()),
            Blob::Bytes(b) => b.len() as u64,
        }
    }

    /// Feeds bytes `from..to` to `hasher`.
    fn hash_range(&self, hasher: &mut blake3::Hasher, from: u64, to: u64) -> std::io::Result<()> {
        match self {
            Blob::Bytes(b) => {
                hasher.update(&b[from as usize..to as usize]);
            }
            Blob::File(f) => {
                let mut f = f.try_clone()?;
                f.seek(SeekFrom::Start(from))?;
                let mut chunk = vec![0; 1 << 16];
                let mut left = to - from;
                while left > 0 {
                    let n = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    f.read_exact(&mut chunk[..n])?;
                    hasher.update(&chunk[..n]);
                    left -= n as u64;
                }
            }
        }
        Ok(())
    }
}

/// Reads a Parquet file's rows as articles.
pub struct Rows {
    blob: Blob,
    names: Vec<String>,
    columns: Columns,
    projection: Type,
    /// Per row group: rows up to its end, and the byte offset its column
    /// chunks end at.
    ends: Vec<(u64, u64)>,
    iter: RowIter<'static>,
    /// The row group being read.
    group: usize,
    rows: u64,
    hasher: blake3::Hasher,
    hashed: u64,
}

impl Rows {
    /// Opens a Parquet file: its footer, schema and row groups.
    ///
    /// # Errors
    /// Not a (complete) Parquet file, no body-like column, or a body
    /// column that does not hold text.
    pub fn open(blob: Blob, map: &FieldMap) -> Result<Rows, Problem> {
        let broken = |e: parquet::errors::ParquetError| {
            Problem::file(format!("not a readable Parquet file: {e}"))
        };
        let reader = blob.reader(0).map_err(broken)?;
        let metadata = reader.metadata();
        let root = metadata.file_metadata().schema();
        let fields = root.get_fields();
        let names: Vec<String> = fields.iter().map(|f| f.name().to_string()).collect();
        let columns = Columns::of(&names, map).map_err(Problem::file)?;
        let mut kept = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            if !columns.uses(i) {
                continue;
            }
            let text = field.is_primitive()
                && matches!(
                    field.get_physical_type(),
                    Physical::BYTE_ARRAY | Physical::FIXED_LEN_BYTE_ARRAY
                );
            if i == columns.body() && !text {
                return Err(Problem::file(format!(
                    "the body column «{}» holds {} values, not text",
                    field.name(),
                    kind(field)
                )));
            }
            kept.push(Arc::clone(field));
        }
        let projection = Type::group_type_builder(root.name())
            .with_fields(kept)
            .build()
            .map_err(broken)?;
        let mut ends = Vec::new();
        let (mut rows, mut end) = (0u64, 0u64);
        for group in metadata.row_groups() {
            rows += u64::try_from(group.num_rows()).unwrap_or(0);
            for column in group.columns() {
                let (start, len) = column.byte_range();
                end = end.max(start + len);
            }
            ends.push((rows, end));
        }
        let iter = row_iter(&blob, 0, &projection).map_err(broken)?;
        Ok(Rows {
            blob,
            names,
            columns,
            projection,
            ends,
            iter,
            group: 0,
            rows: 0,
            hasher: blake3::Hasher::new(),
            hashed: 0,
        })
    }

    /// The next row as an article and whether a resume point follows it;
    /// `None` at the end; `Some(Err)` when the file's data is damaged
    /// (nothing more can be read).
    pub fn next_row(&mut self) -> Option<Result<(Article, bool), Problem>> {
        let row = match self.iter.next()? {
            Ok(row) => row,
            Err(e) => {
                let at = self.rows as usize + 1;
                return Some(Err(Problem::at_line(
                    at,
                    format!("damaged Parquet data at row {at}: {e}"),
                )));
            }
        };
        self.rows += 1;
        let mut fields = vec![Cow::Borrowed(""); self.names.len()];
        for (name, value) in row.get_column_iter() {
            if let Some(i) = self.names.iter().position(|n| n == name) {
                fields[i] = Cow::Owned(text(value));
            }
        }
        let article = self.columns.article(&fields);
        let mut resumable = false;
        while self.ends.get(self.group).is_some_and(|e| e.0 <= self.rows) {
            self.group += 1;
            resumable = true;
        }
        if resumable {
            let end = self.done_bytes();
            if let Err(e) = self.hash_to(end) {
                return Some(Err(Problem::at_line(self.rows as usize, io(&e))));
            }
        }
        Some(Ok((article, resumable)))
    }

    /// Byte offset where the row groups read so far end.
    fn done_bytes(&self) -> u64 {
        self.group
            .checked_sub(1)
            .and_then(|g| self.ends.get(g))
            .map_or(0, |e| e.1)
    }

    fn hash_to(&mut self, end: u64) -> std::io::Result<()> {
        if end > self.hashed {
            self.blob.hash_range(&mut self.hasher, self.hashed, end)?;
            self.hashed = end;
        }
        Ok(())
    }

    /// Where the reader stands: after the last whole row group.
    pub fn position(&self) -> Position {
        let rows = self.ends.get(self.group.wrapping_sub(1)).map_or(0, |e| e.0);
        Position {
            offset: self.done_bytes(),
            line: rows + 1,
            articles: rows,
            hash: self.hasher.finalize().to_hex().to_string(),
        }
    }

    /// Bytes of the file read so far (to the end of the last row group).
    pub fn raw_bytes(&self) -> u64 {
        self.done_bytes()
    }

    /// The blake3 hash (hex) of the bytes before the last resume point;
    /// of the whole file once every row was read.
    pub fn hash(&mut self) -> String {
        if self.group >= self.ends.len() {
            let len = self.blob.len();
            // an unreadable tail leaves the hash short: the file reads as changed next time
            let _ = self.hash_to(len);
        }
        self.hasher.finalize().to_hex().to_string()
    }

    /// Goes on after the row group ending at `at` when the bytes before
    /// it are unchanged; false otherwise (read the file from the start).
    pub fn resume(&mut self, at: &Position) -> bool {
        if self.rows != 0 {
            return false;
        }
        if at.offset == 0 {
            return at.hash == self.hasher.finalize().to_hex().to_string();
        }
        let Some(group) = self.ends.iter().position(|e| e.1 == at.offset) else {
            return false;
        };
        if self.hash_to(at.offset).is_err()
            || self.hasher.finalize().to_hex().to_string() != at.hash
        {
            return false;
        }
        let Ok(iter) = row_iter(&self.blob, group + 1, &self.projection) else {
            return false;
        };
        self.iter = iter;
        self.group = group + 1;
        self.rows = self.ends[group].0;
        true
    }
}

/// Rows of the row groups from `first` on, of the projected columns.
fn row_iter(
    blob: &Blob,
    first: usize,
    projection: &Type,
) -> parquet::errors::Result<RowIter<'static>> {
    RowIter::from_file_into(blob.reader(first)?).project(Some(projection.clone()))
}

/// A column's kind, for messages.
fn kind(field: &Type) -> String {
    if field.is_primitive() {
        format!("{:?}", field.get_physical_type()).to_lowercase()
    } else {
        "nested".to_string()
    }
}

fn io(e: &std::io::Error) -> String {
    format!("cannot read the file again to check it: {e}")
}

/// A value as text: strings as they are, dates as `YYYY-MM-DD`,
/// timestamps as RFC 3339, lists joined with «، ».
fn text(value: &Field) -> String {
    match value {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => String::from_utf8_lossy(b.data()).into_owned(),
        Field::Date(days) => chrono::DateTime::from_timestamp(i64::from(*days) * 86_400, 0)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Field::TimestampMillis(ms) => chrono::DateTime::from_timestamp_millis(*ms)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default(),
        Field::TimestampMicros(us) => chrono::DateTime::from_timestamp_micros(*us)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default(),
        Field::ListInternal(list) => list
            .elements()
            .iter()
            .map(text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("، "),
        Field::Group(_) | Field::MapInternal(_) => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::FieldMap;

    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    use crate::corpus::records::RecordReader;
    use crate::corpus::{parse_bytes, Format};

    use super::Blob;

    /// (id, headline, text, days since 1970, views)
    type Row<'a> = (&'a str, &'a str, &'a str, i32, i64);

    const ROWS: &[Row<'static>] = &[
        (
            "p-1",
            "أمطار غزيرة على الساحل",
            "هطلت أمطار غزيرة على مدن الساحل.",
            19_800,
            10,
        ),
        (
            "p-2",
            "افتتاح مدرسة في القرية",
            "افتتحت مدرسة جديدة تتسع لمئتي طالب.",
            19_801,
            20,
        ),
        (
            "p-3",
            "سباق للدراجات في الجبل",
            "شارك ثلاثون دراجا في سباق الجبل.",
            19_802,
            30,
        ),
        (
            "p-4",
            "مكتبة متنقلة تزور الأحياء",
            "تجول مكتبة متنقلة على الأحياء البعيدة.",
            19_803,
            40,
        ),
        (
            "p-5",
            "حملة لتنظيف الشاطئ",
            "نظف متطوعون الشاطئ من البلاستيك.",
            19_804,
            50,
        ),
    ];

    /// A Parquet file of `rows`, `per_group` rows a row group.
    fn parquet(rows: &[Row], per_group: usize, body: &str) -> Vec<u8> {
        let schema = format!(
            "message news {{ REQUIRED BYTE_ARRAY id (UTF8); OPTIONAL BYTE_ARRAY Headline (UTF8);
             REQUIRED BYTE_ARRAY {body}; OPTIONAL INT32 published (DATE); REQUIRED INT64 views; }}"
        );
        let schema = Arc::new(parse_message_type(&schema).expect("schema"));
        let props = Arc::new(WriterProperties::builder().build());
        let mut out = Vec::new();
        let mut writer = SerializedFileWriter::new(&mut out, schema, props).expect("writer");
        for group in rows.chunks(per_group) {
            let mut rg = writer.next_row_group().expect("row group");
            let text = |k: usize| -> Vec<ByteArray> {
                group
                    .iter()
                    .map(|r| ByteArray::from([r.0, r.1, r.2][k]))
                    .collect()
            };
            let all = vec![1i16; group.len()];
            let mut n = 0;
            while let Some(mut col) = rg.next_column().expect("column") {
                match n {
                    0 => col
                        .typed::<ByteArrayType>()
                        .write_batch(&text(0), None, None),
                    1 => col
                        .typed::<ByteArrayType>()
                        .write_batch(&text(1), Some(&all), None),
                    2 => col
                        .typed::<ByteArrayType>()
                        .write_batch(&text(2), None, None),
                    3 => {
                        let days: Vec<i32> = group.iter().map(|r| r.3).collect();
                        col.typed::<Int32Type>()
                            .write_batch(&days, Some(&all), None)
                    }
                    _ => {
                        let views: Vec<i64> = group.iter().map(|r| r.4).collect();
                        col.typed::<Int64Type>().write_batch(&views, None, None)
                    }
                }
                .expect("write");
                col.close().expect("close column");
                n += 1;
            }
            rg.close().expect("close row group");
        }
        writer.close().expect("close");
        out
    }

    #[test]
    fn rows_become_articles_by_their_column_names() {
        let bytes = parquet(ROWS, 2, "text (UTF8)");
        let out = parse_bytes(&bytes, Format::Parquet).expect("reads");
        let titles: Vec<&str> = out.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ROWS.iter().map(|r| r.1).collect::<Vec<_>>());
        let first = &out.articles[0];
        assert_eq!(first.id.as_deref(), Some("p-1"));
        assert_eq!(first.body, ROWS[0].2);
        assert_eq!(first.date_text, "2024-03-18");
        assert!(first.date.is_some());
        assert!(out.problems.is_empty() && out.multi);
        // each article knows its row (1-based)
        let rows: Vec<Option<u64>> = out.articles.iter().map(|a| a.line).collect();
        assert_eq!(rows, (1..=ROWS.len() as u64).map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn a_reader_resumes_after_a_row_group() {
        let bytes = parquet(ROWS, 2, "text (UTF8)");
        let open = || {
            RecordReader::parquet(Blob::Bytes(bytes.clone().into()), &FieldMap::default())
                .expect("opens")
        };
        let mut first = open();
        let mut resumable = Vec::new();
        let mut at = None;
        while let Some(record) = first.next_record() {
            let record = record.expect("no damage");
            resumable.push(record.resumable);
            if record.resumable && at.is_none() && record.first == 1 {
                at = Some(first.position());
            }
        }
        // a resume point after each row group of two, and after the last
        assert_eq!(resumable, [false, true, false, true, true]);
        let at = at.expect("after the first group");
        assert_eq!(at.articles, 2);
        let mut second = open();
        assert!(second.resume(&at));
        let (mut ids, mut rows) = (Vec::new(), Vec::new());
        while let Some(record) = second.next_record() {
            let record = record.expect("no damage");
            rows.extend(record.articles.iter().map(|a| a.line));
            ids.extend(record.articles.into_iter().filter_map(|a| a.id));
        }
        assert_eq!(ids, ["p-3", "p-4", "p-5"]);
        // rows numbered from the file's start after a resume too
        assert_eq!(rows, [Some(3), Some(4), Some(5)]);
        // another file's position is refused
        let mut other = ROWS.to_vec();
        other[0].2 = "نص آخر تماما";
        let changed = parquet(&other, 2, "text (UTF8)");
        let mut third = RecordReader::parquet(Blob::Bytes(changed.into()), &FieldMap::default())
            .expect("opens");
        assert!(!third.resume(&at));
    }

    #[test]
    fn bad_files_say_why() {
        let bytes = parquet(ROWS, 2, "text (UTF8)");
        let cut = parse_bytes(&bytes[..bytes.len() / 2], Format::Parquet).expect_err("truncated");
        assert!(
            cut.reason.contains("not a readable Parquet file"),
            "{}",
            cut.reason
        );
        let numbers = parquet(ROWS, 2, "body_length (UTF8)");
        let none = parse_bytes(&numbers, Format::Parquet).expect_err("no body column");
        assert!(
            none.reason.contains("no body column") && none.reason.contains("«Headline»"),
            "{}",
            none.reason
        );
        let schema = "message m { REQUIRED BYTE_ARRAY id (UTF8); REQUIRED INT64 body; }";
        let schema = Arc::new(parse_message_type(schema).expect("schema"));
        let mut out = Vec::new();
        let props = Arc::new(WriterProperties::builder().build());
        let writer = SerializedFileWriter::new(&mut out, schema, props).expect("writer");
        writer.close().expect("close");
        let typed = parse_bytes(&out, Format::Parquet).expect_err("body not text");
        assert!(
            typed.reason.contains("«body» holds int64"),
            "{}",
            typed.reason
        );
    }
}
