/**
 * Two (or more) source trees side by side in one process, for before/after figures that survive a loaded machine:
 *
 *   npx tsx bench/glmer-ab.ts OLD_TREE NEW_TREE [grouseticks|verbagg|cbpp] [--fits N]
 *
 * Each tree (a checkout with its engine built: `npm run build:wasm`) is imported separately, so each has its own engine
 * and instance pool. Per tree: one fit captures the last PIRLS run (its problem, θ and offset); then 9 rounds
 * alternate the trees, each round timing a batch of that run repeated (CPU ms per PIRLS step) and, every third round,
 * N whole fits (CPU of the fit, and inside / outside the PIRLS runs). Prints the fastest of each per tree.
 */
import { join } from 'node:path';

const args = process.argv.slice(2);
const fitsAt = args.indexOf('--fits');
const fitReps = fitsAt >= 0 ? Number(args[fitsAt + 1]) : 3;
const rest = args.filter((a, i) => !a.startsWith('--') && (fitsAt < 0 || i !== fitsAt + 1));
const known = ['grouseticks', 'verbagg', 'cbpp'];
const id = rest.find((a) => known.includes(a)) ?? 'grouseticks';
const roots = rest.filter((a) => !known.includes(a));
if (roots.length < 2) throw new Error('usage: bench/glmer-ab.ts OLD_TREE NEW_TREE [workload] [--fits N]');

const WORKLOADS: Record<string, { data: string; formula: string; family: string }> = {
  grouseticks: { data: 'data/grouseticks.csv', formula: 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)', family: 'poisson' },
  verbagg: { data: 'test/fixtures/glmer/VerbAgg.csv', formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)', family: 'binomial' },
  cbpp: { data: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial' },
};
const w = WORKLOADS[id];
const cpu = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;

interface Side {
  root: string;
  fit: () => { logLik(): number };
  repeatLast: () => { steps: number; laplace: number };
  inside: number;
  step: number;
  fitCpu: number;
  inRuns: number;
  outside: number;
  laplace: number;
  m2: number;
}
const sides: Side[] = [];
for (const root of roots) {
  const { readDataFile } = await import(join(root, 'src/data/read-file.ts'));
  const { glmer } = await import(join(root, 'src/fit/glmer.ts'));
  const { Pirls } = await import(join(root, 'src/fit/pirls.ts'));
  const { MixedEngine } = await import(join(root, 'src/wasm/mixed-engine.ts'));
  MixedEngine.prototype.release = function (): void {}; // the repeated run needs its engine after the fit
  const run = Pirls.prototype.run;
  let last: { pirls: unknown; theta: number[]; offset: Float64Array } | null = null;
  const side = { root, inside: 0, step: Infinity, fitCpu: Infinity, inRuns: Infinity, outside: Infinity, laplace: NaN, m2: NaN } as Side;
  Pirls.prototype.run = function (this: unknown, theta: ArrayLike<number>, offset: Float64Array) {
    last = { pirls: this, theta: Array.from(theta), offset: Float64Array.from(offset) };
    const c0 = process.cpuUsage();
    const r = run.call(this, theta, offset);
    side.inside += cpu(process.cpuUsage(c0));
    return r;
  };
  const data = readDataFile(join(root, w.data));
  side.fit = () => glmer(w.formula, data, { family: w.family });
  side.fit();
  const captured = last!;
  side.repeatLast = () => run.call(captured.pirls, captured.theta, captured.offset);
  sides.push(side);
}
const runs = Math.max(2, Math.round(1e6 / (id === 'verbagg' ? 7584 : id === 'cbpp' ? 56 : 403)));
for (let round = 0; round < 9; round++) {
  for (const s of sides) {
    let steps = 0;
    const c0 = process.cpuUsage();
    for (let k = 0; k < runs; k++) {
      const r = s.repeatLast();
      steps += r.steps;
      s.laplace = r.laplace;
    }
    s.step = Math.min(s.step, cpu(process.cpuUsage(c0)) / steps);
    if (round % 3 !== 0) continue;
    for (let f = 0; f < fitReps; f++) {
      s.inside = 0;
      const c1 = process.cpuUsage();
      const m = s.fit();
      const total = cpu(process.cpuUsage(c1));
      s.fitCpu = Math.min(s.fitCpu, total);
      s.inRuns = Math.min(s.inRuns, s.inside);
      s.outside = Math.min(s.outside, total - s.inside);
      s.m2 = -2 * m.logLik();
    }
  }
}
for (const s of sides) {
  console.log(JSON.stringify({ id, root: s.root, msPerStep: +s.step.toFixed(4), fitCpuMs: +s.fitCpu.toFixed(1), insideRunsMs: +s.inRuns.toFixed(1), outsideRunsMs: +s.outside.toFixed(1), laplace: s.laplace, minus2logLik: s.m2 }));
}
