//! Main-text extraction of saved web pages, timed (see BENCHMARKS.md and
//! `tools/extraction-bench/run.sh`, which scores its output on
//! ../shared/extraction-benchmark).
//!
//! Reads every `.html` (or `.html.gz`) page of a folder into memory, then
//! runs akhbar's page reader (`akhbar::corpus::read_page`: charset,
//! parsing, metadata, main text) on all of them `--rounds` times on one
//! thread, and prints the best round's pages/s on stderr. With `--out
//! FILE` it writes the bodies in the benchmark's format: `{"version":
//! "akhbar", "output": {"PAGE": {"articleBody": "…"}}}`, PAGE being the
//! file name before its first dot.
//!
//! `cargo run --release --example extraction -- DIR [--rounds N] [--out FILE]`

#[path = "support/mod.rs"]
mod support;

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use akhbar::corpus::{read_page as read, PageHints as Hints};
use anyhow::Context;
use support::arg;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .context("usage: extraction DIR [--rounds N] [--out FILE]")?,
    );
    let rounds: usize = arg(&args, "--rounds").map_or(Ok(3), |r| r.parse())?;
    let pages = load(&dir)?;
    let mut best = f64::MAX;
    let mut bodies = serde_json::Map::new();
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        for (key, bytes) in &pages {
            let body = read(bytes, &Hints::default())
                .map(|p| p.article.body)
                .unwrap_or_default();
            bodies.insert(key.clone(), serde_json::json!({ "articleBody": body }));
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    eprintln!(
        "akhbar: {} pages in {best:.3} s (best of {rounds}, one thread): {:.0} pages/s",
        pages.len(),
        pages.len() as f64 / best
    );
    if let Some(out) = arg(&args, "--out") {
        let json = serde_json::json!({ "version": "akhbar", "output": bodies });
        std::fs::write(&out, serde_json::to_vec(&json)?).with_context(|| out.clone())?;
    }
    Ok(())
}

/// The folder's pages, by name before the first dot, gunzipped.
fn load(dir: &PathBuf) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| dir.display().to_string())? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.contains(".htm") {
            continue;
        }
        let raw = std::fs::read(&path).with_context(|| path.display().to_string())?;
        let bytes = if name.ends_with(".gz") {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
            out
        } else {
            raw
        };
        let key = name.split('.').next().unwrap_or_default().to_string();
        pages.push((key, bytes));
    }
    pages.sort();
    Ok(pages)
}
