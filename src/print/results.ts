/**
 * The printable results of anova (likelihood-ratio and type III), ranova, lsMeans and confint: each holds
 * its rows as plain fields, prints as R prints it (`toString()`, and `console.log` through RResult's
 * inspect hook) and serializes to plain JSON (non-finite numbers as null).
 */
import { RResult } from '../result.js';
import { plainJSON, type Json } from '../text/plain-json.js';
import type { AnovaRow, AnovaTable } from '../infer/anova-lrt.js';
import type { Type3Row } from '../infer/anova-type3.js';
import type { RanovaRow, RanovaTable } from '../infer/ranova.js';
import type { LsMeansRow } from '../infer/ls-means.js';
import type { Interval } from '../infer/confint.js';
import { formatAnovaLRT } from './anova-lrt.js';
import { formatAnovaType3 } from './anova-type3.js';
import { formatRanova } from './ranova.js';
import { formatLsMeans } from './ls-means.js';
import { printConfint } from './summary.js';

const freezeRows = <T extends object>(rows: readonly T[]): readonly T[] => Object.freeze(rows.map((r) => Object.freeze({ ...r })));

/** lme4's anova(m1, m2, …): the likelihood-ratio comparison of nested models. */
export class AnovaLRT extends RResult implements AnovaTable {
  readonly kind = 'lrt' as const;
  readonly rows: AnovaRow[];
  /** "Data: NAME", "Models:", "name: formula" lines. */
  readonly heading: string[];
  /** True when some REML fit was refitted by ML. */
  readonly refitML: boolean;
  readonly messages: string[];

  constructor(table: AnovaTable) {
    super();
    this.rows = freezeRows(table.rows) as AnovaRow[];
    this.heading = Object.freeze([...table.heading]) as string[];
    this.refitML = table.refitML;
    this.messages = Object.freeze([...table.messages]) as string[];
    Object.freeze(this);
  }

  toString(): string {
    return formatAnovaLRT(this).join('\n');
  }

  toJSON(): Json {
    return plainJSON({ rows: this.rows, refitML: this.refitML, messages: this.messages });
  }
}

/** lmerTest's anova(m): type III F tests with Satterthwaite df. */
export class AnovaType3 extends RResult {
  readonly kind = 'type3' as const;
  readonly rows: readonly Type3Row[];

  constructor(rows: Type3Row[]) {
    super();
    this.rows = freezeRows(rows);
    Object.freeze(this);
  }

  toString(): string {
    return formatAnovaType3([...this.rows]).join('\n');
  }

  toJSON(): Json {
    return plainJSON({ rows: this.rows });
  }
}

/** lmerTest's ranova(m): likelihood-ratio tests of the random-effects terms. */
export class Ranova extends RResult implements RanovaTable {
  /** The full model's formula. */
  readonly model: string;
  readonly rows: RanovaRow[];

  constructor(table: RanovaTable) {
    super();
    this.model = table.model;
    this.rows = freezeRows(table.rows) as RanovaRow[];
    Object.freeze(this);
  }

  toString(): string {
    return formatRanova(this).join('\n');
  }

  toJSON(): Json {
    return plainJSON({ model: this.model, rows: this.rows });
  }
}

/** lmerTest's ls_means(m): least-squares means or their pairwise differences. */
export class LsMeans extends RResult {
  readonly rows: readonly LsMeansRow[];
  /** Confidence level of the intervals. */
  readonly level: number;

  constructor(rows: LsMeansRow[], level = 0.95) {
    super();
    this.rows = freezeRows(rows);
    this.level = level;
    Object.freeze(this);
  }

  toString(): string {
    return formatLsMeans([...this.rows], this.level).join('\n');
  }

  toJSON(): Json {
    return plainJSON({ rows: this.rows, level: this.level });
  }
}

/** lme4's confint(m): profile or Wald intervals. */
export class Confint extends RResult {
  readonly rows: readonly Interval[];
  readonly level: number;
  readonly method: 'profile' | 'Wald';
  /** lme4's warnings of the profile (e.g. "NAs detected in profiling" for a bound left NA). */
  readonly warnings: readonly string[];

  constructor(rows: Interval[], level: number, method: 'profile' | 'Wald', warnings: readonly string[] = []) {
    super();
    this.rows = freezeRows(rows);
    this.level = level;
    this.method = method;
    this.warnings = Object.freeze([...warnings]);
    Object.freeze(this);
  }

  toString(): string {
    return printConfint([...this.rows], this.level);
  }

  toJSON(): Json {
    return plainJSON({ rows: this.rows, level: this.level, method: this.method, warnings: [...this.warnings] });
  }
}
