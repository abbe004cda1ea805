// «اتجاهات» (issue 35): up to five searches counted period by period,
// drawn as an SVG line chart made here (no chart library), time running
// right to left as the page reads, with a table of the same numbers for
// screen readers and for copying. Each series links to its search.
//
// The state is in the URL: /trends?q=…&q=…&entity=…&from=&to=&source=&interval=

import { h, fill } from "./dom.js";
import * as F from "./format.js";
import * as S from "./state.js";

/** Most series (the API's limit). */
export const MAX_SERIES = 5;

/** Line colours, told apart by people with common colour blindness, each 3:1 on white. */
const COLOURS = ["#1f5fbf", "#c2410c", "#1b7544", "#7038b5", "#5f6670"];
/** Marker shapes, so that colour is not the only difference. */
const DASHES = ["", "6 4", "2 3", "10 3 2 3", "1 5"];

/** The trends state in a query string. */
export function parseTrends(search) {
  const p = new URLSearchParams(search);
  const series = [];
  for (const q of p.getAll("q")) if (q.trim()) series.push({ q: q.trim(), entity: "" });
  for (const e of p.getAll("entity")) if (e.trim()) series.push({ q: "", entity: e.trim() });
  return {
    series: series.slice(0, MAX_SERIES),
    from: (p.get("from") || "").trim(),
    to: (p.get("to") || "").trim(),
    sources: p.getAll("source").filter(Boolean),
    interval: ["week", "month", "year"].includes(p.get("interval")) ? p.get("interval") : "",
  };
}

/** The query string of a trends state. */
export function trendsQuery(t) {
  const p = new URLSearchParams();
  for (const s of t.series) if (s.q) p.append("q", s.q);
  for (const s of t.series) if (s.entity) p.append("entity", s.entity);
  if (t.from) p.set("from", t.from);
  if (t.to) p.set("to", t.to);
  for (const s of t.sources || []) p.append("source", s);
  if (t.interval) p.set("interval", t.interval);
  return p.toString();
}

/** The «اتجاهات» link for a search state. */
export function trendsHref(state) {
  return `/trends?${trendsQuery({
    series: [{ q: state.q, entity: state.q ? "" : state.entity }],
    from: state.from,
    to: state.to,
    sources: state.sources,
    interval: "",
  })}`;
}

/** The search a series stands for, with the chart's dates and outlets. */
function seriesHref(t, s) {
  return S.resultsHref(S.change(S.parse(""), { q: s.q, entity: s.entity, from: t.from, to: t.to, sources: t.sources }));
}

/** A period's name: "يونيو 2024", "2024", or the week's Monday "3 يونيو 2024". */
function periodLabel(interval, period) {
  if (interval === "month") return F.month(period);
  if (interval === "week") return `أسبوع ${F.date(period)}`;
  return period;
}

/** The form: one row per series (words, or a name), dates, the period. */
function trendsForm(t) {
  // The series asked for, then one empty row to add another (two at least).
  const rows = [...t.series];
  const wanted = Math.min(MAX_SERIES, Math.max(2, rows.length + 1));
  while (rows.length < wanted) rows.push({ q: "", entity: "" });
  const row = (s, i) =>
    h(
      "div",
      { class: "series-row" },
      h("span", { class: "swatch", "aria-hidden": "true", "data-n": i }),
      h("label", { class: "visually-hidden", for: `series-${i}` }, `السلسلة ${i + 1}`),
      h("input", { id: `series-${i}`, name: "series", type: "search", value: s.q || s.entity, placeholder: i === 0 ? "كلمات أو اسم" : "وأخرى للمقارنة (اختياري)", autocomplete: "off" }),
      h("label", { class: "series-name" }, h("input", { type: "checkbox", name: `name-${i}`, checked: Boolean(s.entity) }), " اسم"),
    );
  return h(
    "form",
    { class: "trends-form", "data-trends": "1", action: "/trends", method: "get" },
    h("p", { class: "aside" }, `قارن حتى ${F.num(MAX_SERIES)} عمليات بحث: كلمات، أو اسماً (علّم «اسم») ليُعدّ كما يعدّه البحث عن الأسماء.`),
    rows.slice(0, MAX_SERIES).map(row),
    h(
      "div",
      { class: "trends-options" },
      h("label", { class: "date-field" }, "من", h("input", { type: "date", name: "from", value: t.from })),
      h("label", { class: "date-field" }, "إلى", h("input", { type: "date", name: "to", value: t.to })),
      h(
        "label",
        { class: "date-field" },
        "الفترة",
        h(
          "select",
          { name: "interval" },
          [["", "تلقائياً"], ["week", "أسبوع"], ["month", "شهر"], ["year", "سنة"]].map(([v, label]) =>
            h("option", { value: v, selected: t.interval === v }, label),
          ),
        ),
      ),
      h("button", { type: "submit", class: "tool-button draw" }, "ارسم"),
    ),
  );
}

/** The trends state a submitted form asks for. */
export function formTrends(form, current) {
  const data = new FormData(form);
  const series = [];
  data.getAll("series").forEach((value, i) => {
    const text = String(value).trim();
    if (!text) return;
    series.push(data.get(`name-${i}`) ? { q: "", entity: text } : { q: text, entity: "" });
  });
  return {
    series: series.slice(0, MAX_SERIES),
    from: String(data.get("from") || ""),
    to: String(data.get("to") || ""),
    sources: current.sources,
    interval: String(data.get("interval") || ""),
  };
}

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element with attributes and children (text as text nodes). */
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Which periods get a label under the axis: at most `room` of them, evenly, the first and the last always. */
function tickIndexes(n, room) {
  if (n <= 0) return [];
  const step = Math.max(1, Math.ceil(n / Math.max(2, room)));
  const ticks = [];
  for (let i = 0; i < n; i += step) ticks.push(i);
  // The last period replaces a label too close to it.
  if (ticks[ticks.length - 1] !== n - 1) {
    if (ticks.length > 1 && n - 1 - ticks[ticks.length - 1] < step * 0.75) ticks.pop();
    ticks.push(n - 1);
  }
  return ticks;
}

/** The top of the count axis: the highest count rounded up to 1, 2, 4, 6, 8 or 10 times a power of ten (so that its half is whole). */
function roundUp(n) {
  if (n <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(n));
  const step = [1, 2, 4, 6, 8, 10].find((f) => f * power >= n);
  return step * power;
}

/**
 * The line chart, `width` pixels wide (so that its text keeps its size on a
 * phone); time runs right to left. `links` are the legend's links, clicked
 * for a line.
 */
function chart(data, links, width) {
  const W = Math.round(Math.max(300, Math.min(900, width || 720)));
  const H = W < 520 ? 220 : 300;
  // start: the right (oldest) side; end: the left, with the counts.
  const pad = { top: 14, bottom: 40, start: 40, end: 56 };
  const n = data.periods.length;
  const max = roundUp(Math.max(1, ...data.series.flatMap((s) => s.counts)));
  const x = (i) => (n === 1 ? (W + pad.end - pad.start) / 2 : W - pad.start - (i * (W - pad.start - pad.end)) / (n - 1));
  const y = (v) => H - pad.bottom - (v / max) * (H - pad.top - pad.bottom);
  const levels = [0, max / 2, max];
  const grid = levels.map((v) => [
    svg("line", { x1: pad.end - 4, x2: W - pad.start + 20, y1: y(v), y2: y(v), class: "grid" }),
    svg("text", { x: pad.end - 10, y: y(v) + 4, class: "axis-n", "text-anchor": "end", direction: "ltr" }, F.num(v)),
  ]);
  // A month's name is about 80 pixels at this size.
  const ticks = tickIndexes(n, Math.floor((W - pad.start - pad.end) / 95) + 1);
  const labels = ticks.map((i) =>
    svg(
      "text",
      { x: x(i), y: H - pad.bottom + 22, class: "axis-t", "text-anchor": "middle" },
      periodLabel(data.interval, data.periods[i]).replace("أسبوع ", ""),
    ),
  );
  const lines = data.series.map((s, k) => {
    const points = s.counts.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    const line = svg(
      "polyline",
      { points, class: "series-line", stroke: COLOURS[k], "stroke-dasharray": DASHES[k] || null, "data-series": k },
      svg("title", {}, `${s.label}: ${F.articles(s.total)}`),
    );
    line.addEventListener("click", () => links[k].click());
    const dots =
      n <= 60
        ? s.counts.map((v, i) =>
            svg(
              "circle",
              { cx: x(i), cy: y(v), r: v ? 3.5 : 2, fill: COLOURS[k], class: "series-dot" },
              svg("title", {}, `${s.label}: ${periodLabel(data.interval, data.periods[i])}: ${F.articles(v)}`),
            ),
          )
        : [];
    return svg("g", { class: "series", "data-series": k }, line, dots);
  });
  return svg(
    "svg",
    {
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      class: "trend-chart",
      role: "img",
      "aria-labelledby": "trend-title",
      "aria-describedby": "trend-table-caption",
      preserveAspectRatio: "xMidYMid meet",
    },
    grid,
    labels,
    lines,
  );
}

/** The same numbers as a table (periods as rows, series as columns). */
function table(data) {
  return h(
    "table",
    { class: "trend-table" },
    h("caption", { id: "trend-table-caption" }, `عدد المقالات في كل ${data.interval === "week" ? "أسبوع" : data.interval === "year" ? "سنة" : "شهر"}`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "الفترة"), data.series.map((s) => h("th", { scope: "col" }, s.label)))),
    h(
      "tbody",
      {},
      data.periods.map((p, i) =>
        h("tr", {}, h("th", { scope: "row" }, periodLabel(data.interval, p)), data.series.map((s) => h("td", {}, F.num(s.counts[i] || 0)))),
      ),
    ),
  );
}

/** The «اتجاهات» view: the form, then (with an answer) the chart, the legend and the table. */
export function trendsView(view, t, answer) {
  const title = t.series.length ? `اتجاهات: ${t.series.map((s) => `«${s.q || s.entity}»`).join(" و")}` : "اتجاهات";
  const parts = [h("h1", { id: "trend-title", tabindex: "-1", class: "count" }, title), trendsForm(t)];
  let figure = null;
  let links = [];
  if (answer && answer.ok) {
    const data = answer.data;
    links = data.series.map((s, k) =>
      h("a", { href: seriesHref(t, t.series[k] || { q: s.query, entity: s.entity || "" }), class: "legend-link" }, h("span", { class: "swatch", "aria-hidden": "true", "data-n": k }), s.label),
    );
    const legend = h(
      "ul",
      { class: "trend-legend", "aria-label": "السلاسل" },
      data.series.map((s, k) => h("li", {}, links[k], h("span", { class: "n" }, ` ${F.articles(s.total)}`), s.undated ? h("span", { class: "aside" }, ` (منها ${F.num(s.undated)} بلا تاريخ)`) : null)),
    );
    if (!data.periods.length) {
      parts.push(legend, h("div", { class: "panel empty", role: "status" }, h("h2", {}, "لا مقالات مؤرخة لهذه السلاسل.")));
    } else {
      figure = h("figure", { class: "trend-figure" });
      parts.push(legend, h("div", { class: "trend-body" }, figure, h("div", { class: "trend-numbers" }, table(data))));
    }
  } else if (answer && !answer.ok) {
    parts.push(h("div", { class: "panel problem", role: "alert" }, h("h2", {}, "تعذّر رسم هذه الاتجاهات."), h("p", { dir: "auto" }, answer.message)));
  }
  fill(view, h("div", { class: "trends" }, parts));
  if (figure) drawInto(figure, answer.data, links);
}

/** Draws the chart at the figure's width, and again when that width changes (a phone turned). */
function drawInto(figure, data, links) {
  let drawn = 0;
  const draw = () => {
    const width = figure.clientWidth;
    if (!width || Math.abs(width - drawn) < 24) return;
    drawn = width;
    fill(figure, chart(data, links, width));
  };
  draw();
  const watch = new ResizeObserver(() => (figure.isConnected ? draw() : watch.disconnect()));
  watch.observe(figure);
}
