// Models: the list, and one model as a data scientist reads it: metrics per split, the confusion matrix as a heat
// map, ROC and precision-recall curves with the chosen threshold marked, residuals for regression, feature
// importance, hyperparameters and provenance, a form to predict one row, and registering it in the registry.

import { api, apiOptional, download, ApiError } from '../api.js';
import { h, replace, problemBox, card, table, fmtNum, fmtPct, fmtDate, fmtBytes, fmtDuration, shortId, definitions,
  stat, note, chartBox, deleteButton, COLORS, baseChartOptions, options } from '../dom.js';

export async function modelsPage(main, ctx) {
  const page = await api('/models?size=200', { signal: ctx.signal });
  if (!ctx.alive) {
    return;
  }
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Models'),
    h('p', { class: 'subtitle' }, 'Every trained model, newest first.')),
  card(null, page.items.length === 0 ? h('p', { class: 'empty' }, 'No models yet. ',
    h('a', { href: '#/train' }, 'Train one.'))
    : table(['Model', 'Algorithm', 'Task', 'Target', 'Dataset', 'Trained'], page.items.map((m) =>
      h('tr', { dataset: { modelId: m.id } },
        h('td', null, h('a', { href: '#/models/' + m.id, class: 'strong mono' }, shortId(m.id))),
        h('td', null, m.algorithm),
        h('td', null, h('span', { class: 'type' }, m.task)),
        h('td', null, m.target),
        h('td', null, h('a', { href: '#/datasets/' + m.datasetId, class: 'mono' }, shortId(m.datasetId))),
        h('td', null, fmtDate(m.createdAt)))), { id: 'models-table' })));
}

const CLASSIFICATION_METRICS = ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'logLoss', 'rocAuc',
  'prAuc'];
const REGRESSION_METRICS = ['r2', 'rmse', 'mse', 'mae', 'medianAbsoluteError', 'explainedVariance'];

export async function modelPage(main, ctx, [id]) {
  const path = '/models/' + encodeURIComponent(id);
  const model = await api(path, { signal: ctx.signal });
  if (!ctx.alive) {
    return;
  }
  const classification = model.task === 'classification';
  const clustering = model.task === 'clustering';
  const metrics = model.metrics || {};
  const labels = model.classLabels || [];
  const binary = classification && labels.length === 2;
  const threshold = { value: typeof model.decisionThreshold === 'number' ? model.decisionThreshold : 0.5,
    listeners: [] };

  const deleteResult = h('div', { id: 'model-delete-result' });
  const importanceBox = h('div', { id: 'feature-importance' }, h('p', { class: 'loading' }, 'Loading…'));
  const residualsBox = h('div', { id: 'residuals' }, h('p', { class: 'loading' }, 'Loading…'));
  const fairnessBox = h('div', { id: 'fairness' }, h('p', { class: 'loading' }, 'Loading…'));
  const compressible = COMPRESSIBLE.includes(model.algorithm);
  const compressionBox = h('div', { id: 'compressions' }, h('p', { class: 'loading' }, 'Loading…'));
  const headline = clustering ? [['k', 'k'], ['silhouette', 'silhouette'], ['Davies-Bouldin', 'daviesBouldin']]
    : classification
    ? [['accuracy', 'accuracy'], ['macro F1', 'f1'], [binary ? 'ROC AUC' : 'balanced accuracy',
      binary ? 'rocAuc' : 'balancedAccuracy']]
    : [['R²', 'r2'], ['RMSE', 'rmse'], ['MAE', 'mae']];
  const scored = clustering ? metrics.clustering || {} : metrics.test || metrics.validation || {};
  const prov = model.provenance || {};

  replace(main,
    h('div', { class: 'page-head' },
      h('div', null, h('div', { class: 'crumbs' }, h('a', { href: '#/models' }, 'Models'), ' / '),
        h('h1', { id: 'model-title' }, `${model.algorithm} → ${clustering ? 'clusters' : model.target}`),
        h('p', { class: 'subtitle' }, h('span', { class: 'type' }, model.task), ' · model ', h('code', null, model.id),
          ' · trained ', fmtDate(model.createdAt))),
      h('div', { class: 'head-actions' }, exportButton(model),
        model.trainingJobId ? h('a', { href: '#/jobs/' + model.trainingJobId, class: 'button subtle' }, 'Job')
          : null,
        deleteButton('model-delete', 'Delete this model and its artifact?', path, '#/models', deleteResult))),
    deleteResult,
    h('div', { class: 'stats' }, headline.map(([label, key]) => stat(label + (clustering ? ''
      : metrics.test ? ' (test)' : ' (validation)'), fmtNum(scored[key]))),
    stat('rows train / val / test', prov.rows ? `${prov.rows.train} / ${prov.rows.validation} / ${prov.rows.test}`
      : '—'),
    stat('features', model.features ? model.features.length : '—')),
    h('div', { class: 'grid-2' },
      clustering ? card('Clusters', clustersSection(metrics.clustering || {})) : card('Metrics',
        metricsTable(metrics, classification),
        metrics.refit && metrics.refit.note ? h('p', { id: 'refit-note', class: 'subtitle' }, metrics.refit.note)
          : null),
      card('Predict one row', predictForm(ctx, model, threshold))),
    classification ? card('Confusion matrix', confusionSection(metrics, labels)) : null,
    classification ? perClassCard(metrics) : null,
    binary ? card('ROC and precision-recall curves', curvesSection(ctx, model, metrics, threshold)) : null,
    classification || clustering ? null : card('Residuals: predicted against actual', residualsBox),
    card('Feature importance', importanceBox),
    classification ? card('Fairness across groups', fairnessBox) : null,
    compressible ? card('Compression', compressionBox) : null,
    h('div', { class: 'grid-2' },
      card('Hyperparameters', hyperparameterList(model.hyperparameters)),
      card('Provenance', provenanceList(model))),
    card('Register in the model registry', registerForm(ctx, model)));

  const importance = loadImportance(ctx, path, importanceBox);
  const residuals = classification || clustering ? Promise.resolve()
    : apiOptional(path + '/residuals', [404, 409], { signal: ctx.signal })
      .then((report) => ctx.alive && replace(residualsBox, residualsSection(ctx, report)))
      .catch((error) => ctx.alive && replace(residualsBox, problemBox(error)));
  const fairness = classification ? loadFairness(ctx, model, fairnessBox) : Promise.resolve();
  const compressions = compressible ? loadCompressions(ctx, model, compressionBox) : Promise.resolve();
  await Promise.all([importance, residuals, fairness, compressions]);
}

// Compression: the algorithms whose weights are quantised (the others answer 409).
const COMPRESSIBLE = ['linear_regression', 'logistic_regression', 'linear_svm', 'mlp'];

// The model's compressions (precision, artifact size before and after, ratios, agreement on the test split, a link
// to the new model) and a form that makes another (POST /models/{id}/compressions); a compressed model names its
// original instead.
function loadCompressions(ctx, model, box) {
  const from = (model.provenance || {}).compressedFrom;
  if (from) {
    replace(box, h('p', { id: 'compressed-from' }, `The weights of this model are ${from.precision}, quantised from `,
      h('a', { href: '#/models/' + from.modelId, class: 'mono' }, shortId(from.modelId)), ` on ${fmtDate(
        from.compressedAt)}; the comparison is on the original's page.`));
    return Promise.resolve();
  }
  const path = `/models/${encodeURIComponent(model.id)}/compressions`;
  return apiOptional(path, [404], { signal: ctx.signal })
    .then((list) => ctx.alive && replace(box, compressionSection(ctx, model, box, list || [])))
    .catch((error) => ctx.alive && replace(box, problemBox(error)));
}

function agreementText(a) {
  if (!a) {
    return '—';
  }
  if (a.labelAgreement !== undefined) {
    return `${fmtPct(a.labelAgreement)} same labels on ${fmtNum(a.rows)} test rows · max |Δp| `
      + fmtNum(a.maxProbabilityDifference);
  }
  return `R² ${fmtNum(a.r2, 6)} vs the original on ${fmtNum(a.rows)} test rows · max |Δ| `
    + fmtNum(a.maxAbsoluteDifference);
}

function compressionSection(ctx, model, box, list) {
  const precision = h('select', { id: 'compression-precision' },
    h('option', { value: 'float16' }, 'float16 (2 bytes a weight)'),
    h('option', { value: 'int8' }, 'int8 (1 byte a weight, a scale per neuron)'));
  const result = h('div', { id: 'compression-result' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'compression-submit' }, 'Compress');
  const form = h('form', { class: 'inline-form', id: 'compression-form', onsubmit: async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await api(`/models/${encodeURIComponent(model.id)}/compressions`, { method: 'POST',
        body: { precision: precision.value } });
      if (ctx.alive) {
        await loadCompressions(ctx, model, box);
      }
    } catch (error) {
      if (ctx.alive) {
        replace(result, problemBox(error));
      }
    } finally {
      submit.disabled = false;
    }
  } },
  h('p', { class: 'hint' }, 'Stores the weight matrices as half floats or 8-bit integers in a new model (biases '
    + 'stay doubles) and compares its predictions with this one on the test split.'),
  h('div', { class: 'inline-fields' }, h('label', { for: 'compression-precision' }, 'Precision'), precision, submit),
  result);
  if (list.length === 0) {
    return [note('Not compressed yet.'), form];
  }
  const rows = table(['Model', 'Precision', 'Artifact before → after', 'Ratio', 'Weights before → after',
    'Agreement', 'Made'], list.map((c) => h('tr', { dataset: { compressionId: c.id } },
    h('td', null, h('a', { href: '#/models/' + c.compressedModelId, class: 'strong mono' },
      shortId(c.compressedModelId))),
    h('td', null, h('span', { class: 'type' }, c.precision)),
    h('td', { class: 'num' }, `${fmtBytes(c.sizeBefore)} → ${fmtBytes(c.sizeAfter)}`),
    h('td', { class: 'num' }, fmtNum(c.compressionRatio, 3) + '×'),
    h('td', { class: 'num' }, `${fmtBytes(c.weightBytesBefore)} → ${fmtBytes(c.weightBytesAfter)} (`
      + fmtNum(c.weightCompressionRatio, 3) + '×)'),
    h('td', null, agreementText(c.agreement),
      (c.warnings || []).length ? h('div', { class: 'hint' }, c.warnings.join('; ')) : null),
    h('td', null, fmtDate(c.createdAt)))), { id: 'compressions-table' });
  return [rows, form];
}

// Fairness: the newest stored report's rates per group of its sensitive feature and fairlearn's parity measures,
// and a form that measures another dataset or column (POST /models/{id}/fairness).
function loadFairness(ctx, model, box) {
  const path = `/models/${encodeURIComponent(model.id)}/fairness`;
  return apiOptional(path, [404], { signal: ctx.signal })
    .then((reports) => ctx.alive && replace(box, fairnessSection(ctx, model, box, (reports || [])[0])))
    .catch((error) => ctx.alive && replace(box, problemBox(error)));
}

function fairnessSection(ctx, model, box, report) {
  const dataset = h('input', { type: 'text', id: 'fairness-dataset', required: true, value: model.datasetId || '',
    placeholder: 'dataset id' });
  const feature = h('input', { type: 'text', id: 'fairness-feature', required: true,
    placeholder: 'sensitive column, e.g. sex' });
  const result = h('div', { id: 'fairness-result' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'fairness-submit' }, 'Measure');
  const form = h('form', { class: 'inline-form', id: 'fairness-form', onsubmit: async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await api(`/models/${encodeURIComponent(model.id)}/fairness`, { method: 'POST',
        body: { datasetId: dataset.value.trim(), sensitiveFeature: feature.value.trim() } });
      if (ctx.alive) {
        await loadFairness(ctx, model, box);
      }
    } catch (error) {
      if (ctx.alive) {
        replace(result, problemBox(error));
      }
    } finally {
      submit.disabled = false;
    }
  } },
  h('p', { class: 'hint' }, 'Rates per value of a column of a dataset (it need not be a model feature); rows '
    + 'without a value are the group (missing).'),
  h('div', { class: 'inline-fields' }, h('label', { for: 'fairness-dataset' }, 'Dataset'), dataset,
    h('label', { for: 'fairness-feature' }, 'Sensitive feature'), feature, submit),
  result);
  if (!report) {
    return [note('No fairness report yet.'), form];
  }
  const rows = [report.overall, ...report.groups];
  const binary = report.classification === 'binary';
  const rates = binary
    ? table(['Group', 'Rows', 'Selection rate', 'Accuracy', 'TPR', 'FPR'], rows.map((g) => h('tr', null,
      h('td', { class: 'strong' }, g.group), h('td', { class: 'num' }, fmtNum(g.rows)),
      h('td', { class: 'num' }, fmtNum(g.selectionRate)),
      h('td', { class: 'num' }, fmtNum(g.accuracy)), h('td', { class: 'num' }, fmtNum(g.truePositiveRate)),
      h('td', { class: 'num' }, fmtNum(g.falsePositiveRate)))), { id: 'fairness-groups' })
    : table(['Group', 'Rows', 'Accuracy', ...report.classLabels.map((c) => 'Selection ' + c)], rows.map((g) =>
      h('tr', null, h('td', { class: 'strong' }, g.group), h('td', { class: 'num' }, fmtNum(g.rows)),
        h('td', { class: 'num' }, fmtNum(g.accuracy)),
        g.perClass.map((c) => h('td', { class: 'num' }, fmtNum(c.selectionRate))))), { id: 'fairness-groups' });
  const disparities = binary ? [report.disparity] : report.disparityPerClass;
  const parity = table(['Class', 'Demographic parity difference', 'ratio', 'Equalized odds difference'],
    disparities.map((d) => h('tr', null, h('td', { class: 'strong' }, d.label),
      h('td', { class: 'num' }, fmtNum(d.demographicParityDifference)),
      h('td', { class: 'num' }, fmtNum(d.demographicParityRatio)),
      h('td', { class: 'num' }, fmtNum(d.equalizedOddsDifference)))), { id: 'fairness-parity' });
  return [h('p', { class: 'subtitle' }, `By ${report.sensitiveFeature} on ${report.datasetName}`,
    binary ? ` · positive label ${report.positiveLabel} at threshold ${fmtNum(report.threshold)}`
      : ' · per class, one-vs-rest', ` · ${fmtDate(report.createdAt)}`), rates, parity,
  (report.warnings || []).length ? h('ul', { class: 'hint' }, report.warnings.map((w) => h('li', null, w))) : null,
  form];
}

function exportButton(model) {
  const button = h('button', { type: 'button', class: 'button subtle', id: 'export-onnx', onclick: async () => {
    button.disabled = true;
    try {
      const blob = await download(`/models/${encodeURIComponent(model.id)}/export?format=onnx`);
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `fitserve-${model.algorithm}-${model.id}.onnx` });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      const title = error instanceof ApiError ? `${error.title}: ${error.detail}` : String(error.message);
      button.title = title;
      button.textContent = 'Export unavailable';
      return;
    } finally {
      button.disabled = false;
    }
  } }, 'Export ONNX');
  return button;
}

function metricsTable(metrics, classification) {
  const preferred = classification ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
  const cv = metrics.crossValidation;
  const columns = [];
  if (metrics.test) {
    columns.push(['test', (k) => metrics.test[k]]);
  }
  if (metrics.validation) {
    columns.push(['validation', (k) => metrics.validation[k]]);
  }
  if (cv && cv.mean) {
    columns.push([`cross-validation (${(cv.folds || []).length} folds)`, (k) => (cv.mean[k] === undefined ? undefined
      : `${fmtNum(cv.mean[k])} ± ${fmtNum(cv.std ? cv.std[k] : null, 2)}`)]);
  }
  if (!columns.length) {
    return note('No held-out rows: the model has no test, validation or cross-validation scores.');
  }
  const numericKeys = new Set();
  for (const source of [metrics.test, metrics.validation, cv && cv.mean]) {
    for (const [k, v] of Object.entries(source || {})) {
      if (typeof v === 'number') {
        numericKeys.add(k);
      }
    }
  }
  const keys = preferred.filter((k) => numericKeys.has(k)).concat([...numericKeys].filter((k) => !preferred.includes(k)));
  return table(['metric'].concat(columns.map(([name]) => name)), keys.map((k) => h('tr', null,
    h('td', { class: 'strong' }, k),
    columns.map(([, get]) => {
      const v = get(k);
      return h('td', { class: 'num' }, typeof v === 'string' ? v : fmtNum(v));
    }))), { id: 'metrics-table' });
}

function confusionSection(metrics, labels) {
  const splits = [['test', metrics.test], ['validation', metrics.validation]].filter(([, m]) => m
    && Array.isArray(m.confusionMatrix));
  if (!splits.length) {
    return note('No confusion matrix: the model has no test or validation rows.');
  }
  const holder = h('div', { class: 'heatmap-holder' });
  const show = (name) => {
    const m = splits.find(([n]) => n === name)[1];
    replace(holder, heatmap(m.labels || labels, m.confusionMatrix, name));
  };
  const select = splits.length > 1 ? h('select', { id: 'confusion-split', onchange: (e) => show(e.target.value) },
    splits.map(([name]) => h('option', { value: name }, name + ' split'))) : null;
  show(splits[0][0]);
  return h('div', null, h('p', { class: 'hint' }, 'Rows are the true class, columns the predicted class; each cell '
    + 'shows the count and its share of the row (the colour).', select ? ' Split: ' : '', select), holder);
}

/** The matrix [true][predicted] as a table whose cells are coloured by their share of the row. */
function heatmap(labels, matrix, split) {
  const head = h('tr', null, h('th', { class: 'corner' }, 'true ↓ / predicted →'),
    labels.map((l) => h('th', { class: 'col-label' }, l)), h('th', null, 'total'));
  const rows = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return h('tr', null, h('th', { class: 'row-label' }, labels[i]), row.map((count, j) => {
      const share = total ? count / total : 0;
      const cell = h('td', { class: 'heat' + (i === j ? ' diagonal' : '') + (share > 0.55 ? ' dark' : ''),
        title: `true ${labels[i]}, predicted ${labels[j]}: ${count} of ${total}`,
        dataset: { count: String(count), share: share.toFixed(4), true: labels[i], predicted: labels[j] } },
      h('div', { class: 'heat-count' }, String(count)), h('div', { class: 'heat-share' }, fmtPct(share)));
      // CSSOM, not a style attribute: allowed under style-src 'self'
      cell.style.backgroundColor = `rgba(37, 99, 235, ${(0.04 + 0.9 * share).toFixed(3)})`;
      return cell;
    }), h('td', { class: 'num total' }, String(total)));
  });
  const sum = matrix.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  return h('div', null, h('table', { class: 'heatmap', id: 'confusion-matrix', dataset: { split, total: String(sum) } },
    h('thead', null, head), h('tbody', null, rows)),
  h('p', { class: 'hint' }, `${sum} rows in the ${split} split.`));
}

function perClassCard(metrics) {
  const m = metrics.test || metrics.validation;
  if (!m || !Array.isArray(m.perClass)) {
    return null;
  }
  return card('Per class (' + (metrics.test ? 'test' : 'validation') + ')', table(['class', 'precision', 'recall',
    'F1', 'support'], m.perClass.map((c) => h('tr', null, h('td', { class: 'strong' }, c.label),
    h('td', { class: 'num' }, fmtNum(c.precision)), h('td', { class: 'num' }, fmtNum(c.recall)),
    h('td', { class: 'num' }, fmtNum(c.f1)), h('td', { class: 'num' }, fmtNum(c.support)))), { id: 'per-class' }));
}

/** The curve point where rows with score >= t are predicted positive: the lowest threshold still >= t. */
function operatingPoint(points, t) {
  let chosen = points[0];
  for (const p of points) {
    if (p.threshold >= t) {
      chosen = p;
    }
  }
  return chosen;
}

function curvesSection(ctx, model, metrics, threshold) {
  const split = metrics.test && metrics.test.curves ? 'test' : metrics.validation && metrics.validation.curves
    ? 'validation' : null;
  if (!split) {
    return note('No curves: the held-out split lacks a positive or a negative row.');
  }
  const curves = metrics[split].curves;
  const positive = (model.classLabels || [])[1];
  const slider = h('input', { type: 'range', id: 'threshold-slider', min: 0, max: 1, step: 0.01,
    value: threshold.value });
  const number = h('output', { id: 'threshold-value' });
  const readout = h('div', { class: 'stats compact', id: 'threshold-readout' });
  const roc = chartBox('roc-chart', 'square');
  const pr = chartBox('pr-chart', 'square');
  const marker = { pointRadius: 7, pointHoverRadius: 8, backgroundColor: COLORS.validation,
    borderColor: '#ffffff', borderWidth: 2, showLine: false };
  const curve = (data, label) => ({ label, data, showLine: true, pointRadius: 0, borderWidth: 2,
    borderColor: COLORS.primary, backgroundColor: COLORS.primarySoft, fill: false, tension: 0 });
  const axis = (text) => ({ type: 'linear', min: 0, max: 1, title: { display: true, text, color: COLORS.muted } });
  const rocChart = ctx.chart(roc.canvas, { type: 'scatter', data: { datasets: [
    curve(curves.roc.map((p) => ({ x: p.fpr, y: p.tpr })), `ROC (AUC ${fmtNum(metrics[split].rocAuc, 3)})`),
    { label: 'chance', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, pointRadius: 0, borderWidth: 1,
      borderDash: [5, 5], borderColor: COLORS.muted },
    Object.assign({ label: 'threshold', data: [] }, marker),
  ] }, options: options(baseChartOptions, { scales: { x: axis('false positive rate'),
    y: axis('true positive rate') } }) });
  const prChart = ctx.chart(pr.canvas, { type: 'scatter', data: { datasets: [
    curve(curves.precisionRecall.map((p) => ({ x: p.recall, y: p.precision })),
      `precision-recall (AP ${fmtNum(metrics[split].prAuc, 3)})`),
    Object.assign({ label: 'threshold', data: [] }, marker),
  ] }, options: options(baseChartOptions, { scales: { x: axis('recall'), y: axis('precision') } }) });
  roc.canvas.dataset.points = String(curves.roc.length);
  pr.canvas.dataset.points = String(curves.precisionRecall.length);

  const show = () => {
    const t = threshold.value;
    number.textContent = t.toFixed(2);
    const r = operatingPoint(curves.roc, t);
    const p = operatingPoint(curves.precisionRecall, t);
    rocChart.data.datasets[2].data = [{ x: r.fpr, y: r.tpr }];
    prChart.data.datasets[1].data = [{ x: p.recall, y: p.precision }];
    rocChart.update('none');
    prChart.update('none');
    replace(readout, stat('true positive rate', fmtNum(r.tpr, 3), { dataset: { metric: 'tpr' } }),
      stat('false positive rate', fmtNum(r.fpr, 3), { dataset: { metric: 'fpr' } }),
      stat('precision', fmtNum(p.precision, 3), { dataset: { metric: 'precision' } }),
      stat('recall', fmtNum(p.recall, 3), { dataset: { metric: 'recall' } }));
  };
  slider.addEventListener('input', () => {
    threshold.value = Number(slider.value);
    show();
    threshold.listeners.forEach((fn) => fn());
  });
  show();
  return h('div', null,
    h('p', { class: 'hint' }, `On the ${split} split; positive class `, h('strong', null, String(positive)),
      '. Rows whose probability is at least the threshold are predicted positive; the orange point is the nearest '
      + 'curve point.', typeof model.decisionThreshold === 'number' ? ` The model's decision threshold (best F1 on `
      + `validation) is ${fmtNum(model.decisionThreshold, 3)}.` : ''),
    h('div', { class: 'threshold-row' }, h('label', { for: 'threshold-slider' }, 'Threshold'), slider, number),
    readout,
    h('div', { class: 'grid-2' }, roc.box, pr.box));
}

function residualsSection(ctx, report) {
  if (!report || !Array.isArray(report.points) || !report.points.length) {
    return note('Residuals are not available for this model (the server has no residuals endpoint, or the model '
      + 'has no held-out rows).');
  }
  const points = report.points.map((p) => ({ x: p.actual, y: p.predicted }));
  const values = points.flatMap((p) => [p.x, p.y]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const box = chartBox('residuals-chart', 'square');
  box.canvas.dataset.points = String(points.length);
  ctx.chart(box.canvas, { type: 'scatter', data: { datasets: [
    { label: `${report.split || 'held-out'} rows`, data: points, pointRadius: 3, backgroundColor: COLORS.primarySoft,
      borderColor: COLORS.primary },
    { label: 'predicted = actual', data: [{ x: lo, y: lo }, { x: hi, y: hi }], showLine: true, pointRadius: 0,
      borderDash: [5, 5], borderColor: COLORS.validation, borderWidth: 1.5 },
  ] }, options: options(baseChartOptions, { scales: {
    x: { type: 'linear', title: { display: true, text: 'actual', color: COLORS.muted } },
    y: { title: { display: true, text: 'predicted', color: COLORS.muted } } } }) });
  const residuals = report.points.map((p) => p.predicted - p.actual);
  const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
  return h('div', { class: 'grid-2' }, box.box, h('div', null,
    h('p', { class: 'hint' }, 'Each point is a held-out row; points on the dashed line are predicted exactly. '
      + 'A trend away from it shows bias.'),
    definitions([['split', report.split], ['rows', fmtNum(report.rows !== undefined ? report.rows : points.length)],
      ['mean residual (predicted − actual)', fmtNum(mean)],
      ['largest |residual|', fmtNum(Math.max(...residuals.map(Math.abs)))]])));
}

// The permutation importance is computed after the model is stored (status pending): shown as computing, and
// loaded again every 2 s until it is ready (or failed).
function loadImportance(ctx, path, box, shownPending = false) {
  return apiOptional(path + '/feature-importance', [404, 409], { signal: ctx.signal })
    .then((report) => {
      if (!ctx.alive) {
        return;
      }
      const pending = Boolean(report && report.status === 'pending');
      if (!(pending && shownPending)) {
        replace(box, importanceSection(ctx, report));
      }
      if (pending) {
        ctx.after(2000, () => loadImportance(ctx, path, box, true));
      }
    })
    .catch((error) => ctx.alive && replace(box, problemBox(error)));
}

function importanceSection(ctx, report) {
  if (!report) {
    return note('Feature importance is not available for this model.');
  }
  const parts = [];
  if (report.status === 'pending') {
    parts.push(h('p', { class: 'note', id: 'importance-computing' }, 'Computing permutation importance… '
      + 'The model already serves; this updates when it is ready.'));
  }
  else if (report.status === 'failed') {
    parts.push(h('p', { class: 'note', id: 'importance-failed' }, 'Permutation importance could not be computed'
      + (report.error ? ': ' + report.error : '.')));
  }
  const perm = report.permutation;
  if (perm && Array.isArray(perm.features) && perm.features.length) {
    const features = perm.features;
    const box = chartBox('importance-chart', 'auto');
    box.box.style.height = Math.max(160, 28 * features.length + 60) + 'px';
    box.canvas.dataset.points = String(features.length);
    ctx.chart(box.canvas, { type: 'bar', data: { labels: features.map((f) => f.feature), datasets: [{
      label: `drop in ${perm.metric} when shuffled`, data: features.map((f) => f.mean),
      backgroundColor: COLORS.primary } ] },
    options: options(baseChartOptions, { indexAxis: 'y', plugins: { tooltip: { callbacks: {
      label: (item) => `${fmtNum(item.raw)} ± ${fmtNum(features[item.dataIndex].std, 2)}` } } } }) });
    parts.push(h('h3', null, 'Permutation importance'),
      h('p', { class: 'hint' }, `Mean drop in ${perm.metric} on the ${perm.split} split (${perm.rows} rows) over `
        + `${perm.repeats} seeded shuffles of each feature; ± is the spread.`), box.box);
  }
  const coefficients = report.standardizedCoefficients;
  if (Array.isArray(coefficients) && coefficients.length) {
    const columns = [...new Set(coefficients.map((c) => c.encodedColumn || c.feature))];
    const classes = [...new Set(coefficients.map((c) => c.classLabel))];
    const box = chartBox('coefficients-chart', 'auto');
    box.box.style.height = Math.max(160, (classes.length > 1 ? 16 * classes.length : 26) * columns.length + 60) + 'px';
    box.canvas.dataset.points = String(coefficients.length);
    ctx.chart(box.canvas, { type: 'bar', data: { labels: columns, datasets: classes.map((cls, i) => ({
      label: cls === null || cls === undefined ? 'weight' : 'class ' + cls,
      data: columns.map((col) => {
        const c = coefficients.find((x) => (x.encodedColumn || x.feature) === col && x.classLabel === cls);
        return c ? c.value : null;
      }),
      backgroundColor: COLORS.series[i % COLORS.series.length] })) },
    options: options(baseChartOptions, { indexAxis: 'y' }) });
    parts.push(h('h3', null, 'Standardized coefficients'),
      h('p', { class: 'hint' }, 'Weights on standardized inputs: comparable in size across features.'), box.box);
  }
  return parts.length ? h('div', null, parts) : note('Feature importance is not available for this model.');
}

function hyperparameterList(hp) {
  const entries = Object.entries(hp || {}).filter(([, v]) => v !== null && v !== undefined);
  if (!entries.length) {
    return note('None recorded.');
  }
  return definitions(entries.map(([k, v]) => [k, typeof v === 'object' ? h('code', { class: 'json' },
    JSON.stringify(v)) : String(v)]));
}

function provenanceList(model) {
  const p = model.provenance || {};
  const rows = p.rows || {};
  return definitions([
    ['dataset', p.datasetId ? h('a', { href: '#/datasets/' + p.datasetId }, p.datasetName || shortId(p.datasetId))
      : '—'],
    ['dataset SHA-256', p.datasetSha256 ? h('code', { class: 'wrap' }, p.datasetSha256) : null],
    ['training job', p.trainingJobId ? h('a', { href: '#/jobs/' + p.trainingJobId, class: 'mono' },
      shortId(p.trainingJobId)) : '—'],
    ['seed', p.seed],
    ['rows', `train ${fmtNum(rows.train)}, validation ${fmtNum(rows.validation)}, test ${fmtNum(rows.test)}`
      + (rows.droppedMissingTarget ? `; ${rows.droppedMissingTarget} left out (missing target)` : '')],
    ['served model', p.servedModel ? `${p.servedModel.trainedOn} (${fmtNum(p.servedModel.rows)} rows`
      + (p.servedModel.epochs ? `, ${p.servedModel.epochs} epochs` : '') + ')' : null],
    ['epochs run', p.epochsRun],
    ['best epoch', p.bestEpoch],
    ['stopped early', p.stoppedEarly === undefined ? null : (p.stoppedEarly ? 'yes' : 'no')],
    ['training details', p.trainingDetails && Object.keys(p.trainingDetails).length ? h('code', { class: 'json' },
      JSON.stringify(p.trainingDetails)) : null],
    ['compressed from', p.compressedFrom ? h('span', null, h('a', { href: '#/models/' + p.compressedFrom.modelId,
      class: 'mono' }, shortId(p.compressedFrom.modelId)), ` (${p.compressedFrom.precision} weights)`) : null],
    ['training time', fmtDuration(p.trainingTimeMs)],
    ['trained at', fmtDate(p.trainedAt)],
    ['backend', [p.backend, p.nd4jBackend].filter(Boolean).join(' · ')],
    ['versions', `fitserve ${p.appVersion || '?'} · ND4J ${p.nd4jVersion || '?'} · Java ${p.javaVersion || '?'}`],
    ['artifact', `${fmtBytes(model.artifactSize)} · SHA-256 ${model.artifactSha256 ? model.artifactSha256.slice(0, 16)
      + '…' : '—'}`],
  ]);
}

/** One input per feature (numbers, or the categories seen in training); empty is a missing value, imputed. */
function predictForm(ctx, model, threshold) {
  const features = model.features || [];
  const inputs = features.map((f) => {
    const id = 'predict-' + f.name.replace(/[^A-Za-z0-9_-]/g, '_');
    const input = f.type === 'numeric' || !Array.isArray(f.categories)
      ? h('input', { type: f.type === 'numeric' ? 'number' : 'text', step: 'any', id, placeholder: 'missing',
        dataset: { feature: f.name } })
      : h('select', { id, dataset: { feature: f.name } }, h('option', { value: '' }, '(missing)'),
        f.categories.map((c) => h('option', { value: c }, c)));
    return { f, input, field: h('div', { class: 'field' }, h('label', { for: id }, f.name, ' ',
      h('span', { class: 'type' }, f.type)), input) };
  });
  const result = h('div', { id: 'prediction-result', class: 'prediction-result' });
  const labels = model.classLabels || [];
  const binary = model.task === 'classification' && labels.length === 2;
  const thresholdNote = h('p', { class: 'hint' });
  const showThreshold = () => {
    thresholdNote.textContent = binary ? `Threshold ${threshold.value.toFixed(2)} (set it on the curves below).`
      : '';
  };
  threshold.listeners.push(showThreshold);
  showThreshold();
  const fill = h('button', { type: 'button', class: 'button subtle small', id: 'predict-fill', onclick: async () => {
    try {
      const page = await api(`/datasets/${encodeURIComponent(model.datasetId)}/rows?offset=0&limit=1`);
      const row = (page.rows || [])[0] || {};
      for (const { f, input } of inputs) {
        const v = row[f.name];
        input.value = v === null || v === undefined ? '' : String(v);
      }
    } catch (error) {
      if (ctx.alive) {
        replace(result, problemBox(error));
      }
    }
  } }, 'Fill from the dataset\'s first row');
  const submit = h('button', { type: 'submit', class: 'button', id: 'predict-submit' }, 'Predict');
  return h('form', { id: 'predict-form', class: 'predict-form', onsubmit: async (e) => {
    e.preventDefault();
    const row = {};
    for (const { f, input } of inputs) {
      const v = input.value.trim();
      row[f.name] = v === '' ? null : (f.type === 'numeric' ? Number(v) : v);
    }
    const body = { rows: [row] };
    if (binary) {
      body.threshold = threshold.value;
    }
    submit.disabled = true;
    try {
      const answer = await api(`/models/${encodeURIComponent(model.id)}/predictions`, { method: 'POST', body });
      if (ctx.alive) {
        replace(result, predictionView(answer));
      }
    } catch (error) {
      if (ctx.alive) {
        replace(result, problemBox(error));
      }
    } finally {
      submit.disabled = false;
    }
  } },
  h('div', { class: 'form-grid narrow' }, inputs.map((i) => i.field)),
  thresholdNote,
  h('div', { class: 'form-actions' }, submit, fill),
  result);
}

// A clustering model's clusters: size and centroid (in the features' own units) per cluster, and the silhouette per
// k tried when k was "auto".
function clustersSection(m) {
  const centroids = m.centroids || [];
  const features = centroids.length ? Object.keys(centroids[0].values) : [];
  const value = (v) => (typeof v === 'number' ? fmtNum(v) : Object.entries(v || {})
    .map(([level, share]) => `${level} ${fmtPct(share)}`).join(', '));
  const parts = [h('p', { class: 'subtitle' }, `inertia ${fmtNum(m.inertia)} · ${m.rows} rows · silhouette on `
      + `${m.silhouetteRows} rows`),
    table(['cluster', 'size', ...features], centroids.map((c) => h('tr', null,
      h('td', { class: 'strong' }, String(c.cluster)), h('td', { class: 'num' }, String(c.size)),
      features.map((f) => h('td', { class: typeof c.values[f] === 'number' ? 'num' : null }, value(c.values[f]))))),
    { id: 'clusters-table' })];
  if (m.kSelection) {
    parts.push(h('p', { class: 'subtitle' }, `k chosen by silhouette: ${m.kSelection.chosenK}`),
      table(['k', 'silhouette', 'inertia'], m.kSelection.scores.map((s) => h('tr', null,
        h('td', { class: 'strong' }, String(s.k)), h('td', { class: 'num' }, fmtNum(s.silhouette)),
        h('td', { class: 'num' }, fmtNum(s.inertia)))), { id: 'k-selection-table' }));
  }
  return parts;
}

function predictionView(answer) {
  const p = (answer.predictions || [])[0] || {};
  const parts = [];
  if (typeof p.cluster === 'number') {
    parts.push(h('div', { class: 'prediction' }, h('span', { class: 'hint' }, 'cluster'),
      h('span', { class: 'prediction-value', id: 'prediction-cluster' }, String(p.cluster))),
    h('div', { class: 'prediction' }, h('span', { class: 'hint' }, 'distance to its centroid'),
      h('span', { class: 'prediction-value', id: 'prediction-distance' }, fmtNum(p.distance, 4))));
  }
  if (p.label !== undefined && p.label !== null) {
    parts.push(h('div', { class: 'prediction' }, h('span', { class: 'hint' }, 'predicted class'),
      h('span', { class: 'prediction-value', id: 'prediction-label' }, p.label)));
  }
  if (typeof p.value === 'number') {
    parts.push(h('div', { class: 'prediction' }, h('span', { class: 'hint' }, 'predicted value'),
      h('span', { class: 'prediction-value', id: 'prediction-value' }, fmtNum(p.value, 6))));
  }
  if (p.probabilities) {
    const entries = Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]);
    parts.push(h('div', { class: 'probabilities', id: 'prediction-probabilities' }, entries.map(([label, prob]) => {
      const fill = h('div', { class: 'bar-fill' + (label === p.label ? ' chosen' : '') });
      fill.style.width = (100 * prob).toFixed(1) + '%';
      return h('div', { class: 'bar-row', dataset: { label } }, h('span', { class: 'bar-label' }, label),
        h('div', { class: 'bar' }, fill), h('span', { class: 'bar-value' }, fmtPct(prob)));
    })));
  }
  if (Array.isArray(answer.warnings) && answer.warnings.length) {
    parts.push(h('ul', { class: 'warnings' }, answer.warnings.map((w) => h('li', null, w))));
  }
  return parts;
}

function registerForm(ctx, model) {
  const name = h('input', { type: 'text', id: 'register-name', required: true, pattern: '[a-z0-9][a-z0-9_\\-]{0,99}',
    placeholder: 'e.g. ' + String(model.target).toLowerCase().replace(/[^a-z0-9_-]+/g, '-') + '-model' });
  const result = h('div', { id: 'register-result' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'register-submit' }, 'Register as a new version');
  return h('form', { class: 'inline-form', onsubmit: async (e) => {
    e.preventDefault();
    const registered = name.value.trim();
    if (!registered) {
      return;
    }
    submit.disabled = true;
    try {
      try {
        await api('/registered-models', { method: 'POST', body: { name: registered } });
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 409) {
          throw error; // 409: the name exists already, so this adds a version to it
        }
      }
      const version = await api(`/registered-models/${encodeURIComponent(registered)}/versions`,
        { method: 'POST', body: { modelId: model.id } });
      if (ctx.alive) {
        replace(result, h('div', { class: 'callout success' }, 'Registered as ',
          h('a', { href: '#/registry/' + encodeURIComponent(registered), id: 'registered-link' },
            `${registered} version ${version.version}`), '.'));
      }
    } catch (error) {
      if (ctx.alive) {
        replace(result, problemBox(error));
      }
    } finally {
      submit.disabled = false;
    }
  } },
  h('p', { class: 'hint' }, 'A name groups versions; a new name is created. Lower-case letters, digits, - and _.'),
  h('div', { class: 'inline-fields' }, h('label', { for: 'register-name' }, 'Registered model'), name, submit),
  result);
}
