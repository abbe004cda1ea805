//! Names as the reader types them (issue 35): `GET /api/suggest` end to
//! end over the sample corpus, and the alias table's coverage: typing the
//! first four letters of any word of any of an entity's names must bring
//! the entity into the list the search box shows (ten suggestions) for
//! at least 95% of the table's entities.

mod common;
#[path = "common/server.rs"]
mod server;

use std::collections::{BTreeMap, BTreeSet};

use akhbar::entities::AliasTable;
use akhbar::index::open_existing;
use akhbar::search::Names;
use common::{sample_index, Dir};
use server::{enc, Server};

/// What the search box shows.
const SHOWN: usize = 10;

#[test]
fn four_letters_of_any_word_of_any_name_reach_the_entity() {
    let open = open_existing(sample_index("suggest")).expect("the sample index");
    let table = AliasTable::builtin();
    let names = Names::build(&open, &table).expect("names");
    let searcher = open.searcher().expect("searcher");
    let mut reached = BTreeSet::new();
    let mut missed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut asked = 0;
    for entity in &table.entities {
        let mut tried = Vec::new();
        for name in entity.names() {
            for word in name.split_whitespace() {
                let typed: String = word.chars().take(4).collect();
                asked += 1;
                let found = names.suggest(&searcher, &typed, SHOWN, true);
                if found.iter().any(|t| t.text == entity.canonical) {
                    reached.insert(entity.canonical.clone());
                }
                tried.push(typed);
            }
        }
        if !reached.contains(&entity.canonical) {
            missed.insert(entity.canonical.clone(), tried);
        }
    }
    let share = reached.len() as f64 / table.entities.len() as f64;
    eprintln!(
        "{} of {} entities reached ({:.1}%) by {asked} four-letter prefixes; missed e.g. {:?}",
        reached.len(),
        table.entities.len(),
        share * 100.0,
        missed.iter().take(10).collect::<Vec<_>>()
    );
    assert!(
        share >= 0.95,
        "only {:.1}% reached; missed {missed:?}",
        share * 100.0
    );
}

#[test]
fn the_endpoint_answers_names_and_words_and_refuses_bad_requests() {
    let dir = Dir::new();
    let server = Server::start(dir.path(), sample_index("suggest"), &[]);
    let ask = |prefix: &str, extra: &str| {
        let answer = server.get(&format!("/api/suggest?prefix={}{extra}", enc(prefix)));
        assert_eq!(answer.status, 200, "{prefix}: {}", answer.body);
        answer.json()
    };
    // «ابن سل»: ابن as بن, the last word a prefix.
    let answer = ask("ابن سل", "");
    let first = &answer["suggestions"][0];
    assert_eq!(first["text"], "محمد بن سلمان", "{answer:#}");
    assert_eq!(first["type"], "PER");
    assert_eq!(first["kind"], "entity");
    assert!(first["articles"].as_u64() > Some(0), "{answer:#}");
    // An alias typed: the canonical name, and the alias that matched.
    let answer = ask("ترام", "&names=1");
    let trump = answer["suggestions"]
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["text"] == "دونالد ترامب")
        .cloned()
        .unwrap_or_else(|| panic!("{answer:#}"));
    assert_eq!(trump["matched"], "ترامب");
    // Names first, most named first; then frequent words, as written.
    let answer = ask("الحكو", "");
    let list = answer["suggestions"].as_array().expect("list").clone();
    assert!(
        list.iter()
            .any(|s| s["kind"] == "word" && s["text"] == "الحكومة"),
        "{answer:#}"
    );
    let words_only_after = list
        .iter()
        .skip_while(|s| s["kind"] == "entity")
        .all(|s| s["kind"] == "word");
    assert!(words_only_after, "{answer:#}");
    // names=1: no words.
    let answer = ask("الحكو", "&names=1");
    assert!(answer["suggestions"]
        .as_array()
        .expect("list")
        .iter()
        .all(|s| s["kind"] == "entity"));
    // Nothing typed, nothing suggested; limits and bad values refused.
    assert_eq!(ask("", "")["suggestions"], serde_json::json!([]));
    assert!(
        ask("سعود", "&limit=3")["suggestions"]
            .as_array()
            .expect("list")
            .len()
            <= 3
    );
    for path in [
        "/api/suggest?prefix=x&limit=-1",
        "/api/suggest?prefix=x&names=maybe",
        "/api/suggest?query=x",
        "/api/suggest?prefix=%FF",
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 400, "{path}: {}", answer.body);
        assert!(answer.json()["error"]["message"].is_string());
    }
    let long = "ب".repeat(101);
    assert_eq!(
        server
            .get(&format!("/api/suggest?prefix={}", enc(&long)))
            .status,
        400
    );
}

#[test]
fn names_follow_the_index_after_a_commit() {
    let dir = Dir::new();
    common::copy_sample_corpus(&dir);
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(dir.path(), &dir.path().join("idx"), &[]);
    let path = format!("/api/suggest?prefix={}&names=1", enc("ابن سل"));
    let articles = |a: &server::Answer| {
        a.json()["suggestions"]
            .as_array()
            .and_then(|l| l.iter().find(|s| s["text"] == "محمد بن سلمان"))
            .and_then(|s| s["articles"].as_u64())
    };
    let before = articles(&server.get(&path)).expect("محمد بن سلمان suggested");
    // Two new articles name him; a commit; the server's names catch up
    // (the kept ones answer meanwhile, so no request waits for the build).
    let line = |id: &str| {
        serde_json::json!({"id": id, "title": "ولي العهد محمد بن سلمان يستقبل وفداً",
            "body": "استقبل ولي العهد السعودي الأمير محمد بن سلمان وفداً من رجال الأعمال في الرياض.",
            "date": "2025-06-02"})
        .to_string()
    };
    dir.write(
        "corpus/jsonl/late.jsonl",
        format!("{}\n{}\n", line("late-1"), line("late-2")),
    );
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let waited = server
        .wait_for(&path, std::time::Duration::from_secs(60), |a| {
            a.status == 200 && articles(a) == Some(before + 2)
        })
        .unwrap_or_else(|a| panic!("the names never caught up: {}", a.body));
    eprintln!(
        "names caught up {:.2} s after the commit",
        waited.as_secs_f64()
    );
}
