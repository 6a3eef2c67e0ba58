// Whether the browser build could take JavaScript's Math functions in place of @stdlib's elementary functions
// (bench/BROWSER-SIZE.md, round 4): for each function, on fixed arguments made in Node, how many results
// differ in any bit between Node's Math, Chromium's Math and @stdlib's function. The browser build must give
// Node's numbers bit for bit (test/browser/chromium.test.ts), so a function can come from the engine only
// where Node's and Chromium's agree. Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium) and playwright-core:
// node bench/math-builtins.mjs [count]
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const N = Number(process.argv[2] ?? 200_000);
const STDLIB = {
  pow: 'pow', exp: 'exp', log: 'ln', log1p: 'log1p', expm1: 'expm1', sin: 'sin', cos: 'cos', asin: 'asin', acos: 'acos', sqrt: 'sqrt',
};

// arguments from a fixed xorshift stream, spread over the ranges the distribution functions use
let s = 0x9e3779b9;
const u = () => ((s ^= s << 13), (s >>>= 0), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0), s / 4294967296);
const lin = (a, b) => a + (b - a) * u();
const logu = (a, b) => Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * u());
const draw = {
  pow: () => (u() < 0.4 ? [u(), logu(0.01, 2000)] : u() < 0.33 ? [logu(1e-300, 1e300), lin(-50, 50)] : u() < 0.5 ? [lin(0.5, 2), lin(-1e4, 1e4)] : [lin(-10, 10), Math.round(lin(-30, 30))]),
  exp: () => [u() < 0.5 ? lin(-745, 709) : lin(-2, 2)],
  log: () => [u() < 0.5 ? logu(1e-308, 1e308) : lin(0.5, 2)],
  log1p: () => [u() < 0.3 ? lin(-1, 1) : u() < 0.5 ? logu(1e-20, 1e-3) : logu(1e-3, 1e300)],
  expm1: () => [u() < 0.5 ? lin(-40, 709) : lin(-1, 1) * logu(1e-20, 1)],
  sin: () => [u() < 0.5 ? lin(-10, 10) : lin(-1e6, 1e6)],
  cos: () => [u() < 0.5 ? lin(-10, 10) : lin(-1e6, 1e6)],
  asin: () => [lin(-1, 1)],
  acos: () => [lin(-1, 1)],
  sqrt: () => [logu(1e-300, 1e300)],
};
const args = Object.fromEntries(Object.entries(draw).map(([name, f]) => [name, Array.from({ length: N }, f)]));
const apply = (table) => Object.fromEntries(Object.entries(table).map(([name, list]) => [name, list.map((a) => Math[name](...a))]));

const node = apply(args);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const web = await page.evaluate(`(${apply.toString()})(${JSON.stringify(args)})`);
await browser.close();

console.log(`| function | Node ≠ Chromium | @stdlib ≠ Node | of |\n| --- | ---: | ---: | ---: |`);
for (const name of Object.keys(args)) {
  const std = require(`@stdlib/math-base-special-${STDLIB[name]}`);
  let nodeWeb = 0;
  let stdNode = 0;
  for (let i = 0; i < N; i++) {
    if (!Object.is(node[name][i], web[name][i])) nodeWeb++;
    if (!Object.is(std(...args[name][i]), node[name][i])) stdNode++;
  }
  console.log(`| Math.${name} | ${nodeWeb} | ${stdNode} | ${N} |`);
}
