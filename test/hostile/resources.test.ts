// Determinism, concurrency and memory as tests (issue 11): fits on 8 worker threads equal serial fits
// bit for bit, RSS levels off across many fits, the QR engine gives back a large problem's memory,
// and models past wasm32 memory are refused before allocating.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lmer } from '../../src/index.js';
import { ResourceError } from '../../src/errors.js';
import { heldQrBytes, leastSquares } from '../../src/wasm/qr.js';
import { MixedEngine } from '../../src/wasm/mixed-engine.js';
import { ROOT } from '../helpers/golden.js';
import { smallData } from './properties.js';

const dist = join(ROOT, 'dist/index.js');

/** The bits of a fit's numbers, so equality means bit for bit. */
const FINGERPRINT = `(m) => Array.from(new Uint32Array(Float64Array.from([...m.theta, ...m.beta, m.sigma, m.REMLcrit]).buffer)).join(',')`;

describe('determinism and concurrency', () => {
  it.skipIf(!existsSync(dist))('8 different fits on worker_threads equal the serial fits bit for bit', async () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const mod = (await import(pathToFileURL(dist).href)) as typeof import('../../src/index.js');
    const fingerprint = eval(FINGERPRINT) as (m: unknown) => string;
    const serial = seeds.map((s) => fingerprint(mod.lmer('y ~ x + (1 | g)', smallData(s))));
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.url).then((mod) => {
        const fingerprint = ${FINGERPRINT};
        parentPort.postMessage(fingerprint(mod.lmer('y ~ x + (1 | g)', workerData.rows)));
      });`;
    const parallel = await Promise.all(
      seeds.map(
        (s) =>
          new Promise<string>((resolve, reject) => {
            const w = new Worker(code, { eval: true, workerData: { url: pathToFileURL(dist).href, rows: smallData(s) } });
            w.once('message', (m: string) => {
              resolve(m);
              void w.terminate();
            });
            w.once('error', reject);
          }),
      ),
    );
    expect(parallel).toEqual(serial);
  }, 60_000);

  it('repeated fits in one process are bit-identical', () => {
    const fingerprint = eval(FINGERPRINT) as (m: unknown) => string;
    const first = fingerprint(lmer('y ~ x + (1 | g)', smallData(11)));
    for (let i = 0; i < 20; i++) expect(fingerprint(lmer('y ~ x + (1 | g)', smallData(11)))).toBe(first);
  });
});

describe('memory', () => {
  it('RSS levels off across many fits', () => {
    const d = smallData(3);
    for (let i = 0; i < 100; i++) lmer('y ~ x + (1 | g)', d);
    const warm = process.memoryUsage().rss;
    for (let i = 0; i < 400; i++) lmer('y ~ x + (1 | g)', d);
    const grown = process.memoryUsage().rss - warm;
    // each fit owns a wasm instance of ~1 MiB that is collected with it: 400 fits leaking would add 400 MiB
    expect(grown).toBeLessThan(64 * 2 ** 20);
  }, 60_000);

  it('the QR engine releases a large problem and solves it again', () => {
    const n = 120_000;
    const p = 80; // 77 MB of X, above the 64 MiB the shared instance may keep
    const X = new Float64Array(n * p);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X[j * n + i] = j === 0 ? 1 : Math.sin(i * (j + 1) * 0.37);
    const y = Float64Array.from({ length: n }, (_, i) => 2 + Math.cos(i));
    const a = leastSquares(X, n, p, y);
    expect(heldQrBytes()).toBeLessThanOrEqual(64 * 2 ** 20);
    const b = leastSquares(X, n, p, y);
    expect(Array.from(b.coefficients)).toEqual(Array.from(a.coefficients));
  }, 60_000);

  it('a least-squares problem past wasm32 memory is refused before allocating, stating the bytes', () => {
    const n = 2 ** 26;
    const p = 9;
    let err: unknown;
    try {
      leastSquares(new Float64Array(0), n, p, new Float64Array(0));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).bytesNeeded).toBeGreaterThan(2 ** 32);
    expect((err as Error).message).toMatch(/needs about \d+ bytes/);
  });

  it('a mixed model past wasm32 memory is refused before allocating', () => {
    // two crossed factors of ~30,000 levels each, factored dense: the block alone would take 2·8·(3e4)² bytes
    // (the default factors this sparse design's block sparse, in a few MB: engine-sparse.test.ts)
    const n = 60_000;
    const codes = Int32Array.from({ length: n }, (_, i) => i % 30_001);
    const codes2 = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 29_999);
    let err: unknown;
    try {
      new MixedEngine({
        n,
        p: 1,
        X: new Float64Array(n).fill(1),
        y: Float64Array.from({ length: n }, (_, i) => Math.sin(i)),
        terms: [
          { nlev: 30_001, p: 1, codes, z: new Float64Array(n).fill(1) },
          { nlev: 29_999, p: 1, codes: codes2, z: new Float64Array(n).fill(1) },
        ],
        factor: 'dense',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).bytesNeeded).toBeGreaterThan(2 ** 32);
    expect((err as Error).message).toMatch(/\d+ bytes/);
  }, 60_000);
});
