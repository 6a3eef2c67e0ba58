// Separation that needs several columns of X (src/fit/separating-direction.ts), read through the checks
// glmer runs before fitting (findSeparation): every kind of separation built on purpose is named by its
// columns, and nothing fires on the glmer fixtures or on data that provably have a finite MLE.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { toDataTable, type DataInput } from '../src/data/from-input.js';
import { glmResponse } from '../src/frame/glm-response.js';
import { buildModelFrame } from '../src/frame/model-frame.js';
import { modelMatrix, type ModelMatrix } from '../src/design/model-matrix.js';
import { checkRank } from '../src/design/rank.js';
import type { ContrastSpec } from '../src/frame/contrasts.js';
import { findSeparation, separationWarning } from '../src/fit/separation.js';
import { separatingDirections, type SeparationData } from '../src/fit/separating-direction.js';

/** X, the kept columns and the response as glmer builds them. */
function design(formula: string, data: DataInput, family: 'binomial' | 'poisson', contrasts: Record<string, ContrastSpec> = {}) {
  const resp = glmResponse(formula, toDataTable(data, {}), { family });
  const frame = buildModelFrame(resp.data, resp.formula, {});
  const X = modelMatrix(frame, resp.formula.fixed, contrasts);
  const pick = (v: Float64Array): Float64Array => Float64Array.from(frame.rows, (r) => v[r]);
  const sep: SeparationData = { family, y: pick(resp.y), weights: pick(resp.weights) };
  return { X, kept: checkRank(X).kept, fixed: resp.formula.fixed, sep, label: resp.label };
}

/** The separation warnings glmer would give. */
function warnings(formula: string, data: DataInput, family: 'binomial' | 'poisson', contrasts: Record<string, ContrastSpec> = {}): string[] {
  const d = design(formula, data, family, contrasts);
  return findSeparation(d.X, d.kept, d.fixed, d.sep, d.label).map(separationWarning);
}

/** Park–Miller draws and Box–Muller normals, so the data are the same on every run. */
function prng(seed: number): { u: () => number; z: () => number } {
  let s = seed;
  const u = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  return { u, z: () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()) };
}

interface Row {
  x1: number;
  x2: number;
  x3: number;
  f: string;
  k: number;
  g: string;
}
function rows(n: number, seed: number): Row[] {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => ({ x1: r.z(), x2: r.z(), x3: r.z(), f: ['a', 'b', 'c'][i % 3], k: i % 4, g: `g${i % 12}` }));
}
const fc = (r: Row): number => (r.f === 'c' ? 1 : 0);
const fb = (r: Row): number => (r.f === 'b' ? 1 : 0);

describe('separation that needs several columns: named by its columns', () => {
  const base = rows(300, 3);
  const coin = prng(5).u;

  it('x1 + x2 > 0 ⇔ y = 1, neither column alone (x3 is noise)', () => {
    const w = warnings('y ~ x1 + x2 + x3', base.map((r) => ({ ...r, y: r.x1 + r.x2 > 0 ? 1 : 0 })), 'binomial');
    expect(w).toEqual([
      'complete separation in x1 and x2 together: y is 1 wherever x1 + x2 > 0 and 0 wherever x1 + x2 < 0, so their estimates drift toward ' +
        '+Inf, +Inf and their standard errors and z tests are not meaningful; remove or merge terms, or use a penalized fit',
    ]);
  });

  it('a factor level together with a covariate, with a threshold (the intercept), for 0/1 and cbind responses', () => {
    const split = (r: Row): boolean => r.x1 + 2 * fc(r) > 1;
    const w = warnings('y ~ x1 + f', base.map((r) => ({ ...r, y: split(r) ? 1 : 0 })), 'binomial');
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('complete separation in x1 and f together (columns x1, fc): y is 1 wherever 0.5*x1 + fc > 0.5 and 0 wherever 0.5*x1 + fc < 0.5');
    const c = warnings('cbind(s, 3 - s) ~ x1 + f', base.map((r) => ({ ...r, s: split(r) ? 3 : 0 })), 'binomial');
    expect(c[0]).toContain('cbind(s, 3 - s) is 1 wherever 0.5*x1 + fc > 0.5');
  });

  it('quasi-complete: the rows on the boundary have both outcomes, or are proportions', () => {
    const t = (r: Row): number => r.k + fb(r);
    const w = warnings('y ~ k + f', base.map((r) => ({ ...r, y: t(r) > 2 ? 1 : t(r) < 2 ? 0 : coin() < 0.5 ? 1 : 0 })), 'binomial');
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('complete separation in k and f together (columns k, fb): y is 1 wherever k + fb > 2 and 0 wherever k + fb < 2 (the 75 rows with k + fb = 2 are not separated)');
    const p = warnings('cbind(s, 3 - s) ~ k + f', base.map((r) => ({ ...r, s: t(r) > 2 ? 3 : t(r) < 2 ? 0 : 1 })), 'binomial');
    expect(p[0]).toContain('k + fb > 2 and 0 wherever k + fb < 2 (the 75 rows');
  });

  it('a factor level under sum contrasts (its indicator is no column), binomial and Poisson', () => {
    const w = warnings('y ~ x1 + f', base.map((r) => ({ ...r, y: r.f === 'c' ? 1 : coin() < 0.5 ? 1 : 0 })), 'binomial', { f: 'sum' });
    expect(w).toEqual([
      'complete separation in f (columns f1, f2): y is 1 wherever f1 + f2 < 1, and no row has f1 + f2 > 1 (the 200 rows with f1 + f2 = 1 are not separated), ' +
        'so their estimates drift toward -Inf, -Inf and their standard errors and z tests are not meaningful; remove or merge terms, or use a penalized fit',
    ]);
    const p = warnings('y ~ x1 + f', base.map((r) => ({ ...r, y: r.f === 'c' ? 0 : Math.floor(coin() * 5) })), 'poisson', { f: 'sum' });
    expect(p).toHaveLength(1);
    expect(p[0]).toContain('complete separation in f (columns f1, f2): y is 0 wherever f1 + f2 < 1, and no row has f1 + f2 > 1');
    expect(p[0]).toContain('drift toward +Inf, +Inf');
  });

  it('Poisson: zero counts on one side of a plane through the positive counts', () => {
    const t = (r: Row): number => r.k + fb(r);
    const data = base.filter((r) => t(r) >= 2).map((r) => ({ ...r, y: t(r) > 2 ? 0 : 1 + Math.floor(coin() * 4) }));
    const w = warnings('y ~ k + f', data, 'poisson');
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('complete separation in k and f together (columns k, fb): y is 0 wherever k + fb > 2, and no row has k + fb < 2');
    expect(w[0]).toContain('drift toward -Inf, -Inf');
  });

  it('a two-valued column against the intercept, and a second separation on the rows a first one leaves', () => {
    const two = warnings('y ~ k2 + x1', base.map((r) => ({ ...r, k2: 1 + (r.k % 2), y: r.k % 2 })), 'binomial');
    expect(two).toHaveLength(1);
    expect(two[0]).toContain('complete separation in k2: y is 1 wherever k2 > 1.5 and 0 wherever k2 < 1.5, so its estimate drifts toward +Inf');
    const layered = warnings('y ~ x1 + x2 + f', base.map((r) => ({ ...r, y: r.f === 'c' || r.x1 + r.x2 > 0 ? 1 : 0 })), 'binomial');
    expect(layered).toHaveLength(2);
    expect(layered[0]).toContain('complete separation in f (column fc): y is 1 wherever fc = 1');
    expect(layered[1]).toContain('complete separation in x1 and x2 together: among the rows not separated above, y is 1 wherever x1 + x2 > 0');
  });

  it('a column of both signs alone: said as a split at 0', () => {
    const w = warnings('y ~ x1 * f', base.map((r) => ({ ...r, y: r.f === 'c' ? (r.x1 > 0 ? 1 : 0) : coin() < 0.5 ? 1 : 0 })), 'binomial');
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('complete separation in x1:f (column x1:fc): y is 1 wherever x1:fc > 0 and 0 wherever x1:fc < 0');
  });
});

/** Whether d (on `columns`) satisfies the separation conditions on X's rows with positive weight. */
function separates(X: ModelMatrix, columns: readonly number[], coef: readonly number[], sep: SeparationData): boolean {
  const xd = Array.from({ length: X.n }, (_, i) => columns.reduce((s, j, a) => s + X.columns[j][i] * coef[a], 0));
  const scale = Math.max(...xd.map(Math.abs));
  const tol = 1e-9 * scale;
  let moved = false;
  for (let i = 0; i < X.n; i++) {
    if (!(sep.weights[i] > 0)) continue;
    const y = sep.y[i];
    const ok = y === 0 ? xd[i] <= tol : sep.family === 'binomial' && y === 1 ? xd[i] >= -tol : Math.abs(xd[i]) <= tol;
    if (!ok) return false;
    if (Math.abs(xd[i]) > tol) moved = true;
  }
  return moved;
}

describe('separation that needs several columns: random designs', () => {
  // A design with a 3-level factor, an integer and two continuous columns; the response from a
  // logistic (or Poisson) model with strong effects, so that many rows sit near μ = 0 or 1.
  function randomSet(seed: number, family: 'binomial' | 'poisson', n: number) {
    const r = prng(seed);
    const beta = [r.z(), 2 * r.z(), 2 * r.z(), r.z(), 2 * r.z(), r.z()];
    const data = rows(n, seed + 1000).map((row) => {
      const eta = beta[0] + beta[1] * row.x1 + beta[2] * row.x2 + beta[3] * row.k + beta[4] * fb(row) + beta[5] * fc(row);
      const y = family === 'binomial' ? Number(r.u() < 1 / (1 + Math.exp(-eta))) : Math.floor(-Math.log(r.u()) * Math.exp(Math.min(eta, 3)));
      return { ...row, y };
    });
    return { data, r };
  }

  it('never fires where anchor rows prove a finite MLE (both outcomes at points spanning every column)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const family = seed % 4 === 0 ? 'poisson' : 'binomial';
      const { data, r } = randomSet(seed, family, 40 + (seed % 5) * 30);
      // at each of 8 design points, the response on both sides of the sign conditions: then any d with
      // them has (Xd) = 0 at 8 points in general position, so d = 0
      const anchors = Array.from({ length: 8 }, (_, i) => ({ x1: r.z(), x2: r.z(), x3: r.z(), f: ['a', 'b', 'c'][i % 3], k: i % 4, g: 'g0' }));
      const both = anchors.flatMap((a) => (family === 'binomial' ? [{ ...a, y: 0 }, { ...a, y: 1 }] : [{ ...a, y: 2 }]));
      const d = design('y ~ x1 + x2 + k + f', [...data, ...both], family);
      expect(d.kept).toHaveLength(6);
      expect(findSeparation(d.X, d.kept, d.fixed, d.sep, d.label).map(separationWarning)).toEqual([]);
    }
  });

  it('always fires where a random direction splits the outcomes, with a direction that separates', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const r = prng(seed + 77);
      const d0 = [r.z(), r.z(), r.z(), r.z(), r.z(), r.z()];
      const data = rows(60 + seed * 8, seed + 2000).map((row) => {
        const s = d0[0] + d0[1] * row.x1 + d0[2] * row.x2 + d0[3] * row.k + d0[4] * fb(row) + d0[5] * fc(row);
        return { ...row, y: s > 0 ? 1 : 0 };
      });
      if (data.every((x) => x.y === data[0].y)) continue;
      const d = design('y ~ x1 + x2 + k + f', data, 'binomial');
      const found = separatingDirections(d.X, d.kept, d.sep, Array.from({ length: d.X.n }, (_, i) => i));
      expect(found.length).toBeGreaterThan(0);
      for (const f of found.slice(0, 1)) expect(separates(d.X, f.columns, f.coef, d.sep)).toBe(true);
    }
  });
});

describe('separation: the glmer fixtures have none', () => {
  const cases: [string, string, 'binomial' | 'poisson'][] = [
    ['data/cbpp.csv', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', 'binomial'],
    ['data/grouseticks.csv', 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)', 'poisson'],
    ['test/fixtures/glmer/VerbAgg.csv', 'r2 ~ Anger + Gender * btype + situ + mode + (1 | id) + (1 | item)', 'binomial'],
  ];
  for (const id of ['sim_crossed_pois', 'sim_nested_binom', 'sim_offset_pois', 'sim_slope_bern', 'conv_scaled_bern']) {
    const g = JSON.parse(readFileSync(`test/fixtures/glmer/${id}.json`, 'utf8'));
    cases.push([`test/fixtures/glmer/${g.data}`, g.formula, id.includes('pois') ? 'poisson' : 'binomial']);
  }
  for (const [file, formula, family] of cases) {
    it(`${file}: ${formula}`, () => {
      expect(warnings(formula, readDataFile(file), family)).toEqual([]);
    });
  }
});
