// The facets beside the results (entities by type, sources, a month
// timeline) and the active filters as removable chips. Every facet is a
// plain link to the narrowed search, so it works with the keyboard, opens
// in a new tab, and lands in the browser's history.

import { h } from "./dom.js";
import * as F from "./format.js";
import * as S from "./state.js";

/** Above this many months the timeline counts years. */
const MAX_MONTH_BARS = 72;
/** Entities shown per type. */
const PER_TYPE = 8;

/**
 * The active filters: [{label, without}] (without: the link that removes
 * it); `names` gives the sources' names by id ({id: name}).
 */
export function activeFilters(state, names = {}) {
  const out = [];
  if (state.entity && state.q) {
    out.push({ label: `الاسم: ${state.entity}`, without: S.resultsHref(S.change(state, { entity: "" })) });
  }
  if (state.from || state.to) {
    const ym = S.wholeMonth(state.from, state.to);
    let label;
    if (ym) label = F.month(ym);
    else if (state.from && state.to) label = `${F.date(state.from)} – ${F.date(state.to)}`;
    else if (state.from) label = `منذ ${F.date(state.from)}`;
    else label = `حتى ${F.date(state.to)}`;
    out.push({ label: `الفترة: ${label}`, without: S.resultsHref(S.change(state, { from: "", to: "" })) });
  }
  for (const source of state.sources) {
    out.push({
      label: `المصدر: ${names[source] || source}`,
      without: S.resultsHref(S.change(state, { sources: state.sources.filter((s) => s !== source) })),
    });
  }
  return out;
}

/** Shown while the facets are counted. */
export function facetPlaceholder() {
  return h("p", { class: "facet-wait", role: "status" }, "نحصي الأسماء والمصادر والأشهر…");
}

/** Shown when the facets could not be counted. */
export function facetProblem(failure) {
  const said = F.problem(failure);
  return h("p", { class: "facet-wait" }, `تعذّر حساب عوامل التصفية: ${said.title}`);
}

/** One facet list: [{label, count, href, current}]. */
function list(items, label) {
  return h(
    "ul",
    { class: "facet-list", "aria-label": label },
    items.map((it) =>
      h(
        "li",
        {},
        h(
          "a",
          { href: it.href, class: it.current ? "current" : null, "aria-current": it.current ? "true" : null, title: it.title || null },
          h("span", { class: "name" }, it.current ? "✓ " : null, h("bdi", {}, it.label)),
          h("span", { class: "n", "aria-label": F.articles(it.count) }, F.count(it.count)),
        ),
      ),
    ),
  );
}

function section(title, ...body) {
  return h("section", { class: "facet" }, h("h2", {}, title), ...body);
}

/** Every month from the first to the last, with the missing ones as 0. */
export function monthSeries(months) {
  const known = new Map();
  for (const m of months || []) {
    if (/^\d{4}-\d{2}$/.test(m.month)) known.set(m.month, Number(m.articles) || 0);
  }
  if (!known.size) return [];
  const keys = [...known.keys()].sort();
  let [y, mo] = keys[0].split("-").map(Number);
  const [ly, lm] = keys[keys.length - 1].split("-").map(Number);
  const out = [];
  while (y < ly || (y === ly && mo <= lm)) {
    const key = `${y}-${String(mo).padStart(2, "0")}`;
    out.push({ key, articles: known.get(key) || 0 });
    mo += 1;
    if (mo > 12) {
      mo = 1;
      y += 1;
    }
  }
  return out;
}

/** The timeline: one bar per month (or per year for long spans). */
function timeline(state, facets) {
  const months = monthSeries(facets.months);
  const undated = Number(facets.undated) || 0;
  if (!months.length) {
    return undated ? section("الزمن", h("p", { class: "aside" }, `كل النتائج بلا تاريخ (${F.num(undated)}).`)) : null;
  }
  const byYear = months.length > MAX_MONTH_BARS;
  let bars = months.map((m) => ({
    key: m.key,
    articles: m.articles,
    label: F.month(m.key),
    range: S.monthRange(m.key),
  }));
  if (byYear) {
    const years = new Map();
    for (const m of months) {
      const y = m.key.slice(0, 4);
      years.set(y, (years.get(y) || 0) + m.articles);
    }
    bars = [...years].map(([y, n]) => ({ key: y, articles: n, label: y, range: { from: `${y}-01-01`, to: `${y}-12-31` } }));
  }
  const max = Math.max(1, ...bars.map((b) => b.articles));
  const chart = h("div", { class: "timeline", role: "list", "aria-label": byYear ? "المقالات في كل سنة" : "المقالات في كل شهر" });
  for (const b of bars) {
    const current = state.from === b.range.from && state.to === b.range.to;
    const fill = h("span", { class: "fill" });
    // CSSOM, not a style attribute: allowed by the page's policy.
    fill.style.height = `${Math.max(b.articles ? 6 : 0, Math.round((b.articles / max) * 100))}%`;
    const said = `${b.label}: ${F.articles(b.articles)}`;
    chart.append(
      b.articles
        ? h(
            "a",
            {
              class: current ? "bar current" : "bar",
              role: "listitem",
              href: S.resultsHref(S.change(state, b.range)),
              "aria-label": said,
              "aria-current": current ? "true" : null,
              title: said,
              "data-month": b.key,
            },
            fill,
          )
        : h("span", { class: "bar none", role: "listitem", "aria-label": said, title: said }, fill),
    );
  }
  const first = bars[0].label;
  const last = bars[bars.length - 1].label;
  return section(
    "الزمن",
    chart,
    h("p", { class: "axis" }, h("span", {}, first), h("span", {}, last)),
    h("p", { class: "aside" }, byYear ? "انقر سنةً لعرض مقالاتها." : "انقر شهراً لعرض مقالاته."),
    undated ? h("p", { class: "aside" }, `ونتائج بلا تاريخ: ${F.num(undated)}`) : null,
    dateForm(state, bars[0].range.from, bars[bars.length - 1].range.to),
  );
}

/**
 * Two date fields for any range; their placeholders are the first and
 * last day the results span (one example date in both looked like a range
 * already set).
 */
function dateForm(state, first, last) {
  // Text, not type=date: the browser's date widget writes the reader's
  // locale (mm/dd/yyyy on many machines); the page writes 2024-06-30.
  const field = (name, label, value, example) =>
    h(
      "label",
      { class: "date-field" },
      h("span", {}, label),
      h("input", {
        type: "text",
        name,
        value: value || null,
        dir: "ltr",
        inputmode: "numeric",
        placeholder: example,
        pattern: "\\d{4}-\\d{2}-\\d{2}",
        title: `التاريخ بالشكل سنة-شهر-يوم، مثل ${F.ltr(example)}`,
        autocomplete: "off",
      }),
    );
  return h(
    "form",
    { class: "dates", "data-dates": "1", action: "/", method: "get", "aria-label": "فترة زمنية" },
    field("from", "من", state.from, first),
    field("to", "إلى", state.to, last),
    h("button", { type: "submit" }, "تطبيق الفترة"),
  );
}

/** The facet panel for a facets answer. */
export function facetPanel(state, data) {
  const facets = data.facets || {};
  const out = [];
  const entities = facets.entities || [];
  for (const [code, type] of Object.entries(F.TYPES)) {
    const ofType = entities.filter((e) => e.type === code).slice(0, PER_TYPE);
    if (!ofType.length) continue;
    out.push(
      section(
        type.group,
        list(
          ofType.map((e) => {
            const current = state.entity === e.name;
            return {
              label: e.name,
              count: e.articles,
              current,
              href: S.resultsHref(S.change(state, { entity: current ? "" : e.name })),
              title: current ? "إزالة هذا الاسم من البحث" : "اقصر النتائج على المقالات التي تذكره",
            };
          }),
          type.group,
        ),
      ),
    );
  }
  const sources = facets.sources || [];
  if (sources.length) {
    out.push(
      section(
        "المصادر",
        list(
          sources.map((s) => {
            const current = state.sources.includes(s.name);
            const next = current ? state.sources.filter((x) => x !== s.name) : [...state.sources, s.name];
            return { label: s.source_name || s.name, count: s.articles, current, href: S.resultsHref(S.change(state, { sources: next })) };
          }),
          "المصادر",
        ),
      ),
    );
  }
  const time = timeline(state, facets);
  if (time) out.push(time);
  if (!out.length) out.push(h("p", { class: "facet-wait" }, "لا أسماء ولا مصادر ولا تواريخ لهذه النتائج."));
  return out;
}
