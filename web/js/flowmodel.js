// flowmodel.js — the flow list's data: newest first, fetched from /api/flows page by page as the
// list scrolls, with live flows from the WebSocket put on top.
// Contract: reload() starts over for the current filters; get(i) returns the summary at display
// index i or null (and then fetches its page); add(summary) takes a live flow; hidden(id) counts a
// live background flow the filter hides. Listeners get 'reset' (new filters, count known), 'rows'
// (a page arrived), 'insert' (n new rows on top; the rows below moved down by n) and 'hidden'
// (backgroundHidden changed).
// The filter meaning lives on the server only: every filter goes to /api/flows, and the live feed
// is subscribed with the same query string (setFeed), so the server sends only the flows that
// match it; nothing here re-judges a flow.

import { getJson, flowQuery, filterQuery } from './api.js';

const PAGE = 200;
const PENDING = Symbol('pending');

export const EMPTY_FILTERS = Object.freeze({
  q: '', kind: '', host: '', status: '', client: '', session: '', participant: '', background: 'false',
});

export class FlowModel {
  constructor() {
    this.filters = { ...EMPTY_FILTERS };
    this.rows = [];
    this.total = 0;
    this.backgroundHidden = 0;
    this.hiddenIds = new Set();
    this.generation = 0;
    this.inserted = 0;
    this.ids = new Set();
    this.batch = [];
    this.listeners = [];
    this.loaded = false;
    this.feed = null;
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  emit(what, detail) {
    this.listeners.forEach((l) => l(what, detail));
  }

  /** The live feed ({setFilter}); it is told the filter before each reload. */
  setFeed(feed) {
    this.feed = feed;
    feed.setFilter(filterQuery(this.filters));
  }

  setFilters(filters) {
    this.filters = { ...EMPTY_FILTERS, ...filters };
    return this.reload();
  }

  async reload() {
    const generation = ++this.generation;
    if (this.feed) this.feed.setFilter(filterQuery(this.filters));
    const page = await getJson(flowQuery(this.filters, 0, PAGE));
    if (generation !== this.generation) return;
    this.total = page.total;
    this.backgroundHidden = page.backgroundHidden || 0;
    this.hiddenIds = new Set();
    this.rows = new Array(page.total).fill(null);
    this.ids = new Set();
    this.inserted = 0;
    this.batch = [];
    this.loaded = true;
    // the list is newest first by id: a live flow not above its top one is already counted (the
    // feed speaks after the commit, the list also holds flows still queued for the writer)
    this.newestId = page.flows.length > 0 ? page.flows[0].id : 0;
    this.place(0, page.flows);
    this.emit('reset');
  }

  get(index) {
    const row = this.rows[index];
    return row === PENDING || row === undefined ? null : row;
  }

  /** Fetches the pages that hold display rows from..to (inclusive) and are not loaded yet. */
  ensure(from, to) {
    if (!this.loaded) return;
    to = Math.min(to, this.total - 1);
    for (let i = Math.max(0, from); i <= to; i++) {
      if (this.rows[i] === null) {
        this.fetch(i);
        i += PAGE - 1;
      }
    }
  }

  async fetch(offset) {
    const generation = this.generation;
    const insertedBefore = this.inserted;
    const end = Math.min(offset + PAGE, this.total);
    for (let i = offset; i < end; i++) if (this.rows[i] === null) this.rows[i] = PENDING;
    try {
      const page = await getJson(flowQuery(this.filters, offset, PAGE));
      if (generation !== this.generation) return;
      this.place(offset + (this.inserted - insertedBefore), page.flows);
      this.emit('rows');
    } catch (e) {
      if (generation !== this.generation) return;
      for (let i = offset; i < end; i++) if (this.rows[i] === PENDING) this.rows[i] = null;
    }
  }

  place(at, flows) {
    flows.forEach((flow, k) => {
      const index = at + k;
      if (index < this.rows.length && !this.ids.has(flow.id)) {
        this.rows[index] = flow;
        this.ids.add(flow.id);
      }
    });
  }

  /** A live flow the server says matches the filters; rows go on top in batches (every 50 ms). */
  add(flow) {
    if (!this.loaded || this.ids.has(flow.id) || flow.id <= this.newestId) return;
    this.batch.push(flow);
    if (this.batch.length === 1) setTimeout(() => this.flush(), 50);
  }

  /** A live flow that would match but for being background traffic. */
  hidden(id) {
    if (!this.loaded || this.hiddenIds.has(id)) return;
    this.hiddenIds.add(id);
    this.backgroundHidden++;
    this.emit('hidden', this.backgroundHidden);
  }

  flush() {
    const fresh = this.batch.filter((f) => !this.ids.has(f.id)).reverse();
    this.batch = [];
    if (fresh.length === 0) return;
    fresh.forEach((f) => {
      this.ids.add(f.id);
      this.newestId = Math.max(this.newestId, f.id);
    });
    this.rows = fresh.concat(this.rows);
    this.total += fresh.length;
    this.inserted += fresh.length;
    this.emit('insert', fresh.length);
  }
}
