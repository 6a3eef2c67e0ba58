/**
 * The engine's memory per fit: WebAssembly instances created, linear-memory grows and allocations, CPU
 * time per fit, and whether the process's memory stays flat over many repeated fits (RSS, heap, and the
 * engine memory V8 counts as external). Counted by wrapping WebAssembly.Instance, so the same script
 * measures any build of the engine (run it from another checkout's directory to compare, interleaved).
 *
 *   node --expose-gc --import tsx bench/engine-memory.ts verbagg [fits] [--from DIR]
 *
 * Workloads: cbpp, grouse, verbagg (glmer); sleepstudy, seed_md, d3_int (lmer). `--from DIR` loads the
 * package's sources from DIR (another checkout), the data from this one. Prints one JSON line.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const fromAt = argv.indexOf('--from');
const src = fromAt >= 0 ? resolve(argv[fromAt + 1]) : here;
const args = argv.filter((a, i) => !a.startsWith('--') && !(fromAt >= 0 && i === fromAt + 1));
const id = args[0] ?? 'verbagg';
const fits = Number(args[1] ?? 20);

// counts: instances, allocations, and memory grows (by an allocation or by the host)
const counts = { instances: 0, allocs: 0, grows: 0 };
const NativeInstance = WebAssembly.Instance;
const Counted = function (this: unknown, module: WebAssembly.Module, imports?: WebAssembly.Imports) {
  const inst = new NativeInstance(module, imports);
  const ex = inst.exports as Record<string, unknown> & { memory: WebAssembly.Memory; alloc?: (b: number) => number };
  if (typeof ex.alloc !== 'function') return inst;
  counts.instances++;
  const alloc = ex.alloc;
  const exports = {
    ...ex,
    alloc(bytes: number): number {
      const before = ex.memory.buffer.byteLength;
      const ptr = alloc(bytes);
      counts.allocs++;
      if (ex.memory.buffer.byteLength !== before) counts.grows++;
      return ptr;
    },
  };
  return { exports } as unknown as WebAssembly.Instance;
} as unknown as typeof WebAssembly.Instance;
(WebAssembly as { Instance: typeof WebAssembly.Instance }).Instance = Counted;
// grows the host asks for (a build that reserves a model's memory in one step) count too
const nativeGrow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, pages: number): number {
  counts.grows++;
  return nativeGrow.call(this, pages);
};

const shared = (f: string): string => join(here, '..', '..', 'shared', 'data', f);
const WORKLOADS: Record<string, { data: string; formula: string; family?: 'binomial' | 'poisson'; REML?: boolean }> = {
  cbpp: { data: 'data/cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)', family: 'binomial' },
  grouse: { data: 'data/grouseticks.csv', formula: 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)', family: 'poisson' },
  verbagg: { data: 'test/fixtures/glmer/VerbAgg.csv', formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)', family: 'binomial' },
  sleepstudy: { data: 'data/sleepstudy.csv', formula: 'Reaction ~ Days + (Days | Subject)', REML: true },
  seed_md: {
    data: 'data/diachek_md.csv',
    formula: 'Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)',
    REML: true,
  },
  d3_int: { data: shared('d3.csv'), formula: 'Y ~ 1 + U + (1 | G) + (1 | H) + (1 | I)', REML: false },
};
const w = WORKLOADS[id];
if (!w) throw new Error(`unknown workload ${id} (${Object.keys(WORKLOADS).join(', ')})`);

const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(join(src, rel)).href)) as T;
const { readDataFile } = await load<typeof import('../src/data/read-file.js')>('src/data/read-file.ts');
const { glmer } = await load<typeof import('../src/fit/glmer.js')>('src/fit/glmer.ts');
const { lmer } = await load<typeof import('../src/fit/lmer.js')>('src/fit/lmer.ts');
const data = readDataFile(resolve(here, w.data));
const fit = (): number =>
  w.family
    ? glmer(w.formula, data, { family: w.family }).deviance()
    : lmer(w.formula, data, { REML: w.REML }).deviance();

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (x: number): number => Math.round((x / 2 ** 20) * 10) / 10;
const memory = () => {
  gc?.();
  const u = process.memoryUsage();
  return { rssMB: mb(u.rss), heapMB: mb(u.heapUsed), externalMB: mb(u.external) };
};

const first = { ...counts };
const cpuFirst = process.cpuUsage();
const objective = fit();
const firstCpu = process.cpuUsage(cpuFirst);
const firstFit = { instances: counts.instances - first.instances, allocs: counts.allocs - first.allocs, grows: counts.grows - first.grows, cpuMs: (firstCpu.user + firstCpu.system) / 1000 };
fit(); // JIT warm
const before = memory();
const start = { ...counts };
const cpuMs: number[] = [];
const checkpoints: ReturnType<typeof memory>[] = [];
for (let i = 0; i < fits; i++) {
  const c0 = process.cpuUsage();
  fit();
  const c = process.cpuUsage(c0);
  cpuMs.push((c.user + c.system) / 1000);
  if ((i + 1) % Math.ceil(fits / 4) === 0) checkpoints.push(memory());
}
// after the loop, with the event loop free: finalizers run and the collector frees what it swept lazily
await new Promise((r) => setTimeout(r, 200));
gc?.();
await new Promise((r) => setTimeout(r, 200));
const settled = memory();
cpuMs.sort((a, b) => a - b);
const per = (k: keyof typeof counts): number => Math.round(((counts[k] - start[k]) / fits) * 100) / 100;
console.log(
  JSON.stringify({
    id,
    src,
    fits,
    objective,
    firstFit,
    perFit: { instances: per('instances'), allocs: per('allocs'), grows: per('grows') },
    cpuMs: { min: Math.round(cpuMs[0] * 10) / 10, median: Math.round(cpuMs[cpuMs.length >> 1] * 10) / 10 },
    before,
    checkpoints,
    settled,
  }),
);
