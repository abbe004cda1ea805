//! Export: `index.json`, the settings and mappings of the exported index.
//!
//! Fields (akhbar's names where it has them):
//! - `title`, `body`: the text as written, analyzed by `akhbar_exact`
//!   (phrases, entities), with a sub-field `.stem` analyzed by
//!   `akhbar_keyword` (words). Named `.stem` and not `.keyword`, which by
//!   Elasticsearch convention is an unanalyzed `keyword` field;
//! - `keywords`: the source's tags, copied into `body` as akhbar indexes
//!   them with the body;
//! - `entity`, `entity_weak`: `TYPE/name` keywords (akhbar's entity facets
//!   and weak mentions), `entities`: their details, stored only;
//! - `source` (as written), `source_key` (what `source:` filters), `date`
//!   (a date), `date_text`, `url`, `category`, `id`, `file`: keywords;
//! - `story`: the near-duplicate story id (the id of the story's first
//!   article in export order), for `collapse`: one keyword per article,
//!   never missing, so an article alone is a story of its own.
//!
//! BM25 with k1 = 1.2, b = 0.75 (Lucene's defaults, as tantivy's).
//!
//! The pre-analyzed layout (`layout.rs`) indexes `title_words`,
//! `body_words` (white space split, `_` dropped in place: positions kept
//! for phrases) and `title_stems`, `body_stems` (white space split,
//! frequencies only) instead, and keeps `title`, `body` and `keywords` as
//! written without indexing them.

use serde_json::{json, Map, Value};

use super::analysis::{analysis_settings, EXACT, KEYWORD, PHRASE};
use super::expand::ALTERNATIVES;
use super::layout::{stems_field, words_field, Layout, GAP};
use crate::analysis::ANALYZER_VERSION;

/// The analyzer of the pre-analyzed layout's word fields.
pub const WORDS: &str = "akhbar_words";
/// The analyzer of the pre-analyzed layout's stem fields.
pub const STEMS: &str = "akhbar_stems";

/// The analyzed text field with its `.stem` sub-field.
fn text_field() -> Value {
    json!({
        "type": "text",
        "analyzer": EXACT,
        "search_analyzer": EXACT,
        "search_quote_analyzer": PHRASE,
        "fields": {
            "stem": { "type": "text", "analyzer": KEYWORD }
        }
    })
}

/// The text fields of the pre-analyzed layout: the texts as written
/// (not indexed; `akhbar_exact` highlights them at search time) and the
/// word and stem fields.
fn pre_analyzed_fields(properties: &mut Map<String, Value>) {
    for field in ["title", "body"] {
        properties.insert(
            field.to_string(),
            json!({ "type": "text", "analyzer": EXACT, "index": false }),
        );
        properties.insert(
            words_field(field),
            json!({ "type": "text", "analyzer": WORDS, "search_analyzer": WORDS }),
        );
        properties.insert(
            stems_field(field),
            json!({ "type": "text", "analyzer": STEMS, "index_options": "freqs" }),
        );
    }
    properties.insert(
        "keywords".to_string(),
        json!({ "type": "text", "index": false }),
    );
}

/// The whole `index.json`: `{"settings": …, "mappings": …}`.
pub fn index_json(layout: Layout) -> Value {
    let mut index = chain_index_json();
    index["mappings"]["_meta"]["akhbar_layout"] = json!(layout.name());
    if layout == Layout::PreAnalyzed {
        let analysis = &mut index["settings"]["index"]["analysis"];
        analysis["filter"]["akhbar_gap"] = json!({ "type": "stop", "stopwords": [GAP] });
        analysis["filter"]["akhbar_stacked"] = json!({
            "type": "pattern_capture", "preserve_original": false, "patterns": ["([^|]+)"]
        });
        // a position's alternatives make one long token (a few KiB for a
        // word's written forms): past the tokenizer's 255 characters it
        // would be cut into several positions
        analysis["tokenizer"]["akhbar_long_whitespace"] = json!({
            "type": "whitespace", "max_token_length": 16384
        });
        analysis["analyzer"][ALTERNATIVES] = json!({
            "type": "custom", "tokenizer": "akhbar_long_whitespace", "filter": ["akhbar_stacked"]
        });
        analysis["analyzer"][WORDS] = json!({
            "type": "custom", "tokenizer": "whitespace", "filter": ["akhbar_gap"]
        });
        analysis["analyzer"][STEMS] = json!({ "type": "custom", "tokenizer": "whitespace" });
        if let Some(properties) = index["mappings"]["properties"].as_object_mut() {
            pre_analyzed_fields(properties);
        }
    }
    index
}

/// `index.json` of the analysis-chain layout.
fn chain_index_json() -> Value {
    let keyword = json!({ "type": "keyword" });
    let stored = json!({ "type": "keyword", "index": false, "doc_values": false });
    json!({
        "settings": {
            "index": {
                "number_of_shards": 1,
                "number_of_replicas": 0,
                "similarity": {
                    "default": { "type": "BM25", "k1": 1.2, "b": 0.75 }
                },
                "analysis": analysis_settings()
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {
                "exported_by": format!("akhbar {}", env!("CARGO_PKG_VERSION")),
                "akhbar_analyzer_version": ANALYZER_VERSION
            },
            "properties": {
                "id": keyword,
                "file": keyword,
                "title": text_field(),
                "body": text_field(),
                "keywords": {
                    "type": "text", "analyzer": EXACT, "copy_to": ["body"]
                },
                "date": { "type": "date", "format": "strict_date_optional_time||epoch_second" },
                "date_text": stored,
                "source": keyword,
                "source_key": keyword,
                "url": stored,
                "category": keyword,
                "entity": keyword,
                "entity_weak": keyword,
                "entities": { "type": "object", "enabled": false },
                "story": keyword
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_field_is_mapped() {
        let index = index_json(Layout::PreAnalyzed);
        let properties = &index["mappings"]["properties"];
        let doc = crate::export::document::ExportDoc {
            id: "x".into(),
            file: "f".into(),
            title: "t".into(),
            body: "b".into(),
            keywords: "k".into(),
            date: Some("2018-01-01T00:00:00Z".into()),
            date_text: "d".into(),
            source: "s".into(),
            source_key: "s".into(),
            url: "u".into(),
            category: "c".into(),
            entity: vec![],
            entity_weak: vec![],
            entities: vec![],
            story: "x".into(),
            signature: None,
            analyzed: Some(crate::export::document::Analyzed {
                title_words: "t".into(),
                body_words: vec!["b".into()],
                title_stems: "t".into(),
                body_stems: vec!["b".into()],
            }),
        };
        let value = serde_json::to_value(&doc).expect("json");
        for key in value.as_object().expect("object").keys() {
            assert!(properties.get(key).is_some(), "{key} not mapped");
        }
        for field in ["title", "body"] {
            let analyzer = properties[field]["analyzer"].as_str().expect("analyzer");
            assert!(index["settings"]["index"]["analysis"]["analyzer"]
                .get(analyzer)
                .is_some());
        }
    }

    #[test]
    fn index_json_round_trips() {
        for layout in [Layout::Chain, Layout::PreAnalyzed] {
            let text = serde_json::to_string_pretty(&index_json(layout)).expect("text");
            let back: Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(back, index_json(layout));
        }
    }

    #[test]
    fn pre_analyzed_fields_are_mapped_with_their_analyzers() {
        let index = index_json(Layout::PreAnalyzed);
        let properties = &index["mappings"]["properties"];
        let analyzers = &index["settings"]["index"]["analysis"]["analyzer"];
        for field in ["title", "body"] {
            assert_eq!(properties[field]["index"], json!(false));
            let words = &properties[words_field(field)];
            assert!(analyzers
                .get(words["analyzer"].as_str().expect("analyzer"))
                .is_some());
            let stems = &properties[stems_field(field)];
            assert!(analyzers
                .get(stems["analyzer"].as_str().expect("analyzer"))
                .is_some());
        }
        assert_eq!(
            index["mappings"]["_meta"]["akhbar_layout"],
            json!("pre-analyzed")
        );
    }
}
