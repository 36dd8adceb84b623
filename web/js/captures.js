// captures.js — download links for the packet captures of a flow or a session.
// Contract: captureLinks(path, stem) returns an element with "Open in Wireshark" (pcapng with the
// TLS secrets) and "Eavesdropper's capture" (the same packets, sealed) for path + '/pcap', and one
// line saying the TCP framing is synthetic. Text only (textContent), no captured content.

import { el } from './dom.js';

export const FRAMING_NOTE = 'The TCP framing in these files is synthetic: handshake, segment sizes '
  + '(Plainsight\'s reads, not the kernel\'s packets) and ACKs are reconstructed; addresses, ports, '
  + 'bytes and times are real.';

export function captureLinks(path, stem) {
  const open = el('a', 'button-link capture-open', 'Open in Wireshark');
  open.href = path + '/pcap';
  open.download = stem + '.pcapng';
  open.title = 'pcapng with the TLS secrets of both legs: Wireshark shows the HTTP inside';
  const sealed = el('a', 'button-link capture-sealed', 'Eavesdropper\'s capture');
  sealed.href = path + '/pcap?secrets=false';
  sealed.download = stem + '-sealed.pcapng';
  sealed.title = 'the same packets without secrets: what anyone on the network captures';
  return el('span', 'capture-links', open, ' ', sealed, el('small', 'capture-note muted', ' ' + FRAMING_NOTE));
}
