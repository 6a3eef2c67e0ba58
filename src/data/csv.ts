/**
 * CSV text into a typed `DataTable`. d3-dsv splits text with quotes (comma-separated; fields quoted with
 * `"` may hold commas, newlines and doubled quotes `""`), after this module checks the quoting; text without
 * any is split here on commas and line ends straight into columns (the same rules, tested against d3-dsv).
 * This module adds what R's `read.csv` users expect:
 * - a header row is required; names are trimmed, must be non-empty and unique;
 * - a UTF-8 byte-order mark at the start is dropped; CRLF, LF and CR line ends are all accepted
 *   (line ends inside quoted fields become LF);
 * - blank lines are skipped (R's `blank.lines.skip`), a row with the wrong number of fields is an error
 *   naming its line;
 * - empty fields and `NA` are missing; numbers are read with JavaScript's correctly rounding `Number()`
 *   (surrounding whitespace ignored); `Inf`/`-Inf` are numbers, as in R, and the model frame rejects
 *   non-finite values later;
 * - columns are typed by the shared rule of `infer.ts`; a schema and explicit types/levels apply.
 */
import { csvParseRows } from 'd3-dsv';
import { DataError } from '../errors.js';
import { tableFromColumns } from './from-input.js';
import { checkOptions } from '../options/validate.js';
import { DATA_SPEC_SCHEMA } from '../options/schemas.js';
import type { DataSpec } from './spec.js';
import type { DataTable } from './table.js';

/** Options of {@link parseCsv}: types, level orders and an optional dataset schema. */
export type CsvOptions = DataSpec;

/** Number of line breaks in a field (only LF remains after normalising line ends). */
function lineBreaks(field: string): number {
  let n = 0;
  for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) n++;
  return n;
}

function isBlank(row: readonly string[]): boolean {
  return row.length === 1 && row[0].trim() === '';
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Parses CSV text with a header row into a `DataTable`. `options.types` / `options.levels` force column
 * types and level orders; `options.schema` (a `NAME.schema.json` object) supplies both for the columns
 * it lists, with `types`/`levels` overriding it. Throws `DataError` for an empty text, an unclosed or
 * malformed quoted field, empty or duplicate header names, rows with the wrong number of fields (naming
 * the line), a schema that does not fit, and values that do not fit a forced type or level list
 * (naming the row and line).
 */
export function parseCsv(text: string, options: CsvOptions = {}): DataTable {
  if (typeof text !== 'string') throw new DataError(`parseCsv(): the CSV text must be a string, got ${text === null ? 'null' : typeof text}`);
  checkOptions('parseCsv', options, DATA_SPEC_SCHEMA);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new DataError(`the CSV text has a NUL character at offset ${nul + 1}: it is binary data, not CSV text (or UTF-16 read as UTF-8); give UTF-8 CSV text`);
  }
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  // text without quotes splits on commas and line ends alone: straight into columns, no per-row arrays
  const split = body.includes('"') ? splitQuoted(body) : splitPlain(body);
  const { header, columns, lineOf } = split;
  const index = new Map(header.map((h, j) => [h, j]));
  return tableFromColumns(header, (name) => columns[index.get(name)!], split.nrow, options, {
    rowLabel: (i) => `row ${i + 1} (CSV line ${lineOf(i)})`,
  });
}

/** CSV text split into a checked header and its columns of raw fields; `lineOf(i)` is data row i's line (1-based). */
interface SplitCsv {
  header: string[];
  columns: string[][];
  nrow: number;
  lineOf: (row: number) => number;
}

/** The header's names, trimmed; throws for an empty text, unnamed or repeated columns. */
function checkHeader(fields: readonly string[] | undefined, line: number): string[] {
  if (!fields) throw new DataError('the CSV is empty: it needs a header row naming the columns');
  const header = fields.map((h) => h.trim());
  const unnamed = header.map((h, i) => (h === '' ? i + 1 : 0)).filter((i) => i > 0);
  if (unnamed.length > 0) {
    throw new DataError(
      `CSV header (line ${line}): column ${unnamed.join(', ')} ${unnamed.length === 1 ? 'has' : 'have'} no name; ` +
        `give every column a name`,
    );
  }
  const dups = [...new Set(header.filter((h, i) => header.indexOf(h) !== i))];
  if (dups.length > 0) {
    throw new DataError(
      `CSV header: the column name${dups.length === 1 ? '' : 's'} ${dups.map((d) => `"${d}"`).join(', ')} ` +
        `${dups.length === 1 ? 'appears' : 'appear'} more than once; column names must be unique`,
      dups[0],
    );
  }
  return header;
}

function fieldCountError(line: number, fields: number, ncol: number): DataError {
  return new DataError(`CSV line ${line} has ${plural(fields, 'field')}, the header has ${ncol}; fix the line (quote fields that contain commas)`);
}

/**
 * Splits text with no quote character: every line end ends a row and every comma a field, so the fields go
 * straight into their columns (a million rows would otherwise be a million small arrays).
 */
function splitPlain(body: string): SplitCsv {
  let header: string[] | undefined;
  const columns: string[][] = [];
  let lines = new Int32Array(0);
  let nrow = 0;
  let line = 0;
  // the next comma at or after the field being read (kept across lines: one scan of the text in all)
  let comma = -1;
  for (let at = 0; at <= body.length; ) {
    let end = body.indexOf('\n', at);
    if (end < 0) end = body.length;
    line++;
    // a blank line is skipped, as the quoted path skips a row of one blank field
    if ((end === at || /\s/.test(body[at])) && body.slice(at, end).trim() === '') {
      at = end + 1;
      continue;
    }
    if (!header) {
      header = checkHeader(body.slice(at, end).split(','), line);
      // sized once for every remaining line (blank ones are cut off below): no regrowth of a million-entry array
      let lineEnds = 0;
      for (let i = body.indexOf('\n', end + 1); i >= 0; i = body.indexOf('\n', i + 1)) lineEnds++;
      for (let j = 0; j < header.length; j++) columns.push(new Array<string>(lineEnds + 1));
      lines = new Int32Array(lineEnds + 1);
    } else {
      const ncol = columns.length;
      let fields = 0;
      for (let from = at; ; fields++) {
        if (comma < from) {
          comma = body.indexOf(',', from);
          if (comma < 0) comma = body.length;
        }
        const to = comma < end ? comma : end;
        if (fields < ncol) columns[fields][nrow] = body.slice(from, to);
        if (to === end) break;
        from = to + 1;
      }
      if (fields + 1 !== ncol) throw fieldCountError(line, fields + 1, ncol);
      lines[nrow++] = line;
    }
    at = end + 1;
  }
  if (!header) return { header: checkHeader(undefined, 0), columns, nrow: 0, lineOf: () => 0 };
  for (const c of columns) c.length = nrow;
  const lineOf = lines.subarray(0, nrow);
  return { header, columns, nrow, lineOf: (i) => lineOf[i] };
}

/**
 * The text with its quoting checked, for d3-dsv, which reads every text and reports nothing: a quote left
 * open would swallow the rest of the file, and text after a closing quote would become another field. A
 * quote opens a field only at its start (elsewhere it is a literal character, for d3-dsv too); the field
 * must close before a comma, a line end or the end of the text, with at most whitespace between, which is
 * dropped (as papaparse, the reader before d3-dsv, did). Anything else is an error naming the line.
 */
function checkQuotes(body: string): string {
  const open = /(?:^|[,\n])"/g;
  const quoted = /"[^"]*(?:""[^"]*)*"([^\S\n]*)/y;
  const kept: string[] = [];
  let from = 0;
  for (let m; (m = open.exec(body)); ) {
    quoted.lastIndex = open.lastIndex - 1;
    const close = quoted.exec(body);
    const next = body[quoted.lastIndex];
    // a "closing" quote followed by a quote is a doubled quote in a field that never closes
    const unclosed = !close || (next === '"' && !close[1]);
    if (unclosed || (next === undefined && close[1]) || (next !== undefined && next !== ',' && next !== '\n')) {
      const what = !unclosed ? 'a quoted field has text after its closing quote' : 'a quoted field is never closed (a " without its closing ")';
      const line = body.slice(0, m.index + 1).split('\n').length;
      throw new DataError(`CSV line ${line}: ${what}; a quote inside a quoted field must be doubled ("")`);
    }
    if (close[1]) {
      kept.push(body.slice(from, quoted.lastIndex - close[1].length));
      from = quoted.lastIndex;
    }
    open.lastIndex = quoted.lastIndex;
  }
  return from === 0 ? body : kept.join('') + body.slice(from);
}

/** Splits text that may quote fields (d3-dsv), checking quotes, the header and every row's field count. */
function splitQuoted(body: string): SplitCsv {
  const rows = csvParseRows(checkQuotes(body));

  // 1-based line on which each parsed row starts.
  const lineOf = new Array<number>(rows.length);
  let line = 1;
  for (let r = 0; r < rows.length; r++) {
    lineOf[r] = line;
    let breaks = 1;
    for (const f of rows[r]) breaks += lineBreaks(f);
    line += breaks;
  }

  const used: number[] = [];
  for (let r = 0; r < rows.length; r++) if (!isBlank(rows[r])) used.push(r);
  const header = checkHeader(used.length > 0 ? rows[used[0]] : undefined, lineOf[used[0]]);

  const dataRows = used.slice(1);
  const ncol = header.length;
  for (const r of dataRows) if (rows[r].length !== ncol) throw fieldCountError(lineOf[r], rows[r].length, ncol);

  const nrow = dataRows.length;
  const columns = header.map((_, j) => {
    const col = new Array<string>(nrow);
    for (let i = 0; i < nrow; i++) col[i] = rows[dataRows[i]][j];
    return col;
  });
  return { header, columns, nrow, lineOf: (i) => lineOf[dataRows[i]] };
}
