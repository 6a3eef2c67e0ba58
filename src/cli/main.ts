/**
 * The `lmm` command line: `lmm fit DATA FORMULA …` and `lmm anova DATA FORMULA FORMULA …`
 * (see src/cli/args.ts). Text output is what R prints, with control characters escaped (a level
 * name cannot drive the terminal); `--json` prints one JSON object. Errors go to stderr with an exit
 * code per error class (EXIT_CODES) and nothing on stdout; a stack trace only with --debug.
 */
import { readFileSync } from 'node:fs';
import {
  DataError,
  FormulaError,
  FormulaSyntaxError,
  LmmError,
  ModelError,
  NumericalError,
  OptionError,
  ResourceError,
} from '../errors.js';
import { escapeControl } from '../base/escape.js';
import { OPTIMIZER_NAMES } from '../options/optimizer-names.js';
import { datasetName, readDataFile } from '../data/read-file.js';
import { lm } from '../fit/lm.js';
import { lmer } from '../fit/lmer.js';
import { expandFormula } from '../formula/expand.js';
import { glmer, type GlmerOptions } from '../glmer-api.js';
import { GlmerSummary } from '../print/glmer-summary.js';
import { anovaLRT, type LrtModel } from '../infer/anova-lrt.js';
import { formatAnovaLRT } from '../print/anova-lrt.js';
import { anovaType3 } from '../infer/anova-type3.js';
import { formatAnovaType3 } from '../print/anova-type3.js';
import { anovaJSON, lmJSON, lmerJSON } from '../print/json.js';
import { summaryLm, summaryLmer } from '../print/summary.js';
import { naMessage } from '../print/lm-summary.js';
import { parseArgs, USAGE, type CliArgs } from './args.js';
import { progressLine, type ProgressStream } from '../print/progress-line.js';
import type { OptimizerName } from '../optim/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Exit code per error class; 3 is an internal error, 8 output that could not be written (bin.ts). */
export const EXIT_CODES = {
  ok: 0,
  data: 1,
  option: 2,
  internal: 3,
  formula: 4,
  model: 5,
  numerical: 6,
  resource: 7,
  output: 8,
} as const;

/** The exit code of an error. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof DataError) return EXIT_CODES.data;
  if (e instanceof OptionError) return EXIT_CODES.option;
  if (e instanceof FormulaError || e instanceof FormulaSyntaxError) return EXIT_CODES.formula;
  if (e instanceof ModelError) return EXIT_CODES.model;
  if (e instanceof NumericalError) return EXIT_CODES.numerical;
  if (e instanceof ResourceError) return EXIT_CODES.resource;
  if (e instanceof LmmError) return EXIT_CODES.model;
  return EXIT_CODES.internal;
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls; DEL, C1 controls and bidi overrides are
 * valid raw in JSON but act on terminals, so they get \u escapes too (the JSON value is unchanged).
 */
function terminalJSON(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes the plots `--plot` asked for (given by bin.ts, which loads the optional plotting packages). */
export type Plotter = (spec: string, model: LrtModel) => void;

const GLMER_ONLY = ['link', 'nAGQ', 'offset'] as const;

function fitOne(args: CliArgs, formula: string, stderr: string[], progress?: ProgressStream): LrtModel {
  const data = readDataFile(args.data, { levels: args.levels, maxBytes: args.maxBytes });
  const common = { dataName: datasetName(args.data), factors: args.factors, contrasts: args.contrasts };
  if (args.family !== undefined) {
    if (args.remlGiven) throw new OptionError('--ml/--reml apply to lmer only: glmer fits by maximum likelihood');
    const { family, link, nAGQ, weights, offset } = args;
    return glmer(formula, data, {
      ...common,
      family,
      ...(link !== undefined ? { link } : {}),
      ...(nAGQ !== undefined ? { nAGQ } : {}),
      ...(weights !== undefined ? { weights } : {}),
      ...(offset !== undefined ? { offset } : {}),
      ...(args.optimizer !== undefined ? { optimizer: args.optimizer as GlmerOptions['optimizer'] } : {}),
    });
  }
  const isMixed = expandFormula(formula).random.length > 0;
  const stray = GLMER_ONLY.find((k) => args[k] !== undefined);
  if (stray !== undefined) throw new OptionError(`--${stray === 'nAGQ' ? 'nagq' : stray} applies to glmer only: add --family binomial or --family poisson`);
  if (!isMixed) {
    if (args.remlGiven && args.command === 'fit') stderr.push('note: --ml/--reml apply to lmer only; this formula fits lm');
    return lm(formula, data, { ...common, ...(args.weights !== undefined ? { weights: args.weights } : {}) });
  }
  // a terminal sees a progress line for fits longer than a second (nothing otherwise)
  const line = progress ? progressLine(progress) : undefined;
  let m;
  try {
    m = lmer(formula, data, { ...common, ...(args.weights !== undefined ? { weights: args.weights } : {}), REML: args.reml, optimizer: args.optimizer as OptimizerName | undefined, ...(line ? { onProgress: line.onProgress } : {}) });
  } finally {
    line?.done();
  }
  if (m.nDropped > 0) stderr.push(naMessage(m.nDropped));
  return m;
}

/** Runs the CLI; returns the exit code. Output is collected and written only on success. */
export function run(argv: readonly string[], rawOut: (s: string) => void, rawErr: (s: string) => void, plotter?: Plotter, progress?: ProgressStream): number {
  const notes: string[] = [];
  const debug = argv.includes('--debug');
  const out = (s: string): void => rawOut(jsonMode ? s : escapeControl(s));
  const err = (s: string): void => rawErr(escapeControl(s));
  let jsonMode = false;
  try {
    const args = parseArgs(argv);
    jsonMode = args.json;
    // glmer's second stage also takes 'bobyqa-scaled' (lmer's options schema refuses it)
    const names: readonly string[] = [...OPTIMIZER_NAMES, 'bobyqa-scaled'];
    if (args.optimizer !== undefined && !names.includes(args.optimizer)) {
      throw new OptionError(`unknown optimizer "${args.optimizer}" (use ${names.join(' or ')})`);
    }
    if (args.command === 'help') {
      out(USAGE + '\n');
      return 0;
    }
    if (args.command === 'version') {
      out(version() + '\n');
      return 0;
    }
    if (args.command === 'fit') {
      if (args.plots.length > 0 && plotter === undefined) throw new OptionError('--plot is not available here (it needs the lmm command)');
      const m = fitOne(args, args.formulas[0], notes, args.json ? undefined : progress);
      if (args.plots.length > 0 && m.kind === 'glmer') throw new OptionError('--plot draws lm and lmer fits; plots of glmer fits are not available yet');
      for (const spec of args.plots) plotter!(spec, m);
      const text =
        m.kind === 'glmer'
          ? args.json
            ? terminalJSON(m.toJSON())
            : String(new GlmerSummary(m))
          : m.kind === 'lm'
          ? args.json
            ? terminalJSON(lmJSON(m))
            : summaryLm(m)
          : args.json
            ? terminalJSON(lmerJSON(m))
            : summaryLmer(m);
      if (!args.json) notes.push(...m.warnings.map((w) => `Warning: ${w}`));
      if (!args.json && m.kind === 'lmer') {
        const so = m.convergence.secondOpinion;
        for (const w of m.convergence.lme4Warnings ?? []) {
          notes.push(`Note: lme4 would warn "${w}", but restarting the optimizer from the optimum lowered the deviance by only ${so ? so.improvement.toExponential(2) : '0'} (tolerance ${so ? so.tolerance.toExponential(2) : '-'}): the fit has converged`);
        }
      }
      for (const n of notes) err(n + '\n');
      out(text + '\n');
      return 0;
    }
    if (args.plots.length > 0) throw new OptionError('--plot applies to lmm fit');
    const models = args.formulas.map((f) => fitOne({ ...args, command: 'anova' }, f, notes, args.json ? undefined : progress));
    if (models.length === 1) {
      const m = models[0];
      if (m.kind !== 'lmer') throw new OptionError('lmm anova with one formula needs random-effects terms (type III tests of an lmer fit)');
      const rows = anovaType3(m);
      for (const n of notes) err(n + '\n');
      out((args.json ? terminalJSON({ type: 'III', ddf: 'Satterthwaite', rows: rows.map((r) => ({ term: r.term, sumSq: r.sumSq, meanSq: r.meanSq, numDf: r.numDf, denDf: r.denDf, F: r.F, p: r.p })) }) : formatAnovaType3(rows).join('\n')) + '\n');
      return 0;
    }
    const named = Object.fromEntries(models.map((m, i) => [`model${i + 1}`, m]));
    const table = anovaLRT(named);
    if (!args.json) for (const msg of table.messages) notes.push(msg);
    for (const n of notes) err(n + '\n');
    out((args.json ? terminalJSON(anovaJSON(table)) : formatAnovaLRT(table).join('\n')) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof LmmError) {
      err(`Error: ${e.message}\n`);
      if (debug && e.stack) err(`${e.stack}\n`);
      return exitCodeOf(e);
    }
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    err(`Internal error: ${what.slice(0, 2000)}\n`);
    err(debug ? `${(e as Error).stack ?? ''}\n` : 'Please report this with the command that caused it (add --debug for the stack trace).\n');
    return EXIT_CODES.internal;
  }
}
