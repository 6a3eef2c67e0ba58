/**
 * What one exact gradient costs against one deviance on InstEval (or another CSV), engine level: a
 * MixedEngine built once, then deviances and gradients alternated at a fixed θ, CPU time (user + system)
 * of each call; prints the first call of each and the least of the rest, and the gradient itself (to check
 * two builds agree). To compare two builds, run it in each checkout, alternating (timings on a shared
 * machine are noisy; the ratio gradient / deviance moves less).
 *
 * Usage: node --import tsx bench/gradient-cost.ts [reps] [ml|reml] [csv] [formula] [theta,...]
 */
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataFile } from '../src/data/read-file.js';
import { toDataTable } from '../src/data/from-input.js';
import { expandFormula } from '../src/formula/expand.js';
import { buildModelFrame } from '../src/frame/model-frame.js';
import { columnMajor, modelMatrix } from '../src/design/model-matrix.js';
import { checkRank } from '../src/design/rank.js';
import { randomTermDesigns, engineTerms } from '../src/design/random-terms.js';
import { MixedEngine } from '../src/wasm/mixed-engine.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const reps = Number(process.argv[2] ?? 10);
const reml = (process.argv[3] ?? 'ml') === 'reml';
const csv = process.argv[4] ?? [join(ROOT, 'data', 'InstEval.csv'), join(ROOT, '..', 'shared', 'data', 'InstEval.csv')].find(existsSync)!;
const formulaText = process.argv[5] ?? 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)';
const theta = Float64Array.from((process.argv[6] ?? '0.3137,0.4119,0.1886').split(',').map(Number));

const cpu = <T>(f: () => T): [T, number] => {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1000];
};

const table = toDataTable(readDataFile(csv), {});
const formula = expandFormula(formulaText);
const frame = buildModelFrame(table, formula);
const X = modelMatrix(frame, formula.fixed, {});
const rank = checkRank(X);
const terms = randomTermDesigns(frame, {});
const input = { n: frame.n, p: rank.kept.length, X: columnMajor(X, rank.kept), y: frame.response!, terms: engineTerms(terms) };
const [engine, setup] = cpu(() => new MixedEngine(input));
const dev: number[] = [];
const grad: number[] = [];
let g: Float64Array | null = null;
let d = 0;
for (let r = 0; r < reps; r++) {
  const [gr, gms] = cpu(() => engine.devianceGradient(theta, reml));
  g = gr;
  grad.push(gms);
  const [dv, dms] = cpu(() => engine.deviance(theta, reml));
  d = dv;
  dev.push(dms);
}
const least = (v: number[]): number => Math.min(...v.slice(1));
console.log(`${engine.factorKind.kind} factor, setup ${setup.toFixed(1)} ms CPU; deviance ${d}; gradient ${g ? Array.from(g).join(', ') : null}`);
console.log(`first gradient ${grad[0].toFixed(1)} ms, first deviance ${dev[0].toFixed(1)} ms`);
console.log(`gradient ${least(grad).toFixed(1)} ms, deviance ${least(dev).toFixed(1)} ms (least of ${reps - 1}): ratio ${(least(grad) / least(dev)).toFixed(2)}`);
engine.release();
