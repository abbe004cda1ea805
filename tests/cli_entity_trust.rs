//! End-to-end tests of entities a reader can trust (issue 14): names shown
//! as written, no common words or descriptors listed, homographs kept
//! apart in both directions, names that are also common words ranked
//! after confident mentions, and what `--entity` searched in the JSON.

mod common;

use std::sync::OnceLock;

use common::Dir;
use serde_json::Value;

/// Article id, text (written for these tests).
const ARTICLES: &[(&str, &str)] = &[
    // بأن / بان (Ban Ki-moon)
    (
        "ban-name",
        "قال الأمين العام السابق بان كي مون إن العالم مقصر، وأضاف بان أن الحل سياسي",
    ),
    ("ban-that", "أكد الوزير بأن الخطة ستنفذ في موعدها"),
    // فإن / فان (Van Dijk)
    ("van-name", "سجل المدافع فيرجيل فان دايك هدف الفوز"),
    ("van-then", "فإن الفريق سيواجه منافسا قويا في الدور المقبل"),
    // على / علي
    ("ali-name", "شارك علي في المؤتمر إلى جانب زملائه"),
    ("ali-prep", "يعتمد نجاح الخطة على التمويل وعلى الدعم"),
    ("ali-khamenei", "التقى المرشد علي خامنئي قادة الجيش"),
    // إلى written carelessly الي still reads as a function word, not a name
    ("ila", "وصل الوفد إلى بغداد"),
    // حماس: the movement, with and without context, and "zeal"
    (
        "hamas-sure",
        "قالت حركة حماس إن وفدها وصل، وأكدت حماس أن المحادثات مستمرة",
    ),
    ("hamas-bare", "قالت حماس إن الاتفاق قريب"),
    ("zeal", "استقبل الجمهور الفريق بحماس كبير"),
    // a person of the table, and another person with their family name
    ("abbas-full", "استقبل الرئيس محمود عباس وفدا من رجال الأعمال"),
    ("abbas-other", "وأكد اللواء عباس كامل أن الاجتماع انتهى"),
    // descriptors and a new name written with hamza
    (
        "forces",
        "انتشرت قوات الأمن وقالت القوات المسلحة إن التنظيم الإرهابي هاجم",
    ),
    ("nazaha-1", "أعلنت هيئة النزاهة إحالة مسؤولين إلى القضاء"),
    ("nazaha-2", "قالت هيئة النزاهة إن التحقيق مستمر"),
    ("nazaha-3", "وطالبت هيئه النزاهه بالشفافية"),
    (
        "head",
        "قال رئيس مجلس الإدارة إن رئيس الوزراء وافق على الخطة",
    ),
];

fn dir() -> &'static Dir {
    static DIR: OnceLock<Dir> = OnceLock::new();
    DIR.get_or_init(|| common::indexed_bodies(ARTICLES))
}

fn entity_search(name: &str) -> Value {
    let run = dir().akhbar(&["search", "--entity", name, "--json", "--limit", "50"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn ids(answer: &Value) -> Vec<String> {
    answer["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["id"].as_str().map(str::to_string))
        .collect()
}

/// Each homograph pair both ways: found where the writer meant the name,
/// not where the writer wrote the other word.
#[test]
fn homograph_pairs_both_directions() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("بان كي مون", &["ban-name"], &["ban-that"]),
        ("بان", &["ban-name"], &["ban-that"]),
        ("فان", &["van-name"], &["van-then"]),
        ("علي", &["ali-name", "ali-khamenei"], &["ali-prep", "ila"]),
    ];
    common::assert_entity_cases(cases, |name| ids(&entity_search(name)));
}

#[test]
fn names_that_are_common_words_rank_after_confident_mentions() {
    let got = ids(&entity_search("حماس"));
    assert_eq!(
        got.first().map(String::as_str),
        Some("hamas-sure"),
        "{got:?}"
    );
    assert!(got.iter().any(|g| g == "hamas-bare"), "{got:?}");
    // «بحماس كبير» is zeal; a plain string match would find it, and the
    // weak mention is found only as one: never before a confident one
    let pos = |id: &str| got.iter().position(|g| g == id);
    if let Some(zeal) = pos("zeal") {
        assert!(zeal > 0, "{got:?}");
    }
    // listed entities leave the weak mention out
    let all = dir()
        .akhbar(&["search", "zztest", "--json", "--limit", "50"])
        .json();
    let listed = |id: &str| -> Vec<String> {
        all["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|h| h["id"] == id)
            .flat_map(|h| h["entities"].as_array().cloned().unwrap_or_default())
            .filter_map(|e| e["name"].as_str().map(str::to_string))
            .collect()
    };
    assert!(listed("hamas-sure").contains(&"حركة حماس".to_string()));
    assert!(!listed("hamas-bare").contains(&"حركة حماس".to_string()));
    assert!(!listed("zeal").contains(&"حركة حماس".to_string()));
}

/// A family name alone is not the person: عباس may be anybody's first or
/// family name (on the shared corpora, most articles with عباس and not
/// محمود عباس name somebody else).
#[test]
fn a_family_name_alone_is_not_the_person() {
    let got = ids(&entity_search("محمود عباس"));
    assert_eq!(got, vec!["abbas-full"], "{got:?}");
}

#[test]
fn json_says_what_was_searched() {
    let table = entity_search("قسد");
    assert_eq!(table["entity"]["canonical"], "قوات سوريا الديمقراطية");
    assert_eq!(table["entity"]["type"], "ORG");
    assert!(table["entity"]["aliases"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x == "قسد")));
    assert!(table.get("entity_reason").is_none(), "{table}");
    let phrase = entity_search("هيئة النزاهة");
    assert!(phrase["entity"].is_null(), "{phrase}");
    assert!(phrase["entity_reason"]
        .as_str()
        .is_some_and(|r| r.contains("not in the alias table")));
    let plain = dir().akhbar(&["search", "النزاهة", "--json"]).json();
    assert!(plain.get("entity").is_none(), "{plain}");
}

#[test]
fn entities_are_shown_as_written_without_descriptors() {
    let run = dir().akhbar(&["entities", "--json", "--top", "50"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed: Vec<String> = run.json()["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect();
    for bad in [
        "هيءه",
        "قوات الامن",
        "قوات الأمن",
        "المسلحة",
        "الإرهابي",
        "مجلس",
        "وزراء",
    ] {
        assert!(
            !listed.iter().any(|n| n.contains(bad)),
            "{bad} in {listed:?}"
        );
    }
    // the same in a search's facets
    let facets = dir()
        .akhbar(&["search", "النزاهة", "--facets", "--json"])
        .json();
    let names: Vec<&str> = facets["facets"]["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(!names.iter().any(|n| n.contains("هيءه")), "{facets}");
}

/// A new organisation's name is listed in the spelling two of three
/// articles use, with hamza and ة. Known miss since issue 29: the span
/// model, trained on silver labels where new organisations are rare, does
/// not take «هيئة النزاهة» as a name (BENCHMARKS.md, issue 29).
#[test]
#[ignore = "known miss of the span model (issue 29): run with --ignored"]
fn new_organisation_is_listed_as_written() {
    let run = dir().akhbar(&["entities", "--json", "--top", "50"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed: Vec<String> = run.json()["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect();
    assert!(listed.contains(&"هيئة النزاهة".to_string()), "{listed:?}");
    let facets = dir()
        .akhbar(&["search", "النزاهة", "--facets", "--json"])
        .json();
    let names: Vec<&str> = facets["facets"]["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(names, vec!["هيئة النزاهة"], "{facets}");
}
