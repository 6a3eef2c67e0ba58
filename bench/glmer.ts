/**
 * glmer beside lme4's glmer, in one run (timings under the same machine load):
 *
 *   npx tsx bench/glmer.ts                      → ours only, every workload, every stage-2 optimizer
 *                                                 ('newton' is glmer's default, 'nelder-mead' lme4's)
 *   npx tsx bench/glmer.ts --r verbagg grouse   → ours and lme4 (Rscript bench/r/time-glmer.R) on the named ones
 *   --optimizers nelder-mead,bobyqa-scaled      → our stage-2 optimizers to run (default: all four); with --r,
 *                                                 lme4 runs its default and, if 'bobyqa' is among them,
 *                                                 glmerControl(optimizer = "bobyqa")
 *   --derivatives exact,deriv12                 → the convergence check's and vcov's derivatives, each fit run
 *                                                 with both, interleaved (keys optimizer/derivatives); default:
 *                                                 glmer's own choice only
 *
 * Reports wall and CPU time of the fit (the fastest of the reps on both sides: on a loaded machine the
 * minimum is the least disturbed; compare the CPU times; the optimizers' reps are interleaved), optimizer
 * evaluations (stage 1, stage 2), PIRLS runs (every deviance evaluation, the convergence checks' included)
 * and steps, the CPU time inside PIRLS (measured around each run) with ms per PIRLS step, the CPU time
 * outside PIRLS, fit CPU ms per evaluation, and −2 log L; the engine's exact gradients (calls, their PIRLS
 * steps, CPU ms) where the check used them.
 * The 100k-row Bernoulli data are simulated here (bench/data/glmer_bern100k.csv, not committed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataFile } from '../src/data/read-file.js';
import { fitGlmer, type glmer } from '../src/fit/glmer.js';
import { EngineLaplaceGradient } from '../src/wasm/laplace-gradient.js';
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
    reps: 10,
  },
  {
    id: 'verbagg',
    data: 'test/fixtures/glmer/VerbAgg.csv',
    formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)',
    family: 'binomial',
    reps: 5,
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

/** The same around the engine's exact gradients (each runs PIRLS itself). */
const gradientCpu = { calls: 0, steps: 0, cpuMs: 0 };
const gradientCall = EngineLaplaceGradient.prototype.gradient;
EngineLaplaceGradient.prototype.gradient = function (this: EngineLaplaceGradient, ...a: Parameters<EngineLaplaceGradient['gradient']>) {
  const c0 = process.cpuUsage();
  const s0 = this.totalSteps;
  try {
    return gradientCall.apply(this, a);
  } finally {
    const c = process.cpuUsage(c0);
    gradientCpu.calls++;
    gradientCpu.steps += this.totalSteps - s0;
    gradientCpu.cpuMs += (c.user + c.system) / 1000;
  }
};

const args = process.argv.slice(2);
const withR = args.includes('--r');
const optArg = args.indexOf('--optimizers');
const OPTIMIZERS = ['newton', 'nelder-mead', 'bobyqa-scaled', 'bobyqa'] as const;
type StageTwo = (typeof OPTIMIZERS)[number];
const optimizerList = (optArg >= 0 ? args[optArg + 1].split(',') : [...OPTIMIZERS]) as StageTwo[];
for (const o of optimizerList) if (!OPTIMIZERS.includes(o)) throw new Error(`--optimizers: unknown ${o} (${OPTIMIZERS.join(', ')})`);
const derivArg = args.indexOf('--derivatives');
const derivativeList = (derivArg >= 0 ? args[derivArg + 1].split(',') : [undefined]) as ('exact' | 'deriv12' | undefined)[];
const ids = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--optimizers' && args[i - 1] !== '--derivatives');
const variants = optimizerList.flatMap((o) => derivativeList.map((d) => ({ o, d, key: d === undefined ? o : `${o}/${d}` })));

interface Rep {
  cpuMs: number;
  ms: number;
  pirls: { runs: number; cpuMs: number };
  gradients: { calls: number; steps: number; cpuMs: number };
  model: ReturnType<typeof glmer>;
}

function fitOnce(w: Workload, data: ReturnType<typeof readDataFile>, optimizer: StageTwo, derivatives?: 'exact' | 'deriv12'): Rep {
  pirlsCpu.runs = 0;
  pirlsCpu.cpuMs = 0;
  Object.assign(gradientCpu, { calls: 0, steps: 0, cpuMs: 0 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const model = fitGlmer(w.formula, data, { family: w.family, optimizer }, derivatives === undefined ? {} : { derivatives });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000, ms, pirls: { ...pirlsCpu }, gradients: { ...gradientCpu }, model };
}

function summarise(reps: Rep[]) {
  const best = reps.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
  const m = best.model;
  return {
    ms: Math.round(Math.min(...reps.map((r) => r.ms))),
    cpuMs: Math.round(best.cpuMs),
    evaluationsStage1: m.optimizer.stage1Evaluations,
    evaluationsStage2: m.optimizer.evaluations,
    // every deviance evaluation (both stages, the initial fit, the gradient and Hessian checks): one PIRLS run each
    pirlsRuns: best.pirls.runs,
    pirlsSteps: m.pirlsSteps,
    stepsPerRun: Number((m.pirlsSteps / best.pirls.runs).toFixed(2)),
    pirlsCpuMs: Math.round(best.pirls.cpuMs),
    pirlsMsPerStep: Number((best.pirls.cpuMs / m.pirlsSteps).toFixed(4)),
    outsidePirlsCpuMs: Math.round(best.cpuMs - best.pirls.cpuMs),
    cpuMsPerEvaluation: Number((best.cpuMs / best.pirls.runs).toFixed(4)),
    gradients: best.gradients.calls,
    gradientSteps: best.gradients.steps,
    gradientCpuMs: Math.round(best.gradients.cpuMs),
    minus2logLik: m.minus2LogLik(),
    warnings: m.warnings.length,
  };
}

function lme4(path: string, w: Workload, control: 'default' | 'bobyqa'): Record<string, unknown> {
  const out = execFileSync('Rscript', [join(root, 'bench/r/time-glmer.R'), path, w.formula, w.family, String(w.reps), control], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

for (const w of WORKLOADS) {
  if (ids.length > 0 && !ids.some((id) => w.id.startsWith(id))) continue;
  const path = join(root, w.data);
  if (!existsSync(path)) w.generate?.();
  const data = readDataFile(path);
  const reps = new Map<string, Rep[]>(variants.map((v) => [v.key, []]));
  // one warm-up fit each (as bench/r/time-glmer.R's), then the reps interleaved, so that a burst of load falls
  // on every optimizer alike
  for (const v of variants) fitOnce(w, data, v.o, v.d);
  for (let k = 0; k < w.reps; k++) for (const v of variants) reps.get(v.key)!.push(fitOnce(w, data, v.o, v.d));
  const ours = Object.fromEntries(variants.map((v) => [v.key, summarise(reps.get(v.key)!)]));
  const r: Record<string, Record<string, unknown>> = {};
  if (withR) {
    r.default = lme4(path, w, 'default');
    if (optimizerList.includes('bobyqa')) r.bobyqa = lme4(path, w, 'bobyqa');
  }
  // under a loaded machine wall times do not compare; CPU times do (both processes single-threaded)
  const ratios = Object.entries(ours).map(([o, v]) => {
    const bobyqa = o.startsWith('bobyqa/') || o === 'bobyqa';
    const same = bobyqa ? r.bobyqa : r.default;
    const cpu = ((Number(same?.cpuMin) * 1000) / v.cpuMs).toFixed(1);
    const wall = ((Number(same?.min) * 1000) / v.ms).toFixed(1);
    return same ? ` ${o}: lme4 ${bobyqa ? 'bobyqa' : 'default'}/ours CPU = ${cpu}, wall = ${wall}` : '';
  });
  console.log(JSON.stringify({ id: w.id, ours, lme4: withR ? r : null }) + ratios.join(';'));
}
