/**
 * Column specs: checking what a caller asks for (types and level orders) against the data, layering a
 * dataset schema under the caller's explicit spec, and the combined options every input accepts.
 */
import { DataError } from '../errors.js';
import { own, setOwn } from '../base/own.js';
import { checkSchemaFits, schemaToSpec, validateSchema, type DatasetSchema } from './schema.js';
import type { ColumnSpec, ColumnType } from './table.js';

/** The column types a spec may name. */
export const COLUMN_TYPES: readonly ColumnType[] = ['numeric', 'integer', 'factor', 'ordered'];

/**
 * A column spec plus an optional dataset schema. The schema gives types and R's level order for
 * the columns it lists; `types` and `levels` given here override it column by column.
 */
export interface DataSpec extends ColumnSpec {
  /** Types, level orders and row count of a dataset (the `NAME.schema.json` format). */
  schema?: DatasetSchema;
  /** Where the schema came from (e.g. its file path), for error messages. */
  schemaSource?: string;
}

const isNumericType = (t: ColumnType | undefined): boolean => t === 'numeric' || t === 'integer';

/**
 * Layers `override` over `base`, column by column: a type in `override` replaces the base type (a
 * numeric type also drops the base's levels); levels in `override` replace the base's levels and turn
 * a base numeric type into `factor` (an `ordered` base stays ordered).
 */
export function mergeSpecs(base: ColumnSpec, override: ColumnSpec): ColumnSpec {
  const types: Record<string, ColumnType> = { ...(base.types ?? {}) };
  const levels: Record<string, readonly string[]> = { ...(base.levels ?? {}) };
  const overrideTypes = override.types ?? {};
  for (const [col, type] of Object.entries(overrideTypes)) {
    setOwn(types, col, type);
    if (isNumericType(type)) delete levels[col];
  }
  for (const [col, lv] of Object.entries(override.levels ?? {})) {
    setOwn(levels, col, lv);
    if (isNumericType(own(types, col)) && !Object.hasOwn(overrideTypes, col)) setOwn(types, col, 'factor');
  }
  return { types, levels };
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/**
 * Checks a spec against the columns of the data: every named column exists, every type is one of
 * {@link COLUMN_TYPES}, every level order is a list of distinct strings, and no column has both a
 * numeric type and levels. Throws `DataError` naming the column(s) and saying what to do.
 */
export function checkSpec(spec: ColumnSpec, names: readonly string[]): void {
  const known = new Set(names);
  const types = spec.types ?? {};
  const levels = spec.levels ?? {};
  if (typeof types !== 'object' || typeof levels !== 'object') {
    throw new DataError('types and levels must be objects keyed by column name, e.g. { Days: "factor" }');
  }
  const unknown = [...new Set([...Object.keys(types), ...Object.keys(levels)])].filter((c) => !known.has(c));
  if (unknown.length > 0) {
    const one = unknown.length === 1;
    throw new DataError(
      `the options name the column${one ? '' : 's'} ${quoteList(unknown)}, which ${one ? 'is' : 'are'} not in the data ` +
        `(columns: ${names.join(', ')}); check the spelling (names are case-sensitive)`,
      unknown[0],
    );
  }
  for (const [col, type] of Object.entries(types)) {
    if (!COLUMN_TYPES.includes(type)) {
      throw new DataError(`the type ${JSON.stringify(type)} given for column "${col}" is not one of ${COLUMN_TYPES.join(', ')}`, col);
    }
  }
  for (const [col, lv] of Object.entries(levels)) {
    if (!Array.isArray(lv) || lv.some((l) => typeof l !== 'string')) {
      throw new DataError(`the levels given for column "${col}" must be an array of strings, e.g. ["W", "S"]`, col);
    }
    const seen = new Set<string>();
    for (const l of lv as readonly string[]) {
      if (seen.has(l)) throw new DataError(`the levels given for column "${col}" repeat "${l}"; list each level once`, col);
      seen.add(l);
    }
    if (isNumericType(own(types, col))) {
      throw new DataError(`column "${col}" is given both the type ${own(types, col)} and levels; levels need the type factor or ordered`, col);
    }
  }
}

/**
 * The column spec to apply to data with these column names and row count: the schema (if any) is
 * checked against the data and turned into types and levels, the caller's `types`/`levels` are checked
 * and layered over it. Throws `DataError` for unknown columns, bad types or levels, and a schema that
 * does not describe the data.
 */
export function resolveSpec(spec: DataSpec, names: readonly string[], nrow: number): ColumnSpec {
  const user: ColumnSpec = { types: spec.types, levels: spec.levels };
  checkSpec(user, names);
  if (!spec.schema) return { types: { ...(spec.types ?? {}) }, levels: { ...(spec.levels ?? {}) } };
  const source = spec.schemaSource ?? (spec.schema.name ? `the schema of ${spec.schema.name}` : 'the schema');
  const schema = validateSchema(spec.schema, source);
  checkSchemaFits(schema, names, nrow, source);
  const merged = mergeSpecs(schemaToSpec(schema), user);
  checkSpec(merged, names);
  return merged;
}
