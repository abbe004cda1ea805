//! Corpus reader for plain-text articles (.txt, .md).
//!
//! Two layouts are recognized:
//! - TREC-style files (`<DOC>` … `</DOC>`, one or more per file) with tags
//!   `DOCNO URL SRC CAT TITLE TIME DATE TEXT ABSTRACT AUTHOR`, as in the ANT
//!   corpora;
//! - scraped news pages: the first non-empty line is the title, the rest is
//!   the body, with these lines taken out of the body: a date line
//!   (`تاريخ النشر:` …), a source line (`المصدر:` …, which also ends the
//!   body), a keywords line (`كلمات دلالية:` …), app boilerplate
//!   (`تابع أحدث الأخبار` …), and everything from a "read also" block
//!   (`اقرأ أيضاً:`) on, which belongs to other articles. Labels are matched
//!   after normalization, so hamza and tanween variants of them all work.

use super::date::parse_date;
use super::{Article, FileArticles};
use crate::analysis::normalize;

/// Reads a text file's articles.
pub fn read(text: &str) -> FileArticles {
    let multi = text.trim_start().starts_with("<DOC>");
    let articles = if multi {
        read_trec(text)
    } else {
        vec![read_page(text)]
    };
    FileArticles {
        articles,
        multi,
        ..FileArticles::default()
    }
}

/// What a line of a scraped page is.
enum Line<'a> {
    Date(&'a str),
    Source(&'a str),
    Keywords(&'a str),
    ReadAlso,
    Boilerplate,
    Body,
}

/// Kinds of labelled lines.
#[derive(Clone, Copy)]
enum Label {
    Date,
    Source,
    Keywords,
}

/// Line labels (normalized) and what they mark.
const LABELS: &[(&str, Label)] = &[
    ("تاريخ النشر", Label::Date),
    ("نشر في", Label::Date),
    ("التاريخ", Label::Date),
    ("المصدر", Label::Source),
    ("كلمات دلاليه", Label::Keywords),
    ("الكلمات المفتاحيه", Label::Keywords),
    ("الوسوم", Label::Keywords),
];

fn classify(line: &str) -> Line<'_> {
    let head: String = line.chars().take(40).collect();
    let key = normalize(&head);
    if key.starts_with("اقرا ايضا") || key.starts_with("اقرا المزيد") {
        return Line::ReadAlso;
    }
    if key.starts_with("تابع احدث الاخبار") {
        return Line::Boilerplate;
    }
    let Some((label, value)) = line.split_once([':', '：']) else {
        return Line::Body;
    };
    let label = normalize(label.trim());
    let value = value.trim();
    match LABELS.iter().find(|(l, _)| *l == label).map(|(_, k)| *k) {
        Some(Label::Date) => Line::Date(value),
        Some(Label::Source) => Line::Source(value),
        Some(Label::Keywords) => Line::Keywords(value),
        None => Line::Body,
    }
}

fn read_page(text: &str) -> Article {
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let mut article = Article {
        title: lines.next().unwrap_or_default().to_string(),
        ..Article::default()
    };
    let mut body: Vec<&str> = Vec::new();
    let mut in_footer = false;
    for line in lines {
        match classify(line) {
            Line::Date(d) if article.date_text.is_empty() => article.date_text = d.to_string(),
            Line::Source(s) if article.source.is_empty() => {
                article.source = s.to_string();
                in_footer = true;
            }
            Line::Keywords(k) if article.keywords.is_empty() => article.keywords = k.to_string(),
            Line::ReadAlso => break,
            Line::Body if !in_footer => body.push(line),
            _ => {}
        }
    }
    while body.last().is_some_and(|l| l.is_empty()) {
        body.pop();
    }
    article.body = body.join("\n");
    article.date = parse_date(&article.date_text);
    article
}

fn read_trec(text: &str) -> Vec<Article> {
    text.split("<DOC>")
        .filter(|chunk| chunk.contains("</DOC>") || !chunk.trim().is_empty())
        .map(|chunk| {
            let tag = |name: &str| tag_value(chunk, name).unwrap_or_default();
            let body = tag_value(chunk, "TEXT").unwrap_or_else(|| tag("ABSTRACT"));
            let date_text = tag_value(chunk, "TIME").unwrap_or_else(|| tag("DATE"));
            Article {
                id: tag_value(chunk, "DOCNO").filter(|s| !s.is_empty()),
                title: tag("TITLE"),
                body,
                date: parse_date(&date_text),
                date_text,
                source: tag("SRC"),
                url: tag("URL"),
                category: tag("CAT"),
                keywords: String::new(),
            }
        })
        .collect()
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
    }
}
