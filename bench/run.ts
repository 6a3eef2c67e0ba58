/**
 * `npm run bench`: every workload measured in its own process (bench/measure.ts), printed as a table.
 * `npm run bench:compare`: the same plus lme4's lmer() timed on the same data and formula in the same run
 * (when Rscript with lme4 is installed), the ratio table, and a section appended to bench/RESULTS.md.
 * Optional arguments: workload ids to run (default all); `--cold` adds the whole-process figure of each workload
 * under a second (`lmm fit` from a fresh Node against Rscript with lmerTest, paired; needs `npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from './workloads.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const compare = process.argv.includes('--compare');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const workloads = WORKLOADS.filter((w) => only.length === 0 || only.includes(w.id));

interface Ours {
  id: string; nobs: number; readMs: number; fitMs: number; firstFitMs: number; bennyMeanMs: number | null; evaluations: number;
  setupMs: number; perEvalMs: number; checksMs: number; denseOrder: number; wasmMB: number; peakRssMB: number; objective: number; warnings: string[];
}
interface Theirs { median: number; batchMean: number | null; feval: number; objective: number; R: string; lme4: string; warnings: string[] }

function hasR(): boolean {
  const r = spawnSync('Rscript', ['-e', 'cat(requireNamespace("lme4", quietly = TRUE))'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'TRUE';
}

function measure(id: string): Ours {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/measure.ts'), id], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function timeR(w: (typeof WORKLOADS)[number]): Theirs {
  const reps = Math.min(w.reps, w.id.startsWith('sim1M') ? 1 : 5);
  const out = execFileSync('Rscript', [join(ROOT, 'bench/r/time-lmer.R'), join(ROOT, w.data), w.formula, String(w.REML), String(reps)], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** CPU seconds of the waited-for children so far (Linux /proc; null elsewhere): user + system, 10 ms ticks. */
function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is stat's third field
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime (USER_HZ = 100)
  } catch {
    return null;
  }
}

interface Cold { wall: number; cpu: number | null }

/** One whole process: wall seconds and the child's CPU seconds. */
function runCold(cmd: string, args: string[]): Cold {
  const c0 = childCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const c1 = childCpuSeconds();
  return { wall, cpu: c0 === null || c1 === null ? null : c1 - c0 };
}

/**
 * `lmm fit` of a workload as a whole process, paired with Rscript fitting it with lmerTest and printing its
 * summary: after one warm-up of each, `rounds` runs alternating between the two; medians.
 */
function coldPair(w: (typeof WORKLOADS)[number], rounds: number, withR: boolean): { ours: Cold; r: Cold | null } {
  const ours = ['dist/cli/bin.js', 'fit', w.data, w.formula, ...(w.REML ? [] : ['--ml'])];
  const rArgs = [join(ROOT, 'bench/r/cold-lmer.R'), join(ROOT, w.data), w.formula, String(w.REML)];
  runCold(process.execPath, ours);
  if (withR) runCold('Rscript', rArgs);
  const a: Cold[] = [];
  const b: Cold[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(runCold(process.execPath, ours));
    if (withR) b.push(runCold('Rscript', rArgs));
  }
  const med = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const summarize = (xs: Cold[]): Cold => ({ wall: med(xs.map((x) => x.wall)), cpu: xs.some((x) => x.cpu === null) ? null : med(xs.map((x) => x.cpu!)) });
  return { ours: summarize(a), r: withR ? summarize(b) : null };
}

const fmt = (x: number, d = 1): string => x.toFixed(d);
const ms = (o: Ours): number => o.bennyMeanMs ?? o.fitMs;
const useR = compare && hasR();
if (compare && !useR) console.log('Rscript with lme4 not found: timing lmm-wasm only.');
const rows: { w: (typeof WORKLOADS)[number]; o: Ours; r: Theirs | null }[] = [];
for (const w of workloads) {
  process.stderr.write(`measuring ${w.id} …\n`);
  const o = measure(w.id);
  const r = useR ? timeR(w) : null;
  rows.push({ w, o, r });
  const rs = r ? `  lme4 ${fmt((r.batchMean && r.batchMean > 0 ? r.batchMean : r.median) * 1000)} ms, ${r.feval} evals` : '';
  console.log(`${w.id.padEnd(15)} n=${String(o.nobs).padStart(7)}  fit ${fmt(ms(o), 2).padStart(9)} ms  first ${fmt(o.firstFitMs, 1)} ms  evals ${String(o.evaluations).padStart(3)}  ${fmt(o.perEvalMs, 3)} ms/eval  setup ${fmt(o.setupMs)} ms  read ${fmt(o.readMs)} ms  RSS ${fmt(o.peakRssMB, 0)} MB  WASM ${fmt(o.wasmMB, 1)} MB${rs}`);
}

const coldRows: { w: (typeof WORKLOADS)[number]; ours: Cold; r: Cold | null }[] = [];
if (process.argv.includes('--cold')) {
  for (const { w, o } of rows) {
    if (o.fitMs > 1000) continue; // whole-process figures are for small models, where startup matters
    process.stderr.write(`whole process ${w.id} …\n`);
    const { ours, r } = coldPair(w, 7, useR);
    coldRows.push({ w, ours, r });
    const cpu = (c: Cold): string => (c.cpu === null ? '' : `, ${fmt(c.cpu, 2)} s CPU`);
    console.log(`${w.id.padEnd(15)} whole process: lmm fit ${fmt(ours.wall, 3)} s${cpu(ours)}${r ? `; Rscript ${fmt(r.wall, 2)} s${cpu(r)}` : ''}`);
  }
}

if (compare) {
  // Each run appends a section: the file keeps the history of reruns and the notes written beside them.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const file = join(ROOT, 'bench/RESULTS.md');
  const lines: string[] = [];
  if (!existsSync(file)) {
    lines.push('# Benchmark results', '');
    lines.push('Fit = data already loaded to fitted model (lme4: `system.time(lmer(...))`, ours: the `lmer()` call), median of',
      'repeated fits in one process after a warm-up fit; for fits under a second ours is benny\'s mean and R\'s a mean of 50 fits.',
      'Both include model-frame building and the convergence checks. Evals = deviance evaluations of the optimizer.',
      'First fit = our first fit in a fresh process (engine compilation, unoptimized JavaScript). Read = CSV to table',
      '(ours). Each `npm run bench:compare` appends a section.', '');
  }
  lines.push('', `## npm run bench:compare${only.length ? ` -- ${only.join(' ')}` : ''} (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`, '');
  lines.push(`Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 0)} GiB, load average ${fmt(loadavg()[0], 1)} at the end · Node ${process.version} · lmm-wasm ${pkg.version}` + (useR && rows[0].r ? ` · R ${rows[0].r.R}, lme4 ${rows[0].r.lme4}` : ''), '');
  lines.push('| workload | n | lmm-wasm fit | lme4 fit | ratio | first fit | evals (ours / lme4) | ms / eval | setup | read | peak RSS | WASM memory |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { w, o, r } of rows) {
    const rMs = r ? (r.batchMean && r.batchMean > 0 ? r.batchMean : r.median) * 1000 : null;
    lines.push(`| ${w.id} | ${o.nobs} | ${fmt(ms(o), 2)} ms | ${rMs === null ? '–' : fmt(rMs, 1) + ' ms'} | ${rMs === null ? '–' : fmt(rMs / ms(o), 1) + '×'} | ${fmt(o.firstFitMs, 1)} ms | ${o.evaluations} / ${r ? r.feval : '–'} | ${fmt(o.perEvalMs, 3)} | ${fmt(o.setupMs, 1)} ms | ${fmt(o.readMs, 0)} ms | ${fmt(o.peakRssMB, 0)} MB | ${fmt(o.wasmMB, 1)} MB |`);
  }
  if (coldRows.length > 0) {
    lines.push('', 'Whole process (`lmm fit DATA FORMULA`: start, read, fit, lmerTest summary printed), paired with `Rscript` doing the',
      'same with lmerTest (bench/r/cold-lmer.R): one warm-up each, then 7 runs alternating; medians of wall and CPU time.', '');
    lines.push('| workload | lmm fit wall | lmm fit CPU | Rscript wall | Rscript CPU | wall ratio |', '|---|---:|---:|---:|---:|---:|');
    const s = (x: number | null | undefined, d: number): string => (x === null || x === undefined ? '–' : `${fmt(x, d)} s`);
    for (const { w, ours, r } of coldRows) {
      lines.push(`| ${w.id} | ${s(ours.wall, 3)} | ${s(ours.cpu, 2)} | ${s(r?.wall, 2)} | ${s(r?.cpu, 2)} | ${r ? fmt(ours.wall / r.wall, 3) : '–'} |`);
    }
  }
  lines.push('', 'Objective (deviance or REML criterion) at the optimum, ours vs lme4:', '');
  for (const { w, o, r } of rows) lines.push(`- ${w.id}: ${o.objective} vs ${r ? r.objective : '–'}${o.warnings.length ? ` (our warnings: ${o.warnings.join('; ')})` : ''}${r && r.warnings.length ? ` (lme4: ${r.warnings.join('; ')})` : ''}`);
  appendFileSync(file, lines.join('\n') + '\n');
  console.log('\nappended a section to bench/RESULTS.md');
}
