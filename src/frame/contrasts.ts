/**
 * Contrast codings of factors (R's contr.treatment, contr.sum, contr.helmert, contr.poly and
 * user-supplied matrices). A coding is a k×m matrix (rows = levels) with a name per column; the model
 * matrix column of a coded factor `f` is named `f` + column name (`ConditionS`, `temperature.L`).
 */
import { ModelError, OptionError } from '../errors.js';

/** A contrast choice for one factor. */
export type ContrastSpec = 'treatment' | 'sum' | 'helmert' | 'poly' | { matrix: number[][]; names?: string[] };

/** A contrast matrix with column names. */
export interface Coding {
  /** k×m, row-major (row = level). */
  readonly matrix: Float64Array;
  readonly columns: number;
  readonly names: readonly string[];
}

const numbered = (m: number): string[] => Array.from({ length: m }, (_, i) => String(i + 1));

/** contr.treatment: dummy variables for levels 2..k (level 1 is the baseline). */
function treatment(levels: readonly string[]): Coding {
  const k = levels.length;
  const matrix = new Float64Array(k * (k - 1));
  for (let i = 1; i < k; i++) matrix[i * (k - 1) + (i - 1)] = 1;
  return { matrix, columns: k - 1, names: levels.slice(1) };
}

/** contr.sum: identity on levels 1..k−1, −1 on level k. */
function sum(levels: readonly string[]): Coding {
  const k = levels.length;
  const matrix = new Float64Array(k * (k - 1));
  for (let i = 0; i < k - 1; i++) matrix[i * (k - 1) + i] = 1;
  for (let j = 0; j < k - 1; j++) matrix[(k - 1) * (k - 1) + j] = -1;
  return { matrix, columns: k - 1, names: numbered(k - 1) };
}

/** contr.helmert: column j contrasts level j+1 with the mean of levels 1..j. */
function helmert(levels: readonly string[]): Coding {
  const k = levels.length;
  const matrix = new Float64Array(k * (k - 1));
  for (let j = 0; j < k - 1; j++) {
    for (let i = 0; i <= j; i++) matrix[i * (k - 1) + j] = -1;
    matrix[(j + 1) * (k - 1) + j] = j + 1;
  }
  return { matrix, columns: k - 1, names: numbered(k - 1) };
}

/**
 * contr.poly: orthonormal polynomials of degrees 1..k−1 on the scores 1..k, each with a positive leading
 * coefficient (R's sign convention). Built by the three-term recurrence of orthonormal polynomials on
 * the centred scores (Lanczos), each new vector re-orthogonalized against the lower degrees: accurate
 * to rounding for any number of levels (R's QR of the power basis loses digits beyond ~12 levels).
 */
function poly(levels: readonly string[]): Coding {
  const k = levels.length;
  const x = Float64Array.from({ length: k }, (_, i) => i + 1 - (k + 1) / 2);
  const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i], 0);
  const constant = new Float64Array(k).fill(1 / Math.sqrt(k));
  const basis: Float64Array[] = [constant];
  for (let d = 1; d < k; d++) {
    const v = basis[d - 1].map((t, i) => x[i] * t);
    // project out every lower degree (the recurrence needs only the last two; twice, for rounding)
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        const c = dot(v, b);
        for (let i = 0; i < k; i++) v[i] -= c * b[i];
      }
    }
    const norm = Math.sqrt(dot(v, v));
    basis.push(v.map((t) => t / norm));
  }
  const matrix = new Float64Array(k * (k - 1));
  basis.slice(1).forEach((col, j) => col.forEach((v, i) => (matrix[i * (k - 1) + j] = v)));
  const names = Array.from({ length: k - 1 }, (_, j) => (j < 3 ? ['.L', '.Q', '.C'][j] : `^${j + 1}`));
  return { matrix, columns: k - 1, names };
}

/** The coding of a factor under a contrast choice (`factor` names it in errors). */
export function coding(factor: string, levels: readonly string[], spec: ContrastSpec): Coding {
  if (levels.length < 2) {
    throw new ModelError(
      `contrasts can be applied only to factors with 2 or more levels: "${factor}" has ${levels.length} (${levels.join(', ')}) ` +
        'among the rows used',
    );
  }
  switch (spec) {
    case 'treatment':
      return treatment(levels);
    case 'sum':
      return sum(levels);
    case 'helmert':
      return helmert(levels);
    case 'poly':
      return poly(levels);
  }
  const rows = spec.matrix;
  if (!Array.isArray(rows) || rows.length !== levels.length) {
    throw new OptionError(
      `the contrast matrix for "${factor}" has ${Array.isArray(rows) ? rows.length : 0} rows; ` +
        `it needs one row per level (${levels.length}: ${levels.join(', ')})`,
    );
  }
  const m = rows[0]?.length ?? 0;
  if (m < 1 || m > levels.length - 1 || rows.some((r) => r.length !== m || r.some((x) => !Number.isFinite(x)))) {
    throw new OptionError(
      `the contrast matrix for "${factor}" must have between 1 and ${levels.length - 1} columns of finite numbers, the same in every row`,
    );
  }
  if (spec.names && spec.names.length !== m) {
    throw new OptionError(`the contrast matrix for "${factor}" has ${m} columns but ${spec.names.length} names`);
  }
  return { matrix: Float64Array.from(rows.flat()), columns: m, names: spec.names ?? numbered(m) };
}

/** The default coding R uses: contr.poly for ordered factors, contr.treatment otherwise. */
export function defaultContrast(ordered: boolean): ContrastSpec {
  return ordered ? 'poly' : 'treatment';
}
