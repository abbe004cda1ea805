//! Output of `akhbar search`: ranked hits for a person, or JSON for
//! scripts.
//!
//! JSON schema (a public contract, also in the README): one object
//! `{"query": string, "total_hits": number, "took_ms": number,
//! "warnings": [string], "hits": [{"rank", "id", "title",
//! "title_highlights": [[start, end]], "date": "YYYY-MM-DD" | null,
//! "date_text", "source", "source_name", "url", "path",
//! "line": number | null, "score",
//! "snippets": [{"text", "highlights": [[start, end]]}],
//! "mentions"?: number (with `--entity`),
//! "entities": [{"name", "type", "mentions"}],
//! "copies": number, "duplicates": [{"id", "source", "source_name",
//! "date"}],
//! "explain"?: [{"feature", "value", "weight", "part"}] (with `--explain`,
//! for hits the learned ranker scored: each feature's value, weight and
//! part `value × weight` of the ranker's score)}],
//! "total_stories": number | null, "total_stories_exact": bool}`: by
//! default near copies of an article among the hits are folded into its
//! best-ranked copy (`copies`, `duplicates`; ranks, `--offset` and
//! `--limit` count stories; `total_hits` and facets count articles);
//! with `--no-collapse` (the API's `collapse=0`) every article is a hit
//! and `total_stories` is null. Every `[start, end]` is a byte range into
//! the string it belongs to.
//! With `--facets` (the API's `facets=1`) the object also has
//! `"facets": {"entities": [{"name", "type", "articles"}], "sources":
//! [{"name", "source_name", "articles"}], "months": [{"month": "YYYY-MM",
//! "articles"}], "undated": number}`, counted over all hits (a source's
//! `name` is its id, what `source=` filters by).
//! `source_name` is the outlet's name from the sources table
//! ([`Sources`]), or the id itself when no table names it. `line` is
//! where the article's record starts in `path`: its line (JSON Lines,
//! JSON arrays, CSV and TSV, TREC, WARC; in the gunzipped text of a
//! `.gz`) or row (Parquet), null for a file that is one article. With `--entity` it has
//! `"entity": {"canonical", "type", "aliases"}` (the table entity
//! searched) or `null`, and `"entity_reason"` when the name was searched
//! as a phrase (not in the table, or the index's facets are out of date).
//! When a query found at most two articles and some of its words are
//! rare, `"suggestions": [{"word", "articles", "alternatives": [{"word",
//! "articles", "distance"}]}]` and `"did_you_mean": string` (absent
//! otherwise; see `search::suggest`).
//!
//! Text output marks matched words with ANSI colour on a terminal and with
//! `[` `]` otherwise; no direction marks are inserted, so copied text stays
//! as the writer wrote it.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use super::sources::Sources;
use crate::entities::Entity;
use crate::search::Facets;
use crate::search::Snippet;
use crate::search::{did_you_mean, Suggestion};
use crate::search::{EntityCount, MonthCount};
use crate::search::{Hit, HitEntity, SearchResults};

/// How matched words are marked in text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marks {
    /// ANSI bold yellow.
    Color,
    /// Square brackets.
    Plain,
}

impl Marks {
    fn open(self) -> &'static str {
        match self {
            Marks::Color => "\x1b[1;33m",
            Marks::Plain => "[",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Marks::Color => "\x1b[0m",
            Marks::Plain => "]",
        }
    }
}

#[derive(Serialize)]
struct JsonResults<'a> {
    query: &'a str,
    total_hits: usize,
    /// Stories among the hits; null with `--no-collapse`.
    total_stories: Option<usize>,
    /// False when `total_stories` is an estimate (many hits).
    total_stories_exact: bool,
    took_ms: f64,
    warnings: &'a [String],
    hits: Vec<JsonHit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<JsonFacets<'a>>,
    /// With `--entity`: the table entity searched, or null.
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<Option<&'a Entity>>,
    /// With `--entity`: why the name was searched as a phrase.
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_reason: Option<&'a str>,
    /// Words found in no or few articles and the closest frequent ones.
    #[serde(skip_serializing_if = "<[Suggestion]>::is_empty")]
    suggestions: &'a [Suggestion],
    /// The query with each such word replaced by its best alternative.
    #[serde(skip_serializing_if = "Option::is_none")]
    did_you_mean: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct JsonHit<'a> {
    rank: usize,
    id: &'a str,
    title: &'a str,
    title_highlights: Vec<[usize; 2]>,
    date: Option<&'a str>,
    date_text: &'a str,
    source: &'a str,
    source_name: &'a str,
    url: &'a str,
    path: &'a str,
    line: Option<u64>,
    score: f32,
    snippets: Vec<JsonSnippet<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mentions: Option<usize>,
    entities: Vec<JsonEntity<'a>>,
    copies: usize,
    duplicates: Vec<JsonDuplicate<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    explain: Vec<JsonContribution>,
}

/// One feature's part in a hit's ranker score, as JSON.
#[derive(Serialize)]
pub(crate) struct JsonContribution {
    feature: &'static str,
    value: f32,
    weight: f32,
    part: f32,
}

/// A near copy folded into a hit, as JSON.
#[derive(Serialize)]
pub(crate) struct JsonDuplicate<'a> {
    id: &'a str,
    source: &'a str,
    source_name: &'a str,
    date: Option<&'a str>,
}

/// An entity named in an article, as JSON.
#[derive(Serialize)]
pub(crate) struct JsonEntity<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    mentions: usize,
}

/// The facets, each source with its name.
#[derive(Serialize)]
struct JsonFacets<'a> {
    entities: &'a [EntityCount],
    sources: Vec<JsonSourceCount<'a>>,
    months: &'a [MonthCount],
    undated: u64,
}

/// A source facet: the id (what `source=` filters by), its name, its hits.
#[derive(Serialize)]
struct JsonSourceCount<'a> {
    name: &'a str,
    source_name: &'a str,
    articles: u64,
}

/// The facets as JSON, with the sources' names.
fn json_facets<'a>(facets: &'a Facets, sources: &'a Sources) -> JsonFacets<'a> {
    JsonFacets {
        entities: &facets.entities,
        sources: facets
            .sources
            .iter()
            .map(|s| JsonSourceCount {
                name: &s.name,
                source_name: sources.name(&s.name),
                articles: s.articles,
            })
            .collect(),
        months: &facets.months,
        undated: facets.undated,
    }
}

#[derive(Serialize)]
struct JsonSnippet<'a> {
    text: &'a str,
    highlights: Vec<[usize; 2]>,
}

/// Byte ranges as JSON pairs `[start, end]`.
pub(crate) fn pairs(ranges: &[Range<usize>]) -> Vec<[usize; 2]> {
    ranges.iter().map(|r| [r.start, r.end]).collect()
}

/// An article's entities as JSON objects.
pub(crate) fn json_entities(entities: &[HitEntity]) -> Vec<JsonEntity<'_>> {
    entities
        .iter()
        .map(|e| JsonEntity {
            name: &e.name,
            kind: e.kind.code(),
            mentions: e.mentions,
        })
        .collect()
}

/// A hit as JSON, the same object in every answer that lists hits.
pub(crate) fn json_hit<'a>(hit: &'a Hit, sources: &'a Sources) -> JsonHit<'a> {
    JsonHit {
        rank: hit.rank,
        id: &hit.id,
        title: &hit.title,
        title_highlights: pairs(&hit.title_highlights),
        date: hit.date.as_deref(),
        date_text: &hit.date_text,
        source: &hit.source,
        source_name: sources.name(&hit.source),
        url: &hit.url,
        path: &hit.path,
        line: hit.line,
        score: hit.score,
        snippets: hit
            .snippets
            .iter()
            .map(|s| JsonSnippet {
                text: &s.text,
                highlights: pairs(&s.highlights),
            })
            .collect(),
        mentions: hit.mentions,
        entities: json_entities(&hit.entities),
        copies: hit.duplicates.len(),
        duplicates: hit
            .duplicates
            .iter()
            .map(|d| JsonDuplicate {
                id: &d.id,
                source: &d.source,
                source_name: sources.name(&d.source),
                date: d.date.as_deref(),
            })
            .collect(),
        explain: hit
            .explain
            .iter()
            .map(|c| JsonContribution {
                feature: c.feature,
                value: c.value,
                weight: c.weight,
                part: c.part(),
            })
            .collect(),
    }
}

/// Prints the results as one JSON object, the sources named from
/// `sources`.
pub fn print_search_json<W: Write>(
    out: &mut W,
    results: &SearchResults,
    sources: &Sources,
) -> io::Result<()> {
    let json = JsonResults {
        query: &results.query,
        total_hits: results.total_hits,
        total_stories: results.total_stories,
        total_stories_exact: results.total_stories_exact,
        took_ms: results.took_ms,
        warnings: &results.warnings,
        hits: results.hits.iter().map(|h| json_hit(h, sources)).collect(),
        facets: results.facets.as_ref().map(|f| json_facets(f, sources)),
        entity: results.entity.as_ref().map(|e| e.entity.as_ref()),
        entity_reason: results.entity.as_ref().and_then(|e| e.reason.as_deref()),
        suggestions: &results.suggestions,
        did_you_mean: did_you_mean(&results.query, &results.suggestions),
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

/// The notes for a person (`akhbar: note: …` on stderr) that say what
/// the query may have meant: the corrected query, then each word's
/// alternatives with their article counts.
pub fn suggestion_notes(results: &SearchResults) -> Vec<String> {
    let Some(query) = did_you_mean(&results.query, &results.suggestions) else {
        return Vec::new();
    };
    let mut notes = vec![format!("did you mean «{query}»? (هل تقصد: «{query}»؟)")];
    for s in &results.suggestions {
        let alternatives: Vec<String> = s
            .alternatives
            .iter()
            .map(|a| format!("{} ({} articles)", a.word, a.articles))
            .collect();
        notes.push(format!(
            "«{}» is in {} articles; close words: {}",
            s.word,
            s.articles,
            alternatives.join("، ")
        ));
    }
    notes
}

/// Prints the results for a person.
pub fn print_search_text<W: Write>(
    out: &mut W,
    results: &SearchResults,
    marks: Marks,
) -> io::Result<()> {
    let shown = results.hits.len();
    let stories = match results.total_stories {
        Some(n) if results.total_stories_exact => format!(" in {n} stories"),
        Some(n) => format!(" in about {n} stories"),
        None => String::new(),
    };
    writeln!(
        out,
        "{} articles{stories} ({shown} shown) in {:.1} ms",
        results.total_hits, results.took_ms
    )?;
    for hit in &results.hits {
        writeln!(out)?;
        let title = marked(&hit.title, &hit.title_highlights, marks);
        writeln!(out, "{}. {title}", hit.rank)?;
        let date = hit.date.as_deref().unwrap_or(&hit.date_text);
        let meta: Vec<&str> = [date, hit.source.as_str(), hit.id.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        writeln!(out, "   {}  (score {:.2})", meta.join(" · "), hit.score)?;
        match hit.line {
            Some(line) => writeln!(out, "   {}:{line}", hit.path)?,
            None => writeln!(out, "   {}", hit.path)?,
        }
        if !hit.duplicates.is_empty() {
            let copies: Vec<String> = hit
                .duplicates
                .iter()
                .map(|d| match d.source.as_str() {
                    "" => d.id.clone(),
                    source => format!("{} ({source})", d.id),
                })
                .collect();
            let n = copies.len();
            let word = if n == 1 { "copy" } else { "copies" };
            writeln!(out, "   +{n} {word}: {}", copies.join(", "))?;
        }
        if let Some(n) = hit.mentions {
            writeln!(out, "   mentions: {n}")?;
        }
        if !hit.entities.is_empty() {
            let names: Vec<String> = hit
                .entities
                .iter()
                .take(6)
                .map(|e| format!("{} ({})", e.name, e.mentions))
                .collect();
            writeln!(out, "   entities: {}", names.join("، "))?;
        }
        for snippet in &hit.snippets {
            writeln!(out, "   … {} …", marked_snippet(snippet, marks))?;
        }
        print_explain(out, hit)?;
    }
    if let Some(facets) = &results.facets {
        print_facets(out, facets)?;
    }
    Ok(())
}

/// Prints the facets of all hits: entities, sources, then the months as a
/// timeline with a bar scaled to the busiest month.
/// `--explain`: the ranker's features of a hit, largest part first.
fn print_explain<W: Write>(out: &mut W, hit: &Hit) -> io::Result<()> {
    if hit.explain.is_empty() {
        return Ok(());
    }
    let total: f32 = hit.explain.iter().map(|c| c.part()).sum();
    writeln!(out, "   ranker: {total:.4} =")?;
    // a long query's features, or a short one's (whose `@long` copies are 0)
    let mut parts: Vec<_> = hit
        .explain
        .iter()
        .filter(|c| c.weight != 0.0 && !(c.value == 0.0 && c.feature.ends_with("@long")))
        .collect();
    parts.sort_by(|a, b| b.part().abs().total_cmp(&a.part().abs()));
    for c in parts {
        writeln!(
            out,
            "     {:+.4}  {:<22} {:.4} × {:.4}",
            c.part(),
            c.feature,
            c.value,
            c.weight
        )?;
    }
    Ok(())
}

fn print_facets<W: Write>(out: &mut W, facets: &Facets) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "entities named in the hits (articles):")?;
    for e in &facets.entities {
        writeln!(out, "  {:>7}  {} ({})", e.articles, e.name, e.kind.code())?;
    }
    writeln!(out, "sources (articles):")?;
    for s in &facets.sources {
        writeln!(out, "  {:>7}  {}", s.articles, s.name)?;
    }
    writeln!(out, "months (articles):")?;
    let busiest = facets.months.iter().map(|m| m.articles).max().unwrap_or(1);
    for m in &facets.months {
        let width = (m.articles * 40).div_ceil(busiest.max(1)) as usize;
        writeln!(
            out,
            "  {}  {:>7}  {}",
            m.month,
            m.articles,
            "#".repeat(width)
        )?;
    }
    if facets.undated > 0 {
        writeln!(out, "  undated  {:>7}", facets.undated)?;
    }
    Ok(())
}

fn marked_snippet(snippet: &Snippet, marks: Marks) -> String {
    marked(&snippet.text, &snippet.highlights, marks)
}

/// `text` with each highlight range wrapped in marks.
pub fn marked(text: &str, highlights: &[Range<usize>], marks: Marks) -> String {
    let mut out = String::with_capacity(text.len() + highlights.len() * 8);
    let mut at = 0;
    for r in highlights {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(marks.open());
        out.push_str(&text[r.clone()]);
        out.push_str(marks.close());
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_wrap_whole_ranges() {
        let text = "قال الوزيرُ في بيروتَ";
        let start = text.find("بيروتَ").expect("present");
        let ranges = [Range {
            start,
            end: text.len(),
        }];
        let plain = marked(text, &ranges, Marks::Plain);
        assert_eq!(plain, "قال الوزيرُ في [بيروتَ]");
        let color = marked(text, &ranges, Marks::Color);
        assert!(color.contains("\x1b[1;33mبيروتَ\x1b[0m"));
    }
}
