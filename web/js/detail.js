// detail.js — the flow detail pane: a header (kind, request line, status, what this kind means)
// and tabs Request / Response / (Messages, for WebSocket flows) / Secrets / TLS / Timing /
// Lesson / Tampered, rendered only when shown; under the header, Replay / Edit and replay / Copy
// as curl for flows with a request.
// Contract: new FlowDetail(section, {onTab, onClose, onCompare}); show(id, tab) loads
// /api/flows/{id} (once per flow) and renders the tab; updated(summary) is told each live summary
// and reloads the shown WebSocket flow when it has new messages (at most once a second). Tabs
// are keyboard navigable (arrow keys, Home/End), as in the WAI-ARIA tabs pattern.

import { captureLinks } from './captures.js';
import { el, button, bytes, millis, dateTime } from './dom.js';
import { getJson } from './api.js';
import { kindBadge, kindInfo } from './kinds.js';
import { bodyView, releaseImages } from './bodyview.js';
import { secretsView, isSecretName } from './secrets.js';
import { tlsView } from './tlsview.js';
import { timingView } from './timing.js';
import { lessonView } from './lesson.js';
import { refusalView } from './refusal.js';
import { requestTools, modificationsView } from './replay.js';
import { messagesView } from './messages.js';

export const TABS = [
  ['request', 'Request'], ['response', 'Response'], ['secrets', 'Secrets'],
  ['tls', 'TLS'], ['timing', 'Timing'], ['lesson', 'Lesson'], ['tampered', 'Tampered'],
];

/** The tabs of a flow: Messages only for a WebSocket flow. */
export function tabsOf(flow) {
  if (!flow.messages) return TABS;
  return [...TABS.slice(0, 2), ['messages', 'Messages'], ...TABS.slice(2)];
}

/** The tab a flow opens on when none is asked for. */
export function defaultTab(flow) {
  return flow.request ? 'request' : 'lesson';
}

export class FlowDetail {
  constructor(section, { onTab, onClose, onCompare }) {
    this.section = section;
    this.onTab = onTab;
    this.onClose = onClose;
    this.onCompare = onCompare;
    this.flow = null;
    this.loading = null;
  }

  async show(id, tab) {
    this.section.hidden = false;
    if (!this.flow || this.flow.id !== id) {
      const token = this.loading = Symbol('load');
      this.section.replaceChildren(el('p', 'muted', 'loading flow #' + id + '…'));
      let flow;
      try {
        flow = await getJson('/api/flows/' + id);
      } catch (e) {
        if (token === this.loading) {
          this.section.replaceChildren(el('p', 'error-text', e.status === 404
            ? 'Flow #' + id + ' is not stored any more (it may have been deleted with its session).'
            : 'Cannot load flow #' + id + ': ' + e.message), button('Close', this.onClose));
        }
        return;
      }
      if (token !== this.loading) return;
      this.flow = flow;
      this.build();
    }
    this.select(tab || defaultTab(this.flow));
  }

  updated(summary) {
    const shown = this.flow;
    if (!shown || summary.id !== shown.id || summary.messageCount === undefined
      || summary.messageCount === shown.messageCount || this.reloadTimer) return;
    this.reloadTimer = setTimeout(async () => {
      this.reloadTimer = null;
      if (this.flow !== shown) return;
      let flow;
      try {
        flow = await getJson('/api/flows/' + shown.id);
      } catch {
        return;
      }
      if (this.flow !== shown) return;
      this.flow = flow;
      if (this.current === 'messages') this.select('messages');
    }, 1000);
  }

  hide() {
    this.section.hidden = true;
    this.flow = null;
    releaseImages();
    this.section.replaceChildren();
  }

  build() {
    const flow = this.flow;
    const line = flow.url ? (flow.method || '') + ' ' + flow.url
      : (flow.method || '') + ' ' + flow.host + ':' + flow.port;
    const head = el('div', 'detail-head');
    const title = el('h2', 'detail-title', kindBadge(flow.kind), el('span', 'flow-number', '#' + flow.id),
      el('span', 'request-line', line));
    const close = button('×', this.onClose, 'close');
    close.setAttribute('aria-label', 'close the detail');
    const tools = el('div', 'detail-tools',
      button('Compare: left', () => this.onCompare('a', flow.id)),
      button('Compare: right', () => this.onCompare('b', flow.id)),
      captureLinks('/api/flows/' + encodeURIComponent(flow.id), 'plainsight-flow-' + flow.id), close);
    head.append(title, tools);
    const summary = el('p', 'detail-summary', kindInfo(flow.kind).meaning + '. ',
      flow.status !== null && flow.status !== undefined ? 'Status ' + flow.status + '. ' : '',
      flow.error && flow.kind !== 'https-rejected' ? el('span', 'error-text', flow.error + '. ') : '',
      'Client ' + (flow.client || '?') + (flow.participant ? ' (participant ' + flow.participant + ')' : '')
      + ', ' + dateTime(flow.startedAt) + ', ' + millis(flow.durationMs)
      + ', ' + bytes(flow.requestBytes) + ' up / ' + bytes(flow.responseBytes) + ' down.',
      flow.replayOf ? ' Replay of flow #' + flow.replayOf + '.' : '',
      flow.modified ? el('span', 'modified-note', ' Changed by a tamper rule: see the Tampered tab.') : '');
    const tablist = el('div', 'tabs');
    tablist.setAttribute('role', 'tablist');
    tablist.setAttribute('aria-label', 'flow detail');
    this.tabKeys = tabsOf(flow);
    this.tabs = this.tabKeys.map(([key, label]) => {
      const tab = button(label, () => this.onTab(flow.id, key), 'tab');
      tab.id = 'tab-' + key;
      tab.dataset.tab = key;
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', 'tab-panel');
      return tab;
    });
    tablist.append(...this.tabs);
    tablist.addEventListener('keydown', (event) => this.onTabKey(event));
    this.panel = el('div', 'tab-panel');
    this.panel.id = 'tab-panel';
    this.panel.setAttribute('role', 'tabpanel');
    this.panel.tabIndex = 0;
    const requestBar = requestTools(flow, { onOpen: (id) => this.onTab(id, 'response') });
    this.section.replaceChildren(head, summary, requestBar, tablist, this.panel);
  }

  onTabKey(event) {
    const keys = this.tabKeys.map(([key]) => key);
    const at = keys.indexOf(this.current);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: keys.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const key = keys[(next + keys.length) % keys.length];
    this.onTab(this.flow.id, key);
    this.tabs.find((t) => t.dataset.tab === key).focus();
  }

  select(key) {
    if (!this.tabKeys.some(([k]) => k === key)) key = defaultTab(this.flow);
    this.current = key;
    for (const tab of this.tabs) {
      const on = tab.dataset.tab === key;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    this.panel.setAttribute('aria-labelledby', 'tab-' + key);
    releaseImages();
    this.panel.replaceChildren(this.render(key));
  }

  render(key) {
    const flow = this.flow;
    switch (key) {
      case 'request': return messageView(flow, flow.request, 'request');
      case 'response': return messageView(flow, flow.response, 'response');
      case 'messages': return messagesView(flow);
      case 'secrets': return secretsView(flow);
      case 'tls': return tlsView(flow);
      case 'timing': return timingView(flow);
      case 'tampered': return modificationsView(flow);
      default: return lessonView(flow);
    }
  }
}

function missing(flow, which) {
  if (flow.kind === 'https-tunnel') {
    return el('p', 'lesson-point', 'Nothing to show: the ' + which + ' travelled inside a sealed TLS tunnel. '
      + 'Plainsight, like any eavesdropper, saw only its size. See the Lesson and TLS tabs.');
  }
  if (flow.kind === 'https-rejected') {
    return el('div', null, el('p', 'lesson-point', 'No ' + which + ' was ever sent: the client refused the '
      + 'certificate first.'), refusalView(flow));
  }
  return el('p', 'muted', 'No ' + which + ' was captured' + (flow.error ? ': ' + flow.error : '.'));
}

function messageView(flow, message, which) {
  if (!message) return missing(flow, which);
  const box = el('div', 'message');
  const first = which === 'request'
    ? message.method + ' ' + message.url + ' ' + (message.httpVersion || '')
    : (message.httpVersion || '') + ' ' + message.status + ' ' + (message.reason || '');
  box.append(el('p', 'start-line mono', first));
  if (which === 'request' && flow.kind === 'http') {
    box.append(el('p', 'muted', 'Through a proxy the request line carries the absolute URL (absolute form).'));
  }
  box.append(el('h3', null, 'Headers (' + message.headers.length + ')'), headerTable(message.headers));
  box.append(el('h3', null, 'Body'), bodyView(message));
  return box;
}

const SECRET_HEADERS = ['cookie', 'set-cookie', 'authorization', 'proxy-authorization'];

export function headerTable(headers) {
  const table = el('table', 'headers');
  const tbody = el('tbody');
  for (const h of headers) {
    const secret = SECRET_HEADERS.includes(h.name.toLowerCase()) || isSecretName(h.name);
    tbody.append(el('tr', secret ? 'secret' : null, el('th', 'mono', h.name), el('td', 'mono', h.value)));
  }
  table.append(tbody);
  return table;
}

