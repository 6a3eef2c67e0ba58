// R's number formatting primitives, named-vector and numeric-matrix printing against
// test/fixtures/print/format-extra.json (scripts/r/print-fixtures.R, R 4.2.2).
import { describe, expect, it } from 'vitest';
import { catNumber, formatC, formatNumbers, signifR, zapsmall } from '../src/text/format-number.js';
import { printNumericMatrix } from '../src/text/coef-table.js';
import { printFixefVector } from '../src/text/fixef.js';
import { loadFixture, nums, strs, type Json } from './fixtures/print/load.js';

const cases: Json[] = loadFixture('format-extra.json');
const byFn = (fn: string): Json[] => cases.filter((c) => c.fn === fn);

describe('R number formatting (format-extra fixtures)', () => {
  it('format(x, digits) for digits 1..15, near ties, extremes and specials', () => {
    const cs = byFn('format');
    expect(cs.length).toBeGreaterThan(800);
    for (const c of cs) expect({ x: c.x, d: c.digits, out: formatNumbers(nums(c.x), c.digits) }).toEqual({ x: c.x, d: c.digits, out: strs(c.out) });
  });
  it('format(x, digits, nsmall)', () => {
    for (const c of byFn('format_nsmall'))
      expect({ x: c.x, out: formatNumbers(nums(c.x), c.digits, c.nsmall) }).toEqual({ x: c.x, out: strs(c.out) });
  });
  it('zapsmall(x, digits)', () => {
    for (const c of byFn('zapsmall')) expect(zapsmall(nums(c.x) as number[], c.digits)).toEqual(nums(c.out));
  });
  it('formatC(x, digits) and format(signif(x, digits))', () => {
    for (const c of byFn('formatC')) expect({ x: c.x, out: formatC(nums(c.x)[0] as number, c.digits) }).toEqual({ x: c.x, out: strs(c.out)[0] });
    for (const c of byFn('format_signif'))
      expect({ x: c.x, d: c.digits, out: formatNumbers([signifR(nums(c.x)[0] as number, c.digits)]) }).toEqual({ x: c.x, d: c.digits, out: strs(c.out) });
  });
  it('cat(x)', () => {
    for (const c of byFn('cat')) expect({ x: c.x, out: catNumber(nums(c.x)[0]) }).toEqual({ x: c.x, out: strs(c.out)[0] });
  });
  it('print() of named numeric vectors', () => {
    for (const c of byFn('print_named')) expect(printFixefVector({ names: strs(c.names), values: nums(c.x), digits: c.digits })).toBe(c.text);
  });
  it('print() of numeric matrices', () => {
    for (const c of byFn('print_matrix'))
      expect(printNumericMatrix({ rowNames: strs(c.rownames), colNames: strs(c.colnames), values: (c.x as unknown[][]).map(nums) })).toBe(c.text);
  });
});

describe("R's abbreviate()", () => {
  it('matches R on coefficient names and random strings (minlength 4, 6, 11)', async () => {
    const { abbreviate } = await import('../src/print/abbreviate.js');
    const cs = byFn('abbreviate');
    expect(cs.length).toBeGreaterThan(100);
    for (const c of cs) expect({ names: c.names, ml: c.minlength, out: abbreviate(strs(c.names), c.minlength) }).toEqual({ names: c.names, ml: c.minlength, out: strs(c.out) });
  });
});

describe('formatC with format, width and flag', () => {
  it('matches R', () => {
    const cs = byFn('formatC_opts');
    expect(cs.length).toBe(150);
    for (const c of cs) {
      const got = formatC(nums(c.x)[0], c.digits, { width: c.width ?? undefined, format: c.format, flag: c.flag });
      expect({ c, got }).toEqual({ c, got: strs(c.out)[0] });
    }
  });
});
