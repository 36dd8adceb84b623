// secrets.js — finds what a flow gives away: cookies, Set-Cookie, Authorization (Basic decoded),
// API keys and tokens in headers or the URL, password-like fields in a form or JSON body.
// Contract: findSecrets(flow, requestBodyText) is pure and returns [{where, name, value,
// reveals}]; secretsView(flow) returns the Secrets tab, saying who could read them: anyone on
// the path for plain HTTP; for decrypted HTTPS only someone whose CA the client trusted.

import { el } from './dom.js';
import { getBody } from './api.js';
import { header, mediaType, text } from './bodyformat.js';

const SECRET_NAME = /pass|pwd|secret|token|api[-_]?key|^key$|session|^sid$|^pin$|otp|^code$|card|cvv|cvc|ssn|auth|credential|jwt|bearer/i;
const SECRET_HEADER = /(^|-)(api-?key|token|auth[a-z-]*|secret|session|csrf|xsrf)($|-)/i;
const BODY_CAP = 256 * 1024;

export function isSecretName(name) {
  return SECRET_NAME.test(name || '');
}

/** Base64 (or base64url) to text, or null when it is not valid base64. */
export function fromBase64(value) {
  try {
    const normal = value.replace(/-/g, '+').replace(/_/g, '/');
    const padded = normal + '='.repeat((4 - (normal.length % 4)) % 4);
    const binary = atob(padded);
    return new TextDecoder('utf-8').decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** What a token value gives away when it is a JWT: its readable claims. */
function jwtClaims(value) {
  const parts = value.split('.');
  if (parts.length !== 3 || !parts[0].startsWith('eyJ')) return null;
  const payload = fromBase64(parts[1]);
  return payload ? 'a JWT: its claims are only base64, anyone can read them: ' + payload : null;
}

function authorization(name, value) {
  const [scheme, ...rest] = value.trim().split(/\s+/);
  const credentials = rest.join(' ');
  if (/^basic$/i.test(scheme)) {
    const decoded = fromBase64(credentials);
    if (decoded !== null && decoded.includes(':')) {
      const colon = decoded.indexOf(':');
      return 'Basic is only base64, not encryption: user "' + decoded.slice(0, colon)
        + '", password "' + decoded.slice(colon + 1) + '"';
    }
    return 'Basic credentials (base64): ' + (decoded === null ? '(not valid base64)' : decoded);
  }
  if (/^bearer$/i.test(scheme)) {
    return jwtClaims(credentials) || 'a bearer token: whoever copies it can act as this user until it expires';
  }
  if (/^digest$/i.test(scheme)) {
    return 'Digest: a hash, not the password itself, but it names the user and can be attacked offline';
  }
  return name + ' credentials in scheme ' + scheme;
}

function setCookieReveals(value) {
  const flags = value.split(';').slice(1).map((f) => f.trim().toLowerCase());
  const notes = ['a cookie the server gives the browser: usually a session, which lets its holder act as the user'];
  if (!flags.includes('secure')) notes.push('no Secure flag: the browser would also send it over plain HTTP');
  if (!flags.includes('httponly')) notes.push('no HttpOnly flag: page scripts can read it');
  return notes.join('; ');
}

function jsonSecrets(node, path, out, depth = 0) {
  if (depth > 20 || out.length > 200) return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => jsonSecrets(item, path + '[' + i + ']', out, depth + 1));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const where = path ? path + '.' + key : key;
      if (isSecretName(key) && (typeof value === 'string' || typeof value === 'number')) {
        out.push({ where: 'request body (JSON)', name: where, value: String(value), reveals: 'a secret sent in the body' });
      } else {
        jsonSecrets(value, where, out, depth + 1);
      }
    }
  }
}

export function findSecrets(flow, requestBodyText) {
  const found = [];
  const request = flow.request;
  const response = flow.response;
  for (const h of (request && request.headers) || []) {
    const lower = h.name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      found.push({ where: 'request header', name: h.name, value: h.value, reveals: authorization(h.name, h.value) });
    } else if (lower === 'cookie') {
      for (const pair of h.value.split(';')) {
        const trimmed = pair.trim();
        if (!trimmed) continue;
        const eq = trimmed.indexOf('=');
        found.push({
          where: 'request header Cookie', name: eq < 0 ? trimmed : trimmed.slice(0, eq),
          value: eq < 0 ? '' : trimmed.slice(eq + 1),
          reveals: 'a cookie sent with every request to this site: often the login session',
        });
      }
    } else if (SECRET_HEADER.test(lower)) {
      found.push({ where: 'request header', name: h.name, value: h.value,
        reveals: jwtClaims(h.value) || 'a key or token: whoever copies it can use it' });
    }
  }
  for (const h of (response && response.headers) || []) {
    if (h.name.toLowerCase() === 'set-cookie') {
      const first = h.value.split(';')[0];
      const eq = first.indexOf('=');
      found.push({ where: 'response header Set-Cookie', name: eq < 0 ? first : first.slice(0, eq),
        value: eq < 0 ? '' : first.slice(eq + 1), reveals: setCookieReveals(h.value) });
    }
  }
  if (flow.url) {
    const query = flow.url.indexOf('?');
    if (query >= 0) {
      for (const [name, value] of new URLSearchParams(flow.url.slice(query + 1).split('#')[0])) {
        if (isSecretName(name)) {
          found.push({ where: 'URL', name, value,
            reveals: 'in the URL: it also lands in browser history, server logs and Referer headers' });
        }
      }
    }
  }
  if (requestBodyText && request) {
    const type = mediaType(request.headers);
    if (type === 'application/x-www-form-urlencoded') {
      for (const [name, value] of new URLSearchParams(requestBodyText.trim())) {
        if (isSecretName(name)) {
          found.push({ where: 'request body (form)', name, value, reveals: 'a form field as typed by the user' });
        }
      }
    } else if (type.endsWith('json')) {
      try {
        jsonSecrets(JSON.parse(requestBodyText), '', found);
      } catch {
        // not JSON after all: nothing to pick out
      }
    }
  }
  return found;
}

/** Who could read these secrets, by kind. */
export function exposure(kind) {
  if (kind === 'http') {
    return ['exposed', 'Anyone on the path could read this: the Wi-Fi, the network operator, every router '
      + 'between you and the server. Plain HTTP is an open postcard, and it can be changed on the way too.'];
  }
  if (kind === 'https-decrypted') {
    return ['decrypted', 'On the wire this was encrypted: an eavesdropper saw only sizes and timing. Plainsight '
      + 'could read it only because this client trusted the Plainsight CA. Anyone whose CA a device trusts '
      + '(a company proxy, malware that installs a root) can read it the same way.'];
  }
  return ['sealed', 'Nothing of the content was visible to Plainsight: no headers, no cookies, no body.'];
}

export function secretsView(flow) {
  const box = el('div', 'secrets');
  const [level, sentence] = exposure(flow.kind);
  box.append(el('p', 'exposure exposure-' + level, sentence));
  const list = el('div', 'secret-list', el('p', 'muted', 'looking for secrets…'));
  box.append(list);
  (async () => {
    let bodyText = '';
    const body = flow.request && flow.request.body;
    const type = flow.request ? mediaType(flow.request.headers) : '';
    if (body && body.size > 0 && (type === 'application/x-www-form-urlencoded' || type.endsWith('json'))) {
      try {
        bodyText = text((await getBody(body.href, true)).bytes, BODY_CAP);
      } catch {
        bodyText = '';
      }
    }
    list.replaceChildren(secretsTable(findSecrets(flow, bodyText), flow.kind));
  })();
  return box;
}

function secretsTable(found, kind) {
  if (found.length === 0) {
    return el('p', 'muted', kind === 'http' || kind === 'https-decrypted'
      ? 'No cookies, credentials or tokens found in this flow.'
      : 'No content to look into.');
  }
  const table = el('table', 'secret-table');
  table.append(el('thead', null, el('tr', null, el('th', null, 'where'), el('th', null, 'name'),
    el('th', null, 'value'), el('th', null, 'what it gives away'))));
  const tbody = el('tbody');
  for (const s of found) {
    tbody.append(el('tr', 'secret', el('td', null, s.where), el('td', 'mono', s.name),
      el('td', 'mono secret-value', s.value), el('td', null, s.reveals)));
  }
  table.append(tbody);
  return table;
}

