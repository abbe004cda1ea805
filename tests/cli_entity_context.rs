//! End-to-end tests of entities decided in context (issue 29): `--entity
//! علي` on articles that write every ى as ي, عمان as Amman or Oman, the
//! place names that are also common words, and `akhbar train-entities`.

mod common;

use std::sync::OnceLock;

use common::Dir;
use serde_json::{json, Value};

/// Article id, text (written for these tests). The ya-… articles write ى
/// as ي throughout, as some writers and sites do.
const ARTICLES: &[(&str, &str)] = &[
    (
        "ya-name",
        "وصل علي إلي الملعب متأخرا فلم يشارك في التدريب الأخير، وقال علي للصحفيين إنه سيعود الأسبوع المقبل",
    ),
    (
        "ya-prep",
        "ردت الوزارة علي الانتقادات وقالت إنها ستعمل علي حل الأزمة وعلي دعم المزارعين حتي نهاية العام",
    ),
    (
        "ya-minister",
        "أكد وزير الزراعة علي ضرورة الحفاظ علي المياه الجوفية وحث المزارعين علي ترشيد الاستهلاك",
    ),
    (
        "amman",
        "افتتح معرض للكتاب في عمان بمشاركة دور نشر أردنية، وقال وزير الثقافة الأردني إن المعرض يستمر أسبوعا",
    ),
    (
        "oman",
        "أعلنت سلطنة عمان توقيع اتفاقية بحرية في مسقط، وقال مسؤول عماني إن عمان ستواصل وساطتها",
    ),
    (
        "diameter",
        "يبلغ قطر الأنبوب الجديد ثلاثين سنتيمترا ويمتد لمسافة عشرة كيلومترات تحت الأرض",
    ),
    (
        "qatar",
        "وصل أمير قطر إلى الكويت في زيارة رسمية، وبحث مع المسؤولين العلاقات بين قطر والكويت",
    ),
    (
        "prayer",
        "خرج المصلون بعد صلاة المغرب في مسيرة صامتة نحو ساحة البلدية",
    ),
    (
        "morocco",
        "فاز منتخب المغرب على منتخب الجزائر بهدفين، واحتفلت جماهير المغرب في الشوارع",
    ),
];

fn dir() -> &'static Dir {
    static DIR: OnceLock<Dir> = OnceLock::new();
    DIR.get_or_init(|| common::indexed_bodies(ARTICLES))
}

fn entity_ids(name: &str) -> Vec<String> {
    let run = dir().akhbar(&["search", "--entity", name, "--json", "--limit", "50"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.hit_ids()
}

/// (name searched, articles that must be found, articles that must not).
#[test]
fn names_decided_by_their_sentence() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("علي", &["ya-name"], &["ya-prep", "ya-minister"]),
        ("قطر", &["qatar"], &["diameter"]),
        ("المغرب", &["morocco"], &["prayer"]),
        ("سلطنة عمان", &["oman"], &["amman"]),
    ];
    common::assert_entity_cases(cases, entity_ids);
}

/// The chips of each article: what `search --json` lists as its entities.
fn listed(id: &str) -> Vec<String> {
    let all: Value = dir()
        .akhbar(&["search", "zztest", "--json", "--limit", "50"])
        .json();
    all["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|h| h["id"] == id)
        .flat_map(|h| h["entities"].as_array().cloned().unwrap_or_default())
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn amman_and_oman_are_two_entities() {
    let amman = listed("amman");
    let oman = listed("oman");
    assert!(amman.iter().any(|n| n == "عمان"), "{amman:?}");
    assert!(!amman.iter().any(|n| n == "سلطنة عمان"), "{amman:?}");
    assert!(oman.iter().any(|n| n == "سلطنة عمان"), "{oman:?}");
    assert!(!oman.iter().any(|n| n == "عمان"), "{oman:?}");
    let words = listed("diameter");
    assert!(!words.iter().any(|n| n == "قطر"), "{words:?}");
    let prayer = listed("prayer");
    assert!(!prayer.iter().any(|n| n == "المغرب"), "{prayer:?}");
}

#[test]
fn train_entities_writes_a_model_and_names_a_missing_folder() {
    let dir = Dir::new();
    let run = dir.akhbar(&[
        "train-entities",
        "--corpora",
        "no-such-folder",
        "--out",
        "m.tsv",
    ]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("no-such-folder"), "{}", run.stderr);
    let text: String = ARTICLES
        .iter()
        .map(|(id, body)| json!({"id": id, "title": "", "body": body}).to_string() + "\n")
        .collect();
    dir.write("train/news.jsonl", text);
    let run = dir.akhbar(&["train-entities", "--corpora", "train", "--out", "m.tsv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let model = std::fs::read_to_string(dir.path().join("m.tsv")).expect("model written");
    assert!(model.contains("meta\tfeatures\t"), "{model}");
    assert!(model.contains("meta\tarticles\t"), "{model}");
}
