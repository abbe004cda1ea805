//! Output of `akhbar export opensearch`: the export's summary (text or
//! JSON) and a translated query's request body.

use std::io::{self, Write};

use crate::export::ExportSummary;
use crate::export::Translation;

/// Prints the request body of a translated query, pretty JSON.
pub fn print_query<W: Write>(out: &mut W, t: &Translation) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &t.body)?;
    writeln!(out)
}

/// Prints the summary as one JSON object.
pub fn print_export_json<W: Write>(out: &mut W, s: &ExportSummary) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, s)?;
    writeln!(out)
}

/// Prints the summary for people.
pub fn print_export_text<W: Write>(out: &mut W, s: &ExportSummary) -> io::Result<()> {
    writeln!(
        out,
        "exported {} articles from {} files to {} in {:.1} s",
        s.articles,
        s.files_read,
        s.out.display(),
        s.seconds
    )?;
    writeln!(out, "  index.json       {} bytes", s.index_json_bytes)?;
    writeln!(
        out,
        "  bulk files       {} ({} bytes)",
        s.bulk_files.len(),
        s.bulk_bytes()
    )?;
    writeln!(
        out,
        "  stories          {} ({} copies set by story updates)",
        s.stories, s.story_updates
    )?;
    if !s.skipped.is_empty() {
        writeln!(out, "  skipped          {} (see above)", s.skipped.len())?;
    }
    writeln!(
        out,
        "load with the commands in {}",
        s.out.join("README.md").display()
    )
}
