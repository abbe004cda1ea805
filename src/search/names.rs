//! Search: names and words as the reader types them (`/api/suggest`, the
//! search box's list).
//!
//! [`Names::build`] gathers, once per commit, every name of the alias
//! table (canonical names and aliases, with the entity's type and how many
//! articles name it), the names found by rule in the articles, and the
//! index's frequent words (the body's normalized words in at least
//! [`MIN_WORD_ARTICLES`] articles, with their article counts), each name
//! cut into normalized words. [`Names::suggest`] then answers a prefix by
//! binary search over the sorted words:
//!
//! - what is typed is normalized as the index normalizes (hamzas, alef
//!   maqsura, taa marbuta, diacritics), `ابن` read as `بن` (names write
//!   either), and every word but the last must be a whole word of a name,
//!   the last the start of the next word: «ابن سل» finds «محمد بن سلمان»;
//! - a name's word is also found without its article (ال): «سعود» finds
//!   «السعودية»;
//! - each entity is listed once (by the name typed, with its canonical
//!   name), most-named first; words follow the same order, shown as the
//!   articles write them (one article read per word listed).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use serde::Serialize;
use tantivy::schema::Field;
use tantivy::{DocAddress, Searcher, Term};

use super::entity_counts::{display_name, top_of, EntityCounter};
use super::error::SearchError;
use super::stored::StoredDoc;
use crate::analysis::{is_stopword, normalize};
use crate::entities::{AliasTable, EntityType};
use crate::index::OpenIndex;

/// Words in fewer articles than this are not suggested.
pub const MIN_WORD_ARTICLES: u64 = 3;
/// Names found by rule counted, at most.
const RULE_NAMES: usize = 5_000;

/// One suggestion.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Typed {
    /// What to put in the box: the entity's canonical name, or the word
    /// as articles write it.
    pub text: String,
    /// `entity` or `word`.
    pub kind: &'static str,
    /// The entity's type (entities only).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<&'static str>,
    /// The name that matched what was typed, when it is not `text` (an
    /// alias).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// Articles naming it (holding the word).
    pub articles: u64,
}

/// One name of an entity.
struct Name {
    /// As the table (or the articles) write it.
    shown: String,
    /// The entity's canonical name.
    canonical: String,
    kind: EntityType,
    articles: u64,
    /// Normalized words.
    words: Vec<String>,
}

/// Everything the box can suggest, for one commit.
pub struct Names {
    names: Vec<Name>,
    /// (word key, name index), sorted by key.
    keys: Vec<(String, u32)>,
    /// (normalized word, articles), sorted by word.
    words: Vec<(String, u64)>,
    /// The stored body and its analyzed field (to show words as written).
    body: (Field, Field),
}

/// A name's or a query's words, normalized; `ابن` as `بن`.
pub fn name_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || is_mark(c)))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let n = normalize(&w.to_lowercase());
            if n == "ابن" {
                "بن".to_string()
            } else {
                n
            }
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_mark(c: char) -> bool {
    ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0640}' || c == '\u{0670}'
}

/// A word without its article, when it has one and more after it.
fn bare(word: &str) -> Option<&str> {
    word.strip_prefix("ال")
        .filter(|rest| rest.chars().count() >= 2)
}

/// True when name word `w` is the typed word `q` (or `q` without `ال`).
fn same(w: &str, q: &str) -> bool {
    w == q || bare(w) == Some(q) || bare(q) == Some(w)
}

/// True when name word `w` starts with the typed prefix `p`.
fn starts(w: &str, p: &str) -> bool {
    w.starts_with(p) || bare(w).is_some_and(|b| b.starts_with(p))
}

impl Names {
    /// Gathers the names and words of the index's last commit.
    ///
    /// # Errors
    /// The index cannot be read.
    pub fn build(open: &OpenIndex, table: &AliasTable) -> Result<Names, SearchError> {
        let searcher = open.searcher()?;
        let err = |e| SearchError::tantivy(&open.dir, e);
        let counts = searcher
            .search(&tantivy::query::AllQuery, &EntityCounter)
            .map_err(err)?;
        let mut named: HashMap<(EntityType, String), u64> = HashMap::new();
        let mut names = Vec::new();
        for (kind, key, n) in top_of(&counts, None, usize::MAX) {
            let shown = display_name(&searcher, open.fields.entity_form, kind, key);
            named.insert((kind, shown.clone()), n);
            if table.find(&shown).is_none() && names.len() < RULE_NAMES {
                names.push(Name {
                    words: name_words(&shown),
                    canonical: shown.clone(),
                    shown,
                    kind,
                    articles: n,
                });
            }
        }
        for entity in &table.entities {
            let articles = named
                .get(&(entity.kind, entity.canonical.clone()))
                .copied()
                .unwrap_or(0);
            for shown in entity.names() {
                names.push(Name {
                    words: name_words(shown),
                    shown: shown.to_string(),
                    canonical: entity.canonical.clone(),
                    kind: entity.kind,
                    articles,
                });
            }
        }
        let mut keys = Vec::new();
        for (i, name) in names.iter().enumerate() {
            for word in &name.words {
                keys.push((word.clone(), i as u32));
                if let Some(b) = bare(word) {
                    keys.push((b.to_string(), i as u32));
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        let words = frequent_words(&searcher, open.fields.body_exact).map_err(err)?;
        Ok(Names {
            names,
            keys,
            words,
            body: (open.fields.body, open.fields.body_exact),
        })
    }

    /// Bytes it takes, roughly (for a cache's budget).
    pub fn bytes(&self) -> usize {
        let names: usize = self
            .names
            .iter()
            .map(|n| {
                n.shown.len()
                    + n.canonical.len()
                    + n.words.iter().map(|w| w.len() + 24).sum::<usize>()
                    + 96
            })
            .sum();
        let keys: usize = self.keys.iter().map(|(k, _)| k.len() + 32).sum();
        let words: usize = self.words.iter().map(|(w, _)| w.len() + 32).sum();
        names + keys + words
    }

    /// Up to `limit` suggestions for what was typed: entity names, then
    /// (unless `names_only`) frequent words, each list most-used first.
    pub fn suggest(
        &self,
        searcher: &Searcher,
        typed: &str,
        limit: usize,
        names_only: bool,
    ) -> Vec<Typed> {
        let q = name_words(typed);
        let Some(last) = q.last() else {
            return Vec::new();
        };
        let mut out = self.entities(&q, limit);
        if !names_only && q.len() == 1 && out.len() < limit && last.chars().count() >= 2 {
            let taken: HashSet<String> = out.iter().map(|t| normalize(&t.text)).collect();
            for (word, articles) in self.top_words(last, limit - out.len(), &taken) {
                let text = written(searcher, self.body, &word).unwrap_or(word);
                out.push(Typed {
                    text,
                    kind: "word",
                    entity_type: None,
                    matched: None,
                    articles,
                });
            }
        }
        out
    }

    /// The entities one of whose names matches the typed words, once each.
    fn entities(&self, q: &[String], limit: usize) -> Vec<Typed> {
        let first = &q[0];
        let range = if q.len() == 1 {
            self.prefix_range(first)
        } else {
            self.exact_range(first)
        };
        let mut best: HashMap<(&str, EntityType), (usize, bool)> = HashMap::new();
        for &(_, i) in &self.keys[range] {
            let name = &self.names[i as usize];
            let Some(at) = matches(&name.words, q) else {
                continue;
            };
            let key = (name.canonical.as_str(), name.kind);
            let leading = at == 0;
            let better = match best.get(&key) {
                None => true,
                Some(&(j, was_leading)) => {
                    let other = &self.names[j];
                    (leading && !was_leading)
                        || (leading == was_leading
                            && other.shown != other.canonical
                            && name.shown == name.canonical)
                }
            };
            if better {
                best.insert(key, (i as usize, leading));
            }
        }
        let mut found: Vec<(&Name, bool)> =
            best.values().map(|&(i, l)| (&self.names[i], l)).collect();
        found.sort_by(|a, b| {
            b.0.articles
                .cmp(&a.0.articles)
                .then(b.1.cmp(&a.1))
                .then(
                    a.0.canonical
                        .chars()
                        .count()
                        .cmp(&b.0.canonical.chars().count()),
                )
                .then(a.0.canonical.cmp(&b.0.canonical))
        });
        found
            .into_iter()
            .take(limit)
            .map(|(name, _)| Typed {
                text: name.canonical.clone(),
                kind: "entity",
                entity_type: Some(name.kind.code()),
                matched: (name.shown != name.canonical).then(|| name.shown.clone()),
                articles: name.articles,
            })
            .collect()
    }

    /// Keys starting with `p`.
    fn prefix_range(&self, p: &str) -> std::ops::Range<usize> {
        let start = self.keys.partition_point(|(k, _)| k.as_str() < p);
        let end = start + self.keys[start..].partition_point(|(k, _)| k.starts_with(p));
        start..end
    }

    /// Keys equal to `w`.
    fn exact_range(&self, w: &str) -> std::ops::Range<usize> {
        let start = self.keys.partition_point(|(k, _)| k.as_str() < w);
        let end = start + self.keys[start..].partition_point(|(k, _)| k == w);
        start..end
    }

    /// The most frequent words starting with `p`, not already `taken`.
    fn top_words(&self, p: &str, n: usize, taken: &HashSet<String>) -> Vec<(String, u64)> {
        let start = self.words.partition_point(|(w, _)| w.as_str() < p);
        let mut found: Vec<&(String, u64)> = self.words[start..]
            .iter()
            .take_while(|(w, _)| w.starts_with(p))
            .filter(|(w, _)| !taken.contains(w) && !is_stopword(w))
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        found.into_iter().take(n).cloned().collect()
    }
}

/// Where in `words` the typed words `q` match (every word but the last
/// whole, the last as a prefix), if anywhere.
fn matches(words: &[String], q: &[String]) -> Option<usize> {
    let n = q.len();
    if n > words.len() {
        return None;
    }
    (0..=words.len() - n).find(|&i| {
        q[..n - 1].iter().zip(&words[i..]).all(|(a, b)| same(b, a))
            && starts(&words[i + n - 1], &q[n - 1])
    })
}

/// The body's words in at least [`MIN_WORD_ARTICLES`] articles, with their
/// article counts, merged over segments, sorted. Readings the index adds
/// for clitics are words of their own here too (they are what a reader
/// may type).
fn frequent_words(searcher: &Searcher, field: Field) -> tantivy::Result<Vec<(String, u64)>> {
    let indexes = searcher
        .segment_readers()
        .iter()
        .map(|s| s.inverted_index(field))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut streams = indexes
        .iter()
        .map(|i| i.terms().stream())
        .collect::<std::io::Result<Vec<_>>>()?;
    // The dictionaries walked in step, in order (a k-way merge): the words
    // come out sorted, and only the frequent ones are kept.
    let mut heads = BinaryHeap::new();
    let mut step = |heads: &mut BinaryHeap<Reverse<(Vec<u8>, usize, u32)>>, at: usize| {
        if streams[at].advance() {
            let key = streams[at].key().to_vec();
            heads.push(Reverse((key, at, streams[at].value().doc_freq)));
        }
    };
    for at in 0..indexes.len() {
        step(&mut heads, at);
    }
    let mut words = Vec::new();
    while let Some(Reverse((key, at, freq))) = heads.pop() {
        let mut articles = u64::from(freq);
        step(&mut heads, at);
        while heads.peek().is_some_and(|Reverse((k, _, _))| *k == key) {
            let Some(Reverse((_, other, freq))) = heads.pop() else {
                break;
            };
            articles += u64::from(freq);
            step(&mut heads, other);
        }
        if articles < MIN_WORD_ARTICLES {
            continue;
        }
        let Ok(word) = String::from_utf8(key) else {
            continue;
        };
        if word.chars().count() >= 2 && !word.bytes().any(|b| b.is_ascii_digit()) {
            words.push((word, articles));
        }
    }
    Ok(words)
}

/// Articles read to see how a word is written.
const WRITTEN_SAMPLE: usize = 12;

/// A word as most of the first articles holding it write it (diacritics
/// dropped; the first seen on a tie): one article's variant spelling
/// («الحكومه») must not stand for the word.
fn written(searcher: &Searcher, (body, exact): (Field, Field), term: &str) -> Option<String> {
    let t = Term::from_field_text(exact, term);
    let mut forms: Vec<(String, usize)> = Vec::new();
    let mut read = 0;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(exact).ok()?;
        let Ok(Some(info)) = inverted.get_term_info(&t) else {
            continue;
        };
        let mut postings = inverted
            .read_postings_from_terminfo(&info, tantivy::schema::IndexRecordOption::Basic)
            .ok()?;
        let mut doc = tantivy::DocSet::doc(&postings);
        while doc != tantivy::TERMINATED && read < WRITTEN_SAMPLE {
            read += 1;
            let stored: StoredDoc = searcher.doc(DocAddress::new(ord as u32, doc)).ok()?;
            let text = stored.text(body);
            let found = text
                .split(|c: char| !(c.is_alphabetic() || is_mark(c)))
                .find(|w| normalize(w) == term)
                .map(|w| w.chars().filter(|c| !is_mark(*c)).collect::<String>());
            if let Some(form) = found {
                match forms.iter_mut().find(|(f, _)| *f == form) {
                    Some((_, n)) => *n += 1,
                    None => forms.push((form, 1)),
                }
            }
            doc = tantivy::DocSet::advance(&mut postings);
        }
        if read >= WRITTEN_SAMPLE {
            break;
        }
    }
    // max_by_key keeps the last of equals: reversed, the first seen wins.
    forms
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(form, _)| form)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Vec<String> {
        name_words(text)
    }

    #[test]
    fn typed_words_match_names_table() {
        // (name, typed, matches?)
        let table = [
            ("محمد بن سلمان", "ابن سل", true),
            ("محمد بن سلمان", "بن سل", true),
            ("محمد بن سلمان", "محم", true),
            ("محمد بن سلمان", "سلما", true),
            ("محمد بن سلمان", "سلمان محمد", false),
            ("المملكة العربية السعودية", "سعود", true),
            ("المملكة العربية السعودية", "العربية السع", true),
            ("المملكة العربية السعودية", "عربيه سع", true),
            ("السعودية", "أمري", false),
            ("الولايات المتحدة", "الولا", true),
            ("MBS", "mb", true),
            ("مصطفى الكاظمي", "مصطفي", true),
        ];
        for (name, typed, want) in table {
            assert_eq!(
                matches(&w(name), &w(typed)).is_some(),
                want,
                "{name} / {typed}"
            );
        }
    }
}
