//! Entity training: how the training corpus uses each word, the evidence
//! that a word is a common word and not a name.
//!
//! A name stays as it is; a common word inflects. So a word is common
//! when the corpus shows it, often, in the forms of a common word:
//! - with and without the article (بطولة and البطولة);
//! - with a pronoun suffix (تشكيلته، صفوفهم; not ـه after a word not in
//!   ة: normalized, سليمه is also the feminine سليمة);
//! - in the feminine plural (بطولات، الصادرات; not ـون: ايفون is iPhone,
//!   not a plural of ايف);
//! - as a verb of another person (يجري: تجري، نجري; ستحتضن);
//! - as an adverb or adjective with tanween (حديثا from حديث; five
//!   letters or more: العقلا is a family name);
//! - itself carrying a pronoun suffix on a common base (موافقته، يقطنها).
//!
//! The counts are of every proclitic reading of every word of the
//! training texts (والبطولة counts for والبطولة، البطولة and بطولة).

use rustc_hash::FxHashMap;

use crate::analysis::proclitic_variants;

/// Pronoun suffixes.
const SUFFIXES: [&str; 8] = ["ه", "ها", "هم", "هما", "كم", "نا", "هن", "ك"];

/// Uses of a word needed for evidence of a common word.
pub const COMMON_USES: u32 = 30;

/// Reading counts of a corpus, and pairs of a word before بن.
#[derive(Default)]
pub struct Counts {
    readings: FxHashMap<String, u32>,
    literal: FxHashMap<String, u32>,
    before_bin: FxHashMap<String, u32>,
}

impl Counts {
    /// Counts one text's normalized words, in order.
    pub fn add_words<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        let mut prev: Option<&str> = None;
        for w in words {
            *self.literal.entry(w.to_string()).or_default() += 1;
            if matches!(w, "بن" | "ابن") {
                if let Some(p) = prev {
                    *self.before_bin.entry(p.to_string()).or_default() += 1;
                }
            }
            prev = Some(w);
        }
    }

    /// Spreads the words' counts over their readings (call once, after
    /// every text is counted).
    pub fn finish(&mut self) {
        let mut readings: FxHashMap<String, u32> = FxHashMap::default();
        let mut out = Vec::new();
        for (w, n) in &self.literal {
            out.clear();
            proclitic_variants(w, &mut out);
            for r in &out {
                *readings.entry(r.clone()).or_default() += n;
            }
        }
        self.readings = readings;
    }

    /// Uses of a reading (with any proclitics).
    pub fn count(&self, reading: &str) -> u32 {
        self.readings.get(reading).copied().unwrap_or(0)
    }

    /// The common words the model gets to know: every word without
    /// proclitics or article, of a word written three times or more, that
    /// the corpus shows as common in 30 uses or more, with its level
    /// (2: 30 uses, 3: 100, 4: 300, 5: 1000). Not how frequent a word is:
    /// the names training learns from are the table's, all frequent, and
    /// the new names it must find mostly rare.
    pub fn common_words(&self, given: &dyn Fn(&str) -> bool) -> FxHashMap<String, u8> {
        let mut out = FxHashMap::default();
        for (w, n) in &self.literal {
            if *n < 3 {
                continue;
            }
            let r = self.likely_reading(w);
            let base = r
                .strip_prefix("ال")
                .filter(|b| b.chars().count() >= 2)
                .unwrap_or(&r);
            if out.contains_key(base) {
                continue;
            }
            let uses = self.common_uses(base, given);
            let level = [10, 30, 100, 300, 1000]
                .iter()
                .filter(|e| uses >= **e)
                .count() as u8;
            if level >= 2 {
                out.insert(base.to_string(), level);
            }
        }
        out
    }

    /// True when a word stands before بن three times or more, and in one
    /// of its uses in twenty at least (a first name; منطقة بن قردان does
    /// not make منطقة one).
    pub fn is_first_name(&self, word: &str) -> bool {
        let before = self.before_bin(word);
        before >= 3 && before * 20 >= self.literal.get(word).copied().unwrap_or(0)
    }

    /// Every word [`Counts::is_first_name`] says is a first name.
    pub fn first_names(&self) -> Vec<String> {
        self.before_bin
            .keys()
            .filter(|w| self.is_first_name(w))
            .cloned()
            .collect()
    }

    /// Times a word stands before بن (a first name of a chain of names).
    pub fn before_bin(&self, word: &str) -> u32 {
        self.before_bin.get(word).copied().unwrap_or(0)
    }

    /// The strongest evidence (uses) that a word without the article is a
    /// common word (see the module documentation); none for a first name
    /// (`given`: فيصل and الفيصل, امين and يمين), which the model knows
    /// as such.
    pub fn common_uses(&self, base: &str, given: &dyn Fn(&str) -> bool) -> u32 {
        self.common_uses_by(base, given, true)
    }

    /// As [`Counts::common_uses`]; `alternation` counts the evidence of a
    /// word used with and without the article (which place names have
    /// too: الخبر، حجة).
    pub fn common_uses_by(
        &self,
        base: &str,
        given: &dyn Fn(&str) -> bool,
        alternation: bool,
    ) -> u32 {
        let chars: Vec<char> = base.chars().collect();
        if chars.len() < 2 || given(base) {
            return 0;
        }
        let definite = format!("ال{base}");
        let with_article = self.count(&definite);
        let without = self.count(base).saturating_sub(with_article);
        let mut best = if !alternation {
            0
        } else {
            with_article.min(without)
        };
        // a pronoun suffix: after a word in ة (ت + ه: تشكيلته), or any
        // suffix but ه, which after other words is also the feminine ة
        let feminine = chars.last() == Some(&'ه');
        let stem: String = if feminine {
            chars[..chars.len() - 1]
                .iter()
                .chain(['ت'].iter())
                .collect()
        } else {
            base.to_string()
        };
        let suffixed: u32 = SUFFIXES
            .iter()
            .filter(|s| feminine || **s != "ه")
            .map(|s| self.count(&format!("{stem}{s}")))
            .sum();
        best = best.max(suffixed);
        // a feminine plural (بطولات، صادرات)
        let plain: String = if feminine {
            chars[..chars.len() - 1].iter().collect()
        } else {
            base.to_string()
        };
        best = best.max(self.count(&format!("{plain}ات")));
        // a verb in another person (يجري: تجري، نجري), or in the future
        // (ستحتضن)
        let verb: &[char] = if chars.len() >= 4 && chars[0] == 'س' {
            &chars[1..]
        } else {
            &chars
        };
        if verb.len() >= 3 && matches!(verb[0], 'ي' | 'ت' | 'ن' | 'ا') {
            // (ا: the past of a verb whose present is يـ/تـ: انهي، ينهي)
            let rest: String = verb[1..].iter().collect();
            let persons: u32 = ['ي', 'ت', 'ن']
                .iter()
                .filter(|p| **p != verb[0])
                .map(|p| self.count(&format!("{p}{rest}")))
                .sum();
            best = best.max(persons);
        }
        // tanween of an adverb or adjective (حديثا، قائلا; شرقا from a word
        // as common as شرق)
        if chars.len() >= 4 && chars.last() == Some(&'ا') {
            let bare: String = chars[..chars.len() - 1].iter().collect();
            let uses = self.count(&bare);
            if chars.len() >= 5 || uses >= 1000 {
                best = best.max(uses);
            }
        }
        // the word itself carrying a pronoun (موافقته، يقطنها; شكره from a
        // word as common as شكر: ـه is also the feminine ة)
        for s in SUFFIXES.iter().filter(|s| **s != "ك") {
            if let Some(rest) = base.strip_suffix(s).filter(|r| r.chars().count() >= 3) {
                let noun = rest
                    .strip_suffix('ت')
                    .map_or(rest.to_string(), |r| format!("{r}ه"));
                let uses = self.count(&noun);
                if *s != "ه" || uses >= 1000 {
                    best = best.max(uses / 2);
                }
            }
        }
        if let Some(rest) = base.strip_suffix("ته").filter(|r| r.chars().count() >= 2) {
            best = best.max(self.count(&format!("{rest}ه")) / 2);
        }
        best
    }

    /// The reading of a word the writer most likely meant: the one most
    /// often written alone (بنفسه is ب + نفسه, فلوريدا is فلوريدا: nobody
    /// writes لوريدا), the word itself on a tie.
    pub fn likely_reading(&self, literal: &str) -> String {
        let mut readings = Vec::new();
        proclitic_variants(literal, &mut readings);
        let alone = |w: &str| self.literal.get(w).copied().unwrap_or(0);
        let mut best = literal.to_string();
        for r in readings {
            if alone(&r) > alone(&best) {
                best = r;
            }
        }
        best
    }

    /// True when the corpus shows `literal` (normalized, possibly with
    /// proclitics), read as the writer most likely meant it, in the forms
    /// of a common word.
    pub fn is_common(
        &self,
        literal: &str,
        given: &dyn Fn(&str) -> bool,
        alternation: bool,
    ) -> bool {
        let r = self.likely_reading(literal);
        let base = r
            .strip_prefix("ال")
            .filter(|b| b.chars().count() >= 2)
            .unwrap_or(&r);
        self.common_uses_by(base, given, alternation) >= COMMON_USES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_words_are_common_names_are_not() {
        let mut c = Counts::default();
        let mut text: Vec<&str> = Vec::new();
        for _ in 0..40 {
            text.extend([
                "بطوله",
                "البطوله",
                "بطولات",
                "تشكيلته",
                "يجري",
                "تجري",
                "حديث",
                "ترودو",
                "ايفون",
                "وترودو",
                "فيصل",
                "الفيصل",
                "بن",
            ]);
        }
        c.add_words(text.iter().copied());
        c.finish();
        let given = |w: &str| w == "فيصل";
        for w in ["بطوله", "البطوله", "تشكيله", "يجري", "حديثا"] {
            assert!(c.is_common(w, &given, true), "{w}");
        }
        for w in ["ترودو", "الفيصل", "فيصل", "ايف"] {
            assert!(!c.is_common(w, &given, true), "{w}");
        }
        assert_eq!(c.before_bin("فيصل"), 0);
        assert_eq!(c.before_bin("الفيصل"), 40);
    }
}
