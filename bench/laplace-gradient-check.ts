/**
 * The exact Laplace gradient (the engine's, assembly/laplace-gradient.ts) against central differences of the deviance at
 * each glmer golden's optimum and at a point off it (every coordinate moved by 2%), step h in each coordinate:
 *
 *   npx tsx bench/laplace-gradient-check.ts [ids…]
 *
 * With --cost: CPU ms per deviance evaluation and per gradient at the optimum (interleaved, after a warm-up;
 * a gradient runs PIRLS itself), and what lme4's deriv12 (2m² deviances) and the exact route cost from them
 * (written as 2m + 1 gradients; glmer's check takes 2m gradients and 2m deviances, see convergence.ts).
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
const cost = process.argv.includes('--cost');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const cpuMs = (f: () => void, reps: number): number => {
  const t = process.cpuUsage();
  for (let r = 0; r < reps; r++) f();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000 / reps;
};
for (const c of cases) {
  if (only.length > 0 && !only.includes(c.id)) continue;
  const data = readDataFile(c.data);
  fitGlmer(c.formula, data, { family: c.family, link: c.link, checkConvergence: false }, {
    inspect: (f, g, x) => {
      if (g === null) {
        console.log(`${c.id}: no exact gradient`);
        return;
      }
      if (cost) {
        const m = x.length;
        const reps = 20;
        let fMs = 0;
        let gMs = 0;
        for (let round = 0; round < 3; round++) {
          fMs = cpuMs(() => f(x), reps);
          gMs = cpuMs(() => g(x), reps);
        }
        console.log(
          `${c.id}: m = ${m}, ${fMs.toFixed(2)} ms per deviance, ${gMs.toFixed(2)} ms per gradient (${(gMs / fMs).toFixed(1)} deviances); ` +
            `deriv12 ${2 * m * m} deviances = ${(2 * m * m * fMs).toFixed(0)} ms, exact ${2 * m + 1} gradients = ${((2 * m + 1) * gMs).toFixed(0)} ms`,
        );
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
