// Writes THIRD-PARTY-NOTICES.md: the licences and notices of the third-party code the two bundles inline
// (scripts/build-bundle.mjs, for dist/ and dist/browser/), each distinct text once.
// Why one file: esbuild's per-bundle legal-comment files repeated the same @stdlib Apache-2.0 header once per
// source file and once per build (two files of 77 kB). This file is complete instead of repetitive: every
// bundled package's name, version and licence; its LICENSE text (the @stdlib ones split into the Apache-2.0
// body and the upstream attributions each appends: FDLIBM, Cephes, Boost, Go ...) and its NOTICE file; and
// every licence comment in the bundled sources (what esbuild would keep: /*! ... */, //!, @license,
// @preserve). Packages are found from the builds' metafiles (build/*-meta.json), so run after both builds.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const METAFILES = ['build/bundle-meta.json'];

/** The package directory (under node_modules) of each input file that contributes bytes to an output. */
export function bundledPackages() {
  const files = new Map(); // package dir → input files
  for (const meta of METAFILES) {
    const path = join(root, meta);
    if (!existsSync(path)) throw new Error(`${meta} is missing: run npm run build:bundle first`);
    const { outputs } = JSON.parse(readFileSync(path, 'utf8'));
    for (const output of Object.values(outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
        if (!m || bytesInOutput === 0) continue;
        const dir = join(root, m[1]);
        if (!files.has(dir)) files.set(dir, new Set());
        files.get(dir).add(join(root, input));
      }
    }
  }
  return files;
}

/** @stdlib's LICENSE is Apache-2.0 followed by "DEPENDENCIES & ATTRIBUTION" and one `* Name <url>` entry per upstream licence. */
function licenceSections(text) {
  const at = text.search(/^DEPENDENCIES & ATTRIBUTION\s*$/m);
  if (at < 0) return [text.trim()];
  const [body, tail] = [text.slice(0, at), text.slice(at)];
  const entries = tail.split(/^(?=\* \S.*<\S+>\s*$)/m).slice(1);
  return [body.trim(), ...entries.map((e) => e.trim())];
}

/** Licence comments as esbuild's legalComments option defines them, their `*` gutters removed. */
function legalComments(source) {
  const out = [];
  for (const m of source.matchAll(/\/\*[\s\S]*?\*\/|\/\/![^\n]*/g)) {
    const c = m[0];
    if (!(c.startsWith('/*!') || c.startsWith('//!') || /@license|@preserve/.test(c))) continue;
    const lines = c
      .replace(/^\/\*+!?|\*+\/$|^\/\/!/g, '')
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, '').trimEnd());
    out.push(...commentSections(lines.join('\n')));
  }
  return out;
}

/**
 * @stdlib's file headers are the Apache-2.0 header (the same few with different years), then a "## Notice"
 * with a line on where the code came from and the upstream copyright and licence in ```text fences (the same
 * FDLIBM, Cephes, Go ... texts in many files): split there, so each text is written once.
 */
function commentSections(text) {
  return text
    .split(/^## Notice\s*$|^(```text\n[\s\S]*?^```)\s*$/m)
    .filter((t) => t !== undefined)
    .map((t) => t.replace(/^```text\n|^```$/gm, '').trim())
    .filter((t) => t !== '');
}

export function notices() {
  const texts = new Map(); // text → { id, users: Set<package> }
  const cite = (text, user) => {
    if (!texts.has(text)) texts.set(text, { id: texts.size + 1, users: new Set() });
    texts.get(text).users.add(user);
    return texts.get(text).id;
  };
  const rows = [];
  for (const [dir, inputs] of [...bundledPackages()].sort(([a], [b]) => a.localeCompare(b))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const ids = new Set();
    for (const f of readdirSync(dir).filter((f) => /^(licen[cs]e|copying|notice)/i.test(f)).sort()) {
      for (const section of licenceSections(readFileSync(join(dir, f), 'utf8'))) ids.add(cite(section, pkg.name));
    }
    for (const input of inputs) for (const c of legalComments(readFileSync(input, 'utf8'))) ids.add(cite(c, pkg.name));
    if (ids.size === 0) throw new Error(`${relative(root, dir)}: bundled, but has no licence file or licence comment to cite`);
    rows.push(`| ${pkg.name} | ${pkg.version} | ${pkg.license ?? 'see text'} | ${[...ids].sort((a, b) => a - b).join(', ')} |`);
  }
  const fence = (t) => '`'.repeat(Math.max(3, ...[...t.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [
    '# Third-party notices',
    '',
    "lmm-wasm's own code is MIT-licensed (LICENSE). Its built JavaScript (`dist/`, `dist/browser/`) also contains",
    'code from the packages below, inlined by the bundler. Their licences and notices follow, each distinct text',
    'once; the table gives the numbers of the texts that apply to each package. Written by',
    '`scripts/build-notices.mjs` from the builds, do not edit.',
    '',
    '| package | version | licence | texts |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...[...texts].flatMap(([text, { id }]) => [`## ${id}`, '', fence(text) + 'text', text, fence(text), '']),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = notices();
  writeFileSync(join(root, 'THIRD-PARTY-NOTICES.md'), text);
  console.log(`THIRD-PARTY-NOTICES.md: ${(text.length / 1024).toFixed(1)} KB`);
}
