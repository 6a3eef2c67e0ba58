/**
 * R's model.matrix for a linear predictor on a model frame: the intercept column, numeric variables as
 * they are, factors coded by contrasts where the term without that factor is in the model (R's
 * terms.formula rule), else by indicators of every level; interaction columns are products with the
 * first variable varying fastest, named `a:b`.
 */
import { ModelError } from '../errors.js';
import type { LinearPredictor } from '../formula/types.js';
import type { ModelFrame } from '../frame/model-frame.js';
import { coding, defaultContrast, type ContrastSpec } from '../frame/contrasts.js';

/** A model matrix, column by column. */
export interface ModelMatrix {
  readonly n: number;
  readonly names: string[];
  readonly columns: Float64Array[];
  /** Index of the term each column belongs to: 0 = intercept, t + 1 = predictor.terms[t]. */
  readonly assign: number[];
}

interface Piece {
  name: string;
  values: Float64Array;
}

const key = (vars: readonly string[]): string => [...vars].sort().join('\u0000');

/** Which factors of each term are coded by contrasts (true) or by all levels (false). */
function contrastCoded(predictor: LinearPredictor, isFactor: (label: string) => boolean): boolean[][] {
  const out = predictor.terms.map((term, t) =>
    term.variables.map((v) => {
      const rest = term.variables.filter((x) => x !== v);
      if (rest.length === 0) return true;
      const k = key(rest);
      return predictor.terms.slice(0, t).some((earlier) => key(earlier.variables) === k);
    }),
  );
  if (!predictor.intercept) {
    // without an intercept, the first factor of the first term holding one is coded by all its levels
    outer: for (let t = 0; t < predictor.terms.length; t++) {
      for (let i = 0; i < predictor.terms[t].variables.length; i++) {
        if (isFactor(predictor.terms[t].variables[i])) {
          out[t][i] = false;
          break outer;
        }
      }
    }
  }
  return out;
}

/** Builds the model matrix of `predictor` on `frame`; `contrasts` overrides codings by variable label. */
export function modelMatrix(
  frame: ModelFrame,
  predictor: LinearPredictor,
  contrasts: Readonly<Record<string, ContrastSpec>> = {},
): ModelMatrix {
  const n = frame.n;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const assign: number[] = [];
  if (predictor.intercept) {
    names.push('(Intercept)');
    columns.push(new Float64Array(n).fill(1));
    assign.push(0);
  }
  const isFactor = (label: string): boolean => frame.variables.get(label)?.kind === 'factor';
  const coded = contrastCoded(predictor, isFactor);
  predictor.terms.forEach((term, t) => {
    let pieces: Piece[] = [{ name: '', values: new Float64Array(n).fill(1) }];
    term.variables.forEach((label, i) => {
      const v = frame.variables.get(label);
      if (!v) throw new ModelError(`internal: the variable ${label} is missing from the model frame`);
      let own: Piece[];
      if (v.kind === 'numeric') own = [{ name: label, values: v.values }];
      else if (coded[t][i]) {
        const c = coding(label, v.levels, contrasts[label] ?? defaultContrast(v.ordered));
        own = c.names.map((nm, j) => ({
          name: label + nm,
          values: Float64Array.from(v.codes, (code) => c.matrix[code * c.columns + j]),
        }));
      } else {
        own = v.levels.map((level, j) => ({
          name: label + level,
          values: Float64Array.from(v.codes, (code) => (code === j ? 1 : 0)),
        }));
      }
      const next: Piece[] = [];
      for (const b of own) {
        for (const a of pieces) {
          const values = new Float64Array(n);
          for (let r = 0; r < n; r++) values[r] = a.values[r] * b.values[r];
          next.push({ name: a.name === '' ? b.name : `${a.name}:${b.name}`, values });
        }
      }
      pieces = next;
    });
    for (const p of pieces) {
      names.push(p.name);
      columns.push(p.values);
      assign.push(t + 1);
    }
  });
  return { n, names, columns, assign };
}

/** The matrix column-major in one array (n × p), as the engines take it. */
export function columnMajor(m: ModelMatrix, keep?: readonly number[]): Float64Array {
  const cols = keep ?? m.columns.map((_, j) => j);
  const out = new Float64Array(m.n * cols.length);
  cols.forEach((j, k) => out.set(m.columns[j], k * m.n));
  return out;
}
