//! Tests of the ranker's features.

use super::*;

fn occ(list: &[(u32, u16)]) -> Vec<Occurrence> {
    list.iter()
        .map(|&(position, word)| Occurrence {
            position,
            word,
            how: Match::Form,
        })
        .collect()
}

fn field(o: &[Occurrence], length: f32) -> FieldHits<'_> {
    FieldHits {
        occurrences: o,
        length,
        average: 100.0,
    }
}

fn query(n: usize) -> QueryWords {
    QueryWords {
        body_idfs: vec![2.0; n],
        title_idfs: vec![2.0; n],
    }
}

fn named(f: &[f32; COUNT], name: &str) -> f32 {
    let f: &[f32] = f;
    f[NAMES.iter().position(|n| *n == name).expect("a feature")]
}

#[test]
fn adjacent_words_score_above_distant_ones() {
    let idfs = [2.0, 2.0];
    let near = bm25tp(&occ(&[(10, 0), (11, 1)]), &idfs, 1.2);
    let far = bm25tp(&occ(&[(10, 0), (40, 1)]), &idfs, 1.2);
    assert!(near > 0.0 && far > 0.0);
    assert!(near > 10.0 * far, "{near} vs {far}");
}

#[test]
fn one_word_alone_has_no_proximity_span_or_pairs() {
    let o = occ(&[(1, 0), (2, 0), (3, 0)]);
    assert_eq!(bm25tp(&o, &[2.0, 2.0], 1.2), 0.0);
    assert_eq!(span(&o, 2), 0.0);
    assert_eq!(pairs(&[], &o, 2), 0.0);
}

#[test]
fn lead_counts_each_word_once_and_early_more() {
    let idfs = [2.0, 1.0];
    let early = lead(&occ(&[(0, 0), (5, 0), (7, 1)]), &idfs);
    let late = lead(&occ(&[(300, 0), (305, 0), (307, 1)]), &idfs);
    assert!((early - (2.0 + 1.0 / (1.0 + 7.0 / LEAD_SCALE))).abs() < 1e-5);
    assert!(early > 5.0 * late, "{early} vs {late}");
}

#[test]
fn span_is_the_shortest_stretch_holding_every_word_found() {
    // words 0 and 1 at 3..=4 (the stretch 10..=30 is longer)
    let o = occ(&[(3, 0), (4, 1), (10, 0), (30, 1)]);
    assert_eq!(span(&o, 2), 1.0);
    let o = occ(&[(0, 0), (5, 2), (9, 1)]);
    assert!((span(&o, 3) - 3.0 / 10.0).abs() < 1e-6);
}

#[test]
fn pairs_count_words_in_query_order_only() {
    // 0 then 1 adjacent; 2 before 1: the pair (1, 2) is not in order
    let body = occ(&[(5, 2), (6, 0), (7, 1)]);
    assert_eq!(pairs(&[], &body, 3), 0.5);
    // found in the title instead
    let title = occ(&[(0, 1), (2, 2)]);
    assert_eq!(pairs(&title, &body, 3), 1.0);
    // too far apart
    let far = occ(&[(0, 0), (PAIR_GAP + 1, 1)]);
    assert_eq!(pairs(&[], &far, 2), 0.0);
}

#[test]
fn pair_counts_follow_order_gap_and_window() {
    // pair (0, 1) in order at 5-6 and reversed at 20-18; pair (1, 2) at 6-8
    let o = occ(&[(5, 0), (6, 1), (8, 2), (18, 1), (20, 0)]);
    assert_eq!(pair_counts(&o, 3, 2, true, u32::MAX), vec![1.0, 1.0]);
    assert_eq!(pair_counts(&o, 3, 1, true, u32::MAX), vec![1.0, 0.0]);
    assert_eq!(pair_counts(&o, 3, 7, false, u32::MAX), vec![2.0, 1.0]);
    // only what starts before position 7
    assert_eq!(pair_counts(&o, 3, 7, false, 7), vec![1.0, 0.0]);
    assert!(pair_counts(&o, 1, 7, false, u32::MAX).is_empty());
}

#[test]
fn best_window_holds_the_most_idf_within_its_width() {
    let idfs = [1.0, 2.0, 4.0];
    // 0 and 1 at 3 and 5; 2 and 0 again at 40 and 41
    let o = occ(&[(3, 0), (5, 1), (40, 2), (41, 0)]);
    assert_eq!(best_window(&o, &idfs, 1), 4.0);
    assert_eq!(best_window(&o, &idfs, 2), 5.0);
    assert_eq!(best_window(&o, &idfs, 35), 5.0);
    assert_eq!(best_window(&o, &[4.0, 2.0, 1.0], 3), 6.0);
    assert_eq!(best_window(&o, &idfs, 40), 7.0);
    assert_eq!(best_window(&[], &idfs, 10), 0.0);
}

#[test]
fn sequential_saturates_and_weighs_pairs_by_their_rarer_word() {
    let idfs = [1.0, 3.0, 3.0];
    let one = sequential(&[1.0, 0.0], &idfs, 1.2);
    let many = sequential(&[9.0, 0.0], &idfs, 1.2);
    let rare = sequential(&[0.0, 1.0], &idfs, 1.2);
    assert!(one > 0.0 && many > one && many < 2.0 * one, "{one} {many}");
    assert!(rare > 2.0 * one, "{rare} vs {one}");
    assert!(sequential(&[99.0, 99.0], &idfs, 1.2) < 1.0);
    assert_eq!(sequential(&[], &[1.0], 1.2), 0.0);
}

#[test]
fn a_perfect_early_match_scores_near_one_and_none_zero() {
    let q = query(2);
    let body = occ(&[(0, 0), (1, 1)]);
    let full = features(
        &mut Scratch::default(),
        &q,
        0.0,
        FieldHits::EMPTY,
        field(&body, 100.0),
    );
    assert_eq!(named(&full, "coverage"), 1.0);
    assert_eq!(named(&full, "exact"), 1.0);
    assert_eq!(named(&full, "pairs"), 1.0);
    assert!(named(&full, "bm25_body") > 0.3 && named(&full, "bm25_body") < 1.0);
    let none = features(
        &mut Scratch::default(),
        &q,
        0.0,
        FieldHits::EMPTY,
        field(&[], 100.0),
    );
    for name in [
        "coverage",
        "exact",
        "bm25_body",
        "bm25_lead",
        "lead",
        "span",
        "ordered_body",
        "window_lead",
        "bm25_exact",
    ] {
        assert_eq!(named(&none, name), 0.0, "{name}");
    }
}

#[test]
fn a_word_found_only_through_its_stem_or_a_variant_is_told_apart() {
    let q = query(2);
    let mut body = occ(&[(3, 0), (9, 1)]);
    body[0].how = Match::Stem;
    body[1].how = Match::Variant;
    let f = features(
        &mut Scratch::default(),
        &q,
        0.0,
        FieldHits::EMPTY,
        field(&body, 50.0),
    );
    assert_eq!(named(&f, "exact"), 0.0);
    assert_eq!(named(&f, "stem_only"), 0.5);
    assert_eq!(named(&f, "variant_only"), 0.5);
    assert_eq!(named(&f, "coverage"), 1.0);
}

#[test]
fn a_share_of_no_word_is_plus_zero() {
    // an empty f32 sum is -0.0, which --explain would print as "-0.0000"
    let q = query(2);
    let body = occ(&[(3, 0), (9, 1)]);
    let f = features(
        &mut Scratch::default(),
        &q,
        0.0,
        FieldHits::EMPTY,
        field(&body, 50.0),
    );
    for name in ["stem_only", "variant_only", "coverage_title"] {
        assert!(named(&f, name).is_sign_positive(), "{name}");
    }
}

#[test]
fn long_queries_repeat_their_features_and_short_ones_do_not() {
    let body = occ(&[(0, 0), (1, 1)]);
    let short = features(
        &mut Scratch::default(),
        &query(2),
        1.0,
        FieldHits::EMPTY,
        field(&body, 50.0),
    );
    assert!(short[..BASE].iter().any(|&x| x > 0.0));
    assert!(short[BASE..].iter().all(|&x| x == 0.0));
    let long = features(
        &mut Scratch::default(),
        &query(LONG_QUERY),
        1.0,
        FieldHits::EMPTY,
        field(&body, 50.0),
    );
    assert_eq!(long[..BASE], long[BASE..]);
    let mut hits = [short, long];
    ratios(&mut hits[..1], 2);
    assert_eq!(hits[0][BASE + RATIO], 0.0);
    ratios(&mut hits[1..], LONG_QUERY);
    assert_eq!(hits[1][BASE + RATIO], 1.0);
    assert_eq!(NAMES[BASE + RATIO], "first_stage_ratio@long");
}

#[test]
fn title_matches_count_in_the_title_features_only() {
    let q = query(1);
    let title = occ(&[(0, 0)]);
    let f = features(
        &mut Scratch::default(),
        &q,
        0.0,
        field(&title, 8.0),
        field(&[], 100.0),
    );
    assert!(named(&f, "bm25_title") > 0.0);
    assert_eq!(named(&f, "coverage_title"), 1.0);
    assert_eq!(named(&f, "bm25_body"), 0.0);
    assert_eq!(named(&f, "coverage"), 1.0);
}
