/**
 * The browser build's engine source (scripts/build-browser.mjs puts it in place of engine-binary.ts): the
 * binary ships as lmm-wasm.wasm next to the build's JavaScript and is fetched and compiled by `await init()`.
 * As its own file it is a third smaller over the wire than base64 inside the script, and it is compiled
 * while it downloads. Resolved against this module's URL, so a CDN or a static folder serves it alike.
 */
import { EnvironmentError } from '../errors.js';

/** The engine file's name, next to the browser build's JavaScript. */
export const ENGINE_FILE = 'lmm-wasm.wasm';

/** The browser build has no embedded binary: a fit before `init()` says what to do. */
export function engineBytes(): never {
  throw new EnvironmentError(
    'NOT_INITIALIZED',
    `the browser build loads its engine (${ENGINE_FILE}) asynchronously: \`await init()\` once before the first fit, or fit in the worker (createWorker / worker)`,
  );
}

/** Fetches and compiles lmm-wasm.wasm; streaming where the server sends it as application/wasm. */
export async function compileEngine(): Promise<WebAssembly.Module> {
  const url = new URL(`./${ENGINE_FILE}`, import.meta.url);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new EnvironmentError('ENGINE_FETCH', `could not fetch the engine ${url.href} (${e instanceof Error ? e.message : String(e)}); serve ${ENGINE_FILE} next to lmm-wasm.js, or pass a compiled module to init(module)`);
  }
  if (!response.ok) {
    throw new EnvironmentError('ENGINE_FETCH', `fetching the engine ${url.href} gave HTTP ${response.status}; serve ${ENGINE_FILE} next to lmm-wasm.js, or pass a compiled module to init(module)`);
  }
  // compileStreaming needs the application/wasm type; other servers still get a compile from the bytes
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.split(';')[0].trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
