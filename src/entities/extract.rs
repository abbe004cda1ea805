//! Entities: find the entities a text names.
//!
//! 1. Table names, through clitics and diacritics: the text's words are
//!    read by the exact analyzer, and at each word the longest table name
//!    whose words match the following words' readings wins (leftmost-
//!    longest), so a name inside a longer name (الدول العربية inside
//!    جامعة الدول العربية) is one mention of the longer entity, not of both.
//! 2. New names after trigger words, when no table name starts there:
//!    - people after الرئيس، الملك، الأمير، الشيخ، الجنرال، المشير،
//!      السلطان، وزير…، رئيس الوزراء: skipping up to two adjectives of
//!      origin (الأمريكي) and a portfolio (وزير الخارجية), a first name not
//!      starting with ال, joined to عبد/أبو/بن parts and one family name
//!      starting with ال;
//!    - organisations: حركة، حزب، تنظيم، جبهة، هيئة، قوات، جيش، منظمة plus
//!      the next word and up to two more starting with ال;
//!    - places: مدينة، محافظة plus the next word and up to one more
//!      starting with ال.
//!
//!    New names are keyed by their normalized form; a new name that is in
//!    the table counts as that table entity.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::candidates::CandidateReader;
use super::table::{name_key, AliasTable, EntityType};
use crate::analysis::clitics::is_arabic_word;
use crate::analysis::lexicon::is_stopword;
use crate::analysis::normalized::{NormalizedText, TextNormalizer};
use crate::analysis::words::{consecutive, Word};

/// An entity named in a text, with every mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Its kind.
    pub kind: EntityType,
    /// Its name: the table's canonical name, or the normalized new name.
    pub name: String,
    /// True when it comes from the alias table.
    pub known: bool,
    /// Byte ranges of the mentions.
    pub mentions: Vec<Range<usize>>,
}

/// Finds entity mentions in texts; reuse one per thread.
pub struct Extractor {
    table: Arc<AliasTable>,
    /// Built on the first [`Extractor::extract_normalized`] (searches only
    /// call [`Extractor::extract_words`]).
    reader: Option<CandidateReader>,
    normalizer: TextNormalizer,
}

/// Words after which a person's name follows.
const PERSON_TRIGGERS: &[&str] = &[
    "الرءيس",
    "الملك",
    "الامير",
    "الشيخ",
    "الجنرال",
    "المشير",
    "السلطان",
    "الوزير",
    "وزير",
    "وزيره",
    "الوزيره",
    "رءيس",
];
/// Words that start an organisation's name.
const ORG_TRIGGERS: &[&str] = &[
    "حركه",
    "حزب",
    "تنظيم",
    "جبهه",
    "هيءه",
    "قوات",
    "جيش",
    "منظمه",
];
/// Words after which a place's name follows.
const PLACE_TRIGGERS: &[&str] = &["مدينه", "محافظه"];
/// Every trigger list.
const TRIGGERS: [&[&str]; 3] = [PERSON_TRIGGERS, ORG_TRIGGERS, PLACE_TRIGGERS];
/// Words that are never part of a new name (days, time words, common nouns
/// that follow titles).
const NOT_NAMES: &[&str] = &[
    "السبت",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "اليوم",
    "امس",
    "الماضي",
    "الحالي",
    "السابق",
    "الجديد",
    "الاسبق",
    "الانتقالي",
    "المنتهيه",
    "الحكومه",
    "الدوله",
    "البلاد",
    "الوزراء",
    "المجلس",
    "العام",
    "الاول",
    "الثاني",
    "خلال",
    "الذي",
    "التي",
    "ان",
    "انه",
    "قال",
    "اكد",
    "اعلن",
    "الاسبوع",
    "الشهر",
    "بعد",
    "قبل",
    "عن",
    "مع",
];

impl Extractor {
    /// An extractor for the given table.
    pub fn new(table: Arc<AliasTable>) -> Self {
        Extractor {
            table,
            reader: None,
            normalizer: TextNormalizer::default(),
        }
    }

    /// The alias table in use.
    pub fn table(&self) -> &AliasTable {
        &self.table
    }

    /// Entities named in `texts` (title, body…), each with its mentions
    /// (byte ranges into the text at the same index), most mentioned first.
    pub fn extract(&mut self, texts: &[&str]) -> Vec<(Found, Vec<usize>)> {
        let normalized: Vec<NormalizedText> =
            texts.iter().map(|t| self.normalizer.read(t)).collect();
        let refs: Vec<&NormalizedText> = normalized.iter().collect();
        self.extract_normalized(&refs)
    }

    /// As [`Extractor::extract`], on texts already normalized (index time:
    /// the document builder normalizes each text once for every reader).
    pub fn extract_normalized(&mut self, texts: &[&NormalizedText]) -> Vec<(Found, Vec<usize>)> {
        let table = &self.table;
        let reader = self.reader.get_or_insert_with(|| {
            let triggers = TRIGGERS.iter().flat_map(|list| list.iter().copied());
            CandidateReader::new(Arc::clone(table), triggers)
        });
        let analyzed: Vec<Vec<Word>> = texts.iter().map(|&text| reader.words(text)).collect();
        self.extract_words(&analyzed)
    }

    /// As [`Extractor::extract`], on texts already read as words by the
    /// exact analyzer (`analysis::words::words`).
    pub fn extract_words(&self, texts: &[Vec<Word>]) -> Vec<(Found, Vec<usize>)> {
        let mut found: Vec<(Found, Vec<usize>)> = Vec::new();
        let mut index: HashMap<(EntityType, String), usize> = HashMap::default();
        for (t, words) in texts.iter().enumerate() {
            let words = words.as_slice();
            let mut i = 0;
            while i < words.len() {
                let hit = self
                    .table_match(words, i)
                    .or_else(|| self.trigger_match(words, i));
                let Some((kind, name, known, len)) = hit else {
                    i += 1;
                    continue;
                };
                let range = words[i].range.start..words[i + len - 1].range.end;
                let slot = *index.entry((kind, name.clone())).or_insert_with(|| {
                    found.push((
                        Found {
                            kind,
                            name,
                            known,
                            mentions: Vec::new(),
                        },
                        Vec::new(),
                    ));
                    found.len() - 1
                });
                found[slot].0.mentions.push(range);
                found[slot].1.push(t);
                i += len;
            }
        }
        found.sort_by_key(|f| std::cmp::Reverse(f.0.mentions.len()));
        found
    }

    /// The longest table name starting at word `i`.
    fn table_match(&self, words: &[Word], i: usize) -> Option<(EntityType, String, bool, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for reading in &words[i].readings {
            for (name_words, entity) in self
                .table
                .by_first_word()
                .get(reading)
                .into_iter()
                .flatten()
            {
                let len = name_words.len();
                if best.is_some_and(|(l, _)| l >= len) || i + len > words.len() {
                    continue;
                }
                let run = &words[i..i + len];
                let matches =
                    consecutive(run) && run.iter().zip(name_words).all(|(w, n)| w.reads_as(n));
                if matches {
                    best = Some((len, *entity));
                }
            }
        }
        let (len, entity) = best?;
        let e = &self.table.entities[entity];
        Some((e.kind, e.canonical.clone(), true, len))
    }

    /// A new name after a trigger word at `i` (the trigger is part of an
    /// organisation's name, not of a person's or place's); the length
    /// counts from `i`, trigger included.
    fn trigger_match(&self, words: &[Word], i: usize) -> Option<(EntityType, String, bool, usize)> {
        let first = words[i].readings.iter().find(|r| is_trigger(r))?;
        let (kind, name_start, name_len) = if ORG_TRIGGERS.contains(&first.as_str()) {
            let n = name_words(words, i + 1, 1, 2);
            (EntityType::Organisation, i, if n > 0 { n + 1 } else { 0 })
        } else if PLACE_TRIGGERS.contains(&first.as_str()) {
            (EntityType::Location, i + 1, name_words(words, i + 1, 1, 1))
        } else {
            let start = skip_titles(words, i + 1, first);
            (EntityType::Person, start, person_words(words, start))
        };
        let end = name_start + name_len;
        if name_len == 0 || !consecutive(&words[i..end]) {
            return None;
        }
        if (i + 1..end).any(|j| self.table_match(words, j).is_some()) {
            // A table name follows the trigger (الرئيس دونالد ترامب،
            // منظمة الأمم المتحدة): let it match on its own.
            return None;
        }
        let key = words[name_start..end]
            .iter()
            .map(literal_without_clitics)
            .collect::<Vec<_>>()
            .join(" ");
        match self.table.find(&key) {
            Some(entity) => Some((entity.kind, entity.canonical.clone(), true, end - i)),
            None => Some((kind, name_key(&key), false, end - i)),
        }
    }
}

fn is_trigger(reading: &str) -> bool {
    TRIGGERS.iter().any(|list| list.contains(&reading))
}

/// The reading of a word without proclitics: the shortest reading that
/// still starts the same way as a name would (the literal when no clitic).
fn literal_without_clitics(word: &Word) -> String {
    word.readings
        .iter()
        .find(|r| is_trigger(r))
        .map_or(literal(word), String::as_str)
        .to_string()
}

/// The word as written (normalized); empty for a word read without
/// readings ([`CandidateReader`]'s placeholders).
fn literal(word: &Word) -> &str {
    word.readings.first().map_or("", String::as_str)
}

/// A word that can be part of a new name.
fn name_word(word: &Word) -> bool {
    let literal = literal(word);
    is_arabic_word(literal)
        && literal.chars().count() >= 2
        && !is_stopword(literal)
        && !NOT_NAMES.contains(&literal)
}

/// How many name words follow from `from`: `first` plain words, then up to
/// `more` words starting with ال.
fn name_words(words: &[Word], from: usize, first: usize, more: usize) -> usize {
    let mut n = 0;
    while n < first && words.get(from + n).is_some_and(name_word) {
        n += 1;
    }
    if n == 0 {
        return 0;
    }
    let mut extra = 0;
    while extra < more
        && words
            .get(from + n + extra)
            .is_some_and(|w| name_word(w) && literal(w).starts_with("ال"))
    {
        extra += 1;
    }
    n + extra
}

/// Skips adjectives of origin (الأمريكي) and, after وزير/رئيس, the
/// portfolio word(s) (الخارجية، الوزراء).
fn skip_titles(words: &[Word], mut at: usize, trigger: &str) -> usize {
    let portfolio = matches!(trigger, "وزير" | "وزيره" | "الوزير" | "الوزيره" | "رءيس");
    let mut skipped = 0;
    while skipped < 2 {
        let Some(w) = words.get(at) else { break };
        let literal = literal(w);
        let adjective =
            literal.starts_with("ال") && (literal.ends_with('ي') || literal.ends_with("يه"));
        let office = portfolio && literal.starts_with("ال");
        if adjective || office {
            at += 1;
            skipped += 1;
        } else {
            break;
        }
    }
    at
}

/// Words of a person's name from `start`: a first name (not starting with
/// ال), compound parts (عبد، ابو، بن), and one family name starting with ال.
fn person_words(words: &[Word], start: usize) -> usize {
    let Some(first) = words.get(start).filter(|w| name_word(w)) else {
        return 0;
    };
    if literal(first).starts_with("ال") {
        return 0;
    }
    let mut n = 1;
    let joins = |w: &Word| matches!(literal(w), "عبد" | "ابو" | "بن" | "ابن");
    if joins(first) && words.get(start + 1).is_some_and(name_word) {
        n += 1;
    }
    while words
        .get(start + n)
        .is_some_and(|w| matches!(literal(w), "بن" | "ابن"))
        && words.get(start + n + 1).is_some_and(name_word)
    {
        n += 2;
    }
    if words
        .get(start + n)
        .is_some_and(|w| name_word(w) && literal(w).starts_with("ال"))
    {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests;
