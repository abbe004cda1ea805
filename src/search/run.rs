//! Search: run a query against an open index and gather plain-data hits
//! (text, highlight ranges, metadata) for the printers.

use std::sync::Arc;
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, Searcher};

use super::collapse::{estimate, group, FirstHits, Signatures, EXACT_LIMIT, GATHER_FACTOR};
use super::entity::{plan_entity, EntityPlan};
use super::error::SearchError;
use super::facets::facets_of;
use super::features::COUNT;
use super::fuzzy;
use super::highlight::Highlighter;
use super::hits::{emit_hits, Hit, HitParts};
use super::parse::{fuzzy_words, parse, Node};
use super::plan::{HighlightTerms, Planner};
use super::ranker::Model;
use super::request::{SearchRequest, SearchResults};
use super::rerank::{self, rerank_depth, RankFields};
use super::sort::{SortOrder, Sorted};
use super::suggest;
use super::word::{ScoredWord, WordQuery};
use crate::analysis::normalize;
use crate::entities::AliasTable;
use crate::index::OpenIndex;

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
    let planned = Planned::new(open, &searcher, req, table)?;
    let ranked = rank(open, &searcher, req, &planned)?;
    let suggestions = planned.typed.as_ref().map_or_else(Vec::new, |node| {
        suggest::when_few(
            &searcher,
            &open.fields,
            node,
            ranked.total_hits,
            table,
            &open.caches.written,
        )
    });
    let facets = if req.facets {
        let counted = facets_of(&searcher, &*planned.query, open.fields.entity_form);
        Some(counted.map_err(|e| SearchError::tantivy(&open.dir, e))?)
    } else {
        None
    };
    let highlighter = Highlighter::new(planned.highlight);
    let mut explain = Vec::new();
    let (shown, copies): (Vec<(f32, DocAddress)>, Vec<Vec<DocAddress>>) = ranked
        .shown
        .into_iter()
        .map(|s| {
            let parts = s.features.filter(|_| req.explain && req.ranker);
            explain.push(parts.map_or_else(Vec::new, |f| Model::builtin().contributions(&f)));
            ((s.score, s.address), s.copies)
        })
        .unzip();
    let what = HitParts {
        first_rank: req.page.first_rank(),
        snippets: req.snippets,
        entities: req.entities,
        body: req.body,
        highlighter: &highlighter,
        entity_plan: planned.entity_plan.as_ref(),
        copies: &copies,
        explain: &explain,
    };
    emit_hits(open, &searcher, &shown, &what, sink)?;
    Ok(SearchResults {
        query: req.query.clone(),
        total_hits: ranked.total_hits,
        total_stories: ranked.total_stories.map(|t| t.0),
        total_stories_exact: ranked.total_stories.is_none_or(|t| t.1),
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits: Vec::new(),
        warnings: planned.warnings,
        facets,
        entity: planned.entity_plan.map(|p| p.searched),
        suggestions,
    })
}

/// A query's first-stage hits with their features ([`candidates`]).
#[derive(Clone, Debug, Default)]
pub struct Candidates {
    /// The query's words the ranker reads (stopwords left out).
    pub words: usize,
    /// Each hit's id and features, in the first stage's order.
    pub hits: Vec<(String, [f32; COUNT])>,
}

/// The first stage's best hits for `req`'s query (at most `depth`,
/// article by article), in its order, each with its id and the
/// features the learned ranker reads: what the ranker is trained on
/// (`examples/train_ranker.rs`).
///
/// # Errors
/// As [`search_with`].
pub fn candidates(
    open: &OpenIndex,
    req: &SearchRequest,
    depth: usize,
) -> Result<Candidates, SearchError> {
    static BUILTIN: std::sync::OnceLock<Arc<AliasTable>> = std::sync::OnceLock::new();
    let table = BUILTIN.get_or_init(|| Arc::new(AliasTable::builtin()));
    let searcher = open.searcher()?;
    let req = SearchRequest {
        ranker: false,
        explain: true,
        collapse: false,
        sort: SortOrder::Relevance,
        ..req.clone()
    };
    let planned = Planned::new(open, &searcher, &req, table)?;
    let gathering = Gathering {
        open,
        searcher: &searcher,
        req: &req,
        planned: &planned,
        rerank: !planned.words.is_empty(),
        rerank_depth: depth,
        first_limit: 0,
    };
    let gathered = gathering.gather(depth)?;
    let mut out = Vec::with_capacity(gathered.top.len());
    for (i, &(_, address)) in gathered.top.iter().enumerate() {
        let mut doc: super::stored::StoredDoc = searcher
            .doc(address)
            .map_err(|e| SearchError::tantivy(&open.dir, e))?;
        let features = gathered.features.get(i).copied().unwrap_or([0.0; COUNT]);
        out.push((doc.take_text(open.fields.id), features));
    }
    Ok(Candidates {
        words: planned.words.len(),
        hits: out,
    })
}

/// A request turned into a query, with what the later steps read from
/// the planning.
struct Planned {
    /// The query with the request's filters.
    query: Box<dyn Query>,
    /// The query's words for the second ranking pass (none unless the
    /// query is words side by side).
    words: Vec<Arc<ScoredWord>>,
    /// The terms to mark.
    highlight: HighlightTerms,
    /// What the parser repaired and the planner left out.
    warnings: Vec<String>,
    /// The parsed query, when there is one (not for `--entity` alone).
    typed: Option<Node>,
    /// With `--entity`: the entity searched and its variants.
    entity_plan: Option<EntityPlan>,
}

impl Planned {
    /// Parses and plans the query and the `--entity` name.
    ///
    /// # Errors
    /// Nothing to search for, or a failure reading postings.
    fn new(
        open: &OpenIndex,
        searcher: &Searcher,
        req: &SearchRequest,
        table: &AliasTable,
    ) -> Result<Planned, SearchError> {
        let mut planner = Planner::for_index(open, searcher);
        planner.op = req.op;
        planner.spellings = Some(super::spellings::name_spellings(table));
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
            let (q, plan) = plan_entity(name, table, &mut planner, searcher, current)
                .ok_or_else(|| SearchError::Query(format!("no name to search for in {name:?}")))?;
            clauses.push((Occur::Must, q));
            entity_plan = Some(plan);
        }
        let main: Box<dyn Query> = if clauses.len() == 1 {
            clauses.remove(0).1
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        if let Some(e) = planner.error.take() {
            return Err(SearchError::tantivy(&open.dir, e));
        }
        Ok(Planned {
            query: req.filters.apply(open, main),
            words: if flat { planner.words } else { Vec::new() },
            highlight: planner.highlight,
            warnings,
            typed,
            entity_plan,
        })
    }
}

/// A hit of the page: its score, address, folded near copies and its
/// features when the second pass read them.
struct Shown {
    score: f32,
    address: DocAddress,
    copies: Vec<DocAddress>,
    features: Option<[f32; COUNT]>,
}

/// The hits ranked: their number, the page's hits, and the stories among
/// all hits with whether that count is exact (collapsed searches).
struct Ranked {
    total_hits: usize,
    shown: Vec<Shown>,
    total_stories: Option<(usize, bool)>,
}

/// Ranks the planned query's hits and cuts the page: one hit per story
/// when collapsing, gathering deeper until the page is full of stories.
fn rank(
    open: &OpenIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    planned: &Planned,
) -> Result<Ranked, SearchError> {
    let rerank = !planned.words.is_empty() && req.sort == SortOrder::Relevance;
    let wanted = req.page.wanted();
    let mut depth = if rerank {
        wanted.max(rerank_depth(planned.words.len()))
    } else {
        wanted
    };
    if req.collapse {
        depth = depth.max(wanted.saturating_mul(GATHER_FACTOR));
    }
    let gathering = Gathering {
        open,
        searcher,
        req,
        planned,
        rerank,
        rerank_depth: rerank_depth(planned.words.len()),
        first_limit: if req.collapse { EXACT_LIMIT } else { 0 },
    };
    let mut gathered = gathering.gather(depth)?;
    if !req.collapse {
        let shown = gathered
            .top
            .iter()
            .enumerate()
            .skip(req.page.offset)
            .take(req.page.limit)
            .map(|(i, &(score, address))| Shown {
                score,
                address,
                copies: Vec::new(),
                features: gathered.features.get(i).copied(),
            })
            .collect();
        return Ok(Ranked {
            total_hits: gathered.total,
            shown,
            total_stories: None,
        });
    }
    let sigs = Signatures::cached(searcher, &open.caches);
    let mut stories;
    loop {
        let addresses = gathered.top.iter().map(|t| &t.1);
        stories = group(&sigs.of(addresses), req.story_threshold);
        if stories.len() >= wanted || gathered.top.len() >= gathered.total {
            break;
        }
        depth = depth.saturating_mul(4);
        gathered = gathering.gather(depth)?;
    }
    let total_stories = stories_in_all(&sigs, &gathered, stories.len(), req.story_threshold);
    let top = &gathered.top;
    let shown = stories
        .into_iter()
        .skip(req.page.offset)
        .take(req.page.limit)
        .map(|s| Shown {
            score: top[s.kept].0,
            address: top[s.kept].1,
            copies: s.copies.iter().map(|&i| top[i].1).collect(),
            features: gathered.features.get(s.kept).copied(),
        })
        .collect();
    Ok(Ranked {
        total_hits: gathered.total,
        shown,
        total_stories: Some(total_stories),
    })
}

/// What gathering a query's first hits needs.
struct Gathering<'a> {
    open: &'a OpenIndex,
    searcher: &'a Searcher,
    req: &'a SearchRequest,
    planned: &'a Planned,
    /// Reorder the first `rerank_depth` hits by the second pass.
    rerank: bool,
    /// Hits the second pass reads ([`rerank_depth`] when searching).
    rerank_depth: usize,
    /// Also list every hit's address when there are at most this many.
    first_limit: usize,
}

impl Gathering<'_> {
    /// The first `depth` hits, best first (the second pass applied).
    fn gather(&self, depth: usize) -> Result<Gathered, SearchError> {
        let (req, searcher, query) = (self.req, self.searcher, &self.planned.query);
        let tantivy_err = |e| SearchError::tantivy(&self.open.dir, e);
        let first_limit = self.first_limit;
        let mut gathered = match query.downcast_ref::<WordQuery>() {
            // another order, or every hit (`--all`): the sorting collector
            _ if req.sort != SortOrder::Relevance || depth > TOP_DOCS_MAX => {
                let collector = (
                    Sorted::new(req.sort, depth, DATE_FIELD),
                    FirstHits(first_limit),
                );
                let (sorted, first) = searcher.search(query, &collector).map_err(tantivy_err)?;
                let (total, top) = Sorted::scored(sorted);
                Gathered::new(total, top, first)
            }
            // One word, no filter: its gathered list is the answer.
            Some(word) => top_of_word(searcher, word.word(), depth, first_limit),
            None if first_limit > 0 => {
                let collector = (
                    Count,
                    TopDocs::with_limit(depth).order_by_score(),
                    FirstHits(first_limit),
                );
                let (total, top, first) =
                    searcher.search(query, &collector).map_err(tantivy_err)?;
                Gathered::new(total, top, first)
            }
            None => {
                let collector = (Count, TopDocs::with_limit(depth).order_by_score());
                let (total, top) = searcher.search(query, &collector).map_err(tantivy_err)?;
                Gathered::new(total, top, Vec::new())
            }
        };
        if self.rerank && (req.ranker || req.explain) {
            let head = gathered.top.len().min(self.rerank_depth);
            let fields = RankFields {
                title: self.open.fields.title_exact,
                body: self.open.fields.body_exact,
            };
            let words = &self.planned.words;
            let features = rerank::features_of(searcher, words, fields, &gathered.top[..head])
                .map_err(tantivy_err)?;
            gathered.features = if req.ranker {
                let floor = gathered.top.get(head).map_or(0.0, |t| t.0);
                rerank::rerank(Model::builtin(), &mut gathered.top[..head], features, floor)
            } else {
                features
            };
        }
        Ok(gathered)
    }
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
    let generation = searcher.generation().generation_id();
    let total = word.matches.docs as usize;
    let first = || {
        let mut first = Vec::new();
        if total <= all_up_to {
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                let list = word.matches.list(reader.segment_id());
                first.extend(
                    list.iter()
                        .map(|&(doc, _)| DocAddress::new(ord as u32, doc)),
                );
            }
        }
        first
    };
    if let Some(top) = word.top.get(generation, depth) {
        return Gathered::new(total, top, first());
    }
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
            if top.len() > 2 * depth && depth > 0 {
                // the best `depth` first, the depth-th best at depth - 1
                // (the order is total: the same hits as sorting)
                top.select_nth_unstable_by(depth - 1, better);
                top.truncate(depth);
                threshold = top[depth - 1].0;
            }
        }
    }
    top.sort_unstable_by(better);
    top.truncate(depth);
    word.top.keep(generation, depth, &top);
    Gathered::new(total, top, first())
}

/// What a query gathered.
struct Gathered {
    /// Articles matching in all.
    total: usize,
    /// The first hits, best first.
    top: Vec<(f32, DocAddress)>,
    /// The addresses of the first [`EXACT_LIMIT`] hits in index order (all
    /// of them when there are no more; empty when not asked for).
    first: Vec<DocAddress>,
    /// The features of the first hits, when the second pass read them
    /// (by position in `top`).
    features: Vec<[f32; COUNT]>,
}

impl Gathered {
    fn new(total: usize, top: Vec<(f32, DocAddress)>, first: Vec<DocAddress>) -> Gathered {
        Gathered {
            total,
            top,
            first,
            features: Vec::new(),
        }
    }
}

/// Stories among all hits, and whether the count is exact: the groups of
/// the gathered hits when they are all the hits; when their `first` holds
/// every hit, those hits grouped after the gathered ones; else an
/// estimate.
fn stories_in_all(
    sigs: &Signatures,
    gathered: &Gathered,
    grouped: usize,
    threshold: f64,
) -> (usize, bool) {
    let (top, first, total_hits) = (&gathered.top, &gathered.first, gathered.total);
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
