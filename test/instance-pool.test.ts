// Engine instances are reused across fits (src/wasm/instance-pool.ts) and a model's engine may be given
// back and rebuilt (src/wasm/engine-lease.ts): neither may change a number. Checked against the model's
// own answers before its engine was given back, and against a fit on fresh instances.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { lmer } from '../src/fit/lmer.js';
import { summary } from '../src/index.js';
import { lmerState } from '../src/fit/lmer-state.js';
import { glmer } from '../src/fit/glmer.js';
import { ModelError } from '../src/errors.js';
import { acquireInstance, idleBytes, idleInstances, releaseInstance } from '../src/wasm/instance-pool.js';
import { engineMemoryStats } from '../src/wasm/instance.js';
import { MixedEngine } from '../src/wasm/mixed-engine.js';
import { engineInputFor } from './helpers/engine-input.js';
import { ROOT } from './helpers/golden.js';

const sleep = readDataFile(join(ROOT, 'data', 'sleepstudy.csv'));
const SLEEP = 'Reaction ~ Days + (Days | Subject)';

describe('instance pool', () => {
  it('hands a released instance out again, reset', () => {
    const w = acquireInstance();
    const ptr = w.allocF64(100);
    w.f64(ptr, 100).fill(7);
    releaseInstance(w);
    const again = acquireInstance();
    expect(again).toBe(w);
    // the allocator starts over and zeroes what it hands out
    const ptr2 = again.allocF64(100);
    expect(ptr2).toBe(ptr);
    expect(Array.from(again.f64(ptr2, 100)).every((v) => v === 0)).toBe(true);
    releaseInstance(again);
  });

  it('keeps at most a few idle instances', () => {
    const ws = Array.from({ length: 10 }, () => acquireInstance());
    for (const w of ws) releaseInstance(w);
    expect(idleInstances()).toBeLessThanOrEqual(4);
    expect(idleInstances()).toBeGreaterThan(0);
  });

  it('pools a sparse engine too: a dense model after it on the same instance gives the same deviance', () => {
    const theta = [0.9, 0.1, 0.3];
    const before = new MixedEngine(engineInputFor(SLEEP, sleep)).deviance(theta, true);
    const sparse = new MixedEngine(engineInputFor('Reaction ~ Days + (1 | Subject) + (1 | Days)', sleep, 'sparse'));
    expect(Number.isFinite(sparse.deviance([0.8, 0.3], true))).toBe(true);
    // a lease keeps a sparse engine (its setup is costly to repeat), but its instance may serve others once released
    expect(sparse.reusable).toBe(false);
    sparse.release();
    const made = engineMemoryStats().instances;
    const dense = new MixedEngine(engineInputFor(SLEEP, sleep));
    expect(engineMemoryStats().instances).toBe(made);
    expect(dense.reusable).toBe(true);
    expect(dense.deviance(theta, true)).toBe(before);
    dense.release();
    expect(() => dense.deviance(theta, true)).toThrow(/released/);
  });

  it('bounds what idle instances hold', () => {
    const ws = Array.from({ length: 3 }, () => acquireInstance(40 * 2 ** 20));
    for (const w of ws) releaseInstance(w);
    expect(idleBytes()).toBeLessThanOrEqual(96 * 2 ** 20);
    expect(idleInstances()).toBeGreaterThan(0);
  });
});

describe('glmer on reused instances', () => {
  const cbpp = readDataFile(join(ROOT, 'data', 'cbpp.csv'));
  const CBPP = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';
  const same = (a: ReturnType<typeof glmer>, b: ReturnType<typeof glmer>): void => {
    expect(b.deviance()).toBe(a.deviance());
    expect(b.theta).toEqual(a.theta);
    expect(b.beta).toEqual(a.beta);
    expect(b.fitted()).toEqual(a.fitted());
    expect(summary(b).toString()).toBe(summary(a).toString());
  };

  it('makes no instance for a repeated fit, with the same numbers', () => {
    const first = glmer(CBPP, cbpp, { family: 'binomial' });
    const made = engineMemoryStats().instances;
    const again = glmer(CBPP, cbpp, { family: 'binomial' });
    expect(engineMemoryStats().instances).toBe(made);
    same(first, again);
  });

  it('leaves the pool usable after a failed glmer fit and an aborted lmer fit', () => {
    const first = glmer(CBPP, cbpp, { family: 'binomial' });
    // a predictor splitting the outcomes: PIRLS fails inside the fit, after its engines were made
    const split = Array.from({ length: 120 }, (_, i) => {
      const x = ((i * 37) % 120) / 60 - 1;
      return { y: x > 0.1 ? 1 : 0, x, g: `s${i % 10}` };
    });
    expect(() => glmer('y ~ x + (1 | g)', split, { family: 'binomial' })).toThrow(ModelError);
    expect(idleInstances()).toBeGreaterThanOrEqual(2);
    const control = new AbortController();
    const onProgress = ({ evaluations }: { evaluations: number }): void => {
      if (evaluations === 3) control.abort(new Error('stopped'));
    };
    expect(() => lmer(SLEEP, sleep, { signal: control.signal, onProgress })).toThrow(/stopped/);
    const made = engineMemoryStats().instances;
    same(first, glmer(CBPP, cbpp, { family: 'binomial' }));
    expect(engineMemoryStats().instances).toBe(made);
    const fresh = lmer(SLEEP, sleep);
    expect(summary(fresh).toString()).toBe(summary(lmer(SLEEP, sleep)).toString());
  });
});

describe('engine lease', () => {
  it('gives a model the same inference after its engine was given back and rebuilt', () => {
    const a = lmer(SLEEP, sleep);
    const first = summary(a).toString();
    const dev = lmerState(a).evaluator.devianceAt([0.5, 0.2, 0.4], true);
    // later fits take the live slots: a's engine goes back to the pool and serves one of them
    const others = Array.from({ length: 5 }, () => lmer('Reaction ~ Days + (1 | Subject)', sleep));
    expect(others.every((m) => m.theta.length === 1)).toBe(true);
    expect(lmerState(a).evaluator.devianceAt([0.5, 0.2, 0.4], true)).toBe(dev);
    expect(summary(a).toString()).toBe(first);
    // a model whose first summary comes after its engine was given back
    const b = lmer(SLEEP, sleep);
    for (let i = 0; i < 5; i++) lmer('Reaction ~ Days + (1 | Subject)', sleep);
    expect(summary(b).toString()).toBe(first);
  });

  it('fits identically on reused instances', () => {
    const fresh = lmer(SLEEP, sleep, { REML: false });
    for (let i = 0; i < 6; i++) lmer('Reaction ~ Days + (1 | Subject)', sleep);
    const reused = lmer(SLEEP, sleep, { REML: false });
    expect(reused.theta).toEqual(fresh.theta);
    expect(reused.beta).toEqual(fresh.beta);
    expect(reused.deviance()).toBe(fresh.deviance());
  });
});

describe('embedded binary', () => {
  it('decodes the embedded hexadecimal as Node does', async () => {
    const { decodeHex } = await import('../src/wasm/engine-binary.js');
    const { ENGINE_WASM_HEX } = await import('../src/wasm/generated/engine-binary.js');
    expect(Buffer.from(decodeHex(ENGINE_WASM_HEX)).equals(Buffer.from(ENGINE_WASM_HEX, 'hex'))).toBe(true);
    for (const bytes of [[], [1], [0, 255], [255, 0, 128, 7, 16], [250, 251, 252, 253, 254, 9]]) {
      expect(Array.from(decodeHex(Buffer.from(bytes).toString('hex')))).toEqual(bytes);
    }
  });
});
