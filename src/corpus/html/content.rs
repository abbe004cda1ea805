//! HTML: the page's main text, from its [`blocks`](super::blocks).
//!
//! 1. Signals are judged by the text under them: an element marked as
//!    page chrome, comments or related stories (by tag, role, class or
//!    id: see [`super::classes`]) is left out, unless it holds most of
//!    the page's running text ([`KEEP_SHARE`]; [`KEEP_SHARE_COMMENTS`]
//!    for comments): then it is a wrapper around the article (an ASP.NET
//!    `<form>`, a theme's `…-sidebar-wrap`, an `ad-…-pusher`), not
//!    furniture.
//! 2. Main block (readability-style scoring): every other block of at
//!    least [`MIN_BLOCK_CHARS`] characters scores `1 + commas +
//!    min(chars/100, 3)` for its parent, half for its grandparent and a
//!    third of that per further level, five levels up; a container also
//!    gets a bonus for its tag (`article` 10, `main` 8, `div` 5) and its
//!    class or id (±25), never more than its points, and its score is
//!    scaled by `1 - link density`. The best container is widened to an
//!    ancestor when the article is cut into several containers, when an
//!    ancestor scores more, or when it is an only child; a sibling joins
//!    it when it scores at least a fifth of it (and 10), or is a
//!    paragraph of over 80 characters with few links.
//! 3. Inside the main block, blocks mostly made of links (over half their
//!    characters) are left out as related headlines; the headline itself
//!    (a block equal to the title) is the title, and a block all inside
//!    `<time>` the date, not body.
//!
//! Every block left out is returned with its [`Reason`]: `akhbar analyze
//! --file` lists them and `akhbar index` counts them.

use std::collections::{HashMap, HashSet};

use ego_tree::NodeId;
use scraper::{Html, Node};

use super::blocks::{self, Block, Walk};
use super::blocks::{clean, MIN_BLOCK_CHARS};
use super::classes::{self, names, words_match, POSITIVE};
use crate::corpus::left_out::Reason;

/// Share of the page's running text above which a signalled element is
/// taken for a wrapper of the article and kept.
pub const KEEP_SHARE: f64 = 0.6;

/// The same for readers' comments, whose thread can be many times longer
/// than the article it follows: kept only when no running text is
/// outside them.
pub const KEEP_SHARE_COMMENTS: f64 = 1.0;

/// The main text and what was left out.
#[derive(Debug, Default)]
pub struct Extract {
    /// Paragraphs of the main text, blank-line separated.
    pub body: String,
    /// Blocks left out, in page order, with their reason.
    pub left_out: Vec<(Reason, String)>,
    /// Characters of all the page's visible text (white space not
    /// counted), the title's block and date blocks aside.
    pub visible_chars: usize,
    /// Characters of the page's running text: blocks of at least
    /// [`MIN_BLOCK_CHARS`] mostly outside links, wherever they are.
    pub prose_chars: usize,
    /// Running-text characters of the longest block left out.
    pub longest_left_out: usize,
    /// The main container, as `<tag class="…" id="…">`.
    pub main: String,
}

/// A block with the decision about it.
struct Judged<'a> {
    block: &'a Block,
    excluded: Option<Reason>,
}

/// Extracts the main text of a parsed page; `title` is the article's
/// title (a block equal to it is not body).
pub fn extract(html: &Html, title: &str) -> Extract {
    let walk = blocks::walk(html.tree.root());
    let judged = judge(&walk);
    let totals = totals(html, &judged);
    let (main, top) = main_nodes(html, &judged, &totals);
    let title = clean(title);
    let mut out = Extract {
        main: describe(html, top),
        ..Extract::default()
    };
    let mut body: Vec<&str> = Vec::new();
    for j in &judged {
        let b = j.block;
        if b.text == title || b.date_only {
            continue;
        }
        out.visible_chars += b.chars;
        out.prose_chars += b.prose();
        let reason = match j.excluded {
            Some(r) => Some(r),
            None if !main.contains(&b.owner) => Some(Reason::OutsideMain),
            None if b.link_chars * 2 > b.chars => Some(Reason::RelatedHeadline),
            None => {
                body.push(&b.text);
                None
            }
        };
        if let Some(r) = reason {
            out.longest_left_out = out.longest_left_out.max(b.prose());
            out.left_out.push((r, b.text.clone()));
        }
    }
    out.body = body.join("\n\n");
    out
}

/// Decides which signals hold and marks the blocks under them.
fn judge(walk: &Walk) -> Vec<Judged<'_>> {
    let mut prose = vec![0usize; walk.signals.len()];
    let mut page = 0usize;
    for b in &walk.blocks {
        let p = b.prose();
        page += p;
        let mut at = b.signal;
        while let Some(s) = at {
            prose[s] += p;
            at = walk.signals[s].parent;
        }
    }
    let holds: Vec<bool> = prose
        .iter()
        .zip(&walk.signals)
        .map(|(&p, s)| {
            let share = if s.reason == Reason::Comments {
                KEEP_SHARE_COMMENTS
            } else {
                KEEP_SHARE
            };
            p == 0 || (p as f64) < share * page as f64
        })
        .collect();
    walk.blocks
        .iter()
        .map(|block| {
            // The outermost signal that holds decides.
            let mut excluded = None;
            let mut at = block.signal;
            while let Some(s) = at {
                if holds[s] {
                    excluded = Some(walk.signals[s].reason);
                }
                at = walk.signals[s].parent;
            }
            Judged { block, excluded }
        })
        .collect()
}

/// Characters and link characters of the kept text under each element.
fn totals(html: &Html, judged: &[Judged]) -> HashMap<NodeId, (usize, usize)> {
    let mut totals: HashMap<NodeId, (usize, usize)> = HashMap::new();
    for j in judged.iter().filter(|j| j.excluded.is_none()) {
        let Some(owner) = html.tree.get(j.block.owner) else {
            continue;
        };
        for node in std::iter::once(owner).chain(owner.ancestors()) {
            let t = totals.entry(node.id()).or_default();
            t.0 += j.block.chars;
            t.1 += j.block.link_chars;
        }
    }
    totals
}

/// Scores of the containers, link density applied.
type Scores = HashMap<NodeId, f64>;

/// The nodes of the main block (the chosen containers and everything in
/// them; the whole page when no block scores), and its main container.
fn main_nodes(
    html: &Html,
    judged: &[Judged],
    totals: &HashMap<NodeId, (usize, usize)>,
) -> (HashSet<NodeId>, NodeId) {
    let tree = &html.tree;
    let scores = scores(html, judged, totals);
    let mut ranked: Vec<(NodeId, f64)> = scores.iter().map(|(&id, &s)| (id, s)).collect();
    // Best first; equal scores in document order (the map's order is not
    // the same from run to run).
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut chosen = Vec::new();
    let main = match ranked.first() {
        None => html.root_element().id(),
        Some(&(top, _)) => {
            let top = widen(html, &scores, &ranked, top);
            let top_score = scores.get(&top).copied().unwrap_or(0.0);
            chosen.extend(siblings(html, &scores, totals, top, top_score));
            top
        }
    };
    chosen.push(main);
    let mut nodes = HashSet::new();
    for id in chosen {
        if let Some(node) = tree.get(id) {
            nodes.extend(node.descendants().map(|n| n.id()));
        }
    }
    (nodes, main)
}

/// An element as `<tag class="…" id="…">` (for `akhbar analyze`).
fn describe(html: &Html, id: NodeId) -> String {
    let Some(e) = html.tree.get(id).and_then(|n| n.value().as_element()) else {
        return "the page".to_string();
    };
    let mut out = format!("<{}", e.name());
    for name in ["class", "id"] {
        if let Some(v) = e.attr(name).map(clean).filter(|v| !v.is_empty()) {
            let v: String = v.chars().take(60).collect();
            out.push_str(&format!(" {name}=\"{v}\""));
        }
    }
    out.push('>');
    out
}

/// Every container's score: its blocks' points (a block of at least
/// [`MIN_BLOCK_CHARS`] scores `1 + commas + min(chars/100, 3)` for its
/// parent, half for the grandparent, a third of that per further level,
/// five levels up), plus its tag and class (the bonus never more than
/// the points), scaled by `1 - link density`.
fn scores(html: &Html, judged: &[Judged], totals: &HashMap<NodeId, (usize, usize)>) -> Scores {
    let mut points: HashMap<NodeId, f64> = HashMap::new();
    for j in judged.iter().filter(|j| j.excluded.is_none()) {
        let b = j.block;
        if b.chars < MIN_BLOCK_CHARS {
            continue;
        }
        let commas = b.text.matches([',', '،']).count() as f64;
        let score = 1.0 + commas + (b.chars as f64 / 100.0).min(3.0);
        let Some(owner) = html.tree.get(b.owner) else {
            continue;
        };
        let ancestors = owner.ancestors().filter(|n| n.value().is_element()).take(5);
        for (level, node) in ancestors.enumerate() {
            let share = match level {
                0 => 1.0,
                1 => 0.5,
                n => 1.0 / (n as f64 * 3.0),
            };
            *points.entry(node.id()).or_default() += score * share;
        }
    }
    points
        .into_iter()
        .map(|(id, p)| {
            let bonus = html.tree.get(id).map_or(0.0, |n| initial_score(n.value()));
            let (chars, links) = totals.get(&id).copied().unwrap_or((0, 0));
            let density = if chars == 0 {
                0.0
            } else {
                links as f64 / chars as f64
            };
            (id, (p + bonus.min(p)) * (1.0 - density))
        })
        .collect()
}

/// The top container, or an ancestor when the article is cut into
/// several containers (two of the next four candidates scoring at
/// least three quarters of it share that ancestor), when an ancestor
/// scores more, or when it is its parent's only child.
fn widen(html: &Html, scores: &Scores, ranked: &[(NodeId, f64)], top: NodeId) -> NodeId {
    let tree = &html.tree;
    let Some(mut node) = tree.get(top) else {
        return top;
    };
    let top_score = scores.get(&top).copied().unwrap_or(0.0);
    let close: Vec<HashSet<NodeId>> = ranked
        .iter()
        .skip(1)
        .take(4)
        .filter(|(_, s)| *s >= 0.75 * top_score)
        .filter_map(|(id, _)| tree.get(*id))
        .map(|n| n.ancestors().map(|a| a.id()).collect())
        .collect();
    let is_body = |n: &ego_tree::NodeRef<Node>| {
        n.value()
            .as_element()
            .is_none_or(|e| matches!(e.name(), "body" | "html"))
    };
    if close.len() >= 2 {
        for a in node.ancestors().take_while(|a| !is_body(a)) {
            if close.iter().filter(|set| set.contains(&a.id())).count() >= 2 {
                node = a;
                break;
            }
        }
    }
    let mut last = scores.get(&node.id()).copied().unwrap_or(0.0);
    let threshold = last / 3.0;
    for a in node.ancestors().take_while(|a| !is_body(a)) {
        let Some(&score) = scores.get(&a.id()) else {
            continue;
        };
        if score < threshold {
            break;
        }
        if score > last {
            node = a;
            break;
        }
        last = score;
    }
    while let Some(parent) = node.parent().filter(|p| !is_body(p)) {
        if parent.children().filter(|c| c.value().is_element()).count() != 1 {
            break;
        }
        node = parent;
    }
    node.id()
}

/// Siblings of the main container that join it: those scoring at least
/// a fifth of it (and 10; a sibling with the same class gets a fifth of
/// its score as a bonus), and paragraphs of over 80 characters with few
/// links.
fn siblings(
    html: &Html,
    scores: &Scores,
    totals: &HashMap<NodeId, (usize, usize)>,
    top: NodeId,
    top_score: f64,
) -> Vec<NodeId> {
    let tree = &html.tree;
    let Some(top_node) = tree.get(top) else {
        return Vec::new();
    };
    let top_class = top_node.value().as_element().and_then(|e| e.attr("class"));
    let threshold = (top_score * 0.2).max(10.0);
    let mut out = Vec::new();
    for sibling in top_node.parent().iter().flat_map(|p| p.children()) {
        let id = sibling.id();
        let Some(e) = sibling.value().as_element() else {
            continue;
        };
        if id == top {
            continue;
        }
        let mut score = scores.get(&id).copied().unwrap_or(0.0);
        if top_class.is_some() && e.attr("class") == top_class {
            score += top_score * 0.2;
        }
        let (chars, links) = totals.get(&id).copied().unwrap_or((0, 0));
        let few_links = chars > 0 && (links as f64) < 0.25 * chars as f64;
        if score >= threshold || (e.name() == "p" && chars > 80 && few_links) {
            out.push(id);
        }
    }
    out
}

/// A container's score before its paragraphs: its tag and class.
fn initial_score(node: &Node) -> f64 {
    let Some(e) = node.as_element() else {
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
    } else if classes::negative(&names) {
        -25.0
    } else {
        0.0
    };
    tag + weight
}
