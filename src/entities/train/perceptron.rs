//! Entity training: averaged perceptrons over numbered features.
//!
//! Features are numbered as they are first seen ([`Features`]), so an
//! example is a few lists of `u32`. Weights are averaged over every
//! step of every epoch (Collins 2002), with the usual trick of keeping
//! the sum of step-weighted updates beside the weights. Each epoch visits
//! the examples in the order of a seeded hash of what they are (their
//! features' hashes and answer, [`Features::key`]), not of where they are:
//! training is deterministic, and an example more or less (a name added
//! to the table) moves the others' order not at all — a shuffle of
//! positions reorders every example, and the model with it. The sense
//! model (a few classes per word) keeps the seeded shuffle it was first
//! trained with: keyed, it read «قطر الأنبوب» (a pipe's diameter) as Qatar.

use rustc_hash::FxHashMap;

use crate::entities::model::{Collector, Sink};

/// Feature names, numbered in order of first sight.
#[derive(Default)]
pub struct Features {
    ids: FxHashMap<u64, u32>,
    /// Hashes by number.
    hashes: Vec<u64>,
    /// Names by number.
    pub names: Vec<String>,
}

impl Features {
    /// The numbers of the features a collector received.
    pub fn ids(&mut self, c: Collector) -> Vec<u32> {
        let mut out: Vec<u32> = c
            .hashes
            .iter()
            .map(|h| {
                *self.ids.entry(*h).or_insert_with(|| {
                    self.names.push(c.names.get(h).cloned().unwrap_or_default());
                    self.hashes.push(*h);
                    (self.names.len() - 1) as u32
                })
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// A key for an example of these features and `answer`: the same
    /// features and answer give the same key whatever their numbers.
    pub fn key(&self, ids: &[u32], answer: u64) -> u64 {
        ids.iter()
            .map(|&i| mix(self.hashes[i as usize]))
            .fold(mix(answer), u64::wrapping_add)
    }

    /// Collects one decision's features with `f` and numbers them.
    pub fn collect(&mut self, prefix: &str, f: impl FnOnce(&mut dyn Sink)) -> Vec<u32> {
        let mut c = Collector {
            prefix: prefix.to_string(),
            ..Collector::default()
        };
        f(&mut c);
        self.ids(c)
    }
}

/// A 64-bit mixer (splitmix64's finalizer).
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A seeded xorshift generator (training needs no better randomness, and
/// must not depend on anything but its seed).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    /// Shuffles `items` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }

    /// The next number.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Weights being learned, with the sums that average them.
pub struct Weights {
    w: Vec<f32>,
    sum: Vec<f64>,
    step: u64,
}

impl Weights {
    /// Zero weights for `n` features.
    pub fn new(n: usize) -> Weights {
        Weights {
            w: vec![0.0; n],
            sum: vec![0.0; n],
            step: 1,
        }
    }

    /// The current score of a feature list.
    pub fn score(&self, ids: &[u32]) -> f32 {
        ids.iter().map(|&i| self.w[i as usize]).sum()
    }

    /// Adds `by` to every feature of `ids`.
    pub fn update(&mut self, ids: &[u32], by: f32) {
        for &i in ids {
            self.w[i as usize] += by;
            self.sum[i as usize] += self.step as f64 * f64::from(by);
        }
    }

    /// Counts one example visited.
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// The averaged weights.
    pub fn averaged(&self) -> Vec<f32> {
        let c = self.step as f64;
        self.w
            .iter()
            .zip(&self.sum)
            .map(|(&w, &s)| (f64::from(w) - s / c) as f32)
            .collect()
    }
}

/// A yes-or-no example.
pub struct BinaryExample {
    /// Its features.
    pub ids: Vec<u32>,
    /// The silver answer.
    pub yes: bool,
    /// What orders it among the others ([`Features::key`]).
    pub key: u64,
}

/// Trains yes-or-no weights (yes when the score is above 0); returns the
/// averaged weights and the errors of each epoch.
pub fn train_binary(
    examples: &[BinaryExample],
    n: usize,
    epochs: usize,
    seed: u64,
) -> (Vec<f32>, Vec<usize>) {
    let keys: Vec<u64> = examples.iter().map(|e| e.key).collect();
    train(examples, &keys, n, epochs, seed, |w, ex| {
        let wrong = (w.score(&ex.ids) > 0.0) != ex.yes;
        if wrong {
            w.update(&ex.ids, if ex.yes { 1.0 } else { -1.0 });
        }
        wrong
    })
}

/// The averaged perceptron's loop shared by both trainers: `epochs`
/// passes over `examples` in a seeded shuffled order, `learn` updating the
/// weights on one example and saying whether it was wrong; returns the
/// averaged weights and the errors of each epoch.
fn train<T>(
    examples: &[T],
    keys: &[u64],
    n: usize,
    epochs: usize,
    seed: u64,
    mut learn: impl FnMut(&mut Weights, &T) -> bool,
) -> (Vec<f32>, Vec<usize>) {
    let mut w = Weights::new(n);
    let mut rng = Rng::new(seed);
    let mut errors = Vec::new();
    for _ in 0..epochs {
        let mut wrong = 0;
        for e in visit_order(keys, rng.next()) {
            if learn(&mut w, &examples[e]) {
                wrong += 1;
            }
            w.tick();
        }
        errors.push(wrong);
    }
    (w.averaged(), errors)
}

/// The order of one epoch: by the keys mixed with the epoch's `salt`,
/// then by position (the same example twice).
fn visit_order(keys: &[u64], salt: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&e| (mix(keys[e] ^ salt), e));
    order
}

/// A sense example: features under each class's prefix, and the silver
/// class (`None`: no name).
pub struct SenseExample {
    /// Features by class.
    pub classes: Vec<Vec<u32>>,
    /// The silver class.
    pub gold: Option<usize>,
    /// True when the word may be no name (class scores compete with 0).
    pub may_be_word: bool,
}

impl SenseExample {
    fn predict(&self, w: &Weights) -> Option<usize> {
        let mut best: Option<(usize, f32)> = None;
        for (c, ids) in self.classes.iter().enumerate() {
            let s = w.score(ids);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((c, s));
            }
        }
        let (c, s) = best?;
        (!self.may_be_word || s > 0.0).then_some(c)
    }
}

/// Trains sense weights (one prefix per class, "no name" at 0); returns
/// the averaged weights and the errors of each epoch.
pub fn train_senses(
    examples: &[SenseExample],
    n: usize,
    epochs: usize,
    seed: u64,
) -> (Vec<f32>, Vec<usize>) {
    // by position, as the first sense model was trained: keyed, it read
    // «قطر الأنبوب» (the pipe's diameter) as Qatar
    let mut w = Weights::new(n);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng::new(seed);
    let mut errors = Vec::new();
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        let mut wrong = 0;
        for &e in &order {
            if learn_sense(&mut w, &examples[e]) {
                wrong += 1;
            }
            w.tick();
        }
        errors.push(wrong);
    }
    (w.averaged(), errors)
}

/// One sense example's update; true when it was wrong.
fn learn_sense(w: &mut Weights, ex: &SenseExample) -> bool {
    let got = ex.predict(w);
    if got == ex.gold {
        return false;
    }
    if let Some(g) = ex.gold {
        w.update(&ex.classes[g], 1.0);
    }
    if let Some(g) = got {
        w.update(&ex.classes[g], -1.0);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_learns_and_is_deterministic() {
        let ex = |ids: &[u32], yes: bool| BinaryExample {
            ids: ids.to_vec(),
            yes,
            key: mix(ids.len() as u64 + u64::from(yes)),
        };
        let examples = vec![ex(&[0, 1], true), ex(&[0, 2], false), ex(&[0, 1, 3], true)];
        let (w, errors) = train_binary(&examples, 4, 10, 7);
        for e in &examples {
            let score: f32 = e.ids.iter().map(|&i| w[i as usize]).sum();
            assert_eq!(score > 0.0, e.yes);
        }
        assert_eq!(*errors.last().expect("epochs"), 0);
        let (again, _) = train_binary(&examples, 4, 10, 7);
        assert_eq!(w, again, "deterministic");
    }

    #[test]
    fn another_example_leaves_the_others_order() {
        let keys: Vec<u64> = (0..50u64).map(|k| k * 7919).collect();
        let before = visit_order(&keys, 42);
        let mut more = keys.clone();
        more.insert(20, 123_456);
        let after: Vec<usize> = visit_order(&more, 42)
            .into_iter()
            .filter(|&e| e != 20)
            .map(|e| if e > 20 { e - 1 } else { e })
            .collect();
        assert_eq!(before, after);
        assert_ne!(before, visit_order(&keys, 43), "the salt reorders");
    }
}
