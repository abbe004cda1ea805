//! akhbar's relevance harness (see BENCHMARKS.md): MRR@10 and Recall@10
//! of akhbar and of a tantivy baseline on two kinds of task.
//!
//! 1. **Known item, headline → article**: the articles of the JSON Lines
//!    corpora given with `--corpus` are indexed with their bodies only; each
//!    of `--queries N` headlines (chosen by a hash of the article id, so the
//!    same every run) is searched with its words OR-ed, and must find its
//!    own article (or a byte-identical copy of its body) in the top 10.
//! 2. **Judged queries** (`--judged FILE`, default `bench/judged.tsv`),
//!    written for akhbar over the bundled corpus: `query<TAB>id id …`, the
//!    ids of ALL the relevant articles (`#` starts a comment line); searched
//!    over `--judged-corpus` (default `corpus/`) with titles and bodies, words
//!    OR-ed. Besides MRR@10 and R@10 it prints how many of all the relevant
//!    articles the top 10s hold, and writes per-query ranks and the relevant
//!    ids missing from each top 10 to `--out DIR` (`judged-akhbar.tsv`,
//!    `judged-tantivy.tsv`). Runs without `--corpus` too (judged set only).
//!
//! The baseline is tantivy out of the box: its default tokenizer, BM25,
//! the same text. The known-item corpus and queries are also written to
//! `--out DIR` (`bodies.jsonl`, `queries.tsv`), so `../shared/peers` can
//! run Lucene's ArabicAnalyzer and the others on the same task; give their
//! result files with `--peers FILE…` to put their figures beside ours.
//!
//! `cargo run --release --example relevance -- --corpus ../shared/corpora/ant-multisource
//!  --corpus ../shared/corpora/ant-jawharafm [--queries 3000] [--out DIR] [--peers F…]`

/// The binary's allocator (src/main.rs), so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use akhbar::corpus::Problem;
use akhbar::index::open_existing;
use akhbar::index::{build, IndexOptions, Reporter};
use akhbar::search::Op;
use akhbar::search::{search, Page, SearchRequest};
use anyhow::Context;
use serde_json::Value;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Schema, STORED, STRING, TEXT};
use tantivy::tokenizer::TokenStream;
use tantivy::{doc, Index, TantivyDocument, Term};

/// Hits looked at.
const K: usize = 10;

struct Quiet;

impl Reporter for Quiet {
    fn start(&mut self, _files: usize, _bytes: u64) {}
    fn advance(&mut self, _bytes: u64, _articles: usize) {}
    fn problem(&mut self, path: &Path, problem: &Problem) {
        eprintln!("relevance: skipped {}: {}", path.display(), problem.reason);
    }
    fn finish(&mut self) {}
}

/// One query with the ids that answer it.
struct Task {
    id: String,
    query: String,
    relevant: HashSet<String>,
}

/// MRR@10 and Recall@10 (share of queries with a relevant article in the
/// top 10) of one engine on one task set; for judged sets, also how many
/// of all the relevant articles the top 10s hold.
#[derive(Default)]
struct Score {
    queries: usize,
    reciprocal: f64,
    found: usize,
    /// Relevant articles in the top 10s, and all that could be there
    /// (each query's relevant count, at most 10).
    relevant_found: usize,
    relevant_total: usize,
}

impl Score {
    fn add(&mut self, ranked: &[String], relevant: &HashSet<String>) {
        self.queries += 1;
        if let Some(rank) = ranked.iter().take(K).position(|id| relevant.contains(id)) {
            self.reciprocal += 1.0 / (rank + 1) as f64;
            self.found += 1;
        }
        let top = ranked.iter().take(K);
        self.relevant_found += top.filter(|id| relevant.contains(*id)).count();
        self.relevant_total += relevant.len().min(K);
    }

    /// The judged sets' completeness line: relevant articles in the top 10s.
    fn all_found(&self, engine: &str) -> String {
        format!(
            "{:<18} {engine:<14} {}/{} relevant articles in the top 10s ({:.4})",
            "  judged, all",
            self.relevant_found,
            self.relevant_total,
            self.relevant_found as f64 / self.relevant_total.max(1) as f64
        )
    }

    fn line(&self, task: &str, engine: &str) -> String {
        let n = self.queries.max(1) as f64;
        format!(
            "{task:<18} {engine:<14} {:>7} {:>8.4} {:>8.4}",
            self.queries,
            self.reciprocal / n,
            self.found as f64 / n
        )
    }
}

fn args_named(args: &[String], name: &str) -> Vec<String> {
    args.windows(2)
        .filter(|w| w[0] == name)
        .map(|w| w[1].clone())
        .collect()
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args_named(args, name).pop()
}

/// Articles as (id, title, body).
type Articles = Vec<(String, String, String)>;

/// Every JSON Lines article under `dirs`, and each id's outlet.
fn read_articles(dirs: &[String]) -> anyhow::Result<(Articles, HashMap<String, String>)> {
    let mut sources = HashMap::new();
    let mut out = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let v: Value = serde_json::from_str(line)?;
                let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                out.push((field("id"), field("title"), field("body")));
                sources.insert(field("id"), field("source"));
            }
        }
    }
    Ok((out, sources))
}

/// The headline as a bag of words: quotes and query operators taken out,
/// so that every engine reads the same words.
fn bag_of_words(title: &str) -> String {
    title
        .split(|c: char| c.is_whitespace() || "\"«»“”()|&:".contains(c))
        .map(|w| w.trim_start_matches('-'))
        .filter(|w| !w.is_empty() && !matches!(*w, "OR" | "AND" | "NOT" | "أو" | "او"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Chooses `n` headline queries, the same every run, and writes the
/// corpus of bodies and the queries to `out`.
fn known_item_tasks(
    articles: &[(String, String, String)],
    n: usize,
    out: &Path,
) -> anyhow::Result<Vec<Task>> {
    let mut by_body: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, _, body) in articles {
        by_body.entry(body.as_str()).or_default().push(id);
    }
    let mut candidates: Vec<(blake3::Hash, &(String, String, String))> = articles
        .iter()
        .filter(|(_, title, body)| {
            bag_of_words(title).split(' ').count() >= 3 && !body.trim().is_empty()
        })
        .map(|a| (blake3::hash(a.0.as_bytes()), a))
        .collect();
    candidates.sort_by_key(|(h, _)| *h.as_bytes());
    std::fs::create_dir_all(out)?;
    let mut bodies = std::io::BufWriter::new(std::fs::File::create(out.join("bodies.jsonl"))?);
    for (id, _, body) in articles {
        let line = serde_json::json!({"id": id, "title": "", "body": body});
        writeln!(bodies, "{line}")?;
    }
    bodies.flush()?;
    let mut queries = std::io::BufWriter::new(std::fs::File::create(out.join("queries.tsv"))?);
    let mut tasks = Vec::new();
    for (_, (id, title, body)) in candidates.into_iter().take(n) {
        let query = bag_of_words(title);
        writeln!(queries, "{id}\t{query}")?;
        let relevant = by_body[body.as_str()]
            .iter()
            .map(|s| s.to_string())
            .collect();
        tasks.push(Task {
            id: id.clone(),
            query,
            relevant,
        });
    }
    queries.flush()?;
    Ok(tasks)
}

/// akhbar's ranking of every task, over an index of `roots` built in
/// `index_dir`.
fn akhbar_runs(
    roots: Vec<PathBuf>,
    index_dir: &Path,
    tasks: &[Task],
    ranker: bool,
) -> anyhow::Result<Vec<Vec<String>>> {
    let options = IndexOptions {
        roots,
        index_dir: index_dir.to_path_buf(),
        // a fresh index every run: one left by an older akhbar is rebuilt
        rebuild: true,
        ..IndexOptions::default()
    };
    // built by a task's first run (the caller removed any older one)
    if !index_dir.exists() {
        build(&options, &mut Quiet)?;
    }
    let open = open_existing(index_dir)?;
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        let req = SearchRequest {
            query: task.query.clone(),
            page: Page {
                limit: K,
                offset: 0,
            },
            op: Op::Or,
            snippets: false,
            // article by article, as the peers rank: folding near copies
            // into stories (issue 15) is not a ranking change
            collapse: false,
            ranker,
            ..SearchRequest::default()
        };
        let ids = match search(&open, &req) {
            Ok(r) => r.hits.into_iter().map(|h| h.id).collect(),
            Err(_) => Vec::new(),
        };
        out.push(ids);
    }
    Ok(out)
}

/// The baseline's ranking: tantivy's default tokenizer and BM25 over
/// `docs` (id, text), words OR-ed.
fn tantivy_runs(docs: &[(String, String)], tasks: &[Task]) -> anyhow::Result<Vec<Vec<String>>> {
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let text = builder.add_text_field("text", TEXT);
    let index = Index::create_in_ram(builder.build());
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(2, 256 << 20)?;
    for (i, t) in docs {
        writer.add_document(doc!(id => i.as_str(), text => t.as_str()))?;
    }
    writer.commit()?;
    let searcher = index.reader()?.searcher();
    let mut tokenizer = index
        .tokenizers()
        .get("default")
        .context("tantivy's default tokenizer")?;
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut stream = tokenizer.token_stream(&task.query);
        while stream.advance() {
            let term = Term::from_field_text(text, &stream.token().text);
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            ));
        }
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &tantivy::collector::TopDocs::with_limit(K).order_by_score(),
        )?;
        let mut ids = Vec::new();
        for (_, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            if let Some(v) = d
                .get_first(id)
                .and_then(|v| tantivy::schema::Value::as_str(&v))
            {
                ids.push(v.to_string());
            }
        }
        out.push(ids);
    }
    Ok(out)
}

/// The top ids per query id in a `../shared/peers` result file.
fn peer_runs(file: &str) -> anyhow::Result<(String, HashMap<String, Vec<String>>)> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(file)?)?;
    let name = v
        .pointer("/engine")
        .and_then(Value::as_str)
        .or_else(|| v.pointer("/versions/label").and_then(Value::as_str))
        .unwrap_or(file)
        .to_string();
    let mut out = HashMap::new();
    for q in v
        .pointer("/search/per_query")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = q
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let top = q
            .get("top")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
        out.insert(id, top);
    }
    Ok((name, out))
}

/// Judged queries over the bundled corpus: `query<TAB>id id …`.
fn judged_tasks(file: &Path) -> anyhow::Result<Vec<Task>> {
    let text = std::fs::read_to_string(file)?;
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .enumerate()
        .map(|(i, (q, ids))| Task {
            id: format!("j{i}"),
            query: q.to_string(),
            relevant: ids.split_whitespace().map(str::to_string).collect(),
        })
        .collect())
}

/// Writes each judged query's rank of its first relevant article (0: not
/// in the top 10), relevant articles found in the top 10 of all, the top
/// hit (`*` when relevant) and the relevant ids missing from the top 10.
fn dump_judged(file: &Path, runs: &[Vec<String>], tasks: &[Task]) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    for (ranked, task) in runs.iter().zip(tasks) {
        let top: Vec<&String> = ranked.iter().take(K).collect();
        let rank = top
            .iter()
            .position(|id| task.relevant.contains(*id))
            .map_or(0, |r| r + 1);
        let found = top.iter().filter(|id| task.relevant.contains(**id)).count();
        let first = top.first().map_or(String::new(), |id| {
            let mark = if task.relevant.contains(*id) { "*" } else { "" };
            format!("{id}{mark}")
        });
        let mut missing: Vec<&str> = task
            .relevant
            .iter()
            .filter(|id| !top.contains(id))
            .map(String::as_str)
            .collect();
        missing.sort_unstable();
        writeln!(
            out,
            "{}\t{}\t{rank}\t{found}/{}\t{first}\t{}",
            task.id,
            task.query,
            task.relevant.len(),
            missing.join(" ")
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Writes each query's rank of its first relevant article (0: not in the
/// top 10), for a look at the misses.
fn dump(file: &Path, runs: &[Vec<String>], tasks: &[Task]) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    for (ranked, task) in runs.iter().zip(tasks) {
        let rank = ranked
            .iter()
            .position(|id| task.relevant.contains(id))
            .map_or(0, |r| r + 1);
        let first = ranked.first().map_or("", String::as_str);
        writeln!(out, "{}\t{rank}\t{first}\t{}", task.id, task.query)?;
    }
    out.flush()?;
    Ok(())
}

fn score(runs: &[Vec<String>], tasks: &[Task]) -> Score {
    let mut s = Score::default();
    for (ranked, task) in runs.iter().zip(tasks) {
        s.add(ranked, &task.relevant);
    }
    s
}

/// Outlets the shipped ranker was trained on (`data/ranker.tsv`): the
/// known-item table marks them, and its "held out" column leaves them out.
const TRAINED_ON: [&str; 3] = ["skynews", "alarabia", "Jawhara FM"];

/// The known-item task: every engine's MRR@10 and R@10, then MRR@10 by
/// the outlet of the article sought (and over the outlets the ranker
/// did not train on).
fn known_item(args: &[String], corpora: &[String], n: usize, out: &Path) -> anyhow::Result<()> {
    let (articles, sources) = read_articles(corpora)?;
    let tasks = known_item_tasks(&articles, n, out)?;
    let roots = vec![out.join("bodies.jsonl")];
    let index = out.join("akhbar-index");
    let mut engines: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    let _ = std::fs::remove_dir_all(&index);
    let runs = akhbar_runs(roots.clone(), &index, &tasks, false)?;
    engines.push(("akhbar 1st stage".into(), runs));
    let runs = akhbar_runs(roots, &index, &tasks, true)?;
    dump(&out.join("akhbar-ranks.tsv"), &runs, &tasks)?;
    engines.push(("akhbar".into(), runs));
    let docs: Vec<(String, String)> = articles
        .iter()
        .map(|(id, _, body)| (id.clone(), body.clone()))
        .collect();
    engines.push(("tantivy".into(), tantivy_runs(&docs, &tasks)?));
    for file in args_named(args, "--peers") {
        let (name, tops) = peer_runs(&file)?;
        let runs: Vec<Vec<String>> = tasks
            .iter()
            .map(|t| tops.get(&t.id).cloned().unwrap_or_default())
            .collect();
        let missing = tasks.iter().filter(|t| !tops.contains_key(&t.id)).count();
        if missing > 0 {
            eprintln!("relevance: {file}: {missing} queries missing");
        }
        engines.push((name, runs));
    }
    for (name, runs) in &engines {
        println!("{}", score(runs, &tasks).line("headline→article", name));
    }
    let outlet = |t: &Task| sources.get(&t.id).cloned().unwrap_or_default();
    let mut outlets: Vec<String> = tasks.iter().map(outlet).collect();
    outlets.sort();
    outlets.dedup();
    let held_out = |o: &str| !TRAINED_ON.contains(&o);
    let mut header = format!("\n{:<18}", "MRR@10 by outlet");
    for o in &outlets {
        let mark = if held_out(o) { "" } else { "*" };
        let count = tasks.iter().filter(|t| outlet(t) == *o).count();
        header.push_str(&format!(" {:>14}", format!("{o}{mark} ({count})")));
    }
    println!("{header} {:>14}", "held out");
    for (name, runs) in &engines {
        let mut line = format!("{name:<18}");
        let pick = |keep: &dyn Fn(&str) -> bool| {
            let (r, t): (Vec<Vec<String>>, Vec<&Task>) = runs
                .iter()
                .zip(&tasks)
                .filter(|(_, t)| keep(&outlet(t)))
                .map(|(r, t)| (r.clone(), t))
                .unzip();
            let mut s = Score::default();
            for (ranked, task) in r.iter().zip(t) {
                s.add(ranked, &task.relevant);
            }
            s.reciprocal / s.queries.max(1) as f64
        };
        for o in &outlets {
            line.push_str(&format!(" {:>14.4}", pick(&|x| x == o)));
        }
        println!("{line} {:>14.4}", pick(&|x| held_out(x)));
    }
    println!("(* the shipped ranker was trained on this outlet's articles)");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let corpora = args_named(&args, "--corpus");
    let n: usize = arg(&args, "--queries").map_or(Ok(3000), |v| v.parse())?;
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| {
        std::env::temp_dir()
            .join("akhbar-relevance")
            .to_string_lossy()
            .into_owned()
    }));
    println!(
        "{:<18} {:<14} {:>7} {:>8} {:>8}",
        "task", "engine", "queries", "MRR@10", "R@10"
    );
    if !corpora.is_empty() {
        known_item(&args, &corpora, n, &out)?;
    }
    let judged = PathBuf::from(arg(&args, "--judged").unwrap_or_else(|| "bench/judged.tsv".into()));
    if judged.exists() {
        let corpus =
            PathBuf::from(arg(&args, "--judged-corpus").unwrap_or_else(|| "corpus".into()));
        let tasks = judged_tasks(&judged)?;
        let index = out.join("judged-index");
        let _ = std::fs::remove_dir_all(&index);
        let runs = akhbar_runs(vec![corpus.clone()], &index, &tasks, false)?;
        let s = score(&runs, &tasks);
        println!("{}", s.line("judged", "akhbar 1st stage"));
        println!("{}", s.all_found("akhbar 1st stage"));
        let runs = akhbar_runs(vec![corpus.clone()], &index, &tasks, true)?;
        let s = score(&runs, &tasks);
        println!("{}", s.line("judged", "akhbar"));
        println!("{}", s.all_found("akhbar"));
        dump_judged(&out.join("judged-akhbar.tsv"), &runs, &tasks)?;
        let mut docs = Vec::new();
        for file in akhbar::corpus::list_files(&[corpus], &akhbar::index::index_folders(&out)).0 {
            // The ids akhbar gives (`PATH#2` for a page's second article).
            if let Ok(read) = akhbar::corpus::read_file(&file.path) {
                for (i, a) in read.articles.iter().enumerate() {
                    docs.push((
                        akhbar::corpus::article_id(a, &file.relative, read.multi, i),
                        format!("{}\n{}", a.title, a.body),
                    ));
                }
            }
        }
        let runs = tantivy_runs(&docs, &tasks)?;
        let s = score(&runs, &tasks);
        println!("{}", s.line("judged", "tantivy"));
        println!("{}", s.all_found("tantivy"));
        dump_judged(&out.join("judged-tantivy.tsv"), &runs, &tasks)?;
    }
    Ok(())
}
