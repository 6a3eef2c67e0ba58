/**
 * One glmer fit as the first call in a fresh process, from a given source tree (the cold twin of
 * bench/glmer-ab.ts, which compares warm fits); alternate trees in a shell loop for before/after figures:
 *
 *   for i in 1 2 3 4 5; do for t in OLD_TREE NEW_TREE; do npx tsx bench/glmer-first-ab.ts $t verbagg; done; done
 *
 * A tree is a checkout (or a copy of its src/ beside data/ and test/) with its engine built. The modules are
 * imported before the clock starts; the fit's time includes the engine's compilation and V8's first tiers.
 */
import { join } from 'node:path';

const WORKLOADS: Record<string, { data: string; formula: string; family: string }> = {
  grouseticks: { data: 'data/grouseticks.csv', formula: 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)', family: 'poisson' },
  verbagg: { data: 'test/fixtures/glmer/VerbAgg.csv', formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)', family: 'binomial' },
  cbpp: { data: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial' },
};
const [root, id = 'grouseticks'] = process.argv.slice(2);
const w = WORKLOADS[id];
if (!root || !w) throw new Error(`usage: bench/glmer-first-ab.ts TREE ${Object.keys(WORKLOADS).join('|')}`);
const { readDataFile } = await import(join(root, 'src/data/read-file.ts'));
const { glmer } = await import(join(root, 'src/fit/glmer.ts'));
const data = readDataFile(join(root, w.data));
const c0 = process.cpuUsage();
const t0 = performance.now();
const m = glmer(w.formula, data, { family: w.family });
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ id, root, firstFitMs: +ms.toFixed(1), cpuMs: +((c.user + c.system) / 1000).toFixed(1), minus2logLik: m.minus2LogLik() }));
