//! Pages written for the project in the layouts news sites use: each
//! must give the right title, date, source and body, and no navigation,
//! footer, related-headline or comment text in the body.

use super::*;
use crate::corpus::left_out::Reason;

/// Chrome shared by the pages: menus, a footer, a share bar.
const NAV: &str = r#"<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/s">رياضة</a></li><li><a href="/e">اقتصاد</a></li></ul></nav>"#;
const FOOTER: &str = r#"<footer><p>جميع الحقوق محفوظة لشبكة الوادي الإخبارية ٢٠٢٦</p><a href="/about">من نحن</a></footer>"#;
const SHARE: &str = r##"<div class="share-buttons"><a href="#">شارك على فيسبوك</a> <a href="#">غرد الخبر</a></div>"##;

struct Case {
    name: &'static str,
    page: Vec<u8>,
    title: &'static str,
    date: Option<&'static str>,
    source: &'static str,
    url: &'static str,
    body_has: &'static [&'static str],
    body_lacks: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let json_ld = format!(
        r#"<!doctype html><html lang="ar"><head><meta charset="utf-8">
<title>افتتاح مكتبة عامة في حي الزيتون | شبكة الوادي</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"افتتاح مكتبة عامة في حي الزيتون","datePublished":"2026-03-14T09:30:00+03:00",
"publisher":{{"@type":"Organization","name":"شبكة الوادي"}},
"articleBody":"افتتحت البلدية صباح اليوم مكتبة عامة جديدة في حي الزيتون تضم آلاف الكتب.\n\nوقال مدير المكتبة إن أبوابها ستبقى مفتوحة حتى المساء طوال أيام الأسبوع.",
"keywords":["مكتبات","ثقافة"]}}</script>
<link rel="canonical" href="https://alwadi.example/culture/library"></head>
<body>{NAV}<article><h1>افتتاح مكتبة عامة في حي الزيتون</h1>
<p>افتتحت البلدية صباح اليوم مكتبة عامة جديدة في حي الزيتون تضم آلاف الكتب.</p>
<p>وقال مدير المكتبة إن أبوابها ستبقى مفتوحة حتى المساء طوال أيام الأسبوع.</p></article>{FOOTER}</body></html>"#
    );
    let og_only = format!(
        r#"<html><head><meta property="og:title" content="ارتفاع منسوب النهر بعد أمطار غزيرة">
<meta property="og:site_name" content="أخبار السهل"><meta property="og:url" content="https://sahl.example/river">
<meta property="article:published_time" content="2026-01-20T07:00:00Z"></head>
<body>{NAV}<div class="sidebar"><h3>الأكثر قراءة</h3><ul><li><a href="/1">انقطاع الكهرباء عن ثلاثة أحياء</a></li><li><a href="/2">مباراة الديربي تنتهي بالتعادل</a></li></ul></div>
<div class="post-content"><p>ارتفع منسوب النهر خلال الليل بعد أمطار غزيرة استمرت يومين، وحذرت السلطات سكان القرى القريبة من الاقتراب من الضفاف.</p>
<p>وأعلنت فرق الدفاع المدني أنها نقلت عشرات العائلات إلى مدارس القرية، بينما تواصل مراقبة السدود الصغيرة على طول المجرى.</p>{SHARE}</div>{FOOTER}</body></html>"#
    );
    let plain_article = format!(
        r#"<html><head><title>وصول وفد تجاري إلى بغداد - صحيفة الرافدين</title></head><body>{NAV}
<article><h1>وصول وفد تجاري إلى بغداد</h1><time datetime="2026-05-02">الثاني من أيار</time>
<p>وصل إلى بغداد اليوم وفد تجاري يضم ممثلين عن عشرين شركة للبحث في فرص الاستثمار في قطاع البناء.</p>
<p>ومن المنتظر أن يلتقي الوفد غرفة التجارة قبل أن يزور عددا من المشاريع المتوقفة في ضواحي العاصمة.</p></article>{FOOTER}</body></html>"#
    );
    let nested = r#"<html><head><title>مهرجان التمور يستقبل زواره في الواحة</title></head><body>
<div id="top"><div><a href="/a">سياسة</a> | <a href="/b">رياضة</a> | <a href="/c">منوعات</a> | <a href="/d">اتصل بنا</a></div></div>
<div id="wrap"><div class="col"><div><ul><li><a href="/x1">افتتاح معرض الكتاب في دورته العاشرة</a></li><li><a href="/x2">توقعات بطقس معتدل نهاية الأسبوع</a></li><li><a href="/x3">منتخب الشباب يتأهل إلى النهائي</a></li></ul></div></div>
<div class="col2"><div><div>
<div><h1>مهرجان التمور يستقبل زواره في الواحة</h1></div>
<div>انطلق مهرجان التمور السنوي في الواحة بمشاركة مئات المزارعين الذين عرضوا أكثر من ثلاثين صنفا، من البرحي إلى المجهول.<br><br>
وقالت اللجنة المنظمة إن المهرجان يستمر أسبوعا كاملا، وإن عدد الزوار في اليوم الأول تجاوز ما سجلته الدورة الماضية كلها.</div>
</div></div></div>
<div><div><ul><li><a href="/y1">رابط: أسعار الذهب اليوم</a></li><li><a href="/y2">رابط: نتائج الامتحانات</a></li></ul></div></div></div>
<div id="bottom"><div>للإعلان في الموقع اتصلوا بقسم التسويق</div></div></body></html>"#
        .to_string();
    let w1256_text = format!(
        r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<meta property="og:site_name" content="جريدة الساحل"><title>تدشين خط بحري جديد بين الميناءين</title></head>
<body>{NAV}<div id="article-body"><h1>تدشين خط بحري جديد بين الميناءين</h1><p class="date">2026-07-09</p>
<p>دشنت هيئة الموانئ خطا بحريا جديدا لنقل الركاب والبضائع بين الميناءين، بعد أشهر من أعمال التأهيل.</p>
<p>وتبحر السفينة الأولى مرتين في الأسبوع، على أن تزداد الرحلات في فصل الصيف مع ارتفاع الطلب.</p></div>{FOOTER}</body></html>"#
    );
    let (w1256, _, _) = encoding_rs::WINDOWS_1256.encode(&w1256_text);
    let comments = format!(
        r#"<html><head><meta property="og:title" content="المجلس البلدي يقر موازنة العام المقبل"><meta property="og:site_name" content="صوت المدينة"></head>
<body><header class="site-header"><a href="/">صوت المدينة</a><div class="menu"><a href="/n">محليات</a></div></header>
<main><article class="story"><h1>المجلس البلدي يقر موازنة العام المقبل</h1>
<p>أقر المجلس البلدي في جلسته الأخيرة موازنة العام المقبل، وخصص الجزء الأكبر منها لصيانة الطرق وشبكات المياه.</p>
<p>وأوضح رئيس المجلس أن الموازنة تتضمن أيضا إنشاء حديقتين عامتين في الأحياء الشرقية.</p>
<ul><li><a href="/r1">اقرأ أيضا: المجلس يناقش تعرفة النقل العام</a></li><li><a href="/r2">اقرأ أيضا: افتتاح سوق شعبي جديد</a></li></ul>
</article>
<div class="related-news"><h3>أخبار ذات صلة</h3><p><a href="/r3">البلدية تطلق حملة لتنظيف الشواطئ</a></p><p><a href="/r4">إغلاق جسر المدينة القديم للصيانة</a></p></div>
<section id="comments"><h3>تعليقات القراء</h3><div class="comment"><p>أتمنى أن تشمل الصيانة شارعنا المنسي منذ سنوات طويلة جدا.</p></div><div class="comment"><p>خطوة جيدة ولكن نريد رؤية التنفيذ على أرض الواقع قريبا.</p></div></section>
</main>{FOOTER}</body></html>"#
    );
    vec![
        Case {
            name: "json-ld",
            page: json_ld.into_bytes(),
            title: "افتتاح مكتبة عامة في حي الزيتون",
            date: Some("2026-03-14"),
            source: "شبكة الوادي",
            url: "https://alwadi.example/culture/library",
            body_has: &["مكتبة عامة جديدة في حي الزيتون", "طوال أيام الأسبوع"],
            body_lacks: &["الرئيسية", "جميع الحقوق"],
        },
        Case {
            name: "og only",
            page: og_only.into_bytes(),
            title: "ارتفاع منسوب النهر بعد أمطار غزيرة",
            date: Some("2026-01-20"),
            source: "أخبار السهل",
            url: "https://sahl.example/river",
            body_has: &["ارتفع منسوب النهر", "مراقبة السدود الصغيرة"],
            body_lacks: &[
                "الأكثر قراءة",
                "انقطاع الكهرباء",
                "شارك على فيسبوك",
                "رياضة",
                "جميع الحقوق",
            ],
        },
        Case {
            name: "plain article",
            page: plain_article.into_bytes(),
            title: "وصول وفد تجاري إلى بغداد",
            date: Some("2026-05-02"),
            source: "",
            url: "",
            body_has: &["وصل إلى بغداد اليوم وفد تجاري", "المشاريع المتوقفة"],
            body_lacks: &["الرئيسية", "جميع الحقوق", "من نحن"],
        },
        Case {
            name: "nested divs among link lists",
            page: nested.into_bytes(),
            title: "مهرجان التمور يستقبل زواره في الواحة",
            date: None,
            source: "",
            url: "",
            body_has: &["انطلق مهرجان التمور", "الدورة الماضية كلها"],
            body_lacks: &["معرض الكتاب", "أسعار الذهب", "اتصل بنا", "للإعلان"],
        },
        Case {
            name: "windows-1256",
            page: w1256.into_owned(),
            title: "تدشين خط بحري جديد بين الميناءين",
            date: None,
            source: "جريدة الساحل",
            url: "",
            body_has: &["دشنت هيئة الموانئ", "ارتفاع الطلب"],
            body_lacks: &["الرئيسية", "جميع الحقوق"],
        },
        Case {
            name: "comments and related boxes",
            page: comments.into_bytes(),
            title: "المجلس البلدي يقر موازنة العام المقبل",
            date: None,
            source: "صوت المدينة",
            url: "",
            body_has: &["أقر المجلس البلدي", "حديقتين عامتين"],
            body_lacks: &[
                "اقرأ أيضا",
                "أخبار ذات صلة",
                "حملة لتنظيف الشواطئ",
                "تعليقات القراء",
                "شارعنا المنسي",
                "محليات",
                "جميع الحقوق",
            ],
        },
    ]
}

#[test]
fn news_layouts_give_title_date_source_and_main_text_only() {
    for case in cases() {
        let page =
            read(&case.page, &Hints::default()).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let a = &page.article;
        assert_eq!(a.title, case.title, "{}", case.name);
        assert_eq!(a.source, case.source, "{}", case.name);
        assert_eq!(a.url, case.url, "{}", case.name);
        let day = a
            .date
            .and_then(|d| chrono::DateTime::from_timestamp(d, 0))
            .map(|d| d.format("%Y-%m-%d").to_string());
        assert_eq!(
            day.as_deref(),
            case.date,
            "{}: {:?}",
            case.name,
            a.date_text
        );
        for has in case.body_has {
            assert!(
                a.body.contains(has),
                "{}: {has} not in {:?}",
                case.name,
                a.body
            );
        }
        for lacks in case.body_lacks {
            assert!(
                !a.body.contains(lacks),
                "{}: {lacks} in {:?}",
                case.name,
                a.body
            );
        }
        assert!(!a.body.contains(case.title), "{}: title in body", case.name);
        assert!(!page.left_out.is_empty(), "{}: nothing left out", case.name);
    }
}

#[test]
fn left_out_blocks_carry_their_reasons() {
    let case = cases().pop().expect("comments page");
    let page = read(&case.page, &Hints::default()).expect("reads");
    let reason_of = |needle: &str| {
        page.left_out
            .iter()
            .find(|l| l.text.contains(needle))
            .map(|l| l.reason)
    };
    assert_eq!(reason_of("شارعنا المنسي"), Some(Reason::Comments));
    assert_eq!(
        reason_of("حملة لتنظيف الشواطئ"),
        Some(Reason::RelatedHeadline)
    );
    assert_eq!(
        reason_of("تعرفة النقل العام"),
        Some(Reason::RelatedHeadline)
    );
    assert_eq!(reason_of("جميع الحقوق"), Some(Reason::PageChrome));
    assert_eq!(reason_of("محليات"), Some(Reason::PageChrome));
}

#[test]
fn hints_fill_what_the_page_lacks() {
    let page =
        b"<html><body><p>\xd9\x86\xd8\xb5 \xd9\x82\xd8\xb5\xd9\x8a\xd8\xb1</p></body></html>";
    let hints = Hints {
        url: Some("https://example.org/a".to_string()),
        date: Some("2026-02-03T04:05:06Z".to_string()),
        charset: None,
    };
    let read = read(page, &hints).expect("reads");
    assert_eq!(read.article.id.as_deref(), Some("https://example.org/a"));
    assert_eq!(read.article.url, "https://example.org/a");
    assert!(read.article.date.is_some());
    assert_eq!(read.article.body, "نص قصير");
}

#[test]
fn bad_pages_are_errors_and_deep_nesting_is_no_panic() {
    assert!(read(b"", &Hints::default()).is_err());
    assert!(read(b"\x89PNG\r\n\x1a\n\0\0", &Hints::default()).is_err());
    assert!(read(
        b"<html><body><script>x()</script></body></html>",
        &Hints::default()
    )
    .is_err());
    let deep = format!(
        "<html><body>{}<p>نص في أعماق الصفحة المتداخلة كثيرا جدا جدا</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let page = read(deep.as_bytes(), &Hints::default()).expect("reads");
    assert!(
        page.article.body.contains("أعماق الصفحة"),
        "{:?}",
        page.article.body
    );
}
