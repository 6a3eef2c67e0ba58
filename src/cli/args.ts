/**
 * Command-line arguments of `lmm` (the contract other tools call), parsed with node:util's parseArgs:
 *
 *   lmm fit DATA FORMULA [options]
 *   lmm anova DATA FORMULA FORMULA... [options]   (likelihood-ratio tests)
 *   lmm anova DATA FORMULA [options]              (lmerTest's type III table of one lmer fit)
 *   lmm --help | --version
 *
 * Every flag is one row of FLAGS: its parseArgs type, how it shows in --help, and how its value
 * lands in CliArgs. Adding a flag is adding a row.
 */
import { parseArgs as parseArgv, type ParseArgsConfig } from 'node:util';
import { OptionError } from '../errors.js';
import { escapeForMessage } from '../base/escape.js';
import { setOwn } from '../base/own.js';
import { nearestName } from '../options/validate.js';
import { OPTIMIZER_NAMES } from '../options/optimizer-names.js';

/** A contrast choice for one factor, as given on the command line. */
export type ContrastArg = 'treatment' | 'sum' | 'helmert' | 'poly' | { matrix: number[][]; names?: string[] };

/** Parsed arguments of `lmm`. */
export interface CliArgs {
  command: 'fit' | 'anova' | 'help' | 'version';
  data: string;
  formulas: string[];
  /** REML (default for lmer, as lme4) unless --ml. */
  reml: boolean;
  /** True when --ml or --reml was given explicitly. */
  remlGiven: boolean;
  levels: Record<string, string[]>;
  factors: string[];
  contrasts: Record<string, ContrastArg>;
  optimizer: string | undefined;
  json: boolean;
  /** Print the stack of internal errors. */
  debug: boolean;
  /** Largest data file read, in bytes (undefined: readDataFile's default). */
  maxBytes: number | undefined;
  /** glmer's family (a generalized model when given), link, nAGQ, prior-weights and offset columns. */
  family: string | undefined;
  link: string | undefined;
  nAGQ: number | undefined;
  weights: string | undefined;
  offset: string | undefined;
  /** Plots to write after the fit, as given to --plot (KIND=PATH or a path named after the kind). */
  plots: string[];
}

/** One command-line flag: how parseArgs reads it, how --help shows it, where its value goes. */
interface Flag {
  name: string;
  short?: string;
  type: 'boolean' | 'string';
  multiple?: boolean;
  /** Placeholder of the value in --help (string flags). */
  value?: string;
  help: string;
  apply(args: CliArgs, value: string | boolean): void;
}

/** A flag's whole-number value in [min, max], or an OptionError saying what the flag expects. */
function wholeNumber(flag: string, value: string, min: number, max: number, expected: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new OptionError(`--${flag} expects ${expected}, got "${escapeForMessage(value, 80)}"`);
  return n;
}

function splitAssignment(flag: string, value: string): [string, string] {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    throw new OptionError(`--${flag} expects COL=VALUE, got "${escapeForMessage(value, 80)}"`);
  }
  return [value.slice(0, eq), value.slice(eq + 1)];
}

function parseContrast(col: string, spec: string): ContrastArg {
  if (spec === 'treatment' || spec === 'sum' || spec === 'helmert' || spec === 'poly') return spec;
  const colon = spec.indexOf(':');
  const numbers = colon >= 0 ? spec.slice(0, colon) : spec;
  const name = colon >= 0 ? spec.slice(colon + 1) : undefined;
  const values = numbers.split(',').map((s) => Number(s.trim()));
  if (values.length < 2 || values.some((v) => !Number.isFinite(v)) || numbers.trim() === '') {
    throw new OptionError(
      `--contrasts ${escapeForMessage(col, 80)}=${escapeForMessage(spec, 80)}: expected treatment, sum, helmert, poly or numbers like -0.5,0.5 (optionally :NAME)`,
    );
  }
  return { matrix: values.map((v) => [v]), names: name ? [name] : undefined };
}

/** The flags of `lmm`, in --help order. */
export const FLAGS: readonly Flag[] = [
  { name: 'ml', type: 'boolean', help: 'fit lmer by maximum likelihood', apply: (a) => Object.assign(a, { reml: false, remlGiven: true }) },
  { name: 'reml', type: 'boolean', help: 'fit lmer by REML (the default, as lme4)', apply: (a) => Object.assign(a, { reml: true, remlGiven: true }) },
  {
    name: 'levels',
    type: 'string',
    multiple: true,
    value: 'COL=a,b,...',
    help: 'level order of a factor (the first is the reference)',
    apply: (a, v) => {
      const [col, list] = splitAssignment('levels', v as string);
      setOwn(a.levels, col, list.split(','));
    },
  },
  { name: 'factor', type: 'string', multiple: true, value: 'COL', help: 'treat a numeric column as a factor', apply: (a, v) => a.factors.push(v as string) },
  {
    name: 'contrasts',
    type: 'string',
    multiple: true,
    value: 'COL=SPEC',
    help: 'contrast coding: treatment | sum | helmert | poly | v1,v2,...[:NAME]',
    apply: (a, v) => {
      const [col, spec] = splitAssignment('contrasts', v as string);
      setOwn(a.contrasts, col, parseContrast(col, spec));
    },
  },
  { name: 'optimizer', type: 'string', value: 'NAME', help: `lmer: ${OPTIMIZER_NAMES.join(', ')} (default bobyqa); glmer's second stage: newton (default), bobyqa-scaled, nelder-mead (lme4's) or bobyqa`, apply: (a, v) => (a.optimizer = v as string) },
  {
    name: 'max-bytes',
    type: 'string',
    value: 'N',
    help: 'largest data file to read, in bytes (default 268435456)',
    apply: (a, v) => (a.maxBytes = wholeNumber('max-bytes', v as string, 1, Number.MAX_SAFE_INTEGER, 'a positive whole number of bytes')),
  },
  { name: 'family', type: 'string', value: 'NAME', help: 'fit glmer: binomial or poisson', apply: (a, v) => (a.family = v as string) },
  { name: 'link', type: 'string', value: 'NAME', help: 'glmer link (binomial: logit probit cloglog cauchit log; poisson: log sqrt identity)', apply: (a, v) => (a.link = v as string) },
  {
    name: 'nagq',
    type: 'string',
    value: 'N',
    help: 'glmer quadrature points: 1 Laplace (default), 0, or up to 100 for one scalar term',
    apply: (a, v) => (a.nAGQ = wholeNumber('nagq', v as string, 0, 100, 'a whole number from 0 to 100')),
  },
  { name: 'weights', type: 'string', value: 'COL', help: 'prior weights column (lm, lmer, glmer; binomial proportions: the trials)', apply: (a, v) => (a.weights = v as string) },
  { name: 'offset', type: 'string', value: 'COL', help: 'glmer offset column (or offset(...) in the formula)', apply: (a, v) => (a.offset = v as string) },
  {
    name: 'plot',
    type: 'string',
    multiple: true,
    value: 'FILE.svg',
    help: 'write a plot: caterpillar.svg, residuals.svg, qq.svg, profile.svg or KIND=PATH (needs @observablehq/plot and linkedom)',
    apply: (a, v) => a.plots.push(v as string),
  },
  { name: 'json', type: 'boolean', help: 'print one JSON object instead of R\'s text', apply: (a) => (a.json = true) },
  { name: 'debug', type: 'boolean', help: 'show the stack trace of an internal error', apply: (a) => (a.debug = true) },
  { name: 'help', short: 'h', type: 'boolean', help: 'show this help', apply: () => undefined },
  { name: 'version', short: 'v', type: 'boolean', help: 'show the version', apply: () => undefined },
];

function flagLine(f: Flag): string {
  const left = `  ${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}${f.multiple ? ' (repeatable)' : ''}`;
  return `${left.padEnd(44)} ${f.help}`;
}

export const USAGE = `Usage:
  lmm fit DATA.csv FORMULA [options]
  lmm anova DATA.csv FORMULA FORMULA... [options]   (likelihood-ratio tests)
  lmm anova DATA.csv FORMULA [options]              (type III F tests of one lmer model)
  lmm --help | --version

A formula without (…|…) terms fits lm; with them lmer (REML unless --ml).

Options:
${FLAGS.map(flagLine).join('\n')}

Examples:
  lmm fit data/sleepstudy.csv "Reaction ~ Days + (Days | Subject)"
  lmm fit data/sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --ml --json
  lmm anova data/sleepstudy.csv "Reaction ~ Days + (1 | Subject)" "Reaction ~ Days + (Days | Subject)"
  lmm fit data.csv "y ~ Condition + (1 | Subject)" --levels Condition=W,S --contrasts Condition=-0.5,0.5:S>W
  lmm fit data/cbpp.csv "cbind(incidence, size - incidence) ~ period + (1 | herd)" --family binomial
  lmm fit data/sleepstudy.csv "Reaction ~ Days + (Days | Subject)" --plot caterpillar.svg --plot qq=qq.svg

Exit codes: 0 success, 1 data error, 2 usage or option error, 3 internal error, 4 formula error,
5 model error, 6 numerical error, 7 resource limit, 8 output could not be written.`;

const CONFIG: ParseArgsConfig['options'] = Object.fromEntries(
  FLAGS.map((f) => [f.name, { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) }]),
);

/** node:util's parse errors as OptionError, with "did you mean" for a misspelt flag. */
function translate(e: unknown): never {
  const err = e as { code?: string; message?: string };
  const msg = String(err.message ?? e);
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']*)'/.exec(msg)?.[1] ?? '';
    const near = nearestName(flag.replace(/^-+/, ''), FLAGS.map((f) => f.name));
    throw new OptionError(`unknown option ${escapeForMessage(flag, 80)}${near ? ` (did you mean --${near}?)` : ''}; see lmm --help`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    throw new OptionError(`${escapeForMessage(msg.replace(/^TypeError \[[A-Z_]+\]: /, ''), 200)}\n(see lmm --help)`);
  }
  throw new OptionError(`${escapeForMessage(msg, 200)}\n(see lmm --help)`);
}

/** Parses argv (without `node` and the script). Throws OptionError on anything unexpected. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {
    command: 'help',
    data: '',
    formulas: [],
    reml: true,
    remlGiven: false,
    levels: {},
    factors: [],
    contrasts: {},
    optimizer: undefined,
    json: false,
    debug: false,
    maxBytes: undefined,
    family: undefined,
    link: undefined,
    nAGQ: undefined,
    weights: undefined,
    offset: undefined,
    plots: [],
  };
  let parsed: ReturnType<typeof parseArgv>;
  try {
    parsed = parseArgv({ args: [...argv], options: CONFIG, allowPositionals: true, strict: true });
  } catch (e) {
    translate(e);
  }
  const values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
  if (values.help) return { ...args, command: 'help' };
  if (values.version) return { ...args, command: 'version' };
  for (const f of FLAGS) {
    const v = Object.hasOwn(values, f.name) ? values[f.name] : undefined;
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) f.apply(args, one);
  }
  const [command, data, ...formulas] = parsed.positionals;
  if (command === undefined) return args;
  if (command !== 'fit' && command !== 'anova') {
    const near = nearestName(command, ['fit', 'anova']);
    throw new OptionError(`unknown command "${escapeForMessage(command, 80)}" (expected fit or anova${near ? `; did you mean ${near}?` : ''})\n${USAGE}`);
  }
  if (data === undefined) throw new OptionError(`lmm ${command} needs a data file\n${USAGE}`);
  if (formulas.length === 0) throw new OptionError(`lmm ${command} needs a formula\n${USAGE}`);
  if (command === 'fit' && formulas.length > 1) {
    throw new OptionError(`lmm fit takes one formula, got ${formulas.length} (use lmm anova to compare models)`);
  }
  return { ...args, command, data, formulas };
}
