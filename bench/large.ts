/**
 * The large-design bench (issue 13): `y ~ x + (1 | a) + (1 | b)` shapes with a million rows or tens of thousands
 * of levels. For each design: our fit from the CSV through the CLI (`lmm fit … --json`, one process under
 * /usr/bin/time -v: wall, CPU, peak RSS) and through the API with the data already in memory (read and fit timed
 * apart, evaluations, setup, the crossed block's factor, WASM memory, peak RSS), then lme4 on the same CSV in the
 * same run (one fit, bench/r/time-lmer-once.R, under the same time limit; when it does not finish, one evaluation of
 * its deviance function instead). Designs are simulated once into bench/data/ (seeded, not committed).
 *
 *   node --import tsx bench/large.ts [ids...] [--no-r] [--r-eval] [--no-cli] [--no-api] [--limit SECONDS]
 *   ids: cross1M sim1M ml1M wide30k rand20k   (default: all but rand20k)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSim, mulberry32, normal } from './make-sim.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'bench/data');

/** A large design: its CSV in bench/data/, written by `make` when missing, and the model fitted to it. */
interface Design {
  id: string;
  /** Writes the CSV to the path. */
  make: (path: string) => void | Promise<unknown>;
  file: string;
  formula: string;
  REML: boolean;
}

/** Writes CSV lines produced by `rows` in chunks (a million rows never sit in one string). */
function writeCsv(path: string, header: string, rows: (emit: (line: string) => void) => void): void {
  const fd = openSync(path, 'w');
  let chunk = `${header}\n`;
  rows((line) => {
    chunk += `${line}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  });
  writeSync(fd, chunk);
  closeSync(fd);
}

const g6 = (v: number): string => String(Number(v.toPrecision(6)));

/**
 * Crossed design, rows grouped by a (n / na rows each), b drawn at random, every b-level met at least once:
 * y = 1 + 0.5 x + u_a + v_b + e, SDs 1, 0.6 and 1.
 */
function crossed(n: number, na: number, nb: number, seed: number): (path: string) => void {
  return (path) => {
    const u = mulberry32(seed);
    const rnorm = normal(u);
    const ua = Float64Array.from({ length: na }, () => rnorm());
    const vb = Float64Array.from({ length: nb }, () => 0.6 * rnorm());
    const step = Math.floor(n / nb);
    writeCsv(path, 'y,x,a,b', (emit) => {
      for (let i = 0; i < n; i++) {
        const a = Math.floor((i * na) / n);
        const b = i % step === 0 && i / step < nb ? i / step : Math.floor(u() * nb);
        const x = Number(rnorm().toPrecision(6));
        emit(`${g6(1 + 0.5 * x + ua[a] + vb[b] + rnorm())},${x},a${a + 1},b${b + 1}`);
      }
    });
  };
}

/**
 * MovieLens-1M-shaped ratings: 6040 users × 3706 movies, 1,000,209 ratings (plus one for any movie never drawn),
 * rows grouped by user. Each user rates at least 20 movies and the rest follows a Pareto tail (as ML-1M: 20 to
 * about 2300 per user); movies are drawn without repeats within a user from a Zipf-like popularity. The rating
 * is a latent user + movie effect plus noise, rounded to 1–5; x is a standardized row covariate.
 */
function movieLens(path: string): void {
  const users = 6040;
  const movies = 3706;
  const total = 1_000_209;
  const maxPerUser = 1500;
  const u = mulberry32(20261203);
  const rnorm = normal(u);
  // ratings per user: 20 + a Pareto(1.2) share of the rest, capped
  const tail = Array.from({ length: users }, () => (1 - u()) ** (-1 / 1.2));
  const sum = tail.reduce((a, b) => a + b, 0);
  const count = tail.map((t) => Math.min(maxPerUser, 20 + Math.floor(((total - 20 * users) * t) / sum)));
  for (let left = total - count.reduce((a, b) => a + b, 0); left > 0; ) {
    const k = Math.floor(u() * users);
    if (count[k] < maxPerUser) {
      count[k]++;
      left--;
    }
  }
  // movie popularity: Zipf-like weights in a random order of the movie ids, sampled through the cumulative sum
  const order = Array.from({ length: movies }, (_, m) => m);
  for (let m = movies - 1; m > 0; m--) {
    const j = Math.floor(u() * (m + 1));
    [order[m], order[j]] = [order[j], order[m]];
  }
  const cum = new Float64Array(movies);
  let acc = 0;
  for (let r = 0; r < movies; r++) cum[r] = acc += (r + 20) ** -1.25;
  const draw = (): number => {
    const t = u() * acc;
    let lo = 0;
    let hi = movies - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return order[lo];
  };
  const userEff = Float64Array.from({ length: users }, () => 0.45 * rnorm());
  const movieEff = Float64Array.from({ length: movies }, () => 0.5 * rnorm());
  const rating = (user: number, movie: number, x: number): number =>
    Math.min(5, Math.max(1, Math.round(3.58 + 0.1 * x + userEff[user] + movieEff[movie] + 0.9 * rnorm())));
  const rated = new Uint8Array(movies);
  writeCsv(path, 'y,x,user,movie', (emit) => {
    const seen = new Uint8Array(movies);
    for (let user = 0; user < users; user++) {
      const picked: number[] = [];
      while (picked.length < count[user]) {
        const m = draw();
        if (seen[m]) continue;
        seen[m] = 1;
        picked.push(m);
      }
      for (const m of picked) {
        seen[m] = 0;
        rated[m] = 1;
        const x = Number(rnorm().toPrecision(6));
        emit(`${rating(user, m, x)},${x},u${user + 1},m${m + 1}`);
      }
    }
    for (let m = 0; m < movies; m++) {
      if (rated[m]) continue;
      const user = Math.floor(u() * users);
      const x = Number(rnorm().toPrecision(6));
      emit(`${rating(user, m, x)},${x},u${user + 1},m${m + 1}`);
    }
  });
}

const CROSSED = 'y ~ x + (1 | a) + (1 | b)';
const DESIGNS: Design[] = [
  { id: 'cross1M', file: 'cross1M.csv', formula: CROSSED, REML: true, make: crossed(1_000_000, 5000, 2000, 20261205) },
  // bench/workloads.ts's sim1M (correlated slope for subjects): issue 13's "1M-row 5000 × 2000 design"
  { id: 'sim1M', file: 'sim1M.csv', formula: 'y ~ 1 + x + cond + (1 + cond | subj) + (1 | item)', REML: false, make: () => makeSim('sim1M', DATA) },
  { id: 'ml1M', file: 'ml1M.csv', formula: 'y ~ x + (1 | user) + (1 | movie)', REML: true, make: movieLens },
  { id: 'wide30k', file: 'wide30k.csv', formula: CROSSED, REML: true, make: crossed(300_000, 1000, 30000, 20261206) },
  {
    id: 'rand20k',
    file: 'rand20k.csv',
    formula: CROSSED,
    REML: true,
    make: () => execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/structure.ts'), 'rand20k', '--make-only'], { stdio: 'inherit' }),
  },
];

/** What the API child prints: the fit with the data in memory. */
interface ApiResult {
  n: number;
  readMs: number;
  fitMs: number;
  fitCpuMs: number;
  evaluations: number;
  setupMs: number;
  optimizeMs: number;
  checksMs: number;
  objective: number | null;
  wasmBytes: number;
  /** Peak RSS right after the fit (before the factor's description below is computed), MiB. */
  rssMiB: number;
  factor: { kind: string; order: number; nnzL: number; supernodes: number; flops: number };
}

/** The API run, in its own process so its peak RSS is its own. */
async function apiChild(d: Design): Promise<void> {
  const { readDataFile } = await import('../src/data/read-file.js');
  const { lmer } = await import('../src/fit/lmer.js');
  const { engineInputFor } = await import('../test/helpers/engine-input.js');
  const { MixedEngine } = await import('../src/wasm/mixed-engine.js');
  const path = join(DATA, d.file);
  let t = performance.now();
  const data = readDataFile(path, { maxBytes: 2 ** 31 });
  const readMs = performance.now() - t;
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const fit = lmer(d.formula, data, { REML: d.REML });
  const fitMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const kind = new MixedEngine(engineInputFor(d.formula, data)).factorKind;
  const result: ApiResult = {
    n: fit.nobs,
    readMs,
    fitMs,
    fitCpuMs: (cpu.user + cpu.system) / 1000,
    evaluations: fit.optimizer.evaluations,
    setupMs: fit.timings.setupMs,
    optimizeMs: fit.timings.optimizeMs,
    checksMs: fit.timings.checksMs,
    objective: d.REML ? fit.REMLcrit() : fit.deviance(),
    wasmBytes: fit.timings.memoryBytes,
    rssMiB,
    factor: { kind: kind.kind, order: kind.order, nnzL: kind.nnzL, supernodes: kind.supernodes, flops: kind.flops },
  };
  console.log(JSON.stringify(result));
}

/** One deviance evaluation at θ = 0.7 (for a design whose fit does not finish within the limit): setup, the factor, its cost. */
async function evalChild(d: Design): Promise<void> {
  const { readDataFile } = await import('../src/data/read-file.js');
  const { engineInputFor } = await import('../test/helpers/engine-input.js');
  const { MixedEngine } = await import('../src/wasm/mixed-engine.js');
  const input = engineInputFor(d.formula, readDataFile(join(DATA, d.file), { maxBytes: 2 ** 31 }));
  let cpu = process.cpuUsage();
  let t = performance.now();
  const engine = new MixedEngine(input);
  const setupMs = performance.now() - t;
  const setupCpuMs = cpuMs(cpu);
  const kind = engine.factorKind;
  cpu = process.cpuUsage();
  t = performance.now();
  const value = engine.deviance(new Float64Array(input.terms.length).fill(0.7), d.REML);
  const evalMs = performance.now() - t;
  console.log(JSON.stringify({ setupMs, setupCpuMs, evalMs, evalCpuMs: cpuMs(cpu), value, kind, wasmBytes: engine.memoryBytes, rssMiB: process.resourceUsage().maxRSS / 1024 }));
}

const cpuMs = (from: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
};

/** A command under /usr/bin/time -v and a time limit: its stdout, exit status, wall, CPU and peak RSS. */
function timed(cmd: string[], limitS: number, niceness = 0): { stdout: string; stderr: string; status: number; wallS: number; cpuS: number; rssMiB: number } {
  const args = ['-v', ...(niceness ? ['nice', '-n', String(niceness)] : []), 'timeout', String(limitS), ...cmd];
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 28, cwd: ROOT });
  const field = (name: string): string => (r.stderr.match(new RegExp(`${name}.*?: (\\S+)\n`)) ?? [])[1] ?? '';
  const clock = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)').split(':').map(Number);
  const wallS = clock.reduce((a, b) => a * 60 + b, 0);
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    status: Number(field('Exit status')),
    wallS,
    cpuS: Number(field('User time')) + Number(field('System time')),
    rssMiB: Number(field('Maximum resident set size')) / 1024,
  };
}

const s1 = (v: number): string => v.toFixed(1);
const lastJson = (out: string): Record<string, unknown> | null => {
  const line = out.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const apiAt = argv.indexOf('--api');
  if (apiAt >= 0) {
    await apiChild(DESIGNS.find((d) => d.id === argv[apiAt + 1])!);
    return;
  }
  const evalAt = argv.indexOf('--eval');
  if (evalAt >= 0) {
    await evalChild(DESIGNS.find((d) => d.id === argv[evalAt + 1])!);
    return;
  }
  const limitAt = argv.indexOf('--limit');
  const limitS = limitAt >= 0 ? Number(argv[limitAt + 1]) : 1200;
  const ids = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--limit');
  const designs = DESIGNS.filter((d) => (ids.length === 0 ? d.id !== 'rand20k' : ids.includes(d.id)));
  const heap = '--max-old-space-size=4096';
  mkdirSync(DATA, { recursive: true });
  for (const d of designs) {
    const path = join(DATA, d.file);
    if (!existsSync(path)) await d.make(path);
    console.log(`## ${d.id}: ${d.formula} (${d.REML ? 'REML' : 'ML'}), ${path}`);
    if (!argv.includes('--no-cli')) {
      const args = ['fit', path, d.formula, d.REML ? '--reml' : '--ml', '--json', '--max-bytes', String(2 ** 31)];
      const r = timed([process.execPath, heap, join(ROOT, 'dist/cli/bin.js'), ...args], limitS);
      const j = lastJson(r.stdout);
      console.log(
        r.status !== 0 || !j
          ? `${d.id} CLI: exit ${r.status} after ${s1(r.wallS)} s, peak RSS ${r.rssMiB.toFixed(0)} MiB: ${r.stdout.slice(0, 300)}${r.stderr.split('\n').slice(0, 3).join(' ')}`
          : `${d.id} CLI: wall ${s1(r.wallS)} s, CPU ${s1(r.cpuS)} s, peak RSS ${r.rssMiB.toFixed(0)} MiB, fitMs ${j.fitMs}, ` +
              `evals ${(j.optimizer as { evaluations: number }).evaluations}, objective ${d.REML ? j.REMLcrit : j.deviance}`,
      );
    }
    if (!argv.includes('--no-api')) {
      const r = timed([process.execPath, heap, '--import', 'tsx', fileURLToPath(import.meta.url), '--api', d.id], limitS);
      const j = lastJson(r.stdout) as ApiResult | null;
      if (r.status !== 0 || !j) {
        console.log(`${d.id} API: exit ${r.status} after ${s1(r.wallS)} s, peak RSS ${r.rssMiB.toFixed(0)} MiB: ${r.stderr.split('\n').slice(0, 5).join(' ')}`);
        const e = timed([process.execPath, heap, '--import', 'tsx', fileURLToPath(import.meta.url), '--eval', d.id], limitS);
        const k = lastJson(e.stdout) as { setupMs: number; setupCpuMs: number; evalMs: number; evalCpuMs: number; value: number; kind: ApiResult['factor']; wasmBytes: number; rssMiB: number } | null;
        console.log(
          k
            ? `${d.id} API one evaluation at θ = 0.7: block order ${k.kind.order}, ${k.kind.kind}, nnz(L) ${k.kind.nnzL}, ${k.kind.supernodes} supernodes, ` +
                `${(k.kind.flops / 1e6).toFixed(0)} M multiply-adds | setup wall ${(k.setupMs / 1000).toFixed(1)} s, CPU ${(k.setupCpuMs / 1000).toFixed(1)} s | ` +
                `eval wall ${(k.evalMs / 1000).toFixed(1)} s, CPU ${(k.evalCpuMs / 1000).toFixed(1)} s, value ${k.value} | WASM ${(k.wasmBytes / 2 ** 20).toFixed(0)} MiB, peak RSS ${k.rssMiB.toFixed(0)} MiB`
            : `${d.id} API one evaluation: none within ${limitS} s (exit ${e.status}): ${e.stderr.split('\n').slice(0, 5).join(' ')}`,
        );
      } else {
        const f = j.factor;
        console.log(
          `${d.id} API: n ${j.n} | block order ${f.order}, ${f.kind}, nnz(L) ${f.nnzL}, ${f.supernodes} supernodes, ${(f.flops / 1e6).toFixed(0)} M multiply-adds | ` +
            `read ${(j.readMs / 1000).toFixed(2)} s | fit wall ${(j.fitMs / 1000).toFixed(2)} s, CPU ${(j.fitCpuMs / 1000).toFixed(2)} s | ` +
            `setup ${j.setupMs.toFixed(0)} ms, ${j.evaluations} evals, ${(j.optimizeMs / j.evaluations).toFixed(2)} ms/eval, checks ${j.checksMs.toFixed(0)} ms | ` +
            `WASM ${(j.wasmBytes / 2 ** 20).toFixed(1)} MiB, peak RSS ${j.rssMiB.toFixed(0)} MiB | objective ${j.objective}`,
        );
      }
    }
    if (!argv.includes('--no-r')) {
      const script = join(ROOT, 'bench/r/time-lmer-once.R');
      // --r-eval: only lme4's evaluation cost (its whole fit of a million rows takes far too long on a loaded machine)
      const r = argv.includes('--r-eval') ? null : timed(['Rscript', script, path, d.formula, String(d.REML).toUpperCase(), 'fit'], limitS, 10);
      const j = r && lastJson(r.stdout);
      if (r && r.status === 0 && j) {
        console.log(
          `${d.id} lme4: read ${s1(j.read as number)} s, fit wall ${s1(j.wall as number)} s, CPU ${s1(j.cpu as number)} s, ${j.feval} evals, ` +
            `objective ${j.objective}, peak RSS ${r.rssMiB.toFixed(0)} MiB${(j.warnings as string[]).length ? `, ${(j.warnings as string[]).join('; ')}` : ''}`,
        );
      } else {
        if (r) console.log(`${d.id} lme4: no fit within ${limitS} s (exit ${r.status}, wall ${s1(r.wallS)} s, CPU ${s1(r.cpuS)} s, peak RSS ${r.rssMiB.toFixed(0)} MiB)`);
        const e = timed(['Rscript', script, path, d.formula, String(d.REML).toUpperCase(), 'eval'], limitS, 10);
        const k = lastJson(e.stdout);
        console.log(
          k
            ? `${d.id} lme4 one evaluation at θ = 0.7: setup ${s1(k.setup as number)} s, eval wall ${s1(k.evalWall as number)} s, CPU ${s1(k.evalCpu as number)} s, value ${k.value}, peak RSS ${e.rssMiB.toFixed(0)} MiB`
            : `${d.id} lme4 one evaluation: none within ${limitS} s (exit ${e.status})`,
        );
      }
    }
  }
}

await main();
