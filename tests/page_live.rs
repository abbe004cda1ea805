//! The search page in a live newsroom (issue 31), in headless Chromium
//! against a real `akhbar serve --watch`: the «تابع» control gives the
//! search's feed (fetched and parsed back as Atom), and articles that land
//! in the watched folder while a reader looks at a search are announced
//! («مقالتان جديدتان منذ فتحت هذا البحث»), one click showing them. At
//! desktop and phone width, with screenshots in `target/screenshots/`.
//!
//! Without Chromium the test prints a `SKIPPED` line and passes, unless
//! `AKHBAR_BROWSER_TESTS=required` or `CI` is set (see `common/browser.rs`).

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use std::fs;

use atom_syndication::Feed;
use serde_json::json;

use browser::{
    assert_fits_width, console_errors, screenshot_path, Browser, DESKTOP, PHONE, SHOWN, WAIT,
};
use common::Dir;
use server::{enc, Server};

/// The word the planted articles share.
const WORD: &str = "السنديان";

/// One article about oak forests, each its own story.
fn article(n: usize) -> String {
    let body = format!(
        "الحلقة {n}: يزرع المتطوعون أشجار {WORD} في الحلقة {n} على سفوح الجبل، \
         ويقول المشرف على الحلقة {n} إن الغابة ستعود خلال {n} سنوات."
    );
    format!(
        "{}\n",
        json!({"id": format!("oak-{n}"), "title": format!("غابات {WORD}: الحلقة {n}"),
               "body": body, "date": format!("2024-0{}-1{n}", n.min(9)), "source": "نشرة الجبل"})
    )
}

fn drop_file(dir: &Dir, name: &str, text: &str) {
    let tmp = dir.path().join(format!("feed/.{name}.part"));
    fs::write(&tmp, text).expect("write");
    fs::rename(&tmp, dir.path().join("feed").join(name)).expect("rename");
}

/// Opens the search for WORD and waits until it is shown.
fn open_search(b: &Browser, server: &Server) {
    b.goto(&format!("{}/?q={}", server.base, enc(WORD)));
    b.wait("the results", WAIT, SHOWN, &[]);
}

/// Opens «تابع», checks the address it gives is the search's feed (fetched
/// and parsed as Atom, holding `entries` entries).
fn check_follow(b: &Browser, server: &Server, entries: usize, shot: &str) {
    let summary = b.find(".follow > summary");
    b.click(&summary);
    let url = b
        .wait(
            "the feed's address",
            WAIT,
            "const d = document.querySelector('.follow'); const i = d && d.open && d.querySelector('.follow-url'); return i && i.value;",
            &[],
        )
        .as_str()
        .expect("an address")
        .to_string();
    let path = url
        .strip_prefix(&server.base)
        .unwrap_or_else(|| panic!("the feed is on this server: {url}"));
    assert_eq!(path, format!("/feed?q={}", enc(WORD)).replace("%20", "+"));
    let answer = server.get(path);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let feed: Feed = answer.body.parse().expect("an Atom feed");
    assert_eq!(feed.entries().len(), entries);
    assert_fits_width(b, shot);
    b.screenshot(&screenshot_path(shot));
    b.click(&summary);
}

/// Drops `names` into the folder and waits for the page's notice; returns
/// its text.
fn wait_notice(b: &Browser, dir: &Dir, first: usize, count: usize) -> String {
    for n in first..first + count {
        drop_file(dir, &format!("oak-{n}.jsonl"), &article(n));
    }
    b.wait(
        "the notice of new articles",
        WAIT,
        "const f = document.getElementById('fresh'); return f && f.dataset.fresh ? f.textContent : null;",
        &[],
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[test]
fn the_follow_link_gives_the_feed_and_new_articles_are_announced() {
    let Some(b) = Browser::start(DESKTOP.0, DESKTOP.1) else {
        return;
    };
    let dir = Dir::new();
    dir.write("feed/oak-1.jsonl", article(1));
    let server = Server::start(
        dir.path(),
        &dir.path().join("idx"),
        &["--watch", "feed", "--settle", "0.3"],
    );
    let path = format!("/api/search?q={}&limit=0", enc(WORD));
    server
        .wait_for(&path, WAIT, |a| {
            a.status == 200 && a.json()["total_hits"] == 1
        })
        .unwrap_or_else(|a| panic!("never indexed: {}", a.body));

    open_search(&b, &server);
    check_follow(&b, &server, 1, "follow-desktop.png");
    let said = wait_notice(&b, &dir, 2, 2);
    assert!(
        said.contains("مقالتان جديدتان منذ فتحت هذا البحث"),
        "{said}"
    );
    let role = b.run(
        "return document.getElementById('fresh').getAttribute('role')",
        &[],
    );
    assert_eq!(role, "status", "said to screen readers");
    b.screenshot(&screenshot_path("new-articles-desktop.png"));
    let button = b.find("#fresh button");
    b.click(&button);
    b.wait(
        "the search shown again",
        WAIT,
        "const h = document.getElementById('summary-title'); return h && h.textContent.startsWith('3 مقالات') && !document.getElementById('fresh').dataset.fresh;",
        &[],
    );

    // At phone width: the same, and nothing wider than the screen.
    b.set_size(PHONE.0, PHONE.1);
    open_search(&b, &server);
    check_follow(&b, &server, 3, "follow-phone.png");
    let said = wait_notice(&b, &dir, 4, 1);
    assert!(said.contains("مقالة جديدة واحدة"), "{said}");
    assert_fits_width(&b, "the notice on a phone");
    b.screenshot(&screenshot_path("new-articles-phone.png"));
    let errors = console_errors(&b);
    assert!(errors.is_empty(), "console errors: {errors:?}");
}
