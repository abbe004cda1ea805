//! Search: word-level BM25, one term per query word.
//!
//! A query word matches many index terms: the readings its stems were
//! found in (حكومه، حكومات، حكومي …), the readings of its clitic forms
//! (الحكومه), its exact normalized form. Scoring each term on its own, as a
//! should-union of term queries, counts one written word two or three
//! times (والحكومة is indexed as والحكومه، الحكومه، حكومه at one position),
//! saturates term frequency per reading instead of per word and sums
//! document frequencies that count a document once per reading. Here the
//! word is one BM25 term in each field (the shape of Lucene's
//! `SynonymQuery`):
//!
//! - **tf** = the number of positions where any of the word's terms occurs,
//!   each weighted [`EXACT_TF`] when the word's exact form is there. A
//!   written word's readings are nested (every reading of a word is the
//!   word with proclitics taken off), so the terms are grouped by the
//!   shortest matching reading they contain, and a group's positions are
//!   those of its most frequent term: `tf = Σ_groups max_term freq`. That
//!   is exactly the count of distinct positions whenever the splitter
//!   emits a reading's shorter forms wherever it emits the reading — which
//!   it does, since readings depend only on the written word. Reading
//!   positions instead would cost a position decode per term and document.
//! - **df** = the number of live documents holding any of the terms:
//!   exact, counted while the matches are gathered.
//! - the field's length norm and average, as tantivy's own BM25.
//!
//! Matches are gathered term-at-a-time when the query is planned: each
//! term's postings are read block by block into per-document
//! accumulators, then turned into a sorted list of `(doc, score)` per
//! segment. The tantivy [`Query`] over that list ([`WordQuery`]) combines
//! with phrases, filters and boolean operators like any other query. The
//! lists also give the exact hit count of a one-word query for free.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::postings::TermInfo;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

use tantivy::index::SegmentId;

/// BM25's term-frequency saturation.
pub const K1: f32 = 1.2;
/// BM25's length normalization.
pub const B: f32 = 0.75;
/// Weight of an occurrence of the word in the exact form typed (after
/// normalization) against one that needed stemming or clitic splitting.
pub const EXACT_TF: f32 = 1.5;

/// One index term of a query word in one segment.
#[derive(Clone, Debug)]
pub struct WordTerm {
    /// Where the term's postings are.
    pub info: TermInfo,
    /// Terms of one group share positions (see the module doc).
    pub group: u32,
    /// The word's exact form (scored [`EXACT_TF`]).
    pub exact: bool,
    /// The shortest reading of its group: its positions hold those of the
    /// rest of the group.
    pub root: bool,
    /// In the group of the word as typed (the typed form with or without
    /// proclitics), not another form of its stem.
    pub form: bool,
    /// Another spelling of a name (see `search::plan`), not the word.
    pub variant: bool,
}

/// A query word's terms in one field.
#[derive(Clone, Debug)]
pub struct FieldTerms {
    /// The field.
    pub field: Field,
    /// Weight of the field (title against body).
    pub boost: f32,
    /// The terms, by segment ordinal.
    pub segments: Vec<Vec<WordTerm>>,
}

/// A query word's matches: per segment, the sorted `(doc, score)` list.
#[derive(Debug)]
pub struct WordMatches {
    /// Lists by segment id.
    lists: HashMap<SegmentId, Arc<Vec<(DocId, Score)>>>,
    /// Inverse document frequency in each field.
    pub idfs: Vec<f32>,
    /// Documents holding the word in any field.
    pub docs: u64,
}

/// BM25's inverse document frequency, as tantivy computes it.
pub fn idf(doc_freq: u64, docs: u64) -> f32 {
    let (n, d) = (doc_freq as f32, docs.max(doc_freq) as f32);
    (1.0 + (d - n + 0.5) / (n + 0.5)).ln()
}

/// Reused per-thread buffers of [`gather`]'s accumulators.
#[derive(Default)]
struct Scratch {
    /// Largest frequency of the current group's terms, per document.
    group_max: Vec<u32>,
    /// Documents the current group touched.
    group_docs: Vec<DocId>,
    /// Weighted tf so far, per document.
    tf: Vec<f32>,
    /// Bit per touched document.
    touched: Vec<u64>,
}

impl Scratch {
    fn fit(&mut self, max_doc: usize) {
        if self.group_max.len() < max_doc {
            self.group_max.resize(max_doc, 0);
            self.tf.resize(max_doc, 0.0);
            self.touched.resize(max_doc.div_ceil(64), 0);
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The weighted tf of every live document holding any of `terms` in one
/// segment, in doc order.
pub(crate) fn gather(
    reader: &SegmentReader,
    field: Field,
    terms: &[WordTerm],
) -> tantivy::Result<Vec<(DocId, f32)>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let inverted = reader.inverted_index(field)?;
    let max_doc = reader.max_doc() as usize;
    SCRATCH.with(|cell| {
        let mut s = cell.borrow_mut();
        s.fit(max_doc);
        let Scratch {
            group_max,
            group_docs,
            tf,
            touched,
        } = &mut *s;
        let mut order: Vec<&WordTerm> = terms.iter().collect();
        order.sort_by_key(|t| t.group);
        let mut start = 0;
        while start < order.len() {
            let group = order[start].group;
            let end = start
                + order[start..]
                    .iter()
                    .take_while(|t| t.group == group)
                    .count();
            if end - start == 1 {
                // A group of one term (the common case): its frequencies
                // are the positions.
                let term = order[start];
                let weight = if term.exact { EXACT_TF } else { 1.0 };
                let mut block = inverted
                    .read_block_postings_from_terminfo(&term.info, IndexRecordOption::WithFreqs)?;
                loop {
                    let docs = block.docs();
                    if docs.is_empty() {
                        break;
                    }
                    for (&d, &f) in docs.iter().zip(block.freqs()) {
                        let d = d as usize;
                        tf[d] += weight * f as f32;
                        touched[d / 64] |= 1 << (d % 64);
                    }
                    block.advance();
                }
            } else {
                for term in &order[start..end] {
                    let mut block = inverted.read_block_postings_from_terminfo(
                        &term.info,
                        IndexRecordOption::WithFreqs,
                    )?;
                    loop {
                        let docs = block.docs();
                        if docs.is_empty() {
                            break;
                        }
                        for (&d, &f) in docs.iter().zip(block.freqs()) {
                            let slot = &mut group_max[d as usize];
                            if *slot == 0 {
                                group_docs.push(d);
                            }
                            *slot = (*slot).max(f);
                            if term.exact {
                                tf[d as usize] += (EXACT_TF - 1.0) * f as f32;
                            }
                        }
                        block.advance();
                    }
                }
                for d in group_docs.drain(..) {
                    let d = d as usize;
                    tf[d] += group_max[d] as f32;
                    group_max[d] = 0;
                    touched[d / 64] |= 1 << (d % 64);
                }
            }
            start = end;
        }
        let alive = reader.alive_bitset();
        let mut out = Vec::new();
        for (w, bits) in touched.iter_mut().enumerate().take(max_doc.div_ceil(64)) {
            let mut b = *bits;
            *bits = 0;
            while b != 0 {
                let d = w * 64 + b.trailing_zeros() as usize;
                b &= b - 1;
                let weight = std::mem::take(&mut tf[d]);
                if alive.is_none_or(|a| a.is_alive(d as DocId)) {
                    out.push((d as DocId, weight));
                }
            }
        }
        Ok(out)
    })
}

/// BM25's length part for each fieldnorm id (tantivy's cache).
fn norm_cache(average: f32) -> [f32; 256] {
    let mut cache = [0.0; 256];
    for (id, slot) in cache.iter_mut().enumerate() {
        let norm = tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id as u8) as f32;
        *slot = K1 * (1.0 - B + B * norm / average.max(f32::EPSILON));
    }
    cache
}

impl WordMatches {
    /// The sorted `(doc, score)` list of one segment.
    pub fn list(&self, segment: SegmentId) -> &[(DocId, Score)] {
        self.lists.get(&segment).map_or(&[], |l| l.as_slice())
    }

    /// Gathers and scores a word's matches over every segment of
    /// `searcher`.
    ///
    /// # Errors
    /// A tantivy error when postings cannot be read.
    pub fn gather(searcher: &Searcher, fields: &[FieldTerms]) -> tantivy::Result<WordMatches> {
        let segments = searcher.segment_readers();
        let mut per_field: Vec<Vec<Vec<(DocId, f32)>>> = Vec::with_capacity(fields.len());
        let mut doc_freqs = Vec::with_capacity(fields.len());
        for f in fields {
            let mut lists = Vec::with_capacity(segments.len());
            let mut df = 0u64;
            for (ord, reader) in segments.iter().enumerate() {
                let terms = f.segments.get(ord).map_or(&[][..], Vec::as_slice);
                let list = gather(reader, f.field, terms)?;
                df += list.len() as u64;
                lists.push(list);
            }
            doc_freqs.push(df);
            per_field.push(lists);
        }
        let docs = searcher.num_docs();
        let max_docs: u64 = segments.iter().map(|r| u64::from(r.max_doc())).sum();
        let idfs: Vec<f32> = doc_freqs.iter().map(|&df| idf(df, docs)).collect();
        let mut lists = HashMap::with_capacity(segments.len());
        let mut any = 0u64;
        let mut caches = Vec::with_capacity(fields.len());
        for f in fields {
            let tokens: u64 = segments
                .iter()
                .filter_map(|r| r.inverted_index(f.field).ok())
                .map(|i| i.total_num_tokens())
                .sum();
            caches.push(norm_cache(tokens as f32 / max_docs.max(1) as f32));
        }
        for (ord, reader) in segments.iter().enumerate() {
            let mut scored: Vec<(DocId, Score)> = Vec::new();
            for (fi, f) in fields.iter().enumerate() {
                let list = &per_field[fi][ord];
                if list.is_empty() {
                    continue;
                }
                let norms = reader.get_fieldnorms_reader(f.field)?;
                let weight = idfs[fi] * (K1 + 1.0) * f.boost;
                let cache = &caches[fi];
                let field_scores = list.iter().map(|&(d, tf)| {
                    let k = cache[norms.fieldnorm_id(d) as usize];
                    (d, weight * tf / (tf + k))
                });
                scored = merge_sum(scored, field_scores);
            }
            any += scored.len() as u64;
            lists.insert(reader.segment_id(), Arc::new(scored));
        }
        Ok(WordMatches {
            lists,
            idfs,
            docs: any,
        })
    }
}

impl WordMatches {
    /// The matches of a phrase, given as queries per field (one per
    /// combination of its words' readings, each already weighted by its
    /// field): per field a document scores the best of its queries (two
    /// readings of one written phrase are one occurrence, not two), and
    /// the fields' scores add up.
    ///
    /// # Errors
    /// A tantivy error when a query cannot be run.
    pub fn from_queries(
        searcher: &Searcher,
        fields: &[Vec<Box<dyn Query>>],
    ) -> tantivy::Result<WordMatches> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let weights: Vec<Vec<Box<dyn Weight>>> = fields
            .iter()
            .map(|qs| qs.iter().map(|q| q.weight(scoring)).collect())
            .collect::<tantivy::Result<_>>()?;
        let mut lists = HashMap::new();
        let mut any = 0u64;
        let mut best: Vec<f32> = Vec::new();
        let mut total: Vec<f32> = Vec::new();
        for reader in searcher.segment_readers() {
            let max_doc = reader.max_doc() as usize;
            best.clear();
            best.resize(max_doc, 0.0);
            total.clear();
            total.resize(max_doc, 0.0);
            for field_weights in &weights {
                let mut docs: Vec<DocId> = Vec::new();
                for weight in field_weights {
                    weight.for_each(reader, &mut |doc, score| {
                        let slot = &mut best[doc as usize];
                        if *slot == 0.0 {
                            docs.push(doc);
                        }
                        *slot = slot.max(score);
                    })?;
                }
                for d in docs {
                    total[d as usize] += std::mem::take(&mut best[d as usize]);
                }
            }
            let alive = reader.alive_bitset();
            let list: Vec<(DocId, Score)> = total
                .iter()
                .enumerate()
                .filter(|(d, s)| **s > 0.0 && alive.is_none_or(|a| a.is_alive(*d as DocId)))
                .map(|(d, &s)| (d as DocId, s))
                .collect();
            any += list.len() as u64;
            lists.insert(reader.segment_id(), Arc::new(list));
        }
        Ok(WordMatches {
            lists,
            idfs: vec![0.0; fields.len()],
            docs: any,
        })
    }
}

impl WordMatches {
    /// Words side by side in one query: documents holding all of them
    /// (`all`) or any of them, scored with the sum of their scores; the
    /// same as a boolean query of their [`WordQuery`]s, without a scorer
    /// per word.
    pub fn combine(searcher: &Searcher, parts: &[&WordMatches], all: bool) -> WordMatches {
        let mut lists = HashMap::new();
        let mut any = 0u64;
        let mut total: Vec<f32> = Vec::new();
        let mut count: Vec<u16> = Vec::new();
        for reader in searcher.segment_readers() {
            let id = reader.segment_id();
            let max_doc = reader.max_doc() as usize;
            total.clear();
            total.resize(max_doc, 0.0);
            count.clear();
            count.resize(max_doc, 0);
            for part in parts {
                for &(d, score) in part.list(id) {
                    total[d as usize] += score;
                    count[d as usize] += 1;
                }
            }
            let need = if all { parts.len() as u16 } else { 1 };
            let list: Vec<(DocId, Score)> = count
                .iter()
                .enumerate()
                .filter(|(_, &c)| c >= need)
                .map(|(d, _)| (d as DocId, total[d]))
                .collect();
            any += list.len() as u64;
            lists.insert(id, Arc::new(list));
        }
        WordMatches {
            lists,
            idfs: Vec::new(),
            docs: any,
        }
    }
}

/// Merges two doc-sorted score lists, summing the scores of shared docs.
fn merge_sum(
    a: Vec<(DocId, Score)>,
    b: impl Iterator<Item = (DocId, Score)>,
) -> Vec<(DocId, Score)> {
    if a.is_empty() {
        return b.collect();
    }
    let mut out = Vec::with_capacity(a.len());
    let mut a = a.into_iter().peekable();
    for (d, s) in b {
        while let Some(&(x, t)) = a.peek() {
            if x >= d {
                break;
            }
            out.push((x, t));
            a.next();
        }
        match a.peek() {
            Some(&(x, t)) if x == d => {
                out.push((d, s + t));
                a.next();
            }
            _ => out.push((d, s)),
        }
    }
    out.extend(a);
    out
}

/// A query word: its terms in each field and its gathered matches.
#[derive(Debug)]
pub struct ScoredWord {
    /// Its terms in each field.
    pub fields: Vec<FieldTerms>,
    /// Its matches over all segments.
    pub matches: WordMatches,
    /// Its best hits as a search of it alone found them, for the next
    /// searches of it (the word cache keeps a word for one generation).
    pub top: TopHits,
}

/// A word's best hits, `(score, address)`, best first (ties by address),
/// kept with the searcher generation and the number asked for.
#[derive(Debug, Default)]
pub struct TopHits(Mutex<Option<KeptHits>>);

/// The generation, the number of hits asked for, and the hits.
type KeptHits = (u64, usize, Arc<Vec<(Score, DocAddress)>>);

impl TopHits {
    /// The best `depth` hits in `generation`, when a search of at least
    /// as many (or of all of them) kept its list: the best `depth` of a
    /// total order are the first `depth` of any longer best list.
    pub fn get(&self, generation: u64, depth: usize) -> Option<Vec<(Score, DocAddress)>> {
        let guard = self.0.lock().ok()?;
        let (kept_generation, asked, hits) = guard.as_ref()?;
        (*kept_generation == generation && (depth <= *asked || hits.len() < *asked))
            .then(|| hits[..depth.min(hits.len())].to_vec())
    }

    /// Keeps `hits`, the best `asked` in `generation` (fewer when there
    /// are no more), unless a longer list is kept.
    pub fn keep(&self, generation: u64, asked: usize, hits: &[(Score, DocAddress)]) {
        if let Ok(mut guard) = self.0.lock() {
            let longer = guard
                .as_ref()
                .is_some_and(|(g, a, _)| *g == generation && *a >= asked);
            if !longer {
                *guard = Some((generation, asked, Arc::new(hits.to_vec())));
            }
        }
    }
}

impl ScoredWord {
    /// Gathers the matches of a word's terms.
    ///
    /// # Errors
    /// A tantivy error when postings cannot be read.
    pub fn gather(searcher: &Searcher, fields: Vec<FieldTerms>) -> tantivy::Result<ScoredWord> {
        let matches = WordMatches::gather(searcher, &fields)?;
        Ok(ScoredWord {
            fields,
            matches,
            top: TopHits::default(),
        })
    }

    /// About how many bytes it holds (for the word cache's budget).
    pub fn bytes(&self) -> usize {
        let lists: usize = self.matches.lists.values().map(|l| l.len() * 8 + 64).sum();
        let terms: usize = self
            .fields
            .iter()
            .flat_map(|f| &f.segments)
            .map(|s| s.len() * std::mem::size_of::<WordTerm>() + 24)
            .sum();
        lists + terms
    }
}

/// A tantivy query over a word's gathered matches.
#[derive(Clone, Debug)]
pub struct WordQuery {
    word: Arc<ScoredWord>,
}

impl WordQuery {
    /// The query for a gathered word.
    pub fn new(word: Arc<ScoredWord>) -> Self {
        WordQuery { word }
    }

    /// The word.
    pub fn word(&self) -> &Arc<ScoredWord> {
        &self.word
    }
}

impl Query for WordQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(WordWeight {
            word: Arc::clone(&self.word),
        }))
    }
}

struct WordWeight {
    word: Arc<ScoredWord>,
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let list = self
            .word
            .matches
            .lists
            .get(&reader.segment_id())
            .cloned()
            .unwrap_or_default();
        Ok(Box::new(ListScorer {
            list,
            cursor: 0,
            boost,
        }))
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        // The lists hold live documents only.
        Ok(self
            .word
            .matches
            .lists
            .get(&reader.segment_id())
            .map_or(0, |l| l.len() as u32))
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        if let Some(list) = self.word.matches.lists.get(&reader.segment_id()) {
            for &(doc, score) in list.iter() {
                callback(doc, score);
            }
        }
        Ok(())
    }

    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if let Some(list) = self.word.matches.lists.get(&reader.segment_id()) {
            for &(doc, score) in list.iter() {
                if score > threshold {
                    threshold = callback(doc, score);
                }
            }
        }
        Ok(())
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("word-level BM25", scorer.score()))
    }
}

/// Walks a gathered `(doc, score)` list.
struct ListScorer {
    list: Arc<Vec<(DocId, Score)>>,
    cursor: usize,
    boost: Score,
}

impl DocSet for ListScorer {
    fn advance(&mut self) -> DocId {
        self.cursor = (self.cursor + 1).min(self.list.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.list[self.cursor..];
        self.cursor += rest.partition_point(|&(d, _)| d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.list.get(self.cursor).map_or(TERMINATED, |&(d, _)| d)
    }

    fn size_hint(&self) -> u32 {
        (self.list.len() - self.cursor) as u32
    }
}

impl Scorer for ListScorer {
    fn score(&mut self) -> Score {
        self.list
            .get(self.cursor)
            .map_or(0.0, |&(_, s)| s * self.boost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_top_hits_serve_shorter_lists_of_their_generation_only() {
        let at = |d| DocAddress::new(0, d);
        let top = TopHits::default();
        assert_eq!(top.get(1, 2), None);
        top.keep(1, 3, &[(3.0, at(5)), (2.0, at(1)), (2.0, at(4))]);
        assert_eq!(top.get(1, 2), Some(vec![(3.0, at(5)), (2.0, at(1))]));
        assert_eq!(top.get(1, 3).map(|t| t.len()), Some(3));
        // more than was asked for: unknown
        assert_eq!(top.get(1, 4), None);
        // another generation: nothing
        assert_eq!(top.get(2, 1), None);
        // a shorter list does not replace a longer one
        top.keep(1, 1, &[(3.0, at(5))]);
        assert_eq!(top.get(1, 3).map(|t| t.len()), Some(3));
        // a list shorter than asked holds every hit: any depth
        top.keep(2, 10, &[(1.0, at(0))]);
        assert_eq!(top.get(2, 50), Some(vec![(1.0, at(0))]));
        assert_eq!(top.get(1, 1), None);
    }
}
