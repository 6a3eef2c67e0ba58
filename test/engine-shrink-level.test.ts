// The engine's numbers must not depend on asconfig.json's optimize or shrink level. WebAssembly arithmetic is
// deterministic and binaryen's passes keep IEEE semantics, but AssemblyScript's standard library compiles
// another algorithm for some Math functions when ASC_SHRINK_LEVEL ≥ 1 (table-free exp, log, pow; another
// argument reduction for sin and cos), and the two round differently in the last bit. That is what made the
// engine built at shrinkLevel 1 reach other optima (bench/BROWSER-SIZE.md). So assembly/ may call only the
// Math functions whose code is the same at every level; the others go through assembly/libm.ts, which names
// one implementation, or JSMath (the host's). The list of level-dependent functions is read from the installed
// AssemblyScript, so a new version that adds one is caught too.
// bench/engine-variants.mjs --identity checks the same end to end: every lmer / glmer fixture, two engines.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const ascRoot = dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json'));
const mathSource = readFileSync(join(ascRoot, 'std/assembly/math.ts'), 'utf8');

/** The functions of a namespace of std/assembly/math.ts, name → body (to the next function). */
function functionsOf(text: string): Map<string, string> {
  const parts = text.split(/\n\s*(?:export\s+)?function\s+(\w+)\s*(?:<[^>]*>)?\(/);
  const out = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i], parts[i + 1]);
  return out;
}

/** NativeMath's (f64) functions whose code depends on the shrink level, directly or through a helper. */
function levelDependent(): Set<string> {
  const start = mathSource.indexOf('export namespace NativeMath {');
  const end = mathSource.indexOf('export namespace NativeMathf');
  const helpers = functionsOf(mathSource.slice(0, start));
  const native = functionsOf(mathSource.slice(start, end));
  const dependent = new Set([...helpers].filter(([, body]) => body.includes('ASC_SHRINK_LEVEL')).map(([name]) => name));
  // a function calling a dependent one is dependent: iterate to a fixed point
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, body] of [...helpers, ...native]) {
      if (dependent.has(name)) continue;
      if (body.includes('ASC_SHRINK_LEVEL') || [...dependent].some((d) => new RegExp(`\\b${d}\\s*\\(`).test(body))) {
        dependent.add(name);
        grew = true;
      }
    }
  }
  return new Set([...dependent].filter((name) => native.has(name)));
}

describe('engine numbers do not depend on the shrink level', () => {
  it('finds the level-dependent functions in AssemblyScript', () => {
    const dependent = levelDependent();
    // the ones the engine would reach for first; if these vanish, the parsing above broke
    for (const name of ['exp', 'log', 'pow', 'sin', 'cos']) expect(dependent, name).toContain(name);
    for (const name of ['sqrt', 'abs', 'floor']) expect(dependent, name).not.toContain(name);
  });

  it('assembly/ calls none of them through Math or NativeMath', () => {
    const dependent = levelDependent();
    const offending: string[] = [];
    for (const file of readdirSync(join(root, 'assembly')).filter((f) => f.endsWith('.ts'))) {
      const lines = readFileSync(join(root, 'assembly', file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        for (const m of code.matchAll(/(?<![\w.])(?:Native)?Math\.(\w+)/g)) {
          if (dependent.has(m[1])) offending.push(`assembly/${file}:${i + 1}: ${m[0]} (use assembly/libm.ts or JSMath)`);
        }
      });
    }
    expect(offending).toEqual([]);
  });
});
