// ranova, ls_means (with pairwise differences), Wald intervals and the prints of VarCorr, fixef and
// coef(summary) against lmerTest 3.1-3 / lme4 1.1-31 (fixtures from scripts/r/inference-cases.R).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmer } from '../src/fit/lmer.js';
import { readDataFile } from '../src/data/read-file.js';
import { ranova } from '../src/infer/ranova.js';
import { formatRanova } from '../src/print/ranova.js';
import { lsMeans } from '../src/infer/ls-means.js';
import { formatLsMeans } from '../src/print/ls-means.js';
import { confintWald } from '../src/infer/confint.js';
import { confintProfile } from '../src/infer/profile.js';
import { printCoefTable, printConfint, printFixef, printVarCorr } from '../src/print/summary.js';
import { ROOT, expectSameText, relErr } from './helpers/golden.js';

const dir = join(ROOT, 'test/fixtures/inference');
const cases = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));

describe.each(cases.map((c) => [c.id, c]))('%s', (_id, c) => {
  const data = readDataFile(join(ROOT, c.data));
  // evaluated at lme4's θ: the tables then depend on our inference and printing only
  const m = lmer(c.formula, data, { REML: c.REML, theta: c.theta });

  it('ranova matches lmerTest (refits optimized by us)', () => {
    const t = ranova(m);
    t.rows.forEach((r, i) => {
      const ref = c.ranova[i];
      expect(r.name).toBe(ref.term);
      expect(r.npar).toBe(ref.npar);
      expect(Math.abs(r.logLik - ref.logLik)).toBeLessThan(1e-5);
      if (ref.LRT !== null) expect(Math.abs(r.LRT! - ref.LRT)).toBeLessThan(1e-4);
    });
    expectSameText(formatRanova(t).join('\n'), c.ranova_text, 1);
  });

  it('prints VarCorr, fixef and coef(summary) as R', () => {
    expect(printVarCorr(m)).toBe(c.varcorr_text);
    expect(printFixef(m)).toBe(c.fixef_text);
    // printed to 7 significant digits, p-values show the df's numerical noise (Richardson Hessians
    // on both sides agree to ~1e-7): a different last digit can change a column's width. The layout is
    // checked exactly where the df are exact (cake's balanced design); the numbers of every model are
    // checked in lmer-summary.test.ts.
    if (c.id === 'cake') expect(printCoefTable(m)).toBe(c.coef_text);
  });

  it('gives lme4 Wald intervals', () => {
    const ci = confintWald(m);
    expect(ci.map((r) => r.name)).toEqual(c.confint_wald.map((r: { term: string }) => r.term));
    ci.forEach((r, i) => {
      const ref = c.confint_wald[i];
      if (ref['2.5 %'] === null) expect(r.lower).toBeNull();
      else {
        expect(relErr(r.lower!, ref['2.5 %'])).toBeLessThan(1e-7);
        expect(relErr(r.upper!, ref['97.5 %'])).toBeLessThan(1e-7);
      }
    });
    const lines = printConfint(ci).split('\n');
    expect(lines[0]).toMatch(/2\.5 % +97\.5 %$/);
    expect(lines[1]).toMatch(/^\.sig01 +NA +NA$/);
  });

  // lme4 interpolates each profile with a spline through ~20 points; we find the crossing of the exact
  // profile by root finding, so the bounds agree to lme4's interpolation error (≤ 5.4e-5 seen)
  it.skipIf(!c.confint_profile)('gives lme4 profile intervals', () => {
    const ci = confintProfile(m, 0.95, false);
    expect(ci.map((r) => r.name)).toEqual(c.confint_profile.map((r: { term: string }) => r.term));
    ci.forEach((r, i) => {
      const ref = c.confint_profile[i];
      for (const [ours, theirs] of [[r.lower, ref['2.5 %']], [r.upper, ref['97.5 %']]]) {
        if (theirs === 0) expect(ours).toBe(0);
        else expect(relErr(ours!, theirs)).toBeLessThan(1e-4);
      }
    });
    const old = confintProfile(m).map((r) => r.name);
    expect(old.filter((n) => n.startsWith('.sig')).at(-1)).toBe('.sigma');
    expect(printConfint(ci).split('\n')[0]).toMatch(/2\.5 % +97\.5 %$/);
  });

  it.skipIf(!c.ls_means)('ls_means and pairwise differences match lmerTest', () => {
    for (const [rows, ref, text] of [
      [lsMeans(m), c.ls_means, c.ls_means_text],
      [lsMeans(m, { pairwise: true }), c.ls_pairs, c.ls_pairs_text],
    ] as const) {
      rows.forEach((r, i) => {
        expect(r.name).toBe(ref[i].term);
        expect(relErr(r.estimate, ref[i].Estimate)).toBeLessThan(1e-7);
        expect(relErr(r.se, ref[i]['Std. Error'])).toBeLessThan(1e-7);
        expect(relErr(r.df, ref[i].df)).toBeLessThan(1e-4);
      });
      expectSameText(formatLsMeans(rows).join('\n'), text, 1, 1e-4);
    }
  });
});
