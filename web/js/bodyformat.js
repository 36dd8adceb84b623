// bodyformat.js — pure helpers for looking at captured bytes: what kind of content they are, a
// hex dump, form fields, and a JSON rendering as text spans. No network, no global state.
// Contract: every function takes bytes or strings and returns plain values or DOM nodes built
// with textContent only; inputs may be hostile and arbitrarily large (callers pass caps).

import { el } from './dom.js';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif',
  'image/bmp', 'image/x-icon', 'image/vnd.microsoft.icon', 'image/svg+xml'];

export function header(headers, name) {
  const wanted = name.toLowerCase();
  const found = (headers || []).find((h) => h.name.toLowerCase() === wanted);
  return found ? found.value : null;
}

/** The bare media type ("application/json"), lower case, or ''. */
export function mediaType(headers) {
  const value = header(headers, 'Content-Type') || '';
  return value.split(';')[0].trim().toLowerCase();
}

/** 'image', 'json', 'form', 'text' or 'binary'. */
export function classify(bytes, type) {
  if (IMAGE_TYPES.includes(type)) return 'image';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.endsWith('json') || type.endsWith('+json')) return 'json';
  if (looksLikeText(bytes)) {
    const start = firstNonSpace(bytes);
    if (!type && (start === 0x7b || start === 0x5b)) return 'json';
    return 'text';
  }
  return 'binary';
}

function firstNonSpace(bytes) {
  for (let i = 0; i < bytes.length && i < 64; i++) {
    if (![0x20, 0x09, 0x0a, 0x0d].includes(bytes[i])) return bytes[i];
  }
  return -1;
}

/** True when the first 4 KB have no NUL and few control bytes, and decode as UTF-8. */
export function looksLikeText(bytes) {
  const sample = bytes.subarray(0, 4096);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  }
  if (control > sample.length / 50) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(sample));
    return true;
  } catch {
    return false;
  }
}

/** Drops an incomplete UTF-8 sequence at the end (a cut in the middle of a character). */
function trimPartialUtf8(bytes) {
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  return bytes.subarray(0, end);
}

export function text(bytes, cap) {
  return new TextDecoder('utf-8').decode(bytes.subarray(0, cap));
}

/** Classic 16-bytes-a-line hex dump of the first `cap` bytes. */
export function hexDump(bytes, cap) {
  const lines = [];
  const end = Math.min(bytes.length, cap);
  for (let at = 0; at < end; at += 16) {
    const chunk = bytes.subarray(at, Math.min(at + 16, end));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i < chunk.length) {
        hex += chunk[i].toString(16).padStart(2, '0') + ' ';
        ascii += chunk[i] >= 0x20 && chunk[i] < 0x7f ? String.fromCharCode(chunk[i]) : '.';
      } else {
        hex += '   ';
      }
      if (i === 7) hex += ' ';
    }
    lines.push(at.toString(16).padStart(8, '0') + '  ' + hex + ' ' + ascii);
  }
  return lines.join('\n');
}

/** Name/value pairs of an application/x-www-form-urlencoded text (+ and %XX decoded). */
export function formFields(textValue) {
  return [...new URLSearchParams(textValue.trim())];
}

/**
 * A <pre> showing `value` as indented JSON, with spans per token for colour. Over `maxNodes`
 * tokens it falls back to plain indented text.
 */
export function jsonView(value, maxNodes = 20000) {
  const pre = el('pre', 'body-text json');
  let budget = maxNodes;
  const tooBig = () => budget-- <= 0;
  const frag = document.createDocumentFragment();

  function token(cls, textValue) {
    frag.append(el('span', cls, textValue));
  }

  function walk(node, indent) {
    if (tooBig()) throw new Error('too big');
    const pad = '  '.repeat(indent);
    if (Array.isArray(node)) {
      if (node.length === 0) return frag.append('[]');
      frag.append('[\n');
      node.forEach((item, i) => {
        frag.append(pad + '  ');
        walk(item, indent + 1);
        frag.append(i < node.length - 1 ? ',\n' : '\n');
      });
      frag.append(pad + ']');
    } else if (node && typeof node === 'object') {
      const keys = Object.keys(node);
      if (keys.length === 0) return frag.append('{}');
      frag.append('{\n');
      keys.forEach((key, i) => {
        frag.append(pad + '  ');
        token('j-key', JSON.stringify(key));
        frag.append(': ');
        walk(node[key], indent + 1);
        frag.append(i < keys.length - 1 ? ',\n' : '\n');
      });
      frag.append(pad + '}');
    } else if (typeof node === 'string') {
      token('j-str', JSON.stringify(node));
    } else if (typeof node === 'number') {
      token('j-num', String(node));
    } else if (typeof node === 'boolean') {
      token('j-bool', String(node));
    } else {
      token('j-null', 'null');
    }
  }

  try {
    walk(value, 0);
    pre.append(frag);
  } catch {
    pre.textContent = JSON.stringify(value, null, 2);
  }
  return pre;
}
