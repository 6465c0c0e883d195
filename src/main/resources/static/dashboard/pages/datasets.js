// Datasets: the list, an upload with a progress bar, and one dataset's schema with a profile per column
// (a histogram for numeric columns, the most frequent values otherwise) and its first rows.

import { api, uploadDataset } from '../api.js';
import { h, replace, problemBox, card, table, fmtNum, fmtBytes, fmtDate, stat, note, chartBox, deleteButton, COLORS,
  baseChartOptions, options } from '../dom.js';

export async function datasetsPage(main, ctx) {
  const list = h('div', { id: 'dataset-list' });
  replace(main,
    h('div', { class: 'page-head' }, h('h1', null, 'Datasets'),
      h('p', { class: 'subtitle' }, 'Upload a CSV, look at its columns, train a model on it.')),
    uploadCard(ctx),
    card('All datasets', list));
  await loadList(list, ctx);
}

async function loadList(list, ctx) {
  const page = await api('/datasets?size=100', { signal: ctx.signal });
  if (!ctx.alive) {
    return;
  }
  if (page.items.length === 0) {
    replace(list, h('p', { class: 'empty' }, 'No datasets yet: upload a CSV above.'));
    return;
  }
  replace(list, table(['Name', 'Rows', 'Columns', 'Size', 'Uploaded', ''], page.items.map((d) =>
    h('tr', { dataset: { datasetId: d.id } },
      h('td', null, h('a', { href: '#/datasets/' + d.id, class: 'strong' }, d.name)),
      h('td', { class: 'num' }, fmtNum(d.rows)),
      h('td', { class: 'num' }, fmtNum(d.columnCount)),
      h('td', { class: 'num' }, fmtBytes(d.sizeBytes)),
      h('td', null, fmtDate(d.createdAt)),
      h('td', { class: 'actions' }, h('a', { href: '#/train?dataset=' + d.id, class: 'button small subtle' },
        'Train')))), { id: 'datasets-table' }));
}

function uploadCard(ctx) {
  const file = h('input', { type: 'file', id: 'upload-file', accept: '.csv,.tsv,.txt,text/csv', required: true });
  const name = h('input', { type: 'text', id: 'upload-name', placeholder: 'default: the file name', maxlength: 255 });
  const mask = h('input', { type: 'text', id: 'upload-mask', placeholder: '{"email": "pseudonymize", "name": "drop"}' });
  const bar = h('progress', { id: 'upload-progress', max: 1, value: 0, hidden: true });
  const label = h('span', { class: 'progress-label', id: 'upload-progress-label' });
  const result = h('div', { id: 'upload-result' });
  const button = h('button', { type: 'submit', class: 'button', id: 'upload-button' }, 'Upload');
  const form = h('form', { class: 'upload-form', onsubmit: async (e) => {
    e.preventDefault();
    if (!file.files.length) {
      replace(result, h('p', { class: 'note' }, 'Choose a CSV file first.'));
      return;
    }
    const chosen = file.files[0];
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    replace(result);
    try {
      const dataset = await uploadDataset(chosen, name.value.trim(), (loaded, total) => {
        bar.value = total ? loaded / total : 0;
        label.textContent = `${fmtBytes(loaded)} of ${fmtBytes(total)}`;
      }, mask.value.trim());
      bar.value = 1;
      label.textContent = `Uploaded: ${fmtNum(dataset.rows)} rows, ${fmtNum(dataset.columnCount)} columns`;
      if (ctx.alive) {
        location.hash = '#/datasets/' + dataset.id;
      }
    } catch (error) {
      bar.hidden = true;
      label.textContent = '';
      replace(result, problemBox(error));
    } finally {
      button.disabled = false;
    }
  } },
  h('div', { class: 'field' }, h('label', { for: 'upload-file' }, 'CSV file'), file),
  h('div', { class: 'field' }, h('label', { for: 'upload-name' }, 'Name'), name),
  h('div', { class: 'field' }, h('label', { for: 'upload-mask' }, 'Mask (optional)'), mask),
  h('div', { class: 'field field-actions' }, button),
  h('div', { class: 'upload-status' }, bar, label),
  result);
  return card('Upload a CSV', h('p', { class: 'hint' }, 'Header row; comma, semicolon or tab; UTF-8. Types are '
    + 'inferred: numeric, boolean or categorical. Mask: a JSON object of column to pseudonymize (keyed tokens), '
    + 'redact (shape only) or drop, applied while the file is parsed.'), form);
}

export async function datasetPage(main, ctx, [id]) {
  const dataset = await api('/datasets/' + encodeURIComponent(id), { signal: ctx.signal });
  if (!ctx.alive) {
    return;
  }
  const missingCells = dataset.columns.reduce((sum, c) => sum + (c.profile ? c.profile.missing : 0), 0);
  const profiles = h('div', { class: 'profile-grid', id: 'column-profiles' });
  const deleteResult = h('div', { id: 'dataset-delete-result' });
  const rows = h('div', { id: 'dataset-rows' }, h('p', { class: 'loading' }, 'Loading rows…'));
  replace(main,
    h('div', { class: 'page-head' },
      h('div', null, h('div', { class: 'crumbs' }, h('a', { href: '#/datasets' }, 'Datasets'), ' / '),
        h('h1', { id: 'dataset-name' }, dataset.name),
        h('p', { class: 'subtitle' }, dataset.originalFilename ? 'from ' + dataset.originalFilename : '',
          ' · id ', h('code', null, dataset.id))),
      h('div', { class: 'head-actions' },
        deleteButton('dataset-delete', 'Delete this dataset?', '/datasets/' + encodeURIComponent(dataset.id),
          '#/datasets', deleteResult),
        h('a', { href: '#/train?dataset=' + dataset.id, class: 'button', id: 'train-this' }, 'Train a model'))),
    deleteResult,
    h('div', { class: 'stats' },
      stat('rows', fmtNum(dataset.rows), { id: 'dataset-rows-count' }),
      stat('columns', fmtNum(dataset.columnCount)),
      stat('size', fmtBytes(dataset.sizeBytes)),
      stat('missing cells', fmtNum(missingCells)),
      stat('uploaded', fmtDate(dataset.createdAt))),
    dropped(dataset),
    card('Schema', schemaTable(dataset)),
    card('Column profiles', profiles),
    card('First rows', rows));

  dataset.columns.forEach((column, i) => profiles.appendChild(profileCard(ctx, column, i)));

  try {
    const page = await api(`/datasets/${encodeURIComponent(id)}/rows?offset=0&limit=20`, { signal: ctx.signal });
    if (ctx.alive) {
      replace(rows, rowsTable(dataset.columns.map((c) => c.name), page));
    }
  } catch (error) {
    if (ctx.alive) {
      replace(rows, problemBox(error));
    }
  }
}

/** The columns the upload's mask dropped: named, stored nowhere. */
function dropped(dataset) {
  const names = dataset.droppedColumns || [];
  return names.length ? h('p', { class: 'note', id: 'dropped-columns' },
    'Dropped at upload (not stored): ' + names.join(', ')) : null;
}

/** Badges for a column's privacy: the personal data its values look like, and how they were masked. */
function privacy(column) {
  const p = column.profile || {};
  const badges = [];
  if (p.piiSuspected) {
    badges.push(h('span', { class: 'type pii', title: 'most values look like personal data' },
      'PII: ' + (p.piiKind || '?')));
  }
  if (column.mask) {
    badges.push(h('span', { class: 'type masked', title: 'values stored masked' }, column.mask));
  }
  return badges;
}

function schemaTable(dataset) {
  return table(['Column', 'Type', 'Privacy', 'Count', 'Missing', 'Distinct', 'Min', 'Max', 'Mean', 'Std dev'],
    dataset.columns.map((c) => {
      const p = c.profile || {};
      return h('tr', { dataset: { column: c.name } },
        h('td', { class: 'strong' }, c.name),
        h('td', null, h('span', { class: 'type type-' + c.type }, c.type)),
        h('td', { class: 'privacy' }, privacy(c)),
        h('td', { class: 'num' }, fmtNum(p.count)),
        h('td', { class: 'num' + (p.missing ? ' warn' : '') }, fmtNum(p.missing)),
        h('td', { class: 'num' }, fmtNum(p.distinct) + (p.distinctExact === false ? '+' : '')),
        h('td', { class: 'num' }, fmtNum(p.min)),
        h('td', { class: 'num' }, fmtNum(p.max)),
        h('td', { class: 'num' }, fmtNum(p.mean)),
        h('td', { class: 'num' }, fmtNum(p.stddev)));
    }), { id: 'schema-table' });
}

/** One column's chart: the histogram when the profile has one, else its top values as bars. */
function profileCard(ctx, column, index) {
  const p = column.profile || {};
  const title = h('div', { class: 'profile-title' }, h('span', { class: 'strong' }, column.name),
    h('span', { class: 'type type-' + column.type }, column.type), ...privacy(column));
  const box = h('div', { class: 'profile-card', dataset: { column: column.name } }, title);
  if (p.histogram && Array.isArray(p.histogram.counts) && p.histogram.counts.length) {
    const edges = p.histogram.edges;
    const { box: chart, canvas } = chartBox('histogram-' + index, 'small');
    canvas.dataset.kind = 'histogram';
    canvas.dataset.points = String(p.histogram.counts.length);
    box.appendChild(chart);
    ctx.chart(canvas, {
      type: 'bar',
      data: {
        labels: p.histogram.counts.map((_, i) => `${fmtNum(edges[i], 3)} – ${fmtNum(edges[i + 1], 3)}`),
        datasets: [{ label: 'rows', data: p.histogram.counts, backgroundColor: COLORS.primary, barPercentage: 1,
          categoryPercentage: 1 }],
      },
      options: options(baseChartOptions, { plugins: { legend: { display: false } },
        scales: { x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 4 } } } }),
    });
  } else if (Array.isArray(p.topValues) && p.topValues.length) {
    const top = p.topValues.slice(0, 10);
    const { box: chart, canvas } = chartBox('topvalues-' + index, 'small');
    canvas.dataset.kind = 'top-values';
    canvas.dataset.points = String(top.length);
    box.appendChild(chart);
    ctx.chart(canvas, {
      type: 'bar',
      data: {
        labels: top.map((v) => v.value),
        datasets: [{ label: 'rows', data: top.map((v) => v.count), backgroundColor: COLORS.accent }],
      },
      options: options(baseChartOptions, { indexAxis: 'y', plugins: { legend: { display: false } } }),
    });
  } else if (column.type === 'numeric') {
    box.appendChild(note('No histogram for this column (the server sent none).'));
  } else {
    box.appendChild(note('No values to show.'));
  }
  box.appendChild(h('div', { class: 'profile-facts' },
    `${fmtNum(p.count)} values · ${fmtNum(p.missing)} missing · ${fmtNum(p.distinct)} distinct`));
  return box;
}

function rowsTable(columns, page) {
  const rows = page.rows || page.items || [];
  if (!rows.length) {
    return h('p', { class: 'empty' }, 'No rows.');
  }
  return table(columns, rows.map((row) => h('tr', null, columns.map((c) => {
    const v = row[c];
    return h('td', { class: typeof v === 'number' ? 'num' : null }, v === null || v === undefined ? '—' : String(v));
  }))), { id: 'rows-table', class: 'compact' });
}
