// Model matrices, contrasts and grouping factors against R 4.2.2 / lme4 1.1-31 (fixtures from
// scripts/r/formula-cases.R): model.matrix column names, assign and values with R's coding rules,
// contr.treatment / sum / helmert / poly / user matrices, random-effects left-hand sides and grouping
// factors as lme4's mkReTrms builds them, and the cake data (recipe * ordered temperature).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupingFactor } from '../src/design/grouping.js';
import { contrastPattern, modelMatrix, type ModelMatrix } from '../src/design/model-matrix.js';
import { ModelError, OptionError } from '../src/errors.js';
import { expandFormula } from '../src/formula/expand.js';
import { coding, type ContrastSpec } from '../src/frame/contrasts.js';
import { buildModelFrame } from '../src/frame/model-frame.js';
import { ROOT } from './helpers/golden.js';
import { makeTable, type FactorData } from './helpers/table.js';

interface MatrixCase { formula: string; contrasts?: Record<string, ContrastSpec>; names: string[]; assign: number[]; columns: number[][] }
interface RandomCase {
  formula: string;
  terms: { text: string; group: string; levels: string[]; codes: number[]; names: string[]; columns: number[][] }[];
  fixedNames: string[];
  lme4: { group: string; names: string[] }[];
}
const fx = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/formula/formula-cases.json'), 'utf8')) as {
  data: Record<string, number[] | FactorData>;
  modelMatrix: MatrixCase[];
  random: RandomCase[];
  cake: MatrixCase;
  cakeSumHelmert: MatrixCase;
  poly: { k: number; matrix: number[][]; names: string[] }[];
};


function expectMatrix(X: ModelMatrix, c: { names: string[]; assign?: number[]; columns: number[][] }, tol = 1e-13): void {
  expect(X.names).toEqual(c.names);
  if (c.assign) expect(X.assign).toEqual(c.assign);
  expect(X.columns.length).toBe(c.columns.length);
  X.columns.forEach((col, j) => {
    expect(col.length).toBe(c.columns[j].length);
    col.forEach((v, i) => expect(Math.abs(v - c.columns[j][i]), `${c.names[j]}[${i}]`).toBeLessThan(tol * Math.max(1, Math.abs(c.columns[j][i]))));
  });
}

const data = makeTable(fx.data);

describe("model.matrix as R builds it", () => {
  it.each(fx.modelMatrix.map((c) => [`${c.formula}${c.contrasts ? ` ${JSON.stringify(c.contrasts)}` : ''}`, c] as const))('%s', (_n, c) => {
    const f = expandFormula(c.formula);
    const X = modelMatrix(buildModelFrame(data, f), f.fixed, c.contrasts ?? {});
    expectMatrix(X, c);
    expect(X.n).toBe(data.nrow);
  });

  it('codes a factor by contrasts when an earlier term covers the rest of its term (R: subset, not equality)', () => {
    const f = expandFormula('y ~ a:x + a:b');
    const pattern = contrastPattern(f.fixed, (v) => v !== 'x');
    // a:x first: dropping a leaves {x}, in no earlier term, so a gets indicators (x is numeric: no coding);
    // a:b — dropping b leaves {a}, inside {a, x}: b by contrasts; dropping a leaves {b}: a by indicators
    expect(pattern).toEqual([[false, false], [false, true]]);
  });

  it('gives every matrix column its own array', () => {
    const f = expandFormula('y ~ x + x:z');
    const frame = buildModelFrame(data, f);
    const X = modelMatrix(frame, f.fixed);
    X.columns[1][0] = 123;
    expect((frame.variables.get('x') as { values: Float64Array }).values[0]).not.toBe(123);
  });
});

describe('the cake data: angle ~ recipe * temperature, temperature ordered', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'data/cake.schema.json'), 'utf8')) as {
    columns: { name: string; type: string; levels?: string[] }[];
  };
  const lines = readFileSync(join(ROOT, 'data/cake.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const cols: Record<string, number[] | FactorData> = {};
  for (const col of schema.columns) {
    const j = header.indexOf(col.name);
    const raw = rows.map((r) => r[j]);
    cols[col.name] = col.levels ? { levels: col.levels, values: raw, ordered: col.type === 'ordered' } : raw.map(Number);
  }
  const cake = makeTable(cols);
  const f = expandFormula('angle ~ recipe * temperature');
  const frame = buildModelFrame(cake, f);

  it('uses contr.poly for the ordered factor and contr.treatment for recipe', () => {
    expectMatrix(modelMatrix(frame, f.fixed), fx.cake);
    expect(fx.cake.names).toContain('recipeB:temperature.L');
    expect(fx.cake.names).toContain('recipeC:temperature^5');
  });

  it('uses contr.sum and contr.helmert when asked', () => {
    expectMatrix(modelMatrix(frame, f.fixed, fx.cakeSumHelmert.contrasts), fx.cakeSumHelmert);
  });
});

describe("random-effects terms as lme4's mkReTrms builds them", () => {
  it.each(fx.random.map((c) => [c.formula, c] as const))('%s', (_f, c) => {
    const f = expandFormula(c.formula);
    const frame = buildModelFrame(data, f);
    expect(modelMatrix(frame, f.fixed).names).toEqual(c.fixedNames);
    expect(f.random.length).toBe(c.terms.length);
    f.random.forEach((term, i) => {
      const r = c.terms[i];
      expect(term.text).toBe(r.text);
      expect(term.groupLabel).toBe(r.group);
      const g = groupingFactor(frame, term.grouping);
      expect(g.levels).toEqual(r.levels);
      expect(Array.from(g.codes)).toEqual(r.codes);
      expectMatrix(modelMatrix(frame, term.effects), r);
    });
    // the same (group, columns) pairs as lme4's reTrms (which lists them in its own order)
    const ours = f.random.map((t, i) => `${t.groupLabel} ${c.terms[i].names.join(',')}`).sort();
    expect(ours).toEqual(c.lme4.map((t) => `${t.group} ${t.names.join(',')}`).sort());
  });

  it('keeps a numeric column numeric in the fixed part when it also groups (y ~ g + (1 | g))', () => {
    const f = expandFormula('y ~ g + (1 | g)');
    const frame = buildModelFrame(data, f);
    expect(frame.variables.get('g')?.kind).toBe('numeric');
    expect(frame.grouping.get('g')?.levels).toEqual(['1', '2', '3', '10']);
  });

  it('drops interaction levels no row uses, first factor varying slowest', () => {
    const t = makeTable({
      y: [1, 2, 3, 4, 5],
      a: { levels: ['a1', 'a2', 'a3'], values: ['a2', 'a1', 'a2', 'a1', 'a3'] },
      b: { levels: ['b1', 'b2'], values: ['b1', 'b2', 'b2', 'b2', 'b2'] },
    });
    const f = expandFormula('y ~ (1 | a:b)');
    const g = groupingFactor(buildModelFrame(t, f), f.random[0].grouping);
    expect(g.levels).toEqual(['a1:b2', 'a2:b1', 'a2:b2', 'a3:b2']);
    expect(Array.from(g.codes)).toEqual([1, 0, 2, 0, 3]);
  });
});

describe('contrasts', () => {
  it.each(fx.poly.map((p) => [p.k, p] as const))('contr.poly(%i) as R', (_k, p) => {
    const c = coding('f', Array.from({ length: p.k }, (_, i) => `l${i}`), 'poly');
    expect(c.names).toEqual(p.names);
    // R builds contr.poly by QR of the power basis, which is ill-conditioned for many levels: at 20 levels R is
    // ~5e-11 off the exact values (ours are within 1e-15 of them)
    const tol = p.k <= 12 ? 1e-13 : 1e-10;
    p.matrix.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(c.matrix[i * c.columns + j] - v)).toBeLessThan(tol)));
  });

  it('builds treatment, sum and helmert codings', () => {
    const lv = ['a', 'b', 'c'];
    expect(coding('f', lv, 'treatment')).toEqual({ matrix: Float64Array.from([0, 0, 1, 0, 0, 1]), columns: 2, names: ['b', 'c'] });
    expect(coding('f', lv, 'sum')).toEqual({ matrix: Float64Array.from([1, 0, 0, 1, -1, -1]), columns: 2, names: ['1', '2'] });
    expect(coding('f', lv, 'helmert')).toEqual({ matrix: Float64Array.from([-1, -1, 1, -1, 0, 2]), columns: 2, names: ['1', '2'] });
  });

  it('takes user matrices with or without column names', () => {
    expect(coding('Condition', ['W', 'S'], { matrix: [[-0.5], [0.5]], names: ['S>W'] }).names).toEqual(['S>W']);
    expect(coding('a', ['p', 'q', 'r'], { matrix: [[-1, 1], [0, -2], [1, 1]] }).names).toEqual(['1', '2']);
  });

  it('rejects user matrices that do not fit the factor, naming it', () => {
    expect(() => coding('Condition', ['W', 'S'], { matrix: [[-0.5], [0.5], [1]] })).toThrow(OptionError);
    expect(() => coding('Condition', ['W', 'S'], { matrix: [[-0.5], [0.5], [1]] })).toThrow(
      /contrast matrix for "Condition" has 3 rows; it needs one row per level \(2: W, S\)/,
    );
    expect(() => coding('a', ['p', 'q', 'r'], { matrix: [[1], [0, 1], [1]] })).toThrow(/"a" must have between 1 and 2 columns/);
    expect(() => coding('a', ['p', 'q', 'r'], { matrix: [[1], [NaN], [1]] })).toThrow(/finite numbers/);
    expect(() => coding('a', ['p', 'q', 'r'], { matrix: [[1], [0], [1]], names: ['x', 'y'] })).toThrow(/1 columns but 2 names/);
  });

  it('finds user contrasts by column name for backticked variables', () => {
    const f = expandFormula('y ~ `a b`');
    const X = modelMatrix(buildModelFrame(data, f), f.fixed, { 'a b': { matrix: [[-1], [1]], names: ['T'] } });
    expect(X.names).toEqual(['(Intercept)', '`a b`T']);
  });

  it('refuses a factor with one level in the rows used, however it is coded (as R)', () => {
    const t = makeTable({ y: [1, 2, 3], f: { levels: ['a', 'b'], values: ['a', 'a', 'a'] } });
    for (const text of ['y ~ f', 'y ~ 0 + f']) {
      const f = expandFormula(text);
      expect(() => modelMatrix(buildModelFrame(t, f), f.fixed)).toThrow(ModelError);
      expect(() => modelMatrix(buildModelFrame(t, f), f.fixed)).toThrow(/"f" has 1 \(a\)/);
    }
  });
});
