// The one model contract (src/fit/model.ts) on lm and lmer against R on sleepstudy: print(m), vcov,
// logLik/AIC/BIC, fitted/residuals, and broom's / broom.mixed's tidy and glance columns, computed in R
// from coef(summary(m)) and VarCorr(m) by scripts/r/contract-cases.R. Models are immutable and expose no
// engine or design at run time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { anova, confint, lm, lmer, type FittedModel, type LmModel, type LmerModel, type NamedMatrix } from '../src/index.js';
import * as api from '../src/index.js';
import { readDataFile } from '../src/data/read-file.js';
import { ROOT, relErr } from './helpers/golden.js';

type Json = Record<string, any>;
const fx: Json = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/contract/sleepstudy.json'), 'utf8'));
const sleep = readDataFile(join(ROOT, 'data/sleepstudy.csv'));

function expectMatrix(ours: NamedMatrix, ref: { names: string[]; values: number[][] }, tol: number): void {
  expect(ours.names).toEqual(ref.names);
  const scale = Math.max(...ref.values.flat().map(Math.abs));
  ours.values.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - ref.values[i][j]) / scale).toBeLessThan(tol)));
}

/** Every value reachable from the model's own enumerable and prototype-getter properties, with its path. */
function walk(value: unknown, path: string, seen: Set<unknown>, out: [string, unknown][]): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    const v = (value as Record<PropertyKey, unknown>)[key];
    out.push([`${path}.${String(key)}`, v]);
    walk(v, `${path}.${String(key)}`, seen, out);
  }
}

function checkContract(m: FittedModel): void {
  expect(String(m)).toBe(m.toString());
  expect(inspect(m)).toBe(m.toString());
  const json = JSON.stringify(m);
  expect(json).not.toMatch(/NaN|Infinity|"0":/);
  expect(JSON.parse(json).kind).toBe(m.kind);
  expect(m.predict()).toEqual(m.fitted());
  m.fitted().forEach((f, i) => expect(Math.abs(f + m.residuals()[i] - (sleep.columns.get('Reaction') as { values: Float64Array }).values[i])).toBeLessThan(1e-9));
  const rows = m.augment();
  expect(rows.length).toBe(m.nobs);
  expect(rows[0]).toMatchObject({ Reaction: 249.56, Days: 0, '.fitted': m.fitted()[0], '.resid': m.residuals()[0] });
}

describe('lm (R 4.2 on sleepstudy)', () => {
  const m: LmModel = lm('Reaction ~ Days', sleep, { dataName: 'sleepstudy' });
  const ref = fx.lm;

  it('prints as print(lm)', () => {
    expect(m.toString()).toBe(ref.print_text);
    expect(m.formula).toBe('Reaction ~ Days');
  });

  it('has coef, vcov, logLik, AIC, BIC, fitted and residuals of R', () => {
    for (const [k, v] of Object.entries(ref.coef as Record<string, number>)) expect(relErr(m.coef()[k]!, v)).toBeLessThan(1e-10);
    expectMatrix(m.vcov(), ref.vcov, 1e-10);
    expect(relErr(m.logLik(), ref.glance.logLik)).toBeLessThan(1e-12);
    expect(relErr(m.AIC(), ref.glance.AIC)).toBeLessThan(1e-12);
    expect(relErr(m.BIC(), ref.glance.BIC)).toBeLessThan(1e-12);
    ref.fitted_first10.forEach((v: number, i: number) => expect(relErr(m.fitted()[i], v)).toBeLessThan(1e-10));
    ref.residuals_first10.forEach((v: number, i: number) => expect(Math.abs(m.residuals()[i] - v)).toBeLessThan(1e-9));
    checkContract(m);
    // broom's augment columns from R's influence measures
    const rows = m.augment();
    for (const [col, key] of [['.hat', 'hat_first10'], ['.sigma', 'sigma_first10'], ['.cooksd', 'cooksd_first10'], ['.std.resid', 'std_resid_first10']]) {
      ref[key].forEach((v: number, i: number) => expect(relErr(rows[i][col] as number, v), `${col}[${i}]`).toBeLessThan(1e-8));
    }
  });

  it('is immutable and exposes no design or QR pieces at run time', () => {
    const found: [string, unknown][] = [];
    walk(m, 'm', new Set(), found);
    const names = found.map(([p]) => p.split('.').pop()!);
    for (const internal of ['prepared', 'keptColumns', 'coefficients', 'rDiag', 'vcov']) expect(names).not.toContain(internal);
    expect(found.filter(([, v]) => ArrayBuffer.isView(v))).toEqual([]);
    expect(Object.isFrozen(m)).toBe(true);
  });

  it("gives broom's tidy and glance", () => {
    const tidy = m.tidy();
    expect(tidy.map((r) => r.term)).toEqual(ref.tidy.map((r: Json) => r.term));
    tidy.forEach((r, i) => {
      const e = ref.tidy[i];
      expect(r.effect).toBe('fixed');
      expect(relErr(r.estimate, e.estimate)).toBeLessThan(1e-10);
      expect(relErr(r['std.error']!, e['std.error'])).toBeLessThan(1e-10);
      expect(relErr(r.statistic!, e.statistic)).toBeLessThan(1e-10);
      expect(relErr(r['p.value']!, e['p.value'])).toBeLessThan(1e-6);
      expect(r.df).toBe(ref.glance['df.residual']);
    });
    const g = m.glance();
    for (const [k, v] of Object.entries(ref.glance as Record<string, number>)) {
      expect(g[k], k).not.toBeNull();
      expect(relErr(g[k] as number, v), k).toBeLessThan(k === 'p.value' ? 1e-6 : 1e-10);
    }
  });
});

describe('lmer (lme4 1.1-31 / lmerTest 3.1-3 on sleepstudy)', () => {
  const m: LmerModel = lmer('Reaction ~ Days + (Days | Subject)', sleep, { dataName: 'sleepstudy' });
  const ref = fx.lmer;

  it('prints as print(m) and print(VarCorr(m))', () => {
    expect(m.toString()).toBe(ref.print_text);
    expect(m.varCorr().toString()).toBe(ref.varcorr_text);
  });

  it('prints an ML fit (AIC table) and a singular fit (optimizer report) as print(m)', () => {
    expect(lmer('Reaction ~ Days + (Days | Subject)', sleep, { REML: false, dataName: 'sleepstudy' }).toString()).toBe(fx.prints.sleep_ml);
    const dyestuff2 = readDataFile(join(ROOT, 'data/Dyestuff2.csv'));
    expect(String(lmer('Yield ~ 1 + (1 | Batch)', dyestuff2, { dataName: 'Dyestuff2' }))).toBe(fx.prints.dyestuff2_singular);
  });

  it('has fixef, vcov, logLik, AIC, BIC, fitted and residuals of lme4 (1e-6 relative)', () => {
    for (const [k, v] of Object.entries(ref.fixef as Record<string, number>)) expect(relErr(m.fixef()[k], v)).toBeLessThan(1e-6);
    expectMatrix(m.vcov(), ref.vcov, 1e-5);
    expect(relErr(m.logLik(), ref.glance.logLik)).toBeLessThan(1e-6);
    expect(relErr(m.AIC(), ref.glance.AIC)).toBeLessThan(1e-6);
    expect(relErr(m.BIC(), ref.glance.BIC)).toBeLessThan(1e-6);
    ref.fitted_first10.forEach((v: number, i: number) => expect(relErr(m.fitted()[i], v)).toBeLessThan(1e-6));
    ref.fixed_first10.forEach((v: number, i: number) => expect(relErr(m.predict(undefined, { re: false })[i], v)).toBeLessThan(1e-6));
    checkContract(m);
    expect(m.augment()[0]['.fixed']).toBeCloseTo(ref.fixed_first10[0], 3);
  });

  it("gives broom.mixed's tidy (fixed with Satterthwaite df, then ran_pars) and glance", () => {
    const tidy = m.tidy();
    expect(tidy.map((r) => [r.effect, r.group, r.term])).toEqual(ref.tidy.map((r: Json) => [r.effect, r.group, r.term]));
    tidy.forEach((r, i) => {
      const e = ref.tidy[i];
      // θ̂ differs from lme4's in the 6th digit (two optimizers on a flat likelihood); correlations absolute
      if (r.term.startsWith('cor__')) expect(Math.abs(r.estimate - e.estimate)).toBeLessThan(1e-4);
      else expect(relErr(r.estimate, e.estimate)).toBeLessThan(1e-5);
      if (r.effect === 'fixed') {
        expect(relErr(r['std.error']!, e['std.error'])).toBeLessThan(1e-5);
        expect(relErr(r.statistic!, e.statistic)).toBeLessThan(1e-5);
        expect(relErr(r.df!, e.df)).toBeLessThan(1e-4);
        expect(relErr(r['p.value']!, e['p.value'])).toBeLessThan(1e-4);
      } else {
        expect([r['std.error'], r.statistic, r.df, r['p.value']]).toEqual([null, null, null, null]);
      }
    });
    const g = m.glance();
    for (const [k, v] of Object.entries(ref.glance as Record<string, number>)) {
      expect(relErr(g[k] as number, v), k).toBeLessThan(1e-6);
    }
    expect(g.deviance).toBeNull();
  });

  it('is immutable and exposes no engine, design or caches at run time', () => {
    const found: [string, unknown][] = [];
    walk(m, 'm', new Set(), found);
    const names = found.map(([p]) => p.split('.').pop()!);
    for (const internal of ['engine', 'prepared', 'unscaledVcov', 'satterthwaiteCache', 'engineForInference', 'terms', 'keptColumns', 'u', 'b']) {
      expect(names).not.toContain(internal);
    }
    // typed arrays only where documented: the convergence report's gradient and Hessian
    const typed = found.filter(([, v]) => ArrayBuffer.isView(v)).map(([p]) => p);
    expect(typed.filter((p) => !p.startsWith('m.convergence.'))).toEqual([]);
    const proto = Object.getOwnPropertyNames(Object.getPrototypeOf(m));
    expect(proto).not.toContain('engineForInference');
    // the private-state accessors are not part of the package entry
    expect(Object.keys(api)).not.toContain('lmerState');
    expect(Object.keys(api)).not.toContain('lmState');
    expect(Object.isFrozen(m)).toBe(true);
    expect(() => {
      (m as { sigma: number }).sigma = 1;
    }).toThrow(TypeError);
    expect(() => (m.beta as number[]).push(1)).toThrow(TypeError);
  });

  it("gives the same answers whatever inference ran before (each evaluates the engine at its own θ)", () => {
    const f = 'Reaction ~ Days + (1 | Subject)';
    const fresh = lmer(f, sleep);
    const used = lmer(f, sleep);
    const before = JSON.stringify(used);
    // profiles evaluate the deviance far from θ̂; Satterthwaite's df then need the system at θ̂ again
    String(confint(used));
    expect(used.coefficientTable()).toEqual(fresh.coefficientTable());
    expect(String(anova(used))).toBe(String(anova(fresh)));
    expect(JSON.stringify(used)).toBe(before);
  });
});
