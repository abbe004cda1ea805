//! Search: training the learned ranker ([`super::ranker::Model`]) by
//! coordinate ascent on MRR@10 (Metzler and Croft, "Linear feature-based
//! models for information retrieval", 2007; RankLib's `CoorAscent`).
//!
//! Each round tries, for each feature in turn, a ladder of steps up and
//! down its weight and keeps the one that raises the objective most; the
//! weights are then scaled to sum to 1 in absolute value (a ranking does
//! not change with the scale). Steps that break the model's sense are
//! refused ([`allowed`]): evidence of a match never counts against a hit
//! (every feature but `body_length`, `stem_only` and `variant_only` keeps
//! a weight of 0 or more), and a word found only through another form or
//! spelling never costs more than `coverage` gives it, so such a hit
//! never ranks below one that lacks the word; for long queries the same
//! holds of each base weight plus its `@long` copy's. Rounds stop when none improves. The
//! objective is the weighted mean over query sets ([`Group`]) of each
//! set's MRR@10, so a large set does not drown a small one. With
//! validation sets (queries of other outlets than the training sets'),
//! the model kept is that of the round with the best validation
//! objective, not the last. Everything is in a
//! fixed order, with no randomness: the same queries give the same
//! weights, bit for bit.

use super::features::{BASE, COUNT, NAMES};
use super::ranker::Model;

/// Hits read for MRR.
const CUTOFF: usize = 10;
/// Steps tried on a weight, up and down.
const STEPS: [f32; 8] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0];
/// Rounds at most.
const MAX_ROUNDS: usize = 40;
/// Smallest gain in the objective that counts as one.
const MIN_GAIN: f64 = 1e-6;

/// One training query: its first-stage candidates (best first) and
/// which of them answer it.
#[derive(Clone, Debug, Default)]
pub struct TrainingQuery {
    /// Each candidate's features.
    pub candidates: Vec<[f32; COUNT]>,
    /// Whether each candidate is relevant.
    pub relevant: Vec<bool>,
}

/// A set of training queries of one kind.
#[derive(Clone, Debug)]
pub struct Group {
    /// Its name, for reports.
    pub name: String,
    /// Its weight in the objective.
    pub weight: f64,
    /// Its queries.
    pub queries: Vec<TrainingQuery>,
}

impl Group {
    /// A set of weight 1.
    pub fn new(name: &str, queries: Vec<TrainingQuery>) -> Group {
        Group {
            name: name.to_string(),
            weight: 1.0,
            queries,
        }
    }
}

/// The weighted mean of each group's MRR@10 under `model`.
pub fn objective(model: &Model, groups: &[Group]) -> f64 {
    let total: f64 = groups.iter().map(|g| g.weight).sum();
    groups
        .iter()
        .map(|g| g.weight * mrr(model, &g.queries))
        .sum::<f64>()
        / total.max(f64::EPSILON)
}

/// The rank (0-based) of the first relevant candidate under `scores`,
/// ties kept in first-stage order; `None` when none is relevant.
fn first_relevant(scores: &[f32], relevant: &[bool]) -> Option<usize> {
    let best = (0..scores.len())
        .filter(|&i| relevant[i])
        .min_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)))?;
    let s = scores[best];
    Some(
        scores
            .iter()
            .enumerate()
            .filter(|&(i, &x)| x > s || (x == s && i < best))
            .count(),
    )
}

/// The reciprocal rank of one query's first relevant candidate within
/// the first ten (0 past them).
fn reciprocal_rank(scores: &[f32], relevant: &[bool]) -> f64 {
    match first_relevant(scores, relevant) {
        Some(r) if r < CUTOFF => 1.0 / (r + 1) as f64,
        _ => 0.0,
    }
}

/// MRR@10 of `model` on `queries`.
pub fn mrr(model: &Model, queries: &[TrainingQuery]) -> f64 {
    let total: f64 = queries
        .iter()
        .map(|q| {
            let scores: Vec<f32> = q.candidates.iter().map(|f| model.score(f)).collect();
            reciprocal_rank(&scores, &q.relevant)
        })
        .sum();
    total / queries.len().max(1) as f64
}

/// The queries' scores under the current weights, kept up to date as a
/// weight moves.
struct Scores {
    per_query: Vec<Vec<f32>>,
}

impl Scores {
    fn new(model: &Model, groups: &[Group]) -> Scores {
        let per_query = groups
            .iter()
            .flat_map(|g| &g.queries)
            .map(|q| q.candidates.iter().map(|f| model.score(f)).collect())
            .collect();
        Scores { per_query }
    }

    /// The objective with feature `i`'s weight moved by `step`.
    fn objective(&self, groups: &[Group], i: usize, step: f32, buf: &mut Vec<f32>) -> f64 {
        let mut at = 0;
        let mut sum = 0.0;
        for g in groups {
            let mut total = 0.0;
            for q in &g.queries {
                buf.clear();
                let base = &self.per_query[at];
                buf.extend(base.iter().zip(&q.candidates).map(|(s, f)| s + step * f[i]));
                total += reciprocal_rank(buf, &q.relevant);
                at += 1;
            }
            sum += g.weight * total / g.queries.len().max(1) as f64;
        }
        sum / groups
            .iter()
            .map(|g| g.weight)
            .sum::<f64>()
            .max(f64::EPSILON)
    }
}

/// Trains a model on `groups`, starting from `start`; returns it with
/// the objective it reached. With `validation` sets, the model kept is
/// the round's with the best objective on them. `log` hears one line
/// and the model after each round.
pub fn train(
    groups: &[Group],
    validation: &[Group],
    start: &Model,
    log: &mut dyn FnMut(&str, &Model),
) -> (Model, f64) {
    // Queries whose answer the first stage missed cannot teach anything.
    let groups: Vec<Group> = groups
        .iter()
        .map(|g| Group {
            name: g.name.clone(),
            weight: g.weight,
            queries: g
                .queries
                .iter()
                .filter(|q| q.relevant.iter().any(|&r| r))
                .cloned()
                .collect(),
        })
        .collect();
    let mut model = normalized(start.clone());
    if !allowed(&model.weights) {
        model = Model::first_stage();
    }
    let mut scores = Scores::new(&model, &groups);
    let mut buf = Vec::new();
    let mut best = scores.objective(&groups, 0, 0.0, &mut buf);
    let validated = |m: &Model| (!validation.is_empty()).then(|| objective(m, validation));
    let mut kept = (model.clone(), best, validated(&model));
    log(&format!("start: objective {best:.5}"), &model);
    for round in 1..=MAX_ROUNDS {
        let before = best;
        for i in 0..COUNT {
            let mut chosen = None;
            for step in STEPS.iter().flat_map(|s| [*s, -*s]) {
                let mut moved = model.weights;
                moved[i] += step;
                if !allowed(&moved) {
                    continue;
                }
                let value = scores.objective(&groups, i, step, &mut buf);
                if value > best + MIN_GAIN {
                    best = value;
                    chosen = Some(step);
                }
            }
            if let Some(step) = chosen {
                model.weights[i] += step;
                model = normalized(model);
                scores = Scores::new(&model, &groups);
                best = scores.objective(&groups, 0, 0.0, &mut buf);
            }
        }
        let checked = validated(&model);
        let line = match checked {
            Some(v) => format!("round {round}: objective {best:.5}, validation {v:.5}"),
            None => format!("round {round}: objective {best:.5}"),
        };
        log(&line, &model);
        if checked.is_none_or(|v| kept.2.is_none_or(|k| v > k + MIN_GAIN)) {
            kept = (model.clone(), best, checked);
        }
        if best <= before + MIN_GAIN {
            break;
        }
    }
    (kept.0, kept.1)
}

/// Whether `weights` respect the signs and bounds of the module doc, for
/// short queries (the base weights) and for long ones (each base weight
/// plus its `@long` copy's).
pub fn allowed(weights: &[f32; COUNT]) -> bool {
    let short: [f32; BASE] = std::array::from_fn(|i| weights[i]);
    let long: [f32; BASE] = std::array::from_fn(|i| weights[i] + weights[BASE + i]);
    [short, long].iter().all(|w| {
        let at = |name: &str| NAMES.iter().position(|n| *n == name);
        let coverage = at("coverage").map_or(0.0, |i| w[i]);
        NAMES.iter().zip(w).all(|(name, &w)| match *name {
            "body_length" => true,
            "stem_only" | "variant_only" => w <= 0.0 && w >= -coverage,
            _ => w >= 0.0,
        })
    })
}

/// The corpus kept for held-out checks, never trained or tuned on.
pub const HELD_OUT_CORPUS: &str = "saudinewsnet";

/// Why the corpus at `dir` may not be trained on (`None`: it may): it is
/// [`HELD_OUT_CORPUS`], by name or through a link to it.
pub fn held_out_corpus(dir: &std::path::Path) -> Option<String> {
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    [dir, real.as_path()]
        .iter()
        .flat_map(|p| p.components())
        .any(|c| {
            c.as_os_str()
                .to_string_lossy()
                .to_lowercase()
                .contains(HELD_OUT_CORPUS)
        })
        .then(|| format!("{HELD_OUT_CORPUS} is held out for checks, never trained on"))
}

/// The model with its weights scaled to sum to 1 in absolute value.
fn normalized(mut model: Model) -> Model {
    let sum: f32 = model.weights.iter().map(|w| w.abs()).sum();
    if sum > 0.0 {
        for w in &mut model.weights {
            *w /= sum;
        }
    }
    model
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_held_out_corpus_is_refused_by_name_and_through_a_link() {
        use super::held_out_corpus;
        use std::path::Path;
        assert!(held_out_corpus(Path::new("../shared/corpora/ant-multisource")).is_none());
        let refused = held_out_corpus(Path::new("../shared/corpora/SaudiNewsNet/"));
        assert!(refused.is_some_and(|why| why.contains("held out")));
        let dir = tempfile::tempdir().expect("a temporary folder");
        let real = dir.path().join("saudinewsnet");
        std::fs::create_dir(&real).expect("a folder");
        #[cfg(unix)]
        {
            let link = dir.path().join("news");
            std::os::unix::fs::symlink(&real, &link).expect("a link");
            assert!(held_out_corpus(&link).is_some());
        }
    }

    use super::*;

    /// A query whose answer has feature `good` high and whose first
    /// stage puts a wrong candidate first.
    fn query(good: usize, shift: f32) -> TrainingQuery {
        let mut wrong = [0.0; COUNT];
        wrong[0] = 1.0;
        let mut right = [0.0; COUNT];
        right[0] = 0.8;
        right[good] = 0.5 + shift;
        TrainingQuery {
            candidates: vec![wrong, right, [0.0; COUNT]],
            relevant: vec![false, true, false],
        }
    }

    #[test]
    fn ties_keep_first_stage_order() {
        assert_eq!(
            first_relevant(&[1.0, 1.0, 0.5], &[false, true, false]),
            Some(1)
        );
        assert_eq!(first_relevant(&[1.0, 2.0], &[false, true]), Some(0));
        assert_eq!(first_relevant(&[1.0, 2.0], &[false, false]), None);
    }

    #[test]
    fn training_finds_the_feature_that_answers() {
        let queries: Vec<TrainingQuery> = (0..20).map(|i| query(5, i as f32 / 100.0)).collect();
        let start = Model::first_stage();
        assert_eq!(mrr(&start, &queries), 0.5);
        let groups = [Group::new("test", queries)];
        let (model, objective) = train(&groups, &[], &start, &mut |_, _| {});
        assert_eq!(objective, 1.0);
        assert_eq!(mrr(&model, &groups[0].queries), 1.0);
        assert!(model.weights[5] > 0.0, "{:?}", model.weights);
        let sum: f32 = model.weights.iter().map(|w| w.abs()).sum();
        assert!((sum - 1.0).abs() < 1e-5);
    }

    #[test]
    fn evidence_never_counts_against_a_hit() {
        // the answer is the candidate with less of every feature
        let queries: Vec<TrainingQuery> = (0..10)
            .map(|i| {
                let mut q = query(5, i as f32 / 50.0);
                q.candidates.swap(0, 1);
                q.relevant.swap(0, 1);
                q
            })
            .collect();
        let groups = [Group::new("against", queries)];
        let (model, _) = train(&groups, &[], &Model::first_stage(), &mut |_, _| {});
        assert!(allowed(&model.weights), "{:?}", model.weights);
        let mut bad = Model::first_stage().weights;
        bad[5] = -0.1;
        assert!(!allowed(&bad));
        let variant = NAMES
            .iter()
            .position(|n| *n == "variant_only")
            .expect("a feature");
        let coverage = NAMES
            .iter()
            .position(|n| *n == "coverage")
            .expect("a feature");
        let mut ok = Model::first_stage().weights;
        ok[coverage] = 0.2;
        ok[variant] = -0.2;
        assert!(allowed(&ok));
        ok[variant] = -0.3;
        assert!(!allowed(&ok));
    }

    #[test]
    fn training_is_deterministic() {
        let groups: Vec<Group> = (0..3)
            .map(|g| {
                let queries = (0..15).map(|i| query(3 + g, i as f32 / 37.0)).collect();
                Group::new(&format!("g{g}"), queries)
            })
            .collect();
        let a = train(&groups, &[], &Model::first_stage(), &mut |_, _| {});
        let b = train(&groups, &[], &Model::first_stage(), &mut |_, _| {});
        assert_eq!(a.0.weights.map(f32::to_bits), b.0.weights.map(f32::to_bits));
    }
}
