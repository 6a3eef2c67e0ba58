// lmer's `control` option (lme4's lmerControl vocabulary) reaches the optimizer and the checks.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmer, summary } from '../src/index.js';
import { readDataFile } from '../src/node.js';
import { ROOT } from './helpers/golden.js';

const sleep = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
const f = 'Reaction ~ Days + (Days | Subject)';
// every group has the same responses: the between-group variance is 0 and the fit is singular
const flat = Array.from({ length: 60 }, (_, i) => ({ y: Math.floor(i / 6) % 5, x: i % 7, g: `g${i % 6}` }));

describe('control.optCtrl', () => {
  it("maxeval: 10 stops BOBYQA with lme4's maximum-evaluations warning", () => {
    const m = lmer(f, sleep, { control: { optCtrl: { maxeval: 10 } } });
    expect(m.optimizer.evaluations).toBe(10);
    expect(m.optimizer.converged).toBe(false);
    expect(m.warnings[0]).toBe(
      'convergence code 5 from nloptwrap: NLOPT_MAXEVAL_REACHED: Optimization stopped because maxeval (above) was reached.',
    );
  });
  it('maxfun: 10 stops Nelder–Mead with a maximum-evaluations warning', () => {
    const m = lmer(f, sleep, { control: { optimizer: 'nelder-mead', optCtrl: { maxfun: 10 } } });
    expect(m.optimizer.evaluations).toBe(10);
    expect(m.warnings[0]).toMatch(/failure to converge in 10 evaluations/);
  });
  it('tolerances reach BOBYQA: a looser xtol_rel stops earlier than the default', () => {
    const dflt = lmer(f, sleep);
    const loose = lmer(f, sleep, { control: { optCtrl: { xtol_rel: 1e-1, ftol_abs: 1e-2 } } });
    expect(loose.optimizer.evaluations).toBeLessThan(dflt.optimizer.evaluations);
    const same = lmer(f, sleep, { control: { optCtrl: { ftol_abs: 1e-8, xtol_rel: 1e-4, xtol_abs: 1e-8, ftol_rel: 0 } } });
    expect(Array.from(same.theta)).toEqual(Array.from(dflt.theta));
  });
  it('control.optimizer equals the top-level optimizer option', () => {
    const a = lmer(f, sleep, { optimizer: 'nelder-mead' });
    const b = lmer(f, sleep, { control: { optimizer: 'nelder-mead' } });
    expect(Array.from(b.theta)).toEqual(Array.from(a.theta));
    expect(b.optimizer.name).toBe('nelder-mead');
  });
});

describe('control check.conv.*', () => {
  it("singular fits give lme4's message by default; 'ignore' suppresses it, 'warning' moves it", () => {
    const dflt = lmer('y ~ x + (1 | g)', flat);
    expect(dflt.messages).toContain("boundary (singular) fit: see help('isSingular')");
    const quiet = lmer('y ~ x + (1 | g)', flat, { control: { 'check.conv.singular': 'ignore' } });
    expect(quiet.messages).not.toContain("boundary (singular) fit: see help('isSingular')");
    expect(summary(quiet)).not.toContain('boundary (singular)');
    const warned = lmer('y ~ x + (1 | g)', flat, { control: { 'check.conv.singular': { action: 'warning' } } });
    expect(warned.warnings).toContain("boundary (singular) fit: see help('isSingular')");
  });
  it("the singular tolerance is used: tol 0 finds no singular fit at θ > 0", () => {
    const m = lmer(f, sleep, { control: { 'check.conv.singular': { action: 'stop', tol: 0 } } });
    expect(m.convergence.singular).toBe(false);
  });
  it("a tiny gradient tolerance turns lme4's gradient check on (a restart then shows the fit converged)", () => {
    const strict = lmer(f, sleep, { control: { 'check.conv.grad': { action: 'warning', tol: 1e-12 } } });
    expect((strict.convergence.lme4Warnings ?? []).join('\n')).toMatch(/Model failed to converge with max\|grad\|.*tol = 1e-12/);
  });
  it("a Hessian tolerance of 0.9 flags the eigenvalue ratio; 'ignore' silences it and 'stop' throws", () => {
    const warned = lmer(f, sleep, { control: { 'check.conv.hess': { tol: 0.9 } } });
    expect(warned.warnings.join('\n')).toMatch(/eigenvalue ratio/);
    const off = lmer(f, sleep, { control: { 'check.conv.hess': { action: 'ignore', tol: 0.9 } } });
    expect(off.warnings.join('\n')).not.toMatch(/eigenvalue/);
    expect(() => lmer(f, sleep, { control: { 'check.conv.hess': { action: 'stop', tol: 0.9 } } })).toThrow(/eigenvalue ratio.*'stop'/s);
  });
  it('calc.derivs: false skips the derivatives but not the singular test', () => {
    const m = lmer(f, sleep, { control: { 'calc.derivs': false } });
    expect(m.convergence.gradient.length).toBe(0);
    const s = lmer('y ~ x + (1 | g)', flat, { control: { 'calc.derivs': false } });
    expect(s.messages).toContain("boundary (singular) fit: see help('isSingular')");
  });
});
