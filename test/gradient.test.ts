// The exact gradient of the profiled deviance (assembly/gradient.ts) against central finite differences
// of the deviance, on every golden lmer model (nesting chains of several terms, as (1|a/b) and `||`, among
// them), at lme4's θ̂ and at a point away from the optimum, by ML and by REML.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/data/csv.js';
import { MixedEngine, type EngineInput } from '../src/wasm/mixed-engine.js';
import { engineInputFor } from './helpers/engine-input.js';
import { extraLmerIds, goldenData, goldenIds, loadGolden } from './helpers/golden.js';

const ids = [...goldenIds('lmer'), ...extraLmerIds()];

/**
 * Central differences with Richardson extrapolation (steps h and h/2): truncation error O(h⁴), so a
 * step of 1e-3 keeps the rounding of a 2e5-sized deviance (InstEval) below 1e-7 of the gradient. The
 * deviance is smooth in θ everywhere (Λ'Z'ZΛ + I is positive definite for every θ), across 0 too.
 */
function numericGradient(f: (t: Float64Array) => number, theta: Float64Array, h: number): Float64Array {
  const g = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    const d = (step: number): number => {
      const a = Float64Array.from(theta);
      const b = Float64Array.from(theta);
      a[i] += step;
      b[i] -= step;
      return (f(a) - f(b)) / (2 * step);
    };
    g[i] = (4 * d(h / 2) - d(h)) / 3;
  }
  return g;
}

/** Lower bounds of θ: 0 on each term's diagonal (lme4's order, T's lower triangle column by column). */
function thetaLower(input: EngineInput): number[] {
  return input.terms.flatMap((t) => Array.from({ length: t.p }, (_, c) => Array.from({ length: t.p - c }, (_, k) => (k === 0 ? 0 : -Infinity))).flat());
}

describe.each(ids)('exact gradient %s', (id) => {
  const g = loadGolden(id);
  // the factor lmer would choose (InstEval: sparse)
  const input = engineInput(id, 'auto');
  const engine = new MixedEngine(input);
  const lower = thetaLower(input);
  const lme4Theta = Float64Array.from(Object.values(g.theta) as number[]);
  // away from the optimum: off-diagonals moved, diagonals scaled (kept off zero, where the deviance is not smooth in general)
  const away = lme4Theta.map((t, i) => (lower[i] === 0 ? Math.max(t, 0.05) * 1.3 + 0.02 : t + 0.1 * (i % 2 ? 1 : -1)));
  for (const reml of [false, true]) {
    for (const [where, theta] of [['at lme4 θ', lme4Theta], ['away', away]] as const) {
      it(`${reml ? 'REML' : 'ML'} ${where}`, () => {
        const exact = engine.devianceGradient(theta, reml);
        expect(exact).not.toBeNull();
        if (exact === null) return;
        const fd = numericGradient((t) => engine.deviance(t, reml), theta, 1e-3);
        const scale = Math.max(1, ...Array.from(fd, Math.abs));
        for (let i = 0; i < theta.length; i++) {
          // at a diagonal θ of 0 the deviance is even in it: both are 0 there
          expect(Math.abs(exact[i] - fd[i]) / scale, `component ${i}: exact ${exact[i]} vs fd ${fd[i]}`).toBeLessThan(1e-6);
        }
      });
    }
  }
});

/** The golden's engine input, the crossed block factored as `factor` says. */
function engineInput(id: string, factor: 'auto' | 'dense' | 'sparse'): EngineInput {
  const g = loadGolden(id);
  return engineInputFor(g.formula, goldenData(g), factor);
}

// The sparse supernodal path (no dense block to invert): the ML and REML gradients from the selected inverse,
// against central differences and against the dense path's gradient, with slopes, crossed and
// nested-in-crossed terms.
describe.each(['sleep_slope_ml', 'penicillin_reml', 'cake_ml', 'dyestuff_reml'])('exact gradient, crossed block forced sparse: %s', (id) => {
  const g = loadGolden(id);
  const sparse = new MixedEngine(engineInput(id, 'sparse'));
  const dense = new MixedEngine(engineInput(id, 'dense'));
  const lme4Theta = Float64Array.from(Object.values(g.theta) as number[]);
  const away = lme4Theta.map((t, i) => t * 1.3 + 0.02 + 0.05 * (i % 2));
  for (const [where, theta, reml] of [['at lme4 θ', lme4Theta, false], ['away', away, false], ['at lme4 θ', lme4Theta, true], ['away', away, true]] as const) {
    it(`${reml ? 'REML' : 'ML'} ${where}`, () => {
      expect(sparse.factorKind.kind).toBe('sparse');
      const exact = sparse.devianceGradient(theta, reml);
      expect(exact).not.toBeNull();
      if (exact === null) return;
      const fd = numericGradient((t) => sparse.deviance(t, reml), theta, 1e-3);
      const ref = dense.devianceGradient(theta, reml)!;
      const scale = Math.max(1, ...Array.from(fd, Math.abs));
      for (let i = 0; i < theta.length; i++) {
        expect(Math.abs(exact[i] - fd[i]) / scale, `component ${i}: exact ${exact[i]} vs fd ${fd[i]}`).toBeLessThan(1e-6);
        expect(Math.abs(exact[i] - ref[i]) / scale, `component ${i}: sparse ${exact[i]} vs dense ${ref[i]}`).toBeLessThan(1e-9);
      }
    });
  }
});

// Slopes on both sides of the sparse path: a chain term with p = 2 (its Takahashi step in
// assembly/chain-inverse.ts reads the crossed block's selected inverse at p-column rows) and a crossed term
// with p = 2, by ML and by REML (the selected inverse over X too), against the dense path's gradient.
describe('exact gradient, sparse path with slopes on the chain and the crossed term (InstEval subset)', () => {
  const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'InstEval.csv'), 'utf8');
  const data = parseCsv(text.split('\n').slice(0, 4001).join('\n'));
  const formula = 'y ~ service + (1 + service | s) + (1 + service | d)';
  const sparse = new MixedEngine(engineInputFor(formula, data, 'sparse'));
  const dense = new MixedEngine(engineInputFor(formula, data, 'dense'));
  const theta = Float64Array.of(0.35, -0.05, 0.3, 0.4, 0.1, 0.25);
  for (const reml of [false, true]) {
    it(reml ? 'REML' : 'ML', () => {
      expect(sparse.factorKind.kind).toBe('sparse');
      const exact = sparse.devianceGradient(theta, reml)!;
      const ref = dense.devianceGradient(theta, reml)!;
      expect(exact).not.toBeNull();
      const scale = Math.max(1, ...Array.from(ref, Math.abs));
      for (let i = 0; i < theta.length; i++) expect(Math.abs(exact[i] - ref[i]) / scale, `component ${i}`).toBeLessThan(1e-11);
    });
  }
});

// Scalar terms only (InstEval's shape): the sparse path takes A⁻¹'s diagonal alone
// (src/wasm/sparse-gradient.ts, ScalarTermsGradient), and falls back to the full trace where a term is
// shrunk almost to 0 (θ = 1e-9 and 0: the diagonal route's difference would have lost its digits).
describe('exact gradient, sparse path with scalar terms only (InstEval subset)', () => {
  const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'InstEval.csv'), 'utf8');
  const data = parseCsv(text.split('\n').slice(0, 4001).join('\n'));
  const formula = 'y ~ service + (1 | s) + (1 | d) + (1 | dept:service)';
  const sparse = new MixedEngine(engineInputFor(formula, data, 'sparse'));
  const dense = new MixedEngine(engineInputFor(formula, data, 'dense'));
  const points = [Float64Array.of(0.35, 0.42, 0.19), Float64Array.of(-0.2, 1.7, 0.05), Float64Array.of(0.35, 1e-4, 0.19), Float64Array.of(0.35, 1e-9, 0.19), Float64Array.of(0.35, 0.42, 0)];
  for (const reml of [false, true]) {
    for (const theta of points) {
      it(`${reml ? 'REML' : 'ML'} at θ = ${Array.from(theta).join(', ')}`, () => {
        expect(sparse.factorKind.kind).toBe('sparse');
        const exact = sparse.devianceGradient(theta, reml)!;
        const ref = dense.devianceGradient(theta, reml)!;
        expect(exact).not.toBeNull();
        const scale = Math.max(1, ...Array.from(ref, Math.abs));
        for (let i = 0; i < theta.length; i++) expect(Math.abs(exact[i] - ref[i]) / scale, `component ${i}: sparse ${exact[i]} vs dense ${ref[i]}`).toBeLessThan(1e-11);
      });
    }
  }
});
