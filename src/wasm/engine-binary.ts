/**
 * Where the lmer engine's binary comes from: embedded in the JavaScript (the generated base64 module), so
 * that the package loads with neither fs nor fetch, synchronously if need be. In the package's build only
 * the synchronous entries load this module (they hand it to engine-source.ts); the browser entries fetch the
 * binary instead. The glmer engine is embedded apart (glmer-engine-binary.ts), where glmer's code is.
 */
import { ENGINE_WASM_BASE64 } from './generated/engine-binary.js';
import type { EngineKind } from './instance.js';
import { EnvironmentError } from '../errors.js';
import { GLMER_ENGINE_FILE } from './engine-files.js';

/** The embedded lmer engine's bytes, for a synchronous compile. */
export function engineBytes(): Uint8Array<ArrayBuffer> {
  return decodeBase64(ENGINE_WASM_BASE64);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The embedded binary's bytes. A table lookup, four characters to three bytes: atob plus a charCodeAt
 * loop took several milliseconds of a cold start on Node 20, this a fraction of one. The text is our
 * own build output (padded, no whitespace).
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const value = new Uint8Array(128);
  for (let i = 0; i < 64; i++) value[BASE64_ALPHABET.charCodeAt(i)] = i;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - pad);
  let out = 0;
  for (let i = 0; i < text.length; i += 4) {
    const v =
      (value[text.charCodeAt(i)] << 18) | (value[text.charCodeAt(i + 1)] << 12) | (value[text.charCodeAt(i + 2)] << 6) | value[text.charCodeAt(i + 3)];
    bytes[out++] = v >> 16;
    if (out < bytes.length) bytes[out++] = (v >> 8) & 255;
    if (out < bytes.length) bytes[out++] = v & 255;
  }
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
