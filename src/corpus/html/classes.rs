//! HTML: what an element's tag, role, class and id say about it. A
//! *signal* names an element that is usually not article text (page
//! chrome, readers' comments, related-story boxes); [`super::content`]
//! decides from the text under it whether the signal holds, so that a
//! wrapper whose class happens to contain `ad`, `modal` or `widget`, or
//! an ASP.NET page's all-enclosing `<form>`, never takes the article
//! with it.
//!
//! Words are the class and id split at every character that is not a
//! letter or digit, lowercased; a pattern of more than three letters also
//! matches words it starts (`comment` matches `comments-area`).

use scraper::node::Element;

use crate::corpus::left_out::Reason;

/// Class and id words that mark a main-text container.
pub const POSITIVE: &[&str] = &[
    "article", "content", "main", "story", "body", "text", "entry", "post", "detail", "hentry",
    "blog",
];

/// Class and id words of page chrome, unless a positive word is there too.
const WEAK_NEGATIVE: &[&str] = &[
    "sidebar", "menu", "nav", "footer", "header", "masthead", "widget", "toolbar", "sitemap",
    "tags", "tag",
];

/// Readers' comments.
const COMMENTS: &[&str] = &["comment", "comments", "disqus", "respond", "replies"];

/// Related-story boxes.
const RELATED: &[&str] = &["related", "recommend", "popular", "trending", "more"];

/// Share bars, ads, cookie notices and the like.
const CHROME: &[&str] = &[
    "share",
    "sharing",
    "social",
    "breadcrumb",
    "breadcrumbs",
    "newsletter",
    "subscribe",
    "advert",
    "ad",
    "ads",
    "advertisement",
    "cookie",
    "cookies",
    "popup",
    "modal",
    "sponsor",
    "sponsored",
    "promo",
    "print",
];

/// Captions, credits, galleries, bylines, date and meta lines.
const CAPTIONS: &[&str] = &[
    "caption",
    "captions",
    "credit",
    "credits",
    "gallery",
    "slideshow",
    "carousel",
    "byline",
    "author",
    "dateline",
    "timestamp",
    "date",
    "meta",
];

/// The class and id of an element, as lowercase words (`read-also`,
/// `readAlso` and the like also give `related`).
pub fn names(e: &Element) -> Vec<String> {
    let mut words = Vec::new();
    for value in [e.attr("class"), e.attr("id")].into_iter().flatten() {
        let lower = value.to_lowercase();
        let joined: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
        if joined.contains("readalso") || joined.contains("alsoread") || joined.contains("mostread")
        {
            words.push("related".to_string());
        }
        words.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
    }
    words
}

/// True when a word matches a pattern (whole, or its start for patterns
/// of more than three letters).
pub fn words_match(words: &[String], patterns: &[&str]) -> bool {
    words.iter().any(|w| {
        patterns
            .iter()
            .any(|p| w == p || (p.len() > 3 && w.starts_with(p)))
    })
}

/// The reason a class or id alone marks an element.
fn strong_negative(words: &[String]) -> Option<Reason> {
    if words_match(words, COMMENTS) {
        Some(Reason::Comments)
    } else if words_match(words, RELATED) {
        Some(Reason::RelatedHeadline)
    } else if words_match(words, CHROME) {
        Some(Reason::PageChrome)
    } else if words_match(words, CAPTIONS) {
        Some(Reason::Captions)
    } else {
        None
    }
}

/// True for class or id words of page chrome (weak or strong).
pub fn negative(words: &[String]) -> bool {
    words_match(words, WEAK_NEGATIVE) || strong_negative(words).is_some()
}

/// The signal an element carries: why it is usually not article text.
pub fn signal(e: &Element) -> Option<Reason> {
    let tag = e.name();
    if matches!(tag, "html" | "body" | "main" | "article") {
        return None;
    }
    let words = names(e);
    if let Some(reason) = strong_negative(&words) {
        return Some(reason);
    }
    if matches!(tag, "figure" | "figcaption") {
        return Some(Reason::Captions);
    }
    if matches!(tag, "nav" | "header" | "footer" | "aside" | "form" | "menu") {
        return Some(Reason::PageChrome);
    }
    let role = e.attr("role").unwrap_or("").to_ascii_lowercase();
    if matches!(
        role.as_str(),
        "navigation" | "banner" | "contentinfo" | "complementary" | "search"
    ) {
        return Some(Reason::PageChrome);
    }
    (words_match(&words, WEAK_NEGATIVE) && !words_match(&words, POSITIVE))
        .then_some(Reason::PageChrome)
}

/// True for an element that is not displayed (`hidden`, `aria-hidden`,
/// `display:none`).
pub fn hidden(e: &Element) -> bool {
    e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || e.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        })
}
