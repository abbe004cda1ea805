//! Analysis helper: the words of a text with every reading the exact
//! analyzer gives each, for matching multi-word names and phrases against
//! the original text (highlights, entity mentions).

use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use super::analyzers::tokens;

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
    for t in tokens(analyzer, text) {
        match out.last_mut() {
            Some(w) if w.position == t.position => w.readings.push(t.text),
            _ => out.push(Word {
                position: t.position,
                range: t.offset_from..t.offset_to,
                readings: vec![t.text],
            }),
        }
    }
    out
}

/// True when `run` is consecutive in position.
pub fn consecutive(run: &[Word]) -> bool {
    run.windows(2)
        .all(|pair| pair[1].position == pair[0].position + 1)
}
