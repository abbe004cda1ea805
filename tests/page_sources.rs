//! Sources by name on the page (issue 35), in headless Chromium against a
//! real `akhbar serve`: the hits, the sources facet, the active filter,
//! the article view and the «اقتباس» citation show the outlet's name
//! (built-in table, or the user's `--sources` table), while links still
//! filter by the id. The article view also says which file and line the
//! article came from (issue 32). Screenshots at desktop and phone width
//! in `target/screenshots/` (`sources-*.png`).
//!
//! Without Chromium each test prints a `SKIPPED` line and passes, unless
//! `AKHBAR_BROWSER_TESTS=required` or `CI` is set (see `common/browser.rs`).

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use serde_json::{json, Value};

use browser::{
    assert_fits_width, console_errors, screenshot_path, turn, Browser, DESKTOP, PHONE, SHOWN, WAIT,
};
use common::Dir;
use server::{enc, Server};

/// Three articles about one harvest, from two outlets of the built-in
/// table and one named only by the user's table, indexed and served with
/// that table.
fn served() -> (Dir, Server) {
    let dir = Dir::new();
    let lines = [
        r#"{"id": "sky-1", "title": "موسم القمح في السهول", "body": "بدأ موسم حصاد القمح في السهول الشرقية هذا الأسبوع.", "source": "skynews", "date": "2024-06-01", "url": "https://example.org/sky-1"}"#,
        r#"{"id": "riy-1", "title": "القمح يصل إلى الصوامع", "body": "وصلت أولى شحنات القمح إلى الصوامع بعد الحصاد.", "source": "alriyadh", "date": "2024-06-02"}"#,
        r#"{"id": "own-1", "title": "أسعار القمح في السوق", "body": "تراجعت أسعار القمح في السوق المحلية مع وفرة الحصاد.", "source": "hoqool", "date": "2024-06-03"}"#,
    ];
    dir.write("corpus/harvest.jsonl", lines.join("\n") + "\n");
    dir.write(
        "corpus/pages/library.txt",
        "مكتبة المدينة تفتح أبوابها من جديد\n\nأعادت مكتبة المدينة فتح أبوابها للقراء بعد أشهر من الترميم.\n",
    );
    dir.write("sources.tsv", "id\tname\turl\nhoqool\tنشرة الحقول\t\n");
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(
        dir.path(),
        &dir.path().join("idx"),
        &["--sources", "sources.tsv"],
    );
    (dir, server)
}

/// The texts of the elements `css` matches.
fn texts(b: &Browser, css: &str) -> Vec<String> {
    let found = b.run(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim());",
        &[json!(css)],
    );
    found
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

const NAMES: [&str; 3] = ["جريدة الرياض", "سكاي نيوز عربية", "نشرة الحقول"];

#[test]
fn hits_facets_and_the_article_show_the_source_names() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let (_dir, server) = served();
    b.goto(&format!("{}/?q={}", server.base, enc("القمح")));
    b.wait("the results", WAIT, SHOWN, &[]);
    assert_eq!(sorted(texts(&b, ".hit .hit-meta .source")), NAMES);
    // the facet shows the names, its links filter by the id
    b.wait(
        "the sources facet",
        WAIT,
        "return document.querySelectorAll('.facet-list[aria-label=\"المصادر\"] li').length === 3;",
        &[],
    );
    let facet = texts(&b, ".facet-list[aria-label=\"المصادر\"] .name bdi");
    assert_eq!(sorted(facet), NAMES);
    b.screenshot(&screenshot_path("sources-desktop.png"));
    let hrefs = b.run(
        "return [...document.querySelectorAll('.facet-list[aria-label=\"المصادر\"] a')].map(a => a.getAttribute('href'));",
        &[],
    );
    let hrefs: Vec<&str> = hrefs
        .as_array()
        .expect("hrefs")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        hrefs.iter().any(|h| h.contains("source=skynews")),
        "{hrefs:?}"
    );

    // filtered by one source: the chip names it
    b.goto(&format!(
        "{}/?q={}&source=skynews",
        server.base,
        enc("القمح")
    ));
    b.wait("the filtered results", WAIT, SHOWN, &[]);
    let chips = texts(&b, ".active .chip");
    assert!(
        chips.iter().any(|c| c.contains("المصدر: سكاي نيوز عربية")),
        "{chips:?}"
    );

    // the article view, and its citation
    b.goto(&format!("{}/article?id=riy-1", server.base));
    b.wait("the article", WAIT, SHOWN, &[]);
    assert_eq!(texts(&b, ".article .meta .source"), ["جريدة الرياض"]);
    // where it came from: the file and the line of its record
    assert_eq!(
        texts(&b, ".article .provenance"),
        ["الملف: corpus/harvest.jsonl، السطر 2"]
    );
    b.screenshot(&screenshot_path("sources-article-desktop.png"));
    b.click(&b.find(".article .cite"));
    let cited = b.wait(
        "the citation",
        WAIT,
        "return document.querySelector('.article .cite').dataset.copied",
        &[],
    );
    let cited = cited.as_str().expect("text");
    assert!(
        cited.starts_with("«القمح يصل إلى الصوامع»، جريدة الرياض، "),
        "{cited}"
    );

    // a file that is one article: the file alone
    let page = server
        .get(&format!("/api/search?q={}", enc("المكتبة")))
        .json()["hits"][0]
        .clone();
    assert_eq!(page["line"], Value::Null, "{page}");
    let id = page["id"].as_str().expect("id");
    b.goto(&format!("{}/article?id={}", server.base, enc(id)));
    b.wait("the page's article", WAIT, SHOWN, &[]);
    assert_eq!(
        texts(&b, ".article .provenance"),
        ["الملف: corpus/pages/library.txt"]
    );
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn source_names_fit_a_phone() {
    let _turn = turn();
    let Some(b) = Browser::start(PHONE.0, PHONE.1) else {
        return;
    };
    let (_dir, server) = served();
    b.goto(&format!("{}/?q={}", server.base, enc("القمح")));
    b.wait("the results", WAIT, SHOWN, &[]);
    assert_eq!(sorted(texts(&b, ".hit .hit-meta .source")), NAMES);
    assert_fits_width(&b, "results with source names");
    b.screenshot(&screenshot_path("sources-phone.png"));
    b.goto(&format!("{}/article?id=sky-1", server.base));
    b.wait("the article", WAIT, SHOWN, &[]);
    assert_eq!(texts(&b, ".article .meta .source"), ["سكاي نيوز عربية"]);
    assert_fits_width(&b, "the article view");
    b.screenshot(&screenshot_path("sources-article-phone.png"));
}
