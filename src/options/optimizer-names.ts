/**
 * The one list of optimizer names `lmer({ optimizer })` and `control.optimizer` accept. The registry in
 * optim/index.ts is typed by it, so adding an optimizer is one entry here and one there. It has no
 * imports so that the options schemas (below every layer) can name the optimizers.
 */
export const OPTIMIZER_NAMES = ['bobyqa', 'nelder-mead', 'newton'] as const;

/** Names accepted by `lmer({ optimizer })`. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];
