import { init } from '/dist/browser/lmm-wasm.js';

try {
  await init();
  document.getElementById('out').textContent = 'compiled';
} catch (e) {
  document.getElementById('out').textContent = `${e.name} ${e.code}: ${e.message}`;
}
