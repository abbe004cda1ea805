//! Entities: the words after a trigger word that may be a new name, and
//! the model's decision of how many of them are one.
//!
//! The rules propose, the span model ([`super::model`]) decides:
//! - **people** after الرئيس، الملك، الأمير، الشيخ، الجنرال، المشير،
//!   السلطان، وزير…، رئيس: up to three titles are skipped (adjectives of
//!   origin such as الأمريكي, after وزير/رئيس the portfolio, and
//!   السابق، الجديد …), then up to seven words that can be part of a
//!   name, the first without the article, joined by عبد، أبو، بن، آل. No
//!   name after a title that is itself part of a place's or institution's
//!   name (جامعة الملك سعود، طريق الأمير محمد بن سعود);
//! - **organisations**: حركة، حزب، تنظيم، جبهة، هيئة، منظمة، جماعة and up
//!   to six words (the first a proper word, with the article after a
//!   trigger with the article; a quotation mark may open the name);
//! - **places**: مدينة، محافظة، بلدة، قرية، ولاية and up to three words.
//!
//! The window stops at punctuation, at a word that cannot continue a
//! name (a function word as written, a common word for people) and where
//! a table name starts (the table matches it on its own). The model then
//! scores every length from none to the whole window; a length is only
//! allowed when the name does not end on a joining word or a function
//! word, and a person's name of one word is neither a first name alone
//! (الأمير فيصل: which one?) nor shorter than three letters.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::edges::{
    adverb, after_person, after_place, agreeing_adjective, and_another, another_person,
    definite_common, east_asian, family_name, foreign_head, given_after_family, hyphen_syllable,
    inflected_common, is_plural_verb, known_given, perfect_verb, person_after_place,
};
use super::features::{gap, Span, WordView};
use super::lexicon::{after_wa, is_common, is_given_name, is_nisba, literal, word_set};
use super::model::{Model, Scorer};
use super::rules::rules;
use super::table::EntityType;
use super::written::{clean, is_function_word};
use crate::analysis::{is_arabic_word, is_stopword, Word};

/// Words after which a person's name follows.
pub const PERSON_TRIGGERS: &[&str] = &[
    "الرءيس",
    "الملك",
    "الامير",
    "الشيخ",
    "الجنرال",
    "المشير",
    "السلطان",
    "الوزير",
    "وزير",
    "وزيره",
    "الوزيره",
    "رءيس",
];
/// Words that start an organisation's name.
pub const ORG_TRIGGERS: &[&str] = &["حركه", "حزب", "تنظيم", "جبهه", "هيءه", "منظمه", "جماعه"];
/// Words after which a place's name follows.
pub const PLACE_TRIGGERS: &[&str] = &["مدينه", "محافظه", "بلده", "قريه", "ولايه"];
/// Every trigger list.
pub const TRIGGERS: [&[&str]; 3] = [PERSON_TRIGGERS, ORG_TRIGGERS, PLACE_TRIGGERS];

/// Most words of a person's name.
const PERSON_MAX: usize = 13;
/// Most words of an organisation's name after its trigger.
const ORG_MAX: usize = 6;
/// Most words of a place's name.
const PLACE_MAX: usize = 3;
/// Most titles skipped before a person's name.
const TITLES_MAX: usize = 3;

/// Words that qualify a title without being a name (السابق …), skipped
/// like adjectives of origin.
const TITLE_WORDS: &str = "السابق السابقة الأسبق الجديد الجديدة المكلف المكلفة المؤقت الحالي \
     الحالية المنتخب المنتخبة الانتقالي الراحل المخلوع المستقيل المقال المعين";

/// Adverbs of time after a title (الرئيس الفرنسي آنذاك), skipped like
/// [`TITLE_WORDS`] when reading (not in training: see [`Window::veto`]).
const TITLE_ADVERBS: &str = "آنذاك حينذاك وقتذاك حينها وقتها حينئذ";

/// Places and institutions named after a person: a title after one of
/// these (جامعة الملك سعود) starts no person's name.
const NAMED_AFTER: &str = "جامعة مستشفى مدينة طريق شارع مركز ملعب مطار جائزة مؤسسة منتزه \
     مجمع قاعة كلية معهد مسجد جامع جسر ميناء قاعدة كرسي مكتبة حديقة ميدان دوار مبادرة مدرسة \
     مخطط حي مستشفيات جوائز مدارس مراكز صالة استاد إستاد كأس بطولة برنامج صندوق وقف \
     محطة مصنع مجمعات منحة مشروع ضاحية كورنيش نفق دار مدن منتجع ستاد";

/// Words that end a name wherever they stand after its first word: words
/// of time, adverbs, contracted function words and the blessing after a
/// late king's name (الملك عبدالله رحمه الله), لكي («so that») and ولي
/// (الأمير هنري ولي عهد هولندا: crown prince) — never part of a name.
const NAME_ENDS: &str = "مما فيما عما بما كما لما حيث أمس اليوم غدا الليلة مجددا أيضا حاليا \
     سابقا لاحقا مؤخرا قريبا فورا رحمه يرحمه الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة \
     السبت صباح مساء فجر ظهر عصر قائلا قائلة مضيفا مضيفة موضحا موضحة مشيرا مشيرة مؤكدا مؤكدة \
     معتبرا معتبرة لافتا لافتة داعيا داعية مطالبا مطالبة معربا معربة مشددا مشددة واصفا واصفة \
     متهما متهمة محذرا محذرة معلنا معلنة بشأن لكي كي ولي الآن ممن عمن فيمن";

/// Words that head a place's name and never end one (بيت لحم، قصر هلال،
/// رأس الخيمة، كفر الشيخ): a place named بيت alone is a house.
const PLACE_HEADS: &str = "بيت قصر رأس عين دير كفر بئر سيدي جبل وادي تل أم أبو بني بنو مرج \
     خان سوق شط برج حمام";

static TITLE_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(TITLE_WORDS));
static NAMED_AFTER_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(NAMED_AFTER));
static NAME_ENDS_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(NAME_ENDS));
static PLACE_HEADS_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(PLACE_HEADS));
static TITLE_ADVERB_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(TITLE_ADVERBS));

/// True when a word ends the `kind` of name before it: a word of
/// [`NAME_ENDS`]; through its proclitics a stopword (بما is ب + ما); for
/// a person or a place, a common word joined by و (شقراء وفك الحصار: a
/// new clause; not ويلسون; the table holds the places whose names join
/// two, البوسنة والهرسك), for a place و and a consonant (شقراء وفك
/// الحصار: فك is too short for the counts and the readings; not وادي،
/// ويلز); for a place, a verb agreeing with it (ولاية تكساس أمرت: three
/// letters and the feminine ت, a form no place name here takes).
fn ends_name(view: &WordView, kind: EntityType) -> bool {
    if view.is_join() {
        return false;
    }
    let agrees =
        || view.literal.chars().count() == 4 && view.literal.ends_with('ت') && !view.has_article();
    NAME_ENDS_SET.iter().any(|w| view.reads_as(w))
        || view.forms().any(is_stopword)
        || (kind != EntityType::Organisation && view.facts.common > 0 && view.is_wa_joined())
        || (kind == EntityType::Location
            && view.literal.strip_prefix('و').is_some_and(|rest| {
                rest.chars().count() >= 2 && !rest.starts_with(['ا', 'و', 'ي', 'ء'])
            }))
        || (kind == EntityType::Location && agrees())
        || (kind == EntityType::Person
            && (is_verbal_noun(&view.literal)
                || is_plural_noun(&view.literal)
                || is_plural_verb(view)))
        || (kind != EntityType::Organisation && governed(view))
}

/// True for a participle's plural with the article, م and a stem of
/// four letters or more before -ين or -ون (المؤرخين، المسؤولون): the
/// object or subject after a name (الملك فرديناند المؤرخين), never a
/// family name (العثيمين، العابدين، الحسين do not start with م).
fn is_plural_noun(literal: &str) -> bool {
    let Some(rest) = literal.strip_prefix("ال") else {
        return false;
    };
    let stem = rest.strip_suffix("ين").or_else(|| rest.strip_suffix("ون"));
    stem.is_some_and(|stem| stem.starts_with('م') && stem.chars().count() >= 4)
}

/// True for a word written with ب or ل and the article, or ب and a
/// hamza (بالمنستير، بالنيابة، للرئاسة، بأشد): «in», «by» or «for»
/// something after a person's or place's name, not part of it.
fn governed(view: &WordView) -> bool {
    ["بال", "لل", "بأ", "بإ"]
        .iter()
        .any(|p| view.written.starts_with(p))
}

/// True for a verbal noun of the derived forms with the article
/// (الانتخاب، الاستقالة، الانسحاب: افتعال، استفعال، انفعال), which
/// follows a person's name as its object (إعلان الأمير خالد الابتعاد)
/// and is never part of it.
fn is_verbal_noun(literal: &str) -> bool {
    let Some(rest) = literal.strip_prefix("ال") else {
        return false;
    };
    let r: Vec<char> = rest.chars().collect();
    let at = |i: usize, c: char| r.get(i) == Some(&c);
    match r.len() {
        6 => at(0, 'ا') && at(4, 'ا') && (at(2, 'ت') || at(1, 'ن')),
        7 => rest.starts_with("است") && at(5, 'ا'),
        _ => false,
    }
}

/// True when the word is ل joined to a word with the article or a
/// hamza (للجمعية، لإيفرتون): «of» or «for» something after a title
/// (الرئيس التنفيذي لإيفرتون), never the start of a person's name.
fn for_someone(text: &str, word: &Word) -> bool {
    let written = written(text, word);
    ["لل", "لإ", "لأ", "لآ"].iter().any(|p| written.starts_with(p))
}

/// True when the word carries the article (الرئيس، والرئيس، للرئيس), not
/// a name that starts with a hamza and ل (ألكسندر، إليزابيث), which
/// normalizes to the same letters, nor, with `veto` (reading, not
/// training), one that starts with فال (فاليري).
fn definite_word(text: &str, word: &Word, veto: bool) -> bool {
    let article = word.readings.iter().any(|r| r.starts_with("ال"));
    let written = written(text, word);
    // فاليري، فالنتين: a name, not ف and the article
    if veto && written.trim_start_matches('و').starts_with("فال") {
        return false;
    }
    let bare = written.trim_start_matches(['و', 'ف', 'ب', 'ك', 'ل']);
    // the article is written: ال after the proclitics, or لل (ل + ال);
    // كلاوس is Klaus, not ك + ل + اوس
    let conj = written.trim_start_matches(['و', 'ف']);
    let after = conj.strip_prefix(['ب', 'ك']).unwrap_or(conj);
    let written_article = after.starts_with("ال") || after.starts_with("لل");
    article && !bare.starts_with(['أ', 'إ', 'آ']) && (!veto || written_article)
}

/// The word as written (marks and tatweel dropped, [`clean`]).
fn written(text: &str, word: &Word) -> String {
    clean(text.get(word.range.clone()).unwrap_or_default())
}

/// True when a word heads a place's name ([`PLACE_HEADS`]).
fn is_head(view: &WordView) -> bool {
    PLACE_HEADS_SET.contains(&view.literal)
}

/// True for a trigger reading.
pub fn is_trigger(reading: &str) -> bool {
    TRIGGERS.iter().any(|list| list.contains(&reading))
}

/// A word that can be (part of) a new name: Arabic, two letters or more,
/// not a trigger, not common in any of its readings (لشركة is ل + شركة),
/// and not, as written, a function word (على).
pub fn name_word(text: &str, word: &Word) -> bool {
    let literal = literal(word);
    if !is_arabic_word(literal) || literal.chars().count() < 2 {
        return false;
    }
    let written = written(text, word);
    if rules().written && is_function_word(&written) {
        return false;
    }
    let is_common = |w: &str| is_common(w) && (rules().lexicon || is_stopword(w));
    // علي written with ي is the first name, not the preposition على
    let ali = literal == "علي" && written == "علي";
    !word
        .readings
        .iter()
        .any(|r| is_trigger(r) || (is_common(r) && !ali))
}

/// A name word that is no adjective of relation (الإرهابي, أجنبية).
fn proper_word(text: &str, word: &Word) -> bool {
    name_word(text, word) && !is_nisba(literal(word))
}

/// A word that may continue an organisation's or place's name: an Arabic
/// word that is not, as written, a function word.
fn continues(text: &str, word: &Word) -> bool {
    let literal = literal(word);
    let written = written(text, word);
    is_arabic_word(literal) && !is_function_word(&written) && !is_trigger(literal)
}

/// True when the word joins parts of a compound name (عبد، أبو، بن، آل).
fn joins(word: &Word) -> bool {
    matches!(literal(word), "عبد" | "ابو" | "بن" | "ابن" | "ال")
}

/// The words after a trigger that may be a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The type of name.
    pub kind: EntityType,
    /// Index of the first word.
    pub start: usize,
    /// Number of words.
    pub len: usize,
    /// Titles skipped after the trigger.
    pub skipped: usize,
    /// True when the window stops where a table name starts (وزير
    /// الخارجية عادل بن أحمد الجبير: الجبير).
    pub table_after: bool,
    /// True after a title without the article and nothing skipped
    /// (رئيس صوري، رئيس زيمبابوي): one word after it says what or whom
    /// it heads, not who holds it.
    pub bare: bool,
    /// True when reading (not training): the checks added after the model
    /// was first trained veto names here (و and a consonant, ولد, East
    /// Asian syllables …) but do not change the examples the span model
    /// learns from, so the model stays what it learned.
    pub veto: bool,
}

/// True when the words at `a` and `a + 1` are next to each other with
/// nothing but white space between them (or a hyphen, when `hyphen`:
/// كيونغ-هوا).
fn adjacent(text: &str, words: &[Word], a: usize, hyphen: bool) -> bool {
    let (x, y) = (&words[a], &words[a + 1]);
    let g = gap(text, &x.range, &y.range);
    y.position == x.position + 1 && (g.is_empty() || (hyphen && g == "-"))
}

/// True when a word is و + a first name or a common word (وفيصل،
/// وشاهدت): another name or a new clause, not the name going on.
fn conjoined(word: &Word) -> bool {
    after_wa(literal(word), |rest| word.reads_as(rest))
        .is_some_and(|rest| is_given_name(rest) || is_common(rest))
}

/// Skips adjectives of origin (الأمريكي), title words (السابق) and,
/// after وزير/رئيس, the portfolio (الخارجية، الوزراء).
fn skip_titles(text: &str, words: &[Word], mut at: usize, trigger: &str, veto: bool) -> usize {
    let portfolio = matches!(trigger, "وزير" | "وزيره" | "الوزير" | "الوزيره" | "رءيس");
    let mut skipped = 0;
    while skipped < TITLES_MAX {
        let Some(w) = words.get(at) else { break };
        if at > 0 && (words[at - 1].position + 1 != w.position) {
            break;
        }
        if at > 0 && !gap(text, &words[at - 1].range, &w.range).is_empty() {
            break;
        }
        let literal = literal(w);
        // a relative pronoun is no portfolio (رئيس اللجنة التي تقدمت)
        if veto && (is_stopword(literal) || is_function_word(&written(text, w))) {
            break;
        }
        let article = definite_word(text, w, veto);
        let adjective = article && (literal.ends_with('ي') || literal.ends_with("يه"));
        let title = TITLE_SET.iter().any(|t| t == literal)
            || (veto && TITLE_ADVERB_SET.iter().any(|t| t == literal));
        let office = portfolio && article;
        if adjective || office || title {
            at += 1;
            skipped += 1;
        } else {
            break;
        }
    }
    at
}

/// The window after the trigger at `i` (reading `trigger`, `definite`
/// when written with the article); `starts_name(j)` says whether a table
/// name starts at word `j`. A table name at the first word means no
/// window, and one further on ends it, unless `past_table` (training:
/// the table's names are examples of where names end).
pub fn window(
    text: &str,
    words: &[Word],
    i: usize,
    trigger: &str,
    definite: bool,
    starts_name: &dyn Fn(usize) -> bool,
    past_table: bool,
) -> Option<Window> {
    let veto = !past_table;
    let (kind, start, skipped) = if ORG_TRIGGERS.contains(&trigger) {
        (EntityType::Organisation, i + 1, 0)
    } else if PLACE_TRIGGERS.contains(&trigger) {
        (EntityType::Location, i + 1, 0)
    } else {
        // ولد الشيخ: «son of the sheikh», a name (إسماعيل ولد الشيخ أحمد);
        // after a first name a title is a family name (إبراهيم السلطان)
        let in_name = veto && i > 0 && adjacent(text, words, i - 1, false) && {
            let before = literal(&words[i - 1]);
            before == "ولد" || (is_given_name(before) && literal(&words[i]).starts_with("ال"))
        };
        if named_after(text, words, i) || as_title(text, &words[i]) || in_name {
            return None;
        }
        let start = skip_titles(text, words, i + 1, trigger, veto);
        if !past_table && (i + 1..start).any(starts_name) {
            // a table name among the titles (وزير الخارجية الأمريكية)
            // matches on its own
            return None;
        }
        (EntityType::Person, start, start - i - 1)
    };
    let first = words.get(start)?;
    if first.position != words[start - 1].position + 1 || (!past_table && starts_name(start)) {
        return None;
    }
    let before = gap(text, &words[start - 1].range, &first.range);
    let lead_ok = match kind {
        EntityType::Person => before.is_empty() || before == "،" || before == ",",
        EntityType::Organisation => before.chars().all(|c| "\"«“'(".contains(c)),
        _ => before.is_empty(),
    };
    // «وزير المالية الهولندي، وفولفجانج»: after a comma, و starts
    // another person, the title was the one before
    let and_after_comma = |w: &Word| {
        (before == "،" || before == ",")
            && !is_given_name(literal(w))
            && after_wa(literal(w), |rest| w.reads_as(rest)).is_some()
    };
    let first_ok = match kind {
        EntityType::Person => {
            name_word(text, first)
                && !definite_word(text, first, veto)
                && !for_someone(text, first)
                && !and_after_comma(first)
        }
        EntityType::Organisation if trigger == "جبهه" => {
            // a front line (جبهة نهم) unless the name has the article
            // (جبهة النصرة، جبهة التحرير)
            proper_word(text, first) && definite_word(text, first, veto)
        }
        _ => proper_word(text, first) && (!definite || definite_word(text, first, veto)),
    };
    if !lead_ok || !first_ok {
        return None;
    }
    let max = match kind {
        EntityType::Person => PERSON_MAX,
        EntityType::Organisation => ORG_MAX,
        _ => PLACE_MAX,
    };
    let mut len = 1;
    let mut table_after = false;
    while len < max {
        let j = start + len;
        let Some(w) = words.get(j) else { break };
        let prev = &words[j - 1];
        let fits = match kind {
            EntityType::Person => {
                // آل الشيخ: a family named with a title
                let family = literal(prev) == "ال" && is_trigger(literal(w));
                let house = veto && len >= 2 && family_name(&WordView::of(text, w.range.clone()));
                let syllable = veto
                    && literal(prev).ends_with("نغ")
                    && east_asian(literal(prev), literal(w), &written(text, w));
                // مون جاي-إن: after a hyphen the name goes on, whatever the
                // syllable reads as
                let hyphened = veto && hyphen_syllable(text, prev, w);
                (name_word(text, w) || joins(w) || family || house || syllable || hyphened)
                    && !conjoined(w)
                    && !(veto && another_person(w))
            }
            // an organisation's name does not go on with و and a common
            // word without the article (جبهة حيفان وفرار)
            _ => {
                continues(text, w)
                    && !(kind == EntityType::Organisation
                        && conjoined(w)
                        && !definite_word(text, w, veto))
            }
        };
        let person = kind == EntityType::Person;
        let dash = veto
            && person
            && gap(text, &prev.range, &w.range) == "-"
            && text.get(prev.range.end..w.range.start) != Some("-");
        if !adjacent(text, words, j - 1, person) || !fits || dash {
            break;
        }
        // a table name after بن or عبد is the chain going on (عقلا بن علي
        // العقلا: علي is a name of the table)
        if !past_table && starts_name(j) && !(veto && joins(prev)) {
            table_after = true;
            break;
        }
        len += 1;
    }
    let bare = kind == EntityType::Person && bare_title(skipped, trigger);
    Some(Window {
        kind,
        start,
        len,
        skipped,
        table_after,
        bare,
        veto,
    })
}

/// True for a title without the article and nothing skipped after it
/// (رئيس صوري، رئيس تركي منتخب): what follows says what or whom it heads,
/// or what kind of holder, before who holds it ([`Window::bare`]).
fn bare_title(skipped: usize, trigger: &str) -> bool {
    skipped == 0 && matches!(trigger, "رءيس" | "وزير" | "وزيره")
}

/// True when a title is written with ك (كوزيرة للصحة: «as minister of
/// health»): the office, not someone holding it.
fn as_title(text: &str, word: &Word) -> bool {
    let written = written(text, word);
    let bare = written.strip_prefix('و').unwrap_or(&written);
    // no title starts with ك
    bare.starts_with('ك')
}

/// True when the title at `i` follows a word naming a place or an
/// institution (جامعة الملك سعود): the name is theirs, not a person's.
fn named_after(text: &str, words: &[Word], i: usize) -> bool {
    if i == 0 || !adjacent(text, words, i - 1, false) {
        return false;
    }
    let prev = WordView::of(text, words[i - 1].range.clone());
    NAMED_AFTER_SET.iter().any(|n| prev.reads_as(n))
}

/// True when the window's first `k` words may be a name (see the module
/// documentation).
pub fn allowed(text: &str, words: &[Word], w: &Window, k: usize) -> bool {
    if k == 0 || k > w.len {
        return k == 0;
    }
    let last = &words[w.start + k - 1];
    // ولد («son of», إسماعيل ولد الشيخ أحمد) never ends a name either
    if joins(last) || (w.veto && literal(last) == "ولد") {
        return false;
    }
    match w.kind {
        EntityType::Person => {
            let first = literal(&words[w.start]);
            let lone = rules().lexicon && is_given_name(first);
            // «الرئيس التنفيذي لنستله»: one word with ل after a title
            // says whose title it is
            let of = w.skipped > 0
                && first
                    .strip_prefix('ل')
                    .is_some_and(|rest| words[w.start].reads_as(rest));
            k > 1 || (!lone && !w.bare && !of && first.chars().count() >= 3)
        }
        _ => {
            let view = WordView::of(text, last.range.clone());
            let head = w.kind == EntityType::Location
                && (is_head(&view) || (w.veto && foreign_head(&view.literal)));
            // one word after جبهة is a front line (جبهة الحرور), after
            // any trigger a first name says whose it is (حزب صالح، منظمة
            // أيمن جمعة); the
            // table holds the organisations named so (جبهة النصرة، حركة أمل)
            let first = &words[w.start];
            let org = w.kind == EntityType::Organisation;
            let front = org && k == 1 && literal(&words[w.start - 1]).ends_with("جبهه");
            let whose = org && is_given_name(literal(first));
            !view.is_function() && !head && !(w.veto && (front || whose))
        }
    }
}

/// The span decision for a window (views of its words and neighbours).
pub fn span<'a>(
    model: &Model,
    text: &str,
    words: &[Word],
    i: usize,
    trigger_reading: &'a str,
    w: &Window,
) -> Span<'a> {
    let view = |j: usize| WordView::of(text, words[j].range.clone()).with_facts(model);
    let end = w.start + w.len;
    let mut gaps = vec![gap(text, &words[w.start - 1].range, &words[w.start].range)];
    for j in w.start + 1..end {
        gaps.push(gap(text, &words[j - 1].range, &words[j].range));
    }
    let next = words.get(end).map(|_| view(end));
    gaps.push(match words.get(end) {
        Some(n) => gap(text, &words[end - 1].range, &n.range),
        None => "eos".to_string(),
    });
    Span {
        kind: w.kind,
        trigger_reading,
        skipped: w.skipped,
        prev: i.checked_sub(1).map(view),
        trigger: view(i),
        window: (w.start..end).map(view).collect(),
        next,
        hide: 0,
        gaps,
    }
}

/// The model's length of a span's name (0: none): a name starts when
/// the start score passes the type's threshold, and goes on word by word
/// while the continuation score is above its threshold, then backs off to
/// the longest allowed length.
pub fn decide(model: &Model, span: &Span, allowed: &dyn Fn(usize) -> bool) -> usize {
    if start_score(model, span) <= model.threshold(span.kind) {
        return 0;
    }
    // و and a word the corpus shows as common starts a clause (الملك
    // العمومي وقامت), not a name
    if span
        .window
        .first()
        .is_some_and(|w| w.is_wa_joined() && w.facts.common > 0 && !is_given_name(&w.literal))
    {
        return 0;
    }
    let k = extend(model, span, allowed);
    // a perfect verb alone after a title is what its holder did (رئيس
    // الوزراء عبرت، للرئيس الأميركي جاء); a verb or a common plural
    // first is what the holder did or said, whatever follows (الرئيس
    // الأميركي قاوم البرتوكولات، الرئيس الأسبق سيطلبون، الوزير تحيات)
    let first = &span.window[0];
    // after a comma a common word starts a clause (للرئيس، كنت أتمنى); after
    // a title without the article, two words of which the second is common
    // say what kind of holder (أول رئيس تركي منتخب)
    let comma = matches!(span.gaps.first().map(String::as_str), Some("،" | ","));
    let bare = bare_title(span.skipped, span.trigger_reading);
    let common = |w: &WordView| w.facts.common > 0 && !known_given(w);
    if span.kind == EntityType::Person
        && (((k == 1 || comma) && perfect_verb(model, first))
            || inflected_common(model, first)
            || and_another(model, first)
            || (comma && common(first))
            || (bare && k == 2 && common(&span.window[1])))
    {
        return 0;
    }
    // after a trigger without the article, a common word with the
    // feminine ending agrees with it (بحركة طفيفة: «a slight movement»)
    if span.kind == EntityType::Organisation
        && !span.trigger.has_article()
        && first.literal.ends_with('ه')
        && !first.has_article()
        && first.facts.common > 0
    {
        return 0;
    }
    k
}

/// The score of a name starting at a span's first word.
pub fn start_score(model: &Model, span: &Span) -> f32 {
    let mut start = Scorer::new(model, "");
    span.start_features(&mut start);
    start.score
}

/// The length of a name that starts at a span's first word: it goes on
/// while the model says so, or the next word is one the corpus never
/// showed as a common word (the model learns where names end from the
/// table's, mostly one word long; the names to find are not), other than
/// a word joined by و, and for places and organisations an adjective of
/// relation (فلوريدا الأمريكية).
pub fn extend(model: &Model, span: &Span, allowed: &dyn Fn(usize) -> bool) -> usize {
    let mut k = 1;
    while k < span.window.len() {
        let mut go_on = Scorer::new(model, "");
        span.continue_features(k, &mut go_on);
        let next = &span.window[k];
        let person = span.kind == EntityType::Person;
        // a family name ends a chain of two words or more (مكتوم بن حمد
        // الشرقي، فهد الأحمد الصباح); an East Asian name goes on
        let last = &span.window[k - 1];
        let hyphened = person
            && span.gaps.get(k).is_some_and(|g| g == "-")
            && next.literal.chars().count() <= 3;
        // after بن or عبد the chain goes on whatever the word reads as
        // (بن علي: علي is also على written with ي)
        if (person && last.is_join())
            || (person && k >= 2 && family_name(next))
            || east_asian(&last.literal, &next.literal, &next.written)
            || hyphened
        {
            k += 1;
            continue;
        }
        if ends_name(next, span.kind)
            || (person && after_person(model, next, span.window.get(k + 1)))
            || (person && k >= 2 && given_after_family(model, last, next))
            || (span.kind == EntityType::Location
                && !last.is_join()
                && !is_head(last)
                && !foreign_head(&last.literal)
                && person_after_place(next, span.window.get(k + 1)))
            || (!person && after_place(model, next, span.kind == EntityType::Location))
            || (person && k >= 2 && agreeing_adjective(model, next))
            || (person && adverb(next))
            || (span.kind == EntityType::Location
                && !last.has_article()
                && !is_head(last)
                && definite_common(next))
        {
            break;
        }
        let name_like = next.facts.common == 0
            && !next.is_function()
            && !next.is_number()
            && !next.is_wa_joined()
            && (span.kind == EntityType::Person || !is_nisba(&next.literal));
        // a name does not end on عبد، بن، آل, a place's not on بيت or
        // قصر (بيت الفقيه): it goes on to the word that completes it;
        // in a person's name of two words or more a first name goes on
        // (علي حسن خليل: a name of three generations)
        // a place's or organisation's name with the article goes on with
        // the article (منظمة الصحة العالمية), not into a sentence with a
        // common word (منظمة الأعراف تقترح، مدينة الموصل شمال; a word
        // never seen as common may go on: مدينة الحكير لاند)
        let common = next.facts.common > 0 || is_common(&next.literal) || next.is_function();
        if span.kind != EntityType::Person
            && last.has_article()
            && !last.is_join()
            && !next.has_article()
            && common
        {
            break;
        }
        let incomplete = last.is_join()
            || (span.kind == EntityType::Location
                && (is_head(last) || foreign_head(&last.literal)));
        let given = span.kind == EntityType::Person
            && k >= 2
            && (next.facts.given || is_given_name(&next.literal));
        if go_on.score <= model.continue_threshold() && !name_like && !incomplete && !given {
            break;
        }
        k += 1;
    }
    while k > 0 && !allowed(k) {
        k -= 1;
    }
    k
}
