// Every result kind is one kind of object (RResult): console.log (util.inspect) and String() give R's
// text, JSON.stringify gives plain JSON (no NaN, no typed arrays as {"0":…}) with the numbers of its
// fields. The texts are compared with R's (goldens and fixtures made by scripts/r/*.R).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  allFit,
  anova,
  confint,
  lm,
  lmer,
  lsMeans,
  ranova,
  RResult,
  summary,
  varCorr,
  VarCorr,
  type DataInput,
} from '../src/index.js';
import { readDataFile } from '../src/data/read-file.js';
import { ROOT, expectSameText, loadGolden } from './helpers/golden.js';

type Json = Record<string, any>;
const fixture = (path: string): Json => JSON.parse(readFileSync(join(ROOT, 'test/fixtures', path), 'utf8'));
const sleep = readDataFile(join(ROOT, 'data/sleepstudy.csv'));

/** The three views agree, and the JSON is plain. */
function expectRResult(x: RResult): { text: string; json: Json } {
  expect(x).toBeInstanceOf(RResult);
  const text = String(x);
  expect(inspect(x)).toBe(text);
  expect(`${x}`).toBe(text);
  const raw = JSON.stringify(x);
  expect(raw).not.toMatch(/NaN|Infinity|"0":/);
  const json = JSON.parse(raw) as Json;
  expect(json).not.toBeNull();
  return { text, json };
}

describe('results print as R and serialize as plain JSON', () => {
  const slope = lmer('Reaction ~ Days + (Days | Subject)', sleep, { dataName: 'sleepstudy' });

  it('summary(lmer)', () => {
    const s = summary(slope);
    const { text, json } = expectRResult(s);
    expectSameText(text, loadGolden('sleep_slope_reml').summary_text, 2, 1e-4);
    expect(json.coefficients.map((r: Json) => r.term)).toEqual(['(Intercept)', 'Days']);
    expect(json.coefficients[1].df).toBeCloseTo(s.coefficients[1].df!, 10);
    expect(json.varCorr.at(-1)).toEqual({ group: 'Residual', var1: null, var2: null, vcov: slope.sigma ** 2, sdcor: slope.sigma });
  });

  it('summary(lm)', () => {
    const m = lm('Reaction ~ Days', sleep, { dataName: 'sleepstudy' });
    const { text, json } = expectRResult(summary(m));
    expect(text).toBe(loadGolden('sleep_lm').summary_text);
    expect(json.goodnessOfFit.rSquared).toBe(m.goodnessOfFit().rSquared);
  });

  it('anova of several models (likelihood ratio)', () => {
    const g = fixture('anova/anova_three.json');
    const fm0 = lm('Reaction ~ Days', sleep, { dataName: 'sleepstudy' });
    const fm1 = lmer('Reaction ~ Days + (1 | Subject)', sleep, { dataName: 'sleepstudy' });
    const a = anova({ fm2: slope, fm0, fm1 });
    const { text, json } = expectRResult(a);
    expectSameText(text, g.printed_text, 2, 1e-5);
    expect(json.rows.map((r: Json) => r.name)).toEqual(['fm0', 'fm1', 'fm2']);
    expect(json.rows[0].chisq).toBeNull();
  });

  it('anova of one lmer (type III)', () => {
    const { text, json } = expectRResult(anova(slope));
    expectSameText(text, loadGolden('sleep_slope_reml').anova_typeIII_text, 1, 1e-4);
    expect(json.rows[0].term).toBe('Days');
  });

  it('ranova, varCorr (and the deprecated VarCorr alias)', () => {
    const c = fixture('inference/sleep_slope.json');
    const m = lmer(c.formula, sleep, { REML: c.REML, theta: c.theta });
    const r = expectRResult(ranova(m));
    expectSameText(r.text, c.ranova_text, 1, 1e-6);
    expect(r.json.rows[0].name).toBe('<none>');
    const v = expectRResult(varCorr(m));
    expect(v.text).toBe(c.varcorr_text);
    expect(v.json.rows.length).toBe(4);
    expect(String(VarCorr(m))).toBe(v.text);
  });

  it('confint (Wald and profile)', () => {
    const c = fixture('inference/sleep_slope.json');
    const m = lmer(c.formula, sleep, { REML: c.REML, theta: c.theta });
    const w = expectRResult(confint(m, { method: 'Wald' }));
    expect(w.json.rows[0]).toEqual({ name: '.sig01', lower: null, upper: null });
    const p = expectRResult(confint(m, { oldNames: false }));
    // lme4 interpolates the profile with a spline (bounds agree to ~5e-5), so the printed widths may differ
    // by a digit: compare the row names and the numbers of each line
    const rowsOf = (t: string): [string, number[]][] =>
      t.split('\n').slice(1).map((l) => [l.split(/\s+/)[0], l.trim().split(/\s+/).slice(1).map(Number)]);
    const ours = rowsOf(p.text);
    const ref = rowsOf(c.confint_profile_text);
    expect(ours.map(([n]) => n)).toEqual(ref.map(([n]) => n));
    ours.forEach(([, v], i) => v.forEach((x, j) => expect(Math.abs(x - ref[i][1][j])).toBeLessThan(1e-3 * Math.max(1, Math.abs(x)))));
    expect(p.text.split('\n')[0]).toMatch(/2\.5 % +97\.5 %$/);
  });

  it('lsMeans', () => {
    const c = fixture('inference/cake.json');
    const m = lmer(c.formula, readDataFile(join(ROOT, c.data)) as DataInput, { REML: c.REML, theta: c.theta });
    const { text, json } = expectRResult(lsMeans(m));
    expectSameText(text, c.ls_means_text, 1, 1e-4);
    expect(json.rows.length).toBe(c.ls_means.length);
  });

  it('allFit', () => {
    const { text, json } = expectRResult(allFit(slope));
    expect(text.split('\n')[0]).toBe('$fixef');
    expect(text).toMatch(/^bobyqa +251\.40\d+ +10\.467\d+$/m);
    expect(json.fits.map((f: Json) => f.optimizer)).toEqual(['bobyqa', 'nelder-mead', 'newton']);
    expect(json.objectiveSpread).toBeLessThan(1e-6);
  });

  it('the models themselves', () => {
    expect(expectRResult(slope).json.kind).toBe('lmer');
    expect(expectRResult(lm('Reaction ~ Days', sleep)).json.kind).toBe('lm');
  });
});
