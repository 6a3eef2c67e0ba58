// R's printCoefmat and format.pval against test/fixtures/print/coefmat-cases.json (scripts/r/print-fixtures.R).
import { describe, expect, it } from 'vitest';
import { coefmatText } from '../src/print/coefmat.js';
import { formatPval, SIGNIF_LEGEND, stars } from '../src/print/pvalue.js';
import { loadFixture, nums, strs, type Json } from './fixtures/print/load.js';

const cases: Json[] = loadFixture('coefmat-cases.json');

describe('printCoefmat', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i matches R', (_, c) => {
    const text = coefmatText(
      { rowNames: strs(c.rownames), colNames: strs(c.colnames), values: (c.values as unknown[][]).map(nums) },
      {
        digits: c.digits,
        signifStars: c.signif_stars ?? true,
        signifLegend: c.signif_legend ?? true,
        // R's 1-based column roles
        ...(c.cs_ind ? { csInd: (c.cs_ind as number[]).map((j) => j - 1) } : {}),
        ...(c.tst_ind ? { tstInd: (c.tst_ind as number[]).map((j) => j - 1) } : {}),
        ...(c.zap_ind ? { zapInd: (c.zap_ind as number[]).map((j) => j - 1) } : {}),
        ...(c.na_print !== undefined ? { naPrint: c.na_print } : {}),
      },
    );
    expect(text).toBe(c.text);
  });
});

describe('format.pval and stars', () => {
  it('formats tiny p-values as R does in and out of a column', () => {
    expect(formatPval([1e-20], 4)).toEqual(['< 2.2e-16']);
    expect(formatPval([1e-20, 0.5], 4)).toEqual(['<2e-16', '0.5']);
    expect(formatPval([1e-20], 1)).toEqual(['<2e-16']);
    expect(formatPval([null, 0.01234], 3)).toEqual(['NA', '0.0123']);
  });
  it('cuts stars at 0.001, 0.01, 0.05 and 0.1 (intervals closed on the right)', () => {
    expect([0, 0.001, 0.0011, 0.01, 0.05, 0.1, 0.11, 1, null, NaN].map(stars)).toEqual(['***', '***', '**', '**', '*', '.', ' ', ' ', '', '']);
    expect(SIGNIF_LEGEND).toBe('Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1');
  });
});
