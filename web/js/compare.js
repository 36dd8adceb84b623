// compare.js — two flows side by side (say the same login over http and over https): what each
// exposed, step by step, with the secrets each gave away and their headers, TLS and timing.
// Contract: compareView(a, b, {onPick}) returns an element for flow ids a and b (either may be
// null); onPick(a, b) is called when the reader picks other flows.

import { el, bytes, millis } from './dom.js';
import { getJson, getBody } from './api.js';
import { kindBadge } from './kinds.js';
import { stateChip, stepView } from './lesson.js';
import { findSecrets, exposure } from './secrets.js';
import { mediaType, text } from './bodyformat.js';
import { headerTable } from './detail.js';

export function compareView(a, b, { onPick }) {
  const box = el('div', 'compare');
  box.append(el('h2', null, 'Compare two flows'));
  const form = el('form', 'compare-pick');
  const inputA = numberInput('compare-a', a, 'left flow number');
  const inputB = numberInput('compare-b', b, 'right flow number');
  const go = el('button', null, 'Compare');
  go.type = 'submit';
  form.append(el('label', null, 'Left #', inputA), el('label', null, 'Right #', inputB), go);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onPick(inputA.value || null, inputB.value || null);
  });
  box.append(form);
  if (!a || !b) {
    box.append(el('p', 'muted', 'Pick two flows: type their numbers above, or open a flow in the list and press '
      + '“Compare: left” or “Compare: right”. Try the same login over http and over https.'));
    return box;
  }
  const table = el('div', 'compare-table', el('p', 'muted', 'loading…'));
  box.append(table);
  Promise.all([load(a), load(b)]).then(([left, right]) => {
    table.replaceChildren(...rows(left, right));
  }).catch((e) => {
    table.replaceChildren(el('p', 'error-text', 'cannot compare: ' + e.message));
  });
  return box;
}

function numberInput(id, value, label) {
  const input = el('input');
  input.type = 'number';
  input.min = '1';
  input.id = id;
  input.name = id;
  input.setAttribute('aria-label', label);
  if (value) input.value = String(value);
  return input;
}

async function load(id) {
  const flow = await getJson('/api/flows/' + encodeURIComponent(id));
  let bodyText = '';
  const body = flow.request && flow.request.body;
  const type = flow.request ? mediaType(flow.request.headers) : '';
  if (body && body.size > 0 && (type === 'application/x-www-form-urlencoded' || type.endsWith('json'))) {
    bodyText = text((await getBody(body.href, true)).bytes, 256 * 1024);
  }
  return { flow, secrets: findSecrets(flow, bodyText) };
}

function row(label, left, right, className) {
  return el('div', 'compare-row' + (className ? ' ' + className : ''),
    el('div', 'compare-label', label), el('div', 'compare-cell', left), el('div', 'compare-cell', right));
}

function rows(left, right) {
  const out = [];
  const title = (f) => el('div', null, kindBadge(f.kind), ' #' + f.id + ' ',
    el('span', 'mono', (f.method || '') + ' ' + (f.url || f.host + ':' + f.port)));
  out.push(row('Flow', title(left.flow), title(right.flow), 'compare-head'));
  out.push(row('Who could read it', exposureText(left.flow), exposureText(right.flow)));
  out.push(row('Secrets it carried', secretList(left), secretList(right)));
  const ids = [];
  for (const step of [...(left.flow.lesson || []), ...(right.flow.lesson || [])]) {
    if (!ids.includes(step.id)) ids.push(step.id);
  }
  for (const id of ids) {
    const a = (left.flow.lesson || []).find((s) => s.id === id);
    const b = (right.flow.lesson || []).find((s) => s.id === id);
    out.push(row((a || b).title, stepCell(a), stepCell(b), 'compare-step'));
  }
  out.push(row('TLS', tlsText(left.flow), tlsText(right.flow)));
  out.push(row('Size and time', sizeText(left.flow), sizeText(right.flow)));
  out.push(row('Request headers', headers(left.flow), headers(right.flow)));
  return out;
}

function exposureText(flow) {
  const [level, sentence] = exposure(flow.kind);
  return el('p', 'exposure exposure-' + level, sentence);
}

function secretList({ flow, secrets }) {
  if (secrets.length === 0) return el('span', 'muted', flow.request ? 'none found' : 'none visible');
  return el('ul', 'plain-list', ...secrets.map((s) => el('li', 'secret',
    el('span', 'mono', s.name + ' = ' + s.value), el('span', 'muted', ' (' + s.where + ')'))));
}

function stepCell(step) {
  if (!step) return el('span', 'muted', '—');
  const eaves = stepView(step, 'eavesdropper');
  const proxy = stepView(step, 'proxy');
  const chips = el('div', null, stateChip(eaves.state));
  if (proxy.state !== eaves.state) chips.append(' ', el('span', 'muted', 'to Plainsight: '), stateChip(proxy.state));
  if (eaves.state === 'did-not-happen') return chips;
  chips.append(el('p', 'compare-sees', 'Eavesdropper sees: ' + eaves.sees));
  return chips;
}

function tlsText(flow) {
  const tls = flow.tls;
  if (!tls) return el('span', 'muted', 'no TLS');
  const forged = tls.forgedLeaf;
  const real = tls.upstream && tls.upstream.chain && tls.upstream.chain[0];
  return el('div', null, [tls.version, tls.cipher].filter(Boolean).join(', '),
    forged ? el('p', null, 'client shown: issuer ' + forged.issuer) : '',
    real ? el('p', null, 'server presented: issuer ' + real.issuer) : '');
}

function sizeText(flow) {
  return bytes(flow.requestBytes) + ' up, ' + bytes(flow.responseBytes) + ' down, ' + millis(flow.durationMs);
}

function headers(flow) {
  return flow.request ? headerTable(flow.request.headers) : el('span', 'muted', 'not visible');
}

