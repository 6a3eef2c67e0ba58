// The engine a test inspects directly (fitted models keep theirs private): built from a formula and data
// the way lmer builds it.
import { MixedEngine, type EngineInput } from '../../src/wasm/mixed-engine.js';
import { prepareModel } from '../../src/design/prepare.js';
import { engineTerms, randomTermDesigns } from '../../src/design/random-terms.js';
import { columnMajor } from '../../src/design/model-matrix.js';

/** The engine input of `formula` on `data`, the crossed block factored as `factor` says. */
export function engineInputFor(formula: string, data: Parameters<typeof prepareModel>[1], factor: 'auto' | 'dense' | 'sparse' = 'auto'): EngineInput {
  const prepared = prepareModel(formula, data);
  const terms = randomTermDesigns(prepared.frame, prepared.contrasts);
  return {
    n: prepared.frame.n,
    p: prepared.rank.kept.length,
    X: columnMajor(prepared.X, prepared.rank.kept),
    y: prepared.frame.response!,
    terms: engineTerms(terms),
    factor,
  };
}

/** The engine lmer would build for `formula` on `data`. */
export function engineFor(formula: string, data: Parameters<typeof prepareModel>[1]): MixedEngine {
  return new MixedEngine(engineInputFor(formula, data));
}
