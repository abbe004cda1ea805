//! Analysis stage 4: proclitic splits, emitted at the word's own position.
//!
//! One guess per token cannot be right for both لبنان and للبنان, so the
//! filter keeps the literal word and adds every plausible reading without
//! its proclitics, all at the same position and with the same offsets:
//! للبنان → للبنان، لبنان، البنان، بنان is wrong in part, but the literal
//! and the right reading are always there, and a query meets a document
//! when they share one reading.
//!
//! Proclitics come in a fixed order: a conjunction (و، ف), then a
//! preposition (ب، ك، ل), then the article (ال). ل + ال is written لل, so a
//! word starting with لل is read both as ل + ال… and as ل + ل….
//!
//! Guards, so that names and common words are not split into other words:
//! - after a one-letter clitic at least 3 letters must remain, after the
//!   article at least 2;
//! - only words made entirely of Arabic letters are split;
//! - words in the `NO_SPLIT` list (names such as لبنان، بيروت، واشنطن and
//!   words such as فكرة، لجنة، إلهام) are never split further, including
//!   when they are reached after a clitic (وللبنان → للبنان، لبنان, and not
//!   بنان).

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::lexicon::is_no_split;

const CONJUNCTIONS: [char; 2] = ['و', 'ف'];
const PREPOSITIONS: [char; 3] = ['ب', 'ك', 'ل'];
const ARTICLE: &str = "ال";
/// Letters that must remain after a one-letter clitic.
const MIN_AFTER_LETTER: usize = 3;
/// Letters that must remain after the article.
const MIN_AFTER_ARTICLE: usize = 2;

/// Pushes `word` and each plausible reading of it without proclitics onto
/// `out` (literal first, no duplicates). `word` must be normalized.
pub fn proclitic_variants(word: &str, out: &mut Vec<String>) {
    out.push(word.to_string());
    if is_arabic_word(word) {
        split_conjunction(word, out);
    }
}

/// Every word whose [`proclitic_variants`] include `reading`, `reading`
/// itself first: the inverse of the splitter, for matching a reading
/// against fields that index words as written.
///
/// A reading is the word without some of its proclitics in their fixed
/// order (conjunction, preposition, article), or, for a word with لل, the
/// article restored (للامم → الامم) and dropped again (امم). So the
/// candidates are `reading` after every combination of those prefixes, and
/// after conjunction + preposition + ل when the article was restored; each
/// candidate is kept only when the splitter does read it as `reading`
/// (guards and the `NO_SPLIT` list decide, exactly as at analysis).
pub fn clitic_forms(reading: &str) -> Vec<String> {
    let mut out = vec![reading.to_string()];
    if !is_arabic_word(reading) {
        return out;
    }
    let mut variants = Vec::new();
    let mut candidate = String::new();
    let mut consider = |prefix: &str, rest: &str, out: &mut Vec<String>| {
        candidate.clear();
        candidate.push_str(prefix);
        candidate.push_str(rest);
        variants.clear();
        proclitic_variants(&candidate, &mut variants);
        if variants.iter().skip(1).any(|v| v == reading) && !out.contains(&candidate) {
            out.push(candidate.clone());
        }
    };
    let after_article = reading.strip_prefix(ARTICLE);
    for conjunction in ["", "و", "ف"] {
        for preposition in ["", "ب", "ك", "ل"] {
            for article in ["", ARTICLE] {
                let prefix = format!("{conjunction}{preposition}{article}");
                if !prefix.is_empty() {
                    consider(&prefix, reading, &mut out);
                }
            }
            if preposition.is_empty() {
                continue;
            }
            // ل + ال written لل: the reading is الX (or X) of [و]?[بكل]لX.
            let prefix = format!("{conjunction}{preposition}ل");
            consider(&prefix, reading, &mut out);
            if let Some(stem) = after_article {
                consider(&prefix, stem, &mut out);
            }
        }
    }
    out
}

/// True when every character is an Arabic letter (U+0621–U+064A).
pub fn is_arabic_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c))
}

fn split_conjunction(word: &str, out: &mut Vec<String>) {
    if is_no_split(word) {
        return;
    }
    if let Some(rest) = strip_letter(word, &CONJUNCTIONS) {
        push_unique(out, rest);
        split_preposition(rest, out);
    }
    split_preposition(word, out);
}

fn split_preposition(word: &str, out: &mut Vec<String>) {
    if is_no_split(word) {
        return;
    }
    if let Some(rest) = strip_letter(word, &PREPOSITIONS) {
        push_unique(out, rest);
        split_article(rest, out);
        if let Some(stem) = rest.strip_prefix('ل') {
            // لل… read as ل + ال…: restore the article's alef, unless the
            // word after ل is a known word (للبنان is ل + لبنان).
            if stem.chars().count() >= MIN_AFTER_ARTICLE && !is_no_split(rest) {
                let with_article = format!("{ARTICLE}{stem}");
                push_unique(out, &with_article);
                split_article(&with_article, out);
            }
        }
    }
    split_article(word, out);
}

fn split_article(word: &str, out: &mut Vec<String>) {
    if is_no_split(word) {
        return;
    }
    if let Some(stem) = word.strip_prefix(ARTICLE) {
        if stem.chars().count() >= MIN_AFTER_ARTICLE {
            push_unique(out, stem);
        }
    }
}

/// Strips one leading clitic letter when enough letters remain.
fn strip_letter<'a>(word: &'a str, letters: &[char]) -> Option<&'a str> {
    let first = word.chars().next()?;
    let rest = &word[first.len_utf8()..];
    let long_enough = rest.chars().count() >= MIN_AFTER_LETTER;
    (letters.contains(&first) && long_enough).then_some(rest)
}

fn push_unique(out: &mut Vec<String>, word: &str) {
    if !out.iter().any(|w| w == word) {
        out.push(word.to_string());
    }
}

/// Token filter emitting [`proclitic_variants`] of each token at its position.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcliticExpander;

/// Tokenizer wrapper produced by [`ProcliticExpander`].
#[derive(Clone)]
pub struct ProcliticExpanderWrapper<T> {
    inner: T,
}

/// Token stream of [`ProcliticExpanderWrapper`].
pub struct ProcliticExpanderStream<T> {
    tail: T,
    /// Readings still to emit for the current word, in reverse order.
    pending: Vec<String>,
    scratch: Vec<String>,
}

impl TokenFilter for ProcliticExpander {
    type Tokenizer<T: Tokenizer> = ProcliticExpanderWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ProcliticExpanderWrapper<T> {
        ProcliticExpanderWrapper { inner: tokenizer }
    }
}

impl<T: Tokenizer> Tokenizer for ProcliticExpanderWrapper<T> {
    type TokenStream<'a> = ProcliticExpanderStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ProcliticExpanderStream {
            tail: self.inner.token_stream(text),
            pending: Vec::new(),
            scratch: Vec::new(),
        }
    }
}

impl<T: TokenStream> TokenStream for ProcliticExpanderStream<T> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop() {
            self.tail.token_mut().text = next;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if is_arabic_word(&token.text) {
            self.scratch.clear();
            proclitic_variants(&token.text, &mut self.scratch);
            // The literal is already in the token; queue the other readings.
            self.pending.extend(self.scratch.drain(1..).rev());
            token.text = mem::take(&mut self.scratch[0]);
        }
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
mod tests {
    use super::*;

    fn variants(word: &str) -> Vec<String> {
        let mut out = Vec::new();
        proclitic_variants(word, &mut out);
        out
    }

    /// Word, readings that must be emitted.
    const MUST: &[(&str, &[&str])] = &[
        ("للبنان", &["للبنان", "لبنان"]),
        ("ولبنان", &["ولبنان", "لبنان"]),
        ("والشام", &["والشام", "الشام", "شام"]),
        ("بالعراق", &["بالعراق", "العراق", "عراق"]),
        ("وبالعراق", &["وبالعراق", "بالعراق", "العراق", "عراق"]),
        ("وداعش", &["وداعش", "داعش"]),
        ("لقوات", &["لقوات", "قوات"]),
        ("للامم", &["للامم", "الامم", "امم"]),
        ("وللامم", &["وللامم", "للامم", "الامم"]),
        ("فالحكومه", &["فالحكومه", "الحكومه", "حكومه"]),
        ("كالعاده", &["كالعاده", "العاده", "عاده"]),
        ("وواشنطن", &["وواشنطن", "واشنطن"]),
        ("وقال", &["وقال", "قال"]),
        ("بالقاهره", &["بالقاهره", "القاهره"]),
    ];

    /// Word, readings that must never be emitted.
    const MUST_NOT: &[(&str, &[&str])] = &[
        ("لبنان", &["بنان"]),
        ("للبنان", &["بنان"]),
        ("بيروت", &["يروت"]),
        ("بريطانيا", &["ريطانيا"]),
        ("كندا", &["ندا"]),
        ("فرنسا", &["رنسا"]),
        ("واشنطن", &["اشنطن"]),
        ("بوتين", &["وتين"]),
        ("وزير", &["زير"]),
        ("ولايه", &["لايه"]),
        ("فكره", &["كره"]),
        ("لجنه", &["جنه"]),
        ("الهام", &["هام"]),
        ("ولد", &["لد"]),
        ("بها", &["ها"]),
        ("كان", &["ان"]),
        ("الله", &["له"]),
        ("وجده", &["جده"]),
        ("كابل", &["ابل"]),
    ];

    #[test]
    fn emits_readings() {
        for (word, expected) in MUST {
            let got = variants(word);
            assert_eq!(got[0], *word, "literal first for {word}");
            for e in *expected {
                assert!(got.iter().any(|g| g == e), "{word}: missing {e} in {got:?}");
            }
        }
    }

    #[test]
    fn never_damages() {
        for (word, forbidden) in MUST_NOT {
            let got = variants(word);
            for f in *forbidden {
                assert!(
                    !got.iter().any(|g| g == f),
                    "{word}: must not emit {f}: {got:?}"
                );
            }
        }
    }

    #[test]
    fn non_arabic_left_alone() {
        assert_eq!(variants("google"), vec!["google"]);
        assert_eq!(variants("2024"), vec!["2024"]);
    }

    #[test]
    fn clitic_forms_invert_the_splitter() {
        // Every reading of every word leads back to the word.
        let words = MUST.iter().chain(MUST_NOT).map(|(w, _)| *w).chain([
            "وبالأمم",
            "فللحكومه",
            "كالعاده",
            "بلحكومه",
            "والده",
            "2024",
        ]);
        for word in words {
            let word = crate::analysis::normalize(word);
            for reading in variants(&word) {
                let forms = clitic_forms(&reading);
                assert_eq!(forms[0], reading);
                assert!(
                    forms.contains(&word),
                    "{word} not among the forms of {reading}: {forms:?}"
                );
            }
        }
    }

    #[test]
    fn clitic_forms_only_words_read_that_way() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "الامم",
                &["وللامم", "للامم", "بالامم", "والامم", "فالامم"],
                &["امم", "لامم"],
            ),
            (
                "لبنان",
                &["للبنان", "ولبنان", "بلبنان"],
                &["بنان", "البنان"],
            ),
            ("كره", &["بكره", "والكره"], &["فكره"]),
            ("حكومه", &["الحكومه", "للحكومه", "وبالحكومه"], &[]),
        ];
        for (reading, present, absent) in cases {
            let forms = clitic_forms(reading);
            for p in *present {
                assert!(
                    forms.iter().any(|f| f == p),
                    "{reading}: {p} missing: {forms:?}"
                );
            }
            for a in *absent {
                assert!(
                    !forms.iter().any(|f| f == a),
                    "{reading}: {a} wrong: {forms:?}"
                );
            }
            for form in &forms[1..] {
                assert!(variants(form).contains(&reading.to_string()), "{form}");
            }
        }
    }

    #[test]
    fn no_duplicates() {
        for (word, _) in MUST {
            let got = variants(word);
            let mut dedup = got.clone();
            dedup.sort();
            dedup.dedup();
            assert_eq!(dedup.len(), got.len(), "{word}: {got:?}");
        }
    }
}
