//! Which file and row an article came from (issue 32): `line` in `search
//! --json` hits, the exports, the text output (`path:line`) and the
//! API's hits and articles; null for a file that is one article. (Lines
//! of CSV, TSV and Parquet rows: `tests/cli_tables.rs`; WARC records:
//! `tests/cli_html.rs`; the page: `tests/page_sources.rs`.)

mod common;
#[path = "common/server.rs"]
mod server;

use common::Dir;
use serde_json::Value;
use server::{enc, Server};

/// A JSON Lines file with a blank line, a JSON array over several lines
/// and a page (one article a file), indexed into `idx`.
fn indexed() -> Dir {
    let dir = Dir::new();
    dir.write(
        "news/feed.jsonl",
        "{\"id\": \"f-1\", \"title\": \"سوق السمك يفتح فجرا\", \"body\": \"يفتح سوق السمك أبوابه مع الفجر.\"}\n\
         \n\
         {\"id\": \"f-2\", \"title\": \"مركب صيد يعود محملا\", \"body\": \"عاد مركب الصيد إلى الميناء محملا بالسردين.\"}\n",
    );
    dir.write(
        "news/list.json",
        "[\n  {\"id\": \"a-1\", \"title\": \"حديقة جديدة للأطفال\", \"body\": \"افتتحت البلدية حديقة للأطفال قرب المدرسة.\"},\n\
         \n  {\"id\": \"a-2\", \"title\": \"مسابقة للرسم\", \"body\": \"تنظم المدرسة مسابقة للرسم في الربيع.\"}\n]\n",
    );
    dir.write(
        "news/page.txt",
        "مهرجان الشعر في القلعة\n\nيقام مهرجان الشعر في ساحة القلعة مساء الخميس.\n",
    );
    let run = dir.akhbar(&["index", "news", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

/// (word, id, path, line) of each article.
const WHERE: &[(&str, &str, &str, Option<u64>)] = &[
    ("السمك", "f-1", "news/feed.jsonl", Some(1)),
    ("السردين", "f-2", "news/feed.jsonl", Some(3)),
    ("حديقة", "a-1", "news/list.json", Some(2)),
    ("مسابقة", "a-2", "news/list.json", Some(4)),
    ("مهرجان", "page.txt", "news/page.txt", None),
];

fn line(v: Option<u64>) -> Value {
    v.map_or(Value::Null, Value::from)
}

#[test]
fn hits_exports_and_text_say_which_file_and_line() {
    let dir = indexed();
    for &(word, id, path, at) in WHERE {
        let run = dir.akhbar(&["search", "--index", "idx", "--json", word]);
        assert_eq!(run.hit_ids(), [id], "{word}");
        let hit = &run.json()["hits"][0];
        assert_eq!(hit["path"], path, "{hit}");
        assert_eq!(hit["line"], line(at), "{word}: {hit}");
        // the text output: path:line, as compilers print it
        let text = dir.akhbar(&["search", "--index", "idx", word]);
        let shown = match at {
            Some(n) => format!("\n   {path}:{n}\n"),
            None => format!("\n   {path}\n"),
        };
        assert!(text.stdout.contains(&shown), "{word}: {}", text.stdout);
        // the exports: a last column (empty without a line)
        let csv = dir.akhbar(&["search", "--index", "idx", "--format", "csv", word]);
        let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
        let header = reader.headers().expect("header").clone();
        assert_eq!(header.get(11), Some("line"));
        let row = reader.records().next().expect("a row").expect("parses");
        let want = at.map(|n| n.to_string()).unwrap_or_default();
        assert_eq!(&row[11], want, "{word}");
        let jsonl = dir.akhbar(&["search", "--index", "idx", "--format", "jsonl", word]);
        let object: Value = serde_json::from_str(jsonl.stdout.trim()).expect("a JSON line");
        assert_eq!(object["line"], line(at), "{word}");
    }
}

#[test]
fn the_api_says_which_file_and_line() {
    let dir = indexed();
    let server = Server::start(dir.path(), &dir.path().join("idx"), &[]);
    for &(word, id, path, at) in WHERE {
        let hits = server.get(&format!("/api/search?q={}", enc(word))).json();
        let hit = &hits["hits"][0];
        assert_eq!(hit["id"], id);
        assert_eq!(
            (&hit["path"], &hit["line"]),
            (&Value::from(path), &line(at))
        );
        let article = server.get(&format!("/api/articles/{}", enc(id))).json();
        assert_eq!(article["path"], path);
        assert_eq!(article["line"], line(at), "{article}");
    }
}

#[test]
fn an_index_without_lines_asks_to_be_rebuilt() {
    let dir = indexed();
    // an index written before lines were stored (schema 7)
    let manifest = dir.path().join("idx/akhbar.json");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    let mut json: Value = serde_json::from_str(&text).expect("json");
    json["schema_version"] = Value::from(7);
    std::fs::write(&manifest, json.to_string()).expect("write");
    let run = dir.akhbar(&["search", "--index", "idx", "--json", "السمك"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("schema version 7") && run.stderr.contains("--rebuild"),
        "{}",
        run.stderr
    );
    let run = dir.akhbar(&["index", "news", "--index", "idx", "--rebuild", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = dir.akhbar(&["search", "--index", "idx", "--json", "السمك"]);
    assert_eq!(run.json()["hits"][0]["line"], 1);
}

/// The line of each id, by `search --json` over all of `words`.
fn lines_of(dir: &Dir, words: &str) -> Vec<(String, Value)> {
    let run = dir.akhbar(&[
        "search", "--index", "idx", "--json", "--op", "or", "-n", "50", words,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut out: Vec<(String, Value)> = run.json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| (h["id"].as_str().expect("id").to_string(), h["line"].clone()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn lines_stay_true_when_a_file_grows_or_moves_its_articles() {
    let dir = Dir::new();
    let article = |id: &str, word: &str| {
        format!("{{\"id\": \"{id}\", \"title\": \"خبر عن {word}\", \"body\": \"تفاصيل الخبر عن {word} في المدينة.\"}}\n")
    };
    let words = "البحر الجبل الوادي الصحراء";
    dir.write(
        "news/feed.jsonl",
        article("b", "البحر") + &article("j", "الجبل"),
    );
    let index = || {
        let run = dir.akhbar(&["index", "news", "--index", "idx", "--quiet"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    };
    index();
    let want = |pairs: &[(&str, u64)]| -> Vec<(String, Value)> {
        pairs
            .iter()
            .map(|(id, n)| (id.to_string(), Value::from(*n)))
            .collect()
    };
    assert_eq!(lines_of(&dir, words), want(&[("b", 1), ("j", 2)]));
    // appended: read on from the old end, numbered on from there
    dir.write(
        "news/feed.jsonl",
        article("b", "البحر") + &article("j", "الجبل") + &article("w", "الوادي"),
    );
    index();
    assert_eq!(lines_of(&dir, words), want(&[("b", 1), ("j", 2), ("w", 3)]));
    // a line inserted at the top: every article moved down one line
    dir.write(
        "news/feed.jsonl",
        article("s", "الصحراء")
            + &article("b", "البحر")
            + &article("j", "الجبل")
            + &article("w", "الوادي"),
    );
    index();
    assert_eq!(
        lines_of(&dir, words),
        want(&[("b", 2), ("j", 3), ("s", 1), ("w", 4)])
    );
}
