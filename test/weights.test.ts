// Prior weights on lm and lmer against R 4.2.2 / lme4 1.1-31 / lmerTest 3.1-3 (scripts/r/weights-cases.R):
// sleepstudy with w = 1 + ((i - 1) mod 5) / 2 on row i (1-based), and the same with rows 7 and 100 at 0.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { lm } from '../src/fit/lm.js';
import { lmer } from '../src/fit/lmer.js';
import { DataError } from '../src/errors.js';
import { ranova, summary } from '../src/index.js';

const sleep = readDataFile('data/sleepstudy.csv');
const weightsOf = (id: string): number[] =>
  Array.from({ length: sleep.nrow }, (_, k) => (id === 'wz' && (k === 6 || k === 99) ? 0 : 1 + (k % 5) / 2));
const fixture = (id: string) => JSON.parse(readFileSync(`test/fixtures/weights/${id}.json`, 'utf8'));
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('lm with prior weights', () => {
  for (const id of ['lm_sleep_w', 'lm_sleep_wzero']) {
    it(`${id}: coefficients, SEs, σ, R², F, logLik and the summary text as R`, () => {
      const g = fixture(id);
      const m = lm(g.formula, sleep, { weights: weightsOf(g.weights), dataName: 'sleepstudy' });
      // exact linear algebra: R's own QR agrees to rounding
      m.beta.forEach((b, i) => expect(rel(b, g.coefficients[i])).toBeLessThan(1e-10));
      m.standardErrors().forEach((s, i) => expect(rel(s, g.se[i])).toBeLessThan(1e-10));
      expect(rel(m.sigma, g.sigma)).toBeLessThan(1e-10);
      expect(m.dfResidual).toBe(g.df);
      expect(m.nobs).toBe(g.nobs);
      const fit = m.goodnessOfFit();
      expect(rel(fit.rSquared, g.r_squared)).toBeLessThan(1e-10);
      expect(rel(fit.adjRSquared, g.adj_r_squared)).toBeLessThan(1e-10);
      expect(rel(fit.fStatistic!.value, g.fstatistic[0])).toBeLessThan(1e-10);
      expect(rel(m.logLik(), g.logLik)).toBeLessThan(1e-10);
      expect(rel(m.AIC(), g.AIC)).toBeLessThan(1e-10);
      expect(rel(m.BIC(), g.BIC)).toBeLessThan(1e-10);
      expect(rel(m.deviance(), g.deviance)).toBeLessThan(1e-10);
      m.fitted().slice(0, 10).forEach((f, i) => expect(rel(f, g.fitted_first10[i])).toBeLessThan(1e-10));
      m.residuals().slice(0, 10).forEach((r, i) => expect(rel(r, g.residuals_first10[i])).toBeLessThan(1e-9));
      // R's hatvalues leave out the rows of weight 0; ours keep them (at 0) to stay one per model-frame row
      const w = weightsOf(g.weights);
      m.hatValues().filter((_, i) => w[i] !== 0).slice(0, 10).forEach((h, i) => expect(rel(h, g.hat_first10[i])).toBeLessThan(1e-10));
      // R prints the call with the weights' name; ours are an array here, so name them as R's column
      const text = String(summary(m)).replace('weights = weights', `weights = ${g.weights}`);
      expect(text.split('\n')).toEqual(g.summary_text.split('\n'));
    });
  }

  it('a weights column by name equals the same weights as an array, and prints its name', () => {
    const rows = Array.from({ length: sleep.nrow }, (_, k) => ({
      Reaction: (sleep.columns.get('Reaction') as { values: Float64Array }).values[k],
      Days: (sleep.columns.get('Days') as { values: Float64Array }).values[k],
      w: weightsOf('w')[k],
    }));
    const a = lm('Reaction ~ Days', rows, { weights: 'w' });
    const b = lm('Reaction ~ Days', rows, { weights: weightsOf('w') });
    expect(a.beta).toEqual(b.beta);
    expect(String(a)).toContain('weights = w)');
  });

  it('bad weights: a DataError naming the row (negative, NaN, infinite), the length, or the column', () => {
    const w = weightsOf('w');
    const at = (k: number, v: number) => w.map((x, i) => (i === k ? v : x));
    expect(() => lm('Reaction ~ Days', sleep, { weights: at(4, -1) })).toThrow(/negative \(row 5 has -1\)/);
    expect(() => lm('Reaction ~ Days', sleep, { weights: at(9, NaN) })).toThrow(/row 10 is NaN/);
    expect(() => lm('Reaction ~ Days', sleep, { weights: at(0, Infinity) })).toThrow(/finite \(row 1 is infinite\)/);
    expect(() => lm('Reaction ~ Days', sleep, { weights: w.slice(1) })).toThrow(/179 values but the data has 180 rows/);
    expect(() => lm('Reaction ~ Days', sleep, { weights: 'nope' })).toThrow(DataError);
    expect(() => lm('Reaction ~ Days', sleep, { weights: 'Subject' })).toThrow(/must be numeric/);
    expect(() => lm('Reaction ~ Days', sleep, { weights: w.map(() => 0) })).toThrow(/every weight is 0/);
  });
});

describe('lmer with prior weights', () => {
  for (const id of ['lmer_sleep_w_reml', 'lmer_sleep_w_ml']) {
    it(`${id}: criterion, θ, β, σ, SEs, Satterthwaite df and the summary as lme4 + lmerTest`, { timeout: 60_000 }, () => {
      const g = fixture(id);
      const m = lmer(g.formula, sleep, { weights: weightsOf(g.weights), REML: g.REML, dataName: 'sleepstudy' });
      // the golden tolerances of test/lmer-golden.test.ts: criterion 1e-6 relative, θ 1e-3, β 1e-4, SE 1e-3
      expect(rel(g.REML ? (m.REMLcrit() as number) : (m.deviance() as number), g.objective)).toBeLessThan(1e-6);
      expect(rel(m.logLik(), g.logLik)).toBeLessThan(1e-6);
      m.theta.forEach((t, i) => expect(Math.abs(t - g.theta[i])).toBeLessThan(1e-3));
      m.beta.forEach((b, i) => expect(rel(b, g.beta[i])).toBeLessThan(1e-4));
      expect(rel(m.sigma, g.sigma)).toBeLessThan(1e-4);
      m.standardErrors().forEach((s, i) => expect(rel(s, g.se[i])).toBeLessThan(1e-3));
      m.coefficientTable().forEach((c, i) => expect(rel(c.df as number, g.df[i])).toBeLessThan(1e-3));
      m.fitted().slice(0, 10).forEach((f, i) => expect(rel(f, g.fitted_first10[i])).toBeLessThan(1e-4));
      m.residuals().slice(0, 10).forEach((r, i) => expect(Math.abs(r - g.residuals_first10[i])).toBeLessThan(1e-3));
      const text = String(summary(m)).replace('Weights: weights', `Weights: ${g.weights}`);
      expect(text.split('\n')).toEqual(g.summary_text.split('\n'));
    });
  }

  it('equal weights c are the same model: criterion and β unchanged, σ × √c, θ ÷ √c (Var yᵢ = σ²/wᵢ)', { timeout: 60_000 }, () => {
    const a = lmer('Reaction ~ Days + (Days | Subject)', sleep);
    const b = lmer('Reaction ~ Days + (Days | Subject)', sleep, { weights: weightsOf('w').map(() => 2) });
    // two optimizer runs from different starts: agreement to the golden tolerances, not to rounding
    expect(rel(b.REMLcrit() as number, a.REMLcrit() as number)).toBeLessThan(1e-8);
    b.beta.forEach((v, i) => expect(rel(v, a.beta[i])).toBeLessThan(1e-4));
    b.theta.forEach((t, i) => expect(Math.abs(t * Math.SQRT2 - a.theta[i])).toBeLessThan(1e-3));
    expect(rel(b.sigma, a.sigma * Math.SQRT2)).toBeLessThan(1e-4);
  });

  it('a zero weight is refused (lme4 gives an infinite criterion), as are negative and missing ones', () => {
    const w = weightsOf('wz');
    expect(() => lmer('Reaction ~ Days + (Days | Subject)', sleep, { weights: w })).toThrow(/must be positive \(model row 7, data row 7, is 0/);
    expect(() => lmer('Reaction ~ Days + (1 | Subject)', sleep, { weights: w.map((v) => -v) })).toThrow(/negative \(row 1 has -1\)/);
    expect(() => lmer('Reaction ~ Days + (1 | Subject)', sleep, { weights: w.map((v, i) => (i === 3 ? NaN : v)) })).toThrow(/row 4 is NaN/);
  });
});

describe('--weights on the command line', () => {
  it('passes a column to lm (R: lm(Reaction ~ Days, weights = Days)) and to lmer, whose zero weights are refused', async () => {
    const { run, EXIT_CODES } = await import('../src/cli/main.js');
    const out: string[] = [];
    const err: string[] = [];
    expect(run(['fit', 'data/sleepstudy.csv', 'Reaction ~ Days', '--weights', 'Days'], (s) => out.push(s), (s) => err.push(s))).toBe(0);
    expect(out.join('')).toContain('weights = Days');
    const err2: string[] = [];
    const code = run(['fit', 'data/sleepstudy.csv', 'Reaction ~ Days + (1 | Subject)', '--weights', 'Days'], () => undefined, (s) => err2.push(s));
    expect(code).toBe(EXIT_CODES.data);
    expect(err2.join('')).toContain('lmer weights must be positive');
  });
});

describe('ranova of a weighted lmer', () => {
  for (const id of ['ranova_sleep_w_int', 'ranova_sleep_w_slope']) {
    it(`${id}: the reduced fits keep the weights (lmerTest's table)`, { timeout: 60_000 }, () => {
      const g = fixture(id);
      const m = lmer(g.formula, sleep, { weights: weightsOf('w') });
      const t = ranova(m);
      expect(t.rows.map((r) => r.name)).toEqual(g.rows);
      t.rows.forEach((r, i) => {
        expect(r.npar).toBe(g.npar[i]);
        expect(rel(r.logLik, g.logLik[i])).toBeLessThan(1e-6);
        if (i > 0) expect(Math.abs((r.LRT as number) - g.LRT[i])).toBeLessThan(1e-4);
      });
    });
  }
});
