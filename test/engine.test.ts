// The WASM engine itself: SIMD and scalar kernels agree, deviances are independent of the row order,
// and repeated fits do not grow memory.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WasmInstance, useSimdKernels } from '../src/wasm/instance.js';
import { lmer } from '../src/fit/lmer.js';
import { readDataFile } from '../src/data/read-file.js';
import { ROOT } from './helpers/golden.js';

describe('dense Cholesky kernels', () => {
  it('agree between the f64x2 SIMD and the scalar path to 1e-12 relative', () => {
    const w = new WasmInstance();
    const n = 301; // odd, several panels, ragged tails
    const a = w.allocF64(n * n);
    const b = w.allocF64(n * n);
    const A = w.f64(a, n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < 40; k++) s += Math.sin(0.1 * (i + 1) * (k + 1)) * Math.sin(0.1 * (j + 1) * (k + 1));
        A[i * n + j] = A[j * n + i] = s + (i === j ? 1 : 0);
      }
    }
    const e = w.exports as unknown as { setSimd(on: number): void; cholLower(p: number, n: number, ld: number): number };
    w.f64(b, n * n).set(A);
    e.setSimd(1);
    expect(e.cholLower(a, n, n)).toBe(0);
    e.setSimd(0);
    expect(e.cholLower(b, n, n)).toBe(0);
    const S = w.f64(a, n * n);
    const T = w.f64(b, n * n);
    let maxRel = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) maxRel = Math.max(maxRel, Math.abs(S[i * n + j] - T[i * n + j]) / Math.max(1e-300, Math.abs(T[i * n + i])));
    expect(maxRel).toBeLessThan(1e-12);
  });

  it('give the same fit (InstEval-sized dense block) with SIMD on and off', () => {
    const d = readDataFile(join(ROOT, 'data/sim100k.csv'));
    const f = 'y ~ 1 + x + cond + (1 + cond | subj) + (1 | item)';
    useSimdKernels(false);
    const scalar = lmer(f, d, { REML: false, checkConvergence: false, theta: [0.857, 0.159, 0.389, 0.489] });
    useSimdKernels(true);
    const simd = lmer(f, d, { REML: false, checkConvergence: false, theta: [0.857, 0.159, 0.389, 0.489] });
    expect(Math.abs(simd.deviance! - scalar.deviance!) / scalar.deviance!).toBeLessThan(1e-12);
    simd.beta.forEach((v, i) => expect(Math.abs(v - scalar.beta[i]) / Math.abs(scalar.beta[i])).toBeLessThan(1e-12));
  });
});

describe('memory', () => {
  it('stays flat across 200 repeated fits', () => {
    const d = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
    const fit = (): void => void lmer('Reaction ~ Days + (Days | Subject)', d, { checkConvergence: false });
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 20; i++) fit();
    gc?.();
    const before = process.memoryUsage();
    for (let i = 0; i < 200; i++) fit();
    gc?.();
    const after = process.memoryUsage();
    // each fit's WASM instance (≥ 64 KiB of linear memory) is released with the model
    const grownMB = (after.rss - before.rss) / 2 ** 20;
    const externalMB = (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / 2 ** 20;
    expect(grownMB).toBeLessThan(gc ? 20 : 60);
    expect(externalMB).toBeLessThan(gc ? 5 : 40);
  });
});
