//! HTML: which text becomes the article's body, and the account of it.
//! The page's main text ([`super::content`]) is the body; JSON-LD
//! `articleBody` (cleaned of markup and entities) replaces it only when
//! the page's own text is under [`GIVEN_BODY_SHARE`] of it: a body given
//! as data is trusted where the page's text failed, never when it is a
//! teaser of that text. A page whose body is empty, or shorter than a
//! block of running text left out of it, gets a note: its article may
//! have been lost, and `akhbar analyze --file` shows why.

use super::content::Extract;
use super::metadata;
use crate::corpus::left_out::chars;

/// The page's own text is replaced by JSON-LD `articleBody` when it is
/// shorter than this share of it.
pub const GIVEN_BODY_SHARE: f64 = 0.5;

/// The body chosen, with how it was chosen.
#[derive(Debug, Default)]
pub struct Chosen {
    /// The body.
    pub body: String,
    /// How it was chosen, for `akhbar analyze --file`.
    pub explain: Vec<String>,
    /// What deserves a look (an empty or too short body).
    pub note: Option<String>,
}

/// Chooses between the page's main text and a JSON-LD `articleBody`.
pub fn choose(extract: &mut Extract, given: Option<&str>) -> Chosen {
    let page = std::mem::take(&mut extract.body);
    let p = chars(&page);
    let paragraphs = page.split("\n\n").filter(|s| !s.is_empty()).count();
    let own = format!(
        "the page's main block {} ({paragraphs} blocks, {p} characters)",
        extract.main
    );
    let mut out = Chosen::default();
    match given.map(metadata::markup_text) {
        Some(given) if (p as f64) < GIVEN_BODY_SHARE * chars(&given) as f64 => {
            let g = chars(&given);
            out.explain.push(format!(
                "body from JSON-LD articleBody ({g} characters): {own} is under half of it"
            ));
            out.body = given;
        }
        Some(given) => {
            out.explain.push(format!("body from {own}"));
            out.explain.push(format!(
                "JSON-LD articleBody not used ({} characters): the page's own text is not under half of it",
                chars(&given)
            ));
            out.body = page;
        }
        None => {
            out.explain.push(format!("body from {own}"));
            out.body = page;
        }
    }
    out.note = note(chars(&out.body), extract);
    out
}

/// The note for a body that may have lost the article.
fn note(body: usize, extract: &Extract) -> Option<String> {
    if body == 0 && extract.visible_chars > 0 {
        Some(format!(
            "its main text is empty: all {} characters of its visible text were left out",
            extract.visible_chars
        ))
    } else if body > 0 && extract.longest_left_out > body {
        Some(format!(
            "its main text ({body} characters) is shorter than a block of running text left out of it ({} characters)",
            extract.longest_left_out
        ))
    } else {
        None
    }
}
