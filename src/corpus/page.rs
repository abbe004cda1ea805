//! Corpus: scraped news pages (.txt, .md) — the decoded text of one page to
//! its articles, plus an account of every line left out.
//!
//! A page is read top to bottom:
//! - the first text line is the title, the following lines the body;
//!   labelled lines are fields wherever they stand: a date (`تاريخ
//!   النشر:`, `نشر في:`, `التاريخ:`), a source (`المصدر:`) and keywords
//!   (`كلمات دلالية:`, `الكلمات المفتاحية:`, `الوسوم:`); labels match
//!   after normalization, so hamza and tanween variants all work;
//! - a source or keywords line after some body ends the body: what
//!   follows is the article's footer;
//! - boilerplate and inline links ([`super::boilerplate`]) are left out
//!   wherever they stand and end nothing: `للمزيد.. …` or `اقرأ أيضا: …`
//!   on one line inside a body is dropped and the body goes on;
//! - a read-also marker alone on its line (`إقرأ أيضاً:`), or a marker
//!   with a headline after the article's footer, starts a **block**. A
//!   block whose lines after its first include a paragraph
//!   ([`is_paragraph`]) is another article: its first line the title,
//!   the rest its body, up to the next block or its own footer; its date
//!   and source are its own when it has labelled lines, else the page's
//!   (the first ones read). A block with no paragraph is a list of
//!   related headlines and is left out (with any labelled lines in it);
//! - text after an article's footer is read like a block too: another
//!   article when it has paragraphs, else left out as page footer.
//!
//! Why: a page is often one article followed by "read also" teasers (the
//! common case, left out as today) or by a whole second article (the
//! seed page of the project), whose text must be searchable under its own
//! headline rather than lost or merged into the first article. One block
//! yields one article: a block with several headlines before paragraphs
//! keeps them in that article's body (no text is lost), since a dek or a
//! subheading looks the same as a teaser headline.

use super::boilerplate::{self, Line as Pattern};
use super::date::parse_date;
use super::left_out::{LeftOut, Reason};
use super::Article;
use crate::analysis::normalize;

/// The articles of a page and the lines left out of them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Articles in page order (none when the page holds no text line).
    pub articles: Vec<Article>,
    /// Lines that went into no article, in page order.
    pub left_out: Vec<LeftOut>,
}

/// Lines of at least this many words are paragraphs.
pub const PARAGRAPH_WORDS: usize = 20;

/// True when `line` reads as a body paragraph rather than a headline: at
/// least [`PARAGRAPH_WORDS`] words, or at least four words ending with a
/// full stop (not `..` or `…`; headlines end with no stop, or with a
/// question mark).
pub fn is_paragraph(line: &str) -> bool {
    let words = line.split_whitespace().count();
    if words >= PARAGRAPH_WORDS {
        return true;
    }
    let end = line.trim_end_matches(|c: char| c.is_whitespace() || "\"'»”)]".contains(c));
    words >= 4 && end.ends_with('.') && !end.ends_with("..")
}

/// Reads a scraped page.
pub fn read_page(text: &str) -> Page {
    let mut drafts = vec![Draft::new(Origin::Main)];
    for (i, raw) in text.lines().enumerate() {
        let (n, line) = (i + 1, raw.trim());
        let Some(draft) = drafts.last_mut() else {
            break;
        };
        if let Some(next) = draft.take(n, line) {
            drafts.push(next);
        }
    }
    let mut page = Page::default();
    let date = drafts
        .iter()
        .find_map(|d| d.is_article().then_some(d.date?));
    let source = drafts
        .iter()
        .find_map(|d| d.is_article().then_some(d.source?));
    for draft in drafts {
        draft.finish(date, source, &mut page);
    }
    page
}

/// Where a part of the page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// The top of the page.
    Main,
    /// A read-also marker.
    ReadAlso,
    /// Text after an article's footer.
    AfterFooter,
}

/// A labelled line.
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

/// The label and value of a labelled line.
fn field(line: &str) -> Option<(Label, &str)> {
    let (label, value) = line.split_once([':', '：'])?;
    let label = normalize(label.trim());
    let kind = LABELS.iter().find(|(l, _)| *l == label)?.1;
    Some((kind, value.trim()))
}

/// One part of the page: an article, or a block that may be one.
struct Draft<'a> {
    origin: Origin,
    title: Option<(usize, &'a str)>,
    body: Vec<(usize, &'a str)>,
    date: Option<&'a str>,
    source: Option<&'a str>,
    keywords: Option<&'a str>,
    /// Labelled lines read into the fields above.
    fields: Vec<(usize, &'a str)>,
    /// A source or keywords line came after some body.
    footer: bool,
    left_out: Vec<LeftOut>,
}

impl<'a> Draft<'a> {
    fn new(origin: Origin) -> Self {
        Draft {
            origin,
            title: None,
            body: Vec::new(),
            date: None,
            source: None,
            keywords: None,
            fields: Vec::new(),
            footer: false,
            left_out: Vec::new(),
        }
    }

    fn starting(origin: Origin, n: usize, title: &'a str) -> Self {
        Draft {
            title: Some((n, title)),
            ..Draft::new(origin)
        }
    }

    fn leave(&mut self, n: usize, reason: Reason, line: &str) {
        self.left_out.push(LeftOut {
            line: n,
            reason,
            text: line.to_string(),
        });
    }

    fn has_body(&self) -> bool {
        self.body.iter().any(|(_, l)| !l.is_empty())
    }

    /// Takes line `n`; returns the next part when this line starts one.
    fn take(&mut self, n: usize, line: &'a str) -> Option<Draft<'a>> {
        if line.is_empty() {
            if self.title.is_some() {
                self.body.push((n, line));
            }
            return None;
        }
        match boilerplate::classify(line) {
            Pattern::Marker("") => {
                self.leave(n, Reason::ReadAlsoMarker, line);
                return Some(Draft::new(Origin::ReadAlso));
            }
            Pattern::Marker(headline) if self.footer => {
                return Some(Draft::starting(Origin::ReadAlso, n, headline));
            }
            Pattern::Marker(_) => {
                self.leave(n, Reason::RelatedLink, line);
                return None;
            }
            Pattern::Junk(reason) => {
                self.leave(n, reason, line);
                return None;
            }
            Pattern::Other => {}
        }
        if let Some((label, value)) = field(line) {
            self.field(n, line, label, value);
            return None;
        }
        if self.footer {
            return Some(Draft::starting(Origin::AfterFooter, n, line));
        }
        match self.title {
            None => self.title = Some((n, line)),
            Some(_) => self.body.push((n, line)),
        }
        None
    }

    fn field(&mut self, n: usize, line: &'a str, label: Label, value: &'a str) {
        let slot = match label {
            Label::Date => &mut self.date,
            Label::Source => &mut self.source,
            Label::Keywords => &mut self.keywords,
        };
        if slot.is_some() {
            self.leave(n, Reason::RepeatedField, line);
        } else {
            *slot = Some(value);
            self.fields.push((n, line));
        }
        if !matches!(label, Label::Date) && self.has_body() {
            self.footer = true;
        }
    }

    /// A block is an article when a paragraph follows its first line; the
    /// top of the page is one when it has a title.
    fn is_article(&self) -> bool {
        match self.origin {
            Origin::Main => self.title.is_some(),
            Origin::ReadAlso | Origin::AfterFooter => {
                self.title.is_some() && self.body.iter().any(|(_, l)| is_paragraph(l))
            }
        }
    }

    fn finish(mut self, date: Option<&str>, source: Option<&str>, page: &mut Page) {
        if !self.is_article() {
            let reason = match self.origin {
                Origin::ReadAlso => Reason::RelatedHeadline,
                Origin::Main | Origin::AfterFooter => Reason::Footer,
            };
            let lines = self.title.into_iter().chain(self.body).chain(self.fields);
            for (n, line) in lines.filter(|(_, l)| !l.is_empty()) {
                self.left_out.push(LeftOut {
                    line: n,
                    reason,
                    text: line.to_string(),
                });
            }
            self.left_out.sort_by_key(|l| l.line);
            page.left_out.append(&mut self.left_out);
            return;
        }
        let body: Vec<&str> = self.body.iter().map(|(_, l)| *l).collect();
        let start = body
            .iter()
            .position(|l| !l.is_empty())
            .unwrap_or(body.len());
        let end = body
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(start, |e| e + 1);
        let date_text = self.date.or(date).unwrap_or_default().to_string();
        page.articles.push(Article {
            title: self.title.map(|(_, t)| t.to_string()).unwrap_or_default(),
            body: body[start..end].join("\n"),
            date: parse_date(&date_text),
            date_text,
            source: self.source.or(source).unwrap_or_default().to_string(),
            keywords: self.keywords.unwrap_or_default().to_string(),
            ..Article::default()
        });
        page.left_out.append(&mut self.left_out);
    }
}

#[cfg(test)]
mod tests;
