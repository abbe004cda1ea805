//! End-to-end tests of `search --sort`, `--count`, `--all` and
//! `--format jsonl|csv`, on small corpora written here for the purpose.

mod common;

use common::{sample_corpus, Dir, Run};
use serde_json::{json, Value};

/// Articles about a harbour: dates with a tie, two undated, the tie and
/// the undated pair told apart by how often they name the harbour.
/// Titles carry commas (Arabic and Latin), quotes and a line break.
fn harbour_corpus(dir: &Dir) {
    let body = |n: usize, extra: &str| {
        let mut b = String::from("تحدث المسؤولون اليوم عن أعمال التوسعة. ");
        for _ in 0..n {
            b.push_str("وصلت سفينة جديدة إلى الميناء صباحا. ");
        }
        b.push_str(extra);
        b
    };
    let rows = [
        json!({"id": "a", "title": "التوسعة تكتمل، بعد عامين", "date": "2024-01-10",
               "source": "صحيفة الساحل", "body": body(1, "وزار الوفد بيروت بعد ذلك.")}),
        json!({"id": "b", "title": "سفن \"كبيرة\" في الميناء, ومخاوف", "date": "2024-01-10",
               "source": "صحيفة الساحل", "body": body(3, "")}),
        json!({"id": "c", "title": "خطة الميناء\nالجديدة", "date": "2023-06-01",
               "source": "إذاعة المدينة", "body": body(1, "وقال مسؤول في بيروت إن الخطة جاهزة.")}),
        json!({"id": "d", "title": "الميناء والميناء والميناء", "source": "إذاعة المدينة",
               "body": body(4, "")}),
        json!({"id": "e", "title": "رصيف جديد", "date": "2025-02-02",
               "source": "صحيفة الساحل", "body": body(1, "ومن بيروت وصل الخبراء.")}),
        json!({"id": "f", "title": "أخبار متفرقة", "source": "إذاعة المدينة",
               "body": body(1, "")}),
    ];
    let text: Vec<String> = rows.iter().map(Value::to_string).collect();
    dir.write("corpus/harbour.jsonl", text.join("\n"));
    let run = dir.akhbar(&["index", "--quiet", "--index", "idx", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The hit ids of a successful search.
fn ids(run: &Run) -> Vec<String> {
    run.hit_ids()
}

fn search(dir: &Dir, extra: &[&str]) -> Run {
    // The harbour articles are one filler with a sentence changed: near
    // copies, which a search folds into one story by default.
    let mut args = vec!["search", "--index", "idx", "--json", "--no-collapse"];
    args.extend(extra);
    dir.akhbar(&args)
}

#[test]
fn sort_by_date_both_ways_ties_by_relevance_undated_last() {
    let dir = Dir::new();
    harbour_corpus(&dir);
    // (arguments, expected ids in order)
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["الميناء", "--sort", "date"],
            &["e", "b", "a", "c", "d", "f"],
        ),
        (
            &["الميناء", "--sort", "-date"],
            &["c", "b", "a", "e", "d", "f"],
        ),
        (
            &["الميناء", "--sort=-date"],
            &["c", "b", "a", "e", "d", "f"],
        ),
        // paging through the date order
        (
            &["الميناء", "--sort", "date", "--limit", "2", "--offset", "2"],
            &["a", "c"],
        ),
        // filters and entities keep the order
        (
            &["الميناء", "--sort", "-date", "--from", "2024-01-01"],
            &["b", "a", "e"],
        ),
        (
            &["الميناء", "--sort", "date", "--source", "إذاعة المدينة"],
            &["c", "d", "f"],
        ),
        (&["--entity", "بيروت", "--sort", "date"], &["e", "a", "c"]),
        (&["--entity", "بيروت", "--sort", "-date"], &["c", "a", "e"]),
    ];
    for (args, expected) in cases {
        assert_eq!(ids(&search(&dir, args)), *expected, "{args:?}");
    }
    // relevance stays the default and differs from both date orders
    let relevance = ids(&search(&dir, &["الميناء"]));
    assert_eq!(relevance.len(), 6);
    assert_eq!(relevance[0], "d", "{relevance:?}");
    // the date tie (a, b) is in relevance order
    let at = |id: &str| relevance.iter().position(|x| x == id).expect("ranked");
    assert!(at("b") < at("a"), "{relevance:?}");
    assert_eq!(
        relevance,
        ids(&search(&dir, &["الميناء", "--sort", "relevance"]))
    );
    // --stdin answers each line in the same order
    let run = stdin_search(&dir, &["--sort", "date", "--limit", "3"], "الميناء\n");
    assert_eq!(run.trim_end(), "6\te\tb\ta");
    // a bad order is refused, naming the accepted ones
    let bad = search(&dir, &["الميناء", "--sort", "newest"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("-date"), "{}", bad.stderr);
}

/// Runs `search --stdin` with `input` and returns its stdout.
fn stdin_search(dir: &Dir, extra: &[&str], input: &str) -> String {
    let mut args = vec!["search", "--index", "idx", "--stdin"];
    args.extend_from_slice(extra);
    dir.akhbar_stdin(&args, input).stdout
}

#[test]
fn csv_and_jsonl_exports_carry_every_hit_and_round_trip() {
    let dir = Dir::new();
    harbour_corpus(&dir);
    let json = search(&dir, &["الميناء", "--limit", "100"]).json();
    let count = dir.akhbar(&["search", "--index", "idx", "--count", "الميناء"]);
    assert_eq!(count.stdout.trim(), "6", "{}", count.stderr);
    // (the harbour articles are near copies: every one a row, below)
    let csv_run = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "الميناء",
        "--all",
        "--no-collapse",
        "--format",
        "csv",
        "--bom",
    ]);
    assert_eq!(csv_run.code, 0, "{}", csv_run.stderr);
    let text = csv_run
        .stdout
        .strip_prefix('\u{feff}')
        .expect("a byte order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "rank",
            "id",
            "score",
            "date",
            "source",
            "title",
            "url",
            "path",
            "entities",
            "duplicates",
            "source_name",
            "line"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let hits = json["hits"].as_array().expect("hits");
    assert_eq!(rows.len(), hits.len());
    for (row, hit) in rows.iter().zip(hits) {
        assert_eq!(&row[1], hit["id"].as_str().expect("id"));
        assert_eq!(&row[5], hit["title"].as_str().expect("title"), "{row:?}");
        assert_eq!(&row[3], hit["date"].as_str().unwrap_or(""));
    }
    let titles: Vec<&str> = rows.iter().map(|r| &r[5]).collect();
    assert!(titles.iter().any(|t| t.contains('"') && t.contains(',')));
    assert!(titles.iter().any(|t| t.contains('،')));
    // JSON Lines in date order: one object a line
    let jsonl = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "الميناء",
        "--all",
        "--no-collapse",
        "--format",
        "jsonl",
        "--sort",
        "date",
    ]);
    let lines: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let order: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().expect("id"))
        .collect();
    assert_eq!(order, ["e", "b", "a", "c", "d", "f"]);
    assert_eq!(lines[0]["rank"], 1);
    assert_eq!(lines[4]["date"], Value::Null);
    let beirut = lines.iter().find(|l| l["id"] == "e").expect("e");
    assert!(
        beirut["entities"]
            .as_array()
            .expect("entities")
            .iter()
            .any(|e| e == "بيروت"),
        "{beirut}"
    );
    // --json and --format json are the same; both together disagree
    let both = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "الميناء",
        "--json",
        "--format",
        "csv",
    ]);
    assert_eq!(both.code, 2);
}

#[test]
fn all_over_the_sample_corpus_equals_the_count() {
    let dir = Dir::new();
    let corpus = sample_corpus();
    let run = dir.akhbar(&[
        "index",
        "--quiet",
        "--index",
        "idx",
        corpus.to_str().expect("utf8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for query in ["قال", "سوريا OR مصر", "الحكومة"] {
        let count = dir.akhbar(&["search", "--index", "idx", "--count", query]);
        let total: usize = count.stdout.trim().parse().expect("a number");
        assert!(total > 0, "{query}");
        for sort in ["relevance", "date"] {
            let all = dir.akhbar(&[
                "search", "--index", "idx", query, "--all", "--format", "jsonl", "--sort", sort,
            ]);
            assert_eq!(all.code, 0, "{}", all.stderr);
            let mut ids: Vec<String> = all
                .stdout
                .lines()
                .map(|l| {
                    let v: Value = serde_json::from_str(l).expect("json line");
                    v["id"].as_str().expect("id").to_string()
                })
                .collect();
            assert_eq!(ids.len(), total, "{query} {sort}");
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), total, "no hit twice: {query} {sort}");
        }
        // the first page of --all is the page a search shows
        let page = dir.akhbar(&["search", "--index", "idx", "--json", query, "--limit", "5"]);
        let all = dir.akhbar(&[
            "search", "--index", "idx", query, "--all", "--format", "jsonl",
        ]);
        let head: Vec<Value> = all
            .stdout
            .lines()
            .take(5)
            .map(|l| serde_json::from_str::<Value>(l).expect("json")["id"].clone())
            .collect();
        let shown: Vec<Value> = page.json()["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["id"].clone())
            .collect();
        assert_eq!(head, shown, "{query}");
    }
}

#[test]
fn a_large_export_is_complete_and_stops_quietly_when_the_reader_does() {
    let dir = Dir::new();
    let mut text = String::new();
    for i in 0..3000 {
        let date = if i % 7 == 0 {
            String::new()
        } else {
            format!("2020-{:02}-{:02}", 1 + i % 12, 1 + i % 28)
        };
        let row = json!({"id": format!("n{i}"), "title": format!("تقرير رقم {i}، عن السوق"),
                         "date": date, "body": "ارتفعت الأسعار في السوق هذا الأسبوع بحسب التجار."});
        text.push_str(&row.to_string());
        text.push('\n');
    }
    dir.write("corpus/many.jsonl", text);
    let run = dir.akhbar(&["index", "--quiet", "--index", "idx", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "السوق",
        "--all",
        "--format",
        "csv",
        "--sort",
        "-date",
    ]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let mut reader = csv::Reader::from_reader(all.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3000);
    let dates: Vec<&str> = rows.iter().map(|r| &r[3]).collect();
    let first_undated = dates.iter().position(|d| d.is_empty()).expect("undated");
    assert!(dates[first_undated..].iter().all(|d| d.is_empty()));
    assert!(dates[..first_undated].windows(2).all(|w| w[0] <= w[1]));
    // a reader that stops early (`| head`) ends the export without error
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args([
            "search",
            "--index",
            "idx",
            "السوق",
            "--all",
            "--format",
            "jsonl",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("read");
    let out = child.wait_with_output().expect("wait");
    assert!(first.contains("\"rank\":1"), "{first}");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn fields_add_the_body_and_the_matched_passages_to_exports() {
    let dir = Dir::new();
    harbour_corpus(&dir);
    let run = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "بيروت",
        "--all",
        "--format",
        "jsonl",
        "--fields",
        "body,snippets",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    for line in &lines {
        let body = line["body"].as_str().expect("body");
        assert!(body.starts_with("تحدث المسؤولون اليوم"), "{body}");
        assert!(body.contains("بيروت"), "{body}");
        let snippets = line["snippets"].as_array().expect("snippets");
        assert!(!snippets.is_empty(), "{line}");
        assert!(snippets
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.contains("بيروت"))));
    }
    // CSV: the extra columns last, in the order given by the docs
    let run = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "بيروت",
        "--all",
        "--format",
        "csv",
        "--fields",
        "snippets,body",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header[header.len() - 2..], ["body", "snippets"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert!(row[header.len() - 2].contains("بيروت"));
        assert!(row[header.len() - 1].contains("بيروت"));
    }
    // without --fields: no such columns, and --fields needs an export
    let plain = dir.akhbar(&["search", "--index", "idx", "بيروت", "--format", "jsonl"]);
    assert!(!plain.stdout.contains("\"body\""), "{}", plain.stdout);
    let run = dir.akhbar(&["search", "--index", "idx", "بيروت", "--fields", "body"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--format jsonl or csv"),
        "{}",
        run.stderr
    );
}
