/**
 * anova(m) of one lmer fit: lmerTest's type III F tests with Satterthwaite denominator df.
 */
import { lmerState } from '../fit/lmer-state.js';
import type { LmerModel } from '../fit/lmer-model.js';
import { fTest, type FTest } from '../fit/satterthwaite.js';
import { type3Hypotheses } from './type3.js';

/** One row of the table. */
export interface Type3Row extends FTest {
  term: string;
}

/** Type III F tests of every fixed-effects term. */
export function anovaType3(m: LmerModel): Type3Row[] {
  const { prepared, keptColumns, beta } = lmerState(m);
  const hyps = type3Hypotheses(prepared.frame, prepared.formula.fixed, prepared.contrasts, [...keptColumns]);
  const basis = m.satterthwaite();
  return hyps.map(({ term, L }) => ({ term, ...fTest(basis, beta, L, m.sigma) }));
}
