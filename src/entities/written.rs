//! Entities: words as the writer wrote them.
//!
//! Matching runs on normalized words (أ إ آ → ا, ى → ي, ة → ه, ؤ ئ → ء),
//! which is what lets a name be found however it is spelled. Two things
//! need the written letters back:
//! - **display**: a name found by rule is shown as written ([`surface`]:
//!   marks and tatweel dropped, proclitics cut off, hamza, ة and ى kept),
//!   never in its normalized form (رءيس, هيءه);
//! - **homographs** ([`compatible`]): normalization merges words a reader
//!   keeps apart. A name written with a plain letter does not match a text
//!   word written with the marked one:
//!   - final ى where the name has ي: the name علي is not على;
//!   - a hamza on alef after the word's first letter where the name has a
//!     bare alef: بان (Ban) is not بأن, فان (Van) is not فإن. At the first
//!     letter (or the first after ال) writers add and drop hamzas freely
//!     (الإتحاد for الاتحاد), so there it is tolerated;
//!   - alef madda آ against hamza alef أ/إ: مأرب is not مآرب;
//!   - a text word that is, as written, a function word (أن، إن، على،
//!     إلى …) matches no name but one spelled the same.
//!
//!   The other way round always matches: a writer who drops a hamza
//!   (احمد for أحمد) or writes ي for ى (مصطفي) still names the entity.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::analysis::clitic_forms;
use crate::analysis::{fold_char, normalize};

/// Function words as written: a text word reading as one of them is that
/// word, not a name that normalizes alike.
const WRITTEN_FUNCTION_WORDS: &[&str] = &[
    "أن", "إن", "آن", "على", "إلى", "حتى", "متى", "لدى", "سوى", "أي", "أو", "إذ", "إذا", "إلا",
    "ألا", "أما", "إما", "أنه", "إنه", "أنها", "إنها", "أنهم", "إنهم", "لأن", "بأن", "فإن", "كأن",
    "وإن", "وأن", "لدى", "مدى", "أنا", "أين", "إذن", "أيضا", "ألف",
];

const HAMZA_ALEFS: [char; 3] = ['أ', 'إ', 'آ'];

/// The word with marks, tatweel and invisible characters dropped and
/// every other letter as written (ligatures folded); one character per
/// character of its normalized form, except a final يء.
pub fn clean(original: &str) -> String {
    let mut out = String::with_capacity(original.len());
    let mut folded = String::new();
    for c in original.chars() {
        folded.clear();
        fold_char(c, &mut folded);
        let mut chars = folded.chars();
        match (chars.next(), chars.next()) {
            (None, _) => {}
            (Some(_), None) if !c.is_uppercase() => out.push(c),
            _ => out.push_str(&folded),
        }
    }
    out
}

/// The written form of `reading`, one of the proclitic readings of a
/// word written `original` whose normalized form is `literal`: the
/// clitics cut off the written word (and ال put back when the reading
/// restores it, للأمم → الأمم). `reading` itself when the written word
/// cannot be aligned with its normalized form.
pub fn surface(original: &str, literal: &str, reading: &str) -> String {
    let cleaned = clean(original);
    let written: Vec<char> = cleaned.chars().collect();
    let literal_len = literal.chars().count();
    if written.len() != literal_len {
        return reading.to_string();
    }
    let (prefix, rest) = if literal.ends_with(reading) {
        ("", reading)
    } else if let Some(rest) = reading
        .strip_prefix("ال")
        .filter(|rest| literal.ends_with(rest))
    {
        ("ال", rest)
    } else {
        return reading.to_string();
    };
    let cut = literal_len - rest.chars().count();
    let mut out = String::from(prefix);
    out.extend(&written[cut..]);
    out
}

/// True when a text word written `text` may be the name word written
/// `name` (both as [`clean`] gives them, normalizing alike); see the
/// module documentation for the rules.
pub fn compatible(text: &str, name: &str) -> bool {
    if text == name {
        return true;
    }
    if is_function_word(text) {
        return false;
    }
    let t: Vec<char> = text.chars().collect();
    let n: Vec<char> = name.chars().collect();
    if t.len() != n.len() {
        return true;
    }
    let first = if text.starts_with("ال") && name.starts_with("ال") {
        2
    } else {
        0
    };
    for (i, (&tc, &nc)) in t.iter().zip(&n).enumerate() {
        if tc == nc {
            continue;
        }
        let last = i + 1 == t.len();
        let clash = match (tc, nc) {
            ('ى', 'ي') => last,
            (h, 'ا') if HAMZA_ALEFS.contains(&h) => i > first,
            ('آ', 'أ' | 'إ') | ('أ' | 'إ', 'آ') => true,
            _ => false,
        };
        if clash {
            return false;
        }
    }
    true
}

/// True when the written word is a function word (`WRITTEN_FUNCTION_WORDS`).
pub fn is_function_word(written: &str) -> bool {
    WRITTEN_FUNCTION_WORDS.contains(&written)
}

/// Normalized forms that a function word shares with a possible name
/// (علي, بان, فان, الي …): where the written letters must be checked.
pub fn homograph_keys() -> impl Iterator<Item = String> {
    WRITTEN_FUNCTION_WORDS.iter().map(|w| normalize(w))
}

/// Every written form (with proclitics) of a [`homograph_keys`] word,
/// with the key it reads as.
pub(super) static KEY_FORMS: LazyLock<FxHashMap<String, String>> = LazyLock::new(|| {
    let mut forms = FxHashMap::default();
    for key in homograph_keys() {
        for form in clitic_forms(&key) {
            forms.entry(form).or_insert_with(|| key.clone());
        }
    }
    forms
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_keeps_letters_as_written() {
        assert_eq!(clean("الرَّئِيسُ"), "الرئيس");
        assert_eq!(clean("هيـــئة"), "هيئة");
        assert_eq!(clean("على"), "على");
        assert_eq!(clean("Trump"), "trump");
    }

    #[test]
    fn surface_cuts_clitics_from_the_written_word() {
        let cases = [
            ("وَلِلأُمَمِ", "وللامم", "الامم", "الأمم"),
            ("وللأمم", "وللامم", "للامم", "للأمم"),
            ("بالقوات", "بالقوات", "القوات", "القوات"),
            ("والهيئة", "والهيءه", "هيءه", "هيئة"),
            ("لشركة", "لشركه", "شركه", "شركة"),
            ("الرئيس", "الرءيس", "الرءيس", "الرئيس"),
        ];
        for (original, literal, reading, want) in cases {
            assert_eq!(surface(original, literal, reading), want, "{original}");
        }
    }

    /// Each homograph pair both ways: (text as written, name as written,
    /// matches).
    #[test]
    fn homograph_pairs_both_directions() {
        let cases = [
            ("بأن", "بان", false),
            ("بان", "بان", true),
            ("فإن", "فان", false),
            ("فان", "فان", true),
            ("على", "علي", false),
            ("علي", "علي", true),
            ("علي", "على", true),
            ("إلى", "الي", false),
            ("مآرب", "مأرب", false),
            ("مأرب", "مأرب", true),
            ("مارب", "مأرب", true),
            ("لأن", "لان", false),
            ("أن", "ان", false),
            // the writer omitted a hamza or wrote ي for ى: still the name
            ("احمد", "أحمد", true),
            ("مصطفي", "مصطفى", true),
            ("اسامة", "أسامة", true),
            // a hamza added at the start is tolerated
            ("إبراهيم", "ابراهيم", true),
            ("الإتحاد", "الاتحاد", true),
            ("إيران", "ايران", true),
        ];
        for (text, name, want) in cases {
            assert_eq!(compatible(text, name), want, "{text} / {name}");
        }
    }
}
