/**
 * BOBYQA against `optimizer: 'newton'` (BFGS on the exact gradient) on the many-θ and crossed workloads
 * of issue 13: kb07 maximal (72 θ) and with `||`, d3 with three intercepts and with three slopes, InstEval
 * by ML. Each fit runs in its own process, one after the other (timings on a shared machine are noisy:
 * compare rows of one run only). With --compare and Rscript + lme4 installed, lme4 is timed in the same
 * run (bench/r/time-lmer.R; kb07 maximal only with --slow: lme4 needs about 8 minutes).
 * d3.csv (3 MB) is read from ../shared/data (the shared data folder); its rows are skipped when absent.
 * BOBYQA on kb07 maximal takes about a minute: it runs only with --slow.
 *
 * With --baseline DIR, each fit also runs in the checkout at DIR (another build: its bench/optimizers.ts in
 * child mode, its engine built), interleaved with ours, so that old and new are compared in one run.
 *
 * Usage: node --import tsx bench/optimizers.ts [--compare] [--slow] [--baseline DIR] [workload ids…]
 * One workload and optimizer (child mode): node --import tsx bench/optimizers.ts --one ID OPTIMIZER
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataFile, datasetName } from '../src/data/read-file.js';
import { lmer } from '../src/fit/lmer.js';
import { summary } from '../src/index.js';
import type { OptimizerName } from '../src/optim/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const KB07_FIXED = '1 + S + T + U + V + W + X + Z';

interface Case {
  id: string;
  data: string;
  formula: string;
  REML: boolean;
  /** Published optimum to reach (MixedModels.jl's benchmark results), when known. */
  anchor?: number;
}

const shared = (name: string): string =>
  [join(ROOT, '..', 'shared', 'data', name), join(ROOT, '..', '..', 'shared', 'data', name)].find(existsSync) ?? '';

const CASES: Case[] = [
  { id: 'kb07_max', data: join(ROOT, 'data/kb07.csv'), formula: `Y ~ ${KB07_FIXED} + (${KB07_FIXED} | G) + (${KB07_FIXED} | H)`, REML: false, anchor: 28586.3221 },
  { id: 'kb07_zc', data: join(ROOT, 'data/kb07.csv'), formula: `Y ~ ${KB07_FIXED} + (${KB07_FIXED} || G) + (${KB07_FIXED} || H)`, REML: false },
  { id: 'd3_int', data: shared('d3.csv'), formula: 'Y ~ 1 + U + (1 | G) + (1 | H) + (1 | I)', REML: false },
  { id: 'd3_slopes', data: shared('d3.csv'), formula: 'Y ~ 1 + U + (1 + U | G) + (1 + U | H) + (1 + U | I)', REML: false },
  { id: 'insteval_ml', data: join(ROOT, 'data/InstEval.csv'), formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)', REML: false },
  { id: 'insteval_reml', data: join(ROOT, 'data/InstEval.csv'), formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)', REML: true },
];

interface Row { cpuMs: number; fitMs: number; optimizeMs: number; checksMs: number; evaluations: number; objective: number; message: string; warnings: string[]; summaryMs: number | null }

/** Workloads whose full summary (the Satterthwaite table) is timed after the fit: issue 13's kb07 target. */
const SUMMARY_TIMED = new Set(['kb07_max', 'kb07_zc']);

function one(id: string, optimizer: OptimizerName): Row {
  const c = CASES.find((x) => x.id === id)!;
  const data = readDataFile(c.data);
  // CPU time beside the wall time: on a shared, loaded machine it moves less than the wall clock
  const cpu0 = process.cpuUsage();
  const m = lmer(c.formula, data, { REML: c.REML, optimizer, dataName: datasetName(c.data) });
  const cpu = process.cpuUsage(cpu0);
  let summaryMs: number | null = null;
  if (SUMMARY_TIMED.has(id)) {
    const t = performance.now();
    String(summary(m));
    summaryMs = performance.now() - t;
  }
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    summaryMs,
    fitMs: m.fitMs,
    optimizeMs: m.timings.optimizeMs,
    checksMs: m.timings.checksMs,
    evaluations: m.optimizer.evaluations,
    objective: (c.REML ? m.REMLcrit() : m.deviance()) as number,
    message: m.optimizer.message,
    warnings: m.warnings,
  };
}

if (process.argv[2] === '--one') {
  console.log(JSON.stringify(one(process.argv[3], process.argv[4] as OptimizerName)));
} else {
  const compare = process.argv.includes('--compare');
  const slow = process.argv.includes('--slow');
  const at = process.argv.indexOf('--baseline');
  const baseline = at > 0 ? process.argv[at + 1] : null;
  const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--baseline');
  const hasR = compare && spawnSync('Rscript', ['-e', 'cat(requireNamespace("lme4", quietly = TRUE))'], { encoding: 'utf8' }).stdout?.trim() === 'TRUE';
  const run = (id: string, opt: string, root = ROOT): Row =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench/optimizers.ts'), '--one', id, opt], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop()!);
  console.log('| workload | optimizer | fit | fit (CPU) | optimize | evals | ms / eval | checks | summary | objective | lme4 fit | lme4 evals | lme4 objective |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of CASES) {
    if (only.length > 0 && !only.includes(c.id)) continue;
    if (!c.data) {
      console.log(`| ${c.id} | – | data not found (../shared/data) | | | | | | | | | |`);
      continue;
    }
    let lme4 = '| – | – | – |';
    if (hasR && (c.id !== 'kb07_max' || slow)) {
      const out = execFileSync('Rscript', [join(ROOT, 'bench/r/time-lmer.R'), c.data, c.formula, String(c.REML), '1'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      lme4 = `| ${(r.median * 1000).toFixed(0)} ms | ${r.feval} | ${r.objective} |`;
    }
    for (const opt of ['bobyqa', 'newton']) {
      if (opt === 'bobyqa' && c.id === 'kb07_max' && !slow) {
        console.log(`| ${c.id} | bobyqa | (--slow) | | | | | | | ${lme4.slice(2)}`);
        continue;
      }
      const builds: [string, string][] = baseline ? [[`${opt} (baseline)`, baseline], [opt, ROOT]] : [[opt, ROOT]];
      for (const [label, root] of builds) {
        const r = run(c.id, opt, root);
        const anchor = c.anchor !== undefined ? ` (published ${c.anchor})` : '';
        console.log(
          `| ${c.id} | ${label} | ${r.fitMs.toFixed(0)} ms | ${r.cpuMs.toFixed(0)} ms | ${r.optimizeMs.toFixed(0)} ms | ${r.evaluations} | ${(r.optimizeMs / r.evaluations).toFixed(2)} | ` +
            `${r.checksMs.toFixed(0)} ms | ${r.summaryMs === null ? '–' : `${r.summaryMs.toFixed(0)} ms`} | ${r.objective}${anchor}${r.warnings.length ? ' ⚠ ' + r.warnings.join('; ') : ''} ${lme4}`,
        );
      }
    }
  }
}
