// lme4's convergence checks on the profiled deviance of real models, against lme4 1.1-31:
//  - every lmer golden (test/fixtures/golden): at lme4's θ̂ our finite-difference gradient and Hessian
//    match lme4's @optinfo$derivs, dyestuff2_reml gets the singular-fit message and the others no
//    message or warning (lme4 gave none);
//  - lme4 fits with warnings (test/fixtures/convergence/fits.json, scripts/r/convergence-cases.R): the
//    same warnings, and the restart's second opinion (true non-convergence kept, the false warning of
//    sleepstudy stacked 200 times dismissed).
// The engines are built by hand from the CSVs (X, y and the random-effects terms in lme4's order), so
// these tests depend on the WASM engine only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import type { DataTable, FactorColumn, NumericColumn } from '../src/data/table.js';
import { MixedEngine, type EngineTerm } from '../src/wasm/mixed-engine.js';
import { checkConvergence, confirmWithRestart } from '../src/fit/convergence.js';
import { bobyqa } from '../src/optim/bobyqa.js';

const ROOT = join(import.meta.dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const readJson = (path: string): Json => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const toNumber = (v: number | string | null): number =>
  v === null || v === '-Inf' ? -Infinity : v === 'Inf' ? Infinity : v === 'NaN' || v === 'NA' ? NaN : (v as number);
const vec = (v: Json): Float64Array => Float64Array.from((Array.isArray(v) ? v : [v]).map(toNumber));

const tables = new Map<string, DataTable>();
function table(name: string): DataTable {
  if (!tables.has(name)) tables.set(name, readDataFile(join(ROOT, 'data', `${name}.csv`)));
  return tables.get(name)!;
}
const numeric = (t: DataTable, c: string): Float64Array => (t.columns.get(c) as NumericColumn).values;
const factor = (t: DataTable, c: string): FactorColumn => t.columns.get(c) as FactorColumn;

/** Column-major X from columns. */
function columns(n: number, cols: ((r: number) => number)[]): Float64Array {
  const X = new Float64Array(n * cols.length);
  cols.forEach((col, j) => {
    for (let r = 0; r < n; r++) X[j * n + r] = col(r);
  });
  return X;
}

/** A term from 0-based level codes (unused codes dropped, as lme4's grouping factors have no empty levels). */
function term(rawCodes: ArrayLike<number>, zRow: (r: number) => number[]): EngineTerm {
  const n = rawCodes.length;
  const map = new Map<number, number>();
  const codes = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    if (!map.has(rawCodes[r])) map.set(rawCodes[r], map.size);
    codes[r] = map.get(rawCodes[r])!;
  }
  const p = zRow(0).length;
  const z = new Float64Array(n * p);
  for (let r = 0; r < n; r++) z.set(zRow(r), r * p);
  return { nlev: map.size, p, codes, z };
}
const one = (): number[] => [1];

/** Profiled deviance (ML) or REML criterion of each golden model, as a function of θ. */
const engines: Record<string, () => { engine: MixedEngine; reml: boolean }> = (() => {
  const sleep = (kind: 'ri' | 'slope' | 'uncorr', reml: boolean) => () => {
    const t = table('sleepstudy');
    const days = numeric(t, 'Days');
    const subj = factor(t, 'Subject').codes;
    const terms =
      kind === 'ri'
        ? [term(subj, one)]
        : kind === 'slope'
          ? [term(subj, (r) => [1, days[r]])]
          : [term(subj, one), term(subj, (r) => [days[r]])];
    const engine = new MixedEngine({ n: t.nrow, p: 2, X: columns(t.nrow, [() => 1, (r) => days[r]]), y: numeric(t, 'Reaction'), terms });
    return { engine, reml };
  };
  const intercept = (data: string, response: string, groups: ((t: DataTable) => ArrayLike<number>)[], reml: boolean) => () => {
    const t = table(data);
    const terms = groups.map((g) => term(g(t), one));
    return { engine: new MixedEngine({ n: t.nrow, p: 1, X: columns(t.nrow, [() => 1]), y: numeric(t, response), terms }), reml };
  };
  const cake = () => {
    // recipe * temperature spans the 18 recipe × temperature cell means; the ML deviance depends on X
    // only through its column space, so cell indicators serve for either coding of temperature
    const t = table('cake');
    const recipe = factor(t, 'recipe').codes;
    const temp = factor(t, 'temperature').codes;
    const cell = Array.from({ length: 18 }, (_, k) => (r: number) => (recipe[r] * 6 + temp[r] === k ? 1 : 0));
    const rr = Int32Array.from(recipe, (c, r) => c * 15 + factor(t, 'replicate').codes[r]);
    return { engine: new MixedEngine({ n: t.nrow, p: 18, X: columns(t.nrow, cell), y: numeric(t, 'angle'), terms: [term(rr, one)] }), reml: false };
  };
  const instEval = (reml: boolean) => () => {
    const t = table('InstEval');
    const service = factor(t, 'service').codes;
    const deptService = Int32Array.from(factor(t, 'dept').codes, (d, r) => d * 2 + service[r]);
    const terms = [term(factor(t, 's').codes, one), term(factor(t, 'd').codes, one), term(deptService, one)];
    const X = columns(t.nrow, [() => 1, (r) => service[r]]);
    return { engine: new MixedEngine({ n: t.nrow, p: 2, X, y: numeric(t, 'y'), terms }), reml };
  };
  const sim100k = () => {
    const t = table('sim100k');
    const x = numeric(t, 'x');
    const cond = factor(t, 'cond').codes;
    const terms = [term(factor(t, 'subj').codes, (r) => [1, cond[r]]), term(factor(t, 'item').codes, one)];
    return { engine: new MixedEngine({ n: t.nrow, p: 3, X: columns(t.nrow, [() => 1, (r) => x[r], (r) => cond[r]]), y: numeric(t, 'y'), terms }), reml: false };
  };
  return {
    sleep_ri_reml: sleep('ri', true),
    sleep_slope_reml: sleep('slope', true),
    sleep_slope_ml: sleep('slope', false),
    sleep_uncorr_reml: sleep('uncorr', true),
    dyestuff_reml: intercept('Dyestuff', 'Yield', [(t) => factor(t, 'Batch').codes], true),
    dyestuff2_reml: intercept('Dyestuff2', 'Yield', [(t) => factor(t, 'Batch').codes], true),
    penicillin_reml: intercept('Penicillin', 'diameter', [(t) => factor(t, 'plate').codes, (t) => factor(t, 'sample').codes], true),
    pastes_nested_reml: intercept(
      'Pastes',
      'strength',
      [(t) => Int32Array.from(factor(t, 'batch').codes, (b, r) => b * 3 + factor(t, 'cask').codes[r]), (t) => factor(t, 'batch').codes],
      true,
    ),
    cake_ml: cake,
    cake_ml_treat: cake,
    insteval_ml: instEval(false),
    insteval_reml: instEval(true),
    sim100k_ml: sim100k,
  };
})();

/**
 * How precisely f is known at θ: the spread of f over 16 points within 2⁻⁴² (relative) of θ, at least
 * 1e-14·|f|. Differences of two implementations of the deviance are of this order (rounding), and
 * central differences with step δ turn them into ~ε/δ in the gradient and ~4ε/δ² in the Hessian.
 */
function evaluationNoise(f: (theta: Float64Array) => number, theta: Float64Array, fval: number): number {
  const values = Array.from({ length: 16 }, (_, k) => f(theta.map((t) => t * (1 + (k - 8) * 2 ** -45))));
  return Math.max(Math.max(...values) - Math.min(...values), 1e-14 * Math.abs(fval));
}

/** Our derivatives vs lme4's: equal up to 1e-5 relative plus what the evaluation noise allows. */
function expectDerivsClose(ours: { gradient: Float64Array; hessian: Float64Array }, g: Float64Array, H: number[][], noise: number): void {
  const delta = 1e-4;
  g.forEach((gi, i) => expect(Math.abs(ours.gradient[i] - gi)).toBeLessThanOrEqual(1e-5 * Math.abs(gi) + (2 * noise) / delta));
  const n = g.length;
  const hmax = Math.max(...H.flat().map(Math.abs));
  H.forEach((row, i) =>
    row.forEach((h, j) => expect(Math.abs(ours.hessian[i * n + j] - h)).toBeLessThanOrEqual(1e-5 * hmax + (4 * noise) / delta ** 2)),
  );
}

describe('lme4 checkConv on the lmer goldens', () => {
  for (const [id, build] of Object.entries(engines)) {
    it(id, () => {
      const g = readJson(`test/fixtures/golden/${id}.json`);
      const { engine, reml } = build();
      const f = (theta: Float64Array): number => engine.deviance(theta, reml);
      const theta = vec(g.optimizer.par);
      const lower = vec(Object.values(g.lower));
      const fval = f(theta);
      const objective = reml ? g.REMLcrit : g.deviance;
      // the same function as lme4's: the deviance at lme4's θ̂ agrees to rounding
      expect(Math.abs(fval - objective)).toBeLessThan(1e-12 * Math.abs(objective));
      const check = checkConvergence(f, theta, lower, fval);
      expectDerivsClose(check, vec(g.optimizer.derivs.gradient), g.optimizer.derivs.Hessian.values, evaluationNoise(f, theta, fval));
      expect(check.lme4Messages).toEqual(g.optimizer.lme4_messages);
      expect(check.code).toBe(g.optimizer.lme4_code);
      expect(check.messages).toEqual(g.fit_messages);
      expect(check.warnings).toEqual(g.fit_warnings);
      expect(check.singular).toBe(g.isSingular);
    });
  }
});

/** sleepstudy stacked K times, Subject relabelled per copy: Reaction ~ Days + (Days | Subject). */
function sleepReplicated(K: number): MixedEngine {
  const t = table('sleepstudy');
  const n0 = t.nrow;
  const days = numeric(t, 'Days');
  const reaction = numeric(t, 'Reaction');
  const subject = factor(t, 'Subject');
  const n = n0 * K;
  const at = (r: number): number => r % n0;
  const codes = Int32Array.from({ length: n }, (_, r) => Math.floor(r / n0) * subject.levels.length + subject.codes[at(r)]);
  const y = Float64Array.from({ length: n }, (_, r) => reaction[at(r)]);
  const X = columns(n, [() => 1, (r) => days[at(r)]]);
  return new MixedEngine({ n, p: 2, X, y, terms: [term(codes, (r) => [1, days[at(r)]])] });
}

/** The number in lme4's "max|grad| = …" text, and the text with it blanked. */
function splitGradText(text: string): { value: number; rest: string } | null {
  const m = /max\|grad\| = ([^ ]+) /.exec(text);
  return m ? { value: Number(m[1]), rest: text.replace(m[1], '#') } : null;
}

/** Same texts, the max|grad| numbers within `tol` (relative). */
function expectSameTexts(ours: string[], theirs: string[], tol: number): void {
  expect(ours.length).toBe(theirs.length);
  ours.forEach((text, i) => {
    const a = splitGradText(text);
    const b = splitGradText(theirs[i]);
    if (b === null) {
      expect(text).toBe(theirs[i]);
      return;
    }
    expect(a).not.toBeNull();
    expect(a!.rest).toBe(b.rest);
    expect(Math.abs(a!.value - b.value)).toBeLessThanOrEqual(tol * b.value);
  });
}

describe('lme4 fits with convergence warnings (fixtures/convergence/fits.json)', () => {
  const fits = readJson('test/fixtures/convergence/fits.json');
  for (const c of fits.cases) {
    const engine = sleepReplicated(c.replicates);
    const f = (theta: Float64Array): number => engine.deviance(theta, c.REML);
    const theta = vec(c.par);
    const lower = vec(c.lower);
    const fval = f(theta);
    const check = checkConvergence(f, theta, lower, fval);
    const noise = evaluationNoise(f, theta, fval);
    // the optimizer's own warning ("convergence code 5 from nloptwrap: …") is the fit's business
    const lme4Warnings: string[] = c.fit_warnings.filter((w: string) => !w.startsWith('convergence code'));
    const restart = (t0: Float64Array): { theta: Float64Array; fval: number } => {
      const r = bobyqa(f, t0, lower, new Float64Array(t0.length).fill(Infinity));
      return { theta: r.x, fval: r.fx };
    };

    it(`${c.id}: derivatives and lme4's warnings`, () => {
      expect(Math.abs(fval - c.objective[0])).toBeLessThan(1e-12 * Math.abs(fval));
      expectDerivsClose(check, vec(c.derivs.gradient), c.derivs.hessian, noise);
      // max|grad| comes from the gradient and the Hessian's Cholesky factor: within their noise
      const tol = 1e-4 + (4 * noise) / 1e-4 / Math.max(check.maxGradient ?? 1, 1e-3);
      expectSameTexts(check.warnings, lme4Warnings, tol);
      expectSameTexts(check.lme4Messages, c.lme4_messages, tol);
      expect(check.code).toBe(c.lme4_code === null ? null : c.lme4_code[0]);
      expect(check.messages).toEqual(c.fit_messages);
    });

    it(`${c.id}: second opinion by restarting the optimizer`, () => {
      let restarted = false;
      const opinion = confirmWithRestart(check, fval, theta, (t0) => {
        restarted = true;
        return restart(t0);
      });
      if (c.id.includes('maxeval')) {
        // stopped early: the restart goes clearly lower, lme4's warning stands
        expect(opinion.secondOpinion?.confirmed).toBe(true);
        expect(opinion.secondOpinion!.improvement).toBeGreaterThan(1e-3);
        expect(opinion.warnings).toEqual(check.warnings);
        expect(opinion.lme4Warnings).toEqual([]);
      } else if (lme4Warnings.length > 0) {
        // the deviance is K times sleepstudy's, θ̂ is sleepstudy's optimum: lme4's warning is false
        expect(opinion.secondOpinion?.confirmed).toBe(false);
        expect(opinion.secondOpinion!.improvement).toBeLessThan(opinion.secondOpinion!.tolerance);
        expect(opinion.warnings).toEqual([]);
        expect(opinion.lme4Warnings).toEqual(check.warnings);
        expect(opinion.code).toBe(-1); // lme4's verdict is kept for reference
      } else {
        expect(restarted).toBe(false);
        expect(opinion).toBe(check);
      }
    });
  }
});
