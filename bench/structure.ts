/**
 * The structure bench (issue 13): crossed designs whose crossed block is large and sparse, where a dense
 * factor of the block is the wrong tool. For each design: our fit (lmer(), factor chosen by the engine),
 * the factor's kind, order, nnz(L) and supernodes, ms per evaluation of the dense and the sparse factor
 * side by side at the same θ (dense only where its order allows), peak RSS, and lme4's fit on the same
 * CSV in the same run when Rscript with lme4 is installed. Also InstEval ML and REML per evaluation,
 * dense vs sparse. Designs are generated into bench/data/ (not committed).
 *
 *   node --import tsx bench/structure.ts [ids...] [--no-r] [--make-only]     ids: band5k band20k rand5k rand20k terms50 slopes10 insteval_ml insteval_reml
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataFile } from '../src/data/read-file.js';
import { engineInputFor } from '../test/helpers/engine-input.js';
import { lmer } from '../src/fit/lmer.js';
import { mulberry32 } from './make-sim.js';
import { MAX_DENSE_ORDER, MixedEngine, type EngineInput } from '../src/wasm/mixed-engine.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'bench/data');

interface Design {
  id: string;
  file: string;
  formula: string;
  REML: boolean;
  /** Writes the CSV (rows as the issue's generators). */
  make?: () => string;
  /** No crossed block (every term in the nesting chain): ms/eval of the engine lmer builds, no sparse/dense pair. */
  chainOnly?: boolean;
}

/** θ with 0.7 on the diagonal of each term's T and 0 below it (lme4's θ order). */
function thetaAt(input: EngineInput): Float64Array {
  const theta: number[] = [];
  for (const t of input.terms) for (let c = 0; c < t.p; c++) for (let r = c; r < t.p; r++) theta.push(r === c ? 0.7 : 0);
  return Float64Array.from(theta);
}

/** The issue's banded design: a-level i meets `per` b-levels 7 apart. */
function banded(levels: number, per: number): string {
  let s = 'y,x,a,b\n';
  for (let i = 0; i < levels * per; i++) {
    const a = i % levels;
    const b = (a + Math.floor(i / levels) * 7) % levels;
    s += `${Math.sin(i * 1.3) + (a % 7) / 3 + (b % 5) / 4},${Math.cos(i)},a${a},b${b}\n`;
  }
  return s;
}

/** Random sparse crossed design: each a-level meets `per` b-levels drawn at random (fixed seed). */
function randomSparse(levels: number, per: number): string {
  let seed = 20261130;
  const u = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const eb = Array.from({ length: levels }, () => u() - 0.5);
  let s = 'y,x,a,b\n';
  for (let a = 0; a < levels; a++) {
    const ea = Math.sin(a * 0.37);
    for (let k = 0; k < per; k++) {
      const b = Math.floor(u() * levels);
      const x = Math.cos(a * per + k);
      s += `${0.3 * x + ea + eb[b] + (u() - 0.5) * 2},${x},a${a},b${b}\n`;
    }
  }
  return s;
}

/**
 * Many scalar terms: one grouping factor (40 levels) repeated under `terms` names, each with its own
 * covariate (y ~ x + (0 + z1 | g1) + … : the shape of `||` with many columns).
 */
function manyTerms(terms: number, rows: number): string {
  const u = mulberry32(20261201);
  const names = Array.from({ length: terms }, (_, k) => `z${k + 1}`);
  let s = `y,x,${names.join(',')},${names.map((_, k) => `g${k + 1}`).join(',')}\n`;
  const slope = Array.from({ length: 40 }, () => Array.from({ length: terms }, () => (u() - 0.5) * (k0(terms))));
  for (let i = 0; i < rows; i++) {
    const g = i % 40;
    const x = u() - 0.5;
    const z = names.map(() => u() - 0.5);
    const y = 0.5 * x + z.reduce((acc, v, k) => acc + v * slope[g][k], 0) + (u() - 0.5);
    s += `${y},${x},${z.join(',')},${names.map(() => `s${g}`).join(',')}\n`;
  }
  return s;
}
/** Scale of the simulated random slopes (their variance shrinks with the number of terms). */
const k0 = (terms: number): number => 2 / Math.sqrt(terms);

/** One term with `slopes` correlated random slopes: y ~ x1 + … + (1 + x1 + … | g), 200 levels. */
function correlatedSlopes(slopes: number, rows: number): string {
  const u = mulberry32(20261202);
  const xs = Array.from({ length: slopes }, (_, k) => `x${k + 1}`);
  const shared = Array.from({ length: 200 }, () => u() - 0.5);
  const b = Array.from({ length: 200 }, (_, g) => Array.from({ length: slopes + 1 }, () => shared[g] + (u() - 0.5) * 0.5));
  let s = `y,${xs.join(',')},g\n`;
  for (let i = 0; i < rows; i++) {
    const g = i % 200;
    const x = xs.map(() => u() - 0.5);
    const y = b[g][0] + x.reduce((acc, v, k) => acc + v * (0.3 + b[g][k + 1]), 0) + (u() - 0.5);
    s += `${y},${x.join(',')},g${g}\n`;
  }
  return s;
}

const terms50 = Array.from({ length: 50 }, (_, k) => `(0 + z${k + 1} | g${k + 1})`).join(' + ');
const slopes10 = Array.from({ length: 10 }, (_, k) => `x${k + 1}`).join(' + ');

const CROSSED = 'y ~ x + (1 | a) + (1 | b)';
const DESIGNS: Design[] = [
  { id: 'band5k', file: 'band5k.csv', formula: CROSSED, REML: true, make: () => banded(5000, 4) },
  { id: 'band20k', file: 'band20k.csv', formula: CROSSED, REML: true, make: () => banded(20000, 4) },
  { id: 'rand5k', file: 'rand5k.csv', formula: CROSSED, REML: true, make: () => randomSparse(5000, 4) },
  { id: 'rand20k', file: 'rand20k.csv', formula: CROSSED, REML: true, make: () => randomSparse(20000, 4) },
  { id: 'terms50', file: 'terms50.csv', formula: `y ~ x + ${terms50}`, REML: false, make: () => manyTerms(50, 4000), chainOnly: true },
  { id: 'slopes10', file: 'slopes10.csv', formula: `y ~ ${slopes10} + (1 + ${slopes10} | g)`, REML: false, make: () => correlatedSlopes(10, 6000), chainOnly: true },
  { id: 'insteval_ml', file: '../../data/InstEval.csv', formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)', REML: false },
  { id: 'insteval_reml', file: '../../data/InstEval.csv', formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)', REML: true },
];

const engineInput = (formula: string, path: string): EngineInput => engineInputFor(formula, readDataFile(path));

/** Least time of `reps` evaluations at θ (the least is the one least disturbed by other load). */
function perEval(engine: MixedEngine, theta: Float64Array, reml: boolean, reps: number): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    engine.deviance(theta, reml);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

function hasR(): boolean {
  const r = spawnSync('Rscript', ['-e', 'cat(requireNamespace("lme4", quietly = TRUE))'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'TRUE';
}

/** lme4's fit of the same CSV in this process's run (bench/r/time-lmer.R), as a table cell. */
function lme4Fit(d: Design, path: string): string {
  if (!useR) return '';
  const out = execFileSync('Rscript', [join(ROOT, 'bench/r/time-lmer.R'), path, d.formula, String(d.REML), '1'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  return ` | lme4 ${(r.median * 1000).toFixed(0)} ms, ${r.feval} evals, objective ${r.objective}`;
}

/** A design without a crossed block: ms per deviance and per exact gradient, our fits (BOBYQA, newton) and lme4's. */
function chainRow(d: Design, path: string, input: EngineInput): void {
  const engine = new MixedEngine(input);
  const theta = thetaAt(input);
  const ms = perEval(engine, theta, d.REML, 10);
  let grad = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    engine.devianceGradient(theta, d.REML);
    grad = Math.min(grad, performance.now() - t);
  }
  const data = readDataFile(path);
  const fits = (['bobyqa', 'newton'] as const).map((optimizer) => {
    const t = performance.now();
    const fit = lmer(d.formula, data, { REML: d.REML, optimizer });
    const wall = performance.now() - t;
    return `${optimizer} ${wall.toFixed(0)} ms, ${fit.optimizer.evaluations} evals, objective ${d.REML ? fit.REMLcrit() : fit.deviance()}`;
  });
  // ours first: lme4 can take minutes on these
  console.log(
    `${d.id} | n ${input.n} | ${input.terms.length} terms, θ ${theta.length}, q ${engine.q}, chain ${engine.chainLength}, dense order ${engine.denseOrder} | ` +
      `ms/eval ${ms.toFixed(3)}, ms/gradient ${grad.toFixed(3)} | fit ${fits.join('; ')}`,
  );
  if (useR) console.log(`${d.id}${lme4Fit(d, path)}`);
}

const only = process.argv.slice(2);
const useR = hasR() && !process.argv.includes('--no-r');
mkdirSync(DATA, { recursive: true });
for (const d of DESIGNS.filter((x) => (only.filter((a) => !a.startsWith('--')).length === 0 ? x.id !== 'rand20k' : only.includes(x.id)))) {
  const path = join(DATA, d.file);
  if (!existsSync(path) && d.make) writeFileSync(path, d.make());
  if (process.argv.includes('--make-only')) continue; // bench/large.ts takes rand20k's CSV from here
  const input = engineInput(d.formula, path);
  if (d.chainOnly) {
    chainRow(d, path, input);
    continue;
  }
  let t = performance.now();
  const sparse = new MixedEngine({ ...input, factor: 'sparse' });
  const sparseSetup = performance.now() - t;
  const kind = sparse.factorKind;
  const theta = thetaAt(input);
  const reps = kind.flops > 1e9 ? 2 : 10;
  const sparseMs = perEval(sparse, theta, d.REML, reps);
  let denseMs: number | null = null;
  let denseSetup: number | null = null;
  if (kind.order <= 6000) {
    t = performance.now();
    const dense = new MixedEngine({ ...input, factor: 'dense' });
    denseSetup = performance.now() - t;
    denseMs = perEval(dense, theta, d.REML, Math.min(reps, 3));
  }
  const data = readDataFile(path);
  t = performance.now();
  const fit = lmer(d.formula, data, { REML: d.REML });
  const fitMs = performance.now() - t;
  const lme4 = lme4Fit(d, path);
  console.log(
    `${d.id} | n ${input.n} | order ${kind.order} (dense cap ${MAX_DENSE_ORDER}) | nnz(L) ${kind.nnzL} (dense ${(kind.order * (kind.order + 1)) / 2}) | ` +
      `${kind.supernodes} supernodes | ${(kind.flops / 1e6).toFixed(1)} M multiply-adds | ms/eval sparse ${sparseMs.toFixed(2)}` +
      (denseMs === null ? '' : `, dense ${denseMs.toFixed(2)}`) +
      ` | setup sparse ${sparseSetup.toFixed(0)} ms${denseSetup === null ? '' : `, dense ${denseSetup.toFixed(0)} ms`} | ` +
      `fit ${fitMs.toFixed(0)} ms, ${fit.optimizer.evaluations} evals, factor ${fit.timings.denseOrder > 0 ? (new MixedEngine(input).factorKind.kind) : '?'}, ` +
      `objective ${d.REML ? fit.REMLcrit() : fit.deviance()} | WASM ${(fit.timings.memoryBytes / 2 ** 20).toFixed(1)} MB | peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB` +
      lme4,
  );
}
