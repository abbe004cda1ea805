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
//!   word tried, positions exact.
//!
//! The exact fields index words as written (normalized, one term per
//! word): a reading is matched there through its written forms
//! ([`clitic_forms`]: الامم through الامم، للامم، والامم…), a term query per
//! form for single words and one alternation per word in a
//! [`RegexPhraseQuery`] for phrases. Indexing the readings instead cost
//! 18% of indexing instructions (0.38 more terms per word).

use std::collections::BTreeMap;
use std::collections::HashSet;
use std::sync::Arc;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, Query, RegexPhraseQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;
use tantivy_fst::Regex;

use super::parse::{Node, Scope};
use crate::analysis::analyzers::tokens;
use crate::analysis::clitics::clitic_forms;
use crate::analysis::Analyzer;
use crate::index::schema::{source_key, Fields};

/// Weight of a title match against a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// Weight of the exact-form bonus clause of a word.
pub const EXACT_BOOST: f32 = 1.5;
/// Most index terms one phrase word may expand to, per segment.
pub const MAX_PHRASE_EXPANSIONS: u32 = 1 << 12;

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
        IndexRecordOption::WithFreqs,
    );
    boosted(Box::new(q), boost)
}

/// Every written form of the readings `readings`, once each.
fn forms_of<'a>(readings: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut forms: Vec<String> = Vec::new();
    for reading in readings {
        for form in clitic_forms(reading) {
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    forms
}

/// A reading on an exact field: any of its written forms.
fn exact_query(field: Field, reading: &str, boost: f32) -> Box<dyn Query> {
    let forms = clitic_forms(reading);
    if forms.len() == 1 {
        return term_query(field, reading, boost);
    }
    boosted(
        any_of(forms.iter().map(|f| term_query(field, f, 1.0)).collect()),
        boost,
    )
}

/// A regular expression matching exactly the written forms of `readings`
/// ([`forms_of`]).
///
/// Written factored, prefixes first and each reading once: a form is a
/// clitic prefix plus the reading, or (لل) plus the reading without its
/// first letter. A flat alternation of forms compiles to a DFA as large as
/// all the forms together, over tantivy's limit of 1,000 states for long
/// words; factored, the forms share the reading's states.
fn alternation(readings: &[String]) -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for reading in readings {
        let shorter = reading
            .char_indices()
            .nth(1)
            .map_or("", |(i, _)| &reading[i..]);
        for form in clitic_forms(reading) {
            let (suffix, prefix) = match form.strip_suffix(reading.as_str()) {
                Some(prefix) => (reading.as_str(), prefix),
                None => match form.strip_suffix(shorter) {
                    Some(prefix) if !shorter.is_empty() => (shorter, prefix),
                    _ => (form.as_str(), ""),
                },
            };
            let prefix = prefix.to_string();
            match groups.iter_mut().find(|(s, _)| s == suffix) {
                Some((_, prefixes)) if !prefixes.contains(&prefix) => prefixes.push(prefix),
                Some(_) => {}
                None => groups.push((suffix.to_string(), vec![prefix])),
            }
        }
    }
    let branches: Vec<String> = groups
        .iter()
        .map(|(suffix, prefixes)| {
            let optional = prefixes.iter().any(String::is_empty);
            let alternatives: Vec<String> = prefixes
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| regex_syntax::escape(p))
                .collect();
            let head = match (alternatives.is_empty(), optional) {
                (true, _) => String::new(),
                (false, true) => format!("(?:{})?", alternatives.join("|")),
                (false, false) => format!("(?:{})", alternatives.join("|")),
            };
            format!("{head}{}", regex_syntax::escape(suffix.as_str()))
        })
        .collect();
    format!("(?:{})", branches.join("|"))
}

/// A phrase of at least two words on an exact field, each word any written
/// form of its readings. Should a word's pattern not compile (tantivy's
/// automaton has a state limit), that word matches its literal only (and
/// should even that fail, the phrase matches nothing).
fn phrase_query(field: Field, positions: &[Vec<String>]) -> Box<dyn Query> {
    let compile = |pattern: String| Regex::new(&pattern).ok().map(|r| (pattern, Arc::new(r)));
    let terms: Option<Vec<(usize, String, Arc<Regex>)>> = positions
        .iter()
        .enumerate()
        .map(|(i, readings)| {
            let (pattern, regex) = compile(alternation(readings))
                .or_else(|| compile(regex_syntax::escape(readings.first()?)))?;
            Some((i, pattern, regex))
        })
        .collect();
    match terms {
        Some(terms) if terms.len() > 1 => {
            let mut q = RegexPhraseQuery::from_regexes(field, terms, 0);
            q.set_max_expansions(MAX_PHRASE_EXPANSIONS);
            Box::new(q)
        }
        _ => Box::new(EmptyQuery),
    }
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
                clauses.push(exact_query(exact_field, &readings[0], boost * EXACT_BOOST));
                if stems.is_none() {
                    for reading in &readings[1..] {
                        clauses.push(exact_query(exact_field, reading, boost));
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
        let forms: Vec<Vec<String>> = positions.iter().map(forms_of).collect();
        let mut clauses = Vec::new();
        for (_, exact_field, boost) in self.fields_for(scope) {
            let q: Box<dyn Query> = if let [single] = forms.as_slice() {
                any_of(
                    single
                        .iter()
                        .map(|f| term_query(exact_field, f, 1.0))
                        .collect(),
                )
            } else {
                phrase_query(exact_field, positions)
            };
            clauses.push(boosted(q, boost));
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
    fn alternation_matches_exactly_the_written_forms() {
        let cases: &[&[&str]] = &[
            &["الامم"],
            &["بالرياض", "الرياض"],
            &[
                "وللمعتقلين",
                "للمعتقلين",
                "لمعتقلين",
                "المعتقلين",
                "معتقلين",
            ],
            &["a.b"],
            &["3+4"],
            &["لبنان"],
        ];
        for readings in cases {
            let readings: Vec<String> = readings.iter().map(|r| r.to_string()).collect();
            let pattern = format!("^{}$", alternation(&readings));
            let re = regex::Regex::new(&pattern).expect("valid");
            let forms = forms_of(&readings);
            for f in &forms {
                assert!(re.is_match(f), "{pattern} misses {f}");
            }
            // Every string the pattern accepts among plausible neighbours
            // is a form.
            for r in &readings {
                for p in ["", "و", "ف", "ب", "ل", "لل", "ال", "وال", "x", "ا"] {
                    for candidate in [format!("{p}{r}"), format!("{r}{p}")] {
                        if re.is_match(&candidate) {
                            assert!(forms.contains(&candidate), "{pattern} takes {candidate}");
                        }
                    }
                }
            }
        }
        let re = regex::Regex::new(&format!("^{}$", alternation(&["a.b".to_string()]))).unwrap();
        assert!(!re.is_match("axb"));
    }
}
