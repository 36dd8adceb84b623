// replay.js — what the flow detail offers for a captured request: Replay (send it again through
// the proxy: POST /api/flows/{id}/replay), Edit and replay (method, URL, headers, body in a
// form), Copy as curl (GET /api/flows/{id}/curl, built and shell-quoted by the server); and the
// Tampered tab, listing what tamper rules changed. Everything captured is shown as text.
// Contract: requestTools(flow, {onOpen}) returns the buttons and their output area; onOpen(id)
// is called with the new flow's id after a replay. modificationsView(flow) returns the tab body.

import { el, button } from './dom.js';
import { send, getBody } from './api.js';

export function requestTools(flow, { onOpen }) {
  const box = el('div', 'request-tools');
  const out = el('div', 'request-tools-out');
  out.setAttribute('role', 'status');
  if (!flow.request) return box;

  async function replay(edit) {
    out.replaceChildren(el('p', 'muted', 'replaying #' + flow.id + ' through the proxy…'));
    try {
      const answer = await send('POST', '/api/flows/' + flow.id + '/replay', edit || {});
      if (answer.flow) {
        out.replaceChildren(el('p', null, 'Replayed: status ' + answer.status + ', captured as flow #' + answer.flow + '.'));
        onOpen(answer.flow);
      } else {
        out.replaceChildren(el('p', null, 'Replayed: status ' + answer.status + '. ' + (answer.note || '')));
      }
    } catch (e) {
      out.replaceChildren(el('p', 'error-text', 'Replay failed: ' + e.message));
    }
  }

  async function copyCurl() {
    out.replaceChildren(el('p', 'muted', 'building the curl command…'));
    let command;
    try {
      const response = await fetch('/api/flows/' + flow.id + '/curl', { credentials: 'same-origin' });
      command = (await response.text()).trim();
      if (!response.ok) throw new Error(command || 'HTTP ' + response.status);
    } catch (e) {
      out.replaceChildren(el('p', 'error-text', 'Copy as curl failed: ' + e.message));
      return;
    }
    const text = el('textarea', 'mono curl-command');
    text.readOnly = true;
    text.rows = Math.min(8, 2 + command.split('\n').length + Math.floor(command.length / 120));
    text.value = command;
    text.setAttribute('aria-label', 'curl command');
    const note = el('p', 'muted', 'Select and copy the command. It sends the request straight to the server, not '
      + 'through the proxy' + (flow.url && flow.url.startsWith('https:') ? ' (add --cacert or -k if the server\'s '
      + 'certificate is not trusted on that machine).' : '.'));
    out.replaceChildren(text, note);
    text.focus();
    text.select();
    try {
      await navigator.clipboard.writeText(command);
      note.textContent = 'Copied to the clipboard. ' + note.textContent;
    } catch {
      // not a secure context, or no permission: the selected text is there to copy by hand
    }
  }

  async function editForm() {
    const request = flow.request;
    const method = el('input', 'mono');
    method.name = 'method';
    method.value = request.method;
    method.size = 8;
    method.setAttribute('aria-label', 'method');
    const url = el('input', 'mono replay-url');
    url.name = 'url';
    url.value = request.url;
    url.setAttribute('aria-label', 'URL');
    const headers = el('textarea', 'mono');
    headers.name = 'headers';
    headers.rows = Math.min(12, request.headers.length + 1);
    headers.value = request.headers.map((h) => h.name + ': ' + h.value).join('\n');
    headers.setAttribute('aria-label', 'headers, one "Name: value" per line');
    const body = el('textarea', 'mono');
    body.name = 'body';
    body.rows = 4;
    body.setAttribute('aria-label', 'body');
    if (request.body && request.body.size > 0) {
      try {
        const got = await getBody(request.body.href, false);
        body.value = new TextDecoder().decode(got.bytes);
      } catch {
        body.placeholder = 'the captured body could not be loaded';
      }
    }
    const go = el('button', null, 'Send through the proxy');
    go.type = 'submit';
    const form = el('form', 'replay-form', el('label', null, 'Request line ', method, ' ', url),
      el('label', null, 'Headers (Host, Content-Length and connection headers are set by the sender)', headers),
      el('label', null, 'Body (text)', body), el('div', null, go, button('Cancel', () => out.replaceChildren())));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const lines = headers.value.split('\n').filter((line) => line.includes(':'));
      replay({
        method: method.value.trim(), url: url.value.trim(), body: body.value,
        headers: lines.map((line) => ({ name: line.slice(0, line.indexOf(':')).trim(), value: line.slice(line.indexOf(':') + 1).trim() })),
      });
    });
    out.replaceChildren(form);
    url.focus();
  }

  box.append(el('div', 'request-tool-buttons', button('Replay', () => replay(null), 'replay'),
    button('Edit and replay', editForm, 'edit-replay'), button('Copy as curl', copyCurl, 'copy-curl')), out);
  return box;
}

export function modificationsView(flow) {
  const box = el('div', 'modifications');
  const list = flow.modifications || [];
  if (list.length === 0) {
    box.append(el('p', 'muted', flow.kind === 'https-tunnel'
      ? 'Nothing was changed, and nothing could be: this HTTPS travelled through a sealed tunnel the proxy cannot open.'
      : 'No tamper rule changed this flow.'));
    return box;
  }
  box.append(el('p', 'lesson-point', 'A man in the middle changed this exchange. The Request and Response tabs show '
    + 'what was forwarded: the request as the server received it, the response as the client received it. '
    + 'Below, what arrived at the proxy (before) and what it sent on (after).'
    + (flow.kind === 'https-decrypted' ? ' This was HTTPS: the proxy could change it because the client trusted its CA.' : '')));
  for (const m of list) {
    const item = el('section', 'modification' + (m.changed ? ' changed' : ' noted'));
    item.append(el('h3', null, 'Rule ', el('span', 'mono', m.rule), ' — ', m.part, m.changed ? '' : ' (not changed)'));
    if (m.note) item.append(el('p', m.changed ? 'muted' : 'note', m.note));
    if (m.before !== null && m.before !== undefined) {
      item.append(el('div', 'before-after',
        el('div', null, el('h4', null, 'Before'), el('pre', 'mono before', m.before)),
        el('div', null, el('h4', null, 'After'), el('pre', 'mono after', m.after))));
    }
    box.append(item);
  }
  return box;
}
