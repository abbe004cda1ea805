//! Output of `akhbar stats`: text or JSON (the fields of
//! [`crate::search::Stats`], and the top sources' display names).

use std::io::{self, Write};

use super::sources::Sources;
use crate::search::Stats;

/// Prints the statistics as JSON.
///
/// Beside `top_sources` (`[id, articles]` pairs), `top_source_names` gives
/// each one's display name, in the same order (the id when unknown).
pub fn print_stats_json<W: Write>(out: &mut W, stats: &Stats, sources: &Sources) -> io::Result<()> {
    let mut value = serde_json::to_value(stats)?;
    if let Some(map) = value.as_object_mut() {
        let names: Vec<&str> = stats
            .top_sources
            .iter()
            .map(|(id, _)| sources.name(id))
            .collect();
        map.insert("top_source_names".to_string(), serde_json::json!(names));
    }
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

/// Prints the statistics as text.
pub fn print_stats_text<W: Write>(out: &mut W, s: &Stats, sources: &Sources) -> io::Result<()> {
    writeln!(out, "articles:       {}", s.articles)?;
    writeln!(out, "files:          {}", s.files)?;
    writeln!(out, "distinct terms: {}", s.distinct_terms)?;
    writeln!(out, "segments:       {}", s.segments)?;
    writeln!(
        out,
        "size on disk:   {:.1} MiB",
        s.size_bytes as f64 / 1_048_576.0
    )?;
    let first = s.first_date.as_deref().unwrap_or("-");
    let last = s.last_date.as_deref().unwrap_or("-");
    writeln!(out, "dates:          {first} .. {last}")?;
    writeln!(out, "top sources:")?;
    for (id, n) in &s.top_sources {
        match sources.name(id) {
            name if name == id => writeln!(out, "  {n:>8}  {id}")?,
            name => writeln!(out, "  {n:>8}  {name} ({id})")?,
        }
    }
    if let (Some(stories), Some(with_copies)) = (s.stories, s.articles_with_copies) {
        writeln!(
            out,
            "stories:        {stories} ({with_copies} articles have near copies)"
        )?;
    }
    if let Some(at) = &s.last_indexed {
        writeln!(out, "last indexed:   {at}")?;
    }
    if let Some(w) = &s.watch {
        let st = &w.status;
        let folders: Vec<String> = st.folders.iter().map(|f| f.display().to_string()).collect();
        if w.running {
            writeln!(
                out,
                "watcher:        running (pid {}), {} files queued ({} still being written), {:.1} s behind; {}",
                st.pid,
                st.queued,
                st.settling,
                st.behind_secs,
                folders.join(", ")
            )?;
        } else {
            writeln!(
                out,
                "watcher:        not running (last seen {})",
                st.updated
            )?;
        }
        for problem in &st.problems {
            writeln!(out, "  problem: {problem}")?;
        }
    }
    let largest = s.largest_stories.as_deref().unwrap_or_default();
    if !largest.is_empty() {
        writeln!(out, "largest stories (articles):")?;
        for story in largest {
            writeln!(out, "  {:>8}  {}", story.articles, story.title)?;
            writeln!(out, "            {}", story.ids.join(", "))?;
        }
    }
    Ok(())
}
