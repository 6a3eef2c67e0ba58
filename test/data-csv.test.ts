// CSV text → DataTable: quoting, line ends, BOM, missing values, header and row errors with line numbers.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/data/csv.js';
import type { DataTable, FactorColumn, NumericColumn } from '../src/data/table.js';
import { DataError } from '../src/errors.js';

const num = (t: DataTable, c: string): number[] => {
  const col = t.columns.get(c)!;
  expect(col.kind).toBe('numeric');
  return Array.from((col as NumericColumn).values);
};
const fac = (t: DataTable, c: string): FactorColumn => {
  const col = t.columns.get(c)!;
  expect(col.kind).toBe('factor');
  return col as FactorColumn;
};
const labels = (t: DataTable, c: string): (string | null)[] => {
  const f = fac(t, c);
  return Array.from(f.codes, (k) => (k < 0 ? null : f.levels[k]));
};
const errorOf = (f: () => unknown): DataError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
};

describe('parseCsv: quoting and line ends', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    const t = parseCsv('name,y\n"a, b",1\n"say ""hi""",2\n"two\nlines",3\n"",4\n');
    expect(t.nrow).toBe(4);
    expect(labels(t, 'name')).toEqual(['a, b', 'say "hi"', 'two\nlines', null]);
    expect(fac(t, 'name').levels).toEqual(['a, b', 'say "hi"', 'two\nlines']);
    expect(num(t, 'y')).toEqual([1, 2, 3, 4]);
  });
  it('reads quoted numbers as numbers, as read.csv does', () => {
    expect(num(parseCsv('x\n"1.5"\n" 2 "\n'), 'x')).toEqual([1.5, 2]);
  });
  it('gives the same table for LF, CRLF and CR line ends, with or without a final line end', () => {
    const lf = parseCsv('y,g\n1,a\n2,b\n');
    for (const text of ['y,g\r\n1,a\r\n2,b\r\n', 'y,g\r1,a\r2,b\r', 'y,g\n1,a\n2,b', 'y,g\r\n1,a\n2,b\r\n']) {
      const t = parseCsv(text);
      expect(t.names).toEqual(lf.names);
      expect(num(t, 'y')).toEqual(num(lf, 'y'));
      expect(labels(t, 'g')).toEqual(['a', 'b']);
    }
  });
  it('turns CRLF inside a quoted field into LF', () => {
    expect(labels(parseCsv('g\r\n"a\r\nb"\r\n'), 'g')).toEqual(['a\nb']);
  });
  it('drops a UTF-8 byte-order mark before the first column name', () => {
    const t = parseCsv('\uFEFFExperiment,y\r\nE1,1\r\n');
    expect(t.names).toEqual(['Experiment', 'y']);
  });
  it('skips blank lines, as R does', () => {
    const t = parseCsv('\ny,g\n1,a\n\n2,b\n\n');
    expect(t.nrow).toBe(2);
    expect(num(t, 'y')).toEqual([1, 2]);
  });
  it('trims header names', () => {
    expect(parseCsv(' y , g \n1,a\n').names).toEqual(['y', 'g']);
  });
  it('reads a header without rows as an empty table', () => {
    const t = parseCsv('y,g\n');
    expect(t.nrow).toBe(0);
    expect(t.names).toEqual(['y', 'g']);
  });
});

describe('parseCsv: missing values and numbers', () => {
  it('treats empty fields and NA as missing in numeric and factor columns', () => {
    const t = parseCsv('y,g\n1.5,a\nNA,\n,NA\n2, NA \n');
    expect(num(t, 'y')).toEqual([1.5, NaN, NaN, 2]);
    expect(labels(t, 'g')).toEqual(['a', null, null, null]);
    expect(fac(t, 'g').levels).toEqual(['a']);
  });
  it('ignores whitespace around numbers but keeps it in labels (R does)', () => {
    const t = parseCsv('x,g\n 1 ,a\n2\t, b\n');
    expect(num(t, 'x')).toEqual([1, 2]);
    expect(fac(t, 'g').levels).toEqual([' b', 'a']);
  });
  it('accepts the number syntax R reads and rejects what it does not', () => {
    const t = parseCsv('a,b,c,d,e\n1e-5,-.5,Inf,0x1A,5.\n+2,1E3,-Inf,NaN,0012\n');
    expect(num(t, 'a')).toEqual([1e-5, 2]);
    expect(num(t, 'b')).toEqual([-0.5, 1000]);
    expect(num(t, 'c')).toEqual([Infinity, -Infinity]);
    expect(num(t, 'd')).toEqual([26, NaN]);
    expect(num(t, 'e')).toEqual([5, 12]);
    for (const bad of ['12abc', '1,5', '1d5', '1_000', '0b101', '.', '-', 'e5']) {
      const col = parseCsv(`x\n1\n"${bad}"\n`).columns.get('x')!;
      expect(col.kind, bad).toBe('factor');
    }
  });
  it('converts decimals with correct rounding', () => {
    const t = parseCsv('x\n249.56\n0.1\n0.30000000000000004\n2.2250738585072014e-308\n9007199254740993\n1e400\n4.9e-325\n');
    expect(num(t, 'x')).toEqual([249.56, 0.1, 0.1 + 0.2, 2.2250738585072014e-308, 9007199254740992, Infinity, 0]);
  });
});

describe('parseCsv: errors', () => {
  it('names the line of a row with the wrong number of fields', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/^CSV line 3 has 1 field, the header has 2/);
    expect(() => parseCsv('a,b\n1,2\n3,4,5\n')).toThrow(/^CSV line 3 has 3 fields, the header has 2/);
  });
  it('counts lines inside quoted fields and blank lines when naming the line', () => {
    expect(() => parseCsv('a,b\n"x\ny",2\n\n3\n')).toThrow(/^CSV line 5 has 1 field/);
    expect(() => parseCsv('a,b\r\n"x\r\ny",2\r\n3,4,5\r\n')).toThrow(/^CSV line 4 has 3 fields/);
  });
  it('reports duplicate and empty header names', () => {
    const dup = errorOf(() => parseCsv('a,b,a\n1,2,3\n'));
    expect(dup.message).toMatch(/the column name "a" appears more than once/);
    expect(dup.column).toBe('a');
    expect(() => parseCsv('a,b,a,b\n1,2,3,4\n')).toThrow(/the column names "a", "b" appear more than once/);
    expect(() => parseCsv('a, a\n1,2\n')).toThrow(/"a" appears more than once/);
    expect(() => parseCsv('a,,c\n1,2,3\n')).toThrow(/column 2 has no name/);
    expect(() => parseCsv('a,,\n1,2,3\n')).toThrow(/column 2, 3 have no name/);
  });
  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('a,b\n1,2\n"x,3\n4,5\n')).toThrow(/^CSV line 3: a quoted field is never closed/);
    expect(() => parseCsv('a,b\n"x"y,2\n')).toThrow(/^CSV line 2: a quoted field has text after its closing quote/);
    // a doubled quote at the end is a quote inside the field, which then never closes
    expect(() => parseCsv('a,b\n1,"x""\n')).toThrow(/^CSV line 2: a quoted field is never closed/);
    // the line is the one the faulty field opens on
    expect(() => parseCsv('a,b\n1,2\n"x\ny",3\n4,"5\n')).toThrow(/^CSV line 5: a quoted field is never closed/);
    expect(() => parseCsv('a,b\n"x",1\n"y" z,2\n')).toThrow(/^CSV line 3: a quoted field has text after its closing quote/);
    expect(() => parseCsv('a,b\n1,"x" ')).toThrow(/^CSV line 2: a quoted field has text after its closing quote/);
  });
  it('drops whitespace between a closing quote and the comma or line end after it', () => {
    const t = parseCsv('g,y\n"a" ,1\n"b"\t, 2\r\n"c",3  \n"d"  ,"4"  \n');
    expect(labels(t, 'g')).toEqual(['a', 'b', 'c', 'd']);
    expect(num(t, 'y')).toEqual([1, 2, 3, 4]);
  });
  it('refuses an empty text', () => {
    expect(() => parseCsv('')).toThrow(/the CSV is empty/);
    expect(() => parseCsv('\uFEFF\n\n')).toThrow(/the CSV is empty/);
  });
  it('names row and line of a value that does not fit a forced type', () => {
    const e = errorOf(() => parseCsv('x\n1\n\n2.5\nabc\n', { types: { x: 'numeric' } }));
    expect(e.message).toMatch(/^column "x" must be numeric, but row 3 \(CSV line 5\) holds "abc"; fix the value/);
    expect(e.column).toBe('x');
    expect(() => parseCsv('x\n1\n2.5\n', { types: { x: 'integer' } })).toThrow(
      /column "x" must hold whole numbers \(type integer\), but row 2 \(CSV line 3\) holds "2.5"/,
    );
  });
});

describe('parseCsv: text without quotes (split without d3-dsv) reads as quoted text does', () => {
  // quoting the first header name sends the same text through d3-dsv, the reference
  const quoted = (text: string): string => text.replace(/^(\s*)([^,\n\s]+)/, '$1"$2"');
  const outcome = (f: () => DataTable): unknown => {
    try {
      const t = f();
      return { names: t.names, nrow: t.nrow, columns: [...t.columns.values()].map((c) => (c.kind === 'numeric' ? Array.from(c.values) : { levels: c.levels, codes: Array.from(c.codes) })) };
    } catch (e) {
      return (e as Error).message;
    }
  };
  it.each([
    ['blank lines, CRLF, a last line without its line end', '\r\ny,g\r\n1,a\r\n\r\n  \r\n2,b\r\n3,NA'],
    ['one column (no comma at all), missing values', 'x\n1\n\nNA\n2.5\n'],
    ['empty fields and surrounding spaces', 'y, g ,z\n1,,x\n ,b, 2 \n3,c,\n'],
    ['a header only', 'y,g\n'],
    ['too few fields, after a blank line', 'a,b\n1,2\n\n3\n'],
    ['too many fields', 'a,b\n1,2\n3,4,5\n'],
    ['a value that does not fit a forced type', 'x,y\n1,2\nabc,3\n'],
  ])('%s', (_, text) => {
    expect(text.includes('"')).toBe(false);
    const types = { x: 'numeric' } as const;
    const spec = text.startsWith('x,y') ? { types } : {};
    expect(outcome(() => parseCsv(text, spec))).toEqual(outcome(() => parseCsv(quoted(text), spec)));
  });
});
