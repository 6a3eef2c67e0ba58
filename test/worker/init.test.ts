// init(): async compilation, a precompiled module passed in, and the environment errors.
import { describe, expect, it } from 'vitest';
import { engineModule, EnvironmentError, init, lm } from '../../src/index.js';

describe('init', () => {
  it('compiles asynchronously and accepts a precompiled WebAssembly.Module', async () => {
    await init();
    const module = engineModule();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    await init(module);
    expect(lm('y ~ x', { y: [1, 2, 4, 3], x: [1, 2, 3, 4] }).fixef().x).toBeCloseTo(0.8, 12);
  });

  it('refuses something that is not a compiled module, with a typed error', async () => {
    await expect(init(new Uint8Array(8) as unknown as WebAssembly.Module)).rejects.toBeInstanceOf(EnvironmentError);
    await expect(init({} as WebAssembly.Module)).rejects.toMatchObject({ code: 'BAD_WASM_MODULE' });
  });
});
