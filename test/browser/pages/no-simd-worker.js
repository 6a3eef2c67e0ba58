// The browser build's worker in a realm without WebAssembly SIMD (the stub's import runs first).
import './no-simd-stub.js';
import '/dist/browser/lmm-wasm.worker.js';
