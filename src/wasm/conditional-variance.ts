/**
 * Diagonal blocks of (Λ'Z'ZΛ + I)⁻¹ from the engine's blocked factor L, one block per level of a
 * grouping factor: what lme4's ranef(condVar = TRUE) scales by σ²Λ_i … Λ_i' (the conditional covariance
 * of the random effects given the data and β̂, as lme4 computes it).
 *
 * [A⁻¹]_ii = (L⁻¹E_i)'(L⁻¹E_i), with E_i the columns of level i. L is ordered chain terms first, then the
 * dense block: L = [L_C 0; L_DC L_D], so a chain column of L⁻¹ is x = L_C⁻¹e (nonzero only on the level
 * and its ancestors in the nesting chain) above −L_D⁻¹(L_DC x), and a dense column is L_D⁻¹e. No q×q
 * inverse is formed: the chain part walks the level's ancestors, the dense part uses L_D⁻¹ (qD×qD,
 * formed once when it is small enough) or one triangular solve per column.
 */

/** The factor's pieces, as views of the engine's memory at the last evaluated θ. */
export interface FactorView {
  /** Terms: levels and columns per level. */
  readonly terms: readonly { readonly nlev: number; readonly p: number }[];
  /** Number of chain terms (the leading, nested ones). */
  readonly chainLength: number;
  /** Random-effects rows of the dense block (its first qD rows). */
  readonly qD: number;
  /** Order of the dense block (its row stride). */
  readonly nD: number;
  /** Row of each dense term's first column in the dense block (−1 for chain terms). */
  readonly doff: Int32Array;
  /** The dense block's factor, row-major nD×nD, lower triangle. */
  readonly D: Float64Array;
  /** Per chain term: diagonal blocks (nlev·p·p, row-major lower), dense rows (rowPtr, rows) and L_Dj (nnz·p). */
  readonly chain: readonly { ldiag: Float64Array; rowPtr: Int32Array; rows: Int32Array; ld: Float64Array }[];
  /** Chain pair (i > j): parent level in term i of each level of j, and L_ij blocks (nlev_j · p_i·p_j). */
  pair(i: number, j: number): { par: Int32Array; lpar: Float64Array };
}

/** Largest dense block whose inverse factor is formed explicitly (72 MB). */
const MAX_EXPLICIT_INVERSE = 3000;

/** One column block of L⁻¹: per chain term on the path its level and p_t×k values, and the dense part (qD×k, column-major). */
interface InverseColumns {
  chain: Map<number, { level: number; x: Float64Array }>;
  dense: Float64Array | null;
}

/** Solves L x = b for a small lower-triangular block (row-major p×p), in place. */
function solveSmallLower(L: Float64Array, at: number, p: number, b: Float64Array, off: number, stride: number): void {
  for (let r = 0; r < p; r++) {
    let s = b[off + r * stride];
    for (let c = 0; c < r; c++) s -= L[at + r * p + c] * b[off + c * stride];
    b[off + r * stride] = s / L[at + r * p + r];
  }
}

class DenseInverse {
  /** L_D⁻¹ column-major (column k starts at k·qD), when formed. */
  private readonly inverse: Float64Array | null;

  constructor(private readonly f: FactorView) {
    const { qD } = f;
    if (qD === 0 || qD > MAX_EXPLICIT_INVERSE) {
      this.inverse = null;
      return;
    }
    const inv = new Float64Array(qD * qD);
    const { D, nD } = f;
    // four columns of L_D⁻¹ per sweep share each load of L_D's row (1.8× faster, same bits: a column's
    // entries above its diagonal are 0, so the extra terms subtract 0)
    let k0 = 0;
    for (; k0 + 4 <= qD; k0 += 4) {
      const o0 = k0 * qD;
      const o1 = o0 + qD;
      const o2 = o1 + qD;
      const o3 = o2 + qD;
      for (let r = k0; r < qD; r++) {
        const row = r * nD;
        let s0 = r === k0 ? 1 : 0;
        let s1 = r === k0 + 1 ? 1 : 0;
        let s2 = r === k0 + 2 ? 1 : 0;
        let s3 = r === k0 + 3 ? 1 : 0;
        for (let c = k0; c < r; c++) {
          const l = D[row + c];
          s0 -= l * inv[o0 + c];
          s1 -= l * inv[o1 + c];
          s2 -= l * inv[o2 + c];
          s3 -= l * inv[o3 + c];
        }
        const d = D[row + r];
        inv[o0 + r] = s0 / d;
        inv[o1 + r] = s1 / d;
        inv[o2 + r] = s2 / d;
        inv[o3 + r] = s3 / d;
      }
    }
    const e = new Float64Array(qD);
    for (let k = k0; k < qD; k++) {
      e.fill(0);
      e[k] = 1;
      this.forward(e, k, inv.subarray(k * qD, (k + 1) * qD));
    }
    this.inverse = inv;
  }

  /** y = L_D⁻¹ b, where b is zero above row `start`. */
  private forward(b: Float64Array, start: number, y: Float64Array): void {
    const { D, nD, qD } = this.f;
    y.fill(0, 0, start);
    for (let r = start; r < qD; r++) {
      const row = r * nD;
      let s = b[r];
      for (let c = start; c < r; c++) s -= D[row + c] * y[c];
      y[r] = s / D[row + r];
    }
  }

  /** L_D⁻¹ b for b with nonzeros at `nz` (the rest zero). */
  solve(b: Float64Array, nz: readonly number[]): Float64Array {
    const { qD } = this.f;
    const y = new Float64Array(qD);
    if (nz.length === 0) return y;
    if (this.inverse) {
      for (const k of nz) {
        const v = b[k];
        if (v === 0) continue;
        const col = k * qD;
        for (let r = k; r < qD; r++) y[r] += this.inverse[col + r] * v;
      }
      return y;
    }
    let start = qD;
    for (const k of nz) start = Math.min(start, k);
    this.forward(b, start, y);
    return y;
  }
}

/** The columns of L⁻¹ for level `c` of term `t` (all p_t of them). */
function inverseColumns(f: FactorView, dense: DenseInverse, t: number, c: number): InverseColumns {
  const { qD, chainLength: s } = f;
  const k = f.terms[t].p;
  const chain = new Map<number, { level: number; x: Float64Array }>();
  if (t >= s) {
    const out = new Float64Array(qD * k);
    const e = new Float64Array(qD);
    for (let a = 0; a < k; a++) {
      const row = f.doff[t] + c * k + a;
      e.fill(0);
      e[row] = 1;
      out.set(dense.solve(e, [row]), a * qD);
    }
    return { chain, dense: out };
  }
  // chain part: x_t = L_tc⁻¹, then each ancestor i: x_i = L_ii⁻¹(−Σ_m L_im x_m), values row-major p_i×k
  for (let i = t; i < s; i++) {
    const pi = f.terms[i].p;
    const level = i === t ? c : f.pair(i, t).par[c];
    const x = new Float64Array(pi * k);
    if (i === t) for (let a = 0; a < k; a++) x[a * k + a] = 1;
    else {
      for (const [m, xm] of chain) {
        const pm = f.terms[m].p;
        const { lpar } = f.pair(i, m);
        const at = xm.level * pi * pm;
        for (let a = 0; a < pi; a++) {
          for (let col = 0; col < k; col++) {
            let acc = 0;
            for (let b = 0; b < pm; b++) acc += lpar[at + a * pm + b] * xm.x[b * k + col];
            x[a * k + col] -= acc;
          }
        }
      }
    }
    for (let col = 0; col < k; col++) solveSmallLower(f.chain[i].ldiag, level * pi * pi, pi, x, col, k);
    chain.set(i, { level, x });
  }
  if (qD === 0) return { chain, dense: null };
  // dense part: −L_D⁻¹ (L_DC x), column by column
  const out = new Float64Array(qD * k);
  const v = new Float64Array(qD);
  const seen = new Uint8Array(qD);
  for (let col = 0; col < k; col++) {
    v.fill(0);
    seen.fill(0);
    const nz: number[] = [];
    for (const [m, xm] of chain) {
      const pm = f.terms[m].p;
      const { rowPtr, rows, ld } = f.chain[m];
      for (let idx = rowPtr[xm.level]; idx < rowPtr[xm.level + 1]; idx++) {
        const r = rows[idx];
        if (r >= qD) break; // rows are sorted; X's and y's rows follow the random effects
        let acc = 0;
        for (let b = 0; b < pm; b++) acc += ld[idx * pm + b] * xm.x[b * k + col];
        if (!seen[r]) {
          seen[r] = 1;
          nz.push(r);
        }
        v[r] -= acc;
      }
    }
    out.set(dense.solve(v, nz), col * qD);
  }
  return { chain, dense: out };
}

/** Gram block (columns of a)'(columns of b), ka×kb row-major. */
function gram(f: FactorView, a: InverseColumns, ka: number, b: InverseColumns, kb: number): Float64Array {
  const out = new Float64Array(ka * kb);
  for (const [t, xa] of a.chain) {
    const xb = b.chain.get(t);
    if (!xb || xb.level !== xa.level) continue;
    const pt = f.terms[t].p;
    for (let i = 0; i < ka; i++) {
      for (let j = 0; j < kb; j++) {
        let acc = 0;
        for (let r = 0; r < pt; r++) acc += xa.x[r * ka + i] * xb.x[r * kb + j];
        out[i * kb + j] += acc;
      }
    }
  }
  if (a.dense && b.dense) {
    const qD = f.qD;
    for (let i = 0; i < ka; i++) {
      for (let j = 0; j < kb; j++) {
        let acc = 0;
        const ai = i * qD;
        const bj = j * qD;
        for (let r = 0; r < qD; r++) acc += a.dense[ai + r] * b.dense[bj + r];
        out[i * kb + j] += acc;
      }
    }
  }
  return out;
}

/**
 * For each group of terms (the terms of one grouping factor, which share its levels), the blocks of
 * (Λ'Z'ZΛ + I)⁻¹ over all the group's columns at each level: nlev blocks of k×k (k = Σ p_t), row-major,
 * columns in the group's term order.
 */
export function inverseDiagonalBlocks(f: FactorView, groups: readonly (readonly number[])[]): Float64Array[] {
  const dense = new DenseInverse(f);
  return groups.map((group) => {
    const nlev = f.terms[group[0]].nlev;
    const widths = group.map((t) => f.terms[t].p);
    const k = widths.reduce((x, y) => x + y, 0);
    const out = new Float64Array(nlev * k * k);
    for (let c = 0; c < nlev; c++) {
      const cols = group.map((t) => inverseColumns(f, dense, t, c));
      let ra = 0;
      group.forEach((_, a) => {
        let rb = 0;
        group.forEach((__, b) => {
          if (b >= a) {
            const blk = gram(f, cols[a], widths[a], cols[b], widths[b]);
            for (let i = 0; i < widths[a]; i++) {
              for (let j = 0; j < widths[b]; j++) {
                const v = blk[i * widths[b] + j];
                out[c * k * k + (ra + i) * k + rb + j] = v;
                out[c * k * k + (rb + j) * k + ra + i] = v;
              }
            }
          }
          rb += widths[b];
        });
        ra += widths[a];
      });
    }
    return out;
  });
}
