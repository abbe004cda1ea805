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

use serde_json::{json, Value};

use super::analysis::{analysis_settings, EXACT, KEYWORD, PHRASE};
use crate::analysis::ANALYZER_VERSION;

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

/// The whole `index.json`: `{"settings": …, "mappings": …}`.
pub fn index_json() -> Value {
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
        let index = index_json();
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
        let text = serde_json::to_string_pretty(&index_json()).expect("text");
        let back: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, index_json());
    }
}
