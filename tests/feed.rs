//! Followed searches as Atom feeds (issue 31), end to end: a real `akhbar
//! serve --watch` over a folder that a test writes to, a real HTTP client,
//! and each feed parsed back with an Atom parser (the `atom_syndication`
//! crate's reader): ids stable across polls, entries newest first, 304 for
//! an unchanged ETag, a new article in the feed once it lands, clear JSON
//! errors for bad requests, and `akhbar search --format atom` printing the
//! same feed.

mod common;
#[path = "common/server.rs"]
mod server;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use atom_syndication::Feed;
use serde_json::json;

use common::Dir;
use server::{enc, Server};

/// Long enough for a debug build on a busy two-core machine.
const WAIT: Duration = Duration::from_secs(60);

/// The word every planted article holds.
const WORD: &str = "الزعتر";

fn article(id: &str, title: &str, date: &str) -> String {
    // Each body its own story (a near copy would be folded into another).
    let body = format!(
        "{title}. كتب مراسلنا {id} عن {WORD} في يوم {date}، وقال إن {id} يختلف \
         عن كل ما سبقه، وإن {date} سيبقى في ذاكرة {id} طويلاً."
    );
    format!(
        "{}\n",
        json!({"id": id, "title": title, "body": body, "date": date, "source": "نشرة الحقول",
               "url": format!("https://example.org/{id}")})
    )
}

/// Writes a file the way feeders are asked to: hidden name, then rename.
fn drop_file(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.part",
        path.file_name().expect("name").to_string_lossy()
    ));
    fs::write(&tmp, text).expect("write");
    fs::rename(&tmp, path).expect("rename");
}

/// A server following `feed/` into `idx/`, with three dated articles.
fn watched() -> (Dir, Server) {
    let dir = Dir::new();
    let mut text = article("z-old", "الزعتر في الربيع الماضي", "2023-04-02");
    text.push_str(&article("z-new", "موسم الزعتر يبدأ مبكراً", "2024-03-15"));
    text.push_str(&article("z-mid", "أسعار الزعتر ترتفع", "2023-11-20"));
    dir.write("feed/first.jsonl", text);
    let server = Server::start(
        dir.path(),
        &dir.path().join("idx"),
        &["--watch", "feed", "--settle", "0.4", "--rescan", "60"],
    );
    let path = format!("/api/search?q={}&limit=0", enc(WORD));
    server
        .wait_for(&path, WAIT, |a| {
            a.status == 200 && a.json()["total_hits"] == 3
        })
        .unwrap_or_else(|a| panic!("never indexed: {} {}\n{}", a.status, a.body, server.log()));
    (dir, server)
}

fn parse(body: &str) -> Feed {
    body.parse::<Feed>()
        .unwrap_or_else(|e| panic!("not an Atom feed ({e}):\n{body}"))
}

fn entry_ids(feed: &Feed) -> Vec<String> {
    feed.entries().iter().map(|e| e.id().to_string()).collect()
}

#[test]
fn a_followed_search_is_a_valid_atom_feed_polled_cheaply() {
    let (dir, server) = watched();
    let path = format!("/feed?q={}", enc(WORD));
    let first = server.get(&path);
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(
        first.content_type.starts_with("application/atom+xml"),
        "{}",
        first.content_type
    );
    let feed = parse(&first.body);
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(
        titles,
        [
            "موسم الزعتر يبدأ مبكراً",
            "أسعار الزعتر ترتفع",
            "الزعتر في الربيع الماضي"
        ],
        "newest first"
    );
    let updated: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "{updated:?}");
    let entry = &feed.entries()[0];
    assert_eq!(entry.id(), "tag:akhbar,2024:article:z-new");
    assert_eq!(entry.authors()[0].name(), "نشرة الحقول");
    let links: Vec<(&str, &str)> = entry.links().iter().map(|l| (l.rel(), l.href())).collect();
    assert!(
        links.contains(&("related", "https://example.org/z-new")),
        "{links:?}"
    );
    let view = links
        .iter()
        .find(|(rel, _)| *rel == "alternate")
        .expect("article view")
        .1;
    assert!(
        view.starts_with(&format!("{}/article?id=z-new", server.base)),
        "{view}"
    );
    let summary = entry.summary().expect("a summary").as_str();
    assert!(summary.contains(&format!("[{WORD}]")), "{summary}");
    assert!(
        feed.id().starts_with("tag:akhbar,2024:feed:"),
        "{}",
        feed.id()
    );
    assert!(feed.links().iter().any(|l| l.rel() == "self"));

    // Polled again: the same ids; with its ETag, a 304 and no body.
    let etag = first.header("etag").expect("an ETag").to_string();
    let modified = first
        .header("last-modified")
        .expect("Last-Modified")
        .to_string();
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    let again = server.get(&path);
    assert_eq!(
        entry_ids(&parse(&again.body)),
        entry_ids(&feed),
        "ids stable across polls"
    );
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let (status, body) = server.raw(
        format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n",
            server.port
        )
        .as_bytes(),
    );
    assert_eq!(status, 304, "{body}");
    assert!(body.is_empty(), "a 304 has no body: {body}");
    let (status, _) = server.raw(
        format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nIf-Modified-Since: {modified}\r\nConnection: close\r\n\r\n",
            server.port
        )
        .as_bytes(),
    );
    assert_eq!(status, 304);

    // A new matching article lands: it heads the feed, the ETag changes.
    let landed = Instant::now();
    drop_file(
        &dir.path().join("feed/late.jsonl"),
        &article("z-late", "الزعتر يصل إلى الأسواق", "2024-05-01"),
    );
    let took = server
        .wait_for(&path, WAIT, |a| {
            a.status == 200
                && entry_ids(&parse(&a.body)).first().map(String::as_str)
                    == Some("tag:akhbar,2024:article:z-late")
        })
        .unwrap_or_else(|a| {
            panic!(
                "the new article never reached the feed: {}\n{}",
                a.body,
                server.log()
            )
        });
    eprintln!(
        "new article in the feed {:.2} s after it landed (polled from {:.2} s)",
        landed.elapsed().as_secs_f64(),
        took.as_secs_f64()
    );
    eprintln!("{}", server.log());
    let (status, _) = server.raw(
        format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n",
            server.port
        )
        .as_bytes(),
    );
    assert_eq!(status, 200, "an old ETag after a commit gets the new feed");
}

#[test]
fn bad_feed_requests_get_clear_json_errors() {
    let (_dir, server) = watched();
    let table = [
        ("/feed", 400, "nothing to search for"),
        ("/feed?q=", 400, "nothing to search for"),
        ("/feed?q=x&sort=relevance", 400, "newest"),
        ("/feed?q=x&bogus=1", 400, "unknown parameter"),
        ("/feed?q=x&limit=many", 400, "limit"),
        ("/feed?q=x&from=yesterday", 400, "date"),
        ("/feed?q=x&q=y", 400, "more than once"),
        ("/feed?q=%FF", 400, "UTF-8"),
    ];
    for (path, status, says) in table {
        let answer = server.get(path);
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        let json = answer.json();
        let message = json["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{path}: {message}");
    }
    // Only common words: a 400 naming why, never a panic or an empty feed.
    let answer = server.get(&format!("/feed?q={}", enc("في من")));
    assert_eq!(answer.status, 400, "{}", answer.body);
    // A query that finds nothing is a valid, empty feed.
    let answer = server.get(&format!("/feed?q={}", enc("كلمةلاتوجد")));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(parse(&answer.body).entries().is_empty());
    assert!(server.get("/healthz").json()["generation"]
        .as_u64()
        .is_some());
}

#[test]
fn search_format_atom_prints_the_same_feed() {
    let (dir, server) = watched();
    let from_server = parse(&server.get(&format!("/feed?q={}&limit=10", enc(WORD))).body);
    let run = dir.akhbar(&[
        "search",
        WORD,
        "--index",
        "idx",
        "--format",
        "atom",
        "--feed-base",
        &server.base,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let from_cli = parse(&run.stdout);
    assert_eq!(entry_ids(&from_cli), entry_ids(&from_server));
    let titles =
        |f: &Feed| -> Vec<String> { f.entries().iter().map(|e| e.title().to_string()).collect() };
    assert_eq!(titles(&from_cli), titles(&from_server));
    assert_eq!(from_cli.id(), from_server.id().replace("&limit=10", ""));
    let run = dir.akhbar(&[
        "search", WORD, "--index", "idx", "--format", "atom", "--sort", "-date",
    ]);
    assert_eq!(run.code, 2, "a feed is newest first: {}", run.stderr);
    // The watcher's status, through the API.
    // (rewritten a moment after each change: polled until the queue is
    // empty)
    server
        .wait_for("/api/stats", WAIT, |a| a.json()["watch"]["queued"] == 0)
        .unwrap_or_else(|a| panic!("the queue never emptied: {}", a.body));
    let stats = server.get("/api/stats").json();
    assert_eq!(stats["watch"]["running"], true, "{stats:#}");
    assert!(
        stats["watch"]["folders"][0]
            .as_str()
            .is_some_and(|f| f.ends_with("feed")),
        "{stats:#}"
    );
    assert!(stats["last_indexed"].is_string(), "{stats:#}");
}
