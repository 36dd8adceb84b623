// messages.js — the Messages tab of a WebSocket flow: one row per message, oldest first, with
// its direction (→ client to server, ← server to client), time, type, size and payload (text as
// text, a close frame as its code and reason, anything else as a hex dump).
// Contract: messagesView(flow) returns a node for flow.messages / flow.messagesOmitted of
// /api/flows/{id}. Captured payloads reach the page only through dom.js (textContent).

import { el, bytes, clock } from './dom.js';
import { hexDump } from './bodyformat.js';

const HEX_CAP = 1024;

export function messagesView(flow) {
  const messages = flow.messages || [];
  const box = el('div', 'ws-messages');
  const omitted = flow.messagesOmitted || 0;
  box.append(el('p', 'muted', messages.length + ' message' + (messages.length === 1 ? '' : 's')
    + ' captured' + (omitted ? ', ' + omitted + ' more not kept (the flow keeps the first '
    + messages.length + ')' : '') + '. → client to server, ← server to client. '
    + (flow.kind === 'https-decrypted' ? 'Decrypted: inside TLS, an eavesdropper sees none of this.'
      : 'Plain ws://: anyone on the path can read these.')));
  if (!messages.length) {
    box.append(el('p', 'muted',
      'No message yet. New messages appear here while the socket is open.'));
    return box;
  }
  const table = el('table', 'ws-table');
  table.append(el('thead', null, el('tr', null, el('th', null, ''), el('th', null, 'Time'),
    el('th', null, 'Type'), el('th', null, 'Size'), el('th', null, 'Payload'))));
  const body = el('tbody');
  for (const message of messages) {
    const dir = message.fromClient ? 'client' : 'server';
    const arrow = el('td', 'ws-dir', message.fromClient ? '→' : '←');
    arrow.title = message.fromClient ? 'client to server' : 'server to client';
    body.append(el('tr', 'ws-message ws-' + dir, arrow, el('td', 'mono', clock(message.at)),
      el('td', 'ws-type', message.type), el('td', 'mono', bytes(message.size)),
      el('td', 'ws-payload', payload(message))));
  }
  table.append(body);
  box.append(table);
  return box;
}

function payload(message) {
  const parts = [];
  if (message.type === 'close' && message.closeCode !== undefined) {
    parts.push(el('span', 'mono', 'code ' + message.closeCode + (message.text ? ': ' : '')));
  }
  if (message.text !== undefined) {
    if (message.text || message.type === 'text') parts.push(el('pre', 'ws-text', message.text));
  } else if (message.base64) {
    const raw = Uint8Array.from(atob(message.base64), (c) => c.charCodeAt(0));
    parts.push(el('pre', 'ws-text hex', hexDump(raw, HEX_CAP)));
  }
  if (message.truncated) {
    parts.push(el('span', 'muted', 'only the start was kept: the message was ' + bytes(message.size)
      + ', forwarded whole.'));
  }
  return parts;
}
