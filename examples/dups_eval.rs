//! Near-duplicate grouping over a whole index (issue 15): how many articles
//! are exact body copies and whether each such pair is grouped (recall),
//! how many stories copies form at the threshold, the number of candidate
//! pairs per similarity level, and a sample of pairs per level to read
//! (precision). Prints the samples' ids and the first characters of both
//! bodies; nothing is written to the repository.
//!
//! With `--pairs N`, also N grouped pairs (estimate at or above the
//! threshold, bodies not identical) drawn at random over the whole index,
//! each with the first 300 characters of both bodies: the precision sample.
//!
//! `cargo run --release --example dups_eval -- --index DIR [--samples N] [--pairs N] [--seed S]`

#[path = "support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::path::PathBuf;

use akhbar::analysis::{similarity, Signature, MIN_WORDS, THRESHOLD};
use akhbar::index::open_existing;
use akhbar::search::Signatures;
use akhbar::search::StoredDoc;
use support::arg;
use tantivy::DocAddress;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let index = PathBuf::from(arg(&args, "--index").unwrap_or_else(|| "index".into()));
    let samples: usize = arg(&args, "--samples").map_or(Ok(8), |s| s.parse())?;
    let read_pairs: usize = arg(&args, "--pairs").map_or(Ok(0), |s| s.parse())?;
    let mut seed: u64 = arg(&args, "--seed").map_or(Ok(15), |s| s.parse())?;
    let open = open_existing(&index)?;
    let searcher = open.searcher()?;
    let f = open.fields;
    // (address, id, body hash, signature, body words, title)
    type Doc = (
        DocAddress,
        String,
        blake3::Hash,
        Option<Signature>,
        usize,
        String,
    );
    let mut docs: Vec<Doc> = Vec::new();
    let sigs = Signatures::new(&searcher);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        for doc in reader.doc_ids_alive() {
            let address = DocAddress::new(ord as u32, doc);
            let stored: StoredDoc = searcher.doc(address)?;
            let body = stored.text(f.body).trim();
            let sig = sigs.get(address);
            let hash = blake3::hash(body.as_bytes());
            let hash = if body.is_empty() {
                blake3::hash(format!("empty {ord} {doc}").as_bytes())
            } else {
                hash
            };
            let words = body.split_whitespace().count();
            let title = stored.text(f.title).trim().to_string();
            docs.push((
                address,
                stored.text(f.id).to_string(),
                hash,
                sig,
                words,
                title,
            ));
        }
    }
    println!("articles {}", docs.len());

    // exact body copies
    let mut by_body: HashMap<blake3::Hash, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        by_body.entry(d.2).or_default().push(i);
    }
    let groups: Vec<&Vec<usize>> = by_body.values().filter(|g| g.len() > 1).collect();
    let copies: usize = groups.iter().map(|g| g.len() - 1).sum();
    let in_groups: usize = groups.iter().map(|g| g.len()).sum();
    let unsigned: usize = groups
        .iter()
        .flat_map(|g| g.iter())
        .filter(|&&i| docs[i].3.is_none())
        .count();
    println!(
        "exact body copies: {copies} articles copy another ({in_groups} articles in {} groups); \
         {unsigned} of them have no signature (empty body)",
        groups.len()
    );

    // candidate pairs by band
    let mut by_band: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(s) = &d.3 {
            for b in s.bands() {
                by_band.entry(b).or_default().push(i);
            }
        }
    }
    let mut pairs: HashMap<(usize, usize), f64> = HashMap::new();
    for list in by_band.values() {
        if list.len() > 200 {
            println!("note: a band shared by {} articles", list.len());
        }
        for (x, &a) in list.iter().enumerate() {
            for &b in &list[x + 1..] {
                let key = (a.min(b), a.max(b));
                if pairs.contains_key(&key) {
                    continue;
                }
                if let (Some(sa), Some(sb)) = (&docs[a].3, &docs[b].3) {
                    pairs.insert(key, similarity(sa, sb));
                }
            }
        }
    }
    // recall of exact pairs: bodies long enough for a MinHash must all be
    // grouped; shorter ones (bylines, captions, empty) only with the same
    // title (analysis::shingles::article_signature)
    let mut long = (0, 0);
    let mut short = (0, 0, 0);
    for g in &groups {
        for (x, &a) in g.iter().enumerate() {
            for &b in &g[x + 1..] {
                let (Some(sa), Some(sb)) = (&docs[a].3, &docs[b].3) else {
                    continue;
                };
                let together = similarity(sa, sb) >= THRESHOLD;
                if docs[a].4 >= MIN_WORDS {
                    long.0 += 1;
                    long.1 += usize::from(together);
                } else {
                    short.0 += 1;
                    short.1 += usize::from(docs[a].5 == docs[b].5);
                    short.2 += usize::from(together);
                }
            }
        }
    }
    println!(
        "exact pairs, bodies of {MIN_WORDS}+ words: {}, grouped: {}; shorter bodies: {} \
         ({} with the same title), grouped: {}",
        long.0, long.1, short.0, short.1, short.2
    );

    // stories: greedy in index order, as a search over everything would
    let mut story_of: Vec<Option<usize>> = vec![None; docs.len()];
    let mut stories = 0;
    let mut neighbours: HashMap<usize, Vec<usize>> = HashMap::new();
    for (&(a, b), &s) in &pairs {
        if s >= THRESHOLD {
            neighbours.entry(a).or_default().push(b);
            neighbours.entry(b).or_default().push(a);
        }
    }
    let mut multi: HashMap<usize, usize> = HashMap::new();
    for i in 0..docs.len() {
        if story_of[i].is_some() {
            continue;
        }
        story_of[i] = Some(stories);
        let mut size = 1;
        for &n in neighbours.get(&i).map_or(&[][..], Vec::as_slice) {
            if story_of[n].is_none() {
                story_of[n] = Some(stories);
                size += 1;
            }
        }
        if size > 1 {
            multi.insert(stories, size);
        }
        stories += 1;
    }
    let grouped: usize = multi.values().sum();
    let mut sizes: Vec<usize> = multi.values().copied().collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    println!(
        "threshold {THRESHOLD}: {} articles -> {stories} stories; {grouped} articles in {} \
         stories of 2 or more (largest: {:?})",
        docs.len(),
        multi.len(),
        &sizes[..sizes.len().min(8)]
    );

    // pairs per similarity level, with samples to read
    let levels = [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9, 1.0, 1.01];
    let mut sorted: Vec<((usize, usize), f64)> = pairs.into_iter().collect();
    sorted.sort_by_key(|p| p.0);
    for w in levels.windows(2) {
        let (low, high) = (w[0], w[1]);
        let at: Vec<&((usize, usize), f64)> =
            sorted.iter().filter(|p| p.1 >= low && p.1 < high).collect();
        let exact = at
            .iter()
            .filter(|p| docs[p.0 .0].2 == docs[p.0 .1].2)
            .count();
        println!(
            "\nsimilarity {low:.2}..{high:.2}: {} pairs ({exact} exact copies)",
            at.len()
        );
        let mut shown = 0;
        let mut tries = 0;
        while shown < samples && tries < 50 * samples && !at.is_empty() {
            tries += 1;
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let p = at[(seed >> 33) as usize % at.len()];
            if docs[p.0 .0].2 == docs[p.0 .1].2 {
                continue; // exact copies need no reading
            }
            shown += 1;
            let (a, b) = p.0;
            let head = |i: usize| -> anyhow::Result<String> {
                let d: StoredDoc = searcher.doc(docs[i].0)?;
                Ok(d.text(f.body)
                    .chars()
                    .take(160)
                    .collect::<String>()
                    .replace('\n', " "))
            };
            println!("  {:.3} {} | {}", p.1, docs[a].1, docs[b].1);
            println!("     A: {}", head(a)?);
            println!("     B: {}", head(b)?);
        }
    }

    // the precision sample: grouped pairs, not identical bodies
    let grouped: Vec<&((usize, usize), f64)> = sorted
        .iter()
        .filter(|p| p.1 >= THRESHOLD && docs[p.0 .0].2 != docs[p.0 .1].2)
        .collect();
    if read_pairs > 0 {
        println!(
            "\nprecision sample: {read_pairs} of {} grouped pairs whose bodies differ",
            grouped.len()
        );
    }
    let mut picked = std::collections::BTreeSet::new();
    while picked.len() < read_pairs.min(grouped.len()) {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        picked.insert((seed >> 33) as usize % grouped.len());
    }
    for (n, &i) in picked.iter().enumerate() {
        let ((a, b), s) = *grouped[i];
        let head = |i: usize| -> anyhow::Result<String> {
            let d: StoredDoc = searcher.doc(docs[i].0)?;
            let title = d.text(f.title).replace('\n', " ");
            let body: String = d.text(f.body).chars().take(300).collect();
            Ok(format!("[{title}] {}", body.replace('\n', " ")))
        };
        println!("\n#{} {s:.3} {} | {}", n + 1, docs[a].1, docs[b].1);
        println!("  A: {}", head(a)?);
        println!("  B: {}", head(b)?);
    }
    Ok(())
}
