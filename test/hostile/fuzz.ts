// `npm run fuzz [-- --minutes N]`: runs every property of properties.ts with fresh seeds until the time
// is up (default 10 minutes), reports runs per second, and appends any counterexample to
// regressions.json, which the CI property test replays first.
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { PROPERTIES } from './properties.js';

const at = process.argv.indexOf('--minutes');
const minutes = at >= 0 ? Number(process.argv[at + 1]) : 10;
const file = new URL('./regressions.json', import.meta.url);
const regressions = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown[]>;
const until = Date.now() + minutes * 60_000;
const runs: Record<string, { runs: number; ms: number; failures: number }> = {};
let found = 0;

while (Date.now() < until) {
  for (const [name, { property }] of Object.entries(PROPERTIES)) {
    const seed = (Math.random() * 2 ** 31) | 0;
    const numRuns = 200;
    const t0 = performance.now();
    const details = fc.check(property, { numRuns, seed });
    const stat = (runs[name] ??= { runs: 0, ms: 0, failures: 0 });
    stat.runs += details.numRuns;
    stat.ms += performance.now() - t0;
    if (details.failed && details.counterexample) {
      stat.failures++;
      found++;
      (regressions[name] ??= []).push(details.counterexample);
      writeFileSync(file, JSON.stringify(regressions, null, 1) + '\n');
      console.log(`${name}: counterexample (seed ${seed}) ${JSON.stringify(details.counterexample)}: ${String(details.errorInstance)}`);
    }
    if (Date.now() >= until) break;
  }
}
for (const [name, s] of Object.entries(runs)) {
  console.log(`${name.padEnd(24)} ${String(s.runs).padStart(8)} runs  ${(s.runs / (s.ms / 1000)).toFixed(1).padStart(9)} runs/s  ${s.failures} failures`);
}
console.log(found === 0 ? 'nothing new found' : `${found} counterexamples appended to regressions.json`);
process.exitCode = found === 0 ? 0 : 1;
