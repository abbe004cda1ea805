//! Entities: training the entity model (`akhbar train-entities`).
//!
//! Trained on the shared corpora only, with no labelled data: `silver`
//! reads labels off the corpus with rules that are sure of a few cases
//! (the alias table's names, chains of names joined by بن, words the
//! corpus shows inflecting as common words (`counts`), articles that
//! write على with ى, that name Jordan or Oman …), and averaged perceptrons
//! (`perceptron`) learn from them what the rules alone cannot see: the
//! words around a name, its shape, the punctuation. A tenth of the
//! articles ([`held_out`]) is never read, so that the model can be judged
//! on text it did not see (`examples/entities_sample.rs`). The same
//! articles in the same order, the same seed and the same table give the
//! same file, byte for byte.

mod counts;
mod perceptron;
mod silver;

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use self::counts::Counts;
use self::perceptron::{train_binary, train_senses, BinaryExample, Features, SenseExample};
use self::silver::{ArticleFacts, Silver};
use super::extract::{ArticleSenses, Extractor};
use super::features::Span;
use super::model::{Model, FEATURES_VERSION};
use super::senses::SENSES;
use super::table::{name_key, AliasTable, EntityType};
use super::window::{is_trigger, span, window};
use crate::analysis::{exact_words, TextNormalizer, Word};

/// True for the articles the entity model never trains on: a tenth of
/// them, chosen by a hash of the article's id (the same tenth every time),
/// kept apart to judge the model on text it did not see
/// (`examples/entities_sample.rs`).
pub fn held_out(id: &str) -> bool {
    blake3::hash(id.as_bytes()).as_bytes()[0].is_multiple_of(10)
}

/// How to train.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Passes over the examples.
    pub epochs: usize,
    /// Seed of the order of examples.
    pub seed: u64,
    /// Span models trained and averaged, each with its own order of
    /// examples (seeds `seed`, `seed + 1` …): one order's model moves names
    /// near the threshold both ways, the average less. The sense model is
    /// the first order's.
    pub bags: usize,
    /// Margin a new name needs over no name: people, organisations,
    /// places.
    pub thresholds: [f32; 3],
    /// Score a word of several senses needs to be a name.
    pub sense_threshold: f32,
    /// Weights smaller than this (in absolute value) are left out of the
    /// file.
    pub min_weight: f32,
    /// Keep every silver label with its words ([`Trained::labels`]).
    pub dump_labels: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 8,
            seed: 29,
            bags: 1,
            thresholds: [0.0, 0.0, 0.0],
            sense_threshold: 0.0,
            min_weight: 0.05,
            dump_labels: false,
        }
    }
}

/// A trained model: the file's text and what training saw.
pub struct Trained {
    /// The model file (`data/entities-model.tsv`).
    pub text: String,
    /// What training did, a line per figure.
    pub report: Vec<String>,
    /// Every silver label with its words (when asked for).
    pub labels: Vec<String>,
}

/// Collects training articles, then trains.
pub struct Trainer {
    table: Arc<AliasTable>,
    articles: Vec<(String, String)>,
    /// Articles left out (the held-out tenth).
    pub held_out: usize,
}

/// Examples and counts gathered from the articles.
#[derive(Default)]
struct Gathered {
    features: Features,
    starts: Vec<BinaryExample>,
    continues: Vec<BinaryExample>,
    senses: Vec<SenseExample>,
    /// Span labels by type and length class.
    span_labels: std::collections::BTreeMap<String, usize>,
    /// Sense labels by form and class.
    sense_labels: std::collections::BTreeMap<String, usize>,
    /// Every silver label with its words, when asked for.
    dump: Option<Vec<String>>,
    /// Span examples taken so far of each name (or first word of no
    /// name), by type.
    seen: rustc_hash::FxHashMap<String, usize>,
}

/// Span examples taken of one name, or of one first word of no name:
/// what the model learns is what names and non-names look like, so each
/// counts a few times, however often the corpus repeats it (دونالد ترامب
/// thousands of times, the princes' chains of names in every Saudi
/// paper).
const PER_NAME: usize = 4;

impl Trainer {
    /// A trainer with the alias table whose names are silver labels.
    pub fn new(table: Arc<AliasTable>) -> Trainer {
        Trainer {
            table,
            articles: Vec::new(),
            held_out: 0,
        }
    }

    /// Adds an article, unless it is [`held_out`]; returns whether it was
    /// added.
    pub fn add(&mut self, id: &str, title: &str, body: &str) -> bool {
        if held_out(id) {
            self.held_out += 1;
            return false;
        }
        self.articles.push((title.to_string(), body.to_string()));
        true
    }

    /// Articles added.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True when no article was added.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Trains the model; `progress` hears what is being done.
    pub fn train(&self, options: &TrainOptions, progress: &mut dyn FnMut(&str)) -> Trained {
        progress("counting words");
        let counts = self.counts();
        let table_words: FxHashSet<String> = self
            .table
            .entities
            .iter()
            .flat_map(|e| e.names().map(name_key).collect::<Vec<_>>())
            .flat_map(|k| k.split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let extractor = Extractor::rules_only(Arc::clone(&self.table));
        let silver = Silver {
            extractor: &extractor,
            counts: &counts,
            table_words: &table_words,
        };
        let lexicon = self.word_lists(&silver);
        progress("gathering examples");
        let mut g = Gathered {
            dump: options.dump_labels.then(Vec::new),
            ..Gathered::default()
        };
        for (title, body) in &self.articles {
            self.gather(&silver, &lexicon, [title, body], &mut g);
        }
        progress("training");
        let n = g.features.names.len();
        let bags = options.bags.max(1);
        let mut span_w = vec![0.0f32; n];
        let mut sense_w = vec![0.0f32; n];
        let (mut start_err, mut cont_err, mut sense_err) = (Vec::new(), Vec::new(), Vec::new());
        for bag in 0..bags {
            let seed = options.seed + bag as u64;
            let (start, s_err) = train_binary(&g.starts, n, options.epochs, seed);
            let (cont, c_err) = train_binary(&g.continues, n, options.epochs, seed);
            for (w, (a, b)) in span_w.iter_mut().zip(start.iter().zip(&cont)) {
                *w += (a + b) / bags as f32;
            }
            if bag == 0 {
                // the sense model is the first order's alone: averaged, its
                // few classes blur (قطر الأنبوب read as Qatar)
                let (sense, n_err) = train_senses(&g.senses, n, options.epochs, seed);
                sense_w = sense;
                (start_err, cont_err, sense_err) = (s_err, c_err, n_err);
            }
        }
        let mut report = vec![
            format!("articles\t{}", self.articles.len()),
            format!("held_out\t{}", self.held_out),
            format!("start_examples\t{}", g.starts.len()),
            format!("start_errors_by_epoch\t{start_err:?}"),
            format!("continue_examples\t{}", g.continues.len()),
            format!("continue_errors_by_epoch\t{cont_err:?}"),
            format!("sense_examples\t{}", g.senses.len()),
            format!("sense_errors_by_epoch\t{sense_err:?}"),
        ];
        report.extend(
            g.span_labels
                .iter()
                .map(|(k, v)| format!("span_label {k}\t{v}")),
        );
        report.extend(
            g.sense_labels
                .iter()
                .map(|(k, v)| format!("sense_label {k}\t{v}")),
        );
        let text = write_model(
            &g.features.names,
            &span_w,
            &sense_w,
            &lexicon,
            options,
            &report,
        );
        Trained {
            text,
            report,
            labels: g.dump.unwrap_or_default(),
        }
    }

    /// Word counts of every article.
    fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        let mut normalizer = TextNormalizer::default();
        for (title, body) in &self.articles {
            for text in [title, body] {
                let n = normalizer.read(text);
                counts.add_words(n.words.iter().map(|w| n.word(w)));
            }
        }
        counts.finish();
        counts
    }

    /// The word lists the model gets: the corpus's common words and its
    /// first names (listed in `lexicon.rs` or seen before بن).
    fn word_lists(&self, silver: &Silver) -> Model {
        let given = |x: &str| silver.given(x);
        let common = silver.counts.common_words(&given);
        let mut names: FxHashSet<String> = silver.counts.first_names().into_iter().collect();
        names.retain(|w| !w.is_empty());
        Model::with_words(common, names)
    }

    /// The examples of one article.
    fn gather(&self, silver: &Silver, lexicon: &Model, texts: [&String; 2], g: &mut Gathered) {
        let texts: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
        let words: Vec<Vec<Word>> = texts.iter().map(|t| exact_words(t)).collect();
        let article = silver.extractor.article_senses(&texts, &words);
        let mut facts: Option<ArticleFacts> = None;
        for (text, ws) in texts.iter().zip(&words) {
            let ranges: Vec<Range<usize>> = ws.iter().map(|w| w.range.clone()).collect();
            for i in 0..ws.len() {
                self.span_example(silver, lexicon, text, ws, i, &article, g);
                for sense in SENSES {
                    if !ws[i].reads_as(sense.form) {
                        continue;
                    }
                    let longer = silver
                        .extractor
                        .table_match(text, ws, i, &article)
                        .is_some_and(|m| m.len > 1);
                    if longer {
                        continue;
                    }
                    let facts = facts.get_or_insert_with(|| ArticleFacts::of(&texts, &words));
                    let Some((gold, hidden)) = silver.sense(sense, text, &ranges, i, facts) else {
                        continue;
                    };
                    let class = gold.map_or("none", |c| sense.classes[c]);
                    *g.sense_labels
                        .entry(format!("{} {class}", sense.form))
                        .or_default() += 1;
                    if let Some(dump) = &mut g.dump {
                        let from = ranges[i.saturating_sub(6)].start;
                        let to = ranges[(i + 6).min(ranges.len() - 1)].end;
                        let line = text[from..to].replace(['\t', '\n'], " ");
                        dump.push(format!("sense\t{}\t{class}\t\t{line}", sense.form));
                    }
                    let classes = (0..sense.classes.len())
                        .map(|c| {
                            g.features.collect(&sense.prefix(c), |sink| {
                                super::features::sense_features(
                                    lexicon, text, &ranges, i, &hidden, sense.bag, sink,
                                )
                            })
                        })
                        .collect();
                    g.senses.push(SenseExample {
                        classes,
                        gold,
                        may_be_word: sense.may_be_word,
                    });
                }
            }
        }
    }

    /// The span example of the trigger at `words[i]`, if it is one and
    /// the silver rules are sure of its length.
    #[allow(clippy::too_many_arguments)]
    fn span_example(
        &self,
        silver: &Silver,
        lexicon: &Model,
        text: &str,
        words: &[Word],
        i: usize,
        article: &ArticleSenses,
        g: &mut Gathered,
    ) {
        let Some(trigger) = words[i].readings.iter().find(|r| is_trigger(r)) else {
            return;
        };
        let definite = words[i].reads_as(&format!("ال{trigger}"));
        let starts = |j: usize| {
            silver
                .extractor
                .table_match(text, words, j, article)
                .is_some()
        };
        let Some(w) = window(text, words, i, trigger, definite, &starts, true) else {
            return;
        };
        let Some((gold, from_table)) = silver.span(text, words, i, &w, article) else {
            return;
        };
        let kind = w.kind.code();
        let shown_name: Vec<&str> = words[w.start..w.start + gold.max(1)]
            .iter()
            .map(|w| w.readings.first().map_or("", String::as_str))
            .collect();
        let seen = g
            .seen
            .entry(format!("{kind} {gold} {}", shown_name.join(" ")))
            .or_default();
        if *seen >= PER_NAME {
            return;
        }
        *seen += 1;
        let class = match (gold, from_table) {
            (0, _) => "none",
            (_, true) => "table name",
            _ => "chain",
        };
        *g.span_labels.entry(format!("{kind} {class}")).or_default() += 1;
        if let Some(dump) = &mut g.dump {
            let shown = |from: usize, to: usize| {
                words[from..to.min(words.len())]
                    .iter()
                    .map(|w| &text[w.range.clone()])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            dump.push(format!(
                "span\t{kind}\t{class}\t{gold}\t{} [{}] {}",
                shown(i.saturating_sub(3), i + 1),
                shown(w.start, w.start + w.len),
                shown(w.start + w.len, w.start + w.len + 2)
            ));
        }
        let mut s: Span = span(lexicon, text, words, i, trigger, &w);
        if from_table {
            s.hide = gold;
        }
        let ids = g.features.collect("", |sink| s.start_features(sink));
        let key = g.features.key(&ids, u64::from(gold > 0));
        g.starts.push(BinaryExample {
            ids,
            yes: gold > 0,
            key,
        });
        if gold == 0 {
            return;
        }
        for k in 1..=gold.min(w.len - 1) {
            let ids = g.features.collect("", |sink| s.continue_features(k, sink));
            let key = g.features.key(&ids, u64::from(k < gold));
            g.continues.push(BinaryExample {
                ids,
                yes: k < gold,
                key,
            });
        }
    }
}

/// The model file: meta lines, then the weights that matter, sorted by
/// name.
fn write_model(
    names: &[String],
    span: &[f32],
    sense: &[f32],
    lexicon: &Model,
    options: &TrainOptions,
    report: &[String],
) -> String {
    let mut lines: Vec<String> = names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let w = span[i] + sense[i];
            (w.abs() >= options.min_weight).then(|| format!("w\t{name}\t{w:.3}"))
        })
        .collect();
    lines.sort();
    let mut out = String::from(
        "# akhbar's entity model: weights of the span and sense decisions (src/entities/model.rs),\n\
         # trained by `akhbar train-entities` on the shared corpora (src/entities/train). Do not edit:\n\
         # retrain. Figures of the training run follow as meta lines.\n",
    );
    out.push_str(&format!("meta\tfeatures\t{FEATURES_VERSION}\n"));
    for (kind, t) in [
        EntityType::Person,
        EntityType::Organisation,
        EntityType::Location,
    ]
    .iter()
    .zip(options.thresholds)
    {
        out.push_str(&format!("meta\tthreshold.{}\t{t}\n", kind.code()));
    }
    out.push_str(&format!(
        "meta\tthreshold.sense\t{}\n",
        options.sense_threshold
    ));
    out.push_str(&format!("meta\tepochs\t{}\n", options.epochs));
    out.push_str(&format!("meta\tseed\t{}\n", options.seed));
    out.push_str(&format!("meta\tbags\t{}\n", options.bags.max(1)));
    for line in report {
        let (k, v) = line.split_once('\t').unwrap_or((line, ""));
        out.push_str(&format!("meta\t{}\t{v}\n", k.replace(' ', "_")));
    }
    let (common, given) = lexicon.words();
    let mut common: Vec<(&String, &u8)> = common.iter().collect();
    common.sort();
    for (w, level) in common {
        out.push_str(&format!("c\t{w}\t{level}\n"));
    }
    let mut given: Vec<&String> = given.iter().collect();
    given.sort();
    for w in given {
        out.push_str(&format!("g\t{w}\n"));
    }
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenth_is_held_out_always_the_same() {
        let ids: Vec<String> = (0..2000).map(|i| format!("article-{i}")).collect();
        let out = ids.iter().filter(|id| held_out(id)).count();
        assert!((150..250).contains(&out), "{out}");
        assert_eq!(held_out("article-7"), held_out("article-7"));
    }

    #[test]
    fn training_is_deterministic_and_learns_spans() {
        let table = Arc::new(AliasTable::builtin());
        let mut trainer = Trainer::new(table);
        let texts = [
            "قال الرئيس دونالد ترامب إن بلاده ستنسحب",
            "وقال الأمير فيصل بن خالد بن عبدالعزيز إن المشروع جاهز",
            "قال الرئيس بنفسه إن",
        ];
        for (i, t) in texts.iter().cycle().take(60).enumerate() {
            trainer.add(&format!("t{i}"), "", t);
        }
        let options = TrainOptions::default();
        let a = trainer.train(&options, &mut |_| {});
        let b = trainer.train(&options, &mut |_| {});
        assert_eq!(a.text, b.text);
        let model = super::super::model::Model::parse(&a.text).expect("reads back");
        assert!(!model.is_empty());
        assert!(
            a.report
                .iter()
                .any(|l| l.starts_with("span_label PER table name")),
            "{:?}",
            a.report
        );
    }
}
