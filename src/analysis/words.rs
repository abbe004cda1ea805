//! Analysis helper: the words of a text with every reading the exact
//! analyzer gives each, for matching multi-word names and phrases against
//! the original text (highlights, entity mentions).

use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

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

/// True when `run` is consecutive in position.
pub fn consecutive(run: &[Word]) -> bool {
    run.windows(2)
        .all(|pair| pair[1].position == pair[0].position + 1)
}
