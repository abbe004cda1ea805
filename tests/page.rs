//! The search page in a real browser: headless Chromium, driven through
//! WebDriver, against a real `akhbar serve` over the sample corpus and a
//! few planted articles (one hostile, one with emoji and diacritics around
//! its matches, 23 for paging).
//!
//! What a person would check: the hits and every `<mark>` against the
//! API's byte offsets, right to left, facets that narrow, a timeline, Back
//! and Forward, the article view, phone width and the keyboard, the states
//! in plain Arabic, WCAG AA contrast, and a hostile article that runs
//! nothing. Screenshots of the whole page go to `target/screenshots/`.
//!
//! Without Chromium each of these tests prints a `SKIPPED` line (on the
//! process's stderr, which the harness does not hide) and passes, unless
//! `AKHBAR_BROWSER_TESTS=required` or `CI` is set (`.ci/run`), where they
//! fail naming the packages to install (see `common/browser.rs`). They
//! take turns: one browser at a time on a two-core machine.

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use browser::{
    assert_fits_width, console_errors, screenshot_path, turn, Browser, DESKTOP, PHONE, SHOWN, WAIT,
};
use common::{copy_sample_corpus, Dir};
use server::{enc, Server};

// ---------------------------------------------------------------------------
// The corpus: the sample plus planted articles, written for these tests
// ---------------------------------------------------------------------------

/// The word only the hostile article holds.
const HOSTILE_WORD: &str = "زنجبيل";
/// The word the 23 paging articles share.
const PAGING_WORD: &str = "الكستناء";
const PAGING_COUNT: usize = 23;

fn hostile_article(port: u16) -> Value {
    let other = format!("http://127.0.0.1:{port}");
    json!({
        "id": "planted-hostile",
        "title": "زنجبيل <script>window.__pwned='title-script'</script> <img src=x onerror=\"window.__pwned='title-img'\">",
        "body": format!(
            "تقرير عن أسعار الزنجبيل في الأسواق <img src=\"{other}/img.png\" onerror=\"alert('body-img')\"> \
             و<script src=\"{other}/x.js\"></script><script>alert('body-script')</script> \
             و<svg onload=\"alert('svg')\"></svg> و<a href=\"javascript:alert('link')\">رابط</a> \
             و<iframe src=\"{other}/frame\"></iframe>.\n\
             فقرة ثانية عن الزنجبيل <style>body{{display:none}}</style><link rel=stylesheet href=\"{other}/s.css\">."
        ),
        "date": "2020-01-15",
        "source": "<b onmouseover=\"alert('source')\">نشرة</b>",
        "url": "javascript:window.__pwned='url'",
    })
}

fn offsets_article() -> Value {
    json!({
        "id": "planted-offsets",
        "title": "😀 رحلةٌ إلى 𝕏 المريخ: نجاح المهمّة الأولى",
        "body": "قال 🚀 رائد الفضاء Ahmed Ali إن الرِّحلةَ 𝒜 كانت طويلة وشاقة على الطاقم كله.\n\
                 وأضاف أن رحلة العودة تبدأ في الربيع، وأن رحلات أخرى 👩‍🚀 ستتبعها قريباً.",
        "date": "2021-03-02",
        "source": "مجلة الفلك",
        "url": "https://example.org/mars/trip",
    })
}

/// An article from a source named in Latin letters (as many feeds are).
const COPY_WORD: &str = "الفستق";

/// One made-up report about a pistachio harvest, published twice: by an
/// agency, and by a paper under another headline with a first line of its
/// own. A search shows it once, the copy listed under it.
fn copied_articles() -> Vec<Value> {
    let body = "بدأ مزارعو الفستق في القرى الجبلية حصاد الموسم هذا الأسبوع، \
        وقالوا إن الأمطار المتأخرة في الربيع رفعت الإنتاج إلى ضعف ما جمعوه في العام الماضي. \
        وأوضح رئيس جمعية المزارعين أن الأسعار في السوق المركزية بقيت ثابتة رغم وفرة المحصول، \
        وأن الجمعية تبحث مع تجار المدينة فتح أسواق جديدة في الخارج قبل نهاية الخريف.";
    vec![
        json!({"id": "planted-copy-agency", "title": "حصاد وفير للفستق في القرى الجبلية",
               "body": body, "date": "2022-09-20", "source": "وكالة الواحة"}),
        json!({"id": "planted-copy-paper", "title": "الأمطار تضاعف محصول الفستق",
               "body": format!("من مراسلنا في الجبل: {body}"), "date": "2022-09-21",
               "source": "صحيفة السهل"}),
    ]
}

fn latin_source_article() -> Value {
    json!({
        "id": "planted-latin-source",
        "title": "حصاد الزعفران في السهول الشرقية",
        "body": "بدأ المزارعون قطف أزهار الزعفران قبل شروق الشمس، وقالوا إن الموسم جيد.",
        "date": "2022-03-11",
        "source": "wirenews",
        "url": "https://example.org/saffron",
    })
}

fn paging_articles() -> Vec<Value> {
    (1..=PAGING_COUNT)
        .map(|n| {
            json!({
                "id": format!("planted-chestnut-{n:02}"),
                "title": format!("موسم الكستناء في قرى الجبل: الحلقة {n}"),
                // the episode number every few words: each body is its own
                // story, not a near copy the search would fold together
                "body": format!(
                    "يجمع المزارعون في الحلقة {n} ثمار الكستناء في الخريف {n} \
                     ويبيعونها في سوق البلدة {n}. وتقول الحلقة {n} إن المحصول \
                     هذا العام {n} أوفر من العام الماضي {n}."
                ),
                "date": format!("2019-{:02}-{:02}", (n - 1) % 12 + 1, n),
                "source": "نشرة الريف",
                "url": format!("https://example.org/chestnut/{n}"),
            })
        })
        .collect()
}

/// The sample corpus and the planted articles, indexed into `idx/`.
struct Fixture {
    dir: Dir,
    server: Server,
}

impl Fixture {
    fn new(other_port: u16) -> Fixture {
        let dir = Dir::new();
        copy_sample_corpus(&dir);
        let mut lines = vec![
            hostile_article(other_port),
            offsets_article(),
            latin_source_article(),
        ];
        lines.extend(paging_articles());
        lines.extend(copied_articles());
        let text: String = lines.iter().map(|v| format!("{v}\n")).collect();
        dir.write("corpus/planted/planted.jsonl", text);
        let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let server = Server::start(dir.path(), &dir.path().join("idx"), &[]);
        Fixture { dir, server }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    fn api(&self, path: &str) -> Value {
        let answer = self.server.get(path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        answer.json()
    }

    /// The API's search for a page state (limit 10).
    fn search(&self, params: &[(&str, &str)]) -> Value {
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        self.api(&format!("/api/search?{}&limit=10", query.join("&")))
    }
}

/// A server on another origin that counts the connections it gets.
struct OtherOrigin {
    port: u16,
    hits: Arc<AtomicUsize>,
}

impl OtherOrigin {
    fn start() -> OtherOrigin {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let hits = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n");
            }
        });
        OtherOrigin { port, hits }
    }
}

// ---------------------------------------------------------------------------
// Looking at the page
// ---------------------------------------------------------------------------

fn wait_shown(b: &Browser, what: &str) {
    b.wait(what, WAIT, SHOWN, &[]);
}

fn wait_facets(b: &Browser) {
    b.wait(
        "the facets",
        WAIT,
        "const f = document.querySelector('.facets-body'); return f && f.dataset.ready === '1';",
        &[],
    );
}

/// The hits as the page shows them.
fn page_hits(b: &Browser) -> Vec<Value> {
    b.run(
        "return [...document.querySelectorAll('#view .hit')].map(li => ({
            href: li.querySelector('.hit-title a').getAttribute('href'),
            title: li.querySelector('.hit-title a').textContent,
            titleMarks: [...li.querySelectorAll('.hit-title mark')].map(m => m.textContent),
            snippet: (li.querySelector('.snippet') || {textContent: ''}).textContent,
            snippetMarks: [...li.querySelectorAll('.snippet mark')].map(m => m.textContent),
            chips: [...li.querySelectorAll('.chips .chip')].map(c => c.childNodes[1].textContent),
        }))",
        &[],
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// The substrings `[[start, end]]` (bytes) name in `text`, in order.
fn substrings(text: &str, ranges: &Value) -> Vec<String> {
    let mut pairs: Vec<(usize, usize)> = ranges
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|p| Some((p[0].as_u64()? as usize, p[1].as_u64()? as usize)))
                .collect()
        })
        .unwrap_or_default();
    pairs.sort_unstable();
    pairs
        .into_iter()
        .map(|(s, e)| {
            text.get(s..e)
                .unwrap_or_else(|| panic!("[{s}, {e}] is not a range of {text:?}"))
                .to_string()
        })
        .collect()
}

/// The page's hits against the API's: same articles in the same order,
/// every highlight a `<mark>` holding exactly the bytes the API names.
fn assert_hits_match(b: &Browser, api: &Value, what: &str) {
    let shown = page_hits(b);
    let hits = api["hits"].as_array().expect("hits");
    assert_eq!(shown.len(), hits.len(), "{what}: number of hits");
    for (page, hit) in shown.iter().zip(hits) {
        let title = hit["title"].as_str().unwrap_or_default();
        assert_eq!(page["title"], title, "{what}: title");
        let id = hit["id"].as_str().expect("id");
        let href = page["href"].as_str().unwrap_or_default();
        assert!(
            href.starts_with(&format!("/article?id={}", enc(id)).replace("%20", "+"))
                || href.starts_with("/article?id="),
            "{what}: {href}"
        );
        assert_eq!(
            page["titleMarks"],
            json!(substrings(title, &hit["title_highlights"])),
            "{what}: the marks of {title:?}"
        );
        let mut marks = Vec::new();
        let mut texts = Vec::new();
        for snippet in hit["snippets"].as_array().expect("snippets") {
            let text = snippet["text"].as_str().unwrap_or_default();
            marks.extend(substrings(text, &snippet["highlights"]));
            texts.push(text.to_string());
        }
        assert_eq!(
            page["snippetMarks"],
            json!(marks),
            "{what}: the snippet marks of {title:?}"
        );
        assert_eq!(page["snippet"], texts.join(" … "), "{what}: snippets");
        let chips: Vec<&str> = hit["entities"]
            .as_array()
            .map(|l| {
                l.iter()
                    .take(5)
                    .filter_map(|e| e["name"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(page["chips"], json!(chips), "{what}: entity chips");
    }
}

/// Texts whose contrast with what is behind them is under WCAG AA (4.5:1,
/// or 3:1 for large text).
const CONTRAST: &str = r#"
const parse = (c) => { const m = c.match(/[\d.]+/g); return m ? m.map(Number) : [0,0,0,0]; };
const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const background = (el) => { for (let e = el; e; e = e.parentElement) {
  const c = parse(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0.5) return c; } return [255,255,255]; };
const bad = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (!n.textContent.trim()) continue;
  const el = n.parentElement; const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  if (s.visibility === 'hidden' || r.width < 2 || r.height < 2 || el.closest('.visually-hidden,.skip,noscript')) continue;
  const fg = parse(s.color); const bg = background(el);
  const [a, b] = [lum(fg), lum(bg)]; const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(s.fontSize); const bold = Number(s.fontWeight) >= 700;
  const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < need) bad.push(`${n.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)} (${s.color} on rgb(${bg.slice(0,3)}))`);
}
return bad;"#;

fn assert_contrast(b: &Browser, what: &str) {
    let bad = b.run(CONTRAST, &[]);
    assert_eq!(bad, json!([]), "{what}: text under WCAG AA contrast");
}

fn click(b: &Browser, css: &str) {
    let element = b.find(css);
    b.click(&element);
}

fn current_query(b: &Browser) -> BTreeMap<String, Vec<String>> {
    let pairs = b.run(
        "return [...new URLSearchParams(location.search)].map(([k, v]) => [k, v]);",
        &[],
    );
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in pairs.as_array().cloned().unwrap_or_default() {
        let k = pair[0].as_str().unwrap_or_default().to_string();
        let v = pair[1].as_str().unwrap_or_default().to_string();
        out.entry(k).or_default().push(v);
    }
    out
}

fn param(b: &Browser, name: &str) -> Option<String> {
    current_query(b).get(name).and_then(|v| v.first().cloned())
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

#[test]
fn results_are_right_to_left_with_every_api_highlight_marked() {
    let _turn = turn();
    let other = OtherOrigin::start();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let fx = Fixture::new(other.port);
    // What a first-time user sees.
    b.goto(&fx.url("/"));
    wait_shown(&b, "the first page");
    b.wait(
        "the archive's figures",
        WAIT,
        "return document.querySelector('.home .stats') && document.querySelector('.home-grid')",
        &[],
    );
    let intro = b.run("return document.querySelector('.home').textContent", &[]);
    let total = fx.api("/api/stats")["articles"].as_u64().expect("articles");
    assert!(
        intro
            .as_str()
            .is_some_and(|t| t.contains(&format!("في الأرشيف {total} مقالة"))),
        "{intro}"
    );
    b.screenshot(&screenshot_path("home.png"));
    assert_contrast(&b, "first page");
    for q in [
        "سوريا",
        "رحلة",
        "\"قوات سوريا الديمقراطية\"",
        "ترامب أو بوتين",
    ] {
        b.goto(&fx.url(&format!("/?q={}", enc(q))));
        wait_shown(&b, q);
        let api = fx.search(&[("q", q)]);
        assert!(api["total_hits"].as_u64().unwrap_or(0) > 0, "{q}: no hits");
        assert_hits_match(&b, &api, q);
        let count = b.run("return document.querySelector('.count').textContent", &[]);
        let count = count.as_str().unwrap_or_default();
        let total = api["total_hits"].as_u64().unwrap_or(0);
        assert!(
            count.contains(&total.to_string()) || (total <= 2 && count.contains("مقال")),
            "{q}: the count line says {count:?} for {total}"
        );
        assert!(count.contains("ثانية"), "{q}: time taken in {count:?}");
        assert_eq!(
            b.find_all("#view .hit mark").len(),
            page_hits(&b)
                .iter()
                .map(|h| h["titleMarks"].as_array().map_or(0, Vec::len)
                    + h["snippetMarks"].as_array().map_or(0, Vec::len))
                .sum::<usize>(),
        );
    }
    // The emoji, the mathematical letters and the diacritics before the
    // matches are where a byte offset used as a UTF-16 index goes wrong.
    b.goto(&fx.url(&format!("/?q={}", enc("رحلة"))));
    wait_shown(&b, "رحلة");
    let hits = page_hits(&b);
    let planted = hits
        .iter()
        .find(|h| h["title"].as_str().is_some_and(|t| t.contains("المريخ")))
        .expect("the planted article");
    assert_eq!(planted["titleMarks"], json!(["رحلةٌ"]));
    let marks: Vec<&str> = planted["snippetMarks"]
        .as_array()
        .expect("marks")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for word in ["الرِّحلةَ", "رحلة", "رحلات"] {
        assert!(marks.contains(&word), "{word} marked whole: {marks:?}");
    }

    let doc = b.run(
        "return {dir: document.documentElement.dir, lang: document.documentElement.lang,
                 direction: getComputedStyle(document.body).direction,
                 title: document.title}",
        &[],
    );
    assert_eq!(doc["dir"], "rtl");
    assert_eq!(doc["lang"], "ar");
    assert_eq!(doc["direction"], "rtl");
    wait_facets(&b);
    b.screenshot(&screenshot_path("results.png"));
    assert_contrast(&b, "results");
    assert_fits_width(&b, "results");
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
    assert_eq!(other.hits.load(Ordering::SeqCst), 0);
}

#[test]
fn facets_narrow_the_results_and_history_walks_back_and_forth() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let fx = Fixture::new(1);
    let q = "سوريا";
    b.goto(&fx.url(&format!("/?q={}", enc(q))));
    wait_shown(&b, q);
    wait_facets(&b);
    let all = fx.search(&[("q", q)]);
    assert_hits_match(&b, &all, "before any facet");

    // An entity facet: the results narrow to the articles naming it.
    let entity = "قوات سوريا الديمقراطية";
    let links = b.run(
        "return [...document.querySelectorAll('.facet-list a')].map(a => a.querySelector('bdi').textContent)",
        &[],
    );
    let position = links
        .as_array()
        .and_then(|l| l.iter().position(|n| n == entity))
        .unwrap_or_else(|| panic!("{entity} among the facets: {links}"));
    let element = b.find_all(".facet-list a")[position].clone();
    b.click(&element);
    b.wait(
        "the entity in the URL",
        WAIT,
        "return new URLSearchParams(location.search).get('entity')",
        &[],
    );
    wait_shown(&b, "the entity facet");
    assert_eq!(param(&b, "entity").as_deref(), Some(entity));
    assert_eq!(param(&b, "q").as_deref(), Some(q));
    let narrowed = fx.search(&[("q", q), ("entity", entity)]);
    let (n_all, n_narrow) = (
        all["total_hits"].as_u64().unwrap_or(0),
        narrowed["total_hits"].as_u64().unwrap_or(0),
    );
    assert!(0 < n_narrow && n_narrow < n_all, "{n_narrow} of {n_all}");
    assert_hits_match(&b, &narrowed, "after the entity facet");
    let chips = b.run(
        "return [...document.querySelectorAll('.active .chip')].map(c => c.textContent)",
        &[],
    );
    assert!(
        chips.to_string().contains(entity),
        "the active filter shows as a chip: {chips}"
    );
    wait_facets(&b);
    b.wait(
        "what the name resolved to",
        WAIT,
        "const e = document.querySelector('.entity-slot'); return e && e.dataset.ready === '1' && e.textContent;",
        &[],
    );
    b.screenshot(&screenshot_path("facets.png"));

    // A month of the timeline: the date range of that month.
    let month = b.run(
        "return document.querySelector('.timeline a.bar').dataset.month",
        &[],
    );
    let month = month.as_str().expect("a month bar").to_string();
    click(&b, ".timeline a.bar");
    b.wait(
        "the month in the URL",
        WAIT,
        "return new URLSearchParams(location.search).get('from')",
        &[],
    );
    wait_shown(&b, "the month");
    let from = param(&b, "from").expect("from");
    let to = param(&b, "to").expect("to");
    assert_eq!(from, format!("{month}-01"));
    assert!(to.starts_with(&month), "{to}");
    let in_month = fx.search(&[("q", q), ("entity", entity), ("from", &from), ("to", &to)]);
    assert_hits_match(&b, &in_month, "after the month");
    for hit in in_month["hits"].as_array().expect("hits") {
        assert!(hit["date"].as_str().is_some_and(|d| d.starts_with(&month)));
    }

    // Back: the entity alone; back again: everything; forward: the entity.
    b.back();
    wait_shown(&b, "back to the entity");
    assert_eq!(param(&b, "from"), None);
    assert_hits_match(&b, &narrowed, "back to the entity");
    b.back();
    wait_shown(&b, "back to the start");
    assert_eq!(param(&b, "entity"), None);
    assert_hits_match(&b, &all, "back to the start");
    b.forward();
    wait_shown(&b, "forward to the entity");
    assert_hits_match(&b, &narrowed, "forward to the entity");

    // Removing the filter's chip widens again.
    click(&b, ".active .chip");
    wait_shown(&b, "the chip removed");
    assert_eq!(param(&b, "entity"), None);
    assert_hits_match(&b, &all, "after removing the chip");

    // A source facet narrows to that outlet.
    wait_facets(&b);
    let found = b.run(
        "const links = [...document.querySelectorAll('.facet-list a')];
         const i = links.findIndex(a => a.closest('.facet').querySelector('h2').textContent === 'المصادر');
         return i < 0 ? null : [i, links[i].querySelector('bdi').textContent];",
        &[],
    );
    let index = found[0].as_u64().expect("a source facet") as usize;
    let source = found[1].as_str().expect("its name").to_string();
    let link = b.find_all(".facet-list a")[index].clone();
    b.click(&link);
    b.wait(
        "the source in the URL",
        WAIT,
        "return new URLSearchParams(location.search).get('source')",
        &[],
    );
    wait_shown(&b, "the source facet");
    let by_source = fx.search(&[("q", q), ("source", &source)]);
    assert_hits_match(&b, &by_source, "after the source facet");
    for hit in by_source["hits"].as_array().expect("hits") {
        assert_eq!(hit["source"], source.as_str());
    }

    // Any date range, typed.
    b.goto(&fx.url(&format!("/?q={}", enc(q))));
    wait_shown(&b, q);
    wait_facets(&b);
    b.type_into(&b.find(".dates input[name=from]"), "2024-06-01");
    b.type_into(&b.find(".dates input[name=to]"), "2025-02-28");
    click(&b, ".dates button");
    b.wait(
        "the typed range in the URL",
        WAIT,
        "return new URLSearchParams(location.search).get('to') === '2025-02-28'",
        &[],
    );
    wait_shown(&b, "the typed range");
    let ranged = fx.search(&[("q", q), ("from", "2024-06-01"), ("to", "2025-02-28")]);
    assert_hits_match(&b, &ranged, "the typed range");
    let chips = b.run("return document.querySelector('.active').textContent", &[]);
    assert!(
        chips.to_string().contains("1 يونيو 2024 – 28 فبراير 2025"),
        "{chips}"
    );

    // A name: "ابحث عن اسم" ticked, the name typed; the page says what it
    // resolved to.
    click(&b, "#as-name");
    let input = b.find("#q");
    b.run("document.getElementById('q').value = ''", &[]);
    b.type_into(&input, "ترمب\u{E007}");
    b.wait(
        "the name search",
        WAIT,
        "const p = new URLSearchParams(location.search); return p.get('entity') === 'ترمب' && !p.get('q')",
        &[],
    );
    wait_shown(&b, "the name search");
    assert_hits_match(
        &b,
        &fx.search(&[
            ("entity", "ترمب"),
            ("from", "2024-06-01"),
            ("to", "2025-02-28"),
        ]),
        "the name search (the range kept)",
    );
    let card = b.wait(
        "what the name resolved to",
        WAIT,
        "const e = document.querySelector('.entity-slot'); return e && e.dataset.ready === '1' && e.textContent;",
        &[],
    );
    let card = card.as_str().unwrap_or_default();
    for said in ["دونالد ترامب", "شخص", "ترامب", "دونالد ترمب"] {
        assert!(card.contains(said), "{said} in {card:?}");
    }
    assert_eq!(
        b.run("return document.getElementById('as-name').checked", &[]),
        true
    );

    // Paging: 23 articles, 10 a page; the pages are in the history too.
    b.goto(&fx.url(&format!("/?q={}", enc(PAGING_WORD))));
    wait_shown(&b, "the paging word");
    let page = |n: usize| {
        fx.api(&format!(
            "/api/search?q={}&limit=10&offset={}",
            enc(PAGING_WORD),
            (n - 1) * 10
        ))
    };
    assert_eq!(page(1)["total_hits"], PAGING_COUNT);
    assert_hits_match(&b, &page(1), "page 1");
    click(&b, ".pager a[rel=next]");
    b.wait(
        "page 2",
        WAIT,
        "return new URLSearchParams(location.search).get('page') === '2'",
        &[],
    );
    wait_shown(&b, "page 2");
    assert_hits_match(&b, &page(2), "page 2");
    click(&b, ".pager a[rel=next]");
    b.wait(
        "page 3",
        WAIT,
        "return new URLSearchParams(location.search).get('page') === '3'",
        &[],
    );
    wait_shown(&b, "page 3");
    assert_hits_match(&b, &page(3), "page 3");
    assert_eq!(page_hits(&b).len(), PAGING_COUNT - 20);
    assert!(b.find_all(".pager a[rel=next]").is_empty(), "no next page");
    b.back();
    wait_shown(&b, "back to page 2");
    assert_eq!(param(&b, "page").as_deref(), Some("2"));
    assert_hits_match(&b, &page(2), "back to page 2");
    b.back();
    wait_shown(&b, "back to page 1");
    assert_eq!(param(&b, "page"), None);
    assert_hits_match(&b, &page(1), "back to page 1");
    b.forward();
    wait_shown(&b, "forward to page 2");
    assert_hits_match(&b, &page(2), "forward to page 2");

    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// Clicks the order link labelled `label` and waits for `sort` in the URL
/// to become `want` (None: gone, the default order).
fn pick_order(b: &Browser, label: &str, want: Option<&str>) {
    let clicked = b.run(
        "const a = [...document.querySelectorAll('.sort a')].find(a => a.textContent === arguments[0]);
         if (a) a.click();
         return Boolean(a);",
        &[Value::from(label)],
    );
    assert_eq!(
        clicked,
        Value::Bool(true),
        "a link «{label}» in the order bar"
    );
    let want_js = want.map_or("null".to_string(), |w| format!("'{w}'"));
    b.wait(
        "the order in the URL",
        WAIT,
        &format!("return new URLSearchParams(location.search).get('sort') === {want_js};"),
        &[],
    );
    wait_shown(b, label);
}

#[test]
fn results_can_be_ordered_newest_or_oldest_first() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let fx = Fixture::new(1);
    let q = "سوريا";
    b.goto(&fx.url(&format!("/?q={}", enc(q))));
    wait_shown(&b, q);
    let current = b.run(
        "return document.querySelector('.sort [aria-current]').textContent",
        &[],
    );
    assert_eq!(
        current,
        Value::from("الأقرب صلة"),
        "relevance is the default"
    );

    for (label, sort) in [("الأحدث أولاً", "date"), ("الأقدم أولاً", "-date")]
    {
        pick_order(&b, label, Some(sort));
        let api = fx.search(&[("q", q), ("sort", sort)]);
        assert_hits_match(&b, &api, label);
        let dates: Vec<&str> = api["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["date"].as_str())
            .collect();
        assert!(dates.len() > 1, "{label}: dated hits {dates:?}");
        let ordered = dates.windows(2).all(|w| {
            if sort == "date" {
                w[0] >= w[1]
            } else {
                w[0] <= w[1]
            }
        });
        assert!(ordered, "{label}: {dates:?}");
        let current = b.run(
            "return document.querySelector('.sort [aria-current]').textContent",
            &[],
        );
        assert_eq!(current, Value::from(label));
        if sort == "date" {
            b.screenshot(&screenshot_path("sorted-newest.png"));
        }
    }
    // Back to relevance: the parameter leaves the URL.
    pick_order(&b, "الأقرب صلة", None);
    assert_hits_match(&b, &fx.search(&[("q", q)]), "relevance again");
    assert!(console_errors(&b).is_empty(), "{:?}", console_errors(&b));
}

#[test]
fn near_copies_show_once_with_the_copy_listed_and_linked() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let fx = Fixture::new(1);
    b.goto(&fx.url(&format!("/?q={}", enc(COPY_WORD))));
    wait_shown(&b, COPY_WORD);
    let api = fx.search(&[("q", COPY_WORD)]);
    assert_eq!(api["total_hits"], 2, "{api:#}");
    assert_eq!(api["total_stories"], 1, "{api:#}");
    assert_hits_match(&b, &api, "collapsed");
    let shown = b.run(
        "const li = document.querySelector('#view .hit'); const c = li.querySelector('.copies'); \
         return {summary: document.querySelector('.summary h1').textContent, \
         copies: c ? c.textContent : '', \
         links: c ? [...c.querySelectorAll('a')].map(a => a.getAttribute('href')) : []};",
        &[],
    );
    let summary = shown["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("مقالتان") && summary.contains("خبر واحد"),
        "{summary}"
    );
    let copies = shown["copies"].as_str().unwrap_or_default();
    let copy = &api["hits"][0]["duplicates"][0];
    let source = copy["source"].as_str().expect("source");
    assert!(
        copies.contains("نسخة أخرى") && copies.contains(source),
        "{copies}"
    );
    let id = copy["id"].as_str().expect("id");
    let links = shown["links"].as_array().expect("links");
    assert_eq!(links.len(), 1, "{shown}");
    assert!(
        links[0]
            .as_str()
            .unwrap_or_default()
            .starts_with(&format!("/article?id={}", enc(id))),
        "{shown}"
    );
    b.screenshot(&screenshot_path("copies-desktop.png"));
    b.set_size(PHONE.0, PHONE.1);
    b.goto(&fx.url(&format!("/?q={}", enc(COPY_WORD))));
    wait_shown(&b, COPY_WORD);
    b.screenshot(&screenshot_path("copies-phone.png"));
    assert!(console_errors(&b).is_empty(), "{:?}", console_errors(&b));
}

#[test]
fn the_article_view_shows_the_whole_article_with_its_marks_and_names() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let fx = Fixture::new(1);
    let q = "ترمب";
    b.goto(&fx.url(&format!("/?q={}", enc(q))));
    wait_shown(&b, q);
    let results = fx.search(&[("q", q)]);
    let first = &results["hits"][0];
    let id = first["id"].as_str().expect("id");
    click(&b, ".hit-title a");
    b.wait(
        "the article view",
        WAIT,
        "return location.pathname === '/article'",
        &[],
    );
    wait_shown(&b, "the article");
    assert_eq!(param(&b, "id").as_deref(), Some(id));
    let api = fx.api(&format!("/api/articles/{}?q={}", enc(id), enc(q)));
    let shown = b.run(
        "const groups = (sel) => { const g = new Map(); for (const m of document.querySelectorAll(sel)) {
             const k = m.dataset.hl; g.set(k, (g.get(k) || '') + m.textContent); } return [...g.values()]; };
         const ents = (sel) => [...document.querySelectorAll(sel)].map(e => [e.dataset.entity, e.textContent]);
         return {
           title: document.querySelector('#article-title').textContent,
           paragraphs: [...document.querySelectorAll('.article .body p')].map(p => p.textContent),
           titleMarks: groups('#article-title mark'),
           bodyMarks: groups('.article .body mark'),
           titleEntities: ents('#article-title .ent'),
           bodyEntities: ents('.article .body .ent'),
           link: (() => { const a = document.querySelector('a.original');
                          return a && {href: a.getAttribute('href'), target: a.target, rel: a.rel}; })(),
           back: document.querySelector('a.back').getAttribute('href'),
         };",
        &[],
    );
    let title = api["title"].as_str().expect("title");
    let body = api["body"].as_str().expect("body");
    assert_eq!(shown["title"], title);
    let paragraphs: Vec<&str> = body.split('\n').filter(|p| !p.is_empty()).collect();
    assert_eq!(shown["paragraphs"], json!(paragraphs), "the whole body");
    assert_eq!(
        shown["titleMarks"],
        json!(substrings(title, &api["title_highlights"]))
    );
    let body_marks = substrings(body, &api["body_highlights"]);
    assert!(!body_marks.is_empty());
    assert_eq!(shown["bodyMarks"], json!(body_marks));
    // Every mention of every entity, by the API's offsets, in text order.
    let mut in_title = 0;
    let mut in_body: Vec<(usize, Value)> = Vec::new();
    for m in api["entity_mentions"].as_array().expect("entity_mentions") {
        let name = m["name"].as_str().unwrap_or_default().to_string();
        in_title += m["title"].as_array().map_or(0, Vec::len);
        for pair in m["body"].as_array().expect("body") {
            let s = pair[0].as_u64().unwrap_or(0) as usize;
            let e = pair[1].as_u64().unwrap_or(0) as usize;
            in_body.push((s, json!([name, &body[s..e]])));
        }
    }
    in_body.sort_by_key(|(s, _)| *s);
    let expected: Vec<Value> = in_body.into_iter().map(|(_, v)| v).collect();
    assert!(!expected.is_empty(), "the article names someone");
    assert_eq!(shown["bodyEntities"], json!(expected), "entity mentions");
    assert_eq!(
        shown["titleEntities"].as_array().map(Vec::len),
        Some(in_title)
    );
    let url = api["url"].as_str().unwrap_or_default();
    if url.starts_with("http") {
        assert_eq!(shown["link"]["href"], url);
        assert_eq!(shown["link"]["target"], "_blank");
        let rel = shown["link"]["rel"].as_str().unwrap_or_default();
        assert!(
            rel.contains("noopener") && rel.contains("noreferrer"),
            "{rel}"
        );
    }
    assert!(shown["back"]
        .as_str()
        .is_some_and(|h| h.starts_with("/?q=")));
    b.screenshot(&screenshot_path("article.png"));
    assert_contrast(&b, "article");

    // The way back: the link, then the browser's Back after a name chip.
    click(&b, "a.back");
    b.wait(
        "the results again",
        WAIT,
        "return location.pathname === '/'",
        &[],
    );
    wait_shown(&b, "the results again");
    assert_hits_match(&b, &results, "back from the article");
    b.back();
    wait_shown(&b, "the article again");
    assert_eq!(param(&b, "id").as_deref(), Some(id));
    click(&b, ".article-entities .chip");
    b.wait(
        "a search for the name",
        WAIT,
        "return location.pathname === '/' && new URLSearchParams(location.search).get('entity')",
        &[],
    );
    wait_shown(&b, "the name's search");
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn a_planted_hostile_article_runs_nothing_and_reaches_no_other_origin() {
    let _turn = turn();
    let other = OtherOrigin::start();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let fx = Fixture::new(other.port);
    let page = fx.server.get("/");
    let policy = page
        .header("content-security-policy")
        .expect("a Content-Security-Policy");
    assert!(policy.contains("script-src 'self'") && policy.contains("default-src 'none'"));

    let untouched = "return {pwned: window.__pwned === undefined ? null : String(window.__pwned),
        scripts: [...document.querySelectorAll('#view script, #view img, #view svg, #view iframe, #view link, #view style, #view b')].length,
        external: performance.getEntriesByType('resource').map(r => r.name).filter(n => !n.startsWith(location.origin)),
        text: document.getElementById('view').textContent}";
    b.goto(&fx.url(&format!("/?q={}", enc(HOSTILE_WORD))));
    wait_shown(&b, "the hostile article's hit");
    wait_facets(&b);
    let seen = b.run(untouched, &[]);
    assert_eq!(seen["pwned"], Value::Null, "{seen}");
    assert_eq!(seen["scripts"], 0, "no element made from the text: {seen}");
    assert_eq!(seen["external"], json!([]));
    let text = seen["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("<script>window.__pwned='title-script'</script>"),
        "{text}"
    );
    assert!(
        text.contains("<b onmouseover="),
        "the source as text: {text}"
    );
    assert_eq!(b.alert_text(), None, "no alert");

    click(&b, ".hit-title a");
    b.wait(
        "the article",
        WAIT,
        "return location.pathname === '/article'",
        &[],
    );
    wait_shown(&b, "the hostile article");
    // Hover and click what would have been a link or a handler.
    let body = b.find(".article .body");
    b.click(&body);
    let seen = b.run(untouched, &[]);
    assert_eq!(seen["pwned"], Value::Null, "{seen}");
    assert_eq!(seen["scripts"], 0, "{seen}");
    assert_eq!(seen["external"], json!([]));
    let text = seen["text"].as_str().unwrap_or_default();
    assert!(text.contains("<img src=\"http://127.0.0.1:"), "{text}");
    assert!(text.contains("<iframe"), "{text}");
    assert!(
        b.find_all("a.original").is_empty(),
        "a javascript: url is not a link"
    );
    assert_eq!(b.alert_text(), None, "no alert");

    // A hostile name and query in the URL are text too.
    b.goto(&fx.url(&format!(
        "/?q={}&entity={}",
        enc("<img src=x onerror=alert(7)> زنجبيل"),
        enc("<svg onload=alert(8)>")
    )));
    wait_shown(&b, "a hostile URL");
    let seen = b.run(untouched, &[]);
    assert_eq!(seen["scripts"], 0, "{seen}");
    assert_eq!(b.alert_text(), None, "no alert");
    let value = b.run("return document.getElementById('q').value", &[]);
    assert_eq!(value, "<img src=x onerror=alert(7)> زنجبيل");

    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        other.hits.load(Ordering::SeqCst),
        0,
        "a request reached another origin"
    );
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn at_phone_width_with_the_keyboard() {
    let _turn = turn();
    let Some(b) = Browser::start(PHONE.0, PHONE.1) else {
        return;
    };
    let fx = Fixture::new(1);
    b.goto(&fx.url("/"));
    wait_shown(&b, "the first page");
    b.wait(
        "the archive's figures",
        WAIT,
        "return document.querySelector('.home .stats') && document.querySelector('.home-grid')",
        &[],
    );
    b.screenshot(&screenshot_path("home-phone.png"));
    assert_fits_width(&b, "the first page on a phone");
    assert_contrast(&b, "first page");

    // "/" goes to the search box; Enter searches.
    b.press("/");
    let focused = b.run("return document.activeElement.id", &[]);
    assert_eq!(focused, "q", "/ focuses the search box");
    b.type_into(&b.find("#q"), "سوريا\u{E007}");
    b.wait(
        "the search",
        WAIT,
        "return new URLSearchParams(location.search).get('q') === 'سوريا'",
        &[],
    );
    wait_shown(&b, "the results at phone width");
    let said = b.run(
        "const a = document.getElementById('announce'); return [a.getAttribute('aria-live'), a.textContent]",
        &[],
    );
    assert_eq!(said[0], "polite");
    assert!(
        said[1].as_str().is_some_and(|t| t.contains("مقالات")),
        "the count is said to screen readers: {said}"
    );
    wait_facets(&b);
    assert_hits_match(&b, &fx.search(&[("q", "سوريا")]), "phone");
    assert_fits_width(&b, "the results on a phone");
    let folded = b.run("return document.querySelector('.facets-toggle').open", &[]);
    assert_eq!(folded, false, "facets folded on a phone");
    b.screenshot(&screenshot_path("results-phone.png"));
    assert_contrast(&b, "results at phone width");

    // The facets open from the keyboard: Tab to the summary, Enter.
    b.run(
        "document.querySelector('.facets-toggle > summary').focus()",
        &[],
    );
    b.press("\u{E007}");
    let open = b.run("return document.querySelector('.facets-toggle').open", &[]);
    assert_eq!(open, true, "Enter opens the facets");
    // Tab from the box reaches the results' links in order; Enter opens one.
    b.run("document.querySelector('.hit-title a').focus()", &[]);
    b.press("\u{E007}");
    b.wait(
        "the article",
        WAIT,
        "return location.pathname === '/article'",
        &[],
    );
    wait_shown(&b, "the article at phone width");
    assert_fits_width(&b, "the article on a phone");
    b.screenshot(&screenshot_path("article-phone.png"));

    // Every control has a name a screen reader can say.
    let unnamed = b.run(
        "return [...document.querySelectorAll('a[href], button, input, summary')].filter(e => {
            const r = e.getBoundingClientRect(); if (!r.width && !r.height) return false;
            const label = e.getAttribute('aria-label') || e.textContent.trim() || (e.labels && e.labels.length && e.labels[0].textContent.trim());
            return !label; }).map(e => e.outerHTML.slice(0, 80))",
        &[],
    );
    assert_eq!(unnamed, json!([]), "controls without a name");
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn states_are_said_in_plain_arabic() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let fx = Fixture::new(1);
    let view_text = "return document.getElementById('view').textContent";
    let show = |path: &str| -> String {
        b.goto(&fx.url(path));
        wait_shown(&b, path);
        b.run(view_text, &[])
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    // Nothing found, with a filter to remove and the words to search apart.
    let text = show(&format!(
        "/?q={}&source={}",
        enc("قزحبلوط سوريا"),
        enc("صحيفة الأفق")
    ));
    assert!(text.contains("لم نجد مقالات"), "{text}");
    assert!(text.contains("احذف عامل تصفية"), "{text}");
    assert!(text.contains("قزحبلوط أو سوريا"), "{text}");
    assert_fits_width(&b, "no results");
    b.screenshot(&screenshot_path("no-results.png"));
    assert_contrast(&b, "no results");

    // A source named in Latin letters keeps to itself: the date after it
    // reads "11 مارس 2022" in one piece, to its left.
    show(&format!("/?q={}", enc("الزعفران")));
    let meta = b.run(
        "const m = document.querySelector('.hit .hit-meta'); \
         const s = m.querySelector('.source').getBoundingClientRect(); \
         const t = m.querySelector('time'); const rs = [...t.getClientRects()]; \
         const day = document.createRange(); day.setStart(t.firstChild, 0); day.setEnd(t.firstChild, 2); \
         const d = day.getBoundingClientRect(); \
         return [t.textContent, rs.every((r) => r.right <= s.left + 1), rs.every((r) => r.left <= d.left + 1)]",
        &[],
    );
    assert_eq!(
        meta,
        json!(["11 مارس 2022", true, true]),
        "the date (its day first, on the right) beside a Latin source"
    );

    // The common-word note.
    let text = show(&format!("/?q={}", enc("في سوريا")));
    assert!(text.contains("تجاهلنا الكلمة الشائعة «في»"), "{text}");
    // Several common words and nothing else: each said, in Arabic.
    let text = show(&format!("/?q={}", enc("في من")));
    assert!(text.contains("تجاهلنا الكلمة الشائعة «في»"), "{text}");
    assert!(text.contains("تجاهلنا الكلمة الشائعة «من»"), "{text}");
    assert!(!text.contains("ignored"), "{text}");
    // Only common words: nothing to search, and the phrase offered.
    let text = show(&format!("/?q={}", enc("في")));
    assert!(text.contains("لا يبقى في هذا البحث"), "{text}");
    assert!(text.contains("\"في\""), "{text}");
    // A bad date in the URL: the server's 400, said in Arabic.
    let text = show(&format!("/?q={}&from=yesterday", enc("سوريا")));
    assert!(text.contains("لم نفهم التاريخ"), "{text}");
    // The example date reads left to right: 2024, then 06, then 30.
    let order = b.run(
        "const p = document.querySelector('#view .panel p'); const t = p.firstChild; \
         const s = t.textContent; const at = (w) => { const r = document.createRange(); \
         const i = s.indexOf(w); r.setStart(t, i); r.setEnd(t, i + w.length); \
         return r.getBoundingClientRect().left; }; \
         return at('2024') < at('06') && at('06') < at('30')",
        &[],
    );
    assert_eq!(order, true, "2024-06-30 in order: {text}");
    assert!(
        text.contains("cannot read the date"),
        "the detail, folded: {text}"
    );

    // The index being built: said, retried, and the results come by themselves.
    let building = fx.dir.path().join("later");
    let waiting = Server::start(fx.dir.path(), &building, &[]);
    b.goto(&format!("{}/?q={}", waiting.base, enc("سوريا")));
    b.wait(
        "the index-being-built state",
        WAIT,
        "return document.getElementById('view').textContent.includes('الفهرس قيد البناء')",
        &[],
    );
    let retrying = b.run(
        "return document.querySelector('#view .panel.waiting code').textContent",
        &[],
    );
    assert_eq!(retrying, "akhbar index", "the command that builds it");
    assert_fits_width(&b, "index being built");
    b.screenshot(&screenshot_path("index-being-built.png"));
    assert_contrast(&b, "index being built");
    let run = fx
        .dir
        .akhbar(&["index", "corpus", "--index", "later", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // (An index built from nothing is committed empty first: the page
    // says that too and keeps looking, rather than "nothing found".)
    b.wait(
        "the results once the index is built",
        WAIT,
        "return document.querySelectorAll('#view .hit').length",
        &[],
    );
    assert_hits_match(&b, &fx.search(&[("q", "سوريا")]), "once the index is built");

    // The server gone: said as such.
    drop(waiting);
    b.run(
        "document.querySelector('.pager a, .facet-list a, .hit .chip').click()",
        &[],
    );
    b.wait(
        "the unreachable-server state",
        WAIT,
        "return document.getElementById('view').textContent.includes('تعذّر الاتصال')",
        &[],
    );
    let _ = console_errors(&b); // the failed request is logged, as it should be
}
