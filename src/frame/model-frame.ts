/**
 * The model frame (R's model.frame with na.omit and drop.unused.levels = TRUE): every variable the
 * formula uses, evaluated, restricted to the rows where none of them is missing, with factor levels that
 * no kept row uses dropped (level order kept). Grouping variables and variables listed in `factors` are
 * made factors (numeric values become levels sorted numerically).
 */
import { DataError } from '../errors.js';
import type { DataTable } from '../data/table.js';
import type { ModelFormula } from '../formula/types.js';
import { evaluateVariable, type VariableValues } from './evaluate.js';

export type FrameVariable = VariableValues;

/** The evaluated, complete-case data of one model. */
export interface ModelFrame {
  readonly formula: ModelFormula;
  /** Number of rows kept. */
  readonly n: number;
  /** Original (0-based) row index of each kept row. */
  readonly rows: Int32Array;
  /** Rows dropped because a variable of the model was missing there. */
  readonly nDropped: number;
  /** Values of every variable on the kept rows, by label. */
  readonly variables: ReadonlyMap<string, FrameVariable>;
  /** The response on the kept rows (null for a one-sided formula). */
  readonly response: Float64Array | null;
}

/** Options of the model frame. */
export interface FrameOptions {
  /** Numeric variables (by label, e.g. a column name) to treat as factors. */
  readonly factors?: readonly string[];
}

/** Factor of the kept rows from a numeric variable: levels are the distinct values in numeric order. */
function numericToFactor(values: Float64Array): FrameVariable {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, i) => [v, i]));
  return {
    kind: 'factor',
    codes: Int32Array.from(values, (v) => index.get(v)!),
    levels: distinct.map((v) => String(v)),
    ordered: false,
  };
}

/** Drops levels no row uses, keeping the order of the others. */
function dropUnusedLevels(v: Extract<FrameVariable, { kind: 'factor' }>): FrameVariable {
  const used = new Int32Array(v.levels.length).fill(-1);
  for (const c of v.codes) used[c] = 1;
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

function isMissingAt(v: VariableValues, i: number): boolean {
  return v.kind === 'numeric' ? Number.isNaN(v.values[i]) : v.codes[i] < 0;
}

/** Builds the model frame of `formula` on `data`. */
export function buildModelFrame(data: DataTable, formula: ModelFormula, options: FrameOptions = {}): ModelFrame {
  if (data.nrow === 0) throw new DataError('the data has no rows');
  const forced = new Set(options.factors ?? []);
  for (const name of forced) {
    if (!data.columns.has(name)) {
      throw new DataError(`the column "${name}" to treat as a factor is not in the data (columns: ${data.names.join(', ')})`, name);
    }
  }
  const grouping = new Set(formula.random.flatMap((t) => t.grouping));
  const full = new Map<string, VariableValues>();
  for (const [label, v] of formula.variables) full.set(label, evaluateVariable(data, v));

  if (formula.response) {
    const r = full.get(formula.response.label)!;
    if (r.kind !== 'numeric') {
      throw new DataError(
        `the response ${formula.response.label} is a factor (values like "${r.levels[0]}"); lm and lmer need a numeric response`,
        formula.response.columns[0],
      );
    }
  }
  for (const [label, v] of full) {
    if (v.kind !== 'numeric') continue;
    const bad = v.values.findIndex((x) => x === Infinity || x === -Infinity);
    if (bad >= 0) throw new DataError(`${label} is infinite on row ${bad + 1}; remove or fix that row`, label);
  }

  const keep: number[] = [];
  const all = [...full.values()];
  for (let i = 0; i < data.nrow; i++) if (!all.some((v) => isMissingAt(v, i))) keep.push(i);
  const rows = Int32Array.from(keep);
  if (rows.length === 0) {
    throw new DataError(
      `no rows are left after dropping rows with missing values in ${[...full.keys()].join(', ')} ` +
        `(all ${data.nrow} rows have one)`,
    );
  }
  const variables = new Map<string, FrameVariable>();
  for (const [label, v] of full) {
    let kept: FrameVariable =
      v.kind === 'numeric'
        ? { kind: 'numeric', values: Float64Array.from(rows, (r) => v.values[r]) }
        : { kind: 'factor', codes: Int32Array.from(rows, (r) => v.codes[r]), levels: v.levels, ordered: v.ordered };
    if (kept.kind === 'numeric' && (grouping.has(label) || forced.has(label))) kept = numericToFactor(kept.values);
    if (kept.kind === 'factor') kept = dropUnusedLevels(kept);
    variables.set(label, kept);
  }
  const response = formula.response ? (variables.get(formula.response.label) as { values: Float64Array }).values : null;
  return { formula, n: rows.length, rows, nDropped: data.nrow - rows.length, variables, response };
}
