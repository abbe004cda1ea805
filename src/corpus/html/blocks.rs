//! HTML: a page cut into text blocks. A block is the text of a
//! paragraph, heading, list item, table cell, or of a `<div>` holding
//! text itself, in document order, with its length, the part of it in
//! links, and the innermost element around it that carries a
//! [`classes::signal`] (navigation, comments, related stories …).
//! Scripts, styles, templates, hidden elements and HTML comments are not
//! text at all and give no block.
//!
//! The walk is iterative (an explicit stack), so deeply nested markup
//! costs memory, not the call stack.

use ego_tree::{NodeId, NodeRef};
use scraper::Node;

use super::classes;
use crate::corpus::left_out::Reason;

/// One block of text.
#[derive(Clone, Debug)]
pub struct Block {
    /// The block element that holds it.
    pub owner: NodeId,
    /// Its text, white space collapsed.
    pub text: String,
    /// Characters, white space not counted.
    pub chars: usize,
    /// Characters inside links.
    pub link_chars: usize,
    /// True when all its text is inside `<time>`: the date, not body.
    pub date_only: bool,
    /// Index in [`Walk::signals`] of the innermost signalled element
    /// around it.
    pub signal: Option<usize>,
}

impl Block {
    /// Characters of running text it adds to a page: blocks of at least
    /// 25 characters mostly outside links, their link text not counted.
    pub fn prose(&self) -> usize {
        if self.chars >= MIN_BLOCK_CHARS && self.link_chars * 2 < self.chars {
            self.chars - self.link_chars
        } else {
            0
        }
    }
}

/// An element whose tag, role, class or id says it is usually not
/// article text.
#[derive(Clone, Debug)]
pub struct Signal {
    /// The element.
    pub node: NodeId,
    /// What it usually is.
    pub reason: Reason,
    /// The signalled element around it, if any.
    pub parent: Option<usize>,
}

/// A page's blocks and signals.
#[derive(Debug, Default)]
pub struct Walk {
    /// Blocks in document order.
    pub blocks: Vec<Block>,
    /// Signalled elements, outer before inner.
    pub signals: Vec<Signal>,
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

/// True for a tag that starts and ends a block.
pub fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

/// The text being gathered into the next block.
#[derive(Default)]
struct Pending {
    text: String,
    link_chars: usize,
    outside_time: bool,
}

impl Pending {
    /// Ends the block: pushes it (when it has text) and starts anew.
    fn flush(&mut self, owner: NodeId, signal: Option<usize>, out: &mut Vec<Block>) {
        let cleaned = clean(&self.text);
        if !cleaned.is_empty() {
            let chars = cleaned.chars().filter(|c| !c.is_whitespace()).count();
            out.push(Block {
                owner,
                text: cleaned,
                chars,
                link_chars: self.link_chars.min(chars),
                date_only: !self.outside_time,
                signal,
            });
        }
        self.text.clear();
        self.link_chars = 0;
        self.outside_time = false;
    }
}

/// Shortest block (characters, white space not counted) that scores.
pub const MIN_BLOCK_CHARS: usize = 25;

/// White space collapsed and trimmed.
pub fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts the page under `root` into blocks.
pub fn walk(root: NodeRef<Node>) -> Walk {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        Exit(NodeRef<'a, Node>),
    }
    let mut out = Walk::default();
    let mut stack = vec![Step::Enter(root)];
    let mut owners = vec![root.id()];
    let mut signals: Vec<usize> = Vec::new();
    let (mut links, mut times) = (0usize, 0usize);
    let mut pending = Pending::default();
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(node) => match node.value() {
                Node::Text(t) => {
                    pending.text.push_str(t);
                    if times == 0 && !t.trim().is_empty() {
                        pending.outside_time = true;
                    }
                    if links > 0 {
                        pending.link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                    }
                }
                Node::Element(e) => {
                    let name = e.name();
                    if NOT_TEXT.contains(&name) || classes::hidden(e) {
                        continue;
                    }
                    let block = is_block(name);
                    if block || name == "br" {
                        let owner = *owners.last().unwrap_or(&root.id());
                        pending.flush(owner, signals.last().copied(), &mut out.blocks);
                    }
                    if name == "br" {
                        continue;
                    }
                    if let Some(reason) = classes::signal(e) {
                        out.signals.push(Signal {
                            node: node.id(),
                            reason,
                            parent: signals.last().copied(),
                        });
                        signals.push(out.signals.len() - 1);
                    }
                    if block {
                        owners.push(node.id());
                    }
                    links += usize::from(name == "a");
                    times += usize::from(name == "time");
                    stack.push(Step::Exit(node));
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                Node::Document | Node::Fragment => {
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                _ => {}
            },
            Step::Exit(node) => {
                let Some(e) = node.value().as_element() else {
                    continue;
                };
                let name = e.name();
                if is_block(name) {
                    pending.flush(node.id(), signals.last().copied(), &mut out.blocks);
                    owners.pop();
                }
                links = links.saturating_sub(usize::from(name == "a"));
                times = times.saturating_sub(usize::from(name == "time"));
                if signals
                    .last()
                    .is_some_and(|&s| out.signals[s].node == node.id())
                {
                    signals.pop();
                }
            }
        }
    }
    pending.flush(root.id(), None, &mut out.blocks);
    out
}
