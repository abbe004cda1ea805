//! Entities: words that are names in one sentence and something else in
//! another, decided by the sense model ([`super::model`]).
//!
//! - علي: the first name, or the preposition على written with ي (a habit
//!   of some writers and sites: whole articles write every على as علي);
//! - قطر: the country, or a diameter (بقطر 4 سنتيمترات، نصف قطر);
//! - المغرب: the country, or the evening prayer (صلاة المغرب، أذان المغرب);
//! - عمان: Amman (عمّان, Jordan's capital) or Oman (عُمان, سلطنة عمان),
//!   two entities.
//!
//! For a name of two entities, the article decides first: one naming
//! Jordan (الأردن، الأردني …) and not Oman, or Oman (سلطنة، مسقط، العماني
//! …) and not Jordan, means that one in every sentence; the model decides
//! the others from the sentence alone. A word written with its marks
//! decides too (عَمّان، عُمان).

use std::ops::Range;

use super::features::sense_features;
use super::model::{Model, Scorer};
use crate::analysis::{normalize, proclitic_variants};

/// A word with several senses.
pub struct Sense {
    /// The word, normalized.
    pub form: &'static str,
    /// The names it may be (canonical names of table entities, or the
    /// word itself for a name not in the table).
    pub classes: &'static [&'static str],
    /// True when it may be no name at all.
    pub may_be_word: bool,
    /// True when the other words of the sentence count
    /// ([`sense_features`]).
    pub bag: bool,
    /// For each class, words (normalized) that, anywhere in an article,
    /// say it is that one.
    pub evidence: &'static [&'static [&'static str]],
}

/// The words the model decides.
pub const SENSES: &[Sense] = &[
    Sense {
        form: "علي",
        classes: &["علي"],
        may_be_word: true,
        bag: false,
        evidence: &[],
    },
    Sense {
        form: "قطر",
        classes: &["قطر"],
        may_be_word: true,
        bag: true,
        evidence: &[],
    },
    Sense {
        form: "المغرب",
        classes: &["المغرب"],
        may_be_word: true,
        bag: true,
        evidence: &[],
    },
    Sense {
        form: "عمان",
        classes: &["عمّان", "سلطنة عمان"],
        may_be_word: false,
        bag: true,
        evidence: &[
            &[
                "الاردن",
                "الاردني",
                "الاردنيه",
                "الاردنيين",
                "الاردنيون",
                "الهاشميه",
            ],
            &[
                "سلطنه",
                "العماني",
                "العمانيه",
                "العمانيين",
                "العمانيون",
                "مسقط",
                "قابوس",
            ],
        ],
    },
];

/// The sense entry of a normalized word, if it has several senses.
pub fn sense_of(form: &str) -> Option<&'static Sense> {
    SENSES.iter().find(|s| s.form == form)
}

/// True when a word written `written` (its reading `reading`, cut as
/// the writer wrote it) shows a writer who writes على with ى (others
/// write إلى with ى and على with ي). In such an article علي written with
/// ي is the name; in another, the sense model decides.
pub fn marks_final_ya(reading: &str, written: &str) -> bool {
    reading == "علي" && written.ends_with('ى')
}

impl Sense {
    /// The feature prefix of a class (`المغرب|المغرب|`).
    pub fn prefix(&self, class: usize) -> String {
        format!("{}|{}|", self.form, self.classes[class])
    }

    /// The class the marks of a written word decide (عَمّان with a
    /// shadda is Amman, عُمان with a damma Oman), if any.
    pub fn by_marks(&self, original: &str) -> Option<usize> {
        if self.form != "عمان" {
            return None;
        }
        if original.contains('\u{0651}') {
            Some(0)
        } else if original.contains('\u{064F}') {
            Some(1)
        } else {
            None
        }
    }

    /// The class an article's words decide: the only class with
    /// evidence among `words` (normalized, proclitics cut), if any.
    pub fn by_article<'a>(&self, words: impl IntoIterator<Item = &'a str>) -> Option<usize> {
        if self.evidence.is_empty() {
            return None;
        }
        let mut seen = vec![false; self.evidence.len()];
        for w in words {
            for (c, list) in self.evidence.iter().enumerate() {
                seen[c] |= list.contains(&w);
            }
        }
        let mut with = seen.iter().enumerate().filter(|(_, s)| **s);
        match (with.next(), with.next()) {
            (Some((c, _)), None) => Some(c),
            _ => None,
        }
    }

    /// The model's decision on the word at `ranges[i]` of `text`: a class,
    /// or `None` for no name. Scores below `threshold` for every class
    /// mean no name, when the word may be one.
    pub fn decide(
        &self,
        model: &Model,
        text: &str,
        ranges: &[Range<usize>],
        i: usize,
        threshold: f32,
    ) -> Option<usize> {
        let original = text.get(ranges[i].clone()).unwrap_or_default();
        if let Some(c) = self.by_marks(original) {
            return Some(c);
        }
        let mut best: Option<(usize, f32)> = None;
        for c in 0..self.classes.len() {
            let prefix = self.prefix(c);
            let mut scorer = Scorer::new(model, &prefix);
            sense_features(model, text, ranges, i, &[], self.bag, &mut scorer);
            if best.is_none_or(|(_, s)| scorer.score > s) {
                best = Some((c, scorer.score));
            }
        }
        let (c, score) = best?;
        if self.may_be_word && score <= threshold {
            None
        } else {
            Some(c)
        }
    }
}

/// Every reading of every word of texts (normalized, with and without
/// proclitics): what [`Sense::by_article`] reads.
pub fn article_words(texts: &[&str], ranges: &[Vec<Range<usize>>]) -> Vec<String> {
    let mut out = Vec::new();
    for (text, ranges) in texts.iter().zip(ranges) {
        for r in ranges {
            let literal = normalize(text.get(r.clone()).unwrap_or_default());
            proclitic_variants(&literal, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_and_articles_decide_amman_and_oman() {
        let oman = sense_of("عمان").expect("sense");
        assert_eq!(oman.by_marks("عَمّان"), Some(0));
        assert_eq!(oman.by_marks("عُمان"), Some(1));
        assert_eq!(oman.by_marks("عمان"), None);
        assert_eq!(oman.by_article(["الاردني", "قال"]), Some(0));
        assert_eq!(oman.by_article(["مسقط"]), Some(1));
        assert_eq!(oman.by_article(["مسقط", "الاردن"]), None);
        assert_eq!(oman.by_article(["قال"]), None);
    }
}
