/**
 * The shared front half of every fit: formula text + data → model frame → fixed-effects matrix X with
 * its rank check. `lm` keeps aliased columns as NA coefficients; `lmer` drops them.
 */
import { DataError, OptionError, ResourceError } from '../errors.js';
import { escapeForMessage } from '../base/escape.js';
import { toDataTable, type DataInput } from '../data/from-input.js';
import type { ColumnSpec, DataTable } from '../data/table.js';
import { expandFormula } from '../formula/expand.js';
import type { ModelFormula } from '../formula/types.js';
import { buildModelFrame, type ModelFrame } from '../frame/model-frame.js';
import type { ContrastSpec } from '../frame/contrasts.js';
import { modelMatrix, type ModelMatrix } from './model-matrix.js';
import { checkRank, type RankCheck } from './rank.js';

/** Options about the data that every model function takes. */
export interface DataOptions {
  /** Level order per factor column, e.g. `{ Condition: ['W', 'S'] }`. */
  levels?: Record<string, readonly string[]>;
  /** Numeric columns to use as factors. */
  factors?: readonly string[];
  /** Contrast coding per factor: 'treatment' | 'sum' | 'helmert' | 'poly' | { matrix, names }. */
  contrasts?: Record<string, ContrastSpec>;
  /** Name of the data set, printed after "Data:" (default "data"). */
  dataName?: string;
}

/** Everything derived from formula and data before fitting. */
export interface PreparedModel {
  /** The data the model was built from (refits with other formulas use it). */
  readonly data: DataTable;
  readonly formula: ModelFormula;
  readonly frame: ModelFrame;
  /** The full fixed-effects model matrix. */
  readonly X: ModelMatrix;
  readonly rank: RankCheck;
  readonly contrasts: Record<string, ContrastSpec>;
  readonly dataName: string;
  /** Prior weights on the model frame's rows (lm, lmer), carried to refits; absent or null: unweighted. */
  readonly weights?: Float64Array | null;
  /** The weights as R's printed call names them (`weights = w`). */
  readonly weightsName?: string | null;
}

/**
 * Range of max |y| the fits handle: its square (and sums of squares over millions of rows) must stay
 * a finite, normal double. Beyond 1e152 deviances overflow; below 1e-152 squares turn subnormal and
 * lose digits (at 1e-160 θ̂ came out 1 % off while claiming convergence). 1e±150 fits as at unit scale.
 */
export const RESPONSE_SCALE_LIMITS = { min: 1e-152, max: 1e152 } as const;

/** Refuses a response outside what double precision can fit, saying by how much to rescale. */
function checkResponseScale(y: Float64Array, label: string): void {
  let max = 0;
  for (let i = 0; i < y.length; i++) {
    const a = Math.abs(y[i]);
    if (a > max) max = a;
  }
  const shown = escapeForMessage(label, 80);
  if (max > RESPONSE_SCALE_LIMITS.max) {
    throw new DataError(
      `the response ${shown} has values as large as ${max.toExponential(2)}: their squares are outside what double precision ` +
        `can hold; rescale it (e.g. divide by 1e${Math.floor(Math.log10(max))}) and scale the estimates back`,
      label,
    );
  }
  if (max > 0 && max < RESPONSE_SCALE_LIMITS.min) {
    throw new DataError(
      `the response ${shown} has no value larger than ${max.toExponential(2)} in size: its squares are below what double ` +
        `precision holds with full accuracy; rescale it (e.g. multiply by 1e${-Math.floor(Math.log10(max))}) and scale the estimates back`,
      label,
    );
  }
}

/** Memory a wasm32 engine can address: X must fit in it once (the engine copies it in). */
const WASM32_BYTES = 2 ** 32;

/**
 * Refuses, before building X, a fixed-effects matrix that cannot fit in the engine's memory: the
 * columns are bounded by the product of the factors' levels per term (contrasts drop a few), so the
 * estimate is known from the frame without allocating.
 */
function checkDesignSize(frame: ModelFrame, formula: ModelFormula): void {
  let columns = formula.fixed.intercept ? 1 : 0;
  for (const term of formula.fixed.terms) {
    let k = 1;
    for (const label of term.variables) {
      const v = frame.variables.get(label);
      if (v?.kind === 'factor') k *= Math.max(1, v.levels.length);
    }
    columns += k;
  }
  const bytes = 8 * frame.n * columns;
  if (bytes > WASM32_BYTES) {
    throw new ResourceError(
      `the fixed-effects matrix would have up to ${columns} columns × ${frame.n} rows, about ${bytes} bytes ` +
        `(${(bytes / 2 ** 30).toFixed(1)} GiB); a wasm32 engine addresses at most ${WASM32_BYTES} bytes: ` +
        'use fewer or coarser factors in the fixed effects, or fewer rows',
      bytes,
    );
  }
}

/** Parses, builds the frame and X, and checks X's rank. */
export function prepareModel(formulaText: string, data: DataInput, options: DataOptions = {}): PreparedModel {
  const formula = expandFormula(formulaText);
  const spec: ColumnSpec = { levels: options.levels };
  const table = toDataTable(data, spec);
  const frame = buildModelFrame(table, formula, { factors: options.factors });
  if (frame.response && formula.response) checkResponseScale(frame.response, formula.response.label);
  checkDesignSize(frame, formula);
  const contrasts = { ...(options.contrasts ?? {}) };
  for (const name of Object.keys(contrasts)) {
    // by label, or by column name for backticked names (`a b`)
    const label = frame.variables.has(name)
      ? name
      : [...formula.variables.values()].find((x) => x.expr.kind === 'name' && x.expr.name === name)?.label;
    const v = label === undefined ? undefined : frame.variables.get(label);
    if (!v) throw new OptionError(`contrasts are given for "${name}", which is not a variable of the formula`);
    if (v.kind !== 'factor') throw new OptionError(`contrasts are given for "${name}", which is numeric; contrasts apply to factors`);
  }
  const X = modelMatrix(frame, formula.fixed, contrasts);
  const rank = checkRank(X);
  return { data: table, formula, frame, X, rank, contrasts, dataName: options.dataName ?? 'data' };
}
