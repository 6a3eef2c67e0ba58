// Two builds of the engine side by side: CPU time per fit and per deviance evaluation on the same workloads,
// the two engines interleaved round by round in one process, so that machine load hits both alike. Each
// engine gets its own copy of the browser build (dist/browser/ with that .wasm), so the instance pools
// and compiled modules stay apart. Used to price asconfig.json's optimize/shrink levels (bench/BROWSER-SIZE.md).
//
//   node bench/engine-variants.mjs A.wasm B.wasm [rounds] [workload ...]
//   node bench/engine-variants.mjs A.wasm B.wasm --identity [--big]
//
// --identity fits every lm / lmer / glmer fixture of test/fixtures/ (formula and data given) with both engines
// and compares the results bit for bit: toJSON(), the printed summary, anova() and ranef with conditional
// variances (lmer). --big adds InstEval and the 100k-row simulation. Exits 1 when any differ.
//
// Workloads: sleepstudy, seed (the seed model), verbagg and cbpp (glmer), kb07 (`||`), insteval (ML, sparse).
// Needs `npm run build:browser`. Prints, per workload and engine, min and median CPU ms per fit, the
// evaluations, and min ms per evaluation, plus whether the two fits reached the same objective.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const identity = args.includes('--identity');
const big = args.includes('--big');
const [fileA, fileB, roundsArg, ...only] = args.filter((a) => !a.startsWith('--'));
if (!fileA || !fileB) {
  console.error('usage: node bench/engine-variants.mjs A.wasm B.wasm [rounds] [workload ...]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 5);

const WORKLOADS = [
  { id: 'sleepstudy', data: 'data/sleepstudy.csv', fit: 'lmer', formula: 'Reaction ~ Days + (Days | Subject)' },
  {
    id: 'seed',
    data: 'data/diachek_md.csv',
    fit: 'lmer',
    formula: 'Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)',
  },
  { id: 'cbpp', data: 'data/cbpp.csv', fit: 'glmer', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial' },
  {
    id: 'verbagg',
    data: 'test/fixtures/glmer/VerbAgg.csv',
    fit: 'glmer',
    formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)',
    family: 'binomial',
  },
  { id: 'kb07', data: 'data/kb07.csv', fit: 'lmer', formula: 'Y ~ S + T + U + V + W + X + Z + (1 + S + T + U || G) + (1 + S + T + U || H)', REML: false },
  { id: 'insteval', data: 'data/InstEval.csv', fit: 'lmer', formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)', REML: false },
].filter((w) => only.length === 0 || only.includes(w.id));

/** A copy of the browser build with the given engine, imported and initialised. */
async function loadBuild(wasmFile) {
  const dir = mkdtempSync(join(tmpdir(), 'lmm-engine-'));
  // the browser entry imports its chunks from ../chunks/, where it also fetches the engine
  for (const sub of ['browser', 'chunks']) cpSync(join(root, 'dist', sub), join(dir, sub), { recursive: true });
  // glmer.js: the whole API, glmer included; give it glmer engines (built from assembly/glmer.ts) for glmer workloads
  for (const f of ['lmm-wasm.wasm', 'lmm-wasm-glmer.wasm']) cpSync(wasmFile, join(dir, 'chunks', f));
  const lib = await import(pathToFileURL(join(dir, 'browser/glmer.js')).href);
  await lib.init(new WebAssembly.Module(readFileSync(wasmFile)));
  return { lib, dir, bytes: readFileSync(wasmFile).length };
}

const builds = [await loadBuild(fileA), await loadBuild(fileB)];
if (identity) process.exit(await checkIdentity());
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`A = ${fileA} (${builds[0].bytes} bytes), B = ${fileB} (${builds[1].bytes} bytes), ${rounds} rounds, interleaved`);
console.log('| workload | engine | evaluations | CPU ms per fit (min / median) | ms per evaluation (min) | objective |');
console.log('| --- | --- | ---: | ---: | ---: | --- |');
for (const w of WORKLOADS) {
  const path = join(root, w.data);
  if (!existsSync(path)) {
    console.log(`| ${w.id} | (no ${w.data}) | | | | |`);
    continue;
  }
  const text = readFileSync(path, 'utf8');
  const schemaFile = path.replace(/\.csv$/, '.schema.json');
  const schema = existsSync(schemaFile) ? JSON.parse(readFileSync(schemaFile, 'utf8')) : undefined;
  const data = builds.map(({ lib }) => lib.parseCsv(text, schema ? { schema } : {}));
  const options = w.fit === 'glmer' ? { family: w.family } : { REML: w.REML ?? true };
  const runs = builds.map(() => ({ cpu: [], evaluations: 0, objective: NaN }));
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const { lib } = builds[k];
      const t0 = cpuMs();
      const m = lib[w.fit](w.formula, data[k], options);
      runs[k].cpu.push(cpuMs() - t0);
      const json = m.toJSON();
      runs[k].evaluations = json.optimizer.evaluations;
      runs[k].objective = json.deviance ?? json.REMLcrit;
      if (w.fit === 'lmer') runs[k].objective = json.reml ? json.REMLcrit : json.deviance;
    }
  }
  runs.forEach((run, k) => {
    const min = Math.min(...run.cpu);
    console.log(
      `| ${w.id} | ${'AB'[k]} | ${run.evaluations} | ${min.toFixed(1)} / ${median(run.cpu).toFixed(1)} | ${(min / run.evaluations).toFixed(3)} | ${run.objective} |`,
    );
  });
}
for (const { dir } of builds) rmSync(dir, { recursive: true, force: true });

/** Data file of a fixture: its path as given, else under data/ or beside the fixture. */
function fixtureData(fixtureDir, name) {
  for (const path of [join(root, name), join(root, 'data', name), join(fixtureDir, name)]) if (existsSync(path)) return path;
  return undefined;
}

/** Everything a fit prints or serialises, as one string per part. */
function outputs(lib, model, kind) {
  // wall-clock fields aside, which differ between any two runs
  const json = JSON.stringify(model.toJSON(), (key, value) => (/Ms$|^timings$/.test(key) ? undefined : value));
  const parts = { json, summary: String(lib.summary(model)) };
  if (kind === 'lmer') {
    parts.anova = String(lib.anova(model));
    parts.ranef = JSON.stringify(model.ranef({ condVar: true }));
  }
  return parts;
}

async function checkIdentity() {
  const dirs = ['lm', 'golden', 'golden-extra', 'inference', 'condvar', 'glmer'].map((d) => join(root, 'test/fixtures', d));
  let same = 0;
  const differ = [];
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const g = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      if (typeof g.formula !== 'string' || typeof g.data !== 'string' || g.data_transform && g.data_transform !== 'None') continue;
      if (!big && /InstEval|sim100k/.test(g.data)) continue;
      const path = fixtureData(dir, g.data);
      if (!path) continue;
      const kind = dir.endsWith('glmer') ? 'glmer' : dir.endsWith('lm') || !/\|/.test(g.formula) ? 'lm' : 'lmer';
      const options = kind === 'glmer'
        ? {
            family: /pois/.test(`${g.family ?? ''} ${file}`) ? 'poisson' : 'binomial',
            ...(g.link && g.link !== 'logit' ? { link: g.link } : /probit/.test(g.family ?? '') ? { link: 'probit' } : {}),
            ...(g.nAGQ !== undefined ? { nAGQ: Number(g.nAGQ) } : {}),
          }
        : kind === 'lm'
          ? {}
          : { REML: g.REML === true || g.REML === 'TRUE' || g.REML === 'True' };
      const schemaFile = path.replace(/\.csv$/, '.schema.json');
      const schema = existsSync(schemaFile) ? JSON.parse(readFileSync(schemaFile, 'utf8')) : undefined;
      const text = readFileSync(path, 'utf8');
      const results = builds.map(({ lib }) => {
        try {
          return outputs(lib, lib[kind](g.formula, lib.parseCsv(text, schema ? { schema } : {}), options), kind);
        } catch (e) {
          return { error: String(e) };
        }
      });
      const parts = Object.keys(results[0]).filter((k) => results[0][k] !== results[1][k]);
      const id = `${dir.split('/').pop()}/${file}`;
      if (parts.length === 0) same++;
      else differ.push(`${id}: ${parts.join(', ')}`);
      console.log(`${parts.length === 0 ? 'same  ' : 'DIFFER'} ${id}${results[0].error ? ` (both: ${results[0].error})` : ''}`);
    }
  }
  console.log(`${same} fits identical, ${differ.length} differ${differ.length ? `:\n  ${differ.join('\n  ')}` : ''}`);
  for (const { dir } of builds) rmSync(dir, { recursive: true, force: true });
  return differ.length === 0 ? 0 : 1;
}
