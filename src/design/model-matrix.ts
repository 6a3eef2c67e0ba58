/**
 * R's model.matrix for a linear predictor on a model frame: the intercept column, numeric variables as
 * they are, each factor of a term coded by its contrasts when the term without that factor is covered
 * by an earlier term (a subset of it; the empty term always counts) and by indicators of all its levels
 * otherwise; without an intercept, the first factor of the first term holding a factor gets all its
 * levels. Interaction columns are products with the first variable varying fastest, named `a:b`.
 * The same function builds the model matrix of a random-effects term's left-hand side.
 */
import { ModelError } from '../errors.js';
import type { LinearPredictor } from '../formula/types.js';
import type { FrameVariable, ModelFrame } from '../frame/model-frame.js';
import { coding, defaultContrast, type ContrastSpec } from '../frame/contrasts.js';

/** A model matrix, column by column. */
export interface ModelMatrix {
  readonly n: number;
  readonly names: string[];
  /** One array of length n per column. */
  readonly columns: Float64Array[];
  /** Index of the term each column belongs to: 0 = intercept, t + 1 = predictor.terms[t]. */
  readonly assign: number[];
}

interface Piece {
  name: string;
  values: Float64Array;
}

/** The values of the empty product (the name ''), which are never read. */
const EMPTY = new Float64Array(0);

/**
 * For each term and each of its variables: true where a factor is coded by contrasts, false where it
 * gets an indicator per level (R's factor pattern: 1 and 2).
 */
export function contrastPattern(predictor: LinearPredictor, isFactor: (label: string) => boolean): boolean[][] {
  const sets = predictor.terms.map((t) => new Set(t.variables));
  const out = predictor.terms.map((term, t) =>
    term.variables.map((v) => {
      const rest = term.variables.filter((x) => x !== v);
      if (rest.length === 0) return true;
      return sets.slice(0, t).some((earlier) => rest.every((x) => earlier.has(x)));
    }),
  );
  if (!predictor.intercept) {
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

/** The contrast choice for a variable: given by label or by column name, else R's default. */
function contrastFor(
  frame: ModelFrame,
  label: string,
  ordered: boolean,
  contrasts: Readonly<Record<string, ContrastSpec>>,
): ContrastSpec {
  if (Object.hasOwn(contrasts, label)) return contrasts[label];
  const expr = frame.formula.variables.get(label)?.expr;
  if (expr?.kind === 'name' && Object.hasOwn(contrasts, expr.name)) return contrasts[expr.name];
  return defaultContrast(ordered);
}

function variableOf(frame: ModelFrame, label: string): FrameVariable {
  const v = frame.variables.get(label);
  if (!v) throw new ModelError(`internal: the variable ${label} is missing from the model frame`);
  return v;
}

/**
 * Builds the model matrix of `predictor` on `frame` (R's model.matrix); `contrasts` chooses codings by
 * variable label or column name (default: contr.treatment, contr.poly for ordered factors).
 */
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
  // R sets contrasts on every factor of the matrix, so a factor with one level fails however it is coded
  for (const label of new Set(predictor.terms.flatMap((t) => t.variables))) {
    const v = variableOf(frame, label);
    if (v.kind === 'factor' && v.levels.length < 2) coding(label, v.levels, 'treatment');
  }
  const coded = contrastPattern(predictor, (label) => variableOf(frame, label).kind === 'factor');
  predictor.terms.forEach((term, t) => {
    // the empty product: its values are never read (a first factor's pieces are taken as they are)
    let pieces: Piece[] = [{ name: '', values: EMPTY }];
    term.variables.forEach((label, i) => {
      const v = variableOf(frame, label);
      let own: Piece[];
      if (v.kind === 'numeric') own = [{ name: label, values: v.values.slice() }];
      else if (coded[t][i]) {
        const c = coding(label, v.levels, contrastFor(frame, label, v.ordered, contrasts));
        own = c.names.map((nm) => ({ name: label + nm, values: new Float64Array(n) }));
        // column by column: each a plain loop over one output array
        const { codes } = v;
        const { matrix, columns: k } = c;
        for (let j = 0; j < k; j++) {
          const out = own[j].values;
          for (let r = 0; r < n; r++) out[r] = matrix[codes[r] * k + j];
        }
      } else {
        own = v.levels.map((level) => ({ name: label + level, values: new Float64Array(n) }));
        const outs = own.map((piece) => piece.values);
        const { codes } = v;
        for (let r = 0; r < n; r++) outs[codes[r]][r] = 1;
      }
      const next: Piece[] = [];
      for (const b of own) {
        for (const a of pieces) {
          let values: Float64Array;
          if (a.name === '') values = b.values;
          else {
            values = new Float64Array(n);
            const x = a.values;
            const y = b.values;
            for (let r = 0; r < n; r++) values[r] = x[r] * y[r];
          }
          next.push({ name: a.name === '' ? b.name : `${a.name}:${b.name}`, values });
        }
      }
      pieces = next;
    });
    for (const p of pieces) {
      names.push(p.name);
      columns.push(p.values === EMPTY ? new Float64Array(n).fill(1) : p.values);
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
