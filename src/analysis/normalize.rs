//! Analysis stage 2: Arabic orthographic normalization, one pass per token.
//!
//! Rules, applied character by character (see [`fold_char`]):
//! - tashkeel U+064B–U+065F, superscript alef U+0670, Quranic marks
//!   U+0610–U+061A and U+06D6–U+06ED: removed;
//! - tatweel U+0640 and invisible format characters (ZWSP, ZWNJ, ZWJ, LRM,
//!   RLM, ALM, bidi embeddings and isolates, word joiner, BOM, soft hyphen):
//!   removed;
//! - alef forms أ إ آ ٱ ٲ ٳ ٵ → ا; ى and Persian ی → ي; ة, ە, ۀ, ھ, ۃ → ه;
//!   Persian ک and ڪ → ك;
//! - hamza seats: ؤ and ئ → ء, and a word-final يء → ء. So مسؤول/مسئول,
//!   شؤون/شئون and شيء/شئ meet (as مسءول, شءون, شء), while words whose
//!   letters differ beyond the seat stay apart (سأل ≠ سائل, شيء ≠ شي,
//!   رئيس ≠ ريس). Known collision: بؤس/بئس.
//! - Arabic-Indic (U+0660–U+0669) and Extended Arabic-Indic (U+06F0–U+06F9)
//!   digits → ASCII digits;
//! - presentation forms U+FB50–U+FDFF and U+FE70–U+FEFE → their NFKC
//!   letters, folded again by these rules (spaces inside ligatures dropped).
//!
//! - Latin: lowercased; accented letters folded to ASCII through Unicode
//!   decomposition (unicode-normalization's NFD, marks U+0300–U+036F
//!   dropped: é → e, ü → u, ç → c) plus the letters that do not decompose
//!   (ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ/ð → d, þ → th, ı → i).
//!   This is done here rather than by chaining tantivy's `LowerCaser` and
//!   `AsciiFoldingFilter`: those two copied every Arabic token twice and
//!   cost 7% of indexing time in a profile, for text that is nearly all
//!   Arabic.
//!
//! The filter rewrites `token.text` only; offsets and positions stay on the
//! original word. A token that normalizes to nothing (a lone mark or
//! tatweel) is dropped.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

/// Token filter applying Arabic orthographic normalization.
#[derive(Clone, Copy, Debug, Default)]
pub struct ArabicNormalizer;

/// Tokenizer wrapper produced by [`ArabicNormalizer`]; owns a reused buffer.
#[derive(Clone)]
pub struct ArabicNormalizerWrapper<T> {
    inner: T,
    buffer: String,
}

/// Token stream of [`ArabicNormalizerWrapper`].
pub struct ArabicNormalizerStream<'a, T> {
    tail: T,
    buffer: &'a mut String,
}

impl TokenFilter for ArabicNormalizer {
    type Tokenizer<T: Tokenizer> = ArabicNormalizerWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ArabicNormalizerWrapper<T> {
        ArabicNormalizerWrapper {
            inner: tokenizer,
            buffer: String::new(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for ArabicNormalizerWrapper<T> {
    type TokenStream<'a> = ArabicNormalizerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ArabicNormalizerStream {
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

impl<T: TokenStream> TokenStream for ArabicNormalizerStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            if needs_work(&token.text) {
                normalize_into(&token.text, self.buffer);
                mem::swap(&mut token.text, self.buffer);
            }
            if !token.text.is_empty() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Normalizes one word (or any text) into `out`, which is cleared first.
pub fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    for c in text.chars() {
        if is_plain(c) {
            out.push(c);
        } else {
            fold_char(c, out);
        }
    }
    fold_final_hamza(out);
}

/// Returns the normalized form of `text`.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// True when some character of `text` would be changed by normalization.
fn needs_work(text: &str) -> bool {
    text.chars().any(|c| !is_plain(c)) || text.ends_with("يء")
}

/// Characters normalization leaves as they are: plain Arabic letters other
/// than the folded ones, and printable ASCII but capitals.
fn is_plain(c: char) -> bool {
    matches!(c, '\u{0621}' | '\u{0627}' | '\u{0628}' | '\u{062A}'..='\u{063A}'
        | '\u{0641}'..='\u{0648}' | '\u{064A}' | ' '..='@' | '['..='~')
}

/// Word-final يء → ء, so شيء and شئ (already شء) meet.
fn fold_final_hamza(word: &mut String) {
    if word.ends_with("يء") && word.chars().count() > 2 {
        let cut = word.len() - "يء".len();
        word.truncate(cut);
        word.push('ء');
    }
}

/// Pushes the normalized form of one character onto `out` (nothing, one
/// character, or a folded ligature).
pub fn fold_char(c: char, out: &mut String) {
    match c {
        // tashkeel U+064B–U+065F, superscript alef U+0670
        '\u{064B}'..='\u{065F}' | '\u{0670}' => {}
        // Quranic annotation marks U+0610–U+061A, U+06D6–U+06ED
        '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06ED}' => {}
        // tatweel U+0640
        '\u{0640}' => {}
        // soft hyphen U+00AD, ALM U+061C, ZWSP..RLM U+200B–U+200F,
        // embeddings U+202A–U+202E, word joiner..invisible plus U+2060–U+2064,
        // isolates U+2066–U+2069, BOM U+FEFF
        '\u{00AD}'
        | '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => {}
        // alef with madda U+0622, hamza above U+0623, hamza below U+0625,
        // wasla U+0671, wavy hamza U+0672/U+0673, high hamza alef U+0675
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}'
        | '\u{0675}' => out.push('ا'),
        // hamza on waw U+0624, hamza on yaa U+0626 → hamza U+0621
        '\u{0624}' | '\u{0626}' => out.push('ء'),
        // alef maqsura U+0649, Farsi yeh U+06CC → yaa U+064A
        '\u{0649}' | '\u{06CC}' => out.push('ي'),
        // taa marbuta U+0629, ae U+06D5, heh with yeh U+06C0,
        // heh doachashmee U+06BE, taa marbuta goal U+06C3 → haa U+0647
        '\u{0629}' | '\u{06D5}' | '\u{06C0}' | '\u{06BE}' | '\u{06C3}' => out.push('ه'),
        // keheh U+06A9, swash kaf U+06AA → kaf U+0643
        '\u{06A9}' | '\u{06AA}' => out.push('ك'),
        // Arabic-Indic digits U+0660–U+0669
        '\u{0660}'..='\u{0669}' => out.push(ascii_digit(c, '\u{0660}')),
        // Extended Arabic-Indic digits U+06F0–U+06F9
        '\u{06F0}'..='\u{06F9}' => out.push(ascii_digit(c, '\u{06F0}')),
        // presentation forms A U+FB50–U+FDFF and B U+FE70–U+FEFE
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}' => fold_presentation_form(c, out),
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        // the rest of ASCII and of the Arabic block: no case, kept (most
        // characters of a text end here, without the case table lookup)
        '\u{0000}'..='\u{007F}' | '\u{0600}'..='\u{06FF}' => out.push(c),
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => fold_latin(c, out),
        _ if c.is_uppercase() => {
            for lower in c.to_lowercase() {
                if lower == c {
                    out.push(lower);
                } else {
                    // the lowercase may itself fold (Å angstrom → å → a)
                    fold_char(lower, out);
                }
            }
        }
        _ => out.push(c),
    }
}

/// Lowercases a Latin letter and folds it to ASCII where it has a base
/// letter.
fn fold_latin(c: char, out: &mut String) {
    let decomposed = c
        .to_lowercase()
        .flat_map(|lower| std::iter::once(lower).nfd());
    for d in decomposed {
        match d {
            '\u{0300}'..='\u{036F}' => {}
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => out.push(d),
        }
    }
}

/// Maps a digit of the block starting at `zero` to its ASCII digit.
fn ascii_digit(c: char, zero: char) -> char {
    let value = (c as u32).saturating_sub(zero as u32);
    char::from_digit(value, 10).unwrap_or(c)
}

/// Folds a presentation form through NFKC, then through [`fold_char`].
fn fold_presentation_form(c: char, out: &mut String) {
    for folded in std::iter::once(c).nfkc() {
        if folded == c {
            // unassigned code point or no compatibility mapping
            out.push(c);
        } else if !folded.is_whitespace() {
            fold_char(folded, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_characters_fold_to_themselves() {
        // normalize_into copies them without fold_char
        for c in ('\0'..='\u{7F}')
            .chain('\u{0600}'..='\u{06FF}')
            .filter(|&c| is_plain(c))
        {
            let mut out = String::new();
            fold_char(c, &mut out);
            assert_eq!(out, c.to_string(), "{:04X}", c as u32);
        }
    }

    #[test]
    fn ascii_and_arabic_block_have_no_case_to_fold() {
        // the fast arm of fold_char skips the case lookup for these
        for c in ('\0'..='\u{7F}').chain('\u{0600}'..='\u{06FF}') {
            assert!(
                c.is_ascii_uppercase() || !c.is_uppercase(),
                "{:04X}",
                c as u32
            );
        }
    }

    /// One row per rule: input, expected normalized form.
    const FOLDINGS: &[(&str, &str)] = &[
        // tashkeel and superscript alef
        ("وَزِيرُ", "وزير"),
        ("الخَارِجِيَّةِ", "الخارجيه"),
        ("كِتَابٌ", "كتاب"),
        ("هٰذا", "هذا"),
        // Quranic marks
        ("الرَّحِيمِۖ", "الرحيم"),
        ("صلى\u{0610}", "صلي"),
        // tatweel and invisible characters
        ("الاقتصـــاد", "الاقتصاد"),
        ("مصـــر", "مصر"),
        ("مس\u{200C}ؤول", "مسءول"),
        ("سوريا\u{200F}", "سوريا"),
        ("\u{202B}بغداد\u{202C}", "بغداد"),
        ("\u{FEFF}القاهرة", "القاهره"),
        ("عر\u{00AD}بي", "عربي"),
        // alef forms
        ("أحمد", "احمد"),
        ("إسرائيل", "اسراءيل"),
        ("آلاف", "الاف"),
        ("ٱلله", "الله"),
        ("ٲ", "ا"),
        ("ٳ", "ا"),
        ("ٵ", "ا"),
        // alef maqsura, Persian yeh
        ("مستشفى", "مستشفي"),
        ("على", "علي"),
        ("فی", "في"),
        // taa marbuta and heh forms
        ("الحكومة", "الحكومه"),
        ("مدينە", "مدينه"),
        ("ھذا", "هذا"),
        // Persian kaf
        ("کرة", "كره"),
        // hamza seats
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),
        ("شؤون", "شءون"),
        ("شئون", "شءون"),
        ("شيء", "شء"),
        ("شئ", "شء"),
        ("بريء", "برء"),
        // digits
        ("٢٠٢٤", "2024"),
        ("۲۰۲۴", "2024"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        // presentation forms
        ("ﻻ", "لا"),
        ("ﻷ", "لا"),
        ("ﷲ", "الله"),
        ("ﺑﻐﺪاد", "بغداد"),
        ("ﻣﺴﺆول", "مسءول"),
        // Latin
        ("Google", "google"),
        ("CAFÉ", "cafe"),
        ("Müller", "muller"),
        ("Straße", "strasse"),
        ("Ærø", "aero"),
        ("Łódź", "lodz"),
        ("Ǽ", "ae"),
        ("\u{212B}", "a"),
        ("ΑΘΗΝΑ", "αθηνα"),
    ];

    /// Text normalization must leave alone.
    const UNCHANGED: &[&str] = &[
        "وزير",
        "لبنان",
        "بيروت",
        "ترامب",
        "مصر",
        "ء",
        "سال",
        "2024",
        "abc",
        "x-1",
        "ريس",
        "شي",
        "ساءل",
    ];

    /// Pairs that must stay apart after normalization.
    const APART: &[(&str, &str)] = &[
        ("سأل", "سائل"),
        ("شيء", "شي"),
        ("رئيس", "ريس"),
        ("مسؤول", "مسول"),
        ("بريء", "بري"),
    ];

    #[test]
    fn foldings() {
        for (input, expected) in FOLDINGS {
            assert_eq!(normalize(input), *expected, "normalizing {input:?}");
        }
    }

    #[test]
    fn unchanged() {
        for input in UNCHANGED {
            assert_eq!(normalize(input), *input, "{input:?} must not change");
            assert!(!needs_work(input) || input.chars().any(|c| !is_plain(c)));
        }
    }

    #[test]
    fn apart() {
        for (a, b) in APART {
            assert_ne!(
                normalize(a),
                normalize(b),
                "{a:?} and {b:?} must stay apart"
            );
        }
    }

    #[test]
    fn fast_path_agrees_with_full_pass() {
        for (input, _) in FOLDINGS {
            if !needs_work(input) {
                assert_eq!(normalize(input), *input);
            }
        }
    }
}
