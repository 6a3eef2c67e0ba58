/**
 * The glmer engine's binary (a superset of the lmer engine, with PIRLS and the glm families), embedded in the
 * JavaScript as engine-binary.ts embeds the lmer engine's. Only glmer's code reaches this module
 * (glmer-engine.ts; in the package's build, the synchronous entries' glmer), so an app or bundle without
 * glmer carries the lmer engine alone.
 */
import { GLMER_ENGINE_WASM_HEX } from './generated/glmer-engine-binary.js';
import { decodeHex } from './engine-binary.js';

/** The embedded glmer engine's bytes, for a synchronous compile. */
export function glmerEngineBytes(): Uint8Array<ArrayBuffer> {
  return decodeHex(GLMER_ENGINE_WASM_HEX);
}
