//! Analysis helper: the words of a text with every reading the exact
//! analyzer gives each, for matching multi-word names and phrases against
//! the original text (highlights, entity mentions).
//!
//! [`exact_words`] is [`words`] under the exact analyzer with each distinct
//! token's readings remembered per thread: every filter of that pipeline
//! reads one token at a time, so a token's readings depend on its text
//! alone, and news text repeats its words (a page of ten hits reads the
//! same few hundred words again and again).

use std::cell::RefCell;
use std::ops::Range;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{RawTokenizer, TextAnalyzer, TokenStream, Tokenizer};

use super::analyzers::exact_filters;
use super::tokenizer::ArabicTokenizer;

/// Distinct tokens whose readings one thread remembers before it starts
/// afresh (about 100 bytes each).
const MEMO_TOKENS: usize = 100_000;

/// A word of the text and its analyzed readings (literal first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Word position in the text.
    pub position: usize,
    /// Byte range of the whole original word.
    pub range: Range<usize>,
    /// Terms the analyzer emitted at this position.
    pub readings: Vec<String>,
}

impl Word {
    /// True when one of the readings is `term`.
    pub fn reads_as(&self, term: &str) -> bool {
        self.readings.iter().any(|r| r == term)
    }
}

/// Groups an analyzer's tokens by position.
pub fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        match out.last_mut() {
            Some(w) if w.position == t.position => w.readings.push(t.text.clone()),
            _ => out.push(Word {
                position: t.position,
                range: t.offset_from..t.offset_to,
                readings: vec![t.text.clone()],
            }),
        }
    }
    out
}

/// A thread's remembered readings and the analyzer that makes them.
struct Memo {
    tokenizer: ArabicTokenizer,
    one_word: TextAnalyzer,
    readings: FxHashMap<String, Vec<String>>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo {
        tokenizer: ArabicTokenizer::default(),
        one_word: exact_filters(RawTokenizer::default()),
        readings: FxHashMap::default(),
    });
}

/// The words of `text` as the exact analyzer reads them (the same as
/// [`words`] with [`super::Analyzer::Exact`]), each distinct token
/// analyzed once per thread.
pub fn exact_words(text: &str) -> Vec<Word> {
    MEMO.with(|memo| {
        let memo = &mut *memo.borrow_mut();
        let mut out: Vec<Word> = Vec::new();
        let mut stream = memo.tokenizer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            let readings = match memo.readings.get(&t.text) {
                Some(r) => r.clone(),
                None => {
                    let mut r = Vec::new();
                    let mut one = memo.one_word.token_stream(&t.text);
                    while one.advance() {
                        r.push(one.token().text.clone());
                    }
                    if memo.readings.len() >= MEMO_TOKENS {
                        memo.readings.clear();
                    }
                    memo.readings.insert(t.text.clone(), r.clone());
                    r
                }
            };
            if !readings.is_empty() {
                out.push(Word {
                    position: t.position,
                    range: t.offset_from..t.offset_to,
                    readings,
                });
            }
        }
        out
    })
}

/// True when `run` is consecutive in position.
pub fn consecutive(run: &[Word]) -> bool {
    run.windows(2)
        .all(|pair| pair[1].position == pair[0].position + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;

    #[test]
    fn remembered_readings_are_the_analyzers_own() {
        let texts = [
            "وللحكومة الجديدة قالت: إنّ الاتفاقَ تمّ في بغداد، وبالأمس.",
            "ـــــمرحبا  Hello, World! ١٢٣ 456 لِلْمُعَلِّمِينَ",
            "",
            "   ",
            "كَتَبَ كتب وكتب فكتب بكتب لكتب ككتب",
            &"ا".repeat(300),
            "e-mail user@example.com 3.14 ﻻ ﷲ ۱۲۳",
        ];
        let mut analyzer = Analyzer::Exact.build();
        for text in texts {
            // Twice: once filling the memo, once reading from it.
            for _ in 0..2 {
                assert_eq!(exact_words(text), words(&mut analyzer, text), "{text}");
            }
        }
    }

    #[test]
    fn the_bundled_corpus_reads_the_same_remembered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut analyzer = Analyzer::Exact.build();
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            assert_eq!(exact_words(&text), words(&mut analyzer, &text));
            checked += 1;
        }
        assert!(checked > 10, "only {checked} files read");
    }
}
