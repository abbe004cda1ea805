//! Analysis data: the word lists the clitic splitter, the stemmer and the
//! stopword filter consult.
//!
//! Lists are written in ordinary spelling (with hamzas, ة and ى) and
//! normalized once, on first use, so they always agree with
//! [`super::normalize()`]. Sets use rustc-hash's Fx hasher: they are looked up
//! for every token, and SipHash showed in indexing profiles.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::normalize::normalize;

/// Words whose first letters look like clitics but belong to the word: no
/// proclitic split is ever emitted for them (the literal always is).
/// Names first, then common words whose split would land on another common
/// word (فكرة → كرة, لجنة → جنة, بطاقة → طاقة, إلهام → هام).
const NO_SPLIT: &[&str] = &[
    // places and people
    "لبنان",
    "بيروت",
    "بريطانيا",
    "كندا",
    "فرنسا",
    "واشنطن",
    "بوتين",
    "بوتن",
    "ليبيا",
    "بغداد",
    "بلجيكا",
    "بولندا",
    "برلين",
    "باريس",
    "بكين",
    "لندن",
    "فنزويلا",
    "فلسطين",
    "فيتنام",
    "فنلندا",
    "كوريا",
    "كوبا",
    "كينيا",
    "باكستان",
    "بنغلاديش",
    "بلغاريا",
    "بيلاروسيا",
    "بوليفيا",
    "كولومبيا",
    "كرواتيا",
    "كازاخستان",
    "كمبوديا",
    "لوكسمبورغ",
    "ليتوانيا",
    "لاتفيا",
    "ليبيريا",
    "وهران",
    "بنغازي",
    "بعلبك",
    "بايدن",
    "بلينكن",
    "فيصل",
    "كمال",
    "ليلى",
    "بشار",
    "بندر",
    "وليد",
    "وائل",
    "وفاء",
    "بيت لحم",
    "بنما",
    "بيرو",
    "فيينا",
    "لاهاي",
    "لشبونة",
    "كييف",
    "كابول",
    "كراتشي",
    "ألمانيا",
    "ألماني",
    "ألبانيا",
    "الله",
    "وجدة",
    "كابل",
    // common words
    "فكرة",
    "لجنة",
    "لجان",
    "وحدة",
    "بطولة",
    "بطاقة",
    "فريق",
    "كتاب",
    "بلدية",
    "كانت",
    "لكن",
    "لحظة",
    "وجود",
    "بحيرة",
    "وفاة",
    "فساد",
    "ليلة",
    "والي",
    "كلمة",
    "كبير",
    "وزير",
    "وزيرة",
    "وزارة",
    "ولاية",
    "وكالة",
    "وطن",
    "وطني",
    "وطنية",
    "بيان",
    "بلاد",
    "فترة",
    "فرصة",
    "برنامج",
    "وسائل",
    "وباء",
    "لقاء",
    "بقاء",
    "ورقة",
    "فرقة",
    "كرامة",
    "لاعب",
    "لاعبين",
    "فنان",
    "كاتب",
    "فندق",
    "كنيسة",
    "بورصة",
    "فائدة",
    "لائحة",
    "فيروس",
    "فيلم",
    "بريد",
    "إلهام",
    "إلغاء",
    "ألم",
    "ألف",
    "ألعاب",
    "ألبوم",
    "إلكتروني",
    "إلكترونية",
    "التي",
    "الذي",
    "الذين",
    "اللذان",
    "اللتان",
    "اللواتي",
    "إلا",
    "إلى",
    "الآن",
];

/// Words the light stemmer leaves whole: names and nouns whose last letters
/// look like a suffix (ين، ان، ون، ي، ه) but are part of the word.
const NO_STEM: &[&str] = &[
    "فلسطين",
    "أردوغان",
    "برلمان",
    "البرلمان",
    "مهرجان",
    "سليمان",
    "ماكرون",
    "مليون",
    "الله",
    "بنيامين",
    "قسطنطين",
    "كلينتون",
    "أنطونيو",
    "لبنان",
    "عمان",
    "إيران",
    "طهران",
    "السودان",
    "اليابان",
    "اليونان",
    "عثمان",
    "رمضان",
    "سلمان",
    "بوتين",
    "ياسين",
    "حسين",
    "البحرين",
    "بحرين",
    "الصين",
    "تشرين",
    "شيرين",
    "نسرين",
    "جنين",
    "سوريا",
    "تركيا",
    "روسيا",
    "أمريكا",
    "إسبانيا",
    "إيطاليا",
    "أوكرانيا",
    "الفاتيكان",
    "تلفزيون",
    "التلفزيون",
    "ثلاثين",
    "أربعين",
    "ثمانين",
];

/// Arabic stopwords dropped by the keyword analyzer (kept by the exact
/// analyzer, so phrase positions stay exact).
const STOPWORDS: &[&str] = &[
    "في",
    "من",
    "على",
    "إلى",
    "عن",
    "مع",
    "أن",
    "إن",
    "ان",
    "لا",
    "ما",
    "لم",
    "لن",
    "قد",
    "هل",
    "كل",
    "بعض",
    "أو",
    "أم",
    "ثم",
    "بل",
    "لكن",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هؤلاء",
    "أولئك",
    "هنا",
    "هناك",
    "الذي",
    "التي",
    "الذين",
    "اللذان",
    "اللتان",
    "اللواتي",
    "هو",
    "هي",
    "هم",
    "هن",
    "هما",
    "نحن",
    "أنا",
    "أنت",
    "أنتم",
    "كان",
    "كانت",
    "كانوا",
    "يكون",
    "تكون",
    "ليس",
    "ليست",
    "عند",
    "عندما",
    "حيث",
    "حين",
    "بين",
    "كما",
    "أيضا",
    "أيضاً",
    "فقط",
    "إذا",
    "إذ",
    "لقد",
    "كذلك",
    "منذ",
    "خلال",
    "حتى",
    "لدى",
    "نحو",
    "ضد",
    "غير",
    "سوى",
    "دون",
    "وفي",
    "ومن",
    "وعلى",
    "وإلى",
    "وعن",
    "ومع",
    "وأن",
    "وإن",
    "ولا",
    "وما",
    "ولم",
    "ولن",
    "وقد",
    "وهو",
    "وهي",
    "وهم",
    "وكان",
    "وكانت",
    "فإن",
    "فقد",
    "بأن",
    "لأن",
    "كأن",
    "له",
    "لها",
    "لهم",
    "به",
    "بها",
    "بهم",
    "فيه",
    "فيها",
    "فيهم",
    "منه",
    "منها",
    "منهم",
    "عليه",
    "عليها",
    "عليهم",
    "إليه",
    "إليها",
    "عنه",
    "عنها",
    "أنه",
    "أنها",
    "إنه",
    "إنها",
    "أي",
    "أيّ",
    "التى",
    "الى",
    "علي",
    "اى",
];

fn normalized_set(words: &[&str]) -> FxHashSet<String> {
    words.iter().map(|w| normalize(w)).collect()
}

static NO_SPLIT_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| normalized_set(NO_SPLIT));
static NO_STEM_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| normalized_set(NO_STEM));
static STOPWORD_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| normalized_set(STOPWORDS));

/// A normalized word list, sorted (for exports that must list it, such as
/// the OpenSearch analysis chain of `export`).
fn sorted(set: &FxHashSet<String>) -> Vec<&str> {
    let mut words: Vec<&str> = set.iter().map(String::as_str).collect();
    words.sort_unstable();
    words
}

/// The normalized words never split into proclitic readings, sorted.
pub fn no_split_words() -> Vec<&'static str> {
    sorted(&NO_SPLIT_SET)
}

/// The normalized words the light stemmer leaves whole, sorted.
pub fn no_stem_words() -> Vec<&'static str> {
    sorted(&NO_STEM_SET)
}

/// The normalized stopwords of the keyword analyzer, sorted.
pub fn stopwords() -> Vec<&'static str> {
    sorted(&STOPWORD_SET)
}

/// True when no proclitic split may be emitted for this normalized word.
pub fn is_no_split(word: &str) -> bool {
    NO_SPLIT_SET.contains(word)
}

/// True when the stemmer must leave this normalized word whole.
pub fn is_no_stem(word: &str) -> bool {
    NO_STEM_SET.contains(word)
}

/// True when this normalized word is an Arabic stopword.
pub fn is_stopword(word: &str) -> bool {
    STOPWORD_SET.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_looked_up_in_normalized_form() {
        assert!(is_no_split("لبنان"));
        assert!(is_no_split(&normalize("إلهام")));
        assert!(is_no_stem(&normalize("أردوغان")));
        assert!(is_stopword(&normalize("إلى")));
        assert!(is_stopword(&normalize("على")));
        assert!(!is_stopword("لبنان"));
        assert!(!is_no_split("العراق"));
    }
}
