// api.js — the dashboard's only door to the server's /api routes.
// Contract: every call goes to the same origin with the HttpOnly token cookie; a non-2xx answer
// rejects with an ApiError carrying the status and the server's message. A 401 is also reported
// to the listeners registered with onRefused() (the app then explains how to get in).

export class ApiError extends Error {
  constructor(status, message) {
    super(message || ('HTTP ' + status));
    this.status = status;
  }
}

const refusedListeners = [];

export function onRefused(listener) {
  refusedListeners.push(listener);
}

async function call(method, path, body, headers = {}) {
  const init = { method, credentials: 'same-origin', headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'the dashboard cannot reach Plainsight: is it still running?');
  }
  if (!response.ok) {
    let message = '';
    try {
      message = (await response.text()).slice(0, 300);
    } catch {
      // keep the status alone
    }
    if (response.status === 401) refusedListeners.forEach((l) => l(message));
    throw new ApiError(response.status, message || response.status + ' ' + response.statusText);
  }
  return response;
}

export async function getJson(path) {
  return (await call('GET', path)).json();
}

/** PUT/POST/PATCH/DELETE with a JSON body (an object, or a string already JSON); resolves to JSON or null. */
export async function send(method, path, body) {
  const response = await call(method, path, body);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** Captured body bytes: {bytes, size, truncated}; size is the body's full size on the wire. */
export async function getBody(href, decoded) {
  const response = await call('GET', href + (decoded ? '?decoded=true' : ''));
  const bytes = new Uint8Array(await response.arrayBuffer());
  const size = Number(response.headers.get('X-Body-Size') || bytes.length);
  return { bytes, size, truncated: response.headers.get('X-Body-Truncated') === 'true' };
}

/** The filter part of the flow list's query string; empty values are left out. */
export function filterQuery(filters) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && String(value).trim() !== '') {
      params.set(name, String(value).trim());
    }
  }
  return params.toString();
}

/** The flow list's URL for a filter object and a page. */
export function flowQuery(filters, offset, limit) {
  const params = new URLSearchParams(filterQuery(filters));
  params.set('offset', String(offset));
  params.set('limit', String(limit));
  return '/api/flows?' + params;
}
