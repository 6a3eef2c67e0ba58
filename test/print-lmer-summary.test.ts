// print(summary(m)) of lmer fits from plain numbers, digit for digit:
// - every lmer golden of test/fixtures/golden (their numbers; the scaled-residual quantiles, not stored
//   there, from test/fixtures/print/lmer/ID.json) against its summary_text;
// - every model of test/fixtures/print/lmer (scripts/r/print-fixtures.R): lmerTest's and plain lme4's
//   summaries, the summary with print(x, correlation = TRUE), a summary with edited optimizer results
//   (convergence code 1 with message, lme4 message, optimizer warning, "fit warnings:").
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printLmerSummary, type LmerSummaryData } from '../src/print/lmer-summary.js';
import { varCorrTermsFromRows, type VarCorrRow } from '../src/text/varcorr.js';
import { GOLDEN_DIR, PRINT_FIXTURES, loadFixture, num, nums, real, strs, type Json } from './fixtures/print/load.js';

const LMER_DIR = join(PRINT_FIXTURES, 'lmer');
const fixtureIds = readdirSync(LMER_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
const goldenIds = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .filter((id) => JSON.parse(readFileSync(join(GOLDEN_DIR, `${id}.json`), 'utf8')).kind === 'lmer')
  .sort();

function varcorrRows(rows: Json[]): VarCorrRow[] {
  return rows.map((r) => ({
    grp: r.grp,
    var1: r.var1,
    var2: r.var2,
    vcov: num(r.vcov),
    // a correlation that R printed as NaN is null in the JSON of the goldens
    sdcor: r.var2 !== null && r.sdcor === null ? NaN : num(r.sdcor),
  }));
}

function correlationFromVcov(v: Json): number[][] {
  const V: number[][] = v.values;
  const sd = V.map((r, i) => Math.sqrt(r[i]));
  return V.map((r, i) => r.map((x, j) => (i === j ? 1 : x / (sd[i] * sd[j]))));
}

/** The printer's input from a golden-like object (goldens and print fixtures share the field names). */
function summaryData(g: Json, quantiles: number[], satterthwaite: boolean): LmerSummaryData {
  const { terms, sigma } = varCorrTermsFromRows(varcorrRows(g.varcorr));
  const rows: Json[] = satterthwaite ? g.coefficients : (g.coefficients_lme4 ?? g.coefficients);
  return {
    reml: g.REML,
    satterthwaite,
    formula: g.formula,
    dataName: g.dataName ?? String(g.data).replace(/\.csv$/, ''),
    REMLcrit: g.REMLcrit === null ? null : real(g.REMLcrit),
    AIC: real(g.AIC),
    BIC: real(g.BIC),
    logLik: real(typeof g.logLik === 'object' ? g.logLik.value : g.logLik),
    deviance: g.deviance === null || g.deviance === undefined ? null : real(g.deviance),
    dfResidual: real(g['df.residual']),
    scaledResidualQuantiles: quantiles,
    varcorr: terms,
    sigma: sigma ?? real(g.sigma),
    nobs: g.nobs,
    ngroups: g.ngroups,
    coefficients: rows.map((r) => ({
      term: r.term,
      estimate: real(r.Estimate),
      se: real(r['Std. Error']),
      df: num(r.df) ?? NaN,
      t: real(r['t value']),
      p: num(r['Pr(>|t|)']) ?? NaN,
    })),
    correlation: g.correlation ? (g.correlation as unknown[][]).map((r) => nums(r) as number[]) : g.vcov ? correlationFromVcov(g.vcov) : null,
    fitMessages: strs(g.fitMsgs),
    optimizerName: g.optimizer.name,
    convergenceCode: g.optimizer.code,
    optimizerMessage: g.optimizer.message,
    messages: strs(g.optimizer.lme4_messages),
    warnings: strs(g.optimizer.warnings),
  };
}

describe.each(goldenIds)('golden %s', (id) => {
  const g = JSON.parse(readFileSync(join(GOLDEN_DIR, `${id}.json`), 'utf8'));
  const fx = loadFixture(`lmer/${id}.json`);
  it('prints summary_text exactly from the golden numbers', () => {
    expect(printLmerSummary(summaryData(g, nums(fx.scaledResidualQuantiles) as number[], true))).toBe(g.summary_text);
  });
});

describe.each(fixtureIds)('R fixture %s', (id) => {
  const fx = loadFixture(`lmer/${id}.json`);
  const q = nums(fx.scaledResidualQuantiles) as number[];
  it('prints lmerTest summary', () => {
    expect(printLmerSummary({ ...summaryData(fx, q, true), objectName: 'st' })).toBe(fx.text_lmerTest);
  });
  it('prints the plain lme4 summary', () => {
    expect(printLmerSummary({ ...summaryData(fx, q, false), objectName: 's4' })).toBe(fx.text_lme4);
  });
  it('prints the summary with correlation = TRUE', () => {
    expect(printLmerSummary({ ...summaryData(fx, q, true), showCorrelation: true })).toBe(fx.text_lmerTest_corr);
  });
  it('prints optimizer codes, messages, warnings and fit warnings', () => {
    const d = summaryData(fx, q, true);
    expect(
      printLmerSummary({
        ...d,
        objectName: 'sw',
        convergenceCode: 1,
        optimizerMessage: 'NLOPT_MAXEVAL_REACHED: Optimization stopped because maxeval (above) was reached.',
        messages: ['Model failed to converge with max|grad| = 0.00237 (tol = 0.002, component 1)'],
        warnings: ['convergence code 5 from nloptwrap'],
        fitMessages: ['fixed-effect model matrix is rank deficient so dropping 1 column / coefficient'],
      }),
    ).toBe(fx.text_modified);
  });
  it('deparses the formula as R does', () => {
    expect(existsSync(join(LMER_DIR, `${id}.json`))).toBe(true);
    const d = summaryData(fx, q, true);
    const withLines = printLmerSummary({ ...d, formula: undefined, formulaLines: strs(fx.formulaLines), objectName: 'st' });
    expect(printLmerSummary({ ...d, objectName: 'st' })).toBe(withLines);
  });
});

describe("lmerTest's Kenward-Roger summary", () => {
  it('names the df method in the title', () => {
    const fx = loadFixture('lmer/sleep_slope_reml.json');
    const kr = loadFixture('anova-cases.json').kenward;
    const d = summaryData({ ...fx, coefficients: kr.coefficients }, nums(fx.scaledResidualQuantiles) as number[], true);
    expect(printLmerSummary({ ...d, ddfName: "Kenward-Roger's" })).toBe(kr.summary_text);
  });
});
