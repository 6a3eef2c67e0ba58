/**
 * Whole glmer fits with the convergence check's and vcov's derivatives from lme4's deriv12 (the default) and
 * from the exact Laplace gradient, interleaved in one process: CPU ms per rep (the fastest is the figure to
 * quote on a loaded machine) and PIRLS steps.
 *
 *   npx tsx bench/laplace-gradient-fit.ts [reps] [ids…]
 */
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { fitGlmer } from '../src/fit/glmer.js';

const dir = 'test/fixtures/glmer/';
const args = process.argv.slice(2);
const reps = args.length > 0 && /^\d+$/.test(args[0]) ? Number(args.shift()) : 4;
const ids = args.length > 0 ? args : ['cbpp_binom', 'grouseticks_pois', 'verbagg_bern'];
for (const id of ids) {
  const g = JSON.parse(readFileSync(dir + id + '.json', 'utf8'));
  const data = readDataFile(g.data === 'VerbAgg.csv' ? dir + g.data : 'data/' + g.data);
  const family = g.family.startsWith('binomial') ? 'binomial' : g.family;
  const ms: Record<string, number[]> = { deriv12: [], exact: [] };
  const steps: Record<string, number> = {};
  for (let rep = 0; rep < reps; rep++) {
    for (const mode of ['deriv12', 'exact'] as const) {
      const t = process.cpuUsage();
      const m = fitGlmer(g.formula, data, { family, link: g.link }, { derivatives: mode });
      const u = process.cpuUsage(t);
      ms[mode].push((u.user + u.system) / 1000);
      steps[mode] = m.pirlsSteps;
    }
  }
  for (const mode of ['deriv12', 'exact'] as const) {
    console.log(`${id} ${mode}: fastest ${Math.min(...ms[mode]).toFixed(0)} ms CPU (reps ${ms[mode].map((v) => v.toFixed(0)).join(' ')}), ${steps[mode]} PIRLS steps`);
  }
}
