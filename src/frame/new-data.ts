/**
 * Frames for prediction on new data: the model's variables evaluated on the new rows, factors coded with
 * the levels the model was fitted with (so model matrices line up). A level of a fixed-effects factor
 * that the fit never saw is an error; rows with missing values get NaN predictions.
 */
import { DataError } from '../errors.js';
import { toDataTable, type DataInput } from '../data/from-input.js';
import type { ModelFormula } from '../formula/types.js';
import { evaluateVariable } from './evaluate.js';
import { numericLevelLabel, type FrameVariable, type ModelFrame } from './model-frame.js';

/** A frame over every new row, with the raw factor labels kept for grouping factors. */
export interface PredictionFrame extends ModelFrame {
  /** 1 where some variable the prediction needs is missing. */
  readonly missing: Uint8Array;
  /** Raw labels of each grouping variable per row (null where missing). */
  readonly labels: ReadonlyMap<string, (string | null)[]>;
}

/** What prediction needs of a fitted model's front half (design/prepare.ts's PreparedModel has it). */
export interface FittedFrame {
  readonly formula: ModelFormula;
  readonly frame: ModelFrame;
}

/** Builds the prediction frame; `random` also evaluates random-effects variables and grouping labels. */
export function predictFrame(prepared: FittedFrame, newdata: DataInput, options: { random: boolean }): PredictionFrame {
  const { formula, frame: fitted } = prepared;
  const table = toDataTable(newdata);
  const n = table.nrow;
  const grouping = new Set(options.random ? formula.random.flatMap((t) => t.grouping) : []);
  const needed = new Set<string>();
  for (const t of formula.fixed.terms) t.variables.forEach((v) => needed.add(v));
  if (options.random) for (const t of formula.random) t.effects.terms.forEach((tt) => tt.variables.forEach((v) => needed.add(v)));
  const variables = new Map<string, FrameVariable>();
  const labels = new Map<string, (string | null)[]>();
  const missing = new Uint8Array(n);
  for (const label of [...needed, ...grouping]) {
    const v = formula.variables.get(label)!;
    const values = evaluateVariable(table, v);
    const trained = fitted.variables.get(label)!;
    const raw: (string | null)[] = [];
    for (let i = 0; i < n; i++) {
      if (values.kind === 'numeric') raw.push(Number.isNaN(values.values[i]) ? null : numericLevelLabel(values.values[i]));
      else raw.push(values.codes[i] < 0 ? null : values.levels[values.codes[i]]);
    }
    if (grouping.has(label)) {
      labels.set(label, raw);
      raw.forEach((r, i) => r === null && (missing[i] = 1));
      if (!needed.has(label)) continue;
    }
    if (trained.kind === 'numeric') {
      if (values.kind !== 'numeric') throw new DataError(`${label} was numeric in the fitted data but is not numeric in the new data`, label);
      values.values.forEach((x, i) => Number.isNaN(x) && (missing[i] = 1));
      variables.set(label, values);
      continue;
    }
    const index = new Map(trained.levels.map((l, k) => [l, k]));
    const codes = new Int32Array(n);
    raw.forEach((r, i) => {
      if (r === null) {
        missing[i] = 1;
        codes[i] = 0;
        return;
      }
      const k = index.get(r);
      if (k === undefined) {
        throw new DataError(`factor ${label} has new level "${r}" (row ${i + 1}); the model knows ${trained.levels.join(', ')}`, label);
      }
      codes[i] = k;
    });
    variables.set(label, { kind: 'factor', codes, levels: trained.levels, ordered: trained.ordered });
  }
  return {
    formula,
    n,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    nDropped: 0,
    variables,
    grouping: new Map(),
    response: null,
    missing,
    labels,
  };
}
