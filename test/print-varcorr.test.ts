// print(VarCorr(m)), print(fixef(m)) and print(coef(summary(m))) from plain numbers against R
// (test/fixtures/print/lmer/ID.json, scripts/r/print-fixtures.R), and the type I/II/III tables there.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printVarCorrTable, varCorrTermsFromRows } from '../src/text/varcorr.js';
import { printFixefVector } from '../src/text/fixef.js';
import { printNumericMatrix } from '../src/text/coef-table.js';
import { printAnovaType3 } from '../src/print/anova-type3.js';
import { PRINT_FIXTURES, anovaFRows, loadFixture, num, type Json } from './fixtures/print/load.js';

const ids = readdirSync(join(PRINT_FIXTURES, 'lmer'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

describe.each(ids)('%s', (id) => {
  const fx = loadFixture(`lmer/${id}.json`);
  const { terms, sigma } = varCorrTermsFromRows(
    fx.varcorr.map((r: Json) => ({ grp: r.grp, var1: r.var1, var2: r.var2, vcov: num(r.vcov), sdcor: num(r.sdcor) })),
  );
  it('print(VarCorr(m)) with the default, both components, and digits = 3', () => {
    expect(printVarCorrTable({ terms, sigma })).toBe(fx.text_varcorr);
    expect(printVarCorrTable({ terms, sigma, comp: ['Variance', 'Std.Dev.'] })).toBe(fx.text_varcorr_both);
    expect(printVarCorrTable({ terms, sigma, digits: 3 })).toBe(fx.text_varcorr_digits3);
  });
  it('print(fixef(m))', () => {
    const rows: Json[] = fx.coefficients_lme4;
    expect(printFixefVector({ names: rows.map((r) => r.term), values: rows.map((r) => num(r.Estimate)) })).toBe(fx.text_fixef);
  });
  it('print(coef(summary(m))) of lmerTest and of lme4', () => {
    const t: Json[] = fx.coefficients;
    expect(
      printNumericMatrix({
        rowNames: t.map((r) => r.term),
        colNames: fx.coef_colnames ?? ['Estimate', 'Std. Error', 'df', 't value', 'Pr(>|t|)'],
        values: t.map((r) => [num(r.Estimate), num(r['Std. Error']), num(r.df), num(r['t value']), num(r['Pr(>|t|)'])]),
      }),
    ).toBe(fx.text_coef_lmerTest);
    const l: Json[] = fx.coefficients_lme4;
    expect(
      printNumericMatrix({
        rowNames: l.map((r) => r.term),
        colNames: fx.coef_colnames_lme4 ?? ['Estimate', 'Std. Error', 't value'],
        values: l.map((r) => [num(r.Estimate), num(r['Std. Error']), num(r['t value'])]),
      }),
    ).toBe(fx.text_coef_lme4);
  });
  it('anova(m) type III table', () => {
    expect(printAnovaType3({ rows: anovaFRows(fx.anova_typeIII) })).toBe(fx.text_anova_typeIII);
  });
});
