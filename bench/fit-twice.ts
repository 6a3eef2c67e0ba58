/**
 * One lmer fit repeated in one process (first: cold, later: warm), each with its evaluations, optimize and
 * checks (wall), the whole call's wall and CPU time, and its objective: to compare two builds, run it in each
 * checkout, alternating (timings on a shared machine are noisy).
 *
 * Usage: REPS=2 node --import tsx bench/fit-twice.ts CSV FORMULA REML(true|false) [OPTIMIZER (newton)]
 */
import { readDataFile } from '../src/data/read-file.js';
import { lmer } from '../src/fit/lmer.js';
import type { OptimizerName } from '../src/optim/index.js';

const [file, formula, reml, optimizer] = process.argv.slice(2);
const data = readDataFile(file);
for (let k = 0; k < Number(process.env.REPS ?? 2); k++) {
  const c0 = process.cpuUsage();
  const m = lmer(formula, data, { REML: reml === 'true', optimizer: (optimizer ?? 'newton') as OptimizerName });
  const c = process.cpuUsage(c0);
  console.log(
    `evals ${m.optimizer.evaluations} optimize ${m.timings.optimizeMs.toFixed(0)} checks ${m.timings.checksMs.toFixed(0)} ` +
      `fit ${m.fitMs.toFixed(0)} cpu ${((c.user + c.system) / 1000).toFixed(0)} objective ${reml === 'true' ? m.REMLcrit() : m.deviance()}`,
  );
}
