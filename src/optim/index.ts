/**
 * The optimizers by name: BOBYQA (lme4's default through nloptwrap) and bounded Nelder–Mead (lme4's
 * Nelder_Mead), and a quasi-Newton method on the exact gradient ('newton', see newton.ts), for lmer's `optimizer` option and allFit-style refits with every optimizer.
 */
import { bobyqa } from './bobyqa.js';
import { nelderMead } from './nelder-mead.js';
import { newton } from './newton.js';
import type { Optimizer } from './types.js';

export type { Objective, OptimOptions, OptimResult, Optimizer } from './types.js';
export { bobyqa, BOBYQA_DEFAULTS } from './bobyqa.js';
export { nelderMead, NELDER_MEAD_DEFAULTS } from './nelder-mead.js';
export { newton, NEWTON_DEFAULTS } from './newton.js';
export { defaultInitialStep } from './initial-step.js';

import type { OptimizerName } from '../options/optimizer-names.js';

export { OPTIMIZER_NAMES, type OptimizerName } from '../options/optimizer-names.js';

/** Registry of optimizers by name. */
export const optimizers: Record<OptimizerName, Optimizer> = {
  bobyqa,
  'nelder-mead': nelderMead,
  newton,
};
