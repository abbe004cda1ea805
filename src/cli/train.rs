//! `akhbar train-entities`: trains the entity model on a corpus.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use crate::corpus::{list_files, read_file};
use crate::entities::{AliasTable, TrainOptions, Trainer};

/// Arguments of `akhbar train-entities`.
#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Folder of the training corpus: its JSON Lines files (`.jsonl`) are
    /// read, in path order; a tenth of the articles is held out.
    #[arg(long, default_value = "../shared/corpora")]
    pub corpora: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "data/entities-model.tsv")]
    pub out: PathBuf,
    /// Passes over the examples.
    #[arg(long, default_value_t = 8)]
    pub epochs: usize,
    /// Seed of the order of examples.
    #[arg(long, default_value_t = 29)]
    pub seed: u64,
    /// Models trained with as many orders of the examples (seeds `seed`,
    /// `seed + 1` …) and averaged.
    #[arg(long, default_value_t = 5)]
    pub bags: usize,
    /// Margin a new person's name needs over no name.
    #[arg(long, default_value_t = 2.0)]
    pub threshold_per: f32,
    /// Margin a new organisation's name needs over no name.
    #[arg(long, default_value_t = 2.0)]
    pub threshold_org: f32,
    /// Margin a new place's name needs over no name.
    #[arg(long, default_value_t = 2.0)]
    pub threshold_loc: f32,
    /// Score a word of several senses (المغرب، قطر، علي) needs to be a name.
    #[arg(long, default_value_t = 0.0)]
    pub threshold_sense: f32,
    /// Weights smaller than this (in absolute value) are left out of the
    /// file: at 1, a third of the weights and half the file, and no loss
    /// on the judged samples (BENCHMARKS.md).
    #[arg(long, default_value_t = 1.0)]
    pub min_weight: f32,
    /// Also write every silver label with its words to this file (TSV),
    /// to read what the model learns from.
    #[arg(long)]
    pub dump_labels: Option<PathBuf>,
}

/// Runs `akhbar train-entities`; returns the exit code.
///
/// # Errors
/// No training corpus, or the model cannot be written.
pub fn run(args: &TrainArgs) -> anyhow::Result<i32> {
    if !args.corpora.is_dir() {
        anyhow::bail!(
            "{}: no such folder (the training corpus)",
            args.corpora.display()
        );
    }
    let (mut files, problems) = list_files(std::slice::from_ref(&args.corpora), &|_| false);
    for (path, problem) in &problems {
        eprintln!("akhbar: {}: {}", path.display(), problem.reason);
    }
    files.retain(|f| f.path.extension().is_some_and(|e| e == "jsonl"));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut trainer = Trainer::new(Arc::new(AliasTable::builtin()));
    for file in &files {
        let read = match read_file(&file.path) {
            Ok(read) => read,
            Err(problem) => {
                eprintln!("akhbar: {}: {}", file.path.display(), problem.reason);
                continue;
            }
        };
        for problem in &read.problems {
            eprintln!(
                "akhbar: {}:{}: {}",
                file.path.display(),
                problem.line.unwrap_or(0),
                problem.reason
            );
        }
        for (n, article) in read.articles.iter().enumerate() {
            let id = article
                .id
                .clone()
                .unwrap_or_else(|| format!("{}#{}", file.relative, n + 1));
            trainer.add(&id, &article.title, &article.body);
        }
    }
    if trainer.is_empty() {
        anyhow::bail!("{}: no article to train on", args.corpora.display());
    }
    eprintln!(
        "training on {} articles of {} files ({} held out)",
        trainer.len(),
        files.len(),
        trainer.held_out
    );
    let options = TrainOptions {
        epochs: args.epochs,
        seed: args.seed,
        bags: args.bags,
        thresholds: [args.threshold_per, args.threshold_org, args.threshold_loc],
        sense_threshold: args.threshold_sense,
        min_weight: args.min_weight,
        dump_labels: args.dump_labels.is_some(),
    };
    let trained = trainer.train(&options, &mut |step| eprintln!("{step}…"));
    std::fs::write(&args.out, &trained.text)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    if let Some(path) = &args.dump_labels {
        std::fs::write(path, trained.labels.join("\n") + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    for line in &trained.report {
        eprintln!("  {}", line.replace('\t', ": "));
    }
    let weights = trained
        .text
        .lines()
        .filter(|l| l.starts_with("w\t"))
        .count();
    eprintln!(
        "{}: {weights} weights, {} bytes",
        args.out.display(),
        trained.text.len()
    );
    Ok(0)
}
