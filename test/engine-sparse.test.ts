// The crossed block's supernodal sparse factor: the same deviance, β, u and R_X as the dense factor on
// every structure (crossed, nested in crossed, slopes, InstEval-like, banded, random), SIMD on and off;
// the ordering and the symbolic analysis against brute force; the choice between the two factors; and
// blocks beyond the dense cap.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useSimdKernels } from '../src/wasm/instance.js';
import { MAX_DENSE_ORDER, MixedEngine, type EngineInput, type EngineTerm } from '../src/wasm/mixed-engine.js';
import { ModelError } from '../src/errors.js';
import { prepareModel } from '../src/design/prepare.js';
import { randomTermDesigns } from '../src/design/random-terms.js';
import { readDataFile } from '../src/data/read-file.js';
import { levelOrder, minimumDegreeOrder } from '../src/wasm/sparse-order.js';
import { flattenCliques, supernodalStructure } from '../src/linalg/supernodal-symbolic.js';
import { ROOT } from './helpers/golden.js';
import { engineInputFor } from './helpers/engine-input.js';
import { conditionalVariances } from '../src/fit/conditional-variance.js';

afterEach(() => useSimdKernels(true));

/** The engine input lmer builds for `formula` on a bundled file. */
const fromFormula = (file: string, formula: string): EngineInput => engineInputFor(formula, readDataFile(join(ROOT, file)));

/** A deterministic pseudo-random stream (tests must not depend on Math.random). */
function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function scalarTerm(nlev: number, codes: Int32Array): EngineTerm {
  return { nlev, p: 1, codes, z: new Float64Array(codes.length).fill(1) };
}

/** Two crossed factors from (a, b) pairs, an intercept and one covariate; y with effects of both. */
function crossed(pairs: [number, number][], na: number, nb: number, seed: number): Omit<EngineInput, 'factor'> {
  const rnd = stream(seed);
  const n = pairs.length;
  const ea = Array.from({ length: na }, () => rnd() - 0.5);
  const eb = Array.from({ length: nb }, () => rnd() - 0.5);
  const X = new Float64Array(2 * n);
  const y = new Float64Array(n);
  pairs.forEach(([a, b], r) => {
    X[r] = 1;
    X[n + r] = Math.cos(r);
    y[r] = 0.3 * X[n + r] + ea[a] + eb[b] + (rnd() - 0.5);
  });
  return {
    n, p: 2, X, y,
    terms: [scalarTerm(na, Int32Array.from(pairs, (q) => q[0])), scalarTerm(nb, Int32Array.from(pairs, (q) => q[1]))],
  };
}

/** The banded design: each a-level meets `per` b-levels 7 apart. */
function banded(levels: number, per: number): Omit<EngineInput, 'factor'> {
  const pairs: [number, number][] = [];
  for (let i = 0; i < levels * per; i++) {
    const a = i % levels;
    pairs.push([a, (a + Math.floor(i / levels) * 7) % levels]);
  }
  return crossed(pairs, levels, levels, 7);
}

/** Students × lecturers (in departments) with a department:service term, as InstEval. */
function instEvalLike(): Omit<EngineInput, 'factor'> {
  const rnd = stream(11);
  const ns = 500, nd = 180, ndept = 12;
  const deptOf = Array.from({ length: nd }, (_, d) => d % ndept);
  const s: number[] = [], d: number[] = [], ds: number[] = [], service: number[] = [];
  for (let st = 0; st < ns; st++) {
    const home = Math.floor(rnd() * ndept);
    for (let k = 0; k < 8; k++) {
      // mostly lecturers of the student's own department
      let lec = Math.floor(rnd() * nd);
      if (rnd() < 0.7) lec = home + ndept * Math.floor(rnd() * (nd / ndept));
      const sv = rnd() < 0.4 ? 1 : 0;
      s.push(st); d.push(lec); service.push(sv); ds.push(deptOf[lec] * 2 + sv);
    }
  }
  const n = s.length;
  const X = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    X[r] = 1;
    X[n + r] = service[r];
    y[r] = 3 + 0.2 * service[r] + Math.sin(s[r]) * 0.3 + Math.cos(d[r] * 1.7) * 0.5 + (rnd() - 0.5);
  }
  return {
    n, p: 2, X, y,
    terms: [scalarTerm(ns, Int32Array.from(s)), scalarTerm(nd, Int32Array.from(d)), scalarTerm(2 * ndept, Int32Array.from(ds))],
  };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d / Math.max(scale, 1e-300);
}

function expectSameFit(input: Omit<EngineInput, 'factor'>, theta: number[]): void {
  const th = Float64Array.from(theta);
  for (const simd of [true, false]) {
    useSimdKernels(simd);
    const dense = new MixedEngine({ ...input, factor: 'dense' });
    const sparse = new MixedEngine({ ...input, factor: 'sparse' });
    expect(sparse.factorKind.kind).toBe('sparse');
    for (const reml of [false, true]) {
      const dd = dense.deviance(th, reml);
      const ds = sparse.deviance(th, reml);
      expect(Number.isFinite(dd)).toBe(true);
      expect(Math.abs(ds - dd) / Math.abs(dd)).toBeLessThan(1e-12);
    }
    const a = dense.solve();
    const b = sparse.solve();
    expect(maxRelDiff(b.beta, a.beta)).toBeLessThan(1e-12);
    expect(maxRelDiff(b.u, a.u)).toBeLessThan(1e-12);
    expect(maxRelDiff(b.fitted, a.fitted)).toBeLessThan(1e-12);
    expect(maxRelDiff(sparse.fixedFactor(), dense.fixedFactor())).toBeLessThan(1e-12);
  }
}

describe('sparse and dense factors of the crossed block', () => {
  it.each([
    ['crossed with a correlated slope (seed model)', 'Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)', [0.6, -0.1, 0.3, 0.2, 0.4]],
    ['a dense term with a slope', 'Effect_Size ~ Condition + (1 | SubjectID) + (1 + Condition | Region)', [0.5, 0.7, 0.1, 0.3]],
    ['a chain term of three columns', 'Effect_Size ~ Condition*Hemisphere + (1 + Condition + Hemisphere | SubjectID) + (1 | Region)', [0.6, -0.1, 0.2, 0.3, 0.1, 0.4, 0.5]],
    ['nested in crossed', 'Effect_Size ~ Condition + (1 | SubjectID:Hemisphere) + (1 | SubjectID) + (1 | Region)', [0.3, 0.6, 0.4]],
  ])('%s: agree to 1e-12, SIMD on and off', (_name, formula, theta) => {
    expectSameFit(fromFormula('data/diachek_md.csv', formula), theta);
  });

  it('InstEval-like (students × lecturers, department:service): agree to 1e-12', () => {
    expectSameFit(instEvalLike(), [0.4, 0.6, 0.3]);
  });

  it('banded crossed design: agree to 1e-12, and the factor stays narrow', () => {
    const input = banded(600, 4);
    expectSameFit(input, [0.8, 0.5]);
    const kind = new MixedEngine({ ...input, factor: 'sparse' }).factorKind;
    // a band's fill is a few dozen entries per column, not the dense 301k
    expect(kind.nnzL).toBeLessThan(0.2 * (kind.order * (kind.order + 1)) / 2);
  });

  it('random sparse crossed design: agree to 1e-12', () => {
    const rnd = stream(3);
    const pairs: [number, number][] = [];
    for (let a = 0; a < 400; a++) for (let k = 0; k < 3; k++) pairs.push([a, Math.floor(rnd() * 300)]);
    expectSameFit(crossed(pairs, 400, 300, 5), [0.9, 0.4]);
  });
});

describe('conditional variances (ranef condVar) on both factors', () => {
  /** Largest |a − b| over the entries of every level's matrix, relative to sqrt(V_ii V_jj) of the dense one. */
  function worstCondVarDiff(a: Record<string, number[][][]>, b: Record<string, number[][][]>): number {
    let worst = 0;
    for (const [group, mats] of Object.entries(b)) {
      expect(a[group]).toHaveLength(mats.length);
      mats.forEach((M, l) =>
        M.forEach((row, i) =>
          row.forEach((v, j) => {
            const scale = Math.sqrt(Math.abs(M[i][i] * M[j][j])) || 1;
            worst = Math.max(worst, Math.abs(a[group][l][i][j] - v) / scale);
          }),
        ),
      );
    }
    return worst;
  }

  function expectSameCondVar(file: string, formula: string, theta?: number[]): void {
    const prepared = prepareModel(formula, readDataFile(join(ROOT, file)));
    const designs = randomTermDesigns(prepared.frame, prepared.contrasts);
    // θ: each term's T with diagonal 0.4, 0.5, ... and 0.1 below it (a correlated, well-conditioned point)
    const th = theta ?? designs.flatMap((t, k) => {
      const out: number[] = [];
      const p = t.columns.length;
      for (let c = 0; c < p; c++) for (let r = c; r < p; r++) out.push(r === c ? 0.4 + 0.1 * ((k + c) % 5) : 0.1);
      return out;
    });
    const input = fromFormula(file, formula);
    const dense = new MixedEngine({ ...input, factor: 'dense' });
    const sparse = new MixedEngine({ ...input, factor: 'sparse' });
    expect(sparse.factorKind.kind).toBe('sparse');
    const ref = conditionalVariances(dense, designs, th, 0.7);
    const ours = conditionalVariances(sparse, designs, th, 0.7);
    expect(Object.keys(ours)).toEqual(Object.keys(ref));
    expect(worstCondVarDiff(ours, ref)).toBeLessThan(1e-12);
  }

  it.each([
    ['crossed with a correlated slope on the chain term', 'Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)'],
    ['a dense term with a correlated slope', 'Effect_Size ~ Condition + (1 | SubjectID) + (1 + Condition | Region)'],
    ['nested in crossed (a chain of two terms)', 'Effect_Size ~ Condition + (1 | SubjectID:Hemisphere) + (1 | SubjectID) + (1 | Region)'],
    ['two terms on the chain factor', 'Effect_Size ~ Condition + (1 | SubjectID) + (0 + Condition | SubjectID) + (1 | Region)'],
    ['two terms on a dense factor', 'Effect_Size ~ Condition + (1 | SubjectID) + (1 | Region) + (0 + Hemisphere | Region)'],
  ])('%s: agree to 1e-12', (_name, formula) => {
    expectSameCondVar('data/diachek_md.csv', formula);
  });

  it('InstEval at lme4\'s REML θ: agree to 1e-12', () => {
    expectSameCondVar('data/InstEval.csv', 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)', [0.2759032006058234, 0.4354148201704366, 0.09317585997623713]);
  });
});

describe('choice of factor', () => {
  it('sparse when the symbolic fill is far below dense, dense when the block fills', () => {
    expect(new MixedEngine(banded(600, 4)).factorKind.kind).toBe('sparse');
    // every a-level meets every b-level: the Schur complement is dense
    const pairs: [number, number][] = [];
    for (let a = 0; a < 300; a++) for (let b = 0; b < 150; b++) pairs.push([a, b]);
    expect(new MixedEngine(crossed(pairs, 300, 150, 1)).factorKind.kind).toBe('dense');
    // small blocks stay dense (the seed model's 31)
    expect(new MixedEngine(fromFormula('data/diachek_md.csv', 'Effect_Size ~ Condition + (1 | SubjectID) + (1 | Region)')).factorKind.kind).toBe('dense');
  });

  it('InstEval: the order gets within 10% of AMD fill (nnz(L) 311k per issue 13; dense 672k)', () => {
    const engine = new MixedEngine(fromFormula('data/InstEval.csv', 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)'));
    const kind = engine.factorKind;
    expect(kind.kind).toBe('sparse');
    expect(kind.order).toBe(1159);
    expect(kind.nnzL).toBeLessThan(1.1 * 311000);
  });
});

describe('blocks beyond the dense cap', () => {
  it('a banded block of order above MAX_DENSE_ORDER is factored sparse (memory follows nnz(L))', () => {
    const levels = MAX_DENSE_ORDER + 1000;
    const input = banded(levels, 2);
    expect(() => new MixedEngine({ ...input, factor: 'dense' })).toThrow(/more than 15000/);
    const engine = new MixedEngine(input);
    expect(engine.factorKind.kind).toBe('sparse');
    expect(Number.isFinite(engine.deviance(Float64Array.from([0.7, 0.6]), false))).toBe(true);
    // the panels, not order²: 16000² doubles would be 2 GiB
    expect(engine.memoryBytes).toBeLessThan(256 * 2 ** 20);
  });

  it('counts the sparse factor, not order², in the up-front memory check (order 16503: its dense A and D would need 4.4 GB)', () => {
    const engine = new MixedEngine(banded(16500, 2));
    expect(engine.factorKind).toMatchObject({ kind: 'sparse', order: 16503 });
    expect(Number.isFinite(engine.deviance(Float64Array.from([0.7, 0.6]), true))).toBe(true);
    expect(engine.memoryBytes).toBeLessThan(256 * 2 ** 20);
  });

  it('refuses a factor that cannot fit, with its size in the error', () => {
    // one a-level meets every b-level: the factor is dense, of order 21003
    const nb = 21000;
    const pairs: [number, number][] = [];
    for (let b = 0; b < nb; b++) pairs.push([0, b], [1 + (b % 50), b]);
    const make = (): MixedEngine => new MixedEngine(crossed(pairs, 51, nb, 2));
    expect(make).toThrow(ModelError);
    expect(make).toThrow(/sparse factor of \d+ doubles \(nnz\(L\) = \d+, order 21003\)/);
  });
});

describe('ordering and symbolic analysis', () => {
  /** nnz of each column of L by dense symbolic elimination (the reference). */
  function bruteCounts(n: number, cliques: Int32Array[], order: Int32Array): number[] {
    const pos = new Int32Array(n);
    order.forEach((c, k) => (pos[c] = k));
    const adj = Array.from({ length: n }, () => new Set<number>());
    for (const c of cliques) for (const i of c) for (const j of c) if (i !== j) adj[pos[i]].add(pos[j]);
    const counts: number[] = [];
    for (let k = 0; k < n; k++) {
      const later = [...adj[k]].filter((j) => j > k);
      counts.push(later.length + 1);
      for (const i of later) for (const j of later) if (i !== j) adj[i].add(j);
    }
    return counts;
  }

  it('column counts, supernode rows and the postorder match brute-force elimination', () => {
    const rnd = stream(9);
    const n = 120;
    const cliques: Int32Array[] = [];
    for (let e = 0; e < 90; e++) {
      const set = new Set<number>([n - 2, n - 1]); // two dense trailing columns, as X and y
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) set.add(Math.floor(rnd() * (n - 2)));
      cliques.push(Int32Array.from(set));
    }
    const st = supernodalStructure(n, cliques);
    expect([...st.order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(st.order[n - 2]).toBe(n - 2);
    expect(st.order[n - 1]).toBe(n - 1);
    const counts = bruteCounts(n, cliques, st.order);
    expect(st.nnzL).toBe(counts.reduce((a, b) => a + b, 0));
    // each supernode's panel holds every nonzero of its columns
    const pos = new Int32Array(n);
    st.order.forEach((c, k) => (pos[c] = k));
    const adj = Array.from({ length: n }, () => new Set<number>());
    for (const c of cliques) for (const i of c) for (const j of c) if (i !== j) adj[pos[i]].add(pos[j]);
    for (let k = 0; k < n; k++) {
      const later = [...adj[k]].filter((j) => j > k);
      for (const i of later) for (const j of later) if (i !== j) adj[i].add(j);
      const s = st.snodeOf[k];
      const rows = new Set(st.rows.subarray(st.rowPtr[s], st.rowPtr[s + 1]));
      for (const i of later) expect(rows.has(i)).toBe(true);
    }
  });

  it('minimum degree returns a permutation and beats the natural order on a shuffled band', () => {
    const n = 200;
    const shuffle = Int32Array.from({ length: n }, (_, i) => (i * 77) % n); // 77 coprime with 200
    const cliques = Array.from({ length: n - 2 }, (_, i) => Int32Array.from([shuffle[i], shuffle[i + 1], shuffle[i + 2]]));
    const order = minimumDegreeOrder(n, new Int32Array(n).fill(1), cliques);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    const fill = (o: Int32Array): number => bruteCounts(n, cliques, o).reduce((a, b) => a + b, 0);
    // a band of width 2 has no fill in a good order (3 per column at most)
    expect(fill(order)).toBeLessThanOrEqual(3 * n);
    expect(fill(order)).toBeLessThan(fill(Int32Array.from({ length: n }, (_, i) => i)));
  });
  it("the dense shortcut compares the cliques' share of the pattern, counted by brute force, with its limit", () => {
    const rnd = stream(21);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(rnd() * 60);
      const weights = Int32Array.from({ length: n }, () => 1 + Math.floor(rnd() * 3));
      const cliques = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => {
        const set = new Set<number>();
        for (let k = 0; k < 1 + Math.floor(rnd() * 8); k++) set.add(Math.floor(rnd() * n));
        return Int32Array.from(set);
      });
      // share = Σᵢ wᵢ·w(i's neighbourhood, i included) / (Σ w)²
      let total = 0;
      for (const w of weights) total += w;
      let filled = 0;
      for (let i = 0; i < n; i++) {
        const near = new Set<number>([i]);
        for (const c of cliques) if (c.includes(i)) for (const j of c) near.add(j);
        let w = 0;
        for (const j of near) w += weights[j];
        filled += weights[i] * w;
      }
      const share = filled / (total * total);
      const flat = flattenCliques(cliques);
      expect(levelOrder(n, weights, flat, { share: share * (1 - 1e-9), budget: 1e9 })).toBeNull();
      const order = levelOrder(n, weights, flat, { share: share * (1 + 1e-9), budget: 1e9 });
      expect(order).toEqual(minimumDegreeOrder(n, weights, cliques));
      // past the counting budget the share counts as full
      if (cliques.some((c) => c.length > 1)) expect(levelOrder(n, weights, flat, { share: 0.99, budget: 0 })).toBeNull();
    }
  });
});

describe('selected inverse of the crossed block', () => {
  /** (Λ'Z'ZΛ + I)⁻¹ by brute force: the whole matrix formed and inverted densely. */
  function bruteInverse(input: Omit<EngineInput, 'factor'>, theta: number[]): { inv: Float64Array; q: number } {
    const offsets: number[] = [];
    let q = 0;
    for (const t of input.terms) {
      offsets.push(q);
      q += t.nlev * t.p;
    }
    const T = input.terms.map((t, j) => {
      const m = new Float64Array(t.p * t.p);
      let at = input.terms.slice(0, j).reduce((acc, s) => acc + (s.p * (s.p + 1)) / 2, 0);
      for (let c = 0; c < t.p; c++) for (let r = c; r < t.p; r++) m[r * t.p + c] = theta[at++];
      return m;
    });
    const A = new Float64Array(q * q);
    const row = new Float64Array(q);
    const touched: number[] = [];
    for (let r = 0; r < input.n; r++) {
      touched.length = 0;
      input.terms.forEach((t, j) => {
        const g = t.codes[r];
        for (let b = 0; b < t.p; b++) {
          let v = 0;
          for (let a = b; a < t.p; a++) v += t.z[r * t.p + a] * T[j][a * t.p + b];
          row[offsets[j] + g * t.p + b] = v;
          touched.push(offsets[j] + g * t.p + b);
        }
      });
      for (const i of touched) for (const k of touched) A[i * q + k] += row[i] * row[k];
    }
    for (let i = 0; i < q; i++) A[i * q + i] += 1;
    // inverse by Gauss–Jordan on the symmetric positive definite A (no pivoting needed)
    const inv = new Float64Array(q * q);
    for (let i = 0; i < q; i++) inv[i * q + i] = 1;
    for (let c = 0; c < q; c++) {
      const d = A[c * q + c];
      for (let k = 0; k < q; k++) {
        A[c * q + k] /= d;
        inv[c * q + k] /= d;
      }
      for (let r = 0; r < q; r++) {
        if (r === c) continue;
        const f = A[r * q + c];
        if (f === 0) continue;
        for (let k = 0; k < q; k++) {
          A[r * q + k] -= f * A[c * q + k];
          inv[r * q + k] -= f * inv[c * q + k];
        }
      }
    }
    return { inv, q };
  }

  it.each([
    ['random crossed, sparse factor', 'sparse'],
    ['random crossed, dense factor', 'dense'],
  ] as const)('%s: equals the brute-force inverse on the pattern to 1e-12', (_name, factor) => {
    const rnd = stream(4);
    const pairs: [number, number][] = [];
    for (let a = 0; a < 90; a++) for (let k = 0; k < 3; k++) pairs.push([a, Math.floor(rnd() * 70)]);
    const input = crossed(pairs, 90, 70, 8);
    const theta = [0.9, 0.6];
    const engine = new MixedEngine({ ...input, factor });
    expect(() => engine.selectedInverse()).toThrow(ModelError);
    expect(engine.evaluate(Float64Array.from(theta))).not.toBeNull();
    const sel = engine.selectedInverse();
    const { inv, q } = bruteInverse(input, theta);
    let scale = 0;
    for (let i = 0; i < q * q; i++) scale = Math.max(scale, Math.abs(inv[i]));
    let worst = 0;
    for (let k = 0; k < sel.value.length; k++) worst = Math.max(worst, Math.abs(sel.value[k] - inv[sel.row[k] * q + sel.col[k]]));
    expect(sel.value.length).toBeGreaterThan(70); // at least the diagonal of the crossed term
    expect(worst / scale).toBeLessThan(1e-12);
    // every diagonal entry of the crossed term is present
    const diag = new Set<number>();
    for (let k = 0; k < sel.row.length; k++) if (sel.row[k] === sel.col[k]) diag.add(sel.row[k]);
    expect(diag.size).toBe(70);
  });

  it('a dense term with a slope (p = 2, correlated): equals the brute-force inverse', () => {
    const input = fromFormula('data/diachek_md.csv', 'Effect_Size ~ Condition + (1 | SubjectID) + (1 + Condition | Region)');
    const theta = [0.5, 0.7, 0.1, 0.3];
    const engine = new MixedEngine({ ...input, factor: 'sparse' });
    expect(engine.evaluate(Float64Array.from(theta))).not.toBeNull();
    const sel = engine.selectedInverse();
    const { inv, q } = bruteInverse(input, theta);
    let scale = 0;
    for (let i = 0; i < q * q; i++) scale = Math.max(scale, Math.abs(inv[i]));
    let worst = 0;
    for (let k = 0; k < sel.value.length; k++) worst = Math.max(worst, Math.abs(sel.value[k] - inv[sel.row[k] * q + sel.col[k]]));
    expect(worst / scale).toBeLessThan(1e-12);
  });
});
