// lesson.js — the Lesson tab: the flow's story (DNS → TCP → TLS hello → certificate → key
// exchange → finished → encrypted data → HTTP) as a sequence diagram with client, Plainsight and
// server lanes; each step with its state chip and the evidence from this flow. A toggle shows the
// same flow as a passive eavesdropper on the network sees it, or as Plainsight sees it.
// Contract: lessonView(flow, view) returns an element; view is 'eavesdropper' or 'proxy' and
// the toggle switches it in place (and remembers it for the next flow opened): each step's chip
// and what it saw switch with it, since a step's state depends on who looks.

import { el, button } from './dom.js';
import { arrowsFor } from './lessonarrows.js';
import { refusalView } from './refusal.js';

export const STATES = {
  'clear': ['in clear', 'anyone on the path can read this'],
  'encrypted': ['encrypted', 'an eavesdropper sees only sizes and timing'],
  'decrypted-by-proxy': ['visible only because Plainsight terminated TLS', 'the client trusted the Plainsight CA'],
  'did-not-happen': ['did not happen', ''],
  'failed': ['tried and failed', 'the step was attempted and did not complete: see why below'],
  'reused': ['reused', 'this happened earlier, on the open connection this flow reused'],
};

/** A step's view ('eavesdropper' or 'proxy'): {state, sees}; older flows carry one state only. */
export function stepView(step, view) {
  const own = step[view];
  if (own && own.state) return own;
  return { state: step.state, sees: view === 'eavesdropper' ? step.eavesdropperSees : step.proxySees };
}

const INTRO = {
  'http': 'Plain HTTP: there is no TLS, so nothing is sealed. Both views below are the same: that is the lesson.',
  'https-decrypted': 'HTTPS that Plainsight opened: on the wire everything after the hellos was encrypted, but the '
    + 'client trusted the Plainsight CA, so Plainsight ran two TLS connections and read the traffic in between.',
  'https-tunnel': 'HTTPS passed through sealed: Plainsight saw no more than any eavesdropper — the host name, the '
    + 'hellos, sizes and timing. Both views are the same.',
  'https-rejected': 'The client refused the certificate Plainsight forged, so nothing of the request was ever sent.',
  'error': 'This exchange failed before it completed.',
};

let remembered = 'eavesdropper';

export function stateChip(state) {
  const [label, meaning] = STATES[state] || [state, ''];
  const chip = el('span', 'chip chip-' + state, label);
  if (meaning) chip.title = meaning;
  return chip;
}

export function lessonView(flow, view = remembered) {
  const box = el('div', 'lesson view-' + view);
  box.append(el('p', 'lesson-intro', INTRO[flow.kind] || ''));
  if (flow.kind === 'https-rejected') box.append(refusalView(flow));

  const eaves = button('Eavesdropper view', () => setView('eavesdropper'), 'toggle-eavesdropper');
  const proxy = button('Proxy view', () => setView('proxy'), 'toggle-proxy');
  const toggle = el('div', 'view-toggle', eaves, proxy);
  toggle.setAttribute('role', 'group');
  toggle.setAttribute('aria-label', 'whose view of this flow');
  const who = el('p', 'view-who');
  box.append(toggle, who);

  const lanes = el('div', 'lane-heads', el('span', 'lane-head', 'Client'),
    el('span', 'lane-head', 'Plainsight (proxy)'), el('span', 'lane-head', 'Server'));
  const steps = el('ol', 'steps');
  box.append(el('div', 'sequence', lanes, steps));

  (flow.lesson || []).forEach((step, i) => steps.append(stepItem(step, i, flow)));

  function setView(next) {
    remembered = next;
    box.classList.toggle('view-eavesdropper', next === 'eavesdropper');
    box.classList.toggle('view-proxy', next === 'proxy');
    eaves.setAttribute('aria-pressed', String(next === 'eavesdropper'));
    proxy.setAttribute('aria-pressed', String(next === 'proxy'));
    who.textContent = next === 'eavesdropper'
      ? 'What a passive eavesdropper on the network sees: anyone on the Wi-Fi or a router on the path, holding no keys.'
      : 'What Plainsight sees: it sits in the middle' + (flow.kind === 'https-decrypted'
        ? ' and, because the client trusted its CA, holds the keys of both TLS connections.'
        : flow.kind === 'https-tunnel' ? ' but only passed the sealed bytes on.' : '.');
    for (const label of box.querySelectorAll('[data-eavesdropper]')) {
      label.textContent = label.dataset[next === 'eavesdropper' ? 'eavesdropper' : 'proxy'];
    }
    for (const item of box.querySelectorAll('.steps > li')) {
      const state = item.dataset[next + 'State'];
      item.className = 'step step-' + state;
      item.querySelector('.step-head .chip').replaceWith(stateChip(state));
    }
  }
  setView(view);
  return box;
}

function stepItem(step, index, flow) {
  const eaves = stepView(step, 'eavesdropper');
  const proxy = stepView(step, 'proxy');
  const item = el('li', 'step step-' + eaves.state);
  item.id = 'step-' + step.id;
  item.dataset.eavesdropperState = eaves.state;
  item.dataset.proxyState = proxy.state;
  const head = el('div', 'step-head', el('span', 'step-number', String(index + 1)),
    el('span', 'step-title', step.title), stateChip(eaves.state));
  const diagram = el('div', 'step-diagram');
  const arrows = arrowsFor(step, flow);
  if (arrows.length === 0) diagram.append(el('p', 'no-arrows muted', '—'));
  arrows.forEach((arrow, i) => {
    const node = arrowView(arrow);
    node.style.gridRow = String(i + 1); // one message per row: the order is the story
    diagram.append(node);
  });
  const sees = el('dl', 'step-sees',
    el('dt', 'sees-eavesdropper', 'Eavesdropper sees'), el('dd', 'sees-eavesdropper', eaves.sees),
    el('dt', 'sees-proxy', 'Plainsight sees'), el('dd', 'sees-proxy', proxy.sees));
  const text = el('div', 'step-text', el('p', 'evidence', step.evidence), sees);
  if (step.id === 'tcp') {
    const link = el('a', 'capture-tcp', 'See these handshake packets in Wireshark (this flow\'s capture)');
    link.href = '/api/flows/' + encodeURIComponent(flow.id) + '/pcap';
    link.download = 'plainsight-flow-' + flow.id + '.pcapng';
    text.append(el('p', null, link));
  }
  item.append(head, diagram, text);
  return item;
}

function arrowView(arrow) {
  const order = { c: 0, p: 1, s: 2 };
  const rightward = order[arrow.from] < order[arrow.to];
  const span = [arrow.from, arrow.to].sort((a, b) => order[a] - order[b]).join('');
  const line = el('div', 'arrow span-' + span + ' style-' + arrow.style + (arrow.both ? ' both' : rightward ? ' right' : ' left'));
  const label = el('span', 'arrow-label', arrow.eavesdropper);
  label.dataset.eavesdropper = arrow.eavesdropper;
  label.dataset.proxy = arrow.proxy;
  line.append(label, el('span', 'arrow-line'));
  line.title = arrow.proxy === arrow.eavesdropper ? arrow.proxy
    : 'eavesdropper: ' + arrow.eavesdropper + '\nPlainsight: ' + arrow.proxy;
  return line;
}
