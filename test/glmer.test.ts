import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readDataFile } from '../src/data/read-file.js';
import { glmer, type GlmerOptions } from '../src/fit/glmer.js';
import { DataError, ModelError, OptionError } from '../src/errors.js';
import { summary, varCorr } from '../src/index.js';

interface Golden {
  minus2logLik: number;
  deviance: number;
  theta: Record<string, number>;
  beta: Record<string, number>;
  coefficients: { term: string; 'Std. Error': number; 'z value': number }[];
  summary_text: string;
}
const golden = (id: string): Golden => JSON.parse(readFileSync(`test/fixtures/glmer/${id}.json`, 'utf8'));

const cases: { id: string; file: string; formula: string; options: GlmerOptions; summary: boolean; evaluations?: number }[] = [
  { id: 'cbpp_binom', file: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', options: { family: 'binomial', dataName: 'cbpp', optimizer: 'nelder-mead' }, summary: true, evaluations: 285 },
  { id: 'cbpp_binom_agq25', file: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', options: { family: 'binomial', nAGQ: 25, dataName: 'cbpp', optimizer: 'nelder-mead' }, summary: true, evaluations: 184 },
  { id: 'cbpp_binom_nagq0', file: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', options: { family: 'binomial', nAGQ: 0, dataName: 'cbpp' }, summary: true, evaluations: 18 },
  { id: 'cbpp_probit', file: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', options: { family: 'binomial', link: 'probit', dataName: 'cbpp', optimizer: 'nelder-mead' }, summary: true, evaluations: 183 },
  {
    id: 'grouseticks_pois',
    file: 'data/grouseticks.csv',
    formula: 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)',
    options: { family: 'poisson', dataName: 'grouseticks' },
    // stage 1 ends a hair away from lme4's (92 BOBYQA evaluations), so Nelder–Mead takes another path
    // (994 evaluations, lme4 1003): −2 log L agrees to 3e-12 but β only to ~2e-5, the 6th printed digit
    summary: false,
  },
  {
    id: 'verbagg_bern',
    file: 'test/fixtures/glmer/VerbAgg.csv',
    formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)',
    options: { family: 'binomial', dataName: 'VerbAgg' },
    summary: false,
  },
];

describe('glmer against lme4 1.1-31 goldens', () => {
  for (const c of cases) {
    it(c.id, { timeout: 120_000 }, () => {
      const g = golden(c.id);
      const m = glmer(c.formula, readDataFile(c.file), c.options);
      expect(Math.abs(m.minus2LogLik() - g.minus2logLik) / g.minus2logLik).toBeLessThan(1e-6);
      expect(Math.abs(m.deviance() - g.deviance) / g.deviance).toBeLessThan(1e-5);
      const theta = Object.values(m.theta());
      Object.values(g.theta).forEach((t, i) => expect(Math.abs(theta[i] - t) / t).toBeLessThan(1e-3));
      const fe = m.fixef();
      for (const [k, b] of Object.entries(g.beta)) expect(Math.abs((fe[k] as number) - b)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));
      const coefs = m.coefficientTable();
      g.coefficients.forEach((row, i) => {
        expect(coefs[i].term).toBe(row.term);
        expect(Math.abs(coefs[i].se - row['Std. Error']) / row['Std. Error']).toBeLessThan(1e-3);
        expect(Math.abs(coefs[i].z - row['z value']) / Math.abs(row['z value'])).toBeLessThan(1e-3);
      });
      // optimizer 'nelder-mead' is lme4's Nelder_Mead step for step: the same number of evaluations where
      // stage 1 ends at the same θ, so the same point to the printed digits
      if (c.evaluations !== undefined) expect(m.optimizer.evaluations).toBe(c.evaluations);
      if (c.summary) expect(String(summary(m)).split('\n')).toEqual(g.summary_text.split('\n'));
      const json = JSON.parse(JSON.stringify(m));
      expect(json.kind).toBe('glmer');
      expect(json.nobs).toBe(m.nobs);
    });
  }
});

describe('glmer responses, offsets and weights', () => {
  const cbpp = readDataFile('data/cbpp.csv');
  const rows = Array.from({ length: cbpp.nrow }, (_, i) => {
    const col = (name: string) => cbpp.columns.get(name)!;
    const num = (name: string) => (col(name) as { values: Float64Array }).values[i];
    const herd = col('herd') as { codes: Int32Array; levels: readonly string[] };
    const period = col('period') as { codes: Int32Array; levels: readonly string[] };
    return { herd: herd.levels[herd.codes[i]], period: period.levels[period.codes[i]], incidence: num('incidence'), size: num('size') };
  });
  const withProp = rows.map((r) => ({ ...r, prop: r.incidence / r.size }));

  it('a proportion with weights = trials gives the cbind fit', { timeout: 60_000 }, () => {
    const a = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', withProp, { family: 'binomial' });
    const b = glmer('prop ~ period + (1 | herd)', withProp, { family: 'binomial', weights: 'size' });
    expect(Math.abs(a.minus2LogLik() - b.minus2LogLik())).toBeLessThan(1e-6 * a.minus2LogLik());
    expect(Object.values(b.fixef())[1]).toBeCloseTo(Object.values(a.fixef())[1] as number, 5);
  });

  it('offset(...) in the formula equals the offset option', { timeout: 60_000 }, () => {
    const a = glmer('incidence ~ period + offset(log(size)) + (1 | herd)', rows, { family: 'poisson' });
    const b = glmer('incidence ~ period + (1 | herd)', rows, { family: 'poisson', offset: rows.map((r) => Math.log(r.size)) });
    expect(a.minus2LogLik()).toBeCloseTo(b.minus2LogLik(), 8);
    expect(a.fitted()[0]).toBeCloseTo(b.fitted()[0], 8);
  });

  it('refuses bad input with typed errors', () => {
    expect(() => glmer('incidence ~ period + (1 | herd)', rows, { family: 'binomial' })).toThrow(DataError);
    expect(() => glmer('incidence ~ period + (1 | herd)', rows, { family: 'Gamma' })).toThrow(ModelError);
    expect(() => glmer('incidence ~ period + (1 | herd) + (1 | period)', rows, { family: 'poisson', nAGQ: 5 })).toThrow(
      /single, scalar random-effects term/,
    );
    expect(() => glmer('incidence ~ period + (1 | herd)', rows, { family: 'poisson', link: 'logit' })).toThrow(OptionError);
    expect(() => glmer('incidence ~ period + (1 | herd)', rows, { family: 'poisson', weights: [1, 2] })).toThrow(DataError);
    expect(() => glmer('incidence ~ period + (1 | herd)', rows, { family: 'poisson', weights: rows.map(() => -1) })).toThrow(DataError);
    const neg = rows.map((r, i) => ({ ...r, incidence: i === 3 ? -1 : r.incidence }));
    expect(() => glmer('incidence ~ period + (1 | herd)', neg, { family: 'poisson' })).toThrow(/row 4/);
    const three = rows.map((r, i) => ({ ...r, answer: ['no', 'perhaps', 'yes'][i % 3] }));
    expect(() => glmer('answer ~ size + (1 | herd)', three, { family: 'binomial' })).toThrow(/3 levels/);
  });
});

describe('glmer accessors against the cbpp golden', () => {
  it('fitted, linear predictor, residuals, ranef and predict on new data', { timeout: 60_000 }, () => {
    const g = JSON.parse(readFileSync('test/fixtures/glmer/cbpp_binom.json', 'utf8'));
    const data = readDataFile('data/cbpp.csv');
    // lme4's optimizer, so that the point is lme4's to ~1e-8: the default stops on the same flat optimum a few
    // 1e-6 away in θ, which the fitted values show in their 6th digit
    const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', data, { family: 'binomial', optimizer: 'nelder-mead' });
    const near = (a: number[], b: number[], tol: number) => b.forEach((v, i) => expect(Math.abs(a[i] - v)).toBeLessThan(tol * Math.max(1, Math.abs(v))));
    near(m.fitted(), g.fitted_first20, 1e-6);
    near(m.fitted({ type: 'link' }), g.linear_predictor_first20, 1e-6);
    near(m.residuals(), g.residuals_deviance_first20, 1e-5);
    near(m.residuals('pearson'), g.residuals_pearson_first20, 1e-5);
    const herd = m.ranef({ condVar: true }).herd;
    expect(herd.levels.slice(0, 5)).toEqual(g.ranef_first5.herd.levels);
    near(herd.values.slice(0, 5).map((r) => r[0]), g.ranef_first5.herd.values.map((r: number[]) => r[0]), 1e-5);
    near(herd.condVar!.slice(0, 5).map((v) => v[0][0]), g.ranef_first5.herd.condVar.map((v: number[][]) => v[0][0]), 1e-5);
    // predict on the fitted rows reproduces the fit; without random effects it is Xβ
    near(m.predict(data, { type: 'response' }), m.fitted(), 1e-12);
    const fe = Object.values(m.fixef()) as number[];
    expect(m.predict(data, { re: false })[0]).toBeCloseTo(fe[0], 12);
    const resp = m.residuals('response');
    const work = m.residuals('working');
    expect(resp.length).toBe(56);
    expect(work.every(Number.isFinite)).toBe(true);
  });
});

describe('anova between glmer fits', () => {
  it('anova_cbpp: likelihood-ratio test as lme4 prints it', { timeout: 60_000 }, async () => {
    const { anova } = await import('../src/index.js');
    const g = JSON.parse(readFileSync('test/fixtures/glmer/anova_cbpp.json', 'utf8'));
    const data = readDataFile('data/cbpp.csv');
    const gm0 = glmer('cbind(incidence, size - incidence) ~ 1 + (1 | herd)', data, { family: 'binomial', dataName: 'cbpp' });
    const gm1 = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', data, { family: 'binomial', dataName: 'cbpp' });
    const t = anova({ gm0, gm1 });
    t.rows.forEach((r, i) => {
      const e = g.rows[i];
      expect(r.npar).toBe(e.npar);
      expect(Math.abs(r.logLik - e.logLik) / Math.abs(e.logLik)).toBeLessThan(1e-6);
      if (e.Chisq !== null) {
        expect(Math.abs((r.chisq as number) - e.Chisq) / e.Chisq).toBeLessThan(1e-5);
        expect(Math.abs((r.p as number) - e['Pr(>Chisq)']) / e['Pr(>Chisq)']).toBeLessThan(1e-4);
      }
    });
    expect(String(t).split('\n')).toEqual(g.printed_text.split('\n'));
  });
});

describe('glmer on simulated data against lme4 (scripts/r/glmer-sim-goldens.R, glmer-sim-more.R)', () => {
  const sims: { id: string; family: 'binomial' | 'poisson' }[] = [
    { id: 'sim_slope_bern', family: 'binomial' },
    { id: 'sim_offset_pois', family: 'poisson' },
    // scripts/r/glmer-sim-more.R: cbind binomial with a correlated slope and nested classes; Poisson with || crossed
    { id: 'sim_nested_binom', family: 'binomial' },
    { id: 'sim_crossed_pois', family: 'poisson' },
  ];
  for (const s of sims) {
    it(`${s.id}: lme4's optimum or better`, { timeout: 120_000 }, () => {
      const g = JSON.parse(readFileSync(`test/fixtures/glmer/${s.id}.json`, 'utf8'));
      const m = glmer(g.formula, readDataFile(`test/fixtures/glmer/${g.data}`), { family: s.family });
      // no worse than lme4's −2 log L beyond 1e-6 relative (lower is a better optimum)
      expect((m.minus2LogLik() - g.minus2logLik) / g.minus2logLik).toBeLessThan(1e-6);
      const theta = Object.values(m.theta());
      const gt = Object.values(g.theta) as number[];
      gt.forEach((t, i) => expect(Math.abs(theta[i] - t)).toBeLessThan(1e-3 * Math.max(1, Math.abs(t))));
      const fe = m.fixef();
      for (const [k, b] of Object.entries(g.beta) as [string, number][]) expect(Math.abs((fe[k] as number) - b)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));
      const se = m.standardErrors();
      (Object.values(g.se) as number[]).forEach((v, i) => expect(Math.abs(se[i] - v) / v).toBeLessThan(1e-3));
    });
  }
});

describe("the scaled stage 2: 'newton' (the default, BFGS on the exact gradient) and 'bobyqa-scaled'", () => {
  // lme4's feval: Nelder–Mead's stage-2 evaluations on the same data
  const cases: { id: string; file: string; formula?: string; family: 'binomial' | 'poisson' }[] = [
    { id: 'cbpp_binom', file: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial' },
    { id: 'sim_offset_pois', file: 'test/fixtures/glmer/sim_offset_pois.csv', family: 'poisson' },
  ];
  for (const c of cases) {
    for (const optimizer of [undefined, 'bobyqa-scaled'] as const) {
      it(`${c.id}, ${optimizer ?? 'default'}: lme4's optimum or lower in under half of lme4's stage-2 evaluations`, { timeout: 60_000 }, () => {
        const g = JSON.parse(readFileSync(`test/fixtures/glmer/${c.id}.json`, 'utf8'));
        const m = glmer(c.formula ?? g.formula, readDataFile(c.file), { family: c.family, optimizer });
        expect(m.optimizer.name).toBe(optimizer ?? 'newton');
        expect(m.minus2LogLik()).toBeLessThanOrEqual(g.minus2logLik);
        const fe = m.fixef();
        for (const [k, b] of Object.entries(g.beta) as [string, number][]) expect(Math.abs((fe[k] as number) - b)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));
        expect(m.optimizer.evaluations).toBeLessThan(g.feval / 2);
        expect(m.warnings).toEqual([]);
      });
    }
  }

  it("'newton' hands over to 'bobyqa-scaled' where the model has no exact gradient (nAGQ > 1)", () => {
    const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', readDataFile('data/cbpp.csv'), { family: 'binomial', nAGQ: 25 });
    expect(m.optimizer.name).toBe('bobyqa-scaled');
    expect(m.optimizer.converged).toBe(true);
  });
});

describe('print(m) of a glmer fit', () => {
  it("is lme4's print.merMod (cbpp, Laplace; made by print(m) in R 4.2.2 / lme4 1.1-31)", () => {
    const expected = readFileSync('test/fixtures/glmer/cbpp_binom.print.txt', 'utf8').replace(/\n$/, '');
    const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', readDataFile('data/cbpp.csv'), { family: 'binomial', dataName: 'cbpp', optimizer: 'nelder-mead' });
    expect(String(m).split('\n')).toEqual(expected.split('\n'));
    expect(JSON.parse(JSON.stringify(summary(m))).coefficients.length).toBe(4);
  });

  it("varCorr(m) is a result like lmer's and prints as print(VarCorr(m)) in R 4.2.2 / lme4 1.1-31, no Residual row", () => {
    const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', readDataFile('data/cbpp.csv'), { family: 'binomial', optimizer: 'nelder-mead' });
    const vc = varCorr(m);
    // R: print(VarCorr(glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, binomial)))
    expect(String(vc).split('\n')).toEqual([' Groups Name        Std.Dev.', ' herd   (Intercept) 0.64207 ']);
    expect(vc.rows.map((r) => r.group)).toEqual(['herd']);
    expect(vc.sigma).toBeNull();
    expect(JSON.parse(JSON.stringify(vc)).rows).toEqual(vc.rows.map((r) => ({ ...r })));
  });
});
