// The model registry: registered models with their aliases; one registered model's versions, a form to move an
// alias (which switches prediction traffic at once), and each alias's history.

import { api, ApiError } from '../api.js';
import { h, replace, problemBox, card, table, fmtDate, shortId, note } from '../dom.js';

export async function registryPage(main, ctx) {
  const page = await api('/registered-models?size=200', { signal: ctx.signal });
  if (!ctx.alive) {
    return;
  }
  const name = h('input', { type: 'text', id: 'new-registered-name', required: true,
    pattern: '[a-z0-9][a-z0-9_\\-]{0,99}', placeholder: 'iris-species' });
  const description = h('input', { type: 'text', id: 'new-registered-description', placeholder: 'optional' });
  const result = h('div');
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Model registry'),
    h('p', { class: 'subtitle' }, 'Stable names, numbered versions and movable aliases (such as champion) that '
      + 'clients predict through.')),
  card(null, page.items.length === 0 ? h('p', { class: 'empty' }, 'Nothing registered yet: register a model from '
    + 'its page, or create a name below.')
    : table(['Name', 'Description', 'Latest version', 'Aliases', 'Updated'], page.items.map((m) =>
      h('tr', { dataset: { name: m.name } },
        h('td', null, h('a', { href: '#/registry/' + encodeURIComponent(m.name), class: 'strong' }, m.name)),
        h('td', null, m.description || ''),
        h('td', { class: 'num' }, m.latestVersion ?? '—'),
        h('td', null, aliasChips(m.aliases)),
        h('td', null, fmtDate(m.updatedAt)))), { id: 'registry-table' })),
  card('Create a registered model', h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const body = { name: name.value.trim() };
      if (description.value.trim()) {
        body.description = description.value.trim();
      }
      await api('/registered-models', { method: 'POST', body });
      location.hash = '#/registry/' + encodeURIComponent(body.name);
    } catch (error) {
      if (ctx.alive) {
        replace(result, problemBox(error));
      }
    }
  } }, h('div', { class: 'inline-fields' }, h('label', { for: 'new-registered-name' }, 'Name'), name,
    h('label', { for: 'new-registered-description' }, 'Description'), description,
    h('button', { type: 'submit', class: 'button' }, 'Create')), result)));
}

function aliasChips(aliases) {
  const entries = Object.entries(aliases || {});
  return entries.length ? entries.map(([alias, version]) => h('span', { class: 'chip', dataset: { alias } },
    `${alias} → v${version}`)) : '—';
}

export async function registeredModelPage(main, ctx, [name]) {
  const base = '/registered-models/' + encodeURIComponent(name);
  const [model, versions] = await Promise.all([api(base, { signal: ctx.signal }),
    api(base + '/versions?size=500', { signal: ctx.signal })]);
  if (!ctx.alive) {
    return;
  }
  const aliases = Object.keys(model.aliases || {});
  const histories = await Promise.all(aliases.map((alias) => api(`${base}/aliases/${encodeURIComponent(alias)}`
    + '/history?size=100', { signal: ctx.signal }).catch((error) => error)));
  if (!ctx.alive) {
    return;
  }
  const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));

  const aliasInput = h('input', { type: 'text', id: 'alias-name', required: true, value: aliases[0] || 'champion',
    pattern: '[a-z][a-z0-9_\\-]{0,63}' });
  const versionSelect = h('select', { id: 'alias-version' }, versions.items.map((v) => h('option',
    { value: String(v.version) }, `version ${v.version}`)));
  const aliasResult = h('div', { id: 'alias-result' });
  const aliasForm = versions.items.length === 0 ? note('Add a version first (from a model\'s page).')
    : h('form', { class: 'inline-form', id: 'alias-form', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api(`${base}/aliases/${encodeURIComponent(aliasInput.value.trim())}`, { method: 'PUT',
          body: { version: Number(versionSelect.value) } });
        reload();
      } catch (error) {
        if (ctx.alive) {
          replace(aliasResult, problemBox(error));
        }
      }
    } }, h('p', { class: 'hint' }, 'Moving an alias switches the predictions made through it at once.'),
    h('div', { class: 'inline-fields' }, h('label', { for: 'alias-name' }, 'Alias'), aliasInput,
      h('label', { for: 'alias-version' }, 'points at'), versionSelect,
      h('button', { type: 'submit', class: 'button', id: 'alias-submit' }, 'Set alias')), aliasResult);

  replace(main, h('div', { class: 'page-head' }, h('div', null, h('div', { class: 'crumbs' },
    h('a', { href: '#/registry' }, 'Registry'), ' / '), h('h1', { id: 'registered-name' }, model.name),
  h('p', { class: 'subtitle' }, model.description || 'No description.'))),
  card('Aliases', aliases.length ? h('div', { class: 'chips', id: 'alias-chips' }, aliases.map((alias) =>
    h('span', { class: 'chip', dataset: { alias } }, `${alias} → v${model.aliases[alias]}`,
      h('button', { type: 'button', class: 'chip-remove', title: 'delete alias ' + alias, onclick: async () => {
        try {
          await api(`${base}/aliases/${encodeURIComponent(alias)}`, { method: 'DELETE' });
          reload();
        } catch (error) {
          if (ctx.alive) {
            replace(aliasResult, problemBox(error));
          }
        }
      } }, '×')))) : note('No aliases yet.'), aliasForm),
  card('Versions', versions.items.length === 0 ? h('p', { class: 'empty' }, 'No versions yet.')
    : table(['Version', 'Model', 'Aliases', 'Registered by', 'Registered'], versions.items.map((v) =>
      h('tr', { dataset: { version: String(v.version) } },
        h('td', { class: 'num strong' }, 'v' + v.version),
        h('td', null, h('a', { href: '#/models/' + v.modelId, class: 'mono' }, shortId(v.modelId))),
        h('td', null, (v.aliases || []).map((a) => h('span', { class: 'chip' }, a))),
        h('td', null, v.createdBy ? v.createdBy.keyName || v.createdBy.keyId : '—'),
        h('td', null, fmtDate(v.createdAt)))), { id: 'versions-table' })),
  card('Alias history', aliases.length === 0 ? note('No alias has been set.') : h('div', { id: 'alias-history' },
    aliases.map((alias, i) => {
      const history = histories[i];
      if (history instanceof ApiError || history instanceof Error) {
        return h('div', null, h('h3', null, alias), problemBox(history));
      }
      return h('div', null, h('h3', null, alias), table(['#', 'from', 'to', 'by', 'when'], history.items.map((e) =>
        h('tr', null, h('td', { class: 'num' }, e.sequence),
          h('td', null, e.fromVersion === null || e.fromVersion === undefined ? 'created' : 'v' + e.fromVersion),
          h('td', null, e.toVersion === null || e.toVersion === undefined ? 'deleted' : 'v' + e.toVersion),
          h('td', null, e.movedBy ? e.movedBy.keyName || e.movedBy.keyId : '—'),
          h('td', null, fmtDate(e.movedAt)))), { class: 'compact', dataset: { aliasHistory: alias } }));
    }))));
}
