//! Search: the articles most like one article (`akhbar similar ID`,
//! `search --like ID`, `GET /api/similar/{id}`), as Elasticsearch's
//! `more_like_this` gives, with akhbar's own analysis.
//!
//! 1. **Its distinctive words.** The article's title and body are read
//!    through the exact analyzer, the one the index was built with, so the
//!    words are the index's own terms for that article (tantivy keeps no
//!    term vectors; analyzing one stored article again costs well under a
//!    millisecond). Of a word's readings (والعراق, العراق) the one most
//!    articles hold is kept: the bare word, which other articles write
//!    with other particles. Function words, numbers, words of under three
//!    letters, and words no other article holds are dropped. Each word is
//!    weighed by tf-idf, `(1 + ln tf) · idf` (a title word counts twice:
//!    titles name the event), and the [`TERMS`] heaviest kept.
//! 2. **Candidates.** The index is searched (BM25) for any of those
//!    words, each boosted by its `1 + ln tf`, and, separately, for any of
//!    the article's confident entities (`entity` facets named by at least
//!    one other article); the best [`POOL`] of each (after the date and
//!    outlet filters) are rescored.
//! 3. **Score**, in `[0, 1]`: `0.65 · words + 0.25 · entities + 0.10 ·
//!    date`. `words` is the candidate's BM25 score over the article's own
//!    score for the same query (capped at 1); `entities` the idf-weighted
//!    share of the article's entities the candidate also names; `date`
//!    `1 / (1 + days apart / 30)` (0 when either date is unknown), so of
//!    two equally close articles the one of the same weeks comes first.
//!    Words lead because they say what happened; entities catch the
//!    coverage that words miss (another outlet, other wording); dates
//!    only break near ties — a reader asking for related coverage wants
//!    the earlier and later articles too, not only that week's.
//!
//! The article itself is never a hit. Its near-duplicates (another id for
//! the same text: a words score of at least [`DUPLICATE`]) are not hits
//! either: they are listed apart, by id (`duplicates`), since a copy
//! is not "related coverage".

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::error::SearchError;
use super::filters::{Filters, Page};
use super::highlight::Highlighter;
use super::hits::{emit_hits, Hit, HitParts};
use super::plan::HighlightTerms;
use super::stored::StoredDoc;
use super::word::idf;
use crate::analysis::exact_words;
use crate::analysis::is_stopword;
use crate::entities::EntityType;
use crate::entities::{decode_stored, StoredEntity};
use crate::index::entity_facet;
use crate::index::OpenIndex;

/// Distinctive words searched for.
pub const TERMS: usize = 25;
/// Entities searched for.
pub const ENTITIES: usize = 10;
/// Candidates rescored from each of the two searches (more when a page
/// reaches deeper).
pub const POOL: usize = 200;
/// A words score from which a candidate counts as a copy of the article.
pub const DUPLICATE: f32 = 0.9;

const WORDS_WEIGHT: f32 = 0.65;
const ENTITIES_WEIGHT: f32 = 0.25;
const DATE_WEIGHT: f32 = 0.10;
/// Days apart at which the date closeness halves.
const DATE_SCALE_DAYS: f32 = 30.0;

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct SimilarRequest {
    /// The article's id.
    pub id: String,
    /// Which hits to show.
    pub page: Page,
    /// Dates and outlets the hits must have.
    pub filters: Filters,
    /// Build snippets (the shared words highlighted) and entities.
    pub snippets: bool,
    /// Without snippets, still list each hit's entities (exports).
    pub entities: bool,
}

impl SimilarRequest {
    /// Ten hits like the article `id`, with snippets, no filters.
    pub fn new(id: &str) -> Self {
        SimilarRequest {
            id: id.to_string(),
            page: Page::default(),
            filters: Filters::default(),
            snippets: true,
            entities: false,
        }
    }
}

/// A distinctive word of the article and its weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Weighted {
    /// The index term (normalized word).
    pub term: String,
    /// `(1 + ln tf) · idf`.
    pub weight: f32,
}

/// The answer.
#[derive(Clone, Debug)]
pub struct SimilarResults {
    /// The article asked about (no snippets).
    pub article: Hit,
    /// Its distinctive words, heaviest first.
    pub terms: Vec<Weighted>,
    /// Its entities searched for (canonical names).
    pub entities: Vec<String>,
    /// Articles matching any of the words or entities (the article and
    /// its copies excepted).
    pub total_hits: usize,
    /// Ids of the article's near-duplicates (other ids, same text).
    pub duplicates: Vec<String>,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Time spent, milliseconds.
    pub took_ms: f64,
    /// Notes for the user (an API limit capped, …).
    pub warnings: Vec<String>,
}

/// The articles most like the article `req.id`; `None` when the index
/// has no article with that id.
///
/// # Errors
/// [`SearchError::Index`] when the index cannot be read.
pub fn similar(
    open: &OpenIndex,
    req: &SimilarRequest,
) -> Result<Option<SimilarResults>, SearchError> {
    let mut hits = Vec::new();
    let found = similar_each(open, req, &mut |hit| {
        hits.push(hit);
        Ok(())
    })?;
    Ok(found.map(|mut r| {
        r.hits = hits;
        r
    }))
}

/// As [`similar`], handing each hit of the page to `sink` as it is built
/// (the results come back without hits).
///
/// # Errors
/// As [`similar`]; [`SearchError::Write`] when `sink` fails.
pub fn similar_each(
    open: &OpenIndex,
    req: &SimilarRequest,
    sink: &mut dyn FnMut(Hit) -> std::io::Result<()>,
) -> Result<Option<SimilarResults>, SearchError> {
    let started = Instant::now();
    let searcher = open.searcher()?;
    let tantivy_err = |e| SearchError::tantivy(&open.dir, e);
    let f = &open.fields;
    let Some(me) = find(&searcher, open, &req.id).map_err(tantivy_err)? else {
        return Ok(None);
    };
    let doc: StoredDoc = searcher.doc(me).map_err(tantivy_err)?;
    let mine = Mine {
        address: me,
        date: doc.date(f.date),
        terms: distinctive(&searcher, open, doc.text(f.title), doc.text(f.body)),
        entities: entity_weights(
            &searcher,
            open,
            &confident(decode_stored(doc.text(f.entities))),
        ),
    };
    let (words_query, entity_query) = mine.queries(open);
    let filters = &req.filters;
    let either: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Should, words_query.box_clone()),
        (Occur::Should, entity_query.box_clone()),
    ]));
    let matching = searcher
        .search(&*filters.apply(open, either), &Count)
        .map_err(tantivy_err)?;
    let pool = POOL
        .max(
            req.page
                .offset
                .saturating_add(req.page.limit)
                .saturating_add(1),
        )
        .min(matching.max(1));
    let own_score = if mine.terms.is_empty() {
        0.0
    } else {
        words_query
            .explain(&searcher, me)
            .map_err(tantivy_err)?
            .value()
    };
    let by_words = top(&searcher, filters.apply(open, words_query), pool).map_err(tantivy_err)?;
    let by_entities =
        top(&searcher, filters.apply(open, entity_query), pool).map_err(tantivy_err)?;
    let Scored { ranked, duplicates } = mine
        .score(&searcher, open, own_score, by_words, by_entities)
        .map_err(tantivy_err)?;
    let copies = duplicates.len();
    let shown: Vec<(f32, DocAddress)> = ranked
        .into_iter()
        .skip(req.page.offset)
        .take(req.page.limit)
        .collect();
    let highlighter = Highlighter::new(HighlightTerms {
        exact: mine.terms.iter().map(|w| w.term.clone()).collect(),
        ..HighlightTerms::default()
    });
    let what = HitParts {
        first_rank: req.page.first_rank(),
        snippets: req.snippets,
        entities: req.entities,
        body: false,
        highlighter: &highlighter,
        entity_plan: None,
        copies: &[],
        explain: &[],
    };
    emit_hits(open, &searcher, &shown, &what, sink)?;
    let mut article = None;
    let plain = HitParts {
        first_rank: 0,
        snippets: false,
        entities: true,
        ..what
    };
    emit_hits(open, &searcher, &[(1.0, me)], &plain, &mut |hit| {
        article = Some(hit);
        Ok(())
    })?;
    let own = mine.passes(&searcher, open, req).map_err(tantivy_err)?;
    Ok(Some(SimilarResults {
        article: article.unwrap_or_default(),
        terms: mine
            .terms
            .into_iter()
            .map(|w| Weighted {
                term: w.term,
                weight: w.weight,
            })
            .collect(),
        entities: mine
            .entities
            .into_iter()
            .map(|((_, name), _)| name)
            .collect(),
        total_hits: matching.saturating_sub(own).saturating_sub(copies),
        duplicates: duplicates.into_iter().map(|(_, id)| id).collect(),
        hits: Vec::new(),
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        warnings: Vec::new(),
    }))
}

/// The candidates scored.
struct Scored {
    /// Score and address, best first.
    ranked: Vec<(f32, DocAddress)>,
    /// The article's near-duplicates (address and id), by address.
    duplicates: Vec<(DocAddress, String)>,
}

/// The article asked about: what its likes are searched and scored by.
struct Mine {
    address: DocAddress,
    date: Option<i64>,
    /// Its distinctive words, heaviest first.
    terms: Vec<Candidate>,
    /// Its entities another article names, with their idf.
    entities: Vec<((EntityType, String), f32)>,
}

impl Mine {
    /// The query for any of its words (each boosted by its `1 + ln tf`,
    /// in title and body), and for any of its entities.
    fn queries(&self, open: &OpenIndex) -> (Box<dyn Query>, Box<dyn Query>) {
        let f = &open.fields;
        let words: Box<dyn Query> = Box::new(BooleanQuery::new(
            self.terms
                .iter()
                .flat_map(|w| {
                    let boost = w.tf_boost;
                    [f.title_exact, f.body_exact].map(move |field| {
                        let term = Term::from_field_text(field, &w.term);
                        let q: Box<dyn Query> = Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                            boost,
                        ));
                        (Occur::Should, q)
                    })
                })
                .collect(),
        ));
        let entities: Box<dyn Query> = Box::new(BooleanQuery::new(
            self.entities
                .iter()
                .map(|(key, _)| {
                    let term = Term::from_facet(f.entity, &entity_facet(key.0, &key.1));
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect(),
        ));
        (words, entities)
    }

    /// The candidates scored (see the module doc), best first, and the
    /// article's near-duplicates apart, by id.
    fn score(
        &self,
        searcher: &Searcher,
        open: &OpenIndex,
        own_score: f32,
        by_words: Vec<(f32, DocAddress)>,
        by_entities: Vec<(f32, DocAddress)>,
    ) -> tantivy::Result<Scored> {
        let f = &open.fields;
        let mut words_score: HashMap<DocAddress, f32> = HashMap::new();
        for (score, at) in by_words {
            words_score.insert(at, score);
        }
        for (_, at) in by_entities {
            words_score.entry(at).or_insert(0.0);
        }
        words_score.remove(&self.address);
        let entity_total: f32 = self.entities.iter().map(|(_, w)| w).sum();
        let mut scored: Vec<(f32, DocAddress)> = Vec::with_capacity(words_score.len());
        let mut duplicates = Vec::new();
        for (&at, &bm25) in &words_score {
            let other: StoredDoc = searcher.doc(at)?;
            let words = if own_score > 0.0 {
                (bm25 / own_score).min(1.0)
            } else {
                0.0
            };
            if words >= DUPLICATE {
                duplicates.push((at, other.text(f.id).to_string()));
                continue;
            }
            let theirs: HashSet<(EntityType, String)> =
                confident(decode_stored(other.text(f.entities)))
                    .into_iter()
                    .collect();
            let shared: f32 = self
                .entities
                .iter()
                .filter(|(key, _)| theirs.contains(key))
                .map(|(_, w)| w)
                .sum();
            let entity_share = if entity_total > 0.0 {
                shared / entity_total
            } else {
                0.0
            };
            let date = match (self.date, other.date(f.date)) {
                (Some(a), Some(b)) => {
                    let days = (a - b).unsigned_abs() as f32 / 86_400.0;
                    1.0 / (1.0 + days / DATE_SCALE_DAYS)
                }
                _ => 0.0,
            };
            let score = WORDS_WEIGHT * words + ENTITIES_WEIGHT * entity_share + DATE_WEIGHT * date;
            scored.push((score, at));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        duplicates.sort();
        Ok(Scored {
            ranked: scored,
            duplicates,
        })
    }

    /// 1 when the article itself matches its own words and entities
    /// within the request's filters (it is counted among the matches but
    /// never a hit), else 0.
    fn passes(
        &self,
        searcher: &Searcher,
        open: &OpenIndex,
        req: &SimilarRequest,
    ) -> tantivy::Result<usize> {
        if self.terms.is_empty() && self.entities.is_empty() {
            return Ok(0);
        }
        let itself = Box::new(TermQuery::new(
            Term::from_field_text(open.fields.id, &req.id),
            IndexRecordOption::Basic,
        ));
        Ok(searcher
            .search(&*req.filters.apply(open, itself), &Count)?
            .min(1))
    }
}

/// The address of the article with this id.
fn find(searcher: &Searcher, open: &OpenIndex, id: &str) -> tantivy::Result<Option<DocAddress>> {
    let term = Term::from_field_text(open.fields.id, id);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    Ok(top.first().map(|(_, at)| *at))
}

/// The best `n` hits of `query`.
fn top(
    searcher: &Searcher,
    query: Box<dyn Query>,
    n: usize,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    searcher.search(&*query, &TopDocs::with_limit(n.max(1)).order_by_score())
}

/// The confident entities (not the weak ones), by kind and key.
fn confident(found: Vec<StoredEntity>) -> Vec<(EntityType, String)> {
    found
        .into_iter()
        .filter(|e| !e.weak)
        .map(|e| (e.kind, e.name))
        .collect()
}

/// A distinctive word while it is weighed.
struct Candidate {
    term: String,
    weight: f32,
    tf_boost: f32,
}

/// Articles holding `term` in the exact title or body field (the larger
/// count: a lower bound of the union).
fn articles(searcher: &Searcher, open: &OpenIndex, term: &str) -> u64 {
    [open.fields.title_exact, open.fields.body_exact]
        .into_iter()
        .map(|field| {
            searcher
                .doc_freq(&Term::from_field_text(field, term))
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

/// The article's [`TERMS`] most distinctive words, heaviest first (ties
/// by the word, so the choice is stable).
fn distinctive(searcher: &Searcher, open: &OpenIndex, title: &str, body: &str) -> Vec<Candidate> {
    let docs = searcher.num_docs();
    let mut freq: HashMap<String, (u32, u64)> = HashMap::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut doc_freq = |term: &str| -> u64 {
        *seen
            .entry(term.to_string())
            .or_insert_with(|| articles(searcher, open, term))
    };
    for (text, counts) in [(title, 2u32), (body, 1u32)] {
        for word in exact_words(text) {
            let Some(literal) = word.readings.first() else {
                continue;
            };
            if is_stopword(literal) {
                continue;
            }
            // the reading most articles hold: the word without particles
            let mut best: Option<(&String, u64)> = None;
            for r in &word.readings {
                let n = doc_freq(r);
                if best.is_none_or(|(_, m)| n > m) {
                    best = Some((r, n));
                }
            }
            let Some((term, n)) = best else { continue };
            let letters = term.chars().filter(|c| c.is_alphabetic()).count();
            if letters < 3 || is_stopword(term) || n < 2 {
                continue;
            }
            let entry = freq.entry(term.clone()).or_insert((0, n));
            entry.0 += counts;
        }
    }
    let mut out: Vec<Candidate> = freq
        .into_iter()
        .map(|(term, (tf, n))| {
            let tf_boost = 1.0 + (tf as f32).ln();
            Candidate {
                weight: tf_boost * idf(n, docs),
                tf_boost,
                term,
            }
        })
        .collect();
    out.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    out.truncate(TERMS);
    out
}

/// The article's entities that another article also names, with their
/// idf, heaviest first; at most [`ENTITIES`].
fn entity_weights(
    searcher: &Searcher,
    open: &OpenIndex,
    mine: &[(EntityType, String)],
) -> Vec<((EntityType, String), f32)> {
    let docs = searcher.num_docs();
    let mut out: Vec<((EntityType, String), f32)> = mine
        .iter()
        .filter_map(|(kind, name)| {
            let term = Term::from_facet(open.fields.entity, &entity_facet(*kind, name));
            let n = searcher.doc_freq(&term).unwrap_or(0);
            (n >= 2).then(|| ((*kind, name.clone()), idf(n, docs)))
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0 .1.cmp(&b.0 .1)));
    out.dedup_by(|a, b| a.0 == b.0);
    out.truncate(ENTITIES);
    out
}
