//! An experiment of `train_ranker --assoc` (issue 30, second round's
//! "left to try"): word associations learned from the training outlets'
//! headline → body pairs, as a paraphrase signal for the ranker.
//!
//! For a headline word missing from its own body, the body words that
//! come with it far more often than in bodies at large are its
//! associates (a crude translation model: ضحايا → قتلى, واشنطن →
//! الأمريكية). The feature, for a query and a candidate: the share of
//! the query's words the candidate lacks but holds an associate of.
//!
//! Words are compared as keys: normalized, the article (ال and its
//! proclitic forms) taken off, the light stem; stopwords left out. The
//! table is learned from the training outlets only, and without the
//! articles that answer a training or held-out query (their own pairs
//! would tell the answer).

use std::collections::{BTreeMap, HashMap, HashSet};

use akhbar::analysis::{is_stopword, normalize, stem};

/// Fewest times a headline word must be missing from its body.
const MIN_MISSING: u32 = 5;
/// Fewest such pairs holding an associate.
const MIN_PAIRS: u32 = 3;

/// How associates are chosen.
#[derive(Clone, Copy, Debug)]
pub struct Choice {
    /// Least lift of an associate over its share of bodies (3).
    pub lift: f64,
    /// Most associates kept per word (10).
    pub per_word: usize,
}

/// The learned table and each article's keys.
pub struct Assoc {
    keys: HashMap<String, u32>,
    /// Each article's body keys and title keys, sorted.
    docs: HashMap<String, (Vec<u32>, Vec<u32>)>,
    /// A word's associates, sorted.
    related: HashMap<u32, Vec<u32>>,
    /// `--presence`: each headline word's weight, the chance that its
    /// own body holds it (smoothed) times its idf over all the bodies.
    presence: HashMap<u32, f32>,
}

/// The share of headline words found in their own body that a word's
/// chance is pulled towards, and how many pairs' weight the pull has.
const PRESENCE_PRIOR: f64 = 0.74;
/// See [`PRESENCE_PRIOR`].
const PRESENCE_PULL: f64 = 3.0;

/// The key of a word, if it is one.
fn key(word: &str) -> Option<String> {
    let n = normalize(word);
    let n: String = n.chars().filter(|c| c.is_alphabetic()).collect();
    if n.chars().count() < 3 || is_stopword(&n) {
        return None;
    }
    let mut w = n.as_str();
    for prefix in ["وال", "بال", "فال", "كال", "لل", "ال"] {
        if let Some(rest) = w.strip_prefix(prefix) {
            if rest.chars().count() >= 3 {
                w = rest;
                break;
            }
        }
    }
    let s = stem(w);
    (!s.is_empty()).then(|| s.to_string())
}

/// The distinct keys of a text.
fn text_keys(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !c.is_alphabetic() && !('\u{064B}'..='\u{0652}').contains(&c))
        .filter_map(key)
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Assoc {
    fn intern(&mut self, keys: Vec<String>) -> Vec<u32> {
        let mut out: Vec<u32> = keys
            .into_iter()
            .map(|k| {
                let next = self.keys.len() as u32;
                *self.keys.entry(k).or_insert(next)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Learns the table from `articles` (id, title, body, source) of the
    /// `train` outlets, leaving out the ids in `left_out`; every
    /// article's keys are kept for the feature.
    pub fn learn(
        articles: &[(&str, &str, &str, &str)],
        train: &[String],
        left_out: &HashSet<&str>,
        choice: Choice,
    ) -> Assoc {
        let mut assoc = Assoc {
            keys: HashMap::new(),
            docs: HashMap::new(),
            related: HashMap::new(),
            presence: HashMap::new(),
        };
        for &(id, title, body, _) in articles {
            let b = text_keys(body);
            let t = text_keys(title);
            let (b, t) = (assoc.intern(b), assoc.intern(t));
            assoc.docs.insert(id.to_string(), (b, t));
        }
        let mut bodies = 0u32;
        let mut df: HashMap<u32, u32> = HashMap::new();
        let mut missing: HashMap<u32, u32> = HashMap::new();
        let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
        let mut in_title: HashMap<u32, u32> = HashMap::new();
        let mut all_df: HashMap<u32, u32> = HashMap::new();
        for (b, _) in assoc.docs.values() {
            for &k in b {
                *all_df.entry(k).or_default() += 1;
            }
        }
        for &(id, _, _, source) in articles {
            if !train.iter().any(|s| s == source) || left_out.contains(id) {
                continue;
            }
            let Some((b, t)) = assoc.docs.get(id) else {
                continue;
            };
            bodies += 1;
            for &k in b {
                *df.entry(k).or_default() += 1;
            }
            for &h in t {
                *in_title.entry(h).or_default() += 1;
            }
            for &h in t.iter().filter(|h| b.binary_search(h).is_err()) {
                *missing.entry(h).or_default() += 1;
                for &k in b {
                    *pairs.entry((h, k)).or_default() += 1;
                }
            }
        }
        let n = assoc.docs.len() as f64;
        for k in 0..assoc.keys.len() as u32 {
            let t = f64::from(in_title.get(&k).copied().unwrap_or(0));
            let m = f64::from(missing.get(&k).copied().unwrap_or(0));
            let p = (t - m + PRESENCE_PULL * PRESENCE_PRIOR) / (t + PRESENCE_PULL);
            let df = f64::from(all_df.get(&k).copied().unwrap_or(0));
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            assoc.presence.insert(k, (p * idf) as f32);
        }
        let mut by_word: BTreeMap<u32, Vec<(f64, u32)>> = BTreeMap::new();
        for (&(h, k), &n) in &pairs {
            let m = missing[&h];
            if m < MIN_MISSING || n < MIN_PAIRS {
                continue;
            }
            let lift = (f64::from(n) / f64::from(m)) / (f64::from(df[&k]) / f64::from(bodies));
            if lift >= choice.lift {
                by_word
                    .entry(h)
                    .or_default()
                    .push((f64::from(n) * lift.ln(), k));
            }
        }
        for (h, mut list) in by_word {
            list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut kept: Vec<u32> = list
                .into_iter()
                .take(choice.per_word)
                .map(|p| p.1)
                .collect();
            kept.sort_unstable();
            assoc.related.insert(h, kept);
        }
        assoc
    }

    /// Up to `n` words with their associates, the most missed first
    /// (for a look at what was learned).
    pub fn sample(&self, n: usize) -> Vec<String> {
        let names: HashMap<u32, &str> = self.keys.iter().map(|(k, &v)| (v, k.as_str())).collect();
        let mut words: Vec<&u32> = self.related.keys().collect();
        words.sort_by_key(|w| (std::cmp::Reverse(self.related[w].len()), names[w]));
        words
            .into_iter()
            .take(n)
            .map(|w| {
                let r: Vec<&str> = self.related[w].iter().map(|k| names[k]).collect();
                format!("{} → {}", names[w], r.join(" "))
            })
            .collect()
    }

    /// Words with associates, and associates in all.
    pub fn size(&self) -> (usize, usize) {
        (
            self.related.len(),
            self.related.values().map(Vec::len).sum(),
        )
    }

    /// The query's keys the table knows, and how many keys it has.
    pub fn query(&self, text: &str) -> (Vec<u32>, usize) {
        let keys = text_keys(text);
        let known = keys.iter().filter_map(|k| self.keys.get(k).copied());
        (known.collect(), keys.len())
    }

    /// The share of `query`'s keys (of `all` words) missing from article
    /// `id` (its body, and its title when `titles`) but with an
    /// associate there.
    pub fn feature(&self, query: &[u32], all: usize, id: &str, titles: bool) -> f32 {
        let Some((body, title)) = self.docs.get(id) else {
            return 0.0;
        };
        let holds =
            |k: &u32| body.binary_search(k).is_ok() || (titles && title.binary_search(k).is_ok());
        let found = query
            .iter()
            .filter(|q| !holds(q))
            .filter(|q| self.related.get(q).is_some_and(|r| r.iter().any(holds)))
            .count();
        found as f32 / all.max(1) as f32
    }

    /// `--presence`: the query's keys found in article `id` (its body,
    /// and its title when `titles`), each weighing its presence weight,
    /// over all its keys' weights.
    pub fn presence(&self, query: &[u32], id: &str, titles: bool) -> f32 {
        let Some((body, title)) = self.docs.get(id) else {
            return 0.0;
        };
        let holds =
            |k: &u32| body.binary_search(k).is_ok() || (titles && title.binary_search(k).is_ok());
        let weight = |k: &u32| self.presence.get(k).copied().unwrap_or(0.0);
        let all: f32 = query.iter().map(weight).sum();
        let found: f32 = query.iter().filter(|k| holds(k)).map(weight).sum();
        if all > 0.0 {
            found / all
        } else {
            0.0
        }
    }
}
