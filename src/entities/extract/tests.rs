//! Entity extraction tables: text, and the entities (and mention counts)
//! that must or must not be found.

use std::sync::Arc;

use super::*;

fn extractor() -> Extractor {
    Extractor::new(Arc::new(AliasTable::builtin()))
}

fn names(text: &str) -> Vec<(String, usize)> {
    extractor()
        .extract(&[text])
        .into_iter()
        .map(|(f, _)| (f.name, f.mentions.len()))
        .collect()
}

fn has(text: &str, name: &str) -> bool {
    names(text).iter().any(|(n, _)| n == name)
}

#[test]
fn clitics_before_one_and_multi_word_names() {
    let cases: &[(&str, &str)] = &[
        ("زار الوفد وبغداد", "بغداد"),
        ("ثم فبغداد", "بغداد"),
        ("وصل ببغداد", "بغداد"),
        ("رسالة لبغداد", "بغداد"),
        ("مدن كبغداد", "بغداد"),
        ("عاد إلى العراق", "العراق"),
        ("وبالعراق أيضا", "العراق"),
        ("قال ممثل الأمم المتحدة", "الأمم المتحدة"),
        ("رسالة للأمم المتحدة", "الأمم المتحدة"),
        ("وللأمم المتحدة دور", "الأمم المتحدة"),
        ("وبالأمم المتحدة", "الأمم المتحدة"),
        ("دعم لقوات سوريا الديمقراطية", "قوات سوريا الديمقراطية"),
        ("واتهمت وداعش", "تنظيم الدولة الإسلامية"),
        ("التقى بترامب", "دونالد ترامب"),
    ];
    for (text, name) in cases {
        assert!(
            has(text, name),
            "{text:?} should name {name}: {:?}",
            names(text)
        );
    }
}

#[test]
fn aliases_map_to_the_canonical_entity() {
    let found = names("قالت قسد إن قوات سوريا الديمقراطية ستنسحب، وأكد ترمب وترامب ذلك");
    let sdf = found.iter().find(|(n, _)| n == "قوات سوريا الديمقراطية");
    assert_eq!(sdf.map(|s| s.1), Some(2), "{found:?}");
    let trump = found.iter().find(|(n, _)| n == "دونالد ترامب");
    assert_eq!(trump.map(|s| s.1), Some(2), "{found:?}");
}

#[test]
fn a_name_inside_a_longer_name_counts_for_the_longer_one() {
    let found = names("اجتمع وزراء جامعة الدول العربية في القاهرة");
    assert!(
        found.iter().any(|(n, _)| n == "جامعة الدول العربية"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(n, _)| n == "الدول العربية"),
        "{found:?}"
    );
}

#[test]
fn common_words_sharing_letters_are_not_names() {
    for (text, name) in [
        ("قدم فكرة جديدة", "دونالد ترامب"),
        ("لبن وجبن", "لبنان"),
        ("مصري الأصل", "مصر"),
        ("قضية العراقيين", "العراق"),
    ] {
        assert!(
            !has(text, name),
            "{text:?} must not name {name}: {:?}",
            names(text)
        );
    }
}

#[test]
fn new_names_after_trigger_words() {
    let cases: &[(&str, &str, EntityType)] = &[
        (
            "قال الرئيس الكيني وليام روتو إن",
            "وليام",
            EntityType::Person,
        ),
        (
            "أعلنت حركة الجهاد المتجدد مسؤوليتها",
            "حركه الجهاد المتجدد",
            EntityType::Organisation,
        ),
        (
            "في مدينة تمنراست الجزائرية",
            "تمنراست",
            EntityType::Location,
        ),
        (
            "أكد وزير الخارجية كريم منصور أن",
            "كريم",
            EntityType::Person,
        ),
    ];
    for (text, name, kind) in cases {
        let found = extractor().extract(&[text]);
        assert!(
            found
                .iter()
                .any(|(f, _)| f.name.starts_with(name) && f.kind == *kind && !f.known),
            "{text:?}: {found:?}"
        );
    }
}

#[test]
fn mentions_are_byte_ranges_of_original_words() {
    let text = "قالَ مُمثِّلُ لِلأُمَمِ المُتَّحِدَةِ";
    let found = extractor().extract(&[text]);
    let un = found
        .iter()
        .find(|(f, _)| f.name == "الأمم المتحدة")
        .expect("found");
    assert_eq!(&text[un.0.mentions[0].clone()], "لِلأُمَمِ المُتَّحِدَةِ");
}

/// Lines of the bundled corpus, and of the shared corpora when present.
fn sample_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(root.join("corpus"))
        .into_iter()
        .flatten()
    {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            texts.extend(text.lines().map(str::to_string));
        }
    }
    let shared = root.join("../shared/corpora");
    if shared.is_dir() {
        for entry in walkdir::WalkDir::new(&shared).into_iter().flatten() {
            if entry.path().extension().is_some_and(|e| e == "jsonl") {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    texts.extend(text.lines().take(300).map(str::to_string));
                }
            }
        }
    } else {
        eprintln!("../shared/corpora absent: checking the bundled corpus only");
    }
    texts
}

#[test]
fn fast_reading_finds_what_full_reading_finds() {
    let mut fast = extractor();
    let full = extractor();
    let mut analyzer = crate::analysis::Analyzer::Exact.build();
    let texts = sample_texts();
    let mut entities = 0;
    for text in &texts {
        let words = vec![crate::analysis::words::words(&mut analyzer, text)];
        let expected = full.extract_words(&words);
        let got = fast.extract(&[text]);
        assert_eq!(got, expected, "{text}");
        entities += got.len();
    }
    assert!(entities > 100, "the sample names entities ({entities})");
}
