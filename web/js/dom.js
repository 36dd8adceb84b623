// dom.js — building DOM safely, and formatting numbers for people.
// Contract: every function here inserts text only through textContent / createTextNode and sets
// attributes only by name with string values; nothing parses markup. Captured data (which an
// attacker controls) may be passed to any of them.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element with optional class name(s) and children (strings become text nodes). */
export function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  append(node, children);
  return node;
}

/** An SVG element with attributes (numbers and strings only) and children. */
export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

/** Appends children: nodes as they are, anything else (except null/undefined/false) as text. */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** A <button type="button"> with a click handler. */
export function button(label, onClick, className) {
  const node = el('button', className, label);
  node.type = 'button';
  if (onClick) node.addEventListener('click', onClick);
  return node;
}

/** A two-column table of [name, value] rows; values may be nodes. Empty values are left out. */
export function facts(rows, className = 'facts') {
  const table = el('table', className);
  const body = el('tbody');
  for (const [name, value] of rows) {
    if (value === null || value === undefined || value === '') continue;
    body.append(el('tr', null, el('th', null, name), el('td', null, value)));
  }
  table.append(body);
  return table;
}

/** The icon for a name in the sprite of index.html (<symbol id="i-NAME">). */
export function icon(name, className = 'icon') {
  const use = svg('use', { href: '#i-' + name });
  const node = svg('svg', { class: className, 'aria-hidden': 'true', focusable: 'false' }, use);
  return node;
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(n < 10240 ? 1 : 0) + ' kB';
  if (n < 1024 * 1024 * 1024) return (n / 1048576).toFixed(1) + ' MB';
  return (n / 1073741824).toFixed(2) + ' GB';
}

export function millis(n) {
  if (n === null || n === undefined) return '';
  return n < 1000 ? n + ' ms' : (n / 1000).toFixed(n < 10000 ? 2 : 1) + ' s';
}

const CLOCK = new Intl.DateTimeFormat(undefined,
  { hour: 'numeric', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 });

/** The time of day with milliseconds in the user's locale and hour cycle ("9:41:05.493 PM"). */
export function clock(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return CLOCK.format(date);
}

/** Date and time in the user's locale and hour cycle, as clock() ("Nov 27, 2026, 9:41 PM"). */
export function dateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso || '';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The path and query of an absolute URL exactly as captured (not re-encoded), or ''. */
export function pathOf(url) {
  if (!url) return '';
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  const rest = match ? url.slice(match[0].length) : url;
  return rest === '' ? '/' : rest;
}
