//! Analysis stage 1: split text into words on Unicode (UAX #29) word boundaries.
//!
//! Combining marks (tashkeel), tatweel and invisible format characters stay
//! inside the word they belong to, so a token's offsets always cover the
//! whole original word; Arabic and Latin punctuation split words and are
//! dropped. Normalization happens later, in token filters that never touch
//! offsets.
//!
//! Fast path: UAX #29 never joins across ASCII white space, and a
//! space-delimited chunk made only of Arabic letters, tashkeel and
//! tatweel and starting with a letter is exactly one UAX #29 word; such
//! chunks (most of an Arabic text) are emitted directly, and so is such a
//! word with plain punctuation before or after it («مصر»، (قال، الخميس.):
//! UAX #29 joins punctuation to a word only between two letters or digits
//! (and never these characters, none of which is a letter, digit, mark,
//! format character or connector), so the word is the chunk's one word.
//! Every other chunk goes through unicode-segmentation. A property test checks the two
//! paths give the same tokens; the segmenter alone ran at 25 MiB/s in the
//! criterion benchmark and was the largest single cost of indexing.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// Tokenizer that emits one token per UAX #29 word containing a letter or digit.
#[derive(Clone, Default)]
pub struct ArabicTokenizer {
    token: Token,
}

/// Token stream of [`ArabicTokenizer`].
pub struct ArabicTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the next chunk starts.
    cursor: usize,
    /// UAX #29 words of the current complex chunk, and its offset.
    words: Option<(usize, UWordBoundIndices<'a>)>,
    token: &'a mut Token,
    next_position: usize,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        ArabicTokenStream {
            text,
            cursor: 0,
            words: None,
            token: &mut self.token,
            next_position: 0,
        }
    }
}

/// True when a UAX #29 segment is a word: it has a letter or a digit. Marks
/// do not count, although Unicode calls some of them alphabetic: a lone
/// mark after a space is glued to the space (WB4), not a word.
fn is_word(segment: &str) -> bool {
    segment.chars().any(|c| {
        ('\u{0621}'..='\u{064A}').contains(&c)
            || c.is_ascii_alphanumeric()
            || (!c.is_ascii() && c.is_alphanumeric() && !is_mark(c))
    })
}

/// Combining marks (general categories Mn, Mc, Me).
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// ASCII white space, which UAX #29 never joins to a word. (Not every
/// Unicode space: U+202F NARROW NO-BREAK SPACE joins words, as
/// ExtendNumLet.)
fn is_break_byte(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0B
}

/// True for a chunk UAX #29 reads as one word: Arabic letters, tashkeel
/// and tatweel only, starting with a letter.
fn is_simple_arabic(chunk: &str) -> bool {
    // Read as UTF-8 pairs: U+0621–U+063A is D8 A1–BA, U+0640–U+065F is
    // D9 80–9F, U+0670 is D9 B0; the first letter is U+0621–U+063A or
    // U+0641–U+064A (D9 81–8A).
    let bytes = chunk.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(2) {
        return false;
    }
    let first = matches!(bytes[..2], [0xD8, 0xA1..=0xBA] | [0xD9, 0x81..=0x8A]);
    first
        && bytes
            .chunks_exact(2)
            .all(|p| matches!(p, [0xD8, 0xA1..=0xBA] | [0xD9, 0x80..=0x9F | 0xB0]))
}

/// Punctuation that is never part of a UAX #29 word at the edge of a
/// chunk: ASCII punctuation but the connector `_`, and the Arabic and
/// typographic marks news text puts around words.
fn is_plain_punctuation(c: char) -> bool {
    (c.is_ascii_punctuation() && c != '_')
        || matches!(
            c,
            '\u{060C}' // ، ARABIC COMMA
                | '\u{061B}' // ؛ ARABIC SEMICOLON
                | '\u{061F}' // ؟ ARABIC QUESTION MARK
                | '\u{066A}' // ٪ ARABIC PERCENT SIGN
                | '\u{06D4}' // ۔ ARABIC FULL STOP
                | '\u{00AB}' // « LEFT-POINTING DOUBLE ANGLE QUOTATION MARK
                | '\u{00BB}' // » RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK
                | '\u{2013}' // – EN DASH
                | '\u{2014}' // — EM DASH
                | '\u{2018}' // ‘ LEFT SINGLE QUOTATION MARK
                | '\u{2019}' // ’ RIGHT SINGLE QUOTATION MARK
                | '\u{201C}' // “ LEFT DOUBLE QUOTATION MARK
                | '\u{201D}' // ” RIGHT DOUBLE QUOTATION MARK
                | '\u{2026}' // … HORIZONTAL ELLIPSIS
        )
}

/// The one word of a chunk made of a simple Arabic word with plain
/// punctuation around it (its offset in the chunk and the word), `Some(None)`
/// for a chunk of punctuation only, `None` when the chunk is anything else.
fn framed_arabic(chunk: &str) -> Option<Option<(usize, &str)>> {
    let core = chunk.trim_matches(is_plain_punctuation);
    if core.is_empty() {
        return Some(None);
    }
    let start = chunk.len() - chunk.trim_start_matches(is_plain_punctuation).len();
    is_simple_arabic(core).then_some(Some((start, core)))
}

impl<'a> ArabicTokenStream<'a> {
    fn emit(&mut self, start: usize, word: &str) {
        self.token.text.clear();
        self.token.text.push_str(word);
        self.token.offset_from = start;
        self.token.offset_to = start + word.len();
        self.token.position = self.next_position;
        self.token.position_length = 1;
        self.next_position += 1;
    }

    /// The next whitespace-delimited chunk and its offset.
    fn next_chunk(&mut self) -> Option<(usize, &'a str)> {
        // Byte by byte: break spaces are ASCII, and an ASCII byte is never
        // part of a longer character.
        let text: &'a str = self.text;
        let bytes = text.as_bytes();
        let start = bytes[self.cursor..]
            .iter()
            .position(|&b| !is_break_byte(b))
            .map_or(bytes.len(), |i| self.cursor + i);
        if start >= bytes.len() {
            self.cursor = bytes.len();
            return None;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| is_break_byte(b))
            .map_or(bytes.len(), |i| start + i);
        self.cursor = end;
        Some((start, &text[start..end]))
    }
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some((base, words)) = &mut self.words {
                let base = *base;
                if let Some((start, segment)) = words.by_ref().find(|(_, s)| is_word(s)) {
                    self.emit(base + start, segment);
                    return true;
                }
                self.words = None;
            }
            let Some((start, chunk)) = self.next_chunk() else {
                return false;
            };
            if is_simple_arabic(chunk) {
                self.emit(start, chunk);
                return true;
            }
            match framed_arabic(chunk) {
                Some(Some((at, word))) => {
                    self.emit(start + at, word);
                    return true;
                }
                Some(None) => continue,
                None => {}
            }
            self.words = Some((start, chunk.split_word_bound_indices()));
        }
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

    /// The definition `is_simple_arabic` reads at the byte level.
    fn simple_by_chars(chunk: &str) -> bool {
        chunk.chars().next().is_some_and(|c| {
            ('\u{0621}'..='\u{063A}').contains(&c) || ('\u{0641}'..='\u{064A}').contains(&c)
        }) && chunk.chars().all(|c| {
            ('\u{0621}'..='\u{063A}').contains(&c)
                || ('\u{0640}'..='\u{065F}').contains(&c)
                || c == '\u{0670}'
        })
    }

    #[test]
    fn simple_arabic_bytes_match_the_definition() {
        let all: Vec<char> = ('\u{0590}'..='\u{0700}')
            .chain(['a', ' ', '\u{00A0}'])
            .collect();
        for &a in &all {
            assert_eq!(
                is_simple_arabic(&a.to_string()),
                simple_by_chars(&a.to_string())
            );
            for &b in &all {
                let pair: String = [a, b].iter().collect();
                assert_eq!(is_simple_arabic(&pair), simple_by_chars(&pair), "{pair:?}");
            }
        }
        assert!(!is_simple_arabic(""));
    }

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

    /// Words by unicode-segmentation alone, the reference for the fast path.
    fn reference(text: &str) -> Vec<(String, usize, usize)> {
        text.split_word_bound_indices()
            .filter(|(_, s)| is_word(s))
            .map(|(i, s)| (s.to_string(), i, i + s.len()))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn fast_path_matches_unicode_segmentation(
            text in "([\u{0621}-\u{0670}\u{200C}-\u{200F} a-z0-9.,'،؛:\n_«»()!?؟\"…—’%٪-]{0,12} ?){0,12}|\\PC{0,40}"
        ) {
            proptest::prop_assert_eq!(words(&text), reference(&text));
        }
    }

    #[test]
    fn fast_path_matches_on_the_sample_corpus() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for entry in walkdir::WalkDir::new(corpus)
            .into_iter()
            .filter_map(Result::ok)
        {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                assert_eq!(words(&text), reference(&text), "{}", entry.path().display());
            }
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
