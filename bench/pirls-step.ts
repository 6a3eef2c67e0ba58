/**
 * The cost of one PIRLS step at a fixed θ (and β, as the offset of the engine without X):
 *
 *   npx tsx bench/pirls-step.ts [ids...] [--runs N] [--batches B] [--engine build/engine.wasm]
 *
 * Fits each workload once (as bench/glmer.ts, which simulates the 100k-row data this reads), keeps the last stage-2 PIRLS
 * run's problem, θ and offset, and repeats that run (every run restarts from the same η₀, so each takes the
 * same steps): prints steps per run and the CPU ms per step (the fastest of several batches: on a loaded
 * machine the minimum is the least disturbed). To compare two engines, keep a copy of one build's .wasm and
 * alternate runs with `--engine` pointing at each in one shell loop.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataFile } from '../src/data/read-file.js';
import { glmer } from '../src/fit/glmer.js';
import { Pirls } from '../src/fit/pirls.js';
import { MixedEngine } from '../src/wasm/mixed-engine.js';
import { init } from '../src/wasm/instance.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const WORKLOADS = [
  { id: 'cbpp', data: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial' },
  { id: 'grouseticks', data: 'data/grouseticks.csv', formula: 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)', family: 'poisson' },
  { id: 'verbagg', data: 'test/fixtures/glmer/VerbAgg.csv', formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)', family: 'binomial' },
  { id: 'bern100k', data: 'bench/data/glmer_bern100k.csv', formula: 'y ~ x + cond + (1 | subj) + (1 | item)', family: 'binomial' },
] as const;

/** The last run of each Pirls (its problem, θ and offset), captured during the fit. */
let last: { pirls: Pirls; theta: number[]; offset: Float64Array } | null = null;
const run = Pirls.prototype.run;
Pirls.prototype.run = function (this: Pirls, theta: ArrayLike<number>, offset: Float64Array) {
  last = { pirls: this, theta: Array.from(theta), offset: Float64Array.from(offset) };
  return run.call(this, theta, offset);
};

// the fit gives its engines back to the instance pool when it ends; the repeated run needs its own kept
MixedEngine.prototype.release = function (): void {};

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const engineAt = args.indexOf('--engine');
const batchesAt = args.indexOf('--batches');
const batches = batchesAt >= 0 ? Number(args[batchesAt + 1]) : 7;
const valueAt = new Set([runsAt, engineAt, batchesAt].filter((i) => i >= 0).map((i) => i + 1));
const ids = args.filter((a, i) => !a.startsWith('--') && !valueAt.has(i));
if (engineAt >= 0) await init(new WebAssembly.Module(readFileSync(args[engineAt + 1])));
for (const w of WORKLOADS) {
  if (ids.length > 0 && !ids.some((id) => w.id.startsWith(id))) continue;
  const path = join(root, w.data);
  if (!existsSync(path)) {
    console.log(`${w.id}: ${w.data} is missing (bench/glmer.ts ${w.id} simulates it)`);
    continue;
  }
  const model = glmer(w.formula, readDataFile(path), { family: w.family });
  const { pirls, theta, offset } = last!;
  const n = pirls.n;
  // about 0.2 s of CPU per batch at the figures measured so far
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : Math.max(2, Math.round(2e6 / n));
  let steps = 0;
  let best = Infinity;
  let laplace = NaN;
  for (let batch = 0; batch < batches; batch++) {
    steps = 0;
    const c0 = process.cpuUsage();
    for (let k = 0; k < runs; k++) {
      const r = run.call(pirls, theta, offset)!; // the unpatched run: no copies of the capture
      steps += r.steps;
      laplace = r.laplace;
    }
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / steps);
  }
  console.log(
    JSON.stringify({
      id: w.id,
      n,
      q: pirls.q,
      stepsPerRun: steps / runs,
      msPerStep: Number(best.toFixed(4)),
      laplace,
      minus2logLik: model.minus2LogLik(),
    }),
  );
}
