//! Index: turn an article into a tantivy document, entity facets and the
//! body's near-duplicate signature ([`crate::analysis::shingles`]) included.
//!
//! Runs on the workers of [`super::pipeline`], on both cores. Each text is
//! segmented and normalized once ([`TextNormalizer`]); entity extraction
//! reads the normalized words, and the indexed fields get the slot text,
//! which their index analyzer reads without segmenting or normalizing
//! again. Tried and dropped: handing tantivy pre-tokenized values derived
//! from one exact analysis per text cost 50% more instructions (35.5 G vs
//! 23.5 G on 19 MiB of articles: tokens copied and allocated per value)
//! and held up to 1.4 GiB in tantivy's 10,000-document queue; a slot text
//! is one string per field, about the size of the original.

use std::path::Path;
use std::sync::Arc;

use tantivy::schema::Facet;
use tantivy::{DateTime, TantivyDocument};

use super::schema::{entity_facet, source_key, Fields};
use crate::analysis::article_signature;
use crate::analysis::TextNormalizer;
use crate::corpus::Article;
use crate::entities::plain_homographs;
use crate::entities::AliasTable;
use crate::entities::Extractor;
use crate::entities::{encode_stored, form_term, weak_term};

/// Builds documents; one per worker thread.
pub struct DocBuilder {
    fields: Fields,
    extractor: Extractor,
    normalizer: TextNormalizer,
}

impl DocBuilder {
    /// A builder for the given schema fields and alias table.
    pub fn new(fields: Fields, table: Arc<AliasTable>) -> Self {
        DocBuilder {
            fields,
            extractor: Extractor::new(table),
            normalizer: TextNormalizer::default(),
        }
    }

    /// The document for `article`, with its id and source file.
    pub fn build(&mut self, a: &Article, id: &str, key: &str, path: &Path) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, id);
        doc.add_text(f.file, key);
        doc.add_text(f.path, path.to_string_lossy());
        if let Some(line) = a.line {
            doc.add_u64(f.line, line);
        }
        doc.add_text(f.title, &a.title);
        doc.add_text(f.body, &a.body);
        let title = self.normalizer.read(&a.title);
        let body = self.normalizer.read(&a.body);
        doc.add_text(f.title_exact, &title.slots);
        doc.add_text(f.body_exact, &body.slots);
        if let Some(sig) = article_signature(&title.slots, &body.slots) {
            for value in sig.to_values() {
                doc.add_u64(f.minhash, value);
            }
        }
        if !a.keywords.is_empty() {
            let keywords = self.normalizer.read(&a.keywords);
            doc.add_text(f.keywords, &a.keywords);
            doc.add_text(f.body_exact, &keywords.slots);
        }
        let texts = [(a.title.as_str(), &title), (a.body.as_str(), &body)];
        let found = self.extractor.extract_normalized(&texts);
        for (e, _) in &found {
            if e.weak {
                doc.add_text(f.entity_weak, weak_term(e.kind, &e.name));
                continue;
            }
            doc.add_facet(f.entity, entity_facet(e.kind, &e.name));
            for (form, _) in &e.forms {
                doc.add_text(f.entity_form, form_term(e.kind, &e.name, form));
            }
        }
        doc.add_text(f.entities, encode_stored(&found));
        for word in plain_homographs(&texts, &found) {
            doc.add_text(f.plain_words, word);
        }
        if let Some(ts) = a.date {
            doc.add_date(f.date, DateTime::from_timestamp_secs(ts));
        }
        doc.add_text(f.date_text, &a.date_text);
        doc.add_text(f.source, &a.source);
        let source = source_key(&a.source);
        if !source.is_empty() {
            doc.add_text(f.source_key, &source);
            doc.add_facet(f.source_facet, Facet::from_path([source.as_str()]));
        }
        doc.add_text(f.url, &a.url);
        doc.add_text(f.category, &a.category);
        doc
    }
}
