// join.js — the Join panel of the trainer's Control view: what participants need to join the
// room, to project at the start. GET /api/join gives {proxy, pac, page, note?}; the QR code
// (/api/join/qr.png) encodes `page`, for phones to scan. Values go in through textContent only.
// Contract: joinSection() returns a <section id="join"> that loads its data itself; a
// Plainsight without the route (404) is explained, not fatal.

import { el } from './dom.js';
import { getJson } from './api.js';

export function joinSection() {
  const section = el('section', 'join');
  section.id = 'join';
  section.setAttribute('aria-labelledby', 'join-title');
  const title = el('h3', null, 'Join');
  title.id = 'join-title';
  const status = el('p', 'join-status');
  status.setAttribute('role', 'status');
  status.textContent = 'Loading the room\'s addresses…';
  section.append(title, status);

  getJson('/api/join').then((join) => {
    const qr = el('img', 'join-qr');
    qr.id = 'join-qr';
    qr.alt = 'QR code of ' + join.page;
    qr.src = '/api/join/qr.png?page=' + encodeURIComponent(join.page);
    const facts = el('dl', 'join-facts');
    const fact = (label, value, id) => {
      const dd = el('dd', null, el('code', null, value || 'none'));
      dd.id = id;
      facts.append(el('dt', null, label), dd);
    };
    fact('Open this page (or scan the code)', join.page, 'join-page');
    fact('Proxy (HTTP and HTTPS)', join.proxy, 'join-proxy');
    fact('Automatic configuration (PAC) URL', join.pac, 'join-pac');
    status.textContent = join.note ? 'Note: ' + join.note : '';
    section.append(el('div', 'join-box', qr, facts));
  }).catch((e) => {
    status.textContent = e.status === 404 ? 'Joining is not available in this version of Plainsight.'
      : 'Loading the room\'s addresses failed: ' + e.message;
  });
  return section;
}
