//! Search: the features the learned second-stage ranker reads
//! ([`super::ranker`]), computed for one hit from where the query's
//! words occur in its title and body.
//!
//! Every feature is a number of about 0–1, the same for any corpus and
//! query length: the BM25 parts are divided by what a perfect match
//! would score (the query words' idfs times `k1 + 1`), coverages are the
//! share of the query's idf mass a hit holds. The feature set
//! ([`NAMES`]):
//!
//! - `first_stage`: the first stage's score (word-level BM25 over title
//!   and body, the title weighted [`TITLE_BOOST`]);
//! - `bm25_body`, `bm25_title`: word-level BM25 of each field alone;
//! - `bm25_lead`: BM25 of the body's first [`LEAD_TOKENS`] words, as a
//!   field of its own (news puts the essentials first);
//! - `lead`: each word's first position, decayed (the old second pass);
//! - `proximity_body`, `proximity_title`: BM25TP (neighbouring
//!   occurrences of different words, see [`bm25tp`]);
//! - `span`: the query words a hit holds over the length of the
//!   shortest stretch of its body holding them all;
//! - `pairs`: the share of the query's neighbouring word pairs found in
//!   the same order within [`PAIR_GAP`] positions (in either field);
//! - `coverage`, `coverage_title`: idf share of the query words found in
//!   the title or body, in the title;
//! - `exact`: idf share of the words found as written (with any
//!   proclitics), not only through another form of their stem;
//! - `stem_only`: idf share of the words found only through another
//!   form of the stem (الرياضي for الرياض);
//! - `variant_only`: idf share of the words found only through another
//!   spelling of a name (بوتين for بوتن);
//! - `body_length`: the body's length, logarithmic;
//! - `coverage_lead`: idf share of the query words found in the lead
//!   (the body's first [`LEAD_TOKENS`] words);
//! - `words_found`: the share of the query words found, each counting
//!   one;
//! - `first_stage_ratio`: the first stage's score over the best first
//!   stage score among the hits reranked together ([`ratios`]);
//! - `ordered_body`, `ordered_lead`: sequential dependence
//!   ([`sequential`]): the query's neighbouring word pairs found in order
//!   at most [`ORDERED_GAP`] positions apart, each pair's count saturated
//!   like a term's in BM25, in the body and in its lead;
//! - `window_body`, `window_lead`: the same for pairs found in either
//!   order within [`WINDOW`] positions;
//! - `bm25_exact`: BM25 of the body counting only the words as written;
//! - `best_window_10`, `_20`, `_40`: the idf share of the query words
//!   found in the best stretch of that many body positions
//!   ([`best_window`]): a sentence or a lead that holds the query.
//!
//!
//! Each has a copy for long queries ([`LONG_QUERY`] words or more), 0
//! for shorter ones, so that the model can weigh a headline's or a
//! sentence's words otherwise than a few words typed.
//!
//! [`TITLE_BOOST`]: super::plan::TITLE_BOOST

use super::word::{B, K1};

/// The features' names, in the order of a feature vector: the `BASE`
/// features, then the same for long queries only (`name@long`).
pub const NAMES: [&str; COUNT] = [
    "first_stage",
    "bm25_body",
    "bm25_title",
    "bm25_lead",
    "lead",
    "proximity_body",
    "proximity_title",
    "span",
    "pairs",
    "coverage",
    "coverage_title",
    "exact",
    "stem_only",
    "variant_only",
    "body_length",
    "coverage_lead",
    "words_found",
    "first_stage_ratio",
    "ordered_body",
    "ordered_lead",
    "window_body",
    "window_lead",
    "bm25_exact",
    "best_window_10",
    "best_window_20",
    "best_window_40",
    "first_stage@long",
    "bm25_body@long",
    "bm25_title@long",
    "bm25_lead@long",
    "lead@long",
    "proximity_body@long",
    "proximity_title@long",
    "span@long",
    "pairs@long",
    "coverage@long",
    "coverage_title@long",
    "exact@long",
    "stem_only@long",
    "variant_only@long",
    "body_length@long",
    "coverage_lead@long",
    "words_found@long",
    "first_stage_ratio@long",
    "ordered_body@long",
    "ordered_lead@long",
    "window_body@long",
    "window_lead@long",
    "bm25_exact@long",
    "best_window_10@long",
    "best_window_20@long",
    "best_window_40@long",
];

/// Features computed for every query.
pub const BASE: usize = 26;

/// How many features a hit has: each base feature twice, for every
/// query and for long queries only.
pub const COUNT: usize = 2 * BASE;

/// Query words (stopwords left out) from which a query is long: the
/// `@long` copies of the features are its features again, so a long
/// query (a headline, a sentence) is ranked with the base weights plus
/// its own, and a query of a few words with the base weights alone.
pub const LONG_QUERY: usize = 7;

/// The position of `first_stage_ratio`, which [`ratios`] fills in for a
/// list of hits.
pub const RATIO: usize = 17;

/// Words of the body that make its lead.
pub const LEAD_TOKENS: u32 = 40;
/// Words into the body at which a word's `lead` score halves.
pub const LEAD_SCALE: f32 = 20.0;
/// Most positions between two neighbouring query words found in order
/// (a stopword or a short word between them is allowed).
pub const PAIR_GAP: u32 = 3;
/// Most positions from a query word to the next one found in order for
/// `ordered_*` (one stopword between them is allowed: the query drops
/// stopwords, the positions keep them).
pub const ORDERED_GAP: u32 = 2;
/// Positions a pair spans at most for `window_*` (Indri's `#uw8`).
pub const WINDOW: u32 = 7;

/// How a query word was found at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// The word as typed, with or without proclitics.
    Form,
    /// Another form of its stem.
    Stem,
    /// Another spelling of a name.
    Variant,
}

/// One occurrence of a query word in a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    /// Its position in the field.
    pub position: u32,
    /// Which query word (index into the query's words).
    pub word: u16,
    /// How it matched.
    pub how: Match,
}

/// The occurrences of the query's words in one field of a hit, with
/// the field's length.
#[derive(Clone, Copy, Debug)]
pub struct FieldHits<'a> {
    /// In position order.
    pub occurrences: &'a [Occurrence],
    /// The field's length in words (its fieldnorm).
    pub length: f32,
    /// The field's average length over the index.
    pub average: f32,
}

impl FieldHits<'_> {
    /// No occurrence, no length.
    #[cfg(test)]
    pub const EMPTY: FieldHits<'static> = FieldHits {
        occurrences: &[],
        length: 0.0,
        average: 1.0,
    };

    /// BM25's length part for this field.
    fn k(&self) -> f32 {
        K1 * (1.0 - B + B * self.length / self.average.max(f32::EPSILON))
    }
}

/// The query's side: its words' idfs in each field.
#[derive(Clone, Debug)]
pub struct QueryWords {
    /// Each word's idf in the body.
    pub body_idfs: Vec<f32>,
    /// Each word's idf in the title.
    pub title_idfs: Vec<f32>,
}

impl QueryWords {
    fn words(&self) -> usize {
        self.body_idfs.len()
    }

    /// What a perfect match scores in the body: `(k1 + 1) Σ idf`.
    fn body_mass(&self) -> f32 {
        (self.body_idfs.iter().sum::<f32>() * (K1 + 1.0)).max(f32::EPSILON)
    }

    fn title_mass(&self) -> f32 {
        (self.title_idfs.iter().sum::<f32>() * (K1 + 1.0)).max(f32::EPSILON)
    }
}

/// The feature vector of one hit: `first_stage` is its first-stage
/// score, `title` and `body` where the query's words occur; the `@long`
/// copies are 0 unless the query is long ([`LONG_QUERY`]).
pub fn features(
    query: &QueryWords,
    first_stage: f32,
    title: FieldHits<'_>,
    body: FieldHits<'_>,
) -> [f32; COUNT] {
    let base = base_features(query, first_stage, title, body);
    let long = query.words() >= LONG_QUERY;
    std::array::from_fn(|i| match i.checked_sub(BASE) {
        None => base[i],
        Some(j) if long => base[j],
        Some(_) => 0.0,
    })
}

/// The [`BASE`] features of one hit.
fn base_features(
    query: &QueryWords,
    first_stage: f32,
    title: FieldHits<'_>,
    body: FieldHits<'_>,
) -> [f32; BASE] {
    let n = query.words();
    let (body_mass, title_mass) = (query.body_mass(), query.title_mass());
    let idf_sum = body_mass / (K1 + 1.0);
    let body_tf = term_frequencies(body.occurrences, n, u32::MAX);
    let title_tf = term_frequencies(title.occurrences, n, u32::MAX);
    let lead_tf = term_frequencies(body.occurrences, n, LEAD_TOKENS);
    let exact_tf = {
        let mut tf = vec![0f32; n];
        for o in body.occurrences.iter().filter(|o| o.how == Match::Form) {
            tf[o.word as usize] += 1.0;
        }
        tf
    };
    let idfs = &query.body_idfs;
    let pair_score = |gap: u32, ordered: bool, before: u32, k: f32| {
        sequential(
            &pair_counts(body.occurrences, n, gap, ordered, before),
            idfs,
            k,
        )
    };
    let lead_field = FieldHits {
        occurrences: &[],
        length: LEAD_TOKENS as f32,
        average: LEAD_TOKENS as f32,
    };
    let mut hows = vec![[false; 3]; n];
    for o in title.occurrences.iter().chain(body.occurrences) {
        hows[o.word as usize][o.how as usize] = true;
    }
    let share = |pick: &dyn Fn(usize) -> bool| -> f32 {
        (0..n)
            .filter(|&w| pick(w))
            .map(|w| query.body_idfs[w])
            // from +0.0: an empty f32 sum is -0.0, shown as "-0.0000"
            .fold(0.0, |a, b| a + b)
            / idf_sum
    };
    let found = |w: usize| hows[w].iter().any(|&h| h);
    [
        first_stage / (body_mass + super::plan::TITLE_BOOST * title_mass),
        bm25(&body_tf, &query.body_idfs, body.k()) / body_mass,
        bm25(&title_tf, &query.title_idfs, title.k()) / title_mass,
        bm25(&lead_tf, &query.body_idfs, lead_field.k()) / body_mass,
        lead(body.occurrences, &query.body_idfs) / idf_sum.max(f32::EPSILON),
        bm25tp(body.occurrences, &query.body_idfs, body.k()) / body_mass,
        bm25tp(title.occurrences, &query.title_idfs, title.k()) / title_mass,
        span(body.occurrences, n),
        pairs(title.occurrences, body.occurrences, n),
        share(&found),
        share(&|w| title_tf[w] > 0.0),
        share(&|w| hows[w][Match::Form as usize]),
        share(&|w| hows[w][Match::Stem as usize] && !hows[w][Match::Form as usize]),
        share(&|w| {
            hows[w][Match::Variant as usize]
                && !hows[w][Match::Form as usize]
                && !hows[w][Match::Stem as usize]
        }),
        (1.0 + body.length).ln() / 8.0,
        share(&|w| lead_tf[w] > 0.0),
        (0..n).filter(|&w| found(w)).count() as f32 / n.max(1) as f32,
        1.0,
        pair_score(ORDERED_GAP, true, u32::MAX, body.k()),
        pair_score(ORDERED_GAP, true, LEAD_TOKENS, lead_field.k()),
        pair_score(WINDOW, false, u32::MAX, body.k()),
        pair_score(WINDOW, false, LEAD_TOKENS, lead_field.k()),
        bm25(&exact_tf, &query.body_idfs, body.k()) / body_mass,
        best_window(body.occurrences, idfs, 10) / idf_sum.max(f32::EPSILON),
        best_window(body.occurrences, idfs, 20) / idf_sum.max(f32::EPSILON),
        best_window(body.occurrences, idfs, 40) / idf_sum.max(f32::EPSILON),
    ]
}

/// Fills in `first_stage_ratio` for hits ranked together: each one's
/// first stage score over the best (its `@long` copy too when the query
/// of `words` words is long).
pub fn ratios(hits: &mut [[f32; COUNT]], words: usize) {
    let best = hits.iter().map(|f| f[0]).fold(0.0, f32::max);
    for f in hits {
        f[RATIO] = if best > 0.0 { f[0] / best } else { 0.0 };
        if words >= LONG_QUERY {
            f[BASE + RATIO] = f[RATIO];
        }
    }
}

/// Each word's occurrences before position `before`.
fn term_frequencies(occurrences: &[Occurrence], words: usize, before: u32) -> Vec<f32> {
    let mut tf = vec![0f32; words];
    for o in occurrences.iter().filter(|o| o.position < before) {
        tf[o.word as usize] += 1.0;
    }
    tf
}

/// BM25 of term frequencies `tf` with length part `k`.
fn bm25(tf: &[f32], idfs: &[f32], k: f32) -> f32 {
    tf.iter()
        .zip(idfs)
        .filter(|(tf, _)| **tf > 0.0)
        .map(|(tf, idf)| idf * (K1 + 1.0) * tf / (tf + k))
        .sum()
}

/// The proximity score of one field (BM25TP, Büttcher, Clarke and
/// Lushman, SIGIR 2006): each pair of neighbouring occurrences of two
/// different words `a`, `b` at distance `d` adds `idf(b) / d²` to `a`'s
/// accumulator and `idf(a) / d²` to `b`'s; each word then contributes
/// `min(1, idf) · acc · (k1 + 1) / (acc + k)`.
pub fn bm25tp(occurrences: &[Occurrence], idfs: &[f32], k: f32) -> f32 {
    let mut acc = vec![0f32; idfs.len()];
    for pair in occurrences.windows(2) {
        let (x, y) = (pair[0], pair[1]);
        if x.word == y.word || x.position == y.position {
            continue;
        }
        let d = (y.position - x.position) as f32;
        acc[x.word as usize] += idfs[y.word as usize] / (d * d);
        acc[y.word as usize] += idfs[x.word as usize] / (d * d);
    }
    acc.iter()
        .zip(idfs)
        .filter(|(a, _)| **a > 0.0)
        .map(|(a, idf)| idf.min(1.0) * a * (K1 + 1.0) / (a + k))
        .sum()
}

/// Each word found adds `idf / (1 + first position / LEAD_SCALE)`.
pub fn lead(occurrences: &[Occurrence], idfs: &[f32]) -> f32 {
    let mut seen = vec![false; idfs.len()];
    let mut score = 0.0;
    for o in occurrences {
        if !std::mem::replace(&mut seen[o.word as usize], true) {
            score += idfs[o.word as usize] / (1.0 + o.position as f32 / LEAD_SCALE);
        }
    }
    score
}

/// Distinct words found over the length of the shortest stretch holding
/// all of them (1 for adjacent words; 0 with fewer than two words).
pub fn span(occurrences: &[Occurrence], words: usize) -> f32 {
    let mut count = vec![0u32; words];
    let distinct = {
        let mut seen = vec![false; words];
        occurrences
            .iter()
            .filter(|o| !std::mem::replace(&mut seen[o.word as usize], true))
            .count()
    };
    if distinct < 2 {
        return 0.0;
    }
    let (mut inside, mut start, mut best) = (0, 0, u32::MAX);
    for end in 0..occurrences.len() {
        let w = occurrences[end].word as usize;
        count[w] += 1;
        if count[w] == 1 {
            inside += 1;
        }
        while inside == distinct {
            let length = occurrences[end].position - occurrences[start].position + 1;
            best = best.min(length);
            let s = occurrences[start].word as usize;
            count[s] -= 1;
            if count[s] == 0 {
                inside -= 1;
            }
            start += 1;
        }
    }
    distinct as f32 / best.max(1) as f32
}

/// The most idf that the distinct query words found within one stretch
/// of `width` positions hold.
pub fn best_window(occurrences: &[Occurrence], idfs: &[f32], width: u32) -> f32 {
    let mut count = vec![0u32; idfs.len()];
    let (mut inside, mut best, mut start) = (0f32, 0f32, 0);
    for o in occurrences {
        while occurrences[start].position + width <= o.position {
            let w = occurrences[start].word as usize;
            count[w] -= 1;
            if count[w] == 0 {
                inside -= idfs[w];
            }
            start += 1;
        }
        let w = o.word as usize;
        count[w] += 1;
        if count[w] == 1 {
            inside += idfs[w];
        }
        best = best.max(inside);
    }
    best
}

/// Each neighbouring query word pair `(i, i + 1)`'s count of matches
/// before position `before`: in order, the second word at most `gap`
/// positions after the first (`ordered`), or both within a window of
/// `gap` positions in either order (not `ordered`).
pub fn pair_counts(
    occurrences: &[Occurrence],
    words: usize,
    gap: u32,
    ordered: bool,
    before: u32,
) -> Vec<f32> {
    let mut tf = vec![0f32; words.saturating_sub(1)];
    let end = occurrences.partition_point(|o| o.position < before);
    let occurrences = &occurrences[..end];
    for (i, x) in occurrences.iter().enumerate() {
        let w = x.word as usize;
        if w >= words {
            continue;
        }
        let near = |y: &&Occurrence| y.position > x.position && y.position <= x.position + gap;
        let after = occurrences[i + 1..]
            .iter()
            .take_while(|y| y.position <= x.position + gap);
        // x is the first word of pair w (w, w + 1): the second after it
        if w + 1 < words && after.clone().filter(near).any(|y| y.word as usize == w + 1) {
            tf[w] += 1.0;
        }
        // unordered: x also opens pair (w - 1, w) when w - 1 follows it
        if !ordered && w >= 1 && after.filter(near).any(|y| y.word as usize == w - 1) {
            tf[w - 1] += 1.0;
        }
    }
    tf
}

/// BM25 over neighbouring word pairs (sequential dependence, Metzler and
/// Croft 2005): each pair's count saturated as a term's, weighted by the
/// smaller idf of its two words, over what all pairs found would score.
pub fn sequential(tf: &[f32], idfs: &[f32], k: f32) -> f32 {
    let weight = |i: usize| idfs[i].min(idfs[i + 1]);
    let mass: f32 = (0..tf.len()).map(weight).sum::<f32>() * (K1 + 1.0);
    if mass <= 0.0 {
        return 0.0;
    }
    (0..tf.len())
        .filter(|&i| tf[i] > 0.0)
        .map(|i| weight(i) * (K1 + 1.0) * tf[i] / (tf[i] + k))
        .sum::<f32>()
        / mass
}

/// The share of the query's neighbouring word pairs `(i, i + 1)` found
/// in that order at most [`PAIR_GAP`] positions apart, in the title or
/// the body.
pub fn pairs(title: &[Occurrence], body: &[Occurrence], words: usize) -> f32 {
    if words < 2 {
        return 0.0;
    }
    let mut found = vec![false; words - 1];
    for field in [title, body] {
        for (i, x) in field.iter().enumerate() {
            let next = x.word as usize + 1;
            if next >= words || found[next - 1] {
                continue;
            }
            found[next - 1] = field[i + 1..]
                .iter()
                .take_while(|y| y.position <= x.position + PAIR_GAP)
                .any(|y| y.word as usize == next && y.position > x.position);
        }
    }
    found.iter().filter(|&&f| f).count() as f32 / (words - 1) as f32
}

#[cfg(test)]
mod tests {
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
        let full = features(&q, 0.0, FieldHits::EMPTY, field(&body, 100.0));
        assert_eq!(named(&full, "coverage"), 1.0);
        assert_eq!(named(&full, "exact"), 1.0);
        assert_eq!(named(&full, "pairs"), 1.0);
        assert!(named(&full, "bm25_body") > 0.3 && named(&full, "bm25_body") < 1.0);
        let none = features(&q, 0.0, FieldHits::EMPTY, field(&[], 100.0));
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
        let f = features(&q, 0.0, FieldHits::EMPTY, field(&body, 50.0));
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
        let f = features(&q, 0.0, FieldHits::EMPTY, field(&body, 50.0));
        for name in ["stem_only", "variant_only", "coverage_title"] {
            assert!(named(&f, name).is_sign_positive(), "{name}");
        }
    }

    #[test]
    fn long_queries_repeat_their_features_and_short_ones_do_not() {
        let body = occ(&[(0, 0), (1, 1)]);
        let short = features(&query(2), 1.0, FieldHits::EMPTY, field(&body, 50.0));
        assert!(short[..BASE].iter().any(|&x| x > 0.0));
        assert!(short[BASE..].iter().all(|&x| x == 0.0));
        let long = features(
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
        let f = features(&q, 0.0, field(&title, 8.0), field(&[], 100.0));
        assert!(named(&f, "bm25_title") > 0.0);
        assert_eq!(named(&f, "coverage_title"), 1.0);
        assert_eq!(named(&f, "bm25_body"), 0.0);
        assert_eq!(named(&f, "coverage"), 1.0);
    }
}
