/**
 * Hands the embedded glmer engine to instance.ts as glmer's code loads (pirls-state.ts imports this module for
 * that effect), so a glmer fit in Node or through a bundler compiles it without init(). The package's build
 * replaces this module by nothing (scripts/build-bundle.mjs): there the browser fetches the glmer engine, and
 * the synchronous entries hand it over themselves.
 */
import { glmerEngineBytes } from './glmer-engine-binary.js';
import { provideEmbeddedGlmerEngine } from './instance.js';

provideEmbeddedGlmerEngine(glmerEngineBytes);
