/**
 * Separation that needs several columns of X at once (x1 + x2 > 0 ⇔ y = 1 with neither column
 * separating alone, a factor level together with a covariate, quasi-complete separation, a Poisson
 * direction of all-zero counts). The exact criterion is the recession cone of the GLM's log-likelihood
 * (Albert & Anderson 1984; Konis 2007): a d ≠ 0 in β with (Xd)ᵢ ≥ 0 where yᵢ = 1, ≤ 0 where yᵢ = 0,
 * = 0 on every other row (a proportion strictly inside (0, 1), a positive count), and (Xd)ᵢ ≠ 0 on some
 * row. Instead of a linear program, the fixed-effects GLM's own Newton iteration (the canonical link:
 * separation depends on X and y alone, not on the link) decides it, with a proof either way:
 *
 * - no separation: Newton reaches a β whose score g = Xᵀ W (y − μ) is too small to be compatible with
 *   any separating d. For such a d, dᵀg = Σ Wᵢ |(Xd)ᵢ| |yᵢ − μᵢ| ≥ m·√(W_min·λ_min(XᵀWX))·‖d‖ with m the
 *   smallest |yᵢ − μᵢ| over the 0/1 rows (the zero-count rows for Poisson), while dᵀg ≤ ‖g‖‖d‖; so
 *   ‖g‖ < m·√(W_min·λ_min) rules out every d. The bound holds at any β, so it is also the exit test;
 * - separation: β drifts along the cone while the rest converges, so once rows are fitted exactly
 *   Newton's step turns into a separating direction, and so do β and the step with the rows not fitted
 *   held at (Xd) = 0 (the boundary rows of quasi-complete separation). Each candidate is checked against
 *   the sign conditions, rows meant to be 0 projected onto exactly 0 first, and only one that passes
 *   them up to rounding is reported.
 *
 * A search that reaches neither proof in its iteration budget reports nothing: a warning needs a
 * verified direction. The direction found is then reduced to columns none of which can be left out, and
 * rounded to short coefficients where the rounded one still separates the same rows, so the message
 * names the few columns involved in their own units. Rows equal on the columns are searched as one
 * (see Problem), which makes designs of factors and small integers cheap.
 */
import type { ModelMatrix } from '../design/model-matrix.js';
import { groupByLevel } from '../linalg/group-by-level.js';
import { choleskyLower, solveLower, solveLowerTransposed, symmetricEigenvalues } from '../linalg/symmetric.js';

/** The response and weights the search reads (model-frame rows). */
export interface SeparationData {
  readonly family: 'binomial' | 'poisson';
  /** Proportion of successes (binomial) or count (Poisson). */
  readonly y: Float64Array;
  /** Prior weights × trials: rows with weight 0 carry no information and are skipped. */
  readonly weights: Float64Array;
}

/** A separating direction, in the units of X's columns. */
export interface SeparatingDirection {
  /** Columns of X with a nonzero coefficient (indices into X.columns), in X's order. */
  readonly columns: number[];
  /** d on those columns, scaled so that the largest non-intercept |dⱼ·xⱼ| has |dⱼ| = 1. */
  readonly coef: number[];
  /** Rows with (Xd)ᵢ > 0 (all y = 1), < 0 (all y = 0 or zero counts), and = 0 (not separated by it). */
  readonly above: number;
  readonly below: number;
  readonly boundary: number;
  /** Whether it separates only the rows an earlier finding leaves (its statement is about those rows). */
  readonly amongOthers: boolean;
}

/** Row kinds: the sign (Xd)ᵢ may take. */
const ZERO = 0; // y = 0: (Xd)ᵢ ≤ 0
const ONE = 1; // y = 1: (Xd)ᵢ ≥ 0
const MID = 2; // 0 < y < 1 or a positive count: (Xd)ᵢ = 0

const EPS = 2.220446049250313e-16;
/** A Newton step counts as a direction when its violations are within this share of its largest |(Xd)ᵢ|, before projection. */
const NEAR = 1e-4;
/** After projection: what rounding leaves of an exact 0. */
const ROUND = 1e-9;
/** Newton steps per search: a drift shows within a few dozen, a finite optimum within ten. */
const MAX_STEPS = 60;
/** |y − μ| below which a 0/1 row or a zero count counts as fitted exactly (by a drift, as a rule). */
const FITTED = 1e-4;
/** Separate findings reported (each on the rows the earlier ones leave). */
const MAX_FINDINGS = 3;

/**
 * The rows of one search: the informative rows grouped by their values on the candidate columns (rows
 * with one x share one η, so a group is one binomial row with the summed weight and the mean response:
 * the same likelihood, score and Hessian, and the same sign conditions, since a group with both outcomes
 * or a proportion has to stay at (Xd) = 0 as each of its rows would), their kinds, and X's columns
 * scaled to unit length. Designs of factors and integer covariates shrink to a few hundred groups.
 */
interface Problem {
  readonly family: 'binomial' | 'poisson';
  /** Groups (the problem's rows). */
  readonly n: number;
  /** The model-frame rows of group k: member[start[k]] … member[start[k + 1] − 1] (start null: just member[k]). */
  readonly start: Int32Array | null;
  readonly member: ArrayLike<number>;
  readonly y: Float64Array;
  readonly w: Float64Array;
  readonly kind: Uint8Array;
  /** The smallest and largest group weight, and whether some group is of kind ZERO or ONE. */
  readonly wMin: number;
  readonly wMax: number;
  readonly movable: boolean;
  /** Scaled columns, by column index of X (only the candidates are filled). */
  readonly cols: Map<number, Float64Array>;
  /** ‖xⱼ‖ over the groups: dⱼ (X's units) = d̃ⱼ (scaled) / scale. */
  readonly scale: Map<number, number>;
}

/** Group of each row of `rowSet` (rows equal on `columns`), and a row of each group. */
function groupRows(X: ModelMatrix, columns: readonly number[], rowSet: ArrayLike<number>): { group: Int32Array; first: ArrayLike<number> } {
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const cs = columns.map((j) => X.columns[j]);
  const q = cs.length;
  let size = 1;
  while (size < 2 * rowSet.length) size *= 2;
  const slot = new Int32Array(size).fill(-1); // open addressing: the group in each slot
  const first: number[] = [];
  const group = new Int32Array(rowSet.length);
  for (let k = 0; k < rowSet.length; k++) {
    const i = rowSet[k];
    let h = 0x811c9dc5;
    for (let a = 0; a < q; a++) {
      bits[0] = cs[a][i] + 0; // −0 as 0
      h = Math.imul(h ^ words[0], 0x01000193);
      h = Math.imul(h ^ words[1], 0x01000193);
    }
    let at = (h ^ (h >>> 15)) & (size - 1);
    let g = -1;
    for (; slot[at] >= 0; at = (at + 1) & (size - 1)) {
      const r = first[slot[at]];
      let same = true;
      for (let a = 0; a < q && same; a++) same = cs[a][r] === cs[a][i];
      if (same) {
        g = slot[at];
        break;
      }
    }
    if (g < 0) {
      g = first.length;
      first.push(i);
      slot[at] = g;
    }
    group[k] = g;
  }
  return { group, first };
}

/** The groups: row k of the row set in group[k] (null: in group k), and the members as in Problem. */
interface Grouping {
  readonly group: Int32Array | null;
  readonly first: ArrayLike<number>;
  readonly start: Int32Array | null;
  readonly member: ArrayLike<number>;
}

/** Rows equal on `columns` as one group (counting sort of the groups, rows in order within each). */
function grouped(X: ModelMatrix, columns: readonly number[], rowSet: ArrayLike<number>): Grouping {
  const { group, first } = groupRows(X, columns, rowSet);
  const { perm, start } = groupByLevel(group, first.length);
  const member = new Int32Array(perm.length);
  for (let e = 0; e < perm.length; e++) member[e] = rowSet[perm[e]];
  return { group, first, start, member };
}

/** Each row its own group: group k is row k of `rowSet`. */
const ungrouped = (rowSet: ArrayLike<number>): Grouping => ({ group: null, first: rowSet, start: null, member: rowSet });

function problem(X: ModelMatrix, columns: readonly number[], data: SeparationData, rowSet: ArrayLike<number>): Problem {
  // grouping pays where rows repeat; a sample of rows that are nearly all distinct (a continuous
  // covariate) says it would not, and each row is its own group
  const stride = Math.max(1, Math.floor(rowSet.length / 1024));
  const sample = new Int32Array(Math.ceil(rowSet.length / stride));
  for (let k = 0; k < sample.length; k++) sample[k] = rowSet[k * stride];
  const repeats = groupRows(X, columns, sample).first.length < 0.7 * sample.length;
  const { group, first, start, member } = repeats ? grouped(X, columns, rowSet) : ungrouped(rowSet);
  const n = first.length;
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  const kind = new Uint8Array(n);
  const { wMin, wMax, movable } = groupResponse(data, rowSet, group, y, w, kind);
  const cols = new Map<number, Float64Array>();
  const scale = new Map<number, number>();
  for (const j of columns) {
    const c = new Float64Array(n);
    const s = scaledColumn(X.columns[j], first, c);
    if (!(s > 0) || !Number.isFinite(s)) continue; // a column that is 0 on these rows cannot move them
    cols.set(j, c);
    scale.set(j, s);
  }
  return { family: data.family, n, start, member, y, w, kind, wMin, wMax, movable, cols, scale };
}

/**
 * The groups' summed weights (w), mean responses (y) and kinds, from the rows of `rowSet` (row k in
 * group[k], or in group k when group is null); returns the weights' range and whether any group can move.
 */
function groupResponse(
  data: SeparationData,
  rowSet: ArrayLike<number>,
  group: Int32Array | null,
  y: Float64Array,
  w: Float64Array,
  kind: Uint8Array,
): { wMin: number; wMax: number; movable: boolean } {
  const binomial = data.family === 'binomial';
  const dy = data.y;
  const dw = data.weights;
  for (let k = 0; k < rowSet.length; k++) {
    const i = rowSet[k];
    const g = group === null ? k : group[k];
    y[g] += dw[i] * dy[i];
    w[g] += dw[i];
  }
  let wMin = Infinity;
  let wMax = 0;
  let movable = false;
  for (let g = 0; g < y.length; g++) {
    y[g] /= w[g];
    // a mean of 0/1 responses is exactly 0 or 1 only when every member has that response
    kind[g] = y[g] === 0 ? ZERO : binomial && y[g] === 1 ? ONE : MID;
    wMin = Math.min(wMin, w[g]);
    wMax = Math.max(wMax, w[g]);
    if (kind[g] !== MID) movable = true;
  }
  return { wMin, wMax, movable };
}

/** c = x on the rows `first`, scaled to unit length; returns the length it had (c is left unscaled when that is 0 or not finite). */
function scaledColumn(x: Float64Array, first: ArrayLike<number>, c: Float64Array): number {
  let ss = 0;
  for (let g = 0; g < c.length; g++) {
    const t = x[first[g]];
    c[g] = t;
    ss += t * t;
  }
  const s = Math.sqrt(ss);
  if (!(s > 0) || !Number.isFinite(s)) return s;
  for (let g = 0; g < c.length; g++) c[g] /= s;
  return s;
}

/** Xd on the problem's rows for the columns J. */
function times(P: Problem, J: readonly number[], d: ArrayLike<number>, out: Float64Array): Float64Array {
  out.fill(0);
  for (let a = 0; a < J.length; a++) {
    const c = P.cols.get(J[a]) as Float64Array;
    const da = d[a];
    if (da === 0) continue;
    for (let k = 0; k < out.length; k++) out[k] += c[k] * da;
  }
  return out;
}

/** Σ vₖ aₖ bₖ. */
function weightedDot(v: Float64Array, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += v[k] * a[k] * b[k];
  return s;
}

/** Σ vᵢ xᵢ xᵢᵀ over the rows (row-major q×q). */
function crossprod(P: Problem, J: readonly number[], v: Float64Array): Float64Array {
  const q = J.length;
  const G = new Float64Array(q * q);
  const cs = J.map((j) => P.cols.get(j) as Float64Array);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b <= a; b++) {
      const ca = cs[a];
      const cb = cs[b];
      const s = weightedDot(v, ca, cb);
      G[a * q + b] = s;
      G[b * q + a] = s;
    }
  }
  return G;
}

/** How far row k's (Xd)ₖ = t is on the wrong side of its sign condition (0 when it holds). */
function violation(kind: number, t: number): number {
  return kind === ONE ? Math.max(0, -t) : kind === ZERO ? Math.max(0, t) : Math.abs(t);
}

/**
 * d less its component in the span of the given rows of X (columns J): an orthonormal basis of that
 * span by Gram–Schmidt, each row orthogonalized twice, rows within rounding of the span skipped.
 */
function nullSpaceProjection(P: Problem, J: readonly number[], rows: readonly number[], d: Float64Array): Float64Array {
  const q = J.length;
  const cs = J.map((j) => P.cols.get(j) as Float64Array);
  const basis: Float64Array[] = [];
  const v = new Float64Array(q);
  for (const k of rows) {
    if (basis.length === q) break;
    let norm0 = 0;
    for (let a = 0; a < q; a++) {
      v[a] = cs[a][k];
      norm0 += v[a] * v[a];
    }
    if (!(norm0 > 0)) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        let dot = 0;
        for (let a = 0; a < q; a++) dot += b[a] * v[a];
        for (let a = 0; a < q; a++) v[a] -= dot * b[a];
      }
    }
    let norm = 0;
    for (let a = 0; a < q; a++) norm += v[a] * v[a];
    if (norm <= 1e-20 * norm0) continue; // already in the span, up to rounding
    const s = 1 / Math.sqrt(norm);
    basis.push(Float64Array.from(v, (x) => x * s));
  }
  const out = Float64Array.from(d);
  for (let pass = 0; pass < 2; pass++) {
    for (const b of basis) {
      let dot = 0;
      for (let a = 0; a < q; a++) dot += b[a] * out[a];
      for (let a = 0; a < q; a++) out[a] -= dot * b[a];
    }
  }
  return out;
}

/**
 * d itself (or d with the rows meant to be 0 projected onto exactly 0) when it separates: every
 * violation within rounding of 0 and some 0/1 row moved. Null otherwise.
 */
function verify(P: Problem, J: readonly number[], d0: ArrayLike<number>, project: boolean, xd: Float64Array): Float64Array | null {
  const n = P.n;
  let d: Float64Array = Float64Array.from(d0);
  for (let round = 0; round < 4; round++) {
    times(P, J, d, xd);
    let M = 0;
    for (let k = 0; k < n; k++) M = Math.max(M, Math.abs(xd[k]));
    if (!(M > 0) || !Number.isFinite(M)) return null;
    let worst = 0;
    let moved = false;
    for (let k = 0; k < n; k++) {
      const v = violation(P.kind[k], xd[k]);
      worst = Math.max(worst, v);
      if (P.kind[k] !== MID && v === 0 && Math.abs(xd[k]) > ROUND * M) moved = true;
    }
    if (worst <= ROUND * M) return moved ? d : null;
    if (!project || worst > NEAR * M) return null;
    const fixRows: number[] = [];
    for (let k = 0; k < n; k++) if (P.kind[k] === MID || violation(P.kind[k], xd[k]) > 0) fixRows.push(k);
    d = nullSpaceProjection(P, J, fixRows, d);
  }
  return null;
}

/** Log-likelihood of the canonical-link GLM at η, up to a constant. */
function logLik(P: Problem, eta: Float64Array): number {
  const binomial = P.family === 'binomial';
  const { w, y } = P;
  let s = 0;
  for (let k = 0; k < eta.length; k++) {
    const e = eta[k];
    const b = binomial ? (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e))) : Math.exp(e);
    s += w[k] * (y[k] * e - b);
  }
  return s;
}

/** R's mustart on the link scale: η = logit((w·y + ½)/(w + 1)) (binomial), log(y + 0.1) (Poisson). */
function startEta(P: Problem, eta: Float64Array): void {
  const binomial = P.family === 'binomial';
  const { w, y } = P;
  for (let k = 0; k < eta.length; k++) eta[k] = binomial ? Math.log((w[k] * y[k] + 0.5) / (w[k] * (1 - y[k]) + 0.5)) : Math.log(y[k] + 0.1);
}

/**
 * The IRLS weights v = W·μ'(η) and the residuals r = y − μ at η (v, r filled); returns in `out` the
 * smallest |rₖ| over the rows that may move (m of the certificate) and how many of them are fitted exactly.
 */
function irlsTerms(P: Problem, eta: Float64Array, v: Float64Array, r: Float64Array, out: Float64Array): void {
  const binomial = P.family === 'binomial';
  const { w, y, kind } = P;
  let m = Infinity;
  let fitted = 0;
  for (let k = 0; k < eta.length; k++) {
    const e = eta[k];
    if (binomial) {
      const ex = Math.exp(-e);
      const p = 1 / (1 + ex);
      const qk = ex === Infinity ? 1 : ex / (1 + ex); // 1 − μ without cancellation
      v[k] = w[k] * p * qk;
      r[k] = y[k] * qk - (1 - y[k]) * p;
    } else {
      const mu = Math.exp(e);
      v[k] = w[k] * mu;
      r[k] = y[k] - mu;
    }
    if (kind[k] !== MID) {
      const u = Math.abs(r[k]);
      m = Math.min(m, u);
      if (u <= FITTED) fitted++;
    }
  }
  out[0] = m;
  out[1] = fitted;
}

/** For one column c: out = [Σ cₖwₖrₖ (the score), Σ |cₖwₖrₖ| (its rounding scale), Σ cₖ(vₖηₖ + wₖrₖ) (IRLS right side)]. */
function columnScore(c: Float64Array, w: Float64Array, r: Float64Array, v: Float64Array, eta: Float64Array, out: Float64Array): void {
  let s = 0;
  let abs = 0;
  let t = 0;
  for (let k = 0; k < c.length; k++) {
    const wr = w[k] * r[k];
    s += c[k] * wr;
    abs += Math.abs(c[k] * wr);
    t += c[k] * (v[k] * eta[k] + wr);
  }
  out[0] = s;
  out[1] = abs;
  out[2] = t;
}

/**
 * A separating direction on the columns J (scaled units, J's order), or null when there is none (a
 * certified finite optimum) or when none was verified within the budget.
 */
function search(P: Problem, J: readonly number[]): Float64Array | null {
  const n = P.n;
  const q = J.length;
  if (q === 0) return null;
  const { wMin, wMax } = P;
  if (!P.movable) return null; // no row whose likelihood can rise without bound
  // λ_min(XᵀWX) for the certificate, less what rounding may have added to it
  const eig = symmetricEigenvalues(crossprod(P, J, P.w), q);
  const lambdaMin = eig[q - 1] - q * (n + 10) * EPS * wMax - 16 * q * EPS * eig[0];
  const bound = lambdaMin > 0 ? Math.sqrt(wMin * lambdaMin) : 0;
  const gamma = (n + 10) * EPS;

  const v = new Float64Array(n);
  const r = new Float64Array(n);
  const xd = new Float64Array(n);
  // R's mustart, then Newton (IRLS) steps: β⁺ solves (XᵀVX) β⁺ = Xᵀ(Vη + W(y − μ))
  let eta: Float64Array = new Float64Array(n);
  startEta(P, eta);
  let spare: Float64Array = new Float64Array(n);
  let beta: Float64Array | null = null;
  let delta: Float64Array | null = null;
  let ll = -Infinity;
  const cs = J.map((j) => P.cols.get(j) as Float64Array);
  const sums = new Float64Array(3);
  for (let step = 0; step < MAX_STEPS; step++) {
    irlsTerms(P, eta, v, r, sums);
    const m = sums[0];
    const fitted = sums[1];
    const rhs = new Float64Array(q);
    let gNorm = 0;
    let aNorm = 0;
    for (let a = 0; a < q; a++) {
      columnScore(cs[a], P.w, r, v, eta, sums);
      rhs[a] = sums[2];
      gNorm += sums[0] * sums[0];
      aNorm += sums[1] * sums[1];
    }
    // the certificate: no direction can separate (checked at every β reached by a full step)
    if (beta !== null && Math.sqrt(gNorm) + gamma * Math.sqrt(aNorm) < (1 - 1e-6) * m * bound) return null;
    if (beta !== null && delta !== null) {
      // a drift shows as rows fitted exactly; then the last step, and β and the step with the rows not
      // fitted held at 0 (in quasi-complete separation those are the boundary rows, on which the rest
      // of β converges), are tried as separating directions
      if (fitted > 0) {
        const found = verify(P, J, delta, true, xd);
        if (found) return found;
        const held: number[] = [];
        for (let k = 0; k < n; k++) if (P.kind[k] === MID || Math.abs(r[k]) > FITTED) held.push(k);
        for (const d of [beta, delta]) {
          const onCone = verify(P, J, nullSpaceProjection(P, J, held, d), true, xd);
          if (onCone) return onCone;
        }
      }
      times(P, J, delta, xd);
      let change = 0;
      for (let k = 0; k < n; k++) change = Math.max(change, Math.abs(xd[k]));
      if (change < 1e-9) return null; // converged to a finite optimum (the certificate missed it by rounding)
    }
    const H = crossprod(P, J, v);
    let L = choleskyLower(H, q);
    if (L === null) {
      // along the drift the weights of the separated rows underflow: a small ridge keeps the step finite
      let maxDiag = 0;
      for (let a = 0; a < q; a++) maxDiag = Math.max(maxDiag, H[a * q + a]);
      for (let a = 0; a < q; a++) H[a * q + a] += 1e-10 * maxDiag + 1e-300;
      L = choleskyLower(H, q);
      if (L === null) return null;
    }
    let next = solveLowerTransposed(L, q, solveLower(L, q, rhs));
    let nextEta = times(P, J, next, spare);
    let nextLl = logLik(P, nextEta);
    if (beta !== null) {
      // step halving as R's glm.fit when the log-likelihood falls
      for (let h = 0; h < 30 && !(nextLl >= ll - 1e-12 * Math.abs(ll)); h++) {
        const b0 = beta;
        next = next.map((b, a) => (b + b0[a]) / 2);
        nextEta = times(P, J, next, nextEta);
        nextLl = logLik(P, nextEta);
      }
      if (!(nextLl >= ll - 1e-12 * Math.abs(ll))) return null;
      const b0 = beta;
      delta = next.map((b, a) => b - b0[a]);
    }
    beta = next;
    spare = eta;
    eta = nextEta;
    ll = nextLl;
  }
  return null;
}

/** The columns of J on which d (scaled units) is not negligible. */
function support(J: readonly number[], d: Float64Array): { J: number[]; d: Float64Array } {
  let max = 0;
  for (const x of d) max = Math.max(max, Math.abs(x));
  const keep = J.map((_, a) => Math.abs(d[a]) > ROUND * max);
  return { J: J.filter((_, a) => keep[a]), d: d.filter((_, a) => keep[a]) };
}

/** Greedily leaves out columns (least used first) while the rest still separate. */
function minimal(P: Problem, J0: readonly number[], d0: Float64Array): { J: number[]; d: Float64Array } {
  let { J, d } = support(J0, d0);
  const sm = verify(P, J, d, true, new Float64Array(P.n));
  if (sm) d = sm;
  const order = J.map((j, a) => ({ j, size: Math.abs(d[a]) })).sort((u, w) => u.size - w.size);
  for (const { j } of order) {
    if (J.length <= 1 || !J.includes(j)) continue;
    const without = J.filter((c) => c !== j);
    const found = search(P, without);
    if (found) ({ J, d } = support(without, found));
  }
  return { J, d };
}

/** Rows of the problem that d (scaled units) leaves at (Xd)ᵢ = 0 up to rounding. */
function onBoundary(P: Problem, J: readonly number[], d: ArrayLike<number>): number {
  const xd = times(P, J, d, new Float64Array(P.n));
  let M = 0;
  for (const t of xd) M = Math.max(M, Math.abs(t));
  let count = 0;
  for (const t of xd) if (Math.abs(t) <= ROUND * M) count++;
  return count;
}

/**
 * d in X's units, rounded to the fewest decimals (relative to its leading column) that still separate
 * the same rows (a rounding that puts more rows on the boundary would describe a weaker split).
 */
function readable(P: Problem, X: ModelMatrix, J: number[], d: Float64Array): number[] {
  let lead = -1;
  for (let a = 0; a < J.length; a++) if (X.assign[J[a]] !== 0 && (lead < 0 || Math.abs(d[a]) > Math.abs(d[lead]))) lead = a;
  if (lead < 0) lead = 0;
  const scale = J.map((j) => P.scale.get(j) as number);
  const exact = J.map((_, a) => d[a] / scale[a]);
  const unit = Math.abs(exact[lead]);
  const relative = exact.map((u) => u / unit);
  const boundary = onBoundary(P, J, d);
  for (let digits = 0; digits <= 4; digits++) {
    const f = 10 ** digits;
    const rounded = relative.map((u) => Math.round(u * f) / f);
    const scaled = rounded.map((u, a) => u * scale[a]);
    if (verify(P, J, scaled, false, new Float64Array(P.n)) && onBoundary(P, J, scaled) <= boundary) return rounded;
  }
  return relative;
}

/**
 * Separating directions of X's columns `columns` on the rows `rows` (model-frame rows with positive
 * weight, increasing), at most a few: each next one on the rows the earlier ones do not move.
 */
export function separatingDirections(
  X: ModelMatrix,
  columns: readonly number[],
  data: SeparationData,
  rows: ArrayLike<number>,
  amongOthers = false,
): SeparatingDirection[] {
  const out: SeparatingDirection[] = [];
  let left: ArrayLike<number> = rows;
  for (let f = 0; f < MAX_FINDINGS && left.length > 0; f++) {
    const P = problem(X, columns, data, left);
    const J0 = columns.filter((j) => P.cols.has(j));
    const d0 = search(P, J0);
    if (!d0) break;
    const { J, d } = minimal(P, J0, d0);
    const coef = readable(P, X, J, d);
    const xd = times(P, J, Float64Array.from(coef, (u, a) => u * (P.scale.get(J[a]) as number)), new Float64Array(P.n));
    let M = 0;
    for (const t of xd) M = Math.max(M, Math.abs(t));
    let above = 0;
    let below = 0;
    const rest: number[] = [];
    for (let k = 0; k < P.n; k++) {
      const from = P.start === null ? k : P.start[k];
      const to = P.start === null ? k + 1 : P.start[k + 1];
      if (xd[k] > ROUND * M) above += to - from;
      else if (xd[k] < -ROUND * M) below += to - from;
      else for (let e = from; e < to; e++) rest.push(P.member[e]);
    }
    const order = J.map((j, a) => ({ j, c: coef[a] })).sort((u, w) => u.j - w.j);
    out.push({ columns: order.map((o) => o.j), coef: order.map((o) => o.c), above, below, boundary: rest.length, amongOthers: amongOthers || f > 0 });
    if (rest.length === left.length) break;
    left = rest;
  }
  return out;
}
