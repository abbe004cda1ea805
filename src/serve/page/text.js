// Highlights: the API gives [start, end] byte ranges into the UTF-8 text;
// JavaScript strings are UTF-16. An Arabic letter is 2 bytes and 1 UTF-16
// unit, a Latin letter 1 and 1, an emoji 4 and 2: offsets are converted by
// walking the text's code points, never used as string indices directly.

import { h } from "./dom.js";

/** UTF-8 length of a code point. */
function utf8Length(cp) {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

/**
 * A converter from byte offsets of `text`'s UTF-8 form to UTF-16 indices.
 * An offset inside a code point moves to the code point's start (`floor`)
 * or end; past the end it is the end.
 */
export function byteIndex(text) {
  const bytes = [0];
  const units = [0];
  let b = 0;
  let u = 0;
  for (const ch of text) {
    b += utf8Length(ch.codePointAt(0));
    u += ch.length;
    bytes.push(b);
    units.push(u);
  }
  return (offset, floor) => {
    if (!(offset > 0)) return 0;
    if (offset >= b) return u;
    // Binary search for the first boundary >= offset.
    let lo = 0;
    let hi = bytes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bytes[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    if (bytes[lo] !== offset && floor) lo -= 1;
    return units[lo];
  };
}

/**
 * The byte ranges as sorted UTF-16 [start, end] ranges of `text`; empty,
 * malformed and out-of-text ranges dropped, overlapping ones merged.
 */
export function utf16Ranges(text, byteRanges) {
  const at = byteIndex(text);
  const out = [];
  for (const r of byteRanges || []) {
    if (!Array.isArray(r) || r.length < 2) continue;
    const [s, e] = r.map(Number);
    if (!Number.isFinite(s) || !Number.isFinite(e) || s < 0 || e <= s) continue;
    const start = at(s, true);
    const end = at(e, false);
    if (end > start) out.push([start, end]);
  }
  out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/**
 * `text` with the byte ranges `highlights` in <mark> elements, as nodes.
 * Each mark carries data-hl (its number in the list) for tests and styles.
 */
export function marked(text, highlights) {
  return rich(text, { marks: utf16Ranges(text, highlights) });
}

/**
 * Text as nodes with two layers of ranges (UTF-16, each sorted and
 * non-overlapping): `marks` become <mark data-hl=N>, `spans` (with
 * `{start, end, make}`) become the element `make()` returns, marks nested
 * inside. The blank between two marks (the words of a phrase) gets the
 * marks' colour, so a phrase reads as one highlight while each word keeps
 * its own <mark>. With `paragraphs`, "\n" starts a new <p> and a fragment
 * of <p> is returned; otherwise an array of inline nodes.
 */
export function rich(text, { marks = [], spans = [], paragraphs = false } = {}) {
  const cuts = new Set([0, text.length]);
  for (const [s, e] of marks) cuts.add(s).add(e);
  for (const sp of spans) cuts.add(sp.start).add(sp.end);
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);

  // The pieces between cuts, each with the mark and span covering it (-1: none).
  const pieces = [];
  let m = 0;
  let s = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    while (m < marks.length && marks[m][1] <= a) m++;
    while (s < spans.length && spans[s].end <= a) s++;
    pieces.push({
      text: text.slice(a, points[i + 1]),
      mark: m < marks.length && marks[m][0] <= a ? m : -1,
      span: s < spans.length && spans[s].start <= a ? s : -1,
    });
  }

  const blocks = [];
  let block = paragraphs ? h("p", {}) : document.createDocumentFragment();
  let span = null; // the open span element
  let spanIndex = -1;
  const openSpan = (index) => {
    spanIndex = index;
    span = index >= 0 ? spans[index].make() : null;
    if (span) block.append(span);
  };
  const closeBlock = () => {
    if (block.childNodes.length) blocks.push(block);
    block = h("p", {});
    span = null;
    spanIndex = -1;
  };

  pieces.forEach((piece, i) => {
    if (piece.span !== spanIndex) openSpan(piece.span);
    const between =
      piece.mark < 0 &&
      /^[ \u00a0]+$/.test(piece.text) &&
      i > 0 &&
      i + 1 < pieces.length &&
      pieces[i - 1].mark >= 0 &&
      pieces[i + 1].mark >= 0;
    const parts = paragraphs ? piece.text.split("\n") : [piece.text];
    parts.forEach((part, k) => {
      if (k > 0) {
        closeBlock();
        openSpan(piece.span);
      }
      if (!part) return;
      let node = document.createTextNode(part);
      if (piece.mark >= 0) node = h("mark", { "data-hl": piece.mark }, part);
      else if (between) node = h("span", { class: "mark-join" }, part);
      (span || block).append(node);
    });
  });
  if (!paragraphs) return [...block.childNodes];
  closeBlock();
  const fragment = document.createDocumentFragment();
  fragment.append(...blocks);
  return fragment;
}
