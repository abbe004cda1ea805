//! HTML: an article's fields from the page's metadata. Title from JSON-LD
//! `headline`, `og:title`, the first `<h1>` or `<title>` (without the
//! site-name part); date from JSON-LD `datePublished`,
//! `article:published_time` (and the usual `pubdate`/`date` meta names),
//! the first `<time datetime>`; source from `og:site_name` or the
//! JSON-LD publisher; url from `<link rel=canonical>` or `og:url`;
//! section and keywords from JSON-LD or `article:section`/`keywords`;
//! and JSON-LD `articleBody` when the page gives one.
//!
//! JSON-LD: every `<script type="application/ld+json">` is parsed; the
//! first object (at any depth of arrays and `@graph`) whose `@type` is an
//! article type is used. Broken JSON-LD is ignored (the page's other
//! metadata still counts).

use scraper::{ElementRef, Html};
use serde_json::{Map, Value};

use super::blocks::clean;

/// Fields found in the page's metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Headline, site name removed.
    pub title: String,
    /// Date as written.
    pub date: String,
    /// Site or publisher name.
    pub source: String,
    /// Canonical address.
    pub url: String,
    /// Section.
    pub category: String,
    /// Keywords, comma-separated.
    pub keywords: String,
    /// JSON-LD `articleBody`, when present.
    pub body: Option<String>,
}

/// JSON-LD `@type`s taken for an article.
const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
];

/// Reads the metadata of a parsed page.
pub fn read(html: &Html) -> Metadata {
    let mut meta: Vec<(String, String)> = Vec::new();
    let (mut canonical, mut title_tag, mut h1, mut time) = (None, None, None, None);
    let mut ld: Option<Map<String, Value>> = None;
    for node in html.root_element().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let e = el.value();
        match e.name() {
            "meta" => {
                let key = e
                    .attr("property")
                    .or_else(|| e.attr("name"))
                    .or_else(|| e.attr("itemprop"));
                if let (Some(k), Some(v)) = (key, e.attr("content")) {
                    meta.push((k.trim().to_ascii_lowercase(), clean(v)));
                }
            }
            "link" if canonical.is_none() => {
                let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") {
                    canonical = e.attr("href").map(clean);
                }
            }
            "title" if title_tag.is_none() => title_tag = Some(text_of(el)),
            "h1" if h1.is_none() => h1 = Some(text_of(el)).filter(|t| !t.is_empty()),
            "time" if time.is_none() => {
                time = e
                    .attr("datetime")
                    .map(clean)
                    .filter(|t| !t.is_empty())
                    .or_else(|| Some(text_of(el)).filter(|t| !t.is_empty()));
            }
            "script" if ld.is_none() => {
                let ty = e.attr("type").unwrap_or("").to_ascii_lowercase();
                if ty.trim() == "application/ld+json" {
                    let json: String = el.text().collect();
                    if let Ok(value) = serde_json::from_str::<Value>(json.trim()) {
                        ld = find_article(&value, 0).cloned();
                    }
                }
            }
            _ => {}
        }
    }
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            meta.iter()
                .find(|(key, v)| key == k && !v.is_empty())
                .map(|(_, v)| v.clone())
        })
    };
    let ld = ld.unwrap_or_default();
    let ld_str = |key: &str| ld.get(key).and_then(string_of).filter(|s| !s.is_empty());
    let source = get(&["og:site_name"])
        .or_else(|| ld.get("publisher").and_then(name_of))
        .or_else(|| get(&["application-name"]))
        .unwrap_or_default();
    let title = ld_str("headline")
        .or_else(|| get(&["og:title", "twitter:title"]))
        .or(h1)
        .or(title_tag)
        .map(|t| strip_site_name(&t, &source))
        .unwrap_or_default();
    let date = ld_str("datePublished")
        .or_else(|| {
            get(&[
                "article:published_time",
                "datepublished",
                "pubdate",
                "publishdate",
                "publish-date",
                "date",
                "dc.date.issued",
                "dc.date",
            ])
        })
        .or(time)
        .or_else(|| ld_str("dateCreated"))
        .unwrap_or_default();
    let url = canonical
        .filter(|u| !u.is_empty())
        .or_else(|| get(&["og:url"]))
        .or_else(|| ld_str("url"))
        .unwrap_or_default();
    let category = ld_str("articleSection")
        .or_else(|| get(&["article:section"]))
        .unwrap_or_default();
    let tags: Vec<String> = meta
        .iter()
        .filter(|(k, _)| k == "article:tag")
        .map(|(_, v)| v.clone())
        .collect();
    let keywords = ld_str("keywords")
        .or_else(|| get(&["keywords", "news_keywords"]))
        .or_else(|| (!tags.is_empty()).then(|| tags.join("، ")))
        .unwrap_or_default();
    let body = ld
        .get("articleBody")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_string);
    Metadata {
        title,
        date,
        source,
        url,
        category,
        keywords,
        body,
    }
}

/// The first article object in a JSON-LD value (arrays and `@graph`
/// searched, at most 8 levels deep).
fn find_article(value: &Value, depth: usize) -> Option<&Map<String, Value>> {
    if depth > 8 {
        return None;
    }
    match value {
        Value::Array(items) => items.iter().find_map(|v| find_article(v, depth + 1)),
        Value::Object(map) => {
            let is_article = match map.get("@type") {
                Some(Value::String(t)) => is_article_type(t),
                Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(is_article_type),
                _ => false,
            };
            if is_article {
                return Some(map);
            }
            map.get("@graph").and_then(|g| find_article(g, depth + 1))
        }
        _ => None,
    }
}

fn is_article_type(t: &str) -> bool {
    let t = t
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(t)
        .to_ascii_lowercase();
    ARTICLE_TYPES.contains(&t.as_str())
}

/// A JSON-LD value as text: a string, or strings of an array joined.
fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(ld_clean(s)),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(ld_clean)
                .collect();
            (!parts.is_empty()).then(|| parts.join("، "))
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A publisher's name: `{"name": …}`, a string, or the first of an array.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => m.get("name").and_then(Value::as_str).map(ld_clean),
        Value::String(s) => Some(ld_clean(s)),
        Value::Array(items) => items.iter().find_map(name_of),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// An element's text, white space collapsed.
pub fn text_of(el: ElementRef) -> String {
    let text: String = el.text().collect();
    clean(&text)
}

/// Text that may hold HTML (a JSON-LD `articleBody` or description) as
/// plain paragraphs: tags removed (block tags end a paragraph), entities
/// decoded, white space collapsed inside paragraphs, paragraphs
/// blank-line separated.
pub fn markup_text(raw: &str) -> String {
    let has_tag = raw
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
    if has_tag {
        let fragment = Html::parse_fragment(raw);
        let walk = super::blocks::walk(fragment.tree.root());
        let paragraphs: Vec<String> = walk.blocks.into_iter().map(|b| b.text).collect();
        return paragraphs.join("\n\n");
    }
    let decoded;
    let text = if raw.contains('&') {
        let fragment = Html::parse_fragment(raw);
        decoded = fragment.root_element().text().collect::<String>();
        decoded.as_str()
    } else {
        raw
    };
    let paragraphs: Vec<String> = text.lines().map(clean).filter(|l| !l.is_empty()).collect();
    paragraphs.join("\n\n")
}

/// A JSON-LD string on one line: markup and entities removed when it
/// has any (`Tom &amp; Jerry`, `<b>headline</b>`), white space collapsed.
fn ld_clean(text: &str) -> String {
    if text.contains(['<', '&']) {
        clean(&markup_text(text))
    } else {
        clean(text)
    }
}

/// Separators between a headline and the site's name in `<title>`.
const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · "];

/// A title without the site-name part: the part equal to (or contained
/// in) `site`, at the start or the end, is removed; without a known site
/// name, a last part of at most four words shorter than the rest is.
pub fn strip_site_name(title: &str, site: &str) -> String {
    let title = clean(title);
    let Some(sep) = SEPARATORS.iter().find(|s| title.contains(**s)) else {
        return title;
    };
    let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
    let site = clean(site);
    let matches =
        |p: &str| !site.is_empty() && (p == site || p.contains(&site) || site.contains(p));
    let n = parts.len();
    if matches(parts[n - 1]) {
        return parts[..n - 1].join(sep);
    }
    if matches(parts[0]) {
        return parts[1..].join(sep);
    }
    let rest = parts[..n - 1].join(sep);
    let last = parts[n - 1];
    if site.is_empty() && last.split_whitespace().count() <= 4 && last.len() < rest.len() {
        return rest;
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_name_parts_removed() {
        let cases = [
            (
                "افتتاح جسر جديد | صحيفة الوادي",
                "صحيفة الوادي",
                "افتتاح جسر جديد",
            ),
            (
                "صحيفة الوادي - افتتاح جسر جديد",
                "صحيفة الوادي",
                "افتتاح جسر جديد",
            ),
            ("افتتاح جسر جديد - الوادي", "", "افتتاح جسر جديد"),
            ("افتتاح جسر جديد", "صحيفة الوادي", "افتتاح جسر جديد"),
            // A dash inside the headline with a longer second part stays.
            (
                "غزة - وصول قافلة المساعدات إلى المعبر الجنوبي",
                "",
                "غزة - وصول قافلة المساعدات إلى المعبر الجنوبي",
            ),
        ];
        for (title, site, expected) in cases {
            assert_eq!(strip_site_name(title, site), expected, "{title}");
        }
    }

    #[test]
    fn json_ld_text_loses_markup_and_entities() {
        let cases = [
            ("<p class=\"title\">خبر &amp; تعليق</p>", "خبر & تعليق"),
            ("قال &quot;الوزير&quot;&nbsp;أمس", "قال \"الوزير\" أمس"),
            ("نص عادي 3 < 4", "نص عادي 3 < 4"),
        ];
        for (raw, expected) in cases {
            assert_eq!(ld_clean(raw), expected, "{raw}");
        }
        assert_eq!(
            markup_text("<body><p>فقرة أولى</p><p>فقرة &apos;ثانية&apos;</p>"),
            "فقرة أولى\n\nفقرة 'ثانية'"
        );
        assert_eq!(markup_text("سطر أول\n\n  سطر ثان  "), "سطر أول\n\nسطر ثان");
    }

    #[test]
    fn json_ld_article_found_in_graph_and_arrays() {
        let v: Value = serde_json::from_str(
            r#"[{"@type":"WebSite","name":"x"},{"@graph":[{"@type":["NewsArticle"],"headline":"ع"}]}]"#,
        )
        .expect("json");
        assert_eq!(
            find_article(&v, 0).and_then(|m| m.get("headline")),
            Some(&Value::String("ع".to_string()))
        );
        let none: Value = serde_json::from_str(r#"{"@type":"Organization"}"#).expect("json");
        assert!(find_article(&none, 0).is_none());
    }
}
