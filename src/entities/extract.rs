//! Entities: find the entities a text names.
//!
//! 1. **Table names**, through clitics and diacritics: the text's words are
//!    read by the exact analyzer, and at each word the longest table name
//!    whose words match the following words' readings wins (leftmost-
//!    longest), so a name inside a longer name (الدول العربية inside
//!    جامعة الدول العربية) is one mention of the longer entity, not of both.
//!    A match must also agree with what the writer wrote
//!    ([`super::written::compatible`]): the name علي is not the word على,
//!    بان (Ban) is not بأن.
//! 2. **Names that are also common words** ([`lexicon::is_ambiguous_name`]:
//!    حماس, المملكة …) count only with context: a trigger word just before
//!    (الرئيس، حركة، مدينة …), or another, unambiguous name of the same
//!    entity in the same article (السعودية before المملكة). Otherwise the
//!    entity is *weak* ([`Found::weak`]): not listed among the article's
//!    entities, found by `--entity` after the confident articles.
//! 3. **New names after trigger words**, when no table name starts there,
//!    precision first: every word of a new name must be able to be a name
//!    ([`lexicon`]: not a common noun, adjective, verb or function word,
//!    not an adjective of relation such as الإرهابي). The rules:
//!    - people after الرئيس، الملك، الأمير، الشيخ، الجنرال، المشير،
//!      السلطان، وزير…، رئيس: skipping up to two adjectives of origin
//!      (الأمريكي) and, after وزير/رئيس, a portfolio (وزير الخارجية); a
//!      first name not starting with ال, joined to عبد/أبو/بن/آل parts, and
//!      up to two more name words (one family name with ال ends it). A
//!      first name alone (محمد, فيصل) is no name: which one?;
//!    - organisations: حركة، حزب، تنظيم، جبهة، هيئة، منظمة، جماعة plus one
//!      to three name words (قوات and جيش are no longer triggers: قوات
//!      الأمن, الجيش الوطني are descriptions; the forces that are entities
//!      are in the table);
//!    - places: مدينة، محافظة، بلدة، قرية، ولاية plus one or two name
//!      words.
//!
//!    New names are keyed by their normalized form and shown as written
//!    (the article's most frequent spelling, [`Found::display`]); a new
//!    name that is in the table counts as that table entity.
//!
//! For measuring what each rule costs, `AKHBAR_ENTITY_RULES` can switch
//! rules off (`-written`: homograph checks, `-context`: names that are
//! also common words count without context, `-lexicon`: the word lists
//! of [`lexicon`]), e.g. `AKHBAR_ENTITY_RULES=-written,-context`; it is an
//! evaluation switch (`examples/entities_eval.rs`), not a setting.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::candidates::CandidateReader;
use super::lexicon::{is_ambiguous_name, is_common, is_given_name, is_nisba};
use super::table::{name_key, AliasTable, EntityType};
use super::written::{clean, compatible, is_function_word, surface};
use crate::analysis::is_arabic_word;
use crate::analysis::is_stopword;
use crate::analysis::{consecutive, Word};
use crate::analysis::{NormalizedText, TextNormalizer};

/// An entity named in a text, with every mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Its kind.
    pub kind: EntityType,
    /// Its key: the table's canonical name, or the normalized new name
    /// (for matching and facets, not for display).
    pub name: String,
    /// Its name as shown: the canonical name, or the spelling the texts
    /// use most for a new name.
    pub display: String,
    /// True when it comes from the alias table.
    pub known: bool,
    /// True when every mention is a name that is also a common word,
    /// without context (see the module documentation).
    pub weak: bool,
    /// Byte ranges of the mentions.
    pub mentions: Vec<Range<usize>>,
    /// The spellings of a new name with their mention counts, most used
    /// first (empty for table entities).
    pub forms: Vec<(String, usize)>,
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
const ORG_TRIGGERS: &[&str] = &["حركه", "حزب", "تنظيم", "جبهه", "هيءه", "منظمه", "جماعه"];
/// Words after which a place's name follows.
const PLACE_TRIGGERS: &[&str] = &["مدينه", "محافظه", "بلده", "قريه", "ولايه"];
/// Every trigger list.
const TRIGGERS: [&[&str]; 3] = [PERSON_TRIGGERS, ORG_TRIGGERS, PLACE_TRIGGERS];

/// Which rules are on (all, unless `AKHBAR_ENTITY_RULES` switches some
/// off; see the module documentation).
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// Table names must agree with what the writer wrote.
    pub written: bool,
    /// Names that are also common words need context.
    pub context: bool,
    /// New names avoid the common words of [`lexicon`].
    pub lexicon: bool,
}

/// The rules in force for this process.
pub fn rules() -> Rules {
    static RULES: std::sync::LazyLock<Rules> = std::sync::LazyLock::new(|| {
        let off = std::env::var("AKHBAR_ENTITY_RULES").unwrap_or_default();
        let on = |name: &str| !off.split(',').any(|r| r.trim() == format!("-{name}"));
        Rules {
            written: on("written"),
            context: on("context"),
            lexicon: on("lexicon"),
        }
    });
    *RULES
}

/// A name found at a position: what, and how many words from there.
struct Match {
    kind: EntityType,
    key: String,
    known: bool,
    /// Words covered, trigger included.
    len: usize,
    /// The name as written (new names only).
    form: Option<String>,
    /// A name that is also a common word, without context.
    ambiguous: bool,
}

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
        let pairs: Vec<(&str, &NormalizedText)> =
            texts.iter().copied().zip(normalized.iter()).collect();
        self.extract_normalized(&pairs)
    }

    /// As [`Extractor::extract`], on texts already normalized (index time:
    /// the document builder normalizes each text once for every reader);
    /// each text comes with its normalized form.
    pub fn extract_normalized(
        &mut self,
        texts: &[(&str, &NormalizedText)],
    ) -> Vec<(Found, Vec<usize>)> {
        let table = &self.table;
        let reader = self.reader.get_or_insert_with(|| {
            let triggers = TRIGGERS.iter().flat_map(|list| list.iter().copied());
            CandidateReader::new(Arc::clone(table), triggers)
        });
        let analyzed: Vec<Vec<Word>> = texts.iter().map(|(_, n)| reader.words(n)).collect();
        let originals: Vec<&str> = texts.iter().map(|(t, _)| *t).collect();
        self.extract_words(&originals, &analyzed)
    }

    /// As [`Extractor::extract`], on texts already read as words by the
    /// exact analyzer (`analysis::words::words`); `words[i]` are the words
    /// of `texts[i]`.
    pub fn extract_words(&self, texts: &[&str], words: &[Vec<Word>]) -> Vec<(Found, Vec<usize>)> {
        let mut found: Vec<(Found, Vec<usize>)> = Vec::new();
        let mut confident: Vec<bool> = Vec::new();
        let mut index: HashMap<(EntityType, String), usize> = HashMap::default();
        for (t, words) in words.iter().enumerate() {
            let text = texts.get(t).copied().unwrap_or_default();
            let words = words.as_slice();
            let mut i = 0;
            // words before this index are part of a name already found
            let mut covered = 0;
            while i < words.len() {
                let hit = self
                    .table_match(text, words, i)
                    .or_else(|| self.trigger_match(text, words, i));
                let Some(m) = hit.filter(|m| !self.another_person(words, i, covered, m)) else {
                    i += 1;
                    continue;
                };
                let range = words[i].range.start..words[i + m.len - 1].range.end;
                let slot = *index.entry((m.kind, m.key.clone())).or_insert_with(|| {
                    let display = if m.known {
                        m.key.clone()
                    } else {
                        String::new()
                    };
                    found.push((
                        Found {
                            kind: m.kind,
                            name: m.key,
                            display,
                            known: m.known,
                            weak: false,
                            mentions: Vec::new(),
                            forms: Vec::new(),
                        },
                        Vec::new(),
                    ));
                    confident.push(false);
                    found.len() - 1
                });
                let (entity, texts_of) = &mut found[slot];
                entity.mentions.push(range);
                texts_of.push(t);
                confident[slot] |= !m.ambiguous;
                if let Some(form) = m.form {
                    match entity.forms.iter_mut().find(|(f, _)| *f == form) {
                        Some((_, n)) => *n += 1,
                        None => entity.forms.push((form, 1)),
                    }
                }
                i += m.len;
                covered = i;
            }
        }
        for ((entity, _), sure) in found.iter_mut().zip(confident) {
            entity.weak = !sure;
            // most used first; the first seen wins a tie (stable sort)
            entity.forms.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
            if let Some((form, _)) = entity.forms.first() {
                entity.display = form.clone();
            }
        }
        found.sort_by_key(|f| std::cmp::Reverse(f.0.mentions.len()));
        found
    }

    /// The longest table name starting at word `i` that agrees with what
    /// the writer wrote.
    fn table_match(&self, text: &str, words: &[Word], i: usize) -> Option<Match> {
        let mut best: Option<(usize, usize, &str)> = None;
        for reading in &words[i].readings {
            for (name_words, entity) in self
                .table
                .by_first_word()
                .get(reading)
                .into_iter()
                .flatten()
            {
                let len = name_words.len();
                if best.is_some_and(|(l, _, _)| l >= len) || i + len > words.len() {
                    continue;
                }
                let run = &words[i..i + len];
                let matches = consecutive(run)
                    && run.iter().zip(name_words).all(|(w, n)| w.reads_as(n))
                    && (!rules().written || self.written_agrees(text, run, name_words));
                if matches {
                    best = Some((len, *entity, name_words[0].as_str()));
                }
            }
        }
        let (len, entity, first) = best?;
        let e = &self.table.entities[entity];
        let ambiguous =
            rules().context && len == 1 && is_ambiguous_name(first) && !after_trigger(words, i);
        Some(Match {
            kind: e.kind,
            key: e.canonical.clone(),
            known: true,
            len,
            form: None,
            ambiguous,
        })
    }

    /// True when a person of the table is named by part of their name
    /// right after a first name that is not theirs: إبراهيم نصر الله is not
    /// حسن نصر الله (a word already part of another name does not count).
    fn another_person(&self, words: &[Word], i: usize, covered: usize, m: &Match) -> bool {
        if !m.known || m.kind != EntityType::Person || i == 0 || covered >= i {
            return false;
        }
        let before = &words[i - 1];
        if !consecutive(&words[i - 1..=i]) || !rules().lexicon {
            return false;
        }
        let own: Vec<String> = name_key(&m.key).split(' ').map(str::to_string).collect();
        before
            .readings
            .first()
            .is_some_and(|w| is_given_name(w) && !own.contains(w))
    }

    /// True when the words of `run`, as written, can be the table name
    /// `name_words` in one of the table's spellings.
    fn written_agrees(&self, text: &str, run: &[Word], name_words: &[String]) -> bool {
        let key = name_words.join(" ");
        let spellings = self.table.spellings(&key);
        if spellings.is_empty() {
            return true;
        }
        let written: Vec<String> = run
            .iter()
            .zip(name_words)
            .map(|(w, n)| written_reading(text, w, n))
            .collect();
        spellings.iter().any(|spelling| {
            spelling.len() != written.len()
                || written.iter().zip(spelling).all(|(t, n)| compatible(t, n))
        })
    }

    /// A new name after a trigger word at `i` (the trigger is part of an
    /// organisation's name, not of a person's or place's).
    fn trigger_match(&self, text: &str, words: &[Word], i: usize) -> Option<Match> {
        let trigger = words[i].readings.iter().find(|r| is_trigger(r))?;
        // «الحركة منفتحة»: after a trigger with the article, a word without
        // it is a predicate, not a name
        let definite = words[i].reads_as(&format!("ال{trigger}"));
        let (kind, name_start, name_len) = if ORG_TRIGGERS.contains(&trigger.as_str()) {
            let n = org_words(text, words, i + 1, definite);
            (EntityType::Organisation, i, if n > 0 { n + 1 } else { 0 })
        } else if PLACE_TRIGGERS.contains(&trigger.as_str()) {
            (
                EntityType::Location,
                i + 1,
                place_words(text, words, i + 1, definite),
            )
        } else {
            let start = skip_titles(words, i + 1, trigger);
            (EntityType::Person, start, person_words(text, words, start))
        };
        let end = name_start + name_len;
        if name_len == 0 || !consecutive(&words[i..end]) {
            return None;
        }
        if (i + 1..end).any(|j| self.table_match(text, words, j).is_some()) {
            // A table name follows the trigger (الرئيس دونالد ترامب،
            // منظمة الأمم المتحدة): let it match on its own.
            return None;
        }
        let name = &words[name_start..end];
        let readings: Vec<&str> = name.iter().map(literal_without_clitics).collect();
        let key = readings.join(" ");
        if let Some(entity) = self.table.find(&key) {
            return Some(Match {
                kind: entity.kind,
                key: entity.canonical.clone(),
                known: true,
                len: end - i,
                form: None,
                ambiguous: false,
            });
        }
        let form = name
            .iter()
            .zip(&readings)
            .map(|(w, r)| written_reading(text, w, r))
            .collect::<Vec<_>>()
            .join(" ");
        Some(Match {
            kind,
            key: name_key(&key),
            known: false,
            len: end - i,
            form: Some(form),
            ambiguous: false,
        })
    }
}

fn is_trigger(reading: &str) -> bool {
    TRIGGERS.iter().any(|list| list.contains(&reading))
}

/// True when the word before `i` is a trigger word (context for a name
/// that is also a common word: الرئيس عون، حركة حماس، مدينة حماة).
fn after_trigger(words: &[Word], i: usize) -> bool {
    i > 0 && consecutive(&words[i - 1..=i]) && words[i - 1].readings.iter().any(|r| is_trigger(r))
}

/// The written form of one reading of a word of `text`.
fn written_reading(text: &str, word: &Word, reading: &str) -> String {
    let original = text.get(word.range.clone()).unwrap_or(reading);
    surface(original, literal(word), reading)
}

/// The reading of a word without proclitics: the trigger reading for a
/// trigger word (والحركة → حركه), else the literal.
fn literal_without_clitics(word: &Word) -> &str {
    word.readings
        .iter()
        .find(|r| is_trigger(r))
        .map_or(literal(word), String::as_str)
}

/// The word as written (normalized); empty for a word read without
/// readings ([`CandidateReader`]'s placeholders).
fn literal(word: &Word) -> &str {
    word.readings.first().map_or("", String::as_str)
}

/// A word that can be (part of) a new name: Arabic, two letters or more,
/// not a trigger, not common in any of its readings (لشركة is ل + شركة),
/// and not, as written, a function word (على).
fn name_word(text: &str, word: &Word) -> bool {
    let literal = literal(word);
    if !is_arabic_word(literal) || literal.chars().count() < 2 {
        return false;
    }
    let written = clean(text.get(word.range.clone()).unwrap_or_default());
    if rules().written && is_function_word(&written) {
        return false;
    }
    let is_common = |w: &str| is_common(w) && (rules().lexicon || is_stopword(w));
    // علي written with ي is the first name, not the preposition على
    let ali = literal == "علي" && written == "علي";
    !word
        .readings
        .iter()
        .any(|r| is_trigger(r) || (is_common(r) && !ali))
}

/// True when the word is read as و + another word (وإصابة): a
/// conjunction, which does not continue a name.
fn conjoined(word: &Word) -> bool {
    literal(word)
        .strip_prefix('و')
        .is_some_and(|rest| word.readings.iter().any(|r| r == rest))
}

/// A name word that is no adjective of relation (الإرهابي, أجنبية).
fn proper_word(text: &str, word: &Word) -> bool {
    name_word(text, word) && !is_nisba(literal(word))
}

/// Words of an organisation's name after its trigger, from `from`: a
/// proper word (with ال after a `definite` trigger), then up to two more
/// (with ال when the first had it; not joined by و: «حركة أحرار الشام
/// وإصابة آخرين» names حركة أحرار الشام). An adjective of relation ends
/// the name even where it belongs to it (جبهة الخلاص الوطني is listed as
/// جبهة الخلاص): most are descriptors (حركة النهضة التونسية).
fn org_words(text: &str, words: &[Word], from: usize, definite: bool) -> usize {
    let Some(first) = words.get(from).filter(|w| proper_word(text, w)) else {
        return 0;
    };
    let article = literal(first).starts_with("ال");
    if definite && !article {
        return 0;
    }
    let mut n = 1;
    while n < 3
        && words.get(from + n).is_some_and(|w| {
            proper_word(text, w) && !conjoined(w) && (!article || literal(w).starts_with("ال"))
        })
    {
        n += 1;
    }
    n
}

/// Words of a place's name after its trigger, from `from`: a proper word
/// (with ال after a `definite` trigger), and one more with ال.
fn place_words(text: &str, words: &[Word], from: usize, definite: bool) -> usize {
    let Some(first) = words.get(from).filter(|w| proper_word(text, w)) else {
        return 0;
    };
    if definite && !literal(first).starts_with("ال") {
        return 0;
    }
    let more = words
        .get(from + 1)
        .is_some_and(|w| proper_word(text, w) && literal(w).starts_with("ال"));
    1 + usize::from(more)
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

/// Words of a person's name from `start`: a first name (no reading of it
/// starting with ال), compound parts (عبد، أبو، بن، آل), and up to two more name words,
/// a family name with ال ending it. A lone first name is none.
fn person_words(text: &str, words: &[Word], start: usize) -> usize {
    let Some(first) = words.get(start).filter(|w| name_word(text, w)) else {
        return 0;
    };
    // والقروية (و + القروية) is a word with the article, no first name
    if first.readings.iter().any(|r| r.starts_with("ال")) {
        return 0;
    }
    let joins = |w: &Word| matches!(literal(w), "عبد" | "ابو" | "بن" | "ابن" | "ال");
    let mut n = 1;
    if joins(first) {
        if !words.get(start + 1).is_some_and(|w| name_word(text, w)) {
            return 0;
        }
        n = 2;
    }
    let mut extra = 0;
    while extra < 2 {
        let Some(w) = words.get(start + n) else { break };
        if joins(w) && words.get(start + n + 1).is_some_and(|x| name_word(text, x)) {
            n += 2;
        } else if name_word(text, w) {
            n += 1;
            if literal(w).starts_with("ال") {
                break;
            }
        } else {
            break;
        }
        extra += 1;
    }
    let single = n == 1;
    let lone = rules().lexicon && is_given_name(literal(first));
    if single && (lone || literal(first).chars().count() < 3) {
        return 0;
    }
    n
}

#[cfg(test)]
mod tests;
