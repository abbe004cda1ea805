//! End-to-end tests of `akhbar search` and `akhbar stats` on the bundled
//! corpus (see tests/CORPUS-MANIFEST.md for where each form occurs).

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use common::{copy_sample_corpus, sample_corpus, Dir, Run};
use serde_json::Value;

/// One index of the sample corpus, built once for this test binary.
fn index_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("search-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .args(["index", "--quiet", "--index"])
            .arg(&dir)
            .arg(sample_corpus())
            .output()
            .expect("run akhbar index");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

/// Runs `akhbar COMMAND --index DIR ARGS…` against the shared index.
fn akhbar(command: &str, args: &[&str]) -> Run {
    let dir = index_dir();
    let mut full = vec![command, "--index", dir.to_str().expect("utf8 path")];
    full.extend(args);
    Dir::new().akhbar(&full)
}

fn search(query: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--json"];
    if !extra.contains(&"--limit") {
        args.extend(["--limit", "100"]);
    }
    args.extend(extra);
    args.extend(["--", query]);
    let run = akhbar("search", &args);
    assert_eq!(run.code, 0, "query {query:?}: {}", run.stderr);
    run.json()
}

fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let id = h["id"].as_str().expect("id");
            // .txt articles are identified by their path under corpus/
            id.trim_start_matches("txt/").to_string()
        })
        .collect()
}

fn finds(query: &str, id_prefix: &str) -> bool {
    ids(&search(query, &[]))
        .iter()
        .any(|i| i.starts_with(id_prefix))
}

/// Query, an article written in the other form that it must find.
const NORMALIZATION_CASES: &[(&str, &str, &str)] = &[
    ("diacritics in the text", "الخارجية الأردني", "006-vowelled"),
    ("diacritics in the query", "القَاهِرَةَ الاقتصاد", "004-egypt"),
    ("alef: ا finds أ", "الاردن", "001-arab-summit"),
    ("alef: أ finds ا", "الأردن", "008-zarqa"),
    ("alef: إ finds ا", "إسرائيل", "riwaq-2025-0019"),
    ("alef: آ finds ا", "آلاف", "008-zarqa"),
    ("yaa: ى finds ي", "مستشفى", "008-zarqa"),
    ("yaa: ي finds ى", "مصطفي", "marsad-2024-0107"),
    ("taa marbuta: ه finds ة", "الحكومه", "004-egypt"),
    ("taa marbuta: ة finds ه", "القاهرة", "riwaq-2025-0019"),
    ("tatweel in the text", "الاقتصاد مصر", "004-egypt"),
    (
        "tatweel in the text (plural)",
        "الانتخابات ليبيا",
        "019-arab-league",
    ),
    ("tatweel in the query", "الحمـــلة", "023-saudi"),
    ("Arabic-Indic digits in the text", "2024", "008-zarqa"),
    ("Persian digits in the text", "2024", "010-iraq"),
    ("Arabic-Indic digits in the query", "٢٠٢٥", "afaq-2025-0031"),
    ("hamza seat: ؤ finds ئ", "مسؤول", "005-egypt"),
    ("hamza seat: ئ finds ؤ", "شئون", "afaq-2024-0058"),
    ("hamza seat: شيء finds شئ", "شيء", "005-egypt"),
    ("invisible marks in the text", "المانحة", "011-lebanon"),
    ("clitic in the query", "بالقاهرة", "004-egypt"),
    ("clitic in the text", "لبنان", "011-lebanon"),
    ("clitic لل in the query", "للبنان", "riwaq-2025-0102"),
    ("plural finds singular", "المعتقلين", "002-sdf"),
    ("dual finds plural", "لاعبان", "015-wydad"),
    ("singular finds dual", "لاعب", "afaq-2023-0150"),
    ("feminine finds masculine", "الوزيرة", "008-zarqa"),
];

#[test]
fn every_normalization_class_finds_the_other_form() {
    let failures: Vec<String> = NORMALIZATION_CASES
        .iter()
        .filter(|(_, query, id)| !finds(query, id))
        .map(|(what, query, id)| format!("{what}: {query:?} did not find {id}"))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn phrase_needs_the_words_in_order() {
    let phrase = ids(&search("\"قوات سوريا الديمقراطية\"", &[]));
    assert!(
        phrase.iter().any(|i| i.starts_with("002-sdf")),
        "{phrase:?}"
    );
    assert!(
        phrase.iter().any(|i| i == "nahar-2025-0140"),
        "clitic لقوات: {phrase:?}"
    );
    assert!(
        !phrase.iter().any(|i| i.starts_with("003-damascus")),
        "{phrase:?}"
    );
    let words = ids(&search("قوات سوريا الديمقراطية", &[]));
    assert!(
        words.iter().any(|i| i.starts_with("003-damascus")),
        "{words:?}"
    );
    let guillemets = ids(&search("«الديمقراطية في سوريا»", &[]));
    assert!(
        guillemets.iter().any(|i| i.starts_with("003-damascus")),
        "{guillemets:?}"
    );
    assert!(
        !guillemets.iter().any(|i| i.starts_with("002-sdf")),
        "{guillemets:?}"
    );
}

#[test]
fn minus_and_not_exclude() {
    let all = ids(&search("سوريا", &[]));
    assert!(all.iter().any(|i| i.starts_with("003-damascus")));
    for query in ["سوريا -الأسد", "سوريا NOT الأسد"] {
        let without = ids(&search(query, &[]));
        assert!(!without.is_empty(), "{query}");
        assert!(
            !without.iter().any(|i| i.starts_with("003-damascus")),
            "{query}: {without:?}"
        );
        assert!(without.len() < all.len());
    }
}

#[test]
fn or_in_latin_and_arabic() {
    for query in ["ترامب OR ترمب", "ترامب أو ترمب"] {
        let found = ids(&search(query, &[]));
        assert!(
            found.iter().any(|i| i.starts_with("013-trump")),
            "{query}: {found:?}"
        );
        assert!(
            found.iter().any(|i| i == "afaq-2025-0031"),
            "{query}: {found:?}"
        );
    }
    // One spelling alone also finds the other (another spelling of a
    // person's name in the alias table, issue 30), after the article that
    // writes it as typed.
    let only_one = ids(&search("ترامب", &[]));
    let at = |id: &str| only_one.iter().position(|i| i.starts_with(id));
    assert!(at("013-trump").is_some(), "{only_one:?}");
    assert!(at("afaq-2025-0031") > at("013-trump"), "{only_one:?}");
}

#[test]
fn date_filters() {
    let all = search("سوريا", &[]);
    let recent = search("سوريا", &["--from", "2025-01-01"]);
    let old = search("سوريا", &["--to", "2024-12-31"]);
    let total = all["total_hits"].as_u64().expect("total");
    let (r, o) = (
        recent["total_hits"].as_u64().expect("total"),
        old["total_hits"].as_u64().expect("total"),
    );
    assert!(r > 0 && o > 0, "{r} {o}");
    assert_eq!(
        r + o,
        total,
        "every article has a date, split at the new year"
    );
    for hit in recent["hits"].as_array().expect("hits") {
        assert!(hit["date"].as_str().expect("date") >= "2025-01-01", "{hit}");
    }
    for hit in old["hits"].as_array().expect("hits") {
        assert!(hit["date"].as_str().expect("date") <= "2024-12-31", "{hit}");
    }
    // --to is inclusive of the whole day
    let day = ids(&search(
        "سوريا",
        &["--from", "2023-09-04", "--to", "2023-09-04"],
    ));
    assert_eq!(day, vec!["002-sdf-raid-deir-ezzor.txt"]);
}

#[test]
fn source_filter_and_prefix() {
    let filtered = search("سوريا", &["--source", "قناة الرواق"]);
    let hits = filtered["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    for hit in hits {
        assert_eq!(hit["source"], "قناة الرواق");
    }
    let prefixed = search("سوريا source:\"قناة الرواق\"", &[]);
    assert_eq!(prefixed["total_hits"], filtered["total_hits"]);
}

#[test]
fn title_prefix_limits_to_titles() {
    let results = search("title:المعتقلين", &[]);
    let hits = results["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    for hit in hits {
        assert!(
            !hit["title_highlights"]
                .as_array()
                .expect("array")
                .is_empty(),
            "{hit}"
        );
    }
}

/// True when `text[start..end]` is a whole word: not preceded or followed by
/// a letter, digit or combining mark.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let inside_word = |c: char| c.is_alphanumeric() || ('\u{064B}'..='\u{065F}').contains(&c);
    !before.is_some_and(inside_word) && !after.is_some_and(inside_word)
}

#[test]
fn json_highlights_slice_whole_original_words() {
    let cases: &[(&str, &[&str])] = &[
        ("المعتقلين", &["المعتقلين", "المعتقلون", "معتقل", "معتقلون"]),
        ("الخارجية", &["الخَارِجِيَّةِ", "الخارجية"]),
        ("الاقتصاد", &["الاقتصـــاد", "الاقتصاد", "والاقتصاد", "للاقتصاد"]),
    ];
    for (query, allowed_examples) in cases {
        let results = search(query, &[]);
        let mut seen = Vec::new();
        for hit in results["hits"].as_array().expect("hits") {
            for snippet in hit["snippets"].as_array().expect("snippets") {
                let text = snippet["text"].as_str().expect("text");
                for pair in snippet["highlights"].as_array().expect("highlights") {
                    let start = pair[0].as_u64().expect("start") as usize;
                    let end = pair[1].as_u64().expect("end") as usize;
                    assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
                    assert!(
                        whole_word(text, start, end),
                        "{query}: {:?}",
                        &text[start..end]
                    );
                    seen.push(text[start..end].to_string());
                }
            }
        }
        assert!(
            allowed_examples.iter().any(|e| seen.iter().any(|s| s == e)),
            "{query}: highlighted {seen:?}"
        );
    }
}

#[test]
fn exact_form_ranks_above_stemmed_form() {
    let found = ids(&search("المعتقلين", &[]));
    let exact = found
        .iter()
        .position(|i| i == "afaq-2024-0058")
        .expect("exact form found");
    let stemmed = found
        .iter()
        .position(|i| i.starts_with("002-sdf"))
        .expect("stemmed form found");
    assert!(exact < stemmed, "{found:?}");
}

#[test]
fn limit_and_offset_page_through_results() {
    let all = ids(&search("سوريا", &[]));
    assert!(all.len() >= 3);
    let page = ids(&search("سوريا", &["--limit", "2", "--offset", "1"]));
    assert_eq!(page, all[1..3].to_vec());
}

#[test]
fn text_output_marks_matches_without_colour_when_piped() {
    let run = akhbar("search", &["بيروت"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("[بيروت"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'));
    assert!(!run.stdout.contains('\u{200F}') || run.stdout.contains("[بيروت\u{200F}]"));
}

#[test]
fn hostile_queries_never_crash() {
    let queries = [
        "\"",
        "(((",
        ")))",
        "-",
        "--",
        "OR OR",
        "title:",
        "source:",
        "\"\"\"",
        "ـــ",
        "َ",
        "\u{200F}",
        "NOT NOT NOT x",
        "(سوريا OR",
        "سوريا) OR (",
        "a:b:c",
        "\\",
        "*",
        "?",
        "~2",
        "title:\"",
        "سوريا -",
        "🙂",
        "ﷺ",
    ];
    for q in queries {
        let run = akhbar("search", &["--json", "--", q]);
        assert!(
            run.code == 0 || run.code == 2,
            "{q:?}: exit {} {}",
            run.code,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{q:?}: {}", run.stderr);
        if run.code == 2 {
            assert_eq!(run.stderr.lines().count(), 1, "{q:?}: {}", run.stderr);
        }
    }
}

#[test]
fn stats_reports_the_corpus() {
    let run = akhbar("stats", &["--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stats = run.json();
    // 46 articles in txt/ and jsonl/, 7 in the scraped pages of pages/.
    assert_eq!(stats["articles"], 53);
    assert_eq!(stats["first_date"], "2023-04-13");
    assert_eq!(stats["last_date"], "2025-11-14");
    assert_eq!(stats["top_sources"][0][0], "صحيفة الأفق");
    assert_eq!(stats["top_sources"][0][1], 13);
}

#[test]
fn stats_keeps_its_term_count_for_the_same_segments() {
    let dir = Dir::new();
    copy_sample_corpus(&dir);
    let run = dir.akhbar(&["index", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let terms = || {
        let run = dir.akhbar(&["stats", "--json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()["distinct_terms"]
            .as_u64()
            .expect("distinct_terms")
    };
    let counted = terms();
    assert!(counted > 1000, "{counted}");
    let kept = dir.path().join("index/akhbar-terms.txt");
    let text = std::fs::read_to_string(&kept).expect("the count is kept");
    let (segments, n) = text
        .trim_end()
        .rsplit_once(' ')
        .expect("segments and count");
    assert_eq!(n, counted.to_string());
    // read back, not counted again, while the segments are the same
    std::fs::write(&kept, format!("{segments} 7\n")).expect("write");
    assert_eq!(terms(), 7);
    // counted again over other segments
    std::fs::write(&kept, "0123 7\n").expect("write");
    assert_eq!(terms(), counted);
}

#[test]
fn first_search_builds_the_index_from_corpus() {
    let dir = Dir::new();
    copy_sample_corpus(&dir);
    let run = dir.akhbar(&["search", "--json", "بيروت"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("building index/ from corpus/"),
        "{}",
        run.stderr
    );
    assert!(run.json()["total_hits"].as_u64().expect("total") > 0);
    assert!(dir.path().join("index/akhbar.json").exists());
}

#[test]
fn missing_named_index_is_a_clear_error() {
    let dir = Dir::new();
    let run = dir.akhbar(&["search", "--index", "nowhere", "بيروت"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("akhbar index"), "{}", run.stderr);
}

#[test]
fn common_words_are_ignored_with_a_note_unless_quoted() {
    let with = search("بيروت في", &[]);
    let without = search("بيروت", &[]);
    assert_eq!(with["total_hits"], without["total_hits"]);
    assert!(
        with["warnings"][0].as_str().expect("note").contains("في"),
        "{with}"
    );
    for hit in with["hits"].as_array().expect("hits") {
        for snippet in hit["snippets"].as_array().expect("snippets") {
            let text = snippet["text"].as_str().expect("text");
            for pair in snippet["highlights"].as_array().expect("highlights") {
                let (s, e) = (
                    pair[0].as_u64().expect("s") as usize,
                    pair[1].as_u64().expect("e") as usize,
                );
                assert_ne!(&text[s..e], "في", "a stopword was highlighted");
            }
        }
    }
    let alone = akhbar("search", &["--", "في"]);
    assert_eq!(alone.code, 2);
    assert!(alone.stderr.contains("common word"), "{}", alone.stderr);
    let quoted = search("\"في سوريا\"", &[]);
    assert!(quoted["total_hits"].as_u64().expect("total") > 0);
}

#[test]
fn facets_count_every_hit_not_only_the_page() {
    let full = search("سوريا", &["--limit", "100"]);
    let paged = search("سوريا", &["--limit", "1", "--facets"]);
    let total = paged["total_hits"].as_u64().expect("total");
    assert_eq!(paged["hits"].as_array().map(Vec::len), Some(1));
    assert!(full.get("facets").is_none(), "facets only when asked");
    let facets = &paged["facets"];
    // Months: each hit's date counted once, in calendar order.
    let mut want: std::collections::BTreeMap<String, u64> = Default::default();
    let mut undated = 0;
    for hit in full["hits"].as_array().expect("hits") {
        match hit["date"].as_str() {
            Some(d) => *want.entry(d[..7].to_string()).or_default() += 1,
            None => undated += 1,
        }
    }
    let got: std::collections::BTreeMap<String, u64> = facets["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| {
            (
                m["month"].as_str().expect("month").to_string(),
                m["articles"].as_u64().expect("n"),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(facets["undated"], undated);
    assert_eq!(want.values().sum::<u64>() + undated, total);
    // Entities: as many articles as name each, among all hits.
    let first = &facets["entities"][0];
    let name = first["name"].as_str().expect("name");
    let naming = full["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter(|h| {
            h["entities"]
                .as_array()
                .is_some_and(|e| e.iter().any(|e| e["name"] == name))
        })
        .count() as u64;
    assert_eq!(first["articles"], naming, "{name}");
    // Text: printed under the hits.
    let text = akhbar("search", &["سوريا", "--limit", "1", "--facets"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for heading in [
        "entities named in the hits",
        "sources (articles):",
        "months (articles):",
    ] {
        assert!(text.stdout.contains(heading), "{heading}: {}", text.stdout);
    }
}
