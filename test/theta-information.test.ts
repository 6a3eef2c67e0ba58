// The first inverse-Hessian guess of optimizer 'newton' (src/fit/theta-information.ts) and its use by newton.
import { describe, expect, it } from 'vitest';
import { thetaInverseInformation } from '../src/fit/theta-information.js';
import { newton } from '../src/optim/newton.js';

const scalar = (group: string) => ({ group, columns: ['(Intercept)'] });

describe('thetaInverseInformation', () => {
  it('is θ²/(4q) per scalar term', () => {
    const d = thetaInverseInformation([scalar('a'), scalar('b')], [100, 4], [0.5, 2])!;
    expect(Array.from(d)).toEqual([0.25 / 400, 4 / 16]);
  });
  it('gives no guess for a term with several columns or a θ on its bound', () => {
    expect(thetaInverseInformation([{ group: 's', columns: ['(Intercept)', 'Days'] }], [18], [1, 0, 1])).toBeUndefined();
    expect(thetaInverseInformation([scalar('a'), scalar('b')], [100, 4], [0, 2])).toBeUndefined();
  });
});

describe('newton with a diagonal inverse-Hessian guess', () => {
  // a quadratic with curvatures 1e4 and 1: steepest descent from the identity is badly scaled
  const c = [1e4, 1];
  const opt = [0.3, 2];
  const f = (x: Float64Array) => 0.5 * (c[0] * (x[0] - opt[0]) ** 2 + c[1] * (x[1] - opt[1]) ** 2);
  const gradient = (x: Float64Array) => Float64Array.from(x, (v, i) => c[i] * (v - opt[i]));
  const lower = [0, 0];
  const upper = [Infinity, Infinity];
  it('reaches the same minimum in fewer evaluations than from the identity', () => {
    const plain = newton(f, [1, 1], lower, upper, { gradient });
    const guided = newton(f, [1, 1], lower, upper, { gradient, inverseHessianDiagonal: [1 / c[0], 1 / c[1]] });
    for (const r of [plain, guided]) {
      expect(r.converged).toBe(true);
      expect(r.fx).toBeLessThan(1e-12);
    }
    expect(guided.evaluations).toBeLessThan(plain.evaluations);
  });
  it('ignores a guess that is not positive and finite', () => {
    const plain = newton(f, [1, 1], lower, upper, { gradient });
    const bad = newton(f, [1, 1], lower, upper, { gradient, inverseHessianDiagonal: [0, 1] });
    expect(Array.from(bad.x)).toEqual(Array.from(plain.x));
    expect(bad.evaluations).toBe(plain.evaluations);
  });
});
