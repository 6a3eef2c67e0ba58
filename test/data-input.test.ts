// Getting data in: CSV edge cases (papaparse), rows and columns input, the typing rule, level orders,
// schema files, and the errors users see.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/data/csv.js';
import { toDataTable } from '../src/data/from-input.js';
import { readDataFile } from '../src/data/read-file.js';
import { DataError } from '../src/errors.js';
import type { FactorColumn, NumericColumn } from '../src/data/table.js';
import { ROOT } from './helpers/golden.js';

const num = (t: ReturnType<typeof parseCsv>, c: string): number[] => Array.from((t.columns.get(c) as NumericColumn).values);
const fac = (t: ReturnType<typeof parseCsv>, c: string): FactorColumn => t.columns.get(c) as FactorColumn;

describe('CSV', () => {
  it('reads quotes, embedded commas/quotes/newlines, CRLF, a BOM, NA and empty fields', () => {
    const t = parseCsv('\uFEFFname,y,g\r\n"a, b",1.5,x\r\n"say ""hi""",NA,y\r\n"multi\nline",,x\r\n');
    expect(t.names).toEqual(['name', 'y', 'g']);
    expect(t.nrow).toBe(3);
    expect(fac(t, 'name').levels).toEqual(['a, b', 'multi\nline', 'say "hi"']);
    expect(num(t, 'y')).toEqual([1.5, NaN, NaN]);
    expect(fac(t, 'g').levels).toEqual(['x', 'y']);
  });
  it('types columns: numeric when every value reads as a number, else factor sorted by code point', () => {
    const t = parseCsv('a,b,c,d\n1,x,1e-5,-.5\n2,B,2,3\n10,a,3,NA\n');
    expect(t.columns.get('a')!.kind).toBe('numeric');
    expect(fac(t, 'b').levels).toEqual(['B', 'a', 'x']);
    expect(num(t, 'c')).toEqual([1e-5, 2, 3]);
    expect(num(t, 'd')).toEqual([-0.5, 3, NaN]);
  });
  it('reports ragged lines, duplicate and empty header names', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/CSV line 3 has 1 field, the header has 2/);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/"a" appears twice/);
    expect(() => parseCsv('a,,c\n1,2,3\n')).toThrow(/column 2 has no name/);
    expect(() => parseCsv('')).toThrow(DataError);
  });
  it('keeps the doubles a correctly rounding parser gives', () => {
    const t = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
    expect(num(t, 'Reaction')[0]).toBe(249.56);
    expect(t.nrow).toBe(180);
  });
});

describe('level orders, forced types and schemas', () => {
  it('applies a level order and reports values outside it', () => {
    const t = parseCsv('Condition\nS\nW\nS\n', { levels: { Condition: ['W', 'S'] } });
    expect(fac(t, 'Condition').levels).toEqual(['W', 'S']);
    expect(Array.from(fac(t, 'Condition').codes)).toEqual([1, 0, 1]);
    expect(() => parseCsv('Condition\nS\nX\n', { levels: { Condition: ['W', 'S'] } })).toThrow(/value "X" \(row 2\).*W, S/);
  });
  it('makes a numeric column a factor with numerically sorted levels', () => {
    const t = parseCsv('Days\n10\n2\n1\n2\n', { types: { Days: 'factor' } });
    expect(fac(t, 'Days').levels).toEqual(['1', '2', '10']);
  });
  it('refuses to make a text column numeric, naming the value and row', () => {
    expect(() => parseCsv('x\n1\nabc\n', { types: { x: 'numeric' } })).toThrow(/"x" must be numeric, but row 2 holds "abc"/);
  });
  it('refuses options for columns that do not exist', () => {
    expect(() => parseCsv('x\n1\n', { levels: { y: ['a'] } })).toThrow(/"y", which is not in the data \(columns: x\)/);
  });
  it('applies NAME.schema.json (types and R level order) next to the CSV', () => {
    const ie = readDataFile(join(ROOT, 'data/InstEval.csv'));
    expect(ie.nrow).toBe(73421);
    expect(fac(ie, 'dept').levels.slice(0, 3)).toEqual(['15', '5', '10']);
    const cake = readDataFile(join(ROOT, 'data/cake.csv'));
    expect(fac(cake, 'temperature').ordered).toBe(true);
    const d = readDataFile(join(ROOT, 'data/Diachek2020.csv'));
    expect(d.names[0]).toBe('Experiment');
    expect(fac(d, 'Condition').levels).toEqual(['S', 'W']);
    expect(() => readDataFile(join(ROOT, 'data/nope.csv'))).toThrow(/does not exist/);
  });
});

describe('rows and columns input', () => {
  it('gives the same table from rows and from columns', () => {
    const rows = [{ y: 1, g: 'a' }, { y: 2.5, g: 'b' }, { y: null, g: 'a' }, { g: 'b' }];
    const cols = { y: [1, 2.5, null, undefined], g: ['a', 'b', 'a', 'b'] };
    const a = toDataTable(rows);
    const b = toDataTable(cols);
    expect(a.names).toEqual(b.names);
    expect(Array.from((a.columns.get('y') as NumericColumn).values)).toEqual(Array.from((b.columns.get('y') as NumericColumn).values));
    expect((a.columns.get('g') as FactorColumn).levels).toEqual(['a', 'b']);
  });
  it('reports columns of unequal length', () => {
    expect(() => toDataTable({ y: [1, 2], x: [1] })).toThrow(/different lengths: y has 2, x has 1/);
  });
  it('turns booleans into FALSE/TRUE levels', () => {
    const t = toDataTable({ b: [true, false, true] });
    expect((t.columns.get('b') as FactorColumn).levels).toEqual(['FALSE', 'TRUE']);
  });
});
