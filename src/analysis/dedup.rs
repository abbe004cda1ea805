//! Analysis stage 7 (keyword analyzer only): drop repeated terms at one
//! position.
//!
//! Several proclitic readings of a word often stem to the same term
//! (بالعراق, العراق → عراق); indexing it once per position keeps term
//! frequencies honest for BM25.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Token filter dropping a token whose text was already emitted at its
/// position.
#[derive(Clone, Copy, Debug, Default)]
pub struct DedupPosition;

/// Tokenizer wrapper produced by [`DedupPosition`].
#[derive(Clone)]
pub struct DedupPositionWrapper<T> {
    inner: T,
}

/// Token stream of [`DedupPositionWrapper`].
pub struct DedupPositionStream<T> {
    tail: T,
    position: usize,
    /// Terms seen at the current position: the first `seen_len` of
    /// `seen`, whose buffers are reused (no allocation per token).
    seen: Vec<String>,
    seen_len: usize,
}

impl TokenFilter for DedupPosition {
    type Tokenizer<T: Tokenizer> = DedupPositionWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DedupPositionWrapper<T> {
        DedupPositionWrapper { inner: tokenizer }
    }
}

impl<T: Tokenizer> Tokenizer for DedupPositionWrapper<T> {
    type TokenStream<'a> = DedupPositionStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DedupPositionStream {
            tail: self.inner.token_stream(text),
            position: usize::MAX,
            seen: Vec::new(),
            seen_len: 0,
        }
    }
}

impl<T: TokenStream> TokenStream for DedupPositionStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token();
            if token.position != self.position {
                self.position = token.position;
                self.seen_len = 0;
            }
            if !self.seen[..self.seen_len].contains(&token.text) {
                match self.seen.get_mut(self.seen_len) {
                    Some(slot) => {
                        slot.clear();
                        slot.push_str(&token.text);
                    }
                    None => self.seen.push(token.text.clone()),
                }
                self.seen_len += 1;
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
