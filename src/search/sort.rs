//! Result order (`--sort`, the API's `sort=`): by relevance, newest first
//! or oldest first, and the collector that gathers a query's first hits
//! (or all of them, `--all`) in that order.
//!
//! Order by date reads the `date` fast column (seconds). Articles without
//! a date come after every dated one, in both date orders: a reader
//! following a story wants the dated coverage first, and an undated
//! article has no place on a timeline. Ties (the same second: most
//! sources give only a day, so ties are common) go to the better
//! first-pass score, then to index order, so paging is stable. The second
//! ranking pass (`rerank`) orders only a relevance ranking; under a date
//! order the ties use the first-pass word-level BM25 scores.
//!
//! The collector keeps at most twice the wanted number of hits per
//! segment (a partial selection when it overflows), so a first page of a
//! large result stays small; with no bound (`--all`) it keeps one small
//! entry per hit (24 bytes): the stored fields are read later, one hit at
//! a time.

use std::cmp::Ordering;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The order of a result list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first (the default).
    #[default]
    Relevance,
    /// Newest first, ties by relevance; undated articles last.
    Newest,
    /// Oldest first, ties by relevance; undated articles last.
    Oldest,
}

impl SortOrder {
    /// Parses `relevance`, `date` (newest first) or `-date` (oldest first).
    ///
    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(text: &str) -> Result<SortOrder, String> {
        match text.trim() {
            "relevance" | "" => Ok(SortOrder::Relevance),
            "date" => Ok(SortOrder::Newest),
            "-date" => Ok(SortOrder::Oldest),
            other => Err(format!(
                "unknown sort {other:?}: use relevance, date (newest first) or -date (oldest first)"
            )),
        }
    }

    /// The name `parse` accepts.
    pub fn name(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Newest => "date",
            SortOrder::Oldest => "-date",
        }
    }
}

/// One collected hit: its date (seconds), score and address.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// Publication date, Unix seconds, when known.
    pub date: Option<i64>,
    /// First-pass score.
    pub score: Score,
    /// Where the article is.
    pub address: DocAddress,
}

/// `Less` when `a` comes before `b` in `order`.
pub fn compare(order: SortOrder, a: &Entry, b: &Entry) -> Ordering {
    let by_date = match order {
        SortOrder::Relevance => Ordering::Equal,
        SortOrder::Newest | SortOrder::Oldest => match (a.date, b.date) {
            (Some(x), Some(y)) if order == SortOrder::Newest => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    };
    by_date
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| a.address.cmp(&b.address))
}

/// Keeps the first `limit` entries of `entries`, in order.
fn keep_first(order: SortOrder, entries: &mut Vec<Entry>, limit: usize) {
    if entries.len() > limit && limit > 0 {
        entries.select_nth_unstable_by(limit - 1, |a, b| compare(order, a, b));
    }
    entries.truncate(limit);
    entries.sort_unstable_by(|a, b| compare(order, a, b));
}

/// Collects the count of hits and the first `limit` of them in `order`
/// (`usize::MAX`: all of them).
#[derive(Clone, Debug)]
pub struct Sorted {
    order: SortOrder,
    limit: usize,
    date_field: String,
}

impl Sorted {
    /// A collector of the first `limit` hits in `order`, dates read from
    /// the fast field named `date_field`.
    pub fn new(order: SortOrder, limit: usize, date_field: &str) -> Sorted {
        Sorted {
            order,
            limit,
            date_field: date_field.to_string(),
        }
    }

    /// The hits as `(score, address)`, in order, after the count.
    pub fn scored(fruit: (usize, Vec<Entry>)) -> (usize, Vec<(Score, DocAddress)>) {
        let (count, entries) = fruit;
        (
            count,
            entries.into_iter().map(|e| (e.score, e.address)).collect(),
        )
    }
}

/// [`Sorted`] in one segment.
pub struct SortedSegment {
    order: SortOrder,
    limit: usize,
    segment: SegmentOrdinal,
    dates: Option<Column<tantivy::DateTime>>,
    count: usize,
    entries: Vec<Entry>,
}

impl Collector for Sorted {
    type Fruit = (usize, Vec<Entry>);
    type Child = SortedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SortedSegment> {
        let dates = match self.order {
            SortOrder::Relevance => None,
            _ => Some(reader.fast_fields().date(&self.date_field)?),
        };
        Ok(SortedSegment {
            order: self.order,
            limit: self.limit,
            segment,
            dates,
            count: 0,
            entries: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Vec<Entry>)>) -> tantivy::Result<Self::Fruit> {
        let count = fruits.iter().map(|f| f.0).sum();
        let mut all: Vec<Entry> = fruits.into_iter().flat_map(|f| f.1).collect();
        keep_first(self.order, &mut all, self.limit);
        Ok((count, all))
    }
}

impl SegmentCollector for SortedSegment {
    type Fruit = (usize, Vec<Entry>);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.count += 1;
        if self.limit == 0 {
            return;
        }
        let date = self
            .dates
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| d.into_timestamp_secs());
        self.entries.push(Entry {
            date,
            score,
            address: DocAddress::new(self.segment, doc),
        });
        if self.entries.len() >= self.limit.saturating_mul(2).max(64) {
            keep_first(self.order, &mut self.entries, self.limit);
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        keep_first(self.order, &mut self.entries, self.limit);
        (self.count, self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(date: Option<i64>, score: f32, doc: u32) -> Entry {
        Entry {
            date,
            score,
            address: DocAddress::new(0, doc),
        }
    }

    #[test]
    fn parses_the_three_orders_and_names_them_back() {
        for (text, order) in [
            ("relevance", SortOrder::Relevance),
            ("date", SortOrder::Newest),
            ("-date", SortOrder::Oldest),
        ] {
            assert_eq!(SortOrder::parse(text), Ok(order));
            assert_eq!(order.name(), text);
        }
        for bad in ["newest", "+date", "DATE", "score"] {
            let err = SortOrder::parse(bad).expect_err(bad);
            assert!(err.contains("relevance"), "{err}");
        }
    }

    #[test]
    fn orders_by_date_then_score_then_address_undated_last() {
        let entries = [
            e(None, 9.0, 0),
            e(Some(100), 1.0, 1),
            e(Some(300), 2.0, 2),
            e(Some(100), 5.0, 3),
            e(None, 3.0, 4),
            e(Some(300), 2.0, 5),
        ];
        // (order, expected doc order)
        let cases: [(SortOrder, [u32; 6]); 3] = [
            (SortOrder::Newest, [2, 5, 3, 1, 0, 4]),
            (SortOrder::Oldest, [3, 1, 2, 5, 0, 4]),
            (SortOrder::Relevance, [0, 3, 4, 2, 5, 1]),
        ];
        for (order, expected) in cases {
            let mut v = entries.to_vec();
            v.sort_by(|a, b| compare(order, a, b));
            let docs: Vec<u32> = v.iter().map(|x| x.address.doc_id).collect();
            assert_eq!(docs, expected, "{order:?}");
            // a bounded selection keeps the same head
            for limit in 0..=6 {
                let mut w = entries.to_vec();
                keep_first(order, &mut w, limit);
                let head: Vec<u32> = w.iter().map(|x| x.address.doc_id).collect();
                assert_eq!(head, expected[..limit].to_vec(), "{order:?} {limit}");
            }
        }
    }
}
