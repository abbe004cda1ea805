// Taking results away (issue 35): «تنزيل» beside the results (every hit
// as a CSV table or JSON Lines, streamed by the API), and «اقتباس» on
// each hit and in the article view (title, source, date and address,
// copied as text).

import { h } from "./dom.js";
import * as F from "./format.js";

/** The API's export address for a search state and a format. */
export function exportHref(state, format) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.entity) p.set("entity", state.entity);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  for (const s of state.sources || []) p.append("source", s);
  if (state.sort && state.sort !== "relevance") p.set("sort", state.sort);
  p.set("format", format);
  p.set("all", "1");
  return `/api/search?${p}`;
}

/** The «تنزيل» control: every hit of the search, as a table or as JSON Lines. */
export function downloadControl(state, data) {
  const rows = data.total_stories ?? data.total_hits;
  return h(
    "details",
    { class: "tool download" },
    h("summary", { class: "tool-summary" }, "تنزيل"),
    h(
      "div",
      { class: "tool-body" },
      h("p", {}, `كل نتائج هذا البحث (${F.articles(rows)})، خبر في كل صف، بترتيب الصفحة:`),
      h(
        "ul",
        { class: "download-list" },
        h(
          "li",
          {},
          h("a", { href: exportHref(state, "csv"), download: "", class: "download-csv" }, "جدول CSV"),
          " — يفتحه Excel وLibreOffice وجداول Google بالعربية سليمة.",
        ),
        h(
          "li",
          {},
          h("a", { href: exportHref(state, "jsonl"), download: "", class: "download-jsonl" }, "JSON Lines"),
          " — سطر لكل خبر، للبرامج ودفاتر التحليل.",
        ),
      ),
      h("p", { class: "aside" }, "في الأعمدة: العنوان والمصدر والتاريخ والرابط والأسماء، ومعرّفات النسخ المتشابهة."),
    ),
  );
}

/** A citation as text: «title»، source، date. url */
export function citation(item) {
  const parts = [`«${item.title || "مقالة بلا عنوان"}»`];
  const source = item.source_name || item.source;
  if (source) parts.push(source);
  if (item.date) parts.push(F.date(item.date));
  else if (item.date_text) parts.push(item.date_text);
  let text = parts.join("، ");
  if (/^https?:\/\//i.test(String(item.url || ""))) text += `. ${item.url}`;
  return text;
}

/** The «اقتباس» button: copies the citation; says so (or how to copy by hand). */
export function citeButton(item) {
  const text = citation(item);
  const said = h("span", { class: "cite-said", role: "status" });
  const button = h(
    "button",
    { type: "button", class: "cite", title: text, "aria-label": `اقتباس: انسخ العنوان والمصدر والتاريخ والرابط` },
    "اقتباس",
  );
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      said.textContent = "نُسخ الاقتباس.";
    } catch {
      said.textContent = text;
    }
    button.dataset.copied = text;
  });
  return h("span", { class: "cite-wrap" }, button, said);
}
