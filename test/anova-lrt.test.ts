// Likelihood-ratio anova against lme4's anova() goldens: REML refit, lm vs lmer, three models.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lm } from '../src/fit/lm.js';
import { lmer } from '../src/fit/lmer.js';
import { readDataFile } from '../src/data/read-file.js';
import { anovaLRT, REFIT_MESSAGE } from '../src/infer/anova-lrt.js';
import { formatAnovaLRT } from '../src/print/anova-lrt.js';
import { ROOT, loadGolden, relErr } from './helpers/golden.js';

const sleep = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
const opts = { dataName: 'sleepstudy' };

function compareRows(got: ReturnType<typeof anovaLRT>, ref: Record<string, number | string | null>[]): void {
  expect(got.rows.map((r) => r.name)).toEqual(ref.map((r) => r.model));
  got.rows.forEach((r, i) => {
    const g = ref[i];
    expect(r.npar).toBe(g.npar);
    for (const [mine, theirs] of [[r.AIC, g.AIC], [r.BIC, g.BIC], [r.logLik, g.logLik], [r.deviance, g.deviance]] as [number, number][]) {
      expect(relErr(mine, theirs)).toBeLessThan(1e-7);
    }
    if (g.Chisq === null) expect(r.chisq).toBeNull();
    else expect(Math.abs(r.chisq! - (g.Chisq as number))).toBeLessThan(1e-5);
    expect(r.df).toBe(g.Df);
    if (g['Pr(>Chisq)'] !== null) expect(relErr(r.p!, g['Pr(>Chisq)'] as number)).toBeLessThan(1e-4);
  });
}

describe('anova (likelihood ratio)', () => {
  it('refits REML fits by ML and matches lme4 (anova_sleep)', () => {
    const g = loadGolden('anova_sleep');
    const sleep_slope = lmer('Reaction ~ Days + (Days | Subject)', sleep, opts);
    const sleep_ri = lmer('Reaction ~ Days + (1 | Subject)', sleep, opts);
    const t = anovaLRT({ sleep_slope, sleep_ri });
    expect(t.messages).toEqual([REFIT_MESSAGE]);
    expect(t.refitML).toBe(true);
    compareRows(t, g.rows);
    expect(formatAnovaLRT(t).join('\n')).toBe(g.printed_text);
  });

  it('compares an lm with an ML lmer fit (anova_sleep_lm)', () => {
    const g = loadGolden('anova_sleep_lm');
    const lmfit = lm('Reaction ~ Days', sleep, opts);
    const lmerfit = lmer('Reaction ~ Days + (1 | Subject)', sleep, { ...opts, REML: false });
    const t = anovaLRT({ lmfit, lmerfit });
    expect(t.messages).toEqual([]);
    compareRows(t, g.rows);
    expect(formatAnovaLRT(t).join('\n')).toBe(g.printed_text);
  });

  it('compares three models at once (R fixture)', () => {
    const g = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/anova/anova_three.json'), 'utf8'));
    const fm0 = lm('Reaction ~ Days', sleep, opts);
    const fm2 = lmer('Reaction ~ Days + (Days | Subject)', sleep, opts);
    const fm1 = lmer('Reaction ~ Days + (1 | Subject)', sleep, opts);
    const t = anovaLRT({ fm2, fm0, fm1 });
    compareRows(t, g.rows);
    expect(formatAnovaLRT(t).join('\n')).toBe(g.printed_text);
  });

  it('refuses models fitted to different rows', () => {
    const na = readDataFile(join(ROOT, 'test/fixtures/data/sleepstudy_na.csv'));
    const a = lm('Reaction ~ Days', na, { dataName: 'x' });
    const b = lm('Reaction ~ 1', na, { dataName: 'x' });
    expect(() => anovaLRT([a, b])).toThrow(/same size of dataset/);
  });
});
