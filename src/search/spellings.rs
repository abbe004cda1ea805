//! Search: other spellings of the people's names a keyword query types.
//!
//! Arabic news spells foreign names several ways (ترامب/ترمب،
//! بوتين/بوتن، غوتيريش/غوتيريس/جوتيريش). The alias table lists them as
//! names of one person; here they become word-for-word spellings: two
//! names of one person (table type `PER`) with as many words are lined up
//! word by word, and a one-word name is lined up with the last word of
//! the longer ones; two words that differ become spellings of each other
//! when they are close (at most [`MAX_EDITS`] letters changed, added or
//! dropped, both of [`MIN_LETTERS`] letters or more) and neither is a
//! stopword. So ولي العهد (a title, not a spelling of محمد) never pairs
//! with محمد.
//!
//! A query word with spellings matches them too (`search::plan`), as
//! [`super::features::Match::Variant`] occurrences: the learned ranker
//! weighs an article that has only another spelling (`variant_only`).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::analysis::is_stopword;
use crate::entities::{name_key, AliasTable, EntityType};

/// Most edits between two spellings of one word of a name.
pub const MAX_EDITS: usize = 2;
/// Fewest letters of a word that gets spellings.
pub const MIN_LETTERS: usize = 4;

/// Normalized word → its other spellings.
pub type Spellings = HashMap<String, Vec<String>>;

/// The spellings of `table`'s people's names, built once per table.
pub fn name_spellings(table: &AliasTable) -> Arc<Spellings> {
    static CACHE: Mutex<Option<(String, Arc<Spellings>)>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((fingerprint, map)) = cache.as_ref() {
        if *fingerprint == table.fingerprint {
            return Arc::clone(map);
        }
    }
    let map = Arc::new(build(table));
    *cache = Some((table.fingerprint.clone(), Arc::clone(&map)));
    map
}

/// Builds the spellings of a table (see the module doc).
fn build(table: &AliasTable) -> Spellings {
    let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for entity in table
        .entities
        .iter()
        .filter(|e| e.kind == EntityType::Person)
    {
        let names: Vec<Vec<String>> = entity
            .names()
            .map(|n| name_key(n).split(' ').map(str::to_string).collect())
            .collect();
        for a in &names {
            for b in &names {
                let lined: Vec<(&String, &String)> = if a.len() == b.len() {
                    a.iter().zip(b).collect()
                } else if a.len() == 1 {
                    b.last().map(|last| (&a[0], last)).into_iter().collect()
                } else {
                    Vec::new()
                };
                for (x, y) in lined {
                    if spellings_of_one_word(x, y) {
                        pairs.insert((x.clone(), y.clone()));
                        pairs.insert((y.clone(), x.clone()));
                    }
                }
            }
        }
    }
    let mut map = Spellings::new();
    for (word, other) in pairs {
        map.entry(word).or_default().push(other);
    }
    map
}

/// Whether two normalized words can be spellings of one word.
fn spellings_of_one_word(a: &str, b: &str) -> bool {
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a != b
        && x.len() >= MIN_LETTERS
        && y.len() >= MIN_LETTERS
        && !is_stopword(a)
        && !is_stopword(b)
        && edits(&x, &y) <= MAX_EDITS
}

/// Levenshtein distance.
fn edits(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spellings(word: &str) -> Vec<String> {
        let table = AliasTable::builtin();
        let map = name_spellings(&table);
        map.get(word).cloned().unwrap_or_default()
    }

    #[test]
    fn the_tables_people_bring_their_spellings_together() {
        for (word, other) in [
            ("ترمب", "ترامب"),
            ("ترامب", "ترمب"),
            ("بوتن", "بوتين"),
            ("بوتين", "بوتن"),
            ("غوتيريس", "غوتيريش"),
            ("غوتيريش", "جوتيريش"),
        ] {
            let found = spellings(word);
            assert!(found.iter().any(|s| s == other), "{word}: {found:?}");
        }
    }

    #[test]
    fn titles_and_far_words_are_not_spellings() {
        // محمد بن سلمان is also ولي العهد السعودي: three words each, no spelling
        assert!(!spellings("محمد").iter().any(|s| s == "ولي"));
        assert!(!spellings("سلمان").iter().any(|s| s == "السعودي"));
        assert!(!spellings_of_one_word("بوتين", "بوتين"));
        assert!(!spellings_of_one_word("ترمب", "كلينتون"));
    }

    #[test]
    fn edits_count_letters() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edits(&c("ترامب"), &c("ترمب")), 1);
        assert_eq!(edits(&c("غوتيريش"), &c("جوتيريس")), 2);
        assert_eq!(edits(&c(""), &c("abc")), 3);
    }
}
