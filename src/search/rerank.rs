//! Search: the second ranking pass. The first stage's best hits
//! ([`RERANK_DEPTH`], or [`DEEP_RERANK_DEPTH`] for a query of several
//! words: [`rerank_depth`]) get their [`features`] from the positions of
//! the query's words in their title and body, and are ordered again by
//! the learned model ([`Model`]).
//!
//! The reranked hits keep scores at or above the first stage's score of
//! the hit after them, so the whole list keeps one order from page to
//! page (pages past the depth keep the first stage's order). A
//! word's positions are those of its groups' shortest readings (see
//! [`super::word`]), which hold the positions of every other reading of
//! the group; a group is the word as typed ([`Match::Form`]), another
//! form of its stem ([`Match::Stem`]) or another spelling of a name
//! ([`Match::Variant`]).

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher};

use std::sync::Arc;

use super::features::{features, ratios, FieldHits, Match, Occurrence, QueryWords, Scratch, COUNT};
use super::ranker::Model;
use super::word::ScoredWord;

/// Hits reranked for a query of a few words.
pub const RERANK_DEPTH: usize = 100;
/// Hits reranked for a query of `DEEP_QUERY` (4) words or more: the first
/// stage finds a sentence's or a headline's article less often near the
/// top (words OR-ed, more of them common), and the second pass reads
/// more of its hits.
pub const DEEP_RERANK_DEPTH: usize = 200;
/// Query words (stopwords left out) from which a query is reranked
/// [`DEEP_RERANK_DEPTH`] deep.
pub const DEEP_QUERY: usize = 4;

/// How many first-stage hits the second pass reranks for a query of
/// `words` words.
pub fn rerank_depth(words: usize) -> usize {
    if words >= DEEP_QUERY {
        DEEP_RERANK_DEPTH
    } else {
        RERANK_DEPTH
    }
}

/// The two fields the features read.
#[derive(Clone, Copy, Debug)]
pub struct RankFields {
    /// The title (exact analyzer).
    pub title: Field,
    /// The body (exact analyzer).
    pub body: Field,
}

/// Each word's idf in `field` (0 for a word not searched there).
fn idfs_in(words: &[Arc<ScoredWord>], field: Field) -> Vec<f32> {
    words
        .iter()
        .map(|w| {
            w.fields
                .iter()
                .position(|f| f.field == field)
                .and_then(|fi| w.matches.idfs.get(fi).copied())
                .unwrap_or(0.0)
        })
        .collect()
}

/// The features of each of `hits`, in their order.
///
/// # Errors
/// A tantivy error when postings or norms cannot be read.
pub fn features_of(
    searcher: &Searcher,
    words: &[Arc<ScoredWord>],
    fields: RankFields,
    hits: &[(Score, DocAddress)],
) -> tantivy::Result<Vec<[f32; COUNT]>> {
    let mut out = vec![[0.0; COUNT]; hits.len()];
    if words.is_empty() || hits.is_empty() || words.len() > usize::from(u16::MAX) {
        return Ok(out);
    }
    let query = QueryWords {
        body_idfs: idfs_in(words, fields.body),
        title_idfs: idfs_in(words, fields.title),
    };
    let averages = [fields.title, fields.body].map(|f| average_norm(searcher, f));
    let mut scratch = Scratch::default();
    let mut by_segment: Vec<Vec<usize>> = vec![Vec::new(); searcher.segment_readers().len()];
    for (i, (_, address)) in hits.iter().enumerate() {
        if let Some(members) = by_segment.get_mut(address.segment_ord as usize) {
            members.push(i);
        }
    }
    for (ord, members) in by_segment.iter_mut().enumerate() {
        if members.is_empty() {
            continue;
        }
        members.sort_by_key(|&i| hits[i].1.doc_id);
        let docs: Vec<DocId> = members.iter().map(|&i| hits[i].1.doc_id).collect();
        let title = positions(searcher, ord, fields.title, words, &docs)?;
        let body = positions(searcher, ord, fields.body, words, &docs)?;
        let reader = searcher.segment_reader(ord as u32);
        let norms = [fields.title, fields.body].map(|f| reader.get_fieldnorms_reader(f));
        let [Ok(title_norms), Ok(body_norms)] = norms else {
            continue;
        };
        for (slot, &i) in members.iter().enumerate() {
            let length = |n: &tantivy::fieldnorm::FieldNormReader| {
                let id = n.fieldnorm_id(docs[slot]);
                tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id) as f32
            };
            let in_title = FieldHits {
                occurrences: title.of(slot),
                length: length(&title_norms),
                average: averages[0],
            };
            let in_body = FieldHits {
                occurrences: body.of(slot),
                length: length(&body_norms),
                average: averages[1],
            };
            out[i] = features(&mut scratch, &query, hits[i].0, in_title, in_body);
        }
    }
    ratios(&mut out, words.len());
    Ok(out)
}

/// Orders `hits` by `model`'s score of their `features` (best first,
/// ties by address), scores them with the model's scores, raised where
/// needed so that the last is `floor` (the first stage's score of the
/// hit after them, 0 if none) or more, and returns the features in the
/// new order. Scores are the model's own (the sum `--explain` shows)
/// when they are all above `floor`.
pub fn rerank(
    model: &Model,
    hits: &mut [(Score, DocAddress)],
    features: Vec<[f32; COUNT]>,
    floor: Score,
) -> Vec<[f32; COUNT]> {
    let mut scored: Vec<(Score, DocAddress, [f32; COUNT])> = hits
        .iter()
        .zip(features)
        .map(|(&(_, address), f)| (model.score(&f), address, f))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let lowest = scored.last().map_or(0.0, |s| s.0);
    let shift = (floor.max(0.0) - lowest).max(0.0);
    scored
        .into_iter()
        .zip(hits.iter_mut())
        .map(|((score, address, f), hit)| {
            *hit = (score + shift, address);
            f
        })
        .collect()
}

/// The occurrences of `words` in `field` of each of `docs` (sorted) of
/// segment `ord`, each doc's list in position order, one per position
/// and word (the word as typed first): doc `slot`'s list is
/// `occurrences[starts[slot]..starts[slot + 1]]`.
struct Positions {
    occurrences: Vec<Occurrence>,
    starts: Vec<usize>,
}

impl Positions {
    /// Doc `slot`'s occurrences.
    fn of(&self, slot: usize) -> &[Occurrence] {
        &self.occurrences[self.starts[slot]..self.starts[slot + 1]]
    }
}

/// Reads [`Positions`]: every root term's postings opened once, then
/// doc by doc (each postings list only moves forward), so that each
/// doc's occurrences are one stretch of a single buffer.
fn positions(
    searcher: &Searcher,
    ord: usize,
    field: Field,
    words: &[Arc<ScoredWord>],
    docs: &[DocId],
) -> tantivy::Result<Positions> {
    let inverted = searcher.segment_reader(ord as u32).inverted_index(field)?;
    let mut lists = Vec::new();
    for (wi, word) in words.iter().enumerate() {
        let Some(terms) = word.fields.iter().find(|f| f.field == field) else {
            continue;
        };
        let terms = terms.segments.get(ord).into_iter().flatten();
        for term in terms.filter(|t| t.root) {
            let how = if term.variant {
                Match::Variant
            } else if term.form {
                Match::Form
            } else {
                Match::Stem
            };
            let postings = inverted.read_postings_from_terminfo(
                &term.info,
                IndexRecordOption::WithFreqsAndPositions,
            )?;
            lists.push((postings, wi as u16, how));
        }
    }
    let mut occurrences = Vec::new();
    let mut starts = Vec::with_capacity(docs.len() + 1);
    let mut buf = Vec::new();
    for &doc in docs {
        let start = occurrences.len();
        starts.push(start);
        let mut lists_here = 0;
        for (postings, word, how) in &mut lists {
            if postings.doc() < doc {
                postings.seek(doc);
            }
            if postings.doc() != doc {
                continue;
            }
            lists_here += 1;
            buf.clear();
            postings.append_positions_with_offset(0, &mut buf);
            occurrences.extend(buf.iter().map(|&position| Occurrence {
                position,
                word: *word,
                how: *how,
            }));
        }
        // one list is in position order already, each position once; a
        // few lists are as many sorted runs, which the stable sort merges
        if lists_here > 1 {
            let list = &mut occurrences[start..];
            list.sort();
            let mut kept = 0;
            for i in 0..list.len() {
                if kept == 0
                    || list[i].position != list[kept - 1].position
                    || list[i].word != list[kept - 1].word
                {
                    list[kept] = list[i];
                    kept += 1;
                }
            }
            occurrences.truncate(start + kept);
        }
    }
    starts.push(occurrences.len());
    Ok(Positions {
        occurrences,
        starts,
    })
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
    fn reranked_hits_stay_above_the_rest_in_model_order() {
        let mut model = Model::first_stage();
        model.weights = [0.0; COUNT];
        model.weights[1] = 1.0;
        let address = |d| DocAddress::new(0, d);
        let mut hits = vec![(9.0, address(0)), (8.0, address(1)), (7.0, address(2))];
        let mut f = vec![[0.0; COUNT]; 3];
        f[0][1] = 0.1;
        f[1][1] = 0.9;
        f[2][1] = 0.5;
        let kept = rerank(&model, &mut hits, f, 6.5);
        let order: Vec<u32> = hits.iter().map(|h| h.1.doc_id).collect();
        assert_eq!(order, vec![1, 2, 0]);
        assert_eq!(kept[0][1], 0.9);
        assert!((hits[2].0 - 6.5).abs() < 1e-6, "{hits:?}");
        assert!(hits[0].0 > hits[1].0 && hits[1].0 > hits[2].0);
        // above the floor already: the model's own scores, as --explain sums them
        let mut f = vec![[0.0; COUNT]; 3];
        f[0][1] = 0.1;
        f[1][1] = 0.9;
        f[2][1] = 0.5;
        rerank(&model, &mut hits, f, 0.0);
        let scores: Vec<f32> = hits.iter().map(|h| h.0).collect();
        assert_eq!(scores, vec![0.9, 0.5, 0.1]);
    }
}
