/**
 * R's print() of a named numeric vector, e.g. `fixef(m)`: one common format for all values (formatReal
 * with digits 7), every field as wide as the widest name or value, right-justified, each followed by a
 * space, as many fields per line as fit in width 80.
 */
import { formatNumbers, R_DIGITS, type RNumber } from './format-number.js';
import { printNamedVector } from './layout.js';

/** A named numeric vector. */
export interface NamedNumbersData {
  names: string[];
  /** null is NA. */
  values: RNumber[];
  /** Significant digits (default 7). */
  digits?: number;
}

/** Lines of print(x) for a named numeric vector. */
export function namedNumbersLines(d: NamedNumbersData): string[] {
  if (d.values.length === 0) return ['numeric(0)'];
  return printNamedVector(d.names, formatNumbers(d.values, d.digits ?? R_DIGITS));
}

/** print(fixef(m)) (any named numeric vector) as R shows it, without the final newline. */
export function printFixefVector(d: NamedNumbersData): string {
  return namedNumbersLines(d).join('\n');
}
