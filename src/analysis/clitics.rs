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
//!
//! Readings are computed as [`Reading`] views of the word (no copy; the
//! filter runs on every indexed word), and [`clitic_forms`] inverts the
//! splitter: every word a given reading comes from.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use rustc_hash::FxHashMap;

use super::lexicon::is_no_split;

/// Conjunctions, the first proclitics of a word.
pub const CONJUNCTIONS: [char; 2] = ['و', 'ف'];
/// Prepositions, after a conjunction and before the article.
pub const PREPOSITIONS: [char; 3] = ['ب', 'ك', 'ل'];
/// The article, the last proclitic; ل + ال is written لل.
pub const ARTICLE: &str = "ال";
/// Letters that must remain after a one-letter clitic.
pub const MIN_AFTER_LETTER: usize = 3;
/// Letters that must remain after the article.
pub const MIN_AFTER_ARTICLE: usize = 2;

/// A proclitic reading of a word, without copying it: the word from byte
/// `start` on, after the article when `article` (لل… read as ل + ال…).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The article is restored before the rest of the word.
    pub article: bool,
    /// Byte offset in the word where the reading's letters start.
    pub start: usize,
}

impl Reading {
    /// The literal word.
    pub const LITERAL: Reading = Reading::suffix(0);

    /// The word from byte `start` on (no article restored).
    pub const fn suffix(start: usize) -> Reading {
        Reading {
            article: false,
            start,
        }
    }

    /// Appends this reading of `word` to `out`.
    pub fn write(self, word: &str, out: &mut String) {
        if self.article {
            out.push_str(ARTICLE);
        }
        out.push_str(&word[self.start..]);
    }

    /// True when two readings of `word` spell the same letters.
    fn same(self, other: Reading, word: &str) -> bool {
        match (self.article, other.article) {
            (true, false) => word[other.start..].strip_prefix(ARTICLE) == Some(&word[self.start..]),
            (false, true) => word[self.start..].strip_prefix(ARTICLE) == Some(&word[other.start..]),
            _ => self.start == other.start,
        }
    }
}

/// Pushes each reading of `word` onto `out`, the literal first, no two
/// spelling the same letters. `word` must be normalized. Allocates nothing
/// (the index analyzers call it for every word).
pub fn proclitic_readings(word: &str, out: &mut Vec<Reading>) {
    out.push(Reading::LITERAL);
    if may_split(word) && is_arabic_word(word) {
        split_conjunction(word, out);
    }
}

/// True when `word` starts with a letter a proclitic can be: a
/// conjunction, a preposition, or the article's alef.
fn may_split(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| CONJUNCTIONS.contains(&c) || PREPOSITIONS.contains(&c) || c == 'ا')
}

/// Pushes `word` and each plausible reading of it without proclitics onto
/// `out` (literal first, no duplicates). `word` must be normalized.
pub fn proclitic_variants(word: &str, out: &mut Vec<String>) {
    let mut readings = Vec::new();
    proclitic_readings(word, &mut readings);
    for r in readings {
        let mut text = String::new();
        r.write(word, &mut text);
        out.push(text);
    }
}

/// The readings of one word a phrase accepts: its readings but those that
/// only drop the article (a phrase with الرياض must not match رياض, a
/// first name or "gardens", while بالرياض still matches الرياض); all of
/// them when that would leave none.
pub fn phrase_readings(readings: Vec<String>) -> Vec<String> {
    let keep: Vec<String> = readings
        .iter()
        .filter(|r| {
            !readings
                .iter()
                .any(|o| o.strip_prefix(ARTICLE) == Some(r.as_str()))
        })
        .cloned()
        .collect();
    if keep.is_empty() {
        readings
    } else {
        keep
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

/// The Arabic letters (first, last) that proclitic splitting and stemming
/// consider: U+0621–U+064A.
pub const ARABIC_LETTERS: (char, char) = ('\u{0621}', '\u{064A}');

/// True when every character is an Arabic letter (U+0621–U+064A).
pub fn is_arabic_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| (ARABIC_LETTERS.0..=ARABIC_LETTERS.1).contains(&c))
}

fn split_conjunction(word: &str, out: &mut Vec<Reading>) {
    if is_no_split(word) {
        return;
    }
    if let Some(rest) = strip_letter(word, 0, &CONJUNCTIONS) {
        push_unique(word, out, Reading::suffix(rest));
        split_preposition(word, rest, out);
    }
    split_preposition(word, 0, out);
}

/// Readings of `word[start..]` without a preposition (and the article).
fn split_preposition(word: &str, start: usize, out: &mut Vec<Reading>) {
    if is_no_split(&word[start..]) {
        return;
    }
    if let Some(rest) = strip_letter(word, start, &PREPOSITIONS) {
        push_unique(word, out, Reading::suffix(rest));
        split_article(word, rest, out);
        if let Some(stem) = word[rest..].strip_prefix('ل') {
            // لل… read as ل + ال…: restore the article's alef, unless the
            // word after ل is a known word (للبنان is ل + لبنان).
            if at_least(stem, MIN_AFTER_ARTICLE) && !is_no_split(&word[rest..]) {
                let stem_start = rest + 'ل'.len_utf8();
                push_unique(
                    word,
                    out,
                    Reading {
                        article: true,
                        start: stem_start,
                    },
                );
                // The restored word without its article again, unless the
                // restored word is itself a word never split.
                if !is_no_split(&format!("{ARTICLE}{stem}")) {
                    push_unique(word, out, Reading::suffix(stem_start));
                }
            }
        }
    }
    split_article(word, start, out);
}

/// The reading of `word[start..]` without the article.
fn split_article(word: &str, start: usize, out: &mut Vec<Reading>) {
    let view = &word[start..];
    if is_no_split(view) {
        return;
    }
    if let Some(stem) = view.strip_prefix(ARTICLE) {
        if at_least(stem, MIN_AFTER_ARTICLE) {
            let start = start + ARTICLE.len();
            push_unique(word, out, Reading::suffix(start));
        }
    }
}

/// True when `text` has at least `n` characters (without counting all).
fn at_least(text: &str, n: usize) -> bool {
    n == 0 || text.chars().nth(n - 1).is_some()
}

/// Where the rest of `word[start..]` starts after one leading clitic letter
/// of `letters`, when enough letters remain.
fn strip_letter(word: &str, start: usize, letters: &[char]) -> Option<usize> {
    let first = word[start..].chars().next()?;
    let rest = start + first.len_utf8();
    (letters.contains(&first) && at_least(&word[rest..], MIN_AFTER_LETTER)).then_some(rest)
}

fn push_unique(word: &str, out: &mut Vec<Reading>, reading: Reading) {
    if !out.iter().any(|r| r.same(reading, word)) {
        out.push(reading);
    }
}

/// Token filter emitting [`proclitic_variants`] of each token at its position.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcliticExpander;

/// Tokenizer wrapper produced by [`ProcliticExpander`].
pub struct ProcliticExpanderWrapper<T> {
    inner: T,
    memo: ReadingMemo,
}

impl<T: Clone> Clone for ProcliticExpanderWrapper<T> {
    /// A copy with an empty memo (each analyzer remembers its own words).
    fn clone(&self) -> Self {
        ProcliticExpanderWrapper {
            inner: self.inner.clone(),
            memo: ReadingMemo::default(),
        }
    }
}

/// The readings of the words an analyzer met last, so that a frequent word
/// is split once, not at every occurrence: readings depend on the word
/// alone. Holds at most [`ReadingMemo::MAX_WORDS`] words and starts over
/// when full (the index analyzer split every token of every article: 9% of
/// indexing instructions).
#[derive(Default)]
struct ReadingMemo {
    /// Word → where its readings are in `arena`, and how many.
    words: FxHashMap<Box<str>, (u32, u8)>,
    arena: Vec<Reading>,
}

impl ReadingMemo {
    /// Most words remembered (a few MiB).
    const MAX_WORDS: usize = 1 << 15;

    /// Pushes the readings of the normalized `word` onto `out` (cleared
    /// first), as [`proclitic_readings`] does.
    fn readings(&mut self, word: &str, out: &mut Vec<Reading>) {
        out.clear();
        if !may_split(word) {
            out.push(Reading::LITERAL);
            return;
        }
        if let Some(&(at, n)) = self.words.get(word) {
            out.extend_from_slice(&self.arena[at as usize..at as usize + usize::from(n)]);
            return;
        }
        proclitic_readings(word, out);
        if self.words.len() >= Self::MAX_WORDS {
            self.words.clear();
            self.arena.clear();
        }
        if let (Ok(at), Ok(n)) = (u32::try_from(self.arena.len()), u8::try_from(out.len())) {
            self.arena.extend_from_slice(out);
            self.words.insert(word.into(), (at, n));
        }
    }
}

/// Token stream of [`ProcliticExpanderWrapper`].
pub struct ProcliticExpanderStream<'a, T> {
    tail: T,
    memo: &'a mut ReadingMemo,
    /// The current word, when it has readings still to emit.
    word: String,
    readings: Vec<Reading>,
    /// Next reading to emit.
    next: usize,
}

impl TokenFilter for ProcliticExpander {
    type Tokenizer<T: Tokenizer> = ProcliticExpanderWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ProcliticExpanderWrapper<T> {
        ProcliticExpanderWrapper {
            inner: tokenizer,
            memo: ReadingMemo::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for ProcliticExpanderWrapper<T> {
    type TokenStream<'a> = ProcliticExpanderStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ProcliticExpanderStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            word: String::new(),
            readings: Vec::new(),
            next: 0,
        }
    }
}

impl<T: TokenStream> TokenStream for ProcliticExpanderStream<'_, T> {
    fn advance(&mut self) -> bool {
        if let Some(&reading) = self.readings.get(self.next) {
            self.next += 1;
            let text = &mut self.tail.token_mut().text;
            text.clear();
            reading.write(&self.word, text);
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        self.memo.readings(&token.text, &mut self.readings);
        // The literal is already in the token; keep the word for the rest.
        self.next = 1;
        if self.readings.len() > 1 {
            self.word.clear();
            self.word.push_str(&token.text);
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

    #[test]
    fn the_memo_gives_what_the_splitter_gives() {
        let mut memo = ReadingMemo::default();
        let letters: Vec<char> = "وفبكلالحكمةسيرنت".chars().collect();
        // more words than the memo holds, each asked twice, so it also
        // starts over
        let n = ReadingMemo::MAX_WORDS + 1000;
        for round in 0..2 {
            for i in 0..n {
                let mut word = String::new();
                let mut k = i + round;
                for _ in 0..5 {
                    word.push(letters[k % letters.len()]);
                    k /= letters.len();
                }
                let (mut direct, mut memoized) = (Vec::new(), Vec::new());
                proclitic_readings(&word, &mut direct);
                memo.readings(&word, &mut memoized);
                assert_eq!(direct, memoized, "{word}");
            }
        }
        assert!(memo.words.len() <= ReadingMemo::MAX_WORDS);
    }

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
