//! Corpus: publication dates as news sites write them, to Unix seconds.
//!
//! Accepted: ISO-8601 / RFC 3339 (`2024-05-01`, `2024-05-01T10:00:00Z`,
//! `2024-05-01 10:00:00`), RFC 2822 (`Thu, 21 Jun 2018 18:25:53 +0400`),
//! `DD/MM/YYYY`, `DD-MM-YYYY`, `YYYY/MM/DD`, and free forms with a day, a
//! month name (English or Arabic, e.g. `3rd, December 2023 GMT`,
//! `٣ ديسمبر ٢٠٢٣`, `3 كانون الأول 2023`) and a four-digit year. Arabic-Indic
//! digits are read as digits. Dates without a zone are taken as UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::analysis::normalize;

/// Parses a date; `None` when the text is not a recognizable date.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    parse_structured(text).or_else(|| parse_words(&normalize_digits(text)))
}

fn parse_structured(text: &str) -> Option<i64> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.timestamp());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Some(dt.timestamp());
    }
    let digits = normalize_digits(text);
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(&digits, format) {
            return Some(dt.and_utc().timestamp());
        }
    }
    for format in ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&digits, format) {
            return d.and_hms_opt(0, 0, 0).map(|dt| dt.and_utc().timestamp());
        }
    }
    None
}

fn normalize_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect()
}

/// Month names, normalized (English lowercase, Arabic through the
/// analyzer's normalization), with their numbers.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("جانفي", 1),
    ("فيفري", 2),
    ("افريل", 4),
    ("ماي", 5),
    ("جوان", 6),
    ("جويليه", 7),
    ("اوت", 8),
    ("شباط", 2),
    ("اذار", 3),
    ("نيسان", 4),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("اب", 8),
    ("ايلول", 9),
];

/// Two-word Levantine month names (كانون الثاني …), normalized.
const TWO_WORD_MONTHS: &[(&str, u32)] = &[
    ("كانون الثاني", 1),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("كانون الاول", 12),
];

fn month_of(word: &str) -> Option<u32> {
    let key = normalize(&word.to_lowercase());
    MONTHS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, m)| *m)
}

/// Day, month name and four-digit year anywhere in the text.
fn parse_words(text: &str) -> Option<i64> {
    let normalized = normalize(&text.to_lowercase());
    let mut month = TWO_WORD_MONTHS
        .iter()
        .find(|(name, _)| normalized.contains(name))
        .map(|(_, m)| *m);
    let (mut day, mut year) = (None, None);
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '،' | '-' | '/')) {
        let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
        let rest = &word[digits.len()..];
        let is_ordinal = ["st", "nd", "rd", "th", ""].contains(&rest);
        match digits.len() {
            4 if year.is_none() && rest.is_empty() => year = digits.parse().ok(),
            1 | 2 if day.is_none() && is_ordinal => day = digits.parse().ok(),
            0 if month.is_none() => month = month_of(word),
            _ => {}
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day.unwrap_or(1))?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|dt| dt.and_utc().timestamp())
            .expect("valid date")
    }

    #[test]
    fn formats() {
        let cases: &[(&str, i64)] = &[
            ("2024-05-01", ymd(2024, 5, 1)),
            ("2024-05-01T00:00:00Z", ymd(2024, 5, 1)),
            ("2024-05-01T03:00:00+03:00", ymd(2024, 5, 1)),
            ("2015-07-23 00:00:00", ymd(2015, 7, 23)),
            ("Thu, 21 Jun 2018 00:00:00 +0000", ymd(2018, 6, 21)),
            ("21/06/2018", ymd(2018, 6, 21)),
            ("21-06-2018", ymd(2018, 6, 21)),
            ("٢٠٢٤-٠٥-٠١", ymd(2024, 5, 1)),
            ("3rd, December 2023 GMT", ymd(2023, 12, 3)),
            ("٣ ديسمبر ٢٠٢٣", ymd(2023, 12, 3)),
            ("3 كانون الأول 2023", ymd(2023, 12, 3)),
            ("الأحد 5 أغسطس 2018", ymd(2018, 8, 5)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_date(text), Some(*expected), "parsing {text:?}");
        }
    }

    #[test]
    fn not_dates() {
        for text in [
            "",
            "قريبا",
            "yesterday",
            "2024",
            "32/13/2024",
            "99 December",
        ] {
            assert_eq!(parse_date(text), None, "{text:?}");
        }
    }
}
