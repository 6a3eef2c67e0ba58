// Apache Arrow and Arquero tables as data, from the installed package with those optional peers present
// (the README's Arrow example). Run by test/consumer.test.ts in the consumer project.
import { tableFromArrays, vectorFromArray, Dictionary, Utf8, Int32 } from 'apache-arrow';
import * as aq from 'arquero';
import { lmer, fixef } from 'lmm-wasm';
import { readDataFile } from 'lmm-wasm/node';
import { fileURLToPath } from 'node:url';

const check = (ok, what) => {
  if (!ok) throw new Error(`consumer check failed: ${what}`);
};
const s = readDataFile(fileURLToPath(import.meta.resolve('lmm-wasm/data/sleepstudy.csv')));
const subject = s.columns.get('Subject');
const labels = Array.from(subject.codes, (k) => subject.levels[k]);
const arrow = tableFromArrays({
  Reaction: s.columns.get('Reaction').values,
  Days: s.columns.get('Days').values,
  Subject: vectorFromArray(labels, new Dictionary(new Utf8(), new Int32())),
});
check(Math.abs(fixef(lmer('Reaction ~ Days + (Days | Subject)', arrow)).Days - 10.467286) < 1e-4, 'Arrow table');
const arquero = aq.table({ Reaction: Array.from(s.columns.get('Reaction').values), Days: Array.from(s.columns.get('Days').values), Subject: labels });
check(Math.abs(fixef(lmer('Reaction ~ Days + (Days | Subject)', arquero)).Days - 10.467286) < 1e-4, 'Arquero table');
console.log('arrow ok');
