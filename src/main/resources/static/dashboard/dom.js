// DOM helpers. Data never becomes markup: every value goes in as a text node or an attribute (never parsed as HTML), so a
// dataset name or a class label such as <img onerror=...> shows as the text it is.

import { ApiError, api } from './api.js';

export const COLORS = {
  primary: '#2563eb',
  primarySoft: 'rgba(37, 99, 235, 0.15)',
  train: '#2563eb',
  validation: '#f97316',
  accent: '#7c3aed',
  good: '#16a34a',
  bad: '#dc2626',
  muted: '#64748b',
  grid: '#e2e8f0',
  series: ['#2563eb', '#f97316', '#16a34a', '#7c3aed', '#db2777', '#0891b2', '#ca8a04', '#475569'],
};

/** h('div', {class: 'x', onclick: fn, dataset: {a: 1}}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name === 'class') {
        el.className = value;
      } else if (name === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (name.startsWith('on') && typeof value === 'function') {
        el.addEventListener(name.slice(2), value);
      } else if (name === 'value') {
        el.value = value;
      } else if (name === 'checked' || name === 'disabled' || name === 'selected' || name === 'required'
          || name === 'multiple' || name === 'hidden') {
        el[name] = Boolean(value);
      } else if (name === 'style') {
        throw new Error('no inline styles: use a class');
      } else {
        el.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

export function clear(el) {
  while (el.firstChild) {
    el.removeChild(el.firstChild);
  }
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

export function fmtNum(v, digits = 4) {
  if (v === null || v === undefined || v === '') {
    return '—';
  }
  if (typeof v !== 'number') {
    return String(v);
  }
  if (Number.isInteger(v) && Math.abs(v) < 1e15) {
    return v.toLocaleString('en-US');
  }
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) {
    return v.toExponential(2);
  }
  return Number(v.toPrecision(digits)).toString();
}

export function fmtPct(v) {
  return v === null || v === undefined ? '—' : (100 * v).toFixed(1) + '%';
}

export function fmtBytes(n) {
  if (n === null || n === undefined) {
    return '—';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

export function fmtDate(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined) {
    return '—';
  }
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return s + ' s';
  }
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '—';
}

export function badge(status) {
  return h('span', { class: 'badge badge-' + String(status || 'unknown').replace(/[^a-z_]/g, ''),
    dataset: { status: status || '' } }, status || 'unknown');
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}

/** A problem response (or any error) shown to the user: title, detail and the errors list. */
export function problemBox(error) {
  if (!(error instanceof ApiError)) {
    return h('div', { class: 'problem', role: 'alert' }, h('strong', null, 'Something went wrong'),
      h('p', null, error && error.message ? error.message : String(error)));
  }
  return h('div', { class: 'problem', role: 'alert', dataset: { status: String(error.status) } },
    h('strong', { class: 'problem-title' }, error.title),
    error.detail ? h('p', { class: 'problem-detail' }, error.detail) : null,
    error.errors.length ? h('ul', null, error.errors.map((e) => h('li', null,
      [e.field, e.row !== undefined && e.row !== null ? 'row ' + e.row : null, e.column].filter((x) => x !== undefined
        && x !== null).join(' · ') + (e.message ? ': ' + e.message : '')))) : null);
}

export function note(text) {
  return h('p', { class: 'note' }, text);
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', null, title) : null, ...children);
}

export function table(headers, rows, attrs) {
  // a column whose cells are all numbers gets a right-aligned heading too
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => r.children[i]
    && r.children[i].classList.contains('num')));
  return h('div', { class: 'table-wrap' }, h('table', attrs || null,
    h('thead', null, h('tr', null, headers.map((x, i) => h('th', { class: numeric[i] ? 'num' : null }, x)))),
    h('tbody', null, rows)));
}

/** A definition list from [term, value] pairs; value may be a node. */
export function definitions(pairs) {
  return h('dl', { class: 'definitions' }, pairs.filter((p) => p).map(([term, value]) => [h('dt', null, term),
    h('dd', null, value === null || value === undefined || value === '' ? '—' : value)]));
}

export function stat(label, value, attrs) {
  return h('div', Object.assign({ class: 'stat' }, attrs || {}), h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-label' }, label));
}

/**
 * The life of one rendered page: charts to destroy, timers to clear, streams to abort when the user navigates
 * away. Everything asynchronous checks alive before touching the DOM.
 */
export class PageContext {
  constructor() {
    this.controller = new AbortController();
    this.cleanups = [];
  }

  get signal() {
    return this.controller.signal;
  }

  get alive() {
    return !this.controller.signal.aborted;
  }

  onLeave(fn) {
    this.cleanups.push(fn);
  }

  every(ms, fn) {
    const id = setInterval(() => {
      if (this.alive) {
        fn();
      }
    }, ms);
    this.onLeave(() => clearInterval(id));
  }

  after(ms, fn) {
    const id = setTimeout(() => {
      if (this.alive) {
        fn();
      }
    }, ms);
    this.onLeave(() => clearTimeout(id));
  }

  /** A Chart.js chart on a new canvas, destroyed when the page is left. */
  chart(canvas, config) {
    if (!window.Chart) {
      throw new Error('Chart.js did not load');
    }
    const chart = new window.Chart(canvas, config);
    this.onLeave(() => chart.destroy());
    return chart;
  }

  leave() {
    this.controller.abort();
    for (const fn of this.cleanups.splice(0)) {
      try {
        fn();
      } catch (ignored) {
        // leaving a page must not fail
      }
    }
  }
}

/** A canvas in a sized box (Chart.js sizes itself to the box). */
export function chartBox(id, size = 'medium') {
  const canvas = h('canvas', { id, dataset: { points: '0' } });
  return { box: h('div', { class: 'chart chart-' + size }, canvas), canvas };
}

export const baseChartOptions = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { labels: { boxWidth: 12, color: '#334155' } } },
  scales: {
    x: { grid: { color: COLORS.grid }, ticks: { color: COLORS.muted } },
    y: { grid: { color: COLORS.grid }, ticks: { color: COLORS.muted } },
  },
};

/** Deep-enough merge of chart options (plain objects only). */
export function options(...parts) {
  const out = {};
  for (const part of parts) {
    merge(out, part);
  }
  return out;
}

function merge(target, source) {
  for (const [k, v] of Object.entries(source || {})) {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof v !== 'function') {
      target[k] = merge(target[k] && typeof target[k] === 'object' ? target[k] : {}, v);
    } else {
      target[k] = v;
    }
  }
  return target;
}

/**
 * A delete button: asks first, DELETEs path, then goes to the list at next; a refusal (409: a job uses the dataset,
 * a registered version points at the model) is shown in result with the server's detail.
 */
export function deleteButton(id, question, path, next, result) {
  const button = h('button', { type: 'button', class: 'button danger', id, onclick: async () => {
    if (!window.confirm(question)) {
      return;
    }
    button.disabled = true;
    try {
      await api(path, { method: 'DELETE' });
      location.hash = next;
    } catch (error) {
      replace(result, problemBox(error));
    } finally {
      button.disabled = false;
    }
  } }, 'Delete');
  return button;
}
