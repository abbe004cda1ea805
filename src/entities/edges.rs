//! Entities: what one word says about the edge of a name — the checks
//! `window` applies when reading (not when training: `Window::veto`) to
//! the words after a trigger: verbs and adverbs that end a name, family
//! names and syllables that go on, و joining another person.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::features::WordView;
use super::lexicon::{after_wa, is_common, is_given_name, literal, word_set};
use super::model::Model;
use super::written::is_function_word;
use crate::analysis::{is_arabic_word, Word};

/// Family names of the Gulf's ruling houses written as a nisba after a
/// person's chain (مكتوم بن حمد الشرقي), and الأب / الابن that tell a
/// father from his son (جورج بوش الأب): common words elsewhere, so the
/// span model ends the name before them.
const FAMILY_NAMES: &str = "الشرقي القاسمي النعيمي المعلا النهيان المكتوم الصباح الخليفة الأب \
     الابن";

/// Perfect verbs common in news that the corpus counts cannot show as
/// common words (they inflect at the end): after a title alone they are
/// what the holder did (للرئيس الأميركي جاء), not who they are.
const VERBS: &str = "جاء جاءت قال قالت كان كانت أكد أكدت أعلن أعلنت أشار أشارت دعا دعت بات \
     باتت ظل ظلت وصل وصلت عاد عادت بدأ بدأت قرر قررت رأى أضاف أضافت أوضح أوضحت كنت كنا \
     رحب رحبت";

static FAMILY_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(FAMILY_NAMES));

static VERB_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(VERBS));

/// True when the word is a first name the corpus (the model's facts) or
/// the lexicon knows: such a word is never read as a verb, an adverb or
/// an inflected common word.
pub(super) fn known_given(view: &WordView) -> bool {
    view.facts.given || is_given_name(&view.literal)
}

/// True when `rest`, the word after a joined و, starts another person or
/// a new clause: a first name (as `given` knows them), or a word of three
/// letters or more starting with a consonant (غونزالو، زامل، شرحت), unless
/// the whole word is a first name (وليد، وائل). Foreign surnames written
/// with و start with a vowel after it (ويليامسون، والاس، وودز).
fn another_after_wa(literal: &str, rest: &str, given: impl Fn(&str) -> bool) -> bool {
    rest.chars().count() >= 3
        && !is_given_name(literal)
        && (given(rest)
            || (!given(literal) && !rest.starts_with(['ا', 'و', 'ي', 'ء']) && !w_sound(rest)))
}

/// True when a word after و reads as a foreign name's W (وليامسون،
/// ولسون، والتر): ل and a long vowel after it.
fn w_sound(rest: &str) -> bool {
    let mut letters = rest.chars();
    letters.next() == Some('ل') && matches!(letters.next(), Some('ي' | 'ا' | 'و'))
}

/// True for a perfect verb of the plural (تلقوا، وقالوا: ـوا after three
/// letters or more), what the people before it did (أنصار الرئيس علي
/// عبدالله صالح تلقوا ضربات); no first or family name here ends so.
pub(super) fn is_plural_verb(view: &WordView) -> bool {
    let stem = view.literal.strip_suffix("وا");
    stem.is_some_and(|s| s.chars().count() >= 3) && !known_given(view)
}

/// True when a word after a person's first name word is و and another
/// person or a new clause ([`another_after_wa`], first names of the
/// lexicon): the name ends before it.
pub(super) fn another_person(word: &Word) -> bool {
    let literal = literal(word);
    after_wa(literal, |rest| word.reads_as(rest))
        .is_some_and(|rest| another_after_wa(literal, rest, is_given_name))
}

/// True when `next` is a short syllable after one ending in ـنغ (مينغ هونغ
/// وي، ليو تيونغ لاي، سونغ يوان): East Asian names of three syllables,
/// whose last may read as an Arabic word (لاي: ل + أي, يوان: yuan).
pub(super) fn east_asian(last: &str, next: &str, next_written: &str) -> bool {
    last.ends_with("نغ")
        && (2..=4).contains(&next.chars().count())
        && is_arabic_word(next)
        && !is_function_word(next_written)
        && !["بال", "لل", "بأ", "بإ", "وال"]
            .iter()
            .any(|p| next_written.starts_with(p))
}

/// True when `w` is a syllable of at most three letters joined to `prev`
/// by a hyphen with no space (مون جاي-إن، كيونغ-هوا): the name goes on,
/// whatever the syllable reads as. A dash between spaces («آل سعود - رحمه
/// الله -») is punctuation.
pub(super) fn hyphen_syllable(text: &str, prev: &Word, w: &Word) -> bool {
    text.get(prev.range.end..w.range.start) == Some("-")
        && is_arabic_word(literal(w))
        && literal(w).chars().count() <= 3
}

/// True for a family name after a person's chain: one of
/// [`FAMILY_NAMES`], or a first name with the article (فهد الأحمد،
/// سالم الصباح: the Kuwaiti way of naming a father or house).
pub(super) fn family_name(view: &WordView) -> bool {
    FAMILY_SET.contains(&view.literal)
        || view
            .literal
            .strip_prefix("ال")
            .is_some_and(|rest| rest.chars().count() >= 3 && is_given_name(rest))
}

/// True for a first word that is و and a first name or a word starting
/// with a consonant (وزير الخارجية الكويتي وظريف، الرئيس ومحمد الفايز):
/// another person than the title's, or a new clause.
pub(super) fn and_another(model: &Model, view: &WordView) -> bool {
    // a first name written with و (وليد، وديع), not و and one (the
    // corpus lists both: ومحمد before بن is و + محمد)
    let given = |w: &str| is_given_name(w) || model.facts(w, std::iter::empty()).given;
    after_wa(&view.literal, |rest| view.reads_as(rest))
        .is_some_and(|rest| another_after_wa(&view.literal, rest, given))
}

/// True for a word the corpus shows as common through an inflection its
/// counts do not follow ([`Model::facts`] strips pronouns only): a verb
/// whose imperfect is common (قاوم: يقاوم), a future with س (سيطلبون:
/// يطلب), a feminine plural whose singular is (تحيات: تحية). A first
/// name the corpus or the lexicon knows is never one.
pub(super) fn inflected_common(model: &Model, view: &WordView) -> bool {
    let lit = view.literal.as_str();
    if known_given(view) || view.has_article() {
        return false;
    }
    let letters = lit.chars().count();
    let imperfect_of = (3..=4).contains(&letters) && corpus_common(model, &format!("ي{lit}"));
    let plural = lit
        .strip_suffix("ات")
        .is_some_and(|stem| corpus_common(model, &format!("{stem}ه")));
    imperfect_of || future_verb(model, view) || plural
}

/// True when the corpus shows a word of three letters or more as common
/// (level 2 or more).
fn corpus_common(model: &Model, word: &str) -> bool {
    word.chars().count() >= 3 && model.facts(word, std::iter::empty()).common >= 2
}

/// True for a future with س whose imperfect the corpus shows as common
/// (سيطلبون: يطلب، سيعودون: يعود): what someone will do, never a name.
fn future_verb(model: &Model, view: &WordView) -> bool {
    !known_given(view)
        && view
            .literal
            .strip_prefix('س')
            .filter(|r| r.starts_with(['ي', 'ت', 'ن']))
            .is_some_and(|r| {
                let stem = ["ون", "ين", "ان", "وا"]
                    .iter()
                    .find_map(|s| r.strip_suffix(s))
                    .unwrap_or(r);
                corpus_common(model, stem)
            })
}

/// True for a perfect verb: one of [`VERBS`], or a word of four letters
/// ending in the feminine ت whose three letters the corpus shows as a
/// common word (عبرت، شرحت), also with an object pronoun after the ت
/// (خذلته، دعتهم), unless the corpus or the lexicon knows it as a first
/// name (رفعت، طلعت).
pub(super) fn perfect_verb(model: &Model, view: &WordView) -> bool {
    if known_given(view) || view.has_article() {
        return false;
    }
    let bare = ["تهما", "تهم", "تها", "ته"]
        .iter()
        .find_map(|p| view.literal.strip_suffix(p))
        .filter(|r| r.chars().count() == 3)
        .map(|r| format!("{r}ت"));
    let verb = bare.as_deref().unwrap_or(&view.literal);
    let root = verb.strip_suffix('ت').filter(|r| r.chars().count() == 3);
    VERB_SET.contains(verb) || root.is_some_and(|r| model.facts(r, std::iter::empty()).common > 0)
}

/// True for an adverb with the accusative alif whose stem the corpus shows
/// as a common word (سحيم آل ثاني غدرا): never part of a person's name.
/// With the article the alif is the name's own (عقلا بن علي العقلا).
pub(super) fn adverb(view: &WordView) -> bool {
    view.literal.ends_with('ا')
        && !view.literal.starts_with("ال")
        && view.literal.chars().count() >= 4
        && view.facts.common > 0
        && !known_given(view)
}

/// True for a common word with the article: after a place's name written
/// without it (حائل المرحلة، طبرجل المهندس) the sentence goes on; names
/// that join the two start with a head (رأس الخيمة، دير الزور) and go on
/// as incomplete.
pub(super) fn definite_common(view: &WordView) -> bool {
    view.literal.starts_with("ال") && (view.facts.common > 0 || is_common(&view.literal))
}

/// True for an adjective with the article and the feminine ending whose
/// stem the corpus shows as a common word (حكومة رئيس الوزراء توني أبوت
/// المصغرة): it agrees with a noun before the name, and is no family name
/// (الطراونة، المعايطة: their stems are not common words).
pub(super) fn agreeing_adjective(model: &Model, view: &WordView) -> bool {
    let stem = view
        .literal
        .strip_prefix("ال")
        .and_then(|r| r.strip_suffix('ه'))
        .filter(|r| r.chars().count() >= 3);
    stem.is_some_and(|r| model.facts(r, std::iter::empty()).common > 0)
}

/// Words that say what a person is or whose kin, written after the name
/// (مايك بنس الزعيم الكوري، الأمير مقرن نجل ولي العهد): a new
/// description, never the name going on.
const DESCRIPTORS: &str = "الزعيم القيادي المتحدث الناطق المرشح اللاعب المدرب الناشط المعارض \
     الداعية الإعلامي الفنان الممثل المطرب النجم المرشد المبعوث المستشار المؤرخ الأديب الباحث \
     المحلل الروائي العلامة نجل نجلي شقيق شقيقة المشرف";

/// The blessings after a name, as their first word, that are no name:
/// the word before الله (زايد طيب الله ثراه; حفظه الله). طيب alone is a
/// name (رجب طيب أردوغان): only before الله.
const BLESSINGS: &str = "طيب حفظه رعاه ايده اطال تغمده اسكنه";

static DESCRIPTOR_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(DESCRIPTORS));

static BLESSING_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(BLESSINGS));

/// True for a word that ends a person's name: one of [`DESCRIPTORS`], the
/// first word of a blessing (`then` is the word after it), a participle
/// of the form المتـ (علي عبدالله صالح المتحالف مع …) or a perfect verb
/// after a chain (الأمير محمد بن ناصر تابعت إمارة …: one of [`VERBS`],
/// or five letters ending in ت whose four the corpus shows as common).
pub(super) fn after_person(model: &Model, view: &WordView, then: Option<&WordView>) -> bool {
    let blessing =
        BLESSING_SET.contains(&view.literal) && then.is_some_and(|w| w.literal == "الله");
    let verb = !known_given(view) && verb_after_name(model, view);
    // ك and the article before a common word (زايد كالتالي: «as
    // follows»); كالدويل (Caldwell) reads as no common word
    let as_word = view.written.starts_with("كال")
        && view
            .readings
            .iter()
            .any(|r| r.starts_with("ال") && model.facts(r, std::iter::empty()).common > 0);
    // a noun with the dual's pronoun (مون جاي-إن التزامهما): theirs
    let dual = view.literal.ends_with("هما") && view.literal.chars().count() >= 5;
    DESCRIPTOR_SET.contains(&view.literal)
        || dual
        || blessing
        || participle(view)
        || verb
        || future_verb(model, view)
        || as_word
}

/// True for a first name after a family name with the article that is no
/// first name itself (حسن العفالق أسامة وهاني: his sons; محمد السيد أحمد
/// goes on, سيد being a first name): another person.
pub(super) fn given_after_family(model: &Model, last: &WordView, next: &WordView) -> bool {
    let given = |w: &str| is_given_name(w) || model.facts(w, std::iter::empty()).given;
    last.literal
        .strip_prefix("ال")
        .is_some_and(|rest| rest.chars().count() >= 3 && !given(rest))
        && known_given(next)
        && !next.is_join()
        && !next.has_article()
}

/// True for a person's name after a place's (بمحافظة العيص سامي الميلبي:
/// the governorate's officer): a first name of the lexicon, without the
/// article, and a family name with it after (not a feminine adjective).
/// A place's name may hold a first name alone (مزار شريف الأفغانية).
pub(super) fn person_after_place(next: &WordView, then: Option<&WordView>) -> bool {
    is_given_name(&next.literal)
        && !next.is_join()
        && !next.has_article()
        && then.is_some_and(|w| {
            // not an adjective agreeing with the place (مزار شريف الأفغانية)
            w.literal.starts_with("ال")
                && w.literal.chars().count() >= 5
                && !w.literal.ends_with('ه')
        })
}

/// True for a participle of the form المتـ (المتحالف، المتشدد، المتهمة):
/// an adjective that describes what goes before, not a family name (those
/// of this shape end in ي: المتولي).
fn participle(view: &WordView) -> bool {
    view.literal
        .strip_prefix("المت")
        .is_some_and(|r| r.chars().count() >= 3 && !r.ends_with('ي'))
}

/// True for a perfect verb after a complete name, without the article:
/// one of [`VERBS`], or five letters ending in ت whose four the corpus
/// shows as common (تابعت، تمكنت).
fn verb_after_name(model: &Model, view: &WordView) -> bool {
    !view.has_article()
        && (VERB_SET.contains(&view.literal)
            || view
                .literal
                .strip_suffix('ت')
                .filter(|r| r.chars().count() == 4)
                .is_some_and(|r| model.facts(r, std::iter::empty()).common > 0))
}

/// True for a word that ends a place's or organisation's name: a
/// masculine participle المتـ (تنظيم الخمير الحمر المتشدد), or for a place
/// a feminine participle of the form المـ…ة agreeing with its trigger
/// (محافظة ذمار الملاصقة لمحافظة صنعاء; names of this shape — المدينة
/// المنورة، مكة المكرمة — are in the alias table) or a verb after it
/// (بمحافظة ضمد تمكنت).
pub(super) fn after_place(model: &Model, view: &WordView, place: bool) -> bool {
    let feminine = view.literal.ends_with('ه');
    (participle(view) && !feminine)
        || (place
            && feminine
            && view.literal.starts_with("الم")
            && view.literal.chars().count() >= 7)
        || (place && verb_after_name(model, view))
}

/// Foreign place names' first words that never end one (ساوث كارولينا،
/// نيو مكسيكو، سان دييغو، لوس أنجلوس): the name goes on to the next word.
const FOREIGN_HEADS: &str = "ساوث نورث ويست إيست نيو سان سانت سانتا لوس لاس فورت بورت ماونت";

static FOREIGN_HEAD_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(FOREIGN_HEADS));

/// True for one of [`FOREIGN_HEADS`] (checked when reading only, like
/// every check here).
pub(super) fn foreign_head(literal: &str) -> bool {
    FOREIGN_HEAD_SET.contains(literal)
}
