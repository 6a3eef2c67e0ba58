/**
 * R's print() of a numeric matrix, e.g. `coef(summary(m))`: every column formatted on its own with
 * `format(column, digits = 7)` (R's formatReal per column), NA as "NA", cells and column names
 * right-justified, row names left-justified, column blocks wrapped at width 80.
 */
import { formatReal, encodeReal, R_DIGITS, type RNumber } from './format-number.js';
import { printMatrix } from './layout.js';

/** A numeric matrix with dimnames. */
export interface NumericMatrixData {
  /** Row names; null prints R's "[1,]" labels. */
  rowNames: string[] | null;
  /** Column names; null prints R's "[,1]" labels. */
  colNames: string[] | null;
  /** values[row][column]; null is NA. */
  values: RNumber[][];
  /** Significant digits (default 7, getOption("digits")). */
  digits?: number;
}

/** Lines of print(matrix) for a numeric matrix. */
export function numericMatrixLines(m: NumericMatrixData): string[] {
  const digits = m.digits ?? R_DIGITS;
  const nrow = m.values.length;
  const ncol = m.colNames ? m.colNames.length : (m.values[0]?.length ?? 0);
  const colNames = m.colNames ?? Array.from({ length: ncol }, (_, j) => `[,${j + 1}]`);
  const cells: string[][] = m.values.map(() => new Array<string>(ncol).fill(''));
  for (let j = 0; j < ncol; j++) {
    const col = m.values.map((r) => r[j]);
    const f = formatReal(col, digits);
    col.forEach((x, i) => (cells[i][j] = encodeReal(x, f.decimals, f.exp).padStart(f.width)));
  }
  // a matrix without rows has no row names: R labels the (absent) rows "[0,]"
  return printMatrix(nrow === 0 ? null : m.rowNames, colNames, cells);
}

/**
 * print(coef(summary(m))) (or any numeric matrix) as R shows it. Returns the printed text without its
 * final newline.
 */
export function printNumericMatrix(m: NumericMatrixData): string {
  return numericMatrixLines(m).join('\n');
}
