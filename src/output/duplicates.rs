//! Output of `akhbar duplicates ID`: an article and its near copies.
//!
//! JSON: `{"id", "title", "source", "date", "signed": bool, "copies":
//! [{"id", "title", "source", "date", "similarity"}]}`, most similar first;
//! `signed` is false for an article without a body (short bodies are
//! compared with their title, as one exact text).

use std::io::{self, Write};

use serde::Serialize;

use crate::search::{Copies, Listed};

#[derive(Serialize)]
struct JsonListed<'a> {
    id: &'a str,
    title: &'a str,
    source: &'a str,
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f64>,
}

#[derive(Serialize)]
struct JsonCopies<'a> {
    #[serde(flatten)]
    article: JsonListed<'a>,
    signed: bool,
    copies: Vec<JsonListed<'a>>,
}

fn listed(l: &Listed, similarity: bool) -> JsonListed<'_> {
    JsonListed {
        id: &l.id,
        title: &l.title,
        source: &l.source,
        date: l.date.as_deref(),
        similarity: similarity.then_some(l.similarity),
    }
}

/// Prints the article and its copies as one JSON object.
pub fn print_duplicates_json<W: Write>(out: &mut W, c: &Copies) -> io::Result<()> {
    let json = JsonCopies {
        article: listed(&c.article, false),
        signed: c.signed,
        copies: c.copies.iter().map(|l| listed(l, true)).collect(),
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

/// Prints the article and its copies for a person.
pub fn print_duplicates_text<W: Write>(out: &mut W, c: &Copies) -> io::Result<()> {
    let line = |l: &Listed| {
        let date = l.date.as_deref().unwrap_or("");
        let meta: Vec<&str> = [date, l.source.as_str(), l.id.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        format!("{}  ({})", l.title, meta.join(" · "))
    };
    writeln!(out, "{}", line(&c.article))?;
    if !c.signed {
        writeln!(
            out,
            "  no body to compare: never grouped with other articles"
        )?;
        return Ok(());
    }
    if c.copies.is_empty() {
        writeln!(out, "  no near copies")?;
    }
    for copy in &c.copies {
        writeln!(out, "  {:>4.0}%  {}", copy.similarity * 100.0, line(copy))?;
    }
    Ok(())
}
