//! The page for a reporter's day (issue 35), in headless Chromium against
//! a real `akhbar serve` over the sample corpus: names found as you type
//! and taken with the keyboard (an ARIA combobox), every hit downloaded
//! as CSV (the file the browser saves, parsed back), a citation copied
//! from a hit, and «اتجاهات»: two searches drawn as a line chart whose
//! numbers match the API, the page's timeline and `search --count`.
//! Screenshots at desktop and phone width in `target/screenshots/`.
//!
//! Without Chromium each test prints a `SKIPPED` line and passes, unless
//! `AKHBAR_BROWSER_TESTS=required` or `CI` is set (see `common/browser.rs`).

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use browser::{
    assert_fits_width, console_errors, screenshot_path, turn, Browser, DESKTOP, PHONE, SHOWN, WAIT,
};
use common::{copy_sample_corpus, Dir};
use server::{enc, Server};

/// The sample corpus indexed, served.
fn served() -> (Dir, Server) {
    let dir = Dir::new();
    copy_sample_corpus(&dir);
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(dir.path(), &dir.path().join("idx"), &[]);
    (dir, server)
}

/// Types into the search box (from empty) and waits for the list.
fn type_and_list(b: &Browser, text: &str) -> Vec<Value> {
    b.run(
        "const q = document.getElementById('q'); q.value = ''; q.focus();",
        &[],
    );
    b.type_into(&b.find("#q"), text);
    b.wait(
        "the suggestions",
        WAIT,
        "const l = document.getElementById('suggestions'); return l && !l.hidden && l.children.length > 0 \
         && document.getElementById('q').getAttribute('aria-expanded') === 'true';",
        &[],
    );
    b.run(
        "return [...document.querySelectorAll('#suggestions [role=option]')].map(o => o.querySelector('.s-text').textContent)",
        &[],
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

#[test]
fn names_are_found_as_you_type_and_taken_with_the_keyboard() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let (_dir, server) = served();
    b.goto(&format!("{}/", server.base));
    b.wait("the first page", WAIT, SHOWN, &[]);

    let listed = type_and_list(&b, "ابن سل");
    assert_eq!(listed.first(), Some(&json!("محمد بن سلمان")), "{listed:?}");
    let role = b.run(
        "const q = document.getElementById('q'); return [q.getAttribute('role'), q.getAttribute('aria-controls'), document.getElementById('suggestions').getAttribute('role')]",
        &[],
    );
    assert_eq!(role, json!(["combobox", "suggestions", "listbox"]));
    b.screenshot(&screenshot_path("typeahead-desktop.png"));
    // ↓ walks the list; the box says which option is active.
    b.press("\u{E015}");
    let active = b.run(
        "const q = document.getElementById('q'); const id = q.getAttribute('aria-activedescendant'); \
         return [id, document.getElementById(id).getAttribute('aria-selected')]",
        &[],
    );
    assert_eq!(active, json!(["suggestion-0", "true"]));
    b.press("\u{E015}");
    b.press("\u{E013}");
    let back = b.run(
        "return document.getElementById('q').getAttribute('aria-activedescendant')",
        &[],
    );
    assert_eq!(back, "suggestion-0", "↑ goes back");
    // Enter takes it: searched as a name.
    b.press("\u{E007}");
    b.wait(
        "the name's search",
        WAIT,
        "return new URLSearchParams(location.search).get('entity') === 'محمد بن سلمان'",
        &[],
    );
    b.wait("the results", WAIT, SHOWN, &[]);
    let ticked = b.run("return document.getElementById('as-name').checked", &[]);
    assert_eq!(ticked, true, "«ابحث عن اسم» ticked");
    // Escape closes the list and leaves the box as typed.
    type_and_list(&b, "سعود");
    b.press("\u{E00C}");
    let closed = b.run(
        "return [document.getElementById('suggestions').hidden, document.getElementById('q').value]",
        &[],
    );
    assert_eq!(closed, json!([true, "سعود"]));
    // Words too, after the names, unless «ابحث عن اسم» is ticked.
    b.run("document.getElementById('as-name').checked = false", &[]);
    let listed = type_and_list(&b, "الحكو");
    assert!(listed.contains(&json!("الحكومة")), "{listed:?}");

    // At phone width: the list fits the screen.
    b.set_size(PHONE.0, PHONE.1);
    b.goto(&format!("{}/", server.base));
    b.wait("the first page", WAIT, SHOWN, &[]);
    let listed = type_and_list(&b, "ترام");
    assert!(listed.contains(&json!("دونالد ترامب")), "{listed:?}");
    assert_fits_width(&b, "the list on a phone");
    b.screenshot(&screenshot_path("typeahead-phone.png"));
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// Waits for a finished download whose name ends with `ext`.
fn downloaded(b: &Browser, ext: &str) -> PathBuf {
    let dir = b.download_dir();
    let started = Instant::now();
    loop {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.ends_with(ext) {
                    return e.path();
                }
            }
        }
        assert!(
            started.elapsed() < WAIT,
            "no {ext} download in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn results_are_downloaded_and_cited() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let (_dir, server) = served();
    let word = "الحكومة";
    b.goto(&format!("{}/?q={}", server.base, enc(word)));
    b.wait("the results", WAIT, SHOWN, &[]);
    let api = server
        .get(&format!("/api/search?q={}&limit=0", enc(word)))
        .json();
    let rows_wanted = api["total_stories"]
        .as_u64()
        .or(api["total_hits"].as_u64())
        .expect("a count");

    b.click(&b.find(".download > summary"));
    b.screenshot(&screenshot_path("download-desktop.png"));
    b.click(&b.find(".download-csv"));
    let file = downloaded(&b, ".csv");
    let bytes = std::fs::read(&file).expect("the download");
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte order mark for spreadsheets"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().expect("a header").clone();
    assert_eq!(&headers[5], "title");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len() as u64, rows_wanted, "one row per story");
    let page_title = b.run(
        "return document.querySelector('.hit-title a').textContent",
        &[],
    );
    assert!(
        rows.iter().any(|r| json!(&r[5]) == page_title),
        "the first hit's Arabic title is in the file intact"
    );

    // «اقتباس»: title, source, date and address as text.
    b.click(&b.find(".hit .cite"));
    let cited = b
        .wait(
            "the citation",
            WAIT,
            "return document.querySelector('.hit .cite').dataset.copied",
            &[],
        )
        .as_str()
        .expect("text")
        .to_string();
    let first = server
        .get(&format!("/api/search?q={}&limit=1", enc(word)))
        .json()["hits"][0]
        .clone();
    assert!(
        cited.starts_with(&format!("«{}»", first["title"].as_str().expect("title"))),
        "{cited}"
    );
    if let Some(source) = first["source"].as_str().filter(|s| !s.is_empty()) {
        assert!(cited.contains(source), "{cited}");
    }
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// A search with 10,000 hits (one JSON Lines file, each article a story
/// of its own), served.
fn ten_thousand() -> (Dir, Server) {
    const PLACES: [&str; 8] = [
        "الوادي",
        "الساحل",
        "الهضبة",
        "الواحة",
        "الجزيرة",
        "السهل",
        "الميناء",
        "القلعة",
    ];
    let dir = Dir::new();
    let mut rng = common::XorShift::new(10_000);
    let mut text = String::new();
    for n in 0..10_000 {
        let mut body = format!("نشرة الزيتون رقم {n}:");
        for _ in 0..40 {
            body.push(' ');
            body.push_str(PLACES[rng.below(PLACES.len())]);
        }
        let line = json!({"id": format!("z-{n:05}"), "title": format!("الزيتون في النشرة {n}، «خاص»"),
                          "body": body, "date": format!("2024-{:02}-{:02}", n % 12 + 1, n % 28 + 1),
                          "source": "نشرة الزيتون"});
        text.push_str(&format!("{line}\n"));
    }
    dir.write("corpus/many.jsonl", text);
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(dir.path(), &dir.path().join("idx"), &[]);
    (dir, server)
}

#[test]
fn a_ten_thousand_hit_search_is_downloaded_whole_from_the_page() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let (_dir, server) = ten_thousand();
    b.goto(&format!("{}/?q={}", server.base, enc("الزيتون")));
    b.wait("the results", WAIT, SHOWN, &[]);
    let said = b.run(
        "return document.getElementById('summary-title').textContent",
        &[],
    );
    assert!(
        said.as_str().unwrap_or_default().contains("10,000"),
        "{said}"
    );
    b.click(&b.find(".download > summary"));
    b.click(&b.find(".download-csv"));
    let file = downloaded(&b, ".csv");
    let bytes = std::fs::read(&file).expect("the download");
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte order mark"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 10_000, "one row per story, every one");
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(ids.len(), 10_000, "no row twice");
    let row = rows.iter().find(|r| &r[1] == "z-04321").expect("z-04321");
    assert_eq!(
        &row[5], "الزيتون في النشرة 4321، «خاص»",
        "Arabic, commas and quotes intact"
    );
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn trends_draw_two_searches_with_the_timeline_s_numbers() {
    let _turn = turn();
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let (dir, server) = served();
    let (a, c) = ("سوريا", "العراق");
    let query = format!("q={}&q={}&interval=month", enc(a), enc(c));
    b.goto(&format!("{}/trends?{query}", server.base));
    b.wait("the chart", WAIT, "return document.querySelector('svg.trend-chart') && document.querySelectorAll('.trend-table tbody tr').length", &[]);
    let api = server.get(&format!("/api/trends?{query}")).json();
    // The table says what the API counted.
    let table = b.run(
        "return [...document.querySelectorAll('.trend-table tbody tr')].map(r => [...r.querySelectorAll('td')].map(td => Number(td.textContent.replace(/,/g, ''))))",
        &[],
    );
    let periods = api["periods"].as_array().expect("periods");
    assert_eq!(table.as_array().expect("rows").len(), periods.len());
    for (i, row) in table.as_array().expect("rows").iter().enumerate() {
        for k in 0..2 {
            assert_eq!(
                row[k], api["series"][k]["counts"][i],
                "period {i}, series {k}"
            );
        }
    }
    let lines = b.run(
        "return document.querySelectorAll('svg.trend-chart .series-line').length",
        &[],
    );
    assert_eq!(lines, 2);
    // One series: the page's timeline (facets months) and search --count.
    let facets = server
        .get(&format!("/api/search?q={}&limit=0&facets=1", enc(a)))
        .json();
    let months: Vec<(String, u64)> = facets["facets"]["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| {
            (
                m["month"].as_str().expect("m").to_string(),
                m["articles"].as_u64().expect("n"),
            )
        })
        .collect();
    for (month, n) in &months {
        let i = periods
            .iter()
            .position(|p| p == month)
            .expect("the month is a period");
        assert_eq!(api["series"][0]["counts"][i], *n, "{month}");
    }
    let count = dir.akhbar(&["search", a, "--index", "idx", "--count"]);
    assert_eq!(count.stdout.trim(), api["series"][0]["total"].to_string());
    let sum: u64 = api["series"][0]["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(
        sum + api["series"][0]["undated"].as_u64().unwrap_or(0),
        api["series"][0]["total"].as_u64().unwrap_or(0)
    );
    b.screenshot(&screenshot_path("trends-desktop.png"));
    // Right to left: the oldest period at the right.
    let order = b.run(
        "const ts = [...document.querySelectorAll('svg .axis-t')]; return ts.length > 1 && ts[0].getAttribute('x') * 1 > ts[ts.length - 1].getAttribute('x') * 1",
        &[],
    );
    assert_eq!(order, true, "time runs right to left");
    // Each series leads to its search.
    b.click(&b.find(".legend-link"));
    b.wait(
        "the series' search",
        WAIT,
        &format!("return new URLSearchParams(location.search).get('q') === '{a}'"),
        &[],
    );
    b.set_size(PHONE.0, PHONE.1);
    b.goto(&format!("{}/trends?{query}", server.base));
    b.wait(
        "the chart on a phone",
        WAIT,
        "return document.querySelector('svg.trend-chart')",
        &[],
    );
    assert_fits_width(&b, "trends on a phone");
    b.screenshot(&screenshot_path("trends-phone.png"));
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}
