//! Export: akhbar's query language as OpenSearch query DSL, for the
//! exported index (`akhbar export opensearch --query`).
//!
//! | akhbar | query DSL |
//! |---|---|
//! | `word` | `match` on `title.stem` (boost 2) or `body.stem`, `operator: and` (the keyword analyzer; a word's stacked stems become one `SynonymQuery`, one BM25 term), plus a scoring `term` on `title`/`body` for the word as typed (akhbar's exact-form bonus, 1.5×) |
//! | `"phrase"` | `match_phrase` on `title` (boost 2) or `body` with `analyzer: akhbar_phrase` (readings that only drop the article left out, as akhbar's phrases) |
//! | words side by side | `bool.must` (`--op or`: `bool.should`, `minimum_should_match: 1`) |
//! | `a OR b` | `bool.should`, `minimum_should_match: 1` |
//! | `-x`, `NOT x` | `bool.must_not` |
//! | `title:…` | the title fields only |
//! | `source:name` | `term` on `source_key` (trimmed, lowercased) |
//! | `word~` | `match` on the exact fields with `fuzziness: 1` (approximate: akhbar prices Arabic letter confusions at half an edit and requires four letters) |
//! | `--from`/`--to` | `range` on `date` in `bool.filter` |
//! | `--entity NAME` | a table entity: `term` on `entity` (`constant_score` 1000, confident mentions first) or on `entity_weak`, with the name's phrases as scoring clauses; a name outside the table: its phrases |
//!
//! A word whose every reading is a stopword is left out with a warning,
//! as akhbar leaves it out.
//! Not translated: the spelling variants `--entity` finds in akhbar's own
//! index dictionary, the homograph check of names outside the table
//! (`plain_words`), and akhbar's second ranking pass (proximity, lead
//! paragraph); hit sets do not depend on the last.

use std::sync::Arc;

use serde_json::{json, Value};

use super::analysis::PHRASE;
use super::document::entity_key;
use super::expand::Expander;
use super::layout::Layout;
use crate::analysis::tokens;
use crate::analysis::{normalize, Analyzer};
use crate::entities::AliasTable;
use crate::index::source_key;
use crate::search::CONFIDENT;
use crate::search::{parse, Node, Scope};
use crate::search::{Op, TITLE_BOOST};

/// Weight of a word's exact-form bonus clause against its stems' match
/// (akhbar's own ranking weighs exact occurrences inside the word's BM25
/// term instead, `search::word`'s `EXACT_TF`; query DSL has no such term).
const EXACT_BOOST: f32 = 1.5;

/// What to translate besides the query text.
#[derive(Clone, Debug, Default)]
pub struct QueryOptions {
    /// How words side by side combine.
    pub op: Op,
    /// `--entity`: only articles naming this entity.
    pub entity: Option<String>,
    /// Earliest date, Unix seconds.
    pub from: Option<i64>,
    /// Latest date, Unix seconds.
    pub to: Option<i64>,
    /// `--no-collapse`: every article, not one hit per near-duplicate story.
    pub no_collapse: bool,
    /// The layout of the index queried.
    pub layout: Layout,
}

/// The `collapse` of a request body: one hit per near-duplicate story (the
/// best-scoring copy), the other copies' id, source and date beside it, as
/// `akhbar search` shows them by default.
pub fn collapse_clause() -> Value {
    json!({
        "field": "story",
        "inner_hits": {
            "name": "copies",
            "size": 10,
            "_source": ["id", "source", "date"]
        }
    })
}

/// A translated query and the notes on what was left out.
#[derive(Clone, Debug)]
pub struct Translation {
    /// The request body: `{"query": …, "collapse": …}`.
    pub body: Value,
    /// What the translation left out, for the user.
    pub warnings: Vec<String>,
}

/// Translates a query (and options) into a search request body.
///
/// # Errors
/// A one-line message when there is nothing to search for.
pub fn translate(
    query: Option<&str>,
    options: &QueryOptions,
    table: &Arc<AliasTable>,
) -> Result<Translation, String> {
    let mut t = Translator {
        op: options.op,
        warnings: Vec::new(),
        keyword: Analyzer::Keyword.build(),
        expander: (options.layout == Layout::PreAnalyzed).then(Expander::default),
    };
    let mut must = Vec::new();
    if let Some(q) = query.filter(|q| !q.trim().is_empty()) {
        let parsed = parse(q)?;
        t.warnings.extend(parsed.warnings);
        match t.node(&parsed.node) {
            Some(clause) => must.push(clause),
            None if options.entity.is_none() => {
                return Err(format!("nothing left to search for in {q:?}"));
            }
            None => {}
        }
    }
    if let Some(name) = &options.entity {
        match t.entity_clause(name, table) {
            Some(clause) => must.push(clause),
            None => return Err(format!("the entity name {name:?} has no words")),
        }
    }
    if must.is_empty() {
        return Err("nothing to search for".to_string());
    }
    let mut filter = Vec::new();
    if options.from.is_some() || options.to.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(from) = options.from.and_then(super::document::rfc3339) {
            range.insert("gte".into(), json!(from));
        }
        if let Some(to) = options.to.and_then(super::document::rfc3339) {
            range.insert("lte".into(), json!(to));
        }
        filter.push(json!({ "range": { "date": range } }));
    }
    let query = if must.len() == 1 && filter.is_empty() {
        must.remove(0)
    } else {
        let mut b = serde_json::Map::new();
        b.insert("must".into(), Value::Array(must));
        if !filter.is_empty() {
            b.insert("filter".into(), Value::Array(filter));
        }
        json!({ "bool": b })
    };
    let mut body = json!({ "query": query });
    if !options.no_collapse {
        body["collapse"] = collapse_clause();
    }
    Ok(Translation {
        body,
        warnings: t.warnings,
    })
}

struct Translator {
    op: Op,
    warnings: Vec<String>,
    keyword: tantivy::tokenizer::TextAnalyzer,
    /// The pre-analyzed layout's clause builder (`None`: analysis chain).
    expander: Option<Expander>,
}

/// The text fields of a scope, with their boosts.
fn fields(scope: Scope) -> Vec<(&'static str, f32)> {
    match scope {
        Scope::Title => vec![("title", TITLE_BOOST)],
        Scope::Any => vec![("title", TITLE_BOOST), ("body", 1.0)],
    }
}

/// At least one of `clauses` (the clause itself when there is one).
fn any(mut clauses: Vec<Value>) -> Value {
    if clauses.len() == 1 {
        return clauses.remove(0);
    }
    json!({ "bool": { "should": clauses, "minimum_should_match": 1 } })
}

impl Translator {
    /// A phrase on the exact fields of a scope (the word fields of the
    /// pre-analyzed layout); `None` when it has no word there.
    fn phrase(&mut self, text: &str, scope: Scope) -> Option<Value> {
        if let Some(x) = &mut self.expander {
            return x.phrase(text, &fields(scope));
        }
        Some(any(fields(scope)
            .into_iter()
            .map(|(field, boost)| {
                json!({ "match_phrase": { field: { "query": text, "analyzer": PHRASE, "boost": boost } } })
            })
            .collect()))
    }

    /// The `--entity` clause: the entity's keyword fields for a table
    /// entity (its names' phrases score), the name's phrases otherwise.
    fn entity_clause(&mut self, name: &str, table: &Arc<AliasTable>) -> Option<Value> {
        if name.trim().is_empty() {
            return None;
        }
        let Some(entity) = table.resolve(name) else {
            return self.phrase(name, Scope::Any);
        };
        let key = entity_key(entity.kind.code(), &entity.canonical);
        let required = json!({ "bool": { "should": [
            { "constant_score": { "filter": { "term": { "entity": key } }, "boost": CONFIDENT } },
            { "term": { "entity_weak": key } }
        ], "minimum_should_match": 1 } });
        let scoring: Vec<Value> = entity
            .names()
            .filter_map(|n| self.phrase(n, Scope::Any))
            .collect();
        Some(json!({ "bool": { "must": [required], "should": scoring } }))
    }

    fn node(&mut self, node: &Node) -> Option<Value> {
        match node {
            Node::Word(text, scope) => self.word(text, *scope),
            Node::Fuzzy(text, scope) if self.expander.is_some() => self
                .expander
                .as_ref()
                .map(|x| x.fuzzy(text, &fields(*scope))),
            Node::Fuzzy(text, scope) => Some(any(fields(*scope)
                .into_iter()
                .map(|(field, boost)| {
                    json!({ "match": { field: {
                        "query": text, "fuzziness": 1, "operator": "and", "boost": boost
                    } } })
                })
                .collect())),
            Node::Phrase(text, scope) => self.phrase(text, *scope),
            Node::Source(name) => Some(json!({ "term": { "source_key": source_key(name) } })),
            Node::And(items) => self.all(items, self.op == Op::Or),
            Node::All(items) => self.all(items, false),
            Node::Or(items) => {
                let clauses: Vec<Value> = items.iter().filter_map(|n| self.node(n)).collect();
                (!clauses.is_empty()).then(|| any(clauses))
            }
            Node::Not(inner) => {
                let q = self.node(inner)?;
                Some(json!({ "bool": { "must_not": [q] } }))
            }
        }
    }

    /// Items side by side: all required, or (`or`) at least one; negated
    /// items excluded.
    fn all(&mut self, items: &[Node], or: bool) -> Option<Value> {
        let mut positive = Vec::new();
        let mut negative = Vec::new();
        for item in items {
            match item {
                Node::Not(inner) => negative.extend(self.node(inner)),
                _ => positive.extend(self.node(item)),
            }
        }
        if positive.is_empty() && negative.is_empty() {
            return None;
        }
        if negative.is_empty() && positive.len() == 1 {
            return positive.pop();
        }
        let mut b = serde_json::Map::new();
        if !positive.is_empty() {
            if or {
                b.insert("should".into(), Value::Array(positive));
                b.insert("minimum_should_match".into(), json!(1));
            } else {
                b.insert("must".into(), Value::Array(positive));
            }
        }
        if !negative.is_empty() {
            b.insert("must_not".into(), Value::Array(negative));
        }
        Some(json!({ "bool": b }))
    }

    fn word(&mut self, text: &str, scope: Scope) -> Option<Value> {
        if tokens(&mut self.keyword, text).is_empty() {
            self.warnings
                .push(format!("left out {text:?}: a common word (stopword)"));
            return None;
        }
        if let Some(x) = &mut self.expander {
            return x.word(text, &fields(scope), EXACT_BOOST);
        }
        let stems: Vec<Value> = fields(scope)
            .into_iter()
            .map(|(field, boost)| {
                json!({ "match": { format!("{field}.stem"): {
                    "query": text, "operator": "and", "boost": boost
                } } })
            })
            .collect();
        let typed = normalize(text);
        let bonus: Vec<Value> = fields(scope)
            .into_iter()
            .map(|(field, boost)| {
                json!({ "term": { field: { "value": typed, "boost": boost * EXACT_BOOST } } })
            })
            .collect();
        Some(json!({ "bool": { "must": [any(stems)], "should": bonus } }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(query: &str, op: Op) -> Value {
        let table = Arc::new(AliasTable::builtin());
        let options = QueryOptions {
            op,
            ..QueryOptions::default()
        };
        translate(Some(query), &options, &table)
            .expect("query")
            .body
    }

    #[test]
    fn translation_table() {
        // query, JSON pointer, expected value at it
        let cases: &[(&str, &str, Value)] = &[
            (
                "الحكومة",
                "/query/bool/must/0/bool/should/1/match/body.stem/query",
                json!("الحكومة"),
            ),
            (
                "الحكومة",
                "/query/bool/must/0/bool/should/1/match/body.stem/operator",
                json!("and"),
            ),
            (
                "الحكومة",
                "/query/bool/must/0/bool/should/0/match/title.stem/boost",
                json!(2.0),
            ),
            (
                "الحكومة",
                "/query/bool/should/1/term/body/value",
                json!("الحكومه"),
            ),
            (
                "\"الأمم المتحدة\"",
                "/query/bool/should/1/match_phrase/body/analyzer",
                json!("akhbar_phrase"),
            ),
            (
                "title:\"بشار الأسد\"",
                "/query/match_phrase/title/query",
                json!("بشار الأسد"),
            ),
            (
                "نفط -ايران",
                "/query/bool/must_not/0/bool/must/0/bool/should/0/match/title.stem/query",
                json!("ايران"),
            ),
            ("نفط OR غاز", "/query/bool/minimum_should_match", json!(1)),
            (
                "source:\"BBC Arabic\"",
                "/query/term/source_key",
                json!("bbc arabic"),
            ),
        ];
        for (query, pointer, expected) in cases {
            let got = body(query, Op::And);
            assert_eq!(got.pointer(pointer), Some(expected), "{query}: {got}");
        }
    }

    #[test]
    fn words_side_by_side_follow_the_operator() {
        let and = body("أسعار النفط", Op::And);
        assert_eq!(
            and["query"]["bool"]["must"].as_array().map(Vec::len),
            Some(2)
        );
        let or = body("أسعار النفط", Op::Or);
        assert_eq!(
            or["query"]["bool"]["should"].as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(or["query"]["bool"]["minimum_should_match"], 1);
    }

    #[test]
    fn stopwords_are_left_out_with_a_warning() {
        let table = Arc::new(AliasTable::builtin());
        let t = translate(Some("في النفط"), &QueryOptions::default(), &table).expect("query");
        assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
        assert!(t
            .body
            .pointer("/query/bool/must/0/bool/should/0/match/title.stem")
            .is_some());
        assert!(translate(Some("في"), &QueryOptions::default(), &table).is_err());
    }

    #[test]
    fn entity_and_dates() {
        let table = Arc::new(AliasTable::builtin());
        let options = QueryOptions {
            entity: Some("ترامب".into()),
            from: Some(1_514_764_800),
            to: Some(1_546_300_799),
            ..QueryOptions::default()
        };
        let t = translate(None, &options, &table).expect("entity");
        let q = &t.body["query"]["bool"];
        let term = &q["must"][0]["bool"]["must"][0]["bool"]["should"][0]["constant_score"]
            ["filter"]["term"]["entity"];
        assert!(
            term.as_str().is_some_and(|k| k.starts_with("PER/")),
            "{}",
            t.body
        );
        assert_eq!(
            q["filter"][0]["range"]["date"]["gte"],
            "2018-01-01T00:00:00Z"
        );
        let unknown = QueryOptions {
            entity: Some("زيد عمرو".into()),
            ..QueryOptions::default()
        };
        let t = translate(None, &unknown, &table).expect("phrase");
        assert_eq!(
            t.body["query"]["bool"]["should"][0]["match_phrase"]["title"]["query"],
            "زيد عمرو"
        );
    }

    #[test]
    fn odd_queries_never_panic() {
        let table = Arc::new(AliasTable::builtin());
        for q in [
            "",
            "((",
            "\"",
            "-",
            "OR OR",
            "title:",
            "source:",
            "~",
            "-\"\"",
            "NOT NOT x",
        ] {
            let _ = translate(Some(q), &QueryOptions::default(), &table);
        }
    }
}
