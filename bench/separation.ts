/**
 * The cost of glmer's separation checks (src/fit/separation.ts: the one-column tests and the
 * several-column search of separating-direction.ts), which run before every glmer fit, beside the fit:
 *
 *   npx tsx bench/separation.ts          → VerbAgg and a simulated 100k-row Bernoulli (checks only)
 *   npx tsx bench/separation.ts --fit    → and one glmer fit of each, in the same run, for the ratio
 *   npx tsx bench/separation.ts --only bern100k → one workload (its checks are then the process's first call)
 *   npx tsx bench/separation.ts --vs-r   → our verdicts on 300 small random Bernoulli data sets (some
 *                                          separated by chance) beside R's glm (bench/r/separation-vs-glm.R)
 *
 * Reports CPU ms of the checks: the first call in the process (as a one-shot CLI fit pays it, before
 * the JIT has compiled the loops) and the median of 7 further calls. The fit is the CPU time of one
 * glmer call (which includes one run of the checks).
 */
import { readDataFile } from '../src/data/read-file.js';
import { toDataTable, type DataInput } from '../src/data/from-input.js';
import { glmResponse } from '../src/frame/glm-response.js';
import { buildModelFrame } from '../src/frame/model-frame.js';
import { modelMatrix } from '../src/design/model-matrix.js';
import { checkRank } from '../src/design/rank.js';
import { findSeparation } from '../src/fit/separation.js';
import { glmer } from '../src/fit/glmer.js';
import { mulberry32, normal } from './make-sim.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cpuMs = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

/**
 * 100,000 Bernoulli trials, 1000 subjects × 400 items crossed: logit P(y = 1) = −0.5 + 0.6 x − 0.8 [cond = B]
 * + subject intercept (SD 1) + item intercept (SD 0.6) (the recipe of bench/glmer.ts's bern100k).
 */
function bern100k(): Record<string, unknown>[] {
  const u = mulberry32(20261201);
  const z = normal(u);
  const bs = Array.from({ length: 1000 }, () => z());
  const bi = Array.from({ length: 400 }, () => 0.6 * z());
  return Array.from({ length: 100_000 }, (_, r) => {
    const s = Math.floor(r / 100);
    const i = Math.floor(u() * 400);
    const x = z();
    const cond = u() < 0.5 ? 'A' : 'B';
    const eta = -0.5 + 0.6 * x - (cond === 'B' ? 0.8 : 0) + bs[s] + bi[i];
    return { y: u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0, x, cond, subj: `s${s}`, item: `i${i}` };
  });
}

const workloads: { id: string; formula: string; data: () => DataInput }[] = [
  { id: 'verbagg', formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)', data: () => readDataFile('test/fixtures/glmer/VerbAgg.csv') },
  { id: 'bern100k', formula: 'y ~ x + cond + (1 | subj) + (1 | item)', data: bern100k },
];

/** The checks' verdict on X built as glmer builds it: how many findings, of one column and of several. */
function verdict(formula: string, data: DataInput): { single: number; multi: number } {
  const resp = glmResponse(formula, toDataTable(data, {}), { family: 'binomial' });
  const frame = buildModelFrame(resp.data, resp.formula, {});
  const X = modelMatrix(frame, resp.formula.fixed, {});
  const pick = (v: Float64Array): Float64Array => Float64Array.from(frame.rows, (r) => v[r]);
  const found = findSeparation(X, checkRank(X).kept, resp.formula.fixed, { family: 'binomial', y: pick(resp.y), weights: pick(resp.weights) }, resp.label);
  return { single: found.filter((f) => f.columns.length === 1).length, multi: found.filter((f) => f.columns.length > 1).length };
}

/** 300 data sets of 12–61 rows from a logistic model with random, often strong, effects; R's glm beside. */
function versusR(): void {
  const u = mulberry32(20261201);
  const z = normal(u);
  const rows = ['id,y,x1,x2,k,f'];
  const ours = ['id,ours,single,multi'];
  for (let id = 1; id <= 300; id++) {
    const n = 12 + Math.floor(u() * 50);
    const size = 0.5 + u() * 4;
    const b = Array.from({ length: 6 }, () => size * z());
    const data = Array.from({ length: n }, () => {
      const [x1, x2, k, f] = [z(), z(), Math.floor(u() * 3), ['a', 'b', 'c'][Math.floor(u() * 3)]];
      const eta = b[0] + b[1] * x1 + b[2] * x2 + b[3] * k + b[4] * Number(f === 'b') + b[5] * Number(f === 'c');
      return { y: Number(u() < 1 / (1 + Math.exp(-eta))), x1, x2, k, f };
    });
    // the checks need both outcomes and every level (glmer refuses the rest before they run)
    if (data.every((d) => d.y === data[0].y) || new Set(data.map((d) => d.f)).size < 3) continue;
    const v = verdict('y ~ x1 + x2 + k + f', data);
    ours.push(`${id},${Number(v.single + v.multi > 0)},${v.single},${v.multi}`);
    for (const d of data) rows.push(`${id},${d.y},${d.x1},${d.x2},${d.k},${d.f}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'separation-'));
  writeFileSync(join(dir, 'data.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'ours.csv'), ours.join('\n') + '\n');
  process.stdout.write(execFileSync('Rscript', ['bench/r/separation-vs-glm.R', join(dir, 'data.csv'), join(dir, 'ours.csv')], { encoding: 'utf8' }));
}

const fit = process.argv.includes('--fit');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
if (process.argv.includes('--vs-r')) {
  versusR();
  process.exit(0);
}
for (const w of workloads) {
  if (only !== null && w.id !== only) continue;
  const data = w.data();
  const resp = glmResponse(w.formula, toDataTable(data, {}), { family: 'binomial' });
  const frame = buildModelFrame(resp.data, resp.formula, {});
  const X = modelMatrix(frame, resp.formula.fixed, {});
  const kept = checkRank(X).kept;
  const pick = (v: Float64Array): Float64Array => Float64Array.from(frame.rows, (r) => v[r]);
  const sep = { family: 'binomial' as const, y: pick(resp.y), weights: pick(resp.weights) };
  let found = 0;
  const run = (): void => {
    found = findSeparation(X, kept, resp.formula.fixed, sep, resp.label).length;
  };
  const first = cpuMs(run);
  const warm = Array.from({ length: 7 }, () => cpuMs(run)).sort((a, b) => a - b)[3];
  let line = `${w.id}: n ${X.n}, p ${kept.length}, findings ${found}; checks CPU ms first ${first.toFixed(1)}, warm median ${warm.toFixed(1)}`;
  if (fit) {
    const fitMs = cpuMs(() => glmer(w.formula, data, { family: 'binomial' }));
    line += `; one glmer fit CPU ms ${fitMs.toFixed(0)} (checks first-call share ${((100 * first) / fitMs).toFixed(1)}%)`;
  }
  console.log(line);
}
