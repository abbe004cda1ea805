//! Output of `akhbar analyze --entity`: the entity a name resolves to, its
//! names word by word with their readings and spelling variants; or JSON
//! `{"query", "entity": {"canonical", "type", "aliases"} | null,
//! "names": [{"name", "readings": [[string]], "variants": [[string]]}]}`.

use std::io::{self, Write};

use crate::entities::EntityReport;

/// Prints the report as JSON.
pub fn print_entity_json<W: Write>(out: &mut W, report: &EntityReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// Prints the report as text.
pub fn print_entity_text<W: Write>(out: &mut W, report: &EntityReport) -> io::Result<()> {
    match &report.entity {
        Some(e) => writeln!(out, "{} [{}]", e.canonical, e.kind.code())?,
        None => writeln!(
            out,
            "{}: not in the alias table; searched as a phrase",
            report.query
        )?,
    }
    for name in &report.names {
        writeln!(out, "  name: {}", name.name)?;
        for (readings, variants) in name.readings.iter().zip(&name.variants) {
            writeln!(out, "    word: {}", readings.join(" | "))?;
            if !variants.is_empty() {
                writeln!(
                    out,
                    "      spelling variants tried (kept when in the index): {}",
                    variants.join(" ")
                )?;
            }
        }
    }
    Ok(())
}
