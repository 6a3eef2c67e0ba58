// lmm-wasm/worker in Node (worker_threads): the same numbers and text as the synchronous API, typed errors
// with the caret position, progress, cancel, and handles that die with a cancelled worker. Runs the built
// dist/worker (npm run build); the thread script is compiled JavaScript.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anova, lm, lmer, parseCsv, summary, varCorr } from '../../src/index.js';
import { plotData } from '../../src/plot/data.js';
import { modelJSON } from '../../src/worker/service.js';
import { toCloneable } from '../../src/worker/protocol.js';

const root = join(import.meta.dirname, '../..');
const built = existsSync(join(root, 'dist/worker/node.js'));
const csv = readFileSync(join(root, 'data/sleepstudy.csv'), 'utf8');
const schema = JSON.parse(readFileSync(join(root, 'data/sleepstudy.schema.json'), 'utf8'));
const data = parseCsv(csv, { schema });
const FORMULA = 'Reaction ~ Days + (Days | Subject)';

const withoutTiming = (json: unknown): unknown => {
  const { fitMs: _fitMs, timings: _timings, ...rest } = json as Record<string, unknown>;
  return rest;
};

describe.runIf(built)('lmm-wasm/worker in Node', async () => {
  const api = built ? await import(join(root, 'dist/worker/node.js')) : null;
  // the client rebuilds errors as the classes of the package it was loaded from (dist here, not src)
  const { FormulaSyntaxError, OptionError } = built ? await import(join(root, 'dist/index.js')) : ({} as Record<string, never>);
  const w = api?.createWorker();
  afterAll(() => w?.terminate());

  it('fits in a worker_thread with the same numbers and printed text as the sync API', async () => {
    const sync = lmer(FORMULA, data);
    const events: { evaluations: number; objective: number; theta: number[] }[] = [];
    const m = await w.lmer(FORMULA, data, { onProgress: (p: (typeof events)[number]) => events.push(p) });
    expect(m.kind).toBe('lmer');
    expect(String(m)).toBe(String(summary(sync)));
    expect(withoutTiming(m.toJSON())).toEqual(withoutTiming(modelJSON(sync)));
    expect((await w.anova(m)).toJSON()).toEqual(toCloneable(anova(sync)));
    expect(String(await w.anova(m))).toBe(String(anova(sync)));
    // progress arrives (throttled) with the objective at the θ evaluated
    expect(events.length).toBeGreaterThan(0);
    expect(events[0].theta).toHaveLength(3);
    expect(Number.isFinite(events[0].objective)).toBe(true);
  });

  it('varCorr (and its deprecated alias) and the plots\' plain data equal the sync API\'s', async () => {
    const sync = lmer(FORMULA, data);
    const m = await w.lmer(FORMULA, data);
    expect(String(await w.varCorr(m))).toBe(String(varCorr(sync)));
    expect((await api.VarCorr(await api.lmer(FORMULA, data))).toJSON()).toEqual(toCloneable(varCorr(sync)));
    for (const kind of ['caterpillar', 'residuals', 'qq'] as const) {
      expect((await w.plotData(kind, m)).toJSON()).toEqual(structuredClone(plotData(kind, sync)));
    }
  });

  it('uploads CSV text once and fits from the handle', async () => {
    const d = await w.upload(csv, { schema });
    expect(d.nrow).toBe(180);
    const m = await w.lmer(FORMULA, d);
    expect(String(m)).toContain('REML criterion at convergence: 1743.6');
  });

  it('transfers typed-array columns on upload instead of copying them', async () => {
    const y = Float64Array.from([1, 2, 4, 3, 5, 7]);
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const d = await w.upload({ y, x });
    expect(y.byteLength).toBe(0); // detached: the buffer moved to the worker
    expect(x.byteLength).toBe(0);
    const m = await w.lm('y ~ x', d);
    expect(m.toJSON()).toEqual(modelJSON(lm('y ~ x', { y: [1, 2, 4, 3, 5, 7], x: [1, 2, 3, 4, 5, 6] })));
  });

  it('rethrows typed errors with their code and caret position', async () => {
    const error = await w.lmer('Reaction ~ Days + (Days | ', data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormulaSyntaxError);
    expect(error).toMatchObject({ code: 'FORMULA_SYNTAX', position: 25 });
    expect((error as Error).message).toMatch(/\^$/);
  });

  it('cancels: the signal rejects with its reason, the worker restarts, older handles are refused', async () => {
    const before = await w.lmer(FORMULA, data);
    const controller = new AbortController();
    const pending = w.lmer(FORMULA, data, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(w.anova(before)).rejects.toBeInstanceOf(OptionError);
    const after = await w.lmer(FORMULA, data);
    expect(String(after)).toContain('REML criterion at convergence: 1743.6');
  });

  it('rejects pending calls when the worker cannot start, instead of hanging', async () => {
    const broken = api.createWorker(new URL('file:///nonexistent/lmm-wasm-thread.js'));
    await expect(broken.lm('y ~ x', { y: [1, 2, 4], x: [1, 2, 3] })).rejects.toThrow(/worker_thread failed: .*nonexistent/);
  });
});
