// Vitest global setup: rebuilds the WebAssembly engine when its sources are newer than the generated module
// the tests load (src/wasm/generated/engine-binary.ts is git-ignored and written only by build:wasm), so a
// change to assembly/ cannot be tested against a stale engine. Costs a few stat calls when nothing changed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const GENERATED = join(ROOT, 'src/wasm/generated/engine-binary.ts');

/** The inputs of scripts/build-wasm.mjs: the AssemblyScript sources, the compiler settings and the script. */
function engineSources(): string[] {
  const assembly = join(ROOT, 'assembly');
  const sources = readdirSync(assembly, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(assembly, f));
  return [...sources, join(ROOT, 'asconfig.json'), join(ROOT, 'scripts/build-wasm.mjs')];
}

/** The sources newer than the generated engine (all of them when it is missing). */
export function staleEngineSources(): string[] {
  const sources = engineSources();
  if (!existsSync(GENERATED)) return sources;
  const built = statSync(GENERATED).mtimeMs;
  return sources.filter((f) => statSync(f).mtimeMs > built);
}

export default function setup(): void {
  const stale = staleEngineSources();
  if (stale.length === 0) return;
  const shown = stale.slice(0, 3).map((f) => f.slice(ROOT.length + 1)).join(', ') + (stale.length > 3 ? ', …' : '');
  console.log(`the engine is older than ${shown}: rebuilding it (npm run build:wasm)`);
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-wasm.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
