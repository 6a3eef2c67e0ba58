// sum, mean and var to the last bit of R 4.2.2 (x87 long double accumulation), and lme4's variance-ratio
// starting θ built from them. Expected values printed by R with sprintf("%.17g").
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meanR, sumR, varR } from './helpers/r-moments.js';
import { startVariances } from '../src/wasm/start-variances.js';
import { thetaStart } from '../src/fit/theta.js';
import { prepareModel } from '../src/design/prepare.js';
import { randomTermDesigns } from '../src/design/random-terms.js';
import { readDataFile } from '../src/data/read-file.js';
import { ROOT } from './helpers/golden.js';

const k = Array.from({ length: 1000 }, (_, i) => i);
const cases: [string, number[], [number, number, number]][] = [
  // k <- 0:999; ((k*7919) %% 1000)/100 + 95
  ['decimal fractions', k.map((i) => ((i * 7919) % 1000) / 100 + 95), [99995, 99.995000000000005, 8.3416666666666668]],
  // cancellation: plain double sums give 0 + 0.6 here
  ['cancellation', [1e16, 1, -1e16, 0.1, 0.2, 0.3], [1.6000000000000001, 0.26669921875000002, 3.9999999999999999e31]],
  ['repeated thirds', [1, 2, 3, 4, 5].flatMap((v, i) => new Array<number>([3, 7, 11, 13, 17][i]).fill(v / 3)), [62.333333333333336, 1.2222222222222223, 0.17185185185185187]],
];

describe('R moments', () => {
  it.each(cases)('%s: sum, mean, var as R', (_name, x, [s, m, v]) => {
    expect(sumR(x)).toBe(s);
    expect(meanR(x)).toBe(m);
    expect(varR(x)).toBe(v);
  });

  it('means over index subsets (ave)', () => {
    const x = cases[0][1];
    const groups = Array.from({ length: 7 }, (_, g) => k.filter((i) => i % 7 === g));
    const means = groups.map((rows) => meanR(x, rows));
    // var(ave(a, factor(k %% 7)))
    expect(varR(k.map((i) => means[i % 7]))).toBe(0.0017500814367010778);
    // the engine's pass (assembly/r-moments.ts) gives R's bits too
    const { vy, v } = startVariances(Float64Array.from(x), [{ codes: Int32Array.from(k, (i) => i % 7), nlev: 7 }]);
    expect(vy).toBe(8.3416666666666668);
    expect(v[0]).toBe(0.0017500814367010778);
  });

  it("the engine's var(y) and var(ave(y, g)) equal varR's, bit for bit", () => {
    // levels met in an irregular order; values whose long double sums round, cancel, or are tiny
    const n = 5000;
    const codes = Int32Array.from({ length: n }, (_, i) => (i * i * 31 + 7 * i) % 13);
    const ys = [
      Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 100 + 95),
      Float64Array.from({ length: n }, (_, i) => [1e16, 1, -1e16, 0.1, 0.2, 0.3, 1 / 3, 1e-300][i % 8] * (1 + (i % 5) / 7)),
      Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-310),
    ];
    for (const y of ys) {
      const rows = Array.from({ length: 13 }, (_, c) => Array.from(codes.keys()).filter((i) => codes[i] === c));
      const means = rows.map((r) => meanR(y, r));
      const { vy, v } = startVariances(y, [{ codes, nlev: 13 }]);
      expect(vy).toBe(varR(y));
      expect(v[0]).toBe(varR(Array.from(codes, (c) => means[c])));
    }
  });

  it("the engine's variances of several groupings at once equal varR's, bit for bit", () => {
    // the groupings' passes run side by side (one chain each): each must still round as R's var of it alone
    const n = 4000;
    const y = Float64Array.from({ length: n }, (_, i) => [1e16, 1, -1e16, 0.1, 0.2, 0.3, 1 / 3, 7][i % 8] * (1 + (i % 5) / 7) + ((i * 7919) % 97) / 3);
    const groupings = [13, 5, 101, 2].map((nlev, g) => ({ codes: Int32Array.from({ length: n }, (_, i) => (i * i * (g + 3) + 7 * i + (i >> 4)) % nlev), nlev }));
    const { vy, v } = startVariances(y, groupings);
    expect(vy).toBe(varR(y));
    groupings.forEach(({ codes, nlev }, g) => {
      const rows = Array.from({ length: nlev }, (_, c) => Array.from(codes.keys()).filter((i) => codes[i] === c));
      const means = rows.map((r) => meanR(y, r));
      expect(v[g]).toBe(varR(Array.from(codes, (c) => means[c])));
    });
  });

  it("the engine's integer path for long sums rounds every step as varR's double-double steps", () => {
    // assembly/r-moments.ts holds a sum within one binade as a count of its 64th bit's unit; these draws
    // make it cross binades, land near midpoints, carry low parts larger than a unit and meet extreme sums
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const draws: ((i: number) => number)[] = [
      () => Math.round(rnd() * 100 - 50),
      () => rnd() * 10 - 5,
      (i) => [1e16, 1, -1e16, 0.1, 0.2, 0.3, 1 / 3, 7][i % 8] * (1 + (i % 5) / 7),
      () => (rnd() < 0.5 ? 1 : -1) * 2 ** Math.round(rnd() * 60 - 30),
      () => (Math.round(rnd() * 1000) + 0.5) * 2 ** -20,
      () => 100 + Math.round(rnd() * 4) * 2 ** -52 * 100,
      () => rnd() * 1e-300,
      () => 1e300 * (rnd() - 0.5),
    ];
    for (let trial = 0; trial < 48; trial++) {
      const n = 2 + Math.floor(rnd() * 1500);
      const draw = draws[trial % draws.length];
      const y = Float64Array.from({ length: n }, (_, i) => draw(i));
      const nlev = 1 + Math.floor(rnd() * 40);
      const codes = Int32Array.from({ length: n }, (_, i) => (rnd() < 0.7 ? (i * 7 + (i >> 3)) % nlev : Math.floor(rnd() * nlev)));
      const rows = Array.from({ length: nlev }, () => [] as number[]);
      codes.forEach((c, i) => rows[c].push(i));
      const means = rows.map((r) => (r.length > 0 ? meanR(y, r) : NaN));
      const { vy, v } = startVariances(y, [{ codes, nlev }]);
      expect(vy).toBe(varR(y));
      expect(v[0]).toBe(varR(Array.from(codes, (c) => means[c])));
    }
  });

  it("the engine's sum of the groupings' variances equals sumR's, bit for bit", () => {
    const n = 3000;
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 1e3 + ((i * 7919) % 97) / 3);
    const groupings = [13, 29, 101].map((nlev, g) => ({ codes: Int32Array.from({ length: n }, (_, i) => (i * (g + 2) + (i >> 3)) % nlev), nlev }));
    const { v, sumV } = startVariances(y, groupings);
    expect(v.length).toBe(3);
    expect(sumV).toBe(sumR(v));
  });
});

describe("lme4's starting θ", () => {
  const data = readDataFile(join(ROOT, 'data/InstEval.csv'));
  const start = (formula: string): number[] => {
    const p = prepareModel(formula, data);
    const terms = randomTermDesigns(p.frame, p.contrasts);
    return Array.from(
      thetaStart(
        terms.map((t) => ({ group: t.group, columns: t.columns })),
        p.frame.response!,
        terms.map((t) => ({ codes: t.codes, nlev: t.levels.length })),
      ),
    );
  };

  it('uses group-mean variance ratios for scalar intercept terms, bit for bit', () => {
    // environment(lmer(..., devFunOnly = TRUE))$pp$theta in lme4 1.1-31
    expect(start('y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)')).toEqual([
      0.36414389923170082, 0.49001891529586794, 0.13993842426132563,
    ]);
  });

  it('starts at T = I when a term has slopes or two terms share a factor', () => {
    expect(start('y ~ 1 + (1 + service | d)')).toEqual([1, 0, 1]);
    expect(start('y ~ 1 + (1 | d) + (0 + service | d)')).toEqual([1, 1, 0, 1]);
    expect(start('y ~ 1 + (1 | d) + (1 | d)')).toEqual([1, 1]);
  });
});

describe('R moments at the ends of the double range', () => {
  it('rounds tiny, subnormal and huge values as R', () => {
    // sprintf("%.17g", c(sum(c(1e-300, 2e-300, -3e-300)), mean(c(1e300, 1e300)), var(rep(5e-310, 3)),
    //                    sum(c(1e-310, 3e-310, 0.5e-310)), mean(c(1e-310, 3e-310, 2e-310))))
    expect(sumR([1e-300, 2e-300, -3e-300])).toBe(-1.657809211691619e-316);
    expect(meanR([1e300, 1e300])).toBe(1e300);
    expect(varR([5e-310, 5e-310, 5e-310])).toBe(0);
    expect(sumR([1e-310, 3e-310, 0.5e-310])).toBe(4.500000000000011e-310);
    expect(meanR([1e-310, 3e-310, 2e-310])).toBe(1.9999999999999939e-310);
  });
});
