/**
 * Where a d3 fit's time goes, stage by stage, in one process: the CSV read, the data table, the model
 * frame, X, the rank check, the random-term designs, the engine input and constructor, lme4's start,
 * then the whole lmer fit by ML with optimizer 'newton'. CPU time of each stage (user + system), cold (its
 * first call in this process) and warm (the least of the later repetitions, which reuse the first read's
 * table); the fit's own setup / optimize / checks timings are wall times. To compare two builds, run it in
 * each checkout, alternating (timings on a shared machine are noisy).
 *
 * Usage: node --import tsx bench/d3-stages.ts [reps] [csv] [formula]
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
import { thetaStart } from '../src/fit/theta.js';
import { lmer } from '../src/fit/lmer.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const reps = Number(process.argv[2] ?? 5);
const csv = process.argv[3] ?? [join(ROOT, '..', 'shared', 'data', 'd3.csv'), join(ROOT, '..', '..', 'shared', 'data', 'd3.csv')].find(existsSync)!;
const formulaText = process.argv[4] ?? 'Y ~ 1 + U + (1 | G) + (1 | H) + (1 | I)';

const times = new Map<string, number[]>();
function time<T>(label: string, f: () => T): T {
  // CPU time (user + system): on a shared machine it moves less than the wall clock
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  if (!times.has(label)) times.set(label, []);
  times.get(label)!.push(ms);
  return r;
}

let first: ReturnType<typeof readDataFile> | undefined;
for (let r = 0; r < reps; r++) {
  const data = r === 0 ? time('read CSV', () => readDataFile(csv)) : first!;
  first = data;
  const table = time('data table', () => toDataTable(data, {}));
  const formula = expandFormula(formulaText);
  const frame = time('model frame', () => buildModelFrame(table, formula));
  const X = time('X', () => modelMatrix(frame, formula.fixed, {}));
  time('rank check', () => checkRank(X));
  const terms = time('random-term designs', () => randomTermDesigns(frame, {}));
  const rank = checkRank(X);
  const input = time('engine input', () => ({ n: frame.n, p: rank.kept.length, X: columnMajor(X, rank.kept), y: frame.response!, terms: engineTerms(terms) }));
  const engine = time('engine constructor', () => new MixedEngine(input));
  engine.release();
  const blocks = terms.map((t) => ({ group: t.group, columns: t.columns }));
  time("lme4's start", () => thetaStart(blocks, frame.response!, terms.map((t) => ({ codes: t.codes, nlev: t.levels.length }))));
  const m = time('lmer (whole)', () => lmer(formulaText, data, { REML: false, optimizer: 'newton' }));
  for (const [k, v] of Object.entries({ 'lmer setup (wall)': m.timings.setupMs, 'lmer optimize (wall)': m.timings.optimizeMs, 'lmer checks (wall)': m.timings.checksMs })) {
    if (!times.has(k)) times.set(k, []);
    times.get(k)!.push(v);
  }
  if (r === 0) console.log(`deviance ${m.deviance()} evaluations ${m.optimizer.evaluations}`);
}
console.log('| stage | first | least of rest |');
console.log('|---|---:|---:|');
for (const [k, v] of times) console.log(`| ${k} | ${v[0].toFixed(1)} ms | ${v.length > 1 ? Math.min(...v.slice(1)).toFixed(1) : '–'} ms |`);
