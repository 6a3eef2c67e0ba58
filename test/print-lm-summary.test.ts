// print(summary(lm)) from plain numbers against R: the shared golden sleep_lm.json and the cases of
// test/fixtures/print/lm-cases.json (scripts/r/print-fixtures.R): numeric and factor predictors,
// interactions, no intercept, intercept only, sum contrasts, aliased columns, NA rows, weights,
// residual df <= 5 and = 0, tiny and huge scales, a call broken over two lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printLmSummary, type LmSummaryData } from '../src/print/lm-summary.js';
import { GOLDEN_DIR, loadFixture, num, nums, real, strs, type Json } from './fixtures/print/load.js';

function fromFixture(c: Json, useCallLines = true): LmSummaryData {
  const fs = c.fStatistic;
  return {
    ...(useCallLines ? { callLines: strs(c.callLines) } : { formula: c.formula, dataName: c.dataName }),
    residuals: nums(c.residuals) as number[],
    residualNames: strs(c.residualNames),
    residualQuantiles: nums(c.residualQuantiles) as number[],
    weighted: c.weighted,
    coefficients: c.coefficients.map((r: Json) => ({ term: r.term, estimate: num(r.estimate), se: num(r.se), t: num(r.t), p: num(r.p) })),
    sigma: real(c.sigma),
    dfResidual: c.df[1],
    rank: c.df[0],
    naMessage: c.naMessage,
    rSquared: real(c.rSquared),
    adjRSquared: real(c.adjRSquared),
    fStatistic: fs ? { value: real(fs.value), numdf: fs.numdf, dendf: fs.dendf, p: num(fs.p) } : null,
  };
}

const cases: Json[] = loadFixture('lm-cases.json');

describe('print(summary(lm)) from plain numbers', () => {
  it('matches the shared golden sleep_lm summary_text', () => {
    const g = JSON.parse(readFileSync(join(GOLDEN_DIR, 'sleep_lm.json'), 'utf8'));
    const q = g.residual_quantiles;
    const text = printLmSummary({
      formula: g.formula,
      dataName: 'sleepstudy',
      residualQuantiles: [q.Min, q['1Q'], q.Median, q['3Q'], q.Max],
      coefficients: g.coefficients.map((r: Json) => ({ term: r.term, estimate: r.Estimate, se: r['Std. Error'], t: r['t value'], p: r['Pr(>|t|)'] })),
      sigma: g.sigma,
      dfResidual: g['df.residual'],
      rSquared: g['r.squared'],
      adjRSquared: g['adj.r.squared'],
      fStatistic: { value: g.fstatistic.value, numdf: g.fstatistic.numdf, dendf: g.fstatistic.dendf, p: g.fstatistic_p },
    });
    expect(text).toBe(g.summary_text);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s matches R', (_, c) => {
    expect(printLmSummary(fromFixture(c))).toBe(c.text);
  });

  it.each(cases.filter((c) => !/weights|contrasts/.test(c.call)).map((c) => [c.id, c] as const))(
    '%s: the call deparsed from formula and data name matches R',
    (_, c) => {
      expect(printLmSummary(fromFixture(c, false))).toBe(c.text);
    },
  );

  it('computes the residual quantiles from the residuals as R does', () => {
    for (const c of cases.filter((x) => x.df[1] > 5)) {
      const d = fromFixture(c);
      delete d.residualQuantiles;
      expect(printLmSummary(d)).toBe(c.text);
    }
  });
});
