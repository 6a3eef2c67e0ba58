/**
 * The engine's source in the package's build (scripts/build-bundle.mjs resolves instance.ts's
 * `./engine-binary.js` to this module). One build serves Node, bundlers and the browser, so the choice is made
 * by the entry a program loads, not by the module graph: the synchronous entries (`lmm-wasm`, `lmm-wasm/node`,
 * the CLI, Node's worker thread) hand over the embedded binary (the glmer engine, which serves every
 * fit) with `provideEmbeddedEngine` as they load; the browser entries hand over nothing, and `await init()`
 * fetches an engine from beside the chunk holding this code: lmm-wasm.wasm (the lmer engine), or
 * lmm-wasm-glmer.wasm (the glmer engine) once glmer is loaded. Fetched, a binary is a third smaller over the
 * wire than the embedded text and compiles while it downloads; resolved against the module's URL, so a CDN or a static
 * folder serves it alike.
 */
import { EnvironmentError } from '../errors.js';
import { ENGINE_FILE, GLMER_ENGINE_FILE } from './engine-files.js';
import type { EngineKind } from './instance.js';

/** What engine-binary.ts exports: the embedded binary's bytes. */
export interface EmbeddedEngine {
  engineBytes(): Uint8Array<ArrayBuffer>;
}

let embedded: EmbeddedEngine | undefined;

/** Called by a synchronous entry as it loads: fits may then compile the engine synchronously. */
export function provideEmbeddedEngine(engine: EmbeddedEngine): void {
  embedded = engine;
}

/** The embedded engine's bytes; without one (the browser entries), a fit before `init()` says what to do. */
export function engineBytes(): Uint8Array<ArrayBuffer> {
  if (embedded) return embedded.engineBytes();
  throw new EnvironmentError(
    'NOT_INITIALIZED',
    `the browser build loads its engine (${ENGINE_FILE}, or ${GLMER_ENGINE_FILE} for glmer) asynchronously: \`await init()\` once before the first fit, or fit in the worker (lmm-wasm/worker)`,
  );
}

/**
 * Compiles the embedded engine, or fetches and compiles the engine of this kind (streaming where served as
 * application/wasm).
 */
export async function compileEngine(kind: EngineKind): Promise<WebAssembly.Module> {
  if (embedded) return WebAssembly.compile(embedded.engineBytes());
  // literals, which bundlers (Vite, webpack) recognise and copy as assets; a template would read to Vite
  // as a pattern over the whole folder
  const url = kind === 'glmer' ? new URL('./lmm-wasm-glmer.wasm', import.meta.url) : new URL('./lmm-wasm.wasm', import.meta.url);
  const file = kind === 'glmer' ? GLMER_ENGINE_FILE : ENGINE_FILE;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new EnvironmentError('ENGINE_FETCH', `could not fetch the engine ${url.href} (${e instanceof Error ? e.message : String(e)}); serve ${file} at that URL (the package has it in dist/chunks/), or pass a compiled module to init(module)`);
  }
  if (!response.ok) {
    throw new EnvironmentError('ENGINE_FETCH', `fetching the engine ${url.href} gave HTTP ${response.status}; serve ${file} at that URL (the package has it in dist/chunks/), or pass a compiled module to init(module)`);
  }
  // compileStreaming needs the application/wasm type; other servers still get a compile from the bytes
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.split(';')[0].trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
