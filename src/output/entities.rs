//! Output of `akhbar entities`: a table, or JSON
//! `{"entities": [{"name", "type", "articles"}]}`.

use std::io::{self, Write};

use serde::Serialize;

use crate::search::EntityCount;

#[derive(Serialize)]
struct JsonEntities<'a> {
    entities: &'a [EntityCount],
}

/// Prints the counts as JSON.
pub fn print_top_entities_json<W: Write>(out: &mut W, counts: &[EntityCount]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &JsonEntities { entities: counts })?;
    writeln!(out)
}

/// Prints the counts grouped by type.
pub fn print_top_entities_text<W: Write>(out: &mut W, counts: &[EntityCount]) -> io::Result<()> {
    let mut last = None;
    for c in counts {
        if last != Some(c.kind) {
            writeln!(out, "{}:", c.kind.code())?;
            last = Some(c.kind);
        }
        writeln!(out, "  {:>7}  {}", c.articles, c.name)?;
    }
    Ok(())
}
