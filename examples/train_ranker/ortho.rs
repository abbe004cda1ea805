//! An experiment of `train_ranker --ortho` (issue 30, fourth round):
//! orthography as written. An outlet writes its headline and its body
//! alike (hamza forms أ / إ / ا, ى or ي, ة or ه, a foreign name's
//! spelling); the index folds the different spellings into one, so the
//! features cannot see them.
//!
//! The feature, for a query and a candidate: over the query's words
//! whose letters normalization could fold (ا أ إ آ ى ي ة ه ء ؤ ئ) and
//! whose normalized form the candidate's text holds, the mean share of
//! that form's occurrences written there exactly as in the query (only
//! diacritics and tatweel removed on both sides). The candidate's text
//! is its body's first `chars` characters (the whole body for 0).
//! With `share`, the sum is over all the query's such words (a word not
//! found adds 0): the share of the query's written forms found.
//!
//! `--tense` (another signal, in the same slots): a headline tells in the present
//! (يعلن، تكشف، يحذر) what its body tells in the past (أعلن، كشفت،
//! حذر); the light stemmer keeps them apart. The feature: the share of
//! the query's words of four letters or more opening with ي or ت that
//! the candidate's body lacks but holds in a past form (the word without
//! that letter, with ا before it, with ت after it; و or ف before it),
//! in the body's first `chars` characters as well.

use std::collections::{HashMap, HashSet};

use akhbar::analysis::normalize;

/// Letters whose written form normalization folds away (or folds to).
const FOLDABLE: &str = "اأإآٱىيةهءؤئ";

/// The text without diacritics and tatweel.
fn unmarked(text: &str) -> String {
    text.chars()
        .filter(|&c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
        .collect()
}

/// Each article's text as written (unmarked) and normalized.
pub struct Ortho {
    docs: HashMap<String, (String, String)>,
    /// Divide by the query's words (`share`), not by those found.
    share: bool,
    /// Each body's normalized words (and without a leading و or ف), for
    /// `--tense`.
    words: Option<HashMap<String, HashSet<String>>>,
}

/// A query word as written and normalized.
pub struct QueryWord {
    written: String,
    folded: String,
    /// Holds a letter normalization folds.
    foldable: bool,
}

impl Ortho {
    /// Keeps the first `chars` characters (0: all) of each body.
    pub fn new(articles: &[(&str, &str)], chars: usize, share: bool, tense: bool) -> Ortho {
        let words = tense.then(|| {
            articles
                .iter()
                .map(|(id, body)| {
                    let text: String = match chars {
                        0 => body.to_string(),
                        n => body.chars().take(n).collect(),
                    };
                    (id.to_string(), word_set(&normalize(&unmarked(&text))))
                })
                .collect()
        });
        let docs = articles
            .iter()
            .map(|(id, body)| {
                let text: String = if chars == 0 {
                    body.to_string()
                } else {
                    body.chars().take(chars).collect()
                };
                let written = unmarked(&text);
                let folded = normalize(&written);
                (id.to_string(), (written, folded))
            })
            .collect();
        Ortho { docs, share, words }
    }

    /// The query's words of three letters or more.
    pub fn query(words: &[&str]) -> Vec<QueryWord> {
        words
            .iter()
            .map(|w| unmarked(w))
            .filter(|w| w.chars().count() >= 3)
            .map(|written| QueryWord {
                folded: normalize(&written),
                foldable: written.chars().any(|c| FOLDABLE.contains(c)),
                written,
            })
            .collect()
    }

    /// The feature for the candidate `id` (0 when no word is found).
    pub fn feature(&self, query: &[QueryWord], id: &str) -> f32 {
        if let Some(words) = &self.words {
            return tense(query, words.get(id));
        }
        let Some((written, folded)) = self.docs.get(id) else {
            return 0.0;
        };
        let query: Vec<&QueryWord> = query.iter().filter(|w| w.foldable).collect();
        let (mut sum, mut n) = (0f32, 0u32);
        for w in &query {
            let found = folded.matches(w.folded.as_str()).count();
            if found == 0 {
                continue;
            }
            let alike = written.matches(w.written.as_str()).count();
            sum += (alike as f32 / found as f32).min(1.0);
            n += 1;
        }
        let n = if self.share { query.len() as u32 } else { n };
        if n == 0 {
            0.0
        } else {
            sum / n as f32
        }
    }
}

/// A text's words, each also without a leading و or ف.
fn word_set(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if let Some(rest) = w
            .strip_prefix(['و', 'ف'])
            .filter(|r| r.chars().count() >= 3)
        {
            out.insert(rest.to_string());
        }
        out.insert(w.to_string());
    }
    out
}

/// `--tense`: the share of the query's present-tense-looking words found
/// only in a past form.
fn tense(query: &[QueryWord], words: Option<&HashSet<String>>) -> f32 {
    let Some(words) = words else {
        return 0.0;
    };
    let verbs: Vec<&str> = query
        .iter()
        .map(|w| w.folded.as_str())
        .filter(|w| w.chars().count() >= 4 && (w.starts_with('ي') || w.starts_with('ت')))
        .collect();
    let past = |w: &str| {
        let rest = &w[w.char_indices().nth(1).map_or(0, |(i, _)| i)..];
        [
            rest.to_string(),
            format!("ا{rest}"),
            format!("{rest}ت"),
            format!("ا{rest}ت"),
        ]
        .iter()
        .any(|p| words.contains(p))
    };
    let found = verbs
        .iter()
        .filter(|w| !words.contains(**w) && past(w))
        .count();
    found as f32 / verbs.len().max(1) as f32
}
