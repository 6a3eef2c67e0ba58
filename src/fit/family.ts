/**
 * GLM families and links for glmer, as lme4 1.1-31 evaluates them in its C++ (glmFamily.cpp): the
 * inverse links and dμ/dη are clamped away from 0 and 1 by the machine epsilon where lme4 clamps them,
 * the binomial variance is at least epsilon, and the deviance residuals and aic() are R's. Only binomial
 * and Poisson are fitted; lme4's own Gamma and inverse Gaussian fits are unreliable, so they are refused.
 */
import { ModelError, OptionError } from '../errors.js';
import { normalUpper } from '../stats/distributions.js';
import { qnorm } from '../stats/distribution-quantiles.js';
import { exp, log, log1p, expm1 } from '../stats/portable-math.js';

const EPS = 2.220446049250313e-16;

/** The family names glmer accepts. */
export type FamilyName = 'binomial' | 'poisson';
/** The links of those families. */
export type LinkName = 'logit' | 'probit' | 'cloglog' | 'cauchit' | 'log' | 'sqrt' | 'identity';

/** A link function g with its inverse and derivative, elementwise. */
export interface Link {
  readonly name: LinkName;
  /** η = g(μ). */
  linkfun(mu: number): number;
  /** μ = g⁻¹(η). */
  linkinv(eta: number): number;
  /** dμ/dη at η. */
  muEta(eta: number): number;
}

/** A response distribution with its link. */
export interface Family {
  readonly family: FamilyName;
  readonly link: Link;
  /** Var(μ) up to the dispersion (1 for both families). */
  variance(mu: number): number;
  /** One deviance residual (squared): 2·wt·(log f(y|y) − log f(y|μ)). */
  devResid(y: number, mu: number, wt: number): number;
  /** R's family$aic(y, n, mu, wt): −2 Σ log f(y|μ) with the prior weights (the constants included). */
  aic(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array): number;
  /**
   * The same split for PIRLS's inner loop: the per-row terms of −2 log f that do not depend on μ
   * (log-binomial coefficients, log y!), computed once, then `aicWith` adds the μ-dependent part.
   */
  aicConstants(y: Float64Array, n: Float64Array, wt: Float64Array): Float64Array;
  aicWith(constants: Float64Array, y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array): number;
  /**
   * The same split laid out for the engine's PIRLS (4n doubles): the constants, then for binomial the
   * successes x, the failures m − x and the trials m of each row, as `aicWith` uses them (Poisson: zeros).
   */
  aicRows(y: Float64Array, n: Float64Array, wt: Float64Array): Float64Array;
  /** Starting μ (R's family$initialize: mustart). */
  muStart(y: number, wt: number): number;
}

/** Standard normal density. */
function dnorm(x: number): number {
  return exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal distribution function, accurate in both tails. */
function pnorm(x: number): number {
  return normalUpper(-x);
}

const clamp01 = (p: number): number => Math.max(EPS, Math.min(1 - EPS, p));

const LINKS: Record<LinkName, Link> = {
  logit: {
    name: 'logit',
    linkfun: (mu) => log(mu / (1 - mu)),
    linkinv: (eta) => clamp01(eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))),
    muEta: (eta) => {
      const e = exp(-Math.abs(eta));
      return Math.max(EPS, e / ((1 + e) * (1 + e)));
    },
  },
  probit: {
    name: 'probit',
    linkfun: (mu) => qnorm(mu),
    linkinv: (eta) => Math.min(1 - EPS, pnorm(eta)),
    muEta: (eta) => dnorm(eta),
  },
  cloglog: {
    name: 'cloglog',
    linkfun: (mu) => log(-log1p(-mu)),
    linkinv: (eta) => clamp01(-expm1(-exp(eta))),
    muEta: (eta) => Math.max(EPS, exp(eta - exp(eta))),
  },
  cauchit: {
    name: 'cauchit',
    linkfun: (mu) => Math.tan(Math.PI * (mu - 0.5)),
    linkinv: (eta) => Math.min(1 - EPS, 0.5 + Math.atan(eta) / Math.PI),
    muEta: (eta) => 1 / (Math.PI * (1 + eta * eta)),
  },
  log: {
    name: 'log',
    linkfun: (mu) => log(mu),
    linkinv: (eta) => Math.max(EPS, exp(eta)),
    muEta: (eta) => Math.max(EPS, exp(eta)),
  },
  sqrt: {
    name: 'sqrt',
    linkfun: (mu) => Math.sqrt(mu),
    linkinv: (eta) => eta * eta,
    muEta: (eta) => 2 * eta,
  },
  identity: {
    name: 'identity',
    linkfun: (mu) => mu,
    linkinv: (eta) => eta,
    muEta: () => 1,
  },
};

/** y·log(y/μ), 0 at y = 0. */
function yLogY(y: number, mu: number): number {
  return y === 0 ? 0 : y * log(y / mu);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7: about 1e-15 relative), for the binomial and Poisson constants. */
export function lgamma(x: number): number {
  if (x < 0.5) return log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * log(2 * Math.PI) + (z + 0.5) * log(t) - t + log(a);
}

/** lgamma at the integers 1, 2, …, filled as asked: the aic constants of counts repeat a few arguments over every row. */
const LGAMMA_AT_INTEGER: number[] = [];
const LGAMMA_TABLE_SIZE = 1 << 16;

/** `lgamma(x)`, from the table where x is a small positive integer (the same value, computed once). */
function lgammaCached(x: number): number {
  if (!(Number.isInteger(x) && x > 0 && x < LGAMMA_TABLE_SIZE)) return lgamma(x);
  let v = LGAMMA_AT_INTEGER[x];
  if (v === undefined) v = LGAMMA_AT_INTEGER[x] = lgamma(x);
  return v;
}

/** The trials R's binomial aic uses: n when some row has more than one trial, else the prior weights. */
function binomialTrials(n: Float64Array, wt: Float64Array): Float64Array {
  for (let i = 0; i < n.length; i++) if (n[i] > 1) return n;
  return wt;
}

function binomial(link: Link): Family {
  return {
    family: 'binomial',
    link,
    variance: (mu) => Math.max(EPS, mu * (1 - mu)),
    devResid: (y, mu, wt) => 2 * wt * (yLogY(y, mu) + yLogY(1 - y, 1 - mu)),
    aic(y, n, mu, wt) {
      return this.aicWith(this.aicConstants(y, n, wt), y, n, mu, wt);
    },
    aicConstants(y, n, wt) {
      const m = binomialTrials(n, wt);
      const out = new Float64Array(y.length);
      for (let i = 0; i < y.length; i++) {
        if (m[i] <= 0) continue;
        const mi = Math.round(m[i]);
        const x = Math.round(m[i] * y[i]);
        out[i] = x < 0 || x > mi ? -Infinity : (-2 * wt[i] * (lgammaCached(mi + 1) - lgammaCached(x + 1) - lgammaCached(mi - x + 1))) / m[i];
      }
      return out;
    },
    aicWith(constants, y, n, mu, wt) {
      const m = binomialTrials(n, wt);
      let s = 0;
      for (let i = 0; i < mu.length; i++) {
        if (m[i] <= 0) continue;
        const mi = Math.round(m[i]);
        const x = Math.round(m[i] * y[i]);
        const a = x === 0 ? 0 : x * log(mu[i]);
        const b = mi - x === 0 ? 0 : (mi - x) * log1p(-mu[i]);
        s += constants[i] - (2 * wt[i] * (a + b)) / m[i];
      }
      return s;
    },
    aicRows(y, n, wt) {
      const len = y.length;
      const out = new Float64Array(4 * len);
      out.set(this.aicConstants(y, n, wt));
      const m = binomialTrials(n, wt);
      for (let i = 0; i < len; i++) {
        const mi = Math.round(m[i]);
        const x = Math.round(m[i] * y[i]);
        out[len + i] = x;
        out[2 * len + i] = mi - x;
        out[3 * len + i] = m[i];
      }
      return out;
    },
    muStart: (y, wt) => (wt * y + 0.5) / (wt + 1),
  };
}

function poisson(link: Link): Family {
  return {
    family: 'poisson',
    link,
    variance: (mu) => mu,
    devResid: (y, mu, wt) => 2 * wt * (yLogY(y, mu) - (y - mu)),
    aic(y, n, mu, wt) {
      return this.aicWith(this.aicConstants(y, n, wt), y, n, mu, wt);
    },
    aicConstants(y, _n, wt) {
      const out = new Float64Array(y.length);
      for (let i = 0; i < y.length; i++) out[i] = 2 * wt[i] * lgammaCached(y[i] + 1);
      return out;
    },
    aicWith(constants, y, _n, mu, wt) {
      let s = 0;
      for (let i = 0; i < mu.length; i++) s += constants[i] - 2 * wt[i] * (y[i] === 0 ? -mu[i] : y[i] * log(mu[i]) - mu[i]);
      return s;
    },
    aicRows(y, n, wt) {
      const out = new Float64Array(4 * y.length);
      out.set(this.aicConstants(y, n, wt));
      return out;
    },
    muStart: (y) => y + 0.1,
  };
}

const ALLOWED: Record<FamilyName, readonly LinkName[]> = {
  binomial: ['logit', 'probit', 'cloglog', 'cauchit', 'log'],
  poisson: ['log', 'sqrt', 'identity'],
};

/**
 * The family `name` with `link` (default: logit for binomial, log for Poisson), as R's
 * `binomial(link = …)` / `poisson(link = …)`.
 */
export function makeFamily(name: string, link?: string): Family {
  const lower = name.toLowerCase();
  if (lower === 'gamma' || lower === 'inverse.gaussian' || lower === 'inverse_gaussian') {
    throw new ModelError(
      `family ${name} is not supported by glmer here: lme4's own Gamma and inverse Gaussian GLMM fits are unreliable ` +
        '(no dispersion parameter in the Laplace approximation); use binomial or poisson, or lmer on a transformed response',
    );
  }
  if (lower === 'gaussian') throw new ModelError('family gaussian is a linear mixed model: use lmer()');
  if (lower !== 'binomial' && lower !== 'poisson') {
    throw new OptionError(`unknown family "${name}" (use "binomial" or "poisson")`);
  }
  const fam = lower as FamilyName;
  const linkName = (link ?? (fam === 'binomial' ? 'logit' : 'log')) as LinkName;
  if (!ALLOWED[fam].includes(linkName)) {
    throw new OptionError(`link "${link}" is not available for the ${fam} family (use ${ALLOWED[fam].join(', ')})`);
  }
  const l = LINKS[linkName];
  return fam === 'binomial' ? binomial(l) : poisson(l);
}
