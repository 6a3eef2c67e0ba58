/**
 * R's print of a numeric matrix (coef(summary(m)), confint(m)): each column formatted on its own with
 * format(digits = 7), NA as "NA", right-justified; and of a named numeric vector (fixef(m)).
 */
import { formatNumbers } from './format-number.js';
import { printMatrix, printNamedVector } from './layout.js';

/** Lines of print(matrix) for a numeric matrix (null = NA). */
export function formatNumericMatrix(rowNames: string[], colNames: string[], values: (number | null)[][], digits = 7): string[] {
  const cols = colNames.map((_, j) => formatNumbers(values.map((r) => r[j]), digits));
  return printMatrix(rowNames, colNames, rowNames.map((_, i) => cols.map((c) => c[i].trim() === 'NA' ? 'NA' : c[i])));
}

/** Lines of print(x) for a named numeric vector. */
export function formatNamedNumbers(names: string[], values: number[], digits = 7): string[] {
  return printNamedVector(names, formatNumbers(values, digits));
}
