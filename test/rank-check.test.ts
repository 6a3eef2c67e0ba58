// checkRank's shortcut for well-conditioned X (a Gram-matrix certificate instead of the pivoted QR) must
// give the QR's answer: the same kept and dropped columns on matrices near and far from rank deficiency.
import { describe, expect, it } from 'vitest';
import { checkRank } from '../src/design/rank.js';
import { columnMajor, type ModelMatrix } from '../src/design/model-matrix.js';
import { qrDecompose, QR_TOLERANCE } from '../src/wasm/qr.js';

const n = 500;
const wave = (k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * (0.37 + k * 0.11)) + ((i * (k + 3)) % 7) / 5);
const matrix = (columns: Float64Array[]): ModelMatrix => ({ n, names: columns.map((_, j) => `x${j}`), columns, assign: columns.map((_, j) => j) });

/** R's answer by the QR itself. */
function byQr(X: ModelMatrix) {
  const qr = qrDecompose(columnMajor(X), X.n, X.columns.length, QR_TOLERANCE);
  return { rank: qr.rank, kept: Array.from(qr.pivot.subarray(0, qr.rank)).sort((a, b) => a - b), dropped: Array.from(qr.pivot.subarray(qr.rank)) };
}

describe('checkRank', () => {
  const one = new Float64Array(n).fill(1);
  const [a, b, c] = [wave(0), wave(1), wave(2)];
  // column 2 = a + b plus a perturbation of relative size eps: kept by R's QR down to about 1e-7
  const nearSum = (eps: number) => Float64Array.from(a, (v, i) => v + b[i] + eps * Math.cos(i * 1.7));
  const cases: [string, Float64Array[]][] = [
    ['well conditioned', [one, a, b, c]],
    ['a column scaled by 1e12', [one, a.map((v) => v * 1e12), b]],
    ['nearly collinear (1e-3)', [a, b, nearSum(1e-3), one]],
    ['nearly collinear (1e-6)', [a, b, nearSum(1e-6), one]],
    ['collinear below the tolerance (1e-9)', [a, b, nearSum(1e-9), one]],
    ['exactly collinear', [one, a, Float64Array.from(a, (v) => 2 * v - 1), b]],
    ['a zero column', [one, new Float64Array(n), a]],
  ];
  it.each(cases)('%s: the same columns as the pivoted QR', (_name, columns) => {
    const X = matrix(columns);
    expect(checkRank(X)).toEqual(byQr(X));
  });

  it('drops what the QR drops', () => {
    expect(checkRank(matrix([a, b, nearSum(1e-9), one])).dropped.length).toBe(1);
    expect(checkRank(matrix([one, a, b, c])).dropped).toEqual([]);
  });
});
