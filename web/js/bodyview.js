// bodyview.js — shows one captured body: pretty JSON, forms as a table, images, text, or a hex
// dump, with gzip/deflate/br undone for display (?decoded=true) and large bodies cut short.
// Contract: bodyView(message) returns an element at once and fills it when the bytes arrive.
// Images are shown only from a blob: URL of the body's own bytes (revoked when the view leaves
// the page); text goes in with textContent; links in captured content are never made clickable.

import { el, button, bytes as fmtBytes } from './dom.js';
import { getBody } from './api.js';
import { classify, formFields, header, hexDump, jsonView, mediaType, text } from './bodyformat.js';
import { isSecretName } from './secrets.js';

const TEXT_CAP = 256 * 1024;
const HEX_CAP = 32 * 1024;
const JSON_CAP = 2 * 1024 * 1024;

const blobUrls = new Set();

/** Frees the image blobs of views that are no longer on the page. */
export function releaseImages() {
  for (const url of blobUrls) URL.revokeObjectURL(url);
  blobUrls.clear();
}

export function bodyView(message) {
  const box = el('div', 'body-view');
  const body = message && message.body;
  if (!body || body.size === 0) {
    box.append(el('p', 'muted', '(no body)'));
    return box;
  }
  const encoding = header(message.headers, 'Content-Encoding');
  const type = mediaType(message.headers);
  const note = el('p', 'body-note');
  const toolbar = el('div', 'body-modes');
  toolbar.setAttribute('role', 'group');
  toolbar.setAttribute('aria-label', 'show the body as');
  const content = el('div', 'body-content', el('p', 'muted', 'loading the body…'));
  box.append(note, toolbar, content);

  let decoded = null;
  let raw = null;
  const modes = [['auto', 'Formatted'], ['text', 'Text'], ['hex', 'Hex']];
  if (encoding && !/^identity$/i.test(encoding)) modes.push(['sent', 'As sent (' + encoding + ')']);
  const buttons = modes.map(([mode, label]) => {
    const b = button(label, () => show(mode));
    b.dataset.mode = mode;
    return b;
  });
  toolbar.append(...buttons);

  async function show(mode) {
    buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.mode === mode)));
    try {
      if (mode === 'sent') {
        raw = raw || await getBody(body.href, false);
        content.replaceChildren(el('pre', 'body-text hex', hexDump(raw.bytes, HEX_CAP)),
          capNote(raw.bytes.length, HEX_CAP, 'bytes'));
        return;
      }
      decoded = decoded || await getBody(body.href, true);
      content.replaceChildren(...render(decoded.bytes, mode, type));
    } catch (e) {
      content.replaceChildren(el('p', 'error-text', 'cannot load the body: ' + e.message));
    }
  }

  note.append(fmtBytes(body.size) + (type ? ' of ' + type : ''));
  if (body.truncated) {
    note.append(el('span', 'warn-text', ' — Plainsight kept only the first ' + fmtBytes(body.captured)));
  }
  if (encoding && !/^identity$/i.test(encoding)) {
    note.append(' — sent compressed (' + encoding + '), decoded here for reading');
  }
  show('auto');
  return box;
}

function render(bytes, mode, type) {
  if (mode === 'hex') return [el('pre', 'body-text hex', hexDump(bytes, HEX_CAP)), capNote(bytes.length, HEX_CAP, 'bytes')];
  if (mode === 'text') return textNodes(bytes);
  const kind = classify(bytes, type);
  if (kind === 'image') return [imageNode(bytes, type)];
  if (kind === 'form') return [formTable(text(bytes, TEXT_CAP))];
  if (kind === 'json' && bytes.length <= JSON_CAP) {
    try {
      return [jsonView(JSON.parse(text(bytes, JSON_CAP)))];
    } catch {
      return textNodes(bytes);
    }
  }
  if (kind === 'text' || kind === 'json') return textNodes(bytes);
  return [el('p', 'muted', 'binary content: shown as a hex dump'),
    el('pre', 'body-text hex', hexDump(bytes, HEX_CAP)), capNote(bytes.length, HEX_CAP, 'bytes')];
}

function textNodes(bytes) {
  return [el('pre', 'body-text', text(bytes, TEXT_CAP)), capNote(bytes.length, TEXT_CAP, 'bytes')];
}

function capNote(length, cap, unit) {
  if (length <= cap) return '';
  return el('p', 'body-note', 'showing the first ' + fmtBytes(cap) + ' of ' + fmtBytes(length)
    + ' (' + unit + ' past that are left out so the page stays quick)');
}

function imageNode(bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  blobUrls.add(url);
  const img = el('img', 'body-image');
  img.alt = 'the captured image (' + type + ')';
  img.src = url;
  return el('figure', 'body-figure', img);
}

function formTable(value) {
  const table = el('table', 'form-fields');
  table.append(el('thead', null, el('tr', null, el('th', null, 'field'), el('th', null, 'value'))));
  const tbody = el('tbody');
  for (const [name, fieldValue] of formFields(value)) {
    const row = el('tr', isSecretName(name) ? 'secret' : null, el('td', null, name), el('td', null, fieldValue));
    tbody.append(row);
  }
  table.append(tbody);
  return table;
}
