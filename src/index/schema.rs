//! Index: the tantivy schema.
//!
//! The original title and body are stored once, for display and snippets,
//! and indexed once each through the exact analyzer (`*_exact`: words and
//! their proclitic readings, with positions): phrases, entities and word
//! search all match there, keyword stems through the readings they are
//! stems of (see `search::plan`). Two keyword fields of stemmed readings
//! were dropped: they held 45% of the postings and cost 21% of indexing
//! cycles. Keywords given by the source are indexed with the body.
//! `id` and `file` are raw terms used to replace and delete articles;
//! `entity` holds the entities found at index time as facets `/TYPE/name`
//! (confident mentions; the key: a table entity's canonical name, a new
//! name's normalized form), `entity_weak` the entities named only by a
//! name that is also a common word (raw terms `TYPE/name`), `entity_form`
//! each spelling of a new name as written (`TYPE/name/spelling`: the
//! corpus's most used one is shown), `entities` the article's entities
//! as shown (stored, so a search lists a hit's entities without reading
//! its text again), and `plain_words` the words that normalize like a
//! function word but are written otherwise (علي, not على: `--entity`).
//! Schema 6 added the last four. Schema 7 added `minhash`, the body's
//! near-duplicate signature ([`crate::analysis::shingles`]: 16 tagged
//! `u64`s in a multi-valued fast column, none for short bodies), read for
//! the hits a search groups into stories (`search::collapse`). Schema 8
//! added `line` (stored): where the article's record starts in its file
//! (line, or Parquet row; absent for a file that is one article), shown
//! as the article's provenance; an index of schema 7 asks for `akhbar
//! index --rebuild` rather than answer without it.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions,
    Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use super::IndexError;
use crate::analysis::INDEX_ANALYZER;
use crate::entities::EntityType;

/// Version of the schema; stored in the manifest and checked on open.
pub const SCHEMA_VERSION: u32 = 8;

/// Handles to every field of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Stable article id (raw, stored).
    pub id: Field,
    /// Canonical path of the source file (raw, for deletes).
    pub file: Field,
    /// Path of the source file as walked (stored, for display).
    pub path: Field,
    /// Line (or Parquet row) its record starts on in that file (stored;
    /// absent for a file that is one article).
    pub line: Field,
    /// Original title (stored).
    pub title: Field,
    /// Original body (stored).
    pub body: Field,
    /// Title through the exact analyzer.
    pub title_exact: Field,
    /// Body and keywords through the exact analyzer.
    pub body_exact: Field,
    /// Publication date (indexed, fast, stored).
    pub date: Field,
    /// Publication date as written in the source (stored).
    pub date_text: Field,
    /// Outlet name as written (stored).
    pub source: Field,
    /// Outlet name, trimmed and lowercased (raw, fast: filters and stats).
    pub source_key: Field,
    /// Outlet as a facet `/name`.
    pub source_facet: Field,
    /// Address of the article (stored).
    pub url: Field,
    /// Section or category (raw, stored).
    pub category: Field,
    /// Keywords given by the source (stored).
    pub keywords: Field,
    /// Entities the article names, as facets `/TYPE/name`.
    pub entity: Field,
    /// Entities named only ambiguously, raw terms `TYPE/name`.
    pub entity_weak: Field,
    /// Spellings of new names, raw terms `TYPE/name/spelling`.
    pub entity_form: Field,
    /// The article's entities as shown (stored, see `index::document`).
    pub entities: Field,
    /// Function-word homographs written as other words (raw terms).
    pub plain_words: Field,
    /// The body's MinHash signature (tagged `u64`s, fast; absent for
    /// short bodies).
    pub minhash: Field,
}

/// An analyzed field: normalized words with positions (phrases).
fn analyzed() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(INDEX_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("file", STRING);
    b.add_text_field("path", STORED);
    b.add_u64_field("line", STORED);
    b.add_text_field("title", STORED);
    b.add_text_field("body", STORED);
    b.add_text_field("title_exact", analyzed());
    b.add_text_field("body_exact", analyzed());
    let date = DateOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    b.add_date_field("date", date);
    b.add_text_field("date_text", STORED);
    b.add_text_field("source", STORED);
    b.add_text_field("source_key", STRING | FAST);
    b.add_facet_field("source_facet", FacetOptions::default());
    b.add_text_field("url", STORED);
    b.add_text_field("category", STRING | STORED);
    b.add_text_field("keywords", STORED);
    b.add_facet_field("entity", FacetOptions::default());
    b.add_text_field("entity_weak", STRING);
    b.add_text_field("entity_form", STRING);
    b.add_text_field("entities", STORED);
    b.add_text_field("plain_words", STRING);
    b.add_u64_field("minhash", NumericOptions::default().set_fast());
    b.build()
}

/// Looks up every field in `schema`.
///
/// # Errors
/// [`IndexError::VersionMismatch`] when a field is missing (an index from
/// another schema).
pub fn fields(schema: &Schema, path: &std::path::Path) -> Result<Fields, IndexError> {
    let get = |name: &str| {
        schema
            .get_field(name)
            .map_err(|_| IndexError::VersionMismatch {
                path: path.to_path_buf(),
                what: "schema",
                found: 0,
                expected: SCHEMA_VERSION,
            })
    };
    Ok(Fields {
        id: get("id")?,
        file: get("file")?,
        path: get("path")?,
        line: get("line")?,
        title: get("title")?,
        body: get("body")?,
        title_exact: get("title_exact")?,
        body_exact: get("body_exact")?,
        date: get("date")?,
        date_text: get("date_text")?,
        source: get("source")?,
        source_key: get("source_key")?,
        source_facet: get("source_facet")?,
        url: get("url")?,
        category: get("category")?,
        keywords: get("keywords")?,
        entity: get("entity")?,
        entity_weak: get("entity_weak")?,
        entity_form: get("entity_form")?,
        entities: get("entities")?,
        plain_words: get("plain_words")?,
        minhash: get("minhash")?,
    })
}

/// The key under which a source name is filtered: trimmed and lowercased.
pub fn source_key(source: &str) -> String {
    source.trim().to_lowercase()
}

/// The facet under which an entity is indexed (`/TYPE/name`).
pub fn entity_facet(kind: EntityType, name: &str) -> Facet {
    Facet::from_path([kind.code(), name])
}
