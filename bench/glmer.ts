/**
 * glmer beside lme4's glmer, in one run (timings under the same machine load):
 *
 *   npx tsx bench/glmer.ts                      → ours only, every workload
 *   npx tsx bench/glmer.ts --r verbagg grouse   → ours and lme4 (Rscript bench/r/time-glmer.R) on the named ones
 *
 * Reports wall and CPU time of the fit (the fastest of the reps on both sides: on a loaded machine the
 * minimum is the least disturbed; compare the CPU times), optimizer evaluations (stage 1, stage 2), PIRLS
 * runs (every deviance evaluation, the convergence checks' included) and steps, the CPU time inside PIRLS
 * (measured around each run) with ms per PIRLS step, fit CPU ms per evaluation, and −2 log L.
 * The 100k-row Bernoulli data are simulated here (bench/data/glmer_bern100k.csv, not committed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataFile } from '../src/data/read-file.js';
import { glmer } from '../src/fit/glmer.js';
import { Pirls } from '../src/fit/pirls.js';
import { mulberry32 } from './make-sim.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Workload {
  id: string;
  data: string;
  formula: string;
  family: 'binomial' | 'poisson';
  reps: number;
  generate?: () => void;
}

/**
 * 100,000 Bernoulli trials, 1000 subjects × 400 items crossed: logit P(y = 1) = −0.5 + 0.6 x − 0.8 [cond = B]
 * + subject intercept (SD 1) + item intercept (SD 0.6).
 */
function makeBern100k(path: string): void {
  const u = mulberry32(20261130);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const nSubj = 1000;
  const nItem = 400;
  const bs = Array.from({ length: nSubj }, () => gauss());
  const bi = Array.from({ length: nItem }, () => 0.6 * gauss());
  const lines = ['y,x,cond,subj,item'];
  for (let r = 0; r < 100_000; r++) {
    const s = Math.floor(r / 100);
    const i = Math.floor(u() * nItem);
    const x = Number(gauss().toPrecision(6));
    const cond = u() < 0.5 ? 'A' : 'B';
    const eta = -0.5 + 0.6 * x - (cond === 'B' ? 0.8 : 0) + bs[s] + bi[i];
    const y = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    lines.push(`${y},${x},${cond},s${s + 1},i${i + 1}`);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.join('\n') + '\n');
}

const BERN = join('bench', 'data', 'glmer_bern100k.csv');
const WORKLOADS: Workload[] = [
  { id: 'cbpp', data: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial', reps: 5 },
  {
    id: 'grouseticks',
    data: 'data/grouseticks.csv',
    formula: 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)',
    family: 'poisson',
    reps: 3,
  },
  {
    id: 'verbagg',
    data: 'test/fixtures/glmer/VerbAgg.csv',
    formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)',
    family: 'binomial',
    reps: 2,
  },
  {
    id: 'bern100k',
    data: BERN,
    formula: 'y ~ x + cond + (1 | subj) + (1 | item)',
    family: 'binomial',
    reps: 1,
    generate: () => makeBern100k(join(root, BERN)),
  },
];

/** CPU time inside PIRLS runs (each one deviance evaluation), accumulated around Pirls.run. */
const pirlsCpu = { runs: 0, cpuMs: 0 };
const pirlsRun = Pirls.prototype.run;
Pirls.prototype.run = function (this: Pirls, ...a: Parameters<Pirls['run']>) {
  const c0 = process.cpuUsage();
  try {
    return pirlsRun.apply(this, a);
  } finally {
    const c = process.cpuUsage(c0);
    pirlsCpu.runs++;
    pirlsCpu.cpuMs += (c.user + c.system) / 1000;
  }
};

const args = process.argv.slice(2);
const withR = args.includes('--r');
const ids = args.filter((a) => !a.startsWith('--'));
for (const w of WORKLOADS) {
  if (ids.length > 0 && !ids.some((id) => w.id.startsWith(id))) continue;
  const path = join(root, w.data);
  if (!existsSync(path)) w.generate?.();
  const data = readDataFile(path);
  const times: number[] = [];
  const cpus: number[] = [];
  let last: ReturnType<typeof glmer> | null = null;
  let pirls = { runs: 0, cpuMs: 0 };
  for (let k = 0; k < w.reps; k++) {
    pirlsCpu.runs = 0;
    pirlsCpu.cpuMs = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const m = glmer(w.formula, data, { family: w.family });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000;
    if (cpus.length === 0 || cpu < Math.min(...cpus)) pirls = { ...pirlsCpu };
    cpus.push(cpu);
    last = m;
  }
  const m = last!;
  const ms = Math.min(...times);
  const cpuMs = Math.min(...cpus);
  const ours = {
    ms: Math.round(ms),
    cpuMs: Math.round(cpuMs),
    evaluationsStage1: m.optimizer.stage1Evaluations,
    evaluationsStage2: m.optimizer.evaluations,
    // every deviance evaluation (both stages, the initial fit, the gradient and Hessian checks): one PIRLS run each
    pirlsRuns: pirls.runs,
    pirlsSteps: m.pirlsSteps,
    pirlsCpuMs: Math.round(pirls.cpuMs),
    pirlsMsPerStep: Number((pirls.cpuMs / m.pirlsSteps).toFixed(4)),
    cpuMsPerEvaluation: Number((cpuMs / pirls.runs).toFixed(4)),
    minus2logLik: m.minus2LogLik(),
  };
  let r: Record<string, unknown> | null = null;
  if (withR) {
    const out = execFileSync('Rscript', [join(root, 'bench/r/time-glmer.R'), path, w.formula, w.family, String(w.reps)], { encoding: 'utf8' });
    r = JSON.parse(out.trim().split('\n').pop()!);
  }
  // under a loaded machine wall times do not compare; CPU times do (both processes single-threaded)
  const ratio = r ? ` lme4/ours CPU = ${((Number(r.cpuMin) * 1000) / cpuMs).toFixed(1)}, wall = ${((Number(r.min) * 1000) / ms).toFixed(1)}` : '';
  console.log(JSON.stringify({ id: w.id, ours, lme4: r }) + ratio);
}
