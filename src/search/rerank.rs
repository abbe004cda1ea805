//! Search: the second ranking pass, on the first [`RERANK_DEPTH`] hits,
//! from the positions of the query's words in each hit.
//!
//! Two signals, each chosen and weighted by measurement on the relevance
//! harness (`examples/relevance.rs`; BENCHMARKS.md has the figures):
//!
//! - **Proximity** (queries of several words): articles where the words
//!   stand close together rank above articles where they are scattered.
//!   The method is BM25TP (Büttcher, Clarke and Lushman, "Term proximity
//!   scoring for ad-hoc retrieval on very large text collections", SIGIR
//!   2006): the occurrences of the query words in a field, in position
//!   order; each pair of neighbouring occurrences of two different words
//!   `a`, `b` at distance `d` adds `idf(b) / d²` to `a`'s accumulator and
//!   `idf(a) / d²` to `b`'s; each word then contributes
//!   `min(1, idf) · acc · (k1 + 1) / (acc + K)`, `K` being BM25's length
//!   part. Times [`PROXIMITY_WEIGHT`] and the field's weight.
//! - **Lead**: news is written with the essentials first, so an article
//!   whose opening names the query's words is more about them than one
//!   that mentions them in passing at the end. Each word found in the
//!   body adds `idf / (1 + first position / LEAD_SCALE)`, times
//!   [`LEAD_WEIGHT`].
//!
//! Both are added to the BM25 score, so a reranked hit never scores below
//! a hit further down, and the whole list keeps one order from page to
//! page (pages past [`RERANK_DEPTH`] keep BM25 order). A word's positions
//! are those of its groups' shortest readings (see [`super::word`]), which
//! hold the positions of every other reading of the group.

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher};

use std::sync::Arc;

use super::word::{ScoredWord, B, K1};

/// Hits reranked.
pub const RERANK_DEPTH: usize = 50;
/// Weight of the proximity score against BM25.
pub const PROXIMITY_WEIGHT: f32 = 1.0;
/// Weight of the lead score against BM25.
pub const LEAD_WEIGHT: f32 = 2.0;
/// Words into the body at which a word's lead score halves.
pub const LEAD_SCALE: f32 = 20.0;

/// The proximity score of one field of one document: `occurrences` are
/// `(position, word)` pairs in position order, `idfs` the words' idfs,
/// `k` BM25's length part for the field.
pub fn bm25tp(occurrences: &[(u32, u16)], idfs: &[f32], k: f32) -> f32 {
    let mut acc = vec![0f32; idfs.len()];
    for pair in occurrences.windows(2) {
        let ((p, a), (q, b)) = (pair[0], pair[1]);
        if a == b || p == q {
            continue;
        }
        let d = (q - p) as f32;
        acc[a as usize] += idfs[b as usize] / (d * d);
        acc[b as usize] += idfs[a as usize] / (d * d);
    }
    acc.iter()
        .zip(idfs)
        .filter(|(a, _)| **a > 0.0)
        .map(|(a, idf)| idf.min(1.0) * a * (K1 + 1.0) / (a + k))
        .sum()
}

/// The lead score of one document's body: `occurrences` in position
/// order, `idfs` the words' idfs.
pub fn lead(occurrences: &[(u32, u16)], idfs: &[f32]) -> f32 {
    let mut seen = vec![false; idfs.len()];
    let mut score = 0.0;
    for &(p, w) in occurrences {
        if !std::mem::replace(&mut seen[w as usize], true) {
            score += idfs[w as usize] / (1.0 + p as f32 / LEAD_SCALE);
        }
    }
    score
}

/// Adds the second pass's scores to each of `hits` and sorts them again,
/// best first (ties by address, as tantivy). `lead_field` is the field
/// whose opening counts (the body).
///
/// # Errors
/// A tantivy error when postings cannot be read.
pub fn rerank(
    searcher: &Searcher,
    words: &[Arc<ScoredWord>],
    lead_field: Field,
    hits: &mut [(Score, DocAddress)],
) -> tantivy::Result<()> {
    if words.is_empty() || hits.is_empty() {
        return Ok(());
    }
    let mut by_segment: Vec<Vec<usize>> = vec![Vec::new(); searcher.segment_readers().len()];
    for (i, (_, address)) in hits.iter().enumerate() {
        by_segment[address.segment_ord as usize].push(i);
    }
    for (ord, members) in by_segment.iter_mut().enumerate() {
        if members.is_empty() {
            continue;
        }
        members.sort_by_key(|&i| hits[i].1.doc_id);
        let docs: Vec<DocId> = members.iter().map(|&i| hits[i].1.doc_id).collect();
        for fi in 0..words[0].fields.len() {
            let field = words[0].fields[fi].field;
            if words.len() == 1 && field != lead_field {
                // One word: no proximity, and the lead is the body's.
                continue;
            }
            let occurrences = positions(searcher, ord, fi, words, &docs)?;
            let norms = searcher
                .segment_reader(ord as u32)
                .get_fieldnorms_reader(field)?;
            let average = average_norm(searcher, field);
            let idfs: Vec<f32> = words.iter().map(|w| w.matches.idfs[fi]).collect();
            let boost = words[0].fields[fi].boost;
            for (slot, &i) in members.iter().enumerate() {
                let found = &occurrences[slot];
                let mut extra = 0.0;
                if words.len() > 1 && found.len() > 1 {
                    let id = norms.fieldnorm_id(docs[slot]);
                    let norm = tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id) as f32;
                    let k = K1 * (1.0 - B + B * norm / average);
                    extra += PROXIMITY_WEIGHT * bm25tp(found, &idfs, k);
                }
                if field == lead_field {
                    extra += LEAD_WEIGHT * lead(found, &idfs);
                }
                hits[i].0 += boost * extra;
            }
        }
    }
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(())
}

/// The `(position, word)` occurrences of `words` in field `fi` of each of
/// `docs` (sorted) of segment `ord`, each list in position order.
fn positions(
    searcher: &Searcher,
    ord: usize,
    fi: usize,
    words: &[Arc<ScoredWord>],
    docs: &[DocId],
) -> tantivy::Result<Vec<Vec<(u32, u16)>>> {
    let field = words[0].fields[fi].field;
    let inverted = searcher.segment_reader(ord as u32).inverted_index(field)?;
    let mut out: Vec<Vec<(u32, u16)>> = vec![Vec::new(); docs.len()];
    let mut buf = Vec::new();
    for (wi, word) in words.iter().enumerate() {
        let terms = word.fields[fi].segments.get(ord).into_iter().flatten();
        for term in terms.filter(|t| t.root) {
            let mut postings = inverted.read_postings_from_terminfo(
                &term.info,
                IndexRecordOption::WithFreqsAndPositions,
            )?;
            for (slot, &doc) in docs.iter().enumerate() {
                if postings.doc() < doc {
                    postings.seek(doc);
                }
                if postings.doc() != doc {
                    continue;
                }
                buf.clear();
                postings.append_positions_with_offset(0, &mut buf);
                out[slot].extend(buf.iter().map(|&p| (p, wi as u16)));
            }
        }
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    Ok(out)
}

/// The field's average length in tokens, as BM25 sees it.
fn average_norm(searcher: &Searcher, field: Field) -> f32 {
    let mut tokens = 0u64;
    let mut docs = 0u64;
    for reader in searcher.segment_readers() {
        if let Ok(inverted) = reader.inverted_index(field) {
            tokens += inverted.total_num_tokens();
        }
        docs += u64::from(reader.max_doc());
    }
    (tokens as f32 / docs.max(1) as f32).max(f32::EPSILON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_words_score_above_distant_ones() {
        let idfs = [2.0, 2.0];
        let near = bm25tp(&[(10, 0), (11, 1)], &idfs, 1.2);
        let far = bm25tp(&[(10, 0), (40, 1)], &idfs, 1.2);
        assert!(near > 0.0 && far > 0.0);
        assert!(near > 10.0 * far, "{near} vs {far}");
    }

    #[test]
    fn one_word_alone_has_no_proximity() {
        assert_eq!(bm25tp(&[(1, 0), (2, 0), (3, 0)], &[2.0, 2.0], 1.2), 0.0);
    }

    #[test]
    fn lead_counts_each_word_once_and_early_more() {
        let idfs = [2.0, 1.0];
        let early = lead(&[(0, 0), (5, 0), (7, 1)], &idfs);
        let late = lead(&[(300, 0), (305, 0), (307, 1)], &idfs);
        assert!((early - (2.0 + 1.0 / (1.0 + 7.0 / LEAD_SCALE))).abs() < 1e-5);
        assert!(early > 5.0 * late, "{early} vs {late}");
    }
}
