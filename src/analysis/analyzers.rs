//! Analysis: the named pipelines, built and registered in one place.
//!
//! - [`Analyzer::Exact`] (`akhbar_exact_v5`), for phrases and entities:
//!   tokenize → normalize (Arabic, and Latin lowercased and folded) → drop
//!   long tokens →
//!   proclitic readings. No stemming and no stopword removal, so positions
//!   and word forms stay exact.
//! - [`Analyzer::Keyword`] (`akhbar_keyword_v5`), for keyword search: the
//!   same, then stopwords dropped, every reading light-stemmed, and repeats
//!   at one position dropped.
//!
//! The index fields are not given the original text but its slot text
//! (see [`super::normalized`] and [`super::slots`]), read by [`index_analyzer`]: the exact
//! pipeline's filters after the normalizing front, which the document
//! builder has already run once for all readers of the text. Only the
//! exact analyzer indexes; keyword stems are matched at search time
//! through the readings they are stems of (see `search::plan`).
//!
//! The version in the names is [`ANALYZER_VERSION`]; it changes whenever a
//! rule changes what terms a text produces, so an index built by another
//! version is detected and rebuilt rather than silently searched wrong.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use super::clitics::ProcliticExpander;
use super::dedup::DedupPosition;
use super::limit::RemoveLongChars;
use super::normalize::ArabicNormalizer;
use super::slots::SlotTokenizer;
use super::stem::LightStemmer;
use super::stopwords::ArabicStopWords;
use super::tokenizer::ArabicTokenizer;

/// Version of the analysis rules; part of every analyzer name.
pub const ANALYZER_VERSION: u32 = 5;

/// The analyzers akhbar registers with tantivy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Analyzer {
    /// Normalized words with proclitic readings: phrases and entities.
    Exact,
    /// Normalized, stopword-free, light-stemmed readings: keyword search.
    Keyword,
}

impl Analyzer {
    /// Every analyzer, in display order.
    pub const ALL: [Analyzer; 2] = [Analyzer::Exact, Analyzer::Keyword];

    /// The versioned name under which tantivy knows this analyzer.
    pub fn name(self) -> &'static str {
        match self {
            Analyzer::Exact => "akhbar_exact_v5",
            Analyzer::Keyword => "akhbar_keyword_v5",
        }
    }

    /// The short name users type (`exact`, `keyword`).
    pub fn short_name(self) -> &'static str {
        match self {
            Analyzer::Exact => "exact",
            Analyzer::Keyword => "keyword",
        }
    }

    /// Finds an analyzer by short or versioned name.
    pub fn from_name(name: &str) -> Option<Analyzer> {
        Analyzer::ALL
            .into_iter()
            .find(|a| a.short_name() == name || a.name() == name)
    }

    /// Builds a fresh instance of this pipeline.
    pub fn build(self) -> TextAnalyzer {
        match self {
            Analyzer::Exact => exact_filters(ArabicTokenizer::default()),
            Analyzer::Keyword => TextAnalyzer::builder(ArabicTokenizer::default())
                .filter(ArabicNormalizer)
                .filter(RemoveLongChars::default())
                .filter(ProcliticExpander)
                .filter(ArabicStopWords)
                .filter(LightStemmer)
                .filter(DedupPosition)
                .build(),
        }
    }
}

/// The exact pipeline's filters after `tokenizer`: [`Analyzer::Exact`]
/// over the Arabic tokenizer, and over one whole word for the memoized
/// word reader ([`super::words::exact_words`]).
pub fn exact_filters<T: Tokenizer>(tokenizer: T) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(ArabicNormalizer)
        .filter(RemoveLongChars::default())
        .filter(ProcliticExpander)
        .build()
}

/// The name under which tantivy knows [`index_analyzer`], the exact
/// fields' analyzer.
pub const INDEX_ANALYZER: &str = "akhbar_exact_slots_v5";

/// What the exact fields index: the exact pipeline after its normalizing
/// front (proclitic readings), over slot texts
/// ([`super::normalized::NormalizedText::slots`]).
pub fn index_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SlotTokenizer::default())
        .filter(ProcliticExpander)
        .build()
}

/// The normalizing front of both pipelines, without readings or stemming:
/// what `akhbar analyze` shows as a word's normalized form.
pub fn base_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(ArabicNormalizer)
        .filter(RemoveLongChars::default())
        .build()
}

/// Registers every akhbar analyzer with a tantivy tokenizer manager: the
/// full pipelines, and the index analyzer the schema's fields use.
pub fn register(manager: &TokenizerManager) {
    for analyzer in Analyzer::ALL {
        manager.register(analyzer.name(), analyzer.build());
    }
    manager.register(INDEX_ANALYZER, index_analyzer());
}

/// Runs `analyzer` over `text` and collects its tokens.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

#[cfg(test)]
mod tests;
