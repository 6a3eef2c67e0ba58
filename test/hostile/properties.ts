// Properties of the parser, the CSV reader and the fits, shared by the CI test (fixed seed, bounded
// runs) and `npm run fuzz` (random seeds, as long as asked).
import fc from 'fast-check';
import { FormulaError, FormulaSyntaxError, DataError } from '../../src/errors.js';
import { parseFormula } from '../../src/formula/parse.js';
import { expandFormula } from '../../src/formula/expand.js';
import { deparse } from '../../src/formula/deparse.js';
import { parseCsv } from '../../src/data/csv.js';
import { decodeUtf8 } from '../../src/data/encoding.js';
import { lmer } from '../../src/fit/lmer.js';
import type { Expr } from '../../src/formula/types.js';

const names = fc.constantFrom('x', 'y', 'g', 'Days', 'a.b', 'x1', 'log', 'I', '.z', 'if', 'a b', 'é');
const numbers = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
const binaryOps = fc.constantFrom('+', '-', '*', '/', ':', '^', '|', '||', '%in%');

/** Random formula trees (the shapes the parser produces), a few levels deep. */
export const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    names.map((name): Expr => ({ kind: 'name', name, pos: 0 })),
    numbers.map((value): Expr => ({ kind: 'number', value, text: String(value), pos: 0 })),
    fc.record({ op: binaryOps, left: tie('expr'), right: tie('expr') }).map(
      ({ op, left, right }): Expr => ({ kind: 'binary', op: op as never, left, right, pos: 0 }),
    ),
    fc.record({ op: fc.constantFrom('+', '-'), operand: tie('expr') }).map(({ op, operand }): Expr => ({ kind: 'unary', op: op as never, operand, pos: 0 })),
    fc.record({ fn: fc.constantFrom('log', 'I', 'exp', 'poly'), args: fc.array(tie('expr'), { minLength: 1, maxLength: 2 }) }).map(
      ({ fn, args }): Expr => ({ kind: 'call', fn, args, pos: 0 }),
    ),
    tie('expr').map((inner): Expr => ({ kind: 'paren', inner, pos: 0 })),
  ),
})).expr;

/** parse(deparse(e)) deparses to the same text: printing and reading agree. */
export const roundTrip = fc.property(exprArb, fc.boolean(), (e, withResponse) => {
  const tree: Expr = withResponse ? { kind: 'formula', lhs: { kind: 'name', name: 'y', pos: 0 }, rhs: e, pos: 0 } : e;
  const text = deparse(tree);
  const again = deparse(parseFormula(text));
  if (again !== text) throw new Error(`round trip changed ${JSON.stringify(text)} into ${JSON.stringify(again)}`);
});

const formulaChars = fc.constantFrom(...'yxg~+-*/:^|()%in,` 0123456789.eE_\t\n\u0000\u001b\u202eé'.split(''));
/** Formula-like and arbitrary text: expandFormula either succeeds or throws a formula error. */
export const textOnlyFormulaErrors = fc.property(
  fc.oneof(fc.string({ unit: formulaChars, maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ maxLength: 40 })),
  (text) => {
    try {
      expandFormula(text);
    } catch (e) {
      if (!(e instanceof FormulaError || e instanceof FormulaSyntaxError)) throw e;
    }
  },
);

/** Arbitrary bytes read as a data file: a table or a DataError, nothing else. */
export const bytesOnlyDataErrors = fc.property(
  fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: fc.constantFrom(...'ab,1.5"\n\r NA-e\u00e9'.split('')), maxLength: 120 }).map((s) => new TextEncoder().encode(s)),
  ),
  (bytes) => {
    try {
      parseCsv(decodeUtf8(bytes, 'the input'));
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
    }
  },
);

/** A small balanced data set with a grouping factor (the fits below are quick). */
export function smallData(seed: number): { y: number; x: number; g: string }[] {
  let s = seed >>> 0 || 1;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const effects = Array.from({ length: 6 }, () => rnd() * 4 - 2);
  return Array.from({ length: 36 }, (_, i) => {
    const g = i % 6;
    const x = Math.floor(i / 6);
    return { y: 10 + 0.5 * x + effects[g] + rnd() * 2 - 1, x, g: `s${g}` };
  });
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
function close(what: string, a: ArrayLike<number>, b: ArrayLike<number>, tol: number, scale = 1): void {
  for (let i = 0; i < a.length; i++) {
    if (rel(a[i] * scale, b[i]) > tol && Math.abs(a[i] * scale - b[i]) > tol) {
      throw new Error(`${what}[${i}]: ${a[i] * scale} vs ${b[i]}`);
    }
  }
}

/**
 * Two fits of the same model to rearranged data agree: evaluated at the same θ, the REML criterion,
 * β and σ to 1e-10 (relative). Optimized, the criteria agree to 1e-8 but θ̂ only to 2e-3: summing in
 * another order moves BOBYQA's path by rounding, and θ̂ is determined only to its xtol_rel (1e-4 of
 * the trust region, relative to θ's scale) on a criterion this flat (seen: 1.6e-4 for the same data
 * with relabelled groups, with criteria 2.6e-9 apart).
 */
function sameFit(d1: readonly object[], d2: readonly object[]): void {
  const a = lmer('y ~ x + (1 | g)', d1 as never);
  const b = lmer('y ~ x + (1 | g)', d2 as never);
  close('REMLcrit', [a.REMLcrit as number], [b.REMLcrit as number], 1e-8);
  close('theta', a.theta, b.theta, 2e-3);
  const atSame = lmer('y ~ x + (1 | g)', d2 as never, { theta: a.theta, checkConvergence: false });
  close('REMLcrit at the same theta', [a.REMLcrit as number], [atSame.REMLcrit as number], 1e-10);
  close('beta at the same theta', a.beta, atSame.beta, 1e-10);
  close('sigma at the same theta', [a.sigma], [atSame.sigma], 1e-10);
}

export const rowOrderInvariance = fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer(), (seed, shuffleSeed) => {
  const d = smallData(seed);
  const perm = d.map((_, i) => i);
  let s = shuffleSeed >>> 0 || 7;
  for (let i = perm.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  sameFit(d, perm.map((i) => d[i]));
});

/** Rescaling y by c scales β and σ by c, keeps θ (relative) and the df. */
export const responseScaleInvariance = fc.property(
  fc.integer({ min: 1, max: 1e6 }),
  fc.constantFrom(1e-6, 0.001, 2, 1000, 1e6, -3),
  (seed, c) => {
    const d = smallData(seed);
    const a = lmer('y ~ x + (1 | g)', d);
    const b = lmer('y ~ x + (1 | g)', d.map((r) => ({ ...r, y: r.y * c })));
    // θ is found by the optimizer to its tolerance: near a boundary only its absolute size matters
    close('theta', a.theta, b.theta, 1e-4);
    close('beta', a.beta, b.beta, 1e-4, c);
    close('sigma', [a.sigma], [b.sigma], 1e-4, Math.abs(c));
    if (a.nobs !== b.nobs || a.reml !== b.reml) throw new Error('nobs or REML changed');
  },
);

/** A level name that reads as a label, not a missing value or a number (as R's read.csv would read it). */
const levelName = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() !== '' && s.trim() !== 'NA' && Number.isNaN(Number(s)));

/** Renaming the levels of the grouping factor (which reorders them) changes nothing but the names. */
export const relabelInvariance = fc.property(
  fc.integer({ min: 1, max: 1e6 }),
  fc.uniqueArray(levelName, { minLength: 6, maxLength: 6 }),
  (seed, labels) => {
    const d = smallData(seed);
    sameFit(d, d.map((r) => ({ ...r, g: labels[Number(r.g.slice(1))] })));
  },
);

/** Every property by name, with the runs CI gives it. */
export const PROPERTIES: Record<string, { property: fc.IPropertyWithHooks<never> | fc.IProperty<never>; ciRuns: number }> = {
  roundTrip: { property: roundTrip as never, ciRuns: 1000 },
  textOnlyFormulaErrors: { property: textOnlyFormulaErrors as never, ciRuns: 1000 },
  bytesOnlyDataErrors: { property: bytesOnlyDataErrors as never, ciRuns: 1000 },
  rowOrderInvariance: { property: rowOrderInvariance as never, ciRuns: 1000 },
  responseScaleInvariance: { property: responseScaleInvariance as never, ciRuns: 1000 },
  relabelInvariance: { property: relabelInvariance as never, ciRuns: 1000 },
};
