// The installed package through require() (Node >= 20.19 loads ES modules synchronously).
const lib = require('lmm-wasm');
const { readDataFile } = require('lmm-wasm/node');
const pkg = require('lmm-wasm/package.json');

const d = readDataFile(require.resolve('lmm-wasm/data/sleepstudy.csv'));
const m = lib.lmer('Reaction ~ Days + (Days | Subject)', d);
if (Math.abs(m.fixef().Days - 10.467286) > 1e-4) throw new Error('require: lmer fixef');
if (!String(lib.summary(m)).includes('REML criterion')) throw new Error('require: summary');
if (pkg.name !== 'lmm-wasm') throw new Error('require: package.json');
console.log('cjs ok');
