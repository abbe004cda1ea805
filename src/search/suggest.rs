//! "Did you mean": for a query word found in no or very few articles,
//! the closest frequent words of the index.
//!
//! Candidates come from the exact fields' term dictionaries (normalized
//! words and their clitic readings), streamed through tantivy's
//! Levenshtein automaton (`FuzzyTermQuery::automaton`: one edit for words
//! of up to four letters, two for longer ones, a swapped pair counting
//! as one; see [`super::fuzzy`]), and from the entity table's one-word
//! names: a name within reach brings its entity's other one-word
//! spellings (ترنب: ترمب, then ترامب), and names rank before other words
//! of the same distance, since a misspelled query word is most often a
//! transliterated name (ترنب is one edit from تجنب too). A table name is
//! only suggested when articles hold it. Each candidate is then priced by [`cost`], an edit distance
//! over normalized letters where the confusions Arabic writers make
//! (ض/ظ, ذ/ز, س/ص, ت/ط, د/ض, ق/ك, ه/ح, and ت/ه: a taa marbuta written as
//! taa) cost half an edit, and ranked by that cost, then by how many
//! articles hold it. A candidate must be in several times more articles
//! than the word typed, so a rare but right word is not "corrected"
//! into a common one. The query is never rewritten: suggestions are
//! notes (`akhbar: note: did you mean «…»?`, `suggestions` in JSON).
//!
//! The suggested words are shown as an article writes them: the first
//! article holding the term is read and its first word that normalizes
//! to the term is taken (diacritics and tatweel dropped), so the user
//! sees مدرسة, not the index's مدرسه.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::schema::Field;
use tantivy::{DocAddress, Searcher, Term};

use super::fuzzy::each_within;
use super::parse::Node;
use super::stored::StoredDoc;
use crate::analysis::is_stopword;
use crate::analysis::normalize;
use crate::entities::AliasTable;
use crate::index::GenerationCache;

/// A query word with "very few" matches gets suggestions: at most this
/// many articles.
pub const FEW: u64 = 2;

/// A candidate must be in at least this many times the articles of the
/// word typed (and in one at least).
const MORE: u64 = 5;

/// When the query found more than [`FEW`] articles all the same (a
/// misspelled word read as a stem or a clitic reading of other words:
/// الحكومت through حكومت, ايرن as ب + ايرن in بايرن), a candidate must be in
/// this many times the articles of the word typed …
const MORE_WHEN_FOUND: u64 = 20;
/// … and in this many articles at least.
const LEAST_WHEN_FOUND: u64 = 3;

/// Articles read, at most, to find how most write a suggested word (some
/// hold it only with a clitic, للحكومة, or in a rarer spelling, الحكومه);
/// looked up only for the words shown.
const READ_FOR_SPELLING: usize = 16;

/// Alternatives listed per word.
const SHOWN: usize = 3;

/// A query word with no or few matches and the words it may stand for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    /// The word as typed.
    pub word: String,
    /// Articles that hold it (title or body).
    pub articles: u64,
    /// Closest frequent words, best first.
    pub alternatives: Vec<Alternative>,
}

/// One suggested word.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alternative {
    /// The word as articles write it.
    pub word: String,
    /// Articles that hold it (title or body, at least).
    pub articles: u64,
    /// Weighted edit distance from the word typed.
    pub distance: f32,
}

/// Pairs of letters (after normalization) often confused for each
/// other; substituting one for the other costs half an edit.
const CONFUSIONS: [(char, char); 9] = [
    ('ض', 'ظ'),
    ('ذ', 'ز'),
    ('س', 'ص'),
    ('ت', 'ط'),
    ('د', 'ض'),
    ('ق', 'ك'),
    ('ه', 'ح'),
    ('ت', 'ه'),
    ('ث', 'س'),
];

fn substitution(a: char, b: char) -> f32 {
    if a == b {
        0.0
    } else if CONFUSIONS
        .iter()
        .any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b))
    {
        0.5
    } else {
        1.0
    }
}

/// Weighted optimal-string-alignment distance between two normalized
/// words: insertions, deletions and swaps of neighbours cost 1,
/// substitutions 1 or 0.5 for a common confusion.
pub fn cost(a: &str, b: &str) -> f32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0.0f32; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i as f32;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j as f32;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let mut best = (d[(i - 1) * w + j] + 1.0)
                .min(d[i * w + j - 1] + 1.0)
                .min(d[(i - 1) * w + j - 1] + substitution(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * w + j - 2] + 1.0);
            }
            d[i * w + j] = best;
        }
    }
    d[a.len() * w + b.len()]
}

/// The words of a query worth checking, as typed: words and phrase
/// words, not negated ones, not outlets.
pub fn query_words(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    collect(node, &mut out);
    out
}

fn collect(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Word(w, _) | Node::Fuzzy(w, _) => out.push(w.clone()),
        Node::Phrase(p, _) => out.extend(p.split_whitespace().map(str::to_string)),
        Node::And(items) | Node::All(items) | Node::Or(items) => {
            items.iter().for_each(|n| collect(n, out));
        }
        Node::Not(_) | Node::Source(_) => {}
    }
}

/// Articles holding the normalized `term` in `fields` (the most of any
/// one field: a lower bound of the union).
fn articles(searcher: &Searcher, fields: &[Field], term: &str) -> u64 {
    fields
        .iter()
        .map(|&f| {
            searcher
                .doc_freq(&Term::from_field_text(f, term))
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

/// Suggestions for the query words written as such in at most [`FEW`]
/// articles, from the exact title and body fields. When the query found
/// more than [`FEW`] articles all the same, only candidates in far more
/// articles ([`MORE_WHEN_FOUND`], [`LEAST_WHEN_FOUND`]) are offered: the
/// word may be rare but right.
pub fn when_few(
    searcher: &Searcher,
    fields: &crate::index::Fields,
    node: &Node,
    total_hits: usize,
    table: &AliasTable,
    written: &GenerationCache<String, u64>,
) -> Vec<Suggestion> {
    suggest(
        searcher,
        &[fields.title_exact, fields.body_exact],
        fields.body,
        node,
        table,
        total_hits as u64 > FEW,
        Some(written),
    )
}

/// Suggestions for the words of `node` that `fields` hold in at most
/// [`FEW`] articles; `body` is the stored text field read to show a
/// suggestion as written; `table`'s one-word names are candidates too
/// (see [`table_names`]); `query_found` says the query found more than [`FEW`]
/// articles (see [`when_few`]); `written`, when given, keeps each word's
/// article count in `fields` (the same fields every time) for the next
/// query.
pub fn suggest(
    searcher: &Searcher,
    fields: &[Field],
    body: Field,
    node: &Node,
    table: &AliasTable,
    query_found: bool,
    written: Option<&GenerationCache<String, u64>>,
) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    for typed in query_words(node) {
        let word: String = normalize(&typed)
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect();
        let letters = word.chars().count();
        if letters < 3 || is_stopword(&word) || out.iter().any(|s| s.word == typed) {
            continue;
        }
        let have = match written {
            Some(cache) => {
                let counted = cache.get_or_try(searcher, &word, || {
                    Ok::<_, std::convert::Infallible>((
                        Arc::new(articles(searcher, fields, &word)),
                        word.len() + 8,
                    ))
                });
                counted.map_or(0, |n| *n)
            }
            None => articles(searcher, fields, &word),
        };
        if have > FEW {
            continue;
        }
        let distance = if letters <= 4 { 1 } else { 2 };
        let mut found: HashMap<String, (u64, Vec<DocAddress>)> = HashMap::new();
        let last = fields[fields.len() - 1];
        each_within(
            searcher,
            fields,
            &word,
            distance,
            &mut |ord, field, inverted, term, info| {
                if term == word {
                    return;
                }
                let entry = found.entry(term.to_string()).or_insert((0, Vec::new()));
                entry.0 = entry.0.max(u64::from(info.doc_freq));
                if entry.1.is_empty() && field == last {
                    let docs = first_docs(inverted, info, 1);
                    entry
                        .1
                        .extend(docs.into_iter().map(|d| DocAddress::new(ord as u32, d)));
                }
            },
        );
        let enough = if query_found {
            MORE_WHEN_FOUND.saturating_mul(have).max(LEAST_WHEN_FOUND)
        } else {
            MORE.saturating_mul(have).max(1)
        };
        let mut alternatives: Vec<Candidate> = found
            .into_iter()
            .filter(|(t, (n, _))| *n >= enough && !is_stopword(t))
            .map(|(t, (n, at))| Candidate {
                rank: (cost(&word, &t), 1),
                distance: cost(&word, &t),
                articles: n,
                shown: None,
                at,
                term: t,
            })
            .filter(|a| a.distance <= f32::from(distance))
            .collect();
        for name in table_names(table, &word, distance) {
            let n = articles(searcher, fields, &name.term);
            if n < enough {
                continue;
            }
            alternatives.retain(|a| a.term != name.term);
            alternatives.push(Candidate {
                articles: n,
                at: Vec::new(),
                ..name
            });
        }
        alternatives.sort_by(|a, b| {
            (a.rank.0.total_cmp(&b.rank.0))
                .then(a.rank.1.cmp(&b.rank.1))
                .then(a.distance.total_cmp(&b.distance))
                .then(b.articles.cmp(&a.articles))
                .then(a.term.cmp(&b.term))
        });
        alternatives.truncate(SHOWN);
        if alternatives.is_empty() {
            continue;
        }
        out.push(Suggestion {
            word: typed,
            articles: have,
            alternatives: alternatives
                .into_iter()
                .map(|c| Alternative {
                    articles: articles(searcher, fields, &c.term),
                    word: c
                        .shown
                        .or_else(|| {
                            let docs = c.at.iter().copied().chain(
                                docs_holding(searcher, last, &c.term)
                                    .into_iter()
                                    .filter(|d| !c.at.contains(d)),
                            );
                            most_written(searcher, body, docs, &c.term)
                        })
                        .unwrap_or(c.term),
                    distance: c.distance,
                })
                .collect(),
        });
    }
    out
}

/// A suggested word while the alternatives are ranked.
struct Candidate {
    /// The index term (normalized).
    term: String,
    /// Sort key: the distance it is ranked by, then 0 for a name of the
    /// entity table (or another spelling of it), 1 for any other word.
    rank: (f32, u8),
    /// Its own weighted distance from the word typed.
    distance: f32,
    /// Articles holding it.
    articles: u64,
    /// How to show it (a table name as the table writes it).
    shown: Option<String>,
    /// An article holding it, read to show it as written.
    at: Vec<DocAddress>,
}

/// The entity table's one-word names within `distance` of the
/// normalized `word` (priced by [`cost`]), each followed by the other
/// one-word spellings of its entity, ranked at the name's distance: a
/// misspelled name is most often a transliterated one (ترنب for ترمب),
/// and the table knows both ترمب and ترامب are Trump. Ranked before
/// other words of the same distance: at one edit a name and a common
/// word (ترنب: ترمب, تجنب) are equally close, and a query is far more
/// often a name.
fn table_names(table: &AliasTable, word: &str, distance: u8) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for entity in &table.entities {
        let spellings: Vec<(&str, String)> = entity
            .names()
            .filter(|n| !n.contains(char::is_whitespace))
            .map(|n| (n, normalize(n)))
            .filter(|(_, key)| key.chars().count() >= 3 && !is_stopword(key))
            .collect();
        let Some(closest) = spellings
            .iter()
            .map(|(_, key)| cost(word, key))
            .min_by(f32::total_cmp)
        else {
            continue;
        };
        if closest > f32::from(distance) || closest == 0.0 {
            continue;
        }
        for (written, key) in spellings {
            if key == word || out.iter().any(|c| c.term == key) {
                continue;
            }
            out.push(Candidate {
                rank: (closest, 0),
                distance: cost(word, &key),
                articles: 0,
                shown: Some(written.to_string()),
                at: Vec::new(),
                term: key,
            });
        }
    }
    out
}

/// The first [`READ_FOR_SPELLING`] articles holding `term` in `field`.
fn docs_holding(searcher: &Searcher, field: Field, term: &str) -> Vec<DocAddress> {
    let term = Term::from_field_text(field, term);
    let mut out = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(Some(info)) = inverted.get_term_info(&term) else {
            continue;
        };
        let room = READ_FOR_SPELLING - out.len();
        out.extend(
            first_docs(&inverted, &info, room)
                .into_iter()
                .map(|d| DocAddress::new(ord as u32, d)),
        );
        if out.len() >= READ_FOR_SPELLING {
            break;
        }
    }
    out
}

/// The first `n` documents of a term's postings.
fn first_docs(
    inverted: &tantivy::InvertedIndexReader,
    info: &tantivy::postings::TermInfo,
    n: usize,
) -> Vec<tantivy::DocId> {
    use tantivy::DocSet;
    let Ok(mut postings) =
        inverted.read_postings_from_terminfo(info, tantivy::schema::IndexRecordOption::Basic)
    else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(n);
    let mut doc = postings.doc();
    while doc != tantivy::TERMINATED && out.len() < n {
        out.push(doc);
        doc = postings.advance();
    }
    out
}

/// The spelling of `term` most articles among `docs` write (the first
/// spelling met wins a tie): which articles are read first depends on the
/// order indexing threads wrote them, so one article must not decide
/// (the sample corpus writes الحكومة 7 times and الحكومه twice).
fn most_written(
    searcher: &Searcher,
    body: Field,
    docs: impl Iterator<Item = DocAddress>,
    term: &str,
) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for at in docs {
        if let Some(w) = written_in(searcher, body, at, term) {
            match counts.iter_mut().find(|(x, _)| *x == w) {
                Some((_, n)) => *n += 1,
                None => counts.push((w, 1)),
            }
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(w, _)| w)
}

/// The first word of the stored `body` of the article at `at` that
/// normalizes to `term`, without diacritics or tatweel; failing that, the
/// first word whose proclitic reading is `term` (والحكومة, للحكومة for
/// الحكومه), without its proclitics. An article holds a term through
/// either, and which article is read first depends on the order indexing
/// threads wrote them, so both must give the word as written.
fn written_in(searcher: &Searcher, body: Field, at: DocAddress, term: &str) -> Option<String> {
    let doc: StoredDoc = searcher.doc(at).ok()?;
    let is_mark =
        |c: char| ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0640}' || c == '\u{0670}';
    let text = doc.text(body);
    let words = || text.split(|c: char| !(c.is_alphabetic() || is_mark(c)));
    let plain = |w: &str| -> String { w.chars().filter(|c| !is_mark(*c)).collect() };
    if let Some(w) = words().find(|w| normalize(w) == term) {
        return Some(plain(w));
    }
    words().find_map(|w| without_proclitics(&plain(w), term))
}

/// `word` without one or two proclitic letters (و ف ب ك ل) when what is
/// left normalizes to `term`; a لل… word read as ال… (للحكومة → الحكومة).
fn without_proclitics(word: &str, term: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    (1..=2.min(chars.len().saturating_sub(1))).find_map(|k| {
        if !chars[..k].iter().all(|c| "وفبكل".contains(*c)) {
            return None;
        }
        let rest: String = chars[k..].iter().collect();
        if normalize(&rest) == term {
            return Some(rest);
        }
        let with_article = format!("ا{rest}");
        (rest.starts_with('ل') && normalize(&with_article) == term).then_some(with_article)
    })
}

/// The query with each suggested word replaced by its best alternative,
/// when there is any suggestion.
pub fn did_you_mean(query: &str, suggestions: &[Suggestion]) -> Option<String> {
    if suggestions.is_empty() {
        return None;
    }
    let mut q = query.to_string();
    for s in suggestions {
        if let Some(best) = s.alternatives.first() {
            q = q.replacen(&s.word, &best.word, 1);
        }
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proclitics_are_taken_off_a_word_shown() {
        // (written, term, shown)
        let cases = [
            ("والحكومة", "الحكومه", Some("الحكومة")),
            ("للحكومة", "الحكومه", Some("الحكومة")),
            ("وللحكومة", "الحكومه", Some("الحكومة")),
            ("بالرياض", "الرياض", Some("الرياض")),
            ("الحكومة", "الحكومه", None),
            ("مالحكومة", "الحكومه", None),
            ("و", "و", None),
        ];
        for (written, term, shown) in cases {
            assert_eq!(
                without_proclitics(written, term).as_deref(),
                shown,
                "{written}"
            );
        }
    }

    #[test]
    fn confusions_cost_half_an_edit() {
        // (typed, candidate, cost)
        let cases = [
            ("الرياض", "الرياض", 0.0),
            ("الرياظ", "الرياض", 0.5),
            ("الزهب", "الذهب", 0.5),
            ("الصين", "السين", 0.5),
            ("الحكومت", "الحكومه", 0.5),
            ("الحكمو", "الحكوم", 1.0),
            ("الحكوم", "الحكومه", 1.0),
            ("مدرس", "مدرسه", 1.0),
            ("بيروت", "بروت", 1.0),
            ("بيروت", "بيروط", 0.5),
            ("بيروت", "بيرطو", 2.0),
            ("طهران", "تهرن", 1.5),
        ];
        for (a, b, want) in cases {
            assert!(
                (cost(a, b) - want).abs() < 1e-6,
                "{a} → {b}: {}",
                cost(a, b)
            );
            assert!((cost(b, a) - want).abs() < 1e-6, "{b} → {a}");
        }
    }

    #[test]
    fn did_you_mean_replaces_only_suggested_words() {
        let s = Suggestion {
            word: "الرياظ".into(),
            articles: 0,
            alternatives: vec![Alternative {
                word: "الرياض".into(),
                articles: 9,
                distance: 0.5,
            }],
        };
        assert_eq!(
            did_you_mean("قمة الرياظ", std::slice::from_ref(&s)).as_deref(),
            Some("قمة الرياض")
        );
        assert_eq!(did_you_mean("قمة", &[]), None);
    }
}
