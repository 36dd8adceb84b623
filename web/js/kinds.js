// kinds.js — how each flow kind is shown: symbol (an icon of index.html's sprite), colour class,
// short label and a sentence for learners. The symbols follow issue 5: open padlock for http,
// sealed envelope for a tunnel, padlock opened by the proxy for decrypted, broken chain for a
// refused certificate, warning for an error.

import { el, icon } from './dom.js';

export const KINDS = {
  'http': {
    label: 'http', icon: 'open-padlock',
    meaning: 'plain HTTP: an open postcard, readable (and changeable) by anyone on the path',
  },
  'https-decrypted': {
    label: 'decrypted', icon: 'proxy-padlock',
    meaning: 'HTTPS opened by Plainsight: readable only because this client trusted the Plainsight CA',
  },
  'https-tunnel': {
    label: 'tunnel', icon: 'envelope',
    meaning: 'HTTPS passed through sealed: only the host name, sizes and timing are visible',
  },
  'https-rejected': {
    label: 'refused', icon: 'broken-chain',
    meaning: 'the client refused Plainsight\'s forged certificate: nothing of the request was sent',
  },
  'error': {
    label: 'error', icon: 'warning',
    meaning: 'the exchange failed before it completed',
  },
};

export function kindInfo(kind) {
  return KINDS[kind] || { label: kind || '?', icon: 'warning', meaning: '' };
}

/** A badge: the kind's symbol, colour and label (for the list, the detail and compare). */
export function kindBadge(kind) {
  const info = kindInfo(kind);
  const badge = el('span', 'kind kind-' + (KINDS[kind] ? kind : 'unknown'), icon(info.icon), info.label);
  badge.title = info.meaning;
  return badge;
}
