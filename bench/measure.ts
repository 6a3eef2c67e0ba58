/**
 * Measures one workload in a fresh process (so peak RSS is the workload's): reads the CSV (timed),
 * fits `reps` times (median), and for fits under a second also runs a benny suite of the fit call.
 * Prints one JSON line. Usage: npx tsx bench/measure.ts <workload-id>
 */
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import benny from 'benny';
import { readDataFile, datasetName } from '../src/data/read-file.js';
import { lmer } from '../src/fit/lmer.js';
import { makeSim } from './make-sim.js';
import { WORKLOADS } from './workloads.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const id = process.argv[2];
const w = WORKLOADS.find((x) => x.id === id);
if (!w) throw new Error(`unknown workload ${id}`);
const path = join(ROOT, w.data);
if (!existsSync(path) && w.generate) await makeSim(w.generate);
const t0 = performance.now();
const data = readDataFile(path);
const readMs = performance.now() - t0;
const fit = () => lmer(w.formula, data, { REML: w.REML, dataName: datasetName(path) });
const first = fit(); // warm-up (JIT, module compilation): a few fits for the small workloads
for (let k = 0; k < 4 && first.fitMs < 200; k++) fit();
const times: number[] = [];
let last = first;
let wasmBytes = first.timings.memoryBytes;
for (let r = 0; r < w.reps; r++) {
  last = fit();
  times.push(last.fitMs);
  wasmBytes = Math.max(wasmBytes, last.timings.memoryBytes);
}
// benny's `ops` is rounded to a few significant digits (2 ops/s would read as 500 ms): use the mean time
let bennyMeanMs: number | null = null;
if (median(times) < 1000) {
  const summary = await benny.suite(w.id, benny.add('lmer', () => void fit()), benny.configure({ cases: { minSamples: 5, maxTime: 3 } }));
  bennyMeanMs = summary.results[0].details.mean * 1000;
}
const t = last.timings;
console.log(
  JSON.stringify({
    id: w.id,
    nobs: last.nobs,
    readMs,
    fitMs: median(times),
    fitTimes: times,
    firstFitMs: first.fitMs, // the process's first fit: engine compilation and unoptimized JavaScript included
    bennyMeanMs,
    evaluations: last.optimizer.evaluations,
    setupMs: t.setupMs,
    optimizeMs: t.optimizeMs,
    checksMs: t.checksMs,
    perEvalMs: t.optimizeMs / last.optimizer.evaluations,
    denseOrder: t.denseOrder,
    wasmMB: wasmBytes / 2 ** 20,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    objective: w.REML ? last.REMLcrit() : last.deviance(),
    warnings: last.warnings,
  }),
);
