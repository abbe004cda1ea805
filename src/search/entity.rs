//! Search: `--entity NAME`, every article naming an entity.
//!
//! The name is looked up in the alias table (any of its names, through
//! clitics and diacritics: لداعش finds تنظيم الدولة الإسلامية). Then:
//! - a table entity matches the articles where indexing recognized it
//!   (the `entity` facet; longer table names win there, so قطاع غزة is
//!   not found through مدينة غزة), plus the articles that write one of its
//!   names with a spelling variant that is in the index but not in the
//!   table (see [`crate::entities::variants`]);
//! - a name not in the table matches as a phrase, with its spelling
//!   variants; a match inside a longer name counts.
//!
//! Every name of the entity is also a scoring clause, so articles that
//! name it in the title or often rank first.

use std::collections::HashSet;

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::parse::Scope;
use super::plan::Planner;
use crate::analysis::lexicon::is_stopword;
use crate::entities::table::{name_key, Entity};
use crate::entities::variants::spelling_variants;
use crate::entities::{AliasTable, EntityType};
use crate::index::build::entity_facet;

/// What `--entity` resolved to.
#[derive(Clone, Debug)]
pub struct EntityPlan {
    /// The table entity, when the name is in the table.
    pub entity: Option<Entity>,
    /// Spelled-differently names found in the index (for `analyze`).
    pub variant_names: Vec<String>,
    /// Phrases counted as mentions beyond the table entity's own.
    pub extra_phrases: Vec<Vec<Vec<String>>>,
}

/// Builds the `--entity` query; `None` when the name has no words.
///
/// `facets_current` says whether the index's entity facets were built with
/// this same table; when not (the user's alias file changed since), the
/// entity's names are searched as phrases instead of through the facet.
pub fn plan_entity(
    name: &str,
    table: &AliasTable,
    planner: &mut Planner,
    searcher: &Searcher,
    facets_current: bool,
) -> Option<(Box<dyn Query>, EntityPlan)> {
    let entity = table.resolve(name).cloned();
    let use_facet = entity.is_some() && facets_current;
    let names: Vec<String> = match &entity {
        Some(e) => e.names().map(str::to_string).collect(),
        None => vec![name.to_string()],
    };
    let table_words = table_name_words(table);
    let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut scoring: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut plan = EntityPlan {
        entity: entity.clone(),
        variant_names: Vec::new(),
        extra_phrases: Vec::new(),
    };
    if let Some(e) = entity.as_ref().filter(|_| use_facet) {
        let term = Term::from_facet(planner.fields().entity, &entity_facet(e.kind, &e.canonical));
        required.push((
            Occur::Should,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
    for n in &names {
        let positions = planner.exact_positions(n);
        if positions.is_empty() {
            continue;
        }
        if let Some(q) = planner.phrase_positions(&positions, Scope::Any, true) {
            if use_facet {
                scoring.push((Occur::Should, q));
            } else {
                required.push((Occur::Should, q));
                plan.extra_phrases.push(positions.clone());
            }
        }
        for (i, readings) in positions.iter().enumerate() {
            if !variants_apply(entity.as_ref(), &readings[0]) {
                continue;
            }
            let found = valid_variants(&readings[0], searcher, planner, &table_words);
            if found.is_empty() {
                continue;
            }
            let mut variant = positions.clone();
            variant[i] = found.clone();
            for v in &found {
                let mut words: Vec<&str> = positions.iter().map(|r| r[0].as_str()).collect();
                words[i] = v;
                plan.variant_names.push(words.join(" "));
            }
            if let Some(q) = planner.phrase_positions(&variant, Scope::Any, true) {
                required.push((Occur::Should, q));
                plan.extra_phrases.push(variant);
            }
        }
    }
    if required.is_empty() {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(required)))];
    clauses.extend(scoring);
    Some((Box::new(BooleanQuery::new(clauses)), plan))
}

/// Spelling variants are tried for people's names and names not in the
/// table, never for words with the article (Arabic or arabized words:
/// العراق → العرق would be another word), and not for places and
/// organisations of the table, whose variants the table lists: checked
/// on the shared corpora, إيران → ايرن met the clitic reading of بايرن.
fn variants_apply(entity: Option<&Entity>, word: &str) -> bool {
    let person_or_unknown = entity.is_none_or(|e| e.kind == EntityType::Person);
    person_or_unknown && !word.starts_with("ال")
}

/// Words of every table name: a variant spelling equal to one of them is
/// a name of its own (another entity's, or one the facet already covers),
/// not a variant.
fn table_name_words(table: &AliasTable) -> HashSet<String> {
    table
        .entities
        .iter()
        .flat_map(|e| e.names().map(name_key).collect::<Vec<_>>())
        .flat_map(|key| key.split(' ').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// Spelling variants of a word that the index holds.
fn valid_variants(
    word: &str,
    searcher: &Searcher,
    planner: &Planner,
    table_words: &HashSet<String>,
) -> Vec<String> {
    let fields = planner.fields();
    spelling_variants(word)
        .into_iter()
        .filter(|v| !is_stopword(v) && !table_words.contains(v))
        .filter(|v| {
            [fields.body_exact, fields.title_exact].iter().any(|f| {
                searcher
                    .doc_freq(&Term::from_field_text(*f, v))
                    .is_ok_and(|n| n > 0)
            })
        })
        .collect()
}
