//! Analysis report: what each analyzer makes of each word of a text, the
//! data behind `akhbar analyze`.

use serde::Serialize;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::analyzers::{base_analyzer, tokens, Analyzer};
use super::tokenizer::ArabicTokenizer;

/// One word of the input and its forms under each analyzer.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct WordReport {
    /// Word position (0-based) in the text.
    pub position: usize,
    /// Byte offset of the word's first byte in the original text.
    pub start: usize,
    /// Byte offset just past the word's last byte in the original text.
    pub end: usize,
    /// The word as written, diacritics and clitics included.
    pub original: String,
    /// The word after normalization (empty when normalization removes it).
    pub normalized: String,
    /// Terms of the exact analyzer at this position, when it was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<Vec<String>>,
    /// Terms of the keyword analyzer at this position, when it was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<Vec<String>>,
}

/// Analyzes `text` word by word with the given analyzers.
pub fn explain(text: &str, analyzers: &[Analyzer]) -> Vec<WordReport> {
    let normalized = terms_by_position(&mut base_analyzer(), text);
    let mut per_analyzer: Vec<(Analyzer, Vec<Vec<String>>)> = analyzers
        .iter()
        .map(|a| (*a, terms_by_position(&mut a.build(), text)))
        .collect();
    words(text)
        .into_iter()
        .map(|word| {
            let p = word.position;
            let mut report = WordReport {
                position: p,
                start: word.offset_from,
                end: word.offset_to,
                original: text[word.offset_from..word.offset_to].to_string(),
                normalized: normalized
                    .get(p)
                    .and_then(|v| v.first())
                    .cloned()
                    .unwrap_or_default(),
                exact: None,
                keyword: None,
            };
            for (analyzer, terms) in per_analyzer.iter_mut() {
                let at = terms.get_mut(p).map(std::mem::take).unwrap_or_default();
                match analyzer {
                    Analyzer::Exact => report.exact = Some(at),
                    Analyzer::Keyword => report.keyword = Some(at),
                }
            }
            report
        })
        .collect()
}

fn words(text: &str) -> Vec<Token> {
    let mut tokenizer = ArabicTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

fn terms_by_position(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for token in tokens(analyzer, text) {
        if out.len() <= token.position {
            out.resize(token.position + 1, Vec::new());
        }
        out[token.position].push(token.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_offsets_into_diacritized_text() {
        let text = "وَلِلْمُعْتَقَلِينَ في سُورِيَا";
        let report = explain(text, &Analyzer::ALL);
        assert_eq!(report.len(), 3);
        let first = &report[0];
        assert_eq!(&text[first.start..first.end], "وَلِلْمُعْتَقَلِينَ");
        assert_eq!(first.normalized, "وللمعتقلين");
        let keyword = first.keyword.as_ref().expect("keyword asked for");
        assert!(keyword.contains(&"معتقل".to_string()), "{keyword:?}");
        let exact = first.exact.as_ref().expect("exact asked for");
        assert!(exact.contains(&"المعتقلين".to_string()), "{exact:?}");
        // في is a stopword: the keyword analyzer drops it, exact keeps it.
        assert_eq!(report[1].keyword, Some(vec![]));
        assert_eq!(report[1].exact, Some(vec!["في".to_string()]));
    }

    #[test]
    fn only_requested_analyzers() {
        let report = explain("بيروت", &[Analyzer::Exact]);
        assert!(report[0].keyword.is_none());
        assert_eq!(report[0].exact, Some(vec!["بيروت".to_string()]));
    }
}
