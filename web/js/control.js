// control.js — the Control view for a trainer: the intercept policy (intercept everything, or
// pass these hosts through sealed), changed live with PUT /api/policy; and capture sessions:
// start, rename, export as HAR, download its packet captures, delete, import a HAR; and (with --proxy-auth) the participants
// seen, each with the read-only link that shows them their own flows.
// The Tamper section (rewrite rules) lives in tamper.js, the Join panel (first) in join.js, the
// background hosts in background.js.
// Contract: controlView({onSessions, onShowSession}) returns an element that loads its data
// itself; onSessions(list) is told every time the session list was (re)loaded, onShowSession(id)
// when the reader asks to see a session's flows. Routes not in this Plainsight yet (404/405)
// are explained, not fatal.

import { captureLinks } from './captures.js';
import { el, button, bytes, dateTime } from './dom.js';
import { getJson, send } from './api.js';
import { tamperSection } from './tamper.js';
import { joinSection } from './join.js';
import { backgroundSection } from './background.js';

function unavailable(e, what) {
  return e.status === 404 || e.status === 405
    ? what + ' is not available in this version of Plainsight.'
    : what + ' failed: ' + e.message;
}

export function controlView({ onSessions, onShowSession }) {
  const box = el('div', 'control');
  box.append(el('h2', null, 'Control'));
  box.append(joinSection(), policySection(), backgroundSection(), tamperSection(),
    sessionSection(onSessions, onShowSession),
    participantSection());
  return box;
}

function participantSection() {
  const section = el('section', 'participants');
  section.setAttribute('aria-labelledby', 'participants-title');
  const title = el('h3', null, 'Participant links');
  title.id = 'participants-title';
  const table = el('table', 'participant-table');
  table.id = 'participant-table';
  const status = el('p', 'participants-status');
  status.setAttribute('role', 'status');
  const nameInput = el('input');
  nameInput.id = 'participant-name';
  nameInput.placeholder = 'participant name';
  nameInput.setAttribute('aria-label', 'participant name for a link');
  const make = el('button', null, 'Make link');
  make.type = 'submit';
  const form = el('form', 'participant-make', nameInput, make);
  section.append(title, el('p', null, 'With --proxy-auth, each participant signs in to the proxy with their own name '
    + '(and the room password), and their flows carry that name. A participant link opens a read-only dashboard '
    + 'that shows that participant their own flows and nothing else. Hand each one their link.'), table, form, status);

  async function link(name, cell) {
    status.textContent = 'Making the link for ' + name + '…';
    try {
      const answer = await send('POST', '/api/participants/' + encodeURIComponent(name) + '/link');
      const field = el('input', 'participant-link');
      field.readOnly = true;
      field.value = answer.url;
      field.setAttribute('aria-label', 'link for ' + name);
      cell.replaceChildren(field);
      field.select();
      let copied = false;
      try {
        if (navigator.clipboard) {
          await navigator.clipboard.writeText(answer.url);
          copied = true;
        }
      } catch {
        copied = false;
      }
      status.textContent = (copied ? 'Copied the link for ' + name + '.' : 'Select the link for ' + name + ' and copy it.')
        + (answer.note ? ' Note: ' + answer.note + '.' : '');
    } catch (e) {
      status.textContent = unavailable(e, 'A participant link');
    }
  }

  function render(participants) {
    if (participants.length === 0) {
      table.replaceChildren(el('tbody', null, el('tr', null, el('td', 'muted',
        'No participant seen yet (start Plainsight with --proxy-auth; names appear with their first flow).'))));
      return;
    }
    const head = el('thead', null, el('tr', null, ...['Participant', 'Flows', 'Link'].map((h) => el('th', null, h))));
    const body = el('tbody');
    for (const p of participants) {
      const cell = el('td', 'link-cell');
      cell.append(button('Copy link', () => link(p.name, cell), 'copy-link'));
      const row = el('tr', null, el('td', 'participant-name', p.name), el('td', null, String(p.flows)), cell);
      row.dataset.participant = p.name;
      body.append(row);
    }
    table.replaceChildren(head, body);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) return;
    const cell = el('td', 'link-cell');
    table.append(el('tbody', null, el('tr', null, el('td', 'participant-name', name), el('td', null, ''), cell)));
    link(name, cell);
  });
  getJson('/api/participants').then(render).catch((e) => {
    status.textContent = unavailable(e, 'The participant list');
  });
  return section;
}

function policySection() {
  const section = el('section', 'policy');
  section.setAttribute('aria-labelledby', 'policy-title');
  const title = el('h3', null, 'Intercept policy');
  title.id = 'policy-title';
  const status = el('p', 'policy-status');
  status.setAttribute('role', 'status');
  const list = el('ul', 'policy-list');
  list.id = 'passthrough-list';
  const input = el('input');
  input.id = 'passthrough-input';
  input.placeholder = 'host or glob, e.g. *.bank.example';
  input.setAttribute('aria-label', 'host to pass through');
  const add = el('button', null, 'Pass through');
  add.type = 'submit';
  const form = el('form', 'policy-add', input, add);
  const all = button('Intercept all hosts', () => save([]), 'intercept-all');
  section.append(title, el('p', null, 'Plainsight intercepts (decrypts) HTTPS for every host except the ones listed '
    + 'here, which it passes through as a sealed tunnel. A change applies to new connections at once: flip a host '
    + 'during a demo and reload the page in the participant\'s browser.'), list, form, all, status);

  let current = [];
  function render(passthrough) {
    current = passthrough;
    if (passthrough.length === 0) {
      list.replaceChildren(el('li', 'muted', 'No exceptions: every HTTPS host is intercepted.'));
    } else {
      list.replaceChildren(...passthrough.map((glob) => el('li', 'policy-item', el('span', 'mono glob', glob),
        button('Intercept again', () => save(current.filter((g) => g !== glob)), 'remove'))));
    }
  }
  async function save(next) {
    status.textContent = 'saving…';
    try {
      const answer = await send('PUT', '/api/policy', { passthrough: next });
      render(answer && answer.passthrough ? answer.passthrough : next);
      status.textContent = 'Saved: ' + (next.length ? 'passing through ' + next.join(', ') : 'intercepting all hosts') + '.';
    } catch (e) {
      status.textContent = unavailable(e, 'Changing the policy');
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const glob = input.value.trim();
    if (!glob) return;
    input.value = '';
    if (!current.includes(glob)) save(current.concat([glob]));
  });
  getJson('/api/policy').then((p) => render(p.passthrough || [])).catch((e) => {
    status.textContent = unavailable(e, 'The intercept policy');
  });
  return section;
}

function sessionSection(onSessions, onShowSession) {
  const section = el('section', 'sessions');
  section.setAttribute('aria-labelledby', 'sessions-title');
  const title = el('h3', null, 'Capture sessions');
  title.id = 'sessions-title';
  const status = el('p', 'sessions-status');
  status.setAttribute('role', 'status');
  const table = el('table', 'session-table');
  table.id = 'session-table';

  const nameInput = el('input');
  nameInput.id = 'new-session-name';
  nameInput.placeholder = 'name, e.g. Group B login demo';
  nameInput.setAttribute('aria-label', 'new session name');
  const start = el('button', null, 'Start new session');
  start.type = 'submit';
  const startForm = el('form', 'session-start', nameInput, start);

  const file = el('input');
  file.type = 'file';
  file.id = 'har-file';
  file.accept = '.har,application/json';
  const importLabel = el('label', 'har-import', 'Import a HAR file: ', file);

  section.append(title, el('p', null, 'New flows are filed under the current session. Start one per group or '
    + 'exercise; export it as HAR to keep it, delete it when the workshop is over.'), startForm, table, importLabel, status);

  async function reload() {
    try {
      const sessions = await getJson('/api/sessions');
      render(sessions);
      onSessions(sessions);
    } catch (e) {
      status.textContent = unavailable(e, 'The session list');
    }
  }

  async function act(what, action) {
    status.textContent = what + '…';
    try {
      const answer = await action();
      status.textContent = typeof answer === 'string' ? answer : what + ': done.';
      await reload();
    } catch (e) {
      status.textContent = unavailable(e, what);
    }
  }

  function render(sessions) {
    const head = el('thead', null, el('tr', null, ...['Name', 'Started', 'Flows', 'Size', ''].map((h) => el('th', null, h))));
    const body = el('tbody');
    for (const s of sessions) body.append(sessionRow(s));
    table.replaceChildren(head, body);
  }

  function sessionRow(s) {
    const name = s.name || s.id;
    const row = el('tr', s.current ? 'current' : null);
    row.dataset.session = s.id;
    const nameCell = el('td', null, el('span', 'session-name', name), s.current ? el('span', 'badge', 'current') : '');
    const rename = button('Rename', () => {
      const input = el('input', 'rename-input');
      input.value = name;
      input.setAttribute('aria-label', 'new name for ' + name);
      const ok = el('button', null, 'Save');
      ok.type = 'submit';
      const form = el('form', 'rename-form', input, ok, button('Cancel', () => reload()));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        act('Renaming', () => send('PATCH', '/api/sessions/' + encodeURIComponent(s.id), { name: input.value.trim() }));
      });
      nameCell.replaceChildren(form);
      input.focus();
    }, 'rename');
    const har = el('a', 'button-link', 'Export HAR');
    har.href = '/api/sessions/' + encodeURIComponent(s.id) + '/har';
    har.download = name.replace(/[^\w.-]+/g, '_') + '.har';
    const show = button('Show flows', () => onShowSession(s.id), 'show');
    const del = button('Delete', null, 'danger');
    del.disabled = !!s.current;
    if (s.current) del.title = 'the current session cannot be deleted: start another one first';
    del.addEventListener('click', () => {
      if (del.dataset.armed !== 'true') {
        del.dataset.armed = 'true';
        del.textContent = 'Really delete ' + name + '?';
        setTimeout(() => {
          if (del.isConnected) {
            del.dataset.armed = 'false';
            del.textContent = 'Delete';
          }
        }, 5000);
        return;
      }
      act('Deleting ' + name, () => send('DELETE', '/api/sessions/' + encodeURIComponent(s.id)));
    });
    row.append(nameCell, el('td', null, dateTime(s.startedAt)),
      el('td', null, s.flows !== undefined ? String(s.flows) : s.flowCount !== undefined ? String(s.flowCount) : ''),
      el('td', null, s.bytes !== undefined ? bytes(s.bytes) : ''),
      el('td', 'actions', show, rename, har,
        captureLinks('/api/sessions/' + encodeURIComponent(s.id), 'plainsight-session-' + s.id), del));
    return row;
  }

  startForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    nameInput.value = '';
    act('Starting a session', () => send('POST', '/api/sessions', name ? { name } : {}));
  });
  file.addEventListener('change', () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    act('Importing ' + chosen.name, async () => {
      const answer = await send('POST', '/api/sessions/import', await chosen.text());
      file.value = '';
      return 'Imported ' + (answer && answer.imported !== undefined ? answer.imported : '?') + ' flows into session '
        + (answer && answer.session ? answer.session : '?') + '.';
    });
  });
  reload();
  return section;
}
