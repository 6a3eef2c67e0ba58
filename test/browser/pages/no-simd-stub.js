// Makes this realm look like an engine without WebAssembly SIMD (Safari < 16.4, old Chrome/Firefox): every
// module lmm-wasm validates or compiles uses SIMD, so validate() says no and compiling fails as such an
// engine's does. Chromium's flags no longer turn SIMD off. Imported before the browser build.
WebAssembly.validate = () => false;
const refuse = () => {
  throw new WebAssembly.CompileError('WebAssembly.Module(): invalid value type 0x7b (v128): SIMD is not supported');
};
WebAssembly.compile = async () => refuse();
WebAssembly.Module = function Module() {
  refuse();
};
WebAssembly.instantiate = async () => refuse();
