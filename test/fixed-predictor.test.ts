import { describe, expect, it } from 'vitest';
import { FixedPredictor } from '../src/fit/fixed-predictor.js';

/** offset + Xβ summed row by row, left to right: the order the column passes must reproduce bit for bit. */
function rowSums(Xc: Float64Array, n: number, p: number, offset: Float64Array, beta: number[]): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = offset[i];
    for (let a = 0; a < p; a++) s += Xc[a * n + i] * beta[a];
    out[i] = s;
  }
  return out;
}

/** Same doubles, −0 and +0 told apart (toEqual treats them alike). */
function bits(v: Float64Array): string[] {
  return Array.from(v, (x) => (Object.is(x, -0) ? '-0' : String(x)));
}

describe('FixedPredictor: offset + Xβ by columns', () => {
  const n = 200;
  let seed = 7;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  // ones, a 0/1 indicator, a mostly-zero column with other values, a dense column with zeros, -0 entries
  const cols = [
    Array.from({ length: n }, () => 1),
    Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0)),
    Array.from({ length: n }, () => (rand() < 0.2 ? rand() * 10 - 5 : 0)),
    Array.from({ length: n }, () => (rand() < 0.1 ? 0 : rand() * 1e3 - 500)),
    Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 1 : 0)),
  ];
  const p = cols.length;
  const Xc = Float64Array.from(cols.flat());

  it('matches the row sums bit for bit by columns, with β of either sign and exact zeros in β', () => {
    const offset = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : rand() - 0.5));
    const fp = new FixedPredictor(Xc, n, p, offset);
    expect(fp.route).toBe('columns');
    for (const beta of [
      [0.3, -1.7, 2.25, 1e-3, -4],
      [-0.1, 0, -0, 3e-12, 0.5],
      [0, 0, 0, 0, 0],
      [-0, -0, -0, -0, -0],
    ]) {
      const x = [9, ...beta]; // β read from x[1]
      expect(bits(fp.into(x, 1, new Float64Array(n)))).toEqual(bits(rowSums(Xc, n, p, offset, beta)));
    }
  });

  it('sums every column whole where skipping zeros would differ: −0 in the offset, a non-finite β', () => {
    const offset = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -0 : 0));
    const fp = new FixedPredictor(Xc, n, p, offset);
    expect(fp.route).toBe('columns');
    for (const beta of [
      [-0, -0, -0, -0, -0],
      [0, 0, 0, 0, 0],
      [-0, 1, -0, -0, -0],
    ]) {
      expect(bits(fp.into(beta, 0, new Float64Array(n)))).toEqual(bits(rowSums(Xc, n, p, offset, beta)));
    }
    const fp0 = new FixedPredictor(Xc, n, p, new Float64Array(n));
    for (const beta of [
      [1, Infinity, 0, 0, 0],
      [1, 0, NaN, 0, 0],
      [-Infinity, 0, 0, 0, 2],
    ]) {
      expect(bits(fp0.into(beta, 0, new Float64Array(n)))).toEqual(bits(rowSums(Xc, n, p, new Float64Array(n), beta)));
    }
  });

  it('sums each distinct (offset, row) once where few rows are distinct, bit for bit, −0 and +0 kept apart', () => {
    // a designed experiment: intercept, a two-level and a three-level factor, a covariate with four values
    const m = 400;
    const f2 = Array.from({ length: m }, (_, i) => i % 2);
    const f3 = Array.from({ length: m }, (_, i) => Math.floor(i / 7) % 3);
    const cov = Array.from({ length: m }, (_, i) => [0.5, -1.25, 3, -0][i % 4]);
    const Xd = Float64Array.from([
      ...Array.from({ length: m }, () => 1),
      ...f2,
      ...f3.map((v) => (v === 1 ? 1 : 0)),
      ...f3.map((v) => (v === 2 ? 1 : 0)),
      ...cov,
    ]);
    const pd = 5;
    for (const offset of [
      new Float64Array(m),
      Float64Array.from({ length: m }, (_, i) => [0, -0, Math.log(3)][i % 3]),
    ]) {
      const fp = new FixedPredictor(Xd, m, pd, offset);
      expect(fp.route).toBe('rows');
      for (const beta of [
        [0.3, -1.7, 2.25, 1e-3, -4],
        [-0, -0, 0, -0, -0],
        [0, 0, 0, 0, 0],
        [1, Infinity, 0, 0, 0],
        [NaN, 1, 0, 0, 2],
      ]) {
        const x = [7, 8, ...beta];
        expect(bits(fp.into(x, 2, new Float64Array(m)))).toEqual(bits(rowSums(Xd, m, pd, offset, beta)));
      }
    }
  });

  it('takes the rows route on a long design and the columns route once the first rows are mostly distinct', () => {
    const m = 5000;
    const f = Array.from({ length: m }, (_, i) => (i % 3 === 1 ? 1 : 0));
    const cov = Array.from({ length: m }, (_, i) => (i % 7) - 3);
    const design = Float64Array.from([...Array.from({ length: m }, () => 1), ...f, ...cov]);
    const continuous = Float64Array.from([...Array.from({ length: m }, () => 1), ...f, ...Array.from({ length: m }, () => rand())]);
    const offset = new Float64Array(m);
    const beta = [-0.5, 0.8, 1.5e-3];
    for (const [X, route] of [[design, 'rows'], [continuous, 'columns']] as const) {
      const fp = new FixedPredictor(X, m, 3, offset);
      expect(fp.route).toBe(route);
      expect(bits(fp.into(beta, 0, new Float64Array(m)))).toEqual(bits(rowSums(X, m, 3, offset, beta)));
    }
  });
});
