//! Search: fold the near copies among a result list into stories, one hit
//! per story (the best-ranked copy, carrying the others).
//!
//! Grouping happens when a search asks for it, from what indexing stored
//! per article (its body's MinHash signature, [`crate::analysis::shingles`]),
//! not as a story id written into documents at index time. Why: a story id
//! would have to be maintained as copies arrive, change or are deleted
//! (tantivy cannot update a document in place, so every member of a story
//! would be written again), would depend on the order files were read in
//! (an incremental run and `--rebuild` would disagree), and keeping the
//! band keys every past article needs to find its story costs memory that
//! grows with the archive (the bounded-memory work of the scale issue) or
//! a term dictionary of band keys (+25% indexing CPU when tried, see
//! BENCHMARKS.md). A signature is a fact about one article: a new copy
//! joins its story on the next search, a deleted original leaves its copy
//! alone, and a rebuild groups exactly as the incremental runs did.
//!
//! How ([`group`]): items are read best first; each joins the best-ranked
//! story whose first article it is a copy of (shares a band key with and
//! reaches [`THRESHOLD`] with), or starts a story. The grouping is not
//! transitive (A~B and B~C with A≁C leave C out of A's story), so a story
//! is always "this article and its copies", each checkable with
//! `akhbar duplicates ID`.
//!
//! A search groups the hits it has gathered (several times the page: copies
//! of one text score alike and stand side by side); a copy ranked far
//! below its story's page is not folded into it. `total_stories` is exact
//! when every hit was grouped (all gathered, or at most [`EXACT_LIMIT`]
//! hits), else an estimate from the gathered hits' share of stories.

use std::any::Any;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::analysis::{similarity, Signature, BANDS, THRESHOLD, VALUES};
use crate::index::SearchCaches;

/// Up to this many hits a search groups all of them, for an exact story
/// count; beyond it (and beyond the hits gathered), the count is estimated.
pub const EXACT_LIMIT: usize = 300;

/// Hits a collapsed search gathers per story it shows (copies take room).
pub const GATHER_FACTOR: usize = 3;

/// One story of a list: positions in the list, best-ranked first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Story {
    /// The best-ranked copy.
    pub kept: usize,
    /// The other copies, in list order.
    pub copies: Vec<usize>,
}

/// Groups a list (best first) of signatures into stories, best first.
/// Articles without a signature (no title, no body) are stories of their
/// own.
pub fn group(sigs: &[Option<Signature>], threshold: f64) -> Vec<Story> {
    const NONE: u32 = u32::MAX;
    let mut stories: Vec<Story> = Vec::new();
    // band key -> the latest story holding it; each story's band slots
    // chain to the previous story with the same key (usually none)
    let mut latest: HashMap<u64, u32, BuildHasherDefault<KeyHasher>> =
        HashMap::with_capacity_and_hasher(sigs.len() * BANDS, Default::default());
    let mut previous: Vec<u32> = Vec::new();
    let mut kept_sigs: Vec<Option<&Signature>> = Vec::new();
    for (i, sig) in sigs.iter().enumerate() {
        let Some(sig) = sig else {
            stories.push(Story {
                kept: i,
                copies: Vec::new(),
            });
            kept_sigs.push(None);
            previous.extend([NONE; BANDS]);
            continue;
        };
        let bands = sig.bands();
        let mut best: Option<usize> = None;
        for (b, band) in bands.iter().enumerate() {
            let mut at = latest.get(band).copied().unwrap_or(NONE);
            while at != NONE {
                let s = at as usize;
                if best.is_none_or(|best| s < best)
                    && kept_sigs[s].is_some_and(|k| similarity(k, sig) >= threshold)
                {
                    best = Some(s);
                }
                at = previous[s * BANDS + b];
            }
        }
        match best {
            Some(s) => stories[s].copies.push(i),
            None => {
                let s = stories.len() as u32;
                for band in bands {
                    previous.push(latest.insert(band, s).unwrap_or(NONE));
                }
                stories.push(Story {
                    kept: i,
                    copies: Vec::new(),
                });
                kept_sigs.push(Some(sig));
            }
        }
    }
    stories
}

/// A hasher for keys that are already well-mixed 64-bit hashes (band
/// keys): the key is its own hash.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// Stories among `total` items when `stories` were found among the first
/// `read`: exact when all were read, else the same share.
pub fn estimate(stories: usize, read: usize, total: usize) -> (usize, bool) {
    if read >= total {
        return (stories, true);
    }
    let share = stories as f64 / read.max(1) as f64;
    (
        ((total as f64) * share).round().max(stories as f64) as usize,
        false,
    )
}

/// Reads the stored signatures of a searcher's documents.
pub struct Signatures {
    columns: Vec<Option<Column<u64>>>,
}

impl Signatures {
    /// The signature columns of every segment of `searcher`.
    pub fn new(searcher: &Searcher) -> Signatures {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|r| r.fast_fields().column_opt::<u64>("minhash").ok().flatten())
            .collect();
        Signatures { columns }
    }

    /// The signature columns of `searcher`'s segments, opened once for
    /// its generation and kept in `caches`.
    pub fn cached(searcher: &Searcher, caches: &SearchCaches) -> Arc<Signatures> {
        let made = caches.readers.get_or_try(searcher, &"minhash", || {
            let sigs = Signatures::new(searcher);
            let bytes = 64 * sigs.columns.len();
            Ok::<_, std::convert::Infallible>((Arc::new(sigs) as Arc<dyn Any + Send + Sync>, bytes))
        });
        match made.map(|s| s.downcast::<Signatures>()) {
            Ok(Ok(sigs)) => sigs,
            _ => Arc::new(Signatures::new(searcher)),
        }
    }

    /// The signature of the article at `at`, if it has one.
    pub fn get(&self, at: DocAddress) -> Option<Signature> {
        let column = self.columns.get(at.segment_ord as usize)?.as_ref()?;
        let rows = column.index.value_row_ids(at.doc_id);
        if rows.len() != VALUES {
            return Signature::from_values(column.values_for_doc(at.doc_id));
        }
        // a signature's values in one call (the same values as one by one)
        let mut values = [0u64; VALUES];
        column.values.get_range(u64::from(rows.start), &mut values);
        Signature::from_values(values)
    }

    /// The signatures of `items`, in order.
    pub fn of<'a>(
        &self,
        items: impl IntoIterator<Item = &'a DocAddress>,
    ) -> Vec<Option<Signature>> {
        items.into_iter().map(|&a| self.get(a)).collect()
    }
}

/// A collector of the addresses of the first `limit` hits (in index
/// order, unscored): all of them when there are no more, for an exact
/// story count without running the query twice.
pub struct FirstHits(pub usize);

/// [`FirstHits`] for one segment.
pub struct FirstHitsSegment {
    segment: SegmentOrdinal,
    limit: usize,
    docs: Vec<DocAddress>,
}

impl Collector for FirstHits {
    type Fruit = Vec<DocAddress>;
    type Child = FirstHitsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<FirstHitsSegment> {
        Ok(FirstHitsSegment {
            segment,
            limit: self.0,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<DocAddress>>) -> tantivy::Result<Vec<DocAddress>> {
        let mut all: Vec<DocAddress> = fruits.into_iter().flatten().collect();
        all.truncate(self.0);
        Ok(all)
    }
}

impl SegmentCollector for FirstHitsSegment {
    type Fruit = Vec<DocAddress>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if self.docs.len() < self.limit {
            self.docs.push(DocAddress::new(self.segment, doc));
        }
    }

    fn harvest(self) -> Vec<DocAddress> {
        self.docs
    }
}

/// Checks a similarity threshold a user gives (`--story-threshold`):
/// from [`THRESHOLD`] (the default, measured in BENCHMARKS.md) up to 1
/// (exact copies of the normalized body only). Lower thresholds are
/// refused: the band keys (16 bands of 4 positions) find a pair of
/// similarity 0.6 with probability 0.89 but one of 0.5 only with 0.64, so
/// a looser grouping would miss pairs it claims to group.
///
/// # Errors
/// A message naming the accepted range.
pub fn story_threshold(value: f64) -> Result<f64, String> {
    if (THRESHOLD..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "the story threshold must be between {THRESHOLD} and 1 (got {value}): below \
             {THRESHOLD} the band keys miss too many pairs"
        ))
    }
}

/// Parses a story threshold a user typed (`--story-threshold`, the API's
/// `story_threshold`) and checks it with `story_threshold`.
///
/// # Errors
/// Not a number, or outside the accepted range.
pub fn parse_story_threshold(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    story_threshold(value)
}

/// Every story of the whole index with two articles or more (the first
/// article in index order kept), and the number of stories in all:
/// `akhbar stats`.
pub fn index_stories(searcher: &Searcher, threshold: f64) -> (Vec<Vec<DocAddress>>, usize) {
    let sigs = Signatures::new(searcher);
    let mut addresses = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let alive = reader.alive_bitset();
        for doc in 0..reader.max_doc() {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                addresses.push(DocAddress::new(ord as u32, doc));
            }
        }
    }
    let stories = group(&sigs.of(&addresses), threshold);
    let total = stories.len();
    let grouped = stories
        .into_iter()
        .filter(|s| !s.copies.is_empty())
        .map(|s| {
            std::iter::once(s.kept)
                .chain(s.copies)
                .map(|i| addresses[i])
                .collect()
        })
        .collect();
    (grouped, total)
}

/// Whether `me` has a signature, and every live article other than `me`
/// whose body is a near copy of its body, with the similarity, most
/// similar first (`akhbar duplicates`).
pub fn copies_of(
    searcher: &Searcher,
    me: DocAddress,
    threshold: f64,
) -> (bool, Vec<(DocAddress, f64)>) {
    let sigs = Signatures::new(searcher);
    let Some(mine) = sigs.get(me) else {
        return (false, Vec::new());
    };
    let mut out = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let alive = reader.alive_bitset();
        for doc in 0..reader.max_doc() {
            let at = DocAddress::new(ord as u32, doc);
            if at == me || alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            if let Some(sig) = sigs.get(at) {
                let s = similarity(&mine, &sig);
                if s >= threshold {
                    out.push((at, s));
                }
            }
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    (true, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::HASHES;

    /// A signature whose positions below `same` are shared with every
    /// other signature of `family`, the rest its own.
    fn sig(family: u16, own: u16, same: usize) -> Option<Signature> {
        let mut s = [0u16; HASHES];
        for (i, h) in s.iter_mut().enumerate() {
            *h = if i < same {
                family * 100 + i as u16
            } else {
                10_000 + own * 100 + i as u16
            };
        }
        Some(Signature(s))
    }

    #[test]
    fn grouping_table() {
        // (name, list best first, expected stories as (kept, copies))
        type Case = (
            &'static str,
            Vec<Option<Signature>>,
            Vec<(usize, Vec<usize>)>,
        );
        let cases: Vec<Case> = vec![
            (
                "two exact copies and a stranger",
                vec![sig(1, 0, 64), sig(2, 1, 0), sig(1, 0, 64)],
                vec![(0, vec![2]), (1, vec![])],
            ),
            (
                "a near copy (48 of 64 positions) joins",
                vec![sig(1, 0, 64), sig(1, 1, 48)],
                vec![(0, vec![1])],
            ),
            (
                "a distant one (32 of 64) does not",
                vec![sig(1, 0, 64), sig(1, 1, 32)],
                vec![(0, vec![]), (1, vec![])],
            ),
            (
                "no signature stays alone, even next to another",
                vec![None, None, sig(3, 0, 64)],
                vec![(0, vec![]), (1, vec![]), (2, vec![])],
            ),
            (
                "a copy joins the best-ranked story it matches",
                vec![sig(1, 0, 64), sig(2, 1, 64), sig(1, 0, 64), sig(2, 1, 64)],
                vec![(0, vec![2]), (1, vec![3])],
            ),
        ];
        for (name, sigs, expected) in cases {
            let got: Vec<(usize, Vec<usize>)> = group(&sigs, THRESHOLD)
                .into_iter()
                .map(|s| (s.kept, s.copies))
                .collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn not_transitive() {
        // a~b (48 shared), b~c, a≁c: c is not pulled into a's story
        let a = Signature([1; HASHES]);
        let mut b = a.clone();
        b.0[..24].fill(2);
        let mut c = b.clone();
        c.0[24..48].fill(3);
        let stories = group(&[Some(a), Some(b), Some(c)], THRESHOLD);
        let got: Vec<(usize, Vec<usize>)> =
            stories.into_iter().map(|s| (s.kept, s.copies)).collect();
        assert_eq!(got, vec![(0, vec![1]), (2, vec![])]);
    }

    #[test]
    fn estimates() {
        assert_eq!(estimate(8, 10, 10), (8, true));
        assert_eq!(estimate(8, 10, 100), (80, false));
        assert_eq!(estimate(8, 10, 5), (8, true));
        assert_eq!(estimate(0, 0, 3), (0, false));
    }
}
