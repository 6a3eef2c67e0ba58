/**
 * Command-line arguments of `lmm` (the contract other tools call):
 *
 *   lmm fit DATA FORMULA [--ml|--reml] [--levels COL=a,b,...]... [--factor COL]...
 *           [--contrasts COL=SPEC]... [--optimizer NAME] [--json]
 *   lmm anova DATA FORMULA FORMULA... [same options]   (likelihood-ratio tests)
 *   lmm anova DATA FORMULA [same options]              (lmerTest's type III table of one lmer fit)
 *
 * SPEC is treatment | sum | helmert | poly, or a custom coding `-0.5,0.5` with an optional column name
 * after a colon: `Condition=-0.5,0.5:S>W`.
 */
import { OptionError } from '../errors.js';

/** A contrast choice for one factor, as given on the command line. */
export type ContrastArg = 'treatment' | 'sum' | 'helmert' | 'poly' | { matrix: number[][]; names?: string[] };

/** Parsed arguments of `lmm fit` / `lmm anova`. */
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
}

export const USAGE = `Usage:
  lmm fit DATA.csv FORMULA [--ml|--reml] [--levels COL=a,b,...]... [--factor COL]...
          [--contrasts COL=treatment|sum|helmert|poly|v1,v2,...[:NAME]]... [--optimizer bobyqa|nelder-mead] [--json]
  lmm anova DATA.csv FORMULA FORMULA... [same options]   (likelihood-ratio tests)
  lmm anova DATA.csv FORMULA [same options]              (type III F tests of one lmer model)

A formula without (…|…) terms fits lm; with them lmer (REML unless --ml).
Example:
  lmm fit data/sleepstudy.csv "Reaction ~ Days + (Days | Subject)"`;

function splitAssignment(option: string, value: string | undefined): [string, string] {
  if (value === undefined) throw new OptionError(`${option} needs a value COL=...\n${USAGE}`);
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    throw new OptionError(`${option} expects COL=VALUE, got "${value}"`);
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
      `--contrasts ${col}=${spec}: expected treatment, sum, helmert, poly or numbers like -0.5,0.5 (optionally :NAME)`,
    );
  }
  return { matrix: values.map((v) => [v]), names: name ? [name] : undefined };
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
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return { ...args, command: 'help' };
    if (a === '--version' || a === '-v') return { ...args, command: 'version' };
    if (a === '--json') args.json = true;
    else if (a === '--ml') {
      args.reml = false;
      args.remlGiven = true;
    } else if (a === '--reml') {
      args.reml = true;
      args.remlGiven = true;
    } else if (a === '--levels') {
      const [col, list] = splitAssignment(a, argv[++i]);
      args.levels[col] = list.split(',');
    } else if (a === '--factor') {
      const col = argv[++i];
      if (col === undefined || col.startsWith('--')) throw new OptionError('--factor needs a column name');
      args.factors.push(col);
    } else if (a === '--contrasts') {
      const [col, spec] = splitAssignment(a, argv[++i]);
      args.contrasts[col] = parseContrast(col, spec);
    } else if (a === '--optimizer') {
      const name = argv[++i];
      if (name === undefined) throw new OptionError('--optimizer needs a name (bobyqa or nelder-mead)');
      args.optimizer = name;
    } else if (a.startsWith('--')) {
      throw new OptionError(`unknown option ${a}\n${USAGE}`);
    } else positional.push(a);
  }
  const [command, data, ...formulas] = positional;
  if (command === undefined) return args;
  if (command !== 'fit' && command !== 'anova') {
    throw new OptionError(`unknown command "${command}" (expected fit or anova)\n${USAGE}`);
  }
  if (data === undefined) throw new OptionError(`lmm ${command} needs a data file\n${USAGE}`);
  if (formulas.length === 0) throw new OptionError(`lmm ${command} needs a formula\n${USAGE}`);
  if (command === 'fit' && formulas.length > 1) {
    throw new OptionError(`lmm fit takes one formula, got ${formulas.length} (use lmm anova to compare models)`);
  }
  void 0; // lmm anova with one lmer formula prints lmerTest's type III table
  return { ...args, command, data, formulas };
}
