//! Analyzer-level tests: query and document forms meet (or stay apart),
//! readings share a position, and offsets always slice the original word.

use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::analysis::normalized::TextNormalizer;

fn terms(analyzer: Analyzer, text: &str) -> HashSet<String> {
    tokens(&mut analyzer.build(), text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

fn meet(analyzer: Analyzer, query: &str, doc: &str) -> bool {
    !terms(analyzer, query).is_disjoint(&terms(analyzer, doc))
}

/// Query word, document word: the keyword analyzer must make them meet.
const KEYWORD_MEET: &[(&str, &str)] = &[
    ("المعتقلين", "معتقلون"),
    ("الأسد", "الاسد"),
    ("الأسد", "والأسد"),
    ("لبنان", "للبنان"),
    ("لبنان", "ولبنان"),
    ("لبنان", "اللبنانيين"),
    ("العراق", "بالعراق"),
    ("بالعراق", "العراق"),
    ("داعش", "وداعش"),
    ("داعش", "لداعش"),
    ("مسؤول", "مسئول"),
    ("شؤون", "شئون"),
    ("شيء", "شئ"),
    ("مستشفى", "مستشفي"),
    ("مستشفى", "المستشفيات"),
    ("القاهرة", "بالقاهره"),
    ("الحكومة", "والحكومه"),
    ("الاقتصاد", "الاقتصـــاد"),
    ("وزير", "الوزيرة"),
    ("٢٠٢٤", "2024"),
    ("۲۰۲۴", "2024"),
    ("اللاعبين", "لاعبان"),
    ("الانتخابات", "انتخابات"),
    ("واشنطن", "وواشنطن"),
    ("قوات", "لقوات"),
    ("الأمم", "للأمم"),
    ("كالعادة", "العادة"),
    ("Google", "google"),
    ("café", "cafe"),
    ("ﺑﻐﺪاد", "بغداد"),
];

/// Pairs that must not meet under the keyword analyzer.
const KEYWORD_APART: &[(&str, &str)] = &[
    ("كرة", "فكرة"),
    ("جنة", "لجنة"),
    ("بنان", "لبنان"),
    ("زير", "وزير"),
    ("وتين", "بوتين"),
    ("اشنطن", "واشنطن"),
    ("لبن", "لبنان"),
    ("سأل", "سائل"),
    ("هام", "إلهام"),
];

#[test]
fn keyword_meets() {
    for (query, doc) in KEYWORD_MEET {
        assert!(
            meet(Analyzer::Keyword, query, doc),
            "{query} should find {doc}"
        );
    }
}

#[test]
fn keyword_apart() {
    for (query, doc) in KEYWORD_APART {
        assert!(
            !meet(Analyzer::Keyword, query, doc),
            "{query} must not find {doc}"
        );
    }
}

#[test]
fn exact_keeps_stopwords_and_suffixes() {
    assert!(terms(Analyzer::Exact, "في").contains("في"));
    assert!(!meet(Analyzer::Exact, "المعتقلين", "معتقلون"));
    assert!(meet(Analyzer::Exact, "قوات", "لِقوات"));
    assert!(meet(Analyzer::Exact, "الديمقراطية", "والديمقراطيّة"));
}

#[test]
fn readings_share_the_word_position_and_offsets() {
    let text = "جاء وزيرُ الخارجية إلى بالعراقِ";
    let tokens = tokens(&mut Analyzer::Exact.build(), text);
    let readings: Vec<_> = tokens.iter().filter(|t| t.position == 4).collect();
    assert!(readings.len() >= 3, "{readings:?}");
    for t in readings {
        assert_eq!(&text[t.offset_from..t.offset_to], "بالعراقِ");
    }
}

#[test]
fn tantivy_snowball_damages_names_ours_does_not() {
    // The baseline we compare against: Snowball's Arabic stemmer.
    use tantivy::tokenizer::{Language, SimpleTokenizer, Stemmer};
    let mut snowball = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(Stemmer::new(Language::Arabic))
        .build();
    let snow: Vec<String> = tokens(&mut snowball, "بوتين")
        .into_iter()
        .map(|t| t.text)
        .collect();
    assert_ne!(
        snow,
        vec!["بوتين".to_string()],
        "snowball changed its behaviour"
    );
    assert!(terms(Analyzer::Keyword, "بوتين").contains("بوتين"));
}

#[test]
fn long_tokens_dropped_by_characters() {
    let word = "ب".repeat(41);
    assert!(terms(Analyzer::Exact, &word).is_empty());
    let ok = "ب".repeat(30); // 60 bytes, 30 characters: kept
    assert!(terms(Analyzer::Exact, &ok).contains(&ok));
}

/// Terms and positions, in order.
fn stream(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
    tokens(analyzer, text)
        .into_iter()
        .map(|t| (t.text, t.position))
        .collect()
}

/// The index analyzer over the slot text gives what the full exact
/// pipeline gives over the original text.
fn same_through_slots(text: &str) -> Result<(), String> {
    let norm = TextNormalizer::default().read(text);
    let full = stream(&mut Analyzer::Exact.build(), text);
    let slots = stream(&mut index_analyzer(), &norm.slots);
    if full != slots {
        return Err(format!("{text:?}: {full:?} != {slots:?}"));
    }
    Ok(())
}

#[test]
fn index_analyzer_over_slot_texts_matches_the_exact_pipeline() {
    let long = "ك".repeat(45);
    let texts = [
        "وَلِلْمُعْتَقَلِينَ في سُورِيَا".to_string(),
        "قال الرئيسُ الأمريكيُّ دونالد ترمب، إنّ «الاتفاق» سيُوقَّع.".to_string(),
        "Google's CEO met ٢٠٢٤ delegates; e-mail: a.b@c.d 3.5%".to_string(),
        format!("كلمة {long} أخرى {long}"),
        "ﻻ ﷲ ﷺ ﹶ بِـــسْمِ".to_string(),
        "\u{200F}وللأمم\u{200E} المتحدة\u{00AD}".to_string(),
        String::new(),
    ];
    for text in &texts {
        same_through_slots(text).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn names_are_versioned() {
    assert!(INDEX_ANALYZER.ends_with(&format!("_v{ANALYZER_VERSION}")));
    for a in Analyzer::ALL {
        assert!(a.name().ends_with(&format!("_v{ANALYZER_VERSION}")));
        assert_eq!(Analyzer::from_name(a.short_name()), Some(a));
    }
}

proptest! {
    #[test]
    fn slot_texts_analyze_like_originals(
        text in "\\PC{0,60}|[\u{0600}-\u{06FF}\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF}\u{200B}-\u{200F} a-z0-9.']{0,80}"
    ) {
        let same = same_through_slots(&text);
        prop_assert!(same.is_ok(), "{:?}", same);
    }

    #[test]
    fn offsets_slice_whole_words_on_char_boundaries(text in "\\PC{0,60}") {
        for analyzer in Analyzer::ALL {
            for t in tokens(&mut analyzer.build(), &text) {
                prop_assert!(t.offset_from < t.offset_to);
                prop_assert!(text.is_char_boundary(t.offset_from));
                prop_assert!(text.is_char_boundary(t.offset_to));
                prop_assert!(!t.text.is_empty());
            }
        }
    }

    #[test]
    fn arabic_soup_never_panics(text in "[\u{0600}-\u{06FF}\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF}\u{200B}-\u{200F} ]{0,80}") {
        for analyzer in Analyzer::ALL {
            for t in tokens(&mut analyzer.build(), &text) {
                prop_assert!(text.is_char_boundary(t.offset_from));
                prop_assert!(text.is_char_boundary(t.offset_to));
            }
        }
    }

    #[test]
    fn normalization_is_idempotent(text in "\\PC{0,40}|[\u{0600}-\u{06FF}\u{FB50}-\u{FEFF}]{0,40}") {
        let once = crate::analysis::normalize(&text);
        prop_assert_eq!(crate::analysis::normalize(&once), once.clone());
    }
}
