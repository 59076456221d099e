/** Typed metadata parsed from an `.ovsschema` document (RFC 7047 §3.2). */

export type AtomicType = 'integer' | 'real' | 'boolean' | 'string' | 'uuid';

export interface BaseType {
  readonly type: AtomicType;
  /** Allowed values, when the schema restricts them. */
  readonly enum?: readonly (number | boolean | string)[];
  readonly minInteger?: number;
  readonly maxInteger?: number;
  readonly minReal?: number;
  readonly maxReal?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly refTable?: string;
  readonly refType?: 'strong' | 'weak';
}

export interface ColumnType {
  readonly key: BaseType;
  readonly value?: BaseType;
  readonly min: number;
  /** A number, or Infinity for "unlimited". */
  readonly max: number;
}

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  readonly ephemeral: boolean;
  readonly mutable: boolean;
  /** How the column is represented in JS (see datum.ts). */
  readonly kind: 'scalar' | 'optional' | 'set' | 'map';
}

export interface TableSchema {
  readonly name: string;
  readonly columns: Readonly<Record<string, ColumnSchema>>;
  /** Column names excluding `_uuid` and `_version`. */
  readonly columnNames: readonly string[];
  readonly isRoot: boolean;
  readonly maxRows?: number;
  readonly indexes: readonly (readonly string[])[];
}

export interface DatabaseSchema {
  readonly name: string;
  readonly version: string;
  readonly cksum?: string;
  readonly tables: Readonly<Record<string, TableSchema>>;
  /** The JSON the schema was parsed from. */
  readonly json: unknown;
}

export class SchemaError extends Error {
  override name = 'SchemaError';
}

const ATOMIC_TYPES: ReadonlySet<string> = new Set(['integer', 'real', 'boolean', 'string', 'uuid']);

function parseBaseType(json: unknown, where: string): BaseType {
  if (typeof json === 'string') {
    if (!ATOMIC_TYPES.has(json)) throw new SchemaError(`${where}: unknown atomic type ${json}`);
    return { type: json as AtomicType };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SchemaError(`${where}: bad base type`);
  }
  const o = json as Record<string, unknown>;
  const type = o['type'];
  if (typeof type !== 'string' || !ATOMIC_TYPES.has(type)) throw new SchemaError(`${where}: bad atomic type`);
  const base: { -readonly [K in keyof BaseType]: BaseType[K] } = { type: type as AtomicType };
  if (o['enum'] !== undefined) {
    const e = o['enum'];
    // An enum is a set datum: either a single atom or ["set", [...]].
    if (Array.isArray(e) && e[0] === 'set' && Array.isArray(e[1])) base.enum = e[1] as (string | number | boolean)[];
    else base.enum = [e as string | number | boolean];
  }
  for (const k of ['minInteger', 'maxInteger', 'minReal', 'maxReal', 'minLength', 'maxLength'] as const) {
    if (typeof o[k] === 'number') base[k] = o[k] as number;
  }
  if (typeof o['refTable'] === 'string') {
    base.refTable = o['refTable'] as string;
    base.refType = o['refType'] === 'weak' ? 'weak' : 'strong';
  }
  return base;
}

export function parseColumnType(json: unknown, where = 'column'): ColumnType {
  if (typeof json === 'string') {
    return { key: parseBaseType(json, where), min: 1, max: 1 };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SchemaError(`${where}: bad column type`);
  }
  const o = json as Record<string, unknown>;
  const key = parseBaseType(o['key'], `${where}.key`);
  const value = o['value'] !== undefined ? parseBaseType(o['value'], `${where}.value`) : undefined;
  const min = o['min'] === undefined ? 1 : Number(o['min']);
  const rawMax = o['max'];
  const max = rawMax === undefined ? 1 : rawMax === 'unlimited' ? Infinity : Number(rawMax);
  if (!(min === 0 || min === 1) || !(max >= 1) || min > max) {
    throw new SchemaError(`${where}: bad min/max`);
  }
  return value ? { key, value, min, max } : { key, min, max };
}

export function columnKind(type: ColumnType): ColumnSchema['kind'] {
  if (type.value) return 'map';
  if (type.max === 1) return type.min === 1 ? 'scalar' : 'optional';
  return 'set';
}

const UUID_COLUMN: ColumnSchema = {
  name: '_uuid',
  type: { key: { type: 'uuid' }, min: 1, max: 1 },
  ephemeral: false,
  mutable: false,
  kind: 'scalar',
};
const VERSION_COLUMN: ColumnSchema = { ...UUID_COLUMN, name: '_version' };

/** Parse a schema document (the JSON of an `.ovsschema` file or a `get_schema` reply). */
export function parseSchema(json: unknown): DatabaseSchema {
  if (typeof json !== 'object' || json === null) throw new SchemaError('schema is not an object');
  const o = json as Record<string, unknown>;
  if (typeof o['name'] !== 'string') throw new SchemaError('schema has no name');
  const tablesJson = o['tables'];
  if (typeof tablesJson !== 'object' || tablesJson === null) throw new SchemaError('schema has no tables');
  const tables: Record<string, TableSchema> = {};
  for (const [tname, tjson] of Object.entries(tablesJson as Record<string, unknown>)) {
    const t = tjson as Record<string, unknown>;
    const columns: Record<string, ColumnSchema> = { _uuid: UUID_COLUMN, _version: VERSION_COLUMN };
    const columnNames: string[] = [];
    for (const [cname, cjson] of Object.entries((t['columns'] ?? {}) as Record<string, unknown>)) {
      const c = cjson as Record<string, unknown>;
      const type = parseColumnType(c['type'], `${tname}.${cname}`);
      columns[cname] = {
        name: cname,
        type,
        ephemeral: c['ephemeral'] === true,
        mutable: c['mutable'] !== false,
        kind: columnKind(type),
      };
      columnNames.push(cname);
    }
    tables[tname] = {
      name: tname,
      columns,
      columnNames,
      isRoot: t['isRoot'] === true,
      ...(typeof t['maxRows'] === 'number' ? { maxRows: t['maxRows'] as number } : {}),
      indexes: (Array.isArray(t['indexes']) ? t['indexes'] : []) as string[][],
    };
  }
  return {
    name: o['name'] as string,
    version: typeof o['version'] === 'string' ? (o['version'] as string) : '',
    ...(typeof o['cksum'] === 'string' ? { cksum: o['cksum'] as string } : {}),
    tables,
    json,
  };
}
