/**
 * Profile confint of glmer fits, ours and lme4 1.1-31's confint(m, method = "profile"), side by side in one
 * run (lme4 first, then ours, per model): CPU seconds of the profile alone (the fit excluded), lme4's profile
 * points and our deviance evaluations (PIRLS runs) with ms per evaluation, and the largest relative
 * difference of the bounds.
 *
 *   npx tsx bench/glmer-profile.ts [cbpp agq grouse slope]
 *
 * (lme4's whole profile of slope, 2400 Bernoulli rows with a correlated slope, takes it several minutes of CPU:
 * its two-parameter figure in GLMER-RESULTS.md comes from scripts/r/glmer-profile-cases.R.)
 */
import { execFileSync } from 'node:child_process';
import { readDataFile } from '../src/data/read-file.js';
import { glmer } from '../src/fit/glmer.js';
import { profileGlmer } from '../src/fit/glmer-model.js';

const CASES: Record<string, { data: string; formula: string; family: string; nAGQ: number }> = {
  cbpp: { data: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial', nAGQ: 1 },
  agq: { data: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial', nAGQ: 25 },
  grouse: { data: 'data/grouseticks.csv', formula: 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)', family: 'poisson', nAGQ: 1 },
  slope: { data: 'test/fixtures/glmer/sim_slope_bern.csv', formula: 'y ~ x + cond + (1 + cond | subj) + (1 | item)', family: 'binomial', nAGQ: 1 },
};

const only = process.argv.slice(2);
for (const [id, c] of Object.entries(CASES)) {
  if (only.length > 0 && !only.includes(id)) continue;
  const r = JSON.parse(execFileSync('Rscript', ['bench/r/time-glmer-profile.R', c.data, c.formula, c.family, String(c.nAGQ)], { encoding: 'utf8' }));
  const m = glmer(c.formula, readDataFile(c.data), { family: c.family, nAGQ: c.nAGQ });
  const t = process.cpuUsage();
  const p = profileGlmer(m);
  const cpu = process.cpuUsage(t);
  const ms = (cpu.user + cpu.system) / 1000;
  let worst = 0;
  p.intervals.forEach((row, i) => {
    for (const [ours, theirs] of [[row.lower, r.lower[i]], [row.upper, r.upper[i]]] as const) {
      if (ours !== null && theirs !== null && theirs !== 0) worst = Math.max(worst, Math.abs(ours - theirs) / Math.abs(theirs));
    }
  });
  console.log(
    JSON.stringify({
      id,
      lme4: { cpuS: r.user, points: r.points },
      ours: { cpuS: Number((ms / 1000).toFixed(3)), evaluations: p.evaluations, msPerEvaluation: Number((ms / p.evaluations).toFixed(3)), warnings: p.warnings },
      speedup: Number((r.user / (ms / 1000)).toFixed(1)),
      maxRelDiff: Number(worst.toPrecision(2)),
      rows: p.intervals.map((row, i) => ({ name: row.name, ours: [row.lower, row.upper], lme4: [r.lower[i], r.upper[i]] })),
    }),
  );
}
