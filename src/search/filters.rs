//! Search: what every request narrows its hits by — the dates and outlets
//! ([`Filters`]) and the page ([`Page`]) — shared by searches, similar
//! articles and the API.

use std::ops::Bound;

use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Term};

use crate::index::source_key;
use crate::index::OpenIndex;

/// The articles a request may return: publication dates and outlets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Earliest publication date (Unix seconds, inclusive).
    pub from: Option<i64>,
    /// Latest publication date (Unix seconds, inclusive).
    pub to: Option<i64>,
    /// Only these outlets (any of them).
    pub sources: Vec<String>,
}

impl Filters {
    /// `main` restricted to these dates and outlets.
    pub(crate) fn apply(&self, open: &OpenIndex, main: Box<dyn Query>) -> Box<dyn Query> {
        let f = &open.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
        if self.from.is_some() || self.to.is_some() {
            let bound = |ts: Option<i64>| match ts {
                Some(ts) => Bound::Included(Term::from_field_date(
                    f.date,
                    DateTime::from_timestamp_secs(ts),
                )),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(self.from), bound(self.to))),
            ));
        }
        if !self.sources.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = self
                .sources
                .iter()
                .map(|s| {
                    let term = Term::from_field_text(f.source_key, &source_key(s));
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if clauses.len() == 1 {
            clauses.remove(0).1
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }
}

/// Which hits of the ranked list a request shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
}

impl Default for Page {
    /// The first ten hits.
    fn default() -> Self {
        Page {
            limit: 10,
            offset: 0,
        }
    }
}

impl Page {
    /// Hits to rank to fill the page (at least one).
    pub fn wanted(&self) -> usize {
        self.offset.saturating_add(self.limit.max(1))
    }

    /// The rank of the page's first hit (1-based).
    pub fn first_rank(&self) -> usize {
        self.offset + 1
    }
}
