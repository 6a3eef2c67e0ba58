/**
 * R's print.default layouts for already formatted strings: a character matrix (row names left-justified,
 * columns right- or left-justified, one space between columns, wrapped into column blocks at width 80)
 * and a named vector (one common column width, as many columns per line as fit).
 */

/** R's getOption("width") used by the goldens. */
export const PRINT_WIDTH = 80;

/** Display width of a string (code points; the strings we print are all narrow). */
export function width(s: string): number {
  return [...s].length;
}

function padLeft(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(s))) + s;
}

function padRight(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

/** Options of `printMatrix`. */
export interface MatrixLayout {
  /** Right-justify cells and headers (R's right = TRUE); default true. */
  right?: boolean;
  /** Per-column override of the justification. */
  leftColumns?: readonly number[];
  /** Line width (default 80). */
  lineWidth?: number;
}

/**
 * Lines of a character matrix as R prints it with quote = FALSE: row names left-justified (or R's
 * right-justified "[i,]" labels when `rowNames` is null), one space before every column, column blocks
 * wrapped so that a line stays shorter than the width (R adds a column while the line width plus the
 * column and its gap is < 80).
 */
export function printMatrix(
  rowNames: readonly string[] | null,
  colNames: readonly string[],
  cells: readonly (readonly string[])[],
  layout: MatrixLayout = {},
): string[] {
  const right = layout.right ?? true;
  const lineWidth = layout.lineWidth ?? PRINT_WIDTH;
  const nrow = rowNames ? rowNames.length : cells.length;
  const labels = rowNames ?? Array.from({ length: nrow }, (_, i) => `[${i + 1},]`);
  const rnWidth = rowNames ? Math.max(0, ...rowNames.map(width)) : `[${nrow},]`.length;
  const colWidth = colNames.map((c, j) => Math.max(width(c), ...cells.map((row) => width(row[j] ?? ''))));
  const lines: string[] = [];
  let start = 0;
  while (start < colNames.length || (colNames.length === 0 && start === 0)) {
    // as many columns as fit after the row names
    let end = start;
    let used = rnWidth;
    while (end < colNames.length && (end === start || used + 1 + colWidth[end] < lineWidth)) {
      used += 1 + colWidth[end];
      end++;
    }
    const justify = (s: string, j: number): string => {
      const left = !right || layout.leftColumns?.includes(j);
      return left ? padRight(s, colWidth[j]) : padLeft(s, colWidth[j]);
    };
    let header = ' '.repeat(rnWidth);
    for (let j = start; j < end; j++) header += ' ' + justify(colNames[j], j);
    lines.push(header);
    labels.forEach((rn, i) => {
      let line = rowNames ? padRight(rn, rnWidth) : padLeft(rn, rnWidth);
      for (let j = start; j < end; j++) line += ' ' + justify(cells[i][j] ?? '', j);
      lines.push(line);
    });
    if (colNames.length === 0) break;
    start = end;
  }
  return lines;
}

/**
 * Lines of a named vector as R prints it: every column as wide as the widest name or value, right-justified,
 * each followed by `gap` spaces (print.gap; print.default(format(cf), print.gap = 2) in lme4's and lm's print).
 */
export function printNamedVector(names: readonly string[], values: readonly string[], lineWidth = PRINT_WIDTH, gap = 1): string[] {
  const w = Math.max(...names.map(width), ...values.map(width));
  const perLine = Math.max(1, Math.floor(lineWidth / (w + gap)));
  const sep = ' '.repeat(gap);
  const lines: string[] = [];
  for (let start = 0; start < names.length; start += perLine) {
    const end = Math.min(names.length, start + perLine);
    let head = '';
    let body = '';
    for (let k = start; k < end; k++) {
      head += padLeft(names[k], w) + sep;
      body += padLeft(values[k], w) + sep;
    }
    lines.push(head, body);
  }
  return lines;
}

/**
 * R's cat(..., sep, fill = TRUE): items joined by sep; before every item but the first R writes the
 * separator, then starts a new line when (width so far) + (item) + (separator) > width, so the separator
 * stays at the end of the broken line.
 */
export function catFill(items: readonly string[], sep = ' ', lineWidth = PRINT_WIDTH): string[] {
  const lines: string[] = [];
  let cur = '';
  let started = false;
  for (const item of items) {
    if (started && width(cur) + 2 * width(sep) + width(item) > lineWidth) {
      lines.push(cur + sep); // R writes the separator, then the newline
      cur = item;
    } else {
      cur = started ? cur + sep + item : item;
    }
    started = true;
  }
  lines.push(cur);
  return lines;
}

/** R's strwrap(x, width, exdent): greedy word wrap with lines shorter than `width`. */
export function strwrap(text: string, lineWidth: number, exdent = 0): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const indent = lines.length > 0 ? ' '.repeat(exdent) : '';
    if (cur === '') cur = indent + w;
    else if (width(cur) + 1 + width(w) < lineWidth) cur += ' ' + w;
    else {
      lines.push(cur);
      cur = ' '.repeat(exdent) + w;
    }
  }
  if (cur !== '') lines.push(cur);
  return lines;
}
