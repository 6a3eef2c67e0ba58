// summary(lmer) text and lmerTest's Satterthwaite df against every lme4 golden. The model is evaluated
// at lme4's own θ (theta option): the numbers printed to 4–7 digits then depend only on the engine,
// inference and printing, not on where two optimizers stop on a flat likelihood (tested separately in
// lmer-golden.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/fit/lmer.js';
import { pTwoSidedT } from '../src/stats/distributions.js';
import { summaryLmer } from '../src/print/summary.js';
import { anovaType3 } from '../src/infer/anova-type3.js';
import { formatAnovaType3 } from '../src/print/anova-type3.js';
import { ROOT, expectSameText, extraLmerIds, goldenData, goldenDataName, goldenIds, loadGolden, relErr } from './helpers/golden.js';

// cake_ml_treat's golden Satterthwaite columns belong to a different model (see
// scripts/r/cake-treat-lmertest.R); lmerTest::lmer on the same data gives these.
const cakeTreat = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/lmertest/cake_ml_treat.json'), 'utf8'));

describe.each([...goldenIds('lmer'), ...extraLmerIds()])('summary of %s', (id) => {
  const g = loadGolden(id);
  const m = lmer(g.formula, goldenData(g), {
    REML: g.REML,
    dataName: goldenDataName(g),
    theta: Object.values(g.theta) as number[],
  });

  // diachek_full (31k rows, deviance ~6e4): both lmerTest's and our Richardson Hessians carry ~1e-3
  // relative noise there (deviance rounding 1e-13 × 6e4 over steps of 1e-3); ConditionW's df differ by 8e-4.
  const dfTol = id === 'diachek_full' ? 1e-3 : 1e-4;

  it(`has lmerTest Satterthwaite df within ${dfTol} relative`, () => {
    const tests = m.coefficientTable();
    const ref = id === 'cake_ml_treat' ? cakeTreat.coefficients : g.coefficients;
    tests.forEach((t, i) => {
      expect(relErr(t.df, ref[i].df)).toBeLessThan(dfTol);
      // p from our t and lmerTest's df: checks the tail computation without the df's sensitivity
      expect(relErr(pTwoSidedT(t.t, ref[i].df), ref[i].p ?? ref[i]['Pr(>|t|)'])).toBeLessThan(1e-6);
    });
  });

  it('prints the summary line for line as lme4 + lmerTest', () => {
    const ours = summaryLmer(m);
    if (id !== 'cake_ml_treat') {
      // printed df may differ within the df tolerance (or one unit in the last digit); md_full_slopes is
      // a singular fit (correlations ±1.00) whose finite-difference df carry ~1e-7 relative noise: three
      // of its df print differently in the 8th digit (114.32591 vs 114.32592, 789.60871 vs 789.60880)
      expectSameText(ours, g.summary_text, id === 'md_full_slopes' ? 4 : 2, dfTol);
      return;
    }
    const lines = ours.split('\n');
    const cut = lines.indexOf(lines.find((l) => l.startsWith('Signif. codes'))!) + 1;
    expect(lines.slice(0, cut).join('\n')).toBe(cakeTreat.summary_text.split('\n').slice(0, cut).join('\n'));
    expect(lines.slice(cut).join('\n')).toBe(g.summary_text.split('\n').slice(cut).join('\n'));
  });
});

describe.each(goldenIds('lmer'))('anova (type III, Satterthwaite) of %s', (id) => {
  const g = loadGolden(id);
  const m = lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g), theta: Object.values(g.theta) as number[] });
  it('matches lmerTest F, NumDF, DenDF and the printed table', () => {
    const rows = anovaType3(m);
    // cake_ml_treat: the golden's table belongs to another model (see scripts/r/cake-treat-lmertest.R)
    const text = id === 'cake_ml_treat' ? cakeTreat.anova_typeIII_text : g.anova_typeIII_text;
    expectSameText(formatAnovaType3(rows).join('\n'), text, 1, 1e-4);
    if (id === 'cake_ml_treat') return;
    expect(rows.length).toBe(g.anova_typeIII.length);
    rows.forEach((r, i) => {
      const ref = g.anova_typeIII[i];
      expect(r.term).toBe(ref.term);
      expect(r.numDf).toBe(ref.NumDF);
      expect(relErr(r.F, ref['F value'])).toBeLessThan(1e-8);
      expect(relErr(r.denDf, ref.DenDF)).toBeLessThan(1e-4);
      expect(relErr(r.sumSq, ref['Sum Sq'])).toBeLessThan(1e-8);
    });
  });
});

describe('Satterthwaite df do not depend on the unit of the response', () => {
  // lmerTest 3.1-3 on this model: df 7.328351 and 53.24219 for y, y·1e4; 7.359503 and 870841.8 for y·1e6
  // (its absolute eigenvalue tolerance meets H_σσ ≈ 2n/σ²), NaN for y·1e±150. Ours are computed in units of σ̂.
  const rows = (scale: number) => Array.from({ length: 60 }, (_, i) => ({ y: scale * Math.sin(i), x: i % 7, g: `g${i % 6}` }));
  const dfAt = (scale: number): number[] => lmer('y ~ x + (1 | g)', rows(scale)).coefficientTable().map((t) => t.df);
  it.each([1e-150, 1e-6, 1e6, 1e150])('y × %s: same df as lmerTest at unit scale, a summary without NaN', (scale) => {
    dfAt(scale).forEach((df, i) => expect(relErr(df, [7.328351, 53.24219][i])).toBeLessThan(1e-6));
    const text = summaryLmer(lmer('y ~ x + (1 | g)', rows(scale)));
    expect(text).not.toMatch(/NaN|Inf/);
    expect(text).toMatch(/\nx -0\.421\s*$/m); // correlation of fixed effects, as at unit scale
  });
});
