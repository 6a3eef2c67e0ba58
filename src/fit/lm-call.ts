/** The `lm(formula = …, data = …, contrasts = …)` call as R deparses it in print(m) and summary(m). */
import type { ContrastSpec } from '../frame/contrasts.js';
import type { ModelFormula } from '../formula/types.js';
import { deparseLines, exprDoc, text, type Doc } from '../formula/deparse-lines.js';

function rNumber(x: number): string {
  return String(x);
}

/** R's deparse of a contrasts argument value. */
function contrastDoc(spec: ContrastSpec): Doc {
  if (typeof spec === 'string') return text(`"contr.${spec}"`);
  const rows = spec.matrix.length;
  const cols = spec.matrix[0]?.length ?? 0;
  const values: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) values.push(spec.matrix[i][j]);
  const dim = Math.abs(rows - cols) === 1 ? `${rows}:${cols}` : `c(${rows}L, ${cols}L)`;
  const args: { name?: string; value: Doc }[] = [
    { value: text(`c(${values.map(rNumber).join(', ')})`) },
    { name: 'dim', value: text(dim) },
  ];
  if (spec.names) {
    args.push({
      name: 'dimnames',
      value: { kind: 'call', fn: 'list', args: [{ value: text('NULL') }, { value: text(spec.names.map((n) => `"${n}"`).join(', ')) }] },
    });
  }
  return { kind: 'call', fn: 'structure', args };
}

/** The `lm(formula = …, data = …)` call as R's summary shows it. */
export function lmCallLines(formula: ModelFormula, dataName: string, contrastSpecs: Record<string, ContrastSpec>, weightsName: string | null = null): string[] {
  const args: { name?: string; value: Doc }[] = [
    { name: 'formula', value: exprDoc(formula.expr) },
    { name: 'data', value: text(dataName) },
  ];
  if (weightsName !== null) args.push({ name: 'weights', value: text(weightsName) });
  const contrasts = Object.entries(contrastSpecs);
  if (contrasts.length > 0) {
    args.push({ name: 'contrasts', value: { kind: 'call', fn: 'list', args: contrasts.map(([k, v]) => ({ name: k, value: contrastDoc(v) })) } });
  }
  return deparseLines({ kind: 'call', fn: 'lm', args });
}

