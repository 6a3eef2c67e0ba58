// Walks every public function of the package (lmm-wasm and lmm-wasm/node) and checks that a misspelt
// option raises OptionError naming it (issue 9, item 1). A new export must be added to one of the two
// tables below, so no function can be published without deciding how its options are checked.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pkg from '../../src/node.js';
import { OptionError } from '../../src/errors.js';
import { ROOT } from '../helpers/golden.js';

const sleepPath = join(ROOT, 'data/sleepstudy.csv');
const rows = Array.from({ length: 40 }, (_, i) => ({ y: Math.sin(i) * 2 + (i % 4), x: i % 5, g: `g${i % 5}`, c: i % 2 ? 'a' : 'b' }));
let lmer0: pkg.LmerModel;
let lm0: pkg.LmModel;
const m = (): pkg.LmerModel => (lmer0 ??= pkg.lmer('y ~ x + c + (1 | g)', rows));
const l = (): pkg.LmModel => (lm0 ??= pkg.lm('y ~ x', rows));

/** Functions that take an options object: how to call each with `options`. */
const WITH_OPTIONS: Record<string, (options: object) => unknown> = {
  lm: (o) => pkg.lm('y ~ x', rows, o),
  lmer: (o) => pkg.lmer('y ~ x + (1 | g)', rows, o),
  summary: (o) => pkg.summary(m(), o),
  ranova: (o) => pkg.ranova(m(), o as never),
  lsMeans: (o) => pkg.lsMeans(m(), o),
  confint: (o) => pkg.confint(m(), o),
  allFit: (o) => pkg.allFit(m(), o as never),
  parseCsv: (o) => pkg.parseCsv('y,x\n1,2\n', o),
  toDataTable: (o) => pkg.toDataTable(rows, o),
  readDataFile: (o) => pkg.readDataFile(sleepPath, o),
  glmer: (o) => pkg.glmer('y ~ x + (1 | g)', rows.map((r) => ({ ...r, y: r.y > 1 ? 1 : 0 })), { family: 'binomial', ...o }),
  ranef: (o) => pkg.ranef(m(), o),
  'LmerModel#predict': (o) => m().predict(rows, o),
  'LmModel#predict': (o) => l().predict(rows, o as never),
};

/** Exports without an options object (the reason in a word), and the error classes. */
const WITHOUT_OPTIONS = new Set([
  'anova', // variadic models
  'fixef', 'varCorr', 'VarCorr', 'makeFamily', 'expandFormula', 'parseFormula', 'datasetName', 'readSchemaFor',
  'anovaJSON', 'lmJSON', 'lmerJSON', 'printCoefTable', 'printFixef', 'printVarCorr',
  'LmModel', 'LmerModel', 'GlmerModel', // classes: built by lm() / lmer() / glmer()
  'AllFit', 'VarCorrTable', 'RResult', 'ModelSummary', 'GlmerSummary', 'AnovaLRT', 'AnovaType3', 'Ranova', 'LsMeans', 'Confint', // result classes
  'fromArrowTable', 'isArrowTable',
  'init', 'engineModule', 'progressLine', // a compiled module / a stream, not options
  'EnvironmentError',
  'LmmError', 'DataError', 'FormulaError', 'FormulaSyntaxError', 'ModelError', 'NumericalError', 'OptionError', 'ResourceError',
]);

describe('every public function validates its options', () => {
  it('every exported function is in one of the tables', () => {
    const functions = Object.entries(pkg).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    const unclassified = functions.filter((k) => !Object.hasOwn(WITH_OPTIONS, k) && !WITHOUT_OPTIONS.has(k));
    expect(unclassified).toEqual([]);
  });

  it.each(Object.entries(WITH_OPTIONS))('%s: a misspelt key is an OptionError naming it', (name, call) => {
    expect(() => call({ bogusOptionKey: true })).toThrow(OptionError);
    expect(() => call({ bogusOptionKey: true })).toThrow(/unknown option bogusOptionKey/);
  });

  it.each(Object.entries(WITH_OPTIONS))('%s: options that are not an object are an OptionError', (name, call) => {
    expect(() => call('REML' as never)).toThrow(OptionError);
  });

  it.each([
    ['lmer', () => pkg.lmer('y ~ x + (1 | g)', rows, { reml: false } as never), /did you mean REML\?/],
    ['lmer', () => pkg.lmer('y ~ x + (1 | g)', rows, { REML: 'false' as never }), /REML must be true or false/],
    ['lm', () => pkg.lm('y ~ x', rows, { factors: 'x' as never }), /factors must be an array of strings/],
    ['lm', () => pkg.lm('y ~ x', rows, { Factors: ['x'] } as never), /did you mean factors\?/],
    ['confint', () => pkg.confint(m(), { method: 'wald' as never }), /did you mean 'Wald'\?/],
    ['lsMeans', () => pkg.lsMeans(m(), { pairwise: 1 as never }), /pairwise must be true or false/],
    ['readDataFile', () => pkg.readDataFile(sleepPath, { maxBytes: -5 }), /maxBytes must be an integer ≥ 1/],
  ] as [string, () => unknown, RegExp][])('%s: wrong type or value %#', (_, call, message) => {
    expect(call).toThrow(OptionError);
    expect(call).toThrow(message);
  });

  it('valid options still work', () => {
    expect(pkg.lmer('y ~ x + (1 | g)', rows, { REML: false, optimizer: 'nelder-mead', factors: [] }).reml).toBe(false);
    expect(String(pkg.summary(m(), { satterthwaite: false }))).toContain('Fixed effects');
    expect(pkg.readDataFile(sleepPath, { maxBytes: 10_000_000 }).nrow).toBe(180);
  });
});
