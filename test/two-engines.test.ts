// The two engines (scripts/build-wasm.mjs): the lmer engine (assembly/index.ts) and the glmer engine
// (assembly/glmer.ts), a superset compiled from the same sources. The lmer engine has none of glmer's
// kernels; the glmer engine exports all of the lmer engine's; lmer fits give the same bits in either (WASM
// arithmetic is deterministic, and the lmer code is the same); the instance pool keeps each engine's
// instances apart; and a glmer fit refuses an lmer-only engine with an EnvironmentError when nothing else
// is at hand. Needs `npm run build:wasm` (both binaries in build/).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { lmer } from '../src/fit/lmer.js';
import { glmer } from '../src/fit/glmer.js';
import { lm } from '../src/fit/lm.js';
import { init } from '../src/wasm/instance.js';
import { acquireInstance, releaseInstance } from '../src/wasm/instance-pool.js';
import { ROOT } from './helpers/golden.js';

const files = ['engine.wasm', 'engine-glmer.wasm'].map((f) => join(ROOT, 'build', f));
const built = files.every((f) => existsSync(f));
const [lmerEngine, glmerEngine] = built ? files.map((f) => new WebAssembly.Module(readFileSync(f))) : [];
const read = (name: string) => readDataFile(join(ROOT, 'data', `${name}.csv`));

/** Every number of a few lm and lmer fits (dense, crossed, nested; REML and ML), timings left out. */
function fits(): string {
  const sleep = read('sleepstudy');
  const models = [
    lmer('Reaction ~ Days + (Days | Subject)', sleep),
    lmer('Reaction ~ Days + (Days || Subject)', sleep, { REML: false }),
    lmer('diameter ~ 1 + (1 | plate) + (1 | sample)', read('Penicillin')),
    lmer('strength ~ 1 + (1 | batch/cask)', read('Pastes')),
    lmer('angle ~ recipe + temp + (1 | recipe:replicate)', read('cake')),
  ];
  const numbers = models.map((m) => ({ theta: m.theta, deviance: m.deviance(), fixef: m.fixef(), vcov: m.vcov(), ranef: m.ranef(), json: m.toJSON() }));
  return JSON.stringify([numbers, lm('Reaction ~ Days', sleep).coefficients], (k, v) => (k === 'fitMs' || k === 'timings' ? undefined : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
}

describe.runIf(built)('the lmer and glmer engines', () => {
  it('the lmer engine has no glmer kernels; the glmer engine exports everything the lmer engine does', () => {
    const names = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name);
    const [lmerNames, glmerNames] = [names(lmerEngine!), names(glmerEngine!)];
    for (const glmerOnly of ['pirlsRun', 'definePirls', 'defineGlm', 'weightRows', 'FAMILY_BINOMIAL']) {
      expect(lmerNames).not.toContain(glmerOnly);
      expect(glmerNames).toContain(glmerOnly);
    }
    expect(lmerNames.filter((n) => !glmerNames.includes(n))).toEqual([]);
  });

  it('give lmer fits the same bits, and the pool hands each engine its own instances', async () => {
    await init(lmerEngine);
    const onLmer = fits();
    const a = acquireInstance();
    expect(a.module).toBe(lmerEngine);
    // a glmer fit needs the glmer engine: here Node's embedded one, compiled on demand
    const cbpp = read('cbpp');
    const g = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial' });
    const b = acquireInstance(0, 'glmer');
    expect(b.module).not.toBe(lmerEngine);
    releaseInstance(a);
    releaseInstance(b);
    // the lmer engine's instances are not handed to a glmer fit, nor the other way round
    const glmers = Array.from({ length: 5 }, () => acquireInstance(0, 'glmer'));
    const lmers = Array.from({ length: 5 }, () => acquireInstance());
    expect(glmers.map((w) => w.module === b.module)).toEqual(Array(5).fill(true));
    expect(lmers.map((w) => w.module === lmerEngine)).toEqual(Array(5).fill(true));
    expect(lmers).toContain(a);
    expect(glmers).toContain(b);
    for (const w of [...glmers, ...lmers]) releaseInstance(w);
    await init(glmerEngine);
    expect(acquireInstance().module).toBe(glmerEngine);
    expect(fits()).toBe(onLmer);
    expect(glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial' }).deviance()).toBe(g.deviance());
  });

  it('an instance of the lmer engine refuses glmer work with an EnvironmentError', async () => {
    await init(lmerEngine);
    const w = acquireInstance();
    expect(() => w.glmerExports).toThrow(expect.objectContaining({ name: 'EnvironmentError', code: 'NO_GLMER_ENGINE' }));
    releaseInstance(w);
  });
});
