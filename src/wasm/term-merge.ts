/**
 * Terms of the nesting chain that group the observations identically (the scalar terms `||` splits a term
 * into, or one factor under several names) merged into one engine term with a block-diagonal T: per level
 * one p×p block with p = Σ p_t, whose Cholesky runs in the dense kernels, instead of one tiny block per
 * term, level and pair of terms (the chain factor's work grows with the cube of the number of chain terms).
 * Λθ is the same matrix with its columns permuted (level by level instead of term by term), so the deviance,
 * β and the random effects are unchanged; the map below translates θ, u and the derivatives between the
 * terms as given (lme4's order) and the engine's merged terms.
 */
import type { EngineTerm } from './mixed-engine.js';

/** How the given terms sit in the engine's terms. */
export interface TermMerge {
  /** Engine term of each given term. */
  readonly termOf: Int32Array;
  /** Column offset of each given term inside its engine term. */
  readonly columnOf: Int32Array;
  /** Per θ entry of the given terms: engine term, row and column of its entry in that term's T. */
  readonly slotTerm: Int32Array;
  readonly slotRow: Int32Array;
  readonly slotCol: Int32Array;
  /** Index in the given u (lme4's order) of each entry of the engine's u. */
  readonly uGiven: Int32Array;
}

/** Whether two terms group the observations identically. */
export function sameGrouping(a: EngineTerm, b: EngineTerm): boolean {
  if (a.nlev !== b.nlev || a.codes.length !== b.codes.length) return false;
  for (let r = 0; r < a.codes.length; r++) if (a.codes[r] !== b.codes[r]) return false;
  return true;
}

/**
 * Merges runs of adjacent terms among the first `chain` (the nesting chain) that group the observations
 * identically; null when there is no such run.
 */
export function mergeTerms(terms: readonly EngineTerm[], chain: number, n: number): { terms: EngineTerm[]; map: TermMerge } | null {
  const runs: [number, number][] = [];
  for (let t = 0; t < terms.length; ) {
    let end = t + 1;
    if (t < chain) while (end < chain && sameGrouping(terms[t], terms[end])) end++;
    runs.push([t, end]);
    t = end;
  }
  if (runs.length === terms.length) return null;
  const termOf = new Int32Array(terms.length);
  const columnOf = new Int32Array(terms.length);
  const merged = runs.map(([a, b], ti): EngineTerm => {
    if (b === a + 1) {
      termOf[a] = ti;
      return terms[a];
    }
    let p = 0;
    for (let t = a; t < b; t++) {
      termOf[t] = ti;
      columnOf[t] = p;
      p += terms[t].p;
    }
    const z = new Float64Array(n * p);
    for (let t = a; t < b; t++) {
      const { p: pt, z: zt } = terms[t];
      const off = columnOf[t];
      for (let r = 0; r < n; r++) for (let c = 0; c < pt; c++) z[r * p + off + c] = zt[r * pt + c];
    }
    return { nlev: terms[a].nlev, p, codes: terms[a].codes, z };
  });
  const nTheta = terms.reduce((acc, t) => acc + (t.p * (t.p + 1)) / 2, 0);
  const slotTerm = new Int32Array(nTheta);
  const slotRow = new Int32Array(nTheta);
  const slotCol = new Int32Array(nTheta);
  let at = 0;
  terms.forEach((t, j) => {
    for (let c = 0; c < t.p; c++) {
      for (let r = c; r < t.p; r++) {
        slotTerm[at] = termOf[j];
        slotRow[at] = columnOf[j] + r;
        slotCol[at++] = columnOf[j] + c;
      }
    }
  });
  // u: given term by term (each term's levels, p_t entries each), the engine's level by level in a merged term
  const q = terms.reduce((acc, t) => acc + t.nlev * t.p, 0);
  const uGiven = new Int32Array(q);
  const givenOff = new Int32Array(terms.length);
  for (let t = 1; t < terms.length; t++) givenOff[t] = givenOff[t - 1] + terms[t - 1].nlev * terms[t - 1].p;
  let engineOff = 0;
  runs.forEach(([a, b], ti) => {
    const P = merged[ti].p;
    for (let t = a; t < b; t++) {
      const pt = terms[t].p;
      for (let l = 0; l < terms[t].nlev; l++) {
        for (let c = 0; c < pt; c++) uGiven[engineOff + l * P + columnOf[t] + c] = givenOff[t] + l * pt + c;
      }
    }
    engineOff += merged[ti].nlev * P;
  });
  return { terms: merged, map: { termOf, columnOf, slotTerm, slotRow, slotCol, uGiven } };
}

/** Index of entry (r, c), r ≥ c, in the θ of a p-column term (lower triangle column by column). */
export function thetaIndex(p: number, r: number, c: number): number {
  return (c * (2 * p - c + 1)) / 2 + (r - c);
}
