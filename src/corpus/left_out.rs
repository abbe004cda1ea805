//! Corpus: the account of what a reader left out of every article.
//!
//! A reader never drops article text silently: each line of a file that
//! goes into no article is recorded as a [`LeftOut`] with its line number
//! and [`Reason`], so that `akhbar index` can report how much text was
//! left out (and warn about a file that loses much of it) and `akhbar
//! analyze --file` can show the lines. Sizes are counted in characters
//! without white space ([`chars`]), so indentation and blank lines weigh
//! nothing. Labels such as `المصدر:` and markup such as TREC tags are
//! counted neither as indexed nor as left out.

use serde::Serialize;

/// Why a line went into no article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A read-also marker (`اقرأ أيضاً:`) starting a block of other stories.
    ReadAlsoMarker,
    /// A bare related headline in a read-also block that has no body.
    RelatedHeadline,
    /// An inline link to another story (`للمزيد.. …`, `اقرأ أيضا: …`).
    RelatedLink,
    /// App, social, share, print or subscribe prompts, copyright lines.
    Boilerplate,
    /// Short lines after an article's source line, belonging to no article.
    Footer,
    /// A second date, source or keywords line for the same article.
    RepeatedField,
    /// An abstract (TREC `<ABSTRACT>`) whose text the indexed body lacks.
    Abstract,
    /// A web page's navigation, header, footer, sidebars, share and ad
    /// widgets (expected on every page: no note for it).
    PageChrome,
    /// Readers' comments under a web page's article (no note for them).
    Comments,
    /// Text of a web page outside its main block.
    OutsideMain,
    /// A web page's image captions and credits, galleries, bylines and
    /// date lines around its article (no note for them).
    Captions,
}

impl Reason {
    /// Every reason, in the order reports list them.
    pub const ALL: [Reason; 11] = [
        Reason::ReadAlsoMarker,
        Reason::RelatedHeadline,
        Reason::RelatedLink,
        Reason::Boilerplate,
        Reason::Footer,
        Reason::RepeatedField,
        Reason::Abstract,
        Reason::PageChrome,
        Reason::Comments,
        Reason::OutsideMain,
        Reason::Captions,
    ];

    /// The reason in a few words, as notes and reports print it.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::ReadAlsoMarker => "read-also markers",
            Reason::RelatedHeadline => "related headlines",
            Reason::RelatedLink => "links to other stories",
            Reason::Boilerplate => "boilerplate",
            Reason::Footer => "page footer",
            Reason::RepeatedField => "repeated date, source or keywords lines",
            Reason::Abstract => "abstracts not in the body",
            Reason::PageChrome => "page navigation and widgets",
            Reason::Comments => "readers' comments",
            Reason::OutsideMain => "text outside the main block",
            Reason::Captions => "captions, credits and bylines",
        }
    }

    /// False for what every web page has around its article (navigation,
    /// widgets, comments, captions): it is counted, but a file losing much of it
    /// gets no note.
    pub fn worth_a_note(self) -> bool {
        !matches!(
            self,
            Reason::PageChrome | Reason::Comments | Reason::Captions
        )
    }
}

/// One line (or TREC field) that went into no article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// 1-based line number in the decoded text.
    pub line: usize,
    /// Why it was left out.
    pub reason: Reason,
    /// The line as written (trimmed).
    pub text: String,
}

impl LeftOut {
    /// Its size in characters, white space not counted.
    pub fn chars(&self) -> usize {
        chars(&self.text)
    }
}

/// Characters of `text`, white space (Unicode `White_Space`, as
/// `char::is_whitespace`) not counted. Read byte by byte: every byte that
/// starts a character counts, but ASCII white space; the rarer white space
/// beyond ASCII is recognized from its lead byte (0xC2, 0xE1, 0xE2, 0xE3)
/// and the bytes after it. Indexing counts every article's text this way
/// (`chars_indexed`): decoding each character first was 3% of indexing
/// instructions.
pub fn chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut counted = 0usize;
    let mut leads = 0usize;
    // 32 bytes at a time into u8 counters: a loop the compiler vectorizes
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        let (mut c, mut l) = (0u8, 0u8);
        for &b in chunk {
            c += u8::from(counts(b));
            l += u8::from(is_lead(b));
        }
        counted += usize::from(c);
        leads += usize::from(l);
    }
    for &b in chunks.remainder() {
        counted += usize::from(counts(b));
        leads += usize::from(is_lead(b));
    }
    if leads == 0 {
        return counted;
    }
    let wide = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| is_lead(b) && is_wide_space(&bytes[i..]))
        .count();
    counted - wide
}

/// True for a byte that starts a character other than ASCII white space.
#[inline(always)]
fn counts(b: u8) -> bool {
    (b & 0xC0) != 0x80 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// True for the lead byte of a white-space character beyond ASCII.
#[inline(always)]
fn is_lead(b: u8) -> bool {
    matches!(b, 0xC2 | 0xE1..=0xE3)
}

/// True when `at` starts with the UTF-8 encoding of a white-space
/// character beyond ASCII: U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
/// U+2029, U+202F, U+205F, U+3000.
fn is_wide_space(at: &[u8]) -> bool {
    matches!(
        at,
        [0xC2, 0x85 | 0xA0, ..]
            | [0xE1, 0x9A, 0x80, ..]
            | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
            | [0xE2, 0x81, 0x9F, ..]
            | [0xE3, 0x80, 0x80, ..]
    )
}

/// Characters left out per reason, largest first (reasons with none
/// omitted).
pub fn by_reason(left_out: &[LeftOut]) -> Vec<(Reason, usize)> {
    let mut tally = Tally::default();
    for line in left_out {
        tally.add(line);
    }
    tally.by_reason()
}

/// Characters left out, counted per reason: what a streaming reader keeps
/// of a file's left-out lines (a few numbers, whatever the file's size),
/// enough for the summary and the note.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally([usize; Reason::ALL.len()]);

impl Tally {
    /// Counts one line left out.
    pub fn add(&mut self, line: &LeftOut) {
        self.0[line.reason as usize] += line.chars();
    }

    /// Adds another tally to this one.
    pub fn merge(&mut self, other: &Tally) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine += theirs;
        }
    }

    /// Characters left out, all reasons.
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }

    /// Characters per reason, largest first (reasons with none omitted).
    pub fn by_reason(&self) -> Vec<(Reason, usize)> {
        let mut sums: Vec<(Reason, usize)> = Reason::ALL
            .iter()
            .map(|&r| (r, self.0[r as usize]))
            .filter(|&(_, n)| n > 0)
            .collect();
        sums.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        sums
    }
}

/// Share of a file's text left out: `left_out / (indexed + left_out)`,
/// 0 for a file with no text.
pub fn share(indexed: usize, left_out: usize) -> f64 {
    let total = indexed + left_out;
    if total == 0 {
        0.0
    } else {
        left_out as f64 / total as f64
    }
}

/// A file that loses more than this share of its text gets a note.
pub const NOTE_SHARE: f64 = 0.2;

/// The note for a file that lost more than [`NOTE_SHARE`] of its text:
/// `N% of the text was left out as related headlines, boilerplate (see
/// akhbar analyze --file PATH)`.
pub fn note(path: &std::path::Path, indexed: usize, left_out: &Tally) -> Option<String> {
    let sums: Vec<(Reason, usize)> = left_out
        .by_reason()
        .into_iter()
        .filter(|(r, _)| r.worth_a_note())
        .collect();
    let share = share(indexed, sums.iter().map(|(_, n)| n).sum());
    if share <= NOTE_SHARE {
        return None;
    }
    let reasons: Vec<&str> = sums.iter().map(|(r, _)| r.describe()).collect();
    Some(format!(
        "{:.0}% of the text was left out as {} (see akhbar analyze --file {})",
        share * 100.0,
        reasons.join(", "),
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_counts_as_char_is_whitespace_does() {
        // every white-space character, and neighbours of their encodings
        let mut all: Vec<char> = (0u32..0x3100).filter_map(char::from_u32).collect();
        all.extend(['\u{FEFF}', '\u{1F600}', 'ب', 'ة', '\u{064E}']);
        for c in &all {
            let one = c.to_string();
            assert_eq!(
                chars(&one),
                usize::from(!c.is_whitespace()),
                "{:04X}",
                *c as u32
            );
        }
        let text: String = all.iter().rev().step_by(7).collect::<String>() + " \u{00A0}قال\u{2009}";
        let naive = text.chars().filter(|c| !c.is_whitespace()).count();
        assert_eq!(chars(&text), naive);
    }

    #[test]
    fn chars_skip_white_space() {
        assert_eq!(chars(" اقرأ  أيضاً:\t"), 10);
        assert_eq!(chars(""), 0);
    }

    #[test]
    fn reasons_summed_largest_first() {
        let line = |reason, text: &str| LeftOut {
            line: 1,
            reason,
            text: text.to_string(),
        };
        let sums = by_reason(&[
            line(Reason::Boilerplate, "ab"),
            line(Reason::RelatedHeadline, "abcd"),
            line(Reason::Boilerplate, "c"),
        ]);
        assert_eq!(
            sums,
            vec![(Reason::RelatedHeadline, 4), (Reason::Boilerplate, 3)]
        );
        assert!((share(3, 1) - 0.25).abs() < 1e-9);
        // Tallies of parts of a file add up to the tally of the whole.
        let mut a = Tally::default();
        a.add(&line(Reason::Boilerplate, "ab"));
        let mut b = Tally::default();
        b.add(&line(Reason::RelatedHeadline, "abcd"));
        b.add(&line(Reason::Boilerplate, "c"));
        a.merge(&b);
        assert_eq!(a.total(), 7);
        assert_eq!(a.by_reason(), sums);
        assert_eq!(share(0, 0), 0.0);
    }

    #[test]
    fn note_only_past_a_fifth() {
        let path = std::path::Path::new("p.txt");
        let left = [LeftOut {
            line: 3,
            reason: Reason::RelatedHeadline,
            text: "abcde".to_string(),
        }];
        let mut tally = Tally::default();
        tally.add(&left[0]);
        assert_eq!(note(path, 20, &tally), None);
        assert_eq!(
            note(path, 15, &tally).as_deref(),
            Some("25% of the text was left out as related headlines (see akhbar analyze --file p.txt)")
        );
    }
}
