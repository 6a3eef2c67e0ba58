/**
 * A GLMM's response, prior weights and offset (R's glFormula + family$initialize): the response may be
 * 0/1 numbers, a two-level factor or logical (first level = failure, as R), `cbind(successes, failures)`,
 * or a proportion with `weights` = trials (binomial), or counts (Poisson). `offset(...)` terms leave the
 * fixed-effects formula and add to the linear predictor, as does an `offset` option. Rows where the
 * response, a weight or an offset is missing are dropped with the rest of the model frame.
 */
import { DataError, FormulaError } from '../errors.js';
import type { Column, DataTable } from '../data/table.js';
import { deparse } from '../formula/deparse.js';
import { parseFormula } from '../formula/parse.js';
import { expandFormula } from '../formula/expand.js';
import { checkFunctionVariable, columnsOf } from '../formula/variables.js';
import type { Expr, ModelFormula } from '../formula/types.js';
import { evaluateVariable } from './evaluate.js';
import { perRowValues, priorWeights } from './prior-weights.js';

/** Name of the synthetic response column the model frame sees (its NaNs carry every missing part). */
export const GLM_RESPONSE_COLUMN = '.glmer_response';

/** The response of a GLMM on all rows of the data, before the model frame drops incomplete rows. */
export interface GlmResponse {
  /** The response as the user wrote it (`y`, `cbind(s, f)`), for messages. */
  readonly label: string;
  /** The model formula with the response renamed and the offset() terms removed. */
  readonly formula: ModelFormula;
  /** The formula as R prints it (the user's response and offsets kept). */
  readonly printed: string;
  /** The data with the response column added. */
  readonly data: DataTable;
  /** y: proportion of successes (binomial) or count (Poisson), all rows. */
  readonly y: Float64Array;
  /** Prior weights × trials (R's `weights` after binomial's initialize), all rows. */
  readonly weights: Float64Array;
  /** Trials per row for the binomial aic (R's `n`; 1 for Poisson and Bernoulli), all rows. */
  readonly trials: Float64Array;
  /** Sum of the offsets, all rows. */
  readonly offset: Float64Array;
  /** The arguments of the formula's offset(...) terms (evaluated again on new data by predict). */
  readonly offsetTerms: readonly Expr[];
}

/** The sum of the formula's offset(...) terms on a data table (zeros when there are none). */
export function evaluateOffsets(terms: readonly Expr[], data: DataTable, what: string): Float64Array {
  const out = new Float64Array(data.nrow);
  for (const e of terms) {
    const v = numericValues(data, e, what);
    for (let i = 0; i < data.nrow; i++) out[i] += v[i];
  }
  return out;
}

/** Options about the response that glmer takes. */
export interface GlmResponseOptions {
  readonly family: 'binomial' | 'poisson';
  /** Prior weights (one per data row): for a binomial proportion, the number of trials. */
  readonly weights?: ArrayLike<number> | string;
  /** An offset added to the linear predictor (one per data row), or a column name. */
  readonly offset?: ArrayLike<number> | string;
}

function numericValues(data: DataTable, e: Expr, what: string): Float64Array {
  const call: Extract<Expr, { kind: 'call' }> = { kind: 'call', fn: 'I', args: [e], pos: e.pos };
  checkFunctionVariable(call, what);
  const v = evaluateVariable(data, { label: deparse(e), expr: e, columns: columnsOf(e) });
  if (v.kind !== 'numeric') throw new DataError(`${deparse(e)} in ${what} must be numeric, not a factor`, deparse(e));
  return v.values;
}

/** Removes offset(...) terms from a sum, collecting their arguments. */
function stripOffsets(e: Expr, found: Expr[]): Expr | null {
  if (e.kind === 'call' && e.fn === 'offset') {
    if (e.args.length !== 1) throw new FormulaError(`offset() takes one argument, not ${e.args.length}`);
    found.push(e.args[0]);
    return null;
  }
  if (e.kind === 'binary' && e.op === '+') {
    const l = stripOffsets(e.left, found);
    const r = stripOffsets(e.right, found);
    if (l === null) return r;
    if (r === null) return l;
    return { ...e, left: l, right: r };
  }
  return e;
}

/** Evaluates the response, weights and offsets of a GLMM formula on the data. */
export function glmResponse(text: string, data: DataTable, options: GlmResponseOptions): GlmResponse {
  const tree = parseFormula(text);
  if (tree.kind !== 'formula' || tree.lhs === null) {
    throw new FormulaError(`glmer needs a response: write the formula as y ~ … (got "${text}")`);
  }
  const printed = deparse(tree);
  const nrow = data.nrow;
  const lhs = tree.lhs;
  const y = new Float64Array(nrow);
  const trials = new Float64Array(nrow).fill(1);
  const weights = options.weights === undefined ? new Float64Array(nrow).fill(1) : priorWeights(data, options.weights, { allowMissing: true });
  const label = deparse(lhs);
  if (lhs.kind === 'call' && lhs.fn === 'cbind') {
    if (options.family !== 'binomial') throw new DataError(`a cbind(...) response (${label}) needs the binomial family`);
    if (lhs.args.length !== 2) throw new FormulaError(`${label}: cbind() takes successes and failures (two columns)`);
    const s = numericValues(data, lhs.args[0], text);
    const f = numericValues(data, lhs.args[1], text);
    for (let i = 0; i < nrow; i++) {
      if (s[i] < 0 || f[i] < 0) {
        throw new DataError(`${label}: counts must not be negative (row ${i + 1} has ${s[i]} and ${f[i]})`);
      }
      const m = s[i] + f[i];
      y[i] = m === 0 ? 0 : s[i] / m;
      trials[i] = m;
      weights[i] *= m;
    }
  } else {
    const v =
      lhs.kind === 'name'
        ? evaluateVariable(data, { label, expr: lhs, columns: [lhs.name] })
        : { kind: 'numeric' as const, values: numericValues(data, lhs, text) };
    if (v.kind === 'factor') {
      if (options.family !== 'binomial') throw new DataError(`the response ${label} is a factor; the Poisson family needs counts`, label);
      if (v.levels.length !== 2) {
        throw new DataError(
          `the response ${label} has ${v.levels.length} levels (${v.levels.join(', ')}); a binomial response needs 2 ` +
            '(the first is failure, the second success)',
          label,
        );
      }
      for (let i = 0; i < nrow; i++) y[i] = v.codes[i] < 0 ? NaN : v.codes[i];
    } else {
      y.set(v.values);
      for (let i = 0; i < nrow; i++) {
        const yi = y[i];
        if (Number.isNaN(yi)) continue;
        if (options.family === 'binomial' && (yi < 0 || yi > 1)) {
          throw new DataError(
            `the binomial response ${label} must lie in [0, 1] (row ${i + 1} has ${yi}); give counts as cbind(successes, failures)`,
            label,
          );
        }
        if (options.family === 'poisson' && yi < 0) {
          throw new DataError(`the Poisson response ${label} must not be negative (row ${i + 1} has ${yi})`, label);
        }
        if (options.family === 'binomial' && options.weights !== undefined) trials[i] = weights[i];
      }
    }
  }
  const offsets: Expr[] = [];
  const rhs = stripOffsets(tree.rhs, offsets) ?? { kind: 'number', value: 1, text: '1', pos: tree.rhs.pos };
  const offset = evaluateOffsets(offsets, data, text);
  if (options.offset !== undefined) {
    const v = perRowValues(data, options.offset, 'offset');
    for (let i = 0; i < nrow; i++) offset[i] += v[i];
  }
  const column = new Float64Array(nrow);
  for (let i = 0; i < nrow; i++) {
    column[i] = Number.isNaN(weights[i]) || Number.isNaN(offset[i]) ? NaN : y[i];
  }
  const formula = expandFormula({ ...tree, lhs: { kind: 'name', name: GLM_RESPONSE_COLUMN, pos: lhs.pos }, rhs });
  const columns = new Map<string, Column>(data.columns);
  columns.set(GLM_RESPONSE_COLUMN, { kind: 'numeric', name: GLM_RESPONSE_COLUMN, values: column });
  const table: DataTable = { names: [...data.names, GLM_RESPONSE_COLUMN], nrow, columns };
  return { label, formula, printed, data: table, y, weights, trials, offset, offsetTerms: offsets };
}
