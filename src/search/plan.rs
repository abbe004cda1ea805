//! Search: turn a parsed query into a tantivy query, and collect the terms
//! to highlight.
//!
//! Ranking is BM25 over four fields, combined as follows (constants below):
//! - a word matches through the keyword field (stemmed readings, OR-ed) and
//!   also, as a bonus clause, through the exact field with the word as typed
//!   (normalized), so an exact-form match scores above a match that needed
//!   stemming ([`EXACT_BOOST`]);
//! - every title clause is weighted by [`TITLE_BOOST`] against the body;
//! - a phrase matches the exact fields with every proclitic reading of each
//!   word tried (at most [`MAX_PHRASE_VARIANTS`] combinations), positions
//!   exact.

use std::collections::BTreeMap;
use std::collections::HashSet;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::parse::{Node, Scope};
use crate::analysis::analyzers::tokens;
use crate::analysis::Analyzer;
use crate::index::schema::{source_key, Fields};

/// Weight of a title match against a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// Weight of the exact-form bonus clause of a word.
pub const EXACT_BOOST: f32 = 1.5;
/// Most proclitic-reading combinations tried for one phrase.
pub const MAX_PHRASE_VARIANTS: usize = 16;

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
    keyword: tantivy::tokenizer::TextAnalyzer,
    exact: tantivy::tokenizer::TextAnalyzer,
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
        IndexRecordOption::WithFreqsAndPositions,
    );
    boosted(Box::new(q), boost)
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

    /// A planner over an index's fields.
    pub fn new(fields: Fields) -> Self {
        Planner {
            fields,
            keyword: Analyzer::Keyword.build(),
            exact: Analyzer::Exact.build(),
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

    fn fields_for(&self, scope: Scope) -> Vec<(Field, Field, f32)> {
        let f = &self.fields;
        let title = (f.title_kw, f.title_exact, TITLE_BOOST);
        match scope {
            Scope::Title => vec![title],
            Scope::Any => vec![title, (f.body_kw, f.body_exact, 1.0)],
        }
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
            for (kw_field, exact_field, boost) in self.fields_for(scope) {
                if let Some(stems) = stems {
                    for stem in stems {
                        clauses.push(term_query(kw_field, stem, boost));
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
        for (_, exact_field, boost) in self.fields_for(scope) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn planner() -> Planner {
        let schema = crate::index::schema::build_schema();
        let fields = crate::index::schema::fields(&schema, std::path::Path::new("."))
            .expect("fields of our own schema");
        Planner::new(fields)
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
