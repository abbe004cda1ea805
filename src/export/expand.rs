//! Export: query DSL for the pre-analyzed layout (`layout.rs`), where the
//! cluster indexes each word as written (normalized) and the stems of its
//! readings, and the query carries akhbar's analysis instead.
//!
//! In akhbar's index a query word `q` matches a written word `w` when one
//! of `w`'s proclitic readings is `q`; `clitic_forms(q)` lists exactly those
//! `w` (the splitter's inverse, each candidate checked by the splitter), so
//! a phrase asks, at each position, for the written forms of the readings
//! that position accepts (a `match_phrase` whose alternatives are stacked
//! at their position: a `MultiPhraseQuery`). Keyword matching needs no
//! expansion: the stem fields hold the stems of every reading, as the
//! analysis chain's `.stem` fields do; the word's stems are stacked the
//! same way (one `SynonymQuery`, as the chain makes of them).

use std::collections::BTreeMap;

use serde_json::{json, Value};
use tantivy::tokenizer::TextAnalyzer;

use super::layout::{stems_field, words_field};
use crate::analysis::{clitic_forms, normalize, phrase_readings, tokens, Analyzer};

/// The search analyzer of the pre-analyzed layout's queries: white space
/// split, then each token's `|`-separated alternatives stacked at its
/// position (`pattern_capture`).
pub const ALTERNATIVES: &str = "akhbar_alternatives";

/// Most written forms asked for at one position of a phrase (a word has a
/// few readings of a few dozen forms each; this bounds a pathological
/// query, never a real one).
const MAX_FORMS: usize = 512;

/// Builds the pre-analyzed layout's clauses; one per translation.
pub struct Expander {
    exact: TextAnalyzer,
    keyword: TextAnalyzer,
}

impl Default for Expander {
    fn default() -> Self {
        Expander {
            exact: Analyzer::Exact.build(),
            keyword: Analyzer::Keyword.build(),
        }
    }
}

/// At least one of `clauses` (the clause itself when there is one).
fn any(mut clauses: Vec<Value>) -> Value {
    if clauses.len() == 1 {
        return clauses.remove(0);
    }
    json!({ "bool": { "should": clauses, "minimum_should_match": 1 } })
}

/// Every written form of any of `readings`, sorted, at most [`MAX_FORMS`].
fn forms(readings: &[String]) -> Vec<String> {
    let mut out: Vec<String> = readings.iter().flat_map(|r| clitic_forms(r)).collect();
    out.sort();
    out.dedup();
    out.truncate(MAX_FORMS);
    out
}

/// The tokens of `text` by position.
fn by_position(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Vec<String>> {
    let mut map: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for t in tokens(analyzer, text) {
        map.entry(t.position).or_default().push(t.text);
    }
    map.into_values().collect()
}

impl Expander {
    /// A word: one of its stems required in one of `fields` (a stem per
    /// position, when the word splits into several), its written forms
    /// scoring `bonus` times more; `None` when the keyword analyzer drops
    /// it (a stopword).
    pub fn word(&mut self, text: &str, fields: &[(&str, f32)], bonus: f32) -> Option<Value> {
        let positions = by_position(&mut self.keyword, text);
        if positions.is_empty() {
            return None;
        }
        let required = any(fields
            .iter()
            .map(|(field, boost)| alternatives("match", &stems_field(field), &positions, *boost))
            .collect());
        let written = [forms(&[normalize(text)])];
        let scoring: Vec<Value> = fields
            .iter()
            .map(|(field, boost)| {
                alternatives("match", &words_field(field), &written, boost * bonus)
            })
            .collect();
        Some(json!({ "bool": { "must": [required], "should": scoring } }))
    }

    /// A phrase on the word fields of `fields`; `None` when it has no word.
    pub fn phrase(&mut self, text: &str, fields: &[(&str, f32)]) -> Option<Value> {
        let positions: Vec<Vec<String>> = by_position(&mut self.exact, text)
            .into_iter()
            .map(|readings| forms(&phrase_readings(readings)))
            .collect();
        if positions.is_empty() {
            return None;
        }
        Some(any(fields
            .iter()
            .map(|(field, boost)| {
                alternatives("match_phrase", &words_field(field), &positions, *boost)
            })
            .collect()))
    }

    /// `word~`: the words of `fields` one edit from the word as typed
    /// (normalized); approximate, as in the analysis-chain layout.
    pub fn fuzzy(&self, text: &str, fields: &[(&str, f32)]) -> Value {
        let typed = normalize(text);
        any(fields
            .iter()
            .map(|(field, boost)| {
                json!({ "match": { words_field(field): {
                    "query": typed, "fuzziness": 1, "operator": "and", "boost": boost
                } } })
            })
            .collect())
    }
}

/// A `match` (`operator: and`) or `match_phrase` query on `field` whose
/// text is the alternatives of each position, `|`-separated, positions
/// separated by spaces, read by [`ALTERNATIVES`]: the alternatives of one
/// position are stacked there, so Lucene makes one `SynonymQuery` of them
/// (one BM25 term, as the analysis chain's readings are) and a phrase a
/// `MultiPhraseQuery`.
fn alternatives(kind: &str, field: &str, positions: &[Vec<String>], boost: f32) -> Value {
    let query = positions
        .iter()
        .map(|p| p.join("|"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut params = json!({ "query": query, "analyzer": ALTERNATIVES, "boost": boost });
    if kind == "match" {
        params["operator"] = json!("and");
    }
    json!({ kind: { field: params } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_asks_for_its_stems_and_scores_its_written_forms() {
        let mut x = Expander::default();
        let q = x.word("الحكومة", &[("body", 1.0)], 1.5).expect("a word");
        let stems = q["bool"]["must"][0]["match"]["body_stems"]["query"]
            .as_str()
            .expect("stems");
        assert!(stems.split('|').any(|s| s == "حكوم"), "{q}");
        let written = q["bool"]["should"][0]["match"]["body_words"]["query"]
            .as_str()
            .expect("forms");
        for form in ["الحكومه", "والحكومه", "بالحكومه", "للحكومه"] {
            assert!(
                written.split('|').any(|w| w == form),
                "{form} not in {written}"
            );
        }
        assert!(x.word("في", &[("body", 1.0)], 1.5).is_none());
    }

    #[test]
    fn a_phrase_stacks_the_forms_of_each_position() {
        let mut x = Expander::default();
        let q = x
            .phrase("الأمم المتحدة", &[("title", 2.0)])
            .expect("a phrase");
        let params = &q["match_phrase"]["title_words"];
        assert_eq!(params["analyzer"], json!(ALTERNATIVES));
        let query = params["query"].as_str().expect("query");
        let positions: Vec<&str> = query.split(' ').collect();
        assert_eq!(positions.len(), 2, "{query}");
        let first: Vec<&str> = positions[0].split('|').collect();
        // للامم is ل + الامم; امم alone is an article-only reading: not asked
        assert!(first.contains(&"للامم"), "{query}");
        assert!(!first.contains(&"امم"), "{query}");
    }
}
