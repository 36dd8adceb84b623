// tamper.js — the Tamper section of the Control view: rewrite rules the proxy applies to plain
// HTTP and to HTTPS it decrypts (never to HTTPS it only tunnels). Rules are read with
// GET /api/rules and saved whole with PUT /api/rules; the server validates and answers 400 with
// the reason, shown as it is. Contract: tamperSection() returns an element that loads its data.

import { el, button } from './dom.js';
import { getJson, send } from './api.js';

export const BANNER_EXAMPLE = {
  name: 'banner', enabled: true, host: '*', phase: 'response', part: 'body', regex: false,
  match: '<body>',
  replace: '<body><div style="background:#b00020;color:#fff;padding:1em;font:bold 1.3em sans-serif;'
    + 'text-align:center">This page was changed by the proxy</div>',
};

const EMPTY = { name: '', enabled: true, host: '*', phase: 'response', part: 'body', match: '', replace: '', regex: false };

export function tamperSection() {
  const section = el('section', 'tamper');
  section.setAttribute('aria-labelledby', 'tamper-title');
  const title = el('h3', null, 'Tamper (rewrite rules)');
  title.id = 'tamper-title';
  const status = el('p', 'tamper-status');
  status.setAttribute('role', 'status');
  const table = el('table', 'rule-table');
  table.id = 'rule-table';
  const example = button('Add the example: inject a banner into plain HTTP pages', () => {
    const name = unique(BANNER_EXAMPLE.name);
    save(rules.concat([{ ...BANNER_EXAMPLE, name }]), 'Added the banner example: open any plain http:// page through the proxy.');
  }, 'example');
  example.id = 'add-banner-example';
  section.append(title,
    el('p', null, 'A man in the middle can change traffic, not only read it. A rule replaces text in the headers '
      + 'or the body of requests or responses for the hosts it names. It works on plain HTTP, and on HTTPS that '
      + 'Plainsight decrypts (the browser trusts its CA, so the proxy holds the keys and can change that too). '
      + 'HTTPS passed through as a sealed tunnel cannot be changed: the proxy sees only ciphertext.'),
    el('p', 'muted', 'Header rules see each header as one line "Name: value" (an empty result removes it, a new line '
      + 'adds one). Body rules work on uncompressed text up to 2 MiB; compressed bodies are left alone with a note. '
      + 'Changed flows are marked in the list and show before and after in their Tampered tab.'),
    table, example, ruleForm(), status);

  let rules = [];
  let editing = null;
  const form = section.querySelector('form');

  function unique(base) {
    let name = base;
    for (let i = 2; rules.some((r) => r.name === name); i++) name = base + ' ' + i;
    return name;
  }

  function render(list) {
    rules = list;
    const head = el('thead', null, el('tr', null, ...['On', 'Name', 'Hosts', 'Where', 'Match → replace', '']
      .map((h) => el('th', null, h))));
    const body = el('tbody');
    if (list.length === 0) {
      body.append(el('tr', null, el('td', 'muted', 'No rules: the proxy changes nothing.')));
      body.firstChild.firstChild.colSpan = 6;
    }
    list.forEach((rule, index) => {
      const on = el('input');
      on.type = 'checkbox';
      on.checked = rule.enabled;
      on.setAttribute('aria-label', 'rule ' + rule.name + ' enabled');
      on.addEventListener('change', () => save(rules.map((r, i) => i === index ? { ...r, enabled: on.checked } : r),
        'Rule ' + rule.name + (on.checked ? ' enabled.' : ' disabled.')));
      const row = el('tr', rule.enabled ? null : 'disabled',
        el('td', null, on), el('td', 'rule-name', rule.name), el('td', 'mono', rule.host),
        el('td', null, rule.phase + ' ' + rule.part),
        el('td', 'mono rule-text', el('span', null, rule.match), ' → ', el('span', null, rule.replace),
          rule.regex ? el('span', 'badge', 'regex') : ''),
        el('td', 'actions', button('Edit', () => edit(index), 'edit'),
          button('Delete', () => save(rules.filter((_, i) => i !== index), 'Deleted rule ' + rule.name + '.'), 'danger')));
      row.dataset.rule = rule.name;
      body.append(row);
    });
    table.replaceChildren(head, body);
  }

  function edit(index) {
    editing = index;
    fill(form, index === null ? EMPTY : rules[index]);
    form.querySelector('.save').textContent = index === null ? 'Add rule' : 'Save rule ' + rules[index].name;
    form.elements.namedItem('name').focus();
  }

  async function save(next, message) {
    status.textContent = 'saving…';
    try {
      render(await send('PUT', '/api/rules', next));
      status.textContent = message;
      return true;
    } catch (e) {
      status.textContent = e.status === 404 || e.status === 405
        ? 'Tamper rules are not available in this version of Plainsight.'
        : 'Not saved: ' + e.message;
      return false;
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const rule = read(form);
    const next = editing === null ? rules.concat([rule]) : rules.map((r, i) => i === editing ? rule : r);
    if (await save(next, 'Saved rule ' + rule.name + '.')) edit(null);
  });
  form.querySelector('.cancel').addEventListener('click', () => edit(null));
  getJson('/api/rules').then(render).catch((e) => {
    status.textContent = e.status === 404 ? 'Tamper rules are not available in this version of Plainsight.'
      : 'The rules could not be loaded: ' + e.message;
  });
  return section;
}

function field(label, input) {
  return el('label', 'rule-field', el('span', null, label), input);
}

function input(name, tag = 'input') {
  const node = el(tag);
  node.name = name;
  if (tag === 'textarea') node.rows = 2;
  return node;
}

function select(name, options) {
  const node = el('select');
  node.name = name;
  for (const value of options) {
    const option = el('option', null, value);
    option.value = value;
    node.append(option);
  }
  return node;
}

function ruleForm() {
  const form = el('form', 'rule-form');
  form.id = 'rule-form';
  const phase = select('phase', ['response', 'request']);
  const part = select('part', ['body', 'header']);
  const regex = input('regex');
  regex.type = 'checkbox';
  const enabled = input('enabled');
  enabled.type = 'checkbox';
  enabled.checked = true;
  const save = el('button', 'save', 'Add rule');
  save.type = 'submit';
  const hint = el('p', 'muted rule-hint');
  const explain = () => {
    const bodyOption = part.querySelector('option[value=body]');
    bodyOption.disabled = phase.value === 'request';
    if (phase.value === 'request' && part.value === 'body') part.value = 'header';
    hint.textContent = phase.value === 'request'
      ? 'Request rules change what the origin server receives (headers only: request bodies are forwarded as they arrive).'
      : 'Response rules change what the browser receives.';
  };
  phase.addEventListener('change', explain);
  explain();
  const name = input('name');
  name.required = true;
  name.placeholder = 'e.g. banner';
  const host = input('host');
  host.placeholder = '* or *.example.com';
  const match = input('match', 'textarea');
  match.required = true;
  match.placeholder = 'text to find, e.g. <body>';
  const replace = input('replace', 'textarea');
  replace.placeholder = 'what to put instead';
  form.append(el('div', 'rule-grid', field('Name', name), field('Hosts (glob)', host), field('Phase', phase),
    field('Part', part), field('Match', match), field('Replace with', replace),
    field('Regular expression', regex), field('Enabled', enabled)), hint,
    el('div', 'rule-buttons', save, button('Cancel', null, 'cancel')));
  return form;
}

function fill(form, rule) {
  const f = (n) => form.elements.namedItem(n);
  for (const name of ['name', 'host', 'phase', 'part', 'match', 'replace']) f(name).value = rule[name] ?? '';
  f('regex').checked = !!rule.regex;
  f('enabled').checked = rule.enabled !== false;
  f('phase').dispatchEvent(new Event('change'));
}

function read(form) {
  const f = (n) => form.elements.namedItem(n);
  return {
    name: f('name').value.trim(), enabled: f('enabled').checked, host: f('host').value.trim() || '*',
    phase: f('phase').value, part: f('part').value, match: f('match').value, replace: f('replace').value,
    regex: f('regex').checked,
  };
}
