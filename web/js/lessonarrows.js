// lessonarrows.js — what to draw for each lesson step: the messages between the three lanes
// (c = client, p = Plainsight, s = server), each with what the eavesdropper reads of it and what
// Plainsight reads of it. Pure: takes the flow detail JSON, returns plain objects.
// Contract: arrowsFor(step, flow) -> [{from, to, both?, style, eavesdropper, proxy}], where style
// is clear | encrypted | forged | alert | through, and eavesdropper/proxy are one-line labels.

import { recordHeaderHex } from './ladder.js';
import { refusalOf } from './refusal.js';

function records(observation, type, fromClient) {
  return ((observation && observation.ladder) || []).filter((r) => r.contentType === type
    && (r.direction === 'CLIENT_TO_SERVER') === fromClient);
}

/** "17 03 03 00 45 … (69 B of ciphertext)" for the first such record, or a generic phrase. */
function sealed(observation, fromClient, skip = 0) {
  const found = records(observation, 'application_data', fromClient)[skip];
  if (!found) return 'encrypted records: sizes and timing only';
  return found.contentType + ' ' + recordHeaderHex(found) + ' … ' + found.length + ' B of ciphertext';
}

/** The server's first encrypted flight under TLS 1.3 (EncryptedExtensions, Certificate, ...). */
function flight(observation) {
  let count = 0;
  let size = 0;
  for (const r of (observation && observation.ladder) || []) {
    if (r.contentType !== 'application_data') continue;
    if (r.direction === 'CLIENT_TO_SERVER') break;
    count++;
    size += r.length;
  }
  if (count === 0) return 'encrypted records';
  return count + (count === 1 ? ' encrypted record' : ' encrypted records') + ' (17 03 03 …), ' + size + ' B';
}

function total(observation, fromClient) {
  const list = records(observation, 'application_data', fromClient);
  return list.length + ' encrypted records, ' + list.reduce((sum, r) => sum + r.length, 0) + ' B';
}

function helloLabel(hello) {
  if (!hello) return 'ClientHello';
  return 'ClientHello: SNI ' + (hello.sni || '(none)') + ', ALPN ' + ((hello.alpn || []).join('/') || '-')
    + ', ' + hello.cipherSuites.length + ' suites';
}

function serverHelloLabel(hello) {
  if (!hello) return 'ServerHello';
  return 'ServerHello: ' + hello.version + ', ' + hello.cipherSuite + (hello.keyShareGroup ? ', ' + hello.keyShareGroup : '');
}

function requestLine(flow, absolute) {
  const url = flow.url || '';
  return (flow.method || '') + ' ' + (absolute ? url : (url.replace(/^[a-z]+:\/\/[^/?#]*/i, '') || '/'));
}

function responseLine(flow) {
  const response = flow.response;
  return response ? response.status + ' ' + (response.reason || '') : String(flow.status ?? '');
}

function cookieNote(flow) {
  const names = ((flow.request && flow.request.headers) || []).map((h) => h.name.toLowerCase());
  const parts = [];
  if (names.includes('cookie')) parts.push('Cookie');
  if (names.includes('authorization')) parts.push('Authorization');
  return parts.length ? ' + ' + parts.join(' + ') : '';
}

export function arrowsFor(step, flow) {
  const states = [step.eavesdropper, step.proxy].map((v) => (v && v.state) || step.state);
  if (states.every((s) => s === 'did-not-happen' || s === 'reused')) return [];
  const wire = flow.wire || {};
  const cs = wire.clientSide;
  const ss = wire.serverSide;
  const intercepted = flow.kind === 'https-decrypted' || flow.kind === 'https-rejected';
  const tunnel = flow.kind === 'https-tunnel';
  const tls = flow.tls || {};
  const hostPort = flow.host + ':' + flow.port;

  switch (step.id) {
    case 'dns': {
      const dns = wire.dns;
      const found = dns ? (dns.addresses || []).join(', ') : '';
      const answer = found === '' ? 'no address'
        : found + (dns.millis !== null && dns.millis !== undefined ? ' in ' + dns.millis + ' ms' : '');
      return [
        { from: 'p', to: 's', style: 'clear', eavesdropper: 'DNS: where is ' + (dns ? dns.name : flow.host) + '?', proxy: 'DNS: where is ' + (dns ? dns.name : flow.host) + '?' },
        { from: 's', to: 'p', style: 'clear', eavesdropper: 'answer: ' + answer, proxy: 'answer: ' + answer },
      ];
    }
    case 'tcp':
      return [
        { from: 'c', to: 'p', both: true, style: 'clear', eavesdropper: 'TCP: SYN, SYN-ACK, ACK (ports, no content)', proxy: 'TCP: the client connects to Plainsight' },
        { from: 'p', to: 's', both: true, style: 'clear', eavesdropper: 'TCP to ' + hostPort, proxy: 'TCP to ' + hostPort + (flow.timings && flow.timings.connectMs !== null && flow.timings.connectMs !== undefined ? ' (' + flow.timings.connectMs + ' ms)' : '') },
      ];
    case 'tls-hello': {
      const connect = tunnel || intercepted
        ? [{ from: 'c', to: 'p', style: 'clear', eavesdropper: 'CONNECT ' + hostPort + ' (in clear)', proxy: 'CONNECT ' + hostPort }] : [];
      if (tunnel) {
        return connect.concat([
          { from: 'c', to: 's', style: 'through', eavesdropper: helloLabel(cs && cs.clientHello), proxy: helloLabel(cs && cs.clientHello) + ' (passed on)' },
          { from: 's', to: 'c', style: 'through', eavesdropper: serverHelloLabel(cs && cs.serverHello), proxy: serverHelloLabel(cs && cs.serverHello) + ' (passed on)' },
        ]);
      }
      const arrows = connect.concat([
        { from: 'c', to: 'p', style: 'clear', eavesdropper: helloLabel(cs && cs.clientHello), proxy: helloLabel(cs && cs.clientHello) },
        { from: 'p', to: 'c', style: 'clear', eavesdropper: serverHelloLabel(cs && cs.serverHello), proxy: serverHelloLabel(cs && cs.serverHello) + ' (Plainsight answers)' },
      ]);
      if (ss) {
        arrows.push(
          { from: 'p', to: 's', style: 'clear', eavesdropper: helloLabel(ss.clientHello), proxy: helloLabel(ss.clientHello) + ' (Plainsight\'s own)' },
          { from: 's', to: 'p', style: 'clear', eavesdropper: serverHelloLabel(ss.serverHello), proxy: serverHelloLabel(ss.serverHello) },
        );
      }
      return arrows;
    }
    case 'certificate': {
      const chain = (tls.upstream && tls.upstream.chain) || [];
      const real = chain[0];
      const forged = tls.forgedLeaf;
      const tls13 = cs && cs.serverHello && cs.serverHello.tls13;
      const clientSees = tls13 ? 'certificate sealed in ' + flight(cs) : 'certificate in clear';
      if (tunnel) {
        const plain = cs && cs.serverCertificates && cs.serverCertificates[0];
        const label = plain ? 'certificate: ' + plain.subject + ', issuer ' + plain.issuer : clientSees;
        return [{ from: 's', to: 'c', style: plain ? 'through' : 'encrypted', eavesdropper: label, proxy: label + ' (passed on)' }];
      }
      const arrows = [];
      if (real || ss) {
        const ssTls13 = ss && ss.serverHello && ss.serverHello.tls13;
        arrows.push({ from: 's', to: 'p', style: ssTls13 ? 'encrypted' : 'clear',
          eavesdropper: ssTls13 ? 'certificate sealed in ' + flight(ss) : 'real certificate' + (real ? ', issuer ' + real.issuer : ''),
          proxy: 'real certificate' + (real ? ': ' + real.subject + ', issuer ' + real.issuer : '') });
      }
      arrows.push({ from: 'p', to: 'c', style: 'forged',
        eavesdropper: tls13 ? clientSees : 'forged certificate, issuer ' + (forged ? forged.issuer : 'the Plainsight CA'),
        proxy: 'forged certificate for ' + (tls.sni || flow.host) + ', issuer ' + (forged ? forged.issuer : 'the Plainsight CA') });
      if (flow.kind === 'https-rejected') {
        const refusal = refusalOf(flow);
        const text = refusal.sentAlert
          ? 'alert ' + refusal.alert + (refusal.code !== null ? ' (' + refusal.code + ')' : '') + ': refused'
          : 'closed without an alert: refused';
        arrows.push({ from: 'c', to: 'p', style: 'alert',
          eavesdropper: !refusal.sentAlert ? text
            : refusal.encrypted ? 'an encrypted alert record, then close' : text + ' (a plaintext alert record)',
          proxy: text + (refusal.sentAlert ? (refusal.encrypted ? ', sent encrypted' : ', sent in clear') : '') });
      }
      return arrows;
    }
    case 'key-exchange': {
      const hello = (ss || cs) && (ss || cs).serverHello;
      const group = hello && hello.keyShareGroup ? hello.keyShareGroup : 'ephemeral';
      const sees = 'public key shares (' + group + '); the secret never crosses the wire';
      if (tunnel) return [{ from: 'c', to: 's', both: true, style: 'through', eavesdropper: sees, proxy: sees }];
      const arrows = [{ from: 'c', to: 'p', both: true, style: 'forged', eavesdropper: sees, proxy: 'Plainsight derives the client-side keys' }];
      if (ss) arrows.push({ from: 'p', to: 's', both: true, style: 'forged', eavesdropper: sees, proxy: 'Plainsight derives separate server-side keys' });
      return arrows;
    }
    case 'finished': {
      if (tunnel) return [{ from: 'c', to: 's', both: true, style: 'encrypted', eavesdropper: 'Finished, encrypted', proxy: 'Finished, encrypted (passed on)' }];
      return [
        { from: 'c', to: 'p', both: true, style: 'encrypted', eavesdropper: 'Finished, encrypted', proxy: 'Finished: both sides hold the same keys' },
        { from: 'p', to: 's', both: true, style: 'encrypted', eavesdropper: 'Finished, encrypted', proxy: 'Finished: both sides hold the same keys' },
      ];
    }
    case 'application-data': {
      if (tunnel) {
        return [
          { from: 'c', to: 's', style: 'encrypted', eavesdropper: total(cs, true), proxy: total(cs, true) + ' (passed on, unread)' },
          { from: 's', to: 'c', style: 'encrypted', eavesdropper: total(cs, false), proxy: total(cs, false) + ' (passed on, unread)' },
        ];
      }
      return [
        { from: 'c', to: 'p', style: 'encrypted', eavesdropper: sealed(cs, true), proxy: 'decrypted here with the client-side keys' },
        { from: 'p', to: 's', style: 'encrypted', eavesdropper: sealed(ss, true), proxy: 're-encrypted with the server-side keys' },
      ];
    }
    case 'http': {
      if (tunnel) {
        return [{ from: 'c', to: 's', both: true, style: 'encrypted', eavesdropper: 'HTTP inside the tunnel: unreadable', proxy: 'HTTP inside the tunnel: unreadable' }];
      }
      // a plain request that failed (DNS, connect, a refusal) was still sent in clear to the proxy
      const plainFailed = flow.kind === 'error' && flow.method !== 'CONNECT'
        && String(flow.url || '').startsWith('http://');
      const request = requestLine(flow, flow.kind === 'http' || plainFailed) + cookieNote(flow);
      const response = responseLine(flow);
      if (plainFailed) {
        return [{ from: 'c', to: 'p', style: 'clear', eavesdropper: request, proxy: request }];
      }
      if (flow.kind === 'http') {
        return [
          { from: 'c', to: 'p', style: 'clear', eavesdropper: request, proxy: request },
          { from: 'p', to: 's', style: 'clear', eavesdropper: requestLine(flow, false), proxy: requestLine(flow, false) },
          { from: 's', to: 'p', style: 'clear', eavesdropper: response, proxy: response },
          { from: 'p', to: 'c', style: 'clear', eavesdropper: response, proxy: response },
        ];
      }
      return [
        { from: 'c', to: 'p', style: 'encrypted', eavesdropper: sealed(cs, true, 1), proxy: request },
        { from: 'p', to: 's', style: 'encrypted', eavesdropper: sealed(ss, true, 1), proxy: requestLine(flow, false) },
        { from: 's', to: 'p', style: 'encrypted', eavesdropper: sealed(ss, false, 1), proxy: response },
        { from: 'p', to: 'c', style: 'encrypted', eavesdropper: sealed(cs, false, 1), proxy: response },
      ];
    }
    default:
      return [];
  }
}
