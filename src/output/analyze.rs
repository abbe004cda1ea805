//! Output of `akhbar analyze`: a readable table, or JSON.
//!
//! JSON schema: `{"text": string, "analyzer_version": number, "tokens":
//! [{"position", "start", "end", "original", "normalized", "exact"?: [string],
//! "keyword"?: [string]}]}`, with `start`/`end` byte offsets into `text`;
//! `exact` and `keyword` appear when that analyzer was asked for.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::WordReport;
use crate::analysis::ANALYZER_VERSION;

#[derive(Serialize)]
struct AnalyzeJson<'a> {
    text: &'a str,
    analyzer_version: u32,
    tokens: &'a [WordReport],
}

/// Prints the report as one JSON object and a newline.
pub fn print_analysis_json<W: Write>(
    out: &mut W,
    text: &str,
    report: &[WordReport],
) -> io::Result<()> {
    write_json(out, text, report, true)
}

/// Prints the report as one line of compact JSON (`analyze --batch`).
pub fn print_analysis_json_line<W: Write>(
    out: &mut W,
    text: &str,
    report: &[WordReport],
) -> io::Result<()> {
    write_json(out, text, report, false)
}

fn write_json<W: Write>(
    out: &mut W,
    text: &str,
    report: &[WordReport],
    pretty: bool,
) -> io::Result<()> {
    let json = AnalyzeJson {
        text,
        analyzer_version: ANALYZER_VERSION,
        tokens: report,
    };
    if pretty {
        serde_json::to_writer_pretty(&mut *out, &json)?;
    } else {
        serde_json::to_writer(&mut *out, &json)?;
    }
    writeln!(out)
}

/// Prints the report as a table: one block per word.
pub fn print_analysis_text<W: Write>(out: &mut W, report: &[WordReport]) -> io::Result<()> {
    for word in report {
        writeln!(
            out,
            "#{} [{}..{}] {}",
            word.position, word.start, word.end, word.original
        )?;
        writeln!(out, "    normalized: {}", word.normalized)?;
        if let Some(exact) = &word.exact {
            writeln!(out, "    exact:      {}", list(exact))?;
        }
        if let Some(keyword) = &word.keyword {
            writeln!(out, "    keyword:    {}", list(keyword))?;
        }
    }
    Ok(())
}

fn list(terms: &[String]) -> String {
    if terms.is_empty() {
        "(dropped)".to_string()
    } else {
        terms.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::explain;
    use crate::analysis::Analyzer;

    #[test]
    fn text_shows_offsets_and_forms() {
        let report = explain("والعراق", &Analyzer::ALL);
        let mut buf = Vec::new();
        print_analysis_text(&mut buf, &report).expect("write to vec");
        let text = String::from_utf8(buf).expect("utf8");
        assert!(text.starts_with("#0 [0..14] والعراق"), "{text}");
        assert!(text.contains("exact:      والعراق العراق عراق"), "{text}");
    }

    #[test]
    fn json_round_trips() {
        let report = explain("في", &Analyzer::ALL);
        let mut buf = Vec::new();
        print_analysis_json(&mut buf, "في", &report).expect("write to vec");
        let value: serde_json::Value = serde_json::from_slice(&buf).expect("json");
        assert_eq!(value["tokens"][0]["keyword"], serde_json::json!([]));
        assert_eq!(value["analyzer_version"], ANALYZER_VERSION);
    }
}
