//! Pages written for the project, one per failure class of issue 27
//! (each class was seen on real pages; none of their text is copied):
//! wrappers whose class, id or tag looks like page furniture, the wrong
//! block chosen, articles cut into several containers, JSON-LD bodies
//! that are teasers or carry markup, captions, and pages with no main
//! text at all.

use super::*;
use crate::corpus::left_out::Reason;

const P1: &str = "أعلنت وزارة الزراعة أمس عن خطة جديدة لدعم مزارعي القمح في المحافظات الشمالية، تشمل قروضا ميسرة وبذورا محسنة.";
const P2: &str = "وقال الوزير في مؤتمر صحفي إن الخطة ستنفذ على ثلاث مراحل، تبدأ الأولى مع موسم الزراعة المقبل في الخريف.";
const P3: &str = "ويأمل المزارعون أن تساعدهم الخطة على مواجهة ارتفاع أسعار الأسمدة، بعد موسمين من الجفاف والخسائر المتتالية.";
const P4: &str = "وأكدت الوزارة أنها ستنشر أسماء المستفيدين على موقعها، وأن باب التسجيل يبقى مفتوحا حتى نهاية الشهر المقبل.";
const SIDE: &str =
    "تابعوا حساباتنا على مواقع التواصل الاجتماعي واشتركوا في نشرتنا البريدية اليومية المجانية";
const AD: &str =
    "إعلان: أفضل العروض على الأجهزة المنزلية هذا الأسبوع فقط في متاجرنا المنتشرة في كل المدن";

fn paragraphs() -> String {
    [P1, P2, P3, P4].map(|p| format!("<p>{p}</p>")).concat()
}

fn page(body: &str) -> String {
    format!(
        r#"<!doctype html><html dir="rtl" lang="ar"><head><meta charset="utf-8"><title>خطة لدعم مزارعي القمح | أخبار الحقول</title></head><body>{body}</body></html>"#
    )
}

/// Reads a page and checks that its body has every paragraph and none of
/// `lacks`.
fn check(name: &str, html: &str, lacks: &[&str]) -> Page {
    let page = read(html.as_bytes(), &Hints::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let body = &page.article.body;
    for p in [P1, P2, P3, P4] {
        assert!(
            body.contains(p),
            "{name}: paragraph lost: {p}\nbody: {body}"
        );
    }
    for l in lacks {
        assert!(!body.contains(l), "{name}: {l} in the body: {body}");
    }
    assert!(page.notes.is_empty(), "{name}: {:?}", page.notes);
    page
}

#[test]
fn wrappers_named_like_furniture_keep_the_article_they_hold() {
    let nav =
        r#"<nav><a href="/">الرئيسية</a> <a href="/a">اقتصاد</a> <a href="/s">رياضة</a></nav>"#;
    let side = format!(r#"<aside class="sidebar"><p>{SIDE}</p></aside>"#);
    let ad = format!(r#"<div class="ad-slot"><p>{AD}</p></div>"#);
    // (wrapper opening tag, closing tag) around the whole article.
    let wrappers = [
        // An ASP.NET page: everything inside one <form>.
        (
            r#"<form method="post" action="./news.aspx?id=7" id="aspnetForm">"#,
            "</form>",
        ),
        (r#"<div class="box article modal-enabled">"#, "</div>"),
        (r#"<div class="ad-offcanvas-pusher">"#, "</div>"),
        (r#"<section class="non-ad-column-l">"#, "</section>"),
        (r#"<div class="widget Blog" id="Blog1">"#, "</div>"),
        (r#"<div class="elementor-widget-wrap">"#, "</div>"),
        (r#"<div class="container penci_sidebar">"#, "</div>"),
        (r#"<div class="wrapper header-style-2">"#, "</div>"),
        (
            r#"<article class="post category-native-advertising-news">"#,
            "</article>",
        ),
        (r#"<div class="entry-content read-more-fold">"#, "</div>"),
        (r#"<div class="share-root">"#, "</div>"),
    ];
    for (open, close) in wrappers {
        let html = page(&format!(
            "{open}{nav}<h1>خطة لدعم مزارعي القمح</h1><div class=\"text\">{}</div>{side}{ad}{close}",
            paragraphs()
        ));
        let read = check(open, &html, &[SIDE, AD, "الرئيسية"]);
        assert!(
            read.left_out
                .iter()
                .any(|l| l.text == SIDE && l.reason == Reason::PageChrome),
            "{open}: {:?}",
            read.left_out
        );
    }
}

#[test]
fn a_short_block_with_a_content_class_does_not_beat_the_article() {
    // The byline's container is named "content"; the article's paragraphs
    // are full of links to topic pages.
    let linked = [P1, P2, P3, P4]
        .map(|p| {
            let (a, b) = p.split_at(p.find(' ').unwrap_or(0));
            format!("<p><a href=\"/topic\">{a}</a>{b}</p>")
        })
        .concat();
    let html = page(&format!(
        r#"<div class="content-wrapper title"><h1>خطة لدعم مزارعي القمح</h1><div>بقلم سلمى الحداد - ١٢ آذار</div></div>
<div class="main"><div class="field-items"><div class="field-item">{linked}</div></div></div>"#
    ));
    let read = read(html.as_bytes(), &Hints::default()).expect("reads");
    for p in [P1, P2, P3, P4] {
        let tail = p.split_at(p.find(' ').unwrap_or(0)).1;
        assert!(read.article.body.contains(tail), "{}", read.article.body);
    }
}

#[test]
fn an_article_cut_into_containers_is_read_whole() {
    let chunk = |a: &str, b: &str| {
        format!(
            r#"<div class="grid"><div class="grid-item body"><p>{a}</p><p>{b}</p><p>{a} {b}</p></div><div class="ad-rail"><p>{AD}</p></div></div>"#
        )
    };
    let html = page(&format!(
        r#"<nav><a href="/">الرئيسية</a></nav><div class="chunks">{}{}{}</div><div class="sidebar"><p>{SIDE}</p></div>"#,
        chunk(P1, P2),
        chunk(P3, P4),
        chunk(P2, P3)
    ));
    check("chunks", &html, &[AD, SIDE]);
}

#[test]
fn json_ld_bodies_teasers_are_not_used_and_markup_is_removed() {
    let ld = |body: &str| {
        format!(
            r#"<script type="application/ld+json">{{"@type":"NewsArticle","headline":"خطة لدعم مزارعي القمح","articleBody":{}}}</script>"#,
            serde_json::to_string(body).expect("json")
        )
    };
    // A teaser: the page's own text is used.
    let teaser = page(&format!("{}<article>{}</article>", ld(P1), paragraphs()));
    let used = check("teaser", &teaser, &[]);
    assert!(used.article.body.contains(P4));
    // The page gives no text (rendered by a script): the given body is
    // used, its tags removed and its entities decoded.
    let marked = format!(
        "<p class=\"lead\">{P1} &quot;القمح&quot; &amp; الشعير</p><p>{P2}&nbsp;{P3}</p><body><p>{P4}</p>"
    );
    let html = page(&format!("{}<div id=\"app\"></div>", ld(&marked)));
    let read = read(html.as_bytes(), &Hints::default()).expect("reads");
    let body = &read.article.body;
    for p in [P1, P2, P3, P4] {
        assert!(body.contains(p), "{body}");
    }
    assert!(body.contains("\"القمح\" & الشعير"), "{body}");
    for raw in ["<p", "&quot;", "&amp;", "&nbsp;", "class="] {
        assert!(!body.contains(raw), "{raw} in {body}");
    }
    assert!(
        read.explain[0].starts_with("body from JSON-LD articleBody"),
        "{:?}",
        read.explain
    );
}

#[test]
fn captions_credits_and_bylines_are_left_out_with_their_reason() {
    let caption = "صورة: مزارع يحصد القمح في حقل قرب القرية الشمالية";
    let html = page(&format!(
        r#"<article><h1>خطة لدعم مزارعي القمح</h1><div class="byline">بقلم سلمى الحداد</div>
<figure><img src="a.jpg"><figcaption>{caption}</figcaption></figure>
<div class="gallery"><p>الصورة ١ من ٥</p></div>{}</article>"#,
        paragraphs()
    ));
    let read = check("captions", &html, &[caption, "بقلم", "الصورة ١ من ٥"]);
    let reason = read.left_out.iter().find(|l| l.text == caption);
    assert_eq!(reason.map(|l| l.reason), Some(Reason::Captions));
}

#[test]
fn a_page_without_main_text_gets_a_note() {
    let links: String = (1..=12)
        .map(|n| format!("<li><a href=\"/n/{n}\">عنوان خبر آخر رقم {n} في قائمة الأخبار</a></li>"))
        .collect();
    let html = page(&format!("<div id=\"app\"><ul>{links}</ul></div>"));
    let read = read(html.as_bytes(), &Hints::default()).expect("reads");
    assert_eq!(read.article.body, "");
    assert_eq!(read.notes.len(), 1, "{:?}", read.notes);
    assert!(
        read.notes[0].starts_with("its main text is empty"),
        "{:?}",
        read.notes
    );
    // A page that reads well gets none.
    check(
        "plain",
        &page(&format!("<article>{}</article>", paragraphs())),
        &[],
    );
}

#[test]
fn a_comment_thread_longer_than_its_article_stays_out() {
    let comment = "شكرا على هذا التقرير المفصل، أتمنى أن تصل المساعدات فعلا إلى صغار المزارعين في القرى البعيدة، وأن لا تذهب كلها إلى الشركات الكبيرة كما حدث في المرة السابقة.";
    // 40 comments: 93% of the page's running text.
    let thread: String = (1..=40)
        .map(|n| format!("<li><span>قارئ {n}</span><p>{comment}</p></li>"))
        .collect();
    let html = page(&format!(
        r#"<article><h1>خطة لدعم مزارعي القمح</h1>{}</article><section id="comments"><h3>التعليقات</h3><ol class="list">{thread}</ol></section>"#,
        paragraphs()
    ));
    let read = check("comments", &html, &[comment]);
    assert!(read
        .left_out
        .iter()
        .any(|l| l.text == comment && l.reason == Reason::Comments));
}

/// The layout big Arabic news sites share (written for the project): an
/// ASP.NET form around everything, a mega menu, a breaking-news ticker,
/// the article with an inline read-also box, tags and a share bar, a
/// most-read column, a footer.
#[test]
fn a_big_arabic_news_site_layout() {
    let menu: String = [
        "سياسة",
        "اقتصاد",
        "رياضة",
        "ثقافة",
        "منوعات",
        "تكنولوجيا",
        "صحة",
        "رأي",
    ]
    .map(|s| format!("<li><a href=\"/{s}\">{s}</a></li>"))
    .concat();
    let most_read: String = (1..=6)
        .map(|n| format!("<li><a href=\"/m/{n}\">خبر من الأكثر قراءة رقم {n} عن أحداث اليوم في المنطقة</a></li>"))
        .collect();
    let html = page(&format!(
        r##"<form name="aspnetForm" method="post" action="Default.aspx?NewsID=7" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" value="dDwxNTM2MzYzOw==">
<div class="top-bar"><ul class="mega-menu">{menu}</ul></div>
<div class="breaking-ticker"><span>عاجل</span><a href="/b/1">انقطاع مؤقت للطريق الساحلي بسبب الأمطار الغزيرة</a></div>
<div class="row"><div class="col-md-8"><div class="article-page">
<h1>خطة لدعم مزارعي القمح</h1><div class="article-date">الخميس ١٢ آذار ٢٠٢٦ - ١٠:٣٠ ص</div>
<div class="article-body" dir="rtl"><p>{P1}</p><p>{P2}</p>
<div class="read-also"><span>اقرأ أيضا</span><a href="/r/1">ارتفاع أسعار الخبز في الأسواق المحلية هذا الأسبوع</a></div>
<p>{P3}</p><p>{P4}</p></div>
<div class="tags"><a href="/t/1">القمح</a><a href="/t/2">الزراعة</a></div>
<div class="social-share"><a href="#">فيسبوك</a><a href="#">تويتر</a><a href="#">واتساب</a></div>
</div></div>
<div class="col-md-4"><div class="most-read"><h3>الأكثر قراءة</h3><ul>{most_read}</ul></div></div></div>
<div class="site-footer"><p>جميع الحقوق محفوظة لموقع أخبار الحقول ٢٠٢٦ - يمنع النسخ دون إذن</p></div>
</form>"##
    ));
    check(
        "arabic site",
        &html,
        &[
            "عاجل",
            "الطريق الساحلي",
            "ارتفاع أسعار الخبز",
            "الأكثر قراءة",
            "تكنولوجيا",
            "فيسبوك",
            "جميع الحقوق",
            "dDwx",
        ],
    );
}
