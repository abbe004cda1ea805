//! Entities: people, organisations and places named in articles.
//!
//! [`table`] reads the alias table (the built-in `data/entities.tsv` plus
//! the user's own files); [`extract`] finds mentions in a text, at index
//! time (stored as facets) and at search time (counts and highlights);
//! [`variants`] makes the spelling variants of foreign names a search
//! tries. Used by both the index and the search stages, hence a module of
//! its own.

pub mod candidates;
pub mod explain;
pub mod extract;
pub mod lexicon;
pub mod stored;
pub mod table;
pub mod variants;
pub mod written;

pub use table::{AliasTable, EntityType};
