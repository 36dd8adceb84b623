// app.js — the dashboard's entry point: takes the token out of the address bar, wires the flow
// list, the live feed, the detail pane, Compare and Control, and routes by the URL hash:
//   #/                      the flow list
//   #/flow/ID[/TAB]         the list with flow ID open on TAB (request, response, secrets, tls, timing, lesson)
//   #/compare/A/B           two flows side by side
//   #/control               intercept policy, sessions and participant links
// Without a valid token every API call is refused (401); the page then says how to get in.
// A participant link (GET /api/me says role "participant") shows the read-only participant
// view: only that participant's flows, no Control, no session or participant filters.

import { el } from './js/dom.js';
import { getJson, onRefused } from './js/api.js';
import { FlowModel } from './js/flowmodel.js';
import { FlowList } from './js/flowlist.js';
import { FlowDetail } from './js/detail.js';
import { connectLive } from './js/live.js';
import { watchStore } from './js/storenotice.js';
import { compareView } from './js/compare.js';
import { controlView } from './js/control.js';

const views = {
  flows: document.getElementById('view-flows'),
  compare: document.getElementById('view-compare'),
  control: document.getElementById('view-control'),
};
const statusLine = document.getElementById('status');
const compareState = { a: null, b: null };
let refused = false;
let participantView = false;
const knownParticipants = new Set();

if (new URLSearchParams(location.search).has('token')) {
  history.replaceState(null, '', '/' + location.hash);
}

const model = new FlowModel();
const detail = new FlowDetail(document.getElementById('detail'), {
  onTab: (id, tab) => go('#/flow/' + id + '/' + tab),
  onClose: () => go('#/'),
  onCompare: (slot, id) => {
    compareState[slot] = id;
    if (compareState.a && compareState.b) go('#/compare/' + compareState.a + '/' + compareState.b);
    else showCompareTray();
  },
});
const list = new FlowList(model, { onOpen: (id) => go('#/flow/' + id + currentTabSuffix()) });

function currentTabSuffix() {
  const match = /^#\/flow\/\d+\/(\w+)/.exec(location.hash);
  return match ? '/' + match[1] : '';
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function showCompareTray() {
  const tray = document.getElementById('compare-tray');
  tray.hidden = false;
  tray.textContent = 'Compare: ' + (compareState.a ? '#' + compareState.a : '?') + ' ↔ '
    + (compareState.b ? '#' + compareState.b : '?') + ' — pick the other side';
}

function showView(name) {
  for (const [key, section] of Object.entries(views)) section.hidden = key !== name;
  for (const link of document.querySelectorAll('nav.views a')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function route() {
  if (refused) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const main = document.getElementById('flows-split');
  if (parts[0] === 'compare') {
    showView('compare');
    const a = parts[1] && parts[1] !== '-' ? parts[1] : null;
    const b = parts[2] && parts[2] !== '-' ? parts[2] : null;
    compareState.a = a;
    compareState.b = b;
    views.compare.replaceChildren(compareView(a, b, {
      onPick: (x, y) => go('#/compare/' + (x || '-') + '/' + (y || '-')),
    }));
  } else if (parts[0] === 'control' && participantView) {
    go('#/');
  } else if (parts[0] === 'control') {
    showView('control');
    views.control.replaceChildren(controlView({
      onSessions: fillSessions,
      onShowSession: (id) => {
        const select = document.getElementById('filter-session');
        select.value = id;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        go('#/');
      },
    }));
  } else {
    showView('flows');
    if (parts[0] === 'flow' && /^\d+$/.test(parts[1] || '')) {
      const id = Number(parts[1]);
      main.classList.add('with-detail');
      list.select(id);
      detail.show(id, parts[2]);
    } else {
      main.classList.remove('with-detail');
      detail.hide();
    }
  }
}

function fillSessions(sessions) {
  const select = document.getElementById('filter-session');
  const chosen = select.value;
  select.replaceChildren(el('option', null, 'all sessions'));
  select.firstChild.value = '';
  for (const s of sessions) {
    const option = el('option', null, (s.name || s.id) + (s.current ? ' (current)' : ''));
    option.value = s.id;
    select.append(option);
  }
  select.value = sessions.some((s) => s.id === chosen) ? chosen : '';
}

function enterParticipantView(name) {
  participantView = true;
  document.body.classList.add('participant-view');
  const badge = document.getElementById('participant-badge');
  badge.textContent = 'Your own traffic only: ' + name + ' (read-only)';
  badge.hidden = false;
  document.title = 'Plainsight: ' + name;
}

/** Names for the participant filter's suggestions; new names arrive with live flows. */
function addParticipants(names) {
  const list = document.getElementById('participant-names');
  for (const name of names) {
    if (!name || knownParticipants.has(name)) continue;
    knownParticipants.add(name);
    const option = el('option');
    option.value = name;
    list.append(option);
  }
}

async function whoAmI() {
  try {
    return await getJson('/api/me');
  } catch (e) {
    if (e.status === 404) return { role: 'trainer', participant: null };
    throw e;
  }
}

function setUpLargeType() {
  const toggle = document.getElementById('large-type');
  const apply = (on) => {
    document.body.classList.toggle('large', on);
    toggle.setAttribute('aria-pressed', String(on));
    try {
      localStorage.setItem('plainsight.largeType', on ? '1' : '0');
    } catch {
      // storage may be off: the switch still works for this page
    }
  };
  let stored = false;
  try {
    stored = localStorage.getItem('plainsight.largeType') === '1';
  } catch {
    stored = false;
  }
  apply(stored);
  toggle.addEventListener('click', () => {
    apply(!document.body.classList.contains('large'));
    list.list.measure();
  });
}

onRefused(() => {
  if (refused) return;
  refused = true;
  statusLine.textContent = 'refused';
  for (const section of Object.values(views)) section.hidden = true;
  document.getElementById('refused').hidden = false;
});

window.addEventListener('hashchange', route);
setUpLargeType();

(async () => {
  try {
    const me = await whoAmI();
    if (me.role === 'participant') {
      enterParticipantView(me.participant);
    } else {
      fillSessions(await getJson('/api/sessions'));
      document.querySelector('nav.views').append(el('a', 'wall-link', 'Wall'));
      document.querySelector('nav.views .wall-link').href = '/wall';
      watchStore(document.getElementById('store-notice'));
      getJson('/api/participants').then((list) => addParticipants(list.map((p) => p.name)))
        .catch(() => {});
    }
    await model.reload();
  } catch (e) {
    if (!refused) statusLine.textContent = 'cannot load flows: ' + e.message;
    return;
  }
  route();
  const feed = connectLive({
    onFlow: (flow) => {
      if (!participantView && flow.participant) addParticipants([flow.participant]);
      model.add(flow);
      detail.updated(flow);
    },
    onHidden: (id) => model.hidden(id),
    onFilterError: (message) => list.showError(new Error(message)),
    onState: (state, again) => {
      statusLine.textContent = state === 'live' ? 'live' : 'disconnected, retrying…';
      statusLine.dataset.state = state;
      if (state === 'live' && again) model.reload().catch(() => {});
    },
  });
  model.setFeed(feed);
})();
