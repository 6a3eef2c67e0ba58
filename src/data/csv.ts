/**
 * CSV text into a typed `DataTable`, parsed by papaparse (quoted fields with commas, quotes and
 * newlines; CRLF or LF). A UTF-8 byte-order mark is dropped; empty fields and `NA` are missing.
 */
import Papa from 'papaparse';
import { DataError } from '../errors.js';
import { tableFromColumns } from './from-input.js';
import type { ColumnSpec, DataTable } from './table.js';

/** Parses CSV text with a header row. */
export function parseCsv(text: string, spec: ColumnSpec = {}): DataTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = Papa.parse<string[]>(body, { header: false, skipEmptyLines: true, delimiter: ',' });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    throw new DataError(`CSV: a quoted field is not closed (data row ${(quoteError.row ?? 0) + 1})`);
  }
  const rows = parsed.data;
  if (rows.length === 0) throw new DataError('the CSV is empty: it needs a header row and at least one data row');
  const header = rows[0].map((h) => h.trim());
  const empty = header.findIndex((h) => h === '');
  if (empty >= 0) throw new DataError(`CSV header: column ${empty + 1} has no name`);
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) throw new DataError(`CSV header: the column name "${dup}" appears twice`, dup);
  const data = rows.slice(1);
  data.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new DataError(
        `CSV line ${i + 2} has ${r.length} field${r.length === 1 ? '' : 's'}, the header has ${header.length}`,
      );
    }
  });
  const index = new Map(header.map((h, i) => [h, i]));
  return tableFromColumns(header, (name) => data.map((r) => r[index.get(name)!]), data.length, spec);
}
