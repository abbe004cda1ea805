//! HTML: the page's main text. The page is cut into text blocks (the
//! text of a paragraph, heading, list item, or a `<div>` holding text
//! itself), in document order, each with its length, the share of it in
//! links, and whether it sits in a part of the page that is never
//! article text:
//!
//! - page chrome: `<nav>`, `<header>`, `<footer>`, `<aside>`, `<form>`,
//!   `<menu>`, ARIA `navigation`/`banner`/`contentinfo`/`complementary`,
//!   and elements whose class or id names navigation, menus, sidebars,
//!   share and social widgets, breadcrumbs, newsletters, ads, cookie
//!   notices or tags;
//! - readers' comments (class or id `comment…`, `disqus`, `respond`);
//! - related-story boxes (`related…`, `recommend…`, `read-also`,
//!   `most-read`, `popular`, `trending`);
//! - scripts, styles, templates, hidden elements and HTML comments are
//!   not text at all and are not counted.
//!
//! Main block (readability-style scoring): every other block of at least
//! [`MIN_BLOCK_CHARS`] characters scores `1 + commas + min(chars/100, 3)`
//! for its parent, half for its grandparent and a sixth for the next
//! ancestor; a container also gets a bonus for its tag (`article` 10,
//! `main` 8, `div` 5) and its class or id (±25 for words such as
//! `article`/`content`/`story` or `sidebar`/`footer`), and its score is
//! scaled by `1 - link density`. The best container is the main block;
//! a sibling joins it when it scores at least a fifth of it (and 10), or
//! is a paragraph of over 80 characters with few links.
//!
//! Inside the main block, blocks mostly made of links (over half their
//! characters) are left out as related headlines; the headline itself
//! (a block equal to the title) is the title, and a block all inside
//! `<time>` the date, not body. Every block left
//! out is returned with its [`Reason`]: `akhbar analyze --file` lists
//! them and `akhbar index` counts them.
//!
//! Every walk is iterative (an explicit stack), so deeply nested markup
//! costs memory, not the call stack.

use std::collections::{HashMap, HashSet};

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::metadata::clean;
use crate::corpus::left_out::Reason;

/// Shortest block (characters, white space not counted) that scores.
pub const MIN_BLOCK_CHARS: usize = 25;

/// One block of text.
#[derive(Clone, Debug)]
struct Block {
    owner: NodeId,
    text: String,
    chars: usize,
    link_chars: usize,
    /// True when all its text is inside `<time>`: the date, not body.
    date_only: bool,
    excluded: Option<Reason>,
}

/// The main text and what was left out.
#[derive(Debug, Default)]
pub struct Extract {
    /// Paragraphs of the main text, blank-line separated.
    pub body: String,
    /// Blocks left out, in page order, with their reason.
    pub left_out: Vec<(Reason, String)>,
}

/// Elements whose content is never text.
const NOT_TEXT: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "picture", "img", "input", "select", "textarea", "button",
    "option", "title", "meta", "link",
];

/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Extracts the main text of a parsed page; `title` is the article's
/// title (a block equal to it is not body). With `body_given` (JSON-LD
/// `articleBody`), only the page chrome, comments and related boxes are
/// reported as left out: the rest of the page shows the given body.
pub fn extract(html: &Html, title: &str, body_given: bool) -> Extract {
    let root = html.tree.root();
    let (blocks, totals) = blocks(root);
    let mut out = Extract::default();
    let title = clean(title);
    let main = if body_given {
        None
    } else {
        Some(main_nodes(html, &blocks, &totals))
    };
    let mut body: Vec<&str> = Vec::new();
    for b in &blocks {
        if b.text == title || b.date_only {
            continue;
        }
        let reason = match (b.excluded, &main) {
            (Some(r), _) => Some(r),
            (None, None) => None,
            (None, Some(main)) if !main.contains(&b.owner) => Some(Reason::OutsideMain),
            (None, Some(_)) if b.link_chars * 2 > b.chars => Some(Reason::RelatedHeadline),
            (None, Some(_)) => {
                body.push(&b.text);
                None
            }
        };
        if let Some(r) = reason {
            out.left_out.push((r, b.text.clone()));
        }
    }
    out.body = body.join("\n\n");
    out
}

/// The nodes of the main block (the chosen containers and everything in
/// them); the whole page when no block scores.
fn main_nodes(
    html: &Html,
    blocks: &[Block],
    totals: &HashMap<NodeId, (usize, usize)>,
) -> HashSet<NodeId> {
    let tree = &html.tree;
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    for b in blocks.iter().filter(|b| b.excluded.is_none()) {
        if b.chars < MIN_BLOCK_CHARS {
            continue;
        }
        let commas = b.text.matches([',', '،']).count() as f64;
        let score = 1.0 + commas + (b.chars as f64 / 100.0).min(3.0);
        let Some(owner) = tree.get(b.owner) else {
            continue;
        };
        let ancestors = owner.ancestors().filter(|n| n.value().is_element()).take(3);
        for (level, node) in ancestors.enumerate() {
            let share = match level {
                0 => 1.0,
                1 => 0.5,
                _ => 1.0 / 6.0,
            };
            *scores
                .entry(node.id())
                .or_insert_with(|| initial_score(node)) += score * share;
        }
    }
    let link_density = |id: NodeId| {
        totals.get(&id).map_or(
            0.0,
            |&(c, l)| if c == 0 { 0.0 } else { l as f64 / c as f64 },
        )
    };
    let final_score = |id: NodeId, s: f64| s * (1.0 - link_density(id));
    let top = scores
        .iter()
        .map(|(&id, &s)| (id, final_score(id, s)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let mut chosen = Vec::new();
    match top {
        None => chosen.push(root_element(html)),
        Some((top, top_score)) => {
            chosen.push(top);
            let threshold = (top_score * 0.2).max(10.0);
            let parent = tree.get(top).and_then(|n| n.parent());
            for sibling in parent.iter().flat_map(|p| p.children()) {
                let id = sibling.id();
                if id == top || !sibling.value().is_element() {
                    continue;
                }
                let score = scores.get(&id).map_or(0.0, |&s| final_score(id, s));
                let is_p = sibling
                    .value()
                    .as_element()
                    .is_some_and(|e| e.name() == "p");
                let chars = totals.get(&id).map_or(0, |t| t.0);
                if score >= threshold || (is_p && chars > 80 && link_density(id) < 0.25) {
                    chosen.push(id);
                }
            }
        }
    }
    let mut nodes = HashSet::new();
    for id in chosen {
        if let Some(node) = tree.get(id) {
            nodes.extend(node.descendants().map(|n| n.id()));
        }
    }
    nodes
}

fn root_element(html: &Html) -> NodeId {
    html.root_element().id()
}

/// A container's score before its paragraphs: its tag and class.
fn initial_score(node: NodeRef<Node>) -> f64 {
    let Some(e) = node.value().as_element() else {
        return 0.0;
    };
    let tag = match e.name() {
        "article" => 10.0,
        "main" => 8.0,
        "div" => 5.0,
        "section" | "pre" | "td" | "blockquote" => 3.0,
        "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" | "address" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    let names = names(e);
    let weight = if words_match(&names, POSITIVE) {
        25.0
    } else if words_match(&names, WEAK_NEGATIVE) || strong_negative(&names).is_some() {
        -25.0
    } else {
        0.0
    };
    tag + weight
}

/// Class and id words that mark a main-text container.
const POSITIVE: &[&str] = &[
    "article", "content", "main", "story", "body", "text", "entry", "post", "detail",
];
/// Class and id words of page chrome, unless a positive word is there too.
const WEAK_NEGATIVE: &[&str] = &[
    "sidebar", "menu", "nav", "footer", "header", "masthead", "widget", "toolbar", "sitemap",
    "tags", "tag",
];

/// The class and id of an element, as lowercase words.
fn names(e: &scraper::node::Element) -> Vec<String> {
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

fn words_match(words: &[String], patterns: &[&str]) -> bool {
    words.iter().any(|w| {
        patterns
            .iter()
            .any(|p| w == p || (p.len() > 3 && w.starts_with(p)))
    })
}

/// The reason a class or id alone excludes an element.
fn strong_negative(words: &[String]) -> Option<Reason> {
    const COMMENTS: &[&str] = &["comment", "comments", "disqus", "respond", "replies"];
    const RELATED: &[&str] = &["related", "recommend", "popular", "trending", "more"];
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
    if words_match(words, COMMENTS) {
        Some(Reason::Comments)
    } else if words_match(words, RELATED) {
        Some(Reason::RelatedHeadline)
    } else if words_match(words, CHROME) {
        Some(Reason::PageChrome)
    } else {
        None
    }
}

/// Why an element is never article text, if it is not.
fn exclusion(e: &scraper::node::Element) -> Option<Reason> {
    let tag = e.name();
    if matches!(tag, "html" | "body" | "main" | "article") {
        return None;
    }
    let words = names(e);
    if let Some(reason) = strong_negative(&words) {
        return Some(reason);
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

fn hidden(e: &scraper::node::Element) -> bool {
    e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || e.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        })
}

/// Cuts the page into blocks; also returns, per element, the characters
/// and link characters of the non-excluded text under it.
fn blocks(root: NodeRef<Node>) -> (Vec<Block>, HashMap<NodeId, (usize, usize)>) {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        Exit(NodeRef<'a, Node>),
    }
    let mut out: Vec<Block> = Vec::new();
    let mut totals: HashMap<NodeId, (usize, usize)> = HashMap::new();
    let mut stack = vec![Step::Enter(root)];
    let mut owners = vec![root.id()];
    let mut excluded: Vec<(NodeId, Reason)> = Vec::new();
    let mut links = 0usize;
    let mut text = String::new();
    let mut link_chars = 0usize;
    let mut times = 0usize;
    let mut outside_time = false;
    let mut flush = |text: &mut String,
                     link_chars: &mut usize,
                     outside_time: &mut bool,
                     owner: NodeId,
                     excluded: Option<Reason>,
                     totals: &mut HashMap<NodeId, (usize, usize)>| {
        let cleaned = clean(text);
        if !cleaned.is_empty() {
            let chars = cleaned.chars().filter(|c| !c.is_whitespace()).count();
            if excluded.is_none() {
                let t = totals.entry(owner).or_default();
                t.0 += chars;
                t.1 += *link_chars;
            }
            out.push(Block {
                owner,
                text: cleaned,
                chars,
                link_chars: (*link_chars).min(chars),
                date_only: !*outside_time,
                excluded,
            });
        }
        text.clear();
        *link_chars = 0;
        *outside_time = false;
    };
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(node) => match node.value() {
                Node::Text(t) => {
                    text.push_str(t);
                    if times == 0 && !t.trim().is_empty() {
                        outside_time = true;
                    }
                    if links > 0 {
                        link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                    }
                }
                Node::Element(e) => {
                    let name = e.name();
                    if NOT_TEXT.contains(&name) || hidden(e) {
                        continue;
                    }
                    let block = BLOCKS.contains(&name);
                    if block || name == "br" {
                        let owner = *owners.last().unwrap_or(&root.id());
                        let ex = excluded.last().map(|x| x.1);
                        flush(
                            &mut text,
                            &mut link_chars,
                            &mut outside_time,
                            owner,
                            ex,
                            &mut totals,
                        );
                    }
                    if name == "br" {
                        continue;
                    }
                    if excluded.is_empty() {
                        if let Some(reason) = exclusion(e) {
                            excluded.push((node.id(), reason));
                        }
                    }
                    if block {
                        owners.push(node.id());
                    }
                    if name == "a" {
                        links += 1;
                    }
                    if name == "time" {
                        times += 1;
                    }
                    stack.push(Step::Exit(node));
                    let children: Vec<NodeRef<Node>> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Enter));
                }
                Node::Document | Node::Fragment => {
                    stack.push(Step::Exit(node));
                    let children: Vec<NodeRef<Node>> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Enter));
                }
                _ => {}
            },
            Step::Exit(node) => {
                if let Some(e) = node.value().as_element() {
                    let name = e.name();
                    if BLOCKS.contains(&name) {
                        let ex = excluded.last().map(|x| x.1);
                        flush(
                            &mut text,
                            &mut link_chars,
                            &mut outside_time,
                            node.id(),
                            ex,
                            &mut totals,
                        );
                        owners.pop();
                    }
                    if name == "a" {
                        links = links.saturating_sub(1);
                    }
                    if name == "time" {
                        times = times.saturating_sub(1);
                    }
                    if excluded.last().is_some_and(|x| x.0 == node.id()) {
                        excluded.pop();
                    }
                }
                if let (Some(t), Some(parent)) = (totals.get(&node.id()).copied(), node.parent()) {
                    let p = totals.entry(parent.id()).or_default();
                    p.0 += t.0;
                    p.1 += t.1;
                }
            }
        }
    }
    let ex = excluded.last().map(|x| x.1);
    flush(
        &mut text,
        &mut link_chars,
        &mut outside_time,
        root.id(),
        ex,
        &mut totals,
    );
    (out, totals)
}
