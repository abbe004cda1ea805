//! Output of `akhbar similar` (and `search --like`, `GET
//! /api/similar/{id}`): the hits as `search` prints them, under a line
//! naming the article and the words it was matched by.
//!
//! JSON schema (a public contract, also in the README): one object
//! `{"like": {"id", "title", "date": "YYYY-MM-DD" | null, "source",
//! "source_name", "url", "entities": [{"name", "type", "mentions"}]}, "terms": [{"term",
//! "weight"}], "entities": [string], "total_hits": number, "took_ms":
//! number, "warnings": [string], "duplicates": [id], "hits": [...]}`, where each hit is the
//! same object as in `search --json` (snippets highlight the shared
//! words; `score` is the similarity, 0 to 1).

use std::io::{self, Write};

use serde::Serialize;

use super::search::{
    json_entities, json_hit, print_search_text as print_hits, JsonEntity, JsonHit, Marks,
};
use super::sources::Sources;
use crate::search::SearchResults;
use crate::search::SimilarResults;

#[derive(Serialize)]
struct JsonSimilar<'a> {
    like: JsonLike<'a>,
    terms: Vec<JsonTerm<'a>>,
    entities: &'a [String],
    total_hits: usize,
    took_ms: f64,
    warnings: &'a [String],
    duplicates: &'a [String],
    hits: Vec<JsonHit<'a>>,
}

#[derive(Serialize)]
struct JsonLike<'a> {
    id: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    source: &'a str,
    source_name: &'a str,
    url: &'a str,
    entities: Vec<JsonEntity<'a>>,
}

#[derive(Serialize)]
struct JsonTerm<'a> {
    term: &'a str,
    weight: f32,
}

/// Prints the results as one JSON object, the sources named from
/// `sources`.
pub fn print_similar_json<W: Write>(
    out: &mut W,
    r: &SimilarResults,
    sources: &Sources,
) -> io::Result<()> {
    let a = &r.article;
    let json = JsonSimilar {
        like: JsonLike {
            id: &a.id,
            title: &a.title,
            date: a.date.as_deref(),
            source: &a.source,
            source_name: sources.name(&a.source),
            url: &a.url,
            entities: json_entities(&a.entities),
        },
        terms: r
            .terms
            .iter()
            .map(|t| JsonTerm {
                term: &t.term,
                weight: t.weight,
            })
            .collect(),
        entities: &r.entities,
        total_hits: r.total_hits,
        took_ms: r.took_ms,
        warnings: &r.warnings,
        duplicates: &r.duplicates,
        hits: r.hits.iter().map(|h| json_hit(h, sources)).collect(),
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

/// Prints the results for a person: the article, its words, its copies,
/// then the hits as `search` prints them.
pub fn print_similar_text<W: Write>(
    out: &mut W,
    r: &SimilarResults,
    marks: Marks,
) -> io::Result<()> {
    let a = &r.article;
    let date = a.date.as_deref().unwrap_or(&a.date_text);
    writeln!(out, "like: {}", a.title)?;
    let meta: Vec<&str> = [date, a.source.as_str(), a.id.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    writeln!(out, "      {}", meta.join(" · "))?;
    let words: Vec<&str> = r.terms.iter().map(|t| t.term.as_str()).collect();
    writeln!(out, "words: {}", words.join("، "))?;
    if !r.entities.is_empty() {
        writeln!(out, "entities: {}", r.entities.join("، "))?;
    }
    if !r.duplicates.is_empty() {
        writeln!(out, "copies (not listed): {}", r.duplicates.join(", "))?;
    }
    writeln!(out)?;
    let results = SearchResults {
        query: String::new(),
        total_hits: r.total_hits,
        total_stories: None,
        total_stories_exact: true,
        took_ms: r.took_ms,
        hits: r.hits.clone(),
        warnings: r.warnings.clone(),
        facets: None,
        entity: None,
        suggestions: Vec::new(),
    };
    print_hits(out, &results, marks)
}
