// Hyperparameter searches: the list with a form to start one, and one search: trial i of n, the leaderboard (polled
// while it runs) with the best trial highlighted, and the best model once it is trained.

import { api, followEvents } from '../api.js';
import { h, replace, problemBox, card, table, badge, fmtNum, fmtDate, fmtDuration, shortId, definitions, stat,
  chartBox, COLORS, baseChartOptions, options } from '../dom.js';

const FINISHED = ['succeeded', 'failed', 'cancelled'];

export async function tuningListPage(main, ctx) {
  const [page, datasets] = await Promise.all([api('/tuning-jobs?size=100', { signal: ctx.signal }),
    api('/datasets?size=200', { signal: ctx.signal })]);
  if (!ctx.alive) {
    return;
  }
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Tuning jobs'),
    h('p', { class: 'subtitle' }, 'Hyperparameter searches: every trial scored by cross-validation on the same '
      + 'folds, the best one trained as a model.')),
  card(null, page.items.length === 0 ? h('p', { class: 'empty', id: 'tuning-table-empty' }, 'No searches yet.')
    : table(['Search', 'Status', 'Algorithm', 'Target', 'Trials', 'Best score', 'Created', 'Best model'],
      page.items.map((t) => {
        const p = t.progress || {};
        return h('tr', { dataset: { tuningId: t.id } },
          h('td', null, h('a', { href: '#/tuning/' + t.id, class: 'strong mono' }, shortId(t.id))),
          h('td', null, badge(t.status)),
          h('td', null, t.spec ? t.spec.algorithm : '—'),
          h('td', null, t.spec ? t.spec.target : '—'),
          h('td', { class: 'num' }, `${p.trial ?? 0} / ${p.trials ?? '?'}`),
          h('td', { class: 'num' }, p.bestScore === null || p.bestScore === undefined ? '—'
            : `${fmtNum(p.bestScore)} ${p.metric || ''}`),
          h('td', null, fmtDate(t.createdAt)),
          h('td', null, t.bestModelId ? h('a', { href: '#/models/' + t.bestModelId, class: 'mono' },
            shortId(t.bestModelId)) : '—'));
      }), { id: 'tuning-table' })),
  card('Start a search', startForm(ctx, datasets.items)));
}

function startForm(ctx, datasets) {
  if (!datasets.length) {
    return h('p', { class: 'empty' }, 'Upload a dataset first.');
  }
  const dataset = h('select', { id: 'tuning-dataset' }, datasets.map((d) => h('option', { value: d.id }, d.name)));
  const result = h('div', { id: 'tuning-result' });
  const target = h('select', { id: 'tuning-target', required: true });
  const fillTargets = async () => {
    const id = dataset.value;
    const chosen = await api('/datasets/' + encodeURIComponent(id), { signal: ctx.signal });
    if (ctx.alive && dataset.value === id) {
      replace(target, chosen.columns.map((c) => h('option', { value: c.name }, `${c.name} (${c.type})`)));
      target.value = chosen.columns[chosen.columns.length - 1].name;
    }
  };
  dataset.addEventListener('change', () => fillTargets().catch((error) => ctx.alive
    && replace(result, problemBox(error))));
  fillTargets().catch((error) => ctx.alive && replace(result, problemBox(error)));
  const algorithm = h('select', { id: 'tuning-algorithm' }, ['logistic_regression', 'linear_regression', 'linear_svm',
    'svm', 'mlp'].map((a) => h('option', { value: a }, a)));
  const strategy = h('select', { id: 'tuning-strategy' }, h('option', { value: 'grid' }, 'grid'),
    h('option', { value: 'random' }, 'random'));
  const trials = h('input', { type: 'number', id: 'tuning-trials', min: 1, max: 200, placeholder: '10 (random)' });
  const folds = h('input', { type: 'number', id: 'tuning-folds', min: 2, max: 10, placeholder: '3' });
  const space = h('textarea', { id: 'tuning-space', rows: 3, placeholder: '{"C": [0.1, 1, 10]}' });
  return h('form', { id: 'tuning-form', onsubmit: async (e) => {
    e.preventDefault();
    let body;
    try {
      body = { datasetId: dataset.value, target: target.value, algorithm: algorithm.value,
        strategy: strategy.value, space: JSON.parse(space.value || '{}') };
      if (trials.value) {
        body.trials = Number(trials.value);
      }
      if (folds.value) {
        body.folds = Number(folds.value);
      }
    } catch (error) {
      replace(result, problemBox(new Error('The search space must be JSON: ' + error.message)));
      return;
    }
    try {
      const job = await api('/tuning-jobs', { method: 'POST', body });
      location.hash = '#/tuning/' + job.id;
    } catch (error) {
      if (ctx.alive) {
        replace(result, problemBox(error));
      }
    }
  } },
  h('div', { class: 'form-grid' },
    h('div', { class: 'field' }, h('label', { for: 'tuning-dataset' }, 'Dataset'), dataset),
    h('div', { class: 'field' }, h('label', { for: 'tuning-target' }, 'Target'), target),
    h('div', { class: 'field' }, h('label', { for: 'tuning-algorithm' }, 'Algorithm'), algorithm),
    h('div', { class: 'field' }, h('label', { for: 'tuning-strategy' }, 'Strategy'), strategy),
    h('div', { class: 'field' }, h('label', { for: 'tuning-trials' }, 'Trials'), trials),
    h('div', { class: 'field' }, h('label', { for: 'tuning-folds' }, 'Folds'), folds)),
  h('div', { class: 'field field-wide' }, h('label', { for: 'tuning-space' }, 'Search space (JSON: a list of values '
    + 'per hyperparameter, or {"min", "max", "log"} for random search)'), space),
  h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button', id: 'tuning-submit' },
    'Start search')),
  result);
}

export async function tuningJobPage(main, ctx, [id]) {
  const path = '/tuning-jobs/' + encodeURIComponent(id);
  const statusBox = h('span');
  const live = h('span', { class: 'live', id: 'tuning-live' });
  const bar = h('progress', { id: 'tuning-progress', max: 1, value: 0 });
  const stats = h('div', { class: 'stats' });
  const best = h('div', { id: 'tuning-best' });
  const board = h('div', { id: 'leaderboard' });
  const { box: scoreBox, canvas } = chartBox('trials-chart', 'medium');
  const specBox = h('div');
  const subtitle = h('p', { class: 'subtitle' });
  const title = h('h1');
  replace(main, h('div', { class: 'page-head' }, h('div', null, h('div', { class: 'crumbs' },
    h('a', { href: '#/tuning' }, 'Tuning jobs'), ' / '), title, subtitle)),
  h('div', { class: 'progress-row' }, bar, statusBox, live), stats, best,
  h('div', { class: 'grid-2' }, card('Score per trial', scoreBox), card('Search', specBox)),
  card('Leaderboard', board));
  const chart = ctx.chart(canvas, { type: 'scatter', data: { datasets: [
    { label: 'cross-validated score', data: [], pointRadius: 5, backgroundColor: COLORS.primary },
    { label: 'best', data: [], pointRadius: 8, backgroundColor: COLORS.validation },
  ] }, options: options(baseChartOptions, { scales: {
    x: { type: 'linear', title: { display: true, text: 'trial', color: COLORS.muted }, ticks: { precision: 0 } },
    y: { title: { display: true, text: 'score', color: COLORS.muted } } } }) });

  const load = async () => {
    const [job, trials] = await Promise.all([api(path, { signal: ctx.signal }),
      api(path + '/leaderboard', { signal: ctx.signal })]);
    if (!ctx.alive) {
      return true;
    }
    const spec = job.spec || {};
    const p = job.progress || {};
    title.textContent = `Search: ${spec.algorithm || ''} → ${spec.target || ''}`;
    replace(subtitle, 'search ', h('code', null, job.id), ` · ${spec.strategy || ''} · ${spec.folds || '?'} folds · `
      + `metric ${spec.metric || p.metric || '?'}`);
    replace(statusBox, badge(job.status), ` trial ${p.trial ?? 0} of ${p.trials ?? '?'}`);
    bar.value = p.fraction || 0;
    replace(stats, stat('best score', fmtNum(p.bestScore)), stat('metric', p.metric || '—'),
      stat('trials', `${p.trial ?? 0} / ${p.trials ?? '?'}`), stat('created', fmtDate(job.createdAt)));
    const top = trials.find((t) => t.rank === 1);
    replace(best, top ? h('div', { class: 'callout success', id: 'best-trial' }, h('strong', null,
      `Best trial: #${top.trial}`), ` ${p.metric || 'score'} ${fmtNum(top.score)} ± ${fmtNum(top.std, 2)} with `,
    h('code', null, JSON.stringify(top.hyperparameters)), job.bestModelId ? [' · ',
      h('a', { href: '#/models/' + job.bestModelId, id: 'best-model-link' }, 'open the best model')] : '')
      : null, job.error ? h('div', { class: 'problem' }, h('strong', null, job.error.title || 'Search failed'),
      h('p', null, job.error.detail || '')) : null);
    replace(specBox, definitions([['dataset', spec.datasetId ? h('a', { href: '#/datasets/' + spec.datasetId,
      class: 'mono' }, shortId(spec.datasetId)) : '—'], ['space', h('code', { class: 'json' },
      JSON.stringify(spec.space || {}))], ['fixed', h('code', { class: 'json' },
      JSON.stringify(spec.hyperparameters || {}))], ['time budget', spec.timeBudgetSeconds ? spec.timeBudgetSeconds
      + ' s' : '—'], ['seed', spec.seed]]));
    leaderboard(board, trials);
    const scored = trials.filter((t) => typeof t.score === 'number');
    chart.data.datasets[0].data = scored.map((t) => ({ x: t.trial, y: t.score }));
    chart.data.datasets[1].data = top && typeof top.score === 'number' ? [{ x: top.trial, y: top.score }] : [];
    canvas.dataset.points = String(scored.length);
    chart.update('none');
    return FINISHED.includes(job.status);
  };
  const done = await load();
  if (!done) {
    follow(ctx, path, load, live);
  }
}

/**
 * Follows a running search on its event stream: each trial, progress or status event reloads the job and its
 * leaderboard (at most one reload at a time); when the stream ends or fails, polling takes over until it finishes.
 */
async function follow(ctx, path, load, live) {
  let loading = null;
  let again = false;
  const reload = () => {
    if (loading) {
      again = true;
      return;
    }
    loading = load().catch(() => false).finally(() => {
      loading = null;
      if (again && ctx.alive) {
        again = false;
        reload();
      }
    });
  };
  live.textContent = 'live (event stream)';
  const why = await followEvents(path + '/events', () => ctx.alive && reload(), ctx);
  if (why === null) {
    return;
  }
  if (loading) {
    await loading;
  }
  const poll = async () => {
    try {
      if (await load()) {
        live.textContent = '';
        return;
      }
    } catch (error) {
      if (!ctx.alive || error.status === 401) {
        return;
      }
    }
    live.textContent = `polling (${why})`;
    ctx.after(1500, poll);
  };
  poll();
}

function leaderboard(board, trials) {
  if (!trials.length) {
    replace(board, h('p', { class: 'empty' }, 'No trial has finished yet.'));
    return;
  }
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.hyperparameters || {})))];
  replace(board, table(['rank', 'trial'].concat(names, ['score', '± std', 'status', 'time']), trials.map((t) =>
    h('tr', { class: t.rank === 1 ? 'best' : null, dataset: { trial: String(t.trial) } },
      h('td', { class: 'num strong' }, t.rank ?? '—'),
      h('td', { class: 'num' }, '#' + t.trial),
      names.map((n) => h('td', null, t.hyperparameters && n in t.hyperparameters
        ? (typeof t.hyperparameters[n] === 'object' ? JSON.stringify(t.hyperparameters[n])
          : String(t.hyperparameters[n])) : '—')),
      h('td', { class: 'num' }, fmtNum(t.score)),
      h('td', { class: 'num' }, fmtNum(t.std, 2)),
      h('td', null, t.error ? h('span', { title: t.error }, t.status) : t.status),
      h('td', { class: 'num' }, fmtDuration(t.elapsedMs)))), { id: 'leaderboard-table' }));
}
