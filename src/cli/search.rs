//! `akhbar search`: keyword, phrase and boolean search with highlighted
//! snippets.
//!
//! Exit codes: 0 the search ran (even with no hits); 2 the query or the
//! index could not be used.

use std::io::{self, Write};

use anyhow::{anyhow, Context};
use clap::Args;

use super::common::{
    date_arg, load_table, use_color, AliasesArg, FormatArg, IndexArg, OpArg, OutputArgs, PageArgs,
    SourcesArg, StoryArg,
};
use super::similar::answer;
use crate::entities::AliasTable;
use crate::index::OpenIndex;
use crate::output::{feed_params, feed_subject, print_search_atom, FeedMeta};
use crate::output::{print_search_json, print_search_text, suggestion_notes, Marks};
use crate::output::{ExportFormat, Exporter, ExtraFields, Sources};
use crate::search::{
    search_each, search_with, Filters, Page, SearchRequest, SearchResults, SimilarRequest,
    SortOrder,
};

/// Arguments of `akhbar search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The query: words (all must match), "phrases", OR / أو, -word, NOT,
    /// ( ), word~ (within one edit), title:…, source:… (may be omitted
    /// with --entity)
    #[arg(default_value = "")]
    pub query: String,
    /// The index to search.
    #[command(flatten)]
    pub index: IndexArg,
    /// Which hits to show.
    #[command(flatten)]
    pub page: PageArgs,
    /// Only articles published on or after this date (YYYY-MM-DD, …).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only articles published on or before this date (inclusive).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only articles from this outlet (repeat for several).
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// How to print the hits.
    #[command(flatten)]
    pub output: OutputArgs,
    /// The names shown for the sources' ids.
    #[command(flatten)]
    pub sources: SourcesArg,
    /// Every hit, not a page (streamed one line at a time with
    /// --format jsonl|csv; --offset still skips).
    #[arg(long, conflicts_with_all = ["limit", "stdin", "count"])]
    pub all: bool,
    /// Extra columns of a jsonl or csv export: body (the whole body),
    /// snippets (the matched passages); comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FIELD,…")]
    pub fields: Vec<FieldArg>,
    /// Print only the number of hits.
    #[arg(long, conflicts_with = "stdin")]
    pub count: bool,
    /// Order of the hits: relevance (best first), date (newest first) or
    /// -date (oldest first); dates tie by relevance, undated articles
    /// come last.
    #[arg(
        long,
        value_name = "ORDER",
        default_value = "relevance",
        allow_hyphen_values = true
    )]
    pub sort: String,
    /// Only articles naming this entity (person, organisation, place),
    /// through clitics, spelling variants and aliases.
    #[arg(long, value_name = "NAME")]
    pub entity: Option<String>,
    /// The user's alias table.
    #[command(flatten)]
    pub aliases: AliasesArg,
    /// How words side by side combine: all must match (and), or any may,
    /// articles matching more of them first (or).
    #[arg(long, value_enum, default_value_t = OpArg::And)]
    pub op: OpArg,
    /// Every word of four letters or more also matches the index's words
    /// one edit away (a letter changed, added, dropped or two swapped, over
    /// normalized letters), as `word~` does for one word.
    #[arg(long)]
    pub fuzzy: bool,
    /// Ids, scores, titles, dates, sources and urls only: no snippets,
    /// highlights or per-hit entities (fastest).
    #[arg(long)]
    pub no_snippets: bool,
    /// Read one query a line from standard input and answer each on one
    /// line (with --json, the same object as a single search), until the
    /// input ends; the index stays open between queries.
    #[arg(long, conflicts_with = "query")]
    pub stdin: bool,
    /// Instead of a query: the articles most like the article with this
    /// id (its distinctive words, entities and date; as `akhbar
    /// similar`), with --from, --to, --source, paging and any --format.
    #[arg(long, value_name = "ID", conflicts_with_all = ["query", "entity", "stdin", "facets", "count", "op", "fuzzy"])]
    pub like: Option<String>,
    /// Also count, over all hits, the entities they name, their sources
    /// and their months (printed under the hits; `facets` in JSON).
    #[arg(long)]
    pub facets: bool,
    /// Show every copy of a story as its own hit (by default near copies
    /// of an article are folded into its best-ranked copy, "+N copies").
    #[arg(long)]
    pub no_collapse: bool,
    /// When near copies are one story.
    #[command(flatten)]
    pub story: StoryArg,
    /// With --format atom: where `akhbar serve` answers, for the feed's
    /// links to the article view.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:7700")]
    pub feed_base: String,
    /// Rank by the first stage alone (word-level BM25 over title and
    /// body), without the learned second-stage ranker.
    #[arg(long)]
    pub no_ranker: bool,
    /// Show, under each hit the learned ranker scored, each feature's
    /// value, weight and part of its score (`explain` in JSON).
    #[arg(long)]
    pub explain: bool,
}

/// `--fields` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FieldArg {
    /// The whole body.
    Body,
    /// The matched passages.
    Snippets,
}

/// Runs `akhbar search`; returns the exit code.
///
/// # Errors
/// A query with nothing to search for, a bad date, or an unusable index.
pub fn run(args: &SearchArgs) -> anyhow::Result<i32> {
    let format = args.output.format()?;
    let export = match format {
        FormatArg::Jsonl => Some(ExportFormat::Jsonl),
        FormatArg::Csv => Some(ExportFormat::Csv),
        FormatArg::Text | FormatArg::Json | FormatArg::Atom => None,
    };
    let atom = format == FormatArg::Atom;
    if atom && (args.stdin || args.like.is_some() || args.count || args.all) {
        return Err(anyhow!(
            "--format atom prints one feed of the newest hits: not with --stdin, --like, --count or --all"
        ));
    }
    if args.stdin && export.is_some() {
        return Err(anyhow!(
            "--stdin answers one line per query: use --format text or json"
        ));
    }
    let extra = ExtraFields {
        body: args.fields.contains(&FieldArg::Body),
        snippets: args.fields.contains(&FieldArg::Snippets),
    };
    if (extra.body || extra.snippets) && export.is_none() {
        return Err(anyhow!(
            "--fields adds columns to an export: use it with --format jsonl or csv"
        ));
    }
    if (extra.body || extra.snippets) && args.like.is_some() {
        return Err(anyhow!("--fields does not apply to --like yet"));
    }
    let limit = if args.all {
        usize::MAX
    } else if args.count {
        0
    } else {
        args.page.limit
    };
    let request = SearchRequest {
        query: args.query.clone(),
        page: Page {
            limit,
            offset: args.page.offset,
        },
        filters: Filters {
            from: date_arg(args.from.as_deref(), false)?,
            to: date_arg(args.to.as_deref(), true)?,
            sources: args.source.clone(),
        },
        entity: args.entity.clone(),
        op: args.op.into(),
        snippets: (!args.no_snippets && export.is_none() && !args.count) || extra.snippets,
        facets: args.facets,
        sort: sort_of(args, atom)?,
        entities: export.is_some() || atom,
        fuzzy: args.fuzzy,
        body: extra.body,
        collapse: !args.no_collapse,
        story_threshold: args.story.story_threshold,
        ranker: !args.no_ranker,
        explain: args.explain,
    };
    if let Some(id) = &args.like {
        return like(args, id, &request, format);
    }
    let aliases = args.aliases.aliases.as_deref();
    let table = load_table(aliases);
    let open = args.index.open(aliases)?;
    let sources = args.sources.load();
    if args.stdin {
        let json = format == FormatArg::Json;
        return serve_lines(&open, &request, &table, json.then_some(&sources));
    }
    if let Some(export) = export {
        return export_hits(&open, &request, &table, export, args, sources);
    }
    let results = search_with(&open, &request, &table).context("search failed")?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if atom {
        notes(&results);
        let meta = feed_meta(args, &open);
        print_search_atom(&mut out, &results, &meta)?;
    } else if args.count {
        notes(&results);
        if format == FormatArg::Json {
            let answer = serde_json::json!({
                "query": results.query,
                "total_hits": results.total_hits,
                "took_ms": results.took_ms,
                "warnings": results.warnings,
            });
            writeln!(out, "{answer}")?;
        } else {
            writeln!(out, "{}", results.total_hits)?;
        }
    } else if format == FormatArg::Json {
        print_search_json(&mut out, &results, &sources)?;
    } else {
        notes(&results);
        let marks = if use_color(&out, !args.output.no_color) {
            Marks::Color
        } else {
            Marks::Plain
        };
        print_search_text(&mut out, &results, marks)?;
    }
    out.flush()?;
    Ok(0)
}

/// The order: `--sort`, except that a feed lists the newest first.
///
/// # Errors
/// An unknown order, or one other than newest first for a feed.
fn sort_of(args: &SearchArgs, atom: bool) -> anyhow::Result<SortOrder> {
    let sort = SortOrder::parse(&args.sort).map_err(|e| anyhow!(e))?;
    match (atom, sort) {
        (false, sort) => Ok(sort),
        (true, SortOrder::Relevance | SortOrder::Newest) => Ok(SortOrder::Newest),
        (true, SortOrder::Oldest) => Err(anyhow!(
            "--format atom lists the newest hits first: --sort -date does not apply"
        )),
    }
}

/// What the feed of `--format atom` says about itself: its parameters in
/// the order `/feed` takes them, so the two make the same feed.
fn feed_meta(args: &SearchArgs, open: &OpenIndex) -> FeedMeta {
    let mut pairs: Vec<(&str, String)> = vec![
        ("q", args.query.trim().to_string()),
        ("entity", args.entity.clone().unwrap_or_default()),
        ("from", args.from.clone().unwrap_or_default()),
        ("to", args.to.clone().unwrap_or_default()),
    ];
    pairs.extend(args.source.iter().map(|s| ("source", s.clone())));
    if args.op == OpArg::Or {
        pairs.push(("op", "or".to_string()));
    }
    if args.fuzzy {
        pairs.push(("fuzzy", "1".to_string()));
    }
    if args.no_collapse {
        pairs.push(("collapse", "0".to_string()));
    }
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let subject = feed_subject(&args.query, args.entity.as_deref());
    FeedMeta {
        base: args.feed_base.trim_end_matches('/').to_string(),
        params: feed_params(&borrowed),
        subject,
        updated: chrono::DateTime::parse_from_rfc3339(&open.manifest.indexed_at)
            .ok()
            .map(|t| t.to_utc()),
    }
}

/// `--like ID`: the articles like one article, within the filters.
fn like(
    args: &SearchArgs,
    id: &str,
    request: &SearchRequest,
    format: FormatArg,
) -> anyhow::Result<i32> {
    if request.sort != SortOrder::Relevance {
        return Err(anyhow!(
            "--like lists the most similar articles first: --sort does not apply"
        ));
    }
    let similar = SimilarRequest {
        id: id.to_string(),
        page: request.page,
        filters: request.filters.clone(),
        snippets: request.snippets,
        entities: request.entities,
    };
    let open = args.index.open(args.aliases.aliases.as_deref())?;
    answer(&open, &similar, format, &args.output, &args.sources.load())
}

/// `--format jsonl|csv`: each hit written as it is read (the search
/// hands hits over one at a time), notes on stderr.
fn export_hits(
    open: &OpenIndex,
    request: &SearchRequest,
    table: &std::sync::Arc<AliasTable>,
    format: ExportFormat,
    args: &SearchArgs,
    sources: Sources,
) -> anyhow::Result<i32> {
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let extra = ExtraFields {
        body: request.body,
        snippets: args.fields.contains(&FieldArg::Snippets),
    };
    let mut exporter = Exporter::start(format, out, args.output.bom, extra, sources)?;
    let results = search_each(open, request, table, &mut |hit| exporter.write(&hit))
        .context("search failed")?;
    exporter.finish()?;
    notes(&results);
    Ok(0)
}

/// The parser's notes and the "did you mean" notes, on stderr.
fn notes(results: &SearchResults) {
    for w in &results.warnings {
        eprintln!("akhbar: note: {w}");
    }
    for n in suggestion_notes(results) {
        eprintln!("akhbar: note: {n}");
    }
}

/// `--stdin`: answers one query a line, one line each, flushed, until
/// the input ends. A query that fails answers with its error
/// (`{"query", "error"}` in JSON, `error: …` in text) and the loop goes
/// on. Text lines are `TOTAL<TAB>ID<TAB>ID…`; JSON (`json`: the sources'
/// names) the object of `--json`.
fn serve_lines(
    open: &OpenIndex,
    template: &SearchRequest,
    table: &std::sync::Arc<AliasTable>,
    json: Option<&Sources>,
) -> anyhow::Result<i32> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    // One write per answer: stdout alone flushes every 1 KiB of a line.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut line = Vec::new();
    loop {
        line.clear();
        if io::BufRead::read_until(&mut input, b'\n', &mut line)? == 0 {
            break;
        }
        let query = String::from_utf8_lossy(&line);
        let request = SearchRequest {
            query: query.trim_end_matches(['\n', '\r']).to_string(),
            ..template.clone()
        };
        match search_with(open, &request, table) {
            Ok(results) => match json {
                Some(sources) => print_search_json(&mut out, &results, sources)?,
                None => {
                    write!(out, "{}", results.total_hits)?;
                    for hit in &results.hits {
                        write!(out, "\t{}", hit.id)?;
                    }
                    writeln!(out)?;
                }
            },
            Err(e) if json.is_some() => {
                let answer = serde_json::json!({"query": request.query, "error": e.to_string()});
                writeln!(out, "{answer}")?;
            }
            Err(e) => writeln!(out, "error: {}", e.to_string().replace('\n', " "))?,
        }
        out.flush()?;
    }
    Ok(0)
}
