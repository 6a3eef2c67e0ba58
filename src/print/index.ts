/**
 * The printing layer: the text R 4.2.2, lme4 1.1-31 and lmerTest 3.1-3 print, from plain numbers (no
 * fitting involved). Every `print*` function takes a plain data object and returns R's console output
 * without its final newline, i.e. exactly `paste(capture.output(print(x)), collapse = "\n")`; to show it
 * as R does, write the text followed by one newline.
 *
 * The model-based wrappers (summary of an `LmModel` / `LmerModel`) live in `./summary.js`.
 */
export {
  R_DIGITS,
  type RNumber,
  type RealFormat,
  type Scientific,
  formatReal,
  encodeReal,
  formatNumbers,
  formatNumber,
  catNumber,
  formatFixed,
  formatExp,
  formatG,
  formatC,
  roundR,
  signifR,
  zapsmall,
  zapsmallNA,
  scientific,
} from './format-number.js';
export { formatPval, stars, SIGNIF_LEGEND, DOUBLE_EPS } from './pvalue.js';
export { printCoefmat, coefmatText, type CoefTable, type CoefmatOptions } from './coefmat.js';
export { printLmSummary, formatLmSummary, naMessage, type LmSummaryData, type LmCoefficientRow } from './lm-summary.js';
export { printLmerSummary, formatLmerSummary, type LmerSummaryData, type LmerCoefficientRow } from './lmer-summary.js';
export {
  printVarCorrTable,
  formatVarCorr,
  varCorrTermsFromRows,
  type VarCorrData,
  type VarCorrTerm,
  type VarCorrRow,
  type VarCorrComponent,
} from './varcorr.js';
export { printFixefVector, namedNumbersLines, type NamedNumbersData } from './fixef.js';
export { printNumericMatrix, numericMatrixLines, type NumericMatrixData } from './coef-table.js';
export { printAnovaTable, anovaTableLines, type AnovaTableData } from './anova-table.js';
export { printAnovaLrt, anovaLrtLines, formatAnovaLRT, type AnovaLrtData, type AnovaLrtRow } from './anova-lrt.js';
export { printAnovaType3, anovaType3Lines, formatAnovaType3, type AnovaType3Data, type AnovaFRow } from './anova-type3.js';
export { abbreviate } from './abbreviate.js';
export { quantile7 } from '../infer/quantile.js';
export { deparseCall, deparseFormulaLines, deparseLines, exprDoc, type Doc } from './deparse-lines.js';
export { printMatrix, printNamedVector, catFill, strwrap, PRINT_WIDTH } from './layout.js';
