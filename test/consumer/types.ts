// Type-checked (tsc --noEmit) under moduleResolution bundler, nodenext and node10: both entries resolve
// and their declarations give the API its types.
import { lmer, lm, summary, anova, toDataTable, type DataInput, LmmError } from 'lmm-wasm';
import { readDataFile } from 'lmm-wasm/node';

const rows: DataInput = [{ y: 1, x: 2, g: 'a' }];
const data = readDataFile('sleepstudy.csv');
const m = lmer('Reaction ~ Days + (Days | Subject)', data, { REML: false });
const beta: number = m.fixef()['Days'];
const text: string = String(summary(m)) + String(anova(m)) + String(summary(lm('y ~ x', rows)));
const rowCount: number = toDataTable(rows).nrow;
const isError: boolean = new Error('x') instanceof LmmError;
export { beta, text, rowCount, isError };
