/**
 * The `lmm` command line: `lmm fit DATA FORMULA …` and `lmm anova DATA FORMULA FORMULA …`
 * (see src/cli/args.ts). Text output is what R prints; `--json` prints one JSON object.
 * Errors go to stderr with exit code 1 (2 for usage errors) and nothing on stdout.
 */
import { readFileSync } from 'node:fs';
import { LmmError, OptionError } from '../errors.js';
import { datasetName, readDataFile } from '../data/read-file.js';
import { lm } from '../fit/lm.js';
import { lmer } from '../fit/lmer.js';
import { expandFormula } from '../formula/expand.js';
import { anovaLRT, type ComparableModel } from '../infer/anova-lrt.js';
import { formatAnovaLRT } from '../print/anova-lrt.js';
import { anovaType3 } from '../infer/anova-type3.js';
import { formatAnovaType3 } from '../print/anova-type3.js';
import { anovaJSON, lmJSON, lmerJSON } from '../print/json.js';
import { summaryLm, summaryLmer } from '../print/summary.js';
import { naMessage } from '../print/lm-summary.js';
import { parseArgs, USAGE, type CliArgs } from './args.js';
import type { OptimizerName } from '../optim/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function fitOne(args: CliArgs, formula: string, stderr: string[]): ComparableModel {
  const data = readDataFile(args.data, { levels: args.levels });
  const common = { dataName: datasetName(args.data), factors: args.factors, contrasts: args.contrasts };
  const isMixed = expandFormula(formula).random.length > 0;
  if (!isMixed) {
    if (args.remlGiven && args.command === 'fit') stderr.push('note: --ml/--reml apply to lmer only; this formula fits lm');
    return lm(formula, data, common);
  }
  if (args.optimizer !== undefined && args.optimizer !== 'bobyqa' && args.optimizer !== 'nelder-mead') {
    throw new OptionError(`unknown optimizer "${args.optimizer}" (use bobyqa or nelder-mead)`);
  }
  const m = lmer(formula, data, { ...common, REML: args.reml, optimizer: args.optimizer as OptimizerName | undefined });
  if (m.nDropped > 0) stderr.push(naMessage(m.nDropped));
  return m;
}

/** Runs the CLI; returns the exit code. Output is collected and written only on success. */
export function run(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const notes: string[] = [];
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      out(USAGE + '\n');
      return 0;
    }
    if (args.command === 'version') {
      out(version() + '\n');
      return 0;
    }
    if (args.command === 'fit') {
      const m = fitOne(args, args.formulas[0], notes);
      const text =
        m.kind === 'lm'
          ? args.json
            ? JSON.stringify(lmJSON(m))
            : summaryLm(m)
          : args.json
            ? JSON.stringify(lmerJSON(m))
            : summaryLmer(m);
      if (!args.json) notes.push(...m.warnings.map((w) => `Warning: ${w}`));
      if (!args.json && m.kind === 'lmer') {
        const so = m.convergence.secondOpinion;
        for (const w of m.convergence.lme4Warnings ?? []) {
          notes.push(`Note: lme4 would warn "${w}", but restarting the optimizer from the optimum lowered the deviance by only ${so ? so.improvement.toExponential(2) : '0'} (tolerance ${so ? so.tolerance.toExponential(2) : '-'}): the fit has converged`);
        }
      }
      for (const n of notes) err(n + '\n');
      out(text + '\n');
      return 0;
    }
    const models = args.formulas.map((f) => fitOne({ ...args, command: 'anova' }, f, notes));
    if (models.length === 1) {
      const m = models[0];
      if (m.kind !== 'lmer') throw new OptionError('lmm anova with one formula needs random-effects terms (type III tests of an lmer fit)');
      const rows = anovaType3(m);
      for (const n of notes) err(n + '\n');
      out((args.json ? JSON.stringify({ type: 'III', ddf: 'Satterthwaite', rows: rows.map((r) => ({ term: r.term, sumSq: r.sumSq, meanSq: r.meanSq, numDf: r.numDf, denDf: r.denDf, F: r.F, p: r.p })) }) : formatAnovaType3(rows).join('\n')) + '\n');
      return 0;
    }
    const named = Object.fromEntries(models.map((m, i) => [`model${i + 1}`, m]));
    const table = anovaLRT(named);
    if (!args.json) for (const msg of table.messages) notes.push(msg);
    for (const n of notes) err(n + '\n');
    out((args.json ? JSON.stringify(anovaJSON(table)) : formatAnovaLRT(table).join('\n')) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof LmmError) {
      err(`Error: ${e.message}\n`);
      return e instanceof OptionError ? 2 : 1;
    }
    err(`Internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}
