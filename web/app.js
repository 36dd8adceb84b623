// Plainsight dashboard: a live list of flows and a detail view.
// Captured content is attacker-controlled: it is only ever inserted with textContent.

const rows = document.querySelector('#flows tbody');
const detail = document.getElementById('detail');
const statusLine = document.getElementById('status');
const search = document.getElementById('search');
const kindFilter = document.getElementById('kind');
const MAX_ROWS = 2000;
const SYMBOLS = {
  'http': '🔓 http',
  'https-decrypted': '🔓🔑 decrypted',
  'https-tunnel': '✉️ tunnel',
  'https-rejected': '⛓️‍💥 rejected',
  'error': '⚠️ error',
};

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function api(path) {
  return fetch(path, { credentials: 'same-origin' }).then((r) => {
    if (!r.ok) throw new Error(r.status + ' ' + r.statusText);
    return r;
  });
}

function matchesFilters(flow) {
  return !kindFilter.value || flow.kind === kindFilter.value;
}

function row(flow) {
  const tr = el('tr');
  tr.dataset.id = flow.id;
  tr.append(
    el('td', flow.id),
    el('td', new Date(flow.startedAt).toLocaleTimeString()),
    el('td', SYMBOLS[flow.kind] || flow.kind, 'kind kind-' + flow.kind),
    el('td', flow.method),
    el('td', flow.url || (flow.host + ':' + flow.port), 'url'),
    el('td', flow.status ?? (flow.tls && flow.tls.alert) ?? flow.error ?? ''),
    el('td', flow.responseBytes),
    el('td', flow.durationMs),
  );
  tr.addEventListener('click', () => showDetail(flow.id, tr));
  return tr;
}

function addFlow(flow, atTop) {
  if (!matchesFilters(flow)) return;
  if (atTop) rows.prepend(row(flow)); else rows.append(row(flow));
  while (rows.children.length > MAX_ROWS) rows.lastChild.remove();
}

async function load() {
  const params = new URLSearchParams({ limit: '500' });
  if (search.value) params.set('q', search.value);
  if (kindFilter.value) params.set('kind', kindFilter.value);
  const page = await (await api('/api/flows?' + params)).json();
  rows.replaceChildren();
  page.flows.forEach((f) => addFlow(f, false));
  statusLine.textContent = page.total + ' flows';
}

function headerTable(headers) {
  const table = el('table');
  headers.forEach((h) => {
    const tr = el('tr');
    tr.append(el('td', h.name), el('td', h.value));
    table.append(tr);
  });
  return table;
}

async function bodyView(body) {
  if (!body || body.size === 0) return el('p', '(no body)');
  const response = await api(body.href + '?decoded=true');
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.slice(0, 256 * 1024));
  const pre = el('pre', text);
  const note = body.truncated ? ` (first ${body.captured} of ${body.size} bytes kept)` : '';
  const wrap = el('div');
  wrap.append(el('p', body.size + ' bytes' + note), pre);
  return wrap;
}

async function showDetail(id, tr) {
  document.querySelectorAll('#flows tr.selected').forEach((r) => r.classList.remove('selected'));
  tr.classList.add('selected');
  const flow = await (await api('/api/flows/' + id)).json();
  detail.hidden = false;
  detail.replaceChildren(el('h2', (SYMBOLS[flow.kind] || flow.kind) + ' #' + flow.id));
  detail.append(el('p', flow.url || (flow.host + ':' + flow.port)));
  if (flow.error) detail.append(el('p', 'Error: ' + flow.error, 'kind-error'));
  if (flow.tls) {
    detail.append(el('h3', 'TLS'));
    const t = flow.tls;
    detail.append(headerTable([
      { name: 'version', value: t.version }, { name: 'SNI', value: t.sni },
      { name: 'cipher', value: t.cipher }, { name: 'alert', value: t.alert },
      { name: 'forged certificate issuer', value: t.forgedLeaf && t.forgedLeaf.issuer },
      { name: 'real certificate issuer', value: t.upstream && t.upstream.chain[0] && t.upstream.chain[0].issuer },
    ].filter((r) => r.value)));
  }
  if (flow.request) {
    detail.append(el('h3', 'Request: ' + flow.request.method + ' ' + flow.request.url));
    detail.append(headerTable(flow.request.headers));
    detail.append(await bodyView(flow.request.body));
  }
  if (flow.response) {
    detail.append(el('h3', 'Response: ' + flow.response.status + ' ' + (flow.response.reason || '')));
    detail.append(headerTable(flow.response.headers));
    detail.append(await bodyView(flow.response.body));
  }
}

function connectLive() {
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/updates');
  ws.onopen = () => { statusLine.textContent = 'live'; };
  ws.onmessage = (event) => {
    if (!search.value) addFlow(JSON.parse(event.data), true);
  };
  ws.onclose = () => { statusLine.textContent = 'disconnected, retrying…'; setTimeout(connectLive, 2000); };
}

search.addEventListener('change', load);
kindFilter.addEventListener('change', load);
if (new URLSearchParams(location.search).has('token')) {
  history.replaceState(null, '', '/');
}
load().then(connectLive).catch((e) => { statusLine.textContent = 'cannot load flows: ' + e.message; });
