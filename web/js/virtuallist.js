// virtuallist.js — a scrolling list that keeps only the rows in view (plus a few) in the DOM, so
// 100,000 rows scroll as smoothly as 100.
// Contract: new VirtualList(viewport, {create, render}) — create() makes one row element,
// render(row, index) fills it for a display index. setCount(n) after the data changed size,
// refresh() after rows changed in place, shiftDown(n) after n rows were put on top (keeps what
// the reader is looking at in place unless they are at the very top). Rows out of use are
// hidden and lose their id and data-id. Rows are positioned with
// transforms through the CSSOM, which the Content-Security-Policy allows.

const MAX_CANVAS = 8_000_000; // px; browsers cap element heights around 16-33 million px
const OVERSCAN = 6;

export class VirtualList {
  constructor(viewport, { create, render, onRange }) {
    this.viewport = viewport;
    this.create = create;
    this.renderRow = render;
    this.onRange = onRange || (() => {});
    this.count = 0;
    this.rowHeight = 0;
    this.pool = [];
    this.canvas = document.createElement('div');
    this.canvas.className = 'vlist-canvas';
    viewport.append(this.canvas);
    this.scheduled = false;
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => { this.measure(); this.schedule(); }).observe(viewport);
  }

  /** Reads the row height from CSS (it changes with the large-type switch). */
  measure() {
    const probe = this.create();
    probe.classList.add('vlist-probe');
    this.canvas.append(probe);
    const height = probe.getBoundingClientRect().height || 28;
    probe.remove();
    if (height !== this.rowHeight) {
      this.rowHeight = height;
      this.setCount(this.count);
    }
  }

  setCount(count) {
    this.count = count;
    if (!this.rowHeight) this.measure();
    this.canvas.style.height = Math.min(count * this.rowHeight, MAX_CANVAS) + 'px';
    this.schedule(true);
  }

  refresh() {
    this.schedule(true);
  }

  shiftDown(n) {
    const top = this.viewport.scrollTop;
    this.count += n;
    this.canvas.style.height = Math.min(this.count * this.rowHeight, MAX_CANVAS) + 'px';
    if (top > 0) this.viewport.scrollTop = top + n * this.rowHeight / this.ratio();
    this.schedule(true);
  }

  /** How many real pixels one canvas pixel stands for (1 unless the list is enormous). */
  ratio() {
    const room = this.viewport.clientHeight - this.canvas.offsetTop;
    const real = this.count * this.rowHeight - room;
    const canvas = Math.min(this.count * this.rowHeight, MAX_CANVAS) - room;
    return canvas > 0 && real > canvas ? real / canvas : 1;
  }

  /** The display index of the first row in view. */
  firstVisible() {
    return Math.floor(this.viewport.scrollTop * this.ratio() / this.rowHeight);
  }

  /** Rows that fit below the sticky header (the canvas starts right under it). */
  visibleCount() {
    return Math.max(1, Math.floor((this.viewport.clientHeight - this.canvas.offsetTop) / this.rowHeight));
  }

  /** Scrolls the least needed so that row `index` is fully in view. */
  scrollIntoView(index) {
    const first = this.firstVisible();
    const last = first + this.visibleCount() - 1;
    if (index < first) this.viewport.scrollTop = index * this.rowHeight / this.ratio();
    else if (index > last) {
      const room = this.viewport.clientHeight - this.canvas.offsetTop;
      this.viewport.scrollTop = ((index + 1) * this.rowHeight - room) / this.ratio();
    }
    this.schedule(true);
  }

  schedule(force) {
    if (force) this.dirty = true;
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  render() {
    if (!this.rowHeight) this.measure();
    const height = this.viewport.clientHeight;
    const wanted = Math.ceil(height / this.rowHeight) + 2 * OVERSCAN;
    while (this.pool.length < wanted) {
      const row = this.create();
      row.hidden = true;
      this.pool.push(row);
      this.canvas.append(row);
    }
    const ratio = this.ratio();
    const top = this.viewport.scrollTop;
    const first = Math.max(0, Math.floor(top * ratio / this.rowHeight) - OVERSCAN);
    const force = this.dirty;
    this.dirty = false;
    for (let k = 0; k < this.pool.length; k++) {
      const row = this.pool[k];
      const index = first + k;
      if (k >= wanted || index >= this.count) {
        if (!row.hidden) {
          row.hidden = true;
          row.dataset.index = '';
          row.removeAttribute('id');
          delete row.dataset.id;
        }
        continue;
      }
      row.hidden = false;
      row.style.transform = 'translateY(' + (top + index * this.rowHeight - top * ratio) + 'px)';
      if (force || row.dataset.index !== String(index)) {
        row.dataset.index = String(index);
        this.renderRow(row, index);
      }
    }
    this.onRange(first, Math.min(this.count - 1, first + wanted - 1));
  }

  /** The row element showing display index `index`, if it is in the DOM. */
  rowElement(index) {
    return this.pool.find((row) => row.dataset.index === String(index)) || null;
  }
}
