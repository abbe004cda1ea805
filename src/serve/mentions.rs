//! Serve: where an article names each entity, for the page's article
//! view, which marks every mention by the entity's type.
//!
//! `/api/articles/{id}` adds to the `article --json` object
//! `"entity_mentions": [{"name", "type", "title": [[start, end]], "body":
//! [[start, end]]}]`, byte ranges into `title` and `body`, most mentioned
//! entity first. The mentions are found as `akhbar index` finds them (the
//! same extractor over the stored text), so they agree with the facets'
//! counts. The field is added here, not in the library's article
//! printer, because only the page needs the ranges (the issue asks the
//! API to stay the commands' JSON; this is an addition to it).

use std::sync::Arc;

use serde::Serialize;

use crate::entities::AliasTable;
use crate::entities::Extractor;
use crate::search::Article;

#[derive(Serialize)]
struct Mentions<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: Vec<[usize; 2]>,
    body: Vec<[usize; 2]>,
}

/// The `entity_mentions` array of an article, as JSON.
pub fn entity_mentions(article: &Article, table: &Arc<AliasTable>) -> serde_json::Value {
    let found = Extractor::new(Arc::clone(table)).extract(&[&article.title, &article.body]);
    let list: Vec<Mentions> = found
        .iter()
        .map(|(entity, texts)| {
            let mut m = Mentions {
                name: &entity.name,
                kind: entity.kind.code(),
                title: Vec::new(),
                body: Vec::new(),
            };
            for (range, &text) in entity.mentions.iter().zip(texts) {
                let pair = [range.start, range.end];
                if text == 0 {
                    m.title.push(pair);
                } else {
                    m.body.push(pair);
                }
            }
            m
        })
        .collect();
    serde_json::to_value(list).unwrap_or_default()
}

/// `printed` (one JSON object and a newline) with `"entity_mentions"`
/// added as its last member; unchanged if it is not such an object.
pub fn with_entity_mentions(mut printed: Vec<u8>, mentions: &serde_json::Value) -> Vec<u8> {
    if !printed.ends_with(b"}\n") || printed.len() < 3 {
        return printed;
    }
    printed.truncate(printed.len() - 2);
    printed.extend_from_slice(b",\"entity_mentions\":");
    printed.extend_from_slice(mentions.to_string().as_bytes());
    printed.extend_from_slice(b"}\n");
    printed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> Article {
        Article {
            id: "t".into(),
            title: title.into(),
            body: body.into(),
            ..Article::default()
        }
    }

    #[test]
    fn mentions_are_byte_ranges_of_the_names_as_written() {
        let table = Arc::new(AliasTable::builtin());
        let a = article(
            "ترمب يلتقي ماكرون",
            "قال الرئيس دونالد ترامب في باريس إن ترمب سيعود.\nوأكد ماكرون ذلك.",
        );
        let value = entity_mentions(&a, &table);
        let list = value.as_array().expect("array");
        let trump = list
            .iter()
            .find(|m| m["name"] == "دونالد ترامب")
            .expect("trump");
        assert_eq!(trump["type"], "PER");
        let text = |field: &str, pair: &serde_json::Value| {
            let source = if field == "title" { &a.title } else { &a.body };
            let (s, e) = (pair[0].as_u64().unwrap_or(0), pair[1].as_u64().unwrap_or(0));
            source[s as usize..e as usize].to_string()
        };
        let in_title: Vec<String> = trump["title"]
            .as_array()
            .expect("title")
            .iter()
            .map(|p| text("title", p))
            .collect();
        assert_eq!(in_title, ["ترمب"]);
        let in_body: Vec<String> = trump["body"]
            .as_array()
            .expect("body")
            .iter()
            .map(|p| text("body", p))
            .collect();
        assert_eq!(in_body, ["دونالد ترامب", "ترمب"]);
        let paris = list.iter().find(|m| m["name"] == "باريس").expect("paris");
        assert_eq!(paris["type"], "LOC");
        let macron = list
            .iter()
            .find(|m| m["type"] == "PER" && m["name"] != "دونالد ترامب")
            .expect("macron");
        let body_pair = &macron["body"][0];
        assert_eq!(text("body", body_pair), "ماكرون");
    }

    #[test]
    fn the_field_is_appended_to_the_printed_object() {
        let printed = b"{\"id\":\"x\",\"entities\":[]}\n".to_vec();
        let out = with_entity_mentions(printed, &serde_json::json!([{"name": "n"}]));
        let value: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(value["id"], "x");
        assert_eq!(value["entity_mentions"][0]["name"], "n");
        assert!(out.ends_with(b"}\n"));
        let odd = with_entity_mentions(b"[]\n".to_vec(), &serde_json::json!([]));
        assert_eq!(odd, b"[]\n");
    }
}
