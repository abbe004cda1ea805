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
//!
//! Confidence comes first ([`CONFIDENT`]): articles where indexing found
//! the entity with context rank before those that only name it by a name
//! that is also a common word (حماس "zeal", المملكة; the `entity_weak`
//! terms). For a name searched as a phrase, a word that normalizes like a
//! function word must be written as the name in the article (the
//! `plain_words` terms: علي finds علي, not على; بان not بأن), and articles
//! naming a table entity that has the name among its words (علي خامنئي)
//! rank first.
//!
//! [`EntitySearched`] says what was searched (`entity` in the JSON
//! answer): the table entity, or none and why.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::parse::Scope;
use super::plan::Planner;
use crate::analysis::is_stopword;
use crate::entities::spelling_variants;
use crate::entities::weak_term;
use crate::entities::{clean, homograph_keys, is_function_word};
use crate::entities::{name_key, Entity};
use crate::entities::{AliasTable, EntityType};
use crate::index::entity_facet;

/// Score added to an article where the entity was found with
/// confidence: above any text score, so such articles rank before those
/// that name it only ambiguously; a constant, so among them the text
/// score decides.
pub const CONFIDENT: f32 = 1000.0;

/// What `--entity` searched, for the answer (`entity` and
/// `entity_reason` in the JSON).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EntitySearched {
    /// The table entity (canonical name, type, aliases), if any.
    pub entity: Option<Entity>,
    /// Why the name was searched as a phrase, when it was.
    pub reason: Option<String>,
}

/// What `--entity` resolved to.
#[derive(Clone, Debug)]
pub struct EntityPlan {
    /// What was searched.
    pub searched: EntitySearched,
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
    let reason = match &entity {
        None => Some(format!(
            "{name:?} is not in the alias table: searched as a phrase, with its spelling variants"
        )),
        Some(_) if !facets_current => Some(
            "the index's entity facets were built with another alias table: \
             the entity's names were searched as phrases"
                .to_string(),
        ),
        Some(_) => None,
    };
    let mut plan = EntityPlan {
        searched: EntitySearched {
            entity: entity.clone(),
            reason,
        },
        entity: entity.clone(),
        variant_names: Vec::new(),
        extra_phrases: Vec::new(),
    };
    let fields = planner.fields();
    if let Some(e) = entity.as_ref().filter(|_| use_facet) {
        let term = Term::from_facet(fields.entity, &entity_facet(e.kind, &e.canonical));
        let confident = TermQuery::new(term, IndexRecordOption::Basic);
        required.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(confident), CONFIDENT)),
        ));
        let weak = Term::from_field_text(fields.entity_weak, &weak_term(e.kind, &e.canonical));
        required.push((
            Occur::Should,
            Box::new(TermQuery::new(weak, IndexRecordOption::Basic)),
        ));
    }
    let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if entity.is_none() && crate::entities::rules().written {
        filters = plain_word_filters(name, fields.plain_words);
        scoring.extend(containing_entities(name, table, fields.entity));
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
            let mut found = valid_variants(&readings[0], searcher, planner, &table_words);
            if entity.is_some() && positions.len() == 1 && readings[0].chars().count() < 5 {
                found.retain(|v| !is_vowel_insertion(&readings[0], v));
            }
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
    clauses.extend(filters);
    clauses.extend(scoring);
    Some((Box::new(BooleanQuery::new(clauses)), plan))
}

/// For a name searched as a phrase: each of its words that normalizes
/// like a function word (علي/على, بان/بأن) but is typed otherwise must be
/// written that way in the article (`plain_words`).
fn plain_word_filters(name: &str, field: tantivy::schema::Field) -> Vec<(Occur, Box<dyn Query>)> {
    let keys: HashSet<String> = homograph_keys().collect();
    name.split_whitespace()
        .filter(|w| !is_function_word(&clean(w)))
        .map(crate::analysis::normalize)
        .filter(|w| keys.contains(w))
        .map(|w| {
            let term = Term::from_field_text(field, &w);
            let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Must, q)
        })
        .collect()
}

/// For a one-word name searched as a phrase: the table entities that have
/// it among their names' words (علي → علي خامنئي …), as scoring clauses
/// that rank the articles naming them first (the rest of a table name is
/// context that the word is a name).
fn containing_entities(
    name: &str,
    table: &AliasTable,
    field: tantivy::schema::Field,
) -> Vec<(Occur, Box<dyn Query>)> {
    let word = name_key(name);
    if word.is_empty() || word.contains(' ') {
        return Vec::new();
    }
    table
        .entities
        .iter()
        .filter(|e| {
            e.names()
                .any(|n| name_key(n).split(' ').any(|w| w == word) && name_key(n) != word)
        })
        .take(64)
        .map(|e| {
            let term = Term::from_facet(field, &entity_facet(e.kind, &e.canonical));
            let q: Box<dyn Query> = Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                CONFIDENT,
            ));
            (Occur::Should, q)
        })
        .collect()
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

/// True when `variant` is `word` with one long vowel (ا و ي) inserted.
/// Not tried on a one-word name of four letters of a table entity: with
/// no other word of the name beside it, a new vowel in so short a word
/// makes another word as often as another spelling (بوتن → بوتان
/// "Bhutan", بوتون "Porton": 15 false hits of `--entity بوتين` on the
/// shared corpora, none right); inside a full name (دونالد ترومب) the rest
/// of the name says it is this person, and longer words keep their
/// variants (بايدن → بايدين).
fn is_vowel_insertion(word: &str, variant: &str) -> bool {
    let (w, v): (Vec<char>, Vec<char>) = (word.chars().collect(), variant.chars().collect());
    v.len() == w.len() + 1
        && (0..v.len())
            .any(|i| matches!(v[i], 'ا' | 'و' | 'ي') && v[..i] == w[..i] && v[i + 1..] == w[i..])
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

#[cfg(test)]
mod tests {
    use super::is_vowel_insertion;

    #[test]
    fn vowel_insertions_are_told_apart() {
        for (word, variant, inserted) in [
            ("بوتن", "بوتان", true),
            ("بوتن", "بوتون", true),
            ("ترمب", "ترومب", true),
            ("ترامب", "ترمب", false),
            ("غوتيريش", "غوتيريس", false),
            ("بوتن", "بوتنا", true),
            ("بوتن", "بوتنن", false),
        ] {
            assert_eq!(
                is_vowel_insertion(word, variant),
                inserted,
                "{word} {variant}"
            );
        }
    }
}
