/**
 * Repeated fits of one workload in one process: the warm cost of a small fit, and whether memory stays
 * flat across many fits (each followed by its summary with `--summary`). Prints one JSON line: median and
 * 10th/90th percentile of the fit time, CPU time per fit, heap and external (engine) memory before, at each quarter, and after.
 * Usage: node --import tsx bench/fit-loop.ts <workload-id> [fits] [--summary]
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataFile } from '../src/data/read-file.js';
import { lmer } from '../src/fit/lmer.js';
import { summary } from '../src/index.js';
import { WORKLOADS } from './workloads.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const withSummary = process.argv.includes('--summary');
const w = WORKLOADS.find((x) => x.id === args[0]);
if (!w) throw new Error(`unknown workload ${args[0]}`);
const fits = Number(args[1] ?? 200);
const data = readDataFile(join(ROOT, w.data));
const fit = () => {
  const m = lmer(w.formula, data, { REML: w.REML, dataName: w.id });
  if (withSummary) void summary(m).toString();
  return m;
};
const gc = (globalThis as { gc?: () => void }).gc;
const memory = () => {
  gc?.();
  const u = process.memoryUsage();
  const mb = (x: number): number => Math.round((x / 2 ** 20) * 10) / 10;
  return { heapMB: mb(u.heapUsed), externalMB: mb(u.external), rssMB: mb(u.rss) };
};
for (let i = 0; i < 20; i++) fit(); // warm-up: JIT, module compilation
const before = memory();
const times: number[] = [];
const checkpoints: ReturnType<typeof memory>[] = [];
let last = fit();
const cpu0 = process.cpuUsage();
for (let i = 0; i < fits; i++) {
  const t0 = performance.now();
  last = fit();
  times.push(performance.now() - t0);
  if ((i + 1) % Math.ceil(fits / 4) === 0) checkpoints.push(memory());
}
const cpu = process.cpuUsage(cpu0);
// CPU time per fit (the memory checkpoints' forced collections included): steadier than wall time on a busy machine
const cpuMsPerFit = (cpu.user + cpu.system) / 1000 / fits;
const after = memory();
times.sort((a, b) => a - b);
const q = (f: number): number => times[Math.min(times.length - 1, Math.floor(f * times.length))];
console.log(JSON.stringify({ id: w.id, fits, summary: withSummary, medianMs: q(0.5), p10Ms: q(0.1), cpuMsPerFit, p90Ms: q(0.9), evaluations: last.optimizer.evaluations, objective: last.REMLcrit() ?? last.deviance(), before, checkpoints, after }));
