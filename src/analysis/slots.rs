//! Analysis: the tokenizer of slot texts — a text normalized once at index
//! time (see `normalized.rs`), one slot per word position, slots separated
//! by [`SLOT_SEPARATOR`] — from which the index analyzer reads the terms
//! and positions the full exact analyzer would produce.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Separates slots in a slot text; never part of a normalized word.
pub const SLOT_SEPARATOR: char = ' ';
/// [`SLOT_SEPARATOR`] as its one UTF-8 byte (never inside another
/// character's encoding).
const SLOT_SEPARATOR_BYTE: u8 = b' ';

/// Tokenizer of slot texts: one token per non-empty slot, at the slot's
/// position.
#[derive(Clone, Default)]
pub struct SlotTokenizer {
    token: Token,
}

/// Token stream of [`SlotTokenizer`].
pub struct SlotTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    slot: usize,
    token: &'a mut Token,
}

impl Tokenizer for SlotTokenizer {
    type TokenStream<'a> = SlotTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SlotTokenStream<'a> {
        self.token.reset();
        SlotTokenStream {
            text,
            cursor: 0,
            slot: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for SlotTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while self.cursor <= self.text.len() {
            let start = self.cursor;
            let end = self.text.as_bytes()[start..]
                .iter()
                .position(|&b| b == SLOT_SEPARATOR_BYTE)
                .map_or(self.text.len(), |i| start + i);
            self.cursor = end + 1;
            let slot = self.slot;
            self.slot += 1;
            if end > start {
                self.token.text.clear();
                self.token.text.push_str(&self.text[start..end]);
                self.token.position = slot;
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.position_length = 1;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}
