//! End-to-end tests of fuzzy matching on request: `word~` and `--fuzzy`
//! match words one edit away (over normalized letters) for words of four
//! letters or more, over the bundled corpus.

mod common;

use std::path::PathBuf;

use common::{sample_index, Dir, Run};

fn index_dir() -> &'static PathBuf {
    sample_index("fuzzy")
}

fn search(args: &[&str]) -> Run {
    let dir = index_dir();
    let mut full = vec!["search", "--index", dir.to_str().expect("utf8"), "--json"];
    full.extend(args);
    Dir::new().akhbar(&full)
}

/// The hit ids of a successful search.
fn ids(run: &Run) -> Vec<String> {
    run.hit_ids()
}

#[test]
fn a_misspelled_word_with_a_tilde_finds_the_word_meant() {
    // (typed, the word meant): a letter confused, changed, dropped, a
    // pair swapped; each finds what the word meant finds.
    let cases = [
        ("الرياظ", "الرياض"),
        ("المفاوظات", "المفاوضات"),
        ("القهارة", "القاهرة"),
        ("ترنب", "ترمب"),
        ("اوكرنيا", "أوكرانيا"),
    ];
    for (typed, meant) in cases {
        let plain = ids(&search(&["-n", "100", typed]));
        assert!(plain.is_empty(), "{typed} alone finds nothing: {plain:?}");
        let wanted = ids(&search(&["-n", "100", meant]));
        assert!(!wanted.is_empty(), "{meant}");
        let tilde = format!("{typed}~");
        let fuzzy = ids(&search(&["-n", "100", &tilde]));
        for id in &wanted {
            assert!(
                fuzzy.contains(id),
                "{tilde} lacks {id} ({meant}): {fuzzy:?}"
            );
        }
        assert_eq!(
            ids(&search(&["-n", "100", "--fuzzy", typed])),
            fuzzy,
            "--fuzzy {typed}"
        );
    }
}

#[test]
fn fuzzy_words_are_highlighted_and_combine_with_the_rest_of_the_query() {
    let run = search(&["title:مفاوظات~ غزة"]);
    let v = run.json();
    let hits = v["hits"].as_array().expect("hits");
    assert!(!hits.is_empty(), "{v}");
    for h in hits {
        let title = h["title"].as_str().expect("title");
        assert!(
            title.contains("مفاوضات") || title.contains("المفاوضات"),
            "{title}"
        );
        let marks = h["title_highlights"].as_array().expect("marks");
        assert!(!marks.is_empty(), "{h}");
    }
    // a negated fuzzy word excludes the words one edit away too
    let with = ids(&search(&["-n", "100", "غزة"]));
    let without = ids(&search(&["-n", "100", "غزة -المفاوظات~"]));
    assert!(without.len() < with.len(), "{with:?} / {without:?}");
}

#[test]
fn short_words_match_as_written_and_say_so() {
    let exact = ids(&search(&["-n", "100", "قطر"]));
    let run = search(&["-n", "100", "قطر~"]);
    assert_eq!(ids(&run), exact);
    assert!(
        run.json()["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("under 4 letters"))),
        "{}",
        run.stdout
    );
}

#[test]
fn without_the_tilde_or_flag_nothing_is_widened() {
    assert!(ids(&search(&["الرياظ"])).is_empty());
    assert!(
        ids(&search(&["\"الرياظ\"", "--fuzzy"])).is_empty(),
        "phrases stay exact"
    );
}
