// Formula expansion and model matrices against R's terms() and model.matrix() (fixtures from
// scripts/r/model-matrix-cases.R), contrasts, parse errors with carets, lme4's bar-term expansion.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandFormula } from '../src/formula/expand.js';
import { parseFormula } from '../src/formula/parse.js';
import { FormulaError, FormulaSyntaxError } from '../src/errors.js';
import { buildModelFrame } from '../src/frame/model-frame.js';
import { modelMatrix } from '../src/design/model-matrix.js';
import { coding, type ContrastSpec } from '../src/frame/contrasts.js';
import type { Column, DataTable } from '../src/data/table.js';
import { ROOT } from './helpers/golden.js';

const fx = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/formula/model-matrix-cases.json'), 'utf8'));

function table(): DataTable {
  const columns = new Map<string, Column>();
  for (const [name, v] of Object.entries(fx.data as Record<string, unknown>)) {
    if (Array.isArray(v)) columns.set(name, { kind: 'numeric', name, values: Float64Array.from(v as number[]) });
    else {
      const f = v as { levels: string[]; values: string[]; ordered: boolean };
      columns.set(name, { kind: 'factor', name, levels: f.levels, codes: Int32Array.from(f.values, (x) => f.levels.indexOf(x)), ordered: f.ordered });
    }
  }
  const names = [...columns.keys()];
  return { names, nrow: (columns.get('y') as { values: Float64Array }).values.length, columns };
}

describe('formula terms and model matrices match R', () => {
  const data = table();
  it.each(fx.cases.map((c: { formula: string }) => [c.formula, c]))('%s', (_f, c) => {
    const f = expandFormula(c.formula);
    expect(f.fixed.terms.map((t) => t.label)).toEqual(c.terms);
    expect(f.fixed.intercept).toBe(c.intercept === 1);
    const frame = buildModelFrame(data, f);
    const X = modelMatrix(frame, f.fixed, (c.contrasts ?? {}) as Record<string, ContrastSpec>);
    expect(X.names).toEqual(c.names);
    expect(X.assign).toEqual(c.assign);
    X.columns.forEach((col, j) => col.forEach((v, i) => expect(Math.abs(v - c.columns[j][i])).toBeLessThan(1e-14)));
  });

  it('builds contr.poly exactly as R for 2..7 levels', () => {
    for (const p of fx.poly) {
      const cod = coding('f', Array.from({ length: p.k }, (_, i) => `l${i}`), 'poly');
      expect(cod.names).toEqual(p.names);
      p.matrix.forEach((row: number[], i: number) => row.forEach((v, j) => expect(Math.abs(cod.matrix[i * cod.columns + j] - v)).toBeLessThan(1e-14)));
    }
  });
});

describe('lme4 random-effect terms', () => {
  it('expands ||, / and : as lme4', () => {
    const f = expandFormula('Reaction ~ Days + (Days || Subject)');
    expect(f.random.map((r) => r.text)).toEqual(['1 | Subject', '0 + Days | Subject']);
    expect(f.printed).toBe('Reaction ~ Days + ((1 | Subject) + (0 + Days | Subject))');
    const p = expandFormula('strength ~ 1 + (1 | batch/cask)');
    expect(p.random.map((r) => r.groupLabel)).toEqual(['cask:batch', 'batch']);
    expect(p.random[0].grouping).toEqual(['cask', 'batch']);
    expect(p.printed).toBe('strength ~ 1 + (1 | batch/cask)');
    expect(expandFormula('y ~ (1 | a/b/c)').random.map((r) => r.groupLabel)).toEqual(['c:(b:a)', 'b:a', 'a']);
    const i = expandFormula('y ~ 1 + service + (1 | dept:service)');
    expect(i.random[0].grouping).toEqual(['dept', 'service']);
    const s = expandFormula('y ~ x + (1 + f | g)');
    expect(s.random[0].effects.terms.map((t) => t.label)).toEqual(['f']);
    expect(s.random[0].effects.intercept).toBe(true);
    expect(expandFormula('y ~ (0 + x | g)').random[0].effects.intercept).toBe(false);
  });
});

describe('formula errors', () => {
  const caret = (f: string): [number, string] => {
    try {
      parseFormula(f);
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaSyntaxError);
      const err = e as FormulaSyntaxError;
      const lines = err.message.split('\n');
      return [err.position, lines[lines.length - 1]];
    }
    throw new Error(`no error for ${f}`);
  };
  it.each([
    ['y ~ x +', 7],
    ['y ~ (x', 6],
    ['y ~ x))', 5],
    ['y ~ x $ z', 6],
    ['~~', 1],
    ['y ~ (1|)', 7],
    ['', 0],
    ['y ~ log(', 8],
  ])('%j fails at position %i with a caret under it', (f, pos) => {
    const [p, caretLine] = caret(f);
    expect(p).toBe(pos);
    expect(caretLine).toBe(' '.repeat(2 + pos) + '^');
  });
  it('rejects unsupported functions, numbers and bars without parentheses', () => {
    expect(() => expandFormula('y ~ poly(x, 2)')).toThrow(FormulaError);
    expect(() => expandFormula('y ~ 2')).toThrow(/only 0 and 1/);
    expect(() => expandFormula('y ~ x + 1 | g')).toThrow(/need parentheses/);
    expect(() => expandFormula('y ~ x + (0 | g)')).toThrow(/has no effects/);
  });
});
