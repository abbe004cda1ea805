//! End-to-end tests of near-duplicate collapsing (issue 15): copies of a
//! story fold into one hit, `--no-collapse` shows them all, paging counts
//! stories, and incremental indexing keeps the grouping right. The texts
//! are made up for these tests.

mod common;
#[path = "common/server.rs"]
mod server;

use std::fs;

use common::{ids_in, Dir};
use serde_json::{json, Value};

/// A made-up report (about 70 words).
const STORY: &str = "أعلنت وزارة الزراعة صباح اليوم عن خطة جديدة لدعم مزارعي القمح \
    في المحافظات الشمالية، تشمل قروضا ميسرة وبذورا محسنة وشبكات ري حديثة. \
    وقال الوزير في مؤتمر صحفي إن الخطة ستنفذ على ثلاث مراحل تبدأ في الربيع \
    المقبل، وإن الهدف منها رفع الإنتاج المحلي وتقليل الاعتماد على الاستيراد. \
    وأضاف أن المزارعين سيحصلون على تدريب مجاني في استخدام التقنيات الجديدة، \
    وأن الوزارة ستتابع النتائج كل ثلاثة أشهر وتنشر تقارير دورية عنها.";

/// The same event told in other words by another outlet: a different
/// story, never to be merged.
const SAME_EVENT: &str = "خصصت الحكومة ميزانية لمساعدة المزارعين، إذ قررت وزارة \
    الزراعة منح قروض لمن يزرعون القمح في الشمال. ورأى خبراء اقتصاديون أن \
    القرار تأخر كثيرا بعد موسمين من الجفاف، بينما رحبت نقابة الفلاحين به \
    وطالبت بتوسيعه ليشمل زراعة الشعير والذرة. ولم تحدد الحكومة موعدا لصرف \
    القروض، لكن مسؤولا قال إن الاستمارات ستوزع خلال أسابيع.";

/// An article on another subject altogether.
const UNRELATED: &str = "افتتح المتحف الوطني مساء أمس معرضا للمخطوطات القديمة يضم \
    أكثر من مئتي قطعة نادرة جمعت من مكتبات خاصة في عدة مدن. وقالت مديرة \
    المتحف إن المعرض يستمر شهرين، وإن الدخول مجاني لطلاب المدارس والجامعات.";

fn article(dir: &Dir, file: &str, id: &str, source: &str, body: &str) {
    let value = json!({"id": id, "title": format!("عنوان {id}"), "body": body,
        "source": source, "date": "2024-03-10"});
    dir.write(&format!("corpus/{file}.jsonl"), format!("{value}\n"));
}

fn index(dir: &Dir) {
    let run = dir.akhbar(&["index", "--quiet", "--index", "idx", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn search(dir: &Dir, query: &str, extra: &[&str]) -> Value {
    let mut args = vec!["search", "--json", "--index", "idx"];
    args.extend(extra);
    args.extend(["--", query]);
    let run = dir.akhbar(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// The ids of a search's hits.
fn ids(v: &Value) -> Vec<String> {
    ids_in(&v["hits"])
}

/// The ids of a hit's copies.
fn duplicate_ids(hit: &Value) -> Vec<String> {
    ids_in(&hit["duplicates"])
}

/// The original, a copy with a changed first line, a copy with
/// diacritics, a story on the same event, and an unrelated article.
fn corpus() -> Dir {
    let dir = Dir::new();
    article(&dir, "a", "orig", "وكالة أ", STORY);
    let relined = STORY.replacen(
        "أعلنت وزارة الزراعة صباح اليوم",
        "كشفت مصادر رسمية أن وزارة الزراعة أعلنت مساء أمس",
        1,
    );
    article(&dir, "b", "relined", "صحيفة ب", &relined);
    let vowelled = STORY
        .replace("الزراعة", "الزِّرَاعَة")
        .replace("المزارعين", "المُزارِعين");
    article(&dir, "c", "vowelled", "موقع ج", &vowelled);
    article(&dir, "d", "same-event", "صحيفة ب", SAME_EVENT);
    article(&dir, "e", "unrelated", "وكالة أ", UNRELATED);
    index(&dir);
    dir
}

#[test]
fn copies_collapse_into_one_hit_and_no_collapse_shows_them() {
    let dir = corpus();
    let v = search(&dir, "الزراعة", &[]);
    assert_eq!(v["total_hits"], 4, "{v:#}");
    assert_eq!(v["total_stories"], 2, "{v:#}");
    assert_eq!(v["total_stories_exact"], true);
    let hits = v["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 2, "{v:#}");
    let story = hits
        .iter()
        .find(|h| h["copies"] == 2)
        .unwrap_or_else(|| panic!("no hit with 2 copies: {v:#}"));
    let mut group = duplicate_ids(story);
    group.push(story["id"].as_str().unwrap_or_default().to_string());
    group.sort();
    assert_eq!(group, ["orig", "relined", "vowelled"]);
    let other = hits
        .iter()
        .find(|h| h["id"] == "same-event")
        .expect("same-event");
    assert_eq!(other["copies"], 0);
    let ranks: Vec<&Value> = hits.iter().map(|h| &h["rank"]).collect();
    assert_eq!(ranks, [1, 2]);

    let all = search(&dir, "الزراعة", &["--no-collapse"]);
    assert_eq!(all["total_hits"], 4);
    assert_eq!(all["total_stories"], Value::Null);
    let mut every = ids(&all);
    every.sort();
    assert_eq!(every, ["orig", "relined", "same-event", "vowelled"]);
    assert!(all["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .all(|h| h["copies"] == 0));

    // text output says it too
    let run = dir.akhbar(&["search", "--index", "idx", "الزراعة"]);
    assert!(
        run.stdout.contains("4 articles in 2 stories"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("+2 copies: "), "{}", run.stdout);
}

#[test]
fn a_stricter_story_threshold_keeps_only_the_closest_copies() {
    let dir = corpus();
    // 1: only the copy that differs in diacritics stays in the story
    let v = search(&dir, "الزراعة", &["--story-threshold", "1"]);
    assert_eq!(v["total_hits"], 4, "{v:#}");
    assert_eq!(v["total_stories"], 3, "{v:#}");
    let story = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["copies"] == 1)
        .unwrap_or_else(|| panic!("no hit with one copy: {v:#}"));
    let mut pair = duplicate_ids(story);
    pair.push(story["id"].as_str().unwrap_or_default().to_string());
    pair.sort();
    assert_eq!(pair, ["orig", "vowelled"]);

    let run = dir.akhbar(&[
        "duplicates",
        "--json",
        "--index",
        "idx",
        "--story-threshold",
        "0.99",
        "orig",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["copies"].as_array().map(Vec::len), Some(1));
    let run = dir.akhbar(&[
        "stats",
        "--json",
        "--index",
        "idx",
        "--story-threshold",
        "1",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["stories"], 4);

    // below what the band keys can find, or not a number: a clear error
    for bad in ["0.5", "x", "1.5"] {
        let run = dir.akhbar(&[
            "search",
            "--index",
            "idx",
            "--story-threshold",
            bad,
            "الزراعة",
        ]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stdout);
        assert!(
            run.stderr.contains("--story-threshold"),
            "{bad}: {}",
            run.stderr
        );
    }
}

#[test]
fn pages_count_stories() {
    let dir = corpus();
    let first = search(&dir, "الزراعة", &["--limit", "1"]);
    let second = search(&dir, "الزراعة", &["--limit", "1", "--offset", "1"]);
    let third = search(&dir, "الزراعة", &["--limit", "1", "--offset", "2"]);
    let (a, b) = (ids(&first), ids(&second));
    assert_eq!(a.len(), 1);
    assert_eq!(b.len(), 1);
    assert_ne!(a, b);
    assert_eq!(second["hits"][0]["rank"], 2);
    assert!(ids(&third).is_empty(), "{third:#}");
    // the two pages together are the two stories
    let both = [a[0].as_str(), b[0].as_str()];
    assert!(both.contains(&"same-event"), "{both:?}");
}

#[test]
fn incremental_indexing_follows_copies_in_and_out() {
    let dir = Dir::new();
    article(&dir, "a", "orig", "وكالة أ", STORY);
    article(&dir, "e", "unrelated", "وكالة أ", UNRELATED);
    index(&dir);
    assert_eq!(search(&dir, "الزراعة", &[])["hits"][0]["copies"], 0);

    // a copy with a changed first line arrives: it joins the story
    let relined = STORY.replacen("أعلنت وزارة الزراعة صباح اليوم", "قالت وزارة الزراعة", 1);
    article(&dir, "b", "relined", "صحيفة ب", &relined);
    index(&dir);
    let v = search(&dir, "الزراعة", &[]);
    assert_eq!(ids(&v).len(), 1, "{v:#}");
    assert_eq!(v["hits"][0]["copies"], 1, "{v:#}");
    assert_eq!(v["total_hits"], 2);

    // the original is deleted: the copy is shown alone
    fs::remove_file(dir.path().join("corpus/a.jsonl")).expect("delete");
    index(&dir);
    let v = search(&dir, "الزراعة", &[]);
    assert_eq!(ids(&v), ["relined"], "{v:#}");
    assert_eq!(v["hits"][0]["copies"], 0, "{v:#}");

    // the original comes back, then its copy is rewritten as another story
    article(&dir, "a", "orig", "وكالة أ", STORY);
    index(&dir);
    assert_eq!(search(&dir, "الزراعة", &[])["hits"][0]["copies"], 1);
    article(&dir, "b", "relined", "صحيفة ب", SAME_EVENT);
    index(&dir);
    let v = search(&dir, "الزراعة", &[]);
    assert_eq!(v["total_stories"], 2, "{v:#}");
    assert!(v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .all(|h| h["copies"] == 0));

    // a rebuild groups as the incremental runs did
    let run = dir.akhbar(&["index", "--quiet", "--rebuild", "--index", "idx", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(search(&dir, "الزراعة", &[])["total_stories"], 2);
}

#[test]
fn duplicates_lists_the_copies_with_their_similarity() {
    let dir = corpus();
    let run = dir.akhbar(&["duplicates", "--json", "--index", "idx", "orig"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    assert_eq!(v["id"], "orig");
    assert_eq!(v["signed"], true);
    let copies = v["copies"].as_array().expect("copies");
    let listed: Vec<&str> = copies.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(listed.len(), 2, "{v:#}");
    assert!(listed.contains(&"relined") && listed.contains(&"vowelled"));
    // the diacritics-only copy reads the same: most similar, first
    assert_eq!(copies[0]["id"], "vowelled");
    assert_eq!(copies[0]["similarity"], 1.0);
    let relined = copies[1]["similarity"].as_f64().unwrap_or(0.0);
    assert!((0.6..1.0).contains(&relined), "{relined}");

    let run = dir.akhbar(&["duplicates", "--index", "idx", "same-event"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("no near copies"), "{}", run.stdout);

    let run = dir.akhbar(&["duplicates", "--index", "idx", "no-such-id"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no-such-id"), "{}", run.stderr);

    // stats: five articles, three stories, the largest of three articles
    let run = dir.akhbar(&["stats", "--json", "--index", "idx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    assert_eq!(v["articles"], 5, "{v:#}");
    assert_eq!(v["stories"], 3, "{v:#}");
    assert_eq!(v["articles_with_copies"], 3, "{v:#}");
    assert_eq!(v["largest_stories"][0]["articles"], 3, "{v:#}");
    let mut ids: Vec<&str> = v["largest_stories"][0]["ids"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["orig", "relined", "vowelled"]);
}

#[test]
fn exports_list_the_copies_and_the_api_follows_the_same_contract() {
    let dir = corpus();
    // CSV: one row per story, the copies' ids in the last column
    let run = dir.akhbar(&[
        "search",
        "--index",
        "idx",
        "الزراعة",
        "--all",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.get(9), Some("duplicates"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    let folded: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.get(9))
        .filter(|d| !d.is_empty())
        .collect();
    assert_eq!(folded.len(), 1, "{}", run.stdout);
    assert_eq!(folded[0].split("; ").count(), 2, "{}", run.stdout);

    // the API: collapsed by default, collapse=0 shows every article
    let server = server::Server::start(dir.path(), &dir.path().join("idx"), &[]);
    let q = server::enc("الزراعة");
    let v = server.get(&format!("/api/search?q={q}")).json();
    assert_eq!(v["total_hits"], 4, "{v:#}");
    assert_eq!(v["total_stories"], 2, "{v:#}");
    assert_eq!(ids(&v).len(), 2, "{v:#}");
    let v = server.get(&format!("/api/search?q={q}&collapse=0")).json();
    assert_eq!(v["total_stories"], Value::Null, "{v:#}");
    assert_eq!(ids(&v).len(), 4, "{v:#}");
    // story_threshold as --story-threshold
    let v = server
        .get(&format!("/api/search?q={q}&story_threshold=1"))
        .json();
    assert_eq!(v["total_stories"], 3, "{v:#}");
    let v = server.get("/api/stats?stories=1&story_threshold=1").json();
    assert_eq!(v["stories"], 4, "{v:#}");
    let bad = server.get(&format!("/api/search?q={q}&story_threshold=0.3"));
    assert_eq!(bad.status, 400, "{}", bad.body);
}
