/** A row-major square Float64Array as a NamedMatrix of plain arrays (vcov's public form). */
import type { NamedMatrix } from './model.js';

/** `values[i][j] = f(M[i·p + j])` over the names. */
export function namedMatrix(names: readonly string[], M: ArrayLike<number>, f: (v: number) => number = (v) => v): NamedMatrix {
  const p = names.length;
  return {
    names: [...names],
    values: Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => f(M[i * p + j]))),
  };
}
