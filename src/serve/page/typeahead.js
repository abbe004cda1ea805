// Names as you type (issue 35): the search box asks /api/suggest for what
// is typed so far and shows a list under it, walked with the keyboard as
// an ARIA combobox: ↓ and ↑ move, Enter takes the name (an entity is
// searched as a name, a word as words), Escape closes the list. With
// «ابحث عن اسم» ticked only names are listed.

import { h, fill } from "./dom.js";
import * as F from "./format.js";

/** Milliseconds of quiet typing before the list is asked for. */
const QUIET_MS = 90;

/**
 * Makes `input` a combobox. `asName` is the «ابحث عن اسم» checkbox;
 * `pick(text, isEntity)` searches what was taken.
 */
export function typeahead(input, asName, pick) {
  const list = h("ul", { id: "suggestions", class: "suggestions", role: "listbox", "aria-label": "اقتراحات", hidden: true });
  input.closest(".box").append(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "suggestions");
  input.setAttribute("aria-expanded", "false");
  let items = [];
  let active = -1;
  let timer = 0;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    items = [];
    active = -1;
  };
  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute("aria-selected", String(k === i)));
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", `suggestion-${i}`);
      list.children[i].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  const take = (i) => {
    const item = items[i];
    if (!item) return;
    close();
    if (item.kind === "entity") {
      pick(item.text, true);
    } else {
      // A word completes the last word typed.
      const words = input.value.trimEnd().split(/\s+/);
      words[words.length - 1] = item.text;
      pick(words.join(" "), false);
    }
  };
  const show = (found) => {
    items = found;
    if (!found.length) {
      close();
      return;
    }
    fill(
      list,
      found.map((item, i) => {
        const type = item.type ? F.typeLabel(item.type) : "كلمة";
        const li = h(
          "li",
          { id: `suggestion-${i}`, role: "option", "aria-selected": "false", class: `suggestion ${item.kind}` },
          h("span", { class: "s-text" }, item.text),
          item.matched ? h("span", { class: "s-matched" }, ` (${item.matched})`) : null,
          h("span", { class: `s-type ${item.type ? `ent-${item.type.toLowerCase()}` : ""}` }, type),
          h("span", { class: "s-n" }, item.articles ? F.articles(item.articles) : "لا مقالات بعد"),
        );
        // mousedown, not click: the box keeps the focus.
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          take(i);
        });
        return li;
      }),
    );
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    mark(-1);
  };
  const ask = async () => {
    const prefix = input.value.trim();
    const mine = ++asked;
    if (!prefix) {
      close();
      return;
    }
    const p = new URLSearchParams({ prefix, limit: "8" });
    if (asName.checked) p.set("names", "1");
    let found = [];
    try {
      const response = await fetch(`/api/suggest?${p}`, { headers: { accept: "application/json" } });
      if (response.ok) found = (await response.json()).suggestions || [];
    } catch {
      found = [];
    }
    if (mine !== asked || document.activeElement !== input) return;
    show(found);
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, QUIET_MS);
  });
  asName.addEventListener("change", () => {
    if (input.value.trim()) ask();
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) {
      if (event.key === "ArrowDown" && input.value.trim()) {
        event.preventDefault();
        ask();
      }
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      mark((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      mark(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      take(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  // A search started another way closes the list.
  input.form.addEventListener("submit", () => {
    asked++;
    close();
  });
}
