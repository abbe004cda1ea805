//! Search: turn a parsed query into a tantivy query, and collect the terms
//! to highlight.
//!
//! Ranking is BM25 over two fields, combined as follows (constants below):
//! - a word matches every index term whose keyword stem is one of its
//!   stems (OR-ed) and also, as a bonus clause, the word as typed
//!   (normalized), so an exact-form match scores above a match that needed
//!   stemming ([`EXACT_BOOST`]);
//! - every title clause is weighted by [`TITLE_BOOST`] against the body;
//! - a phrase matches with every proclitic reading of each word tried (at
//!   most [`MAX_PHRASE_VARIANTS`] combinations), positions exact.
//!
//! The index holds each word and its proclitic readings (the exact
//! analyzer), with no stemmed field: a keyword stem is matched through the
//! readings whose stem it is. A stem is a prefix of its readings, at most
//! [`MAX_SUFFIX_LETTERS`] letters shorter, so one range of the field's
//! dictionary per segment lists the candidates, and each is kept when it
//! is not a stopword and the stemmer gives it that stem: exactly the terms
//! the keyword analyzer would have matched. Each is weighted with the
//! stem's idf rather than its own ([`Planner::stem_queries`]). Two keyword
//! fields of stemmed readings cost 21% of indexing cycles; expanding words
//! to their written forms at search time instead of indexing readings made
//! phrases and entities 2-3 times slower, so readings stay in the index.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::parse::{Node, Scope};
use crate::analysis::analyzers::tokens;
use crate::analysis::clitics::is_arabic_word;
use crate::analysis::lexicon::is_stopword;
use crate::analysis::stem::stem;
use crate::analysis::Analyzer;
use crate::index::schema::{source_key, Fields};

/// Weight of a title match against a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// Weight of the exact-form bonus clause of a word.
pub const EXACT_BOOST: f32 = 1.5;
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

/// Builds tantivy queries from parsed queries.
pub struct Planner {
    fields: Fields,
    searcher: Searcher,
    keyword: tantivy::tokenizer::TextAnalyzer,
    exact: tantivy::tokenizer::TextAnalyzer,
    /// Terms found for a stem in a field, with their document frequencies.
    stem_terms: HashMap<(Field, String), Vec<(String, u64)>>,
    /// Terms collected from the positive parts of the query.
    pub highlight: HighlightTerms,
    /// What the planner left out (common words), for the user.
    pub warnings: Vec<String>,
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

/// BM25's inverse document frequency, as tantivy computes it.
fn idf(doc_freq: u64, docs: u64) -> f32 {
    let (n, d) = (doc_freq as f32, docs as f32);
    (1.0 + (d - n + 0.5) / (n + 0.5)).ln()
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

fn any_of(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

impl Planner {
    /// The index fields this planner queries.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A planner over an index's fields, looking up words with `searcher`.
    pub fn new(fields: Fields, searcher: &Searcher) -> Self {
        Planner {
            fields,
            searcher: searcher.clone(),
            keyword: Analyzer::Keyword.build(),
            exact: Analyzer::Exact.build(),
            stem_terms: HashMap::new(),
            highlight: HighlightTerms::default(),
            warnings: Vec::new(),
        }
    }

    /// The tantivy query for a parsed query (`None`: nothing searchable).
    pub fn plan(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        self.node(node, true)
    }

    fn node(&mut self, node: &Node, positive: bool) -> Option<Box<dyn Query>> {
        match node {
            Node::Word(text, scope) => self.word(text, *scope, positive),
            Node::Phrase(text, scope) => self.phrase(text, *scope, positive),
            Node::Source(name) => Some(term_query(self.fields.source_key, &source_key(name), 1.0)),
            Node::And(items) => self.and(items, positive),
            Node::Or(items) => {
                let clauses: Vec<_> = items
                    .iter()
                    .filter_map(|n| self.node(n, positive))
                    .collect();
                (!clauses.is_empty()).then(|| any_of(clauses))
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

    fn and(&mut self, items: &[Node], positive: bool) -> Option<Box<dyn Query>> {
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
                        clauses.push((Occur::Must, q));
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
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn fields_for(&self, scope: Scope) -> Vec<(Field, f32)> {
        let f = &self.fields;
        let title = (f.title_exact, TITLE_BOOST);
        match scope {
            Scope::Title => vec![title],
            Scope::Any => vec![title, (f.body_exact, 1.0)],
        }
    }

    /// The terms (readings) of `field` whose keyword stem is `stem`, with
    /// their document frequencies (summed over segments), cached.
    fn stem_terms(&mut self, stem_text: &str, field: Field) -> Vec<(String, u64)> {
        let key = (field, stem_text.to_string());
        if let Some(terms) = self.stem_terms.get(&key) {
            return terms.clone();
        }
        // Words that are not Arabic are neither split nor stemmed.
        let max_suffix = if is_arabic_word(stem_text) {
            MAX_SUFFIX_LETTERS
        } else {
            0
        };
        let mut upper = stem_text.as_bytes().to_vec();
        upper.push(0xFF); // above every byte of UTF-8 text
        let mut terms: Vec<(String, u64)> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let range = inverted.terms().range().ge(stem_text.as_bytes()).lt(&upper);
            let Ok(mut stream) = range.into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let doc_freq = u64::from(stream.value().doc_freq);
                if let Some(known) = terms.iter_mut().find(|(t, _)| t == term) {
                    known.1 += doc_freq;
                    continue;
                }
                let short = term[stem_text.len()..].chars().nth(max_suffix).is_none();
                if short && !is_stopword(term) && stem(term) == stem_text {
                    terms.push((term.to_string(), doc_freq));
                }
            }
        }
        self.stem_terms.insert(key, terms.clone());
        terms
    }

    /// Term queries for every index term of `stem`, each boosted so that
    /// it weighs as the stem would as one term (BM25's idf of the stem's
    /// document frequency, taken as the sum of its terms', instead of each
    /// term's own: a rare inflection must not outrank the common form).
    fn stem_queries(&mut self, stem_text: &str, field: Field, boost: f32) -> Vec<Box<dyn Query>> {
        let terms = self.stem_terms(stem_text, field);
        let docs = self.searcher.num_docs();
        let stem_freq: u64 = terms.iter().map(|(_, n)| n).sum::<u64>().min(docs);
        let stem_idf = idf(stem_freq, docs);
        terms
            .iter()
            .map(|(term, n)| {
                let own = idf(*n, docs);
                let scale = if own > 0.0 { stem_idf / own } else { 1.0 };
                term_query(field, term, boost * scale)
            })
            .collect()
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
            let stems = keyword.get(position).filter(|s| !s.is_empty());
            let mut clauses = Vec::new();
            for (exact_field, boost) in self.fields_for(scope) {
                if let Some(stems) = stems {
                    for s in stems {
                        clauses.extend(self.stem_queries(s, exact_field, boost));
                    }
                }
                clauses.push(term_query(exact_field, &readings[0], boost * EXACT_BOOST));
                if stems.is_none() {
                    for reading in &readings[1..] {
                        clauses.push(term_query(exact_field, reading, boost));
                    }
                }
            }
            if positive {
                if let Some(stems) = stems {
                    self.highlight.keyword.extend(stems.iter().cloned());
                }
                self.highlight.exact.insert(readings[0].clone());
            }
            musts.push((Occur::Must, any_of(clauses)));
        }
        Some(Box::new(BooleanQuery::new(musts)))
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
            .map(|readings| {
                let keep: Vec<String> = readings
                    .iter()
                    .filter(|r| !readings.contains(&format!("ال{r}")))
                    .cloned()
                    .collect();
                if keep.is_empty() {
                    readings
                } else {
                    keep
                }
            })
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
        let combos = combinations(positions, MAX_PHRASE_VARIANTS);
        let mut clauses = Vec::new();
        for (exact_field, boost) in self.fields_for(scope) {
            for combo in &combos {
                let q: Box<dyn Query> = if combo.len() == 1 {
                    term_query(exact_field, &combo[0], boost)
                } else {
                    let terms = combo
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (i, Term::from_field_text(exact_field, t)))
                        .collect();
                    boosted(Box::new(PhraseQuery::new_with_offset(terms)), boost)
                };
                clauses.push(q);
            }
        }
        if clauses.is_empty() {
            return Some(Box::new(EmptyQuery));
        }
        Some(any_of(clauses))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A planner over a small in-memory index of `texts` (as bodies).
    fn planner_over(texts: &[&str]) -> Planner {
        let schema = crate::index::schema::build_schema();
        let fields = crate::index::schema::fields(&schema, std::path::Path::new("."))
            .expect("fields of our own schema");
        let index = tantivy::Index::create_in_ram(schema);
        crate::analysis::register(index.tokenizers());
        let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let mut normalizer = crate::analysis::normalized::TextNormalizer::default();
        for text in texts {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(fields.body_exact, &normalizer.read(text).slots);
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        Planner::new(fields, &searcher)
    }

    fn planner() -> Planner {
        planner_over(&[])
    }

    /// Every (reading, stem) pair the keyword analyzer makes of a word:
    /// the stem finds the reading, so the word's documents match as they
    /// did through a stemmed field.
    #[test]
    fn every_reading_of_the_corpus_is_found_through_its_stem() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let texts: Vec<String> = walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut p = planner_over(&refs);
        let body = p.fields().body_exact;
        let mut normalizer = crate::analysis::normalized::TextNormalizer::default();
        let mut words: Vec<String> = Vec::new();
        for text in &texts {
            let norm = normalizer.read(text);
            words.extend(norm.words.iter().map(|w| norm.word(w).to_string()));
        }
        words.sort();
        words.dedup();
        let mut checked = 0;
        for word in &words {
            let mut readings = Vec::new();
            crate::analysis::clitics::proclitic_variants(word, &mut readings);
            for reading in readings.iter().filter(|r| !is_stopword(r)) {
                let s = stem(reading);
                let found = p.stem_terms(s, body);
                assert!(
                    found.iter().any(|(t, _)| t == reading),
                    "{word}: {reading} not found through {s}: {found:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked} readings checked");
    }

    #[test]
    fn stems_find_only_readings_with_that_stem() {
        let mut p = planner_over(&[
            "والمعتقلين معتقل المعتقلون للمعتقلين معتقلات",
            "الحكومة للحكومة وبالحكومة حكومتان حكومي الحكومية",
            "معتقد معتقدات مهتم",
        ]);
        let body = p.fields().body_exact;
        let mut terms = p.stem_terms("معتقل", body);
        terms.sort();
        assert_eq!(
            terms,
            vec![
                ("معتقل".to_string(), 1),
                ("معتقلات".to_string(), 1),
                ("معتقلون".to_string(), 1),
                ("معتقلين".to_string(), 1)
            ]
        );
        let terms: Vec<String> = p
            .stem_terms("حكوم", body)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        for t in ["حكومه", "حكومي", "حكوميه"] {
            assert!(terms.iter().any(|x| x == t), "{t} in {terms:?}");
        }
        assert!(!terms.iter().any(|x| x.starts_with("ال")), "{terms:?}");
        assert!(p
            .stem_terms("معتقد", body)
            .iter()
            .all(|(w, _)| w.starts_with("معتقد")));
        assert!(p.stem_terms("مهتمون", body).is_empty());
    }

    #[test]
    fn phrase_words_keep_the_article() {
        let mut p = planner();
        assert_eq!(
            p.exact_positions("الرياض"),
            vec![vec!["الرياض".to_string()]]
        );
        assert_eq!(
            p.exact_positions("بالرياض"),
            vec![vec!["بالرياض".to_string(), "الرياض".to_string()]]
        );
        assert_eq!(
            p.exact_positions("لقوات"),
            vec![vec!["لقوات".to_string(), "قوات".to_string()]]
        );
    }

    #[test]
    fn combinations_literal_first_and_capped() {
        let positions = vec![
            vec!["لقوات".to_string(), "قوات".to_string()],
            vec!["سوريا".to_string()],
        ];
        let combos = combinations(&positions, 16);
        assert_eq!(combos[0], vec!["لقوات", "سوريا"]);
        assert_eq!(combos.len(), 2);
        let many: Vec<Vec<String>> = (0..10)
            .map(|i| vec![format!("a{i}"), format!("b{i}"), format!("c{i}")])
            .collect();
        assert!(combinations(&many, 16).len() <= 16);
    }
}
