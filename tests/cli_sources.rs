//! Sources shown by name (issue 35): `source_name` from the built-in
//! sources table in `search --json` hits and facets, in the JSON Lines
//! and CSV exports and in the HTTP API; a user's `--sources` table
//! overriding and extending it; a bad line reported with its file and
//! line; ids in no table shown as they are.

mod common;
#[path = "common/server.rs"]
mod server;

use common::Dir;
use serde_json::Value;
use server::{enc, Server};

/// Three articles about one harvest, from two outlets of the built-in
/// table and one in no table, indexed into `idx`.
fn indexed() -> Dir {
    let dir = Dir::new();
    let lines = [
        r#"{"id": "sky-1", "title": "موسم القمح في السهول", "body": "بدأ موسم حصاد القمح في السهول الشرقية هذا الأسبوع.", "source": "skynews", "date": "2024-06-01"}"#,
        r#"{"id": "riy-1", "title": "القمح يصل إلى الصوامع", "body": "وصلت أولى شحنات القمح إلى الصوامع بعد الحصاد.", "source": "alriyadh", "date": "2024-06-02"}"#,
        r#"{"id": "own-1", "title": "أسعار القمح في السوق", "body": "تراجعت أسعار القمح في السوق المحلية مع وفرة الحصاد.", "source": "نشرة الحقول", "date": "2024-06-03"}"#,
    ];
    dir.write("corpus/harvest.jsonl", lines.join("\n") + "\n");
    let run = dir.akhbar(&["index", "corpus", "--index", "idx", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

/// `source` → `source_name` of each object of a JSON array.
fn names(list: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .as_array()
        .expect("an array")
        .iter()
        .map(|h| {
            let id = h["source"].as_str().or(h["name"].as_str()).expect("id");
            let name = h["source_name"].as_str().expect("source_name");
            (id.to_string(), name.to_string())
        })
        .collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    out.sort();
    out
}

#[test]
fn json_hits_and_facets_name_the_sources_from_the_built_in_table() {
    let dir = indexed();
    let run = dir.akhbar(&["search", "--index", "idx", "القمح", "--json", "--facets"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let builtin = pairs(&[
        ("skynews", "سكاي نيوز عربية"),
        ("alriyadh", "جريدة الرياض"),
        ("نشرة الحقول", "نشرة الحقول"),
    ]);
    assert_eq!(names(&json["hits"]), builtin);
    // the facets: the id to filter by, and the name to show
    assert_eq!(names(&json["facets"]["sources"]), builtin);
    // filtering still takes the id
    let run = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "القمح",
        "--json",
        "--source",
        "skynews",
    ]);
    assert_eq!(run.hit_ids(), ["sky-1"]);
    // stats: the top sources' names beside their ids, in the same order
    let stats = dir.akhbar(&["stats", "--index", "idx", "--json"]).json();
    let ids: Vec<&str> = stats["top_sources"]
        .as_array()
        .expect("top_sources")
        .iter()
        .filter_map(|p| p[0].as_str())
        .collect();
    let shown: Vec<&str> = stats["top_source_names"]
        .as_array()
        .expect("top_source_names")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(ids.len(), 3, "{stats}");
    let by_id: Vec<(String, String)> = pairs(&ids.into_iter().zip(shown).collect::<Vec<_>>());
    assert_eq!(by_id, builtin);
    let text = dir.akhbar(&["stats", "--index", "idx"]).stdout;
    assert!(text.contains("سكاي نيوز عربية (skynews)"), "{text}");
}

#[test]
fn exports_append_the_source_name_column() {
    let dir = indexed();
    let run = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "القمح",
        "--all",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(
        header.get(4),
        Some("source"),
        "existing columns keep their place"
    );
    assert_eq!(header.get(10), Some("source_name"));
    let mut rows: Vec<(String, String)> = reader
        .records()
        .map(|r| r.expect("row"))
        .map(|r| (r[4].to_string(), r[10].to_string()))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        pairs(&[
            ("skynews", "سكاي نيوز عربية"),
            ("alriyadh", "جريدة الرياض"),
            ("نشرة الحقول", "نشرة الحقول"),
        ])
    );
    let run = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "القمح",
        "--all",
        "--format",
        "jsonl",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(names(&Value::Array(lines)).len(), 3);
}

#[test]
fn a_user_table_overrides_and_extends_and_its_bad_lines_are_reported() {
    let dir = indexed();
    dir.write(
        "sources.tsv",
        "# our outlets\nid\tname\turl\n\
         skynews\tسكاي نيوز\thttps://www.skynewsarabia.com/\n\
         نشرة الحقول\tنشرة الحقول الزراعية\t\n\
         broken line without a tab\n",
    );
    let args = [
        "search",
        "--index",
        "idx",
        "القمح",
        "--json",
        "--facets",
        "--sources",
        "sources.tsv",
    ];
    let run = dir.akhbar(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let wanted = pairs(&[
        ("skynews", "سكاي نيوز"),
        ("alriyadh", "جريدة الرياض"),
        ("نشرة الحقول", "نشرة الحقول الزراعية"),
    ]);
    let json = run.json();
    assert_eq!(names(&json["hits"]), wanted);
    assert_eq!(names(&json["facets"]["sources"]), wanted);
    assert!(
        run.stderr.contains("sources.tsv:5: expected id<TAB>name"),
        "the bad line named with its file and line: {}",
        run.stderr
    );
    // the same table through the environment
    let run = dir.akhbar_with_env(&args[..6], &[("AKHBAR_SOURCES", "sources.tsv")]);
    assert_eq!(names(&run.json()["hits"]), wanted);
    // a table that cannot be read: said, and the built-in names stay
    let run = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "القمح",
        "--json",
        "--sources",
        "missing.tsv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("missing.tsv"), "{}", run.stderr);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    assert!(names(&run.json()["hits"]).contains(&("skynews".into(), "سكاي نيوز عربية".into())));
}

#[test]
fn the_api_names_the_sources_of_hits_facets_and_articles() {
    let dir = indexed();
    dir.write(
        "sources.tsv",
        "alriyadh\tالرياض\thttps://www.alriyadh.com/\n",
    );
    let server = Server::start(
        dir.path(),
        &dir.path().join("idx"),
        &["--sources", "sources.tsv"],
    );
    let json = server
        .get(&format!("/api/search?q={}&facets=1", enc("القمح")))
        .json();
    let wanted = pairs(&[
        ("skynews", "سكاي نيوز عربية"),
        ("alriyadh", "الرياض"),
        ("نشرة الحقول", "نشرة الحقول"),
    ]);
    assert_eq!(names(&json["hits"]), wanted);
    assert_eq!(names(&json["facets"]["sources"]), wanted);
    let article = server.get("/api/articles/riy-1").json();
    assert_eq!(article["source"], "alriyadh");
    assert_eq!(article["source_name"], "الرياض");
    assert_eq!(article["source_url"], "https://www.alriyadh.com/");
    let article = server
        .get(&format!("/api/articles/{}", enc("own-1")))
        .json();
    assert_eq!(article["source_name"], "نشرة الحقول");
    assert_eq!(article["source_url"], "");
    let similar = server.get("/api/similar/sky-1").json();
    for hit in similar["hits"].as_array().expect("hits") {
        assert!(hit["source_name"].is_string(), "{hit}");
    }
    assert_eq!(similar["like"]["source_name"], "سكاي نيوز عربية");
    // the first page's figures (/api/stats) name the top sources too
    let stats = server.get("/api/stats").json();
    let shown = stats["top_source_names"].to_string();
    assert!(
        shown.contains("الرياض") && shown.contains("سكاي نيوز عربية"),
        "{stats}"
    );
    // the export streams the same column
    let csv = server.get(&format!("/api/search?q={}&format=csv&all=1", enc("القمح")));
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.body.contains("الرياض"), "{}", csv.body);
    assert!(
        csv.body
            .lines()
            .next()
            .expect("header")
            .ends_with(",source_name,line"),
        "{}",
        csv.body
    );
}
