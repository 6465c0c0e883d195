// The training form: dataset, target, features, task, algorithm, and only the hyperparameters the chosen algorithm
// accepts (from GET /api/v1/algorithms). An input left empty is not sent, so the server's default applies.

import { api, apiOptional } from '../api.js';
import { h, replace, problemBox, card, note } from '../dom.js';

/** What the form offers when the server has no /algorithms: the names, and hyperparameters as JSON. */
const FALLBACK_ALGORITHMS = [
  { name: 'logistic_regression', tasks: ['classification'], description: 'Binary sigmoid or multinomial softmax' },
  { name: 'linear_regression', tasks: ['regression'], description: 'Least squares (normal equations or gradient)' },
  { name: 'linear_svm', tasks: ['classification'], description: 'Hinge or squared hinge, one-vs-rest' },
  { name: 'svm', tasks: ['classification'], description: 'Kernel SVM (linear, rbf, poly)' },
  { name: 'mlp', tasks: ['classification', 'regression'], description: 'Multi-layer perceptron' },
].map((a) => Object.assign(a, { hyperparameters: null }));

export async function trainPage(main, ctx, params, query) {
  const [datasets, described] = await Promise.all([
    api('/datasets?size=200', { signal: ctx.signal }),
    apiOptional('/algorithms', [404], { signal: ctx.signal }),
  ]);
  if (!ctx.alive) {
    return;
  }
  const algorithms = Array.isArray(described) && described.length ? described : FALLBACK_ALGORITHMS;
  if (datasets.items.length === 0) {
    replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Train a model')),
      card(null, h('p', { class: 'empty' }, 'Upload a dataset first: ', h('a', { href: '#/datasets' }, 'Datasets'))));
    return;
  }
  const state = { dataset: null };

  const datasetSelect = h('select', { id: 'train-dataset', required: true },
    datasets.items.map((d) => h('option', { value: d.id }, `${d.name} (${d.rows} rows)`)));
  const targetSelect = h('select', { id: 'train-target', required: true });
  const features = h('div', { class: 'checks', id: 'train-features' });
  const taskSelect = h('select', { id: 'train-task' }, h('option', { value: '' }, 'infer from target and algorithm'),
    h('option', { value: 'classification' }, 'classification'), h('option', { value: 'regression' }, 'regression'),
    h('option', { value: 'clustering' }, 'clustering (no target)'));
  const algorithmSelect = h('select', { id: 'train-algorithm', required: true });
  const algorithmHelp = h('p', { class: 'hint', id: 'algorithm-description' });
  const hyperparameters = h('div', { class: 'hp-grid', id: 'train-hyperparameters' });
  const testFraction = h('input', { type: 'number', id: 'train-test-fraction', min: 0, max: 0.5, step: 'any',
    placeholder: '0.2' });
  const validationFraction = h('input', { type: 'number', id: 'train-validation-fraction', min: 0, max: 0.5,
    step: 'any', placeholder: 'server default' });
  const seed = h('input', { type: 'number', id: 'train-seed', step: 1, placeholder: '42' });
  const folds = h('input', { type: 'number', id: 'train-folds', min: 2, max: 20, step: 1, placeholder: 'off' });
  const result = h('div', { id: 'train-result' });
  const submit = h('button', { type: 'submit', class: 'button', id: 'train-submit' }, 'Start training');
  let readHyperparameters = () => ({});

  function fillAlgorithms() {
    const task = taskSelect.value;
    const previous = algorithmSelect.value;
    replace(algorithmSelect, algorithms.filter((a) => !task || (a.tasks || []).includes(task))
      .map((a) => h('option', { value: a.name }, a.name)));
    if ([...algorithmSelect.options].some((o) => o.value === previous)) {
      algorithmSelect.value = previous;
    }
    fillHyperparameters();
  }

  function fillHyperparameters() {
    const algorithm = algorithms.find((a) => a.name === algorithmSelect.value);
    algorithmHelp.textContent = algorithm ? algorithm.description || '' : '';
    if (!algorithm) {
      replace(hyperparameters);
      readHyperparameters = () => ({});
      return;
    }
    if (!Array.isArray(algorithm.hyperparameters)) {
      const json = h('textarea', { id: 'hp-json', rows: 4, placeholder: '{"epochs": 200}' });
      replace(hyperparameters, note('This server does not describe its algorithms (GET /api/v1/algorithms), so '
        + 'hyperparameters are given as JSON; see the README for names and ranges.'), json);
      readHyperparameters = () => {
        const text = json.value.trim();
        if (!text) {
          return {};
        }
        const parsed = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new Error('Hyperparameters must be a JSON object.');
        }
        return parsed;
      };
      return;
    }
    const readers = algorithm.hyperparameters.map((hp) => hyperparameterInput(hp));
    replace(hyperparameters, readers.map((r) => r.field));
    readHyperparameters = () => {
      const out = {};
      for (const r of readers) {
        const v = r.read();
        if (v !== undefined) {
          out[r.name] = v;
        }
      }
      return out;
    };
  }

  async function fillColumns() {
    replace(targetSelect);
    replace(features, h('span', { class: 'hint' }, 'Loading columns…'));
    const id = datasetSelect.value;
    const dataset = await api('/datasets/' + encodeURIComponent(id), { signal: ctx.signal });
    if (!ctx.alive || datasetSelect.value !== id) {
      return;
    }
    state.dataset = dataset;
    const columns = dataset.columns;
    // clustering (kmeans) has no target: the empty choice sends none
    replace(targetSelect, h('option', { value: '' }, '(none: clustering)'),
      columns.map((c) => h('option', { value: c.name }, `${c.name} (${c.type})`)));
    // the last column is the usual place for the target
    targetSelect.value = columns[columns.length - 1].name;
    fillFeatures();
  }

  function fillFeatures() {
    const target = targetSelect.value;
    replace(features, state.dataset.columns.filter((c) => c.name !== target).map((c) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: c.name, checked: true, dataset: { feature: c.name } }), ' ', c.name)));
  }

  datasetSelect.addEventListener('change', () => fillColumns().catch((e) => ctx.alive && replace(result,
    problemBox(e))));
  targetSelect.addEventListener('change', fillFeatures);
  taskSelect.addEventListener('change', fillAlgorithms);
  algorithmSelect.addEventListener('change', fillHyperparameters);

  const form = h('form', { class: 'train-form', id: 'train-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    replace(result);
    let body;
    try {
      body = {
        datasetId: datasetSelect.value,
        algorithm: algorithmSelect.value,
      };
      if (targetSelect.value) {
        body.target = targetSelect.value;
      }
      const chosen = [...features.querySelectorAll('input[type=checkbox]')];
      if (chosen.some((c) => !c.checked)) {
        body.features = chosen.filter((c) => c.checked).map((c) => c.value);
        if (!body.features.length) {
          throw new Error('Choose at least one feature.');
        }
      }
      if (taskSelect.value) {
        body.task = taskSelect.value;
      }
      const hp = readHyperparameters();
      if (Object.keys(hp).length) {
        body.hyperparameters = hp;
      }
      numberInto(body, 'testFraction', testFraction);
      numberInto(body, 'validationFraction', validationFraction);
      numberInto(body, 'seed', seed);
      if (folds.value !== '') {
        body.crossValidation = { folds: Number(folds.value) };
      }
    } catch (error) {
      replace(result, problemBox(error));
      return;
    }
    submit.disabled = true;
    try {
      const job = await api('/training-jobs', { method: 'POST', body, signal: ctx.signal });
      location.hash = '#/jobs/' + job.id;
    } catch (error) {
      if (ctx.alive) {
        replace(result, problemBox(error));
      }
    } finally {
      submit.disabled = false;
    }
  } },
  h('div', { class: 'form-grid' },
    h('div', { class: 'field' }, h('label', { for: 'train-dataset' }, 'Dataset'), datasetSelect),
    h('div', { class: 'field' }, h('label', { for: 'train-target' }, 'Target (column to predict)'), targetSelect),
    h('div', { class: 'field' }, h('label', { for: 'train-task' }, 'Task'), taskSelect),
    h('div', { class: 'field' }, h('label', { for: 'train-algorithm' }, 'Algorithm'), algorithmSelect,
      algorithmHelp)),
  h('fieldset', null, h('legend', null, 'Features'), features),
  h('fieldset', null, h('legend', null, 'Hyperparameters'),
    h('p', { class: 'hint' }, 'Only what this algorithm accepts. Empty fields are not sent: the server\'s defaults '
      + '(scikit-learn\'s) apply.'), hyperparameters),
  h('fieldset', null, h('legend', null, 'Splits and seed'),
    h('div', { class: 'form-grid' },
      h('div', { class: 'field' }, h('label', { for: 'train-test-fraction' }, 'Test fraction'), testFraction),
      h('div', { class: 'field' }, h('label', { for: 'train-validation-fraction' }, 'Validation fraction'),
        validationFraction),
      h('div', { class: 'field' }, h('label', { for: 'train-folds' }, 'Cross-validation folds'), folds),
      h('div', { class: 'field' }, h('label', { for: 'train-seed' }, 'Seed'), seed))),
  h('div', { class: 'form-actions' }, submit),
  result);

  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Train a model'),
    h('p', { class: 'subtitle' }, 'Training runs in the background; you follow it live on the job\'s page.')),
  card(null, form));

  const wanted = query.get('dataset');
  if (wanted && datasets.items.some((d) => d.id === wanted)) {
    datasetSelect.value = wanted;
  }
  fillAlgorithms();
  await fillColumns();
}

function numberInto(body, name, input) {
  if (input.value !== '') {
    const v = Number(input.value);
    if (!Number.isFinite(v)) {
      throw new Error(name + ' must be a number.');
    }
    body[name] = v;
  }
}

/** One hyperparameter's input and how to read it (undefined: not sent). */
function hyperparameterInput(hp) {
  const id = 'hp-' + hp.name;
  const help = [hp.description, hp.default !== undefined && hp.default !== null
    ? 'default ' + JSON.stringify(hp.default) : null,
  hp.minimum !== undefined && hp.minimum !== null ? 'min ' + hp.minimum : null,
  hp.maximum !== undefined && hp.maximum !== null ? 'max ' + hp.maximum : null].filter(Boolean).join(' · ');
  const label = h('label', { for: id }, hp.name);
  const hint = h('span', { class: 'hint' }, help);
  let input;
  let read;
  if (Array.isArray(hp.values) && hp.values.length && hp.type !== 'schedule') {
    // some strings also take a number or an object (gamma: "scale" or 0.5; classWeights: "balanced" or {...})
    const free = /\bor a (number|JSON)/i.test(hp.description || '');
    const other = free ? h('input', { type: 'text', id: id + '-other', hidden: true,
      placeholder: /JSON/i.test(hp.description) ? '{"label": 2}' : '0.5', 'aria-label': hp.name + ' value' }) : null;
    const select = h('select', { id, dataset: { hp: hp.name } },
      h('option', { value: '' }, hp.default !== undefined && hp.default !== null
        ? `default (${typeof hp.default === 'object' ? JSON.stringify(hp.default) : hp.default})` : 'default'),
      hp.values.map((v) => h('option', { value: JSON.stringify(v) }, typeof v === 'string' ? v : JSON.stringify(v))),
      free ? h('option', { value: 'other' }, 'other…') : null);
    if (other) {
      select.addEventListener('change', () => {
        other.hidden = select.value !== 'other';
      });
    }
    input = h('div', { class: 'select-other' }, select, other);
    read = () => {
      if (select.value === '') {
        return undefined;
      }
      if (select.value !== 'other') {
        return JSON.parse(select.value);
      }
      const text = other.value.trim();
      if (!text) {
        return undefined;
      }
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new Error(`${hp.name}: a number or a JSON object (${error.message}).`);
      }
    };
  } else if (hp.type === 'boolean') {
    input = h('input', { type: 'checkbox', id, checked: hp.default === true, dataset: { hp: hp.name } });
    read = () => (input.checked === (hp.default === true) ? undefined : input.checked);
  } else if (hp.type === 'number' || hp.type === 'integer') {
    input = h('input', { type: 'number', id, step: hp.type === 'integer' ? 1 : 'any', min: hp.minimum ?? undefined,
      max: hp.maximum ?? undefined, placeholder: hp.default !== undefined && hp.default !== null
        ? String(hp.default) : '', dataset: { hp: hp.name } });
    read = () => {
      if (input.value === '') {
        return undefined;
      }
      const v = Number(input.value);
      if (!Number.isFinite(v) || (hp.type === 'integer' && !Number.isInteger(v))) {
        throw new Error(`${hp.name} must be ${hp.type === 'integer' ? 'a whole number' : 'a number'}.`);
      }
      return v;
    };
  } else if (hp.type === 'integer_list') {
    input = h('input', { type: 'text', id, placeholder: Array.isArray(hp.default) ? hp.default.join(',') : '64,32',
      dataset: { hp: hp.name } });
    read = () => {
      const text = input.value.trim();
      if (!text) {
        return undefined;
      }
      const parts = text.split(/[\s,]+/).filter(Boolean).map(Number);
      if (parts.some((n) => !Number.isInteger(n))) {
        throw new Error(`${hp.name}: whole numbers separated by commas, e.g. 64,32.`);
      }
      return parts;
    };
  } else if (hp.type === 'schedule') {
    return scheduleInput(hp, id, label, hint);
  } else {
    input = h('input', { type: 'text', id, placeholder: hp.default !== undefined && hp.default !== null
      ? String(hp.default) : '', dataset: { hp: hp.name } });
    read = () => {
      const text = input.value.trim();
      if (!text) {
        return undefined;
      }
      // numbers and JSON objects where the server takes them (gamma: scale or 0.5, classWeights: {"a": 2})
      if (/^[{[]/.test(text) || (text !== '' && Number.isFinite(Number(text)))) {
        try {
          return JSON.parse(text);
        } catch (error) {
          throw new Error(`${hp.name}: ${error.message}`);
        }
      }
      return text;
    };
  }
  const field = h('div', { class: 'field' + (hp.type === 'boolean' ? ' field-check' : '') }, label, input, hint);
  return { name: hp.name, field, read };
}

/** A learning-rate schedule: its type, then the fields of that type (left empty: the server's defaults). */
function scheduleInput(hp, id, label, hint) {
  const all = (Array.isArray(hp.fields) ? hp.fields : []).map((f) => (typeof f === 'string' ? { name: f } : f));
  const typeField = all.find((f) => f.name === 'type' && Array.isArray(f.values));
  const types = typeField ? typeField.values : ['constant', 'step', 'exponential', 'cosine', 'reduce_on_plateau'];
  const current = hp.default && typeof hp.default === 'object' ? hp.default.type : hp.default;
  const select = h('select', { id, dataset: { hp: hp.name } },
    h('option', { value: '' }, current ? `default (${current})` : 'default'),
    types.map((t) => h('option', { value: t }, t)));
  const fields = all.filter((f) => f.name !== 'type');
  const inputs = fields.map((f) => ({ f, input: h('input', { type: 'number', step: f.type === 'integer' ? 1 : 'any',
    id: `${id}-${f.name}`, min: f.minimum ?? undefined, max: f.maximum ?? undefined, title: f.description || null,
    placeholder: f.default !== undefined && f.default !== null ? String(f.default) : 'default',
    dataset: { scheduleField: f.name } }) }));
  const extra = h('div', { class: 'schedule-fields' });
  const show = () => {
    const type = select.value;
    // a field's description names the schedule types it belongs to ("step, exponential: decay factor")
    replace(extra, inputs.filter(({ f }) => type && type !== 'constant' && (!f.description
      || !/^[a-z_, ]+:/.test(f.description) || f.description.split(':')[0].split(/,\s*/).includes(type)))
      .map(({ f, input }) => h('label', { class: 'inline', title: f.description || null }, f.name, ' ', input)));
  };
  select.addEventListener('change', show);
  const read = () => {
    const type = select.value;
    if (!type) {
      return undefined;
    }
    if (type === 'constant') {
      return 'constant';
    }
    const out = { type };
    for (const { f, input } of inputs) {
      if (input.isConnected && input.value !== '') {
        out[f.name] = Number(input.value);
      }
    }
    return out;
  };
  return { name: hp.name, field: h('div', { class: 'field field-wide' }, label, select, extra, hint), read };
}
