// background.js — the Control view's list of background hosts: the services browsers and
// operating systems call on their own, which the flow list hides by default (GET/PUT
// /api/background as {"hosts": [globs]}). One glob a line; * is any run of characters, ? one.
// Contract: backgroundSection() returns a section that loads and saves the list itself; a
// refused glob is explained by the server's message and the list stays as it was.

import { el } from './dom.js';
import { getJson, send } from './api.js';

export function backgroundSection() {
  const section = el('section', 'background-hosts');
  section.setAttribute('aria-labelledby', 'background-title');
  const title = el('h3', null, 'Background traffic');
  title.id = 'background-title';
  const area = el('textarea');
  area.id = 'background-input';
  area.rows = 10;
  area.cols = 48;
  area.spellcheck = false;
  area.setAttribute('aria-label', 'background host globs, one a line');
  const save = el('button', null, 'Save background hosts');
  save.type = 'submit';
  const status = el('p', 'policy-status');
  status.setAttribute('role', 'status');
  const form = el('form', 'background-form', area, el('div', null, save));
  section.append(title, el('p', null, 'Flows to these hosts are still captured, marked as background and hidden '
    + 'from the flow list unless you choose "show". One host or glob a line (* any run of characters, ? one). '
    + 'A change applies at once, to the flows already captured too.'), form, status);

  const render = (hosts) => {
    area.value = hosts.join('\n');
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const hosts = area.value.split('\n').map((line) => line.trim()).filter(Boolean);
    status.textContent = 'saving…';
    try {
      const answer = await send('PUT', '/api/background', { hosts });
      render(answer.hosts);
      status.textContent = 'Saved: ' + answer.hosts.length + ' background hosts.';
    } catch (e) {
      status.textContent = 'Not saved: ' + e.message;
    }
  });
  getJson('/api/background').then((list) => render(list.hosts || [])).catch((e) => {
    status.textContent = 'The background list failed to load: ' + e.message;
  });
  return section;
}
