// The bundled data/*.csv files read as R reads them: schemas (types, level order, row counts), R's
// read.csv without a schema (levels, doubles), the Diachek2020 file (BOM, CRLF), and readDataFile's
// errors. R's side comes from test/fixtures/data/r-reading.json (made by make-data-fixtures.R).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNumber, readLogical, isMissing } from '../src/data/cell.js';
import { compareCodePoints } from '../src/data/code-point-order.js';
import { parseCsv } from '../src/data/csv.js';
import { doubleLabel } from '../src/data/number-label.js';
import { datasetName, readDataFile, readSchemaFor, schemaPathFor } from '../src/data/read-file.js';
import type { DatasetSchema } from '../src/data/schema.js';
import type { DataTable, FactorColumn, NumericColumn } from '../src/data/table.js';
import { DataError } from '../src/errors.js';
import { ROOT } from './helpers/golden.js';

interface RReading {
  as_character: { x: string; label: string }[];
  type_convert: { s: string; class: string; value: string | null }[];
  sort_c: string[];
  nrow: Record<string, number>;
  numbers: Record<string, Record<string, { rows: number[]; values: string[] }>>;
  factors: Record<string, Record<string, string[]> | []>;
}
const R: RReading = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/data/r-reading.json'), 'utf8'));
/** R's %.17g text (or Inf/-Inf/NaN/NA) → the double. */
const rNumber = (s: string): number => (s === 'Inf' ? Infinity : s === '-Inf' ? -Infinity : s === 'NA' ? NaN : Number(s));

/** The spacing of doubles at x. */
const ulp = (x: number): number => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);

const DATA = join(ROOT, 'data');
const csvFiles = readdirSync(DATA).filter((f) => f.endsWith('.csv')).sort();
const schemaFiles = readdirSync(DATA).filter((f) => f.endsWith('.schema.json')).sort();

/** The raw fields of a bundled CSV (none of them quotes fields). */
function rawFields(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(join(DATA, file), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}
const fac = (t: DataTable, c: string): FactorColumn => {
  const col = t.columns.get(c)!;
  expect(col.kind, c).toBe('factor');
  return col as FactorColumn;
};
const numeric = (t: DataTable, c: string): Float64Array => {
  const col = t.columns.get(c)!;
  expect(col.kind, c).toBe('numeric');
  return (col as NumericColumn).values;
};

describe('cells read as R reads them (fixtures from R 4.2.2)', () => {
  it("reads numbers and logicals as R's type.convert does, with the documented exceptions", () => {
    const notHere = new Set(['1e', '1.5e', '0x1p3']); // R quirks this reader refuses
    for (const { s, class: cls, value } of R.type_convert) {
      if (s === 'NA') {
        expect(isMissing(s)).toBe(true);
      } else if ((cls === 'numeric' || cls === 'integer') && !notHere.has(s)) {
        expect(Object.is(parseNumber(s), rNumber(value!)), s).toBe(true);
      } else if (cls === 'logical') {
        expect(readLogical(s), s).toBe(value === 'TRUE');
        expect(parseNumber(s), s).toBeUndefined();
      } else {
        expect(parseNumber(s), s).toBeUndefined();
        expect(readLogical(s), s).toBeUndefined();
      }
    }
  });
  it("labels doubles as R's as.character does", () => {
    expect(R.as_character.length).toBeGreaterThan(140);
    for (const { x, label } of R.as_character) expect(doubleLabel(rNumber(x)), x).toBe(label);
  });
  it('sorts strings as R does in the C locale', () => {
    const shuffled = [...R.sort_c].reverse();
    expect(shuffled.sort(compareCodePoints)).toEqual(R.sort_c);
  });
});

describe('every bundled CSV without its schema reads as read.csv reads it', () => {
  it.each(Object.keys(R.nrow))('%s', (name) => {
    const t = parseCsv(readFileSync(join(DATA, `${name}.csv`), 'utf8'));
    expect(t.nrow).toBe(R.nrow[name]);
    // R's own decimal parser (R_strtod) is off by one unit in the last place for about 1 value in
    // 10,000 (e.g. diachek_md row 1027, below); Number() rounds correctly. Everything else is identical.
    let differ = 0;
    for (const [col, { rows, values }] of Object.entries(R.numbers[name] ?? {})) {
      const v = numeric(t, col);
      rows.forEach((r, k) => {
        const ours = v[r - 1];
        const theirs = rNumber(values[k]);
        if (Object.is(ours, theirs)) return;
        differ++;
        expect(Math.abs(ours - theirs), `${col}[${r}]`).toBeLessThanOrEqual(ulp(theirs));
      });
    }
    expect(differ).toBeLessThanOrEqual(name === 'diachek_md' ? 1 : 0);
    for (const [col, levels] of Object.entries(R.factors[name] ?? {})) {
      expect(fac(t, col).levels, col).toEqual(levels);
    }
    const kinds = [...t.columns.values()].filter((c) => c.kind === 'factor').length;
    expect(kinds).toBe(Object.keys(R.factors[name] ?? {}).length);
  });
});

describe('every bundled CSV with its schema', () => {
  it('has a schema for each CSV except Diachek2020', () => {
    expect(csvFiles.filter((f) => !schemaFiles.includes(f.replace(/\.csv$/, '.schema.json')))).toEqual(['Diachek2020.csv']);
  });
  it.each(schemaFiles)('%s: types, level order and row count exactly as the schema says', (file) => {
    const schema = JSON.parse(readFileSync(join(DATA, file), 'utf8')) as DatasetSchema;
    const csv = file.replace(/\.schema\.json$/, '.csv');
    const t = readDataFile(join(DATA, csv));
    const raw = rawFields(csv);
    expect(t.nrow).toBe(schema.nrow);
    expect(raw.rows.length).toBe(schema.nrow);
    expect(t.names).toEqual(raw.header);
    for (const c of schema.columns) {
      const j = raw.header.indexOf(c.name);
      if (c.type === 'numeric' || c.type === 'integer') {
        const v = numeric(t, c.name);
        const wrong = raw.rows.findIndex((r, i) => !Object.is(v[i], Number(r[j])));
        expect(wrong, `${c.name}: first row whose value differs from Number(text)`).toBe(-1);
        if (c.type === 'integer') expect(Array.from(v).every(Number.isInteger)).toBe(true);
      } else {
        const f = fac(t, c.name);
        expect(f.ordered, c.name).toBe(c.type === 'ordered');
        expect(f.levels, c.name).toEqual(c.levels);
        let same = true;
        raw.rows.forEach((r, i) => (same &&= f.levels[f.codes[i]] === r[j]));
        expect(same, `${c.name}: labels reproduce the CSV`).toBe(true);
      }
    }
  });
  it('InstEval: 73421 rows, dept in R level order, ordered studage and lectage', () => {
    const ie = readDataFile(join(DATA, 'InstEval.csv'));
    expect(ie.nrow).toBe(73421);
    expect(fac(ie, 'dept').levels.slice(0, 3)).toEqual(['15', '5', '10']);
    expect(fac(ie, 'studage').ordered).toBe(true);
    expect(fac(ie, 'lectage').ordered).toBe(true);
    expect(fac(ie, 's').levels).toHaveLength(2972);
    expect(numeric(ie, 'y')[0]).toBe(5);
  });
  it('cake: temperature is ordered; asking for factor keeps the level order but not the order flag', () => {
    const cake = readDataFile(join(DATA, 'cake.csv'));
    expect(fac(cake, 'temperature')).toMatchObject({ ordered: true, levels: ['175', '185', '195', '205', '215', '225'] });
    expect(fac(cake, 'replicate').levels[9]).toBe('10');
    const plain = readDataFile(join(DATA, 'cake.csv'), { types: { temperature: 'factor' } });
    expect(fac(plain, 'temperature')).toMatchObject({ ordered: false, levels: ['175', '185', '195', '205', '215', '225'] });
    expect(numeric(plain, 'temp')[0]).toBe(175);
  });
  it('sleepstudy: the doubles a correctly rounding parser gives (249.56 is the double 249.56)', () => {
    const s = readDataFile(join(DATA, 'sleepstudy.csv'));
    expect(numeric(s, 'Reaction')[0]).toBe(249.56);
    expect(numeric(s, 'Reaction')[1]).toBe(258.7047);
    expect(fac(s, 'Subject').levels[0]).toBe('308');
    expect(numeric(s, 'Days')[9]).toBe(9);
  });
  it("reads decimals with correct rounding where R's read.csv is one unit in the last place off", () => {
    const md = readDataFile(join(DATA, 'diachek_md.csv'));
    const r = R.numbers.diachek_md.Effect_Size;
    const theirs = rNumber(r.values[r.rows.indexOf(1027)]);
    expect(theirs).toBe(0.46886099999999997);
    expect(numeric(md, 'Effect_Size')[1026]).toBe(0.468861);
    expect(0.468861 - theirs).toBe(ulp(0.468861));
  });
  it('explicit levels override the schema', () => {
    const md = readDataFile(join(DATA, 'diachek_md.csv'));
    expect(fac(md, 'Condition').levels).toEqual(['W', 'S']);
    const sw = readDataFile(join(DATA, 'diachek_md.csv'), { levels: { Condition: ['S', 'W'] } });
    expect(fac(sw, 'Condition').levels).toEqual(['S', 'W']);
    expect(Array.from(fac(sw, 'Condition').codes)).toEqual(Array.from(fac(md, 'Condition').codes, (k) => 1 - k));
  });
});

describe('Diachek2020.csv (UTF-8 BOM, CRLF, no final line end, no schema)', () => {
  const path = join(DATA, 'Diachek2020.csv');
  it('strips the BOM and reads every row', () => {
    const d = readDataFile(path);
    expect(readFileSync(path, 'utf8').charCodeAt(0)).toBe(0xfeff);
    expect(d.names).toEqual(['Experiment', 'System', 'Region', 'SubjectID', 'Condition', 'Hemisphere', 'Effect_Size', 'Modality', 'Task']);
    expect(d.nrow).toBe(31529); // 31530 lines: the header and 31529 rows (the file has no final line end)
    expect(fac(d, 'Condition').levels).toEqual(['S', 'W']);
    expect(fac(d, 'Task').levels).toEqual(['passive', 'task']);
    expect(numeric(d, 'Effect_Size')[0]).toBe(0.601663);
  });
  it('takes a level order', () => {
    const d = readDataFile(path);
    const w = readDataFile(path, { levels: { Condition: ['W', 'S'] } });
    expect(fac(w, 'Condition').levels).toEqual(['W', 'S']);
    const a = fac(d, 'Condition');
    const b = fac(w, 'Condition');
    let same = true;
    for (let i = 0; i < d.nrow; i++) same &&= a.levels[a.codes[i]] === b.levels[b.codes[i]];
    expect(same).toBe(true);
  });
});

describe('readDataFile and friends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmm-data-'));
  it('names the dataset after the file', () => {
    expect(datasetName('data/sleepstudy.csv')).toBe('sleepstudy');
    expect(datasetName('/a/b/my.data.csv')).toBe('my.data');
    expect(datasetName('plain')).toBe('plain');
    expect(schemaPathFor(join('data', 'cake.csv'))).toBe(join('data', 'cake.schema.json'));
  });
  it('reports a missing file or a directory with the path', () => {
    const missing = join(DATA, 'nope.csv');
    const e = (() => {
      try {
        readDataFile(missing);
      } catch (err) {
        return err as DataError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(`the data file ${missing} does not exist; check the path`);
    mkdirSync(join(dir, 'sub.csv'));
    expect(() => readDataFile(join(dir, 'sub.csv'))).toThrow(/is a directory/);
  });
  it('applies a schema next to the file, and reports schemas that do not fit', () => {
    writeFileSync(join(dir, 'toy.csv'), 'g,k\nb,1\na,2\n');
    writeFileSync(join(dir, 'toy.schema.json'), JSON.stringify({ name: 'toy', nrow: 2, columns: [{ name: 'g', type: 'factor', levels: ['b', 'a'] }] }));
    expect(readSchemaFor(join(dir, 'toy.csv'))?.name).toBe('toy');
    expect(fac(readDataFile(join(dir, 'toy.csv')), 'g').levels).toEqual(['b', 'a']);
    expect(fac(readDataFile(join(dir, 'toy.csv'), { types: { k: 'factor' } }), 'k').levels).toEqual(['1', '2']);

    writeFileSync(join(dir, 'short.csv'), 'g,k\nb,1\n');
    writeFileSync(join(dir, 'short.schema.json'), JSON.stringify({ nrow: 2, columns: [{ name: 'g', type: 'factor' }, { name: 'h', type: 'numeric' }] }));
    expect(() => readDataFile(join(dir, 'short.csv'))).toThrow(/short\.schema\.json lists the column "h", which the data does not have/);
    writeFileSync(join(dir, 'short.schema.json'), JSON.stringify({ nrow: 2, columns: [{ name: 'g', type: 'factor' }] }));
    expect(() => readDataFile(join(dir, 'short.csv'))).toThrow(/short\.schema\.json says the data has 2 rows, but it has 1/);
    writeFileSync(join(dir, 'short.schema.json'), '{ "columns": [ ');
    expect(() => readDataFile(join(dir, 'short.csv'))).toThrow(/cannot read the schema .*short\.schema\.json/);
    writeFileSync(join(dir, 'short.schema.json'), JSON.stringify({ columns: [{ name: 'g', type: 'numeric', levels: ['b'] }] }));
    expect(() => readDataFile(join(dir, 'short.csv'))).toThrow(/column "g" has levels but the type numeric/);
  });
  it('lets an explicit schema replace the file schema', () => {
    const t = readDataFile(join(dir, 'toy.csv'), { schema: { columns: [{ name: 'g', type: 'ordered', levels: ['a', 'b'] }] } });
    expect(fac(t, 'g')).toMatchObject({ ordered: true, levels: ['a', 'b'] });
  });
});
