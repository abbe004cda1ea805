//! Export: one article as an OpenSearch document, with what akhbar's
//! indexer extracts from it (entities, parsed date, source key).
//!
//! The same steps as `index::document::DocBuilder`: each text normalized
//! once ([`TextNormalizer`]), entities found by
//! [`Extractor::extract_normalized`] over title and body, weak mentions
//! kept apart, the source filtered by `index::schema::source_key`. The
//! homograph words the index keeps for `--entity` on names outside the
//! alias table (`plain_words`) are not exported: the cluster searches
//! such names as phrases (see the export README).

use std::sync::Arc;

use serde::Serialize;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::layout::{Layout, GAP};
use crate::analysis::{article_signature, Signature};
use crate::analysis::{Analyzer, NormalizedText, TextNormalizer, SLOT_SEPARATOR};
use crate::corpus::Article;
use crate::entities::AliasTable;
use crate::entities::Extractor;
use crate::index::source_key;

/// An entity of an exported article, as the cluster stores it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EntityDoc {
    /// `PER`, `ORG`, `LOC` or `MISC`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Canonical name (table entities) or normalized new name.
    pub name: String,
    /// The name as shown.
    pub display: String,
    /// Mentions in title and body.
    pub mentions: usize,
    /// Named only by a name that is also a common word, without context.
    pub weak: bool,
}

/// One article as an OpenSearch `_source`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ExportDoc {
    /// akhbar's article id (also the document `_id`).
    pub id: String,
    /// The file it was read from, relative to the exported folder.
    pub file: String,
    /// Headline, as written.
    pub title: String,
    /// Text, as written.
    pub body: String,
    /// Keywords given by the source (searched with the body).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub keywords: String,
    /// Parsed date, RFC 3339 UTC, when the date could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The date as written.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub date_text: String,
    /// Outlet, as written.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Outlet as `source:` filters it (trimmed, lowercased).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source_key: String,
    /// Address of the article.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Section.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub category: String,
    /// Entities found with confidence, `TYPE/name` (akhbar's facets).
    pub entity: Vec<String>,
    /// Entities named only ambiguously, `TYPE/name`.
    pub entity_weak: Vec<String>,
    /// Every entity with its mentions, for display.
    pub entities: Vec<EntityDoc>,
    /// The near-duplicate story: the id of the story's first article in
    /// export order (its own id until the export's story updates say
    /// otherwise).
    pub story: String,
    /// The near-duplicate signature (`analysis::shingles`), not exported.
    #[serde(skip)]
    pub signature: Option<Signature>,
    /// akhbar's analysis of the texts, in the pre-analyzed layout.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub analyzed: Option<Analyzed>,
}

/// akhbar's analysis of an article's texts as the pre-analyzed layout
/// writes it (`layout.rs`): words one a position, stems.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Analyzed {
    /// The title's normalized words.
    pub title_words: String,
    /// The body's, then the keywords' (one value each, as akhbar indexes
    /// the keywords with the body).
    pub body_words: Vec<String>,
    /// The keyword stems of every reading of the title's words.
    pub title_stems: String,
    /// The body's, then the keywords'.
    pub body_stems: Vec<String>,
}

/// The `TYPE/name` key of an entity in the `entity` fields.
pub fn entity_key(kind: &str, name: &str) -> String {
    format!("{kind}/{name}")
}

/// Builds export documents; one per worker thread.
pub struct DocMaker {
    extractor: Extractor,
    normalizer: TextNormalizer,
    /// The keyword analyzer, when the layout writes stems.
    stemmer: Option<TextAnalyzer>,
}

impl DocMaker {
    /// A maker with the given alias table, for `layout`.
    pub fn new(table: Arc<AliasTable>, layout: Layout) -> Self {
        DocMaker {
            extractor: Extractor::new(table),
            normalizer: TextNormalizer::default(),
            stemmer: (layout == Layout::PreAnalyzed).then(|| Analyzer::Keyword.build()),
        }
    }

    /// The pre-analyzed fields of an article whose title and body are
    /// already normalized.
    fn analyzed(
        &mut self,
        stemmer: &mut TextAnalyzer,
        article: &Article,
        title: &NormalizedText,
        body: &NormalizedText,
    ) -> Analyzed {
        let mut out = Analyzed {
            title_words: words(&title.slots),
            body_words: vec![words(&body.slots)],
            title_stems: stems(stemmer, &article.title),
            body_stems: vec![stems(stemmer, &article.body)],
        };
        if !article.keywords.is_empty() {
            let keywords = self.normalizer.read(&article.keywords);
            out.body_words.push(words(&keywords.slots));
            out.body_stems.push(stems(stemmer, &article.keywords));
        }
        out
    }

    /// The document for `article`, read from `file` under the id `id`.
    pub fn make(&mut self, article: &Article, id: &str, file: &str) -> ExportDoc {
        let title = self.normalizer.read(&article.title);
        let body = self.normalizer.read(&article.body);
        let texts = [
            (article.title.as_str(), &title),
            (article.body.as_str(), &body),
        ];
        let found = self.extractor.extract_normalized(&texts);
        let analyzed = self.stemmer.take().map(|mut stemmer| {
            let out = self.analyzed(&mut stemmer, article, &title, &body);
            self.stemmer = Some(stemmer);
            out
        });
        let mut entity = Vec::new();
        let mut entity_weak = Vec::new();
        let mut entities = Vec::new();
        for (e, _) in &found {
            let key = entity_key(e.kind.code(), &e.name);
            if e.weak {
                entity_weak.push(key);
            } else {
                entity.push(key);
            }
            entities.push(EntityDoc {
                kind: e.kind.code(),
                name: e.name.clone(),
                display: e.display.clone(),
                mentions: e.mentions.len(),
                weak: e.weak,
            });
        }
        ExportDoc {
            id: id.to_string(),
            file: file.to_string(),
            title: article.title.clone(),
            body: article.body.clone(),
            keywords: article.keywords.clone(),
            date: article.date.and_then(rfc3339),
            date_text: article.date_text.clone(),
            source: article.source.clone(),
            source_key: source_key(&article.source),
            url: article.url.clone(),
            category: article.category.clone(),
            entity,
            entity_weak,
            entities,
            story: id.to_string(),
            signature: article_signature(&title.slots, &body.slots),
            analyzed,
        }
    }
}

/// A slot text's words, one a position, a dropped word as [`GAP`] (a slot
/// text leaves its slot empty).
fn words(slots: &str) -> String {
    if slots.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(slots.len() + 8);
    for (i, slot) in slots.split(SLOT_SEPARATOR).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(if slot.is_empty() { GAP } else { slot });
    }
    out
}

/// The keyword analyzer's tokens of `text`, separated by spaces.
fn stems(stemmer: &mut TextAnalyzer, text: &str) -> String {
    let mut out = String::new();
    let mut stream = stemmer.token_stream(text);
    while stream.advance() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&stream.token().text);
    }
    out
}

/// Unix seconds as an RFC 3339 UTC date (`2018-06-21T00:00:00Z`).
pub fn rfc3339(seconds: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_becomes_a_document_with_entities_and_date() {
        let table = Arc::new(AliasTable::builtin());
        let mut maker = DocMaker::new(table, Layout::Chain);
        let article = Article {
            title: "وزير الخارجية يزور بيروت".to_string(),
            body: "قال وزير الخارجية إن لبنان يحتاج إلى دعم.".to_string(),
            date: Some(1_529_539_200),
            source: " BBC Arabic ".to_string(),
            ..Article::default()
        };
        let doc = maker.make(&article, "a-1", "news.jsonl");
        assert_eq!(doc.id, "a-1");
        assert_eq!(doc.date.as_deref(), Some("2018-06-21T00:00:00Z"));
        assert_eq!(doc.source_key, "bbc arabic");
        assert!(
            doc.entity.iter().any(|e| e.starts_with("LOC/")),
            "{:?}",
            doc.entities
        );
        let json = serde_json::to_value(&doc).expect("json");
        assert!(json.get("keywords").is_none());
        assert_eq!(json["entities"][0]["type"].as_str().map(str::len), Some(3));
        assert!(json.get("body_words").is_none());
    }

    #[test]
    fn pre_analyzed_documents_carry_words_and_stems() {
        let mut maker = DocMaker::new(Arc::new(AliasTable::builtin()), Layout::PreAnalyzed);
        let long = "ب".repeat(60);
        let article = Article {
            title: "والحكومة تدرس".to_string(),
            body: format!("قالَ {long} الوزيرُ في بيروت"),
            keywords: "اقتصاد".to_string(),
            ..Article::default()
        };
        let doc = maker.make(&article, "a", "f");
        let analyzed = doc.analyzed.clone().expect("pre-analyzed fields");
        assert_eq!(analyzed.title_words, "والحكومه تدرس");
        // the over-long word keeps its place as the gap
        assert_eq!(analyzed.body_words, vec!["قال _ الوزير في بيروت", "اقتصاد"]);
        assert_eq!(analyzed.title_stems, "والحكوم الحكوم حكوم تدرس");
        // في is a stopword: no stem
        assert!(!analyzed.body_stems[0].split(' ').any(|s| s == "في"));
        let json = serde_json::to_value(&doc).expect("json");
        assert_eq!(json["body_words"][1], "اقتصاد");
    }

    #[test]
    fn dates_out_of_range_are_left_out() {
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(rfc3339(i64::MAX), None);
    }
}
