// Chain terms on one grouping merge into one engine term with a block-diagonal T (src/wasm/term-merge.ts).
// The reference is the same model written with one correlated term and its off-diagonal θ at 0: the same
// Λ, computed without any merge, whose u is level by level where the split terms' u is term by term.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { MixedEngine } from '../src/wasm/mixed-engine.js';
import { engineInputFor } from './helpers/engine-input.js';
import { ROOT } from './helpers/golden.js';

const cases = [
  { name: 'sleepstudy, chain only', file: 'data/sleepstudy.csv', split: 'Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)', joint: 'Reaction ~ Days + (1 + Days | Subject)', factor: 'auto' as const },
  { name: 'kb07, dense block after the chain', file: 'data/kb07.csv', split: 'Y ~ S + T + (1 + S + T || G) + (1 | H)', joint: 'Y ~ S + T + (1 + S + T | G) + (1 | H)', factor: 'dense' as const },
  { name: 'kb07, sparse block after the chain', file: 'data/kb07.csv', split: 'Y ~ S + T + (1 + S + T || G) + (1 | H)', joint: 'Y ~ S + T + (1 + S + T | G) + (1 | H)', factor: 'sparse' as const },
];

describe('merged chain terms', () => {
  it.each(cases)('$name: deviance, β, b, gradient and conditional variances as the unmerged joint term', ({ file, split, joint, factor }) => {
    const data = readDataFile(join(ROOT, file));
    const si = engineInputFor(split, data, factor);
    const ji = engineInputFor(joint, data, factor);
    const s = new MixedEngine(si);
    const j = new MixedEngine(ji);
    const k = si.terms.length - (split.includes('(1 | H)') ? 1 : 0); // the split terms on one grouping
    expect(j.chainLength).toBe(1);
    expect(s.chainLength).toBe(1); // merged
    const diag = [0.8, 0.35, 0.2].slice(0, k);
    const tail = split.includes('(1 | H)') ? [0.6] : [];
    // θ of the joint term: its lower triangle column by column, off-diagonal entries 0
    const jointTheta: number[] = [];
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) jointTheta.push(r === c ? diag[c] : 0);
    const thetaS = Float64Array.from([...diag, ...tail]);
    const thetaJ = Float64Array.from([...jointTheta, ...tail]);
    for (const reml of [false, true]) {
      expect(s.deviance(thetaS, reml)).toBeCloseTo(j.deviance(thetaJ, reml), 9);
      const gs = s.devianceGradient(thetaS, reml);
      const gj = j.devianceGradient(thetaJ, reml);
      if (gj === null) {
        expect(gs).toBeNull();
        continue;
      }
      expect(gs).not.toBeNull();
      // the split θ are the joint term's diagonal entries (then the tail)
      const diagIndex = Array.from({ length: k }, (_, c) => jointTheta.length - ((k - c) * (k - c + 1)) / 2);
      const expected = [...diagIndex.map((d) => gj[d]), ...tail.map((_, t) => gj[jointTheta.length + t])];
      expected.forEach((v, t) => expect(gs![t]).toBeCloseTo(v, 6));
    }
    s.evaluate(thetaS);
    j.evaluate(thetaJ);
    const a = s.solve();
    const b = j.solve();
    b.beta.forEach((v, i) => expect(a.beta[i]).toBeCloseTo(v, 9));
    const nlev = si.terms[0].nlev;
    // split u: term by term; joint u: level by level
    for (let t = 0; t < k; t++) {
      for (let l = 0; l < nlev; l++) {
        expect(a.b[t * nlev + l]).toBeCloseTo(b.b[l * k + t], 9);
        expect(a.u[t * nlev + l]).toBeCloseTo(b.u[l * k + t], 9);
      }
    }
    for (let i = k * nlev; i < a.b.length; i++) expect(a.b[i]).toBeCloseTo(b.b[i], 9);
    // a group of all split terms, and a group of the last one alone (a sub-block of the merged term's blocks)
    const groups = [Array.from({ length: k }, (_, t) => t), [k - 1]];
    const [all, last] = s.inverseDiagonalBlocks(groups);
    const [full] = j.inverseDiagonalBlocks([[0]]);
    expect(all.length).toBe(full.length);
    all.forEach((v, i) => expect(v).toBeCloseTo(full[i], 9));
    for (let l = 0; l < nlev; l++) expect(last[l]).toBeCloseTo(full[l * k * k + (k - 1) * k + k - 1], 9);
  });
});
