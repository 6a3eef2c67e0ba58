import { describe, expect, it } from 'vitest';
import { staleEngineSources } from './fresh-engine.js';

describe('the global setup', () => {
  it('leaves no engine source newer than the engine the tests load', () => {
    expect(staleEngineSources()).toEqual([]);
  });
});
