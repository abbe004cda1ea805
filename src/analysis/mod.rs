//! Analysis (floor 0): from raw article text to index terms.
//!
//! Stages, in pipeline order, one file each: `tokenizer` (UAX #29 words)
//! → `normalize` (Arabic orthography, Latin case and accents) → `limit`
//! (long tokens) → `clitics` (proclitic readings) → `stopwords` → `stem`
//! → `dedup`. `analyzers` assembles the named pipelines; `lexicon` holds
//! the word lists; `normalized` runs the normalizing front once per text
//! at index time and `slots` reads its slot texts; `words` groups readings
//! by word; `shingles` makes near-duplicate signatures; `explain` feeds
//! `akhbar analyze`. The surface below is what the other folders use;
//! [`rules`] publishes the rule tables for the export's generator.

mod analyzers;
mod clitics;
mod dedup;
mod explain;
mod lexicon;
mod limit;
mod normalize;
mod normalized;
mod shingles;
mod slots;
mod stem;
mod stopwords;
mod tokenizer;
mod words;

pub use analyzers::{
    base_analyzer, index_analyzer, register, tokens, Analyzer, ANALYZER_VERSION, INDEX_ANALYZER,
};
pub use clitics::{clitic_forms, is_arabic_word, phrase_readings, proclitic_variants};
pub use explain::{explain, WordReport};
pub use lexicon::is_stopword;
pub use normalize::{fold_char, normalize};
pub use normalized::{NormalizedText, NormalizedWord, TextNormalizer};
pub use shingles::{
    article_signature, similarity, Signature, BANDS, HASHES, MIN_WORDS, THRESHOLD, VALUES,
};
pub use slots::SLOT_SEPARATOR;
pub use stem::stem;
pub use tokenizer::ArabicTokenizer;
pub use words::{consecutive, exact_words, words, Word};

/// The analysis rules as data, for generators of an equivalent chain in
/// another engine (`export opensearch`): the proclitics, the never-split
/// and never-stem lists, the stopwords, the stemmer's inflections and the
/// token length limit.
pub mod rules {
    pub use super::clitics::{
        ARABIC_LETTERS, ARTICLE, CONJUNCTIONS, MIN_AFTER_ARTICLE, MIN_AFTER_LETTER, PREPOSITIONS,
    };
    pub use super::lexicon::{no_split_words, no_stem_words, stopwords};
    pub use super::limit::MAX_TOKEN_CHARS;
    pub use super::stem::{INFLECTIONS, KEEP_AN_AFTER, KEEP_YA_AFTER, PRONOUN, PRONOUN_MIN};
}
