// The WASM engine itself: SIMD and scalar kernels agree, deviances are independent of the row order,
// and repeated fits do not grow memory.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WasmInstance, compiledModule, useSimdKernels } from '../src/wasm/instance.js';
import { MAX_DENSE_ORDER, MixedEngine } from '../src/wasm/mixed-engine.js';
import { ResourceError } from '../src/errors.js';
import { prepareModel } from '../src/design/prepare.js';
import { randomTermDesigns } from '../src/design/random-terms.js';
import { columnMajor } from '../src/design/model-matrix.js';
import { lmer } from '../src/fit/lmer.js';
import { readDataFile } from '../src/data/read-file.js';
import { ROOT } from './helpers/golden.js';

describe('dense Cholesky kernels', () => {
  it('agree between the f64x2 SIMD and the scalar path to 1e-12 relative', () => {
    const w = new WasmInstance(compiledModule('lmer'));
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
    expect(Math.abs(simd.deviance()! - scalar.deviance()!) / scalar.deviance()!).toBeLessThan(1e-12);
    simd.beta.forEach((v, i) => expect(Math.abs(v - scalar.beta[i]) / Math.abs(scalar.beta[i])).toBeLessThan(1e-12));
  });
});

describe('Schur update of the chain term into the dense block', () => {
  // by level (indexed, each level's rows), by groups of levels with the same rows, or as one dense rank
  // update W W' over all rows (SIMD kernel): same factor
  it.each([
    ['seed-like', 'data/diachek_md.csv', 'Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)', [0.6, -0.1, 0.3, 0.2, 0.4]],
    ['crossed', 'data/sim100k.csv', 'y ~ 1 + x + cond + (1 + cond | subj) + (1 | item)', [0.857, 0.159, 0.389, 0.489]],
    // the general path: a dense term with a slope, a chain term of three columns, a nesting chain
    ['dense slope', 'data/diachek_md.csv', 'Effect_Size ~ Condition + (1 | SubjectID) + (1 + Condition | Region)', [0.5, 0.7, 0.1, 0.3]],
    ['p = 3', 'data/diachek_md.csv', 'Effect_Size ~ Condition*Hemisphere + (1 + Condition + Hemisphere | SubjectID) + (1 | Region)', [0.6, -0.1, 0.2, 0.3, 0.1, 0.4, 0.5]],
    ['nested', 'data/diachek_md.csv', 'Effect_Size ~ Condition + (1 | SubjectID:Hemisphere) + (1 | SubjectID) + (1 | Region)', [0.3, 0.6, 0.4]],
  ])('%s: by level, grouped and wide agree to 1e-12 relative, SIMD on and off', (_name, file, formula, theta) => {
    const prepared = prepareModel(formula, readDataFile(join(ROOT, file)));
    const terms = randomTermDesigns(prepared.frame, prepared.contrasts);
    const engine = (schurUpdate: 'by-level' | 'grouped' | 'wide'): MixedEngine =>
      new MixedEngine({
        n: prepared.frame.n,
        p: prepared.rank.kept.length,
        X: columnMajor(prepared.X, prepared.rank.kept),
        y: prepared.frame.response!,
        terms: terms.map((t) => ({ nlev: t.levels.length, p: t.columns.length, codes: t.codes, z: t.z })),
        schurUpdate,
      });
    const byLevel = engine('by-level').deviance(Float64Array.from(theta), true);
    for (const simd of [true, false]) {
      useSimdKernels(simd);
      for (const mode of ['grouped', 'wide'] as const) {
        const other = engine(mode).deviance(Float64Array.from(theta), true);
        expect(Math.abs(other - byLevel) / Math.abs(byLevel)).toBeLessThan(1e-12);
      }
    }
    useSimdKernels(true);
  });
});

describe('models too large for a wasm32 instance', () => {
  it('refuse an allocation past 4 GiB with a clear error instead of wrapping its size', () => {
    const w = new WasmInstance(compiledModule('lmer'));
    expect(() => w.allocF64(2 ** 29 + 1)).toThrow(ResourceError);
    expect(() => w.allocF64(2 ** 29 + 1)).toThrow(/more than the 4 GiB/);
    expect(w.allocF64(16)).toBeGreaterThan(0); // the instance is still usable
  });

  it('refuse a dense factor beyond MAX_DENSE_ORDER before allocating it (the sparse one is not capped: engine-sparse.test.ts)', () => {
    const nb = MAX_DENSE_ORDER + 10;
    const n = 2 * nb;
    const ones = new Float64Array(n).fill(1);
    const term = (nlev: number, code: (r: number) => number) => ({ nlev, p: 1, codes: Int32Array.from({ length: n }, (_, r) => code(r)), z: ones });
    const make = (): MixedEngine =>
      new MixedEngine({ n, p: 1, X: ones, y: Float64Array.from({ length: n }, (_, r) => Math.sin(r)), terms: [term(nb + 1, (r) => r % (nb + 1)), term(nb, (r) => (r * 7) % nb)], factor: 'dense' });
    expect(make).toThrow(ResourceError);
    expect(make).toThrow(/dense block of order 15012 \(more than 15000\)/);
  });
});

describe('memory', () => {
  it('stays flat across 200 repeated fits', async () => {
    const d = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
    const fit = (): void => void lmer('Reaction ~ Days + (Days | Subject)', d, { checkConvergence: false });
    const gc = (globalThis as { gc?: () => void }).gc;
    // V8 releases a collected instance's linear memory after the collection: collect, yield, collect
    const settle = async (): Promise<void> => {
      gc?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc?.();
    };
    for (let i = 0; i < 20; i++) fit();
    await settle();
    const before = process.memoryUsage();
    for (let i = 0; i < 200; i++) fit();
    await settle();
    const after = process.memoryUsage();
    // each fit's WASM instance (≥ 64 KiB of linear memory) is released with the model
    const grownMB = (after.rss - before.rss) / 2 ** 20;
    const externalMB = (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / 2 ** 20;
    expect(grownMB).toBeLessThan(gc ? 20 : 60);
    expect(externalMB).toBeLessThan(gc ? 5 : 40);
  });
});
