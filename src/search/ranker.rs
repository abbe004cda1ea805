//! Search: the learned second-stage ranker, a linear model over the
//! [`super::features`] of the first stage's best hits.
//!
//! A hit's score is `Σ weight · feature`, so each feature's contribution
//! is exact and `search --explain` can show it. The weights live in
//! `data/ranker.tsv` (built into the binary), written by the trainer
//! (`examples/train_ranker.rs`, see [`super::train`]); the file says how
//! it was trained. Its format: comment lines start with `#`, then one
//! line a feature, its name, a tab and its weight (`first_stage`, tab,
//! `0.25`).
//!
//! Every feature of [`NAMES`] must be there once; an unknown name is an
//! error (a file for another feature set).

use std::sync::OnceLock;

use super::features::{COUNT, NAMES};

/// The weights shipped with akhbar.
const BUILTIN: &str = include_str!("../../data/ranker.tsv");

/// A linear ranking model.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// One weight per feature, in [`NAMES`] order.
    pub weights: [f32; COUNT],
}

/// One feature's part in a hit's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// The feature's name.
    pub feature: &'static str,
    /// Its value for the hit.
    pub value: f32,
    /// Its weight in the model.
    pub weight: f32,
}

impl Contribution {
    /// What it adds to the score: weight times value.
    pub fn part(&self) -> f32 {
        self.weight * self.value
    }
}

impl Model {
    /// The model built into akhbar (`data/ranker.tsv`); the first stage
    /// alone if that file could not be read (a test checks it can).
    pub fn builtin() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::parse(BUILTIN).unwrap_or_else(|_| Model::first_stage()))
    }

    /// The first stage's order: all weight on `first_stage`.
    pub fn first_stage() -> Model {
        let mut weights = [0.0; COUNT];
        weights[0] = 1.0;
        Model { weights }
    }

    /// Reads a model file's text.
    ///
    /// # Errors
    /// A line that is not `name<TAB>weight`, an unknown or repeated
    /// feature, a missing one, or a weight that is not a finite number;
    /// the message names the line.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut weights = [f32::NAN; COUNT];
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |why: String| format!("line {}: {why}", i + 1);
            let (name, weight) = line
                .split_once('\t')
                .ok_or_else(|| at(format!("expected name<TAB>weight, found {line:?}")))?;
            let slot = NAMES
                .iter()
                .position(|n| *n == name.trim())
                .ok_or_else(|| at(format!("unknown feature {name:?}")))?;
            let weight: f32 = weight
                .trim()
                .parse()
                .ok()
                .filter(|w: &f32| w.is_finite())
                .ok_or_else(|| at(format!("weight {weight:?} is not a number")))?;
            if !weights[slot].is_nan() {
                return Err(at(format!("feature {name:?} given twice")));
            }
            weights[slot] = weight;
        }
        if let Some(missing) = weights.iter().position(|w| w.is_nan()) {
            return Err(format!("feature {:?} has no weight", NAMES[missing]));
        }
        Ok(Model { weights })
    }

    /// The model as a file's text, after `header` (comment lines).
    pub fn to_text(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        for (name, w) in NAMES.iter().zip(self.weights) {
            out.push_str(&format!("{name}\t{w}\n"));
        }
        out
    }

    /// A hit's score.
    pub fn score(&self, features: &[f32; COUNT]) -> f32 {
        self.weights.iter().zip(features).map(|(w, x)| w * x).sum()
    }

    /// Each feature's part in a hit's score, in [`NAMES`] order.
    pub fn contributions(&self, features: &[f32; COUNT]) -> Vec<Contribution> {
        NAMES
            .iter()
            .zip(self.weights)
            .zip(features)
            .map(|((feature, weight), &value)| Contribution {
                feature,
                value,
                weight,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_reads() {
        let model = Model::parse(BUILTIN).expect("data/ranker.tsv reads");
        assert!(model.weights.iter().any(|w| *w != 0.0));
        assert_eq!(Model::builtin(), &model);
    }

    #[test]
    fn a_model_survives_its_own_text() {
        let mut model = Model::first_stage();
        model.weights[3] = -0.125;
        model.weights[7] = 3.5e-3;
        let text = model.to_text("trained by a test\nsecond line");
        assert!(text.starts_with("# trained by a test\n# second line\n"));
        assert_eq!(Model::parse(&text), Ok(model));
    }

    #[test]
    fn bad_files_are_refused_with_the_line() {
        let good = Model::first_stage().to_text("");
        for (text, says) in [
            (
                good.replace("bm25_body\t0", "bm25_bdy\t0"),
                "line 2: unknown feature",
            ),
            (
                good.replace("bm25_body\t0", "bm25_body 0"),
                "line 2: expected",
            ),
            (
                good.replace("bm25_body\t0", "bm25_body\tNaN"),
                "line 2: weight",
            ),
            (
                good.replace("bm25_body\t0\n", ""),
                "\"bm25_body\" has no weight",
            ),
            (format!("{good}span\t1\n"), "given twice"),
        ] {
            let err = Model::parse(&text).expect_err(&text);
            assert!(err.contains(says), "{err} / {says}");
        }
    }

    #[test]
    fn contributions_add_up_to_the_score() {
        let model = Model::parse(BUILTIN).expect("reads");
        let features: [f32; COUNT] = std::array::from_fn(|i| i as f32 / 10.0);
        let sum: f32 = model
            .contributions(&features)
            .iter()
            .map(|c| c.part())
            .sum();
        assert!((sum - model.score(&features)).abs() < 1e-5);
    }
}
