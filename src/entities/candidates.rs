//! Entities: a text's words read cheaply, with readings only where a name
//! can start.
//!
//! Index-time extraction used to run the whole exact analyzer over every
//! text and keep every reading of every word (a `Vec<String>` per word):
//! 30% of all indexing instructions. Most words cannot start a name, and
//! that is decidable with one lookup: the set of every written form of
//! every first word (its [`clitic_forms`], the inverse of the proclitic
//! splitter) is built once, with the length of the longest name each
//! starts. So this reader takes the text already normalized
//! ([`NormalizedText`], shared with the index analyzers) and builds full
//! readings only for the words a name starting there could cover (the
//! [`WINDOW`] words after a trigger word). On 1,500 ANT articles a fixed
//! window of 12 words after every possible start covered 59% of the words
//! (علي, the normalized على, starts a name).
//! The word just before a possible start is read as well (a first name
//! there says a table person's family name is somebody else's).
//! Every other word is a placeholder without readings, which no matcher
//! can take for a name.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::analysis::NormalizedText;
use crate::analysis::Word;
use crate::analysis::{clitic_forms, proclitic_variants};
use crate::entities::AliasTable;

/// Words read with their readings from a trigger word on: as many as the
/// longest new name a trigger rule follows (trigger, two titles, a
/// compound first name, بن parts, a family name).
pub const WINDOW: usize = 12;

/// Longest prefix of a text searched for entities, in bytes.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Reads texts as [`Word`]s for the entity matchers; one per thread.
pub struct CandidateReader {
    /// The table, whose first words' written forms it looks up.
    table: Arc<AliasTable>,
    /// Written forms of the extra first words (trigger words).
    extra_forms: FxHashSet<String>,
}

impl CandidateReader {
    /// A reader for names starting with a first word of `table`'s names
    /// or one of `extra_first_words` (normalized, as read).
    pub fn new<'a>(
        table: Arc<AliasTable>,
        extra_first_words: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        CandidateReader {
            table,
            extra_forms: extra_first_words
                .into_iter()
                .flat_map(clitic_forms)
                .collect(),
        }
    }

    /// How many words from the normalized `word` on a name may cover
    /// (0: none starts there).
    fn reach(&self, word: &str) -> usize {
        let table = self
            .table
            .first_word_forms()
            .get(word)
            .copied()
            .unwrap_or(0);
        if self.extra_forms.contains(word) {
            table.max(WINDOW)
        } else {
            table
        }
    }

    /// True when a reading of the normalized `word` is a first word.
    #[cfg(test)]
    fn may_start(&self, word: &str) -> bool {
        self.reach(word) > 0
    }

    /// The words of a normalized text that end within its first
    /// [`MAX_TEXT_BYTES`]: full readings where a name may stand (see the
    /// module documentation); placeholders without readings elsewhere.
    pub fn words(&self, text: &NormalizedText) -> Vec<Word> {
        let mut read_until = 0;
        let mut out = Vec::with_capacity(text.words.len());
        for (i, word) in text.words.iter().enumerate() {
            if word.original.end > MAX_TEXT_BYTES {
                break;
            }
            let literal = text.word(word);
            let reach = self.reach(literal);
            read_until = read_until.max(i + reach);
            // the word before a possible start is read too: a first name
            // there says the name is somebody else's (إبراهيم نصر الله)
            if let Some(prev) = out
                .last_mut()
                .filter(|w: &&mut Word| reach > 0 && w.readings.is_empty())
            {
                proclitic_variants(text.word(&text.words[i - 1]), &mut prev.readings);
            }
            let mut readings = Vec::new();
            if i < read_until {
                proclitic_variants(literal, &mut readings);
            }
            out.push(Word {
                position: word.position,
                range: word.original.clone(),
                readings,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::words;
    use crate::analysis::Analyzer;
    use crate::analysis::TextNormalizer;

    #[test]
    fn readings_only_after_a_possible_start() {
        let table = Arc::new(AliasTable::default());
        let reader = CandidateReader::new(table, ["الامم", "بغداد"]);
        let sentence = "قال أمس وللأمم المتحدة وفي ببغداد";
        let text = TextNormalizer::default().read(sentence);
        let got = reader.words(&text);
        let full = words(&mut Analyzer::Exact.build(), sentence);
        assert!(got[0].readings.is_empty(), "قال cannot start a name");
        for (g, f) in got.iter().zip(&full).skip(1) {
            assert_eq!(g, f, "from the word before وللأمم on, words read in full");
        }
        assert_eq!(got.len(), full.len());
    }

    #[test]
    fn every_clitic_form_is_a_possible_start() {
        let table = Arc::new(AliasTable::default());
        let reader = CandidateReader::new(table, ["الامم", "بغداد", "داعش"]);
        for word in [
            "الامم",
            "والامم",
            "بالامم",
            "للامم",
            "وللامم",
            "فبالامم",
            "ببغداد",
            "وببغداد",
            "لداعش",
        ] {
            assert!(reader.may_start(word), "{word}");
        }
        for word in ["قال", "مبغداد", "الاممي", "وزير", "امم", "لامم"] {
            assert!(!reader.may_start(word), "{word}");
        }
    }
}
