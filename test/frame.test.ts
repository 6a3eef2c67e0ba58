// The model frame: na.omit with the dropped count, unused levels dropped, grouping variables as factors,
// and clear errors for unknown columns, factor responses, non-finite transforms and empty data.
import { describe, expect, it } from 'vitest';
import { toDataTable } from '../src/data/from-input.js';
import { expandFormula } from '../src/formula/expand.js';
import { buildModelFrame } from '../src/frame/model-frame.js';
import { lm } from '../src/fit/lm.js';
import { lmer } from '../src/fit/lmer.js';

const data = toDataTable({
  y: [1, 2, null, 4, 5, 6, 7, 8],
  x: [1, 2, 3, null, 5, 6, 7, 8],
  f: ['a', 'b', 'c', 'a', 'b', 'a', 'b', 'a'],
  g: [1, 1, 2, 2, 3, 3, 4, 4],
  z: [1, 2, 3, 4, 5, 6, 7, 8],
});

describe('model frame', () => {
  it('drops rows with a missing value in any model variable and keeps their indices', () => {
    const fr = buildModelFrame(data, expandFormula('y ~ x + f + (1 | g)'));
    expect(fr.n).toBe(6);
    expect(fr.nDropped).toBe(2);
    expect(Array.from(fr.rows)).toEqual([0, 1, 4, 5, 6, 7]);
  });
  it('drops factor levels no kept row uses (level "c" only on a dropped row)', () => {
    const fr = buildModelFrame(data, expandFormula('y ~ x + f'));
    const f = fr.variables.get('f');
    expect(f?.kind === 'factor' && f.levels).toEqual(['a', 'b']);
  });
  it('uses numeric grouping variables as factors', () => {
    const fr = buildModelFrame(data, expandFormula('y ~ 1 + (1 | g)'));
    const g = fr.variables.get('g');
    expect(g?.kind).toBe('factor');
    expect(g?.kind === 'factor' && g.levels).toEqual(['1', '2', '3', '4']);
  });
  it('ignores missing values in columns the model does not use', () => {
    expect(buildModelFrame(data, expandFormula('z ~ f')).nDropped).toBe(0);
  });
});

describe('errors name the problem and say what to do', () => {
  it('unknown column', () => {
    expect(() => lm('y ~ w', data)).toThrow(/column "w" used in the formula is not in the data \(columns: y, x, f, g, z\)/);
  });
  it('non-numeric response', () => {
    expect(() => lm('f ~ x', data)).toThrow(/response f is a factor.*numeric response/);
  });
  it('log of a negative value', () => {
    expect(() => lm('y ~ log(x - 4)', data)).toThrow(/log\(x - 4\) is not finite on row 1/);
  });
  it('empty data and no complete rows', () => {
    expect(() => lm('y ~ x', toDataTable({ y: [], x: [] }))).toThrow(/no rows/);
    expect(() => lm('y ~ x', toDataTable({ y: [null, 1], x: [1, null] }))).toThrow(/no rows are left/);
  });
  it('lme4 checks on grouping factors', () => {
    const one = toDataTable({ y: [1, 2, 3, 4], g: ['a', 'a', 'a', 'a'] });
    expect(() => lmer('y ~ 1 + (1 | g)', one)).toThrow(/grouping factors must have > 1 sampled level: "g"/);
    const each = toDataTable({ y: [1, 2, 3, 4], g: ['a', 'b', 'c', 'd'] });
    expect(() => lmer('y ~ 1 + (1 | g)', each)).toThrow(/must be < number of observations \(problems: g\)/);
    const slopes = toDataTable({ y: [1, 2, 3, 4, 5, 6], x: [1, 2, 3, 1, 2, 3], g: ['a', 'a', 'b', 'b', 'c', 'c'] });
    expect(() => lmer('y ~ x + (x | g)', slopes)).toThrow(/number of observations \(=6\) <= number of random effects \(=6\) for term \(x \| g\)/);
    expect(() => lmer('y ~ x + (w | g)', slopes)).toThrow(/column "w"/);
    expect(() => lmer('y ~ x', slopes)).toThrow(/no random effects terms/);
    expect(() => lm('y ~ x + (1 | g)', slopes)).toThrow(/use lmer/);
  });
  it('a response the fixed effects fit exactly (lme4: "not a positive definite matrix", or df of 4e-20)', () => {
    const rows = (y: (i: number) => number) =>
      Array.from({ length: 60 }, (_, i) => ({ y: y(i), x: i % 7, g: `g${i % 6}` }));
    expect(() => lmer('y ~ x + (1 | g)', rows(() => 3))).toThrow(/fixed effects fit the response exactly/);
    expect(() => lmer('y ~ x + (1 | g)', rows((i) => 2 * (i % 7) + 1))).toThrow(/fixed effects fit the response exactly/);
  });
});
