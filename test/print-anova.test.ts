// lme4's likelihood-ratio anova and lmerTest's type I/II/III tables from plain numbers against R: the
// shared goldens (anova_sleep, anova_sleep_lm, every lmer golden's anova_typeIII_text) and
// test/fixtures/print/anova-cases.json (2, 3 and 4 models, equal npar, long formulas; tables with
// several terms, intercept-only models, huge numbers).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printAnovaLrt, type AnovaLrtRow } from '../src/print/anova-lrt.js';
import { printAnovaType3 } from '../src/print/anova-type3.js';
import { GOLDEN_DIR, anovaFRows, loadFixture, num, real, strs, type Json } from './fixtures/print/load.js';

const golden = (id: string): Json => JSON.parse(readFileSync(join(GOLDEN_DIR, `${id}.json`), 'utf8'));
const goldenIds = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
const fx = loadFixture('anova-cases.json');

const lrtRows = (rows: Json[]): AnovaLrtRow[] =>
  rows.map((r) => ({
    model: r.model,
    npar: real(r.npar),
    AIC: real(r.AIC),
    BIC: real(r.BIC),
    logLik: real(r.logLik),
    deviance: real(r.deviance),
    Chisq: num(r.Chisq),
    Df: num(r.Df),
    p: num(r['Pr(>Chisq)']),
  }));

describe('likelihood-ratio anova (lme4)', () => {
  it.each(['anova_sleep', 'anova_sleep_lm'])('golden %s', (id) => {
    const g = golden(id);
    expect(printAnovaLrt({ heading: g.heading, rows: lrtRows(g.rows) })).toBe(g.printed_text);
  });
  it('builds the heading from the data name and model formulas', () => {
    const g = golden('anova_sleep');
    const models = g.rows.map((r: Json) => ({ name: r.model, formula: String(g.fits[r.model]).replace(/^.*lmer\((.*), data = .*$/, '$1') }));
    expect(printAnovaLrt({ dataName: 'sleepstudy', models, rows: lrtRows(g.rows) })).toBe(g.printed_text);
  });
  it.each(Object.keys(fx.lrt))('R fixture %s', (id) => {
    const c = fx.lrt[id];
    expect(printAnovaLrt({ heading: strs(c.heading), rows: lrtRows(c.rows) })).toBe(c.text);
  });
});

describe("lmerTest's anova tables", () => {
  it.each(goldenIds.filter((id) => golden(id).kind === 'lmer'))('golden %s anova_typeIII_text', (id) => {
    const g = golden(id);
    expect(printAnovaType3({ rows: anovaFRows(g.anova_typeIII) })).toBe(g.anova_typeIII_text);
  });
  for (const c of fx.type3 as Json[]) {
    it.each([1, 2, 3] as const)(`R fixture ${c.id}, type %i`, (type) => {
      const t = c[`type${type}`];
      expect(printAnovaType3({ type, rows: anovaFRows(t.rows) })).toBe(t.text);
      expect(printAnovaType3({ heading: strs(t.heading)[0], rows: anovaFRows(t.rows) })).toBe(t.text);
    });
  }
});

describe("lmerTest's anova with Kenward-Roger df", () => {
  it('names the method in the heading', () => {
    const kr = fx.kenward;
    expect(printAnovaType3({ ddfName: "Kenward-Roger's", rows: anovaFRows(kr.anova_rows) })).toBe(kr.anova_text);
  });
});
