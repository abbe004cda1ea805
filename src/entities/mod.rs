//! Entities (floor 1): people, organisations and places named in
//! articles.
//!
//! `table` reads the alias table (the built-in `data/entities.tsv` plus
//! the user's own files); `extract` finds mentions in a text, at index
//! time (stored as facets, `stored`) and at search time (counts and
//! highlights), with `candidates`, `lexicon` and `written` deciding where
//! a name starts, ends and how it is written; `variants` makes the
//! spelling variants of foreign names a search tries; `explain` feeds
//! `akhbar analyze --entity`. Used by both the index and the search
//! floors, hence a folder of its own.

mod candidates;
mod edges;
mod explain;
mod extract;
mod features;
mod lexicon;
mod model;
mod plain;
mod rules;
mod senses;
mod stored;
mod table;
mod train;
mod variants;
mod window;
mod written;

pub use explain::{explain_entity, EntityReport};
pub use extract::{Extractor, Found};
pub use model::Model;
pub use plain::plain_homographs;
pub use rules::{rules, Rules};
pub use stored::{
    decode as decode_stored, encode as encode_stored, form_prefix, form_term, weak_term,
    StoredEntity,
};
pub use table::{name_key, AliasTable, Entity, EntityType, TableProblem};
pub use train::{held_out, TrainOptions, Trained, Trainer};
pub use variants::spelling_variants;
pub use written::{clean, homograph_keys, is_function_word};
