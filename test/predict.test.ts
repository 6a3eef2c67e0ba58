// predict() on new data against R (lme4 1.1-31: predict(m, newdata, allow.new.levels = TRUE) and
// re.form = NA; stats::predict.lm), including an unseen subject and a missing value.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lm } from '../src/fit/lm.js';
import { lmer } from '../src/fit/lmer.js';
import { readDataFile } from '../src/data/read-file.js';
import { ROOT, relErr } from './helpers/golden.js';

const sleep = readDataFile(join(ROOT, 'data/sleepstudy.csv'));
const newdata = { Days: [0, 5, 9.5, 3, null], Subject: ['308', '309', '999', '372', '308'] };
// R: predict(m, newdata = nd, allow.new.levels = TRUE) and re.form = NA (first four rows)
const R_RE = [253.663655798386, 220.244393491444, 350.844321464647, 298.973621064582];
const R_FIXED = [251.405104848485, 303.741534646465, 350.844321464647, 282.806962727273];

describe('predict', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', sleep);
  it('adds the random effects of known levels; unseen levels get the population prediction', () => {
    const p = m.predict(newdata);
    R_RE.forEach((v, i) => expect(relErr(p[i], v)).toBeLessThan(1e-7));
    expect(p[4]).toBeNaN();
  });
  it('gives the fixed-effects prediction with re = false', () => {
    const p = m.predict(newdata, { re: false });
    R_FIXED.forEach((v, i) => expect(relErr(p[i], v)).toBeLessThan(1e-7));
  });
  it('reproduces fitted values on the training data', () => {
    const p = m.predict(sleep);
    p.forEach((v, i) => expect(Math.abs(v - m.fitted()[i])).toBeLessThan(1e-9));
  });
  it('predicts an lm and refuses unknown levels of fixed-effect factors', () => {
    const f = lm('Reaction ~ Days', sleep);
    const p = f.predict(newdata);
    R_FIXED.forEach((v, i) => expect(relErr(p[i], v)).toBeLessThan(1e-10));
    const g = lm('Reaction ~ Subject', sleep);
    expect(() => g.predict({ Subject: ['308', '100'] })).toThrow(/factor Subject has new level "100"/);
  });
});
