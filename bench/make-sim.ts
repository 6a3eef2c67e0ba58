/**
 * Deterministic simulated crossed designs for the benchmarks (the recipe of the shared make-sim.R:
 * y = 5 + 0.8 x − 0.4 [cond = B] + subject intercept & condB slope (SD 1.0 and 0.5, correlation 0.4)
 * + item intercept (SD 0.6) + residual (SD 1.2); rows grouped by subject, items drawn at random, cond A/B
 * at random within subject; y and x written with 6 significant digits). Our own PRNG, so the numbers
 * differ from make-sim.R's but the design is the same.
 *
 *   npx tsx bench/make-sim.ts sim1M     → bench/data/sim1M.csv   (1,000,000 rows, 5000 subjects × 2000 items)
 *   npx tsx bench/make-sim.ts sim1M_1000x400 → 1,000,000 rows with sim100k's 1000 × 400 levels
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZES: Record<string, { n: number; subjects: number; items: number }> = {
  sim100k: { n: 100_000, subjects: 1000, items: 400 },
  sim1M: { n: 1_000_000, subjects: 5000, items: 2000 },
  // sim100k's levels with ten times the rows: the evaluation cost must not change with n
  sim1M_1000x400: { n: 1_000_000, subjects: 1000, items: 400 },
};

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal variates from uniform ones (Marsaglia's polar method). */
export function normal(u: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let x = 0;
    let y = 0;
    let r = 0;
    do {
      x = 2 * u() - 1;
      y = 2 * u() - 1;
      r = x * x + y * y;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt((-2 * Math.log(r)) / r);
    spare = y * f;
    return x * f;
  };
}

const g6 = (v: number): string => String(Number(v.toPrecision(6)));

/** Writes the CSV; resolves with its path. */
export async function makeSim(name: string, outDir = join(dirname(fileURLToPath(import.meta.url)), 'data')): Promise<string> {
  const size = SIZES[name];
  if (!size) throw new Error(`unknown simulation ${name} (use ${Object.keys(SIZES).join(', ')})`);
  const u = mulberry32(20261124);
  const rnorm = normal(u);
  const subjInt = Float64Array.from({ length: size.subjects }, () => rnorm());
  const subjSlope = subjInt.map((a) => 0.5 * (0.4 * a + Math.sqrt(1 - 0.16) * rnorm()));
  const item = Float64Array.from({ length: size.items }, () => 0.6 * rnorm());
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${name}.csv`);
  const out = createWriteStream(path);
  out.write('y,x,cond,subj,item\n');
  const perSubject = size.n / size.subjects;
  let chunk = '';
  for (let s = 0; s < size.subjects; s++) {
    for (let r = 0; r < perSubject; r++) {
      const it = Math.floor(u() * size.items);
      const condB = u() < 0.5 ? 1 : 0;
      const x = Number(rnorm().toPrecision(6));
      const y = 5 + 0.8 * x - 0.4 * condB + subjInt[s] + subjSlope[s] * condB + item[it] + 1.2 * rnorm();
      chunk += `${g6(y)},${x},${condB ? 'B' : 'A'},s${s + 1},i${it + 1}\n`;
      if (chunk.length > 1 << 20) {
        out.write(chunk);
        chunk = '';
      }
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of process.argv.slice(2)) console.log(await makeSim(name));
}
