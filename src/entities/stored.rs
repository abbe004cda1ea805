//! Entities: how an article's entities are kept in the index.
//!
//! At index time each article's entities are found once, and kept three
//! ways: as facets `/TYPE/name` (counted by `akhbar entities` and the
//! facets of a search, matched by `--entity`), as terms (weak mentions,
//! spellings of new names: [`weak_term`], [`form_term`]) and as one stored
//! text ([`encode`]), one line per entity: `TYPE<TAB>name<TAB>shown
//! as<TAB>mentions<TAB>weak (0/1)`, which a search reads for each hit
//! instead of extracting entities from its text again.

use super::extract::Found;
use super::EntityType;

/// Separates the parts of a term (never in a name).
pub const SEPARATOR: char = '\u{1F}';

/// An entity of a stored article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEntity {
    /// Its kind.
    pub kind: EntityType,
    /// Its key (canonical or normalized new name).
    pub name: String,
    /// Its name as shown for this article.
    pub display: String,
    /// Mentions in title and body.
    pub mentions: usize,
    /// Named only by an ambiguous name without context.
    pub weak: bool,
}

/// The raw term of a weak entity (`entity_weak` field).
pub fn weak_term(kind: EntityType, name: &str) -> String {
    format!("{}{SEPARATOR}{name}", kind.code())
}

/// The raw term of a spelling of a new name (`entity_form` field).
pub fn form_term(kind: EntityType, name: &str, form: &str) -> String {
    format!("{}{SEPARATOR}{name}{SEPARATOR}{form}", kind.code())
}

/// The prefix of every [`form_term`] of a name.
pub fn form_prefix(kind: EntityType, name: &str) -> String {
    format!("{}{SEPARATOR}{name}{SEPARATOR}", kind.code())
}

/// The stored text of an article's entities.
pub fn encode(found: &[(Found, Vec<usize>)]) -> String {
    let mut out = String::new();
    for (e, _) in found {
        let clean = |s: &str| s.replace(['\t', '\n'], " ");
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            e.kind.code(),
            clean(&e.name),
            clean(&e.display),
            e.mentions.len(),
            u8::from(e.weak)
        ));
    }
    out
}

/// The entities of a stored text; lines that cannot be read are skipped.
pub fn decode(text: &str) -> Vec<StoredEntity> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let kind = EntityType::from_code(parts.next()?)?;
            let name = parts.next()?.to_string();
            let display = parts.next()?.to_string();
            let mentions = parts.next()?.parse().ok()?;
            let weak = parts.next()? == "1";
            Some(StoredEntity {
                kind,
                name,
                display,
                mentions,
                weak,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_then_decode() {
        let found = vec![(
            Found {
                kind: EntityType::Organisation,
                name: "حركه النهضه".to_string(),
                display: "حركة النهضة".to_string(),
                known: false,
                weak: false,
                mentions: vec![0..4, 9..12],
                forms: vec![("حركة النهضة".to_string(), 2)],
            },
            vec![0, 1],
        )];
        let got = decode(&encode(&found));
        assert_eq!(
            got,
            vec![StoredEntity {
                kind: EntityType::Organisation,
                name: "حركه النهضه".to_string(),
                display: "حركة النهضة".to_string(),
                mentions: 2,
                weak: false,
            }]
        );
        assert!(decode("XYZ\tbad\n\nPER\tonly two").is_empty());
    }
}
