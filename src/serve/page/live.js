// A live newsroom (issue 31): the «تابع» control that gives a search's
// Atom feed for a feed reader, and the notice that new articles matching
// the search were indexed since the reader opened it.
//
// The notice polls /healthz, which costs no search: its `generation`
// changes with every commit. Only then is the search counted again (limit
// 0, no snippets), and the difference with the count shown is the number
// of new articles.

import { h, fill } from "./dom.js";
import * as F from "./format.js";

/** How often the page asks whether the index changed, in milliseconds. */
export const POLL_MS = 5000;

/** The feed's parameters for a search state (a feed is always newest first). */
export function feedParams(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.entity) p.set("entity", state.entity);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  for (const s of state.sources || []) p.append("source", s);
  return p;
}

/** The absolute address of a search's feed. */
export function feedUrl(state) {
  return `${location.origin}/feed?${feedParams(state)}`;
}

/** "3 مقالات جديدة", "مقالة جديدة واحدة". */
function fresh(n) {
  return F.counted(n, ["", "مقالة جديدة واحدة", "مقالتان جديدتان", "مقالات جديدة", "مقالة جديدة", "مقالة جديدة"]);
}

/** The «تابع» control: the feed's address to copy, and the feed itself. */
export function followControl(state) {
  const url = feedUrl(state);
  const field = h("input", {
    class: "follow-url",
    type: "text",
    readonly: true,
    dir: "ltr",
    value: url,
    "aria-label": "رابط خلاصة هذا البحث",
  });
  const said = h("span", { class: "copied", role: "status" });
  const copy = h("button", { type: "button", class: "tool-button" }, "انسخ الرابط");
  copy.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(url);
      said.textContent = "نُسخ الرابط.";
    } catch {
      said.textContent = "حدّد الرابط وانسخه بنفسك (Ctrl+C).";
    }
  });
  return h(
    "details",
    { class: "tool follow" },
    h("summary", { class: "tool-summary" }, "تابع"),
    h(
      "div",
      { class: "tool-body" },
      h("p", {}, "تصلك المقالات الجديدة التي تطابق هذا البحث في قارئ الخلاصات (RSS/Atom): أضف إليه هذا الرابط."),
      h("div", { class: "follow-row" }, field, copy),
      said,
      h("p", { class: "aside" }, h("a", { href: url, type: "application/atom+xml", class: "feed-link" }, "افتح الخلاصة"), " · تُرتَّب فيها المقالات من الأحدث إلى الأقدم."),
    ),
  );
}

/**
 * Watches for new articles matching `state` while `current()` holds.
 * `slot` gets the notice; `count(state)` resolves to the search's hit
 * count now; `refresh()` shows the search again.
 */
export function watchForNew({ slot, total, current, count, health, refresh }) {
  let generation = null;
  let timer = 0;
  const tick = async () => {
    if (!current()) return;
    const now = await health();
    if (!current()) return;
    if (now.ok) {
      if (generation === null) generation = now.data.generation;
      else if (now.data.generation !== generation) {
        generation = now.data.generation;
        const counted = await count();
        if (!current()) return;
        if (counted.ok && counted.data.total_hits > total) show(counted.data.total_hits - total);
      }
    }
    timer = setTimeout(tick, POLL_MS);
  };
  const show = (n) => {
    const button = h("button", { type: "button", class: "fresh-button" }, "اعرضها");
    button.addEventListener("click", () => refresh());
    fill(slot, h("p", { class: "fresh-note" }, `${fresh(n)} منذ فتحت هذا البحث.`, " ", button));
    slot.dataset.fresh = String(n);
  };
  tick();
  return () => clearTimeout(timer);
}
