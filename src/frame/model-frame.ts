/**
 * The model frame (R's model.frame with na.omit and drop.unused.levels = TRUE): every variable the
 * formula uses, evaluated, restricted to the rows where none of them is missing, with factor levels that
 * no kept row uses dropped (level order kept). Variables listed in `factors` are made factors. Grouping
 * variables get a factor version (lme4's `factor(g)`) in `grouping`; in `variables` a numeric grouping
 * variable is a factor too, unless a term also uses it as a number (`y ~ Days + (1 | Days)`), where it
 * stays numeric there, as in lme4.
 */
import { DataError } from '../errors.js';
import type { DataTable } from '../data/table.js';
import type { ModelFormula, Variable } from '../formula/types.js';
import { evaluateVariable, type VariableValues } from './evaluate.js';

/** Values of a model-frame variable on the kept rows. */
export type FrameVariable = VariableValues;

/** A factor variable of the frame. */
export type FrameFactor = Extract<FrameVariable, { kind: 'factor' }>;

/** The evaluated, complete-case data of one model. */
export interface ModelFrame {
  readonly formula: ModelFormula;
  /** Number of rows kept. */
  readonly n: number;
  /** Original (0-based) row index of each kept row. */
  readonly rows: Int32Array;
  /** Rows dropped because a variable of the model was missing there. */
  readonly nDropped: number;
  /** Values of every variable on the kept rows, by label (formula order, response first). */
  readonly variables: ReadonlyMap<string, FrameVariable>;
  /**
   * The grouping variables of the random-effects terms as factors (by label): a factor variable as in
   * `variables`, a numeric one with its distinct values as levels in numeric order.
   */
  readonly grouping: ReadonlyMap<string, FrameFactor>;
  /** The response on the kept rows (null for a one-sided formula). */
  readonly response: Float64Array | null;
}

/** Options of the model frame. */
export interface FrameOptions {
  /** Numeric columns (by column name or variable label) to treat as factors. */
  readonly factors?: readonly string[];
}

/**
 * The level label of a number in a factor made from a numeric variable: JavaScript's `String(x)`
 * (the same as R's for whole numbers such as ids; R writes `1e+05` and 15 significant digits).
 */
export function numericLevelLabel(x: number): string {
  return String(x);
}

/**
 * Each value's rank among the distinct values (numeric order) and those distinct values. Grouping columns and
 * interaction codes are mostly integers, which index a table of their range directly; other values are found
 * by binary search in a sorted copy. (A Set and a Map keyed by doubles cost several times more per row on a
 * large column.) 0 and −0 are one value, as in a Set.
 */
export function distinctCodes(values: Float64Array): { codes: Int32Array; distinct: Float64Array } {
  const whole = integerCodes(values);
  if (whole) return whole;
  const n = values.length;
  const codes = new Int32Array(n);
  const sorted = Float64Array.from(values).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (m === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i];
  for (let r = 0; r < n; r++) {
    const v = values[r];
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    codes[r] = lo;
  }
  return { codes, distinct: sorted.slice(0, m) };
}

/**
 * distinctCodes for whole numbers within a range of about 4n (ids, counts, scores): each value's slot in a
 * table of the range holds its rank; null for other values.
 */
export function integerCodes(values: Float64Array): { codes: Int32Array; distinct: Float64Array } | null {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let r = 0; r < n; r++) {
    const v = values[r];
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  if (n === 0 || !integers || max - min > 4 * n + 1024) return null;
  // slot v − min holds v's rank (−1 while unused)
  const slot = new Int32Array(max - min + 1).fill(-1);
  for (let r = 0; r < n; r++) slot[values[r] - min] = 0;
  let m = 0;
  for (let k = 0; k < slot.length; k++) if (slot[k] === 0) slot[k] = m++;
  const distinct = new Float64Array(m);
  for (let k = 0; k < slot.length; k++) if (slot[k] >= 0) distinct[slot[k]] = k + min;
  const codes = new Int32Array(n);
  for (let r = 0; r < n; r++) codes[r] = slot[values[r] - min];
  return { codes, distinct };
}

/** A factor from numeric values: levels are the distinct values in numeric order. */
export function numericToFactor(values: Float64Array): FrameFactor {
  const { codes, distinct } = distinctCodes(values);
  return { kind: 'factor', codes, levels: Array.from(distinct, numericLevelLabel), ordered: false };
}

/** Drops levels no row uses, keeping the order of the others. */
export function dropUnusedLevels(v: FrameFactor): FrameFactor {
  const used = new Int32Array(v.levels.length).fill(-1);
  for (let r = 0; r < v.codes.length; r++) used[v.codes[r]] = 1;
  let next = 0;
  const levels: string[] = [];
  for (let l = 0; l < v.levels.length; l++) {
    if (used[l] === 1) {
      used[l] = next++;
      levels.push(v.levels[l]);
    }
  }
  if (levels.length === v.levels.length) return v;
  return { kind: 'factor', codes: v.codes.map((c) => used[c]), levels, ordered: v.ordered };
}

/** `out[k] = values[rows[k]]`. */
export function pick<T extends Float64Array | Int32Array>(values: T, rows: Int32Array, out: T): T {
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  return out;
}

/** Whether `name` (a column name or a label) designates the variable `v`. */
function designates(name: string, v: Variable): boolean {
  return name === v.label || (v.expr.kind === 'name' && v.expr.name === name);
}

/** Builds the model frame of `formula` on `data`. */
export function buildModelFrame(data: DataTable, formula: ModelFormula, options: FrameOptions = {}): ModelFrame {
  if (data.nrow === 0) throw new DataError('the data has no rows; a model needs at least one row of data');
  const forced = options.factors ?? [];
  for (const name of forced) {
    if (!data.columns.has(name) && !formula.variables.has(name)) {
      throw new DataError(
        `the column "${name}" to treat as a factor is not in the data (columns: ${data.names.join(', ')})`,
        name,
      );
    }
  }
  const isForced = (v: Variable): boolean => forced.some((name) => designates(name, v));
  const groupingLabels = new Set(formula.random.flatMap((t) => t.grouping));
  const termLabels = new Set(
    [formula.fixed, ...formula.random.map((t) => t.effects)].flatMap((p) => p.terms.flatMap((t) => t.variables)),
  );

  const full = new Map<string, VariableValues>();
  for (const [label, v] of formula.variables) full.set(label, evaluateVariable(data, v));

  if (formula.response) {
    const label = formula.response.label;
    const r = full.get(label)!;
    const column = formula.response.columns[0];
    if (r.kind !== 'numeric') {
      throw new DataError(
        `the response ${label} is a factor (values like "${r.levels[0]}"); lm and lmer need a numeric response`,
        column,
      );
    }
    if (isForced(formula.response)) {
      throw new DataError(`the response ${label} cannot be treated as a factor; lm and lmer need a numeric response`, column);
    }
  }
  // one pass per column: infinite values are an error, NaN and negative codes mark a row missing
  const missing = new Uint8Array(data.nrow);
  let nMissing = 0;
  // factors whose every level occurs (seen in the same pass): with no row dropped they keep all their levels
  const allLevelsUsed = new Set<string>();
  for (const [label, v] of full) {
    if (v.kind === 'numeric') {
      const x = v.values;
      for (let i = 0; i < x.length; i++) {
        const xi = x[i];
        if (xi - xi === 0) continue;
        if (xi === Infinity || xi === -Infinity) {
          throw new DataError(`${label} is infinite on row ${i + 1}; remove or fix that row`, formula.variables.get(label)!.columns[0]);
        }
        nMissing += 1 - missing[i];
        missing[i] = 1;
      }
    } else {
      const codes = v.codes;
      const used = new Uint8Array(v.levels.length);
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i];
        if (c >= 0) {
          used[c] = 1;
          continue;
        }
        nMissing += 1 - missing[i];
        missing[i] = 1;
      }
      if (used.indexOf(0) < 0) allLevelsUsed.add(label);
    }
  }
  const rows = new Int32Array(data.nrow - nMissing);
  if (nMissing === 0) for (let i = 0; i < rows.length; i++) rows[i] = i;
  else for (let i = 0, k = 0; i < data.nrow; i++) if (missing[i] === 0) rows[k++] = i;
  if (rows.length === 0) {
    throw new DataError(
      `no rows are left after dropping rows with missing values in ${[...full.keys()].join(', ')} ` +
        `(all ${data.nrow} rows have one); fill in or drop the missing values of some of these variables`,
    );
  }

  const variables = new Map<string, FrameVariable>();
  const grouping = new Map<string, FrameFactor>();
  for (const [label, v] of full) {
    // with every row kept, the table's arrays themselves (nothing writes into a frame's or a table's arrays)
    let kept: FrameVariable =
      nMissing === 0
        ? v
        : v.kind === 'numeric'
          ? { kind: 'numeric', values: pick(v.values, rows, new Float64Array(rows.length)) }
          : { kind: 'factor', codes: pick(v.codes, rows, new Int32Array(rows.length)), levels: v.levels, ordered: v.ordered };
    const groupingOnly = groupingLabels.has(label) && !termLabels.has(label) && label !== formula.response?.label;
    // a factor made from the kept rows' values has no unused level
    if (kept.kind === 'numeric' && (groupingOnly || isForced(formula.variables.get(label)!))) kept = numericToFactor(kept.values);
    else if (kept.kind === 'factor' && !(nMissing === 0 && allLevelsUsed.has(label))) kept = dropUnusedLevels(kept);
    variables.set(label, kept);
    if (groupingLabels.has(label)) grouping.set(label, kept.kind === 'factor' ? kept : numericToFactor(kept.values));
  }
  const response = formula.response ? (variables.get(formula.response.label) as { values: Float64Array }).values : null;
  return { formula, n: rows.length, rows, nDropped: data.nrow - rows.length, variables, grouping, response };
}
