//! Output of `akhbar analyze --file`: how a file was read, as text or JSON.
//!
//! JSON schema (one object): `{"path", "format":
//! "text"|"json"|"jsonl"|"html"|"warc",
//! "encoding", "articles": [{"number", "id", "title", "date_text", "date"
//! (YYYY-MM-DD or null), "source", "keywords", "first_words",
//! "body_words", "explain": [text]}], "left_out": [{"line", "reason", "why", "chars",
//! "text"}], "problems": [{"line" (or null), "reason"}], "chars_indexed",
//! "chars_left_out", "left_out_by_reason": [{"reason", "why", "chars"}],
//! "other_records": {kind: count}, "notes": [text]}`;
//! `reason` is one of `read_also_marker`, `related_headline`,
//! `related_link`, `boilerplate`, `footer`, `repeated_field`, `abstract`,
//! `page_chrome`, `comments`, `outside_main`, `captions`. An article's
//! `explain` says how a web page's body was chosen, `notes` what `akhbar
//! index` notes about the file. For web pages and archives, `line` numbers the blocks
//! of text left out of each page, in page order (the text report says
//! `block`).

use std::io::{self, Write};

use crate::corpus::FileReport;

/// Longest left-out line shown in the text report (characters).
const SHOWN_CHARS: usize = 120;

/// Prints the report as one JSON object and a newline.
pub fn print_file_json<W: Write>(out: &mut W, report: &FileReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// Prints the report as readable blocks: a header, each article, the
/// lines left out and the lines skipped.
pub fn print_file_text<W: Write>(out: &mut W, r: &FileReport) -> io::Result<()> {
    let encoding = serde_json::to_value(r.encoding)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    writeln!(
        out,
        "{}: {}, {encoding}; {} article{}; {} characters indexed, {} left out ({:.1}%)",
        r.path,
        r.format,
        r.articles.len(),
        if r.articles.len() == 1 { "" } else { "s" },
        r.chars_indexed,
        r.chars_left_out,
        r.left_out_share() * 100.0
    )?;
    for a in &r.articles {
        writeln!(out, "\narticle {}  id {}", a.number, a.id)?;
        writeln!(out, "  title:  {}", a.title)?;
        let date = match (&a.date, a.date_text.is_empty()) {
            (Some(d), _) if *d == a.date_text => d.clone(),
            (Some(d), _) => format!("{d} ({})", a.date_text),
            (None, true) => "-".to_string(),
            (None, false) => format!("{} (not understood)", a.date_text),
        };
        writeln!(out, "  date:   {date}")?;
        writeln!(out, "  source: {}", dash(&a.source))?;
        if !a.keywords.is_empty() {
            writeln!(out, "  keywords: {}", a.keywords)?;
        }
        let more = if a.body_words > crate::corpus::FIRST_WORDS {
            " …"
        } else {
            ""
        };
        writeln!(
            out,
            "  body:   {} words: {}{more}",
            a.body_words, a.first_words
        )?;
        for line in &a.explain {
            writeln!(out, "  {line}")?;
        }
    }
    for note in &r.notes {
        writeln!(out, "\nnote: {note}")?;
    }
    if !r.left_out.is_empty() {
        let unit = if matches!(r.format, "html" | "warc") {
            "block"
        } else {
            "line"
        };
        writeln!(out, "\nleft out ({} {unit}s):", r.left_out.len())?;
        for l in &r.left_out {
            writeln!(
                out,
                "  {unit} {:<5} {}: {}",
                l.line,
                l.why,
                shorten(&l.text)
            )?;
        }
    }
    if !r.other_records.is_empty() {
        let kinds: Vec<String> = r
            .other_records
            .iter()
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect();
        writeln!(out, "\nother records, not pages: {}", kinds.join(", "))?;
    }
    if !r.problems.is_empty() {
        writeln!(out, "\nskipped ({}):", r.problems.len())?;
        for p in &r.problems {
            match p.line {
                Some(line) => writeln!(out, "  line {line:<5} {}", p.reason)?,
                None => writeln!(out, "  {}", p.reason)?,
            }
        }
    }
    Ok(())
}

fn dash(text: &str) -> &str {
    if text.is_empty() {
        "-"
    } else {
        text
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{} …", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::explain_file;

    #[test]
    fn text_report_names_articles_and_left_out_lines() {
        let page = "عنوان أول\nتاريخ النشر: 2024-03-10\nنص المقال الأول هنا كاملاً.\n\
            المصدر: نشرة\nاقرأ أيضاً:\nعنوان ثان\nنص المقال الثاني هنا كاملاً.\n";
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.txt");
        std::fs::write(&path, page).expect("write the page");
        let r = explain_file(&path).expect("read the page");
        let mut out = Vec::new();
        print_file_text(&mut out, &r).expect("print");
        let out = String::from_utf8(out).expect("utf8");
        for expected in [
            "p.txt: text, utf8; 2 articles;",
            "article 2  id p.txt#2",
            "  title:  عنوان ثان",
            "  date:   2024-03-10\n",
            "  source: نشرة",
            "  body:   5 words: نص المقال الثاني هنا كاملاً.",
            "  line 5     read-also markers: اقرأ أيضاً:",
        ] {
            assert!(out.contains(expected), "{expected:?} not in:\n{out}");
        }
    }
}
