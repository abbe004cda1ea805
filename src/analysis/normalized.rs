//! Analysis: a text segmented and normalized once, for every later reader.
//!
//! Indexing reads each text three times: entity extraction and the two
//! analyzers of the index fields. Segmenting and normalizing is the costly
//! part of each (the tokenizer alone was 8% of indexing instructions), so
//! the document builder does it once ([`TextNormalizer::read`]) and hands
//! tantivy the result as a *slot text*: the normalized words separated by
//! single spaces, one slot per position, a position whose token was
//! dropped left as an empty slot. The index analyzer
//! ([`super::analyzers::index_analyzer`]) reads slot texts with
//! [`SlotTokenizer`](super::slots::SlotTokenizer), so it produces exactly the terms and positions the
//! full exact analyzer produces from the original text (a test checks it).
//! Offsets in slot texts point into the slot text: the index stores none;
//! highlights re-read the stored original.

use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use super::analyzers::base_analyzer;
use super::slots::SLOT_SEPARATOR;

/// A word of a normalized text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalizedWord {
    /// Word position in the text.
    pub position: usize,
    /// Byte range of the original word in the original text.
    pub original: Range<usize>,
    /// Byte range of the normalized word in [`NormalizedText::slots`].
    pub normalized: Range<usize>,
}

/// A text's normalized words, and the slot text built from them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NormalizedText {
    /// The slot text (see the module documentation).
    pub slots: String,
    /// The words, in order.
    pub words: Vec<NormalizedWord>,
}

impl NormalizedText {
    /// The normalized form of a word of this text.
    pub fn word(&self, word: &NormalizedWord) -> &str {
        &self.slots[word.normalized.clone()]
    }
}

/// Segments and normalizes texts; one per thread.
pub struct TextNormalizer {
    analyzer: TextAnalyzer,
}

impl Default for TextNormalizer {
    fn default() -> Self {
        TextNormalizer {
            analyzer: base_analyzer(),
        }
    }
}

impl TextNormalizer {
    /// Reads `text` through the normalizing front of the analyzers.
    pub fn read(&mut self, text: &str) -> NormalizedText {
        let mut out = NormalizedText::default();
        let mut stream = self.analyzer.token_stream(text);
        let mut next_slot = 0;
        while stream.advance() {
            let t = stream.token();
            while next_slot <= t.position {
                if next_slot > 0 {
                    out.slots.push(SLOT_SEPARATOR);
                }
                next_slot += 1;
            }
            let start = out.slots.len();
            out.slots.push_str(&t.text);
            out.words.push(NormalizedWord {
                position: t.position,
                original: t.offset_from..t.offset_to,
                normalized: start..out.slots.len(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyzers::tokens;
    use crate::analysis::slots::SlotTokenizer;

    fn slot_tokens(slots: &str) -> Vec<(String, usize)> {
        let mut analyzer = TextAnalyzer::from(SlotTokenizer::default());
        tokens(&mut analyzer, slots)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn slots_keep_positions_of_dropped_words() {
        let long = "ب".repeat(50);
        let text = format!("قالَ {long} الوزيرُ، ثم غادر");
        let norm = TextNormalizer::default().read(&text);
        assert_eq!(norm.slots, "قال  الوزير ثم غادر");
        assert_eq!(
            slot_tokens(&norm.slots),
            vec![
                ("قال".to_string(), 0),
                ("الوزير".to_string(), 2),
                ("ثم".to_string(), 3),
                ("غادر".to_string(), 4)
            ]
        );
        let w = &norm.words[1];
        assert_eq!(norm.word(w), "الوزير");
        assert_eq!(&text[w.original.clone()], "الوزيرُ");
    }

    #[test]
    fn empty_and_leading_dropped_words() {
        assert_eq!(TextNormalizer::default().read("").slots, "");
        assert_eq!(TextNormalizer::default().read("، ؟").slots, "");
        let long = "x".repeat(60);
        let norm = TextNormalizer::default().read(&format!("{long} {long} كلمة"));
        assert_eq!(norm.slots, "  كلمه");
        assert_eq!(slot_tokens(&norm.slots), vec![("كلمه".to_string(), 2)]);
    }
}
