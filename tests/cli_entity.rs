//! End-to-end tests of entity search: `search --entity`, `entities`,
//! `analyze --entity`, on a small corpus written for these tests.

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::{Dir, Run};
use serde_json::{json, Value};

/// Article id, text. Each article names its entity in one form only.
const ARTICLES: &[(&str, &str)] = &[
    // one-word name without article: بغداد
    ("bgd-waw", "وصل الوفد إلى أربيل وبغداد صباح اليوم"),
    ("bgd-fa", "انتهت الجولة في البصرة فبغداد مساء الأحد"),
    ("bgd-ba", "عقد الاجتماع ببغداد وسط إجراءات أمنية"),
    ("bgd-lam", "وجه رسالة لبغداد يطلب فيها التعاون"),
    ("bgd-kaf", "مدن كبغداد تعاني من ازدحام خانق"),
    ("bgd-bare", "تستضيف بغداد مؤتمرا للطاقة"),
    // one-word name with article: العراق
    ("irq-al", "قال المتحدث إن العراق يرفض التدخل"),
    ("irq-wal", "تحدث الوزير عن سوريا والعراق طويلا"),
    ("irq-bal", "تعمل الشركة بالعراق منذ سنوات"),
    ("irq-lil", "قدمت الحكومة دعما للعراق في الأزمة"),
    ("irq-wabal", "نشطت البعثة في سوريا وبالعراق معا"),
    ("irq-walil", "أرسلت المساعدات لسوريا وللعراق أيضا"),
    ("irq-fal", "تراجعت الأسعار في الكويت فالعراق"),
    ("irq-kal", "بلد كالعراق يملك ثروة نفطية كبيرة"),
    // multi-word name with article: الأمم المتحدة
    ("un-bare", "طالبت الأمم المتحدة بوقف القتال"),
    ("un-lil", "قدم طلبا للأمم المتحدة أمس"),
    ("un-walil", "وجه الشكر لأعضاء المجلس وللأمم المتحدة كذلك"),
    ("un-wabal", "اتصل بالجامعة وبالأمم المتحدة للتنسيق"),
    ("un-wal", "شارك الاتحاد الأفريقي والأمم المتحدة في الجلسة"),
    // multi-word name without article, and its alias
    (
        "sdf-lam",
        "قدمت واشنطن دعما لقوات سوريا الديمقراطية في الشمال",
    ),
    (
        "sdf-waw",
        "انسحبت الفصائل وقوات سوريا الديمقراطية من القرية",
    ),
    ("sdf-alias", "قالت قسد إنها أحبطت هجوما على سجن في الحسكة"),
    // a name inside a longer name of another entity
    ("gaza-city", "قصف حي الشجاعية في مدينة غزة ليلا"),
    ("gaza-strip", "دخلت المساعدات إلى قطاع غزة عبر معبر رفح"),
    // a spelling variant in no table: بايدين for بايدن
    (
        "biden-variant",
        "التقى الرئيس بايدين نظيره الفرنسي في البيت الأبيض",
    ),
    ("biden-table", "وقع جو بايدن قانونا جديدا للطاقة"),
    // a four-letter alias (بوتن) with a new vowel is another word
    ("bhutan", "زار الوفد مملكة بوتان في جبال الهيمالايا"),
    ("putin-short", "قال بوتن إن المحادثات كانت مفيدة"),
    ("putin-full", "أعلن الرئيس فلاديمير بوتين خطة جديدة"),
    // common words that share letters with names
    (
        "common-words",
        "قدم فكرة جديدة عن صناعة اللبن والجبن في مصرف محلي مصري الأصل",
    ),
    ("tram", "افتتح خط ترام جديد في المدينة"),
];

fn corpus_line(id: &str, body: &str) -> String {
    json!({"id": id, "title": format!("خبر {id}"), "body": body}).to_string() + "\n"
}

/// The test corpus, indexed once for this test binary.
fn dir() -> &'static Dir {
    static DIR: OnceLock<Dir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Dir::new();
        let text: String = ARTICLES
            .iter()
            .map(|(id, body)| corpus_line(id, body))
            .collect();
        dir.write("corpus/news.jsonl", text);
        let run = dir.akhbar(&["index", "--quiet"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        dir
    })
}

fn run(args: &[&str]) -> Run {
    dir().akhbar(args)
}

fn entity_ids(name: &str) -> BTreeSet<String> {
    let r = run(&["search", "--json", "--limit", "100", "--entity", name]);
    assert_eq!(r.code, 0, "{name}: {}", r.stderr);
    r.json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

fn ids_with_prefix(prefix: &str) -> BTreeSet<String> {
    ARTICLES
        .iter()
        .filter(|(id, _)| id.starts_with(prefix))
        .map(|(id, _)| id.to_string())
        .collect()
}

#[test]
fn every_clitic_before_a_one_word_name() {
    assert_eq!(entity_ids("بغداد"), ids_with_prefix("bgd-"));
    assert_eq!(entity_ids("العراق"), ids_with_prefix("irq-"));
}

#[test]
fn every_clitic_before_a_multi_word_name() {
    assert_eq!(entity_ids("الأمم المتحدة"), ids_with_prefix("un-"));
}

#[test]
fn clitics_on_the_name_typed() {
    assert_eq!(entity_ids("للأمم المتحدة"), ids_with_prefix("un-"));
    assert_eq!(entity_ids("وبغداد"), ids_with_prefix("bgd-"));
}

#[test]
fn aliases_both_ways() {
    let full = entity_ids("قوات سوريا الديمقراطية");
    let short = entity_ids("قسد");
    assert_eq!(full, ids_with_prefix("sdf-"));
    assert_eq!(short, full);
}

#[test]
fn a_name_inside_a_longer_name_is_the_longer_entity() {
    let strip = entity_ids("قطاع غزة");
    assert!(strip.contains("gaza-strip"), "{strip:?}");
    assert!(
        !strip.contains("gaza-city"),
        "مدينة غزة is another entity: {strip:?}"
    );
    assert_eq!(
        entity_ids("مدينة غزة"),
        BTreeSet::from(["gaza-city".to_string()])
    );
}

#[test]
fn a_spelling_variant_of_a_foreign_name_is_found() {
    let found = entity_ids("بايدن");
    assert!(found.contains("biden-table"), "{found:?}");
    assert!(found.contains("biden-variant"), "{found:?}");
}

#[test]
fn a_new_vowel_in_a_short_alias_makes_another_word() {
    assert_eq!(
        entity_ids("بوتين"),
        BTreeSet::from(["putin-short".to_string(), "putin-full".to_string()])
    );
}

#[test]
fn common_words_sharing_letters_are_not_found() {
    for name in ["لبنان", "مصر", "دونالد ترامب", "بغداد"] {
        let found = entity_ids(name);
        assert!(!found.contains("common-words"), "{name}: {found:?}");
        assert!(!found.contains("tram"), "{name}: {found:?}");
    }
}

#[test]
fn hits_count_and_highlight_every_mention() {
    let r = run(&["search", "--json", "--entity", "العراق"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: Value = r.json();
    for hit in json["hits"].as_array().expect("hits") {
        assert_eq!(hit["mentions"], 1, "{hit}");
        let snippet = &hit["snippets"][0];
        let text = snippet["text"].as_str().expect("text");
        let h = &snippet["highlights"][0];
        let (s, e) = (
            h[0].as_u64().expect("s") as usize,
            h[1].as_u64().expect("e") as usize,
        );
        assert!(text[s..e].contains("عراق"), "{:?}", &text[s..e]);
        let entities = hit["entities"].as_array().expect("entities");
        assert!(entities
            .iter()
            .any(|e| e["name"] == "العراق" && e["type"] == "LOC"));
    }
}

#[test]
fn entity_combines_with_keywords() {
    let r = run(&["search", "--json", "--entity", "العراق", "سوريا"]);
    let ids: BTreeSet<String> = r.json()["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["irq-wabal".into(), "irq-wal".into(), "irq-walil".into()])
    );
}

#[test]
fn entities_lists_the_most_named() {
    let r = run(&["entities", "--json", "--type", "LOC", "--top", "3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = r.json()["entities"].as_array().expect("entities").clone();
    assert_eq!(list[0]["name"], "العراق");
    assert_eq!(list[0]["articles"], 8);
    assert_eq!(list[1]["name"], "بغداد");
    assert_eq!(list[1]["articles"], 6);
    let q = run(&["entities", "--json", "--type", "LOC", "--query", "سوريا"]);
    let names: Vec<String> = q.json()["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .map(|e| e["name"].as_str().expect("name").to_string())
        .collect();
    assert!(names.contains(&"سوريا".to_string()) && names.contains(&"العراق".to_string()));
    assert!(!names.contains(&"بغداد".to_string()), "{names:?}");
    let bad = run(&["entities", "--type", "XYZ"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn analyze_entity_shows_aliases_and_variants() {
    let r = run(&["analyze", "--entity", "--json", "لترمب"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = r.json();
    assert_eq!(json["entity"]["canonical"], "دونالد ترامب");
    let names: Vec<&str> = json["names"]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|n| n["name"].as_str())
        .collect();
    assert!(
        names.contains(&"ترمب") && names.contains(&"ترامب"),
        "{names:?}"
    );
}

#[test]
fn user_alias_file_adds_entities_and_reports_bad_lines() {
    let dir = Dir::new();
    dir.write(
        "corpus/a.jsonl",
        corpus_line("club", "فاز نادي القلعة البيضاء على منافسه")
            + &corpus_line("other", "خبر آخر"),
    );
    dir.write(
        "mine.tsv",
        "نادي الزمالك\tORG\tالقلعة البيضاء\nسطر بلا نوع\n",
    );
    let r = dir.akhbar(&[
        "search",
        "--json",
        "--aliases",
        "mine.tsv",
        "--entity",
        "نادي الزمالك",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("mine.tsv:2"), "{}", r.stderr);
    let hits = r.json()["hits"].as_array().expect("hits").clone();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["id"], "club");
}

#[test]
fn an_alias_file_newer_than_the_index_falls_back_to_phrases() {
    let dir = Dir::new();
    dir.write(
        "corpus/a.jsonl",
        corpus_line("club", "فاز نادي القلعة البيضاء على منافسه")
            + &corpus_line("other", "خبر آخر"),
    );
    assert_eq!(dir.akhbar(&["index", "--quiet"]).code, 0);
    dir.write("mine.tsv", "نادي الزمالك\tORG\tالقلعة البيضاء\n");
    let r = dir.akhbar(&[
        "search",
        "--json",
        "--aliases",
        "mine.tsv",
        "--entity",
        "نادي الزمالك",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = r.json();
    assert_eq!(json["hits"][0]["id"], "club", "{json}");
    assert!(json["warnings"][0]
        .as_str()
        .expect("warning")
        .contains("--rebuild"));
}
