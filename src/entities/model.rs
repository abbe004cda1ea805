//! Entities: the entity model, weights learned from the shared corpora.
//!
//! Two linear models decide what the rules of `extract` only propose
//! (see [`super::features`] for what they look at):
//! - the **span** model: after a trigger word, how many of the words that
//!   may be a name are one (none, one, two …): «تنظيم بطولة» is none,
//!   «منظمة البلدان المصدرة للبترول» four;
//! - the **sense** model: what a word that is both a name and something
//!   else means in its sentence: المغرب the country or the evening
//!   prayer, عمان Amman or Oman, علي the name or the preposition على
//!   written with ي.
//!
//! A model is a set of named features with weights: a decision adds the
//! weights of the features it sees. Features are named by strings
//! (`PER:inw=ترودو`), looked up by a 64-bit FNV-1a hash of the name, so
//! scoring allocates nothing. The weights are trained by `akhbar
//! train-entities` (`super::train`) and kept in `data/entities-model.tsv`,
//! compiled in; the file format:
//!
//! ```text
//! # comments
//! meta<TAB>key<TAB>value          (version, thresholds, training figures)
//! c<TAB>word<TAB>level           (a common word without proclitics, WordFacts)
//! g<TAB>word                      (a first name)
//! w<TAB>feature<TAB>weight        (one per feature, sorted by name)
//! ```
//!
//! The model's fingerprint (a hash of the file) is part of the alias
//! table's ([`super::AliasTable::fingerprint`]): an index built with other
//! weights is refreshed by the next `akhbar index`.

use std::sync::{Arc, LazyLock};

use rustc_hash::FxHashMap;

use super::table::EntityType;

/// The built-in model.
const BUILTIN: &str = include_str!("../../data/entities-model.tsv");

/// Version of the features: weights trained for other features are not
/// read (bumped whenever [`super::features`] changes what it names).
pub const FEATURES_VERSION: u32 = 1;

/// FNV-1a offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Continues an FNV-1a hash over `bytes`.
fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// The hash of the feature named by the concatenation of `parts`
/// (computed without building the name: FNV-1a reads bytes in order, so
/// the parts hash as their concatenation does).
pub fn feature_hash(prefix: &str, parts: &[&str]) -> u64 {
    let h = fnv(FNV_OFFSET, prefix.as_bytes());
    parts.iter().fold(h, |h, p| fnv(h, p.as_bytes()))
}

/// The hash of a feature by its full name.
pub fn name_hash(name: &str) -> u64 {
    fnv(FNV_OFFSET, name.as_bytes())
}

/// What the training corpus showed of a word (`c` and `g` lines of the
/// file): the words a name rarely is, and first names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordFacts {
    /// How strongly the corpus shows the word inflecting as a common word
    /// (0: not or rarely, 2–5: more and more; see `train::counts`).
    pub common: u8,
    /// True when the corpus shows it as a first name (before بن).
    pub given: bool,
}

/// Learned weights, by feature hash.
#[derive(Clone, Debug, Default)]
pub struct Model {
    weights: FxHashMap<u64, f32>,
    /// Common words (normalized, without proclitics or article) and how
    /// common.
    common: FxHashMap<String, u8>,
    /// First names (normalized).
    given: rustc_hash::FxHashSet<String>,
    /// `meta` lines of the file.
    pub meta: Vec<(String, String)>,
    /// A hash of the model's text (empty for an empty model).
    pub fingerprint: String,
    /// [`Model::threshold`] by type.
    threshold: [f32; 4],
}

impl Model {
    /// Reads a model file; a line that cannot be read is an error naming
    /// it.
    ///
    /// # Errors
    /// `line N: reason` for the first bad line, or when the file was
    /// trained for other features.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut model = Model::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["meta", key, value] => model.meta.push((key.to_string(), value.to_string())),
                ["c", word, level] => {
                    let level: u8 = level
                        .parse()
                        .map_err(|_| format!("line {}: bad level {level:?}", n + 1))?;
                    model.common.insert(word.to_string(), level);
                }
                ["g", word] => {
                    model.given.insert(word.to_string());
                }
                ["w", name, weight] => {
                    let w: f32 = weight
                        .parse()
                        .map_err(|_| format!("line {}: bad weight {weight:?}", n + 1))?;
                    model.weights.insert(name_hash(name), w);
                }
                _ => return Err(format!("line {}: expected a meta, c, g or w line", n + 1)),
            }
        }
        let version = model
            .meta("features")
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0);
        if !model.weights.is_empty() && version != FEATURES_VERSION {
            return Err(format!(
                "trained for features version {version}, this build reads {FEATURES_VERSION}: \
                 run `akhbar train-entities`"
            ));
        }
        for kind in EntityType::ALL {
            let key = format!("threshold.{}", kind.code());
            if let Some(v) = model.meta(&key) {
                model.threshold[kind as usize] =
                    v.parse().map_err(|_| format!("bad {key} {v:?}"))?;
            }
        }
        if !model.weights.is_empty() {
            model.fingerprint = blake3::hash(text.as_bytes()).to_hex()[..16].to_string();
        }
        Ok(model)
    }

    /// The model compiled in; empty (no new names, every sense left to
    /// the rules) if it cannot be read, which a test forbids.
    ///
    /// `AKHBAR_ENTITY_MODEL=FILE` reads another model instead: an
    /// evaluation switch (comparing a retrained model with the built-in
    /// one without rebuilding), not a setting; a file that cannot be read
    /// is reported on stderr and the built-in model used.
    pub fn builtin() -> Arc<Model> {
        static MODEL: LazyLock<Arc<Model>> = LazyLock::new(|| {
            let builtin = || Model::parse(BUILTIN).unwrap_or_default();
            let Some(path) = std::env::var_os("AKHBAR_ENTITY_MODEL").filter(|p| !p.is_empty())
            else {
                return Arc::new(builtin());
            };
            let read = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| Model::parse(&text));
            Arc::new(read.unwrap_or_else(|e| {
                eprintln!(
                    "akhbar: AKHBAR_ENTITY_MODEL {}: {e}",
                    path.to_string_lossy()
                );
                builtin()
            }))
        });
        Arc::clone(&MODEL)
    }

    /// The margin over "no name" a new name of `kind` needs (`meta
    /// threshold.TYPE`, 0 when absent).
    pub fn threshold(&self, kind: EntityType) -> f32 {
        self.threshold[kind as usize]
    }

    /// The score a name needs to go on with the next word (`meta
    /// threshold.continue`, 0 when absent).
    pub fn continue_threshold(&self) -> f32 {
        self.meta("threshold.continue")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    }

    /// The score a word of several senses needs to be a name (`meta
    /// threshold.sense`, 0 when absent).
    pub fn sense_threshold(&self) -> f32 {
        self.meta("threshold.sense")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    }

    /// A `meta` value.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// What the training corpus showed of a normalized word, given its
    /// proclitic readings: how common the word without its article (or,
    /// when the corpus did not show that, the most common of its readings
    /// and of them without a pronoun suffix or tanween: بنفسه is ب + نفس
    /// + ه, تبعا is تبع + ا), and whether it is a first name.
    pub fn facts<'a>(
        &self,
        literal: &'a str,
        readings: impl IntoIterator<Item = &'a str>,
    ) -> WordFacts {
        let level = |w: &str| {
            let bare = w
                .strip_prefix("ال")
                .filter(|b| b.chars().count() >= 2)
                .unwrap_or(w);
            self.common.get(bare).copied()
        };
        let derived = |w: &str| -> Option<u8> {
            let mut best = level(w);
            for suffix in ["ه", "ها", "هم", "هما", "كم", "نا", "ا"] {
                if let Some(rest) = w.strip_suffix(suffix).filter(|r| r.chars().count() >= 3) {
                    let noun = rest.strip_suffix('ت').map(|r| format!("{r}ه"));
                    best = best.max(level(rest)).max(noun.and_then(|n| level(&n)));
                }
            }
            best
        };
        let common = level(literal)
            .or_else(|| {
                std::iter::once(literal)
                    .chain(readings)
                    .filter_map(derived)
                    .max()
            })
            .unwrap_or(0);
        WordFacts {
            common,
            given: self.given.contains(literal),
        }
    }

    /// A model with only its word lists (training: features of words
    /// need them before there are weights).
    pub fn with_words(
        common: FxHashMap<String, u8>,
        given: rustc_hash::FxHashSet<String>,
    ) -> Model {
        Model {
            common,
            given,
            ..Model::default()
        }
    }

    /// The common words with their levels, and the first names.
    pub fn words(&self) -> (&FxHashMap<String, u8>, &rustc_hash::FxHashSet<String>) {
        (&self.common, &self.given)
    }

    /// The weight of a feature by hash (0 when unknown).
    pub fn weight(&self, hash: u64) -> f32 {
        self.weights.get(&hash).copied().unwrap_or(0.0)
    }

    /// Features with a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True when no feature has a weight.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// A model from weights by name (training, tests).
    pub fn from_weights<'a>(weights: impl IntoIterator<Item = (&'a str, f32)>) -> Model {
        let mut model = Model::default();
        for (name, w) in weights {
            model.weights.insert(name_hash(name), w);
        }
        model
    }
}

/// Receives the features of one decision.
pub trait Sink {
    /// One feature, named by the concatenation of `parts`.
    fn add(&mut self, parts: &[&str]);
}

/// Adds up a model's weights of the features it receives, each named
/// after a fixed prefix (the class of a sense decision).
pub struct Scorer<'m> {
    model: &'m Model,
    prefix: &'m str,
    /// The sum so far.
    pub score: f32,
}

impl<'m> Scorer<'m> {
    /// A scorer at 0 for features named after `prefix`.
    pub fn new(model: &'m Model, prefix: &'m str) -> Self {
        Scorer {
            model,
            prefix,
            score: 0.0,
        }
    }
}

impl Sink for Scorer<'_> {
    fn add(&mut self, parts: &[&str]) {
        self.score += self.model.weight(feature_hash(self.prefix, parts));
    }
}

/// Collects feature hashes (training), and the name of each hash.
#[derive(Default)]
pub struct Collector {
    /// The hashes received, in order.
    pub hashes: Vec<u64>,
    /// Names of the hashes received.
    pub names: FxHashMap<u64, String>,
    /// Prefix of every name.
    pub prefix: String,
}

impl Sink for Collector {
    fn add(&mut self, parts: &[&str]) {
        let h = feature_hash(&self.prefix, parts);
        self.hashes.push(h);
        let prefix = &self.prefix;
        self.names
            .entry(h)
            .or_insert_with(|| format!("{prefix}{}", parts.concat()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_parts_is_hash_of_name() {
        let parts: &[&str] = &["PER", ":", "inw", "=", "ترودو"];
        assert_eq!(feature_hash("", parts), name_hash("PER:inw=ترودو"));
        assert_eq!(feature_hash("not|", parts), name_hash("not|PER:inw=ترودو"));
        let mut c = Collector::default();
        c.add(parts);
        assert_eq!(c.names[&c.hashes[0]], "PER:inw=ترودو");
    }

    #[test]
    fn parse_reads_weights_and_reports_bad_lines() {
        let text =
            format!("# x\nmeta\tfeatures\t{FEATURES_VERSION}\nw\tty=PER\t-1.5\nw\tbias\t2\n");
        let model = Model::parse(&text).expect("parses");
        assert_eq!(model.weight(name_hash("ty=PER")), -1.5);
        assert_eq!(model.weight(name_hash("bias")), 2.0);
        assert_eq!(model.weight(name_hash("ty=ORG")), 0.0);
        assert!(!model.fingerprint.is_empty());
        let bad = Model::parse("w\tty=PER\tx\n").expect_err("bad weight");
        assert!(bad.contains("line 1"), "{bad}");
        let old = Model::parse("meta\tfeatures\t0\nw\tty=PER\t1\n").expect_err("old features");
        assert!(old.contains("train-entities"), "{old}");
    }

    #[test]
    fn builtin_model_is_read() {
        let model = Model::parse(BUILTIN).expect("data/entities-model.tsv reads");
        assert!(!model.is_empty(), "the built-in model has weights");
    }
}
