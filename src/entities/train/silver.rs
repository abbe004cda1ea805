//! Entity training: silver labels, read off the training corpus by rules
//! that are sure of a few cases (no labelled data from elsewhere).
//!
//! **Spans** (after a trigger word, how many words are a name):
//! - a name of the alias table right after the trigger is the name, as
//!   long as the table's (الرئيس دونالد ترامب إن: two words); a table name
//!   of another type means none (رئيس زيمبابوي is no person). At an
//!   organisation's trigger, a table name that starts with it (منظمة
//!   الصحة العالمية) counts the same way;
//! - a chain of names joined by بن and آل (الأمير فيصل بن خالد بن
//!   عبدالعزيز) is a person's whole name;
//! - a first word that the corpus shows inflecting as a common word
//!   ([`Counts::is_common`]: بطولة، يجري، قائلا …) means none, unless it
//!   is a first name or a word of a table name.
//!
//! **Senses** ([`crate::entities::senses`]):
//! - علي: in an article that writes على with ى, علي written with ي is
//!   the name and على the preposition (the model never sees the last
//!   letter: it learns the sentence, for articles that write both alike);
//! - قطر: a diameter next to a number or a unit (بقطر 4 سنتيمترات، نصف
//!   قطر); the country in an article that says قطري، الدوحة …;
//! - المغرب: the prayer in a sentence of prayers (صلاة، أذان، العشاء …);
//!   the country in an article that says المغربي، الرباط …;
//! - عمان: written with its marks, or in an article that names only
//!   Jordan or only Oman; those words are hidden from the model, which
//!   must learn the sentences themselves.

use std::ops::Range;

use rustc_hash::FxHashSet;

use super::counts::Counts;
use crate::analysis::Word;
use crate::entities::extract::{ArticleSenses, Extractor};
use crate::entities::lexicon::is_given_name;
use crate::entities::lexicon::literal;
use crate::entities::senses::{marks_final_ya, Sense};
use crate::entities::window::{allowed, name_word, Window};
use crate::entities::written::{clean, surface};
use crate::entities::EntityType;

/// Units of length: قطر next to one is a diameter.
const UNITS: &[&str] = &[
    "سم",
    "مم",
    "ملم",
    "متر",
    "مترا",
    "امتار",
    "سنتيمتر",
    "سنتيمترا",
    "سنتيمترات",
    "سنتمتر",
    "ملليمتر",
    "ملليمترا",
    "مليمتر",
    "مليمترا",
    "ميليمتر",
    "كيلومتر",
    "كيلومترا",
    "كلم",
    "بوصه",
    "انش",
    "ميكرون",
    "نانومتر",
    "الدايره",
    "دايره",
];
/// Words of a sentence about prayers.
const PRAYER: &[&str] = &[
    "صلاه",
    "اذان",
    "الاذان",
    "العشاء",
    "الفجر",
    "الظهر",
    "العصر",
    "الصبح",
    "الافطار",
    "افطار",
    "الصلاه",
    "صلاتي",
    "الصايمين",
    "المصلين",
    "التراويح",
    "الامام",
    "المسجد",
];
/// Words of an article about Qatar.
const QATAR: &[&str] = &[
    "القطري",
    "القطريه",
    "القطريين",
    "القطريون",
    "الدوحه",
    "تميم",
    "قطريه",
    "قطري",
];
/// Words of an article about Morocco.
const MOROCCO: &[&str] = &[
    "المغربي",
    "المغربيه",
    "المغاربه",
    "المغربيين",
    "الرباط",
    "مراكش",
    "طنجه",
    "فاس",
    "مغربي",
    "مغربيه",
];

/// What the silver rules read from.
pub struct Silver<'a> {
    /// The rules' extractor (senses not decided: labels must not depend on
    /// a previous model).
    pub extractor: &'a Extractor,
    /// Corpus counts.
    pub counts: &'a Counts,
    /// Words of the table's names (never common by evidence).
    pub table_words: &'a FxHashSet<String>,
}

/// What an article shows, for the sense labels.
pub struct ArticleFacts {
    /// Every reading of every word.
    pub words: FxHashSet<String>,
    /// True when the writer writes على with ى.
    pub marks_ya: bool,
}

impl ArticleFacts {
    /// The facts of an article's texts and words.
    pub fn of(texts: &[&str], words: &[Vec<Word>]) -> ArticleFacts {
        let mut all = FxHashSet::default();
        let mut marks_ya = false;
        for (text, ws) in texts.iter().zip(words) {
            for w in ws {
                all.extend(w.readings.iter().cloned());
                if w.reads_as("علي") {
                    let original = text.get(w.range.clone()).unwrap_or_default();
                    marks_ya |= marks_final_ya("علي", &surface(original, literal(w), "علي"));
                }
            }
        }
        ArticleFacts {
            words: all,
            marks_ya,
        }
    }

    fn has_any(&self, list: &[&str]) -> bool {
        list.iter().any(|w| self.words.contains(*w))
    }
}

impl Silver<'_> {
    /// True for a first name: listed, or seen before بن in the corpus.
    pub fn given(&self, word: &str) -> bool {
        is_given_name(word) || self.counts.is_first_name(word)
    }

    /// The silver length of the window after the trigger at `i`, if the
    /// rules are sure of one, and whether it is a table name's (whose
    /// words the model must not learn by heart: new names are never
    /// table names).
    pub fn span(
        &self,
        text: &str,
        words: &[Word],
        i: usize,
        w: &Window,
        article: &ArticleSenses,
    ) -> Option<(usize, bool)> {
        let table = |j: usize| self.extractor.table_match(text, words, j, article);
        let fits = |k: usize| k <= w.len && allowed(text, words, w, k);
        if w.kind == EntityType::Organisation {
            if let Some(m) = table(i).filter(|m| m.len >= 2) {
                let k = m.len - 1;
                return (m.kind == w.kind && fits(k)).then_some((k, true));
            }
        }
        if let Some(m) = table(w.start) {
            if m.kind != w.kind {
                return Some((0, false));
            }
            return fits(m.len).then_some((m.len, true));
        }
        if w.kind == EntityType::Person {
            if let Some(k) = self.chain(text, words, w) {
                return Some((k, false));
            }
        }
        let first = literal(&words[w.start]);
        let base = first.strip_prefix("ال").unwrap_or(first);
        let given = |x: &str| self.given(x);
        let named = self.table_words.contains(first) || self.table_words.contains(base);
        if w.kind == EntityType::Location && words[i].readings.iter().any(|r| r.starts_with("ال"))
        {
            // المدينة العتيقة: after a place word with the article, a word
            // with it describes the place (the names that follow one, such
            // as المدينة المنورة, are the table's)
            return (!named).then_some((0, false));
        }
        // place names are often words with and without the article too
        // (الخبر، حجة): for places, only other forms of a common word count
        let alternation = w.kind != EntityType::Location;
        if !self.given(first) && !named && self.counts.is_common(first, &given, alternation) {
            return Some((0, false));
        }
        None
    }

    /// The length of a chain of names joined by بن (and a family name
    /// after آل) from the window's first word: three words or more, whole
    /// (not cut by the window). A family name with the article right after
    /// the chain (سلمان بن يوسف الدوسري، أحمد بن علي السليم) is part of it,
    /// unless it is a common noun in ة (التهنئة); a common word without the
    /// article (مستشار) is not; another word there leaves the end unsure
    /// (no label).
    fn chain(&self, text: &str, words: &[Word], w: &Window) -> Option<usize> {
        let end = w.start + w.len;
        let at = |j: usize| words.get(j).map_or("", literal);
        let mut j = w.start + 1;
        while j + 1 < end && matches!(at(j), "بن" | "ابن") && name_word(text, &words[j + 1]) {
            j += 2;
        }
        if j + 1 < end && at(j) == "ال" && name_word(text, &words[j + 1]) {
            j += 2;
        }
        if j - w.start < 3 || matches!(at(j), "بن" | "ابن" | "ال") {
            return None;
        }
        let mut k = j - w.start;
        if j < end {
            let given = |x: &str| self.given(x);
            let common = self.counts.is_common(at(j), &given, true);
            // a family name is often a common word too (السليم، الدخيل);
            // a word in ة is rather a noun (التهنئة)
            let noun = common && at(j).ends_with('ه');
            match (at(j).starts_with("ال"), common) {
                (true, _) if !noun => k += 1,
                (_, true) => {}
                _ => return None,
            }
        }
        allowed(text, words, w, k).then_some(k)
    }

    /// The silver sense of the word at `words[i]` (`Some(None)`: no name;
    /// `None`: not sure), and the words to hide from the model.
    pub fn sense(
        &self,
        sense: &Sense,
        text: &str,
        ranges: &[Range<usize>],
        i: usize,
        facts: &ArticleFacts,
    ) -> Option<(Option<usize>, Vec<&'static str>)> {
        let view = |j: usize| {
            ranges
                .get(j)
                .map(|r| crate::entities::features::WordView::of(text, r.clone()))
        };
        let original = text.get(ranges[i].clone()).unwrap_or_default();
        match sense.form {
            "علي" => {
                let me = view(i)?;
                let written = surface(original, &me.literal, "علي");
                if written.ends_with('ى') {
                    Some((None, Vec::new()))
                } else if facts.marks_ya && clean(&written) == "علي" {
                    Some((Some(0), Vec::new()))
                } else {
                    None
                }
            }
            "قطر" => {
                let next = view(i + 1);
                let near_unit = (i + 1..i + 4)
                    .filter_map(view)
                    .any(|v| UNITS.iter().any(|u| v.reads_as(u)));
                let number = next.as_ref().is_some_and(|v| v.is_number());
                let half = i > 0 && view(i - 1).is_some_and(|v| v.reads_as("نصف"));
                if near_unit || number || half {
                    Some((None, Vec::new()))
                } else {
                    facts.has_any(QATAR).then(|| (Some(0), Vec::new()))
                }
            }
            "المغرب" => {
                let from = i.saturating_sub(8);
                let prayer = (from..i + 9)
                    .filter(|&j| j != i)
                    .filter_map(view)
                    .any(|v| PRAYER.iter().any(|p| v.reads_as(p)));
                if prayer {
                    Some((None, Vec::new()))
                } else {
                    facts.has_any(MOROCCO).then(|| (Some(0), Vec::new()))
                }
            }
            _ => {
                let class = sense
                    .by_marks(original)
                    .or_else(|| sense.by_article(facts.words.iter().map(String::as_str)))?;
                let hidden: Vec<&'static str> = sense
                    .evidence
                    .iter()
                    .flat_map(|l| l.iter().copied())
                    .collect();
                Some((Some(class), hidden))
            }
        }
    }
}
