// flowlist.js — the flow list: filter bar, column header and the virtualised rows.
// Contract: new FlowList(root, model, {onOpen}) wires the static markup of index.html (#filters,
// #flows) to a FlowModel. Clicking a row, or moving with the arrow keys, selects it and calls
// onOpen(id). select(id) marks a row as selected (from the router). Each row's menu (⋯) hides its
// host or shows only that host, through the host filter. Background flows are hidden unless
// "show" is chosen; their count comes from the server. Every cell is filled with textContent:
// URLs, hosts and methods are captured data.

import { el, svg, clock, bytes, millis, pathOf } from './dom.js';
import { kindInfo, KINDS } from './kinds.js';
import { VirtualList } from './virtuallist.js';

const COLUMNS = [
  ['time', 'Time'], ['client', 'Client'], ['kind', 'Kind'], ['method', 'Method'],
  ['host', 'Host'], ['path', 'Path'], ['status', 'Status'], ['size', 'Size'], ['duration', 'Duration'],
  ['menu', ''],
];
const ALL_KINDS = ['http', 'https-decrypted', 'https-tunnel', 'https-rejected', 'error'];

/** The kind filter for the checked kinds: '' for all, else the shorter of a list and its negation. */
export function kindFilter(checked) {
  if (checked.length === ALL_KINDS.length) return '';
  const unchecked = ALL_KINDS.filter((k) => !checked.includes(k));
  return checked.length > 0 && checked.length <= unchecked.length ? checked.join(',') : '!' + unchecked.join(',');
}

/** The host filter with one more host hidden: added to a negated list, or starting one. */
export function withoutHost(current, host) {
  const text = (current || '').trim();
  if (text.startsWith('!')) {
    const hosts = text.slice(1).split(',').map((h) => h.trim()).filter(Boolean);
    if (!hosts.includes(host)) hosts.push(host);
    return '!' + hosts.join(',');
  }
  return '!' + host;
}

export function hostPort(flow) {
  const scheme = flow.url ? flow.url.slice(0, flow.url.indexOf(':')) : '';
  const usual = (scheme === 'http' && flow.port === 80) || (scheme === 'https' && flow.port === 443);
  return (flow.host || '') + (flow.port && !usual ? ':' + flow.port : '');
}

export function pathText(flow) {
  if (flow.url) return pathOf(flow.url);
  if (flow.kind === 'https-tunnel') return '(sealed: path not visible)';
  if (flow.kind === 'https-rejected') return '(never sent)';
  return '';
}

export function statusText(flow) {
  if (flow.status !== null && flow.status !== undefined) return String(flow.status);
  if (flow.kind === 'https-rejected') return 'refused';
  if (flow.kind === 'https-tunnel') return 'sealed';
  if (flow.kind === 'error') return 'failed';
  return '';
}

function statusClass(flow) {
  const s = flow.status;
  if (s >= 500) return 's5';
  if (s >= 400) return 's4';
  if (s >= 300) return 's3';
  if (s >= 200) return 's2';
  return 'snone';
}

export class FlowList {
  constructor(model, { onOpen }) {
    this.model = model;
    this.onOpen = onOpen;
    this.selectedId = null;
    this.selectedIndex = -1;
    this.grid = document.getElementById('flows-viewport');
    this.viewport = document.getElementById('flows-viewport');
    this.empty = document.getElementById('flows-empty');
    this.count = document.getElementById('flow-count');
    this.backgroundNote = document.getElementById('background-note');
    this.backgroundCount = document.getElementById('background-count');
    this.backgroundToggle = document.getElementById('background-toggle');
    this.showBackground = false;
    this.menu = el('div', 'row-menu');
    this.menu.hidden = true;
    this.menu.setAttribute('role', 'menu');
    document.body.append(this.menu);
    this.buildHeader();
    this.list = new VirtualList(this.viewport, {
      create: () => this.createRow(),
      render: (row, index) => this.renderRow(row, index),
      onRange: (from, to) => model.ensure(from, to),
    });
    model.onChange((what, detail) => this.changed(what, detail));
    this.wireFilters();
    this.wireKeys();
  }

  buildHeader() {
    const head = document.getElementById('flows-head');
    head.replaceChildren(...COLUMNS.map(([key, label]) =>
      el('div', 'cell c-' + key, label)));
    head.childNodes.forEach((cell) => cell.setAttribute('role', 'columnheader'));
  }

  createRow() {
    const row = el('div', 'flow-row');
    row.setAttribute('role', 'row');
    for (const [key] of COLUMNS) {
      const cell = el('div', 'cell c-' + key);
      cell.setAttribute('role', 'gridcell');
      if (key === 'kind') {
        const use = svg('use', { href: '#i-warning' });
        cell.append(svg('svg', { class: 'icon', 'aria-hidden': 'true', focusable: 'false' }, use),
          el('span', 'kind-label'));
      }
      if (key === 'menu') {
        const open = el('button', 'row-menu-button', '⋯');
        open.type = 'button';
        open.title = 'hide this host, or show only this host';
        open.setAttribute('aria-haspopup', 'menu');
        open.addEventListener('click', (event) => {
          event.stopPropagation();
          const flow = this.model.get(Number(row.dataset.index));
          if (flow) this.openMenu(open, flow);
        });
        cell.append(open);
      }
      row.append(cell);
    }
    row.addEventListener('click', () => {
      const index = Number(row.dataset.index);
      const flow = this.model.get(index);
      if (flow) this.choose(flow, index, true);
    });
    return row;
  }

  renderRow(row, index) {
    const flow = this.model.get(index);
    const cells = row.children;
    row.setAttribute('aria-rowindex', String(index + 2));
    if (!flow) {
      row.className = 'flow-row loading';
      row.removeAttribute('id');
      for (let i = 0; i < cells.length; i++) {
        if (i === 2) cells[i].lastChild.textContent = '';
        else if (i !== 9) cells[i].textContent = i === 5 ? 'loading…' : '';
      }
      return;
    }
    const selected = flow.id === this.selectedId;
    row.className = 'flow-row kind-' + (KINDS[flow.kind] ? flow.kind : 'unknown') + (selected ? ' selected' : '')
      + (flow.modified ? ' modified' : '') + (flow.background ? ' background' : '');
    row.id = 'flow-row-' + flow.id;
    row.dataset.id = String(flow.id);
    row.setAttribute('aria-selected', String(selected));
    row.title = flow.url || (flow.method + ' ' + hostPort(flow));
    if (flow.refusal) row.title += ': refused, the client ' + flow.refusal.sentence;
    const info = kindInfo(flow.kind);
    cells[0].textContent = clock(flow.startedAt);
    cells[1].textContent = flow.participant ? flow.participant + ' (' + (flow.client || '?') + ')' : flow.client || '';
    cells[2].className = 'cell c-kind kind kind-' + (KINDS[flow.kind] ? flow.kind : 'unknown');
    cells[2].firstChild.firstChild.setAttribute('href', '#i-' + info.icon);
    cells[2].lastChild.textContent = info.label;
    cells[3].textContent = flow.method || '';
    cells[4].textContent = hostPort(flow);
    cells[4].title = hostPort(flow) + (flow.background ? ' (a browser or system background service)' : '');
    cells[5].textContent = pathText(flow);
    cells[5].title = pathText(flow);
    if (flow.modified) {
      cells[5].prepend(el('span', 'modified-mark', 'changed'));
      row.title += ' (changed by a tamper rule)';
    }
    cells[6].textContent = statusText(flow);
    cells[6].className = 'cell c-status ' + statusClass(flow);
    cells[7].textContent = bytes(flow.responseBytes);
    cells[8].textContent = millis(flow.durationMs);
  }

  changed(what, detail) {
    if (what === 'reset') {
      this.selectedIndex = -1;
      this.viewport.scrollTop = 0;
      this.list.setCount(this.model.total);
    } else if (what === 'insert') {
      if (this.selectedIndex >= 0) this.selectedIndex += detail;
      this.list.shiftDown(detail);
    } else if (what === 'rows') {
      this.list.refresh();
    }
    this.showBackgroundNote();
    this.grid.setAttribute('aria-rowcount', String(this.model.total + 1));
    this.count.textContent = this.model.total.toLocaleString() + (this.model.total === 1 ? ' flow' : ' flows');
    this.empty.hidden = this.model.total > 0;
  }

  showBackgroundNote() {
    const n = this.model.backgroundHidden;
    if (this.showBackground) {
      this.backgroundNote.hidden = false;
      this.backgroundCount.textContent = 'background flows shown';
      this.backgroundToggle.textContent = 'hide';
    } else {
      this.backgroundNote.hidden = n === 0;
      this.backgroundCount.textContent = n.toLocaleString() + (n === 1 ? ' background flow' : ' background flows') + ' hidden';
      this.backgroundToggle.textContent = 'show';
    }
  }

  openMenu(anchor, flow) {
    const host = flow.host;
    this.menu.replaceChildren();
    if (!host) {
      this.menu.append(el('p', 'muted', 'this flow has no host'));
    } else {
      const item = (label, action) => {
        const b = el('button', null, label);
        b.type = 'button';
        b.setAttribute('role', 'menuitem');
        b.addEventListener('click', () => {
          this.closeMenu();
          action();
        });
        return b;
      };
      const input = document.getElementById('filter-host');
      this.menu.append(
        item('Exclude host ' + host, () => this.setHostFilter(withoutHost(input.value, host))),
        item('Only host ' + host, () => this.setHostFilter(host)));
    }
    const box = anchor.getBoundingClientRect();
    this.menu.style.top = (box.bottom + window.scrollY) + 'px';
    this.menu.style.left = Math.max(0, box.right + window.scrollX - 260) + 'px';
    this.menu.hidden = false;
    const first = this.menu.querySelector('button');
    if (first) first.focus();
  }

  closeMenu() {
    this.menu.hidden = true;
  }

  setHostFilter(value) {
    const input = document.getElementById('filter-host');
    input.value = value;
    input.form.dispatchEvent(new Event('change'));
  }

  choose(flow, index, open) {
    this.selectedId = flow.id;
    this.selectedIndex = index;
    this.viewport.setAttribute('aria-activedescendant', 'flow-row-' + flow.id);
    this.list.refresh();
    if (open) this.onOpen(flow.id);
  }

  /** Marks a flow as selected without opening it (the router already did). */
  select(id) {
    if (this.selectedId === id) return;
    this.selectedId = id;
    this.selectedIndex = -1;
    for (let i = 0; i < this.model.rows.length && i < 5000; i++) {
      const flow = this.model.get(i);
      if (flow && flow.id === id) {
        this.selectedIndex = i;
        break;
      }
    }
    this.list.refresh();
  }

  move(delta) {
    const total = this.model.total;
    if (total === 0) return;
    let index = this.selectedIndex < 0 ? this.list.firstVisible() : this.selectedIndex + delta;
    index = Math.max(0, Math.min(total - 1, index));
    this.list.scrollIntoView(index);
    const flow = this.model.get(index);
    if (!flow) {
      this.model.ensure(index, index);
      return;
    }
    this.choose(flow, index, false);
    clearTimeout(this.openTimer);
    this.openTimer = setTimeout(() => this.onOpen(flow.id), 120);
  }

  wireKeys() {
    this.viewport.addEventListener('keydown', (event) => {
      const page = this.list.visibleCount();
      const moves = {
        ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page,
        Home: -Infinity, End: Infinity, j: 1, k: -1,
      };
      if (event.key in moves) {
        event.preventDefault();
        const delta = moves[event.key];
        if (!Number.isFinite(delta)) {
          this.selectedIndex = delta < 0 ? 0 : this.model.total - 1;
          this.move(0);
        } else {
          this.move(delta);
        }
      } else if (event.key === 'Enter' && this.selectedId !== null) {
        event.preventDefault();
        this.onOpen(this.selectedId, true);
      }
    });
  }

  wireFilters() {
    const form = document.getElementById('filters');
    const read = () => {
      const data = new FormData(form);
      const filters = {};
      for (const name of ['q', 'host', 'status', 'client', 'session', 'participant']) filters[name] = data.get(name) || '';
      filters.kind = kindFilter(data.getAll('kinds'));
      filters.background = this.showBackground ? '' : 'false';
      return filters;
    };
    let timer;
    const apply = () => {
      clearTimeout(timer);
      this.model.setFilters(read()).catch((e) => this.showError(e));
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      apply();
    });
    form.addEventListener('change', apply);
    form.addEventListener('input', (event) => {
      if (event.target.name === 'q') return; // the search runs on Enter or when the box is left
      clearTimeout(timer);
      timer = setTimeout(apply, 350);
    });
    form.addEventListener('reset', () => {
      this.showBackground = false;
      setTimeout(apply, 0);
    });
    this.backgroundToggle.addEventListener('click', () => {
      this.showBackground = !this.showBackground;
      apply();
    });
    document.addEventListener('click', (event) => {
      if (!this.menu.hidden && !this.menu.contains(event.target)) this.closeMenu();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.menu.hidden) this.closeMenu();
    });
  }

  showError(error) {
    this.count.textContent = 'cannot load flows: ' + error.message;
  }
}
