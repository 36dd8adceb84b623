// storenotice.js — the trainer's notice that capture is paused or that flows were left out.
// Contract: watchStore(element) polls GET /api/stats every 5 s (trainer only: a participant
// never calls it) and shows, as text only, why capture is paused (the store or the disk is full;
// traffic goes on) and how many flows were not captured or dropped, the heaviest clients first.
// The element is hidden while there is nothing to say.

import { getJson } from './api.js';

const POLL_MS = 5000;

export function watchStore(element) {
  const show = (stats) => {
    const lines = [];
    if (stats.paused) {
      lines.push('Capture paused, traffic goes on: ' + stats.paused + '. '
        + stats.notCaptured + ' flows not captured.');
    }
    if (stats.dropped > 0) {
      const heaviest = Object.entries(stats.droppedByClient || {})
        .map(([client, n]) => client + ' ' + n).join(', ');
      lines.push(stats.dropped + ' flows left out because the store fell behind'
        + (heaviest ? ' (most from: ' + heaviest + ')' : '') + '.');
    }
    element.textContent = lines.join(' ');
    element.hidden = lines.length === 0;
  };
  const poll = () => getJson('/api/stats').then(show).catch(() => {});
  poll();
  setInterval(poll, POLL_MS);
}
