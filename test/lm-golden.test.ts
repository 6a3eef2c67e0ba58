// lm against R 4.2.2 (fixtures from scripts/r/lm-cases.R and the shared sleep_lm golden): numbers and
// the printed summary, character for character.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lm } from '../src/fit/lm.js';
import { readDataFile } from '../src/data/read-file.js';
import { summaryLm } from '../src/print/summary.js';
import type { ContrastSpec } from '../src/frame/contrasts.js';
import { ROOT, loadGolden, relErr } from './helpers/golden.js';

const dir = join(ROOT, 'test/fixtures/lm');
const cases = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));

describe.each(cases.map((c) => [c.id, c]))('lm %s', (_id, c) => {
  const fit = lm(c.formula, readDataFile(join(ROOT, c.data)), {
    dataName: c.dataName,
    contrasts: (c.contrasts ?? undefined) as Record<string, ContrastSpec> | undefined,
  });

  it('matches coefficients, SEs, t, p (1e-8 relative) and NA for aliased terms', () => {
    const rows = fit.coefficientTable();
    expect(rows.map((r) => r.term)).toEqual(c.coefficients.map((r: { term: string }) => r.term));
    rows.forEach((r, i) => {
      const ref = c.coefficients[i];
      for (const k of ['estimate', 'se', 't'] as const) {
        if (ref[k] === null) expect(r[k]).toBeNull();
        else expect(relErr(r[k]!, ref[k])).toBeLessThan(1e-8);
      }
      if (ref.p === null) expect(r.p).toBeNull();
      else expect(relErr(r.p!, ref.p)).toBeLessThan(1e-6);
    });
  });

  it('matches sigma, R², F, residual quantiles, logLik, AIC, BIC', () => {
    expect(fit.nobs).toBe(c.nobs);
    expect(fit.dfResidual).toBe(c.dfResidual);
    expect(relErr(fit.sigma, c.sigma)).toBeLessThan(1e-10);
    const f = fit.goodnessOfFit();
    expect(relErr(f.rSquared, c.rSquared)).toBeLessThan(1e-9);
    expect(relErr(f.adjRSquared, c.adjRSquared)).toBeLessThan(1e-9);
    if (c.fStatistic === null) expect(f.fStatistic).toBeNull();
    else {
      expect(relErr(f.fStatistic!.value, c.fStatistic.value)).toBeLessThan(1e-9);
      expect(f.fStatistic!.numdf).toBe(c.fStatistic.numdf);
      expect(f.fStatistic!.dendf).toBe(c.fStatistic.dendf);
      expect(relErr(f.fStatistic!.p, c.fStatistic.p)).toBeLessThan(1e-6);
    }
    fit.residualQuantiles().forEach((q, i) => expect(Math.abs(q - c.residualQuantiles[i])).toBeLessThan(1e-9 * Math.max(1, Math.abs(c.residualQuantiles[i]))));
    expect(relErr(fit.logLik(), c.logLik)).toBeLessThan(1e-12);
    expect(fit.npar).toBe(c.df);
    expect(relErr(fit.AIC(), c.AIC)).toBeLessThan(1e-12);
    expect(relErr(fit.BIC(), c.BIC)).toBeLessThan(1e-12);
    // R's fitted values come through Q (y − residuals); ours are Xβ: equal to 1e-10 of the data's scale
    const scale = Math.max(...c.fitted_first10.map(Math.abs));
    c.fitted_first10.forEach((v: number, i: number) => expect(Math.abs(fit.fitted()[i] - v)).toBeLessThan(1e-10 * scale));
  });

  it('prints summary() exactly as R', () => {
    expect(summaryLm(fit)).toBe(c.summary_text);
  });
});

describe('lm golden sleep_lm (shared reference)', () => {
  const g = loadGolden('sleep_lm');
  it('prints the summary exactly as R', () => {
    const fit = lm(g.formula, readDataFile(join(ROOT, 'data', g.data)), { dataName: 'sleepstudy' });
    expect(summaryLm(fit)).toBe(g.summary_text);
  });
});

describe("summary.lm's perfect-fit warning (R 4.2.2 on these data: warns for the first two, not the third)", () => {
  const rows = (y: (i: number) => number) => Array.from({ length: 30 }, (_, i) => ({ y: y(i), x: i % 7, g: `g${i % 3}` }));
  it.each([
    ['constant y', () => 3, true],
    ['y linear in x', (i: number) => 2 * (i % 7) + 1, true],
    ['y = sin(i)', (i: number) => Math.sin(i), false],
  ] as const)('%s', (_name, y, warns) => {
    expect(lm('y ~ x + g', rows(y)).warnings).toEqual(warns ? ['essentially perfect fit: summary may be unreliable'] : []);
  });
});
