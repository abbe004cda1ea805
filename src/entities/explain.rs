//! Entities: what a name expands to (`akhbar analyze --entity`).

use serde::Serialize;

use super::table::{AliasTable, Entity};
use super::variants::spelling_variants;
use crate::analysis::words;
use crate::analysis::Analyzer;

/// One name of the entity, word by word.
#[derive(Clone, Debug, Serialize)]
pub struct NameReport {
    /// The name as in the table (or as typed).
    pub name: String,
    /// For each word: the terms it matches through clitics (literal first).
    pub readings: Vec<Vec<String>>,
    /// For each word: spelling variants `search --entity` tries (kept only
    /// when the index contains them).
    pub variants: Vec<Vec<String>>,
}

/// What a name resolves to.
#[derive(Clone, Debug, Serialize)]
pub struct EntityReport {
    /// The name as typed.
    pub query: String,
    /// The table entity, if any.
    pub entity: Option<Entity>,
    /// Every name searched.
    pub names: Vec<NameReport>,
}

/// Resolves a name and lists the names, readings and variants it expands
/// to.
pub fn explain_entity(table: &AliasTable, name: &str) -> EntityReport {
    let mut analyzer = Analyzer::Exact.build();
    let entity = table.resolve(name).cloned();
    let names: Vec<String> = match &entity {
        Some(e) => e.names().map(str::to_string).collect(),
        None => vec![name.to_string()],
    };
    let names = names
        .into_iter()
        .map(|n| {
            let ws = words(&mut analyzer, &n);
            NameReport {
                readings: ws.iter().map(|w| w.readings.clone()).collect(),
                variants: ws
                    .iter()
                    .map(|w| spelling_variants(&w.readings[0]))
                    .collect(),
                name: n,
            }
        })
        .collect();
    EntityReport {
        query: name.to_string(),
        entity,
        names,
    }
}
