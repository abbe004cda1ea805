//! End-to-end tests of ranking (word-level BM25, proximity, lead; the
//! learned ranker itself in `cli_ranker.rs`), of
//! `--op or`, `--no-snippets` and of the long-running `search --stdin`.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{sample_corpus, Dir};
use serde_json::Value;

/// `n` filler words that are no query word of these tests.
fn filler(n: usize) -> String {
    let words = ["قال", "مصدر", "مطلع", "أمس", "إن", "الأمور", "تسير", "ببطء"];
    (0..n)
        .map(|i| words[i % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Indexes `articles` (id, body) as JSON Lines in a new folder.
fn index_of(articles: &[(&str, String)]) -> Dir {
    let dir = Dir::new();
    let lines: Vec<String> = articles
        .iter()
        .map(|(id, body)| serde_json::json!({"id": id, "title": "", "body": body}).to_string())
        .collect();
    dir.write("in/a.jsonl", lines.join("\n"));
    let run = dir.akhbar(&["index", "in", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

fn ranked(dir: &Dir, args: &[&str]) -> Vec<String> {
    // The articles here are the same filler with a word or two changed:
    // near copies, which a search folds into one story by default.
    let mut full = vec!["search", "--index", "idx", "--json", "--no-collapse"];
    full.extend(args);
    let run = dir.akhbar(&full);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn adjacent_words_outrank_the_same_words_far_apart() {
    // Same words, same length, the query's words at the same depth: only
    // their distance differs.
    let near = format!("{} وزير الاقتصاد {}", filler(200), filler(80));
    let far = format!("{} وزير {} الاقتصاد {}", filler(200), filler(40), filler(40));
    for op in ["and", "or"] {
        let dir = index_of(&[("far", far.clone()), ("near", near.clone())]);
        let hits = ranked(&dir, &["--op", op, "وزير الاقتصاد"]);
        assert_eq!(hits, vec!["near", "far"], "--op {op}");
    }
}

#[test]
fn an_article_naming_the_word_in_its_opening_ranks_first() {
    let early = format!("{} النفط {}", filler(3), filler(300));
    let late = format!("{} النفط {}", filler(300), filler(3));
    let dir = index_of(&[("late", late), ("early", early)]);
    assert_eq!(ranked(&dir, &["النفط"]), vec!["early", "late"]);
}

#[test]
fn clitic_readings_do_not_multiply_one_occurrence() {
    // One والحكومة (readings والحكومه، الحكومه، حكومه at one position) must
    // not outrank three other forms of the word: when each reading scored
    // on its own it did, by four times.
    let once = format!("{} والحكومة {}", filler(20), filler(22));
    let three = format!(
        "{} حكومات {} حكومي {} حكومات",
        filler(20),
        filler(10),
        filler(10)
    );
    let dir = index_of(&[("once", once), ("three", three)]);
    // The first stage's counting (issue 11).
    assert_eq!(
        ranked(&dir, &["--no-ranker", "الحكومة"]),
        vec!["three", "once"]
    );
    // The learned ranker (issue 30) then puts the article with the word
    // as typed above the one with only other forms of its stem.
    assert_eq!(ranked(&dir, &["الحكومة"]), vec!["once", "three"]);
}

#[test]
fn op_or_finds_articles_with_any_word_those_with_more_first() {
    let dir = index_of(&[
        ("one", format!("{} النفط", filler(30))),
        ("both", format!("{} النفط والذهب", filler(30))),
        ("none", filler(30)),
    ]);
    assert_eq!(ranked(&dir, &["النفط الذهب"]), vec!["both"]);
    assert_eq!(
        ranked(&dir, &["--op", "or", "النفط الذهب"]),
        vec!["both", "one"]
    );
    // An explicit AND still binds under --op or.
    assert_eq!(
        ranked(&dir, &["--op", "or", "النفط AND الذهب"]),
        vec!["both"]
    );
}

#[test]
fn no_snippets_gives_the_ranking_only() {
    let dir = Dir::new();
    let corpus = sample_corpus();
    let run = dir.akhbar(&[
        "index",
        corpus.to_str().expect("utf8"),
        "--index",
        "idx",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let full = dir
        .akhbar(&["search", "--index", "idx", "--json", "سوريا"])
        .json();
    let lean = dir
        .akhbar(&[
            "search",
            "--index",
            "idx",
            "--json",
            "--no-snippets",
            "سوريا",
        ])
        .json();
    assert_eq!(full["total_hits"], lean["total_hits"]);
    let ids = |v: &Value| -> Vec<Value> {
        v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["id"].clone())
            .collect()
    };
    assert_eq!(ids(&full), ids(&lean));
    for hit in lean["hits"].as_array().expect("hits") {
        assert_eq!(hit["snippets"], Value::Array(vec![]), "{hit}");
        assert_eq!(hit["entities"], Value::Array(vec![]), "{hit}");
        assert_eq!(hit["title_highlights"], Value::Array(vec![]), "{hit}");
        assert!(hit["title"].is_string() && hit["score"].is_number());
    }
    assert!(full["hits"][0]["snippets"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
}

/// A running `akhbar search --stdin`, answering line by line.
struct Session {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    lines: mpsc::Receiver<String>,
}

impl Session {
    fn start(dir: &Dir, args: &[&str]) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .args(["search", "--stdin", "--index", "idx"])
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn akhbar");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            stdin,
            lines,
        }
    }

    /// Sends one query and waits for its line: an answer that only came
    /// at the end of input would time out here.
    fn ask(&mut self, query: &[u8]) -> String {
        self.stdin.write_all(query).expect("write");
        self.stdin.write_all(b"\n").expect("write");
        self.stdin.flush().expect("flush");
        self.lines
            .recv_timeout(Duration::from_secs(30))
            .expect("an answer line, flushed")
    }
}

#[test]
fn stdin_answers_each_query_on_its_own_line_and_survives_bad_ones() {
    let dir = Dir::new();
    let corpus = sample_corpus();
    let run = dir.akhbar(&[
        "index",
        corpus.to_str().expect("utf8"),
        "--index",
        "idx",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let queries: [&[u8]; 6] = [
        "سوريا".as_bytes(),
        "\"قوات سوريا الديمقراطية\"".as_bytes(),
        b"()",
        b"\xff\xfe broken utf-8",
        "المعتقلين في سوريا".as_bytes(),
        "سوريا".as_bytes(),
    ];
    let mut session = Session::start(&dir, &["--json", "--limit", "3"]);
    let mut answers = Vec::new();
    for q in queries {
        answers.push(session.ask(q));
    }
    let parsed: Vec<Value> = answers
        .iter()
        .map(|a| serde_json::from_str(a).expect("one JSON object a line"))
        .collect();
    for i in [0, 1, 4, 5] {
        assert!(
            parsed[i]["total_hits"].as_u64().unwrap_or(0) > 0,
            "{}",
            answers[i]
        );
        assert!(parsed[i]["hits"].as_array().is_some_and(|h| h.len() <= 3));
    }
    assert!(parsed[2]["error"].is_string(), "{}", answers[2]);
    assert_eq!(parsed[2]["query"], "()");
    assert!(parsed[3].get("error").is_some() || parsed[3].get("hits").is_some());
    // The same query answers the same way, and as a single search does.
    assert_eq!(parsed[0]["hits"], parsed[5]["hits"]);
    let single = dir
        .akhbar(&[
            "search",
            "--index",
            "idx",
            "--json",
            "--limit",
            "3",
            "سوريا",
        ])
        .json();
    assert_eq!(single["hits"], parsed[0]["hits"]);
    drop(session.stdin);
    let status = session.child.wait().expect("wait");
    assert!(status.success());
}

#[test]
fn stdin_text_mode_prints_the_count_and_ids() {
    let dir = Dir::new();
    let corpus = sample_corpus();
    let run = dir.akhbar(&[
        "index",
        corpus.to_str().expect("utf8"),
        "--index",
        "idx",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut session = Session::start(&dir, &["--limit", "2", "--op", "or"]);
    let line = session.ask("سوريا لبنان".as_bytes());
    let fields: Vec<&str> = line.split('\t').collect();
    assert!(fields[0].parse::<u64>().is_ok_and(|n| n > 2), "{line}");
    assert_eq!(fields.len(), 3, "{line}");
    let bad = session.ask(b"-");
    assert!(bad.starts_with("error: "), "{bad}");
}
