//! Corpus reader for plain-text articles (.txt, .md).
//!
//! Two layouts are recognized:
//! - TREC-style files (`<DOC>` … `</DOC>`, one or more per file) with tags
//!   `DOCNO URL SRC CAT TITLE TIME DATE TEXT ABSTRACT AUTHOR`, as in the ANT
//!   corpora; the body is `TEXT` (else `ABSTRACT`), and an abstract whose
//!   words the body does not contain is accounted as left out;
//! - scraped news pages, read by [`super::page`]: a title line, labelled
//!   date, source and keywords lines, the body, and "read also" blocks that
//!   are either related headlines (left out) or further articles.

use super::date::parse_date;
use super::left_out::{LeftOut, Reason};
use super::page::read_page;
use super::{Article, FileArticles};

/// Version of the text readers' rules, kept in the index manifest: text
/// files read under another version are read again on the next run
/// (2: issue 18, read-also articles and boilerplate patterns).
pub const READER_VERSION: u32 = 2;

/// Reads a text file's articles.
pub fn read(text: &str) -> FileArticles {
    if text.trim_start().starts_with("<DOC>") {
        let (articles, left_out) = read_trec(text);
        return FileArticles {
            articles,
            left_out,
            multi: true,
            ..FileArticles::default()
        };
    }
    let page = read_page(text);
    FileArticles {
        articles: page.articles,
        left_out: page.left_out,
        ..FileArticles::default()
    }
}

fn read_trec(text: &str) -> (Vec<Article>, Vec<LeftOut>) {
    let mut articles = Vec::new();
    let mut left_out = Vec::new();
    let mut line = 1;
    let mut last = 0;
    for (at, chunk) in chunks(text) {
        line += text[last..at].matches('\n').count();
        last = at;
        let tag = |name: &str| tag_value(chunk, name).unwrap_or_default();
        let abstract_text = tag("ABSTRACT");
        let body = tag_value(chunk, "TEXT").unwrap_or_else(|| abstract_text.clone());
        if !abstract_text.is_empty() && !same_words_within(&abstract_text, &body) {
            let offset = chunk.find("<ABSTRACT>").unwrap_or(0);
            left_out.push(LeftOut {
                line: line + chunk[..offset].matches('\n').count(),
                reason: Reason::Abstract,
                text: abstract_text,
            });
        }
        let date_text = tag_value(chunk, "TIME").unwrap_or_else(|| tag("DATE"));
        articles.push(Article {
            id: tag_value(chunk, "DOCNO").filter(|s| !s.is_empty()),
            title: tag("TITLE"),
            body,
            date: parse_date(&date_text),
            date_text,
            source: tag("SRC"),
            url: tag("URL"),
            category: tag("CAT"),
            keywords: String::new(),
            line: None,
        });
    }
    (articles, left_out)
}

/// The `<DOC>` chunks of a TREC file (the text after each `<DOC>` tag)
/// with the byte offset of their tag; a last chunk with no `</DOC>` only
/// when it holds something.
fn chunks(text: &str) -> Vec<(usize, &str)> {
    let mut starts: Vec<usize> = text.match_indices("<DOC>").map(|(i, _)| i).collect();
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| (w[0], &text[w[0] + "<DOC>".len()..w[1]]))
        .filter(|(_, chunk)| chunk.contains("</DOC>") || !chunk.trim().is_empty())
        .collect()
}

/// Share of an abstract's words the body must hold for the abstract to
/// count as a copy of the lead rather than text left out.
const ABSTRACT_COVERED: f64 = 0.9;

/// True when at least [`ABSTRACT_COVERED`] of `inner`'s words (letters
/// and digits only, so `الأحد.وبحسب` is `الأحد. وبحسب`) are words of
/// `outer`: an abstract that repeats the lead, perhaps with a word changed
/// (`لشبكتنا` for `لـCNN`), is no text lost; a rewritten summary is.
fn same_words_within(inner: &str, outer: &str) -> bool {
    fn words(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split(|c: char| !c.is_alphanumeric() && !super::boilerplate::vanishes(c))
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
    }
    let body: std::collections::HashSet<String> = words(outer).collect();
    let (mut found, mut total) = (0usize, 0usize);
    for word in words(inner) {
        total += 1;
        found += usize::from(body.contains(&word));
    }
    total == 0 || found as f64 >= ABSTRACT_COVERED * total as f64
}

/// The trimmed text between `<NAME>` and `</NAME>` in a chunk.
fn tag_value(chunk: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = chunk.find(&open)? + open.len();
    let end = chunk[start..]
        .find(&close)
        .map_or(chunk.len(), |e| start + e);
    Some(chunk[start..end].trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "\"التحالف\" ينفذ عمليات جديدة\n\
        تاريخ النشر: 3rd, December 2023 GMT\n\
        السطر الأول من المتن.\n\
        \n\
        السطر الثاني من المتن.\n\
        المصدر: صحيفة الأفق\n\
        كلمات دلالية: التحالف داعش\n\
        إقرأ أيضاً:\n\
        عنوان مقال آخر\n\
        نص مقال آخر\n";

    #[test]
    fn scraped_page_layout() {
        let read = read(PAGE);
        let a = &read.articles[0];
        assert_eq!(a.title, "\"التحالف\" ينفذ عمليات جديدة");
        assert_eq!(a.date_text, "3rd, December 2023 GMT");
        assert!(a.date.is_some());
        assert_eq!(a.body, "السطر الأول من المتن.\n\nالسطر الثاني من المتن.");
        assert_eq!(a.source, "صحيفة الأفق");
        assert_eq!(a.keywords, "التحالف داعش");
        assert!(!a.body.contains("مقال آخر"));
    }

    #[test]
    fn title_only_and_leading_blank_lines() {
        let read = read("\n\n  عنوان وحيد  \n");
        assert_eq!(read.articles[0].title, "عنوان وحيد");
        assert_eq!(read.articles[0].body, "");
    }

    #[test]
    fn trec_documents() {
        let text = "<DOC>\n<DOCNO>AL-1</DOCNO>\n<URL>https://x.test/1</URL>\n<SRC>alarabia</SRC>\n\
            <CAT>sport</CAT>\n<TITLE>عنوان</TITLE>\n<TIME>Thu, 21 Jun 2018 18:25:53 +0400</TIME>\n\
            <ABSTRACT>ملخص</ABSTRACT>\n<TEXT>\nالمتن هنا\n</TEXT>\n</DOC>\n\
            <DOC>\n<DOCNO>AL-2</DOCNO>\n<TITLE>ثان</TITLE>\n<ABSTRACT>ملخص فقط</ABSTRACT>\n</DOC>\n";
        let read = read(text);
        assert_eq!(read.articles.len(), 2);
        let a = &read.articles[0];
        assert_eq!(a.id.as_deref(), Some("AL-1"));
        assert_eq!(a.body, "المتن هنا");
        assert_eq!(a.category, "sport");
        assert!(a.date.is_some());
        assert_eq!(read.articles[1].body, "ملخص فقط");
        // The first abstract is not in its body: accounted, on its line.
        assert_eq!(read.left_out.len(), 1);
        assert_eq!(read.left_out[0].line, 8);
        assert_eq!(read.left_out[0].text, "ملخص");
        assert_eq!(read.left_out[0].reason, Reason::Abstract);
    }

    #[test]
    fn abstract_repeating_the_body_is_not_left_out() {
        let text = "<DOC>\n<TITLE>ع</TITLE>\n<ABSTRACT>\nأول   سطر\n</ABSTRACT>\n\
            <TEXT>\nأول\nسطر من المتن\n</TEXT>\n</DOC>\n<DOC>\n";
        let read = read(text);
        assert_eq!(read.articles.len(), 1);
        assert!(read.left_out.is_empty(), "{:?}", read.left_out);
        let cases: &[(&str, &str, bool)] = &[
            ("قال الأحد.وبحسب البيان", "قال الأحد. وبحسب البيان", true),
            ("ا ب ج د ه و ز ح ط ي", "ا ب ج د ه و ز ح ط ك", true),
            ("ا ب ج د ه و ز ح ط ي", "ا ب ج د ه و ز ح ك ل", false),
            ("ملخص بكلمات أخرى تماما", "المتن يقول شيئاً آخر", false),
        ];
        for (abstract_text, body, covered) in cases {
            assert_eq!(
                same_words_within(abstract_text, body),
                *covered,
                "{abstract_text}"
            );
        }
    }
}
