//! Search: the hits every search command answers with, as plain data
//! ([`Hit`], its folded near copies and its entities), and how a page of
//! them is built from the index's stored fields ([`emit_hits`]): searches,
//! similar articles and stories share it.

use std::ops::Range;

use tantivy::DocAddress;

use super::entity::EntityPlan;
use super::error::SearchError;
use super::highlight::{Highlighter, Snippet};
use super::ranker::Contribution;
use super::stored::StoredDoc;
use crate::analysis::Word;
use crate::entities::EntityType;
use crate::entities::{decode_stored, StoredEntity};
use crate::index::OpenIndex;

/// One article found.
#[derive(Clone, Debug, Default)]
pub struct Hit {
    /// 1-based rank in the whole result list.
    pub rank: usize,
    /// Stable article id.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// Byte ranges of matched words in the title.
    pub title_highlights: Vec<Range<usize>>,
    /// Publication date, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// Publication date as written in the source.
    pub date_text: String,
    /// Outlet.
    pub source: String,
    /// Address online.
    pub url: String,
    /// File the article came from.
    pub path: String,
    /// Line (or Parquet row) its record starts on in that file; `None`
    /// for a file that is one article.
    pub line: Option<u64>,
    /// BM25-based score.
    pub score: f32,
    /// Body snippets with highlights.
    pub snippets: Vec<Snippet>,
    /// Mentions of the `--entity` entity in title and body.
    pub mentions: Option<usize>,
    /// Entities the article names, most mentioned first.
    pub entities: Vec<HitEntity>,
    /// The whole body, when asked for (`--fields body`); empty otherwise.
    pub body: String,
    /// Near copies of this article among the hits, folded into it
    /// (collapsed searches), best-ranked first.
    pub duplicates: Vec<Duplicate>,
    /// With `--explain`: each feature's part in the learned ranker's
    /// score (empty for hits the ranker did not score).
    pub explain: Vec<Contribution>,
    /// The body, kept while the hit is being built (empty afterwards).
    body_for_entities: String,
}

/// A near copy folded into a hit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// Its article id.
    pub id: String,
    /// Its outlet.
    pub source: String,
    /// Its publication date, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
}

impl Duplicate {
    /// The copy read from its stored fields.
    fn of(open: &OpenIndex, doc: &mut StoredDoc) -> Duplicate {
        let f = &open.fields;
        Duplicate {
            id: doc.take_text(f.id),
            source: doc.take_text(f.source),
            date: day(doc.date(f.date)),
        }
    }
}

/// An entity named in a hit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HitEntity {
    /// Canonical name, or a new name as the article writes it.
    pub name: String,
    /// Its kind.
    pub kind: EntityType,
    /// Mentions in title and body.
    pub mentions: usize,
}

impl HitEntity {
    /// The entities of an article as listed: the confident ones.
    pub fn shown(stored: Vec<StoredEntity>) -> Vec<HitEntity> {
        stored
            .into_iter()
            .filter(|e| !e.weak)
            .map(|e| HitEntity {
                name: e.display,
                kind: e.kind,
                mentions: e.mentions,
            })
            .collect()
    }
}

/// What each hit of a page gets besides its stored fields.
pub(crate) struct HitParts<'a> {
    /// Rank of the first hit (1-based).
    pub first_rank: usize,
    /// Build snippets, highlights and entities.
    pub snippets: bool,
    /// Without snippets, still list the entities (exports).
    pub entities: bool,
    /// Keep the whole body.
    pub body: bool,
    /// The words to mark.
    pub highlighter: &'a Highlighter,
    /// With `--entity`: whose mentions to count.
    pub entity_plan: Option<&'a EntityPlan>,
    /// The near copies folded into each shown hit (by position; none
    /// when shorter).
    pub copies: &'a [Vec<DocAddress>],
    /// Each shown hit's features' parts in its score, with `--explain`
    /// (by position; none when shorter).
    pub explain: &'a [Vec<Contribution>],
}

/// Builds the hits at `shown` (score, address), in order, and hands each
/// to `sink` as soon as it is built.
pub(crate) fn emit_hits(
    open: &OpenIndex,
    searcher: &tantivy::Searcher,
    shown: &[(f32, DocAddress)],
    what: &HitParts<'_>,
    sink: &mut dyn FnMut(Hit) -> std::io::Result<()>,
) -> Result<(), SearchError> {
    let tantivy_err = |e| SearchError::tantivy(&open.dir, e);
    let highlighter = what.highlighter;
    for (i, &(score, address)) in shown.iter().enumerate() {
        let mut doc: StoredDoc = searcher.doc(address).map_err(tantivy_err)?;
        let mut hit = hit(open, &mut doc, what.first_rank + i, score);
        for &copy in what.copies.get(i).map_or(&[][..], Vec::as_slice) {
            let mut doc: StoredDoc = searcher.doc(copy).map_err(tantivy_err)?;
            hit.duplicates.push(Duplicate::of(open, &mut doc));
        }
        if what.body {
            hit.body = hit.body_for_entities.clone();
        }
        hit.explain = what.explain.get(i).cloned().unwrap_or_default();
        if !what.snippets {
            hit.body_for_entities = String::new();
            if what.entities {
                hit.entities = HitEntity::shown(decode_stored(doc.text(open.fields.entities)));
            }
            sink(hit).map_err(SearchError::Write)?;
            continue;
        }
        let words = [
            highlighter.words(&hit.title),
            highlighter.words(&hit.body_for_entities),
        ];
        hit.title_highlights = highlighter.matches_in(&words[0]);
        hit.snippets = highlighter.snippets_in(&hit.body_for_entities, &words[1]);
        // the entities found at index time (schema 6), not extracted again
        let stored = decode_stored(doc.text(open.fields.entities));
        if let Some(plan) = what.entity_plan {
            hit.mentions = Some(count_mentions(plan, &stored, &words, highlighter));
        }
        hit.entities = HitEntity::shown(stored);
        hit.body_for_entities = String::new();
        sink(hit).map_err(SearchError::Write)?;
    }
    Ok(())
}

/// Mentions of the searched entity: the table entity's recognized mentions
/// plus matches of its spelling variants (or, for a name not in the
/// table, of the name itself).
fn count_mentions(
    plan: &EntityPlan,
    found: &[StoredEntity],
    words: &[Vec<Word>],
    highlighter: &Highlighter,
) -> usize {
    let known = plan.entity.as_ref().map_or(0, |e| {
        found
            .iter()
            .filter(|f| f.kind == e.kind && f.name == e.canonical)
            .map(|f| f.mentions)
            .sum()
    });
    let extra: usize = words
        .iter()
        .map(|w| highlighter.count_phrases(w, &plan.extra_phrases))
        .sum();
    known + extra
}

/// A hit's stored fields; highlights, snippets and entities are filled in
/// by the caller.
fn hit(open: &OpenIndex, doc: &mut StoredDoc, rank: usize, score: f32) -> Hit {
    let f = &open.fields;
    let date = day(doc.date(f.date));
    Hit {
        rank,
        id: doc.take_text(f.id),
        title_highlights: Vec::new(),
        title: doc.take_text(f.title),
        date,
        date_text: doc.take_text(f.date_text),
        source: doc.take_text(f.source),
        url: doc.take_text(f.url),
        path: doc.take_text(f.path),
        line: doc.number(f.line),
        score,
        snippets: Vec::new(),
        mentions: None,
        entities: Vec::new(),
        body: String::new(),
        duplicates: Vec::new(),
        explain: Vec::new(),
        body_for_entities: doc.take_text(f.body),
    }
}

/// A stored date (Unix seconds) as `YYYY-MM-DD`.
fn day(ts: Option<i64>) -> Option<String> {
    ts.and_then(|ts| chrono::DateTime::from_timestamp(ts, 0))
        .map(|d| d.format("%Y-%m-%d").to_string())
}
