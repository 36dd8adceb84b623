// refusal.js — explains an https-rejected flow in plain words, from the API's refusal object:
// which alert the client sent, in clear or encrypted (or that it closed without one, never
// both), which clients do that and what their user saw, why that refusal is TLS working, what HSTS changes, and how to trust the workshop CA if that is what you want.
// Contract: refusalView(flow) returns an element; it reads only the flow passed in.

import { el } from './dom.js';

const MEANINGS = {
  48: 'unknown_ca: "I do not know the authority that signed this certificate"',
  46: 'certificate_unknown: "something about this certificate is not acceptable"',
  42: 'bad_certificate: "this certificate is damaged or does not verify"',
  45: 'certificate_expired',
};

/**
 * The flow's refusal as the API tells it (one voice for list, detail, lesson and API):
 * {sentAlert, alert, code, encrypted, clients, userSees, sentence}.
 */
export function refusalOf(flow) {
  return flow.refusal || { sentAlert: false, alert: null, code: null, encrypted: null,
    clients: 'some clients', userSees: 'a connection error', sentence: 'closed the connection without sending an alert' };
}

export function refusalView(flow) {
  const tls = flow.tls || {};
  const refusal = refusalOf(flow);
  const box = el('section', 'refusal');
  box.setAttribute('aria-label', 'why this connection was refused');
  box.append(el('h3', null, 'The client refused Plainsight\'s certificate'));
  box.append(el('p', null, 'Plainsight answered the client with a certificate it made on the spot for '
    + (tls.sni || flow.host || 'this host') + ', signed by the Plainsight CA. The client checked who signed it '
    + 'against the certificate authorities it trusts, did not find the Plainsight CA among them, and stopped.'));
  const rows = el('ul', 'refusal-facts');
  if (refusal.sentAlert) {
    const meaning = refusal.code !== null && MEANINGS[refusal.code] ? ' — ' + MEANINGS[refusal.code] : '';
    rows.append(el('li', null, el('strong', null, 'Alert sent: '), refusal.alert
      + (refusal.code !== null ? ' (' + refusal.code + ')' : '') + meaning));
    rows.append(el('li', null, el('strong', null, 'On the wire: '), refusal.encrypted
      ? 'encrypted (TLS 1.3): an eavesdropper sees only an encrypted record; Plainsight, an endpoint, read it'
      : 'in clear: an eavesdropper can read which alert it was'));
  } else {
    rows.append(el('li', null, el('strong', null, 'No alert: '), 'the client closed the connection without '
      + 'sending one. Some clients, such as Java\'s HttpClient, do that instead of sending an alert.'));
  }
  rows.append(el('li', null, el('strong', null, 'Clients that do this: '), refusal.clients));
  rows.append(el('li', null, el('strong', null, 'What the person saw: '), refusal.userSees));
  rows.append(el('li', null, el('strong', null, 'What Plainsight got: '), 'no request at all — no URL path, no '
    + 'headers, no cookies, no body. Only the host name from the CONNECT line and the TLS hello.'));
  rows.append(el('li', null, el('strong', null, 'HSTS: '), 'if the site sent Strict-Transport-Security '
    + 'before (RFC 6797), a browser shows no "proceed anyway" link: the refusal cannot be clicked through.'));
  box.append(rows);
  box.append(el('p', 'lesson-point', 'This refusal is TLS doing its job: the same check stops any stranger '
    + 'who sits in the middle of a connection.'));
  const trust = el('p', null, 'To let Plainsight read this client\'s HTTPS for the workshop, the client has to '
    + 'trust the workshop CA first: ');
  const link = el('a', null, 'how to trust it (and remove it afterwards)');
  link.href = '/ca';
  trust.append(link, '.');
  box.append(trust);
  return box;
}
