/**
 * Separation in a GLMM's fixed effects: a direction d in β along which the log-likelihood rises without
 * bound, so the maximum likelihood estimate does not exist (Albert & Anderson 1984). For a binomial
 * response that is a d with (Xd)ᵢ ≥ 0 where yᵢ = 1 and (Xd)ᵢ ≤ 0 where yᵢ = 0 (rows with 0 < y < 1 need
 * (Xd)ᵢ = 0); for Poisson counts, (Xd)ᵢ ≤ 0 everywhere with equality where yᵢ > 0. The random effects
 * add finite, penalized terms to η and do not stop the drift. lme4 shows the symptom only (a huge |β|
 * and SE, or PIRLS failing); this module finds the common causes by name:
 *
 * - one column: d = ±eⱼ (a factor level, or a predictor of one sign, whose rows all have the same outcome);
 * - one column against the intercept: d = (−c, ±1), a threshold c on a predictor splitting the outcomes.
 *
 * Separation that needs several columns at once is not searched for (that is a linear program).
 */
import type { ModelMatrix } from '../design/model-matrix.js';
import type { LinearPredictor } from '../formula/types.js';
import { formatG } from '../text/format-number.js';

/** One separating direction found. */
export interface SeparationFinding {
  /** The model term the column belongs to (`cond`, `x`, `(Intercept)`). */
  readonly term: string;
  /** The column of X (`condc`). */
  readonly column: string;
  /** +1: the estimate runs off to +∞; −1: to −∞. */
  readonly direction: 1 | -1;
  /** What separates, in words. */
  readonly detail: string;
}

/** The response and weights the check reads (model-frame rows). */
export interface SeparationData {
  readonly family: 'binomial' | 'poisson';
  /** Proportion of successes (binomial) or count (Poisson). */
  readonly y: Float64Array;
  /** Prior weights × trials: rows with weight 0 carry no information and are skipped. */
  readonly weights: Float64Array;
}

/** 'one' where y = 1, 'zero' where y = 0, 'mid' for a proportion strictly between or a positive count. */
function outcome(family: 'binomial' | 'poisson', y: number): 'zero' | 'one' | 'mid' {
  if (y === 0) return 'zero';
  return family === 'binomial' && y === 1 ? 'one' : 'mid';
}

/** Whether moving βⱼ in direction `dir` never lowers any row's likelihood and raises some row's. */
function signSeparates(x: Float64Array, data: SeparationData, dir: 1 | -1): boolean {
  let moved = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(data.weights[i] > 0) || x[i] === 0) continue;
    const up = Math.sign(x[i]) * dir > 0; // η rises on this row
    const o = outcome(data.family, data.y[i]);
    if (data.family === 'poisson') {
      if (up || o !== 'zero') return false;
    } else if (o === 'mid' || (up ? o !== 'one' : o !== 'zero')) {
      return false;
    }
    moved++;
  }
  return moved > 0;
}

/** A threshold c with y = 0 on one side of it and y = 1 on the other (binomial only), or null. */
function thresholdSeparates(x: Float64Array, data: SeparationData): { c: number; dir: 1 | -1 } | null {
  let max0 = -Infinity;
  let min0 = Infinity;
  let max1 = -Infinity;
  let min1 = Infinity;
  for (let i = 0; i < x.length; i++) {
    if (!(data.weights[i] > 0)) continue;
    const o = outcome(data.family, data.y[i]);
    if (o === 'mid') return null;
    if (o === 'zero') {
      max0 = Math.max(max0, x[i]);
      min0 = Math.min(min0, x[i]);
    } else {
      max1 = Math.max(max1, x[i]);
      min1 = Math.min(min1, x[i]);
    }
  }
  if (max0 === -Infinity || max1 === -Infinity) return null;
  if (max0 <= min1) return { c: (max0 + min1) / 2, dir: 1 };
  if (max1 <= min0) return { c: (max1 + min0) / 2, dir: -1 };
  return null;
}

/** Whether `x` holds at least three distinct values (as a Set counts them; a scan that stops at the third). */
function hasThreeValues(x: Float64Array): boolean {
  const same = (u: number, v: number): boolean => u === v || (u !== u && v !== v); // SameValueZero
  let a = 0;
  let b = 0;
  let seen = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if ((seen > 0 && same(v, a)) || (seen > 1 && same(v, b))) continue;
    if (seen === 0) a = v;
    else if (seen === 1) b = v;
    else return true;
    seen++;
  }
  return false;
}

/**
 * Columns of X (the kept ones, in `kept`) along which the likelihood has no maximum.
 *
 * @param responseLabel the response as the user wrote it, for the messages.
 */
export function findSeparation(
  X: ModelMatrix,
  kept: readonly number[],
  fixed: LinearPredictor,
  data: SeparationData,
  responseLabel: string,
): SeparationFinding[] {
  const found: SeparationFinding[] = [];
  const termOf = (j: number): string => (X.assign[j] === 0 ? '(Intercept)' : fixed.terms[X.assign[j] - 1].label);
  const one = data.family === 'binomial' ? '1' : 'positive';
  for (const j of kept) {
    const x = X.columns[j];
    const name = X.names[j];
    const isIntercept = X.assign[j] === 0;
    for (const dir of [1, -1] as const) {
      if (!signSeparates(x, data, dir)) continue;
      const value = dir > 0 ? one : '0';
      const where = isIntercept ? 'on every row' : x.every((v) => v === 0 || v === 1) ? `wherever ${name} = 1` : `wherever ${name} ≠ 0`;
      found.push({ term: termOf(j), column: name, direction: dir, detail: `${responseLabel} is ${value} ${where}` });
    }
    if (data.family !== 'binomial' || !fixed.intercept || isIntercept || found.some((f) => f.column === name)) continue;
    if (!hasThreeValues(x)) continue; // a two-valued column against the intercept is the sign test on a recoding
    const t = thresholdSeparates(x, data);
    if (t) {
      const c = formatG(t.c, 4);
      const [below, above] = t.dir > 0 ? ['0', '1'] : ['1', '0'];
      found.push({ term: termOf(j), column: name, direction: t.dir, detail: `${responseLabel} is ${below} for ${name} < ${c} and ${above} for ${name} > ${c}` });
    }
  }
  return found;
}

/** The warning for a finding, lme4's symptom explained. */
export function separationWarning(f: SeparationFinding): string {
  const inf = f.direction > 0 ? '+Inf' : '-Inf';
  const col = f.column === f.term ? '' : ` (column ${f.column})`;
  return (
    `complete separation in ${f.term}${col}: ${f.detail}, so its estimate drifts toward ${inf} and its standard error ` +
    'and z test are not meaningful; remove or merge the term, or use a penalized fit'
  );
}

/**
 * A grouping factor within each of whose levels a binomial response never varies (all 0 or all 1, both
 * kinds present): its random effect separates the outcomes as a fixed factor would, and its variance has
 * no finite maximum. Returns the warning, or null when some level has both outcomes. (Levels of all-zero
 * counts, or all 0 / all 1 among mixed levels, are ordinary: the penalty keeps their modes finite.)
 */
export function constantGroupsWarning(group: string, codes: Int32Array, nlev: number, data: SeparationData, responseLabel: string): string | null {
  if (data.family !== 'binomial') return null;
  // per level: 1 bit "saw a 0", 2 bit "saw a 1", 4 bit "saw anything else"
  const seen = new Uint8Array(nlev);
  for (let i = 0; i < codes.length; i++) {
    if (!(data.weights[i] > 0) || codes[i] < 0) continue;
    const o = outcome(data.family, data.y[i]);
    seen[codes[i]] |= o === 'zero' ? 1 : o === 'one' ? 2 : 4;
  }
  let zeros = 0;
  let ones = 0;
  for (let g = 0; g < nlev; g++) {
    if (seen[g] === 1) zeros++;
    else if (seen[g] === 2) ones++;
    else if (seen[g] !== 0) return null;
  }
  if (zeros === 0 || ones === 0) return null; // no contrast: the intercept's case
  return (
    `complete separation by ${group}: ${responseLabel} is constant within every level of ${group} ` +
    `(${zeros} levels all 0, ${ones} all 1), so the variance of its random effect has no finite estimate`
  );
}
