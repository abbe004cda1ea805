//! End-to-end tests of `akhbar export opensearch` and `analyze --batch`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{sample_corpus, sample_index, stored_docs, Dir};

/// The (action, document) pairs of every bulk file in `dir`, in order.
fn bulk_pairs(dir: &Path) -> Vec<(serde_json::Value, serde_json::Value)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ndjson"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read bulk");
        assert!(
            text.ends_with('\n'),
            "{}: last line unterminated",
            f.display()
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len() % 2, 0, "{}: odd line count", f.display());
        for pair in lines.chunks(2) {
            let action = serde_json::from_str(pair[0]).expect("action JSON");
            let doc = serde_json::from_str(pair[1]).expect("document JSON");
            out.push((action, doc));
        }
    }
    out
}

/// Exports the sample corpus into `out` under `dir`, with `extra` arguments.
fn export_sample(dir: &Dir, extra: &[&str]) -> common::Run {
    let corpus = sample_corpus();
    let mut args = vec![
        "export",
        "opensearch",
        corpus.to_str().expect("utf8"),
        "--out",
        "out",
    ];
    args.extend_from_slice(extra);
    dir.akhbar(&args)
}

#[test]
fn export_holds_exactly_what_akhbar_index_holds() {
    let dir = Dir::new();
    let run = export_sample(&dir, &["--index-name", "akhbar-news", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.json();
    let out = dir.path().join("out");

    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("index.json")).expect("index.json"))
            .expect("index.json is JSON");
    let analyzers = &index["settings"]["index"]["analysis"]["analyzer"];
    for name in ["akhbar_exact", "akhbar_keyword", "akhbar_phrase"] {
        assert!(analyzers.get(name).is_some(), "{name} missing");
    }
    assert_eq!(
        index["mappings"]["properties"]["body"]["fields"]["stem"]["analyzer"],
        "akhbar_keyword"
    );

    let pairs = bulk_pairs(&out);
    assert_eq!(summary["articles"].as_u64(), Some(pairs.len() as u64));
    let mut ids = BTreeSet::new();
    for (action, doc) in &pairs {
        assert_eq!(action["index"]["_index"], "akhbar-news");
        assert_eq!(action["index"]["_id"], doc["id"]);
        ids.insert(doc["id"].as_str().expect("id").to_string());
    }
    let indexed: BTreeSet<String> = stored_docs(sample_index("cli_export"))
        .iter()
        .map(|d| {
            d["id"]
                .as_str()
                .or_else(|| d["id"][0].as_str())
                .expect("id")
                .to_string()
        })
        .collect();
    assert_eq!(
        ids, indexed,
        "the export and the index hold the same articles"
    );

    // entities and dates as the indexer finds them
    let with_entities = pairs
        .iter()
        .filter(|(_, d)| d["entity"].as_array().is_some_and(|e| !e.is_empty()));
    assert!(with_entities.count() > pairs.len() / 2);
    assert!(pairs
        .iter()
        .any(|(_, d)| d["date"].as_str().is_some_and(|s| s.ends_with('Z'))));

    let readme = std::fs::read_to_string(out.join("README.md")).expect("README");
    assert!(
        readme.contains("curl -sS -X PUT \"$ES/akhbar-news\""),
        "{readme}"
    );
    assert!(readme.contains("match_phrase"));
}

#[test]
fn export_reports_bad_lines_and_keeps_the_rest() {
    let dir = Dir::new();
    dir.write(
        "in/news.jsonl",
        "{\"id\": \"a\", \"title\": \"وزير الخارجية\", \"body\": \"زار الوزير بيروت أمس.\"}\n\
         {not json\n\
         {\"id\": \"b\", \"title\": \"أسعار النفط\", \"body\": \"ارتفعت أسعار النفط.\"}\n",
    );
    dir.write("in/broken.json", "{\"title\": ");
    let run = dir.akhbar(&["export", "opensearch", "in", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("news.jsonl:2"), "{}", run.stderr);
    assert!(run.stderr.contains("broken.json"), "{}", run.stderr);
    let ids: Vec<String> = bulk_pairs(&dir.path().join("out"))
        .iter()
        .map(|(_, d)| d["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    // a second export into the same folder replaces the bulk files
    dir.write(
        "in/news.jsonl",
        "{\"id\": \"c\", \"title\": \"عنوان\", \"body\": \"نص\"}\n",
    );
    let run = dir.akhbar(&["export", "opensearch", "in/news.jsonl", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(bulk_pairs(&dir.path().join("out")).len(), 1);
}

#[test]
fn export_without_articles_or_out_fails_clearly() {
    let dir = Dir::new();
    dir.write("empty/readme.pdf", "x");
    let run = dir.akhbar(&["export", "opensearch", "empty", "--out", "out"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let run = dir.akhbar(&["export", "opensearch", "empty"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("--out"), "{}", run.stderr);
}

#[test]
fn query_translation_prints_dsl() {
    let dir = Dir::new();
    let run = dir.akhbar(&[
        "export",
        "opensearch",
        "--query",
        "\"الأمم المتحدة\" title:النفط -إيران",
        "--from",
        "2018-01-01",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body = run.json();
    let must = &body["query"]["bool"]["must"][0]["bool"];
    let text = body.to_string();
    assert!(text.contains("\"match_phrase\""), "{text}");
    assert!(text.contains("\"akhbar_phrase\""), "{text}");
    assert!(text.contains("\"title.stem\""), "{text}");
    assert_eq!(must["must_not"].as_array().map(Vec::len), Some(1), "{text}");
    assert_eq!(
        body["query"]["bool"]["filter"][0]["range"]["date"]["gte"],
        "2018-01-01T00:00:00Z"
    );
    // one hit per story by default, as akhbar search; --no-collapse: all
    assert_eq!(body["collapse"]["field"], "story", "{text}");
    assert_eq!(body["collapse"]["inner_hits"]["name"], "copies");
    let run = dir.akhbar(&["export", "opensearch", "--query", "النفط", "--no-collapse"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.json().get("collapse").is_none(), "{}", run.stdout);

    let run = dir.akhbar(&["export", "opensearch", "--query", "في"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("stopword") || run.stderr.contains("nothing"),
        "{}",
        run.stderr
    );
}

#[test]
fn analyze_batch_answers_each_line() {
    let run = Dir::new().akhbar_stdin(&["analyze", "--batch"], "\"وللأمم المتحدة\"\n42\n\"\"\n");
    assert_eq!(run.code, 2);
    let stdout = run.stdout;
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    let first: serde_json::Value = serde_json::from_str(lines[0]).expect("json");
    assert_eq!(first["tokens"][0]["exact"][3], "الامم");
    assert_eq!(lines[1], "null");
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
}

/// The Lucene check (tools/lucene-check) over the sample corpus: every
/// token of the three analyzers agrees. Skipped, with a message, where
/// Java or the Lucene jar is missing.
#[test]
fn lucene_agrees_on_the_sample_corpus() {
    let dir = Dir::new();
    let corpus = sample_corpus();
    let run = dir.akhbar(&[
        "export",
        "opensearch",
        corpus.to_str().expect("utf8"),
        "--out",
        "out",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/lucene-check/run.sh");
    let output = Command::new("bash")
        .arg(script)
        .arg(dir.path().join("out"))
        .env("AKHBAR_BIN", env!("CARGO_BIN_EXE_akhbar"))
        .env("CARGO_TARGET_DIR", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("run lucene-check");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    if stdout.starts_with("lucene-check: skipped") {
        common::skipped(stdout.trim());
        return;
    }
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("(akhbar_"))
        .collect();
    assert_eq!(rows.len(), 3, "{stdout}");
    for row in rows {
        assert_eq!(row.matches("100.0000%").count(), 3, "{row}\n{stdout}");
    }
}

/// Issue 28: the pre-analyzed export holds akhbar's analysis (words one a
/// position, stems), maps them with white-space analyzers, and its query
/// DSL asks for written forms and stems.
#[test]
fn pre_analyzed_export_carries_the_analysis_and_its_queries() {
    let dir = Dir::new();
    let run = export_sample(&dir, &["--pre-analyzed", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["layout"], "pre-analyzed");
    let out = dir.path().join("out");
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("index.json")).expect("index.json"))
            .expect("json");
    let properties = &index["mappings"]["properties"];
    assert_eq!(properties["body"]["index"], false);
    assert_eq!(properties["body_words"]["analyzer"], "akhbar_words");
    assert_eq!(properties["body_stems"]["analyzer"], "akhbar_stems");
    let docs: Vec<serde_json::Value> = bulk_pairs(&out)
        .into_iter()
        .filter(|(action, _)| action.get("index").is_some())
        .map(|(_, doc)| doc)
        .collect();
    assert!(!docs.is_empty());
    for doc in &docs {
        let words = doc["body_words"][0].as_str().expect("body_words");
        let body = doc["body"].as_str().expect("body");
        assert_eq!(words.is_empty(), body.trim().is_empty(), "{}", doc["id"]);
        assert!(doc["title_stems"].is_string(), "{}", doc["id"]);
    }
    let query = dir.akhbar(&[
        "export",
        "opensearch",
        "--pre-analyzed",
        "--no-collapse",
        "--query",
        "\"الأمم المتحدة\" الحكومة",
    ]);
    assert_eq!(query.code, 0, "{}", query.stderr);
    let dsl = query.stdout;
    assert!(dsl.contains("\"match_phrase\""), "{dsl}");
    assert!(dsl.contains("akhbar_alternatives"), "{dsl}");
    assert!(dsl.contains("body_stems"), "{dsl}");
    assert!(dsl.contains("للامم"), "{dsl}");
}

/// The Lucene check of a pre-analyzed export: Lucene's white-space
/// analyzers give akhbar's words at akhbar's positions and its stems.
/// Skipped, with a message, where Java or the Lucene jar is missing.
#[test]
fn lucene_reads_a_pre_analyzed_export_as_akhbar_wrote_it() {
    let dir = Dir::new();
    let run = export_sample(&dir, &["--pre-analyzed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/lucene-check/run.sh");
    let output = Command::new("bash")
        .arg(script)
        .arg(dir.path().join("out"))
        .env("AKHBAR_BIN", env!("CARGO_BIN_EXE_akhbar"))
        .env("CARGO_TARGET_DIR", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("run lucene-check");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    if stdout.starts_with("lucene-check: skipped") {
        common::skipped(stdout.trim());
        return;
    }
    assert!(stdout.contains("(pre-analyzed)"), "{stdout}");
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("| words") || l.starts_with("| stems"))
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    for row in rows {
        assert!(row.ends_with("| 100.0000% |"), "{row}\n{stdout}");
    }
    assert!(stdout.contains("texts differing: 0"), "{stdout}");
}

/// A made-up report for the story test (about 50 words).
const REPORT: &str = "افتتحت البلدية صباح اليوم جسرا جديدا فوق النهر يربط الحي \
    الشرقي بوسط المدينة، بعد عامين من العمل المتواصل. وقال رئيس البلدية إن \
    الجسر سيخفف الزحام في ساعات الذروة، وإن كلفته بلغت أربعين مليونا، وإن \
    المرحلة الثانية من المشروع تشمل طريقا للدراجات وممرات للمشاة على \
    الضفتين، وتبدأ في الخريف المقبل بعد انتهاء موسم الأمطار.";

#[test]
fn copies_share_the_first_copys_story_set_by_updates_after_the_documents() {
    let dir = Dir::new();
    let line = |id: &str, body: &str| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "title": format!("عنوان {id}"), "body": body})
        )
    };
    let copy = REPORT.replace("صباح اليوم", "صباح أمس").replace('،', " ،");
    let other = "أعلن النادي الرياضي عن تعاقده مع مدرب جديد لفريق كرة السلة لموسمين، \
        وقال رئيس النادي إن المدرب سيقود أول تدريب الأسبوع المقبل، وإن الهدف هو \
        العودة إلى المراكز الأولى في الدوري بعد موسم صعب خسر فيه الفريق أغلب مبارياته.";
    dir.write(
        "in/a.jsonl",
        line("first", REPORT) + &line("other", other) + &line("copy", &copy),
    );
    let run = dir.akhbar(&["export", "opensearch", "in", "--out", "out", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.json();
    assert_eq!(summary["stories"], 2, "{summary}");
    assert_eq!(summary["story_updates"], 1, "{summary}");
    let pairs = bulk_pairs(&dir.path().join("out"));
    let indexed: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(a, d)| Some((a["index"]["_id"].as_str()?, d["story"].as_str()?)))
        .collect();
    assert_eq!(
        indexed,
        [("first", "first"), ("other", "other"), ("copy", "copy")]
    );
    let (action, doc) = pairs.last().expect("pairs");
    assert_eq!(action["update"]["_id"], "copy", "{action}");
    assert_eq!(doc, &serde_json::json!({"doc": {"story": "first"}}));
    let mapping: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/index.json")).expect("index.json"),
    )
    .expect("json");
    assert_eq!(
        mapping["mappings"]["properties"]["story"]["type"],
        "keyword"
    );
}
