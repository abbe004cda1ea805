//! Analysis stage 6 (keyword analyzer only): light suffix stemming.
//!
//! In the family of Larkey's light10 and Lucene's `ArabicStemmer`, but
//! proclitics are not stripped here: [`super::clitics`] has already emitted
//! every clitic-free reading, and this filter stems each of them. Rules, on
//! normalized words of Arabic letters only:
//! 1. the pronoun ها is stripped when at least 3 letters remain
//!    (مواطنيها → مواطني);
//! 2. then at most one inflectional suffix, longest first:
//!    - يين، يون، يات (nisba plurals) and ات: at least 3 letters remain
//!      (العراقيين → عراق, انتخابات → انتخاب);
//!    - ون، ين، ان (sound plurals and duals): at least 4 letters remain, so
//!      that names and nouns of the pattern فعلان/فعلين keep their ending
//!      (لبنان، إيران، بوتين، البحرين، قانون) while معتقلين، لاعبون، وزيران
//!      reach their singular; words ending in ستان keep ان (كازاخستان);
//!    - a suffix starting with ي is not stripped after ا, where the ي is a
//!      root letter (ولاية، ولايات → ولاي; نهاية → نهاي);
//!    - يه (ية), ه (ة), ي: at least 3 letters remain (الوزيرة → وزير,
//!      عراقي → عراق);
//! 3. words in the `NO_STEM` list (فلسطين، أردوغان، البرلمان، مليون…) are
//!    left whole.
//!
//! Known limits, accepted for a light stemmer: duals and plurals of
//! three-letter nouns keep their suffix (طرفان ≠ طرف); broken plurals are
//! not related to their singular (وزراء ≠ وزير); taa marbuta and the pronoun
//! ه look alike after normalization, so مدرسة and مدرس share a stem.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::clitics::is_arabic_word;
use super::lexicon::is_no_stem;

/// Inflectional suffixes, longest first, with the letters that must remain.
pub const INFLECTIONS: &[(&str, usize)] = &[
    ("يين", 3),
    ("يون", 3),
    ("يات", 3),
    ("ات", 3),
    ("ون", 4),
    ("ين", 4),
    ("ان", 4),
    ("يه", 3),
    ("ه", 3),
    ("ي", 3),
];

/// The pronoun suffix stripped before the inflections.
pub const PRONOUN: &str = "ها";
/// Letters that must remain after stripping [`PRONOUN`].
pub const PRONOUN_MIN: usize = 3;
/// Letters before which the suffix ان is part of the word (كازاخستان).
pub const KEEP_AN_AFTER: &str = "ست";
/// Letter after which a suffix starting with ي keeps its ي (ولاية).
pub const KEEP_YA_AFTER: char = 'ا';

/// Returns the light stem of a normalized word (a prefix of it).
pub fn stem(word: &str) -> &str {
    if !is_arabic_word(word) || is_no_stem(word) {
        return word;
    }
    let word = strip(word, PRONOUN, PRONOUN_MIN).unwrap_or(word);
    for (suffix, min) in INFLECTIONS {
        if skip_suffix(word, suffix) {
            continue;
        }
        if let Some(stem) = strip(word, suffix, *min) {
            return stem;
        }
    }
    word
}

/// True where a suffix's letters belong to the word: ان after ست
/// (كازاخستان), and a ي-suffix after ا, where the ي is a root letter
/// (ولاية → ولاي, ولايات → ولاي, not ولا).
fn skip_suffix(word: &str, suffix: &str) -> bool {
    let Some(before) = word.strip_suffix(suffix) else {
        return false;
    };
    (suffix == "ان" && before.ends_with(KEEP_AN_AFTER))
        || (suffix.starts_with('ي') && before.ends_with(KEEP_YA_AFTER))
}

/// Strips `suffix` when at least `min` letters remain.
fn strip<'a>(word: &'a str, suffix: &str, min: usize) -> Option<&'a str> {
    let stem = word.strip_suffix(suffix)?;
    (stem.chars().count() >= min).then_some(stem)
}

/// Token filter replacing each token's text by its [`stem`].
#[derive(Clone, Copy, Debug, Default)]
pub struct LightStemmer;

/// Tokenizer wrapper produced by [`LightStemmer`].
#[derive(Clone)]
pub struct LightStemmerWrapper<T> {
    inner: T,
}

/// Token stream of [`LightStemmerWrapper`].
pub struct LightStemmerStream<T> {
    tail: T,
}

impl TokenFilter for LightStemmer {
    type Tokenizer<T: Tokenizer> = LightStemmerWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LightStemmerWrapper<T> {
        LightStemmerWrapper { inner: tokenizer }
    }
}

impl<T: Tokenizer> Tokenizer for LightStemmerWrapper<T> {
    type TokenStream<'a> = LightStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LightStemmerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

impl<T: TokenStream> TokenStream for LightStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let keep = stem(&token.text).len();
        token.text.truncate(keep);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests;
