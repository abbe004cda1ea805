//! Search: count the entities of a set of articles, fast (`akhbar
//! entities`, the facets of a search).
//!
//! tantivy's `FacetCollector` turned every facet counted into a `Facet`
//! (a dictionary lookup and an allocation each) in every segment, and
//! built a collapse table over the whole facet dictionary per query: 1.8 s
//! for the 13,500 hits of الحكومة on the shared corpora. [`EntityCounter`]
//! instead adds one to a per-segment array indexed by the facet's term
//! ordinal (read from the facet's fast column), and names only the
//! ordinals that were counted, by one sequential pass over the segment's
//! facet dictionary at the end.
//!
//! A new name is shown in the spelling the corpus uses most
//! ([`display_name`]: the `entity_form` term of that name with the most
//! articles); a table entity by its canonical name.

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::schema::Field;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::entities::form_prefix;
use crate::entities::EntityType;

/// An entity and the number of articles naming it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EntityCount {
    /// Canonical name, or a new name in the spelling the corpus uses most.
    pub name: String,
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Articles that name it.
    pub articles: u64,
}

/// Articles per (type, name key).
pub type Counts = FxHashMap<(EntityType, String), u64>;

/// Counts the articles naming each entity (the `entity` facet field).
pub struct EntityCounter;

/// [`EntityCounter`]'s work on one segment.
pub struct EntitySegmentCounter {
    column: Option<StrColumn>,
    counts: Vec<u32>,
}

impl Collector for EntityCounter {
    type Fruit = Counts;
    type Child = EntitySegmentCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<EntitySegmentCounter> {
        let column = reader.fast_fields().str("entity")?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(EntitySegmentCounter {
            column,
            counts: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut fruits = fruits.into_iter();
        let mut all = fruits.next().unwrap_or_default();
        for fruit in fruits {
            for (key, n) in fruit {
                *all.entry(key).or_default() += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for EntitySegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(column) = &self.column {
            for ord in column.ords().values_for_doc(doc) {
                if let Some(n) = self.counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Counts::default();
        let Some(column) = self.column else {
            return out;
        };
        if self.counts.iter().all(|&n| n == 0) {
            return out;
        }
        let Ok(mut stream) = column.dictionary().stream() else {
            return out;
        };
        while stream.advance() {
            let n = self.counts.get(stream.term_ord() as usize).copied();
            let Some(n) = n.filter(|&n| n > 0) else {
                continue;
            };
            if let Some(key) = parse_facet(stream.key()) {
                *out.entry(key).or_default() += u64::from(n);
            }
        }
        out
    }
}

/// (type, name) of an encoded facet `TYPE\0name`.
fn parse_facet(bytes: &[u8]) -> Option<(EntityType, String)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (code, name) = text.split_once('\0')?;
    Some((EntityType::from_code(code)?, name.to_string()))
}

/// The `n` most-named entities of type `kind` among `counts` (most
/// articles first, then by name).
pub fn top_of(counts: &Counts, kind: Option<EntityType>, n: usize) -> Vec<(EntityType, &str, u64)> {
    let mut all: Vec<(EntityType, &str, u64)> = counts
        .iter()
        .filter(|((k, _), _)| kind.is_none_or(|t| t == *k))
        .map(|((k, name), &n)| (*k, name.as_str(), n))
        .collect();
    let by_count =
        |a: &(EntityType, &str, u64), b: &(EntityType, &str, u64)| b.2.cmp(&a.2).then(a.1.cmp(b.1));
    if all.len() > n {
        all.select_nth_unstable_by(n, by_count);
        all.truncate(n);
    }
    all.sort_by(by_count);
    all
}

/// How an entity is shown: for a new name (its key normalized), the
/// spelling with the most articles in the index; else the key itself (a
/// table entity's canonical name).
pub fn display_name(searcher: &Searcher, field: Field, kind: EntityType, key: &str) -> String {
    let prefix = form_prefix(kind, key);
    let mut upper = prefix.as_bytes().to_vec();
    upper.push(0xFF);
    let mut forms: Vec<(String, u64)> = Vec::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let range = inverted.terms().range().ge(prefix.as_bytes()).lt(&upper);
        let Ok(mut stream) = range.into_stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let form = &term[prefix.len()..];
            let n = u64::from(stream.value().doc_freq);
            match forms.iter_mut().find(|(f, _)| f == form) {
                Some(known) => known.1 += n,
                None => forms.push((form.to_string(), n)),
            }
        }
    }
    forms
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or_else(|| key.to_string(), |(form, _)| form)
}
