// tlsview.js — the TLS tab. For a decrypted (or refused) flow: the two handshakes side by side,
// browser ↔ Plainsight with the forged certificate and Plainsight ↔ server with the real one;
// for a tunnel: the one handshake the proxy passed on. Each side shows its ClientHello and
// ServerHello fields, its certificate(s) and its record ladder.
// Contract: tlsView(flow) returns an element built from the flow detail JSON only.

import { el, facts, dateTime } from './dom.js';
import { ladderView } from './ladder.js';
import { refusalView } from './refusal.js';
import { fingerprintView, helloBytesView } from './hellobytes.js';

export function tlsView(flow) {
  const box = el('div', 'tls-view');
  const tls = flow.tls;
  const wire = flow.wire || {};
  if (!tls && !wire.clientSide) {
    box.append(el('p', 'lesson-point', flow.kind === 'http'
      ? 'No TLS on this flow: it was plain HTTP, so there was no handshake, no certificate and no encryption.'
      : 'No TLS was seen on this flow.'));
    return box;
  }
  if (flow.kind === 'https-rejected') box.append(refusalView(flow));
  box.append(facts([
    ['Version (client side)', tls && tls.version],
    ['Cipher suite', tls && tls.cipher],
    ['ALPN', tls && tls.alpn],
    ['SNI (the name asked for, in clear)', tls ? (tls.sni || '(none: the client connected to an IP address)') : null],
    ['Alert', tls && tls.alert],
  ]));
  box.append(fingerprintView(flow) || '', helloBytesView(flow));

  const intercepted = flow.kind === 'https-decrypted' || flow.kind === 'https-rejected';
  if (intercepted) {
    const forged = tls && tls.forgedLeaf;
    const chain = (tls && tls.upstream && tls.upstream.chain) || [];
    if (forged && chain.length) box.append(issuerLesson(forged, chain[0]));
    const sides = el('div', 'side-by-side');
    sides.append(
      side('Browser ↔ Plainsight', 'the connection the client made; Plainsight played the server',
        wire.clientSide, 'Client', 'Plainsight',
        certificates('Certificate Plainsight forged', forged ? [forged] : [], 'forged',
          flow.kind === 'https-rejected' ? 'Plainsight made one for this host; the client refused it.' : null)),
      side('Plainsight ↔ server', 'the connection Plainsight made; it played the client',
        wire.serverSide, 'Plainsight', 'Server',
        certificates('Certificate the real server presented', chain, 'real', null,
          tls && tls.upstream ? [tls.upstream.version, tls.upstream.cipher].filter(Boolean).join(', ') : '')),
    );
    box.append(sides);
  } else {
    const seen = wire.clientSide;
    const tls13 = seen && seen.serverHello && seen.serverHello.tls13;
    const plain = (seen && seen.serverCertificates) || [];
    box.append(side('Client ↔ server, through Plainsight', 'a sealed tunnel: Plainsight passed the bytes on without '
      + 'decrypting them, and saw what any eavesdropper sees', seen, 'Client', 'Server',
      plain.length ? certificates('Certificate (sent in clear under TLS 1.2)', plain.map(fromWire), 'real')
        : el('p', 'muted', tls13 ? 'Under TLS 1.3 the certificate travels encrypted: an eavesdropper sees only the '
          + 'size of the encrypted records that carry it.' : 'No certificate was seen.')));
  }
  return box;
}

function fromWire(cert) {
  return { ...cert, sha256: cert.sha256 || cert.sha256Fingerprint };
}

function issuerLesson(forged, real) {
  return el('p', 'lesson-point', 'Compare the issuers. The client was shown a certificate issued by “'
    + forged.issuer + '”. The server really presented one issued by “' + real.issuer + '”. Only a client '
    + 'that trusts the Plainsight CA accepts the first one.');
}

function side(title, subtitle, observation, leftName, rightName, certificateNode) {
  const column = el('section', 'tls-side');
  column.append(el('h3', null, title), el('p', 'muted', subtitle));
  if (!observation) {
    column.append(el('p', 'muted', 'This handshake was not observed.'), certificateNode);
    return column;
  }
  column.append(el('h4', null, 'ClientHello, sent by ' + the(leftName) + ' in clear'), clientHello(observation.clientHello));
  column.append(el('h4', null, 'ServerHello, sent by ' + the(rightName) + ' in clear'), serverHello(observation.serverHello));
  column.append(certificateNode);
  if (observation.alerts && observation.alerts.length) {
    column.append(el('h4', null, 'Alerts'), el('ul', 'alerts', ...observation.alerts.map((a) =>
      el('li', null, (a.direction === 'CLIENT_TO_SERVER' ? leftName : rightName) + ' sent ' + a.level + ' alert '
        + a.name + ' (' + a.code + ')'))));
  }
  if (observation.notes && observation.notes.length) {
    column.append(el('ul', 'notes', ...observation.notes.map((n) => el('li', 'muted', n))));
  }
  column.append(el('h4', null, 'Record ladder'), ladderView(observation, leftName, rightName));
  return column;
}

function the(name) {
  return name === 'Plainsight' ? name : 'the ' + name.toLowerCase();
}

function list(values) {
  return values && values.length ? values.join(', ') : '(none)';
}

function details(summary, values) {
  if (!values || values.length === 0) return '(none)';
  const d = el('details');
  d.append(el('summary', null, summary), el('ul', 'plain-list', ...values.map((v) => el('li', 'mono', v))));
  return d;
}

function clientHello(hello) {
  if (!hello) return el('p', 'muted', 'not seen');
  return facts([
    ['SNI', hello.sni || '(none)'],
    ['ALPN offered', list(hello.alpn)],
    ['Versions offered', list(hello.supportedVersions)],
    ['Key shares sent', list(hello.keyShareGroups)],
    ['Groups supported', list(hello.supportedGroups)],
    ['Cipher suites', details(hello.cipherSuites.length + ' offered', hello.cipherSuites.map((c) => c.name))],
    ['Signature algorithms', details((hello.signatureAlgorithms || []).length + ' offered', hello.signatureAlgorithms)],
    ['ECH (hides the real name)', hello.echOffered ? 'offered' : 'not offered'],
    ['GREASE values', hello.greaseSeen ? 'present' : 'none'],
    ['Size', hello.length ? hello.length + ' bytes' : null],
  ]);
}

function serverHello(hello) {
  if (!hello) return el('p', 'muted', 'not seen (the handshake stopped before it)');
  return facts([
    ['Version chosen', hello.version],
    ['Cipher suite', hello.cipherSuite],
    ['Key exchange group', hello.keyShareGroup],
    ['HelloRetryRequest', hello.helloRetryRequest ? 'yes: the server asked for another key share' : 'no'],
    ['ALPN chosen', hello.alpn || (hello.tls13 ? '(sent encrypted under TLS 1.3)' : '(none)')],
  ]);
}

function certificates(title, chain, flavour, note, extra) {
  const box = el('div', 'certs certs-' + flavour);
  box.append(el('h4', null, title));
  if (extra) box.append(el('p', 'muted', extra));
  if (note) box.append(el('p', 'muted', note));
  if (!chain.length) {
    if (!note) box.append(el('p', 'muted', 'not available'));
    return box;
  }
  chain.forEach((cert, i) => {
    const card = el('div', 'cert-card');
    if (chain.length > 1) card.append(el('p', 'cert-position', i === 0 ? 'leaf' : 'chain #' + i));
    card.append(facts([
      ['Subject', cert.subject],
      ['Issuer', el('span', 'issuer issuer-' + flavour, cert.issuer || '')],
      ['Names', (cert.subjectAltNames || []).join(', ')],
      ['Valid', dateTime(cert.notBefore) + ' – ' + dateTime(cert.notAfter)],
      ['SHA-256', el('span', 'mono fingerprint', cert.sha256 || '')],
    ]));
    box.append(card);
  });
  return box;
}
