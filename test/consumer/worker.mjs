// `lmm-wasm/worker` from the installed package, in Node: the functions run in a worker_thread (thread-node.js
// inside the package). Run by test/consumer.test.ts in the consumer project.
import { lmer, anova, summary, fixef, upload, call, createWorker, terminate } from 'lmm-wasm/worker';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const check = (ok, what) => {
  if (!ok) throw new Error(`consumer check failed: ${what}`);
};
const csv = readFileSync(fileURLToPath(import.meta.resolve('lmm-wasm/data/sleepstudy.csv')), 'utf8');
const data = await upload(csv);
let evaluations = 0;
const m = await lmer('Reaction ~ Days + (Days | Subject)', data, { onProgress: (p) => (evaluations = p.evaluations) });
const m0 = await lmer('Reaction ~ Days + (1 | Subject)', data);
check(Math.abs((await fixef(m)).Days - 10.467286) < 1e-4, 'worker lmer / fixef');
check(String(await summary(m)).includes('REML criterion at convergence: 1743.6') && evaluations > 0, 'worker summary / onProgress');
check(String(await anova(m0, m)).includes('Chisq') && String(await call('ranova', m)).includes('LRT'), 'worker anova / call');
terminate();
// a worker of its own, as for parallel fits
const own = createWorker();
const lmFit = await own.lm('Reaction ~ Days', await own.upload(csv));
check(String(await own.call('summary', lmFit)).includes('Residual standard error'), 'createWorker');
own.terminate();
console.log('worker ok');
