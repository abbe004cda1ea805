//! Analysis stage 5 (keyword analyzer only): drop Arabic stopwords.
//!
//! Runs after the proclitic splitter, so وفي and the reading في of it are
//! both checked against the list; positions are not renumbered, as in
//! tantivy's own `StopWordFilter`.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::lexicon::is_stopword;

/// Token filter dropping tokens in the Arabic stopword list.
#[derive(Clone, Copy, Debug, Default)]
pub struct ArabicStopWords;

/// Tokenizer wrapper produced by [`ArabicStopWords`].
#[derive(Clone)]
pub struct ArabicStopWordsWrapper<T> {
    inner: T,
}

/// Token stream of [`ArabicStopWordsWrapper`].
pub struct ArabicStopWordsStream<T> {
    tail: T,
}

impl TokenFilter for ArabicStopWords {
    type Tokenizer<T: Tokenizer> = ArabicStopWordsWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ArabicStopWordsWrapper<T> {
        ArabicStopWordsWrapper { inner: tokenizer }
    }
}

impl<T: Tokenizer> Tokenizer for ArabicStopWordsWrapper<T> {
    type TokenStream<'a> = ArabicStopWordsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ArabicStopWordsStream {
            tail: self.inner.token_stream(text),
        }
    }
}

impl<T: TokenStream> TokenStream for ArabicStopWordsStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if !is_stopword(&self.tail.token().text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
