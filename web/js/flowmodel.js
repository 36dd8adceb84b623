// flowmodel.js — the flow list's data: newest first, fetched from /api/flows page by page as the
// list scrolls, with live flows from the WebSocket put on top.
// Contract: reload() starts over for the current filters; get(i) returns the summary at display
// index i or null (and then fetches its page); add(summary) takes a live flow. Listeners get
// 'reset' (new filters, count known), 'rows' (a page arrived), 'insert' (n new rows on top; the
// rows below moved down by n) and 'unseen' (new flows exist that only a reload can place: a
// search is active and matching it needs the server).
// The status and client filters are sent to the server; a server that ignores them (it answers
// with flows they exclude) is met by scanning the newest SCAN_LIMIT flows here instead, and
// `scanned` then says how many were looked at.

import { getJson, flowQuery } from './api.js';

const PAGE = 200;
const SCAN_PAGE = 1000;
const SCAN_LIMIT = 50000;
const PENDING = Symbol('pending');

export const EMPTY_FILTERS = Object.freeze({ q: '', kind: '', host: '', status: '', client: '', session: '', participant: '' });

/** Does a summary pass the filters (all but q, which only the server can judge)? */
export function matches(flow, filters) {
  if (filters.kind && flow.kind !== filters.kind) return false;
  if (filters.session && flow.session !== filters.session) return false;
  if (filters.participant && (flow.participant || '') !== filters.participant.trim()) return false;
  if (filters.host && !(flow.host || '').toLowerCase().includes(filters.host.trim().toLowerCase())) return false;
  if (filters.client && !(flow.client || '').includes(filters.client.trim())) return false;
  if (filters.status && !statusMatches(flow.status, filters.status.trim())) return false;
  return true;
}

/** "404" exactly, "4xx" a class, "none" no status (tunnels, refusals, errors). */
export function statusMatches(status, pattern) {
  if (!pattern) return true;
  if (pattern.toLowerCase() === 'none') return status === null || status === undefined;
  if (status === null || status === undefined) return false;
  const text = String(status);
  const want = pattern.toLowerCase();
  return text.length === want.length && [...want].every((c, i) => c === 'x' || c === text[i]);
}

export class FlowModel {
  constructor() {
    this.filters = { ...EMPTY_FILTERS };
    this.rows = [];
    this.total = 0;
    this.generation = 0;
    this.inserted = 0;
    this.unseen = 0;
    this.ids = new Set();
    this.batch = [];
    this.listeners = [];
    this.loaded = false;
    this.local = false;
    this.scanned = null;
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  emit(what, detail) {
    this.listeners.forEach((l) => l(what, detail));
  }

  setFilters(filters) {
    this.filters = { ...EMPTY_FILTERS, ...filters };
    return this.reload();
  }

  async reload() {
    const generation = ++this.generation;
    const page = await getJson(flowQuery(this.filters, 0, PAGE));
    if (generation !== this.generation) return;
    const f = this.filters;
    if ((f.status || f.client) && page.flows.some((flow) => !matches(flow, f))) {
      await this.scan(generation);
      return;
    }
    this.local = false;
    this.scanned = null;
    this.total = page.total;
    this.rows = new Array(page.total).fill(null);
    this.ids = new Set();
    this.inserted = 0;
    this.unseen = 0;
    this.batch = [];
    this.loaded = true;
    this.place(0, page.flows);
    this.emit('reset');
  }

  /** Loads every flow the server returns for the other filters and keeps the matching ones. */
  async scan(generation) {
    const kept = [];
    let offset = 0;
    let total = Infinity;
    while (offset < total && offset < SCAN_LIMIT) {
      const page = await getJson(flowQuery(this.filters, offset, SCAN_PAGE));
      if (generation !== this.generation) return;
      total = page.total;
      if (page.flows.length === 0) break;
      for (const flow of page.flows) if (matches(flow, this.filters)) kept.push(flow);
      offset += page.flows.length;
    }
    this.local = true;
    this.scanned = total > offset ? offset : null;
    this.rows = kept;
    this.total = kept.length;
    this.ids = new Set(kept.map((flow) => flow.id));
    this.inserted = 0;
    this.unseen = 0;
    this.batch = [];
    this.loaded = true;
    this.emit('reset');
  }

  get(index) {
    const row = this.rows[index];
    return row === PENDING || row === undefined ? null : row;
  }

  /** Fetches the pages that hold display rows from..to (inclusive) and are not loaded yet. */
  ensure(from, to) {
    if (!this.loaded || this.local) return;
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
      const page = await getJson(flowQuery(this.filters, offset + this.unseen, PAGE));
      if (generation !== this.generation) return;
      const f = this.filters;
      if ((f.status || f.client) && page.flows.some((flow) => !matches(flow, f))) {
        await this.scan(++this.generation);
        return;
      }
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

  /** A live flow from the WebSocket; rows are put on top in batches (at most every 50 ms). */
  add(flow) {
    if (!this.loaded || this.ids.has(flow.id)) return;
    if (!matches(flow, this.filters)) return;
    if (this.filters.q) {
      this.unseen++;
      this.emit('unseen', this.unseen);
      return;
    }
    this.batch.push(flow);
    if (this.batch.length === 1) setTimeout(() => this.flush(), 50);
  }

  flush() {
    const fresh = this.batch.filter((f) => !this.ids.has(f.id)).reverse();
    this.batch = [];
    if (fresh.length === 0) return;
    fresh.forEach((f) => this.ids.add(f.id));
    this.rows = fresh.concat(this.rows);
    this.total += fresh.length;
    this.inserted += fresh.length;
    this.emit('insert', fresh.length);
  }
}
