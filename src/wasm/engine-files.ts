/** The engines' file names beside the browser build's JavaScript (scripts/build-bundle.mjs copies them there). */

/** The lmer engine (assembly/index.ts): what an lm/lmer page fetches. */
export const ENGINE_FILE = 'lmm-wasm.wasm';

/** The glmer engine (assembly/glmer.ts, a superset of the lmer engine): what a page with glmer fetches. */
export const GLMER_ENGINE_FILE = 'lmm-wasm-glmer.wasm';
