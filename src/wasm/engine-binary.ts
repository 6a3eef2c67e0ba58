/**
 * Where the lmer engine's binary comes from: embedded in the JavaScript (the generated hexadecimal module), so
 * that the package loads with neither fs nor fetch, synchronously if need be. In the package's build only
 * the synchronous entries load this module (they hand it to engine-source.ts); the browser entries fetch the
 * binary instead. The glmer engine is embedded apart (glmer-engine-binary.ts), where glmer's code is.
 */
import { ENGINE_WASM_HEX } from './generated/engine-binary.js';
import type { EngineKind } from './instance.js';
import { EnvironmentError } from '../errors.js';
import { GLMER_ENGINE_FILE } from './engine-files.js';

/** The embedded lmer engine's bytes, for a synchronous compile. */
export function engineBytes(): Uint8Array<ArrayBuffer> {
  return decodeHex(ENGINE_WASM_HEX);
}

/**
 * The embedded binary's bytes: two hexadecimal digits a byte, through a table. Hexadecimal keeps the
 * binary's bytes aligned, so gzip finds their repeats: a gzipped hex literal is smaller than a gzipped
 * base64 one by about a sixth of the engine's own gzip size (the npm package and every bundle that embeds an
 * engine carry it gzipped). The text is our own build output (lowercase, even length, no whitespace).
 */
export function decodeHex(text: string): Uint8Array<ArrayBuffer> {
  const value = new Uint8Array(128);
  for (let i = 0; i < 16; i++) value['0123456789abcdef'.charCodeAt(i)] = i;
  const bytes = new Uint8Array(text.length >> 1);
  for (let i = 0, j = 0; j < bytes.length; i += 2, j++) bytes[j] = (value[text.charCodeAt(i)] << 4) | value[text.charCodeAt(i + 1)];
  return bytes;
}


/**
 * Compiles the embedded lmer engine off the calling thread's critical path (WebAssembly.compile). The glmer
 * engine comes from glmer's code (glmer-engine.ts hands it to instance.ts), never from here.
 */
export function compileEngine(kind: EngineKind): Promise<WebAssembly.Module> {
  if (kind === 'glmer') return Promise.reject(new EnvironmentError('NO_GLMER_ENGINE', `the glmer engine (${GLMER_ENGINE_FILE}) loads with glmer's code; import glmer before asking for its engine`));
  return WebAssembly.compile(engineBytes());
}
