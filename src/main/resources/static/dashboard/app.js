// The dashboard: hash routes (#/datasets, #/models/{id}, ...) so pages can be linked and reloaded, the API key asked
// once and kept in sessionStorage, and one page at a time whose streams, timers and charts end when it is left.

import { apiKey, setApiKey, forgetApiKey, whenUnauthorized, api } from './api.js';
import { h, replace, problemBox, PageContext } from './dom.js';
import { datasetsPage, datasetPage } from './pages/datasets.js';
import { trainPage } from './pages/train.js';
import { jobsPage, jobPage } from './pages/jobs.js';
import { modelsPage, modelPage } from './pages/models.js';
import { tuningListPage, tuningJobPage } from './pages/tuning.js';
import { registryPage, registeredModelPage } from './pages/registry.js';

// errors that escape the pages, kept where a test (or a curious user in the console) can read them
window.dashboardErrors = [];
window.addEventListener('error', (e) => window.dashboardErrors.push(String(e.message || e.error)));
window.addEventListener('unhandledrejection', (e) => window.dashboardErrors.push(String(e.reason && e.reason.message
  ? e.reason.message : e.reason)));
document.addEventListener('securitypolicyviolation', (e) => window.dashboardErrors.push('CSP: ' + e.violatedDirective
  + ' ' + e.blockedURI));

const main = document.getElementById('main');
const forgetButton = document.getElementById('forget-key');
let current = null;

const routes = [
  [/^\/?$/, 'datasets', () => datasetsPage],
  [/^\/datasets$/, 'datasets', () => datasetsPage],
  [/^\/datasets\/([^/]+)$/, 'dataset', () => datasetPage],
  [/^\/train$/, 'train', () => trainPage],
  [/^\/jobs$/, 'jobs', () => jobsPage],
  [/^\/jobs\/([^/]+)$/, 'job', () => jobPage],
  [/^\/models$/, 'models', () => modelsPage],
  [/^\/models\/([^/]+)$/, 'model', () => modelPage],
  [/^\/tuning$/, 'tuning', () => tuningListPage],
  [/^\/tuning\/([^/]+)$/, 'tuning-job', () => tuningJobPage],
  [/^\/registry$/, 'registry', () => registryPage],
  [/^\/registry\/([^/]+)$/, 'registered-model', () => registeredModelPage],
];

const sections = { dataset: 'datasets', job: 'jobs', model: 'models', 'tuning-job': 'tuning',
  'registered-model': 'registry' };

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  return { path, query };
}

async function render() {
  if (current) {
    current.leave();
    current = null;
  }
  main.dataset.ready = 'false';
  if (!apiKey()) {
    showKeyForm(null);
    return;
  }
  forgetButton.hidden = false;
  const { path, query } = parseHash();
  const route = routes.find(([pattern]) => pattern.test(path));
  const ctx = new PageContext();
  current = ctx;
  if (!route) {
    setSection('none', 'none');
    replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Not found')),
      h('p', null, 'No page at this address. ', h('a', { href: '#/datasets' }, 'Go to the datasets.')));
    main.dataset.ready = 'true';
    return;
  }
  const [pattern, name, page] = route;
  const params = path.match(pattern).slice(1).map(decodeURIComponent);
  setSection(name, sections[name] || name);
  replace(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    await page()(main, ctx, params, query);
  } catch (error) {
    if (!ctx.alive) {
      return;
    }
    if (error && error.status === 401) {
      return; // the key form is already shown
    }
    replace(main, problemBox(error));
  }
  if (ctx.alive) {
    main.dataset.ready = 'true';
    const heading = main.querySelector('h1');
    document.title = heading ? `${heading.textContent} · fitserve` : 'fitserve';
  }
}

function setSection(page, section) {
  document.body.dataset.page = page;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.section === section);
  }
}

/** The small form that asks for the key: once per browser tab, and again after a 401. */
function showKeyForm(problem) {
  if (current) {
    current.leave();
    current = null;
  }
  forgetButton.hidden = true;
  setSection('key', 'none');
  const input = h('input', { id: 'key-input', type: 'password', autocomplete: 'off', required: true,
    placeholder: 'fsk_… or the admin key', 'aria-label': 'API key' });
  const error = h('div', { id: 'key-error' }, problem ? problemBox(problem) : null);
  const form = h('form', { class: 'key-form', id: 'key-form', onsubmit: async (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) {
      return;
    }
    setApiKey(key);
    try {
      // any key may list models (admin, trainer, predictor): a cheap check that the key is known
      await api('/models?size=1');
    } catch (failure) {
      if (failure.status !== 401) {
        replace(error, problemBox(failure));
      }
      return;
    }
    render();
  } },
  h('h1', null, 'API key'),
  h('p', null, 'Every call to the API needs a key. It is kept in this tab\'s session storage only (gone when the tab '
    + 'closes) and sent as an Authorization header, never in a URL.'),
  h('label', { for: 'key-input' }, 'Key'),
  input,
  h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button', id: 'key-save' }, 'Use this key')),
  error);
  replace(main, h('div', { class: 'key-page' }, form));
  main.dataset.ready = 'true';
  input.focus();
}

whenUnauthorized((problem) => {
  forgetApiKey();
  showKeyForm(problem);
});

forgetButton.addEventListener('click', () => {
  forgetApiKey();
  showKeyForm(null);
});

window.addEventListener('hashchange', render);
render();
