// lmm-wasm/plot and lmm-wasm/plot/node from the installed package, with the optional peers
// (@observablehq/plot, linkedom) present. Run by test/consumer.test.ts in the consumer project.
import { lmer } from 'lmm-wasm';
import { readDataFile } from 'lmm-wasm/node';
import { plotSVG, writePlot, PLOT_KINDS } from 'lmm-wasm/plot/node';
import { caterpillarData, qqData } from 'lmm-wasm/plot';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const check = (ok, what) => {
  if (!ok) throw new Error(`consumer check failed: ${what}`);
};
const m = lmer('Reaction ~ Days + (Days | Subject)', readDataFile(fileURLToPath(import.meta.resolve('lmm-wasm/data/sleepstudy.csv'))));
check(caterpillarData(m).length > 0 && qqData(m).length === 180, 'plot data');
for (const kind of PLOT_KINDS.filter((k) => k !== 'profile')) check(plotSVG(kind, m).startsWith('<svg'), `plotSVG ${kind}`);
const dir = mkdtempSync(join(tmpdir(), 'lmm-plot-'));
writePlot('caterpillar', m, join(dir, 'c.svg'));
check(readFileSync(join(dir, 'c.svg'), 'utf8').includes('<svg'), 'writePlot');
rmSync(dir, { recursive: true });
console.log('plot ok');
