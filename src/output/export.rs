//! Output of `akhbar search --format jsonl|csv`: one line (or row) per
//! hit, written as each hit is read, for notebooks, spreadsheets and
//! `wc -l` (with `--all`, every hit, in constant memory).
//!
//! Both carry the same columns, in this order: `rank`, `id`, `score`,
//! `date` (`YYYY-MM-DD`, empty when unknown), `source`, `title`, `url`,
//! `path`, `entities` (the confident entities' names, most mentioned
//! first; in CSV joined by `; `), `duplicates` (the ids of the near copies
//! folded into the hit, see `search::collapse`; in CSV joined by `; `;
//! empty with `--no-collapse`, where every copy is a row), `source_name`
//! (the outlet's name from the sources table, else the id; added after
//! the others so older readers' column numbers still hold), `line` (where
//! the article's record starts in `path`: line, or Parquet row; empty or
//! null for a file that is one article), then with `--fields` `body` (the
//! whole body as stored) and `snippets` (the matched passages, the
//! matched words not marked; in CSV joined by ` … `), in that order.
//! JSON Lines: one object a line, `entities` an array of names. CSV:
//! RFC 4180 as Excel and pandas read it (a header row, fields with
//! commas, quotes or line breaks quoted, quotes doubled), UTF-8, with a
//! byte order mark on request (`--bom`: Excel needs it to read UTF-8).
//! The `csv` crate does the quoting.

use std::io::{self, Write};

use serde::Serialize;

use super::sources::Sources;
use crate::search::Hit;

/// The columns of an export, in order.
pub const COLUMNS: [&str; 12] = [
    "rank",
    "id",
    "score",
    "date",
    "source",
    "title",
    "url",
    "path",
    "entities",
    "duplicates",
    "source_name",
    "line",
];

/// The optional columns (`--fields`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtraFields {
    /// The whole body.
    pub body: bool,
    /// The matched passages.
    pub snippets: bool,
}

/// Which line format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// JSON Lines.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

/// Writes hits one at a time.
pub struct Exporter<W: Write> {
    format: ExportFormat,
    extra: ExtraFields,
    csv: Option<csv::Writer<W>>,
    plain: Option<W>,
    sources: Sources,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    rank: usize,
    id: &'a str,
    score: f32,
    date: Option<&'a str>,
    source: &'a str,
    title: &'a str,
    url: &'a str,
    path: &'a str,
    entities: Vec<&'a str>,
    duplicates: Vec<&'a str>,
    source_name: &'a str,
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippets: Option<Vec<&'a str>>,
}

fn io_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> Exporter<W> {
    /// Starts an export: writes the byte order mark (`bom`) and, for CSV,
    /// the header row; the sources are named from `sources`.
    ///
    /// # Errors
    /// Writing fails.
    pub fn start(
        format: ExportFormat,
        mut out: W,
        bom: bool,
        extra: ExtraFields,
        sources: Sources,
    ) -> io::Result<Self> {
        if bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        match format {
            ExportFormat::Jsonl => Ok(Exporter {
                format,
                extra,
                csv: None,
                plain: Some(out),
                sources,
            }),
            ExportFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out);
                let mut header: Vec<&str> = COLUMNS.to_vec();
                if extra.body {
                    header.push("body");
                }
                if extra.snippets {
                    header.push("snippets");
                }
                w.write_record(header).map_err(io_err)?;
                Ok(Exporter {
                    format,
                    extra,
                    csv: Some(w),
                    plain: None,
                    sources,
                })
            }
        }
    }

    /// Writes one hit.
    ///
    /// # Errors
    /// Writing fails.
    pub fn write(&mut self, hit: &Hit) -> io::Result<()> {
        let entities: Vec<&str> = hit.entities.iter().map(|e| e.name.as_str()).collect();
        let duplicates: Vec<&str> = hit.duplicates.iter().map(|d| d.id.as_str()).collect();
        let body = self.extra.body.then_some(hit.body.as_str());
        let source_name = self.sources.name(&hit.source);
        let snippets = self.extra.snippets.then(|| {
            hit.snippets
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
        });
        match (self.format, &mut self.csv, &mut self.plain) {
            (ExportFormat::Csv, Some(w), _) => {
                let rank = hit.rank.to_string();
                let score = format!("{:.4}", hit.score);
                let joined = entities.join("; ");
                let copies = duplicates.join("; ");
                let passages = snippets.as_ref().map(|s| s.join(" … "));
                let line = hit.line.map(|n| n.to_string()).unwrap_or_default();
                let mut row = vec![
                    rank.as_str(),
                    &hit.id,
                    &score,
                    hit.date.as_deref().unwrap_or(""),
                    &hit.source,
                    &hit.title,
                    &hit.url,
                    &hit.path,
                    &joined,
                    &copies,
                    source_name,
                    &line,
                ];
                row.extend(body);
                row.extend(passages.as_deref());
                w.write_record(row).map_err(io_err)
            }
            (_, _, Some(out)) => {
                let line = JsonLine {
                    rank: hit.rank,
                    id: &hit.id,
                    score: hit.score,
                    date: hit.date.as_deref(),
                    source: &hit.source,
                    title: &hit.title,
                    url: &hit.url,
                    path: &hit.path,
                    entities,
                    duplicates,
                    source_name,
                    line: hit.line,
                    body,
                    snippets,
                };
                serde_json::to_writer(&mut *out, &line)?;
                out.write_all(b"\n")
            }
            _ => Err(io::Error::other("export writer in an impossible state")),
        }
    }

    /// Flushes what is buffered.
    ///
    /// # Errors
    /// Writing fails.
    pub fn finish(self) -> io::Result<()> {
        if let Some(w) = self.csv {
            let mut out = w
                .into_inner()
                .map_err(|e| io::Error::other(e.to_string()))?;
            out.flush()?;
        }
        if let Some(mut out) = self.plain {
            out.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::EntityType;
    use crate::search::HitEntity;

    fn hit(title: &str) -> Hit {
        let mut h = Hit::default();
        h.id = "doc.txt#2".into();
        h.title = title.into();
        h.rank = 3;
        h.score = 1.5;
        h.date = Some("2024-05-01".into());
        h.source = "وكالة، الأنباء".into();
        h.entities = vec![HitEntity {
            name: "دمشق".into(),
            kind: EntityType::Location,
            mentions: 2,
        }];
        h
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks() {
        // (title, how the CSV field must be written)
        let cases = [
            ("عنوان بسيط", "عنوان بسيط"),
            // the Arabic comma is no separator: left as written
            ("قال، ثم مضى", "قال، ثم مضى"),
            ("رقم, بفاصلة", "\"رقم, بفاصلة\""),
            ("قال \"لا\" أمس", "\"قال \"\"لا\"\" أمس\""),
            ("سطر\nثان", "\"سطر\nثان\""),
        ];
        for (title, written) in cases {
            let mut out = Vec::new();
            let mut e = Exporter::start(
                ExportFormat::Csv,
                &mut out,
                true,
                ExtraFields::default(),
                Sources::builtin(),
            )
            .expect("start");
            e.write(&hit(title)).expect("write");
            e.finish().expect("finish");
            let text = String::from_utf8(out).expect("utf-8");
            assert!(text.starts_with(
                "\u{feff}rank,id,score,date,source,title,url,path,entities,duplicates,source_name,line\r\n"
            ));
            assert!(text.contains(&format!(",{written},")), "{text}");
            let mut reader =
                csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let row = reader.records().next().expect("a row").expect("parses");
            assert_eq!(&row[5], title);
            assert_eq!(&row[4], "وكالة، الأنباء");
            assert_eq!(&row[8], "دمشق");
            // a source in no table is named by its id
            assert_eq!(&row[10], "وكالة، الأنباء");
        }
    }

    #[test]
    fn jsonl_is_one_object_a_line() {
        let mut out = Vec::new();
        let mut e = Exporter::start(
            ExportFormat::Jsonl,
            &mut out,
            false,
            ExtraFields::default(),
            Sources::builtin(),
        )
        .expect("start");
        e.write(&hit("سطر\nثان")).expect("write");
        let mut sky = hit("آخر");
        sky.source = "skynews".into();
        e.write(&sky).expect("write");
        e.write(&hit("آخر")).expect("write");
        e.finish().expect("finish");
        let text = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        let v: serde_json::Value = serde_json::from_str(lines[0]).expect("json");
        assert_eq!(v["title"], "سطر\nثان");
        assert_eq!(v["entities"][0], "دمشق");
        assert_eq!(v["date"], "2024-05-01");
        assert_eq!(v["source_name"], "وكالة، الأنباء");
        let v: serde_json::Value = serde_json::from_str(lines[1]).expect("json");
        assert_eq!(v["source"], "skynews");
        assert_eq!(v["source_name"], "سكاي نيوز عربية");
    }
}
