// akhbar's search page: reads the state from the URL, asks the API, shows
// the view. Links are real links; a plain click on one that stays on this
// page is handled here (history.pushState), so Back/Forward walk the
// searches and every state can be bookmarked or opened in a new tab.

import { byId } from "./dom.js";
import * as S from "./state.js";
import { watchForNew } from "./live.js";
import { formTrends, parseTrends, trendsQuery, trendsView } from "./trends.js";
import { typeahead } from "./typeahead.js";
import * as V from "./views.js";

const view = byId("view");
const form = byId("search");
const input = byId("q");
const asName = byId("as-name");

/** Bumped by every navigation: answers for an older one are dropped. */
let generation = 0;
/** Facets by what they count over (they do not change with the page). */
const facetCache = new Map();
/** A pending automatic retry (index being built, server busy). */
let retryTimer = 0;

/**
 * GET a JSON endpoint: {ok: true, data} or {ok: false, status, code,
 * message} (status 0 when the server could not be reached).
 */
async function getJson(path) {
  let response;
  try {
    response = await fetch(path, { headers: { accept: "application/json" } });
  } catch (e) {
    return { ok: false, status: 0, code: "unreachable", message: String(e) };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok && body) return { ok: true, data: body };
  const error = (body && body.error) || {};
  return {
    ok: false,
    status: response.status,
    code: error.code || "http",
    message: error.message || `HTTP ${response.status}`,
  };
}

/** The API's search parameters for a state. */
function searchParams(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.entity) p.set("entity", state.entity);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  for (const s of state.sources) p.append("source", s);
  if (state.sort && state.sort !== "relevance") p.set("sort", state.sort);
  return p;
}

/** What an entity name resolves to: the search answer's `entity` (issue 14) or the analyzer's. */
async function resolveEntity(name, answer) {
  if (answer && answer.ok && answer.data.entity !== undefined) return answer.data.entity;
  const p = new URLSearchParams({ text: name, entity: "1" });
  const resolved = await getJson(`/api/analyze?${p}`);
  return resolved.ok ? resolved.data.entity : null;
}

/** Retries the current view after `ms` unless the reader has moved on. */
function retryLater(gen, ms) {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    if (gen === generation) show(false);
  }, ms);
}

function setTitle(text) {
  document.title = text ? `${text} — أخبار` : "أخبار — البحث في أرشيف الأخبار";
}

/** The search box and toggle as the state has them. */
function syncForm(state) {
  if (document.activeElement !== input || !input.value) {
    input.value = state.q || state.entity || "";
  }
  asName.checked = !state.q && Boolean(state.entity);
}

async function showResults(state, gen) {
  setTitle(state.q || state.entity);
  V.loading(view);
  const params = searchParams(state);
  const offset = (state.page - 1) * S.PER_PAGE;
  const hits = getJson(`/api/search?${params}&limit=${S.PER_PAGE}&offset=${offset}`);
  const key = S.facetKey(state);
  let facets = facetCache.get(key);
  if (!facets) {
    facets = getJson(`/api/search?${params}&limit=0&snippets=0&facets=1`);
    facetCache.set(key, facets);
    if (facetCache.size > 50) facetCache.delete(facetCache.keys().next().value);
    facets.then((a) => a.ok || facetCache.delete(key));
  }
  const answer = await hits;
  if (gen !== generation) return;
  V.loaded(view);
  if (!answer.ok) {
    if (answer.status === 400 && /^nothing to search for/.test(answer.message)) {
      V.commonWordsOnly(view, state, answer);
      return;
    }
    const said = V.problem(view, answer);
    if (said.retry) retryLater(gen, answer.code === "busy" ? 1000 : 2000);
    return;
  }
  if (answer.data.total_hits === 0) {
    // An index being built from nothing answers every search with 0 hits
    // until its first articles are committed: say so, and look again.
    const health = await getJson("/healthz");
    if (gen !== generation) return;
    if (health.ok && health.data.articles === 0) {
      V.problem(view, { status: 200, code: "index_empty", message: "the index holds no articles yet" });
      retryLater(gen, 2000);
      return;
    }
  }
  V.results(view, state, answer.data, {
    facets,
    entity: state.entity ? resolveEntity(state.entity, answer) : null,
    current: () => gen === generation,
  });
  watchForNew({
    slot: byId("fresh"),
    total: answer.data.total_hits,
    current: () => gen === generation,
    count: () => getJson(`/api/search?${params}&limit=0&snippets=0`),
    health: () => getJson("/healthz"),
    refresh: () => show(true),
  });
}

async function showArticle(state, gen) {
  setTitle("مقالة");
  V.loading(view, "جارٍ تحميل المقالة…");
  const highlight = new URLSearchParams();
  if (state.q) highlight.set("q", state.q);
  if (state.entity) highlight.set("entity", state.entity);
  const path = `/api/articles/${encodeURIComponent(state.id)}`;
  let answer = await getJson(`${path}?${highlight}`);
  if (!answer.ok && answer.status === 400 && String(highlight)) {
    // A query that highlights nothing (only common words): show the article plain.
    answer = await getJson(path);
  }
  if (gen !== generation) return;
  V.loaded(view);
  if (!answer.ok) {
    const said = V.problem(view, answer);
    if (said.retry) retryLater(gen, 2000);
    return;
  }
  setTitle(answer.data.title || "مقالة");
  V.article(view, state, answer.data);
}

async function showTrends(gen) {
  setTitle("اتجاهات");
  const t = parseTrends(location.search);
  if (!t.series.length) {
    trendsView(view, t, null);
    return;
  }
  V.loading(view, "جارٍ العدّ…");
  const answer = await getJson(`/api/trends?${trendsQuery(t)}`);
  if (gen !== generation) return;
  V.loaded(view);
  trendsView(view, t, answer);
  if (!answer.ok && retriable(answer)) retryLater(gen, 2000);
}

async function showHome(gen) {
  setTitle("");
  V.loading(view, "");
  const [stats, entities] = await Promise.all([getJson("/api/stats?top=6"), getJson("/api/entities?top=60")]);
  if (gen !== generation) return;
  V.loaded(view);
  V.home(view, stats, entities);
  if (!stats.ok && retriable(stats)) retryLater(gen, 2000);
}

/** True for a failure that goes away by itself (index being built, server busy). */
function retriable(failure) {
  return failure.code === "index_unavailable" || failure.code === "busy";
}

/** Shows the view the URL asks for; `focus` moves the focus to its heading. */
async function show(focus) {
  clearTimeout(retryTimer);
  const gen = ++generation;
  const state = S.parse(location.search);
  syncForm(state);
  if (location.pathname === "/trends") await showTrends(gen);
  else if (location.pathname === "/article" && state.id) await showArticle(state, gen);
  else if (S.searching(state)) await showResults(state, gen);
  else await showHome(gen);
  if (gen !== generation) return;
  // Said by screen readers after every search, whatever has the focus.
  const heading =
    document.getElementById("summary-title") || document.getElementById("article-title") || document.getElementById("trend-title");
  byId("announce").textContent = heading ? heading.textContent : "";
  // Which URL the view now shows (the browser tests wait for it).
  document.documentElement.dataset.shown = `${location.pathname}${location.search}`;
  if (focus && heading) heading.focus({ preventScroll: true });
}

/** Goes to a URL of this page without reloading it. */
function go(href, focus) {
  const url = new URL(href, location.href);
  history.pushState(null, "", `${url.pathname}${url.search}`);
  window.scrollTo(0, 0);
  show(focus);
}

/** True for a link this page can show itself. */
function ours(link) {
  if (!link || link.target || link.hasAttribute("download")) return false;
  const url = new URL(link.href, location.href);
  return url.origin === location.origin && ["/", "/article", "/trends"].includes(url.pathname);
}

document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest("a[href]");
  if (!ours(link)) return;
  event.preventDefault();
  go(link.href, true);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  const base = S.parse(location.search);
  const current = { ...base, id: "", page: 1 };
  if (!text) {
    go("/", false);
    return;
  }
  let next;
  if (asName.checked) {
    next = S.change(current, { entity: text, q: "" });
  } else {
    // Leaving name mode with the name still in the box: search it as words.
    const entity = !current.q && current.entity === text ? "" : current.entity;
    next = S.change(current, { q: text, entity });
  }
  go(S.resultsHref(next), false);
});

document.addEventListener("submit", (event) => {
  const drawn = event.target.closest("form[data-trends]");
  if (drawn) {
    event.preventDefault();
    go(`/trends?${trendsQuery(formTrends(drawn, parseTrends(location.search)))}`, true);
    return;
  }
  const dates = event.target.closest("form[data-dates]");
  if (!dates) return;
  event.preventDefault();
  const data = new FormData(dates);
  const state = S.parse(location.search);
  go(S.resultsHref(S.change(state, { from: String(data.get("from") || ""), to: String(data.get("to") || "") })), true);
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const t = event.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t.isContentEditable) return;
  event.preventDefault();
  input.focus();
  input.select();
});

window.addEventListener("popstate", () => show(false));

// Names (and words) as the reader types; taking one searches it.
typeahead(input, asName, (text, isEntity) => {
  input.value = text;
  asName.checked = isEntity;
  form.requestSubmit();
});

// The facets open beside the results on a wide screen, folded on a phone.
window.matchMedia("(min-width: 56rem)").addEventListener("change", (e) => {
  const panel = document.querySelector(".facets-toggle");
  if (panel) panel.open = e.matches;
});

show(false);
