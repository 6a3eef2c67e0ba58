/**
 * The covariance parameters θ (Bates et al. 2015, section 2.2): for each random-effects term a lower-
 * triangular p×p relative covariance factor T, listed column by column (lme4's order). Diagonal
 * elements are bounded below by 0, off-diagonal ones are free. Σ_term = σ² T T'.
 */

/** The θ layout of one random-effects term. */
export interface ThetaBlock {
  /** Grouping factor name as lme4 prints it (e.g. `Subject`, `cask:batch`). */
  readonly group: string;
  /** The term's column names (e.g. `(Intercept)`, `Days`). */
  readonly columns: readonly string[];
}

/** θ length of a term with p columns. */
export function thetaLength(p: number): number {
  return (p * (p + 1)) / 2;
}

/** lme4's names of θ: `Subject.(Intercept)`, `Subject.Days.(Intercept)`, `Subject.Days`. */
export function thetaNames(blocks: readonly ThetaBlock[]): string[] {
  const names: string[] = [];
  for (const { group, columns } of blocks) {
    for (let c = 0; c < columns.length; c++) {
      for (let r = c; r < columns.length; r++) {
        names.push(r === c ? `${group}.${columns[r]}` : `${group}.${columns[r]}.${columns[c]}`);
      }
    }
  }
  return names;
}

/** Lower bounds of θ: 0 on diagonal elements, −∞ elsewhere. */
export function thetaLower(blocks: readonly ThetaBlock[]): Float64Array {
  const lower: number[] = [];
  for (const { columns } of blocks) {
    for (let c = 0; c < columns.length; c++) {
      for (let r = c; r < columns.length; r++) lower.push(r === c ? 0 : -Infinity);
    }
  }
  return Float64Array.from(lower);
}

/** lme4's starting θ: T = I for every term. */
export function thetaStart(blocks: readonly ThetaBlock[]): Float64Array {
  const lower = thetaLower(blocks);
  return lower.map((l) => (l === 0 ? 1 : 0));
}

/** T of each term from θ (row-major p×p lower triangles). */
export function thetaToFactors(blocks: readonly ThetaBlock[], theta: ArrayLike<number>): Float64Array[] {
  let at = 0;
  return blocks.map(({ columns }) => {
    const p = columns.length;
    const T = new Float64Array(p * p);
    for (let c = 0; c < p; c++) for (let r = c; r < p; r++) T[r * p + c] = theta[at++];
    return T;
  });
}
