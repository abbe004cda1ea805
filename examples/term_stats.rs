//! Term statistics of an index, per indexed field, independent of how the
//! index is cut into segments: the number of distinct terms some live
//! article holds, the sum of their document frequencies and of their term
//! frequencies (live articles only), and a hash of every (term, document
//! frequency, term frequency) triple. Two indexes of the same articles
//! built by two akhbar versions must print the same lines when nothing
//! changed in what is indexed (issue 28: speed-ups prove it this way;
//! `tools/answers.sh` runs it).
//!
//! `cargo run --release --example term_stats -- --index DIR`

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::PathBuf;

use akhbar::index::open_existing;
use support::arg;
use tantivy::postings::Postings;
use tantivy::schema::{FieldType, IndexRecordOption};
use tantivy::{DocSet, TERMINATED};

/// Per term: live documents and occurrences in them.
type Counts = BTreeMap<Vec<u8>, (u64, u64)>;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let index = PathBuf::from(arg(&args, "--index").unwrap_or_else(|| "index".into()));
    let open = open_existing(&index)?;
    let searcher = open.searcher()?;
    let schema = open.index.schema();
    for (field, entry) in schema.fields() {
        let with_freqs = match entry.field_type() {
            FieldType::Str(o) => o
                .get_indexing_options()
                .is_some_and(|i| i.index_option() != IndexRecordOption::Basic),
            FieldType::Facet(_) => false,
            _ => continue,
        };
        if !entry.is_indexed() {
            continue;
        }
        let mut counts = Counts::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let alive = segment.alive_bitset();
            let option = if with_freqs {
                IndexRecordOption::WithFreqs
            } else {
                IndexRecordOption::Basic
            };
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                let mut postings = inverted.read_postings_from_terminfo(terms.value(), option)?;
                let (mut docs, mut freqs) = (0u64, 0u64);
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        docs += 1;
                        freqs += u64::from(postings.term_freq());
                    }
                    doc = postings.advance();
                }
                if docs > 0 {
                    let entry = counts.entry(terms.key().to_vec()).or_default();
                    entry.0 += docs;
                    entry.1 += freqs;
                }
            }
        }
        let mut hash = std::collections::hash_map::DefaultHasher::new();
        let (mut docs, mut freqs) = (0u64, 0u64);
        for (term, (d, f)) in &counts {
            hash.write(term);
            hash.write_u64(*d);
            hash.write_u64(*f);
            docs += d;
            freqs += f;
        }
        println!(
            "{}\tterms {}\tdoc_freq {}\tterm_freq {}\thash {:016x}",
            entry.name(),
            counts.len(),
            docs,
            freqs,
            hash.finish()
        );
    }
    Ok(())
}
