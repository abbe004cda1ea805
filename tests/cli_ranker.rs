//! End-to-end tests of the learned second-stage ranker (issue 30):
//! it reorders the first stage's hits, `--no-ranker` switches it off,
//! `--explain` shows each feature's part, and a keyword query finds the
//! other spellings of a person's name.

mod common;

use common::Dir;
use serde_json::Value;

/// `n` filler words that are no query word of these tests.
fn filler(n: usize) -> String {
    let words = ["قال", "مصدر", "مطلع", "أمس", "إن", "الأمور", "تسير", "ببطء"];
    (0..n)
        .map(|i| words[i % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Indexes `articles` (id, title, body) as JSON Lines in a new folder.
fn index_of(articles: &[(&str, &str, String)]) -> Dir {
    let dir = Dir::new();
    let lines: Vec<String> = articles
        .iter()
        .map(|(id, title, body)| {
            serde_json::json!({"id": id, "title": title, "body": body}).to_string()
        })
        .collect();
    dir.write("in/a.jsonl", lines.join("\n"));
    let run = dir.akhbar(&["index", "in", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

fn search(dir: &Dir, args: &[&str]) -> Value {
    let mut full = vec!["search", "--index", "idx", "--json", "--no-collapse"];
    full.extend(args);
    let run = dir.akhbar(&full);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn ids(answer: &Value) -> Vec<String> {
    common::ids_in(&answer["hits"])
}

/// Two articles: `scattered` repeats the query's words far apart and
/// deep in a short body (more BM25), `together` names them once, side by
/// side, in its first words.
fn first_stage_and_ranker_disagree() -> Dir {
    let scattered = format!(
        "{} وزير {} الاقتصاد {} وزير {} الاقتصاد {} وزير",
        filler(30),
        filler(9),
        filler(9),
        filler(9),
        filler(9)
    );
    let together = format!("وزير الاقتصاد {}", filler(150));
    index_of(&[
        ("scattered", "", scattered),
        ("together", "", together),
        ("neither", "", filler(40)),
    ])
}

#[test]
fn the_ranker_reorders_the_first_stage_and_can_be_switched_off() {
    let dir = first_stage_and_ranker_disagree();
    for op in ["and", "or"] {
        let first = search(&dir, &["--op", op, "--no-ranker", "وزير الاقتصاد"]);
        assert_eq!(ids(&first), vec!["scattered", "together"], "--op {op}");
        let learned = search(&dir, &["--op", op, "وزير الاقتصاد"]);
        assert_eq!(ids(&learned), vec!["together", "scattered"], "--op {op}");
        let scores: Vec<f64> = learned["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["score"].as_f64().expect("score"))
            .collect();
        assert!(scores[0] >= scores[1], "{scores:?}");
    }
}

#[test]
fn explain_gives_each_features_part_of_the_rankers_score() {
    let dir = first_stage_and_ranker_disagree();
    let answer = search(&dir, &["--explain", "وزير الاقتصاد"]);
    let hits = answer["hits"].as_array().expect("hits");
    let mut totals = Vec::new();
    for hit in hits {
        let parts = hit["explain"].as_array().expect("explain on every hit");
        assert_eq!(parts.len(), akhbar::search::FEATURE_COUNT, "{hit}");
        let mut total = 0.0;
        for (part, name) in parts.iter().zip(akhbar::search::FEATURE_NAMES) {
            assert_eq!(part["feature"], name);
            let (value, weight) = (part["value"].as_f64(), part["weight"].as_f64());
            let product = value.expect("value") * weight.expect("weight");
            let given = part["part"].as_f64().expect("part");
            assert!((product - given).abs() < 1e-5, "{part}");
            total += given;
        }
        totals.push(total);
    }
    // the hits stand in the order of their parts' sums
    assert_eq!(totals.len(), 2);
    assert!(totals[0] > totals[1], "{totals:?}");
    // without the ranker nothing is explained, and without --explain
    let plain = search(&dir, &["وزير الاقتصاد"]);
    let off = search(&dir, &["--no-ranker", "--explain", "وزير الاقتصاد"]);
    for answer in [plain, off] {
        for hit in answer["hits"].as_array().expect("hits") {
            assert!(hit.get("explain").is_none(), "{hit}");
        }
    }
    // the text output lists the parts under each hit
    let run = dir.akhbar(&["search", "--index", "idx", "--explain", "وزير الاقتصاد"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("ranker: ").count(), 2, "{}", run.stdout);
    assert!(run.stdout.contains("proximity_body"), "{}", run.stdout);
}

#[test]
fn a_keyword_query_finds_the_other_spellings_of_a_persons_name() {
    let dir = index_of(&[
        (
            "short",
            "",
            format!("{} التقى بوتن وفدا {}", filler(5), filler(20)),
        ),
        (
            "long",
            "",
            format!("{} التقى بوتين وفدا {}", filler(5), filler(20)),
        ),
        (
            "trump",
            "",
            format!("{} قال ترامب {}", filler(5), filler(20)),
        ),
        ("none", "", filler(30)),
    ]);
    for (query, want) in [
        ("بوتن", vec!["short", "long"]),
        ("بوتين", vec!["long", "short"]),
        ("لبوتن", vec!["short", "long"]),
        ("ترمب", vec!["trump"]),
    ] {
        let answer = search(&dir, &[query]);
        assert_eq!(ids(&answer), want, "{query}");
    }
    // the other spelling is marked in the snippet
    let answer = search(&dir, &["بوتن"]);
    let snippet = &answer["hits"][1]["snippets"][0];
    let text = snippet["text"].as_str().expect("snippet");
    let marked: Vec<&str> = snippet["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|r| {
            &text[r[0].as_u64().expect("start") as usize..r[1].as_u64().expect("end") as usize]
        })
        .collect();
    assert_eq!(marked, vec!["بوتين"], "{snippet}");
}
