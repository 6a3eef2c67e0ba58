// The README cannot drift from the package: every ```js block runs as an ES module against the built
// package (its 'lmm-wasm' imports pointed at dist/), and every `npx lmm ...` line of a ```sh block runs
// the built command. A block fenced as ```js norun is shown, not run. Needs the build (npm ci does it).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Block {
  lang: string;
  flags: string[];
  code: string;
  line: number;
}

/** Fenced code blocks with their info string and starting line. */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const re = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const [lang = '', ...flags] = m[1].trim().split(/\s+/);
    out.push({ lang, flags, code: m[2], line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** Points the package's own specifiers ('lmm-wasm', 'lmm-wasm/node', ...) at the built entries. */
function toDist(code: string): string {
  type Target = string | { import?: string; node?: Target };
  const exportsMap = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).exports as Record<string, Target>;
  // the blocks run in Node: a "node" condition wins, as Node's resolver picks it
  const pick = (t: Target | undefined): string | undefined => (t === undefined || typeof t === 'string' ? t : pick(t.node) ?? t.import);
  return code.replace(/(['"])lmm-wasm(\/[\w/-]+)?\1/g, (_m, q: string, sub: string | undefined) => {
    const entry = exportsMap[`.${sub ?? ''}`];
    const target = pick(entry);
    if (!target) throw new Error(`README imports lmm-wasm${sub ?? ''}, which package.json does not export`);
    return q + pathToFileURL(join(ROOT, target)).href + q;
  });
}

/** Splits a shell line into words, honouring single and double quotes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

const all = blocks(readme);
const jsBlocks = all.filter((b) => (b.lang === 'js' || b.lang === 'javascript') && !b.flags.includes('norun'));
const cliLines = all
  .filter((b) => b.lang === 'sh' || b.lang === 'bash')
  .flatMap((b) => b.code.split('\n').map((text, i) => ({ text: text.replace(/\s+#.*$/, '').trim(), line: b.line + 1 + i })))
  .filter((l) => l.text.startsWith('npx lmm '));

// inside the repository, so that blocks importing optional libraries (apache-arrow, ...) find them
const cache = join(ROOT, 'node_modules/.cache');
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(join(cache, 'lmm-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('README', () => {
  it('has examples to run', () => {
    expect(jsBlocks.length).toBeGreaterThan(0);
    expect(cliLines.length).toBeGreaterThan(0);
  });

  for (const b of jsBlocks) {
    it(`js block at README.md:${b.line} runs`, () => {
      const file = join(work, `block-${b.line}.mjs`);
      writeFileSync(file, toDist(b.code));
      const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  }

  for (const l of cliLines) {
    it(`command at README.md:${l.line} runs: ${l.text}`, () => {
      const args = shellWords(l.text).slice(2);
      const out = execFileSync(process.execPath, [join(ROOT, 'dist/cli/bin.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(out.length).toBeGreaterThan(0);
      if (args.includes('--json')) expect(() => JSON.parse(out)).not.toThrow();
    });
  }
});
