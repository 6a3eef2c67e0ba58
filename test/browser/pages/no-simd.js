// What a page (and its worker) sees where WebAssembly SIMD is missing: each way in gives lmm-wasm's
// EnvironmentError naming the requirement, not a CompileError from deep inside. The result goes to #out.
import './no-simd-stub.js';
import { init, lmer } from '/dist/browser/lmm-wasm.js';
import { createWorker } from '/dist/browser/worker.js';

const rows = { y: [1, 3, 2, 5, 4, 6], x: [1, 2, 3, 4, 5, 6], g: ['a', 'a', 'b', 'b', 'c', 'c'] };
const described = (e) => `${e?.name} ${e?.code}: ${e?.message}`;
const out = {};
try {
  await init();
  out.init = 'no error';
} catch (e) {
  out.init = described(e);
}
try {
  lmer('y ~ x + (1 | g)', rows);
  out.sync = 'no error';
} catch (e) {
  out.sync = described(e);
}
const worker = createWorker(new URL('./no-simd-worker.js', import.meta.url));
try {
  await worker.lmer('y ~ x + (1 | g)', rows);
  out.worker = 'no error';
} catch (e) {
  out.worker = described(e);
}
worker.terminate();
document.getElementById('out').textContent = JSON.stringify(out);
