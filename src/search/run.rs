//! Search: run a query against an open index and gather plain-data hits
//! (text, highlight ranges, metadata) for the printers.

use std::ops::{Bound, Range};
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, Term};

use std::sync::Arc;

use super::collapse::{estimate, group, FirstHits, Signatures, EXACT_LIMIT, GATHER_FACTOR};
use super::entity::{plan_entity, EntityPlan, EntitySearched};
use super::facets_all::{facets_of, Facets};
use super::fuzzy;
use super::highlight::{Highlighter, Snippet};
use super::parse::Node;
use super::parse::{fuzzy_words, parse};
use super::plan::{Op, Planner};
use super::rerank::{self, RERANK_DEPTH};
use super::sort::{SortOrder, Sorted};
use super::stored::StoredDoc;
use super::suggest::{self, Suggestion};
use super::word::{ScoredWord, WordQuery};
use crate::analysis::normalize::normalize;
use crate::analysis::words::Word;
use crate::entities::stored::{self, StoredEntity};
use crate::entities::{AliasTable, EntityType};
use crate::index::open::OpenIndex;
use crate::index::schema::source_key;
use crate::index::IndexError;

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    /// The query text.
    pub query: String,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
    /// Earliest publication date (Unix seconds, inclusive).
    pub from: Option<i64>,
    /// Latest publication date (Unix seconds, inclusive).
    pub to: Option<i64>,
    /// Only these outlets (any of them).
    pub sources: Vec<String>,
    /// Only articles naming this entity (`--entity`).
    pub entity: Option<String>,
    /// How words side by side combine (`--op`).
    pub op: Op,
    /// Build snippets, highlights and each hit's entities (false: the
    /// stored fields only, faster: `--no-snippets`).
    pub snippets: bool,
    /// Count the facets of all hits ([`SearchResults::facets`]).
    pub facets: bool,
    /// The order of the hits (`--sort`).
    pub sort: SortOrder,
    /// Without snippets, still list each hit's entities (exports: read
    /// from the stored list, no text is analyzed).
    pub entities: bool,
    /// Every word outside a negation also matches words one edit away
    /// (`--fuzzy`, as `word~` for each word).
    pub fuzzy: bool,
    /// Keep each hit's whole body ([`Hit::body`], `--fields body`).
    pub body: bool,
    /// One hit per story, its near copies listed on it (false:
    /// `--no-collapse`); see [`super::collapse`].
    pub collapse: bool,
    /// The similarity at which two articles are one story
    /// (`--story-threshold`, checked by [`super::collapse::story_threshold`]).
    pub story_threshold: f64,
}

impl Default for SearchRequest {
    /// No query, ten hits, no filters, words AND-ed, snippets on, facets
    /// off, near copies folded into stories.
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            limit: 10,
            offset: 0,
            from: None,
            to: None,
            sources: Vec::new(),
            entity: None,
            op: Op::And,
            snippets: true,
            facets: false,
            sort: SortOrder::Relevance,
            entities: false,
            fuzzy: false,
            body: false,
            collapse: true,
            story_threshold: crate::analysis::shingles::THRESHOLD,
        }
    }
}

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

/// The answer to a search.
#[derive(Clone, Debug)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Articles matching in all.
    pub total_hits: usize,
    /// Stories (an article and its near copies) among them, when
    /// collapsed (`None` with `--no-collapse`).
    pub total_stories: Option<usize>,
    /// False when `total_stories` is an estimate (see [`super::collapse`]).
    pub total_stories_exact: bool,
    /// Time spent searching and building snippets, milliseconds.
    pub took_ms: f64,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// What the lenient parser repaired or ignored.
    pub warnings: Vec<String>,
    /// Entities, sources and months of all hits, when asked for.
    pub facets: Option<Facets>,
    /// What `--entity` searched, when given.
    pub entity: Option<EntitySearched>,
    /// Closest frequent words for query words found in no or few
    /// articles (only when the query found few).
    pub suggestions: Vec<Suggestion>,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query has nothing to search for.
    #[error("{0}")]
    Query(String),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A hit could not be handed on (its writer failed).
    #[error("writing the hits failed")]
    Write(#[source] std::io::Error),
}

/// Runs a search with the built-in alias table.
///
/// # Errors
/// As [`search_with`].
pub fn search(open: &OpenIndex, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    static BUILTIN: std::sync::OnceLock<Arc<AliasTable>> = std::sync::OnceLock::new();
    let table = BUILTIN.get_or_init(|| Arc::new(AliasTable::builtin()));
    search_with(open, req, table)
}

/// Runs a search, resolving `--entity` names and listing each hit's
/// entities with `table`.
///
/// # Errors
/// [`SearchError::Query`] for a query with nothing to search for;
/// [`SearchError::Index`] when the index cannot be read.
pub fn search_with(
    open: &OpenIndex,
    req: &SearchRequest,
    table: &Arc<AliasTable>,
) -> Result<SearchResults, SearchError> {
    let mut hits = Vec::new();
    let mut results = search_each(open, req, table, &mut |hit| {
        hits.push(hit);
        Ok(())
    })?;
    results.hits = hits;
    Ok(results)
}

/// Runs a search and hands each hit of the page, in order, to `sink` as
/// soon as it is built (`--all` streams every hit this way); the results
/// come back without hits.
///
/// # Errors
/// As [`search_with`]; [`SearchError::Write`] when `sink` fails.
pub fn search_each(
    open: &OpenIndex,
    req: &SearchRequest,
    table: &Arc<AliasTable>,
    sink: &mut dyn FnMut(Hit) -> std::io::Result<()>,
) -> Result<SearchResults, SearchError> {
    let started = Instant::now();
    let searcher = open.searcher()?;
    let mut planner = Planner::for_index(open, &searcher);
    planner.op = req.op;
    let mut warnings = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut flat = false;
    let mut typed = None;
    if !req.query.trim().is_empty() || req.entity.is_none() {
        let mut parsed = parse(&req.query).map_err(SearchError::Query)?;
        if req.fuzzy {
            parsed.node = fuzzy_words(parsed.node);
        }
        warnings = parsed.warnings;
        flat = is_flat(&parsed.node);
        let main = planner.plan(&parsed.node).ok_or_else(|| {
            let why = planner.warnings.join("; ");
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(": {why}")
            };
            SearchError::Query(format!("nothing to search for in {:?}{why}", req.query))
        })?;
        warnings.append(&mut planner.warnings);
        clauses.push((Occur::Must, main));
        typed = Some(parsed.node);
    }
    let mut entity_plan = None;
    if let Some(name) = &req.entity {
        let current = open.manifest.entities_fingerprint == table.fingerprint;
        if !current {
            warnings.push(
                "the index's entity facets were built with another alias table; \
                 searching names as phrases (run `akhbar index --rebuild` to refresh)"
                    .to_string(),
            );
        }
        let (q, plan) = plan_entity(name, table, &mut planner, &searcher, current)
            .ok_or_else(|| SearchError::Query(format!("no name to search for in {name:?}")))?;
        clauses.push((Occur::Must, q));
        entity_plan = Some(plan);
    }
    let main: Box<dyn Query> = if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    let tantivy_err = |e| SearchError::Index(IndexError::tantivy(&open.dir, e));
    if let Some(e) = planner.error.take() {
        return Err(tantivy_err(e));
    }
    let query = with_filters(open, main, req);
    if !flat {
        planner.words.clear();
    }
    let rerank = !planner.words.is_empty() && req.sort == SortOrder::Relevance;
    let wanted = req.offset.saturating_add(req.limit.max(1));
    let mut depth = if rerank {
        wanted.max(RERANK_DEPTH)
    } else {
        wanted
    };
    if req.collapse {
        depth = depth.max(wanted.saturating_mul(GATHER_FACTOR));
    }
    let first_limit = if req.collapse { EXACT_LIMIT } else { 0 };
    let gather = |depth: usize| -> Result<Gathered, SearchError> {
        let (total_hits, mut top, first) = match query.downcast_ref::<WordQuery>() {
            // another order, or every hit (`--all`): the sorting collector
            _ if req.sort != SortOrder::Relevance || depth > TOP_DOCS_MAX => {
                let collector = (
                    Sorted::new(req.sort, depth, DATE_FIELD),
                    FirstHits(first_limit),
                );
                let (sorted, first) = searcher.search(&query, &collector).map_err(tantivy_err)?;
                let (total, top) = Sorted::scored(sorted);
                (total, top, first)
            }
            // One word, no filter: its gathered list is the answer.
            Some(word) => top_of_word(&searcher, word.word(), depth, first_limit),
            None if first_limit > 0 => {
                let collector = (
                    Count,
                    TopDocs::with_limit(depth).order_by_score(),
                    FirstHits(first_limit),
                );
                searcher.search(&query, &collector).map_err(tantivy_err)?
            }
            None => {
                let collector = (Count, TopDocs::with_limit(depth).order_by_score());
                let (total, top) = searcher.search(&query, &collector).map_err(tantivy_err)?;
                (total, top, Vec::new())
            }
        };
        if rerank {
            let head = top.len().min(RERANK_DEPTH);
            rerank::rerank(
                &searcher,
                &planner.words,
                open.fields.body_exact,
                &mut top[..head],
            )
            .map_err(tantivy_err)?;
        }
        Ok((total_hits, top, first))
    };
    let (mut total_hits, mut top, mut first) = gather(depth)?;
    let mut total_stories = None;
    let shown: Vec<(f32, DocAddress, Vec<DocAddress>)> = if req.collapse {
        let sigs = Signatures::new(&searcher);
        let mut stories;
        loop {
            stories = group(&sigs.of(top.iter().map(|t| &t.1)), req.story_threshold);
            if stories.len() >= wanted || top.len() >= total_hits {
                break;
            }
            depth = depth.saturating_mul(4);
            (total_hits, top, first) = gather(depth)?;
        }
        total_stories = Some(stories_in_all(
            &sigs,
            &top,
            &first,
            stories.len(),
            total_hits,
            req.story_threshold,
        ));
        stories
            .into_iter()
            .skip(req.offset)
            .take(req.limit)
            .map(|s| {
                let copies = s.copies.iter().map(|&i| top[i].1).collect();
                (top[s.kept].0, top[s.kept].1, copies)
            })
            .collect()
    } else {
        top.iter()
            .skip(req.offset)
            .take(req.limit)
            .map(|&(score, address)| (score, address, Vec::new()))
            .collect()
    };
    let suggestions = typed.map_or_else(Vec::new, |node| {
        suggest::when_few(&searcher, &open.fields, &node, total_hits, table)
    });
    let facets = if req.facets {
        Some(facets_of(&searcher, &*query, open.fields.entity_form).map_err(tantivy_err)?)
    } else {
        None
    };
    let highlighter = Highlighter::new(planner.highlight);
    let (shown, copies): (Vec<(f32, DocAddress)>, Vec<Vec<DocAddress>>) =
        shown.into_iter().map(|(s, a, c)| ((s, a), c)).unzip();
    let what = HitParts {
        first_rank: req.offset + 1,
        snippets: req.snippets,
        entities: req.entities,
        body: req.body,
        highlighter: &highlighter,
        entity_plan: entity_plan.as_ref(),
        copies: &copies,
    };
    emit_hits(open, &searcher, &shown, &what, sink)?;
    Ok(SearchResults {
        query: req.query.clone(),
        total_hits,
        total_stories: total_stories.map(|t| t.0),
        total_stories_exact: total_stories.is_none_or(|t| t.1),
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits: Vec::new(),
        warnings,
        facets,
        entity: entity_plan.map(|p| p.searched),
        suggestions,
    })
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
    let tantivy_err = |e| SearchError::Index(IndexError::tantivy(&open.dir, e));
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
        if !what.snippets {
            hit.body_for_entities = String::new();
            if what.entities {
                hit.entities = HitEntity::shown(stored::decode(doc.text(open.fields.entities)));
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
        let stored = stored::decode(doc.text(open.fields.entities));
        if let Some(plan) = what.entity_plan {
            hit.mentions = Some(count_mentions(plan, &stored, &words, highlighter));
        }
        hit.entities = HitEntity::shown(stored);
        hit.body_for_entities = String::new();
        sink(hit).map_err(SearchError::Write)?;
    }
    Ok(())
}

/// Pages deeper than this go to the sorting collector: tantivy's top-docs
/// collector reserves room for twice its limit up front.
const TOP_DOCS_MAX: usize = 1 << 20;

/// The schema's date field, read as a fast column to sort by date.
const DATE_FIELD: &str = "date";

/// The hit count, the first `depth` hits of one gathered word (best
/// first, ties by address, as tantivy's collector orders them), and every
/// hit's address when there are at most `all_up_to`.
fn top_of_word(
    searcher: &tantivy::Searcher,
    word: &ScoredWord,
    depth: usize,
    all_up_to: usize,
) -> Gathered {
    let better =
        |a: &(f32, DocAddress), b: &(f32, DocAddress)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let mut top: Vec<(f32, DocAddress)> = Vec::with_capacity(2 * depth + 1);
    let mut threshold = f32::NEG_INFINITY;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        for &(doc, score) in word.matches.list(reader.segment_id()) {
            if score < threshold {
                continue;
            }
            top.push((score, DocAddress::new(ord as u32, doc)));
            if top.len() > 2 * depth {
                top.sort_unstable_by(better);
                top.truncate(depth);
                threshold = top.last().map_or(threshold, |t| t.0);
            }
        }
    }
    top.sort_unstable_by(better);
    top.truncate(depth);
    let total = word.matches.docs as usize;
    let mut all = Vec::new();
    if total <= all_up_to {
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let list = word.matches.list(reader.segment_id());
            all.extend(
                list.iter()
                    .map(|&(doc, _)| DocAddress::new(ord as u32, doc)),
            );
        }
    }
    (total, top, all)
}

/// What a query gathered: the hit count, the first hits best first, and
/// the addresses of the first [`EXACT_LIMIT`] hits in index order (all of
/// them when there are no more; empty when not asked for).
type Gathered = (usize, Vec<(f32, DocAddress)>, Vec<DocAddress>);

/// Stories among all hits, and whether the count is exact: the groups of
/// the gathered hits when they are all the hits; when `first` holds every
/// hit, those hits grouped after the gathered ones; else an estimate.
fn stories_in_all(
    sigs: &Signatures,
    top: &[(f32, DocAddress)],
    first: &[DocAddress],
    grouped: usize,
    total_hits: usize,
    threshold: f64,
) -> (usize, bool) {
    if top.len() >= total_hits || first.len() < total_hits {
        return estimate(grouped, top.len(), total_hits);
    }
    let gathered: std::collections::HashSet<DocAddress> = top.iter().map(|t| t.1).collect();
    let all: Vec<DocAddress> = top
        .iter()
        .map(|t| t.1)
        .chain(first.iter().copied().filter(|a| !gathered.contains(a)))
        .collect();
    (group(&sigs.of(&all), threshold).len(), true)
}

/// True for a query of words side by side (some negated), whose words'
/// positions the second ranking pass reads; not for OR-ed alternatives,
/// groups or phrases.
fn is_flat(node: &Node) -> bool {
    let word = |n: &Node| match n {
        Node::Word(..) => true,
        // a fuzzy word too short to widen is planned as a plain word
        Node::Fuzzy(w, _) => !fuzzy::widens(&normalize(w)),
        _ => false,
    };
    match node {
        Node::And(items) | Node::All(items) => {
            items.iter().all(|n| word(n) || matches!(n, Node::Not(_)))
        }
        other => word(other),
    }
}

/// `main` restricted to the request's dates and outlets.
pub(crate) fn with_filters(
    open: &OpenIndex,
    main: Box<dyn Query>,
    req: &SearchRequest,
) -> Box<dyn Query> {
    let f = &open.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    if req.from.is_some() || req.to.is_some() {
        let bound = |ts: Option<i64>| match ts {
            Some(ts) => Bound::Included(Term::from_field_date(
                f.date,
                DateTime::from_timestamp_secs(ts),
            )),
            None => Bound::Unbounded,
        };
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(bound(req.from), bound(req.to))),
        ));
    }
    if !req.sources.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = req
            .sources
            .iter()
            .map(|s| {
                let term = Term::from_field_text(f.source_key, &source_key(s));
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    }
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
        score,
        snippets: Vec::new(),
        mentions: None,
        entities: Vec::new(),
        body: String::new(),
        duplicates: Vec::new(),
        body_for_entities: doc.take_text(f.body),
    }
}

/// A stored date (Unix seconds) as `YYYY-MM-DD`.
fn day(ts: Option<i64>) -> Option<String> {
    ts.and_then(|ts| chrono::DateTime::from_timestamp(ts, 0))
        .map(|d| d.format("%Y-%m-%d").to_string())
}
