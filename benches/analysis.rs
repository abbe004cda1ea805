//! Criterion micro-benchmarks: MB/s of Arabic text through each analyzer,
//! entity extraction, and snippet generation, on the bundled sample corpus
//! (`cargo bench`).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use akhbar::analysis::Analyzer;
use akhbar::analysis::TextNormalizer;
use akhbar::analysis::{base_analyzer, tokens};
use akhbar::entities::AliasTable;
use akhbar::entities::Extractor;
use akhbar::search::HighlightTerms;
use akhbar::search::Highlighter;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The bodies of the sample corpus's .txt articles, joined.
fn sample_text() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/txt");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

fn analyzers(c: &mut Criterion) {
    let text = sample_text();
    let mut group = c.benchmark_group("analyzers");
    group.throughput(Throughput::Bytes(text.len() as u64));
    let mut base = base_analyzer();
    group.bench_function("normalize only", |b| {
        b.iter(|| tokens(&mut base, black_box(&text)))
    });
    for analyzer in Analyzer::ALL {
        let mut a = analyzer.build();
        group.bench_function(analyzer.short_name(), |b| {
            b.iter(|| tokens(&mut a, black_box(&text)))
        });
    }
    // What indexing runs per text: normalize once, then the exact
    // analyzer's index form over the slot text.
    let mut normalizer = TextNormalizer::default();
    let mut exact_slots = akhbar::analysis::index_analyzer();
    group.bench_function("index path (normalize once + exact over slots)", |b| {
        b.iter(|| {
            let norm = normalizer.read(black_box(&text));
            tokens(&mut exact_slots, &norm.slots)
        })
    });
    let mut extractor = Extractor::new(Arc::new(AliasTable::builtin()));
    group.bench_function("entity extraction", |b| {
        b.iter(|| extractor.extract(&[black_box(&text)]))
    });
    group.finish();
}

fn snippets(c: &mut Criterion) {
    let text = sample_text();
    let body: String = text.chars().take(3000).collect();
    let terms = HighlightTerms {
        keyword: ["سوري", "وزير", "مصر"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        exact: ["سوريا"].iter().map(|s| s.to_string()).collect(),
        phrases: Vec::new(),
    };
    let highlighter = Highlighter::new(terms);
    let mut group = c.benchmark_group("snippets");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("3000-char body", |b| {
        b.iter(|| highlighter.snippets(black_box(&body)))
    });
    group.finish();
}

criterion_group!(benches, analyzers, snippets);
criterion_main!(benches);
