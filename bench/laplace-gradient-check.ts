/**
 * The exact Laplace gradient (src/fit/laplace-gradient.ts) against central differences of the deviance at
 * each glmer golden's optimum and at a point off it (every coordinate moved by 2%), step h in each coordinate:
 *
 *   npx tsx bench/laplace-gradient-check.ts [ids…]
 */
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { fitGlmer } from '../src/fit/glmer.js';

const dir = 'test/fixtures/glmer/';
const cases: { id: string; data: string; formula: string; family: string; link?: string }[] = [];
for (const id of ['cbpp_binom', 'cbpp_probit', 'grouseticks_pois', 'verbagg_bern']) {
  const g = JSON.parse(readFileSync(dir + id + '.json', 'utf8'));
  const data = g.data === 'VerbAgg.csv' ? dir + g.data : 'data/' + g.data;
  cases.push({ id, data, formula: g.formula, family: g.family.startsWith('binomial') ? 'binomial' : g.family, link: g.link });
}
for (const id of ['conv_scaled_bern', 'sim_crossed_pois', 'sim_nested_binom', 'sim_offset_pois', 'sim_slope_bern']) {
  const g = JSON.parse(readFileSync(dir + id + '.json', 'utf8'));
  cases.push({ id, data: dir + g.data, formula: g.formula, family: id.endsWith('pois') ? 'poisson' : 'binomial' });
}
for (const g of JSON.parse(readFileSync(dir + 'links.json', 'utf8'))) {
  if (g.error) continue;
  cases.push({ id: g.id, data: g.data, formula: g.formula, family: g.family, link: g.link });
}
const only = process.argv.slice(2);
for (const c of cases) {
  if (only.length > 0 && !only.includes(c.id)) continue;
  const data = readDataFile(c.data);
  fitGlmer(c.formula, data, { family: c.family, link: c.link, checkConvergence: false }, {
    inspect: (f, g, x) => {
      if (g === null) {
        console.log(`${c.id}: no exact gradient`);
        return;
      }
      for (const [label, at] of [['optimum', x], ['off', x.map((v) => v * 1.02 + 0.01)]] as const) {
        const exact = g(Float64Array.from(at))!;
        let worst = 0;
        const parts: string[] = [];
        for (let k = 0; k < at.length; k++) {
          const h = 1e-4 * Math.max(1, Math.abs(at[k]));
          const up = Float64Array.from(at);
          const dn = Float64Array.from(at);
          up[k] += h;
          dn[k] -= h;
          const fd = (f(up) - f(dn)) / (2 * h);
          const rel = Math.abs(exact[k] - fd) / Math.max(1, Math.abs(fd));
          worst = Math.max(worst, rel);
          parts.push(`${exact[k].toPrecision(8)}/${fd.toPrecision(8)}`);
        }
        console.log(`${c.id} ${label}: max |exact − fd| / max(1, |fd|) = ${worst.toExponential(2)}   ${parts.join(' ')}`);
      }
    },
  });
}
