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
//!   occurrences of different words, see `bm25tp`);
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
//!   (`best_window`): a sentence or a lead that holds the query.
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

/// Buffers [`features`] reuses from one hit to the next (a query's hits
/// are scored one after the other), one per word or pair of words.
#[derive(Debug, Default)]
pub struct Scratch {
    body_tf: Vec<f32>,
    title_tf: Vec<f32>,
    lead_tf: Vec<f32>,
    exact_tf: Vec<f32>,
    pairs: Vec<f32>,
    acc: Vec<f32>,
    hows: Vec<[bool; 3]>,
    seen: Vec<bool>,
    counts: Vec<u32>,
}

/// `buffer` emptied and filled with `n` times `zero`.
fn zeroed<T: Copy>(buffer: &mut Vec<T>, n: usize, zero: T) -> &mut [T] {
    buffer.clear();
    buffer.resize(n, zero);
    buffer
}

/// The feature vector of one hit: `first_stage` is its first-stage
/// score, `title` and `body` where the query's words occur; the `@long`
/// copies are 0 unless the query is long ([`LONG_QUERY`]). `scratch`
/// holds buffers between calls (its content does not matter).
pub fn features(
    scratch: &mut Scratch,
    query: &QueryWords,
    first_stage: f32,
    title: FieldHits<'_>,
    body: FieldHits<'_>,
) -> [f32; COUNT] {
    let base = base_features(scratch, query, first_stage, title, body);
    let long = query.words() >= LONG_QUERY;
    std::array::from_fn(|i| match i.checked_sub(BASE) {
        None => base[i],
        Some(j) if long => base[j],
        Some(_) => 0.0,
    })
}

/// The [`BASE`] features of one hit.
fn base_features(
    scratch: &mut Scratch,
    query: &QueryWords,
    first_stage: f32,
    title: FieldHits<'_>,
    body: FieldHits<'_>,
) -> [f32; BASE] {
    let n = query.words();
    let (body_mass, title_mass) = (query.body_mass(), query.title_mass());
    let idf_sum = body_mass / (K1 + 1.0);
    let Scratch {
        body_tf,
        title_tf,
        lead_tf,
        exact_tf,
        pairs: pair_tf,
        acc,
        hows,
        seen,
        counts,
    } = scratch;
    let body_tf = term_frequencies(body_tf, body.occurrences, n, u32::MAX);
    let title_tf = term_frequencies(title_tf, title.occurrences, n, u32::MAX);
    let lead_tf = term_frequencies(lead_tf, body.occurrences, n, LEAD_TOKENS);
    let exact_tf = {
        let tf = zeroed(exact_tf, n, 0f32);
        for o in body.occurrences.iter().filter(|o| o.how == Match::Form) {
            tf[o.word as usize] += 1.0;
        }
        &*tf
    };
    let idfs = &query.body_idfs;
    let mut pair_score = |gap: u32, ordered: bool, before: u32, k: f32| {
        let tf = pair_counts_in(pair_tf, body.occurrences, n, gap, ordered, before);
        sequential(tf, idfs, k)
    };
    let lead_field = FieldHits {
        occurrences: &[],
        length: LEAD_TOKENS as f32,
        average: LEAD_TOKENS as f32,
    };
    let hows = zeroed(hows, n, [false; 3]);
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
    let proximity_body = bm25tp_in(acc, body.occurrences, &query.body_idfs, body.k()) / body_mass;
    let proximity_title =
        bm25tp_in(acc, title.occurrences, &query.title_idfs, title.k()) / title_mass;
    let ordered_body = pair_score(ORDERED_GAP, true, u32::MAX, body.k());
    let ordered_lead = pair_score(ORDERED_GAP, true, LEAD_TOKENS, lead_field.k());
    let window_body = pair_score(WINDOW, false, u32::MAX, body.k());
    let window_lead = pair_score(WINDOW, false, LEAD_TOKENS, lead_field.k());
    let lead_score = lead_in(seen, body.occurrences, &query.body_idfs);
    let span_score = span_in(counts, seen, body.occurrences, n);
    let pairs_score = pairs_in(seen, title.occurrences, body.occurrences, n);
    let window = |counts: &mut Vec<u32>, width: u32| {
        best_window_in(counts, body.occurrences, idfs, width) / idf_sum.max(f32::EPSILON)
    };
    let best_windows = [window(counts, 10), window(counts, 20), window(counts, 40)];
    [
        first_stage / (body_mass + super::plan::TITLE_BOOST * title_mass),
        bm25(body_tf, &query.body_idfs, body.k()) / body_mass,
        bm25(title_tf, &query.title_idfs, title.k()) / title_mass,
        bm25(lead_tf, &query.body_idfs, lead_field.k()) / body_mass,
        lead_score / idf_sum.max(f32::EPSILON),
        proximity_body,
        proximity_title,
        span_score,
        pairs_score,
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
        ordered_body,
        ordered_lead,
        window_body,
        window_lead,
        bm25(exact_tf, &query.body_idfs, body.k()) / body_mass,
        best_windows[0],
        best_windows[1],
        best_windows[2],
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

/// Each word's occurrences before position `before` (in `buffer`).
fn term_frequencies<'a>(
    buffer: &'a mut Vec<f32>,
    occurrences: &[Occurrence],
    words: usize,
    before: u32,
) -> &'a [f32] {
    let tf = zeroed(buffer, words, 0f32);
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
#[cfg(test)]
pub fn bm25tp(occurrences: &[Occurrence], idfs: &[f32], k: f32) -> f32 {
    bm25tp_in(&mut Vec::new(), occurrences, idfs, k)
}

/// `bm25tp` with its accumulators in `buffer`.
fn bm25tp_in(buffer: &mut Vec<f32>, occurrences: &[Occurrence], idfs: &[f32], k: f32) -> f32 {
    let acc = zeroed(buffer, idfs.len(), 0f32);
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
#[cfg(test)]
pub fn lead(occurrences: &[Occurrence], idfs: &[f32]) -> f32 {
    lead_in(&mut Vec::new(), occurrences, idfs)
}

/// `lead` with its marks in `buffer`.
fn lead_in(buffer: &mut Vec<bool>, occurrences: &[Occurrence], idfs: &[f32]) -> f32 {
    let seen = zeroed(buffer, idfs.len(), false);
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
#[cfg(test)]
pub fn span(occurrences: &[Occurrence], words: usize) -> f32 {
    span_in(&mut Vec::new(), &mut Vec::new(), occurrences, words)
}

/// `span` with its counts and marks in `counts` and `seen`.
fn span_in(
    counts: &mut Vec<u32>,
    seen: &mut Vec<bool>,
    occurrences: &[Occurrence],
    words: usize,
) -> f32 {
    let count = zeroed(counts, words, 0u32);
    let distinct = {
        let seen = zeroed(seen, words, false);
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
#[cfg(test)]
pub fn best_window(occurrences: &[Occurrence], idfs: &[f32], width: u32) -> f32 {
    best_window_in(&mut Vec::new(), occurrences, idfs, width)
}

/// `best_window` with its counts in `buffer`.
fn best_window_in(
    buffer: &mut Vec<u32>,
    occurrences: &[Occurrence],
    idfs: &[f32],
    width: u32,
) -> f32 {
    let count = zeroed(buffer, idfs.len(), 0u32);
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
#[cfg(test)]
pub fn pair_counts(
    occurrences: &[Occurrence],
    words: usize,
    gap: u32,
    ordered: bool,
    before: u32,
) -> Vec<f32> {
    pair_counts_in(&mut Vec::new(), occurrences, words, gap, ordered, before).to_vec()
}

/// `pair_counts` in `buffer`.
fn pair_counts_in<'a>(
    buffer: &'a mut Vec<f32>,
    occurrences: &[Occurrence],
    words: usize,
    gap: u32,
    ordered: bool,
    before: u32,
) -> &'a [f32] {
    let tf = zeroed(buffer, words.saturating_sub(1), 0f32);
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
#[cfg(test)]
pub fn pairs(title: &[Occurrence], body: &[Occurrence], words: usize) -> f32 {
    pairs_in(&mut Vec::new(), title, body, words)
}

/// `pairs` with its marks in `buffer`.
fn pairs_in(
    buffer: &mut Vec<bool>,
    title: &[Occurrence],
    body: &[Occurrence],
    words: usize,
) -> f32 {
    if words < 2 {
        return 0.0;
    }
    let found = zeroed(buffer, words - 1, false);
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
mod tests;
