//! Entities: what the entity model looks at.
//!
//! Every word is seen the same way ([`WordView`], [`describe`]): its
//! normalized form, the form without its proclitics and the proclitics
//! themselves, its last and first letters (ـات، ـية، يـ …: what kind of
//! word it is when the word itself was never seen), its length, and what
//! the word lists of [`super::lexicon`] say of it (a first name, an
//! adjective of relation, a common word, a function word as written …).
//!
//! - A **span** decision ([`Span`]) sees the trigger word (and its
//!   proclitics: وتنظيم is rarely an organisation's name), the word before
//!   it (مستشفى الملك …), every word of the proposed name, the word after
//!   it and the punctuation between them. Features are named after the
//!   entity type (`PER:inw=ترودو`), identities also without it
//!   (`*:inw=ترودو`).
//! - A **sense** decision ([`sense_features`]) sees the two words on each
//!   side, the punctuation around the word, its proclitics and the other
//!   words of its sentence; the caller names the features after the form
//!   and the class (`المغرب|not|`).
//!
//! Views are built from the original text and each word's byte range, so
//! extraction decides the same at index time (words read only where a name
//! can start) and at search time (every word read).

use std::ops::Range;

use super::lexicon::{after_wa, is_common, is_given_name, is_nisba};
use super::model::{Model, Sink, WordFacts};
use super::table::EntityType;
use super::written::{clean, is_function_word};
use crate::analysis::{is_stopword, normalize, proclitic_variants};

/// Words of a sentence on each side of a sense decision's word.
pub const SENTENCE_REACH: usize = 8;

/// A word as the model sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WordView {
    /// Normalized.
    pub literal: String,
    /// Its proclitic readings other than itself (وبالأمم: بالامم، الامم،
    /// امم): which one the writer meant, the model learns per word.
    pub readings: Vec<String>,
    /// As written (marks dropped).
    pub written: String,
    /// What the training corpus showed of it ([`WordView::with_facts`]).
    pub facts: WordFacts,
}

impl WordView {
    /// The view of the word at `range` of `text`.
    pub fn of(text: &str, range: Range<usize>) -> WordView {
        let original = text.get(range).unwrap_or_default();
        let literal = normalize(original);
        let mut readings = Vec::new();
        proclitic_variants(&literal, &mut readings);
        readings.retain(|r| *r != literal);
        WordView {
            written: clean(original),
            literal,
            readings,
            facts: WordFacts::default(),
        }
    }

    /// The view with the model's facts of the word.
    pub fn with_facts(mut self, model: &Model) -> WordView {
        self.facts = model.facts(&self.literal, self.readings.iter().map(String::as_str));
        self
    }

    /// The literal and every reading.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.literal.as_str()).chain(self.readings.iter().map(String::as_str))
    }

    /// True when one of the word's forms is `word`.
    pub fn reads_as(&self, word: &str) -> bool {
        self.forms().any(|f| f == word)
    }

    /// True when the word carries the article (الـ, والـ, بالـ, للـ …).
    pub fn has_article(&self) -> bool {
        self.literal.starts_with("ال") || self.readings.iter().any(|r| r.starts_with("ال"))
    }

    /// True when the word is one of the parts that join a compound name
    /// (عبد، أبو، بن، ابن، آل).
    pub fn is_join(&self) -> bool {
        matches!(self.literal.as_str(), "عبد" | "ابو" | "بن" | "ابن" | "ال")
    }

    /// True when the word is و joined to another word, one of its readings
    /// (وفك: و + فك).
    pub fn is_wa_joined(&self) -> bool {
        after_wa(&self.literal, |rest| self.reads_as(rest)).is_some()
    }

    /// True when the word is a function word (as written) or a stopword.
    pub fn is_function(&self) -> bool {
        is_function_word(&self.written) || is_stopword(&self.literal)
    }

    /// True when the word starts with a digit.
    pub fn is_number(&self) -> bool {
        self.literal.chars().next().is_some_and(|c| c.is_numeric())
    }

    /// What the word lists say of the word.
    fn flags(&self) -> impl Iterator<Item = &'static str> + '_ {
        let l = self.literal.as_str();
        let any = |f: fn(&str) -> bool| self.forms().any(f);
        [
            ("func", is_function_word(&self.written)),
            ("stop", is_stopword(l)),
            ("stopr", any(is_stopword)),
            ("common", is_common(l)),
            ("commonr", any(is_common)),
            ("given", is_given_name(l)),
            ("nisba", is_nisba(l)),
            ("join", self.is_join()),
            ("num", self.is_number()),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name)
    }
}

/// The first `n` characters of `s`.
fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    s.char_indices().nth(count - n).map_or(s, |(i, _)| &s[i..])
}

/// Small numbers as feature values.
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// How much a view tells (see [`describe`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Identity and proclitics only.
    Identity,
    /// Everything.
    Full,
}

/// Sends the features of a word in `role` (named `{scope}:{role}…`);
/// without its identity (the word and its readings) unless `identity`.
pub fn describe(
    sink: &mut dyn Sink,
    scope: &str,
    role: &str,
    w: &WordView,
    detail: Detail,
    identity: bool,
) {
    if identity {
        sink.add(&[scope, ":", role, "w=", &w.literal]);
        for r in &w.readings {
            sink.add(&[scope, ":", role, "r=", r]);
        }
    }
    if detail == Detail::Identity {
        return;
    }
    for flag in w.flags() {
        sink.add(&[scope, ":", role, "lex=", flag]);
    }
    let f = w.facts;
    sink.add(&[
        scope,
        ":",
        role,
        "cm=",
        DIGITS[usize::from(f.common.min(9))],
    ]);
    if f.given || w.flags().any(|x| x == "given") {
        sink.add(&[scope, ":", role, "given"]);
    }
    if w.is_number() {
        return;
    }
    if w.has_article() {
        sink.add(&[scope, ":", role, "al"]);
    }
    let l = &w.literal;
    sink.add(&[scope, ":", role, "s2=", tail(l, 2)]);
    sink.add(&[scope, ":", role, "s3=", tail(l, 3)]);
    sink.add(&[scope, ":", role, "p1=", head(l, 1)]);
    sink.add(&[scope, ":", role, "p2=", head(l, 2)]);
    let len = l.chars().count().min(9);
    sink.add(&[scope, ":", role, "len=", &len.to_string()]);
}

/// The punctuation between two words (what is between them other than
/// white space), empty when none.
pub fn gap(text: &str, before: &Range<usize>, after: &Range<usize>) -> String {
    text.get(before.end..after.start)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A span decision: the words after a trigger that may be a name.
pub struct Span<'a> {
    /// The type of name the trigger introduces.
    pub kind: EntityType,
    /// The trigger word's reading (الرءيس، حركه …).
    pub trigger_reading: &'a str,
    /// Titles skipped between the trigger and the first word.
    pub skipped: usize,
    /// The word before the trigger, if any.
    pub prev: Option<WordView>,
    /// The trigger word.
    pub trigger: WordView,
    /// The words that may be the name, in order.
    pub window: Vec<WordView>,
    /// The word after the window, if any.
    pub next: Option<WordView>,
    /// Window words seen without their identity (training: the words of
    /// a table name, which new names never are; 0 at inference).
    pub hide: usize,
    /// Punctuation before each window word (`gaps[0]`: between the
    /// trigger or last title and the first word) and after the last
    /// (`gaps[window.len()]`, "eos" at the end of the text).
    pub gaps: Vec<String>,
}

impl Span<'_> {
    /// Features of a name starting at the window's first word: the
    /// trigger and its proclitics, the word before it, the titles
    /// skipped, the punctuation before the first word, the first word and
    /// the one after it.
    pub fn start_features(&self, sink: &mut dyn Sink) {
        let t = self.kind.code();
        sink.add(&[t, ":ty"]);
        sink.add(&[t, ":tr=", self.trigger_reading]);
        let clitics = self
            .trigger
            .literal
            .strip_suffix(self.trigger_reading)
            .unwrap_or_default();
        if !clitics.is_empty() {
            sink.add(&[t, ":trpre=", clitics]);
        }
        match &self.prev {
            Some(prev) => describe(sink, t, "pv", prev, Detail::Full, true),
            None => sink.add(&[t, ":pv=none"]),
        }
        sink.add(&[t, ":skip=", DIGITS[self.skipped.min(3)]]);
        if let Some(g) = self.gaps.first().filter(|g| !g.is_empty()) {
            sink.add(&[t, ":gap0=", g]);
        }
        let first = &self.window[0];
        describe(sink, t, "i1", first, Detail::Full, self.hide == 0);
        match self.word(1) {
            Some(second) if self.gaps[1].is_empty() => {
                describe(sink, t, "i2", second, Detail::Full, self.hide <= 1)
            }
            _ => sink.add(&[t, ":i2=none"]),
        }
    }

    /// The `j`th word from the window's start (the word after the window
    /// at `window.len()`).
    fn word(&self, j: usize) -> Option<&WordView> {
        self.window.get(j).or(if j == self.window.len() {
            self.next.as_ref()
        } else {
            None
        })
    }

    /// Features of a name of `k` words (`k` ≥ 1) going on with the next
    /// window word: that word, the punctuation before it, whether the last
    /// word joins (بن), the word after. Not what the last word is: the
    /// table's names, which training learns from, are mostly one word
    /// whatever it is, and the names to find are not.
    pub fn continue_features(&self, k: usize, sink: &mut dyn Sink) {
        let t = self.kind.code();
        sink.add(&[t, ":c"]);
        sink.add(&[t, ":ck=", DIGITS[k.min(7)]]);
        let last = &self.window[k - 1];
        let g = &self.gaps[k];
        if !g.is_empty() {
            sink.add(&[t, ":cgap=", g]);
        }
        match self.word(k) {
            Some(next) if g != "eos" => {
                let shown = k >= self.hide;
                describe(sink, t, "nx", next, Detail::Full, shown);
                if shown {
                    sink.add(&["*:nxw=", &next.literal]);
                }
                if last.is_join() {
                    sink.add(&[t, ":afterjoin"]);
                }
            }
            _ => sink.add(&[t, ":nx=none"]),
        }
        match self.word(k + 1) {
            Some(after) if self.gaps.get(k + 1).is_some_and(|g| g.is_empty()) => {
                describe(sink, t, "n2", after, Detail::Identity, k + 1 >= self.hide)
            }
            _ => sink.add(&[t, ":n2=none"]),
        }
    }
}

/// The view of the word at `ranges[i]`, if it exists.
fn view(model: &Model, text: &str, ranges: &[Range<usize>], i: usize) -> Option<WordView> {
    ranges
        .get(i)
        .map(|r| WordView::of(text, r.clone()).with_facts(model))
}

/// True when punctuation between two words ends a sentence.
fn ends_sentence(gap: &str) -> bool {
    gap.chars()
        .any(|c| matches!(c, '.' | '!' | '?' | '؟' | '؛' | ';' | ':'))
}

/// The features of a sense decision on the word at `ranges[i]` of `text`
/// (the byte ranges of its words; see the module documentation).
/// `masked` words (normalized, without proclitics) are left out: training
/// hides the words its labels came from. The other words of the sentence
/// count only when `bag` (what an article is about tells المغرب the
/// country from the prayer, and little about علي).
pub fn sense_features(
    model: &Model,
    text: &str,
    ranges: &[Range<usize>],
    i: usize,
    masked: &[&str],
    bag: bool,
    sink: &mut dyn Sink,
) {
    let Some(word) = ranges.get(i) else { return };
    let me = WordView::of(text, word.clone());
    sink.add(&["bias"]);
    sink.add(&["me=", &me.literal]);
    let side = |role: &str, j: Option<usize>, detail: Detail, sink: &mut dyn Sink| match j
        .and_then(|j| view(model, text, ranges, j))
    {
        Some(v) if !hidden(masked, &v) => describe(sink, "S", role, &v, detail, true),
        Some(_) => {}
        None => sink.add(&["S:", role, "=none"]),
    };
    side("p1", i.checked_sub(1), Detail::Full, sink);
    side("p2", i.checked_sub(2), Detail::Identity, sink);
    side("n1", Some(i + 1), Detail::Full, sink);
    side("n2", Some(i + 2), Detail::Identity, sink);
    if let Some(prev) = i.checked_sub(1).and_then(|j| ranges.get(j)) {
        let g = gap(text, prev, word);
        if !g.is_empty() {
            sink.add(&["g0=", &g]);
        }
    }
    if let Some(next) = ranges.get(i + 1) {
        let g = gap(text, word, next);
        if !g.is_empty() {
            sink.add(&["g1=", &g]);
        }
    }
    if !bag {
        return;
    }
    for j in sentence(text, ranges, i) {
        if j + 2 < i || j > i + 2 {
            let v = WordView::of(text, ranges[j].clone());
            if !hidden(masked, &v) && !v.is_function() {
                sink.add(&["bow=", &v.literal]);
                for r in v.readings.iter().filter(|r| r.starts_with("ال")) {
                    sink.add(&["bow=", r]);
                }
            }
        }
    }
}

/// True when a word is one of the `masked` words, in any reading.
fn hidden(masked: &[&str], v: &WordView) -> bool {
    !masked.is_empty() && masked.iter().any(|m| v.reads_as(m))
}

/// Indices of the words of `ranges[i]`'s sentence within
/// [`SENTENCE_REACH`] words of it (itself excluded).
fn sentence(text: &str, ranges: &[Range<usize>], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut j = i;
    while j > 0 && i - j < SENTENCE_REACH {
        if ends_sentence(&gap(text, &ranges[j - 1], &ranges[j])) {
            break;
        }
        j -= 1;
        out.push(j);
    }
    let mut j = i;
    while j + 1 < ranges.len() && j - i < SENTENCE_REACH {
        if ends_sentence(&gap(text, &ranges[j], &ranges[j + 1])) {
            break;
        }
        j += 1;
        out.push(j);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::model::Collector;

    fn views(text: &str) -> Vec<WordView> {
        crate::analysis::exact_words(text)
            .iter()
            .map(|w| WordView::of(text, w.range.clone()))
            .collect()
    }

    #[test]
    fn views_read_proclitics() {
        let v = views("وبالأمم وترامب الحركة");
        assert_eq!(v[0].literal, "وبالامم");
        assert!(v[0].reads_as("امم") && v[0].reads_as("الامم") && v[0].has_article());
        assert!(v[1].reads_as("ترامب") && !v[1].has_article());
        assert!(!v[0].is_function() && v[2].flags().any(|f| f == "common"));
    }

    #[test]
    fn sense_features_see_the_sentence_only() {
        let text = "غادر الوفد. وبعد صلاة المغرب والعشاء عاد الوفد";
        let words = crate::analysis::exact_words(text);
        let ranges: Vec<_> = words.iter().map(|w| w.range.clone()).collect();
        let i = words
            .iter()
            .position(|w| &text[w.range.clone()] == "المغرب")
            .expect("word");
        let mut c = Collector::default();
        sense_features(&Model::default(), text, &ranges, i, &[], true, &mut c);
        let names: Vec<&String> = c.names.values().collect();
        assert!(names.iter().any(|n| *n == "S:p1w=صلاه"), "{names:?}");
        assert!(names.iter().any(|n| *n == "S:n1r=العشاء"), "{names:?}");
        assert!(names.iter().any(|n| *n == "S:n2w=عاد"), "{names:?}");
        assert!(names.iter().any(|n| *n == "bow=الوفد"), "{names:?}");
        assert!(!names.iter().any(|n| *n == "bow=غادر"), "{names:?}");
        let mut masked = Collector::default();
        sense_features(
            &Model::default(),
            text,
            &ranges,
            i,
            &["صلاه"],
            true,
            &mut masked,
        );
        assert!(!masked.names.values().any(|n| n.contains("صلاه")));
    }
}
