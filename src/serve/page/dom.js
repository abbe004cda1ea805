// Building the page: elements and text nodes only. Nothing from the index
// or the user is ever parsed as HTML: strings become text nodes, and
// attribute values are set one by one (never an event handler).

/**
 * An element: h("a", {href: "/", class: "x"}, "text", child, [more]).
 * Strings and numbers become text nodes; null, undefined and false are
 * skipped; arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (/^on/i.test(name) || name === "style") {
      throw new Error(`h(): refusing attribute ${name}`);
    }
    el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (strings as text nodes) to a node. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces a node's children. */
export function fill(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** The element with this id. */
export function byId(id) {
  return document.getElementById(id);
}
