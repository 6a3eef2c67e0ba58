/**
 * The exact ML gradient of the profiled deviance when the crossed block is factored sparse (no dense D to
 * invert). With A = Λ'Z'ZΛ + I and ∂Λ/∂θ_k = I ⊗ e_r e_c' on term t,
 *     ∂ log|A| / ∂θ_k = 2 tr(A⁻¹ Λ'Z'Z ∂Λ_k) = 2 Σ_obs Σ_a (ZΛ)_{obs,a} A⁻¹_{a,(g,c)} Z_{obs,(g,r)},
 * which reads A⁻¹ only at pairs of columns that meet in one observation: the pattern of Z'Z, inside the
 * pattern of the factor. The crossed block's entries come from the supernodal selected inverse; a chain
 * term's (one block-diagonal term eliminated before the crossed block) from one Takahashi step per level,
 * which needs the selected inverse at the level's dense rows (a clique of the crossed block's factor).
 * The residual part is the envelope theorem's ∂r²/∂θ_k = −2 Σ_g (Z'r)_{(g,r)} u_{(g,c)}, as in
 * assembly/gradient.ts.
 */
import type { EngineTerm, SelectedInverse } from './mixed-engine.js';

/** The chain term's factor pieces (term 0, eliminated first). */
export interface ChainFactor {
  /** Per level the p×p lower-triangular diagonal block of L, row-major. */
  readonly ldiag: Float64Array;
  /** Per level, the range of its dense rows in `rows` / `ld`. */
  readonly rowPtr: Int32Array;
  /** Dense rows (numbered as the crossed block: random effects first, then X, then y). */
  readonly rows: Int32Array;
  /** L's entries at those rows, p per row. */
  readonly ld: Float64Array;
}

/** What the sparse gradient reads, all at the θ of the last factorization. */
export interface SparseGradientInput {
  readonly terms: readonly EngineTerm[];
  /** Each term's relative covariance factor T (p×p lower triangle, row-major). */
  readonly lambda: readonly Float64Array[];
  /** Offset of each term in u. */
  readonly uoff: Int32Array;
  /** Each dense row's index in u (the crossed block's random effects, qD of them). */
  readonly denseRowU: Int32Array;
  /** The chain term's factor, or null when every term is in the crossed block. */
  readonly chain: ChainFactor | null;
  readonly inverse: SelectedInverse;
  readonly u: Float64Array;
  /** y − Xβ − ZΛu. */
  readonly residual: Float64Array;
  readonly pwrss: number;
  /** n (ML). */
  readonly nObs: number;
}

/** ∂ deviance / ∂θ (ML), θ in lme4's order (term by term, T's lower triangle column by column). */
export function sparseDevianceGradient(input: SparseGradientInput): Float64Array {
  const { terms, lambda, uoff, denseRowU, chain, inverse, u, residual } = input;
  const q = terms.reduce((a, t) => a + t.nlev * t.p, 0);
  const qD = denseRowU.length;
  // A⁻¹ at (a, b), a ≥ b numbered as u, keyed a·q + b
  const sigma = new Map<number, number>();
  const put = (a: number, b: number, v: number): void => {
    sigma.set(a >= b ? a * q + b : b * q + a, v);
  };
  const get = (a: number, b: number): number => {
    const v = sigma.get(a >= b ? a * q + b : b * q + a);
    if (v === undefined) throw new Error(`sparse gradient: A⁻¹ at (${a}, ${b}) is outside the factor's pattern`);
    return v;
  };
  for (let k = 0; k < inverse.value.length; k++) put(inverse.row[k], inverse.col[k], inverse.value[k]);
  if (chain) takahashiChain(terms[0], uoff[0], chain, qD, denseRowU, get, put);

  const n = input.nObs;
  const accP = terms.map((t) => new Float64Array(t.p * t.p));
  const zr = new Float64Array(q);
  const ua: number[] = [];
  const va: number[] = [];
  for (let i = 0; i < n; i++) {
    // the observation's row of ZΛ: (ZΛ)_{i,(g,a)} = Σ_b Z_{i,(g,b)} T[b][a]
    ua.length = 0;
    va.length = 0;
    terms.forEach((t, j) => {
      const p = t.p;
      const base = uoff[j] + t.codes[i] * p;
      const T = lambda[j];
      for (let a = 0; a < p; a++) {
        let s = 0;
        for (let b = a; b < p; b++) s += t.z[i * p + b] * T[b * p + a];
        ua.push(base + a);
        va.push(s);
      }
    });
    const ri = residual[i];
    terms.forEach((t, j) => {
      const p = t.p;
      const base = uoff[j] + t.codes[i] * p;
      const acc = accP[j];
      for (let c = 0; c < p; c++) {
        let s = 0;
        for (let x = 0; x < ua.length; x++) if (va[x] !== 0) s += va[x] * get(ua[x], base + c);
        for (let r = 0; r < p; r++) acc[r * p + c] += s * t.z[i * p + r];
      }
      for (let r = 0; r < p; r++) zr[base + r] += t.z[i * p + r] * ri;
    });
  }
  const grad: number[] = [];
  terms.forEach((t, j) => {
    const p = t.p;
    for (let c = 0; c < p; c++) {
      for (let r = c; r < p; r++) {
        let res = 0;
        for (let g = 0; g < t.nlev; g++) res += zr[uoff[j] + g * p + r] * u[uoff[j] + g * p + c];
        grad.push(2 * accP[j][r * p + c] - (2 * n * res) / input.pwrss);
      }
    }
  });
  return Float64Array.from(grad);
}

/**
 * The chain term's entries of A⁻¹ (Takahashi, one level at a time): with L_c the level's diagonal block
 * and V its rows R in the crossed block (S = the crossed block's Schur complement, S⁻¹ its inverse),
 *   Σ_{R,c} = −S⁻¹_{RR} V L_c⁻¹,   Σ_cc = L_c⁻ᵀ (L_c⁻¹ − V' Σ_{R,c}).
 */
function takahashiChain(
  term: EngineTerm, uoff: number, chain: ChainFactor, qD: number, denseRowU: Int32Array,
  get: (a: number, b: number) => number, put: (a: number, b: number, v: number) => void,
): void {
  const p = term.p;
  const bb = p * p;
  for (let c = 0; c < term.nlev; c++) {
    const i0 = chain.rowPtr[c];
    let k = 0;
    while (i0 + k < chain.rowPtr[c + 1] && chain.rows[i0 + k] < qD) k++;
    const L = chain.ldiag.subarray(c * bb, (c + 1) * bb);
    const rowU = Int32Array.from({ length: k }, (_, x) => denseRowU[chain.rows[i0 + x]]);
    // Y = S⁻¹_{RR} V, then each row x solves x L_c = y (back substitution: L_c is lower triangular)
    const sig = new Float64Array(k * p);
    for (let x = 0; x < k; x++) {
      for (let y = 0; y < k; y++) {
        const s = get(rowU[x], rowU[y]);
        for (let a = 0; a < p; a++) sig[x * p + a] += s * chain.ld[(i0 + y) * p + a];
      }
      for (let a = p - 1; a >= 0; a--) {
        let s = sig[x * p + a];
        for (let b = a + 1; b < p; b++) s -= sig[x * p + b] * L[b * p + a];
        sig[x * p + a] = s / L[a * p + a];
      }
      for (let a = 0; a < p; a++) {
        sig[x * p + a] = -sig[x * p + a];
        put(rowU[x], uoff + c * p + a, sig[x * p + a]);
      }
    }
    // M = L_c⁻¹ − V'Σ_{R,c}, column by column, then Σ_cc's column = L_c⁻ᵀ M's column
    const col = new Float64Array(p);
    for (let cc = 0; cc < p; cc++) {
      for (let a = 0; a < p; a++) {
        let s = a === cc ? 1 : 0;
        for (let b = 0; b < a; b++) s -= L[a * p + b] * col[b];
        col[a] = a < cc ? 0 : s / L[a * p + a];
      }
      for (let a = 0; a < p; a++) {
        let s = 0;
        for (let x = 0; x < k; x++) s += chain.ld[(i0 + x) * p + a] * sig[x * p + cc];
        col[a] -= s;
      }
      for (let a = p - 1; a >= 0; a--) {
        let s = col[a];
        for (let b = a + 1; b < p; b++) s -= L[b * p + a] * col[b];
        col[a] = s / L[a * p + a];
      }
      for (let a = cc; a < p; a++) put(uoff + c * p + a, uoff + c * p + cc, col[a]);
    }
  }
}
