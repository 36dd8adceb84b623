// ladder.js — the record ladder of one TLS connection as an SVG sequence diagram: one arrow per
// record, in order, from the side that sent it, labelled with the record header bytes exactly as
// an eavesdropper reads them (type, version, length), its size and its time.
// Contract: ladderView(observation, leftName, rightName) returns an element; observation is a
// wire.clientSide / wire.serverSide object of the API (its ladder may be empty).

import { el, svg } from './dom.js';

const MAX_RECORDS = 80;
const TYPE_BYTE = { change_cipher_spec: 0x14, alert: 0x15, handshake: 0x16, application_data: 0x17, heartbeat: 0x18 };
const WIDTH = 450;
const LEFT = 62;
const RIGHT = 396;
const STEP = 38;
let drawn = 0;

export function recordHeaderHex(record) {
  const unknown = /^unknown\((\d+)\)$/.exec(record.contentType || '');
  const type = TYPE_BYTE[record.contentType] ?? (unknown ? Number(unknown[1]) : 0);
  const bytes = [type, (record.version >> 8) & 0xff, record.version & 0xff, (record.length >> 8) & 0xff, record.length & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function ladderView(observation, leftName, rightName) {
  const box = el('figure', 'ladder');
  const records = (observation && observation.ladder) || [];
  if (records.length === 0) {
    box.append(el('p', 'muted', 'No TLS records were seen on this connection.'));
    return box;
  }
  const shown = records.slice(0, MAX_RECORDS);
  const arrowId = 'ladder-arrow-' + (++drawn);
  const height = 40 + shown.length * STEP + 6;
  const picture = svg('svg', {
    class: 'ladder-svg', viewBox: '0 0 ' + WIDTH + ' ' + height, role: 'img',
    'aria-label': 'record ladder between ' + leftName + ' and ' + rightName + ', ' + records.length + ' records',
  });
  picture.append(
    svg('defs', {}, marker(arrowId)),
    svg('text', { x: LEFT, y: 16, class: 'lane-name', 'text-anchor': 'middle' }, leftName),
    svg('text', { x: RIGHT, y: 16, class: 'lane-name', 'text-anchor': 'middle' }, rightName),
    svg('line', { x1: LEFT, y1: 24, x2: LEFT, y2: height, class: 'lane' }),
    svg('line', { x1: RIGHT, y1: 24, x2: RIGHT, y2: height, class: 'lane' }),
  );
  shown.forEach((record, i) => {
    const y = 40 + i * STEP + 10;
    const fromLeft = record.direction === 'CLIENT_TO_SERVER';
    const type = TYPE_BYTE[record.contentType] !== undefined ? record.contentType : 'unknown';
    const group = svg('g', { class: 'record ct-' + type });
    group.append(
      svg('line', { x1: fromLeft ? LEFT + 2 : RIGHT - 2, y1: y, x2: fromLeft ? RIGHT - 8 : LEFT + 8, y2: y, 'marker-end': 'url(#' + arrowId + ')' }),
      svg('text', { x: (LEFT + RIGHT) / 2, y: y - 5, 'text-anchor': 'middle', class: 'record-label' },
        record.contentType + ' · ' + record.length + ' B'),
      svg('text', { x: (LEFT + RIGHT) / 2, y: y + 13, 'text-anchor': 'middle', class: 'record-hex' },
        recordHeaderHex(record)),
      svg('text', { x: 4, y: y + 4, class: 'record-time' }, '+' + record.offsetMillis + ' ms'),
    );
    group.append(svg('title', {}, (fromLeft ? leftName + ' → ' + rightName : rightName + ' → ' + leftName)
      + ': ' + record.contentType + ', ' + record.length + ' bytes, header ' + recordHeaderHex(record)));
    picture.append(group);
  });
  box.append(picture);
  const caption = el('figcaption', 'muted', records.length + ' records; ' + (observation.clientBytes ?? 0) + ' bytes from the '
    + leftName.toLowerCase() + ', ' + (observation.serverBytes ?? 0) + ' from the ' + rightName.toLowerCase() + '.');
  if (records.length > MAX_RECORDS) caption.append(' The first ' + MAX_RECORDS + ' are drawn.');
  box.append(caption);
  return box;
}

function marker(id) {
  return svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }));
}
