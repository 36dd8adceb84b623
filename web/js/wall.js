// wall.js — the wall of sheep: the masked secrets of /api/secrets, live, on a projector.
// Contract: only the server's masked values ever reach this page; every text goes in through
// textContent (dom.js). A nudge on /api/wall/updates (no content) fetches the list again, at
// most one fetch at a time; a fetch every 10 s catches a missed nudge. Pause and Clear are the
// server's (PUT /api/wall, POST /api/wall/clear), so every projector shows the same.

import { el } from './dom.js';
import { getJson, send } from './api.js';

const session = new URLSearchParams(location.search).get('session') || '';
const rows = document.getElementById('wall-rows');
const empty = document.getElementById('wall-empty');
const status = document.getElementById('wall-status');
const pause = document.getElementById('wall-pause');
const KINDS = {
  'form-password': 'form password', 'json-password': 'password in JSON',
  basic: 'Basic credentials', bearer: 'bearer token', cookie: 'session cookie', 'url-key': 'key in the URL',
};
const shown = new Set();
let first = true;
let loading = false;
let again = false;
let paused = false;

function row(s) {
  const what = (KINDS[s.kind] || s.kind) + (s.name ? ' · ' + (s.kind === 'basic' ? 'user ' : '') + s.name : '');
  const over = s.type === 'clear' ? 'plain HTTP' : 'HTTPS, decrypted (trusted the Plainsight CA)';
  const tr = el('tr', 'secret type-' + s.type,
    el('td', 'who', s.participant || s.client || ''), el('td', 'host', s.host || ''),
    el('td', 'what', what), el('td', 'over', over),
    el('td', null, el('span', 'value', s.masked), el('span', 'length', s.length + ' characters')));
  tr.dataset.flow = String(s.flow);
  const key = s.flow + ' ' + s.kind + ' ' + s.name;
  if (!first && !shown.has(key)) tr.classList.add('fresh');
  shown.add(key);
  return tr;
}

function render(wall) {
  paused = !!wall.paused;
  pause.textContent = paused ? 'Resume' : 'Pause';
  pause.setAttribute('aria-pressed', String(paused));
  rows.replaceChildren(...wall.secrets.map(row));
  empty.hidden = wall.secrets.length > 0;
  const counts = wall.counts || {};
  document.getElementById('count-clear').textContent = String(counts.clear || 0);
  document.getElementById('count-decrypted').textContent = String(counts.decrypted || 0);
  document.getElementById('count-sealed').textContent = String(counts.sealed || 0);
  document.getElementById('count-refused').textContent = String(counts.refusedDevices || 0);
  first = false;
}

async function load() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    render(await getJson('/api/secrets' + (session ? '?session=' + encodeURIComponent(session) : '')));
    if (status.dataset.state !== 'live') status.textContent = paused ? 'paused' : 'updated';
    else status.textContent = paused ? 'paused' : 'live';
  } catch (e) {
    status.textContent = e.status === 401 || e.status === 403 ? 'refused: open the wall with the trainer\'s link' : 'cannot load: ' + e.message;
  } finally {
    loading = false;
    if (again) {
      again = false;
      load();
    }
  }
}

function connect(delay = 1000) {
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/wall/updates');
  socket.addEventListener('open', () => {
    status.dataset.state = 'live';
    status.textContent = paused ? 'paused' : 'live';
    load();
  });
  socket.addEventListener('message', () => load());
  socket.addEventListener('close', () => {
    status.dataset.state = 'reconnecting';
    status.textContent = 'reconnecting…';
    setTimeout(() => connect(Math.min(delay * 2, 15000)), delay);
  });
}

pause.addEventListener('click', async () => {
  render(await send('PUT', '/api/wall', { paused: !paused }).then(() => getJson('/api/secrets' + (session ? '?session=' + encodeURIComponent(session) : ''))));
});
document.getElementById('wall-clear').addEventListener('click', async () => {
  await send('POST', '/api/wall/clear');
  shown.clear();
  load();
});

load();
connect();
setInterval(load, 10000);
