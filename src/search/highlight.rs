//! Search: find the matched words in an article and cut snippets around
//! them.
//!
//! A word is highlighted when any of its analyzed terms is a query term, so
//! the highlight covers the whole original word: diacritics, tatweel and
//! attached particles included, and never a lone ال. Snippets are measured
//! in characters (not bytes, unlike tantivy's `SnippetGenerator` budget),
//! cut at spaces so no word, character or combining mark is split, and
//! keep the text's logical order with no direction marks added. Line breaks
//! inside a snippet become spaces (same byte length, so offsets hold).

use std::cell::RefCell;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::plan::HighlightTerms;
use crate::analysis::is_stopword;
use crate::analysis::stem;
use crate::analysis::{consecutive, exact_words, Word};

/// Characters in one snippet, about.
pub const SNIPPET_CHARS: usize = 200;
/// Characters of context kept before the first highlight of a snippet.
pub const CONTEXT_CHARS: usize = 60;
/// Most snippets per article.
pub const MAX_SNIPPETS: usize = 3;

/// A piece of article text with the byte ranges of the matched words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The text.
    pub text: String,
    /// Byte ranges of matched words in `text`, in order, not overlapping.
    pub highlights: Vec<Range<usize>>,
}

/// Finds matched words in article text.
pub struct Highlighter {
    terms: HighlightTerms,
    /// Whether a word matches a keyword or exact term, by its first
    /// reading (the normalized word, which its other readings follow
    /// from): the hits of one query repeat their words.
    known: RefCell<FxHashMap<String, bool>>,
}

impl Highlighter {
    /// A highlighter for the given query terms.
    pub fn new(terms: HighlightTerms) -> Self {
        Highlighter {
            terms,
            known: RefCell::default(),
        }
    }

    /// Byte ranges of the matched words of `text`, sorted, merged.
    pub fn matches(&self, text: &str) -> Vec<Range<usize>> {
        let words = self.words(text);
        self.matches_in(&words)
    }

    /// The text's words as the exact analyzer reads them, for
    /// [`Highlighter::matches_in`], [`Highlighter::snippets_in`] and entity
    /// extraction: one analysis of a text serves all three.
    pub fn words(&self, text: &str) -> Vec<Word> {
        exact_words(text)
    }

    /// Byte ranges of the matched words among `words`, sorted, merged. A
    /// word matches a keyword term through the keyword analyzer's own
    /// steps on its readings (stopwords out, then the light stem), so the
    /// text is analyzed once.
    pub fn matches_in(&self, words: &[Word]) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        let mut known = self.known.borrow_mut();
        for w in words {
            let Some(first) = w.readings.first() else {
                continue;
            };
            let matched = match known.get(first) {
                Some(&matched) => matched,
                None => {
                    let matched = self.word_matches(w);
                    known.insert(first.clone(), matched);
                    matched
                }
            };
            if matched {
                ranges.push(w.range.clone());
            }
        }
        for phrase in &self.terms.phrases {
            phrase_matches(words, phrase, &mut ranges);
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup();
        ranges
    }

    /// True when a reading of `w` is an exact term, or its light stem (a
    /// stopword has none) a keyword term.
    fn word_matches(&self, w: &Word) -> bool {
        let exact = w.readings.iter().any(|r| self.terms.exact.contains(r));
        exact
            || (!self.terms.keyword.is_empty()
                && w.readings
                    .iter()
                    .any(|r| !is_stopword(r) && self.terms.keyword.contains(stem(r))))
    }

    /// Occurrences of any of `phrases` (accepted terms per word) among
    /// `words`.
    pub fn count_phrases(&self, words: &[Word], phrases: &[Vec<Vec<String>>]) -> usize {
        let mut ranges = Vec::new();
        for phrase in phrases {
            let mut found = Vec::new();
            phrase_matches(words, phrase, &mut found);
            ranges.extend(found.chunks(phrase.len().max(1)).map(|c| c[0].clone()));
        }
        ranges.sort_by_key(|r| r.start);
        ranges.dedup();
        ranges.len()
    }

    /// Up to `MAX_SNIPPETS` snippets of `text` around its matches, in
    /// text order; the opening of the text when nothing matches.
    pub fn snippets(&self, text: &str) -> Vec<Snippet> {
        let words = self.words(text);
        self.snippets_in(text, &words)
    }

    /// As [`Highlighter::snippets`], with the text's words already read.
    pub fn snippets_in(&self, text: &str, words: &[Word]) -> Vec<Snippet> {
        let matches = self.matches_in(words);
        if text.trim().is_empty() {
            return Vec::new();
        }
        if matches.is_empty() {
            let end = cut_forward(text, 0, SNIPPET_CHARS);
            return vec![make_snippet(text, 0..end, &[])];
        }
        let mut windows: Vec<(usize, Range<usize>)> = Vec::new();
        let mut i = 0;
        while i < matches.len() {
            let start = cut_backward(text, matches[i].start, CONTEXT_CHARS);
            let end = cut_forward(text, start, SNIPPET_CHARS).max(matches[i].end);
            let inside: Vec<&Range<usize>> =
                matches[i..].iter().take_while(|m| m.end <= end).collect();
            let distinct: std::collections::HashSet<&str> =
                inside.iter().map(|m| &text[(*m).clone()]).collect();
            windows.push((distinct.len(), start..end));
            i += inside.len().max(1);
        }
        windows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.start.cmp(&b.1.start)));
        windows.truncate(MAX_SNIPPETS);
        windows.sort_by_key(|w| w.1.start);
        windows
            .into_iter()
            .map(|(_, range)| make_snippet(text, range, &matches))
            .collect()
    }
}

/// Pushes the ranges of every word of every occurrence of `phrase`.
fn phrase_matches(words: &[Word], phrase: &[Vec<String>], ranges: &mut Vec<Range<usize>>) {
    if phrase.is_empty() || words.len() < phrase.len() {
        return;
    }
    for start in 0..=words.len() - phrase.len() {
        let run = &words[start..start + phrase.len()];
        let matching = run
            .iter()
            .zip(phrase)
            .all(|(w, accepted)| w.readings.iter().any(|r| accepted.contains(r)));
        if consecutive(run) && matching {
            ranges.extend(run.iter().map(|w| w.range.clone()));
        }
    }
}

fn make_snippet(text: &str, range: Range<usize>, matches: &[Range<usize>]) -> Snippet {
    let piece = &text[range.clone()];
    let trimmed_start = piece.len() - piece.trim_start().len();
    let piece_trimmed = piece.trim();
    let base = range.start + trimmed_start;
    let highlights = matches
        .iter()
        .filter(|m| m.start >= base && m.end <= base + piece_trimmed.len())
        .map(|m| m.start - base..m.end - base)
        .collect();
    Snippet {
        text: piece_trimmed.replace(['\n', '\r', '\t'], " "),
        highlights,
    }
}

/// A byte offset at or before `at`, about `chars` characters back, just
/// after a whitespace (or 0).
fn cut_backward(text: &str, at: usize, chars: usize) -> usize {
    let head = &text[..at];
    let mut start = head
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if start == 0 {
        return 0;
    }
    // Move forward to the start of the next word.
    match text[start..at].find(char::is_whitespace) {
        Some(ws) => {
            start += ws;
            start + text[start..].chars().next().map_or(0, char::len_utf8)
        }
        None => at,
    }
}

/// A byte offset about `chars` characters after `from`, just before a
/// whitespace (or the end of the text).
fn cut_forward(text: &str, from: usize, chars: usize) -> usize {
    let tail = &text[from..];
    let Some((limit, _)) = tail.char_indices().nth(chars) else {
        return text.len();
    };
    match tail[..limit].rfind(char::is_whitespace) {
        Some(ws) if ws > 0 => from + ws,
        _ => {
            from + limit
                + tail[limit..]
                    .find(char::is_whitespace)
                    .unwrap_or(tail.len() - limit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(keyword: &[&str], exact: &[&str]) -> Highlighter {
        Highlighter::new(HighlightTerms {
            keyword: keyword.iter().map(|s| s.to_string()).collect(),
            exact: exact.iter().map(|s| s.to_string()).collect(),
            phrases: Vec::new(),
        })
    }

    #[test]
    fn phrases_highlight_only_where_the_phrase_stands() {
        let text = "قالت قوات الأمن إن سوريا… ثم أعلنت لِقوات سوريا الديمقراطية";
        let phrase = vec![
            vec!["قوات".to_string()],
            vec!["سوريا".to_string()],
            vec!["الديمقراطيه".to_string()],
        ];
        let h = Highlighter::new(HighlightTerms {
            phrases: vec![phrase],
            ..HighlightTerms::default()
        });
        let found: Vec<&str> = h.matches(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, vec!["لِقوات", "سوريا", "الديمقراطية"]);
    }

    #[test]
    fn whole_original_words_are_highlighted() {
        let text = "قال الوزير إن وَلِلمُعْتَقَلِينَ حقوقاً، وإن المعتقلون ينتظرون.";
        let h = highlighter(&["معتقل"], &[]);
        let found: Vec<&str> = h.matches(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, vec!["وَلِلمُعْتَقَلِينَ", "المعتقلون"]);
    }

    #[test]
    fn article_alone_is_never_highlighted() {
        let text = "الاقتصاد والسياسة في الشرق";
        let h = highlighter(&["اقتصاد"], &["الاقتصاد"]);
        let found: Vec<&str> = h.matches(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, vec!["الاقتصاد"]);
    }

    #[test]
    fn snippets_slice_and_respect_budget() {
        let filler = "كلمة عادية في جملة طويلة ".repeat(40);
        let text = format!("{filler}ثم جاء ذِكرُ بيروتَ هنا {filler}وبيروت مرة أخرى {filler}");
        let h = highlighter(&["بيروت"], &["بيروت"]);
        let snippets = h.snippets(&text);
        assert!(!snippets.is_empty() && snippets.len() <= MAX_SNIPPETS);
        for s in &snippets {
            assert!(s.text.chars().count() <= SNIPPET_CHARS + 20, "{}", s.text);
            for r in &s.highlights {
                assert!(
                    s.text[r.clone()].contains("بيروت"),
                    "{:?}",
                    &s.text[r.clone()]
                );
            }
        }
        let total: usize = snippets.iter().map(|s| s.highlights.len()).sum();
        assert_eq!(total, 2);
    }

    #[test]
    fn no_match_gives_the_opening() {
        let h = highlighter(&["غائب"], &[]);
        let snippets = h.snippets("بداية النص\nثم بقيته");
        assert_eq!(snippets[0].text, "بداية النص ثم بقيته");
        assert!(snippets[0].highlights.is_empty());
    }
}
