// Training jobs: the list, and one job followed live: its event stream (read with fetch) moves the progress bar and
// adds a point to the loss curves at each epoch; when the stream ends or fails, the page polls the job instead.

import { api, followEvents } from '../api.js';
import { h, replace, problemBox, card, table, badge, fmtNum, fmtDate, fmtDuration, shortId, definitions, stat,
  chartBox, COLORS, baseChartOptions, options } from '../dom.js';

const FINISHED = ['succeeded', 'failed', 'cancelled'];

export async function jobsPage(main, ctx) {
  const list = h('div', { id: 'job-list' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Training jobs'),
    h('div', { class: 'head-actions' }, h('a', { href: '#/train', class: 'button' }, 'New training job'))),
  card(null, list));
  const load = async () => {
    const page = await api('/training-jobs?size=100', { signal: ctx.signal });
    if (!ctx.alive) {
      return;
    }
    if (!page.items.length) {
      replace(list, h('p', { class: 'empty' }, 'No training jobs yet. ', h('a', { href: '#/train' }, 'Start one.')));
      return page;
    }
    replace(list, table(['Job', 'Status', 'Algorithm', 'Target', 'Progress', 'Created', 'Took', 'Model'],
      page.items.map((job) => h('tr', { dataset: { jobId: job.id } },
        h('td', null, h('a', { href: '#/jobs/' + job.id, class: 'strong mono' }, shortId(job.id))),
        h('td', null, badge(job.status)),
        h('td', null, job.spec ? job.spec.algorithm : '—'),
        h('td', null, job.spec ? job.spec.target : '—'),
        h('td', null, progressCell(job)),
        h('td', null, fmtDate(job.createdAt)),
        h('td', { class: 'num' }, job.startedAt && job.finishedAt
          ? fmtDuration(Date.parse(job.finishedAt) - Date.parse(job.startedAt)) : '—'),
        h('td', null, job.modelId ? h('a', { href: '#/models/' + job.modelId, class: 'mono' }, shortId(job.modelId))
          : '—'))), { id: 'jobs-table' }));
    return page;
  };
  const page = await load();
  // the list follows running jobs while it is open
  if (page && page.items.some((j) => !FINISHED.includes(j.status))) {
    ctx.every(2000, () => load().catch(() => {}));
  }
}

function progressCell(job) {
  const p = job.progress || {};
  return h('div', { class: 'progress-cell' }, h('progress', { max: 1, value: p.fraction || 0 }),
    h('span', { class: 'hint' }, p.epochs ? `${p.epoch}/${p.epochs}` : ''));
}

export async function jobPage(main, ctx, [id]) {
  const path = '/training-jobs/' + encodeURIComponent(id);
  const [job, history] = await Promise.all([api(path, { signal: ctx.signal }),
    api(path + '/history', { signal: ctx.signal })]);
  if (!ctx.alive) {
    return;
  }
  const view = jobView(ctx, job);
  replace(main, view.root);
  view.update(job);
  view.setHistory(history);
  if (!FINISHED.includes(job.status)) {
    follow(ctx, path, view);
  }
}

/** Streams the job's events; falls back to polling when the stream cannot be had or ends early. */
async function follow(ctx, path, view) {
  let finished = false;
  const onEvent = (name, data) => {
    if (!ctx.alive) {
      return;
    }
    if (name === 'status') {
      view.status(data.status);
      if (FINISHED.includes(data.status)) {
        finished = true;
      }
    } else if (name === 'progress') {
      view.progress(data);
    } else if (name === 'epoch') {
      view.epoch(data);
    }
  };
  view.live('live (event stream)');
  const why = await followEvents(path + '/events', onEvent, ctx);
  if (why === null) {
    return;
  }
  if (finished) {
    await refresh(ctx, path, view);
    return;
  }
  view.live(`polling (${why})`);
  const poll = async () => {
    if (!ctx.alive) {
      return;
    }
    try {
      if (await refresh(ctx, path, view)) {
        return;
      }
    } catch (error) {
      if (!ctx.alive || error.status === 401) {
        return;
      }
    }
    ctx.after(1000, poll);
  };
  poll();
}

/** Reads the job and its history again; true once the job has finished. */
async function refresh(ctx, path, view) {
  const [job, history] = await Promise.all([api(path, { signal: ctx.signal }),
    api(path + '/history', { signal: ctx.signal })]);
  if (!ctx.alive) {
    return true;
  }
  view.update(job);
  view.setHistory(history);
  if (FINISHED.includes(job.status)) {
    view.live(null);
    return true;
  }
  return false;
}

function jobView(ctx, job) {
  const statusBox = h('span', { id: 'job-status' });
  const liveBox = h('span', { class: 'live', id: 'job-live' });
  const bar = h('progress', { id: 'job-progress', max: 1, value: 0 });
  const epochStat = stat('epoch', '—', { id: 'job-epoch' });
  const trainStat = stat('train loss', '—', { id: 'job-train-loss' });
  const validationStat = stat('validation loss', '—');
  const etaStat = stat('time left', '—');
  const stageBox = h('span', { class: 'hint', id: 'job-stage' });
  const resultBox = h('div', { id: 'job-result' });
  const cancel = h('button', { type: 'button', class: 'button danger', id: 'job-cancel', onclick: async () => {
    cancel.disabled = true;
    try {
      const after = await api(`/training-jobs/${encodeURIComponent(job.id)}/cancel`, { method: 'POST' });
      if (ctx.alive) {
        view.update(after);
      }
    } catch (error) {
      if (ctx.alive) {
        replace(resultBox, problemBox(error));
      }
    }
  } }, 'Cancel');
  const { box: lossBox, canvas } = chartBox('loss-chart', 'large');
  const chart = ctx.chart(canvas, {
    type: 'line',
    data: { datasets: [
      { label: 'train loss', data: [], borderColor: COLORS.train, backgroundColor: COLORS.train, pointRadius: 0,
        borderWidth: 2, tension: 0.1 },
      { label: 'validation loss', data: [], borderColor: COLORS.validation, backgroundColor: COLORS.validation,
        pointRadius: 0, borderWidth: 2, tension: 0.1, spanGaps: true },
    ] },
    options: options(baseChartOptions, {
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: { type: 'linear', title: { display: true, text: 'epoch', color: COLORS.muted } },
        y: { title: { display: true, text: 'loss', color: COLORS.muted } } },
    }),
  });
  const spec = job.spec || {};
  const root = h('div', null,
    h('div', { class: 'page-head' },
      h('div', null, h('div', { class: 'crumbs' }, h('a', { href: '#/jobs' }, 'Training jobs'), ' / '),
        h('h1', null, `${spec.algorithm || 'Training job'} → ${spec.target || ''}`),
        h('p', { class: 'subtitle' }, 'job ', h('code', null, job.id), ' · ', statusBox, ' ', liveBox)),
      h('div', { class: 'head-actions' }, cancel)),
    h('div', { class: 'progress-row' }, bar, stageBox),
    h('div', { class: 'stats' }, epochStat, trainStat, validationStat, etaStat),
    resultBox,
    card('Loss per epoch', lossBox, h('p', { class: 'hint', id: 'loss-points' })),
    card('Spec', definitions([
      ['dataset', spec.datasetId ? h('a', { href: '#/datasets/' + spec.datasetId, class: 'mono' },
        shortId(spec.datasetId)) : '—'],
      ['target', spec.target],
      ['task', spec.task],
      ['algorithm', spec.algorithm],
      ['features', Array.isArray(spec.features) ? spec.features.join(', ') : 'all other columns'],
      ['hyperparameters', h('div', { class: 'hp-list' }, Object.entries(spec.hyperparameters || {})
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => h('span', { class: 'hp-item' }, h('span', { class: 'hp-name' }, k), ' ',
          typeof v === 'object' ? JSON.stringify(v) : String(v))))],
      ['test fraction', fmtNum(spec.testFraction)],
      ['validation fraction', fmtNum(spec.validationFraction)],
      ['cross-validation', spec.crossValidation ? JSON.stringify(spec.crossValidation) : 'none'],
      ['seed', spec.seed],
      ['created', fmtDate(job.createdAt)],
      ['attempt', job.attempt],
    ])));

  const train = chart.data.datasets[0].data;
  const validation = chart.data.datasets[1].data;
  let redraw = null;
  const draw = () => {
    if (redraw) {
      return;
    }
    // at most one redraw per frame however fast epochs arrive
    redraw = requestAnimationFrame(() => {
      redraw = null;
      if (ctx.alive) {
        chart.update('none');
      }
    });
  };
  ctx.onLeave(() => redraw && cancelAnimationFrame(redraw));
  const countPoints = () => {
    canvas.dataset.points = String(train.length);
    document.getElementById('loss-points').textContent = train.length
      ? `${train.length} epoch${train.length === 1 ? '' : 's'} plotted` : 'No epoch finished yet.';
  };

  const view = {
    root,
    status(status) {
      replace(statusBox, badge(status));
      cancel.hidden = FINISHED.includes(status);
    },
    live(text) {
      liveBox.textContent = text || '';
      liveBox.hidden = !text;
    },
    progress(p) {
      bar.value = p.fraction || 0;
      epochStat.firstChild.textContent = p.epochs ? `${p.epoch} / ${p.epochs}` : '—';
      trainStat.firstChild.textContent = fmtNum(p.trainLoss);
      validationStat.firstChild.textContent = fmtNum(p.validationLoss);
      etaStat.firstChild.textContent = p.etaMs === null || p.etaMs === undefined ? '—' : fmtDuration(p.etaMs);
      stageBox.textContent = p.stage ? 'stage: ' + p.stage : '';
      if (p.status) {
        view.status(p.status);
      }
    },
    /** One epoch from the stream; an epoch number that goes back starts a new stage (a fold, the final model). */
    epoch(e) {
      const last = train.length ? train[train.length - 1].x : 0;
      if (e.epoch < last) {
        train.length = 0;
        validation.length = 0;
      } else if (e.epoch === last) {
        train.pop();
        validation.pop();
      }
      train.push({ x: e.epoch, y: e.trainLoss });
      validation.push({ x: e.epoch, y: e.validationLoss });
      countPoints();
      draw();
    },
    setHistory(history) {
      train.length = 0;
      validation.length = 0;
      for (const e of history || []) {
        view.epoch(e);
      }
      countPoints();
      draw();
    },
    update(j) {
      view.status(j.status);
      if (j.progress) {
        view.progress(Object.assign({}, j.progress, { status: j.status }));
      }
      if (j.status === 'succeeded' && j.modelId) {
        replace(resultBox, h('div', { class: 'callout success' }, 'Trained in ',
          fmtDuration(j.progress ? j.progress.elapsedMs : null), '. ',
          h('a', { href: '#/models/' + j.modelId, id: 'job-model-link', class: 'button small' }, 'Open the model')));
      } else if (j.status === 'failed' && j.error) {
        replace(resultBox, h('div', { class: 'problem' }, h('strong', null, j.error.title || 'Training failed'),
          h('p', null, j.error.detail || '')));
      } else if (j.status === 'cancelled') {
        replace(resultBox, h('div', { class: 'callout' }, 'Cancelled.'));
      }
    },
  };
  view.live(null);
  return view;
}
