// One glmer fit timed as the first call in a fresh process (run after `npm run build`):
// node bench/glmer-first-fit.mjs DATA.csv FORMULA FAMILY
import { readDataFile, glmer } from '../dist/node.js';
const [file, formula, family] = process.argv.slice(2);
const d = readDataFile(file);
const c0 = process.cpuUsage(); const t0 = performance.now();
const m = glmer(formula, d, { family });
const t1 = performance.now(); const c1 = process.cpuUsage(c0);
console.log(JSON.stringify({ firstFitMs: +(t1 - t0).toFixed(1), cpuMs: +((c1.user + c1.system) / 1000).toFixed(1), deviance: m.deviance?.() ?? null }));
