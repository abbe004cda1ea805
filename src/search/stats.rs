//! Search: what an index holds (`akhbar stats`).

use std::any::Any;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tantivy::schema::{Facet, Field};
use tantivy::termdict::TermMerger;

use crate::index::IndexError;
use crate::index::OpenIndex;
use crate::index::WatchStatus;

/// Figures about an index.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Articles in the index.
    pub articles: u64,
    /// Distinct normalized words (and their readings) in bodies, each
    /// counted once however many segments hold it (until a merge, with
    /// those only deleted articles hold).
    pub distinct_terms: u64,
    /// Segments in the index.
    pub segments: usize,
    /// Bytes the index folder takes on disk.
    pub size_bytes: u64,
    /// Earliest publication date, `YYYY-MM-DD`.
    pub first_date: Option<String>,
    /// Latest publication date, `YYYY-MM-DD`.
    pub last_date: Option<String>,
    /// Outlets with the most articles, most first.
    pub top_sources: Vec<(String, u64)>,
    /// Files recorded in the manifest.
    pub files: usize,
    /// Stories: an article and its near copies count once (see
    /// `search::collapse`); when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stories: Option<u64>,
    /// Articles in stories of two or more; when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub articles_with_copies: Option<u64>,
    /// The stories with the most copies, most first; when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub largest_stories: Option<Vec<StoryStat>>,
    /// When a commit last changed the index (RFC 3339, UTC; `None` for an
    /// index last written before akhbar kept it).
    pub last_indexed: Option<String>,
    /// What the index's watcher says (`akhbar index --watch`), if one ever
    /// ran on it.
    pub watch: Option<Watching>,
}

/// A watcher's status, and whether it still runs.
#[derive(Clone, Debug, Serialize)]
pub struct Watching {
    /// The watcher runs now (else the figures are its last).
    pub running: bool,
    /// What it last said.
    #[serde(flatten)]
    pub status: WatchStatus,
}

/// One story of [`Stats::largest_stories`].
#[derive(Clone, Debug, Serialize)]
pub struct StoryStat {
    /// Articles in it.
    pub articles: usize,
    /// The title of its first article.
    pub title: String,
    /// Its articles' ids (the first article first, at most ten).
    pub ids: Vec<String>,
}

/// Largest stories listed by [`stats`].
const LARGEST_STORIES: usize = 5;
/// Ids listed per story.
const IDS_PER_STORY: usize = 10;

/// Computes the statistics of an open index; the story figures only with
/// `stories`, the similarity threshold of a story (they group the whole
/// index: 0.09 s for 72,000 articles).
///
/// # Errors
/// [`IndexError`] when the index cannot be read.
pub fn stats(open: &OpenIndex, top: usize, stories: Option<f64>) -> Result<Stats, IndexError> {
    let dir = open.dir.as_path();
    let err = |e| IndexError::tantivy(dir, e);
    let searcher = open.searcher()?;
    // once per commit: the page asks for it on every first view
    let key = "\u{0}stats: distinct terms".to_string();
    let distinct_terms = *open
        .caches
        .words
        .get_or_try(&searcher, &key, || {
            let n = counted_terms(dir, &searcher, open.fields.body_exact)?;
            Ok::<_, tantivy::TantivyError>((Arc::new(n) as Arc<dyn Any + Send + Sync>, 8))
        })
        .map_err(err)?
        .downcast::<u64>()
        .unwrap_or_else(|_| Arc::new(0));
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    for segment in searcher.segment_readers() {
        if let Ok(column) = segment.fast_fields().date("date") {
            if column.num_docs() > 0 && column.values.num_vals() > 0 {
                let (lo, hi) = (column.min_value(), column.max_value());
                let (lo, hi) = (lo.into_timestamp_secs(), hi.into_timestamp_secs());
                first = Some(first.map_or(lo, |f| f.min(lo)));
                last = Some(last.map_or(hi, |l| l.max(hi)));
            }
        }
    }
    let top_sources: Vec<(String, u64)> =
        super::facet_counts::facet_counts(&searcher, open.fields.source_facet, &Facet::root())
            .map_err(err)?
            .into_iter()
            .take(top)
            .collect();
    let story_figures = if let Some(threshold) = stories {
        Some(story_figures(open, &searcher, threshold)?)
    } else {
        None
    };
    let day =
        |ts: i64| chrono::DateTime::from_timestamp(ts, 0).map(|d| d.format("%Y-%m-%d").to_string());
    Ok(Stats {
        articles: searcher.num_docs(),
        distinct_terms,
        segments: searcher.segment_readers().len(),
        size_bytes: dir_size(dir),
        first_date: first.and_then(day),
        last_date: last.and_then(day),
        top_sources,
        files: open.manifest.files.len(),
        stories: story_figures.as_ref().map(|f| f.0),
        articles_with_copies: story_figures.as_ref().map(|f| f.1),
        largest_stories: story_figures.map(|f| f.2),
        last_indexed: Some(open.manifest.indexed_at.clone()).filter(|t| !t.is_empty()),
        watch: WatchStatus::read(dir).map(|status| Watching {
            running: status.running(),
            status,
        }),
    })
}

/// File of the index folder keeping the last count of distinct terms with
/// the segments it was made over: segments never change, so a later
/// process over the same segments reads it instead of walking every
/// dictionary again (seconds at ten times the shared corpora).
const TERMS_FILE: &str = "akhbar-terms.txt";

/// [`distinct_terms`], read from [`TERMS_FILE`] when it was counted over
/// these segments, else counted and kept there (a folder that cannot be
/// written is counted again next time).
fn counted_terms(dir: &Path, searcher: &tantivy::Searcher, field: Field) -> tantivy::Result<u64> {
    let mut ids: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.segment_id().uuid_string())
        .collect();
    ids.sort_unstable();
    let key = ids.join(",");
    let path = dir.join(TERMS_FILE);
    let kept = fs::read_to_string(&path).ok().and_then(|text| {
        let (segments, n) = text.trim_end().rsplit_once(' ')?;
        (segments == key).then(|| n.parse::<u64>().ok()).flatten()
    });
    if let Some(n) = kept {
        return Ok(n);
    }
    let n = distinct_terms(searcher, field)?;
    let next = dir.join(format!("{TERMS_FILE}.next"));
    if fs::write(&next, format!("{key} {n}\n")).is_ok() {
        let _ = fs::rename(&next, &path);
    }
    Ok(n)
}

/// Terms of `field`, each counted once however many segments hold it:
/// the dictionaries' union, walked in step (one segment's count is read
/// directly). A term only deleted articles hold counts until a merge drops
/// it (a few hundred of 415,820 on the shared corpora, whose ids repeat);
/// checking each term against the deletes took seconds.
fn distinct_terms(searcher: &tantivy::Searcher, field: Field) -> tantivy::Result<u64> {
    let indexes = searcher
        .segment_readers()
        .iter()
        .map(|s| s.inverted_index(field))
        .collect::<tantivy::Result<Vec<_>>>()?;
    if let [one] = indexes.as_slice() {
        return Ok(one.terms().num_terms() as u64);
    }
    let streams = indexes
        .iter()
        .map(|i| i.terms().stream())
        .collect::<std::io::Result<Vec<_>>>()?;
    let mut union = TermMerger::new(streams);
    let mut n = 0;
    while union.advance() {
        n += 1;
    }
    Ok(n)
}

/// Stories, articles with copies, and the largest stories of the index.
fn story_figures(
    open: &OpenIndex,
    searcher: &tantivy::Searcher,
    threshold: f64,
) -> Result<(u64, u64, Vec<StoryStat>), IndexError> {
    let err = |e| IndexError::tantivy(&open.dir, e);
    let (mut groups, stories) = super::collapse::index_stories(searcher, threshold);
    let articles_with_copies = groups.iter().map(Vec::len).sum::<usize>() as u64;
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut largest_stories = Vec::new();
    for group in groups.iter().take(LARGEST_STORIES) {
        let mut ids = Vec::new();
        let mut title = String::new();
        for &at in group.iter().take(IDS_PER_STORY) {
            let mut doc: super::stored::StoredDoc = searcher.doc(at).map_err(err)?;
            if title.is_empty() {
                title = doc.take_text(open.fields.title);
            }
            ids.push(doc.take_text(open.fields.id));
        }
        largest_stories.push(StoryStat {
            articles: group.len(),
            title,
            ids,
        });
    }
    Ok((stories as u64, articles_with_copies, largest_stories))
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
