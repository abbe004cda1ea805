//! Entities: the words of an article written as a name that is also a
//! function word (علي the name, not على; بان, not بأن), which `--entity`
//! requires for such a name searched as a phrase (the `plain_words` terms).

use std::ops::Range;

use super::extract::Found;
use super::model::Model;
use super::rules::rules;
use super::senses::{marks_final_ya, sense_of};
use super::written::{is_function_word, surface, KEY_FORMS};
use crate::analysis::{NormalizedText, NormalizedWord};

/// The homograph keys that a text writes as something other than the
/// function word (علي the name, not على; بان, not بأن): the `plain_words`
/// terms of an article, which `--entity` requires for a name searched as
/// a phrase. `texts` are the original texts with their normalized forms.
///
/// In an article that never writes على, إلى … with ى (its writer writes
/// ي for ى), علي says nothing by its letters: the sense model
/// (`entities::senses`) decides whether each is the name, from its
/// sentence, unless it is part of a longer table name found there
/// (`found`: the article's entities, as [`super::Extractor::extract_normalized`]
/// gives them): the «علي» of «علي خامنئي» is the name.
pub fn plain_homographs(
    texts: &[(&str, &NormalizedText)],
    found: &[(Found, Vec<usize>)],
) -> Vec<String> {
    // a word inside the mention of a table name of several words, in text t
    let in_table_name = |t: usize, word: &Range<usize>| {
        found.iter().filter(|(f, _)| f.known).any(|(f, text_of)| {
            f.mentions.iter().zip(text_of).any(|(m, &mt)| {
                mt == t && m.start <= word.start && word.end <= m.end && m.len() > word.len()
            })
        })
    };
    let written_of = |original: &str, word: &NormalizedWord, literal: &str, key: &str| {
        original
            .get(word.original.clone())
            .map(|o| surface(o, literal, key))
            .unwrap_or_default()
    };
    // read only when a word the sense model decides is met (most articles
    // write علي as على and never get there): indexing speed
    let marks_ya = || {
        texts.iter().any(|(original, normalized)| {
            normalized.words.iter().any(|w| {
                let literal = normalized.word(w);
                KEY_FORMS
                    .get(literal)
                    .is_some_and(|key| marks_final_ya(key, &written_of(original, w, literal, key)))
            })
        })
    };
    let mut marks: Option<bool> = None;
    let mut out: Vec<String> = Vec::new();
    for (t, (original, normalized)) in texts.iter().enumerate() {
        let mut ranges: Option<Vec<Range<usize>>> = None;
        for (i, word) in normalized.words.iter().enumerate() {
            let literal = normalized.word(word);
            let Some(key) = KEY_FORMS.get(literal) else {
                continue;
            };
            if out.contains(key) {
                continue;
            }
            let written = written_of(original, word, literal, key);
            if is_function_word(&written) || written.chars().count() != key.chars().count() {
                continue;
            }
            let decided = |marks: &mut Option<bool>| {
                !rules().model
                    || in_table_name(t, &word.original)
                    || *marks.get_or_insert_with(marks_ya)
            };
            if let Some(sense) = sense_of(key).filter(|_| !decided(&mut marks)) {
                let ranges = ranges.get_or_insert_with(|| {
                    normalized
                        .words
                        .iter()
                        .map(|w| w.original.clone())
                        .collect()
                });
                let model = Model::builtin();
                if sense
                    .decide(&model, original, ranges, i, model.sense_threshold())
                    .is_none()
                {
                    continue;
                }
            }
            out.push(key.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_homographs_are_the_words_not_written_as_function_words() {
        let mut reader = crate::analysis::TextNormalizer::default();
        let cases: [(&str, &[&str]); 5] = [
            ("وقال على الفور إن الوفد وصل إلى بغداد", &[]),
            ("التقى علي بالوزير وقال لعلي إنه", &["علي"]),
            ("أكد بأن الاتفاق قائم فإن الوفد", &[]),
            ("قال الأمين العام بان كي مون", &["بان"]),
            ("وقال ان الوفد وصل الى بغداد", &["ان", "الي"]),
        ];
        for (text, want) in cases {
            let normalized = reader.read(text);
            let got = plain_homographs(&[(text, &normalized)], &[]);
            assert_eq!(got, want.to_vec(), "{text}");
        }
    }
}
