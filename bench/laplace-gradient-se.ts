/**
 * glmer's Hessian-based standard errors from the exact Laplace gradient (glmer's default: Hessian by central
 * differences of it, 2m gradients) against lme4's deriv12 route (2m² deviances) and lme4's own, on every golden
 * with lme4's SEs; PIRLS steps (the deviance runs', not the gradients') and warnings of both fits:
 *
 *   npx tsx bench/laplace-gradient-se.ts [ids…]
 */
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { fitGlmer } from '../src/fit/glmer.js';

const dir = 'test/fixtures/glmer/';
const cases: { id: string; data: string; formula: string; family: string; link?: string; se: number[] | null }[] = [];
for (const id of ['cbpp_binom', 'cbpp_probit', 'grouseticks_pois', 'verbagg_bern']) {
  const g = JSON.parse(readFileSync(dir + id + '.json', 'utf8'));
  const data = g.data === 'VerbAgg.csv' ? dir + g.data : 'data/' + g.data;
  const se = g.coefficients.map((c: Record<string, number>) => c['Std. Error']);
  cases.push({ id, data, formula: g.formula, family: g.family.startsWith('binomial') ? 'binomial' : g.family, link: g.link, se });
}
for (const id of ['conv_scaled_bern', 'sim_crossed_pois', 'sim_nested_binom', 'sim_offset_pois', 'sim_slope_bern']) {
  const g = JSON.parse(readFileSync(dir + id + '.json', 'utf8'));
  cases.push({ id, data: dir + g.data, formula: g.formula, family: id.endsWith('pois') ? 'poisson' : 'binomial', se: g.se ? Object.values(g.se as Record<string, number>) : null });
}
const only = process.argv.slice(2);
const maxRel = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));
for (const c of cases) {
  if (only.length > 0 && !only.includes(c.id)) continue;
  const data = readDataFile(c.data);
  const fit = (derivatives: 'exact' | 'deriv12') => {
    const m = fitGlmer(c.formula, data, { family: c.family, link: c.link }, { derivatives });
    const v = m.vcov().values;
    return { se: v.map((row, i) => Math.sqrt(row[i])), warnings: m.warnings, steps: m.pirlsSteps };
  };
  const old = fit('deriv12');
  const exact = fit('exact');
  const lme4 = c.se === null ? 'lme4: no SEs in the golden' : `exact vs lme4 ${maxRel(exact.se, c.se).toExponential(2)}, deriv12 vs lme4 ${maxRel(old.se, c.se).toExponential(2)}`;
  console.log(
    `${c.id}: SE exact vs deriv12 ${maxRel(exact.se, old.se).toExponential(2)}, ${lme4}; PIRLS steps ${exact.steps} / ${old.steps}; ` +
      `warnings ${JSON.stringify(exact.warnings)} / ${JSON.stringify(old.warnings)}`,
  );
}
