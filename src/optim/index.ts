/**
 * The optimizers by name: BOBYQA (lme4's default through nloptwrap) and bounded Nelder–Mead.
 */
import { bobyqa } from './bobyqa.js';
import { nelderMead } from './nelder-mead.js';
import type { Optimizer } from './types.js';

export type { Objective, OptimOptions, OptimResult, Optimizer } from './types.js';
export { nelderMead } from './nelder-mead.js';
export { bobyqa } from './bobyqa.js';

/** Names accepted by `lmer({ optimizer })`. */
export type OptimizerName = 'bobyqa' | 'nelder-mead';

/** Registry of optimizers by name. */
export const optimizers: Record<OptimizerName, Optimizer> = {
  bobyqa,
  'nelder-mead': nelderMead,
};
