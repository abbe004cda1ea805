//! Analysis stage 1: split text into words on Unicode (UAX #29) word boundaries.
//!
//! Combining marks (tashkeel), tatweel and invisible format characters stay
//! inside the word they belong to, so a token's offsets always cover the
//! whole original word; Arabic and Latin punctuation split words and are
//! dropped. Normalization happens later, in token filters that never touch
//! offsets.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// Tokenizer that emits one token per UAX #29 word containing a letter or digit.
#[derive(Clone, Default)]
pub struct ArabicTokenizer {
    token: Token,
}

/// Token stream of [`ArabicTokenizer`].
pub struct ArabicTokenStream<'a> {
    words: UWordBoundIndices<'a>,
    token: &'a mut Token,
    next_position: usize,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        ArabicTokenStream {
            words: text.split_word_bound_indices(),
            token: &mut self.token,
            next_position: 0,
        }
    }
}

/// True when a UAX #29 segment is a word (has a letter or a digit), not
/// punctuation or space.
fn is_word(segment: &str) -> bool {
    segment.chars().any(|c| {
        ('\u{0621}'..='\u{064A}').contains(&c)
            || c.is_ascii_alphanumeric()
            || (!c.is_ascii() && c.is_alphanumeric())
    })
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        for (start, segment) in self.words.by_ref() {
            if !is_word(segment) {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(segment);
            self.token.offset_from = start;
            self.token.offset_to = start + segment.len();
            self.token.position = self.next_position;
            self.token.position_length = 1;
            self.next_position += 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = ArabicTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn splits_table() {
        let cases: &[(&str, &[&str])] = &[
            ("وَزِيرُ الخَارِجِيَّةِ", &["وَزِيرُ", "الخَارِجِيَّةِ"]),
            ("الاقتصـــاد، مصر؛ لماذا؟", &["الاقتصـــاد", "مصر", "لماذا"]),
            ("«داعش» و\"قسد\"", &["داعش", "و", "قسد"]),
            ("عام ٢٠٢٤ و2025.", &["عام", "٢٠٢٤", "و2025"]),
            ("Google's AI-model", &["Google's", "AI", "model"]),
            ("مسـ\u{200C}ـؤول", &["مسـ\u{200C}ـؤول"]),
            ("... ، ؛ ؟ !", &[]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            let got: Vec<String> = words(text).into_iter().map(|w| w.0).collect();
            assert_eq!(&got, expected, "tokenizing {text:?}");
        }
    }

    #[test]
    fn offsets_slice_original() {
        let text = "قالَ الوزيرُ: «الاقتصـــاد» ينمو.";
        for (word, from, to) in words(text) {
            assert_eq!(&text[from..to], word);
        }
    }

    #[test]
    fn positions_increase_by_one() {
        let mut tokenizer = ArabicTokenizer::default();
        let mut stream = tokenizer.token_stream("أ، ب؛ ج");
        let mut positions = Vec::new();
        while let Some(t) = stream.next() {
            positions.push(t.position);
        }
        assert_eq!(positions, vec![0, 1, 2]);
    }
}
