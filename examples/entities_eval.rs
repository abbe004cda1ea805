//! Entity evaluation on the gold set `bench/entities-gold.txt` (issue 14).
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example entities_eval -- [--bin target/release/akhbar]
//!     [--gold bench/entities-gold.txt] [--show]
//! ```
//!
//! Drives an akhbar binary through its command line, so that two builds
//! (before and after a change) are measured the same way: each gold
//! sentence becomes an article (`index`), and
//! - **extraction**: every article's listed `entities` (`search --json`)
//!   against the gold spans of its sentence: an extracted name is right
//!   when a gold entity of the sentence has its type and its name (as
//!   written, or its referent, or through the alias table the same
//!   entity). Also counted: names shown in a spelling that is not in the
//!   article (neither a table name nor found in the text);
//! - **`--entity`**: for each entity of the gold set (and names that are
//!   also common words: علي، بان، فان، المدينة …), the articles
//!   `search --entity NAME` returns against the sentences naming it; and,
//!   on the same queries, a plain normalized string matcher (the name's
//!   words, any of its table names, after an optional proclitic).
//!
//! Gold mentions of one entity in one sentence count once (extraction
//! lists an article's entities, not its mentions). To measure what a rule
//! costs, run with `AKHBAR_ENTITY_RULES=-written` (or `-context`,
//! `-lexicon`; see `entities::extract`; rules of extraction
//! act at index time, so the switch applies to indexing and search).
//!
//! `--show` lists every wrong extraction and `--entity` error.

#[path = "support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use akhbar::entities::name_key;
use akhbar::entities::AliasTable;

/// Names searched with `--entity` besides the gold entities: common words
/// that are also names, and homographs.
const EXTRA_QUERIES: &[&str] = &[
    "علي",
    "بان",
    "فان",
    "المدينة",
    "جامعة",
    "سنة",
    "أمل",
    "حماس",
    "المملكة",
    "صلاح",
];

/// Proclitic prefixes the string matcher allows before a name.
const PREFIXES: &[&str] = &[
    "", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وب", "ول",
    "فب", "فل", "وك",
];

struct Gold {
    surface: String,
    kind: String,
    referent: String,
}

struct Sentence {
    id: String,
    text: String,
    /// Entities of the sentence, each once (a second mention of the same
    /// entity is not a second entity: extraction lists entities).
    gold: Vec<Gold>,
}

fn parse_gold(path: &Path) -> Vec<Sentence> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, marked) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("{}:{}: no tab", path.display(), n + 1));
        let mut plain = String::new();
        let mut gold = Vec::new();
        let mut rest = marked;
        while let Some(start) = rest.find("[[") {
            plain.push_str(&rest[..start]);
            let end = rest[start..]
                .find("]]")
                .unwrap_or_else(|| panic!("{}:{}: unclosed [[", path.display(), n + 1))
                + start;
            let parts: Vec<&str> = rest[start + 2..end].split('|').collect();
            assert!(
                parts.len() >= 2,
                "{}:{}: span needs |TYPE",
                path.display(),
                n + 1
            );
            plain.push_str(parts[0]);
            gold.push(Gold {
                surface: parts[0].to_string(),
                kind: parts[1].to_string(),
                referent: parts.get(2).unwrap_or(&parts[0]).to_string(),
            });
            rest = &rest[end + 2..];
        }
        plain.push_str(rest);
        let mut seen = BTreeSet::new();
        gold.retain(|g| seen.insert((g.kind.clone(), name_key(&g.referent))));
        out.push(Sentence {
            id: id.to_string(),
            text: plain,
            gold,
        });
    }
    out
}

/// The identity of a name: its table entity's canonical key, else its
/// normalized form.
fn identity(table: &AliasTable, name: &str) -> String {
    match table.resolve(name) {
        Some(e) => format!("table:{}", e.canonical),
        None => name_key(name),
    }
}

fn run(bin: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(bin)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{} {:?}: no JSON ({e}): {}",
            bin.display(),
            args,
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Normalized words of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && !('\u{064B}'..='\u{0670}').contains(&c))
        .map(akhbar::analysis::normalize)
        .filter(|w| !w.is_empty())
        .collect()
}

/// The plain string matcher: does `text` contain `name` (normalized words
/// in a row, the first after an optional proclitic)?
fn string_match(text: &[String], name: &str) -> bool {
    let name: Vec<String> = name_key(name).split(' ').map(str::to_string).collect();
    if name.is_empty() || name[0].is_empty() {
        return false;
    }
    (0..text.len()).any(|i| {
        i + name.len() <= text.len()
            && PREFIXES
                .iter()
                .any(|p| text[i] == format!("{p}{}", name[0]))
            && (1..name.len()).all(|j| text[i + j] == name[j])
    })
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bin = PathBuf::from(
        support::arg(&args, "--bin").unwrap_or_else(|| "target/release/akhbar".to_string()),
    );
    let gold_path = PathBuf::from(
        support::arg(&args, "--gold").unwrap_or_else(|| "bench/entities-gold.txt".to_string()),
    );
    let show = args.iter().any(|a| a == "--show");
    let sentences = parse_gold(&gold_path);
    let table = AliasTable::builtin();
    let dir = tempfile::tempdir().expect("tempdir");
    let jsonl = dir.path().join("gold.jsonl");
    let lines: Vec<String> = sentences
        .iter()
        .map(|s| {
            serde_json::json!({"id": s.id, "title": "", "body": s.text, "keywords": "zzgold"})
                .to_string()
        })
        .collect();
    std::fs::write(&jsonl, lines.join("\n")).expect("write jsonl");
    let index = dir.path().join("index");
    let (jsonl_s, index_s) = (jsonl.to_string_lossy(), index.to_string_lossy());
    let status = Command::new(&bin)
        .args(["index", &jsonl_s, "--index", &index_s, "-q"])
        .status()
        .expect("run index");
    assert!(status.success(), "indexing the gold set failed");

    // extraction
    let all = run(
        &bin,
        &[
            "search", "zzgold", "--index", &index_s, "--json", "--limit", "1000",
        ],
    );
    let by_id: BTreeMap<&str, &Sentence> = sentences.iter().map(|s| (s.id.as_str(), s)).collect();
    let (mut extracted, mut right, mut absent) = (0, 0, 0);
    let mut found_gold = 0;
    let gold_total: usize = sentences.iter().map(|s| s.gold.len()).sum();
    let canonical: BTreeSet<&str> = table
        .entities
        .iter()
        .map(|e| e.canonical.as_str())
        .collect();
    for hit in all["hits"].as_array().into_iter().flatten() {
        let Some(s) = hit["id"].as_str().and_then(|id| by_id.get(id)) else {
            continue;
        };
        let plain_text: String = s
            .text
            .chars()
            .filter(|c| !('\u{064B}'..='\u{0652}').contains(c))
            .collect();
        let mut matched = vec![false; s.gold.len()];
        for e in hit["entities"].as_array().into_iter().flatten() {
            let name = e["name"].as_str().unwrap_or_default();
            let kind = e["type"].as_str().unwrap_or_default();
            extracted += 1;
            if !canonical.contains(name) && !plain_text.contains(name) {
                absent += 1;
            }
            let id = identity(&table, name);
            let hit_gold = s.gold.iter().position(|g| {
                g.kind == kind
                    && (identity(&table, &g.referent) == id
                        || identity(&table, &g.surface) == id
                        || name_key(&g.surface) == name_key(name))
            });
            match hit_gold {
                Some(i) => {
                    right += 1;
                    matched[i] = true;
                }
                None if show => println!("wrong   {}: {kind} {name}", s.id),
                None => {}
            }
        }
        found_gold += matched.iter().filter(|m| **m).count();
        if show {
            for (g, m) in s.gold.iter().zip(&matched) {
                if !m {
                    println!("missed  {}: {} {}", s.id, g.kind, g.surface);
                }
            }
        }
    }

    // --entity
    let mut queries: BTreeMap<String, String> = BTreeMap::new();
    for s in &sentences {
        for g in &s.gold {
            queries
                .entry(identity(&table, &g.referent))
                .or_insert_with(|| g.referent.clone());
        }
    }
    for q in EXTRA_QUERIES {
        queries
            .entry(format!("extra:{q}"))
            .or_insert_with(|| q.to_string());
    }
    let texts: Vec<Vec<String>> = sentences.iter().map(|s| words(&s.text)).collect();
    let (mut expected_n, mut returned_n, mut right_n) = (0, 0, 0);
    let (mut string_n, mut string_right) = (0, 0);
    let mut homographs = Vec::new();
    for query in queries.values() {
        let resolved = table.resolve(query);
        let qkey = name_key(query);
        let expected: BTreeSet<&str> = sentences
            .iter()
            .filter(|s| {
                s.gold.iter().any(|g| match resolved {
                    Some(e) => [&g.referent, &g.surface]
                        .iter()
                        .any(|n| table.resolve(n).is_some_and(|x| x.canonical == e.canonical)),
                    None => [&g.referent, &g.surface]
                        .iter()
                        .any(|n| format!(" {} ", name_key(n)).contains(&format!(" {qkey} "))),
                })
            })
            .map(|s| s.id.as_str())
            .collect();
        let answer = run(
            &bin,
            &[
                "search",
                "--entity",
                query,
                "--index",
                &index_s,
                "--json",
                "--limit",
                "1000",
                "--no-snippets",
            ],
        );
        let returned: BTreeSet<String> = answer["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h["id"].as_str().map(str::to_string))
            .collect();
        let names: Vec<String> = match resolved {
            Some(e) => e.names().map(str::to_string).collect(),
            None => vec![query.clone()],
        };
        let by_string: BTreeSet<&str> = sentences
            .iter()
            .zip(&texts)
            .filter(|(_, t)| names.iter().any(|n| string_match(t, n)))
            .map(|(s, _)| s.id.as_str())
            .collect();
        let good = returned
            .iter()
            .filter(|id| expected.contains(id.as_str()))
            .count();
        expected_n += expected.len();
        returned_n += returned.len();
        right_n += good;
        string_n += by_string.len();
        string_right += by_string.iter().filter(|id| expected.contains(*id)).count();
        if EXTRA_QUERIES.contains(&query.as_str()) {
            homographs.push(format!(
                "  {query}: {good} right of {} returned, {} expected; string match {} returned",
                returned.len(),
                expected.len(),
                by_string.len()
            ));
        }
        if show && (good != expected.len() || good != returned.len()) {
            let extra: Vec<&String> = returned
                .iter()
                .filter(|id| !expected.contains(id.as_str()))
                .collect();
            let missed: Vec<&&str> = expected
                .iter()
                .filter(|id| !returned.contains(**id))
                .collect();
            println!("--entity {query}: extra {extra:?} missed {missed:?}");
        }
    }
    println!("binary: {}", bin.display());
    println!(
        "gold: {} sentences, {} entity mentions, {} --entity queries",
        sentences.len(),
        gold_total,
        queries.len()
    );
    println!(
        "extraction   precision {:.3}  recall {:.3}  ({right}/{extracted} right, {found_gold}/{gold_total} found; {absent} shown in a spelling absent from the article)",
        ratio(right, extracted),
        ratio(found_gold, gold_total)
    );
    println!(
        "--entity     precision {:.3}  recall {:.3}  ({right_n} right of {returned_n} returned, {expected_n} expected)",
        ratio(right_n, returned_n),
        ratio(right_n, expected_n)
    );
    println!(
        "string match precision {:.3}  recall {:.3}  ({string_right} right of {string_n} returned)",
        ratio(string_right, string_n),
        ratio(string_right, expected_n)
    );
    homographs.sort();
    homographs.dedup();
    println!("names that are also common words or homographs (--entity):");
    for line in homographs {
        println!("{line}");
    }
}
