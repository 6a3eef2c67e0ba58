/**
 * Type III hypotheses for the F tests of anova(m), built the way lmerTest does (its
 * get_contrasts_type3): express a full-rank treatment-coded X in the "complete" coding rdX (every term
 * coded with all its levels), orthogonalize each term's columns against the terms that contain it, then
 * map the hypotheses back to the model's own coding.
 */
import type { LinearPredictor, Term } from '../formula/types.js';
import type { ModelFrame } from '../frame/model-frame.js';
import type { ContrastSpec } from '../frame/contrasts.js';
import { modelMatrix, type ModelMatrix } from '../design/model-matrix.js';
import { checkRank } from '../design/rank.js';
import { leastSquares } from '../wasm/qr.js';
import { zapsmall } from '../text/format-number.js';

/** A p×q matrix as rows. */
type Rows = number[][];

/** (X'X)⁻¹X'Y for full-rank X (n×p) and Y (n×m), both as column arrays: the p×m coefficient matrix. */
function regress(X: Float64Array[], Y: Float64Array[]): Rows {
  const n = X[0]?.length ?? 0;
  const p = X.length;
  const XtX = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (__, b) => dotCols(X[a], X[b], n)));
  const rhs = Y.map((y) => X.map((x) => dotCols(x, y, n))); // m × p
  return solveColumns(cholesky(XtX), rhs, p);
}

function dotCols(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

function cholesky(A: Rows): Rows {
  const p = A.length;
  const L = A.map(() => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(s) : s / L[j][j];
    }
  }
  return L;
}

/** Solves (LL')B = C for each right-hand side c (given as columns); returns B as p rows × m columns. */
function solveColumns(L: Rows, rhs: number[][], p: number): Rows {
  const B: Rows = Array.from({ length: p }, () => new Array<number>(rhs.length).fill(0));
  rhs.forEach((c, col) => {
    const z = new Array<number>(p).fill(0);
    for (let i = 0; i < p; i++) {
      let s = c[i];
      for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
      z[i] = s / L[i][i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < p; k++) s -= L[k][i] * B[k][col];
      B[i][col] = s / L[i][i];
    }
  });
  return B;
}

/** R's zapsmall of a whole matrix. */
function zapMatrix(M: Rows): Rows {
  const flat = zapsmall(M.flat());
  const cols = M[0]?.length ?? 0;
  return M.map((_, i) => flat.slice(i * cols, (i + 1) * cols));
}

/** Terms that contain `term` (a strict superset of its variables with the same numeric variables). */
function containing(term: Term, terms: readonly Term[], isNumeric: (v: string) => boolean): Term[] {
  const numerics = (t: Term): string[] => t.variables.filter(isNumeric).sort();
  return terms.filter(
    (other) =>
      other !== term &&
      term.variables.every((v) => other.variables.includes(v)) &&
      other.variables.length > term.variables.length &&
      numerics(term).join('\u0000') === numerics(other).join('\u0000'),
  );
}

/**
 * Type III hypothesis matrices, one per fixed-effects term (rows over the model's kept coefficients).
 * `keptColumns` are the indices of the model's (non-aliased) columns in its full model matrix.
 */
export function type3Hypotheses(
  frame: ModelFrame,
  predictor: LinearPredictor,
  contrasts: Readonly<Record<string, ContrastSpec>>,
  keptColumns: readonly number[],
): { term: string; L: Rows }[] {
  const terms = predictor.terms;
  const Xorig = modelMatrix(frame, predictor, contrasts);
  const orig = keptColumns.map((j) => Xorig.columns[j]);
  const p = orig.length;
  if (terms.length === 0) return [];
  if (p <= 1 || terms.length <= 1) {
    // a single term: its own coefficients (the type I hypothesis, the same row space)
    return terms.map((t, k) => ({
      term: t.label,
      L: keptColumns.map((j, c) => [j, c] as const).filter(([j]) => Xorig.assign[j] === k + 1).map(([, c]) => unit(p, c)),
    }));
  }
  // treatment-coded, full-rank X
  const treatment: Record<string, ContrastSpec> = {};
  for (const [label, v] of frame.variables) if (v.kind === 'factor') treatment[label] = 'treatment';
  const Xt0 = modelMatrix(frame, predictor, treatment);
  const keepT = checkRank(Xt0).kept;
  const Xt: ModelMatrix = { n: Xt0.n, names: keepT.map((j) => Xt0.names[j]), columns: keepT.map((j) => Xt0.columns[j]), assign: keepT.map((j) => Xt0.assign[j]) };
  // complete coding rdX: the intercept, then each term coded with all its levels
  const rd: { names: string[]; columns: Float64Array[] } = { names: [], columns: [] };
  if (predictor.intercept) {
    rd.names.push('(Intercept)');
    rd.columns.push(new Float64Array(frame.n).fill(1));
  }
  for (const t of terms) {
    const m = modelMatrix(frame, { intercept: false, terms: [t] }, treatment);
    rd.names.push(...m.names);
    rd.columns.push(...m.columns);
  }
  // L = t(ginv(Xt) rdX): rows = rdX columns, columns = Xt columns
  const coef = regress(Xt.columns, rd.columns); // pt × m
  let L: Rows = zapMatrix(rd.columns.map((_, r) => Xt.columns.map((__, c) => coef[c][r])));
  const colsOf = (t: Term): number[] => Xt.assign.map((a, j) => (a === terms.indexOf(t) + 1 ? j : -1)).filter((j) => j >= 0);
  const isNumeric = (v: string): boolean => frame.variables.get(v)?.kind === 'numeric';
  const order = [...terms].sort((a, b) => b.variables.length - a.variables.length || terms.indexOf(a) - terms.indexOf(b));
  const m = L.length;
  for (const t of order) {
    const cont = containing(t, terms, isNumeric);
    if (cont.length === 0) continue;
    const xCols = cont.flatMap(colsOf);
    const yCols = colsOf(t);
    const Xm = Float64Array.from({ length: m * xCols.length }, (_, k) => L[k % m][xCols[Math.floor(k / m)]]);
    for (const yc of yCols) {
      const y = Float64Array.from(L, (row) => row[yc]);
      const r = leastSquares(Xm, m, xCols.length, y).residuals;
      r.forEach((v, i) => (L[i][yc] = v));
    }
    L = zapMatrix(L);
  }
  // keep the rows of rdX columns that are columns of Xt (treatment coding names both)
  const rowIndex = Xt.names.map((nm) => rd.names.indexOf(nm));
  const Lsq = rowIndex.map((r) => L[r]);
  // β_treat = map β_orig with map = ginv(Xt) X_orig
  const map = zapMatrix(regress(Xt.columns, orig)); // pt × p
  return terms.map((t) => {
    const rows = colsOf(t).map((c) => Lsq.map((row) => row[c])); // hypotheses over β_treat
    const mapped = rows.map((h) => Array.from({ length: p }, (_, j) => h.reduce((s, hv, k) => s + hv * map[k][j], 0)));
    return { term: t.label, L: mapped.filter((r) => r.reduce((s, v) => s + Math.abs(v), 0) > 1e-8) };
  });
}

function unit(p: number, i: number): number[] {
  const u = new Array<number>(p).fill(0);
  u[i] = 1;
  return u;
}

