/**
 * Conditional covariances of the random effects, as lme4's ranef(condVar = TRUE): per grouping factor and
 * level, σ²Λ_i [(Λ'Z'ZΛ + I)⁻¹]_ii Λ_i' — the covariance of b given the data with β taken as known (lme4
 * does not add β̂'s uncertainty). The inverse's diagonal blocks come from the engine's factor.
 */
import type { MixedEngine } from '../wasm/mixed-engine.js';
import type { RandomTermDesign } from '../design/random-terms.js';
import { NumericalError } from '../errors.js';

/** The covariance matrices (columns × columns of the factor's merged table) per factor and level. */
export function conditionalVariances(
  engine: MixedEngine,
  terms: readonly RandomTermDesign[],
  theta: ArrayLike<number>,
  sigma: number,
): Record<string, number[][][]> {
  const groups = new Map<string, number[]>();
  terms.forEach((t, k) => {
    const list = groups.get(t.group);
    if (list) list.push(k);
    else groups.set(t.group, [k]);
  });
  // each term's lower-triangular T (row-major) from θ, laid out as the engine's setTheta reads it
  const factors: Float64Array[] = [];
  let at = 0;
  for (const t of terms) {
    const p = t.columns.length;
    const T = new Float64Array(p * p);
    for (let c = 0; c < p; c++) for (let r = c; r < p; r++) T[r * p + c] = theta[at++];
    factors.push(T);
  }
  if (engine.evaluate(theta) === null) {
    throw new NumericalError('the random-effects factor is not positive definite at this theta: no conditional variances');
  }
  const blocks = engine.inverseDiagonalBlocks([...groups.values()]);
  const s2 = sigma * sigma;
  const out: Record<string, number[][][]> = {};
  [...groups.entries()].forEach(([group, members], gi) => {
    const widths = members.map((k) => terms[k].columns.length);
    const k = widths.reduce((x, y) => x + y, 0);
    // Λ_i over the factor's columns: its terms' T on the diagonal
    const lam = new Float64Array(k * k);
    let off = 0;
    members.forEach((m, j) => {
      const p = widths[j];
      for (let r = 0; r < p; r++) for (let c = 0; c <= r; c++) lam[(off + r) * k + off + c] = factors[m][r * p + c];
      off += p;
    });
    const nlev = terms[members[0]].levels.length;
    const all = blocks[gi];
    const mats: number[][][] = [];
    const tmp = new Float64Array(k * k);
    for (let c = 0; c < nlev; c++) {
      const G = all.subarray(c * k * k, (c + 1) * k * k);
      // Λ_i G Λ_i', Λ_i lower triangular
      for (let r = 0; r < k; r++) {
        for (let j = 0; j < k; j++) {
          let acc = 0;
          for (let a = 0; a <= r; a++) acc += lam[r * k + a] * G[a * k + j];
          tmp[r * k + j] = acc;
        }
      }
      const V: number[][] = [];
      for (let r = 0; r < k; r++) {
        const row: number[] = [];
        for (let j = 0; j < k; j++) {
          let acc = 0;
          for (let a = 0; a <= j; a++) acc += tmp[r * k + a] * lam[j * k + a];
          row.push(s2 * acc);
        }
        V.push(row);
      }
      mats.push(V);
    }
    out[group] = mats;
  });
  return out;
}
