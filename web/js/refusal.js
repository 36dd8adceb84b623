// refusal.js — explains an https-rejected flow in plain words: which alert the client sent (or
// that it just closed), which clients send it and what their user saw, why that refusal is TLS
// working, what HSTS changes, and how to trust the workshop CA if that is what you want.
// Contract: refusalView(flow) returns an element; it reads only the flow passed in.

import { el } from './dom.js';

const BY_ALERT = {
  48: {
    clients: 'curl and other OpenSSL clients, Firefox',
    sees: 'curl: "SSL certificate problem: unable to get local issuer certificate" (exit code 60); '
      + 'Firefox: SEC_ERROR_UNKNOWN_ISSUER or MOZILLA_PKIX_ERROR_MITM_DETECTED',
    meaning: 'unknown_ca: "I do not know the authority that signed this certificate"',
  },
  46: {
    clients: 'Chrome and Chromium, Java (JSSE)',
    sees: 'Chrome: NET::ERR_CERT_AUTHORITY_INVALID; Java: "PKIX path building failed"',
    meaning: 'certificate_unknown: "something about this certificate is not acceptable"',
  },
  42: {
    clients: 'older or embedded TLS stacks',
    sees: 'a certificate error',
    meaning: 'bad_certificate: "this certificate is damaged or does not verify"',
  },
  45: {
    clients: 'any client',
    sees: 'a "certificate expired" error',
    meaning: 'certificate_expired',
  },
};

/** {name, code} from "unknown_ca (48)", or {name: the text, code: null}. */
export function parseAlert(alert) {
  const match = /^([a-z_]+)\s*\((\d+)\)/.exec(alert || '');
  return match ? { name: match[1], code: Number(match[2]) } : { name: alert || 'closed without alert', code: null };
}

export function refusalView(flow) {
  const tls = flow.tls || {};
  const alert = parseAlert(tls.alert);
  const known = alert.code !== null ? BY_ALERT[alert.code] : null;
  const box = el('section', 'refusal');
  box.setAttribute('aria-label', 'why this connection was refused');
  box.append(el('h3', null, 'The client refused Plainsight\'s certificate'));
  box.append(el('p', null, 'Plainsight answered the client with a certificate it made on the spot for '
    + (tls.sni || flow.host || 'this host') + ', signed by the Plainsight CA. The client checked who signed it '
    + 'against the certificate authorities it trusts, did not find the Plainsight CA among them, and stopped.'));
  const rows = el('ul', 'refusal-facts');
  if (alert.code !== null) {
    rows.append(el('li', null, el('strong', null, 'Alert sent: '), alert.name + ' (' + alert.code + ')'
      + (known ? ' — ' + known.meaning : '')));
  } else {
    rows.append(el('li', null, el('strong', null, 'No alert: '), 'the client just closed the connection ('
      + alert.name + '). Some clients, such as Java\'s HttpClient, do that instead of sending an alert.'));
  }
  if (known) {
    rows.append(el('li', null, el('strong', null, 'Clients that send it: '), known.clients));
    rows.append(el('li', null, el('strong', null, 'What the person saw: '), known.sees));
  }
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
