//! Analysis stage 3: drop tokens too long to be words.
//!
//! tantivy's own `RemoveLongFilter` counts UTF-8 bytes, so its limits cut
//! Arabic words at half the length of Latin ones; this filter counts
//! characters, after normalization (so diacritics do not count).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Longest token kept, in characters.
pub const MAX_TOKEN_CHARS: usize = 40;

/// Token filter dropping tokens longer than a limit counted in characters.
#[derive(Clone, Copy, Debug)]
pub struct RemoveLongChars {
    max_chars: usize,
}

impl RemoveLongChars {
    /// Filter keeping tokens of at most `max_chars` characters.
    pub fn limit(max_chars: usize) -> Self {
        RemoveLongChars { max_chars }
    }
}

impl Default for RemoveLongChars {
    fn default() -> Self {
        Self::limit(MAX_TOKEN_CHARS)
    }
}

/// Tokenizer wrapper produced by [`RemoveLongChars`].
#[derive(Clone)]
pub struct RemoveLongCharsWrapper<T> {
    inner: T,
    max_chars: usize,
}

/// Token stream of [`RemoveLongCharsWrapper`].
pub struct RemoveLongCharsStream<T> {
    tail: T,
    max_chars: usize,
}

impl TokenFilter for RemoveLongChars {
    type Tokenizer<T: Tokenizer> = RemoveLongCharsWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RemoveLongCharsWrapper<T> {
        RemoveLongCharsWrapper {
            inner: tokenizer,
            max_chars: self.max_chars,
        }
    }
}

impl<T: Tokenizer> Tokenizer for RemoveLongCharsWrapper<T> {
    type TokenStream<'a> = RemoveLongCharsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RemoveLongCharsStream {
            tail: self.inner.token_stream(text),
            max_chars: self.max_chars,
        }
    }
}

impl<T: TokenStream> TokenStream for RemoveLongCharsStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            // Cheap byte test first: a char is at most 4 bytes.
            let text = &self.tail.token().text;
            if text.len() <= self.max_chars || text.chars().count() <= self.max_chars {
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
