use super::*;
use crate::corpus::left_out::chars;

const P1: &str = "أعلنت البلدية أنها بدأت أعمال صيانة شبكة الري في السهل الشرقي قبل موسم الزراعة.";
const P2: &str = "وقال رئيس البلدية إن الأعمال تشمل تنظيف القنوات واستبدال المضخات القديمة بأخرى تعمل بالطاقة الشمسية.";
const Q1: &str =
    "افتتحت جمعية المزارعين سوقاً أسبوعياً لبيع المحاصيل مباشرة من الحقول إلى المستهلكين.";
const Q2: &str = "ويقام السوق كل يوم جمعة في ساحة القرية، ويشارك فيه أكثر من أربعين مزارعاً.";

/// Joins lines into a page.
fn page(lines: &[&str]) -> String {
    lines.join("\n") + "\n"
}

fn reasons(page: &Page) -> Vec<(usize, Reason)> {
    page.left_out.iter().map(|l| (l.line, l.reason)).collect()
}

/// Every non-blank line is in an article field or left out: no text is
/// dropped silently.
fn assert_accounted(text: &str, page: &Page) {
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || page.left_out.iter().any(|l| l.line == i + 1) {
            continue;
        }
        let value = field(line).map_or(line, |(_, v)| v);
        let kept = page.articles.iter().any(|a| {
            [&a.title, &a.body, &a.date_text, &a.source, &a.keywords]
                .iter()
                .any(|f| f.contains(value))
        });
        let marker_headline = matches!(boilerplate::classify(line), Pattern::Marker(h) if
            page.articles.iter().any(|a| a.title == h));
        assert!(kept || marker_headline, "line {}: {line:?} lost", i + 1);
    }
}

#[test]
fn read_also_with_a_second_article() {
    let text = page(&[
        "البلدية تصلح شبكة الري",
        "تاريخ النشر: 2024-03-10",
        P1,
        P2,
        "المصدر: بوابة السنبلة",
        "كلمات دلالية: الري، البلدية",
        "إقرأ أيضاً:",
        "سوق أسبوعي للمزارعين في القرية",
        "تابع أحدث الأخبار عبر تطبيق",
        Q1,
        "للمزيد.. أسعار الخضار تنخفض",
        Q2,
    ]);
    let read = read_page(&text);
    assert_eq!(read.articles.len(), 2);
    let (a, b) = (&read.articles[0], &read.articles[1]);
    assert_eq!(a.title, "البلدية تصلح شبكة الري");
    assert_eq!(a.body, format!("{P1}\n{P2}"));
    assert_eq!(a.keywords, "الري، البلدية");
    assert_eq!(b.title, "سوق أسبوعي للمزارعين في القرية");
    assert_eq!(b.body, format!("{Q1}\n{Q2}"));
    assert_eq!(b.date_text, "2024-03-10");
    assert!(b.date.is_some());
    assert_eq!(b.source, "بوابة السنبلة");
    assert_eq!(b.keywords, "");
    assert_eq!(
        reasons(&read),
        [
            (7, Reason::ReadAlsoMarker),
            (9, Reason::Boilerplate),
            (11, Reason::RelatedLink)
        ]
    );
    assert_accounted(&text, &read);
}

#[test]
fn bare_related_headlines_stay_out() {
    let text = page(&[
        "البلدية تصلح شبكة الري",
        P1,
        "المصدر: بوابة السنبلة",
        "اقرأ أيضا:",
        "سوق أسبوعي للمزارعين في القرية",
        "أمطار غزيرة على المرتفعات الليلة",
        "تاريخ النشر: 2020-01-01",
        "هل تكفي المياه لموسم الصيف؟",
    ]);
    let read = read_page(&text);
    assert_eq!(read.articles.len(), 1);
    assert_eq!(read.articles[0].body, P1);
    assert_eq!(read.articles[0].date_text, "");
    assert_eq!(
        reasons(&read),
        [
            (4, Reason::ReadAlsoMarker),
            (5, Reason::RelatedHeadline),
            (6, Reason::RelatedHeadline),
            (7, Reason::RelatedHeadline),
            (8, Reason::RelatedHeadline),
        ]
    );
    assert_accounted(&text, &read);
}

#[test]
fn inline_links_and_boilerplate_do_not_end_the_body() {
    let text = page(&[
        "البلدية تصلح شبكة الري",
        P1,
        "للمزيد.. أسعار الخضار تنخفض",
        "اقرأ أيضا: سوق أسبوعي للمزارعين",
        "للمزيد: موسم القمح",
        P2,
        "فيسبوك | تويتر | واتساب",
        "جميع الحقوق محفوظة © 2024",
    ]);
    let read = read_page(&text);
    assert_eq!(read.articles.len(), 1);
    assert_eq!(read.articles[0].body, format!("{P1}\n{P2}"));
    assert_eq!(
        reasons(&read),
        [
            (3, Reason::RelatedLink),
            (4, Reason::RelatedLink),
            (5, Reason::RelatedLink),
            (7, Reason::Boilerplate),
            (8, Reason::Boilerplate),
        ]
    );
    assert_accounted(&text, &read);
}

#[test]
fn two_read_also_blocks() {
    let text = page(&[
        "البلدية تصلح شبكة الري",
        P1,
        "المصدر: بوابة السنبلة",
        "اقرأ أيضاً:",
        "أمطار غزيرة على المرتفعات الليلة",
        "هل تكفي المياه لموسم الصيف؟",
        "اقرأ المزيد:",
        "سوق أسبوعي للمزارعين في القرية",
        "تاريخ النشر: 2024-04-02",
        Q1,
        Q2,
        "المصدر: نشرة الحقول",
        "طباعة",
        "إقرأ أيضا",
        "حصاد مبكر للقمح",
        P2,
    ]);
    let read = read_page(&text);
    let titles: Vec<&str> = read.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "البلدية تصلح شبكة الري",
            "سوق أسبوعي للمزارعين في القرية",
            "حصاد مبكر للقمح"
        ]
    );
    let b = &read.articles[1];
    assert_eq!(b.body, format!("{Q1}\n{Q2}"));
    assert_eq!(
        (b.date_text.as_str(), b.source.as_str()),
        ("2024-04-02", "نشرة الحقول")
    );
    // The page's date and source are the first ones read: the third
    // article inherits them, the first has its own source.
    let c = &read.articles[2];
    assert_eq!(
        (c.date_text.as_str(), c.source.as_str()),
        ("2024-04-02", "بوابة السنبلة")
    );
    assert_eq!(read.articles[0].date_text, "2024-04-02");
    assert_eq!(
        reasons(&read),
        [
            (4, Reason::ReadAlsoMarker),
            (5, Reason::RelatedHeadline),
            (6, Reason::RelatedHeadline),
            (7, Reason::ReadAlsoMarker),
            (13, Reason::Boilerplate),
            (14, Reason::ReadAlsoMarker),
        ]
    );
    assert_accounted(&text, &read);
}

#[test]
fn marker_with_headline_after_the_footer_starts_an_article() {
    let text = page(&[
        "البلدية تصلح شبكة الري",
        P1,
        "المصدر: بوابة السنبلة",
        "اقرأ أيضاً: سوق أسبوعي للمزارعين في القرية",
        Q1,
    ]);
    let read = read_page(&text);
    assert_eq!(read.articles.len(), 2);
    assert_eq!(read.articles[1].title, "سوق أسبوعي للمزارعين في القرية");
    assert_eq!(read.articles[1].body, Q1);
    assert!(read.left_out.is_empty());
    assert_accounted(&text, &read);
}

#[test]
fn footer_lines_are_accounted_and_paragraphs_after_it_kept() {
    let text = page(&[
        "البلدية تصلح شبكة الري",
        P1,
        "المصدر: بوابة السنبلة",
        "",
        "سوق أسبوعي للمزارعين في القرية",
        Q1,
    ]);
    let read = read_page(&text);
    assert_eq!(read.articles.len(), 2);
    assert_eq!(read.articles[1].title, "سوق أسبوعي للمزارعين في القرية");
    assert_eq!(read.articles[1].body, Q1);

    let text = page(&[
        "البلدية تصلح شبكة الري",
        P1,
        "المصدر: بوابة السنبلة",
        "الصفحة الرئيسية",
    ]);
    let read = read_page(&text);
    assert_eq!(read.articles.len(), 1);
    assert_eq!(reasons(&read), [(4, Reason::Footer)]);
}

#[test]
fn source_before_the_body_is_a_header() {
    let text = page(&["البلدية تصلح شبكة الري", "المصدر: بوابة السنبلة", P1, P2]);
    let read = read_page(&text);
    assert_eq!(read.articles.len(), 1);
    assert_eq!(read.articles[0].source, "بوابة السنبلة");
    assert_eq!(read.articles[0].body, format!("{P1}\n{P2}"));
}

#[test]
fn repeated_fields_are_accounted() {
    let text = page(&[
        "البلدية تصلح شبكة الري",
        "تاريخ النشر: 2024-03-10",
        "تاريخ النشر: 2024-03-11",
        P1,
    ]);
    let read = read_page(&text);
    assert_eq!(read.articles[0].date_text, "2024-03-10");
    assert_eq!(reasons(&read), [(3, Reason::RepeatedField)]);
}

#[test]
fn paragraphs_and_headlines() {
    let cases: &[(&str, bool)] = &[
        (P1, true),
        ("عنوان قصير بلا نقطة", false),
        ("هل تكفي المياه لموسم الصيف؟", false),
        ("عنوان ينتهي بنقاط الحذف..", false),
        ("جملة قصيرة من أربع كلمات.", true),
        ("جملة تنتهي بنقطة ثم قوس.»", true),
        ("نعم.", false),
        (&"كلمة ".repeat(PARAGRAPH_WORDS), true),
    ];
    for (line, want) in cases {
        assert_eq!(is_paragraph(line), *want, "{line}");
    }
}

#[test]
fn nothing_but_boilerplate_is_no_article() {
    let read = read_page("تابع أحدث الأخبار عبر تطبيق\nطباعة\n");
    assert!(read.articles.is_empty());
    assert_eq!(read.left_out.len(), 2);
    assert_eq!(
        read.left_out.iter().map(LeftOut::chars).sum::<usize>(),
        chars("تابع أحدث الأخبار عبر تطبيق") + 5
    );
}
