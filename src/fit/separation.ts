/**
 * Separation in a GLMM's fixed effects: a direction d in β along which the log-likelihood rises without
 * bound, so the maximum likelihood estimate does not exist (Albert & Anderson 1984). For a binomial
 * response that is a d with (Xd)ᵢ ≥ 0 where yᵢ = 1 and (Xd)ᵢ ≤ 0 where yᵢ = 0 (rows with 0 < y < 1 need
 * (Xd)ᵢ = 0); for Poisson counts, (Xd)ᵢ ≤ 0 everywhere with equality where yᵢ > 0. The random effects
 * add finite, penalized terms to η and do not stop the drift. lme4 shows the symptom only (a huge |β|
 * and SE, or PIRLS failing); this module says which columns drift, in words:
 *
 * - one column: d = ±eⱼ (a factor level, or a predictor of one sign, whose rows all have the same outcome);
 * - one column against the intercept: d = (−c, ±1), a threshold c on a predictor splitting the outcomes;
 * - several columns at once (separating-direction.ts, exact): on the columns and rows the first two
 *   leave, a linear combination of columns splitting the outcomes.
 */
import type { ModelMatrix } from '../design/model-matrix.js';
import type { LinearPredictor } from '../formula/types.js';
import { formatG } from '../text/format-number.js';
import { separatingDirections, type SeparatingDirection, type SeparationData } from './separating-direction.js';

export type { SeparationData } from './separating-direction.js';

/** A column whose estimate drifts. */
export interface DriftingColumn {
  /** The model term the column belongs to (`cond`, `x`, `(Intercept)`). */
  readonly term: string;
  /** The column of X (`condc`). */
  readonly column: string;
  /** +1: the estimate runs off to +∞; −1: to −∞. */
  readonly direction: 1 | -1;
}

/** One separating direction found. */
export interface SeparationFinding {
  /** The columns that drift together (the intercept only when it alone separates). */
  readonly columns: readonly DriftingColumn[];
  /** What separates, in words. */
  readonly detail: string;
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

/** The rows of positive weight that no one-column finding moved, in order. */
function rowsLeft(weights: Float64Array, moved: Uint8Array): Int32Array {
  const rows = new Int32Array(moved.length);
  let n = 0;
  for (let i = 0; i < moved.length; i++) if (weights[i] > 0 && !moved[i]) rows[n++] = i;
  return rows.subarray(0, n);
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
 * A coefficient of a direction as stated in the message: the search rounds them to a few decimals where the
 * rounded direction still separates, and 8 significant digits print those exactly (so the inequalities
 * the message states are the ones verified).
 */
const coefText = (c: number): string => formatG(c + 0, 8); // + 0: no "-0"

/** `a*x1 + x2 - 0.5*x3`, the columns of a direction other than the intercept. */
function combination(names: readonly string[], coef: readonly number[]): string {
  let out = '';
  names.forEach((name, a) => {
    const c = coef[a];
    const size = Math.abs(c) === 1 ? name : `${coefText(Math.abs(c))}*${name}`;
    out += out === '' ? (c < 0 ? `-${size}` : size) : c < 0 ? ` - ${size}` : ` + ${size}`;
  });
  return out;
}

/** A finding for a direction that needs several columns: which drift, and the split in words. */
function directionFinding(
  X: ModelMatrix,
  dir: SeparatingDirection,
  termOf: (j: number) => string,
  responseLabel: string,
): SeparationFinding | null {
  const at = dir.columns.map((j, a) => ({ j, c: dir.coef[a] })).filter((e) => X.assign[e.j] !== 0 && e.c !== 0);
  if (at.length === 0) return null; // the intercept alone on the rows an earlier finding leaves: nothing to name
  const intercept = dir.columns.findIndex((j) => X.assign[j] === 0);
  // said with the first column's coefficient positive: L > t holds the rows the direction raises
  const s = at[0].c < 0 ? -1 : 1;
  const L = combination(at.map((e) => X.names[e.j]), at.map((e) => s * e.c));
  const t = coefText(intercept < 0 ? 0 : -s * dir.coef[intercept]);
  const [up, down] = s > 0 ? ['>', '<'] : ['<', '>'];
  const parts: string[] = [];
  if (dir.above > 0) parts.push(`${responseLabel} is 1 wherever ${L} ${up} ${t}`);
  if (dir.below > 0) parts.push(`${parts.length > 0 ? '' : `${responseLabel} is `}0 wherever ${L} ${down} ${t}`);
  if (dir.above === 0 || dir.below === 0) parts.push(`no row has ${L} ${dir.above === 0 ? up : down} ${t}`);
  const rows = dir.amongOthers ? 'among the rows not separated above, ' : '';
  const boundary = dir.boundary > 0 ? ` (the ${dir.boundary} row${dir.boundary === 1 ? '' : 's'} with ${L} = ${t} ${dir.boundary === 1 ? 'is' : 'are'} not separated)` : '';
  const detail = `${rows}${parts.join(dir.above > 0 && dir.below > 0 ? ' and ' : ', and ')}${boundary}`;
  return {
    columns: at.map((e) => ({ term: termOf(e.j), column: X.names[e.j], direction: e.c > 0 ? 1 : -1 })),
    detail,
  };
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
  // the rows each single-column finding moves, and its column, are left out of the search for several
  const moved = new Uint8Array(X.n);
  const used = new Set<number>();
  for (const j of kept) {
    const x = X.columns[j];
    const name = X.names[j];
    const isIntercept = X.assign[j] === 0;
    const column = (direction: 1 | -1): DriftingColumn[] => [{ term: termOf(j), column: name, direction }];
    for (const dir of [1, -1] as const) {
      if (!signSeparates(x, data, dir)) continue;
      const value = dir > 0 ? one : '0';
      const where = isIntercept ? 'on every row' : x.every((v) => v === 0 || v === 1) ? `wherever ${name} = 1` : `wherever ${name} ≠ 0`;
      // a column of both signs raises η where it is of the direction's sign and lowers it elsewhere
      const bothSigns = x.some((v) => v > 0) && x.some((v) => v < 0);
      const detail = bothSigns
        ? `${responseLabel} is 1 wherever ${name} ${dir > 0 ? '>' : '<'} 0 and 0 wherever ${name} ${dir > 0 ? '<' : '>'} 0`
        : `${responseLabel} is ${value} ${where}`;
      found.push({ columns: column(dir), detail });
      used.add(j);
      for (let i = 0; i < x.length; i++) if (x[i] !== 0) moved[i] = 1;
    }
    if (data.family !== 'binomial' || !fixed.intercept || isIntercept || used.has(j)) continue;
    if (!hasThreeValues(x)) continue; // a two-valued column against the intercept is the sign test on a recoding
    const t = thresholdSeparates(x, data);
    if (t) {
      const c = formatG(t.c, 4);
      const [below, above] = t.dir > 0 ? ['0', '1'] : ['1', '0'];
      found.push({ columns: column(t.dir), detail: `${responseLabel} is ${below} for ${name} < ${c} and ${above} for ${name} > ${c}` });
      used.add(j);
      moved.fill(1);
    }
  }
  const rows = rowsLeft(data.weights, moved);
  const columns = kept.filter((j) => !used.has(j));
  if (rows.length === 0 || columns.length === 0) return found;
  for (const dir of separatingDirections(X, columns, data, rows, found.length > 0)) {
    const f = directionFinding(X, dir, termOf, responseLabel);
    if (f) found.push(f);
  }
  return found;
}

/** The warning for a finding, lme4's symptom explained. */
export function separationWarning(f: SeparationFinding): string {
  const inf = (c: DriftingColumn): string => (c.direction > 0 ? '+Inf' : '-Inf');
  if (f.columns.length === 1) {
    const [c] = f.columns;
    const col = c.column === c.term ? '' : ` (column ${c.column})`;
    return (
      `complete separation in ${c.term}${col}: ${f.detail}, so its estimate drifts toward ${inf(c)} and its standard error ` +
      'and z test are not meaningful; remove or merge the term, or use a penalized fit'
    );
  }
  const terms = [...new Set(f.columns.map((c) => c.term))];
  const named = f.columns.some((c) => c.column !== c.term) ? ` (columns ${f.columns.map((c) => c.column).join(', ')})` : '';
  return (
    `complete separation in ${terms.join(' and ')}${terms.length > 1 ? ' together' : ''}${named}: ${f.detail}, so their estimates drift toward ` +
    `${f.columns.map(inf).join(', ')} and their standard errors and z tests are not meaningful; remove or merge terms, or use a penalized fit`
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
