//! Search: turn a parsed query into a tantivy query, and collect the terms
//! to highlight and the words the second ranking pass reads.
//!
//! Each query word becomes one [`WordQuery`] (word-level BM25, see
//! `word.rs`) over the index terms found for it in each field: the
//! readings of each of its keyword stems, its proclitic readings, and its
//! exact normalized form; the title field weighs [`TITLE_BOOST`] against
//! the body. The index holds each word and its proclitic readings (the
//! exact analyzer), with no stemmed field: a keyword stem is matched
//! through the readings whose stem it is. A stem is a prefix of its
//! readings, at most [`MAX_SUFFIX_LETTERS`] letters shorter, so one range
//! of the field's dictionary per segment lists the candidates
//! (`Planner::stem_infos`), and each is kept when it is not a stopword
//! and the stemmer gives it that stem: exactly the terms the keyword
//! analyzer would have matched (cached per commit in the index's search
//! caches). Words side by side, AND-ed or OR-ed, and phrases are combined
//! into one gathered list where they can be; a phrase matches with every
//! proclitic reading of each word tried (at most [`MAX_PHRASE_VARIANTS`]
//! combinations), positions exact. `title:` and `source:` scope words to a
//! field; negated words exclude.
//!
//! Two keyword fields of stemmed readings cost 21% of indexing cycles;
//! expanding words to their written forms at search time instead of
//! indexing readings made phrases and entities 2-3 times slower, so
//! readings stay in the index.

use std::any::Any;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use tantivy::postings::TermInfo;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::fuzzy;
use super::parse::{Node, Scope};
use super::spellings::Spellings;
use super::word::{FieldTerms, ScoredWord, TopHits, WordMatches, WordQuery, WordTerm};
use crate::analysis::is_stopword;
use crate::analysis::stem;
use crate::analysis::tokens;
use crate::analysis::Analyzer;
use crate::analysis::{is_arabic_word, phrase_readings, proclitic_variants};
use crate::index::OpenIndex;
use crate::index::{source_key, Fields};
use crate::index::{SearchCaches, SegmentTerms};

/// Weight of a title match against a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// Most proclitic-reading combinations tried for one phrase.
pub const MAX_PHRASE_VARIANTS: usize = 16;
/// Most letters a reading has after its keyword stem (an inflection and
/// the pronoun ها).
pub const MAX_SUFFIX_LETTERS: usize = 5;

/// The terms a query looks for, by analyzer, for highlighting.
#[derive(Clone, Debug, Default)]
pub struct HighlightTerms {
    /// Keyword-analyzer terms (stems).
    pub keyword: HashSet<String>,
    /// Exact-analyzer terms (normalized words and their readings).
    pub exact: HashSet<String>,
    /// Phrases: for each word in order, its accepted readings.
    pub phrases: Vec<Vec<Vec<String>>>,
}

/// How words side by side combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Op {
    /// Every word must match (the default).
    #[default]
    And,
    /// Any word may match; articles matching more words rank higher.
    Or,
}

/// Builds tantivy queries from parsed queries.
pub struct Planner {
    /// How words side by side combine.
    pub op: Op,
    fields: Fields,
    searcher: Searcher,
    keyword: tantivy::tokenizer::TextAnalyzer,
    exact: tantivy::tokenizer::TextAnalyzer,
    /// Terms found for a stem in a field, by segment.
    caches: Arc<SearchCaches>,
    /// The first error met while reading postings (the query is then
    /// unusable).
    pub error: Option<tantivy::TantivyError>,
    /// Terms collected from the positive parts of the query.
    pub highlight: HighlightTerms,
    /// What the planner left out (common words), for the user.
    pub warnings: Vec<String>,
    /// The positive words of the query in order, for the second ranking
    /// pass.
    pub words: Vec<Arc<ScoredWord>>,
    /// Other spellings of people's names (none: words match as typed).
    pub spellings: Option<Arc<Spellings>>,
}

/// Terms at each position of an analyzed text, by position.
fn by_position(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    text: &str,
) -> BTreeMap<usize, Vec<String>> {
    let mut map: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for t in tokens(analyzer, text) {
        map.entry(t.position).or_default().push(t.text);
    }
    map
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    boosted(Box::new(q), boost)
}

/// Up to `max` combinations of one reading per position, literal readings
/// first.
fn combinations(positions: &[Vec<String>], max: usize) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for readings in positions {
        let mut next = Vec::new();
        for prefix in &out {
            for r in readings {
                if next.len() >= max {
                    break;
                }
                let mut combo = prefix.clone();
                combo.push(r.clone());
                next.push(combo);
            }
        }
        out = next;
    }
    out
}

/// Groups of terms that can share a position: each term's group is the
/// shortest of its proclitic readings among `terms` (الحكومه and حكومه
/// are one group, حكومات another). Maps each term to its group and its own
/// index in `terms` (group ids index `terms`: the root's group is its own
/// index).
fn groups(terms: &[String]) -> HashMap<String, (u32, u32)> {
    let index: HashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i as u32))
        .collect();
    let mut readings = Vec::new();
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            readings.clear();
            proclitic_variants(t, &mut readings);
            let root = readings
                .iter()
                .filter_map(|r| index.get(r.as_str()).map(|&g| (r.len(), g)))
                .min()
                .map_or(i as u32, |(_, g)| g);
            (t.clone(), (root, i as u32))
        })
        .collect()
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// The clauses as one query; a lone required or optional clause is itself.
fn all_of(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

fn any_of(mut clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if clauses.len() == 1 {
        return clauses.remove(0);
    }
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

impl Planner {
    /// The index fields this planner queries.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A planner over an open index, sharing its cache of stem lookups.
    pub fn for_index(open: &OpenIndex, searcher: &Searcher) -> Self {
        let mut planner = Planner::new(open.fields, searcher);
        planner.caches = Arc::clone(&open.caches);
        planner
    }

    /// A planner over an index's fields, looking up words with `searcher`.
    pub fn new(fields: Fields, searcher: &Searcher) -> Self {
        Planner {
            op: Op::And,
            fields,
            searcher: searcher.clone(),
            keyword: Analyzer::Keyword.build(),
            exact: Analyzer::Exact.build(),
            caches: Arc::new(SearchCaches::default()),
            error: None,
            words: Vec::new(),
            highlight: HighlightTerms::default(),
            warnings: Vec::new(),
            spellings: None,
        }
    }

    /// The tantivy query for a parsed query (`None`: nothing searchable).
    pub fn plan(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        self.node(node, true)
    }

    fn node(&mut self, node: &Node, positive: bool) -> Option<Box<dyn Query>> {
        match node {
            Node::Word(text, scope) => self.word(text, *scope, positive),
            Node::Fuzzy(text, scope) => self.fuzzy(text, *scope, positive),
            Node::Phrase(text, scope) => self.phrase(text, *scope, positive),
            Node::Source(name) => Some(term_query(self.fields.source_key, &source_key(name), 1.0)),
            Node::And(items) => self.and(items, positive, self.op == Op::Or),
            Node::All(items) => self.and(items, positive, false),
            Node::Or(items) => {
                let clauses: Vec<(Occur, Box<dyn Query>)> = items
                    .iter()
                    .filter_map(|n| self.node(n, positive))
                    .map(|q| (Occur::Should, q))
                    .collect();
                if clauses.len() > 1 {
                    if let Some(words) = self.combined(&clauses, false) {
                        return Some(words);
                    }
                }
                (!clauses.is_empty()).then(|| any_of(clauses.into_iter().map(|(_, q)| q).collect()))
            }
            Node::Not(inner) => {
                let q = self.node(inner, !positive)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                    (Occur::MustNot, q),
                ])))
            }
        }
    }

    /// Items side by side: all required, or (`any`) at least one, and
    /// none of the negated ones.
    fn and(&mut self, items: &[Node], positive: bool, any: bool) -> Option<Box<dyn Query>> {
        let occur = if any { Occur::Should } else { Occur::Must };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for item in items {
            match item {
                Node::Not(inner) => {
                    if let Some(q) = self.node(inner, !positive) {
                        clauses.push((Occur::MustNot, q));
                    }
                }
                _ => {
                    if let Some(q) = self.node(item, positive) {
                        clauses.push((occur, q));
                    }
                }
            }
        }
        if clauses.is_empty() {
            return None;
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        if clauses.len() > 1 && clauses.iter().all(|(o, _)| *o == occur) {
            if let Some(words) = self.combined(&clauses, !any) {
                return Some(words);
            }
        }
        Some(all_of(clauses))
    }

    /// Clauses that are all gathered words (or phrases), combined into one
    /// gathered list (`all`: documents holding every one); `None` when a
    /// clause is something else.
    fn combined(&self, clauses: &[(Occur, Box<dyn Query>)], all: bool) -> Option<Box<dyn Query>> {
        let words: Vec<&WordQuery> = clauses
            .iter()
            .map(|(_, q)| q.downcast_ref::<WordQuery>())
            .collect::<Option<_>>()?;
        let parts: Vec<&WordMatches> = words.iter().map(|w| &w.word().matches).collect();
        let matches = WordMatches::combine(&self.searcher, &parts, all);
        Some(Box::new(WordQuery::new(Arc::new(ScoredWord {
            fields: Vec::new(),
            matches,
            top: TopHits::default(),
        }))))
    }

    fn fields_for(&self, scope: Scope) -> Vec<(Field, f32)> {
        let f = &self.fields;
        let title = (f.title_exact, TITLE_BOOST);
        match scope {
            Scope::Title => vec![title],
            Scope::Any => vec![title, (f.body_exact, 1.0)],
        }
    }

    /// The terms (readings) of `field` whose keyword stem is `stem`, by
    /// segment ordinal, with where their postings are; cached.
    fn stem_infos(&mut self, stem_text: &str, field: Field) -> Arc<SegmentTerms> {
        let key = (field, stem_text.to_string());
        let found = self.caches.stems.get_or_try(&self.searcher, &key, || {
            let terms = self.scan_stem(stem_text, field);
            let cost = terms
                .iter()
                .flatten()
                .map(|(t, _)| t.len() + 64)
                .sum::<usize>();
            Ok::<_, std::convert::Infallible>((Arc::new(terms), cost))
        });
        match found {
            Ok(terms) => terms,
            Err(never) => match never {},
        }
    }

    /// The dictionary range scan behind [`Planner::stem_infos`].
    fn scan_stem(&self, stem_text: &str, field: Field) -> SegmentTerms {
        // Words that are not Arabic are neither split nor stemmed.
        let max_suffix = if is_arabic_word(stem_text) {
            MAX_SUFFIX_LETTERS
        } else {
            0
        };
        let mut upper = stem_text.as_bytes().to_vec();
        upper.push(0xFF); // above every byte of UTF-8 text
        let mut out: SegmentTerms = Vec::new();
        for segment in self.searcher.segment_readers() {
            let mut terms = Vec::new();
            if let Ok(inverted) = segment.inverted_index(field) {
                let range = inverted.terms().range().ge(stem_text.as_bytes()).lt(&upper);
                if let Ok(mut stream) = range.into_stream() {
                    while stream.advance() {
                        let Ok(term) = std::str::from_utf8(stream.key()) else {
                            continue;
                        };
                        let short = term[stem_text.len()..].chars().nth(max_suffix).is_none();
                        if short && !is_stopword(term) && stem(term) == stem_text {
                            terms.push((term.to_string(), stream.value().clone()));
                        }
                    }
                }
            }
            out.push(terms);
        }
        out
    }

    /// The terms (readings) of `field` whose keyword stem is `stem`, with
    /// their document frequencies summed over segments.
    #[cfg(test)]
    pub fn stem_terms(&mut self, stem_text: &str, field: Field) -> Vec<(String, u64)> {
        let mut terms: Vec<(String, u64)> = Vec::new();
        for segment in self.stem_infos(stem_text, field).iter() {
            for (term, info) in segment {
                let n = u64::from(info.doc_freq);
                match terms.iter_mut().find(|(t, _)| t == term) {
                    Some(known) => known.1 += n,
                    None => terms.push((term.clone(), n)),
                }
            }
        }
        terms
    }

    /// The index terms of one query word in `field`, by segment: every
    /// reading of each of its `stems`, plus its `readings` (all of them when
    /// it has no stems, else its exact form only), grouped and marked as
    /// [`super::word`] scores them.
    fn field_terms(
        &mut self,
        field: Field,
        boost: f32,
        stems: Option<&Vec<String>>,
        readings: &[String],
        variants: &[String],
    ) -> FieldTerms {
        let mut texts: Vec<String> = match stems {
            Some(_) => vec![readings[0].clone()],
            None => readings.to_vec(),
        };
        let mut per_segment: Vec<HashMap<String, TermInfo>> =
            vec![HashMap::new(); self.searcher.segment_readers().len()];
        for s in stems.into_iter().flatten() {
            for (ord, terms) in self.stem_infos(s, field).iter().enumerate() {
                for (term, info) in terms {
                    per_segment[ord].insert(term.clone(), info.clone());
                }
            }
        }
        // other spellings of a name (never a reading of the word), unless
        // a stem of the word brought them already
        let variant: HashSet<String> = variants
            .iter()
            .filter(|v| !per_segment.iter().any(|m| m.contains_key(*v)))
            .cloned()
            .collect();
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            for text in texts.iter().chain(&variant) {
                if per_segment[ord].contains_key(text) {
                    continue;
                }
                if let Ok(Some(info)) = inverted.get_term_info(&Term::from_field_text(field, text))
                {
                    per_segment[ord].insert(text.clone(), info);
                }
            }
        }
        texts.extend(per_segment.iter().flat_map(|m| m.keys().cloned()));
        texts.sort();
        texts.dedup();
        let groups = groups(&texts);
        let typed = groups.get(&readings[0]).map(|g| g.0);
        let segments = per_segment
            .into_iter()
            .map(|terms| {
                terms
                    .into_iter()
                    .map(|(text, info)| {
                        let (group, own) = groups.get(&text).copied().unwrap_or((0, 0));
                        WordTerm {
                            info,
                            group,
                            exact: text == readings[0],
                            root: group == own,
                            form: Some(group) == typed,
                            variant: variant.contains(&text),
                        }
                    })
                    .collect()
            })
            .collect();
        FieldTerms {
            field,
            boost,
            segments,
        }
    }

    /// A query scoring one word as one BM25 term per field: its terms
    /// (every reading of each of its `stems`, plus its `readings`, see
    /// [`Planner::field_terms`]) and their matches, from the index's word
    /// cache when this commit has seen the word (`rerank`: the word counts
    /// for the second ranking pass).
    fn word_query(
        &mut self,
        scope: Scope,
        stems: Option<&Vec<String>>,
        readings: &[String],
        rerank: bool,
    ) -> Box<dyn Query> {
        let variants = self.variants_of(readings);
        let key = format!(
            "{scope:?}\u{1}{}\u{1}{}\u{1}{}",
            readings.join(" "),
            stems.map(|s| s.join(" ")).unwrap_or_default(),
            variants.join(" ")
        );
        let caches = Arc::clone(&self.caches);
        let found = caches.words.get_or_try(&self.searcher.clone(), &key, || {
            let fields: Vec<FieldTerms> = self
                .fields_for(scope)
                .into_iter()
                .map(|(field, boost)| self.field_terms(field, boost, stems, readings, &variants))
                .collect();
            let word = ScoredWord::gather(&self.searcher, fields)?;
            let bytes = word.bytes();
            Ok::<_, tantivy::TantivyError>((Arc::new(word) as Arc<dyn Any + Send + Sync>, bytes))
        });
        match found.map(|w| w.downcast::<ScoredWord>()) {
            Ok(Ok(word)) => {
                if rerank {
                    self.words.push(Arc::clone(&word));
                }
                Box::new(WordQuery::new(word))
            }
            Ok(Err(_)) => Box::new(EmptyQuery),
            Err(e) => {
                self.error.get_or_insert(e);
                Box::new(EmptyQuery)
            }
        }
    }

    /// Other spellings of a name among `readings` (a word and its
    /// proclitic readings), when the planner has them: بوتن → بوتين.
    fn variants_of(&self, readings: &[String]) -> Vec<String> {
        let Some(map) = &self.spellings else {
            return Vec::new();
        };
        let mut out: Vec<String> = readings
            .iter()
            .filter_map(|r| map.get(r))
            .flatten()
            .filter(|v| !readings.contains(v))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn word(&mut self, text: &str, scope: Scope, positive: bool) -> Option<Box<dyn Query>> {
        let keyword = by_position(&mut self.keyword, text);
        let exact = by_position(&mut self.exact, text);
        if exact.is_empty() {
            return None;
        }
        if keyword.is_empty() {
            // Only stopwords (في، من، على): matching them would require them
            // in every hit and highlight them everywhere.
            self.warnings.push(format!(
                "ignored the common word {text:?} (search \"{text}\" as a phrase to require it)"
            ));
            return None;
        }
        let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (position, readings) in &exact {
            let stems = keyword.get(position).filter(|s| !s.is_empty()).cloned();
            if positive {
                if let Some(stems) = &stems {
                    self.highlight.keyword.extend(stems.iter().cloned());
                }
                self.highlight.exact.insert(readings[0].clone());
                self.highlight.exact.extend(self.variants_of(readings));
            }
            musts.push((
                Occur::Must,
                self.word_query(scope, stems.as_ref(), readings, positive),
            ));
        }
        Some(all_of(musts))
    }

    /// `word~`: each word of `text` as a plain word, or (four letters or
    /// more) any index word one edit from it, each as a plain word.
    fn fuzzy(&mut self, text: &str, scope: Scope, positive: bool) -> Option<Box<dyn Query>> {
        let fields: Vec<Field> = self.fields_for(scope).into_iter().map(|(f, _)| f).collect();
        let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for readings in by_position(&mut self.exact, text).into_values() {
            let literal = readings[0].clone();
            let mut alternatives = vec![Node::Word(literal.clone(), scope)];
            if fuzzy::widens(&literal) {
                let (variants, all) = fuzzy::variants(&self.searcher, &fields, &literal);
                if all > variants.len() {
                    self.warnings.push(format!(
                        "«{literal}~» matched the {} most frequent of the {all} words one edit away",
                        variants.len()
                    ));
                }
                alternatives.extend(variants.into_iter().map(|v| Node::Word(v, scope)));
            } else {
                self.warnings.push(format!(
                    "«{literal}» has under {} letters: matched as written, not within one edit",
                    fuzzy::MIN_LETTERS
                ));
            }
            let node = match alternatives.len() {
                1 => alternatives.remove(0),
                _ => Node::Or(alternatives),
            };
            if let Some(q) = self.node(&node, positive) {
                musts.push((Occur::Must, q));
            }
        }
        match musts.len() {
            0 => None,
            1 => musts.pop().map(|(_, q)| q),
            _ => Some(all_of(musts)),
        }
    }

    fn phrase(&mut self, text: &str, scope: Scope, positive: bool) -> Option<Box<dyn Query>> {
        let positions = self.exact_positions(text);
        self.phrase_positions(&positions, scope, positive)
    }

    /// The exact analyzer's readings of each word of `text`, in order,
    /// without the readings that only drop the article: a phrase with
    /// الرياض must not match رياض (a first name, or "gardens"), while
    /// بالرياض still matches الرياض.
    pub fn exact_positions(&mut self, text: &str) -> Vec<Vec<String>> {
        by_position(&mut self.exact, text)
            .into_values()
            .map(phrase_readings)
            .collect()
    }

    /// A phrase given as accepted terms per word, on the exact fields
    /// (`positive`: its words are highlighted).
    pub fn phrase_positions(
        &mut self,
        positions: &[Vec<String>],
        scope: Scope,
        positive: bool,
    ) -> Option<Box<dyn Query>> {
        if positions.is_empty() {
            return None;
        }
        if positive {
            if positions.len() == 1 {
                self.highlight.exact.extend(positions[0].iter().cloned());
            } else {
                self.highlight.phrases.push(positions.to_vec());
            }
        }
        if positions.len() == 1 {
            // One word: scored as one term, whichever reading matched.
            return Some(self.word_query(scope, None, &positions[0], false));
        }
        let key = format!(
            "phrase\u{1}{scope:?}\u{1}{}",
            positions
                .iter()
                .map(|p| p.join(" "))
                .collect::<Vec<_>>()
                .join("\u{1}")
        );
        let caches = Arc::clone(&self.caches);
        let found = caches.words.get_or_try(&self.searcher.clone(), &key, || {
            let combos = combinations(positions, MAX_PHRASE_VARIANTS);
            let per_field: Vec<Vec<Box<dyn Query>>> = self
                .fields_for(scope)
                .into_iter()
                .map(|(field, boost)| {
                    combos
                        .iter()
                        .map(|combo| {
                            let terms = combo
                                .iter()
                                .enumerate()
                                .map(|(i, t)| (i, Term::from_field_text(field, t)))
                                .collect();
                            boosted(Box::new(PhraseQuery::new_with_offset(terms)), boost)
                        })
                        .collect()
                })
                .collect();
            let matches = WordMatches::from_queries(&self.searcher, &per_field)?;
            let word = ScoredWord {
                fields: Vec::new(),
                matches,
                top: TopHits::default(),
            };
            let bytes = word.bytes();
            Ok::<_, tantivy::TantivyError>((Arc::new(word) as Arc<dyn Any + Send + Sync>, bytes))
        });
        match found.map(|w| w.downcast::<ScoredWord>()) {
            Ok(Ok(word)) => Some(Box::new(WordQuery::new(word))),
            Ok(Err(_)) => Some(Box::new(EmptyQuery)),
            Err(e) => {
                self.error.get_or_insert(e);
                Some(Box::new(EmptyQuery))
            }
        }
    }
}

#[cfg(test)]
mod tests;
