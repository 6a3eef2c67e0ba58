/**
 * Where the engine's binary comes from: embedded in the JavaScript (the generated base64 module), so that
 * the package loads with neither fs nor fetch, synchronously if need be. The self-contained browser build
 * swaps this module for engine-binary-browser.ts (scripts/build-browser.mjs).
 */
import { ENGINE_WASM_BASE64 } from './generated/engine-binary.js';

/** The engine's bytes, for a synchronous compile. */
export function engineBytes(): Uint8Array<ArrayBuffer> {
  const binary = atob(ENGINE_WASM_BASE64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Compiles the engine off the calling thread's critical path (WebAssembly.compile). */
export function compileEngine(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(engineBytes());
}
