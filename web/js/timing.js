// timing.js — the Timing tab: a waterfall of the phases of one flow (TLS with the client, DNS,
// TCP connect, TLS with the server, waiting for the first byte, transfer), one bar each, laid
// end to end. Phases that did not happen (a reused connection) are left out.
// Contract: timingView(flow) returns an element; bar geometry is set through the CSSOM.

import { el, millis } from './dom.js';

const PHASES = [
  ['tlsClientMs', 'TLS with the client', 'the handshake between the client and Plainsight', 'tls'],
  ['dnsMs', 'DNS lookup', 'Plainsight asked for the server\'s address', 'dns'],
  ['connectMs', 'TCP connect', 'SYN, SYN-ACK, ACK to the server: about one round trip', 'tcp'],
  ['tlsUpstreamMs', 'TLS with the server', 'the handshake between Plainsight and the server', 'tls'],
  ['waitMs', 'Waiting', 'from sending the request to the first byte of the answer', 'wait'],
  ['transferMs', 'Transfer', 'receiving the rest of the answer', 'transfer'],
];

export function timingView(flow) {
  const box = el('div', 'timing');
  const timings = flow.timings || {};
  const phases = PHASES.filter(([key]) => timings[key] !== null && timings[key] !== undefined);
  if (phases.length === 0) {
    box.append(el('p', 'muted', 'No phase timings were recorded for this flow. It took '
      + millis(flow.durationMs) + ' in all.'));
    return box;
  }
  const sum = phases.reduce((total, [key]) => total + timings[key], 0);
  const scale = Math.max(sum, flow.durationMs || 0, 1);
  const chart = el('div', 'waterfall');
  chart.setAttribute('role', 'list');
  let start = 0;
  for (const [key, label, meaning, kind] of phases) {
    const value = timings[key];
    const bar = el('div', 'bar bar-' + kind);
    bar.style.left = (100 * start / scale) + '%';
    bar.style.width = Math.max(0.4, 100 * value / scale) + '%';
    const row = el('div', 'waterfall-row', el('span', 'phase', label), el('span', 'track', bar),
      el('span', 'phase-ms', millis(value)));
    row.setAttribute('role', 'listitem');
    row.title = meaning;
    chart.append(row);
    start += value;
  }
  box.append(chart);
  const duration = flow.durationMs || 0;
  box.append(el('p', 'muted', sum > duration
    ? 'From the request to the last byte of the answer: ' + millis(duration) + '. The bars add up to ' + millis(sum)
      + ' because they also show the handshakes that came before the request.'
    : 'Total ' + millis(duration) + '.'));
  box.append(el('p', 'muted', 'Phases missing from the list did not happen on this flow (for example on a '
    + 'connection that was reused).'));
  return box;
}
