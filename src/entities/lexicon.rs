//! Entities: the word lists that decide what can be a new name.
//!
//! Written for akhbar, in ordinary spelling (normalized on first use).
//! The lists were drawn up by reading, on the shared corpora, the words
//! that most often follow the trigger words (الرئيس، وزير، حركة، مدينة …):
//! a word that stands there far more often outside a name than inside one
//! (مجلس after رئيس: «رئيس مجلس الوزراء»; الأمن after قوات) is common, not
//! a name. They are lists and not statistics of the indexed corpus because
//! a decision taken at index time must not depend on what is indexed later
//! (an article's entities would change with its neighbours).
//!
//! - [`is_common`]: nouns, adjectives, verbs and function words that are
//!   never a new name on their own (institutions, offices, portfolios,
//!   descriptors of forces, time words, reporting verbs);
//! - [`is_given_name`]: first names, which do not name a person alone
//!   (الأمير فيصل: which one?);
//! - [`is_ambiguous_name`]: names of the alias table that are also common
//!   words (حماس "zeal", المملكة "the kingdom", جنين "foetus"): a mention
//!   counts only with context, see `extract`.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::analysis::{is_stopword, normalize, Word};

/// Common words (see the module documentation), space-separated.
const COMMON: &str = "
مجلس المجلس هيئة الهيئة لجنة اللجنة شركة الشركة بلدية البلدية نادي النادي قسم القسم حزب الحزب
جمهورية الجمهورية مركز المركز اتحاد الاتحاد جمعية الجمعية منظمة المنظمة مؤسسة المؤسسة جامعة الجامعة
وزارة الوزارة دائرة الدائرة ديوان الديوان جهاز الجهاز مكتب المكتب غرفة الغرفة مجموعة المجموعة فريق
الفريق محكمة المحكمة شرطة الشرطة حركة الحركة بعثة البعثة إدارة الإدارة أركان الأركان وفد الوفد برنامج
البرنامج صندوق الصندوق بنك البنك مصرف المصرف سلطة السلطة السلطات هيئات لجان شركات وزارات مجالس
قيادة القيادة مديرية المديرية إمارة الإمارة أمانة الأمانة رابطة الرابطة نقابة النقابة مجمع المجمع
معهد المعهد كلية الكلية مدرسة المدرسة مستشفى المستشفى قناة القناة صحيفة الصحيفة وكالة الوكالة
مصلحة المصلحة مفوضية المفوضية تحالف التحالف ائتلاف الائتلاف تنظيم التنظيم جبهة الجبهة جماعة الجماعة
قوات القوات جيش الجيش قوة القوة كتيبة الكتيبة لواء اللواء فرقة الفرقة سرايا كتائب ميليشيات ميليشيا
الحكومة حكومة الدولة دولة البلاد البرلمان برلمان الوزراء وزراء الولايات ولاية الدفاع الداخلية
الخارجية خارجية داخلية الشؤون شؤون الاستخبارات المخابرات مخابرات الأمن أمن الإعلام الاقتصاد
المالية مالية التجارة الصحة التعليم العمل النقل الطاقة الزراعة العدل الثقافة الرياضة السياحة
الإسكان البيئة الاتصالات الخدمات النفط المياه الكهرباء الصناعة الاستثمار التخطيط الشباب
العامة العام عامة عام الوطنية الوطني وطنية الدولية الدولي دولية العليا الأعلى العالمية العالمي
الجديد جديد جديدة الجديدة السابق سابق السابقة الأسبق الراحل المخلوع المكلف الحالي المنتخب المؤقت
الانتقالي الفخري التنفيذي تنفيذي التنفيذية الأول الثاني الثالث الأولى الثانية ثانية أول
المسلحة المسلحين المسلحون المشتركة الخاصة خاصة الموالية موالية الموالين المعارضة المعارضين
المتطرف المتطرفة المتشدد الإرهابي الإرهابية إرهابية إرهابي الحكومية حكومية النظام نظام الاحتلال
الطوارئ الشرعية الأمنية أمنية العسكرية عسكرية الأجنبية أجنبية الرسمية رسمية الشعبية الأهلية
الدكتور المهندس الأستاذ العميد العقيد اللواء السيد السيدة القاضي الإمام المستشار النائب السفير
الملك الأمير الشيخ الرئيس رئيس الوزير وزير نائب أمين الأمين مدير المدير قائد القائد محافظ المحافظ
سفير ممثل المتحدث متحدث المبعوث مبعوث رئيسة وزيرة أمير ملك سلطان السلطان
قال أكد أعلن أشار أوضح دعا طالب بحث التقى استقبل زار وصل غادر أجرى تلقى أصدر وجه شدد أضاف رأى
اعتبر كشف نفى أعرب هنأ افتتح دشن رعى ترأس يزور يلتقي يستقبل سيزور يبحث يؤكد يدعو قالت أكدت أعلنت
وقال وأكد وأضاف وأوضح كان كانت يكون تكون ليس إن أن قد لقد كما حيث أيضا منذ خلال بعد قبل عند لدى
حول ضد دون بين أمام خلف فوق تحت نحو عبر وسط اليوم أمس غدا الأسبوع الشهر السنة العام عام سنة
السبت الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة صباح مساء ظهر مطلع أواخر منتصف الليلة
الليل الصباح المساء اليوم الغد أمس الساعة ساعة دقيقة الأسبوع الماضي المقبل القادم الجاري كرة الكرة القدم
عضو أعضاء العضو الأعضاء رئيسا عضوا وزيرا
هذا هذه ذلك تلك الذي التي الذين اللذين هو هي هم نحن أنا كل بعض جميع غير مثل أي
المدينة مدينة المحافظة محافظة البلدة بلدة القرية قرية المنطقة منطقة الإقليم إقليم الولاية الساحل
الواقعة القديمة الصناعية الرياضية الطبية الاقتصادية الاستراتيجية الساحلية التاريخية الجامعية
الشمالية الجنوبية الشرقية الغربية شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي
المقدسة المنورة المكرمة الكبرى الصغرى الكبير الصغير كبار كبرى صغيرة
العمال العمل الشعب الشعوب الأمة العدالة التنمية الحرية السلام الحق الخير الأمل الوحدة التغيير
الإصلاح الإنقاذ التحرير تحرير المقاومة الدعوة الإسلام الإسلامية إسلامية الإسلامي العربية العربي
الديمقراطي الديمقراطية الجمهوري الاشتراكي الشيوعي القومية القومي الليبرالي المحافظين حظر مكافحة
حقوق الإنسان الأطباء أطباء الأمم الدول الدولة الملكية الملكي العفو الطيران التعاون الحاكم
الأرصاد الرقابة التحقيق التدريس الإذاعة المرور المرورية الملاحة السوق الرياح الأغذية الهجرة
البديل المسافرين الشاحنات القطارات الأوراق السير الخوذ الاحتجاجية الحقوقية الإدارية السياسية
انتخابات الانتخابات مشروع المشروع كأس البطولة المباراة المنتخب الدوري
";

/// First names (a person's name needs more than one of these).
const GIVEN_NAMES: &str = "
محمد أحمد علي خالد عبدالله عبدالعزيز عبدالرحمن عبدالفتاح عبدربه عبدالملك عبدالمجيد عبدالكريم
عبدالحميد عبدالرحيم عبداللطيف عبدالسلام عبدالقادر عبدالهادي عبدالإله فيصل فهد سلمان سعود سلطان
نايف تركي بندر متعب حسن حسين محمود مصطفى عمر يوسف إبراهيم منصور صالح عادل طلال بدر مشعل حمد تميم
نواف صباح خليفة جابر زايد ماجد ناصر سعد سعيد فارس طارق كريم أمير جمال كمال هشام وليد ياسر سامي
رامي زياد عماد إياد مراد نبيل جميل رشيد حامد حمدان راشد مكتوم مانع سيف هزاع عيسى موسى داود سليمان
إسماعيل يحيى زكريا هاني غازي فؤاد شريف أشرف أيمن أسامة باسم عصام هيثم مازن معاذ أنس بلال حمزة
عثمان جعفر قاسم رياض نجيب لطفي منير مشاري جلوي الوليد عبد أبو بن ابن آل نوري حيدر مقتدى عمار
دونالد فلاديمير باراك إيمانويل بنيامين جو جون مايك ريك ديفيد جيمس روبرت مايكل بيتر بول هاري
تشارلز وليام ويليام جورج أنطونيو أنجيلا تيريزا بوريس كيم شي ميشال ميشيل جان بيير فرانسوا
فاطمة عائشة مريم سارة نورة هند ليلى منى هدى أمل رانيا نوال سميرة
خليل سمير وائل حازم نبيه إلياس جبران رفيق سليم شوقي توفيق أنور مروان عدنان غسان نزار بشار
رضا مهدي كاظم جواد
";

/// Table names that are also common words (see the module
/// documentation).
const AMBIGUOUS: &str = "
المملكة السلطنة حماس الإخوان بينت حماة الخليل الجليل الناصرة السراج فتح أمل الأمل المدينة
جامعة سنة السنة علي صالح عون بري الأسد مالي ليون سرت دوما
";

/// The words of a space-separated list, normalized: the form every list
/// of the entity rules is looked up in.
pub(super) fn word_set(list: &str) -> FxHashSet<String> {
    list.split_whitespace().map(normalize).collect()
}

static COMMON_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(COMMON));
static GIVEN_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(GIVEN_NAMES));
static AMBIGUOUS_SET: LazyLock<FxHashSet<String>> = LazyLock::new(|| word_set(AMBIGUOUS));

/// The word as written (normalized); empty for a word read without
/// readings (the candidate reader's placeholders).
pub fn literal(word: &Word) -> &str {
    word.readings.first().map_or("", String::as_str)
}

/// The word after a joined و (وفك: فك) when the word reads so, one of
/// `reads_as`'s forms; `None` for a word that does not start with a
/// clitic و (وليد read whole).
pub(super) fn after_wa(literal: &str, reads_as: impl Fn(&str) -> bool) -> Option<&str> {
    literal.strip_prefix('و').filter(|rest| reads_as(rest))
}

/// True when the normalized word is common (or a stopword): never a new
/// name on its own.
pub fn is_common(word: &str) -> bool {
    COMMON_SET.contains(word) || is_stopword(word)
}

/// True when the normalized word is a first name.
pub fn is_given_name(word: &str) -> bool {
    GIVEN_SET.contains(word)
}

/// True when the normalized one-word name is also a common word.
pub fn is_ambiguous_name(word: &str) -> bool {
    AMBIGUOUS_SET.contains(word)
}

/// True for an adjective of relation as written after ال (الأمريكي،
/// الإرهابية): a descriptor, not a name.
pub fn is_nisba(word: &str) -> bool {
    let stem = word.strip_prefix("ال").unwrap_or(word);
    stem.chars().count() >= 3 && (stem.ends_with('ي') || stem.ends_with("يه"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_answer_in_normalized_form() {
        for w in ["مجلس", "الهيءه", "قوات", "الامن", "المسلحه", "قال", "في"]
        {
            assert!(is_common(w), "{w}");
        }
        for w in ["روتو", "تمنراست", "النهضه", "داعش"] {
            assert!(!is_common(w), "{w}");
        }
        assert!(is_given_name("محمد") && is_given_name("ابراهيم"));
        assert!(!is_given_name("روتو"));
        assert!(is_ambiguous_name("المملكه") && is_ambiguous_name("حماس"));
        assert!(is_nisba("الامريكي") && is_nisba("الارهابيه") && is_nisba("سوري"));
        assert!(!is_nisba("النهضه") && !is_nisba("بغداد"));
    }
}
