//! Search: how many live articles hold each child of a facet, read from
//! the facet field's term dictionary (each term's document frequency, per
//! segment, with deleted documents taken out by walking that term's
//! postings only in segments that have deletes). `FacetCollector` visits
//! every document; the dictionary holds one term per value, so counts over
//! the whole index cost the number of values, not of articles. Used by
//! `akhbar stats` for sources.

use std::collections::HashMap;

use tantivy::fastfield::AliveBitSet;
use tantivy::postings::TermInfo;
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocSet, InvertedIndexReader, Searcher, TERMINATED};

/// Every child of `parent` in the facet field `field`, with the number of
/// live documents holding it, most first (ties by name, as
/// `FacetCollector::top_k` orders them).
///
/// # Errors
/// A failure reading a segment's dictionary or postings.
pub fn facet_counts(
    searcher: &Searcher,
    field: Field,
    parent: &Facet,
) -> tantivy::Result<Vec<(String, u64)>> {
    // Children of the root are every term; of `/PER`, the terms between
    // `PER\0` and `PER\1`.
    let prefix = parent.encoded_str();
    let (lo, hi) = if prefix.is_empty() {
        (String::new(), "\u{10FFFF}".to_string())
    } else {
        (format!("{prefix}\u{0}"), format!("{prefix}\u{1}"))
    };
    let mut counts: HashMap<Vec<u8>, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let alive = segment.alive_bitset();
        let mut terms = inverted
            .terms()
            .range()
            .ge(lo.as_bytes())
            .lt(hi.as_bytes())
            .into_stream()?;
        while terms.advance() {
            let info = terms.value();
            let n = live_docs(&inverted, info, alive, u64::MAX)?;
            // Ancestors are indexed too (the root as an empty term): count
            // direct children only.
            let child = &terms.key()[lo.len()..];
            if n > 0 && !child.is_empty() && !child.contains(&0) {
                *counts.entry(terms.key().to_vec()).or_default() += n;
            }
        }
    }
    let mut out: Vec<(Vec<u8>, u64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out
        .into_iter()
        .map(|(key, n)| {
            let name = key
                .rsplit(|&b| b == 0)
                .next()
                .map(|last| String::from_utf8_lossy(last).into_owned())
                .unwrap_or_default();
            (name, n)
        })
        .collect())
}

/// Live documents holding the term of `info` (its dictionary count when
/// the segment has no deletes, else counted from its postings), counting
/// no further than `enough`.
///
/// # Errors
/// A failure reading the postings.
pub(super) fn live_docs(
    inverted: &InvertedIndexReader,
    info: &TermInfo,
    alive: Option<&AliveBitSet>,
    enough: u64,
) -> tantivy::Result<u64> {
    let Some(alive) = alive else {
        return Ok(u64::from(info.doc_freq));
    };
    let mut postings = inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    let mut n = 0u64;
    let mut doc = postings.doc();
    while doc != TERMINATED && n < enough {
        if alive.is_alive(doc) {
            n += 1;
        }
        doc = postings.advance();
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::FacetCollector;
    use tantivy::query::AllQuery;
    use tantivy::schema::{FacetOptions, Schema, STRING};
    use tantivy::{doc, Index, Term};

    #[test]
    fn dictionary_counts_match_the_collector_with_deleted_documents() {
        let mut schema = Schema::builder();
        let entity = schema.add_facet_field("entity", FacetOptions::default());
        let id = schema.add_text_field("id", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let names = ["بيروت", "دمشق", "عمان", "القاهرة"];
        for n in 0..200usize {
            let mut d = doc!(id => n.to_string());
            for (k, name) in names.iter().enumerate() {
                if n % (k + 2) == 0 {
                    d.add_facet(entity, Facet::from_path(["LOC", name]));
                }
            }
            if n % 5 == 0 {
                d.add_facet(entity, Facet::from_path(["PER", "سمير"]));
            }
            writer.add_document(d).expect("add");
            if n == 100 {
                writer.commit().expect("commit");
            }
        }
        writer.commit().expect("commit");
        for n in (0..200).step_by(3) {
            writer.delete_term(Term::from_field_text(id, &n.to_string()));
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        assert!(searcher.segment_readers().iter().any(|s| s.has_deletes()));
        for parent in ["/LOC", "/PER"] {
            let mut collector = FacetCollector::for_field("entity");
            collector.add_facet(parent);
            let counts = searcher.search(&AllQuery, &collector).expect("collect");
            let expected: Vec<(String, u64)> = counts
                .top_k(parent, 10)
                .into_iter()
                .map(|(f, n)| {
                    (
                        f.to_path()
                            .last()
                            .map(|s| s.to_string())
                            .unwrap_or_default(),
                        n,
                    )
                })
                .collect();
            let got = facet_counts(&searcher, entity, &Facet::from(parent)).expect("counts");
            assert_eq!(got, expected, "{parent}");
        }
    }
}
