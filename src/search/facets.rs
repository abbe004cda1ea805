//! Search: facets of a query's hits — the entities they name, their
//! sources and their months — counted over **all** matching articles, not
//! only the page shown (`search --facets`, the API's `facets=1`).
//!
//! One pass over the matches with three collectors side by side:
//! [`EntityCounter`] on the entity facets (`/TYPE/name`, see
//! [`super::entity_counts`]), tantivy's `FacetCollector` on the source
//! facet (`/name`, a few dozen values), and [`MonthCollector`], which reads the `date` fast
//! column and counts articles per day, turned into months at the end (one
//! calendar conversion per distinct day, not per article). Articles
//! without a date are counted apart ([`Facets::undated`]) so the timeline
//! never silently misses them.
//!
//! The function takes the searcher and the final query (filters included)
//! so the search runs it on exactly what it matched.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, FacetCollector, FacetCounts, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::{DateTime, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::entity_counts::{display_name, top_of, Counts, EntityCount, EntityCounter};

/// Entities listed in [`Facets::entities`] (the most-named, all types).
pub const FACET_ENTITIES: usize = 20;
/// Sources listed in [`Facets::sources`].
pub const FACET_SOURCES: usize = 20;

/// What all the hits of a query add up to.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Facets {
    /// The most-named entities among the hits, most articles first.
    pub entities: Vec<EntityCount>,
    /// The sources with the most hits, most first.
    pub sources: Vec<SourceCount>,
    /// Every month with hits, in calendar order.
    pub months: Vec<MonthCount>,
    /// Hits without a readable date (not in `months`).
    pub undated: u64,
}

/// A source and its number of hits.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SourceCount {
    /// Outlet name as indexed.
    pub name: String,
    /// Hits from it.
    pub articles: u64,
}

/// A month and its number of hits.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Hits published that month.
    pub articles: u64,
}

/// Counts the facets of every document `query` matches.
///
/// # Errors
/// A tantivy error when the index cannot be read.
pub fn facets_of(searcher: &Searcher, query: &dyn Query, forms: Field) -> tantivy::Result<Facets> {
    let mut sources = FacetCollector::for_field("source_facet");
    sources.add_facet("/");
    let (entity_counts, source_counts, (days, undated)) =
        searcher.search(query, &(EntityCounter, sources, MonthCollector))?;
    Ok(Facets {
        entities: top_entities(searcher, forms, &entity_counts),
        sources: top_sources(&source_counts),
        months: months(&days),
        undated,
    })
}

/// The [`FACET_ENTITIES`] most-named entities over all types, most first,
/// then by name.
fn top_entities(searcher: &Searcher, forms: Field, counts: &Counts) -> Vec<EntityCount> {
    top_of(counts, None, FACET_ENTITIES)
        .into_iter()
        .map(|(kind, name, n)| EntityCount {
            name: display_name(searcher, forms, kind, name),
            kind,
            articles: n,
        })
        .collect()
}

fn top_sources(counts: &FacetCounts) -> Vec<SourceCount> {
    counts
        .top_k("/", FACET_SOURCES)
        .into_iter()
        .map(|(facet, n)| SourceCount {
            name: last_part(facet),
            articles: n,
        })
        .collect()
}

fn last_part(facet: &tantivy::schema::Facet) -> String {
    facet
        .to_path()
        .last()
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// Day counts (days since the Unix epoch) folded into calendar months.
fn months(days: &BTreeMap<i64, u64>) -> Vec<MonthCount> {
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for (&day, &n) in days {
        let month = chrono::DateTime::from_timestamp(day * 86_400, 0)
            .map_or_else(|| "unknown".to_string(), |d| d.format("%Y-%m").to_string());
        *months.entry(month).or_default() += n;
    }
    months
        .into_iter()
        .map(|(month, articles)| MonthCount { month, articles })
        .collect()
}

/// Counts matching documents per publication day (and those without a
/// date), from the `date` fast column.
pub struct MonthCollector;

/// [`MonthCollector`]'s work on one segment.
pub struct MonthSegmentCollector {
    column: Option<Column<DateTime>>,
    days: BTreeMap<i64, u64>,
    undated: u64,
}

impl Collector for MonthCollector {
    type Fruit = (BTreeMap<i64, u64>, u64);
    type Child = MonthSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<MonthSegmentCollector> {
        Ok(MonthSegmentCollector {
            column: reader.fast_fields().date("date").ok(),
            days: BTreeMap::new(),
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(BTreeMap<i64, u64>, u64)>) -> tantivy::Result<Self::Fruit> {
        let mut days = BTreeMap::new();
        let mut undated = 0;
        for (segment_days, segment_undated) in fruits {
            for (day, n) in segment_days {
                *days.entry(day).or_default() += n;
            }
            undated += segment_undated;
        }
        Ok((days, undated))
    }
}

impl SegmentCollector for MonthSegmentCollector {
    type Fruit = (BTreeMap<i64, u64>, u64);

    fn collect(&mut self, doc: DocId, _score: Score) {
        match self.column.as_ref().and_then(|c| c.first(doc)) {
            Some(date) => {
                let day = date.into_timestamp_secs().div_euclid(86_400);
                *self.days.entry(day).or_default() += 1;
            }
            None => self.undated += 1,
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.days, self.undated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_fold_into_calendar_months() {
        // 2024-01-31, 2024-02-01, 2024-02-29 and 1969-12-31 (before the epoch).
        let day = |y, m, d| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc().timestamp() / 86_400)
                .expect("valid date")
        };
        let days: BTreeMap<i64, u64> = [
            (day(2024, 1, 31), 2),
            (day(2024, 2, 1), 1),
            (day(2024, 2, 29), 4),
            (day(1969, 12, 31), 1),
        ]
        .into_iter()
        .collect();
        let got: Vec<(String, u64)> = months(&days)
            .into_iter()
            .map(|m| (m.month, m.articles))
            .collect();
        let want = [("1969-12", 1), ("2024-01", 2), ("2024-02", 5)];
        let want: Vec<(String, u64)> = want.iter().map(|(m, n)| (m.to_string(), *n)).collect();
        assert_eq!(got, want);
    }
}
