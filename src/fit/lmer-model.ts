/**
 * A fitted linear mixed model (lme4's merMod): estimates, random effects, fit criteria, and the WASM
 * engine kept for inference that re-evaluates the deviance (Satterthwaite df, profiles, refits).
 */
import type { ModelFormula } from '../formula/types.js';
import type { MixedEngine } from '../wasm/mixed-engine.js';
import type { ConvergenceReport } from './convergence.js';
import type { PreparedModel } from '../design/prepare.js';
import type { RandomTermDesign } from '../design/random-terms.js';
import { satterthwaiteBasis, contrastTest, type SatterthwaiteBasis, type ContrastTest } from '../infer/satterthwaite.js';
import type { DataInput } from '../data/from-input.js';
import { predictFrame } from '../frame/new-data.js';
import { checkOptions } from '../options/validate.js';
import { PREDICT_LMER_SCHEMA } from '../options/schemas.js';
import { setOwn } from '../base/own.js';
import { modelMatrix } from '../design/model-matrix.js';
import { profiledDevianceML } from './deviance.js';
import { correlationAt } from '../linalg/symmetric.js';

/** One row of lme4's `as.data.frame(VarCorr(m))`. */
export interface VarCorrRow {
  /** Grouping factor ("Subject", "Subject.1" for a second term on it, "Residual"). */
  group: string;
  var1: string | null;
  var2: string | null;
  /** Variance or covariance. */
  vcov: number;
  /** Standard deviation or correlation. */
  sdcor: number;
}

/** Conditional modes of one grouping factor: a row per level, a column per effect. */
export interface RanefTable {
  levels: string[];
  columns: string[];
  values: number[][];
}

/** How the optimizer ended. */
export interface OptimizerInfo {
  name: string;
  evaluations: number;
  converged: boolean;
  message: string;
}

/** Everything `fitLmer` computes, passed to the model's constructor. */
export interface LmerFitParts {
  prepared: PreparedModel;
  terms: RandomTermDesign[];
  /** Names of the X columns kept (rank-deficient ones dropped). */
  fixefNames: string[];
  /** Indices of the kept X columns in the full model matrix. */
  keptColumns: number[];
  reml: boolean;
  theta: Float64Array;
  thetaNames: string[];
  lower: Float64Array;
  beta: Float64Array;
  u: Float64Array;
  b: Float64Array;
  fitted: Float64Array;
  y: Float64Array;
  ldL2: number;
  ldRX2: number;
  pwrss: number;
  sigma: number;
  /** (R_X'R_X)⁻¹, p×p row-major: Var(β̂) = σ²·this. */
  unscaledVcov: Float64Array;
  objective: number;
  optimizer: OptimizerInfo;
  convergence: ConvergenceReport;
  messages: string[];
  warnings: string[];
  fitMs: number;
  timings: FitTimings;
  engine: MixedEngine;
}

/** Where the time of a fit went (milliseconds) and the engine's size. */
export interface FitTimings {
  /** The one pass over the observations (building the blocks of A). */
  setupMs: number;
  /** The optimizer's evaluations of the profiled deviance. */
  optimizeMs: number;
  /** Boundary snap, lme4's finite-difference checks and the final solve. */
  checksMs: number;
  /** Order of the dense block factored at each evaluation. */
  denseOrder: number;
  /** WebAssembly memory held by the model. */
  memoryBytes: number;
}

/** A linear mixed model fitted by `lmer`. */
export class LmerModel {
  readonly kind = 'lmer' as const;
  readonly formula: ModelFormula;
  /** Name of the data printed after "Data:". */
  readonly dataName: string;
  readonly reml: boolean;
  readonly nobs: number;
  /** Rows dropped for missing values (R's na.omit). */
  readonly nDropped: number;
  readonly fixefNames: readonly string[];
  readonly beta: Float64Array;
  readonly theta: Float64Array;
  readonly thetaNames: readonly string[];
  readonly lower: Float64Array;
  readonly sigma: number;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  /** Spherical random effects u and b = Λθu, in the order of the terms. */
  readonly u: Float64Array;
  readonly b: Float64Array;
  readonly terms: readonly RandomTermDesign[];
  readonly ldL2: number;
  readonly ldRX2: number;
  readonly pwrss: number;
  readonly optimizer: OptimizerInfo;
  readonly convergence: ConvergenceReport;
  /** Messages as lme4 gives them (rank-deficiency note, singular fit). */
  readonly messages: readonly string[];
  /** Warnings as lme4 gives them (convergence). */
  readonly warnings: readonly string[];
  /** Wall-clock time of the fit in milliseconds (data to fitted model). */
  readonly fitMs: number;
  readonly timings: FitTimings;
  readonly prepared: PreparedModel;
  readonly keptColumns: readonly number[];
  private readonly unscaledVcov: Float64Array;
  private readonly objective: number;
  private readonly engine: MixedEngine;
  private satterthwaiteCache: SatterthwaiteBasis | undefined;

  constructor(parts: LmerFitParts) {
    this.prepared = parts.prepared;
    this.formula = parts.prepared.formula;
    this.dataName = parts.prepared.dataName;
    this.reml = parts.reml;
    this.nobs = parts.prepared.frame.n;
    this.nDropped = parts.prepared.frame.nDropped;
    this.fixefNames = parts.fixefNames;
    this.keptColumns = parts.keptColumns;
    this.beta = parts.beta;
    this.theta = parts.theta;
    this.thetaNames = parts.thetaNames;
    this.lower = parts.lower;
    this.sigma = parts.sigma;
    this.fitted = parts.fitted;
    this.residuals = parts.y.map((y, i) => y - parts.fitted[i]);
    this.u = parts.u;
    this.b = parts.b;
    this.terms = parts.terms;
    this.ldL2 = parts.ldL2;
    this.ldRX2 = parts.ldRX2;
    this.pwrss = parts.pwrss;
    this.optimizer = parts.optimizer;
    this.convergence = parts.convergence;
    this.messages = parts.messages;
    this.warnings = parts.warnings;
    this.fitMs = parts.fitMs;
    this.timings = parts.timings;
    this.unscaledVcov = parts.unscaledVcov;
    this.objective = parts.objective;
    this.engine = parts.engine;
  }

  /** Number of fixed-effects coefficients p. */
  get p(): number {
    return this.beta.length;
  }

  /** Number of parameters: p + length(θ) + 1 (σ). */
  get npar(): number {
    return this.p + this.theta.length + 1;
  }

  /** The REML criterion at θ̂ (REML fits) — lme4's REMLcrit(m). */
  get REMLcrit(): number | null {
    return this.reml ? this.objective : null;
  }

  /** −2 log-likelihood at the optimum for ML fits (lme4's deviance(m)); null for REML fits. */
  get deviance(): number | null {
    return this.reml ? null : this.objective;
  }

  /** The ML deviance at the fit's θ (deviance(m, REML = FALSE)). */
  get devianceML(): number {
    return profiledDevianceML(this.ldL2, this.pwrss, this.nobs);
  }

  /** The (REML) log-likelihood, as lme4's logLik(m). */
  get logLik(): number {
    return -this.objective / 2;
  }

  get AIC(): number {
    return this.objective + 2 * this.npar;
  }

  get BIC(): number {
    return this.objective + Math.log(this.nobs) * this.npar;
  }

  /** Residual degrees of freedom: n − npar. */
  get dfResidual(): number {
    return this.nobs - this.npar;
  }

  /** Var(β̂) = σ²(R_X'R_X)⁻¹, p×p row-major. */
  get vcov(): Float64Array {
    const s2 = this.sigma * this.sigma;
    return this.unscaledVcov.map((v) => v * s2);
  }

  /** Standard errors of β̂. */
  get standardErrors(): Float64Array {
    const V = this.vcov;
    return this.beta.map((_, i) => Math.sqrt(V[i * this.p + i]));
  }

  /** The fixed effects by name (lme4's fixef). */
  fixef(): Record<string, number> {
    return Object.fromEntries(this.fixefNames.map((n, i) => [n, this.beta[i]]));
  }

  /** Number of levels per grouping factor (lme4's ngrps), in term order, each factor once. */
  ngroups(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.terms) if (!Object.hasOwn(out, t.group)) setOwn(out, t.group, t.levels.length);
    return out;
  }

  /** Offsets of each term's block in u and b. */
  private termOffsets(): number[] {
    const out: number[] = [];
    let at = 0;
    for (const t of this.terms) {
      out.push(at);
      at += t.levels.length * t.columns.length;
    }
    return out;
  }

  /** Conditional modes b per grouping factor (terms on the same factor merged, as lme4's ranef). */
  ranef(): Record<string, RanefTable> {
    const offsets = this.termOffsets();
    const out: Record<string, RanefTable> = {};
    this.terms.forEach((t, k) => {
      const p = t.columns.length;
      if (!Object.hasOwn(out, t.group)) setOwn(out, t.group, { levels: [...t.levels], columns: [], values: t.levels.map(() => []) });
      const table = out[t.group];
      table.columns.push(...t.columns);
      t.levels.forEach((_, g) => {
        for (let j = 0; j < p; j++) table.values[g].push(this.b[offsets[k] + g * p + j]);
      });
    });
    return out;
  }

  /** Per-level coefficients: fixed effects plus the level's random effects (lme4's coef). */
  coef(): Record<string, RanefTable> {
    const re = this.ranef();
    const out: Record<string, RanefTable> = {};
    for (const [group, table] of Object.entries(re)) {
      setOwn(out, group, {
        levels: table.levels,
        columns: [...this.fixefNames],
        values: table.values.map((row) =>
          this.fixefNames.map((name, i) => {
            const j = table.columns.indexOf(name);
            return this.beta[i] + (j >= 0 ? row[j] : 0);
          }),
        ),
      });
    }
    return out;
  }

  /** Covariance matrices Σ = σ²TT' per term (row-major p×p). */
  termCovariances(): Float64Array[] {
    const s2 = this.sigma * this.sigma;
    let at = 0;
    return this.terms.map((t) => {
      const p = t.columns.length;
      const T = new Float64Array(p * p);
      for (let c = 0; c < p; c++) for (let r = c; r < p; r++) T[r * p + c] = this.theta[at++];
      const S = new Float64Array(p * p);
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          let s = 0;
          for (let k = 0; k < p; k++) s += T[i * p + k] * T[j * p + k];
          S[i * p + j] = s * s2;
        }
      }
      return S;
    });
  }

  /** Group names as lme4's VarCorr prints them: a repeated factor gets `.1`, `.2`, … */
  varCorrGroups(): string[] {
    const seen = new Map<string, number>();
    return this.terms.map((t) => {
      const k = seen.get(t.group) ?? 0;
      seen.set(t.group, k + 1);
      return k === 0 ? t.group : `${t.group}.${k}`;
    });
  }

  /** Variance components as rows of lme4's as.data.frame(VarCorr(m)). */
  varCorr(): VarCorrRow[] {
    const rows: VarCorrRow[] = [];
    const groups = this.varCorrGroups();
    this.termCovariances().forEach((S, k) => {
      const cols = this.terms[k].columns;
      const p = cols.length;
      for (let i = 0; i < p; i++) {
        rows.push({ group: groups[k], var1: cols[i], var2: null, vcov: S[i * p + i], sdcor: Math.sqrt(S[i * p + i]) });
      }
      for (let i = 0; i < p; i++) {
        for (let j = i + 1; j < p; j++) {
          rows.push({ group: groups[k], var1: cols[i], var2: cols[j], vcov: S[i * p + j], sdcor: correlationAt(S, p, i, j) });
        }
      }
    });
    rows.push({ group: 'Residual', var1: null, var2: null, vcov: this.sigma * this.sigma, sdcor: this.sigma });
    return rows;
  }

  /** Scaled (Pearson) residuals: residuals / σ, as summary(m) shows them. */
  scaledResiduals(): Float64Array {
    return this.residuals.map((r) => r / this.sigma);
  }

  /** Whether some diagonal θ is below 1e-4 (lme4's isSingular). */
  get singular(): boolean {
    return this.convergence.singular;
  }

  /** lmerTest's Satterthwaite basis (computed once, on first use). */
  satterthwaite(): SatterthwaiteBasis {
    if (!this.satterthwaiteCache) {
      const e = this.engine;
      const source = {
        n: this.nobs,
        p: this.p,
        reml: this.reml,
        evaluate: (theta: ArrayLike<number>) => e.evaluate(theta),
        fixedFactor: () => e.fixedFactor(),
      };
      this.satterthwaiteCache = satterthwaiteBasis(source, this.theta, this.sigma);
      this.engine.evaluate(this.theta);
    }
    return this.satterthwaiteCache;
  }

  /** Satterthwaite t tests of every fixed coefficient (lmerTest's summary table). */
  coefficientTests(): ContrastTest[] {
    const basis = this.satterthwaite();
    return Array.from(this.beta, (_, i) => {
      const l = new Float64Array(this.p);
      l[i] = 1;
      return contrastTest(basis, this.beta, l);
    });
  }

  /**
   * Predictions for new data (rows, columns or a table): Xβ plus, with `re` (default true), each
   * row's random effects; a grouping level the fit never saw contributes 0 (the population prediction),
   * as lme4's predict(allow.new.levels = TRUE). Rows with missing values give NaN.
   */
  predict(newdata: DataInput, options: { re?: boolean } = {}): Float64Array {
    checkOptions('predict', options, PREDICT_LMER_SCHEMA);
    const re = options.re ?? true;
    const frame = predictFrame(this.prepared, newdata, { random: re });
    const X = modelMatrix(frame, this.formula.fixed, this.prepared.contrasts);
    const out = new Float64Array(frame.n);
    this.keptColumns.forEach((j, k) => {
      const col = X.columns[j];
      for (let i = 0; i < frame.n; i++) out[i] += col[i] * this.beta[k];
    });
    if (re) {
      const offsets = this.termOffsets();
      this.terms.forEach((t, k) => {
        const Z = modelMatrix(frame, t.term.effects, this.prepared.contrasts);
        const index = new Map(t.levels.map((l, g) => [l, g]));
        const labels = t.term.grouping.map((v) => frame.labels.get(v)!);
        const p = t.columns.length;
        for (let i = 0; i < frame.n; i++) {
          if (frame.missing[i]) continue;
          const g = index.get(labels.map((l) => l[i]).join(':'));
          if (g === undefined) continue;
          for (let a = 0; a < p; a++) out[i] += Z.columns[a][i] * this.b[offsets[k] + g * p + a];
        }
      });
    }
    frame.missing.forEach((m, i) => m && (out[i] = NaN));
    return out;
  }

  /** The engine, for inference code that re-evaluates the deviance (profiles, refits). */
  get engineForInference(): MixedEngine {
    return this.engine;
  }
}
