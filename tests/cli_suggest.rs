//! End-to-end tests of "did you mean": misspelled queries over the
//! bundled corpus get the right word suggested, never searched instead.

mod common;

use std::path::PathBuf;

use common::{sample_index, Dir, Run};

fn index_dir() -> &'static PathBuf {
    sample_index("suggest")
}

fn search(args: &[&str]) -> Run {
    let dir = index_dir();
    let mut full = vec!["search", "--index", dir.to_str().expect("utf8")];
    full.extend(args);
    Dir::new().akhbar(&full)
}

#[test]
fn misspelled_words_get_the_right_suggestion() {
    // (query, the word suggested first, the corrected query): a letter
    // confused (ظ for ض, ت for ة, ك for ق), one dropped, a pair swapped.
    let cases = [
        ("الرياظ", "الرياض", "الرياض"),
        ("الحكومت", "الحكومة", "الحكومة"),
        ("الاقتصد", "الاقتصاد", "الاقتصاد"),
        ("القهارة", "القاهرة", "القاهرة"),
        ("دمشك", "دمشق", "دمشق"),
        ("قمة الرياظ", "الرياض", "قمة الرياض"),
    ];
    for (query, first, corrected) in cases {
        let run = search(&["--json", query]);
        assert_eq!(run.code, 0, "{query}: {}", run.stderr);
        let v = run.json();
        let suggestions = v["suggestions"].as_array().expect("suggestions");
        assert_eq!(suggestions.len(), 1, "{query}: {v}");
        assert_eq!(
            suggestions[0]["alternatives"][0]["word"], first,
            "{query}: {v}"
        );
        assert!(suggestions[0]["alternatives"][0]["articles"].as_u64() > Some(0));
        assert_eq!(v["did_you_mean"], corrected, "{query}");
        // the query itself was searched, not the suggestion
        assert_eq!(v["query"], query);
        let text = search(&[query]);
        assert!(
            text.stderr
                .contains(&format!("akhbar: note: did you mean «{corrected}»?")),
            "{query}: {}",
            text.stderr
        );
        assert!(text.stderr.contains("هل تقصد"), "{}", text.stderr);
    }
}

#[test]
fn a_misspelled_word_gets_a_suggestion_even_when_the_query_finds_articles() {
    // سوريا finds articles; الرياظ, misspelled, finds none of its own.
    let query = "سوريا أو الرياظ";
    let run = search(&["--json", query]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    assert!(v["total_hits"].as_u64() > Some(2), "{v}");
    assert_eq!(v["suggestions"][0]["word"], "الرياظ", "{v}");
    assert_eq!(v["suggestions"][0]["alternatives"][0]["word"], "الرياض");
    assert_eq!(v["did_you_mean"], "سوريا أو الرياض");
}

#[test]
fn well_spelled_queries_get_no_suggestion() {
    for query in ["الرياض", "القاهرة الاقتصاد", "الحكومة"] {
        let run = search(&["--json", query]);
        let v = run.json();
        assert!(v["total_hits"].as_u64() > Some(0), "{query}");
        assert!(v.get("suggestions").is_none(), "{query}: {v}");
        assert!(v.get("did_you_mean").is_none(), "{query}");
        let text = search(&[query]);
        assert!(!text.stderr.contains("did you mean"), "{}", text.stderr);
    }
    // nothing close: nothing suggested, and no error
    let run = search(&["--json", "قفغثظ"]);
    assert_eq!(run.code, 0);
    assert!(run.json().get("suggestions").is_none());
}

#[test]
fn misspelled_names_get_the_entity_tables_spellings_first() {
    // ترنب is one edit from ترمب and from تجنب ("avoid", in more
    // articles): a misspelled query is far more often a name, and the
    // table knows ترمب and ترامب are the same man, so both come first.
    let run = search(&["--json", "ترنب"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    let words: Vec<&str> = v["suggestions"][0]["alternatives"]
        .as_array()
        .expect("alternatives")
        .iter()
        .map(|a| a["word"].as_str().expect("word"))
        .collect();
    assert_eq!(words.first(), Some(&"ترمب"), "{v}");
    assert_eq!(words.get(1), Some(&"ترامب"), "{v}");
    assert_eq!(v["did_you_mean"], "ترمب");
    // a name the table has but no article holds is not suggested
    let run = search(&["--json", "روسبا"]);
    let text = run.stdout;
    assert!(!text.contains("\"روسيا\""), "{text}");
}
