// The model frame against R's model.frame / lme4's lFormula()$fr (fixtures from scripts/r/formula-cases.R):
// na.omit over every variable the formula uses (random-effects ones too), original indices of kept rows,
// unused levels dropped in level order; function variables; numeric grouping factors; clear errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataTable } from '../src/data/table.js';
import { DataError } from '../src/errors.js';
import { expandFormula } from '../src/formula/expand.js';
import { evaluateVariable } from '../src/frame/evaluate.js';
import { buildModelFrame, numericToFactor, type FrameVariable } from '../src/frame/model-frame.js';
import { ROOT } from './helpers/golden.js';
import { makeTable, type FactorData } from './helpers/table.js';

const fx = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/formula/formula-cases.json'), 'utf8')) as {
  frameData: Record<string, (number | null)[] | FactorData>;
  frames: { formula: string; rows: number[]; nDropped: number; variables: string[]; factors: Record<string, string[]> }[];
};


const numbers = (v: FrameVariable | undefined): number[] => (v?.kind === 'numeric' ? Array.from(v.values) : []);
const levels = (v: FrameVariable | undefined): readonly string[] => (v?.kind === 'factor' ? v.levels : []);

describe('model frames as R and lme4 build them', () => {
  const data = makeTable(fx.frameData);
  it.each(fx.frames.map((c) => [c.formula, c] as const))('%s', (_f, c) => {
    const f = expandFormula(c.formula);
    const frame = buildModelFrame(data, f);
    expect(Array.from(frame.rows)).toEqual(c.rows);
    expect(frame.nDropped).toBe(c.nDropped);
    expect(frame.n).toBe(c.rows.length);
    expect([...frame.variables.keys()]).toEqual(c.variables);
    for (const [name, lv] of Object.entries(c.factors)) {
      const v = frame.grouping.get(name) ?? frame.variables.get(name);
      expect(levels(v), name).toEqual(lv);
    }
    if (frame.response) {
      const y = data.columns.get(f.response!.label) as { values: Float64Array };
      expect(Array.from(frame.response)).toEqual(c.rows.map((r) => y.values[r]));
    }
  });

  it('recodes factor values after dropping levels', () => {
    const frame = buildModelFrame(data, expandFormula('y ~ f + (1 | g)'));
    const f = frame.variables.get('f');
    // kept rows 0 1 3 4 5 6 7 9 hold a b a b a b a b; levels d and c are gone
    expect(f?.kind === 'factor' && [...f.codes].map((c) => f.levels[c])).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(levels(f)).toEqual(['b', 'a']);
  });

  it('makes numeric grouping variables factors with levels in numeric order', () => {
    const frame = buildModelFrame(data, expandFormula('y ~ x + (1 | g)'));
    expect(levels(frame.grouping.get('g'))).toEqual(['1', '2', '3', '10']);
    expect(levels(frame.variables.get('g'))).toEqual(['1', '2', '3', '10']);
  });

  it('treats the columns in `factors` as factors', () => {
    const frame = buildModelFrame(data, expandFormula('y ~ g'), { factors: ['g'] });
    expect(levels(frame.variables.get('g'))).toEqual(['1', '2', '3', '10']);
    expect(() => buildModelFrame(data, expandFormula('y ~ g'), { factors: ['nope'] })).toThrow(
      /column "nope" to treat as a factor is not in the data \(columns: y, x, f, g, h, w\)/,
    );
    expect(() => buildModelFrame(data, expandFormula('y ~ g'), { factors: ['y'] })).toThrow(/response y cannot be treated as a factor/);
  });
});

describe('function variables', () => {
  const t = makeTable({ y: [1, 2, 3, 4], x: [1, 4, 9, null], f: { levels: ['a', 'b'], values: ['a', 'b', 'a', 'b'] } });
  const values = (label: string, formula = `y ~ ${label}`): number[] =>
    numbers(evaluateVariable(t, expandFormula(formula).variables.get(label)!));

  it('evaluates log, exp, sqrt and I() arithmetic elementwise, missing staying missing', () => {
    expect(values('log(x)')).toEqual([0, Math.log(4), Math.log(9), NaN]);
    expect(values('sqrt(x)')).toEqual([1, 2, 3, NaN]);
    expect(values('exp(y)')).toEqual([1, 2, 3, 4].map(Math.exp));
    expect(values('I(x^2)')).toEqual([1, 16, 81, NaN]);
    expect(values('I(2 * y - 1/2 + -y)')).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(values('I(y^-1)')).toEqual([1, 0.5, 1 / 3, 0.25]);
    expect(values('log(sqrt(x) + 1)')).toEqual([Math.log(2), Math.log(3), Math.log(4), NaN]);
    expect(values('I(x)')).toEqual([1, 4, 9, NaN]);
  });

  it('drops rows whose inputs are missing and keeps the values of the others', () => {
    const frame = buildModelFrame(t, expandFormula('log(y) ~ I(x^2)'));
    expect(frame.nDropped).toBe(1);
    expect(Array.from(frame.response!)).toEqual([0, Math.log(2), Math.log(3)]);
    expect(numbers(frame.variables.get('I(x^2)'))).toEqual([1, 16, 81]);
  });

  it('refuses non-finite results, naming the term and the row', () => {
    expect(() => buildModelFrame(t, expandFormula('y ~ log(y - 2)'))).toThrow(
      /the term log\(y - 2\) is not finite on row 1 \(y = 1\); transform the data or drop such rows/,
    );
    expect(() => buildModelFrame(t, expandFormula('y ~ I(1/(y - 1))'))).toThrow(/I\(1\/\(y - 1\)\) is not finite on row 1/);
    expect(() => buildModelFrame(t, expandFormula('y ~ sqrt(-x)'))).toThrow(DataError);
  });

  it('refuses functions of factors, naming both', () => {
    expect(() => buildModelFrame(t, expandFormula('y ~ log(f)'))).toThrow(/the term log\(f\) needs a numeric column, but "f" is a factor/);
    expect(() => buildModelFrame(t, expandFormula('y ~ I(f^2)'))).toThrow(/I\(f\^2\) needs a numeric column, but "f" is a factor/);
  });
});

describe('model frame errors name the problem and say what to do', () => {
  const t = makeTable({ y: [1, 2, 3], x: [1, 2, null], f: { levels: ['a', 'b'], values: ['a', 'b', 'a'] } });
  const fail = (formula: string, data: DataTable = t): DataError => {
    try {
      buildModelFrame(data, expandFormula(formula));
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      return e as DataError;
    }
    throw new Error(`no error for ${formula}`);
  };

  it('unknown columns, anywhere in the formula', () => {
    expect(fail('y ~ w').message).toBe('the column "w" used in the formula is not in the data (columns: y, x, f)');
    expect(fail('y ~ w').column).toBe('w');
    expect(fail('y ~ log(w)').message).toMatch(/column "w" used in the term log\(w\) is not in the data \(columns: y, x, f\)/);
    expect(fail('y ~ x + (1 | subject)').message).toMatch(/column "subject" used in the formula/);
    expect(fail('y ~ x + (z | f)').message).toMatch(/column "z"/);
    expect(fail('y ~ x - z').message).toMatch(/column "z"/);
  });

  it('a factor response', () => {
    const e = fail('f ~ x');
    expect(e.message).toBe('the response f is a factor (values like "a"); lm and lmer need a numeric response');
    expect(e.column).toBe('f');
  });

  it('empty data and no complete rows', () => {
    expect(fail('y ~ x', makeTable({ y: [], x: [] })).message).toMatch(/the data has no rows/);
    expect(fail('y ~ x', makeTable({ y: [null, 1], x: [1, null] })).message).toMatch(
      /no rows are left after dropping rows with missing values in y, x \(all 2 rows have one\)/,
    );
  });

  it('infinite values', () => {
    expect(fail('y ~ x', makeTable({ y: [1, 2], x: [1, Infinity] })).message).toMatch(/x is infinite on row 2/);
  });
});

describe('numericToFactor', () => {
  // the definition: levels are the distinct values in numeric order (one level for 0 and −0, as a Set)
  const reference = (values: Float64Array) => {
    const distinct = [...new Set(values)].sort((a, b) => a - b);
    const index = new Map(distinct.map((v, i) => [v, i]));
    return { codes: Array.from(values, (v) => index.get(v)!), levels: distinct.map(String) };
  };
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  it.each([
    ['integer codes', () => Math.floor(rand() * 40) - 10],
    ['integers far from 0, and −0', () => (rand() < 0.1 ? -0 : 1e9 + Math.floor(rand() * 30))],
    ['integers over a range wider than the rows', () => Math.floor(rand() * 1e7)],
    ['fractions and ±Infinity', () => (rand() < 0.05 ? Infinity : rand() < 0.05 ? -Infinity : Math.floor(rand() * 20) / 4)],
  ])('codes and labels as the definition: %s', (_, draw) => {
    for (let t = 0; t < 50; t++) {
      const values = Float64Array.from({ length: 1 + Math.floor(rand() * 200) }, draw);
      const f = numericToFactor(values);
      expect({ codes: Array.from(f.codes), levels: f.levels }).toEqual(reference(values));
    }
  });
});
