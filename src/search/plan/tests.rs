//! Tests of the query planner.
use super::*;

/// A planner over a small in-memory index of `texts` (as bodies).
fn planner_over(texts: &[&str]) -> Planner {
    let schema = crate::index::build_schema();
    let fields =
        crate::index::fields(&schema, std::path::Path::new(".")).expect("fields of our own schema");
    let index = tantivy::Index::create_in_ram(schema);
    crate::analysis::register(index.tokenizers());
    let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> = index
        .writer_with_num_threads(1, 15_000_000)
        .expect("writer");
    let mut normalizer = crate::analysis::TextNormalizer::default();
    for text in texts {
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_text(fields.body_exact, &normalizer.read(text).slots);
        writer.add_document(doc).expect("add");
    }
    writer.commit().expect("commit");
    let searcher = index.reader().expect("reader").searcher();
    Planner::new(fields, &searcher)
}

fn planner() -> Planner {
    planner_over(&[])
}

/// The body terms of query word `text` (one position), as `word` builds
/// them.
fn body_terms(p: &mut Planner, text: &str) -> FieldTerms {
    let keyword = by_position(&mut p.keyword, text);
    let exact = by_position(&mut p.exact, text);
    let (position, readings) = exact.into_iter().next().expect("a word");
    let stems = keyword.get(&position).cloned();
    let body = p.fields().body_exact;
    p.field_terms(body, 1.0, stems.as_ref(), &readings, &[])
}

/// Weighted tf of query word `text` in each document of the first
/// segment.
fn tfs(p: &mut Planner, text: &str) -> Vec<(u32, f32)> {
    let terms = body_terms(p, text);
    let reader = p.searcher.segment_reader(0);
    crate::search::word::gather(reader, terms.field, &terms.segments[0]).expect("gather")
}

#[test]
fn one_written_word_counts_once_whatever_its_readings() {
    // والحكومة is indexed as والحكومه، الحكومه، حكومه at one position.
    let mut p = planner_over(&["قالت والحكومة اليوم", "قالت حكومة اليوم"]);
    let exact = crate::search::word::EXACT_TF;
    assert_eq!(tfs(&mut p, "حكومة"), vec![(0, exact), (1, exact)]);
    // Not the typed form: one plain occurrence each.
    assert_eq!(tfs(&mut p, "حكومات"), vec![(0, 1.0), (1, 1.0)]);
}

#[test]
fn tf_counts_positions_not_readings() {
    let mut p = planner_over(&["الحكومة والحكومة حكومات للحكومي"]);
    let exact = crate::search::word::EXACT_TF;
    // Two exact forms (حكومه), حكومات and حكومي: four positions.
    assert_eq!(tfs(&mut p, "حكومة"), vec![(0, 2.0 * exact + 2.0)]);
}

#[test]
fn df_counts_documents_not_readings() {
    let mut p = planner_over(&["الحكومة", "للحكومة والحكومة", "حكومات سوريا", "سوريا"]);
    let terms = body_terms(&mut p, "الحكومة");
    let readings_df: u32 = terms.segments[0].iter().map(|t| t.info.doc_freq).sum();
    assert!(readings_df > 3, "{readings_df}");
    let matches = WordMatches::gather(&p.searcher, &[terms]).expect("gather");
    // the idf of three documents out of four, not of the readings' sum
    assert_eq!(matches.idfs, vec![crate::search::word::idf(3, 4)]);
    assert_eq!(matches.docs, 3);
}

/// Every (reading, stem) pair the keyword analyzer makes of a word:
/// the stem finds the reading, so the word's documents match as they
/// did through a stemmed field.
#[test]
fn every_reading_of_the_corpus_is_found_through_its_stem() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let texts: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut p = planner_over(&refs);
    let body = p.fields().body_exact;
    let mut normalizer = crate::analysis::TextNormalizer::default();
    let mut words: Vec<String> = Vec::new();
    for text in &texts {
        let norm = normalizer.read(text);
        words.extend(norm.words.iter().map(|w| norm.word(w).to_string()));
    }
    words.sort();
    words.dedup();
    let mut checked = 0;
    for word in &words {
        let mut readings = Vec::new();
        crate::analysis::proclitic_variants(word, &mut readings);
        for reading in readings.iter().filter(|r| !is_stopword(r)) {
            let s = stem(reading);
            let found = p.stem_terms(s, body);
            assert!(
                found.iter().any(|(t, _)| t == reading),
                "{word}: {reading} not found through {s}: {found:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked} readings checked");
}

#[test]
fn stems_find_only_readings_with_that_stem() {
    let mut p = planner_over(&[
        "والمعتقلين معتقل المعتقلون للمعتقلين معتقلات",
        "الحكومة للحكومة وبالحكومة حكومتان حكومي الحكومية",
        "معتقد معتقدات مهتم",
    ]);
    let body = p.fields().body_exact;
    let mut terms = p.stem_terms("معتقل", body);
    terms.sort();
    assert_eq!(
        terms,
        vec![
            ("معتقل".to_string(), 1),
            ("معتقلات".to_string(), 1),
            ("معتقلون".to_string(), 1),
            ("معتقلين".to_string(), 1)
        ]
    );
    let terms: Vec<String> = p
        .stem_terms("حكوم", body)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    for t in ["حكومه", "حكومي", "حكوميه"] {
        assert!(terms.iter().any(|x| x == t), "{t} in {terms:?}");
    }
    assert!(!terms.iter().any(|x| x.starts_with("ال")), "{terms:?}");
    assert!(p
        .stem_terms("معتقد", body)
        .iter()
        .all(|(w, _)| w.starts_with("معتقد")));
    assert!(p.stem_terms("مهتمون", body).is_empty());
}

#[test]
fn phrase_words_keep_the_article() {
    let mut p = planner();
    assert_eq!(
        p.exact_positions("الرياض"),
        vec![vec!["الرياض".to_string()]]
    );
    assert_eq!(
        p.exact_positions("بالرياض"),
        vec![vec!["بالرياض".to_string(), "الرياض".to_string()]]
    );
    assert_eq!(
        p.exact_positions("لقوات"),
        vec![vec!["لقوات".to_string(), "قوات".to_string()]]
    );
}

#[test]
fn combinations_literal_first_and_capped() {
    let positions = vec![
        vec!["لقوات".to_string(), "قوات".to_string()],
        vec!["سوريا".to_string()],
    ];
    let combos = combinations(&positions, 16);
    assert_eq!(combos[0], vec!["لقوات", "سوريا"]);
    assert_eq!(combos.len(), 2);
    let many: Vec<Vec<String>> = (0..10)
        .map(|i| vec![format!("a{i}"), format!("b{i}"), format!("c{i}")])
        .collect();
    assert!(combinations(&many, 16).len() <= 16);
}
