// The average-information matrix of the profiled deviance (src/wasm/average-information.ts) against the
// same formula computed by brute force from the n × n marginal covariance Ṽ = I + ZΛΛ'Z' (no factor, no
// solve through L), on small goldens with a dense block, a nesting chain of two terms, merged `||` terms
// and a crossed block factored sparse; with and without its exact second-derivative part.
import { describe, expect, it } from 'vitest';
import { MixedEngine, type EngineInput } from '../src/wasm/mixed-engine.js';
import { engineInputFor } from './helpers/engine-input.js';
import { goldenData, loadGolden } from './helpers/golden.js';

/** Cholesky factor (row-major lower) of the symmetric positive definite n×n A. */
function cholesky(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let v = A[i * n + j];
      for (let k = 0; k < j; k++) v -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = i === j ? Math.sqrt(v) : v / L[j * n + j];
    }
  }
  return L;
}

/** A⁻¹B for the Cholesky factor L of A and the n×m column-major B. */
function cholSolve(L: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  const X = Float64Array.from(B);
  for (let c = 0; c < m; c++) {
    const o = c * n;
    for (let i = 0; i < n; i++) {
      let v = X[o + i];
      for (let k = 0; k < i; k++) v -= L[i * n + k] * X[o + k];
      X[o + i] = v / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let v = X[o + i];
      for (let k = i + 1; k < n; k++) v -= L[k * n + i] * X[o + k];
      X[o + i] = v / L[i * n + i];
    }
  }
  return X;
}

/**
 * The AI matrix (and the second-derivative part) by its definition: P̃ formed explicitly, the working
 * variates Ṽ_kẽ formed from dense ZΛ and ZΛ_k.
 */
function bruteForce(input: EngineInput, theta: Float64Array, reml: boolean): { ai: Float64Array; second: Float64Array } {
  const { n, p, X, y, terms } = input;
  const q = terms.reduce((a, t) => a + t.nlev * t.p, 0);
  // B = ZΛ (n × q, column-major) and, per θ entry, B_k = ZΛ_k
  const B = new Float64Array(n * q);
  const Bk: Float64Array[] = [];
  const columnOf: number[] = [];
  const termOf: number[] = [];
  let uoff = 0;
  let at = 0;
  for (const t of terms) {
    const T = new Float64Array(t.p * t.p);
    const entries: [number, number][] = [];
    for (let c = 0; c < t.p; c++) for (let r = c; r < t.p; r++) entries.push([r, c]);
    entries.forEach(([r, c], k) => (T[r * t.p + c] = theta[at + k]));
    for (let i = 0; i < n; i++) {
      const g = uoff + t.codes[i] * t.p;
      for (let c = 0; c < t.p; c++) {
        let v = 0;
        for (let a = c; a < t.p; a++) v += t.z[i * t.p + a] * T[a * t.p + c];
        B[(g + c) * n + i] = v;
      }
    }
    for (const [r, c] of entries) {
      const D = new Float64Array(n * q);
      for (let i = 0; i < n; i++) D[(uoff + t.codes[i] * t.p + c) * n + i] = t.z[i * t.p + r];
      Bk.push(D);
      columnOf.push(c);
      termOf.push(uoff);
    }
    at += entries.length;
    uoff += t.nlev * t.p;
  }
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let v = i === j ? 1 : 0;
      for (let k = 0; k < q; k++) v += B[k * n + i] * B[k * n + j];
      V[i * n + j] = V[j * n + i] = v;
    }
  }
  const L = cholesky(V, n);
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  const Vinv = cholSolve(L, n, identity, n);
  const VX = cholSolve(L, n, X, p);
  const XVX = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) for (let i = 0; i < n; i++) XVX[a * p + b] += X[a * n + i] * VX[b * n + i];
  const LX = cholesky(XVX, p);
  // P̃ = Ṽ⁻¹ − Ṽ⁻¹X(X'Ṽ⁻¹X)⁻¹X'Ṽ⁻¹ (symmetric, so row- or column-major alike)
  const VXt = new Float64Array(p * n);
  for (let a = 0; a < p; a++) for (let i = 0; i < n; i++) VXt[i * p + a] = VX[a * n + i];
  const K = cholSolve(LX, p, VXt, n); // (X'Ṽ⁻¹X)⁻¹X'Ṽ⁻¹, p × n column-major
  const P = Float64Array.from(Vinv);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let a = 0; a < p; a++) P[i * n + j] -= VX[a * n + i] * K[j * p + a];
  const M = reml ? P : Vinv;
  const mulP = (v: Float64Array): Float64Array => Float64Array.from({ length: n }, (_, i) => v.reduce((s, vj, j) => s + P[i * n + j] * vj, 0));
  const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i], 0);
  const e = mulP(y);
  const r2 = dot(y, e);
  const nu = reml ? n - p : n;
  // B'v and Bv over q
  const Bt = (C: Float64Array, v: Float64Array): Float64Array => Float64Array.from({ length: q }, (_, k) => { let s = 0; for (let i = 0; i < n; i++) s += C[k * n + i] * v[i]; return s; });
  const Bv = (C: Float64Array, v: Float64Array): Float64Array => { const o = new Float64Array(n); for (let k = 0; k < q; k++) for (let i = 0; i < n; i++) o[i] += C[k * n + i] * v[k]; return o; };
  const Bte = Bt(B, e);
  // w_k = Ṽ_kẽ = B_k B'ẽ + B B_k'ẽ
  const w = Bk.map((C) => { const a = Bv(C, Bte); const b = Bv(B, Bt(C, e)); return a.map((v, i) => v + b[i]); });
  const m = w.length;
  const ai = new Float64Array(m * m);
  const second = new Float64Array(m * m);
  const Pw = w.map(mulP);
  const Bke = Bk.map((C) => Bt(C, e));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      ai[i * m + j] = (nu / r2) * (dot(w[i], Pw[j]) - (dot(w[i], e) * dot(w[j], e)) / r2);
      if (columnOf[i] !== columnOf[j] || termOf[i] !== termOf[j]) continue;
      // ∂²Ṽ/∂θ_i∂θ_j = B_iB_j' + B_jB_i' (zero unless both are in one column of one T)
      let tr = 0;
      for (let k = 0; k < q; k++) {
        for (let a = 0; a < n; a++) {
          const bi = Bk[i][k * n + a];
          if (bi === 0) continue;
          for (let b = 0; b < n; b++) tr += bi * M[a * n + b] * Bk[j][k * n + b];
        }
      }
      second[i * m + j] = 2 * tr - (nu / r2) * 2 * dot(Bke[i], Bke[j]);
    }
  }
  return { ai, second };
}

const cases: [string, 'dense' | 'sparse'][] = [
  ['sleep_slope_ml', 'dense'],
  ['sleep_slope_reml', 'sparse'],
  ['sleep_uncorr_reml', 'dense'],
  ['pastes_nested_reml', 'dense'],
  ['penicillin_reml', 'sparse'],
  ['dyestuff_reml', 'dense'],
];

describe.each(cases)('average information %s (%s factor)', (id, factor) => {
  const g = loadGolden(id);
  const input = engineInputFor(g.formula, goldenData(g), factor);
  const engine = new MixedEngine(input);
  const lme4Theta = Float64Array.from(Object.values(g.theta) as number[]);
  // away from the optimum, where the second-derivative part matters
  const theta = lme4Theta.map((t, i) => t * 1.3 + 0.05 * (1 + (i % 2)));
  for (const reml of [false, true]) {
    it(`${reml ? 'REML' : 'ML'}: the factor's AI matrix and its second-derivative part are the brute-force ones`, () => {
      const grad = engine.devianceGradient(theta, reml);
      expect(grad).not.toBeNull();
      const ai = engine.averageInformation(theta, reml)!;
      const full = engine.averageInformation(theta, reml, grad!)!;
      const ref = bruteForce(input, theta, reml);
      const scale = Math.max(...Array.from(ref.ai, Math.abs));
      ai.forEach((v, k) => expect(Math.abs(v - ref.ai[k]) / scale, `AI entry ${k}: ${v} vs ${ref.ai[k]}`).toBeLessThan(1e-9));
      full.forEach((v, k) => {
        const want = ref.ai[k] + ref.second[k];
        expect(Math.abs(v - want) / scale, `AI + second part, entry ${k}: ${v} vs ${want}`).toBeLessThan(1e-7);
      });
    });
  }
});

describe('average information at the optimum', () => {
  it('is the Hessian of the profiled deviance there for a scalar term (cake_ml, against differences of the exact gradient)', () => {
    const g = loadGolden('cake_ml');
    const engine = new MixedEngine(engineInputFor(g.formula, goldenData(g)));
    const theta = Float64Array.from(Object.values(g.theta) as number[]);
    const h = 1e-4;
    const up = engine.devianceGradient([theta[0] + h], false)![0];
    const down = engine.devianceGradient([theta[0] - h], false)![0];
    const grad = engine.devianceGradient(theta, false)!;
    const ai = engine.averageInformation(theta, false, grad)![0];
    expect(Math.abs(ai - (up - down) / (2 * h)) / ai).toBeLessThan(1e-6);
  });

  it('is null when the last factorization failed', () => {
    const g = loadGolden('dyestuff_reml');
    const engine = new MixedEngine(engineInputFor(g.formula, goldenData(g)));
    expect(engine.deviance([Number.NaN], true)).toBe(Infinity);
    expect(engine.averageInformation([Number.NaN], true)).toBeNull();
  });
});
