/**
 * Every glmer golden (lme4 1.1-31 fits in test/fixtures/glmer) fitted with each stage-2 optimizer: −2 log L
 * minus lme4's, evaluations per stage, warnings. The check that a stage 2 is "never worse than lme4's optimum":
 *
 *   npx tsx bench/glmer-goldens.ts [--optimizers nelder-mead,bobyqa-scaled]
 */
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { glmer, type GlmerOptions } from '../src/fit/glmer.js';

interface Golden {
  id: string;
  data: string;
  formula: string;
  family: string;
  link?: string;
  nAGQ?: number;
  m2: number;
}

const dir = 'test/fixtures/glmer/';
const goldens: Golden[] = [];
for (const id of ['cbpp_binom', 'cbpp_binom_agq25', 'cbpp_probit', 'grouseticks_pois', 'verbagg_bern']) {
  const g = JSON.parse(readFileSync(dir + id + '.json', 'utf8'));
  const data = g.data === 'VerbAgg.csv' ? dir + g.data : 'data/' + g.data;
  goldens.push({ id, data, formula: g.formula, family: g.family.startsWith('binomial') ? 'binomial' : g.family, link: g.link, nAGQ: g.nAGQ, m2: g.minus2logLik });
}
for (const id of ['conv_scaled_bern', 'sim_crossed_pois', 'sim_nested_binom', 'sim_offset_pois', 'sim_slope_bern']) {
  const g = JSON.parse(readFileSync(dir + id + '.json', 'utf8'));
  goldens.push({ id, data: dir + g.data, formula: g.formula, family: id.endsWith('pois') ? 'poisson' : 'binomial', m2: g.minus2logLik });
}
for (const g of JSON.parse(readFileSync(dir + 'links.json', 'utf8'))) {
  if (g.error) continue;
  goldens.push({ id: g.id, data: g.data, formula: g.formula, family: g.family, link: g.link, m2: g.minusLogLik ?? g.minus2logLik });
}

const arg = process.argv.indexOf('--optimizers');
const optimizers = (arg > 0 ? process.argv[arg + 1] : 'nelder-mead,bobyqa-scaled').split(',') as NonNullable<GlmerOptions['optimizer']>[];
const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--optimizers');
for (const g of goldens) {
  if (only.length > 0 && !only.some((o) => g.id.includes(o))) continue;
  const data = readDataFile(g.data);
  const row: Record<string, unknown> = { id: g.id };
  for (const optimizer of optimizers) {
    const t = process.cpuUsage();
    const m = glmer(g.formula, data, { family: g.family, link: g.link, nAGQ: g.nAGQ, optimizer });
    const cpu = process.cpuUsage(t);
    const o = m.optimizer;
    row[optimizer] = {
      dm2: Number((-2 * m.logLik() - g.m2).toPrecision(3)),
      evals: `${o.stage1Evaluations} + ${o.evaluations}`,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      warnings: m.warnings.length,
    };
  }
  console.log(JSON.stringify(row));
}
