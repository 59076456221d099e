// Shapes of the table metadata that scripts/gen-model.ts emits into
// src/model/nb.ts and src/model/sb.ts (NB_META / SB_META).
//
// The shapes deliberately mirror RFC 7047 column types: a column has a key
// base type, an optional value base type (maps), and min/max cardinality
// (max is a number, Infinity for "unlimited").  `kind` says how the column is
// represented in a JS row:
//   scalar   — min 1, max 1        → T
//   optional — min 0, max 1        → T | undefined
//   set      — max > 1             → readonly T[]
//   map      — has a value type    → Readonly<Record<string, V>>

// The base and column types are the OVSDB client's (src/ovsdb/schema.ts).
import type { AtomicType, BaseType, ColumnSchema, ColumnType } from '../ovsdb/schema.js';

export type AtomicTypeName = AtomicType;
export type BaseTypeMeta = BaseType;
export type ColumnTypeMeta = ColumnType;
export type ColumnKind = ColumnSchema['kind'];

export interface ColumnMeta {
  readonly name: string;
  readonly type: ColumnTypeMeta;
  readonly kind: ColumnKind;
  readonly ephemeral: boolean;
  readonly mutable: boolean;
}

export interface RefMeta {
  /** Column holding the reference. */
  readonly column: string;
  /** 'key' for sets/optional/scalar uuids and map keys, 'value' for map values. */
  readonly side: 'key' | 'value';
  readonly refTable: string;
  readonly refType: 'strong' | 'weak';
}

export interface TableMeta {
  readonly name: string;
  readonly isRoot: boolean;
  readonly maxRows?: number;
  readonly indexes: readonly (readonly string[])[];
  /** Column names in schema order (without _uuid/_version). */
  readonly columnNames: readonly string[];
  readonly columns: Readonly<Record<string, ColumnMeta>>;
  /** All uuid columns that reference another table. */
  readonly refs: readonly RefMeta[];
}

export interface DbMeta {
  readonly name: string;
  readonly version: string;
  readonly cksum?: string;
  readonly tableNames: readonly string[];
  readonly tables: Readonly<Record<string, TableMeta>>;
}
