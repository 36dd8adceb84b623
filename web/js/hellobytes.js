// hellobytes.js — the Bytes view of the TLS tab: a captured hello as hex, each field highlighted on
// hover (over its bytes or its name in the field list) and explained in one line; and the client's
// JA3/JA4 fingerprints with what they mean.
// Contract: helloBytesView(flow) returns a closed <details> at once; opening it fetches
// GET /api/flows/{id}/hello/{which} for the chosen hello (client and server side; the upstream pair
// too when the flow was intercepted) and draws it. fingerprintView(flow) returns null when the
// flow has no fingerprint. Captured values reach the page only as text (el() / textContent).

import { el, button, facts } from './dom.js';
import { getJson } from './api.js';

const PER_LINE = 16;

export function fingerprintView(flow) {
  const tls = flow.tls;
  if (!tls || !tls.ja4) return null;
  const box = el('div', 'fingerprints');
  box.append(facts([
    ['JA4 (FoxIO)', el('span', 'mono', tls.ja4)],
    ['JA3 (MD5)', el('span', 'mono', tls.ja3)],
    ['JA3 string', el('span', 'mono', tls.ja3String)],
  ]), el('p', 'lesson-point', 'What an eavesdropper learns about the device: these hashes of the '
    + 'ClientHello’s offer (versions, suites, extensions, groups; GREASE removed) name the client '
    + 'program — the browser, and often its version — before a single byte of content is sent.'));
  return box;
}

export function helloBytesView(flow) {
  const box = el('details', 'hello-bytes');
  box.append(el('summary', null, 'Bytes: the handshake byte by byte'));
  const choices = el('div', 'hb-choices');
  const stage = el('div', 'hb-stage');
  box.append(choices, stage);
  const intercepted = flow.kind === 'https-decrypted' || flow.kind === 'https-rejected';
  const hellos = [['client', 'ClientHello from the client'],
    ['server', intercepted ? 'ServerHello from Plainsight' : 'ServerHello from the server']];
  if (intercepted) {
    hellos.push(['upstream/client', 'ClientHello from Plainsight to the server'],
      ['upstream/server', 'ServerHello from the server to Plainsight']);
  }
  let loaded = false;
  const show = async (which) => {
    stage.replaceChildren(el('p', 'muted', 'loading…'));
    try {
      stage.replaceChildren(anatomy(await getJson('/api/flows/' + flow.id + '/hello/' + which)));
    } catch (e) {
      stage.replaceChildren(el('p', 'muted', e.message));
    }
  };
  for (const [which, label] of hellos) choices.append(button(label, () => show(which), 'hb-choice'));
  box.addEventListener('toggle', () => {
    if (box.open && !loaded) {
      loaded = true;
      show('client');
    }
  });
  return box;
}

/** Hex on the left, the field tree on the right, one explanation line above both. */
function anatomy(hello) {
  const leaves = [];
  collect(hello.fields, [], leaves);
  const hex = hello.recordHex || '';
  const spans = [];
  const line = el('p', 'hb-explain', 'Point at a byte or a field.');
  const grid = el('div', 'hb-hex mono');
  const owner = new Array(hex.length / 2);
  leaves.forEach((leaf, i) => {
    for (let b = leaf.offset; b < leaf.offset + leaf.length; b++) owner[b] = i;
  });
  for (let start = 0; start < hex.length / 2; start += PER_LINE) {
    const row = el('div', 'hb-row', el('span', 'hb-offset', start.toString(16).padStart(4, '0')));
    for (let b = start; b < Math.min(start + PER_LINE, hex.length / 2); b++) {
      const span = el('span', 'hb-byte hb-' + (owner[b] % 2 ? 'odd' : 'even'), hex.slice(2 * b, 2 * b + 2));
      span.dataset.leaf = String(owner[b]);
      spans.push(span);
      row.append(span);
    }
    grid.append(row);
  }
  let lit = null;
  const light = (i) => {
    if (lit !== null) toggle(spans, leaves[lit], false);
    lit = i;
    if (i === null || leaves[i] === undefined) return;
    const leaf = leaves[i];
    toggle(spans, leaf, true);
    line.replaceChildren(el('strong', null, leaf.path.concat(leaf.name).join(' › ')),
      ': ' + (leaf.value === null || leaf.value === undefined ? '' : leaf.value)
      + ' (' + leaf.length + (leaf.length === 1 ? ' byte' : ' bytes') + ' at offset ' + leaf.offset + ')',
      leaf.about ? el('span', 'hb-about', ' — ' + leaf.about) : null);
  };
  grid.addEventListener('mouseover', (e) => {
    const leaf = e.target && e.target.dataset && e.target.dataset.leaf;
    if (leaf !== undefined) light(Number(leaf));
  });
  const tree = el('ul', 'hb-tree');
  drawTree(hello.fields, tree, { next: 0 }, light);
  const notes = [hello.header, hello.problem].filter(Boolean).map((n) => el('p', 'muted', n));
  return el('div', 'hb-anatomy', ...notes, line, el('div', 'hb-panes', grid, tree));
}

function toggle(spans, leaf, on) {
  for (let b = leaf.offset; b < leaf.offset + leaf.length && b < spans.length; b++) {
    spans[b].classList.toggle('hb-lit', on);
  }
}

function collect(fields, path, out) {
  for (const f of fields || []) {
    if (f.children) collect(f.children, path.concat(f.name), out);
    else out.push({ ...f, path, index: out.length });
  }
}

function drawTree(fields, list, counter, light) {
  for (const f of fields || []) {
    if (f.children) {
      const item = el('li', 'hb-group');
      const d = el('details');
      d.open = f.children.length <= 20;
      d.append(el('summary', null, f.name + ' (' + f.length + ' bytes)'));
      const sub = el('ul', 'hb-tree');
      drawTree(f.children, sub, counter, light);
      d.append(sub);
      item.append(d);
      list.append(item);
    } else {
      const i = counter.next++;
      const item = el('li', 'hb-leaf', el('span', 'hb-name', f.name),
        f.value === null || f.value === undefined ? null : el('span', 'hb-value mono', ' ' + f.value));
      item.addEventListener('mouseenter', () => light(i));
      list.append(item);
    }
  }
}
