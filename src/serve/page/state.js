// The page's state lives in the URL, so that a search can be bookmarked,
// shared and walked with Back/Forward:
//   /?q=…&entity=…&from=YYYY-MM-DD&to=YYYY-MM-DD&source=…&source=…&sort=date|-date&page=N
//   /article?id=…&(the same, for the way back and the highlights)

/** Results per page. */
export const PER_PAGE = 10;
/** The API's largest offset: pages beyond it cannot be asked for. */
export const MAX_OFFSET = 10000;

/** The orders a reader can pick, as the API's `sort` values ("relevance" is the default). */
export const SORTS = ["relevance", "date", "-date"];

/** The state in a query string. */
export function parse(search) {
  const p = new URLSearchParams(search);
  const page = Number.parseInt(p.get("page") || "1", 10);
  return {
    q: (p.get("q") || "").trim(),
    entity: (p.get("entity") || "").trim(),
    from: (p.get("from") || "").trim(),
    to: (p.get("to") || "").trim(),
    sources: p.getAll("source").map((s) => s.trim()).filter(Boolean),
    sort: SORTS.includes(p.get("sort")) ? p.get("sort") : "relevance",
    page: Number.isFinite(page) && page > 1 ? Math.min(page, lastPage(Infinity)) : 1,
    id: p.get("id") || "",
  };
}

/** The query string of a state (page 1 and empty fields left out). */
export function query(state) {
  const p = new URLSearchParams();
  if (state.id) p.set("id", state.id);
  if (state.q) p.set("q", state.q);
  if (state.entity) p.set("entity", state.entity);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  for (const s of state.sources || []) p.append("source", s);
  if (state.sort && state.sort !== "relevance") p.set("sort", state.sort);
  if (state.page > 1) p.set("page", String(state.page));
  const text = p.toString();
  return text ? `?${text}` : "";
}

/** The link to the results of a state. */
export function resultsHref(state) {
  return `/${query({ ...state, id: "" })}`;
}

/** The link to an article, carrying the search it was found by. */
export function articleHref(id, state) {
  return `/article${query({ ...state, id })}`;
}

/** A copy of a state with `changes`, back on page 1 unless a page is given. */
export function change(state, changes) {
  return { ...state, page: 1, id: "", ...changes };
}

/** True when something is searched for. */
export function searching(state) {
  return Boolean(state.q || state.entity);
}

/** True when a filter narrows the search. */
export function filtered(state) {
  return Boolean(state.entity || state.from || state.to || state.sources.length);
}

/** The last page that can be shown for `total` hits. */
export function lastPage(total) {
  const byOffset = Math.floor(MAX_OFFSET / PER_PAGE) + 1;
  return Math.max(1, Math.min(Math.ceil(total / PER_PAGE), byOffset));
}

/** The key of what a search counts over (facets do not change with the page). */
export function facetKey(state) {
  return JSON.stringify([state.q, state.entity, state.from, state.to, state.sources]);
}

/** First and last day of a month "YYYY-MM". */
export function monthRange(ym) {
  const [y, m] = ym.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, "0");
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, "0")}` };
}

/** The month "YYYY-MM" when from..to is exactly one whole month. */
export function wholeMonth(from, to) {
  const m = /^(\d{4})-(\d{2})-01$/.exec(from || "");
  if (!m) return null;
  const ym = `${m[1]}-${m[2]}`;
  return monthRange(ym).to === to ? ym : null;
}
