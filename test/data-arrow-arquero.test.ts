// Apache Arrow and Arquero tables as data, recognised by shape: a fit from either gives the same numbers
// (and the same printed summary) as the fit from the bundled CSV, which the golden tests tie to lme4.
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { toDataTable } from '../src/data/from-input.js';
import type { DataTable, FactorColumn, NumericColumn } from '../src/data/table.js';
import { DataError } from '../src/errors.js';
import { lmer } from '../src/fit/lmer.js';
import { summary } from '../src/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const golden = (id: string) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/golden', `${id}.json`), 'utf8'));

/** Our table as an Arrow table: factors as dictionary vectors (levels = dictionary, ordered kept). */
function toArrow(t: DataTable): arrow.Table {
  const vectors: Record<string, arrow.Vector> = {};
  for (const name of t.names) {
    const c = t.columns.get(name)!;
    if (c.kind === 'numeric') vectors[name] = arrow.makeVector(Float64Array.from(c.values));
    else {
      const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), null, c.ordered);
      const dictionary = arrow.vectorFromArray([...c.levels], new arrow.Utf8());
      vectors[name] = arrow.makeVector(arrow.makeData({ type, length: t.nrow, nullCount: 0, data: Int32Array.from(c.codes), dictionary }));
    }
  }
  return new arrow.Table(vectors);
}

const labels = (t: DataTable, c: string): (string | null)[] => {
  const f = t.columns.get(c) as FactorColumn;
  expect(f.kind).toBe('factor');
  return Array.from(f.codes, (k) => (k < 0 ? null : f.levels[k]));
};

describe('Apache Arrow tables', () => {
  it('fit sleepstudy with the same numbers and summary as the CSV', () => {
    const csv = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
    const opts = { dataName: 'sleepstudy' };
    const f = 'Reaction ~ Days + (Days | Subject)';
    const fromCsv = lmer(f, csv, opts);
    const fromArrow = lmer(f, toArrow(csv), opts);
    const g = golden('sleep_slope_reml');
    expect(fromArrow.REMLcrit()).toBeCloseTo(g.REMLcrit, 6);
    expect(fromArrow.fixef()).toEqual(fromCsv.fixef());
    expect(Array.from(fromArrow.theta)).toEqual(Array.from(fromCsv.theta));
    expect(String(summary(fromArrow))).toBe(String(summary(fromCsv)));
  });

  it('keep an ordered dictionary as an ordered factor (cake: contr.poly on temperature)', () => {
    const csv = readDataFile(join(ROOT, 'data/cake.csv'));
    const f = 'angle ~ recipe * temperature + (1 | recipe:replicate)';
    const a = lmer(f, toArrow(csv), { REML: false, dataName: 'cake' });
    const b = lmer(f, csv, { REML: false, dataName: 'cake' });
    expect(Object.keys(a.fixef())).toContain('temperature.L');
    expect(a.deviance()!).toBeCloseTo(golden('cake_ml').deviance, 6);
    expect(String(summary(a))).toBe(String(summary(b)));
  });

  it('take the dictionary as the levels, in its order, and nulls as missing', () => {
    const t = arrow.tableFromArrays({
      g: arrow.vectorFromArray(['b', 'a', null, 'c'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
      x: [1.5, null, 3, 4],
      n: new Int32Array([1, 2, 3, 4]),
      ok: [true, false, null, true],
    });
    const d = toDataTable(t);
    expect(d.names).toEqual(['g', 'x', 'n', 'ok']);
    expect((d.columns.get('g') as FactorColumn).levels).toEqual(['b', 'a', 'c']);
    expect(labels(d, 'g')).toEqual(['b', 'a', null, 'c']);
    expect(Array.from((d.columns.get('x') as NumericColumn).values)).toEqual([1.5, NaN, 3, 4]);
    expect(Array.from((d.columns.get('n') as NumericColumn).values)).toEqual([1, 2, 3, 4]);
    expect(labels(d, 'ok')).toEqual(['TRUE', 'FALSE', null, 'TRUE']);
  });

  it('use a null-free Float64 column without copying, also from a slice', () => {
    const t = arrow.tableFromArrays({ x: new Float64Array([1, 2, 3, 4]) }).slice(1, 3);
    const values = (toDataTable(t).columns.get('x') as NumericColumn).values;
    expect(Array.from(values)).toEqual([2, 3]);
    expect(values.buffer).toBe(t.getChild('x')!.data[0].values.buffer);
  });

  it('read a sliced column with nulls from the right bits', () => {
    const t = arrow.tableFromArrays({ x: [1, null, 3, null, 5] }).slice(1);
    expect(Array.from((toDataTable(t).columns.get('x') as NumericColumn).values)).toEqual([NaN, 3, NaN, 5]);
  });

  it('recode chunks with different dictionaries into one level set', () => {
    const dict = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
    const a = arrow.tableFromArrays({ g: arrow.vectorFromArray(['b', 'a'], dict) });
    const b = arrow.tableFromArrays({ g: arrow.vectorFromArray(['c', 'a'], dict) });
    const d = toDataTable(a.concat(b));
    expect((d.columns.get('g') as FactorColumn).levels).toEqual(['b', 'a', 'c']);
    expect(labels(d, 'g')).toEqual(['b', 'a', 'c', 'a']);
  });

  it('apply a spec (levels, types) on top', () => {
    const t = arrow.tableFromArrays({ g: ['b', 'a', 'b'], d: new Float64Array([0, 1, 2]) });
    const d = toDataTable(t, { levels: { g: ['a', 'b'] }, types: { d: 'factor' } });
    expect((d.columns.get('g') as FactorColumn).levels).toEqual(['a', 'b']);
    expect((d.columns.get('d') as FactorColumn).levels).toEqual(['0', '1', '2']);
  });

  it('refuse a column type it cannot model, naming the column', () => {
    const t = arrow.tableFromArrays({ when: [new Date(0), new Date(1)] });
    expect(() => toDataTable(t)).toThrow(DataError);
    expect(() => toDataTable(t)).toThrow(/column "when" has Arrow type (Date|Timestamp)/);
    const l = arrow.tableFromArrays({ y: [1, 2], xs: arrow.vectorFromArray([[1], [2, 3]]) });
    expect(() => toDataTable(l)).toThrow(/column "xs" has Arrow type List/);
  });
});

describe('Arquero tables', () => {
  it('fit sleepstudy with the same numbers and summary as the CSV', () => {
    const csv = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
    const subject = labels(csv, 'Subject');
    const t = aq.table({
      Reaction: Array.from((csv.columns.get('Reaction') as NumericColumn).values),
      Days: Array.from((csv.columns.get('Days') as NumericColumn).values),
      Subject: subject,
    });
    const f = 'Reaction ~ Days + (Days | Subject)';
    const a = lmer(f, t, { dataName: 'sleepstudy' });
    const b = lmer(f, csv, { dataName: 'sleepstudy' });
    expect(a.fixef()).toEqual(b.fixef());
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    expect(String(summary(a))).toBe(String(summary(b)));
    // an Arrow table through Arquero (fromArrow) gives the same again
    const c = lmer(f, aq.fromArrow(toArrow(csv)), { dataName: 'sleepstudy' });
    expect(String(summary(c))).toBe(String(summary(b)));
  });

  it('honour a filter, and null as missing', () => {
    const t = aq.table({ y: [1, 2, null, 4], g: ['a', 'b', 'a', 'b'] }).filter((d: { y: number }) => d.y !== 2);
    const d = toDataTable(t);
    expect(d.nrow).toBe(3);
    expect(Array.from((d.columns.get('y') as NumericColumn).values)).toEqual([1, NaN, 4]);
    expect(labels(d, 'g')).toEqual(['a', 'a', 'b']);
  });
});

describe('typed arrays as columns', () => {
  it('are numeric columns', () => {
    const d = toDataTable({ y: new Float32Array([1, 2]), k: new Uint8Array([3, 4]) });
    expect(Array.from((d.columns.get('y') as NumericColumn).values)).toEqual([1, 2]);
    expect(Array.from((d.columns.get('k') as NumericColumn).values)).toEqual([3, 4]);
  });
});
