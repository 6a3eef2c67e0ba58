// The demo page: data (a bundled dataset or a dropped CSV) → formula (checked as you type, the parser's caret
// shown inline) → fit in the Web Worker with progress and cancel → R's summary, lmerTest's type III table,
// lme4's likelihood-ratio comparison → the diagnostic plots. `window.lmmDemo` exposes the last results'
// plain JSON and the plots' SVG (the browser tests compare them with Node's and count their marks).
//
// The model lives in the worker, so the plots are drawn in two halves: the worker computes each plot's plain
// data (lmm-wasm/plot's plotData: conditional modes and SDs, residuals, Q–Q points, profile traces), and the
// page draws it with lmm-wasm/plot's drawPlot, from a file of its own holding Observable Plot
// (build/demo/lmm-wasm-plot.js, see scripts/build-demo.mjs), loaded after the first fit (not during it:
// evaluating it is main-thread work) so the page and the core build never carry it. Drawing is main-thread
// work too, one plot per task; each plot is a standalone SVG document shown as an image.
import { parseFormula } from '../dist/browser/lmm-wasm.js';
import { createWorker } from '../dist/browser/worker.js';

const PLOT_FILE = '../build/demo/lmm-wasm-plot.js';
/** Above this many rows the residual and Q–Q plots (a dot per row) wait for the "Draw plots" button. */
const AUTO_PLOT_MAX_ROWS = 10000;
const PLOT_TITLES = {
  caterpillar: 'Caterpillar plot: conditional modes of the random effects ± 1.96 conditional SD',
  residuals: 'Residuals against fitted values',
  qq: 'Normal Q–Q plot of the scaled residuals',
  profile: 'Profile zeta plots of the parameters',
};

const DATASETS = {
  sleepstudy: {
    formula: 'Reaction ~ Days + (Days | Subject)',
    compare: 'Reaction ~ Days + (1 | Subject)',
  },
  diachek_md: {
    formula: 'Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)',
    compare: 'Effect_Size ~ Condition + Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)',
  },
  InstEval: {
    formula: 'y ~ service + (1 | s) + (1 | d) + (1 | dept:service)',
    compare: '',
  },
};

const $ = (id) => document.getElementById(id);
const worker = createWorker();
// The data lives in the worker: the CSV is parsed there (a large file never blocks the page) and kept for
// every fit; a cancel stops that worker, so the source is kept here to upload again.
const state = { source: null, table: null, name: '', fitting: null, model: null, plotUrls: [] };
/**
 * What the browser tests read: the state and the last results as plain JSON; the plots' data and SVG text
 * by kind, and their state ('none', 'drawing', 'drawn', 'waiting' for the button, 'cancelled', 'error').
 */
window.lmmDemo = { state: 'loading', results: null, error: null, fitMs: null, plots: {}, plotData: {}, plotState: 'none', plotError: null };

let plotModule = null;
/** lmm-wasm/plot's drawers, loaded once, on first use. */
const plotDrawer = () => (plotModule ??= import(PLOT_FILE));

function setStatus(text, phase) {
  $('status').textContent = text;
  if (phase) window.lmmDemo.state = phase;
}

function showError(el, error) {
  el.hidden = !error;
  el.textContent = error ? `${error.name}: ${error.message}` : '';
}

async function loadDataset(name) {
  setStatus(`loading ${name}…`, 'loading');
  const [csv, schema] = await Promise.all([
    fetch(`../data/${name}.csv`).then((r) => r.text()),
    fetch(`../data/${name}.schema.json`).then((r) => r.json()),
  ]);
  await useData({ csv, options: { schema } }, name);
  $('formula').value = DATASETS[name].formula;
  $('compare').value = DATASETS[name].compare;
  checkFormula('formula', 'formula-error');
  checkFormula('compare', 'compare-error');
}

async function useData(source, name) {
  state.source = source;
  state.name = name;
  state.table = await worker.upload(source.csv, source.options);
  $('data-info').textContent = `${state.table.nrow} rows; columns ${state.table.names.join(', ')}`;
  setStatus('ready', 'ready');
}

/** The uploaded table, uploaded again if a cancel stopped the worker that held it. */
async function table() {
  if (state.table.generation !== worker.generation) state.table = await worker.upload(state.source.csv, state.source.options);
  return state.table;
}

async function loadFile(file) {
  try {
    setStatus(`reading ${file.name}…`, 'loading');
    await useData({ csv: await file.text(), options: {} }, file.name);
    const option = $('dataset').querySelector('option[value=file]');
    option.textContent = file.name;
    option.disabled = false;
    $('dataset').value = 'file';
    showError($('fit-error'), null);
  } catch (e) {
    showError($('fit-error'), e);
    setStatus('the file could not be read', 'error');
  }
}

/** Parses the formula as it is typed: a syntax error shows the parser's message with its caret. */
function checkFormula(inputId, errorId) {
  const text = $(inputId).value.trim();
  let error = null;
  if (text) {
    try {
      parseFormula(text);
    } catch (e) {
      error = e;
    }
  }
  $(inputId).classList.toggle('invalid', !!error);
  showError($(errorId), error);
  return !error;
}


function fitOptions(signal) {
  const REML = document.querySelector('input[name=criterion]:checked').value === 'REML';
  let last = 0;
  const onProgress = ({ evaluations, objective }) => {
    const now = performance.now();
    if (now - last < 100) return; // a few updates a second; each one lays the page out
    last = now;
    $('progress').value = evaluations;
    $('progress').max = Math.max(evaluations * 1.25, 20);
    setStatus(`evaluation ${evaluations}: ${REML ? 'REML' : 'ML'} criterion ${objective.toFixed(4)}`);
  };
  return { REML, signal, onProgress, dataName: state.name };
}

const isMixed = (formula) => formula.includes('|');

async function fit() {
  if (!state.table || state.fitting) return;
  if (!checkFormula('formula', 'formula-error') || !checkFormula('compare', 'compare-error')) return;
  const formula = $('formula').value.trim();
  const compare = $('compare').value.trim();
  const controller = new AbortController();
  state.fitting = controller;
  $('fit').disabled = true;
  $('cancel').disabled = false;
  $('progress').hidden = false;
  $('progress').removeAttribute('value');
  showError($('fit-error'), null);
  for (const id of ['summary', 'anova', 'comparison']) $(id).textContent = '';
  clearPlots();
  if (state.model) void worker.release(state.model).catch(() => {});
  state.model = null;
  setStatus('fitting…', 'fitting');
  window.lmmDemo.results = null;
  const t0 = performance.now();
  let fitted = false;
  try {
    const options = fitOptions(controller.signal);
    const data = await table();
    const model = isMixed(formula)
      ? await worker.lmer(formula, data, options)
      : await worker.lm(formula, data, { signal: controller.signal, dataName: state.name });
    $('summary').textContent = String(model);
    const results = { model: model.toJSON(), summary: String(model), anova: null, comparison: null };
    if (model.kind === 'lmer') {
      const type3 = await worker.anova(model);
      $('anova').textContent = String(type3);
      results.anova = type3.toJSON();
    } else {
      $('anova').textContent = '(lm: see the summary\'s t and F tests)';
    }
    if (compare) {
      setStatus('fitting the comparison model…');
      const m0 = isMixed(compare)
        ? await worker.lmer(compare, data, options)
        : await worker.lm(compare, data, { signal: controller.signal, dataName: state.name });
      const comparison = await worker.anova(m0, model);
      $('comparison').textContent = String(comparison);
      results.comparison = comparison.toJSON();
      await worker.release(m0);
    } else {
      $('comparison').textContent = '(type a nested model under "Compare with")';
    }
    const ms = performance.now() - t0;
    state.model = model;
    window.lmmDemo.results = results;
    window.lmmDemo.fitMs = ms;
    window.lmmDemo.doneAt = performance.now();
    setStatus(`done in ${ms.toFixed(0)} ms (${model.optimizer?.evaluations ?? 0} evaluations)`, 'done');
    fitted = true;
  } catch (e) {
    if (controller.signal.aborted) {
      setStatus('cancelled: the worker was stopped', 'cancelled');
    } else {
      showError($('fit-error'), e);
      setStatus('failed', 'error');
      window.lmmDemo.error = `${e.name}: ${e.message}`;
    }
  } finally {
    state.fitting = null;
    $('fit').disabled = false;
    $('cancel').disabled = true;
    $('progress').hidden = true;
  }
  if (fitted) await offerPlots();
}

/** The plots the current model has: the caterpillar and profile plots need random effects. */
function plotKinds() {
  return state.model?.kind === 'lmer' ? ['caterpillar', 'residuals', 'qq'] : ['residuals', 'qq'];
}

/** After a fit: draws the plots at once for a model of moderate size, else waits for the button. */
async function offerPlots() {
  $('profile').disabled = state.model?.kind !== 'lmer';
  $('draw-plots').disabled = false;
  if (state.table.nrow <= AUTO_PLOT_MAX_ROWS) {
    await drawPlots(plotKinds());
  } else {
    setPlotStatus(`${state.table.nrow} rows: press "Draw plots" (a dot per row)`, 'waiting');
  }
}

function setPlotStatus(text, phase) {
  $('plot-status').textContent = text;
  if (phase) window.lmmDemo.plotState = phase;
}

function clearPlots() {
  for (const url of state.plotUrls) URL.revokeObjectURL(url);
  state.plotUrls = [];
  $('plots').replaceChildren();
  $('draw-plots').disabled = true;
  $('profile').disabled = true;
  window.lmmDemo.plots = {};
  window.lmmDemo.plotData = {};
  window.lmmDemo.plotError = null;
  setPlotStatus('', 'none');
}

/** Shows one plot's SVG text as an image (a standalone document: its own style sheet applies, the page's CSP stays strict). */
function showPlot(kind, svg) {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  state.plotUrls.push(url);
  const figure = document.createElement('figure');
  figure.dataset.kind = kind;
  const img = document.createElement('img');
  img.alt = PLOT_TITLES[kind];
  img.src = url;
  figure.append(img);
  const old = $('plots').querySelector(`figure[data-kind="${kind}"]`);
  if (old) old.replaceWith(figure);
  else $('plots').append(figure);
  window.lmmDemo.plots[kind] = svg;
}

/**
 * Asks the worker for each plot's data and draws it here, one plot per task so the page keeps painting.
 * Cancel stops it like a fit (a profile refits the model along each parameter: seconds on larger models).
 */
async function drawPlots(kinds) {
  const model = state.model;
  if (!model || state.fitting) return;
  const controller = new AbortController();
  state.fitting = controller;
  $('fit').disabled = true;
  $('draw-plots').disabled = true;
  $('profile').disabled = true;
  $('cancel').disabled = false;
  window.lmmDemo.plotError = null;
  setPlotStatus(kinds.includes('profile') ? 'profiling the likelihood in the worker…' : 'drawing…', 'drawing');
  try {
    const { drawPlot } = await plotDrawer();
    for (const kind of kinds) {
      const data = await worker.plotData(kind, model, { signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve)); // a frame between plots
      window.lmmDemo.plotData[kind] = data.toJSON();
      showPlot(kind, drawPlot(data.toJSON()));
    }
    setPlotStatus('', 'drawn');
  } catch (e) {
    if (controller.signal.aborted) {
      setPlotStatus('cancelled: the worker was stopped (fit again for plots)', 'cancelled');
      state.model = null; // it lived in the stopped worker
    } else {
      setPlotStatus(`${e.name}: ${e.message}`, 'error');
      window.lmmDemo.plotError = `${e.name}: ${e.message}`;
    }
  } finally {
    state.fitting = null;
    $('fit').disabled = false;
    $('cancel').disabled = true;
    $('draw-plots').disabled = !state.model;
    $('profile').disabled = state.model?.kind !== 'lmer';
  }
}

$('dataset').addEventListener('change', (e) => {
  if (e.target.value !== 'file') loadDataset(e.target.value);
});
$('file').addEventListener('change', (e) => e.target.files[0] && loadFile(e.target.files[0]));
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files[0]) loadFile(e.dataTransfer.files[0]);
});
$('formula').addEventListener('input', () => checkFormula('formula', 'formula-error'));
$('compare').addEventListener('input', () => checkFormula('compare', 'compare-error'));
$('formula').addEventListener('keydown', (e) => e.key === 'Enter' && fit());
$('fit').addEventListener('click', fit);
$('cancel').addEventListener('click', () => state.fitting?.abort());
$('draw-plots').addEventListener('click', () => drawPlots(plotKinds()));
$('profile').addEventListener('click', () => drawPlots(['profile']));

loadDataset('sleepstudy').catch((e) => showError($('fit-error'), e));
