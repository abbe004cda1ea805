//! Analysis: from raw article text to index terms.
//!
//! Stages, in pipeline order: [`tokenizer`] (UAX #29 words) →
//! [`normalize`](mod@normalize) (Arabic orthography, Latin case and accents) → [`limit`] (long tokens) → [`clitics`] (proclitic readings) →
//! [`stopwords`] → [`stem`] → [`dedup`]. [`analyzers`] assembles the named
//! pipelines; [`lexicon`] holds the word lists. [`normalized`] runs the
//! normalizing front once per text at index time, for every later reader.

pub mod analyzers;
pub mod clitics;
pub mod dedup;
pub mod explain;
pub mod lexicon;
pub mod limit;
pub mod normalize;
pub mod normalized;
pub mod shingles;
pub mod stem;
pub mod stopwords;
pub mod tokenizer;
pub mod words;

pub use analyzers::{base_analyzer, register, Analyzer, ANALYZER_VERSION};
pub use normalize::normalize;
