// The hostile-input catalogue (issue 11): one table of inputs a careless user or an attacker could
// give, through the API and the CLI. Every case must end in the named typed error, with the words
// a user needs in its message, no stack trace, nothing on stdout, the exit code of its class, within
// 10 s, and with Object.prototype exactly as it was. The engine must fit normally afterwards.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { readDataFile } from '../../src/node.js';
import { EXIT_CODES, run } from '../../src/cli/main.js';
import {
  DataError,
  FormulaError,
  FormulaSyntaxError,
  LmmError,
  ModelError,
  OptionError,
  ResourceError,
} from '../../src/errors.js';
import { ROOT } from '../helpers/golden.js';

type ErrorClass = abstract new (...args: never[]) => LmmError;
interface Case {
  name: string;
  /** An API call that must throw. */
  api?: () => unknown;
  /** CLI arguments that must fail. */
  cli?: () => string[];
  error: ErrorClass;
  words: (string | RegExp)[];
}

const sleep = join(ROOT, 'data/sleepstudy.csv');
const dir = mkdtempSync(join(tmpdir(), 'lmm-hostile-'));
const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

function rows(n = 60): { y: number; x: number; g: string; h: string }[] {
  return Array.from({ length: n }, (_, i) => ({ y: Math.sin(i) * 3 + (i % 5) + (i % 3) * 0.7, x: i % 7, g: `g${i % 6}`, h: `h${i % 4}` }));
}
const R = rows();
let lmer0: api.LmerModel;
let lm0: api.LmModel;
const model = (): api.LmerModel => (lmer0 ??= api.lmer('y ~ x + (1 | g)', R));
const lmModel = (): api.LmModel => (lm0 ??= api.lm('y ~ x', R));
const nest = (k: number, inner: string): string => '('.repeat(k) + inner + ')'.repeat(k);
const utf16 = (s: string): Uint8Array => {
  const out = new Uint8Array(2 + 2 * s.length);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) out[2 + 2 * i] = s.charCodeAt(i);
  return out;
};
const paths = {
  utf16: () => file('utf16.csv', utf16('y,x\n1,2\n2,3\n3,5\n')),
  utf16NoBom: () => file('utf16nobom.csv', utf16('y,x\n1,2\n2,3\n3,5\n').subarray(2)),
  binary: () => file('binary.csv', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
  latin1: () => file('latin1.csv', Uint8Array.from([...Buffer.from('y,g\n1,caf'), 0xe9, ...Buffer.from('\n2,b\n')])),
  big: () => file('big.csv', 'y,x\n' + '1,2\n'.repeat(100)),
  huge: () => file('huge.csv', 'y,x\n' + Array.from({ length: 30 }, (_, i) => `${(i % 7) * 1e300},${i}`).join('\n') + '\n'),
  ansiCol: () => file('ansi.csv', 'y,\u001b]0;pwned\u0007x\n1,2\n2,3\n3,5\n'),
  dir: () => {
    const d = join(dir, 'a-directory.csv');
    mkdirSync(d, { recursive: true });
    return d;
  },
};

const CASES: Case[] = [
  // formula: type, syntax, size and depth
  { name: 'formula is a number', api: () => api.lm(42 as never, R), error: FormulaError, words: ['formula must be a string', 'number'] },
  { name: 'formula is null', api: () => api.lmer(null as never, R), error: FormulaError, words: ['formula must be a string', 'null'] },
  { name: 'formula is an object', api: () => api.lm({} as never, R), error: FormulaError, words: ['formula must be a string'] },
  { name: 'parseFormula(undefined)', api: () => api.parseFormula(undefined as never), error: FormulaError, words: ['parseFormula', 'string'] },
  { name: 'empty formula', api: () => api.lm('', R), error: FormulaSyntaxError, words: ['Empty formula'] },
  { name: 'formula ends after ~', api: () => api.lm('y ~ ', R), error: FormulaSyntaxError, words: ['Unexpected end', 'position'] },
  { name: 'trailing +', api: () => api.lm('y ~ x +', R), error: FormulaSyntaxError, words: ['Unexpected end', 'position 8'] },
  { name: 'unclosed (', api: () => api.lm('y ~ (x', R), error: FormulaSyntaxError, words: ["Missing ')'"] },
  { name: 'unmatched )', api: () => api.lm('y ~ x)', R), error: FormulaSyntaxError, words: ["Unmatched ')'"] },
  { name: 'two ~', api: () => api.lm('y ~ x ~ z', R), error: FormulaSyntaxError, words: ["Unexpected '~'", 'position 7'] },
  { name: 'unterminated backtick', api: () => api.lm('y ~ `x', R), error: FormulaSyntaxError, words: ['Unterminated backtick'] },
  { name: 'unknown %op%', api: () => api.lm('y ~ x %o% g', R), error: FormulaSyntaxError, words: ['%in%'] },
  { name: 'stray $', api: () => api.lm('y ~ x$g', R), error: FormulaSyntaxError, words: ["'$'", 'position 6'] },
  { name: 'control character in formula', api: () => api.lm('y ~ x\u001b[2J', R), error: FormulaSyntaxError, words: ['\\x1b', 'position 6'] },
  { name: 'NUL in formula', api: () => api.lm('y ~ x\u0000', R), error: FormulaSyntaxError, words: ['\\x00'] },
  { name: 'bidi override in a column name', api: () => api.lm('y ~ x\u202e', R), error: DataError, words: ['\\u202e'] },
  { name: '500 nested parentheses', api: () => api.lm(`y ~ ${nest(500, 'x')}`, R), error: FormulaSyntaxError, words: ['nests deeper than 100', 'position'] },
  { name: '200 nested calls', api: () => api.lm(`y ~ ${'log('.repeat(200)}x${')'.repeat(200)}`, R), error: FormulaSyntaxError, words: ['nests deeper'] },
  { name: '3000 terms', api: () => api.lm(`y ~ ${Array(3000).fill('x').join(' + ')}`, R), error: FormulaSyntaxError, words: ['more than 1000 operators'] },
  { name: '10000 unary minus', api: () => api.lm(`y ~ ${'-'.repeat(10000)}x`, R), error: FormulaSyntaxError, words: ['more than 1000 operators'] },
  { name: 'chain of 5000 ^2', api: () => api.lm(`y ~ x${'^2'.repeat(5000)}`, R), error: FormulaSyntaxError, words: ['operators'] },
  { name: '1 MB formula', api: () => api.lm(`y ~ ${'x'.repeat(1 << 20)}`, R), error: FormulaError, words: ['the limit is 100000'] },
  { name: 'random term in lm', api: () => api.lm('y ~ x + (1 | g)', R), error: ModelError, words: ['use lmer'] },
  { name: 'no random term in lmer', api: () => api.lmer('y ~ x', R), error: ModelError, words: ['no random effects', 'lm()'] },
  { name: 'empty bar', api: () => api.lmer('y ~ x + (|g)', R), error: FormulaSyntaxError, words: ["Unexpected '|'"] },
  // data: shape, columns, scale
  { name: 'unknown column', api: () => api.lm('y ~ nope', R), error: DataError, words: ['"nope"'] },
  { name: 'factor response', api: () => api.lm('g ~ x', R), error: DataError, words: ['response g is a factor'] },
  { name: 'data is a number', api: () => api.lm('y ~ x', 42 as never), error: DataError, words: ['data must be', 'number'] },
  { name: 'data is null', api: () => api.lmer('y ~ x + (1|g)', null as never), error: DataError, words: ['data must be', 'null'] },
  { name: 'data is a string', api: () => api.lm('y ~ x', 'y,x\n1,2' as never), error: DataError, words: ['data must be'] },
  { name: 'rows are numbers', api: () => api.lm('y ~ x', [1, 2, 3] as never), error: DataError, words: ['row 1 is not an object'] },
  { name: 'columns of unequal length', api: () => api.lm('y ~ x', { y: [1, 2, 3], x: [1, 2] }), error: DataError, words: ['different lengths', 'x has 2'] },
  { name: 'column length 2^32', api: () => api.lm('y ~ x', { y: { length: 2 ** 32 } as never, x: [1] }), error: ResourceError, words: ['"y"', '4294967296 rows'] },
  { name: 'column length -1', api: () => api.lm('y ~ x', { y: { length: -1 } as never }), error: DataError, words: ['"y"', 'length -1'] },
  { name: 'column length 1.5', api: () => api.lm('y ~ x', { y: { length: 1.5 } as never }), error: DataError, words: ['length 1.5'] },
  { name: 'column not an array', api: () => api.lm('y ~ x', { y: 5, x: [1] } as never), error: DataError, words: ['"y" is not an array'] },
  { name: 'y × 1e300', api: () => api.lm('y ~ x', R.map((r) => ({ ...r, y: r.y * 1e300 }))), error: DataError, words: ['response y', 'rescale'] },
  { name: 'y × 1e-300', api: () => api.lmer('y ~ x + (1|g)', R.map((r) => ({ ...r, y: r.y * 1e-300 }))), error: DataError, words: ['response y', 'rescale'] },
  { name: 'one y of 1e308', api: () => api.lmer('y ~ x + (1|g)', R.map((r, i) => ({ ...r, y: i === 3 ? 1e308 : r.y }))), error: DataError, words: ['rescale', 'double precision'] },
  { name: 'CSV text is a number', api: () => api.parseCsv(42 as never), error: DataError, words: ['must be a string'] },
  { name: 'CSV with NUL bytes', api: () => api.parseCsv('y,x\n1,\u0000\u0001\u0002'), error: DataError, words: ['NUL', 'binary'] },
  { name: 'empty CSV', api: () => api.parseCsv(''), error: DataError, words: [] },
  { name: 'duplicate CSV header', api: () => api.parseCsv('a,a\n1,2\n'), error: DataError, words: ['a'] },
  { name: 'CSV row too short', api: () => api.parseCsv('a,b\n1\n'), error: DataError, words: ['line 2'] },
  { name: 'unknown column type', api: () => api.toDataTable({ y: [1] }, { types: { y: 'text' as never } }), error: DataError, words: ['"text"', '"y"'] },
  { name: 'levels not an array', api: () => api.toDataTable({ y: ['a'] }, { levels: { y: 'a' as never } }), error: DataError, words: ['levels given for column "y"'] },
  { name: 'type for a missing column', api: () => api.toDataTable({ y: [1] }, { types: { nope: 'factor' } }), error: DataError, words: ['"nope"'] },
  { name: 'repeated level', api: () => api.lm('y ~ g', R, { levels: { g: ['g0', 'g0'] } }), error: DataError, words: ['repeat "g0"'] },
  { name: 'data file is /dev/zero', api: () => readDataFile('/dev/zero'), cli: () => ['fit', '/dev/zero', 'y ~ x'], error: DataError, words: ['not a regular file'] },
  { name: 'data file is a directory', api: () => readDataFile(paths.dir()), cli: () => ['fit', paths.dir(), 'y ~ x'], error: DataError, words: ['is a directory'] },
  { name: 'data file missing', api: () => readDataFile(join(dir, 'nope.csv')), cli: () => ['fit', join(dir, 'nope.csv'), 'y ~ x'], error: DataError, words: ['does not exist'] },
  { name: 'UTF-16 data file', api: () => readDataFile(paths.utf16()), cli: () => ['fit', paths.utf16(), 'y ~ x'], error: DataError, words: ['UTF-16', 'UTF-8'] },
  { name: 'UTF-16 without BOM', api: () => readDataFile(paths.utf16NoBom()), error: DataError, words: ['UTF-16'] },
  { name: 'binary data file', api: () => readDataFile(paths.binary()), cli: () => ['fit', paths.binary(), 'y ~ x'], error: DataError, words: ['binary'] },
  { name: 'Latin-1 data file', api: () => readDataFile(paths.latin1()), error: DataError, words: ['not valid UTF-8', 'byte'] },
  { name: 'data file over maxBytes', api: () => readDataFile(paths.big(), { maxBytes: 10 }), cli: () => ['fit', paths.big(), 'y ~ x', '--max-bytes', '10'], error: ResourceError, words: ['more than the limit of 10', 'maxBytes'] },
  { name: 'path is a number', api: () => readDataFile(42 as never), error: DataError, words: ['path'] },
  { name: 'readDataFile misspelt option', api: () => readDataFile(sleep, { maxbytes: 5 } as never), error: OptionError, words: ['did you mean maxBytes'] },
  // options: unknown keys, wrong types and values
  { name: 'reml instead of REML', api: () => api.lmer('y ~ x + (1|g)', R, { reml: false } as never), error: OptionError, words: ['unknown option reml', 'did you mean REML'] },
  { name: "REML: 'false'", api: () => api.lmer('y ~ x + (1|g)', R, { REML: 'false' as never }), error: OptionError, words: ['REML must be true or false', '"false"'] },
  { name: "factors: 'x'", api: () => api.lm('y ~ x', R, { factors: 'x' as never }), error: OptionError, words: ['factors must be an array of strings'] },
  { name: 'optimizer evil', api: () => api.lmer('y ~ x + (1|g)', R, { optimizer: 'evil' as never }), error: OptionError, words: ['optimizer', 'bobyqa'] },
  { name: 'optimizer misspelt', api: () => api.lmer('y ~ x + (1|g)', R, { optimizer: 'bobyqua' as never }), error: OptionError, words: ["did you mean 'bobyqa'"] },
  { name: 'options is a string', api: () => api.lmer('y ~ x + (1|g)', R, 'REML' as never), error: OptionError, words: ['plain object'] },
  { name: 'options is an array', api: () => api.lm('y ~ x', R, [] as never), error: OptionError, words: ['plain object'] },
  { name: 'control.optimiser', api: () => api.lmer('y ~ x + (1|g)', R, { control: { optimiser: 'bobyqa' } as never }), error: OptionError, words: ['did you mean control.optimizer'] },
  { name: 'maxfun with bobyqa', api: () => api.lmer('y ~ x + (1|g)', R, { control: { optCtrl: { maxfun: 10 } } }), error: OptionError, words: ['maxfun is a control of nelder-mead'] },
  { name: 'maxeval -1', api: () => api.lmer('y ~ x + (1|g)', R, { control: { optCtrl: { maxeval: -1 } } }), error: OptionError, words: ['maxeval must be an integer'] },
  { name: 'maxeval 1.5', api: () => api.lmer('y ~ x + (1|g)', R, { control: { optCtrl: { maxeval: 1.5 } } }), error: OptionError, words: ['maxeval'] },
  { name: 'optCtrl not an object', api: () => api.lmer('y ~ x + (1|g)', R, { control: { optCtrl: 5 as never } }), error: OptionError, words: ['optCtrl', 'plain object'] },
  { name: "check.conv.grad 'warn'", api: () => api.lmer('y ~ x + (1|g)', R, { control: { 'check.conv.grad': 'warn' as never } }), error: OptionError, words: ["did you mean 'warning'"] },
  { name: 'check.conv.hess negative tol', api: () => api.lmer('y ~ x + (1|g)', R, { control: { 'check.conv.hess': { action: 'stop', tol: -1 } } }), error: OptionError, words: ['tol must be'] },
  { name: "calc.derivs: 'no'", api: () => api.lmer('y ~ x + (1|g)', R, { control: { 'calc.derivs': 'no' as never } }), error: OptionError, words: ['calc.derivs must be true or false'] },
  { name: 'optimizer given twice, differently', api: () => api.lmer('y ~ x + (1|g)', R, { optimizer: 'bobyqa', control: { optimizer: 'nelder-mead' } }), error: OptionError, words: ['disagree'] },
  { name: "start: 'abc'", api: () => api.lmer('y ~ x + (1|g)', R, { start: 'abc' as never }), error: OptionError, words: ['start must be an array of finite numbers'] },
  { name: 'start: [NaN]', api: () => api.lmer('y ~ x + (1|g)', R, { start: [NaN] }), error: OptionError, words: ['start'] },
  { name: 'start of wrong length', api: () => api.lmer('y ~ x + (1|g)', R, { start: [1, 2, 3] }), error: OptionError, words: ['start has 3 values'] },
  { name: 'theta of wrong length', api: () => api.lmer('y ~ x + (1|g)', R, { theta: [1, 2] }), error: OptionError, words: ['theta has 2 values'] },
  { name: 'contrasts for a non-variable', api: () => api.lm('y ~ x', R, { contrasts: { nope: 'sum' } }), error: OptionError, words: ['"nope"', 'not a variable'] },
  { name: 'levels is an array', api: () => api.lm('y ~ x', R, { levels: ['a'] as never }), error: OptionError, words: ['levels must be an object'] },
  { name: 'dataName a number', api: () => api.lm('y ~ x', R, { dataName: 5 as never }), error: OptionError, words: ['dataName must be a string'] },
  { name: 'summary misspelt option', api: () => api.summary(model(), { satterwaite: false } as never), error: OptionError, words: ['did you mean satterthwaite'] },
  { name: 'summary(null)', api: () => api.summary(null as never), error: OptionError, words: ['summary()', 'null'] },
  { name: 'summary({})', api: () => api.summary({} as never), error: OptionError, words: ['lm(), lmer() or glmer()', 'an object'] },
  { name: 'anova(null)', api: () => api.anova(null as never), error: OptionError, words: ['anova()'] },
  { name: 'anova()', api: () => (api.anova as () => unknown)(), error: OptionError, words: ['anova()'] },
  { name: 'anova of a number and a model', api: () => api.anova(model(), 5 as never), error: OptionError, words: ['anova()'] },
  { name: 'ranova of an lm', api: () => api.ranova(lmModel() as never), error: OptionError, words: ['ranova()', 'lmer()'] },
  { name: 'lsMeans misspelt option', api: () => api.lsMeans(model(), { pairwize: true } as never), error: OptionError, words: ['did you mean pairwise'] },
  { name: 'lsMeans level 2', api: () => api.lsMeans(model(), { level: 2 }), error: OptionError, words: ['level must be'] },
  { name: "confint method 'wald'", api: () => api.confint(model(), { method: 'wald' as never }), error: OptionError, words: ["did you mean 'Wald'"] },
  { name: "confint level 'x'", api: () => api.confint(model(), { level: 'x' as never }), error: OptionError, words: ['level must be'] },
  { name: 'allFit with an option', api: () => api.allFit(model(), { x: 1 } as never), error: OptionError, words: ['allFit()', 'unknown option x'] },
  { name: 'allFit(null)', api: () => api.allFit(null as never), error: OptionError, words: ['allFit()'] },
  { name: 'lmer predict misspelt', api: () => model().predict(R, { RE: false } as never), error: OptionError, words: ['did you mean re'] },
  { name: 'lm predict with re', api: () => lmModel().predict(R, { re: false } as never), error: OptionError, words: ['unknown option re'] },
  { name: 'fixef(null)', api: () => api.fixef(null as never), error: OptionError, words: ['fixef()'] },
  { name: 'ranef({})', api: () => api.ranef({} as never), error: OptionError, words: ['ranef()'] },
  { name: 'VarCorr(undefined)', api: () => api.VarCorr(undefined as never), error: OptionError, words: ['varCorr()'] },
  { name: 'parseCsv misspelt option', api: () => api.parseCsv('a\n1\n', { levls: {} } as never), error: OptionError, words: ['did you mean levels'] },
  { name: 'toDataTable misspelt option', api: () => api.toDataTable({ a: [1] }, { type: {} } as never), error: OptionError, words: ['did you mean types'] },
  { name: "check.conv.singular 'stop'", api: () => api.lmer('y ~ x + (1|g)', R.map((r, i) => ({ ...r, y: Math.floor(i / 6) % 5 })), { control: { 'check.conv.singular': 'stop' } }), error: ModelError, words: ['singular', "'stop'"] },
  {
    name: 'fixed-effects matrix past wasm32 memory',
    api: () => {
      const n = 200_000;
      return api.lm('y ~ a * b', { y: Array.from({ length: n }, (_, i) => Math.sin(i)), a: Array.from({ length: n }, (_, i) => `a${i % 2000}`), b: Array.from({ length: n }, (_, i) => `b${(i * 7) % 3}`) });
    },
    error: ResourceError,
    words: ['8004 columns × 200000 rows', 'bytes'],
  },
  // models that cannot be fitted
  { name: 'grouping factor with one level', api: () => api.lmer('y ~ x + (1|k)', R.map((r) => ({ ...r, k: 'a' }))), error: ModelError, words: ['k'] },
  { name: 'constant response', api: () => api.lmer('y ~ x + (1|g)', R.map((r) => ({ ...r, y: 3 }))), error: ModelError, words: ['constant'] },
  // CLI only
  { name: 'CLI: 500 nested parentheses', cli: () => ['fit', sleep, `Reaction ~ ${nest(500, 'Days')} + (1|Subject)`], error: FormulaSyntaxError, words: ['nests deeper'] },
  { name: 'CLI: misspelt flag', cli: () => ['fit', sleep, 'Reaction ~ Days', '--jsno'], error: OptionError, words: ['unknown option --jsno', 'did you mean --json'] },
  { name: 'CLI: optimizer evil on lm', cli: () => ['fit', sleep, 'Reaction ~ Days', '--optimizer', 'evil'], error: OptionError, words: ['unknown optimizer'] },
  { name: 'CLI: --max-bytes abc', cli: () => ['fit', sleep, 'Reaction ~ Days', '--max-bytes', 'abc'], error: OptionError, words: ['--max-bytes'] },
  { name: 'CLI: ANSI in formula', cli: () => ['fit', sleep, 'Reaction ~ Days\u001b[2J'], error: FormulaSyntaxError, words: ['\\x1b'] },
  { name: 'CLI: --levels without value', cli: () => ['fit', sleep, 'Reaction ~ Days', '--levels'], error: OptionError, words: ['--levels'] },
  { name: 'CLI: --levels without =', cli: () => ['fit', sleep, 'Reaction ~ Days', '--levels', 'Days'], error: OptionError, words: ['COL=VALUE'] },
  { name: 'CLI: misspelt command', cli: () => ['fitt', sleep, 'Reaction ~ Days'], error: OptionError, words: ['unknown command', 'did you mean fit'] },
  { name: 'CLI: bad contrast', cli: () => ['fit', sleep, 'Reaction ~ Days', '--contrasts', 'Days=foo'], error: OptionError, words: ['--contrasts'] },
  { name: 'CLI: response × 1e300', cli: () => ['fit', paths.huge(), 'y ~ x'], error: DataError, words: ['rescale'] },
  { name: 'CLI: anova of an lm', cli: () => ['anova', sleep, 'Reaction ~ Days'], error: OptionError, words: ['needs random-effects terms'] },
  { name: 'CLI: two formulas to fit', cli: () => ['fit', sleep, 'Reaction ~ Days', 'Reaction ~ 1'], error: OptionError, words: ['takes one formula'] },
  { name: 'CLI: ANSI column name in the column list', cli: () => ['fit', paths.ansiCol(), 'y ~ nope'], error: DataError, words: ['"nope"', '\\x1b'] },
  { name: 'CLI: no formula', cli: () => ['fit', sleep], error: OptionError, words: ['needs a formula'] },
];

const EXIT: [ErrorClass, number][] = [
  [DataError, EXIT_CODES.data],
  [OptionError, EXIT_CODES.option],
  [FormulaError, EXIT_CODES.formula],
  [FormulaSyntaxError, EXIT_CODES.formula],
  [ModelError, EXIT_CODES.model],
  [ResourceError, EXIT_CODES.resource],
];

function prototypeSnapshot(): string {
  const names = Object.getOwnPropertyNames(Object.prototype).sort();
  const parts = names.map((n) => `${n}:${String(Object.getOwnPropertyDescriptor(Object.prototype, n)?.value ?? 'accessor')}`);
  return `${String(Object.getPrototypeOf(Object.prototype))}|${parts.join(',')}|${Object.keys({}).length}`;
}

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const before = prototypeSnapshot();
beforeAll(() => {
  model();
  lmModel();
});

describe('hostile-input catalogue', () => {
  it('has at least 80 cases, every class with a distinct exit code', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    const codes = new Set([EXIT_CODES.data, EXIT_CODES.option, EXIT_CODES.formula, EXIT_CODES.model, EXIT_CODES.numerical, EXIT_CODES.resource, EXIT_CODES.internal]);
    expect(codes.size).toBe(7);
  });

  it.each(CASES.filter((c) => c.api).map((c) => [c.name, c] as const))('API: %s', (_, c) => {
    const t0 = performance.now();
    let thrown: unknown;
    try {
      c.api!();
    } catch (e) {
      thrown = e;
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(thrown, 'expected an error').toBeInstanceOf(c.error);
    const message = (thrown as Error).message;
    for (const w of c.words) expect(message).toMatch(typeof w === 'string' ? new RegExp(w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : w);
    // raw control characters never reach a message; echoed input is capped
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(message.length).toBeLessThan(5000);
    expect(prototypeSnapshot()).toBe(before);
  });

  it.each(CASES.filter((c) => c.cli).map((c) => [c.name, c] as const))('CLI: %s', (_, c) => {
    const r = cli(c.cli!());
    const code = EXIT.find(([cls]) => cls === c.error)?.[1];
    expect(r.code).toBe(code);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Error: /);
    expect(r.err).not.toMatch(/Internal error|\n\s+at /);
    expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    for (const w of c.words) expect(r.err).toContain(w);
    expect(prototypeSnapshot()).toBe(before);
  });

  it('fits as before after every case (the engine and the process are usable)', () => {
    const again = api.lmer('y ~ x + (1 | g)', R);
    expect(Array.from(again.theta)).toEqual(Array.from(model().theta));
    expect(cli(['fit', sleep, 'Reaction ~ Days']).code).toBe(0);
  });
});

describe('columns named like Object.prototype members fit as in R', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('%s', (name) => {
    const csv = file(`proto-${name}.csv`, `y,${name}\n1,2\n2,3\n3,1\n4,4\n`);
    const r = cli(['fit', csv, 'y ~ 1']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('(Intercept)');
    const data = Array.from({ length: 30 }, (_, i) => JSON.parse(`{"y": ${(i % 5) + Math.cos(i)}, ${JSON.stringify(name)}: "L${i % 5}", "x": ${i % 3}}`) as Record<string, unknown>);
    const m = api.lmer(`y ~ x + (1 | \`${name}\`)`, data as never);
    expect(Object.hasOwn(m.ranef(), name)).toBe(true);
    expect(m.ngroups()[name]).toBe(5);
    expect(prototypeSnapshot()).toBe(before);
  });
});

describe('terminal safety', () => {
  const data = Array.from({ length: 40 }, (_, i) => ({ y: (i % 4) + Math.sin(i), g: `\u001b[2J\u001b]0;t\u0007L${i % 4}`, x: i % 5 }));
  const csv = file('ansi-levels.csv', 'y,g,x\n' + data.map((r) => `${r.y},"${r.g}",${r.x}`).join('\n') + '\n');
  it('escapes control characters of level names in printed tables, keeps JSON escapes with --json', () => {
    const text = cli(['fit', csv, 'y ~ g']);
    expect(text.code).toBe(0);
    expect(text.out).not.toContain('\u001b');
    expect(text.out).toContain('\\x1b[2J');
    const json = cli(['fit', csv, 'y ~ g', '--json']);
    expect(json.out).not.toContain('\u001b');
    expect(json.out).toContain('\\u001b[2J');
    expect(JSON.stringify(JSON.parse(json.out))).toContain('\\u001b');
  });
  it('shows a stack trace only with --debug', () => {
    expect(cli(['fit', sleep, 'Reaction ~ Days', '--debug']).code).toBe(0);
    const plain = cli(['fit', sleep, 'Reaction ~ nope']);
    expect(plain.err).not.toMatch(/\n\s+at /);
    const debug = cli(['fit', sleep, 'Reaction ~ nope', '--debug']);
    expect(debug.code).toBe(EXIT_CODES.data);
    expect(debug.err).toMatch(/column "nope"[\s\S]*\n\s+at /);
  });
  it.skipIf(!existsSync('/dev/full') || !existsSync(join(ROOT, 'dist/cli/bin.js')))('a full disk ends with a clean message and exit code 8', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/bin.js'), 'fit', sleep, 'Reaction ~ Days'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(EXIT_CODES.output);
      expect(r.stderr).toMatch(/cannot write the output \(ENOSPC\): no space left/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      closeSync(fd);
    }
  });
});
