//! HTML: a guard against absurdly deep markup. html5ever looks through
//! the stack of open elements for most start tags, so a page nested
//! 100,000 levels deep takes minutes to parse. Before parsing, container
//! tags nested deeper than [`MAX_DEPTH`] are dropped (their text stays,
//! only the boxes around it go). Depth is estimated from the tags alone:
//! void elements, self-closing tags, comments, and elements whose end
//! tag may be omitted (`p`, `li`, `td`, …) are not counted, and the
//! content of `script`/`style` is skipped, so that ordinary pages are
//! never touched (real pages nest a few dozen levels).

use std::borrow::Cow;

/// Nesting depth kept; deeper container tags are dropped.
pub const MAX_DEPTH: usize = 1_000;

/// Tags that never or not necessarily close: not counted.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li",
    "link", "meta", "option", "optgroup", "p", "param", "rp", "rt", "source", "tbody", "td",
    "tfoot", "th", "thead", "tr", "track", "wbr", "html", "head", "body",
];

/// The page with tags deeper than [`MAX_DEPTH`] removed (borrowed when
/// nothing is removed, the common case).
pub fn flatten(text: &str) -> Cow<'_, str> {
    if memchr::memchr_iter(b'<', text.as_bytes()).count() <= MAX_DEPTH {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `text` already handled in `out`
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|n| n + i) {
        let Some(gt) = memchr::memchr(b'>', &bytes[lt..]).map(|n| n + lt) else {
            break;
        };
        let tag = &text[lt + 1..gt];
        i = gt + 1;
        let (closing, rest) = match tag.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, tag),
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || tag.ends_with('/') || UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        if !closing && (name == "script" || name == "style") {
            // Skip to the end tag: its content is not markup.
            let end = format!("</{name}");
            let lower = text[i..].to_ascii_lowercase();
            i = lower.find(&end).map_or(bytes.len(), |n| n + i);
            continue;
        }
        let drop = if closing {
            let deep = depth > MAX_DEPTH;
            depth = depth.saturating_sub(1);
            deep
        } else {
            depth += 1;
            depth > MAX_DEPTH
        };
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..lt]);
            copied = gt + 1;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_untouched_deep_ones_flattened() {
        let page = format!("<div><p>نص{}</div>", "<p>فقرة".repeat(3 * MAX_DEPTH));
        assert!(matches!(flatten(&page), Cow::Borrowed(_)));
        let deep = format!(
            "{}<b>كلمة</b>{}",
            "<div class=\"x\">".repeat(MAX_DEPTH + 10),
            "</div>".repeat(MAX_DEPTH + 10)
        );
        let flat = flatten(&deep);
        assert_eq!(flat.matches("<div").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        // Deeper tags go, their text stays.
        assert!(flat.contains("كلمة") && !flat.contains("<b>"));
    }
}
