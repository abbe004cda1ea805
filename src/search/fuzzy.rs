//! Search: words within a few edits of a word, from the index's own
//! dictionaries — the fuzzy matching of `word~` and `--fuzzy`, and the
//! candidates of "did you mean" ([`super::suggest`]).
//!
//! Words are compared as the index holds them: normalized (hamza seats,
//! alef maqsura, taa marbuta, diacritics and tatweel folded), so an edit
//! is an edit over normalized letters. tantivy's Levenshtein automaton
//! (`FuzzyTermQuery::automaton`, a swapped pair counting as one edit)
//! walks each segment's term dictionary; nothing is scanned term by term.
//!
//! `word~` (or every word with `--fuzzy`) matches the word itself, as a
//! plain word does (its stems and attached particles), or any index word
//! within one edit of it, each of those as a plain word too. Only words
//! of [`MIN_LETTERS`] letters or more are widened: one edit in a shorter
//! word is a different word too often (قطر/قمر/عطر). The widest words
//! match at most [`MAX_VARIANTS`] other words, the most frequent ones,
//! and the search says so.

use std::collections::HashMap;

use tantivy::postings::TermInfo;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{InvertedIndexReader, Searcher, Term};

use crate::analysis::is_stopword;

/// Fewest letters of a word that `~` widens.
pub const MIN_LETTERS: usize = 4;
/// Most other words one fuzzy word matches.
pub const MAX_VARIANTS: usize = 30;

/// Calls `found(segment ordinal, field, dictionary, term, info)` for each
/// term of `fields` within `distance` edits of the normalized `word`
/// (the word itself included).
pub fn each_within(
    searcher: &Searcher,
    fields: &[Field],
    word: &str,
    distance: u8,
    found: &mut dyn FnMut(usize, Field, &InvertedIndexReader, &str, &TermInfo),
) {
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        for &field in fields {
            let query = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
            let (Ok(automaton), Ok(inverted)) = (query.automaton(), reader.inverted_index(field))
            else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    found(ord, field, &inverted, term, stream.value());
                }
            }
        }
    }
}

/// The words of `fields` one edit from the normalized `word` (not the
/// word itself, no function words), most articles first, at most
/// [`MAX_VARIANTS`]; and how many there were in all.
pub fn variants(searcher: &Searcher, fields: &[Field], word: &str) -> (Vec<String>, usize) {
    let mut docs: HashMap<String, u64> = HashMap::new();
    each_within(searcher, fields, word, 1, &mut |_, _, _, term, info| {
        if term != word && !is_stopword(term) {
            let n = docs.entry(term.to_string()).or_default();
            *n = (*n).max(u64::from(info.doc_freq));
        }
    });
    let all = docs.len();
    let mut found: Vec<(String, u64)> = docs.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    found.truncate(MAX_VARIANTS);
    (found.into_iter().map(|(t, _)| t).collect(), all)
}

/// True when `word` (normalized) is long enough to widen.
pub fn widens(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= MIN_LETTERS
}
