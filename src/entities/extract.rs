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
use super::features::{gap, WordView, SENTENCE_REACH};
use super::lexicon::{is_ambiguous_name, is_given_name, literal};
use super::model::Model;
use super::rules::rules;
use super::senses::{article_words, marks_final_ya, SENSES};
use super::table::{name_key, AliasTable, EntityType};
use super::window::{allowed, decide, is_trigger, span, window, TRIGGERS};
use super::written::{clean, compatible, surface};
use crate::analysis::{consecutive, is_arabic_word, Word};
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
    model: Arc<Model>,
    /// The sense model decides words of several senses (off: the rules
    /// alone, for training).
    senses: bool,
    /// Built on the first [`Extractor::extract_normalized`] (searches only
    /// call [`Extractor::extract_words`]).
    reader: Option<CandidateReader>,
    normalizer: TextNormalizer,
}

/// For each word of [`SENSES`], the class its article decides, if any.
pub(super) type ArticleSenses = Vec<Option<usize>>;

/// A name found at a position: what, and how many words from there.
pub(super) struct Match {
    /// Type of the name.
    pub(super) kind: EntityType,
    key: String,
    known: bool,
    /// Words covered, trigger included.
    pub(super) len: usize,
    /// The name as written (new names only).
    form: Option<String>,
    /// A name that is also a common word, without context.
    ambiguous: bool,
}

impl Extractor {
    /// An extractor for the given table.
    pub fn new(table: Arc<AliasTable>) -> Self {
        Extractor::with_model(table, Model::builtin())
    }

    /// An extractor deciding with `model` instead of the built-in one
    /// (training, evaluation).
    pub fn with_model(table: Arc<AliasTable>, model: Arc<Model>) -> Self {
        Extractor {
            table,
            model,
            senses: true,
            reader: None,
            normalizer: TextNormalizer::default(),
        }
    }

    /// An extractor of the rules alone, no model: a new name is the
    /// longest the rules allow, words of several senses are left to the
    /// rules (training: silver labels must not depend on a previous model;
    /// tests of the rules).
    pub(super) fn rules_only(table: Arc<AliasTable>) -> Self {
        Extractor {
            senses: false,
            ..Extractor::with_model(table, Arc::new(Model::default()))
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
        let article = self.article_senses(texts, words);
        for (t, words) in words.iter().enumerate() {
            let text = texts.get(t).copied().unwrap_or_default();
            let words = words.as_slice();
            let mut i = 0;
            // words before this index are part of a name already found
            let mut covered = 0;
            while i < words.len() {
                let hit = self
                    .table_match(text, words, i, &article)
                    .or_else(|| self.trigger_match(text, words, i, &article));
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

    /// What the article says of each word of [`SENSES`] with several
    /// entities ([`Sense::by_article`]); read only when one of them
    /// appears.
    pub(super) fn article_senses(&self, texts: &[&str], words: &[Vec<Word>]) -> ArticleSenses {
        let mut out = vec![None; SENSES.len()];
        for (s, sense) in SENSES.iter().enumerate() {
            if !words.iter().flatten().any(|w| w.reads_as(sense.form)) {
                continue;
            }
            if sense.form == "علي" {
                // علي with ي is the name where the writer marks ى
                out[s] = marks_ya(texts, words).then_some(0);
                continue;
            }
            if sense.evidence.is_empty() {
                continue;
            }
            let ranges: Vec<Vec<Range<usize>>> = words
                .iter()
                .map(|ws| ws.iter().map(|w| w.range.clone()).collect())
                .collect();
            let read = article_words(texts, &ranges);
            out[s] = sense.by_article(read.iter().map(String::as_str));
        }
        out
    }

    /// The longest table name starting at word `i` that agrees with what
    /// the writer wrote; a one-word name of several senses ([`SENSES`])
    /// as the article or the sense model decides.
    pub(super) fn table_match(
        &self,
        text: &str,
        words: &[Word],
        i: usize,
        article: &ArticleSenses,
    ) -> Option<Match> {
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
        let (len, mut entity, first) = best?;
        if len == 1 && self.kaf_of_a_name(text, words, i, first) {
            return None;
        }
        if len == 1 && rules().model && self.senses {
            if let Some(s) = SENSES.iter().position(|s| s.form == first) {
                entity = self.sense_entity(text, words, i, s, article[s], entity)?;
            }
        }
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

    /// True when the one-word table name `name` was read at word `i`
    /// through ك («like»: كمصر، كالسعودية) and a word the corpus never
    /// showed as common follows it with nothing between: the ك is the
    /// name's own first letter (كلاوس شواب is Klaus, not «like Laos»).
    fn kaf_of_a_name(&self, text: &str, words: &[Word], i: usize, name: &str) -> bool {
        let lit = literal(&words[i]);
        if self.model.is_empty() || !lit.starts_with('ك') || lit == name {
            return false;
        }
        let Some(next) = words.get(i + 1) else {
            return false;
        };
        if !consecutive(&words[i..=i + 1]) || !gap(text, &words[i].range, &next.range).is_empty() {
            return false;
        }
        let view = WordView::of(text, next.range.clone()).with_facts(&self.model);
        view.facts.common == 0
            && !view.is_function()
            && !view.is_number()
            && !view.is_wa_joined()
            && is_arabic_word(&view.literal)
            && view.literal.chars().count() >= 3
    }

    /// The entity a one-word name of several senses names at word `i`
    /// (`found`: the table's entity for the word), or `None` when it is
    /// no name there.
    fn sense_entity(
        &self,
        text: &str,
        words: &[Word],
        i: usize,
        s: usize,
        by_article: Option<usize>,
        found: usize,
    ) -> Option<usize> {
        let sense = &SENSES[s];
        let from = i.saturating_sub(SENTENCE_REACH + 2);
        let to = (i + SENTENCE_REACH + 3).min(words.len());
        let ranges: Vec<Range<usize>> = words[from..to].iter().map(|w| w.range.clone()).collect();
        let class = match by_article {
            Some(c) => c,
            None => sense.decide(
                &self.model,
                text,
                &ranges,
                i - from,
                self.model.sense_threshold(),
            )?,
        };
        Some(
            self.table
                .by_canonical(sense.classes[class])
                .unwrap_or(found),
        )
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
    /// organisation's name, not of a person's or place's): the rules'
    /// window ([`window`]), as long as the span model says.
    fn trigger_match(
        &self,
        text: &str,
        words: &[Word],
        i: usize,
        article: &ArticleSenses,
    ) -> Option<Match> {
        let trigger = words[i].readings.iter().find(|r| is_trigger(r))?;
        // «الحركة منفتحة»: after a trigger with the article, a word without
        // it is a predicate, not a name
        let definite = words[i].reads_as(&format!("ال{trigger}"));
        let starts = |j: usize| self.table_match(text, words, j, article).is_some();
        let w = window(text, words, i, trigger, definite, &starts, false)?;
        let ok = |k: usize| allowed(text, words, &w, k);
        let k = if rules().model && !self.model.is_empty() {
            decide(
                &self.model,
                &span(&self.model, text, words, i, trigger, &w),
                &ok,
            )
        } else {
            (1..=w.len).rev().find(|&k| ok(k)).unwrap_or(0)
        };
        if k == 0 {
            return None;
        }
        if w.kind == EntityType::Person && w.table_after && k == w.len {
            // the name goes on with a table person's name (وزير الخارجية
            // عادل بن أحمد الجبير): that person, the whole of it
            let end = w.start + w.len;
            if let Some(m) = self
                .table_match(text, words, end, article)
                .filter(|m| m.kind == EntityType::Person)
            {
                return Some(Match {
                    len: end + m.len - i,
                    ..m
                });
            }
        }
        let name_start = if w.kind == EntityType::Organisation {
            i
        } else {
            w.start
        };
        let end = w.start + k;
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
            kind: w.kind,
            key: name_key(&key),
            known: false,
            len: end - i,
            form: Some(form),
            ambiguous: false,
        })
    }
}

/// True when a text writes one of the function words of [`WITH_YA`] with
/// ى (read from the written words, so that words read without readings
/// count too).
fn marks_ya(texts: &[&str], words: &[Vec<Word>]) -> bool {
    texts.iter().zip(words).any(|(text, ws)| {
        ws.iter().any(|w| {
            let original = text.get(w.range.clone()).unwrap_or_default();
            // most words have no ى: skip them before cleaning (indexing speed)
            if !original.contains('ى') || !clean(original).ends_with('ى') {
                return false;
            }
            let literal = crate::analysis::normalize(original);
            let mut readings = Vec::new();
            crate::analysis::proclitic_variants(&literal, &mut readings);
            readings
                .iter()
                .any(|r| marks_final_ya(r, &surface(original, &literal, r)))
        })
    })
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

#[cfg(test)]
mod tests;
