// Formula expansion against R 4.2.2 / lme4 1.1-31 (fixtures from scripts/r/formula-cases.R): terms()
// labels, order, intercept and variables; lme4's findbars / nobars / expandDoubleVerts and the printed
// "Formula:" line; R's deparse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormulaError } from '../src/errors.js';
import { deparse, deparseNumber, isSyntacticName } from '../src/formula/deparse.js';
import { expandFormula } from '../src/formula/expand.js';
import { parseFormula } from '../src/formula/parse.js';
import { printedFormula } from '../src/formula/printed.js';
import { expandTerms } from '../src/formula/terms.js';
import { ROOT } from './helpers/golden.js';

interface TermsCase { formula: string; labels: string[]; intercept: boolean; response: boolean; variables: string[] }
interface RandomCase { text: string; group: string; grouping: string[]; labels: string[]; intercept: boolean }
interface Lme4Case {
  formula: string;
  printed: string;
  fixed: { labels: string[]; intercept: boolean };
  random: RandomCase[];
  frameVariables: string[];
}
const fx = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/formula/formula-cases.json'), 'utf8')) as {
  terms: TermsCase[];
  lme4: Lme4Case[];
  deparse: { text: string; deparse: string }[];
};

describe("terms() of fixed-effects formulas match R's", () => {
  it.each(fx.terms.map((c) => [c.formula, c] as const))('%s', (_f, c) => {
    const m = expandFormula(c.formula);
    expect(m.fixed.terms.map((t) => t.label)).toEqual(c.labels);
    expect(m.fixed.intercept).toBe(c.intercept);
    expect(m.response !== null).toBe(c.response);
    // R's variables attribute: every variable, removed terms' too, in order of first appearance
    expect([...m.variables.keys()]).toEqual(c.variables);
  });

  it('gives each term its variables in formula order', () => {
    const m = expandFormula('y ~ b:a + a + c:b:a');
    expect(m.fixed.terms.map((t) => t.variables)).toEqual([['a'], ['b', 'a'], ['b', 'a', 'c']]);
    expect(m.fixed.terms[2].label).toBe('b:a:c');
  });

  it('expands a parsed tree as well as text', () => {
    const tree = parseFormula('y ~ a*b');
    expect(expandFormula(tree).fixed.terms.map((t) => t.label)).toEqual(['a', 'b', 'a:b']);
    expect(expandTerms(parseFormula('0 + x:a'), '~ 0 + x:a').predictor).toEqual({ intercept: false, terms: [{ label: 'x:a', variables: ['x', 'a'] }] });
  });
});

describe("lme4's random-effects terms", () => {
  it.each(fx.lme4.map((c) => [c.formula, c] as const))('%s', (_f, c) => {
    const m = expandFormula(c.formula);
    expect(m.printed).toBe(c.printed);
    expect(printedFormula(c.formula)).toBe(c.printed);
    expect(m.fixed.terms.map((t) => t.label)).toEqual(c.fixed.labels);
    expect(m.fixed.intercept).toBe(c.fixed.intercept);
    expect(m.random.map((r) => r.text)).toEqual(c.random.map((r) => r.text));
    expect(m.random.map((r) => r.groupLabel)).toEqual(c.random.map((r) => r.group));
    expect(m.random.map((r) => r.grouping)).toEqual(c.random.map((r) => r.grouping));
    expect(m.random.map((r) => r.effects.terms.map((t) => t.label))).toEqual(c.random.map((r) => r.labels));
    expect(m.random.map((r) => r.effects.intercept)).toEqual(c.random.map((r) => r.intercept));
    expect([...m.variables.keys()].sort()).toEqual([...c.frameVariables].sort());
  });

  it('keeps the expanded formula as an expression and the input text', () => {
    const m = expandFormula('  Reaction ~ Days + (Days || Subject) ');
    expect(m.text).toBe('Reaction ~ Days + (Days || Subject)');
    expect(deparse(m.expr)).toBe('Reaction ~ Days + ((1 | Subject) + (0 + Days | Subject))');
    // the printed formula reads back to the same model
    const again = expandFormula(m.printed);
    expect(again.random.map((r) => r.text)).toEqual(m.random.map((r) => r.text));
    expect(again.printed).toBe(m.printed);
  });

  it('expands (1 || g) to (1 | g) (lme4 1.1-31 fails on it while pasting "0+")', () => {
    const m = expandFormula('y ~ (1 || g)');
    expect(m.random.map((r) => r.text)).toEqual(['1 | g']);
    expect(m.printed).toBe('y ~ ((1 | g))');
  });

  it('nests an interaction as (1 | a:b/c) means (lme4 1.1-31 garbles this one)', () => {
    const m = expandFormula('y ~ (1 | a:b/c)');
    expect(m.random.map((r) => [r.text, r.groupLabel, r.grouping])).toEqual([
      ['1 | c:(a:b)', 'c:(a:b)', ['c', 'a', 'b']],
      ['1 | a:b', 'a:b', ['a', 'b']],
    ]);
  });

  it('labels backticked grouping columns as lme4 does', () => {
    const m = expandFormula('y ~ x + (1 | `subject id`)');
    // lme4 names the grouping factor "subject id" (deparse of a lone symbol has no backticks)
    expect(m.random[0]).toMatchObject({ text: '1 | `subject id`', grouping: ['`subject id`'], groupLabel: 'subject id' });
    expect(m.variables.get('`subject id`')?.columns).toEqual(['subject id']);
  });

  it('gives the Diachek model its terms', () => {
    const m = expandFormula('Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment)');
    expect(m.response?.label).toBe('Effect_Size');
    expect(m.fixed.terms.map((t) => t.label)).toEqual(['Condition', 'Hemisphere', 'Condition:Hemisphere']);
    expect(m.random[0]).toMatchObject({ text: '1 + Condition | SubjectID', grouping: ['SubjectID'], groupLabel: 'SubjectID' });
    expect(m.random[0].effects).toEqual({ intercept: true, terms: [{ label: 'Condition', variables: ['Condition'] }] });
    expect(m.random[1].effects).toEqual({ intercept: true, terms: [] });
  });
});

describe("R's deparse", () => {
  it.each(fx.deparse.map((c) => [c.text, c.deparse] as const))('%s -> %s', (text, expected) => {
    expect(deparse(parseFormula(text))).toBe(expected);
  });

  it('writes numbers as R does', () => {
    expect([1e5, 1e-4, 123456, 1 / 3, 0.1 + 0.2, 1e15, 2.5e-7, 100, -0.5, 1e-300].map(deparseNumber)).toEqual([
      '1e+05', '1e-04', '123456', '0.333333333333333', '0.3', '1e+15', '2.5e-07', '100', '-0.5', '1e-300',
    ]);
  });

  it('backticks non-syntactic names only', () => {
    expect(['x', 'x.1_a', '.x', 'Größe', 'a b', '1x', '_x', '.2x', 'if', 'TRUE', 'a-b'].map(isSyntacticName)).toEqual([
      true, true, true, true, false, false, false, false, false, false, false,
    ]);
  });
});

describe('formulas that cannot describe a model', () => {
  it.each([
    ['y ~ poly(x, 2)', /unsupported function poly\(\) in the term poly\(x, 2\)/],
    ['y ~ log(x, 2)', /log\(\) takes exactly one argument/],
    ['y ~ I(x > 2)', /Unexpected character '>'/],
    ['y ~ I(x:z)', /operator : inside I\(x:z\).*not arithmetic/],
    ['y ~ 2', /the number 2 is not a term.*only 0 and 1/],
    ['y ~ (a + b)^x', /power in \(a \+ b\)\^x .*whole number/],
    ['y ~ (a + b)^1', /whole number of at least 2/],
    ['y ~ .', /'\.' \(all other columns\) is not supported/],
    ['y ~ y + x', /response y is also on the right-hand side/],
    ['y + z ~ x', /response of "y \+ z ~ x" must be a column/],
    ['y ~ x + 1 | g', /need parentheses: write \(x \+ 1 \| g\)/],
    ['y ~ x * (1 | g)', /must be added with '\+' at the top level/],
    ['y ~ x - (1 | g)', /cannot be subtracted/],
    ['y ~ x + (0 | g)', /\(0 \| g\) .*has no effects/],
    ['y ~ x + (0 + x || g) + (0 || h)', /\(0 \|\| h\) .*has no effects/],
    ['y ~ (1 | log(g))', /grouping factor log\(g\) .*must be a column/],
    ['y ~ (1 | a/(b/c))', /cannot read the grouping factor a\/\(b\/c\)/],
    ['y ~ ((1 | g) | h)', /holds another '\|'/],
  ])('%s', (f, message) => {
    let error: unknown;
    try {
      expandFormula(f);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
  });

  it('throws FormulaError for model errors', () => {
    expect(() => expandFormula('y ~ 3')).toThrow(FormulaError);
  });
});

describe('expanded formula cache', () => {
  it('gives the same frozen expansion for the same text, deeply immutable', () => {
    const text = 'Reaction ~ Days + (Days | Subject) + (1 | Other)';
    const a = expandFormula(text);
    expect(expandFormula(text)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.fixed.terms)).toBe(true);
    expect(Object.isFrozen(a.random[0].effects.terms[0].variables)).toBe(true);
    expect(Object.isFrozen(a.variables.get('Days'))).toBe(true);
    expect(() => (a.random as RandomCase[]).push({} as RandomCase)).toThrow(TypeError);
    // the same formula written differently is its own entry, with the same content
    const b = expandFormula(` ${text}`);
    expect(b).not.toBe(a);
    expect(b.printed).toBe(a.printed);
  });

  it('keeps no failed expansion: a bad formula throws every time', () => {
    expect(() => expandFormula('y ~ (x | )')).toThrow(FormulaError);
    expect(() => expandFormula('y ~ (x | )')).toThrow(FormulaError);
  });

  it('stays bounded: older texts are expanded again after many others', () => {
    const first = expandFormula('y ~ x0 + (1 | g)');
    for (let i = 1; i <= 100; i++) expandFormula(`y ~ x${i} + (1 | g)`);
    const again = expandFormula('y ~ x0 + (1 | g)');
    expect(again).not.toBe(first);
    expect(again.printed).toBe(first.printed);
  });
});
