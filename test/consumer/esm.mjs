// The installed package through ESM: both entries and every function the README documents.
// Run by test/consumer.test.ts in a project that installed the packed tarball (cwd = that project).
import * as lib from 'lmm-wasm';
import { readDataFile } from 'lmm-wasm/node';
import pkg from 'lmm-wasm/package.json' with { type: 'json' };
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const { lmer, lm, anova, summary, parseCsv, toDataTable, fixef, ranef, varCorr, ranova, lsMeans, confint, allFit } = lib;
const { printVarCorr, printCoefTable, printFixef, expandFormula, parseFormula, lmJSON, lmerJSON, anovaJSON } = lib;
const { VarCorr, glmer, GlmerModel, makeFamily, progressLine, engineModule } = lib;
const check = (ok, what) => {
  if (!ok) throw new Error(`consumer check failed: ${what}`);
};

const file = fileURLToPath(import.meta.resolve('lmm-wasm/data/sleepstudy.csv'));
const d = readDataFile(file);
const fromText = parseCsv('y,g\n1,a\n2,b\n3,a\n4,b\n');
check(fromText.nrow === 4 && toDataTable({ y: [1, 2] }).nrow === 2, 'parseCsv / toDataTable');

const m = lmer('Reaction ~ Days + (Days | Subject)', d, { REML: true });
const m0 = lm('Reaction ~ Days', d);
check(Math.abs(m.fixef()['(Intercept)'] - 251.405105) < 1e-4, 'lmer fixef');
check(Math.abs(fixef(m0).Days - 10.467286) < 1e-4, 'lm coefficients');
check(String(summary(m)).includes('REML criterion at convergence: 1743.6'), 'summary(lmer)');
check(String(summary(m0)).includes('Residual standard error'), 'summary(lm)');
check(String(anova({ m0, m })).includes('Chisq'), 'anova LRT');
check(String(anova(m)).includes('Days'), 'anova type III');
check(String(ranova(m)).includes('LRT'), 'ranova');
check(String(confint(m, { method: 'Wald' })).includes('2.5 %'), 'confint Wald');
check(String(lsMeans(lmer('Reaction ~ Days + (1 | Subject)', d, { factors: ['Days'] }))).includes('Days0'), 'lsMeans');
check(Object.keys(ranef(m)).includes('Subject') && varCorr(m).rows.length === 4, 'ranef / varCorr');
check(ranef(m, { condVar: true }).Subject.condVar.length === 18, 'ranef condVar');
check(m.predict(d, { re: false }).length === 180 && Object.keys(m.coef()).includes('Subject'), 'predict / coef');
check(m.coefficientTable().length === 2 && m.varCorr().rows.length === 4, 'coefficientTable / varCorr');
check(m.tidy().length === 6 && m.glance().nobs === 180 && m0.augment().length === 180, 'tidy / glance / augment');
check(JSON.stringify(m.vcov()).startsWith('{"names"') && Number.isFinite(m.AIC() + m.BIC() + m.logLik()), 'vcov / AIC / BIC / logLik');
check(printVarCorr(m).length > 0 && printCoefTable(m).length > 0 && printFixef(m).length > 0, 'print helpers');
check(expandFormula('y ~ x + (1 | g)').random.length === 1 && parseFormula('y ~ x') !== undefined, 'formulas');
check(typeof JSON.stringify(lmerJSON(m)) === 'string' && typeof JSON.stringify(lmJSON(m0)) === 'string', 'json');
check(typeof JSON.stringify(anovaJSON(anova(m0, m))) === 'string', 'anovaJSON');
check(allFit(lmer('Reaction ~ Days + (1 | Subject)', d)).fits.length >= 2, 'allFit');
check(Math.abs(m0.goodnessOfFit().rSquared - 0.2864714) < 1e-6 && VarCorr(m).rows.length === 4, 'goodnessOfFit / VarCorr');
const ctl = lmer('Reaction ~ Days + (Days | Subject)', d, { control: { optimizer: 'nelder-mead', 'check.conv.singular': 'ignore' } });
check(ctl.optimizer.name === 'nelder-mead' && Math.abs(ctl.fixef().Days - 10.467286) < 1e-3, 'control');
const events = [];
lmer('Reaction ~ Days + (1 | Subject)', d, { onProgress: (p) => events.push(p.evaluations) });
check(events.length > 0 && typeof progressLine === 'function', 'onProgress / progressLine');

// glmer, as the README's cbpp example
const cbpp = readDataFile(fileURLToPath(import.meta.resolve('lmm-wasm/data/cbpp.csv')));
const gm = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial', dataName: 'cbpp' });
const gm0 = glmer('cbind(incidence, size - incidence) ~ 1 + (1 | herd)', cbpp, { family: 'binomial', dataName: 'cbpp' });
check(gm instanceof GlmerModel && Math.abs(gm.fixef()['(Intercept)'] - -1.398343) < 1e-4, 'glmer fixef');
check(String(summary(gm)).includes('Generalized linear mixed model fit by maximum likelihood (Laplace'), 'summary(glmer)');
check(String(anova({ gm0, gm })).includes('Chisq') && gm.residuals('pearson').length === 56, 'glmer anova / residuals');
check(gm.fitted({ type: 'link' }).length === 56 && gm.vcov().names.length === 4 && gm.ranef().herd.levels.length === 15 && String(varCorr(gm)).includes('herd'), 'glmer fitted / vcov / ranef / varCorr');
check(makeFamily('poisson').link.name === 'log', 'makeFamily');

// the browser build loads in Node too; Node's fetch has no file: URLs, so init() takes the compiled engine
// the package exports as lmm-wasm/lmm-wasm.wasm (a page's init() fetches it itself)
const browser = await import('lmm-wasm/browser');
const engineFile = new URL(import.meta.resolve('lmm-wasm/lmm-wasm.wasm'));
await browser.init(await WebAssembly.compile(readFileSync(engineFile)));
check(Math.abs(browser.lmer('Reaction ~ Days + (Days | Subject)', d).fixef().Days - 10.467286) < 1e-4, 'lmm-wasm/browser');
check(browser.createWorker === undefined && typeof engineModule === 'function', 'browser: the synchronous API only (its worker is lmm-wasm/worker); engineModule');
// glmer's browser file with the glmer engine, exported as lmm-wasm/lmm-wasm-glmer.wasm
const browserGlmer = await import('lmm-wasm/browser/glmer');
await browserGlmer.init(await WebAssembly.compile(readFileSync(new URL(import.meta.resolve('lmm-wasm/lmm-wasm-glmer.wasm')))));
check(Math.abs(browserGlmer.glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial' }).deviance() - gm.deviance()) < 1e-6 * gm.deviance(), 'lmm-wasm/browser/glmer with lmm-wasm-glmer.wasm');

let threw = false;
try {
  lmer('Reaction ~ Days + (1 | Nope)', d);
} catch (e) {
  threw = e instanceof lib.LmmError;
}
check(threw, 'typed errors');
check(pkg.name === 'lmm-wasm', 'package.json export');
console.log('esm ok');
