// The views: the first page, the results, the article, and the states in
// between (loading, nothing found, an error, the index being built). Every
// text from the index or the user goes in as text (see dom.js).

import { append, fill, h } from "./dom.js";
import { activeFilters, facetPanel, facetPlaceholder, facetProblem } from "./facets.js";
import * as F from "./format.js";
import * as S from "./state.js";
import { followControl } from "./live.js";
import { citeButton, downloadControl } from "./take.js";
import { trendsHref } from "./trends.js";
import { marked, rich, utf16Ranges } from "./text.js";

/** Most entity chips under one hit. */
const HIT_CHIPS = 5;

/** A line of text hidden on screen, read by screen readers. */
function hidden(text) {
  return h("span", { class: "visually-hidden" }, text);
}

/** An entity chip linking to the search for it. */
export function entityChip(state, entity, extra) {
  const type = String(entity.type || "MISC");
  return h(
    "a",
    {
      class: `chip ent-${type.toLowerCase()}`,
      href: S.resultsHref(S.change(state, { entity: entity.name })),
      title: `${F.typeLabel(type)}: ابحث عن كل المقالات التي تذكره`,
    },
    h("span", { class: "dot", "aria-hidden": "true" }),
    entity.name,
    hidden(` (${F.typeLabel(type)})`),
    extra ? h("span", { class: "n" }, extra) : null,
  );
}

/** The heading of the results: "5 مقالات" and the time taken. */
function summary(data) {
  return h(
    "h1",
    { id: "summary-title", class: "count", tabindex: "-1" },
    F.articles(data.total_hits),
    storyCount(data),
    h("span", { class: "took" }, ` · ${F.seconds(data.took_ms)}`),
  );
}

/** " · 40 خبرًا مختلفًا" when near copies were folded together (the API's total_stories). */
function storyCount(data) {
  const n = data.total_stories;
  if (n == null || n >= data.total_hits) return null;
  const about = data.total_stories_exact === false ? "نحو " : "";
  return h("span", { class: "stories" }, ` · ${about}${F.stories(n)}`);
}

/** The near copies folded into a hit: "نسختان أخريان: source, source", each a link to its article. */
function copiesLine(state, item) {
  const copies = item.duplicates || [];
  if (!copies.length) return null;
  const links = [];
  copies.forEach((d, i) => {
    if (i) links.push("، ");
    const source = d.source_name || d.source || d.id;
    const label = d.date ? `${source} (${F.date(d.date)})` : source;
    links.push(h("a", { href: S.articleHref(d.id, state), dir: "auto" }, label));
  });
  return h("p", { class: "copies" }, h("span", { class: "copies-lead" }, `${F.copies(copies.length)}: `), links);
}

/** The order of the results: links to the same search by relevance, newest or oldest first. */
function sortBar(state) {
  const labels = { relevance: "الأقرب صلة", date: "الأحدث أولاً", "-date": "الأقدم أولاً" };
  const current = state.sort || "relevance";
  return h(
    "nav",
    { class: "sort", "aria-label": "ترتيب النتائج" },
    h("span", { class: "sort-lead" }, "الترتيب:"),
    S.SORTS.map((sort) =>
      sort === current
        ? h("span", { class: "sort-item current", "aria-current": "true" }, labels[sort])
        : h("a", { class: "sort-item", href: S.resultsHref(S.change(state, { sort })) }, labels[sort]),
    ),
  );
}

/** The notes of the API (common words ignored, quotes closed…). */
function notes(warnings) {
  if (!warnings || !warnings.length) return null;
  return h(
    "ul",
    { class: "notes", "aria-label": "ملاحظات على البحث" },
    warnings.map((w) => {
      const said = F.note(String(w));
      return h(
        "li",
        { class: "note" },
        said.arabic || ["ملاحظة من محرك البحث: ", h("span", { dir: "ltr", lang: "en" }, said.original)],
      );
    }),
  );
}

/** What an entity name resolved to (canonical name, type, other names). */
export function entityCard(name, resolved) {
  if (resolved === undefined) {
    return h("div", { class: "entity-card pending" }, `نبحث عن الاسم «${name}»…`);
  }
  if (!resolved || !resolved.canonical) {
    return h(
      "div",
      { class: "entity-card" },
      h("p", {}, h("strong", {}, "الاسم: "), `«${name}»`),
      h(
        "p",
        { class: "aside" },
        "ليس في جدول الأسماء المعروفة، فنبحث عنه كعبارة، مع تهجئاته القريبة والحروف المتصلة به (و، ف، ب، ل، ال).",
      ),
    );
  }
  const others = (resolved.aliases || []).filter((a) => a !== resolved.canonical);
  return h(
    "div",
    { class: "entity-card" },
    h(
      "p",
      {},
      h("strong", {}, "الاسم: "),
      resolved.canonical,
      " ",
      h("span", { class: `type-tag ent-${String(resolved.type || "MISC").toLowerCase()}` }, F.typeLabel(resolved.type)),
    ),
    h(
      "p",
      { class: "aside" },
      others.length
        ? ["يشمل البحث أسماءه الأخرى: ", others.map((a, i) => [i ? "، " : "", h("bdi", {}, a)])]
        : "يشمل البحث صيغ الاسم",
      "، وتهجئاتها القريبة والحروف المتصلة بها (و، ف، ب، ل، ال).",
    ),
  );
}

/** One hit of the results. */
function hit(state, item) {
  const title = item.title || "(مقالة بلا عنوان)";
  const snippetNodes = [];
  (item.snippets || []).forEach((s, i) => {
    if (i) snippetNodes.push(h("span", { class: "gap", "aria-hidden": "true" }, " … "));
    snippetNodes.push(...marked(String(s.text || ""), s.highlights));
  });
  const chips = (item.entities || []).slice(0, HIT_CHIPS);
  const when = item.date ? h("time", { datetime: item.date }, F.date(item.date)) : item.date_text || "بلا تاريخ";
  return h(
    "li",
    { class: "hit" },
    h(
      "h2",
      { class: "hit-title" },
      h("a", { href: S.articleHref(item.id, state) }, item.title ? marked(title, item.title_highlights) : title),
    ),
    h(
      "p",
      { class: "hit-meta" },
      item.source
        ? h(
            "a",
            {
              class: "source",
              dir: "auto",
              href: S.resultsHref(S.change(state, { sources: [item.source] })),
              title: "اعرض نتائج هذا المصدر وحده",
            },
            item.source_name || item.source,
          )
        : "مصدر غير معروف",
      h("span", { class: "sep", "aria-hidden": "true" }, " · "),
      when,
      h("span", { class: "sep", "aria-hidden": "true" }, " · "),
      citeButton(item),
    ),
    snippetNodes.length ? h("p", { class: "snippet" }, snippetNodes) : null,
    copiesLine(state, item),
    chips.length
      ? h(
          "ul",
          { class: "chips", "aria-label": "أبرز الأسماء في المقالة" },
          chips.map((e) => h("li", {}, entityChip(state, e))),
        )
      : null,
  );
}

/** Page links: previous, a window of numbers, next. */
function pager(state, total) {
  const last = S.lastPage(total);
  if (last <= 1) return null;
  const page = Math.min(state.page, last);
  const link = (n, label, attrs = {}) =>
    h("a", { href: S.resultsHref({ ...state, page: n }), ...attrs }, label);
  const numbers = [];
  const shown = new Set([1, last]);
  for (let n = page - 2; n <= page + 2; n++) if (n >= 1 && n <= last) shown.add(n);
  let previous = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n - previous > 1) numbers.push(h("span", { class: "ellipsis", "aria-hidden": "true" }, "…"));
    numbers.push(
      n === page
        ? h("span", { class: "page current", "aria-current": "page" }, hidden("الصفحة "), F.num(n))
        : link(n, [hidden("الصفحة "), F.num(n)], { class: "page" }),
    );
    previous = n;
  }
  return h(
    "nav",
    { class: "pager", "aria-label": "صفحات النتائج" },
    page > 1 ? link(page - 1, "→ السابقة", { class: "step", rel: "prev" }) : null,
    numbers,
    page < last ? link(page + 1, "التالية ←", { class: "step", rel: "next" }) : null,
  );
}

/** Words of a plain query (no quotes, operators or fields), else []. */
function plainWords(q) {
  if (/["«»():\-]|(^|\s)(OR|AND|NOT|أو)(\s|$)/.test(q)) return [];
  return q.split(/\s+/).filter(Boolean);
}

/**
 * Which file and row the article came from: «الملف: path، السطر N» (the
 * row of a Parquet file), or the file alone for a file that is one article.
 */
function provenance(a) {
  if (!a.path) return null;
  const unit = /\.parquet$/i.test(a.path) ? "الصف" : "السطر";
  const where = Number.isInteger(a.line) ? ["، ", `${unit} `, h("span", { class: "line" }, String(a.line))] : null;
  return h("p", { class: "provenance" }, "الملف: ", h("bdi", { class: "path", dir: "ltr" }, a.path), where);
}

/** The sources' names by id, from an answer's hits: {id: name}. */
function sourceNames(data) {
  const names = {};
  for (const item of data.hits || []) {
    if (item.source && item.source_name) names[item.source] = item.source_name;
  }
  return names;
}

/** The panel when nothing matched: what to try instead. */
function nothingFound(state, data) {
  const tries = [];
  const filters = activeFilters(state, sourceNames(data));
  if (filters.length) {
    tries.push(
      h(
        "li",
        {},
        "احذف عامل تصفية: ",
        filters.map((f, i) => [i ? " " : "", h("a", { class: "chip remove", href: f.without }, f.label, " ✕")]),
      ),
    );
  }
  const words = plainWords(state.q);
  if (words.length > 1) {
    const any = words.join(" أو ");
    tries.push(
      h("li", {}, "ابحث عن أيٍّ من الكلمات بدل كلها: ", h("a", { href: S.resultsHref(S.change(state, { q: any })) }, any)),
    );
  }
  const ignored = (data.warnings || []).some((w) => /^ignored the common word/.test(String(w)));
  if (ignored && words.length > 1) {
    const phrase = `"${state.q}"`;
    tries.push(
      h("li", {}, "ابحث عنها كعبارة بكل كلماتها: ", h("a", { href: S.resultsHref(S.change(state, { q: phrase })) }, phrase)),
    );
  }
  tries.push(h("li", {}, "تحقق من الإملاء، أو جرّب كلمة أعمّ أو اسماً آخر للشيء نفسه."));
  return h(
    "div",
    { class: "panel empty", role: "status" },
    h("h2", {}, "لم نجد مقالات تطابق هذا البحث."),
    h("ul", { class: "tries" }, tries),
  );
}

/**
 * The results view. `later` holds promises: `facets` (the facets answer)
 * and `entity` (what the entity name resolved to); `current()` says
 * whether this view is still the one shown when they settle.
 */
export function results(view, state, data, later) {
  const hits = data.hits || [];
  const facetBox = h("div", { class: "facets-body" }, facetPlaceholder());
  const entityBox = state.entity ? h("div", { class: "entity-slot" }, entityCard(state.entity, undefined)) : null;
  const filters = activeFilters(state, sourceNames(data));
  const head = h(
    "section",
    { class: "summary", "aria-labelledby": "summary-title" },
    h("div", { id: "fresh", class: "fresh", role: "status", "aria-live": "polite" }),
    summary(data),
    data.total_hits > 1 ? sortBar(state) : null,
    h(
      "div",
      { class: "tools" },
      followControl(state),
      data.total_hits ? downloadControl(state, data) : null,
      data.total_hits ? h("a", { class: "tool-link", href: trendsHref(state) }, "اتجاهات") : null,
    ),
    entityBox,
    notes(data.warnings),
    filters.length
      ? h(
          "div",
          { class: "active", "aria-label": "عوامل التصفية" },
          h("span", { class: "active-lead" }, "التصفية:"),
          filters.map((f) =>
            h("a", { class: "chip remove", href: f.without, "aria-label": `إزالة عامل التصفية ${f.label}` }, f.label, h("span", { "aria-hidden": "true" }, " ✕")),
          ),
          filters.length > 1
            ? h("a", { class: "clear", href: S.resultsHref({ q: state.q, entity: "", from: "", to: "", sources: [], sort: state.sort, page: 1 }) }, "إزالة الكل")
            : null,
        )
      : null,
  );
  const panel = h(
    "aside",
    { class: "facets", id: "facets", "aria-label": "تصفية النتائج" },
    h(
      "details",
      { class: "facets-toggle", open: wide() },
      h("summary", {}, "تصفية النتائج"),
      facetBox,
    ),
  );
  const list = hits.length
    ? h(
        "section",
        { class: "results", "aria-label": "النتائج" },
        h("ol", { class: "hits", start: (state.page - 1) * S.PER_PAGE + 1 }, hits.map((item) => hit(state, item))),
        pager(state, data.total_stories ?? data.total_hits),
      )
    : h(
        "section",
        { class: "results", "aria-label": "النتائج" },
        data.total_hits > 0
          ? h("div", { class: "panel empty" }, h("h2", {}, "لا نتائج في هذه الصفحة."), h("p", {}, h("a", { href: S.resultsHref({ ...state, page: 1 }) }, "عُد إلى الصفحة الأولى")))
          : nothingFound(state, data),
      );
  // Nothing found: nothing to count beside the results either.
  fill(view, h("div", { class: data.total_hits ? "layout" : "layout bare" }, head, data.total_hits ? panel : null, list));

  later.facets.then((answer) => {
    if (!later.current()) return;
    if (answer.ok) fill(facetBox, facetPanel(state, answer.data));
    else fill(facetBox, facetProblem(answer));
    facetBox.dataset.ready = "1";
  });
  if (entityBox && later.entity) {
    later.entity.then((resolved) => {
      if (!later.current()) return;
      fill(entityBox, entityCard(state.entity, resolved));
      entityBox.dataset.ready = "1";
    });
  }
}

/** True on a screen wide enough for the facets beside the results. */
export function wide() {
  return window.matchMedia("(min-width: 56rem)").matches;
}

/** The article view. */
export function article(view, state, a) {
  const title = String(a.title || "(مقالة بلا عنوان)");
  const body = String(a.body || "");
  const mentions = Array.isArray(a.entity_mentions) ? a.entity_mentions : [];
  const spansOf = (field, text) => {
    const spans = [];
    for (const m of mentions) {
      const type = String(m.type || "MISC").toLowerCase();
      for (const [start, end] of utf16Ranges(text, m[field])) {
        spans.push({
          start,
          end,
          make: () => h("span", { class: `ent ent-${type}`, title: `${F.typeLabel(m.type)}: ${m.name}`, "data-entity": m.name }),
        });
      }
    }
    spans.sort((x, y) => x.start - y.start);
    // Entities never overlap as the extractor finds them; keep the first if they do.
    return spans.filter((sp, i) => i === 0 || sp.start >= spans[i - 1].end);
  };
  const back = S.searching(state)
    ? h("a", { class: "back", href: S.resultsHref(state) }, "→ العودة إلى النتائج")
    : h("a", { class: "back", href: "/" }, "→ الصفحة الأولى");
  const url = /^https?:\/\//i.test(String(a.url || "")) ? String(a.url) : "";
  const when = a.date ? h("time", { datetime: a.date }, F.date(a.date)) : a.date_text || "بلا تاريخ";
  const names = mentions.length ? mentions.map((m) => ({ name: m.name, type: m.type, n: m.title.length + m.body.length })) : (a.entities || []).map((e) => ({ name: e.name, type: e.type, n: e.mentions }));
  const byType = {};
  for (const e of names) (byType[e.type] ||= []).push(e);
  const legend = [];
  if ((a.title_highlights || []).length || (a.body_highlights || []).length) legend.push(h("mark", {}, "كلمات البحث"));
  for (const code of Object.keys(F.TYPES)) {
    if (byType[code]) legend.push(h("span", { class: `ent ent-${code.toLowerCase()}` }, F.TYPES[code].group));
  }
  const paragraphs = rich(body, { marks: utf16Ranges(body, a.body_highlights), spans: spansOf("body", body), paragraphs: true });
  fill(
    view,
    h(
      "div",
      { class: "article-view" },
      h("nav", { class: "crumbs", "aria-label": "التنقل" }, back),
      h(
        "article",
        { class: "article", "aria-labelledby": "article-title" },
        h("h1", { id: "article-title", tabindex: "-1" }, rich(title, { marks: utf16Ranges(title, a.title_highlights), spans: spansOf("title", title) })),
        h(
          "p",
          { class: "meta" },
          a.source ? h("span", { class: "source", dir: "auto", title: a.source }, a.source_name || a.source) : "مصدر غير معروف",
          h("span", { class: "sep", "aria-hidden": "true" }, " · "),
          when,
          a.category ? [h("span", { class: "sep", "aria-hidden": "true" }, " · "), a.category] : null,
          [h("span", { class: "sep", "aria-hidden": "true" }, " · "), citeButton(a)],
          url
            ? [
                h("span", { class: "sep", "aria-hidden": "true" }, " · "),
                h("a", { class: "original", href: url, target: "_blank", rel: "noopener noreferrer" }, "المقال في موقعه الأصلي", hidden(" (يفتح في نافذة جديدة)"), h("span", { "aria-hidden": "true" }, " ↗")),
              ]
            : null,
        ),
        legend.length ? h("p", { class: "legend" }, h("span", { class: "legend-lead" }, "التظليل:"), legend.map((l) => [" ", l])) : null,
        h("div", { class: "body" }, paragraphs),
        a.keywords ? h("p", { class: "keywords" }, h("strong", {}, "كلمات دالة: "), a.keywords) : null,
        provenance(a),
      ),
      names.length
        ? h(
            "aside",
            { class: "article-entities", "aria-label": "الأسماء في المقالة" },
            h("h2", {}, "الأسماء في المقالة"),
            Object.keys(F.TYPES)
              .filter((code) => byType[code])
              .map((code) =>
                h(
                  "section",
                  { class: "facet" },
                  h("h3", {}, F.TYPES[code].group),
                  h("ul", { class: "chips" }, byType[code].map((e) => h("li", {}, entityChip(state, e, F.num(e.n))))),
                ),
              ),
          )
        : null,
    ),
  );
}

/** The first page: what the archive holds, and where to start. */
export function home(view, stats, entities) {
  const intro = h(
    "section",
    { class: "home-intro" },
    h("h1", { id: "summary-title", tabindex: "-1" }, "ابحث في أرشيف الأخبار"),
    h(
      "p",
      {},
      "يجد محرك «أخبار» كل مقالة عن موضوع أو اسم، مهما اختلفت التهجئة أو التشكيل أو الحروف المتصلة بالكلمة: ",
      "البحث عن «المعتقلين» يجد «معتقلون» و«والمعتقلين»، والبحث عن الاسم «ترمب» يجد «دونالد ترامب».",
    ),
  );
  const examples = [
    ["المعتقلين سوريا", S.resultsHref({ q: "المعتقلين سوريا", entity: "", from: "", to: "", sources: [], page: 1 })],
    ['"قوات سوريا الديمقراطية"', S.resultsHref({ q: '"قوات سوريا الديمقراطية"', entity: "", from: "", to: "", sources: [], page: 1 })],
    ["الاسم: ترمب", S.resultsHref({ q: "", entity: "ترمب", from: "", to: "", sources: [], page: 1 })],
  ];
  const parts = [
    intro,
    h(
      "p",
      { class: "starts" },
      h("span", { class: "active-lead" }, "ابدأ ببحث:"),
      examples.map(([label, href]) => [" ", h("a", { class: "chip start", href }, label)]),
    ),
  ];
  if (stats && stats.ok) {
    const s = stats.data;
    const range = s.first_date && s.last_date ? ` من ${F.date(s.first_date)} إلى ${F.date(s.last_date)}` : "";
    parts.push(h("p", { class: "stats" }, `في الأرشيف ${F.articles(s.articles)}${range}.`));
    const names = s.top_source_names || [];
    const sources = (s.top_sources || []).map((pair, i) => names[i] || (Array.isArray(pair) ? pair[0] : pair && pair.name)).filter(Boolean);
    if (sources.length) parts.push(h("p", { class: "stats" }, "أكثر المصادر مقالات: ", sources.map((name, i) => [i ? "، " : "", h("bdi", {}, name)]), "."));
  } else if (stats) {
    parts.push(problemPanel(F.problem(stats)));
  }
  if (entities && entities.ok) {
    const byType = {};
    for (const e of entities.data.entities || []) (byType[e.type] ||= []).push(e);
    const groups = Object.keys(F.TYPES)
      .filter((code) => code !== "MISC" && byType[code])
      .map((code) =>
        h(
          "section",
          { class: "facet" },
          h("h2", {}, F.TYPES[code].often),
          h("ul", { class: "chips" }, byType[code].slice(0, 8).map((e) => h("li", {}, entityChip(S.parse(""), e, F.num(e.articles))))),
        ),
      );
    if (groups.length) parts.push(h("div", { class: "home-grid" }, groups));
  }
  fill(view, h("div", { class: "home" }, parts));
}

/** A panel for a failed request. */
export function problemPanel(said, detail) {
  return h(
    "div",
    { class: `panel problem${said.retry ? " waiting" : ""}`, role: "alert" },
    h("h2", {}, said.title),
    h("p", {}, said.detail),
    said.command ? h("p", {}, said.commandLead, " ", h("code", { dir: "ltr" }, said.command)) : null,
    detail ? h("details", { class: "tech" }, h("summary", {}, "التفاصيل التقنية"), h("p", { dir: "ltr", lang: "en" }, detail)) : null,
  );
}

/** The whole view replaced by a problem (with the query's own note when it has one). */
export function problem(view, failure) {
  const said = F.problem(failure);
  fill(view, problemPanel(said, failure.message));
  return said;
}

/** The query that could not be searched because only common words were left. */
export function commonWordsOnly(view, state, failure) {
  const said = F.problem(failure);
  const phrase = `"${state.q}"`;
  fill(
    view,
    h(
      "div",
      { class: "panel empty", role: "alert" },
      h("h2", {}, said.title),
      h("p", {}, said.detail),
      state.q && !/["«»]/.test(state.q)
        ? h("p", {}, "ابحث عنها كعبارة: ", h("a", { href: S.resultsHref(S.change(state, { q: phrase })) }, phrase))
        : null,
    ),
  );
}

/** Marks the view as waiting for an answer. */
export function loading(view, text) {
  view.setAttribute("aria-busy", "true");
  if (!view.firstChild) append(view, h("p", { class: "loading", role: "status" }, text || "جارٍ البحث…"));
  view.classList.add("busy");
}

/** Clears the waiting mark. */
export function loaded(view) {
  view.removeAttribute("aria-busy");
  view.classList.remove("busy");
}
