/**
 * The covariance parameters θ (Bates et al. 2015, section 2.2): for each random-effects term a lower-
 * triangular p×p relative covariance factor T, listed column by column (lme4's order). Diagonal
 * elements are bounded below by 0, off-diagonal ones are free. Σ_term = σ² T T'.
 */
import { startVariances, type StartGroupingCodes } from '../wasm/start-variances.js';

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

/** One term's grouping, for the variance-ratio start: level code of each row and the number of levels. */
export type StartGrouping = StartGroupingCodes;

/**
 * lme4's starting θ (mkLmerDevfun): T = I for every term, except when every term is `(1 | g)` on a
 * grouping factor of its own. Then θ_i = √(v_i / v_e), where v_i = var(ave(y, g_i)) is the sample
 * variance of the rows' group means and v_e = var(y) − Σ v_i, used only when v_e > 0.
 */
export function thetaStart(blocks: readonly ThetaBlock[], y?: Float64Array, groupings?: readonly StartGrouping[]): Float64Array {
  const identity = thetaLower(blocks).map((l) => (l === 0 ? 1 : 0));
  const scalar = blocks.every((b) => b.columns.length === 1 && b.columns[0] === '(Intercept)');
  const distinct = new Set(blocks.map((b) => b.group)).size === blocks.length;
  if (!y || !groupings || !scalar || !distinct || y.length < 2) return identity;
  const { vy, v, sumV } = startVariances(y, groupings);
  const ve = vy - sumV;
  if (!(ve > 0)) return identity;
  return Float64Array.from(v, (vi) => Math.sqrt(vi / ve));
}
