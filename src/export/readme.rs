//! Export: the README written beside the files — how to create the index
//! and load it with `curl`, and how akhbar's queries translate.

use super::layout::Layout;
use super::summary::ExportSummary;

/// The translation table of akhbar's query language (also in the module
/// documentation of [`super::query`]).
pub const TRANSLATION_TABLE: &str = "\
| akhbar | query DSL |
|---|---|
| `word` | `match` on `title.stem` (boost 2) or `body.stem`, `operator: and`; a word's stacked stems make one `SynonymQuery` (one BM25 term); plus a scoring `term` on `title`/`body` for the word as typed (1.5×) |
| `\"phrase\"` | `match_phrase` on `title` (boost 2) or `body`, `analyzer: akhbar_phrase` |
| words side by side | `bool.must` (`--op or`: `bool.should`, `minimum_should_match: 1`) |
| `a OR b` | `bool.should`, `minimum_should_match: 1` |
| `-x`, `NOT x` | `bool.must_not` |
| `title:…` | the title fields only |
| `source:name` | `term` on `source_key` (trimmed, lowercased) |
| `word~` | `match` with `fuzziness: 1` on the exact fields (approximate) |
| `--from`, `--to` | `range` on `date`, in `bool.filter` |
| `--entity NAME` | table entity: `term` on `entity` (`constant_score` 1000) or `entity_weak`, its names' phrases scoring; other names: their phrases |
| one hit per near-duplicate story (default) | `collapse` on `story`, the copies as `inner_hits` named `copies`; `--no-collapse` leaves it out |
";

/// The analysis section of a pre-analyzed export's README.
const PRE_ANALYZED_ANALYSIS: &str = "\
This export is **pre-analyzed** (`akhbar export opensearch --pre-analyzed`):
akhbar analyzed every text once, on the machine that exported it, and wrote
what its own index holds. `title_words`, `body_words` hold each text's
normalized words, one a position (`_` keeps the place of a word akhbar
drops); `title_stems`, `body_stems` the keyword stems of every proclitic
reading of every word. The cluster only splits them on white space
(`akhbar_words`, `akhbar_stems`), so ingest costs about what the stock
`arabic` analyzer costs, not the 15 to 30 times of the analysis-chain export
(akhbar's `tools/lucene-check/run.sh DIR --speed N` measures both).
`title`, `body` and `keywords` keep the text as written, not indexed:
display them, and highlight them with the `plain` highlighter, which
analyzes the shown hits with `akhbar_exact` at search time.

Use the analysis-chain export (without `--pre-analyzed`) when the cluster
must analyze text itself: documents written by other tools, or `match`
queries typed by hand against `title` and `body`.
";

/// How the pre-analyzed layout asks for words and phrases.
const PRE_ANALYZED_QUERIES: &str = "
In this pre-analyzed index the query carries akhbar's analysis (print it
with `--pre-analyzed` on `--query`): a word asks for its stems in
`title_stems`/`body_stems` and scores its written forms in
`title_words`/`body_words`, a phrase asks for the written forms of the
readings each of its positions accepts (`match_phrase`); the alternatives
of a position are written `a|b|c` and stacked by the search analyzer
`akhbar_alternatives`, so they make one `SynonymQuery` (a phrase, a
`MultiPhraseQuery`), as the analysis chain's readings do. `word~` fuzzes
the words as written.
";

/// The README of an export.
pub fn readme(summary: &ExportSummary) -> String {
    let index = &summary.index_name;
    let mut files = String::new();
    for f in &summary.bulk_files {
        let name = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push_str(&format!("| `{name}` | {} | {} |\n", f.docs, f.bytes));
    }
    let pre = summary.layout == Layout::PreAnalyzed.name();
    format!(
        "# akhbar export for OpenSearch / Elasticsearch: `{index}`

Written by `akhbar export opensearch` (akhbar {version}): {articles} articles.

| file | documents | bytes |
|---|---|---|
| `index.json` | settings and mappings | {index_bytes} |
{files}
## Load

```bash
ES=http://localhost:9200          # your cluster (add -u user:password if it needs one)
curl -sS -X PUT \"$ES/{index}\" -H 'Content-Type: application/json' --data-binary @index.json
for f in bulk-*.ndjson; do
  curl -sS -X POST \"$ES/_bulk?filter_path=errors,items.*.error\" \\
       -H 'Content-Type: application/x-ndjson' --data-binary @\"$f\"
done
curl -sS -X POST \"$ES/{index}/_refresh\"
```

`index.json` makes one shard without replicas: set `number_of_shards` and
`number_of_replicas` for your cluster before creating the index. Loading
again replaces documents (each has akhbar's article id as `_id`).

## Analysis

{analysis}
## Queries

`akhbar export opensearch --query 'QUERY' [--entity NAME] [--from DATE]
[--to DATE] [--op or]{query_flag}` prints the request body for a query:

```bash
akhbar export opensearch{query_flag} --query '\"الأمم المتحدة\" -ايران' > q.json
curl -sS \"$ES/{index}/_search\" -H 'Content-Type: application/json' --data-binary @q.json
```

{table}{pre_table}
Not translated: the spelling variants `--entity` finds in akhbar's own
index, the homograph check of names outside the alias table, and akhbar's
second ranking pass (proximity, lead paragraph), which orders hits but
does not change which articles match.

Near-duplicate stories: `story` holds the id of the story's first article
(in export order; an article alone holds its own id). The last bulk
files set it with `update` actions once every article has been read, so
load the files in order. One hit per story, as akhbar shows them: the
request bodies `--query` prints carry `\"collapse\": {{\"field\":
\"story\"}}`, with the copies as `inner_hits` (`--no-collapse` leaves it
out). akhbar groups the hits of each search in rank order; the export
groups the whole archive once in file order, so a story's chain of
near copies can split differently in rare cases.

Entities: `entity` holds `TYPE/name` (PER, ORG, LOC, MISC) for entities
found with confidence, `entity_weak` those named only ambiguously;
a `terms` aggregation on `entity` gives `akhbar entities`.
",
        version = env!("CARGO_PKG_VERSION"),
        articles = summary.articles,
        index_bytes = summary.index_json_bytes,
        table = TRANSLATION_TABLE,
        analysis = if pre {
            PRE_ANALYZED_ANALYSIS.to_string()
        } else {
            chain_analysis(index)
        },
        query_flag = if pre { " --pre-analyzed" } else { "" },
        pre_table = if pre { PRE_ANALYZED_QUERIES } else { "" },
    )
}

/// The analysis section of an analysis-chain export's README.
fn chain_analysis(index: &str) -> String {
    format!(
        "`akhbar_exact` (fields `title`, `body`) reproduces akhbar's exact analyzer:
the `akhbar_fold` mapping char filter is akhbar's normalization, character
by character; the proclitic readings of a word are stacked at its position
(`pattern_capture`). `akhbar_keyword` (sub-fields `title.stem`, `body.stem`)
adds akhbar's stopwords and light stemmer. `akhbar_phrase` is the search
analyzer of phrases. Check a text with

```bash
curl -sS \"$ES/{index}/_analyze\" -H 'Content-Type: application/json' \\
     -d '{{\"analyzer\": \"akhbar_exact\", \"text\": \"وللأمم المتحدة\"}}'
```

and compare with `akhbar analyze \"وللأمم المتحدة\"`.

Ingest cost: these analyzers are regular expressions run on every word,
where the stock `arabic` analyzer is hand-written Java. Measured with
Lucene 9.9 (akhbar's `tools/lucene-check/run.sh DIR --speed N`),
`akhbar_exact` takes about 16 times the stock analyzer's time and
`akhbar_keyword` about 30 times (2 and 1 million characters a second on
one core): plan bulk loading for it; searching is not slowed.
"
    )
}

#[cfg(test)]
mod tests {
    use super::TRANSLATION_TABLE;

    #[test]
    fn the_project_readme_has_the_translation_table() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(TRANSLATION_TABLE),
            "README.md's export section must hold export::readme::TRANSLATION_TABLE"
        );
    }
}
