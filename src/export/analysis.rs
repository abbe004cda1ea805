//! Export: akhbar's analyzers as an OpenSearch / Elasticsearch analysis
//! chain, generated from akhbar's own code and tables so the two cannot
//! drift.
//!
//! Every part is a stock component of both engines (no plugin, no
//! script), each one a Lucene class the checker in `tools/lucene-check/`
//! instantiates the same way:
//!
//! | akhbar stage | chain |
//! |---|---|
//! | normalization, per character | `mapping` char filter `akhbar_fold`: one rule per code point that [`fold_char`] changes, found by running `fold_char` over every code point |
//! | tokenizer (UAX #29 words) | `standard` tokenizer, then `keep_types` dropping `<EMOJI>` tokens (akhbar's words need a letter or digit) |
//! | word-final يء → ء | `pattern_replace` `akhbar_final_hamza` |
//! | tokens over 40 characters dropped | `length` `akhbar_length` |
//! | proclitic readings at one position | `pattern_replace` `akhbar_clitic_mark` (the لل… words, whose reading ال… is not a substring, get it appended after a space), then `pattern_capture` `akhbar_readings` (one pattern per way of reading a word, guards and the never-split list as look-aheads), then `unique` at the same position |
//! | stopwords (keyword) | `stop` with akhbar's list, normalized |
//! | light stemmer (keyword) | one `pattern_replace` whose ordered alternatives are akhbar's suffix table (first success wins, as in `stem`), with the never-stem list as a look-ahead |
//! | repeats at one position (keyword) | `unique`, `only_on_same_position` |
//!
//! Departures from the sketch, and why: the never-split names
//! are look-aheads inside the capture patterns rather than a
//! `keyword_marker` step, because `pattern_capture` ignores the keyword
//! flag and the `condition` filter needs a Painless script (which Lucene
//! alone cannot run, and some clusters disable); the stemmer is one
//! regular expression rather than `stemmer_override` lists, because a
//! regular expression states the rule itself (a list would only cover the
//! words of one corpus). Both are stock filters.
//!
//! The mapping char filter runs before the tokenizer (akhbar normalizes
//! after it): a character deleted by normalization but which separates
//! words for UAX #29 (U+200B ZERO WIDTH SPACE) is mapped to a space
//! instead, so the words stay apart; offsets are corrected back to the
//! original text by the char filter.

use serde_json::{json, Map, Value};

use crate::analysis::fold_char;
use crate::analysis::rules::MAX_TOKEN_CHARS;
use crate::analysis::rules::{no_split_words, no_stem_words, stopwords};
use crate::analysis::rules::{
    ARABIC_LETTERS, ARTICLE, CONJUNCTIONS, MIN_AFTER_ARTICLE, MIN_AFTER_LETTER, PREPOSITIONS,
};
use crate::analysis::rules::{INFLECTIONS, KEEP_AN_AFTER, KEEP_YA_AFTER, PRONOUN, PRONOUN_MIN};
use crate::analysis::ArabicTokenizer;

/// Name of the exact analyzer in the exported settings.
pub const EXACT: &str = "akhbar_exact";
/// Name of the keyword (stemmed) analyzer in the exported settings.
pub const KEYWORD: &str = "akhbar_keyword";
/// Name of the phrase search analyzer: the exact analyzer without the
/// readings that only drop the article (as `search::plan` reads phrases).
pub const PHRASE: &str = "akhbar_phrase";

/// Separator between a word and its restored-article reading inside one
/// token between `akhbar_clitic_mark` and `akhbar_readings` (never in a
/// token of the standard tokenizer).
const MARK: char = ' ';

/// One mapping rule of the `akhbar_fold` char filter: a code point and
/// what it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoldRule {
    /// The character as written.
    pub from: char,
    /// Its normalized form (empty: removed; a space: removed, but it
    /// separates words).
    pub to: String,
}

/// Every character normalization changes, with its replacement, in code
/// point order (computed once): the `akhbar_fold` char filter. Characters the tokenizer
/// reads as a word on their own (tatweel) are left out when they fold to
/// nothing: they are removed after the tokenizer ([`token_deletions`]),
/// as akhbar removes them, so a word of tatweels alone still takes its
/// position and a word starting with one keeps its offsets.
pub fn fold_rules() -> &'static [FoldRule] {
    static RULES: std::sync::LazyLock<Vec<FoldRule>> = std::sync::LazyLock::new(compute_fold_rules);
    &RULES
}

fn compute_fold_rules() -> Vec<FoldRule> {
    let mut out = Vec::new();
    let mut folded = String::new();
    for from in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
        folded.clear();
        fold_char(from, &mut folded);
        let unchanged = folded.len() == from.len_utf8() && folded.starts_with(from);
        if unchanged {
            // Pictographs are no words for akhbar; Lucene's tokenizer
            // makes <EMOJI> tokens of them (and of a skin-tone modifier
            // or a flag's letters left alone), and a token removed after
            // the tokenizer would still take a position.
            if !from.is_ascii()
                && !from.is_alphanumeric()
                && (is_pictograph(from) || is_emoji_part(from))
                && !is_word_char(from)
            {
                out.push(FoldRule {
                    from,
                    to: " ".to_string(),
                });
            }
            continue;
        }
        let word = is_word_char(from);
        let to = if folded.is_empty() {
            if word {
                continue;
            }
            if separates_words(from) {
                " ".to_string()
            } else {
                String::new()
            }
        } else if !word && folded.chars().any(char::is_alphanumeric) {
            // a symbol that folds to letters (﷼ → ريال) is no word for
            // akhbar's tokenizer: keep it out of words for Lucene's too
            " ".to_string()
        } else {
            folded.clone()
        };
        out.push(FoldRule { from, to });
    }
    out
}

/// Characters normalization removes that the tokenizer reads as part of a
/// word (and as a word on their own): removed by a token filter.
pub fn token_deletions() -> Vec<char> {
    let mut folded = String::new();
    (0..=0x10FFFF_u32)
        .filter_map(char::from_u32)
        .filter(|&c| {
            folded.clear();
            fold_char(c, &mut folded);
            folded.is_empty() && is_word_char(c)
        })
        .collect()
}

/// The number of words akhbar's tokenizer finds in `text`.
fn word_count(text: &str) -> usize {
    use tantivy::tokenizer::{TokenStream, Tokenizer};
    let mut tokenizer = ArabicTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut n = 0;
    while stream.advance() {
        n += 1;
    }
    n
}

/// True when akhbar's tokenizer reads `c` alone as a word.
fn is_word_char(c: char) -> bool {
    word_count(&c.to_string()) > 0
}

/// True for an Extended_Pictographic character (emoji, ©, ®, ™ …),
/// found through unicode-segmentation's grapheme rules: only such a
/// character joins a following one across a ZERO WIDTH JOINER (GB11),
/// and, unlike a mark, it does not join the character before it.
fn is_pictograph(c: char) -> bool {
    use unicode_segmentation::UnicodeSegmentation;
    format!("{c}\u{200D}{c}").graphemes(true).count() == 1
        && format!("a{c}").graphemes(true).count() == 2
}

/// True for an emoji modifier (skin tones, U+1F3FB–U+1F3FF) or a
/// regional indicator (the letters of flags, U+1F1E6–U+1F1FF): no
/// pictographs, but Lucene's tokenizer makes `<EMOJI>` tokens of them.
fn is_emoji_part(c: char) -> bool {
    matches!(c, '\u{1F3FB}'..='\u{1F3FF}' | '\u{1F1E6}'..='\u{1F1FF}')
}

/// True when akhbar's tokenizer splits two letters around `c`.
fn separates_words(c: char) -> bool {
    word_count(&format!("ب{c}ب")) > 1
}

/// A string as the mapping char filter's rule syntax writes it: every
/// character as `\uXXXX` (UTF-16 units), so invisible characters and
/// white space survive the rule parser's trimming.
fn escaped(text: &str) -> String {
    let mut out = String::new();
    for unit in text.encode_utf16() {
        out.push_str(&format!("\\u{unit:04X}"));
    }
    out
}

/// Characters as a regular expression class body, `\\uXXXX` each.
fn escaped_class(chars: &[char]) -> String {
    chars.iter().map(|c| escaped(&c.to_string())).collect()
}

/// The rules of the `akhbar_fold` mapping char filter.
pub fn mapping_rules() -> Vec<String> {
    fold_rules()
        .iter()
        .map(|r| format!("{} => {}", escaped(&r.from.to_string()), escaped(&r.to)))
        .collect()
}

/// `[\u0621-\u064A]`: the letters splitting and stemming consider.
fn letters() -> String {
    format!(
        "[\\u{:04X}-\\u{:04X}]",
        ARABIC_LETTERS.0 as u32, ARABIC_LETTERS.1 as u32
    )
}

/// A character class of the given letters.
fn class(chars: &[char]) -> String {
    format!("[{}]", chars.iter().collect::<String>())
}

/// An alternation of the never-split words (single Arabic words only: a
/// token never holds a space).
fn no_split_alternation() -> String {
    let words: Vec<&str> = no_split_words()
        .into_iter()
        .filter(|w| crate::analysis::is_arabic_word(w))
        .collect();
    trie_alternation(&words)
}

/// An alternation of `words` (plain letters, no regex syntax) factored by
/// common prefixes: `(?:ا(?:ب|ت)|…)` rather than `(?:اب|ات|…)`, so a
/// Java regex tries a token's letters once instead of every word in turn.
/// The lists sit in look-aheads tried at every token, so this is ingest
/// time in a cluster (measured with `tools/lucene-check --speed`). It
/// matches exactly the same strings; the look-aheads it is used in end
/// with an anchor, so which word matches first is moot.
fn trie_alternation(words: &[&str]) -> String {
    fn build(words: &[Vec<char>], depth: usize, out: &mut String) {
        // words share their first `depth` letters and are sorted
        let mut ends_here = false;
        let mut branches: Vec<(char, Vec<Vec<char>>)> = Vec::new();
        for w in words {
            match w.get(depth) {
                None => ends_here = true,
                Some(&c) => match branches.last_mut() {
                    Some((last, group)) if *last == c => group.push(w.clone()),
                    _ => branches.push((c, vec![w.clone()])),
                },
            }
        }
        if branches.is_empty() {
            return;
        }
        let group = branches.len() > 1 || ends_here;
        if group {
            out.push_str("(?:");
        }
        for (i, (c, sub)) in branches.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            out.push(*c);
            build(sub, depth + 1, out);
        }
        if group {
            out.push(')');
            if ends_here {
                out.push('?');
            }
        }
    }
    let mut sorted: Vec<Vec<char>> = words.iter().map(|w| w.chars().collect()).collect();
    sorted.sort();
    sorted.dedup();
    let mut out = String::from("(?:");
    build(&sorted, 0, &mut out);
    out.push(')');
    out
}

/// Which readings a capture pattern set produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Readings {
    /// Every reading (index and keyword analysis).
    All,
    /// Without the readings that only drop the article (phrases).
    Phrase,
}

/// The `pattern_replace` step appending the restored-article reading of
/// a لل… word after [`MARK`]: `[وف]?[بكل]ل…` read as ل + ال….
fn clitic_mark_pattern() -> String {
    let l = letters();
    let ns = no_split_alternation();
    let guard = format!("(?!{ns}$)");
    let conj = class(&CONJUNCTIONS);
    let prep = class(&PREPOSITIONS);
    let lam = 'ل';
    let min = MIN_AFTER_ARTICLE;
    // With a conjunction: no split of the word, of the word after the
    // conjunction, of the word after the preposition.
    let with_conj = format!("{guard}{conj}{guard}{prep}{guard}{lam}({l}{{{min},}})");
    let without = format!("{guard}{prep}{guard}{lam}({l}{{{min},}})");
    format!("^(?:{with_conj}|{without})$")
}

/// The replacement of [`clitic_mark_pattern`].
fn clitic_mark_replacement() -> String {
    format!("$0{MARK}{ARTICLE}$1$2")
}

/// The `pattern_capture` patterns producing the readings of a word (or of
/// a word and its restored-article reading after [`MARK`]), the word
/// itself first. Each follows one path of `clitics::proclitic_readings`.
fn reading_patterns(which: Readings) -> Vec<String> {
    let l = letters();
    let ns = no_split_alternation();
    let end = format!("(?:{MARK}|$)");
    let g = format!("(?!{ns}{end})");
    let conj = class(&CONJUNCTIONS);
    let prep = class(&PREPOSITIONS);
    let art = ARTICLE;
    let one = MIN_AFTER_LETTER;
    let two = MIN_AFTER_ARTICLE;
    let all = which == Readings::All;
    let mut out = vec![format!("^([^{MARK}]+)")];
    // و/ف + rest
    out.push(format!("^{g}{conj}({l}{{{one},}}){end}"));
    // و/ف + ب/ك/ل + rest
    out.push(format!("^{g}{conj}{g}{prep}({l}{{{one},}}){end}"));
    if all {
        // و/ف + ب/ك/ل + ال + rest
        out.push(format!("^{g}{conj}{g}{prep}{g}{art}({l}{{{two},}}){end}"));
        // و/ف + ال + rest
        out.push(format!("^{g}{conj}{g}{art}({l}{{{two},}}){end}"));
    }
    // ب/ك/ل + rest
    out.push(format!("^{g}{prep}({l}{{{one},}}){end}"));
    if all {
        // ب/ك/ل + ال + rest
        out.push(format!("^{g}{prep}{g}{art}({l}{{{two},}}){end}"));
        // ال + rest
        out.push(format!("^{g}{art}({l}{{{two},}}){end}"));
    }
    // the restored-article reading of a لل… word
    out.push(format!("{MARK}({l}+)$"));
    if all {
        // … and without its article, unless ال… is never split
        out.push(format!("{MARK}(?!{ns}$){art}({l}+)$"));
    }
    out
}

/// The light stemmer as one regular expression: the pronoun ها when
/// enough letters remain, then the first inflection of akhbar's table
/// that applies; never-stem words and non-Arabic words unchanged.
fn stem_pattern() -> (String, String) {
    let l = letters();
    let no_stem = trie_alternation(&no_stem_words());
    let alternatives = || -> Vec<String> {
        INFLECTIONS
            .iter()
            .map(|(suffix, min)| {
                let keep = if *suffix == "ان" {
                    format!("(?<!{KEEP_AN_AFTER})")
                } else if suffix.starts_with('ي') {
                    format!("(?<!{KEEP_YA_AFTER})")
                } else {
                    String::new()
                };
                format!("({l}{{{min},}}{keep}){suffix}")
            })
            .collect()
    };
    let with_pronoun = alternatives();
    let without = alternatives();
    let groups = with_pronoun.len() * 2 + 1;
    let pattern = format!(
        "^(?!{no_stem}$)(?:(?={l}{{{PRONOUN_MIN},}}{PRONOUN}$)(?:{}|({l}+)){PRONOUN}|(?!{l}{{{PRONOUN_MIN},}}{PRONOUN}$)(?:{}))$",
        with_pronoun.join("|"),
        without.join("|"),
    );
    let replacement = (1..=groups).map(|g| format!("${g}")).collect::<String>();
    (pattern, replacement)
}

/// The `analysis` object of the index settings: char filter, filters and
/// the three analyzers.
pub fn analysis_settings() -> Value {
    let (stem, stem_replacement) = stem_pattern();
    let filters = json!({
        "akhbar_no_emoji": {
            "type": "keep_types", "types": ["<EMOJI>"], "mode": "exclude"
        },
        "akhbar_token_deletions": {
            "type": "pattern_replace",
            "pattern": format!("[{}]", escaped_class(&token_deletions())),
            "replacement": ""
        },
        "akhbar_final_hamza": {
            "type": "pattern_replace", "pattern": "^(.+)يء$", "replacement": "$1ء"
        },
        "akhbar_length": {
            "type": "length", "min": 1, "max": MAX_TOKEN_CHARS
        },
        "akhbar_clitic_mark": {
            "type": "pattern_replace",
            "pattern": clitic_mark_pattern(),
            "replacement": clitic_mark_replacement()
        },
        "akhbar_readings": {
            "type": "pattern_capture",
            "preserve_original": false,
            "patterns": reading_patterns(Readings::All)
        },
        "akhbar_phrase_readings": {
            "type": "pattern_capture",
            "preserve_original": false,
            "patterns": reading_patterns(Readings::Phrase)
        },
        "akhbar_same_position": {
            "type": "unique", "only_on_same_position": true
        },
        "akhbar_stop": {
            "type": "stop", "stopwords": stopwords(), "ignore_case": false
        },
        "akhbar_stem": {
            "type": "pattern_replace", "pattern": stem, "replacement": stem_replacement
        }
    });
    let front = [
        "akhbar_no_emoji",
        "akhbar_token_deletions",
        "akhbar_final_hamza",
        "akhbar_length",
    ];
    let chain = |rest: &[&str]| -> Value {
        let names: Vec<&str> = front.iter().chain(rest).copied().collect();
        json!({
            "type": "custom",
            "char_filter": ["akhbar_fold"],
            "tokenizer": "standard",
            "filter": names
        })
    };
    let mut analyzers = Map::new();
    analyzers.insert(
        EXACT.to_string(),
        chain(&[
            "akhbar_clitic_mark",
            "akhbar_readings",
            "akhbar_same_position",
        ]),
    );
    analyzers.insert(
        PHRASE.to_string(),
        chain(&[
            "akhbar_clitic_mark",
            "akhbar_phrase_readings",
            "akhbar_same_position",
        ]),
    );
    analyzers.insert(
        KEYWORD.to_string(),
        chain(&[
            "akhbar_clitic_mark",
            "akhbar_readings",
            "akhbar_stop",
            "akhbar_stem",
            "akhbar_same_position",
        ]),
    );
    json!({
        "char_filter": {
            "akhbar_fold": { "type": "mapping", "mappings": mapping_rules() }
        },
        "filter": filters,
        "analyzer": analyzers
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters and what the exported char filter must map them to.
    const RULES: &[(char, &str)] = &[
        ('\u{064E}', ""),
        ('\u{0670}', ""),
        ('\u{200C}', ""),
        ('\u{200B}', " "),
        ('أ', "ا"),
        ('إ', "ا"),
        ('آ', "ا"),
        ('ٱ', "ا"),
        ('ى', "ي"),
        ('ی', "ي"),
        ('ة', "ه"),
        ('ؤ', "ء"),
        ('ئ', "ء"),
        ('ک', "ك"),
        ('٣', "3"),
        ('۳', "3"),
        ('ﻻ', "لا"),
        ('ﷲ', "الله"),
        ('É', "e"),
        ('ß', "ss"),
        ('Q', "q"),
    ];

    #[test]
    fn every_normalization_rule_is_a_mapping() {
        let rules = fold_rules();
        for (from, to) in RULES {
            let rule = rules.iter().find(|r| r.from == *from);
            assert_eq!(
                rule.map(|r| r.to.as_str()),
                Some(*to),
                "rule for U+{:04X}",
                *from as u32
            );
        }
        // and no rule for what normalization leaves alone
        for c in ['ا', 'ب', 'ي', 'ه', 'ء', 'a', '1', ' '] {
            assert!(!rules.iter().any(|r| r.from == c), "{c:?} must not map");
        }
    }

    #[test]
    fn tatweel_is_removed_after_the_tokenizer() {
        let deletions = token_deletions();
        assert!(deletions.contains(&'\u{0640}'), "{deletions:?}");
        assert!(
            !deletions.contains(&'\u{064E}'),
            "marks go in the char filter"
        );
        assert!(!fold_rules().iter().any(|r| r.from == '\u{0640}'));
        let rules = fold_rules();
        for symbol in ['\u{FDFC}', '®', '©', '😀', '\u{2764}'] {
            let rule = rules.iter().find(|r| r.from == symbol);
            assert_eq!(rule.map(|r| r.to.as_str()), Some(" "), "{symbol}");
        }
        assert!(is_pictograph('😀') && !is_pictograph('a') && !is_pictograph('\u{064E}'));
        // a thumb with a skin tone, a flag: every part becomes a space
        for c in ['👍', '\u{1F3FB}', '\u{1F1F8}', '\u{1F1E6}'] {
            assert!(
                fold_rules().iter().any(|r| r.from == c && r.to == " "),
                "{c:?}"
            );
        }
    }

    #[test]
    fn mappings_are_exactly_the_folded_characters() {
        // Every rule reproduces fold_char (a space only where the deleted
        // character separates words).
        for rule in fold_rules() {
            let mut folded = String::new();
            fold_char(rule.from, &mut folded);
            if rule.to == " " {
                assert!(!is_word_char(rule.from) || folded.is_empty());
            } else {
                assert_eq!(rule.to, folded);
            }
        }
    }

    #[test]
    fn rules_are_escaped() {
        let rules = mapping_rules();
        assert!(rules.contains(&"\\u0623 => \\u0627".to_string()));
        assert!(rules.contains(&"\\u064E => ".to_string()));
        assert!(rules.iter().all(|r| r.is_ascii()));
    }

    #[test]
    fn lexicon_lists_are_in_the_chain() {
        let settings = analysis_settings();
        let text = settings.to_string();
        // each list as one alternation, which matches exactly its words
        // (trie_alternation_matches_exactly_the_words)
        let no_split: Vec<&str> = no_split_words()
            .into_iter()
            .filter(|w| crate::analysis::is_arabic_word(w))
            .collect();
        assert!(no_split.len() > 10);
        assert!(text.contains(&trie_alternation(&no_split)), "never-split");
        assert!(
            text.contains(&trie_alternation(&no_stem_words())),
            "never-stem"
        );
        let stop = &settings["filter"]["akhbar_stop"]["stopwords"];
        assert_eq!(stop.as_array().map(Vec::len), Some(stopwords().len()));
        for (suffix, _) in INFLECTIONS {
            assert!(
                settings["filter"]["akhbar_stem"]["pattern"]
                    .as_str()
                    .is_some_and(|p| p.contains(&format!("}}){suffix}"))
                        || p.contains(&format!(")){suffix}"))),
                "suffix {suffix}"
            );
        }
    }

    #[test]
    fn analyzers_name_defined_parts() {
        let settings = analysis_settings();
        for name in [EXACT, KEYWORD, PHRASE] {
            let analyzer = &settings["analyzer"][name];
            for f in analyzer["filter"].as_array().expect("filters") {
                let f = f.as_str().expect("name");
                assert!(settings["filter"].get(f).is_some(), "{name}: {f}");
            }
            for c in analyzer["char_filter"].as_array().expect("char filters") {
                let c = c.as_str().expect("name");
                assert!(settings["char_filter"].get(c).is_some(), "{name}: {c}");
            }
        }
    }

    #[test]
    fn trie_alternation_matches_exactly_the_words() {
        let words = ["ابن", "اب", "ابو", "بيت", "ب", "ابن"];
        assert_eq!(trie_alternation(&words), "(?:(?:اب(?:ن|و)?|ب(?:يت)?))");
        // the real lists: every word matches, and no word one letter
        // shorter or longer unless it is on the list too
        for list in [no_split_words(), no_stem_words(), stopwords()] {
            let re =
                regex::Regex::new(&format!("^{}$", trie_alternation(&list))).expect("valid regex");
            let set: std::collections::HashSet<&str> = list.iter().copied().collect();
            for w in &list {
                assert!(re.is_match(w), "{w}");
                let mut shorter = w.chars();
                shorter.next_back();
                let shorter = shorter.as_str();
                assert_eq!(re.is_match(shorter), set.contains(shorter), "{shorter}");
                for longer in [format!("{w}ة"), format!("و{w}")] {
                    assert_eq!(
                        re.is_match(&longer),
                        set.contains(longer.as_str()),
                        "{longer}"
                    );
                }
            }
        }
    }

    #[test]
    fn stem_replacement_names_every_group() {
        let (pattern, replacement) = stem_pattern();
        let groups = pattern.matches('(').count()
            - pattern.matches("(?").count()
            - pattern.matches("\\(").count();
        assert_eq!(replacement.matches('$').count(), groups);
    }
}
