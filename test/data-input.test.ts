// Rows, columns and tables → DataTable: the shared typing rule, forced types, level orders, spec and
// schema handling, and the errors users see.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/data/csv.js';
import { toDataTable } from '../src/data/from-input.js';
import { mergeSpecs } from '../src/data/spec.js';
import type { DatasetSchema } from '../src/data/schema.js';
import type { Cell, DataTable, FactorColumn, NumericColumn } from '../src/data/table.js';
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
/** A plain, comparable view of a table. */
const dump = (t: DataTable): unknown => ({
  names: t.names,
  nrow: t.nrow,
  columns: t.names.map((n) => {
    const c = t.columns.get(n)!;
    return c.kind === 'numeric'
      ? { name: c.name, kind: c.kind, values: Array.from(c.values) }
      : { name: c.name, kind: c.kind, levels: c.levels, codes: Array.from(c.codes), ordered: c.ordered };
  }),
});

describe('typing rule', () => {
  it('makes a column numeric when every value is a number or reads as one', () => {
    const t = toDataTable({ a: [1, '2', ' 3 ', '1e-5', '-.5', 'NA', null, undefined, NaN, '', 'Inf'] });
    expect(num(t, 'a')).toEqual([1, 2, 3, 1e-5, -0.5, NaN, NaN, NaN, NaN, NaN, Infinity]);
  });
  it('makes other columns factors with levels sorted by code point (R in the C locale)', () => {
    const t = toDataTable({ g: ['b', 'B', 'a', '_', 'Z', '\u00e9', 'a', null, '10', '9'] });
    expect(fac(t, 'g').levels).toEqual(['10', '9', 'B', 'Z', '_', 'a', 'b', '\u00e9']);
    expect(fac(t, 'g').ordered).toBe(false);
    expect(labels(t, 'g')[7]).toBeNull();
  });
  it('sorts characters beyond U+FFFF by code point, after U+FF01', () => {
    expect(fac(toDataTable({ g: ['\u{1F600}', '\uFF01', 'a'] }), 'g').levels).toEqual(['a', '\uFF01', '\u{1F600}']);
  });
  it('labels numbers in a text column as R does', () => {
    expect(fac(toDataTable({ g: ['a', 1, 100000, 0.5, true] }), 'g').levels).toEqual(['0.5', '1', '100000', 'TRUE', 'a']);
  });
  it('keeps the string "NaN" as a label in a text column but reads it as missing in a numeric one', () => {
    expect(fac(toDataTable({ g: ['a', 'NaN'] }), 'g').levels).toEqual(['NaN', 'a']);
    expect(num(toDataTable({ x: ['1', 'NaN'] }), 'x')).toEqual([1, NaN]);
  });
  it('turns booleans and the strings T/F/TRUE/FALSE into FALSE/TRUE factors', () => {
    expect(labels(toDataTable({ b: [true, false, null, true] }), 'b')).toEqual(['TRUE', 'FALSE', null, 'TRUE']);
    expect(fac(toDataTable({ b: [true, false] }), 'b').levels).toEqual(['FALSE', 'TRUE']);
    expect(labels(parseCsv('b\nT\nF\nTRUE\nNA\n'), 'b')).toEqual(['TRUE', 'FALSE', 'TRUE', null]);
    expect(fac(toDataTable({ b: [true, true] }), 'b').levels).toEqual(['TRUE']);
    // R reads true/false (lower case) as text
    expect(fac(parseCsv('b\ntrue\nfalse\n'), 'b').levels).toEqual(['false', 'true']);
  });
  it('makes an all-missing column numeric', () => {
    expect(num(toDataTable({ x: [null, '', 'NA'] }), 'x')).toEqual([NaN, NaN, NaN]);
  });
  it('accepts typed arrays as numeric columns', () => {
    const t = toDataTable({ y: new Float64Array([1.5, NaN, 3]), k: new Int32Array([3, 1, 2]) });
    expect(num(t, 'y')).toEqual([1.5, NaN, 3]);
    expect(num(t, 'k')).toEqual([3, 1, 2]);
    expect(fac(toDataTable({ k: new Int32Array([3, 1, 2]) }, { types: { k: 'factor' } }), 'k').levels).toEqual(['1', '2', '3']);
  });
  it('rejects cells that are not numbers, strings, booleans or missing', () => {
    const e = errorOf(() => toDataTable([{ y: 1 }, { y: { v: 2 } as unknown as Cell }]));
    expect(e.message).toMatch(/^column "y", row 2: holds an object; cells must be numbers, strings, booleans, null or undefined/);
    expect(e.column).toBe('y');
    expect(() => toDataTable({ d: [new Date(0) as unknown as Cell] })).toThrow(/holds a Date/);
    expect(() => toDataTable({ b: new BigInt64Array(2) as unknown as number[] })).toThrow(/column "b" is a BigInt array/);
  });
});

describe('forced types', () => {
  it("makes a numeric column a factor with levels sorted by value, labelled as R's as.character", () => {
    const t = toDataTable({ d: [10, 2, 1, 2, 0.5, null] }, { types: { d: 'factor' } });
    expect(fac(t, 'd').levels).toEqual(['0.5', '1', '2', '10']);
    expect(labels(t, 'd')).toEqual(['10', '2', '1', '2', '0.5', null]);
    expect(fac(toDataTable({ d: ['1.50', '1.5', '02'] }, { types: { d: 'factor' } }), 'd').levels).toEqual(['1.5', '2']);
    expect(fac(toDataTable({ d: [100000, 0.1 + 0.2] }, { types: { d: 'factor' } }), 'd').levels).toEqual(['0.3', '1e+05']);
    expect(fac(toDataTable({ d: [100000, 3] }, { types: { d: 'factor' } }), 'd').levels).toEqual(['3', '100000']);
  });
  it('makes ordered factors', () => {
    const t = toDataTable({ temp: [205, 175, 185] }, { types: { temp: 'ordered' } });
    expect(fac(t, 'temp').ordered).toBe(true);
    expect(fac(t, 'temp').levels).toEqual(['175', '185', '205']);
  });
  it('refuses numeric and integer types on values that are not numbers, naming value and row', () => {
    const e = errorOf(() => toDataTable({ x: [1, 'abc', 'def'] }, { types: { x: 'numeric' } }));
    expect(e.message).toMatch(/^column "x" must be numeric, but row 2 holds "abc"/);
    expect(e.column).toBe('x');
    expect(() => toDataTable({ x: [1, 2.5] }, { types: { x: 'integer' } })).toThrow(/column "x" must hold whole numbers \(type integer\), but row 2 holds 2.5/);
    expect(num(toDataTable({ x: [1, '2', null] }, { types: { x: 'integer' } }), 'x')).toEqual([1, 2, NaN]);
  });
  it('makes booleans 0/1 when a numeric type is asked for', () => {
    expect(num(toDataTable({ b: [true, false] }, { types: { b: 'numeric' } }), 'b')).toEqual([1, 0]);
  });
  it('refuses unknown type names', () => {
    expect(() => toDataTable({ x: [1] }, { types: { x: 'text' as never } })).toThrow(
      /the type "text" given for column "x" is not one of numeric, integer, factor, ordered/,
    );
  });
});

describe('level orders', () => {
  it('applies a level order and keeps levels that never occur', () => {
    const t = parseCsv('Condition\nS\nW\nS\n', { levels: { Condition: ['W', 'S', 'X'] } });
    expect(fac(t, 'Condition').levels).toEqual(['W', 'S', 'X']);
    expect(Array.from(fac(t, 'Condition').codes)).toEqual([1, 0, 1]);
  });
  it('makes a numeric column a factor and matches values as written or as R labels them', () => {
    const t = toDataTable({ d: ['0.50', '2', '10', ''] }, { levels: { d: ['10', '2', '0.5'] } });
    expect(labels(t, 'd')).toEqual(['0.5', '2', '10', null]);
    const u = toDataTable({ d: ['0.50', '2'] }, { levels: { d: ['2', '0.50'] } });
    expect(labels(u, 'd')).toEqual(['0.50', '2']);
  });
  it('combines with an ordered type', () => {
    const t = toDataTable({ s: ['lo', 'hi', 'mid'] }, { types: { s: 'ordered' }, levels: { s: ['lo', 'mid', 'hi'] } });
    expect(fac(t, 's')).toMatchObject({ ordered: true, levels: ['lo', 'mid', 'hi'] });
  });
  it('reports values outside the levels with the column, value, row and allowed levels', () => {
    const e = errorOf(() => parseCsv('Condition\nS\nX\n', { levels: { Condition: ['W', 'S'] } }));
    expect(e.message).toBe(
      'column "Condition" has the value "X" (row 2 (CSV line 3)), which is not among the levels given (W, S); add it to the levels or fix the data',
    );
    expect(e.column).toBe('Condition');
  });
  it('refuses repeated levels, non-string levels and levels with a numeric type', () => {
    expect(() => toDataTable({ g: ['a'] }, { levels: { g: ['a', 'b', 'a'] } })).toThrow(/levels given for column "g" repeat "a"/);
    expect(() => toDataTable({ g: ['a'] }, { levels: { g: [1] as never } })).toThrow(/must be an array of strings/);
    expect(() => toDataTable({ g: [1] }, { types: { g: 'numeric' }, levels: { g: ['1'] } })).toThrow(
      /column "g" is given both the type numeric and levels/,
    );
  });
});

describe('unknown columns in a spec', () => {
  it('names every unknown column and lists the available ones', () => {
    const one = errorOf(() => toDataTable({ x: [1], g: ['a'] }, { levels: { y: ['a'] } }));
    expect(one.message).toBe(
      'the options name the column "y", which is not in the data (columns: x, g); check the spelling (names are case-sensitive)',
    );
    expect(one.column).toBe('y');
    expect(() => parseCsv('x\n1\n', { types: { a: 'factor', X: 'factor' }, levels: { b: ['1'] } })).toThrow(
      /the options name the columns "a", "X", "b", which are not in the data \(columns: x\)/,
    );
  });
});

describe('rows and columns input', () => {
  const rows: Record<string, Cell>[] = [
    { y: 1, g: 'b', d: 3 },
    { y: '2.5', g: 'a', d: 1, extra: true },
    { y: null, g: 'b' },
    { g: 'a', y: 'NA', d: 2, extra: false },
  ];
  const cols: Record<string, Cell[]> = {
    y: [1, '2.5', null, undefined],
    g: ['b', 'a', 'b', 'a'],
    d: [3, 1, undefined, 2],
    extra: [undefined, true, undefined, false],
  };
  it('gives identical tables (keys in first-seen order, missing keys missing)', () => {
    const a = toDataTable(rows);
    const b = toDataTable(cols);
    expect(a.names).toEqual(['y', 'g', 'd', 'extra']);
    expect(dump(a)).toEqual(dump(b));
    expect(num(a, 'y')).toEqual([1, 2.5, NaN, NaN]);
    expect(labels(a, 'extra')).toEqual([null, 'TRUE', null, 'FALSE']);
  });
  it('gives identical tables with a spec, and the same as CSV text', () => {
    const spec = { types: { d: 'factor' as const }, levels: { g: ['b', 'a'] } };
    const csv = parseCsv('y,g,d,extra\n1,b,3,\n2.5,a,1,TRUE\n,b,,\nNA,a,2,FALSE\n', spec);
    expect(dump(toDataTable(rows, spec))).toEqual(dump(toDataTable(cols, spec)));
    expect(dump(toDataTable(rows, spec))).toEqual(dump(csv));
  });
  it('reports columns of unequal length, naming them', () => {
    const e = errorOf(() => toDataTable({ y: [1, 2], x: [1], z: [1, 2, 3] }));
    expect(e.message).toMatch(/^columns have different lengths: y has 2, x has 1, z has 3; every column needs one value per row/);
    expect(e.column).toBe('x');
  });
  it('reports malformed input', () => {
    expect(() => toDataTable([{ y: 1 }, null as never])).toThrow(/row 2 is not an object/);
    expect(() => toDataTable({ y: 5 as never })).toThrow(/column "y" is not an array/);
    expect(() => toDataTable('y,x' as never)).toThrow(DataError);
  });
  it('accepts empty input', () => {
    expect(toDataTable([])).toMatchObject({ names: [], nrow: 0 });
    expect(toDataTable({ y: [], g: [] })).toMatchObject({ names: ['y', 'g'], nrow: 0 });
  });
});

describe('an existing DataTable', () => {
  const schema: DatasetSchema = {
    name: 'toy',
    nrow: 4,
    columns: [
      { name: 'dept', type: 'factor', levels: ['15', '5', '10'] },
      { name: 'temp', type: 'ordered', levels: ['3', '1', '2'] },
      { name: 'y', type: 'numeric' },
    ],
  };
  const base = toDataTable({ dept: ['5', '15', '10', '5'], temp: [1, 2, 3, 1], y: [1, 2, 3, 4] }, { schema });
  it('is returned as is without a spec', () => {
    expect(toDataTable(base)).toBe(base);
    expect(toDataTable(base, {})).toBe(base);
  });
  it('re-types only the columns a spec names, keeping the others (and their level order)', () => {
    const t = toDataTable(base, { levels: { temp: ['1', '2', '3'] } });
    expect(t.columns.get('dept')).toBe(base.columns.get('dept'));
    expect(fac(t, 'dept').levels).toEqual(['15', '5', '10']);
    expect(fac(t, 'temp')).toMatchObject({ levels: ['1', '2', '3'], ordered: true });
    expect(labels(t, 'temp')).toEqual(['1', '2', '3', '1']);
  });
  it("keeps a factor's level order when only its type changes", () => {
    const t = toDataTable(base, { types: { temp: 'factor', dept: 'ordered' } });
    expect(fac(t, 'temp')).toMatchObject({ levels: ['3', '1', '2'], ordered: false });
    expect(fac(t, 'dept')).toMatchObject({ levels: ['15', '5', '10'], ordered: true });
  });
  it('turns factor labels into numbers for a numeric type, and numbers into a factor', () => {
    const t = toDataTable(base, { types: { dept: 'numeric', y: 'factor' } });
    expect(num(t, 'dept')).toEqual([5, 15, 10, 5]);
    expect(fac(t, 'y').levels).toEqual(['1', '2', '3', '4']);
  });
});

describe('schemas with rows and columns', () => {
  it('applies schema types and level order; explicit types and levels override it', () => {
    const schema: DatasetSchema = {
      nrow: 3,
      columns: [
        { name: 'g', type: 'factor', levels: ['z', 'a'] },
        { name: 'k', type: 'integer' },
      ],
    };
    const data = { g: ['a', 'z', 'a'], k: ['1', '2', '3'], other: ['x', 'y', 'x'] };
    const t = toDataTable(data, { schema });
    expect(fac(t, 'g').levels).toEqual(['z', 'a']);
    expect(num(t, 'k')).toEqual([1, 2, 3]);
    expect(fac(t, 'other').levels).toEqual(['x', 'y']);
    const u = toDataTable(data, { schema, levels: { g: ['a', 'z'], k: ['3', '2', '1'] } });
    expect(fac(u, 'g').levels).toEqual(['a', 'z']);
    expect(fac(u, 'k').levels).toEqual(['3', '2', '1']);
    expect(fac(toDataTable(data, { schema, types: { k: 'ordered' } }), 'k')).toMatchObject({ levels: ['1', '2', '3'], ordered: true });
    expect(() => toDataTable(data, { schema, types: { g: 'numeric' } })).toThrow(/column "g" must be numeric, but row 1 holds "a"/);
  });
  it('reports schema columns missing from the data and a wrong row count', () => {
    const schema: DatasetSchema = { name: 'toy', nrow: 2, columns: [{ name: 'g', type: 'factor' }, { name: 'h', type: 'numeric' }] };
    expect(() => toDataTable({ g: ['a', 'b'] }, { schema })).toThrow(
      /the schema of toy lists the column "h", which the data does not have \(columns: g\)/,
    );
    expect(() => toDataTable({ g: ['a', 'b', 'c'], h: [1, 2, 3] }, { schema })).toThrow(/says the data has 2 rows, but it has 3/);
    expect(() => toDataTable({ g: ['a'] }, { schema: { columns: [{ name: 'g', type: 'text' }] } as never })).toThrow(
      /column "g" has the type "text"; use one of/,
    );
  });
  it('mergeSpecs: override types replace base types and drop base levels for numeric types', () => {
    const base = { types: { a: 'ordered' as const, b: 'factor' as const, c: 'integer' as const }, levels: { a: ['2', '1'], b: ['x'] } };
    expect(mergeSpecs(base, { types: { b: 'numeric' }, levels: { c: ['1'] } })).toEqual({
      types: { a: 'ordered', b: 'numeric', c: 'factor' },
      levels: { a: ['2', '1'], c: ['1'] },
    });
    expect(mergeSpecs(base, { levels: { a: ['1', '2'] } })).toEqual({
      types: { a: 'ordered', b: 'factor', c: 'integer' },
      levels: { a: ['1', '2'], b: ['x'] },
    });
  });
});
