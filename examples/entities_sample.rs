//! A random sample of the names akhbar finds by rule (not in the alias
//! table), each with its sentence, to be judged by reading (issue 29).
//!
//! ```sh
//! cargo run --release --example entities_sample -- [--corpora ../shared/corpora]
//!     [--n 300] [--seed 29] [--out bench/entities-sample.tsv]
//!     [--judged bench/entities-judged-before.tsv …]
//! ```
//!
//! Every article of the corpora that the entity model did not train on
//! (the held-out tenth, [`akhbar::entities::held_out`]) is read and its
//! entities extracted as at index time; each listed entity found by rule
//! (an article × name pair, as a reader sees it among a hit's chips) is
//! a candidate, and `--n` of them are drawn by a seeded hash (the same
//! seed and extractor draw the same sample). Each line is
//!
//! `key<TAB>verdict<TAB>TYPE<TAB>name<TAB>sentence<TAB>source<TAB>note`
//!
//! with the first mention marked `[[…]]` in its sentence. The files kept
//! in `bench/` leave the sentence empty (corpus text is not committed):
//! the key finds it in the corpora, and `--judged FILE --out NEW` draws
//! the same names again with their sentences. The verdict is
//! left empty, to be written by a reader: `name` (a name, right span and
//! type), `span` (a name, but cut short or too long: the right span in
//! the note), `type` (a name of another type) or `not` (no name). With
//! `--judged FILE`, verdicts already given for the same key, type and
//! name are carried over. With `--score FILE`, the judged file's verdicts
//! are counted instead and nothing is drawn. With `--compare FILE`, each
//! judged name of FILE is looked up in its article again, with this
//! build's extractor, and what became of it is counted (gone, kept,
//! another span), verdict by verdict: how a change fares on names judged
//! before it. With `--ya`, the sense model's علي is measured on the
//! held-out articles that write على with ى: each is read again with
//! every ى written ي (as some writers do), and whether it names someone
//! علي (the `plain_words` term `--entity علي` requires) is compared with
//! what the article, as written, says.

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akhbar::analysis::TextNormalizer;
use akhbar::corpus::read_file;
use akhbar::entities::{held_out, plain_homographs};
use akhbar::entities::{AliasTable, Extractor};

/// One rule-found name of one article.
struct Candidate {
    key: String,
    kind: &'static str,
    name: String,
    sentence: String,
    source: String,
    rank: [u8; 32],
}

/// The sentence around `range` in `text`, the mention marked.
fn sentence(text: &str, range: std::ops::Range<usize>) -> String {
    let stops = ['.', '!', '?', '؟', '\n', '؛'];
    let start = text[..range.start]
        .rfind(|c| stops.contains(&c))
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    let end = text[range.end..]
        .find(|c| stops.contains(&c))
        .map_or(text.len(), |i| range.end + i);
    let clip = |s: &str, from_end: bool| -> String {
        let words: Vec<&str> = s.split_whitespace().collect();
        if words.len() <= 30 {
            return words.join(" ");
        }
        if from_end {
            format!("… {}", words[words.len() - 30..].join(" "))
        } else {
            format!("{} …", words[..30].join(" "))
        }
    };
    let mention: Vec<&str> = text[range.clone()].split_whitespace().collect();
    format!(
        "{} [[{}]] {}",
        clip(&text[start..range.start], true),
        mention.join(" "),
        clip(&text[range.end..end], false)
    )
    .trim()
    .to_string()
}

fn candidates(corpora: &Path, seed: &str) -> Vec<Candidate> {
    let mut extractor = Extractor::new(Arc::new(AliasTable::builtin()));
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(corpora)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    for file in files {
        let read = match read_file(&file) {
            Ok(read) => read,
            Err(problem) => {
                eprintln!("{}: {}", file.display(), problem.reason);
                continue;
            }
        };
        for article in read.articles {
            let Some(id) = article.id.clone() else {
                continue;
            };
            if !held_out(&id) {
                continue;
            }
            let texts = [article.title.as_str(), article.body.as_str()];
            for (found, text_of) in extractor.extract(&texts) {
                if found.known || found.weak {
                    continue;
                }
                let (Some(range), Some(&t)) = (found.mentions.first(), text_of.first()) else {
                    continue;
                };
                let key = format!("{id}:{t}:{}-{}", range.start, range.end);
                let rank = *blake3::hash(format!("{seed}\u{1f}{key}").as_bytes()).as_bytes();
                out.push(Candidate {
                    kind: found.kind.code(),
                    name: found.display.clone(),
                    sentence: sentence(texts[t], range.clone()),
                    source: article.source.clone(),
                    key,
                    rank,
                });
            }
        }
    }
    out
}

/// Verdicts of judged files: (key, type, name) → (verdict, note).
fn judged(files: &[String]) -> BTreeMap<(String, String, String), (String, String)> {
    let mut out = BTreeMap::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 7 && !cols[1].is_empty() {
                out.insert(
                    (cols[0].into(), cols[2].into(), cols[3].into()),
                    (cols[1].into(), cols[6].into()),
                );
            }
        }
    }
    out
}

/// Counts the verdicts of a judged file.
fn score(file: &str) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_type: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 {
            continue;
        }
        let verdict = if cols[1].is_empty() {
            "unjudged"
        } else {
            cols[1]
        };
        *counts.entry(verdict.to_string()).or_default() += 1;
        let slot = by_type.entry(cols[2].to_string()).or_default();
        slot.0 += usize::from(verdict == "name");
        slot.1 += 1;
    }
    let total: usize = counts.values().sum();
    let right = counts.get("name").copied().unwrap_or(0);
    println!("{file}: {total} names");
    for (verdict, n) in &counts {
        println!(
            "  {verdict:9} {n:4}  {:.1}%",
            100.0 * *n as f64 / total.max(1) as f64
        );
    }
    for (kind, (good, n)) in &by_type {
        println!("  {kind}: {good} of {n} names with the right span");
    }
    println!(
        "names with the right span: {right} of {total} = {:.1}%",
        100.0 * right as f64 / total.max(1) as f64
    );
}

/// The held-out articles of the corpora: id → (title, body).
fn held_out_articles(corpora: &Path) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(corpora)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.into_path();
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        let Ok(read) = read_file(&path) else { continue };
        for a in read.articles {
            if let Some(id) = a.id.filter(|id| held_out(id)) {
                out.insert(id, (a.title, a.body));
            }
        }
    }
    out
}

/// What this build finds where a judged file's names were (see the
/// module documentation).
fn compare(file: &str, corpora: &Path, show: bool) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    let articles = held_out_articles(corpora);
    let mut extractor = Extractor::new(Arc::new(AliasTable::builtin()));
    let mut outcome: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 {
            continue;
        }
        let (key, verdict, name, note) = (cols[0], cols[1], cols[3], cols[6]);
        let mut parts = key.rsplitn(3, ':');
        let (Some(range), Some(t), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Some((title, body)) = articles.get(id) else {
            continue;
        };
        let t: usize = t.parse().unwrap_or(0);
        let (s, e) = range.split_once('-').unwrap_or(("0", "0"));
        let (s, e): (usize, usize) = (s.parse().unwrap_or(0), e.parse().unwrap_or(0));
        let found = extractor.extract(&[title, body]);
        let now: Vec<String> = found
            .iter()
            .filter(|(f, _)| !f.known && !f.weak)
            .flat_map(|(f, texts)| {
                f.mentions
                    .iter()
                    .zip(texts)
                    .filter(|(m, &tt)| tt == t && m.start < e && s < m.end)
                    .map(|_| f.display.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        let right = note.split(" (").next().unwrap_or("").trim();
        let what = match now.first() {
            None => "gone",
            Some(n) if n == name => "same",
            Some(n) if !right.is_empty() && n == right => "fixed span",
            Some(_) => "other span",
        };
        if show && (verdict == "name") != (what == "same" || what == "fixed span") {
            println!(
                "{verdict:5} {what:10} {name} → {:?}   [{}]",
                now.first(),
                cols[4]
            );
        }
        *outcome.entry((verdict.to_string(), what)).or_default() += 1;
    }
    for ((verdict, what), n) in &outcome {
        println!("{verdict:6} → {what:10} {n:4}");
    }
}

/// The علي measurement (see the module documentation).
fn ya(corpora: &Path) {
    let mut normalizer = TextNormalizer::default();
    let mut extractor = Extractor::new(Arc::new(AliasTable::builtin()));
    let mut has = |title: &str, body: &str| -> bool {
        let t = normalizer.read(title);
        let b = normalizer.read(body);
        let texts = [(title, &t), (body, &b)];
        let found = extractor.extract_normalized(&texts);
        plain_homographs(&texts, &found).iter().any(|k| k == "علي")
    };
    let (mut articles, mut truth, mut said, mut right) = (0, 0, 0, 0);
    let mut plain_ali = 0;
    for (_, (title, body)) in held_out_articles(corpora) {
        if !format!("{title} {body}").contains("على") {
            continue;
        }
        articles += 1;
        let named = has(&title, &body);
        let (t2, b2) = (title.replace('ى', "ي"), body.replace('ى', "ي"));
        let got = has(&t2, &b2);
        truth += usize::from(named);
        said += usize::from(got);
        right += usize::from(named && got);
        plain_ali += usize::from(format!("{t2} {b2}").contains("علي"));
    }
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    println!("held-out articles writing على with ى, read with ي for ى: {articles}");
    println!("naming someone علي (as written): {truth}");
    println!(
        "this build: says علي is a name in {said}: precision {:.3}, recall {:.3}",
        ratio(right, said),
        ratio(right, truth)
    );
    println!(
        "a writing-only rule (علي with ي is the name): {plain_ali}: precision {:.3}",
        ratio(truth, plain_ali)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(file) = support::arg(&args, "--score") {
        score(&file);
        return;
    }
    let corpora =
        PathBuf::from(support::arg(&args, "--corpora").unwrap_or("../shared/corpora".into()));
    if !corpora.is_dir() {
        eprintln!("{} absent: nothing to sample", corpora.display());
        std::process::exit(2);
    }
    if args.iter().any(|a| a == "--ya") {
        ya(&corpora);
        return;
    }
    if let Some(file) = support::arg(&args, "--compare") {
        compare(&file, &corpora, args.iter().any(|a| a == "--show"));
        return;
    }
    let n: usize = support::arg(&args, "--n").map_or(300, |n| n.parse().expect("--n N"));
    let seed = support::arg(&args, "--seed").unwrap_or("29".into());
    let out = support::arg(&args, "--out").unwrap_or("bench/entities-sample.tsv".into());
    let previous: Vec<String> = args
        .windows(2)
        .filter(|w| w[0] == "--judged")
        .map(|w| w[1].clone())
        .collect();
    let verdicts = judged(&previous);
    let mut all = candidates(&corpora, &seed);
    let total = all.len();
    all.sort_by_key(|a| a.rank);
    all.truncate(n);
    all.sort_by(|a, b| a.key.cmp(&b.key));
    let mut lines = vec![
        format!("# {n} of {total} rule-found names (article × name) of the held-out tenth of {}, seed {seed}", corpora.display()),
        "# key\tverdict\ttype\tname\tsentence\tsource\tnote".to_string(),
    ];
    let mut carried = 0;
    for c in &all {
        let (verdict, note) = verdicts
            .get(&(c.key.clone(), c.kind.to_string(), c.name.clone()))
            .cloned()
            .unwrap_or_default();
        carried += usize::from(!verdict.is_empty());
        lines.push(format!(
            "{}\t{verdict}\t{}\t{}\t{}\t{}\t{note}",
            c.key, c.kind, c.name, c.sentence, c.source
        ));
    }
    std::fs::write(&out, lines.join("\n") + "\n").unwrap_or_else(|e| panic!("{out}: {e}"));
    println!(
        "{out}: {} names drawn of {total}, {carried} verdicts carried over",
        all.len()
    );
}
