//! Output of `akhbar trends` (and `/api/trends`): several searches counted
//! period by period.
//!
//! JSON: the fields of [`Trends`]: `{"interval": "week"|"month"|"year",
//! "periods": ["2024-01", …], "series": [{"label", "query", "entity",
//! "total", "undated", "counts": [n, …], "warnings"}], "took_ms"}`, each
//! series' `counts` in the order of `periods`. CSV: a header row
//! (`period`, then each series' label), one row per period; for a
//! spreadsheet's chart. Text: the same as aligned columns, with totals.

use std::io::{self, Write};

use crate::search::Trends;

/// Prints the trends as JSON.
///
/// # Errors
/// Writing fails.
pub fn print_trends_json<W: Write>(out: &mut W, trends: &Trends) -> io::Result<()> {
    serde_json::to_writer(&mut *out, trends)?;
    writeln!(out)
}

/// Prints the trends as CSV (a byte order mark first with `bom`).
///
/// # Errors
/// Writing fails.
pub fn print_trends_csv<W: Write>(out: &mut W, trends: &Trends, bom: bool) -> io::Result<()> {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut *out);
    let mut header = vec!["period".to_string()];
    header.extend(trends.series.iter().map(|s| s.label.clone()));
    w.write_record(&header).map_err(io::Error::other)?;
    for (i, period) in trends.periods.iter().enumerate() {
        let mut row = vec![period.clone()];
        row.extend(
            trends
                .series
                .iter()
                .map(|s| s.counts.get(i).copied().unwrap_or(0).to_string()),
        );
        w.write_record(&row).map_err(io::Error::other)?;
    }
    w.flush()
}

/// Prints the trends as text columns.
///
/// # Errors
/// Writing fails.
pub fn print_trends_text<W: Write>(out: &mut W, trends: &Trends) -> io::Result<()> {
    // Each column as wide as its label (at least 8), numbers right-aligned under it.
    let widths: Vec<usize> = trends
        .series
        .iter()
        .map(|s| s.label.chars().count().max(8))
        .collect();
    let cell = |text: &str, width: usize| {
        let pad = width.saturating_sub(text.chars().count());
        format!("{}{text}", " ".repeat(pad))
    };
    let header: Vec<String> = trends
        .series
        .iter()
        .zip(&widths)
        .map(|(s, w)| cell(&s.label, *w))
        .collect();
    writeln!(out, "{:<12}  {}", "period", header.join("  "))?;
    for (i, period) in trends.periods.iter().enumerate() {
        let row: Vec<String> = trends
            .series
            .iter()
            .zip(&widths)
            .map(|(s, w)| cell(&s.counts.get(i).copied().unwrap_or(0).to_string(), *w))
            .collect();
        writeln!(out, "{period:<12}  {}", row.join("  "))?;
    }
    for s in &trends.series {
        writeln!(
            out,
            "{}: {} articles ({} undated)",
            s.label, s.total, s.undated
        )?;
    }
    Ok(())
}
