// Type-checked (tsc --noEmit) under moduleResolution bundler, nodenext and node10: both entries resolve
// and their declarations give the API its types (glmer, lmm-wasm/worker and lmm-wasm/plot included).
import { lmer, lm, summary, anova, toDataTable, type DataInput, LmmError } from 'lmm-wasm';
import { readDataFile } from 'lmm-wasm/node';
import { glmer, GlmerModel } from 'lmm-wasm';
import { lmer as lmerInWorker, type RemoteModel } from 'lmm-wasm/worker';
import { plotSVG, type PlotKind } from 'lmm-wasm/plot';

const rows: DataInput = [{ y: 1, x: 2, g: 'a' }];
const data = readDataFile('sleepstudy.csv');
const m = lmer('Reaction ~ Days + (Days | Subject)', data, { REML: false });
const beta: number = m.fixef()['Days'];
const text: string = String(summary(m)) + String(anova(m)) + String(summary(lm('y ~ x', rows)));
const rowCount: number = toDataTable(rows).nrow;
const isError: boolean = new Error('x') instanceof LmmError;
const gm: GlmerModel = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', data, { family: 'binomial' });
const remote: Promise<RemoteModel> = lmerInWorker('Reaction ~ Days + (Days | Subject)', rows);
const kind: PlotKind = 'caterpillar';
const svg: string = plotSVG(kind, m);
export { beta, text, rowCount, isError, gm, remote, svg };
