//! Corpus: the lines of a scraped page that are not article text.
//!
//! Matched on the line after normalization (hamza, alef, taa marbuta,
//! tanween, tatweel and case all fold, as in search) and after leading
//! bullets and punctuation (`-`, `•`, `*`, `|`, `»`) are trimmed. A line
//! longer than [`MAX_WORDS`] words is always text: a prompt or a link is
//! short, and a paragraph that happens to start with "للمزيد من …" must
//! stay in the body.
//!
//! - **Read-also markers** ([`MARKERS`]): `اقرأ أيضاً`, `إقرأ أيضا`,
//!   `اقرأ المزيد`, `اقرأ كذلك`, `طالع أيضا`, `شاهد أيضا`, `ذات صلة`,
//!   `أخبار ذات صلة`, `قد يهمك`, `الأكثر قراءة` … Alone on a line (with
//!   punctuation) a marker starts a block of other stories; followed by a
//!   headline on the same line it is a link to another story
//!   ([`Line::Marker`] carries that headline).
//! - **Boilerplate and links** ([`PATTERNS`]): app and social prompts
//!   (`تابع أحدث الأخبار عبر تطبيق`, `تابعونا على`, `حمل تطبيق`),
//!   subscribe, share, print and send-to-a-friend lines (only in forms
//!   no news sentence starts with: `اشترك في النشرة`, not `اشترك في`,
//!   which also means "took part in"), copyright lines,
//!   image credits, and inline links to other stories (`للمزيد.. …`,
//!   `للمزيد: …`, `اقرأ التفاصيل`).
//! - **Share bars**: lines made only of network and share words
//!   ([`SHARE_WORDS`]: `فيسبوك تويتر واتساب`, `شارك | طباعة`).

use std::sync::OnceLock;

use super::left_out::Reason;
use crate::analysis::fold_char;

/// Longest line (in words) that can be a marker, a prompt or a link.
pub const MAX_WORDS: usize = 25;

/// Read-also markers, as written; matched normalized at the start of a
/// line, followed by the end of the line, white space or punctuation.
pub const MARKERS: &[&str] = &[
    "اقرأ أيضاً",
    "اقرأ المزيد",
    "اقرأ كذلك",
    "إقراء أيضا",
    "طالع أيضاً",
    "طالع كذلك",
    "شاهد أيضاً",
    "اطلع أيضاً",
    "ذات صلة",
    "أخبار ذات صلة",
    "مواضيع ذات صلة",
    "موضوعات ذات صلة",
    "مقالات ذات صلة",
    "أخبار متعلقة",
    "مواضيع متعلقة",
    "قد يهمك",
    "قد يعجبك",
    "الأكثر قراءة",
    "الأكثر مشاهدة",
];

/// How a pattern matches a line.
#[derive(Clone, Copy, Debug)]
pub enum How {
    /// The line starts with the pattern, then a word boundary.
    Starts,
    /// The line starts with the pattern, then punctuation (`..`, `:`,
    /// `…`, `-`): `للمزيد.. عنوان` but not `للمزيد من المعلومات`.
    StartsPunct,
    /// The line is the pattern, punctuation aside.
    Whole,
    /// The line contains the pattern.
    Contains,
}

/// Boilerplate and link patterns: (pattern as written, how, reason).
pub const PATTERNS: &[(&str, How, Reason)] = &[
    // App and social prompts.
    ("تابع أحدث الأخبار", How::Starts, Reason::Boilerplate),
    ("تابعوا أحدث الأخبار", How::Starts, Reason::Boilerplate),
    ("تابع آخر الأخبار", How::Starts, Reason::Boilerplate),
    ("تابعوا آخر الأخبار", How::Starts, Reason::Boilerplate),
    ("لمتابعة آخر الأخبار", How::Starts, Reason::Boilerplate),
    ("لمتابعة أحدث الأخبار", How::Starts, Reason::Boilerplate),
    ("لمتابعة أهم الأخبار", How::Starts, Reason::Boilerplate),
    ("للمزيد من الأخبار", How::Starts, Reason::Boilerplate),
    ("تابعونا على", How::Starts, Reason::Boilerplate),
    ("تابعنا على", How::Starts, Reason::Boilerplate),
    ("تابعوا قناتنا", How::Starts, Reason::Boilerplate),
    ("تابعوا صفحتنا", How::Starts, Reason::Boilerplate),
    ("انضم إلى قناتنا", How::Starts, Reason::Boilerplate),
    ("انضموا إلى قناتنا", How::Starts, Reason::Boilerplate),
    ("حمل تطبيق", How::Starts, Reason::Boilerplate),
    ("نزل تطبيق", How::Starts, Reason::Boilerplate),
    ("قم بتحميل تطبيق", How::Starts, Reason::Boilerplate),
    ("فعل الإشعارات", How::Starts, Reason::Boilerplate),
    // Subscribe.
    ("اشترك في النشرة", How::Starts, Reason::Boilerplate),
    ("اشترك في نشرتنا", How::Starts, Reason::Boilerplate),
    ("اشترك في قناتنا", How::Starts, Reason::Boilerplate),
    ("اشترك في قناة", How::Starts, Reason::Boilerplate),
    ("اشترك في خدمة", How::Starts, Reason::Boilerplate),
    ("اشترك الآن", How::Starts, Reason::Boilerplate),
    ("اشترك مجاناً", How::Starts, Reason::Boilerplate),
    ("للاشتراك في النشرة", How::Starts, Reason::Boilerplate),
    ("للاشتراك في قناتنا", How::Starts, Reason::Boilerplate),
    ("للاشتراك في خدمة", How::Starts, Reason::Boilerplate),
    ("لا تنس الاشتراك", How::Starts, Reason::Boilerplate),
    // Share, print, send.
    ("شارك الخبر", How::Starts, Reason::Boilerplate),
    ("شارك المقال", How::Starts, Reason::Boilerplate),
    ("انشر على", How::Starts, Reason::Boilerplate),
    ("طباعة الخبر", How::Starts, Reason::Boilerplate),
    ("طباعة المقال", How::Starts, Reason::Boilerplate),
    ("أرسل لصديق", How::Starts, Reason::Boilerplate),
    ("إرسال لصديق", How::Starts, Reason::Boilerplate),
    ("أرسل الخبر", How::Starts, Reason::Boilerplate),
    ("حجم الخط", How::Starts, Reason::Boilerplate),
    ("نسخ الرابط", How::Starts, Reason::Boilerplate),
    ("رابط مختصر", How::Starts, Reason::Boilerplate),
    ("اضغط هنا", How::Starts, Reason::Boilerplate),
    ("طباعة", How::Whole, Reason::Boilerplate),
    ("اطبع", How::Whole, Reason::Boilerplate),
    // Copyright and credits.
    ("جميع الحقوق محفوظة", How::Contains, Reason::Boilerplate),
    ("كل الحقوق محفوظة", How::Contains, Reason::Boilerplate),
    ("حقوق النشر محفوظة", How::Contains, Reason::Boilerplate),
    ("©", How::Contains, Reason::Boilerplate),
    ("مصدر الصورة", How::Starts, Reason::Boilerplate),
    ("حقوق الصورة", How::Starts, Reason::Boilerplate),
    // Inline links to other stories.
    ("للمزيد", How::StartsPunct, Reason::RelatedLink),
    ("للمزيد اقرأ", How::Starts, Reason::RelatedLink),
    ("للمزيد طالع", How::Starts, Reason::RelatedLink),
    ("للمزيد اضغط", How::Starts, Reason::RelatedLink),
    ("لقراءة المزيد", How::Starts, Reason::RelatedLink),
    ("اقرأ التفاصيل", How::Starts, Reason::RelatedLink),
    ("اقرأ الخبر كاملاً", How::Starts, Reason::RelatedLink),
];

/// Words of share bars; a line made only of these (and separators) is
/// boilerplate.
pub const SHARE_WORDS: &[&str] = &[
    "فيسبوك",
    "فيس",
    "بوك",
    "تويتر",
    "إكس",
    "واتساب",
    "واتس",
    "آب",
    "تلغرام",
    "تليغرام",
    "تيليجرام",
    "تليجرام",
    "لينكدإن",
    "لينكد",
    "إن",
    "إنستغرام",
    "انستقرام",
    "انستجرام",
    "يوتيوب",
    "تيك",
    "توك",
    "سناب",
    "شات",
    "ماسنجر",
    "البريد",
    "بريد",
    "الإلكتروني",
    "إلكتروني",
    "طباعة",
    "مشاركة",
    "شارك",
    "نسخ",
    "الرابط",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "telegram",
    "linkedin",
    "instagram",
    "youtube",
    "tiktok",
    "snapchat",
    "messenger",
    "email",
    "e-mail",
    "mail",
    "print",
    "share",
    "copy",
    "link",
    "pinterest",
    "reddit",
];

/// What the patterns make of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A read-also marker; the headline that follows it on the line,
    /// empty when the marker is alone.
    Marker(&'a str),
    /// Not article text, for this reason.
    Junk(Reason),
    /// Something else (text, or a labelled field).
    Other,
}

/// The patterns, normalized once.
struct Compiled {
    markers: Vec<String>,
    patterns: Vec<(String, How, Reason)>,
    share: Vec<String>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| Compiled {
        markers: MARKERS.iter().map(|m| fold(m)).collect(),
        patterns: PATTERNS
            .iter()
            .map(|&(p, how, reason)| (fold(p), how, reason))
            .collect(),
        share: SHARE_WORDS.iter().map(|w| fold(w)).collect(),
    })
}

/// Normalized text (as search normalizes it).
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// True for a character normalization removes (marks, tatweel,
/// invisible characters).
pub fn vanishes(c: char) -> bool {
    let mut out = String::new();
    fold_char(c, &mut out);
    out.is_empty()
}

/// Punctuation and bullets around markers and links.
fn is_punct(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace() && !vanishes(c)
}

/// The rest of `line` after `prefix` (normalized), when `line` starts
/// with it; marks after the prefix's last letter stay with the prefix.
fn after_prefix<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let mut folded = String::with_capacity(prefix.len() + 4);
    for (i, c) in line.char_indices() {
        if folded.len() >= prefix.len() && !vanishes(c) {
            return (folded == prefix).then(|| &line[i..]);
        }
        if c.is_whitespace() {
            if folded.ends_with(' ') {
                continue;
            }
            folded.push(' ');
        } else {
            fold_char(c, &mut folded);
        }
        if !prefix.starts_with(folded.as_str()) {
            return None;
        }
    }
    (folded == prefix).then_some("")
}

/// What `line` (trimmed) is, by the patterns.
pub fn classify(line: &str) -> Line<'_> {
    if line.split_whitespace().nth(MAX_WORDS).is_some() {
        return Line::Other;
    }
    let line = line.trim_start_matches(|c: char| c.is_whitespace() || is_punct(c) && c != '©');
    let c = compiled();
    for marker in &c.markers {
        if let Some(rest) = after_prefix(line, marker) {
            if rest.chars().next().is_none_or(|c| !c.is_alphanumeric()) {
                let headline = rest
                    .trim_start_matches(|c: char| c.is_whitespace() || is_punct(c) || vanishes(c));
                return Line::Marker(headline.trim_end());
            }
        }
    }
    for (pattern, how, reason) in &c.patterns {
        if matches(line, pattern, *how) {
            return Line::Junk(*reason);
        }
    }
    if is_share_bar(line, &c.share) {
        return Line::Junk(Reason::Boilerplate);
    }
    Line::Other
}

fn matches(line: &str, pattern: &str, how: How) -> bool {
    if let How::Contains = how {
        return fold(line).contains(pattern);
    }
    let Some(rest) = after_prefix(line, pattern) else {
        return false;
    };
    let next = rest.chars().next();
    match how {
        How::Starts => next.is_none_or(|c| !c.is_alphanumeric()),
        How::StartsPunct => rest.trim_start().starts_with(is_punct),
        How::Whole => rest.chars().all(|c| c.is_whitespace() || is_punct(c)),
        How::Contains => true,
    }
}

fn is_share_bar(line: &str, share: &[String]) -> bool {
    let mut words = line
        .split(|c: char| c.is_whitespace() || is_punct(c))
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_some() && words.all(|w| share.iter().any(|s| *s == fold(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line, what it is.
    const CASES: &[(&str, Line)] = &[
        // Markers, alone or with a headline, in their spelling variants.
        ("إقرأ أيضاً:", Line::Marker("")),
        ("اقرأ أيضا", Line::Marker("")),
        ("اقرأ  أيضا", Line::Marker("")),
        ("اقرأ أيضًا :", Line::Marker("")),
        ("إقرأ ايضاً..", Line::Marker("")),
        ("اقـرأ أيضــاً:", Line::Marker("")),
        ("- اقرأ المزيد", Line::Marker("")),
        ("أخبار ذات صلة", Line::Marker("")),
        ("اقرأ أيضا: عنوان خبر آخر", Line::Marker("عنوان خبر آخر")),
        ("اقرأ أيضاً.. عنوان خبر آخر", Line::Marker("عنوان خبر آخر")),
        ("اقرأ المزيد: ملف المياه", Line::Marker("ملف المياه")),
        // Boilerplate.
        (
            "تابع أحدث الأخبار عبر تطبيق",
            Line::Junk(Reason::Boilerplate),
        ),
        ("تابعونا على فيسبوك وتويتر", Line::Junk(Reason::Boilerplate)),
        ("حمّل تطبيق الموقع الآن", Line::Junk(Reason::Boilerplate)),
        ("اشترك في النشرة البريدية", Line::Junk(Reason::Boilerplate)),
        ("شارك الخبر:", Line::Junk(Reason::Boilerplate)),
        ("طباعة", Line::Junk(Reason::Boilerplate)),
        ("أرسل لصديق", Line::Junk(Reason::Boilerplate)),
        (
            "جميع الحقوق محفوظة لموقع السنبلة 2024",
            Line::Junk(Reason::Boilerplate),
        ),
        ("© 2024 بوابة السنبلة", Line::Junk(Reason::Boilerplate)),
        ("فيسبوك | تويتر | واتساب", Line::Junk(Reason::Boilerplate)),
        ("Facebook Twitter WhatsApp", Line::Junk(Reason::Boilerplate)),
        ("مصدر الصورة Getty Images", Line::Junk(Reason::Boilerplate)),
        // Inline links.
        (
            "للمزيد.. حصاد القمح يبدأ مبكراً",
            Line::Junk(Reason::RelatedLink),
        ),
        (
            "للمزيد: حصاد القمح يبدأ مبكراً",
            Line::Junk(Reason::RelatedLink),
        ),
        ("للمزيد اقرأ: حصاد القمح", Line::Junk(Reason::RelatedLink)),
        // Text that looks alike.
        ("للمزيد من المعلومات يمكن زيارة مقر البلدية.", Line::Other),
        ("اقرأوا البيان كاملاً في الصفحة الأولى", Line::Other),
        ("ذاتها المنطقة شهدت أمطاراً", Line::Other),
        (
            "طباعة الكتب المدرسية تبدأ الشهر المقبل في المطبعة الوطنية",
            Line::Other,
        ),
        ("تويتر تغير سياستها", Line::Other),
        ("قدّم المزارعون شكوى إلى البلدية.", Line::Other),
        ("اشترك في المسابقة أكثر من مئة طالب.", Line::Other),
        ("شارك هذا العام أكثر من ألف عارض.", Line::Other),
        ("للاشتراك في البرنامج يملأ المزارع استمارة.", Line::Other),
        ("المصدر: بوابة السنبلة", Line::Other),
        ("", Line::Other),
    ];

    #[test]
    fn pattern_table() {
        let wrong: Vec<String> = CASES
            .iter()
            .filter(|(line, want)| classify(line) != *want)
            .map(|(line, want)| format!("{line:?}: {:?}, want {want:?}", classify(line)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn long_lines_are_text() {
        let long = format!("للمزيد.. {}", "كلمة ".repeat(MAX_WORDS));
        assert_eq!(classify(&long), Line::Other);
    }

    #[test]
    fn every_pattern_matches_itself() {
        for (pattern, how, reason) in PATTERNS {
            let line = match how {
                How::StartsPunct => format!("{pattern}.. عنوان"),
                _ => pattern.to_string(),
            };
            assert_eq!(classify(&line), Line::Junk(*reason), "{pattern}");
        }
        for marker in MARKERS {
            assert_eq!(classify(marker), Line::Marker(""), "{marker}");
        }
    }
}
