/**
 * Typed builders for `transact` operations (RFC 7047 §5.2). Values are given
 * in the JS representation of datum.ts and encoded with the schema when the
 * transaction is sent.
 */
import type { DatabaseSchema, TableSchema, ColumnSchema } from './schema.js';
import { DatumError, decodeRow, encodeAtom, encodeDatum, encodeMap, encodeRow, encodeSet } from './datum.js';
import type { Row } from './datum.js';

export type ConditionFunction = '<' | '<=' | '==' | '!=' | '>=' | '>' | 'includes' | 'excludes';
/** `[column, function, value]`; `_uuid` may be used as a column. */
export type Condition = readonly [column: string, fn: ConditionFunction, value: unknown];
export type Mutator = '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete';
export type Mutation = readonly [column: string, mutator: Mutator, value: unknown];

export type Operation =
  | {
      readonly op: 'insert';
      readonly table: string;
      readonly row: Readonly<Record<string, unknown>>;
      readonly uuidName?: string;
      readonly uuid?: string;
      /** The whole operation already encoded as JSON text (then `row` may be left empty). */
      readonly encoded?: string;
    }
  | { readonly op: 'select'; readonly table: string; readonly where: readonly Condition[]; readonly columns?: readonly string[] }
  | { readonly op: 'update'; readonly table: string; readonly where: readonly Condition[]; readonly row: Readonly<Record<string, unknown>> }
  | { readonly op: 'mutate'; readonly table: string; readonly where: readonly Condition[]; readonly mutations: readonly Mutation[] }
  | { readonly op: 'delete'; readonly table: string; readonly where: readonly Condition[] }
  | {
      readonly op: 'wait';
      readonly table: string;
      readonly where: readonly Condition[];
      readonly columns: readonly string[];
      readonly until: '==' | '!=';
      readonly rows: readonly Readonly<Record<string, unknown>>[];
      readonly timeout?: number;
    }
  | { readonly op: 'commit'; readonly durable: boolean }
  | { readonly op: 'abort' }
  | { readonly op: 'comment'; readonly comment: string }
  | { readonly op: 'assert'; readonly lock: string };

/** Builders for operations. */
export const ops = {
  insert(table: string, row: Readonly<Record<string, unknown>>, uuidName?: string): Operation {
    return uuidName !== undefined ? { op: 'insert', table, row, uuidName } : { op: 'insert', table, row };
  },
  select(table: string, where: readonly Condition[] = [], columns?: readonly string[]): Operation {
    return columns ? { op: 'select', table, where, columns } : { op: 'select', table, where };
  },
  update(table: string, where: readonly Condition[], row: Readonly<Record<string, unknown>>): Operation {
    return { op: 'update', table, where, row };
  },
  mutate(table: string, where: readonly Condition[], mutations: readonly Mutation[]): Operation {
    return { op: 'mutate', table, where, mutations };
  },
  delete(table: string, where: readonly Condition[]): Operation {
    return { op: 'delete', table, where };
  },
  wait(
    table: string,
    where: readonly Condition[],
    columns: readonly string[],
    until: '==' | '!=',
    rows: readonly Readonly<Record<string, unknown>>[],
    timeout?: number,
  ): Operation {
    return timeout !== undefined
      ? { op: 'wait', table, where, columns, until, rows, timeout }
      : { op: 'wait', table, where, columns, until, rows };
  },
  /**
   * Verify-style wait: the transaction fails (error "timed out") unless the
   * row with `uuid` still has exactly the given column values, as the C
   * IDL's ovsdb_idl_txn_verify() does for the columns it read.
   */
  verify(table: string, uuid: string, expected: Readonly<Record<string, unknown>>): Operation {
    return {
      op: 'wait',
      table,
      where: [['_uuid', '==', uuid]],
      columns: Object.keys(expected),
      until: '==',
      rows: [expected],
      timeout: 0,
    };
  },
  commit(durable = false): Operation {
    return { op: 'commit', durable };
  },
  abort(): Operation {
    return { op: 'abort' };
  },
  comment(comment: string): Operation {
    return { op: 'comment', comment };
  },
  assert(lock: string): Operation {
    return { op: 'assert', lock };
  },
} as const;

function table(schema: DatabaseSchema, name: string): TableSchema {
  const t = schema.tables[name];
  if (!t) throw new DatumError(`database ${schema.name} has no table ${name}`);
  return t;
}

function column(t: TableSchema, name: string): ColumnSchema {
  const c = t.columns[name];
  if (!c) throw new DatumError(`table ${t.name} has no column ${name}`);
  return c;
}

export function encodeCondition(t: TableSchema, c: Condition | boolean): unknown {
  if (typeof c === 'boolean') return c;
  const [name, fn, value] = c;
  const col = column(t, name);
  try {
    return [name, fn, encodeDatum(col, value)];
  } catch (e) {
    throw new DatumError(`condition on ${t.name}.${name}: ${(e as Error).message}`);
  }
}

function encodeMutation(t: TableSchema, m: Mutation): unknown {
  const [name, mutator, value] = m;
  const col = column(t, name);
  try {
    if (mutator === 'insert' || mutator === 'delete') {
      if (col.kind === 'map') {
        // delete from a map accepts a set of keys (an array of non-pairs) or a map.
        const isKeyList =
          mutator === 'delete' &&
          Array.isArray(value) &&
          value.every((x) => !Array.isArray(x));
        if (isKeyList) return [name, mutator, encodeSet(col.type.key, value)];
        if (mutator === 'delete' && !Array.isArray(value) && typeof value !== 'object') {
          return [name, mutator, encodeSet(col.type.key, value)];
        }
        return [name, mutator, encodeMap(col.type, value)];
      }
      return [name, mutator, encodeSet(col.type.key, value)];
    }
    return [name, mutator, encodeAtom(col.type.key, value)];
  } catch (e) {
    throw new DatumError(`mutation of ${t.name}.${name}: ${(e as Error).message}`);
  }
}

/** Encode one operation into its wire form. */
export function encodeOperation(schema: DatabaseSchema, o: Operation): Record<string, unknown> {
  switch (o.op) {
    case 'insert': {
      const t = table(schema, o.table);
      const out: Record<string, unknown> = { op: 'insert', table: o.table, row: encodeRow(t, o.row) };
      if (o.uuidName !== undefined) out['uuid-name'] = o.uuidName;
      if (o.uuid !== undefined) out['uuid'] = o.uuid;
      return out;
    }
    case 'select': {
      const t = table(schema, o.table);
      const out: Record<string, unknown> = { op: 'select', table: o.table, where: o.where.map((c) => encodeCondition(t, c)) };
      if (o.columns) out['columns'] = [...o.columns];
      return out;
    }
    case 'update': {
      const t = table(schema, o.table);
      return { op: 'update', table: o.table, where: o.where.map((c) => encodeCondition(t, c)), row: encodeRow(t, o.row) };
    }
    case 'mutate': {
      const t = table(schema, o.table);
      return {
        op: 'mutate',
        table: o.table,
        where: o.where.map((c) => encodeCondition(t, c)),
        mutations: o.mutations.map((m) => encodeMutation(t, m)),
      };
    }
    case 'delete': {
      const t = table(schema, o.table);
      return { op: 'delete', table: o.table, where: o.where.map((c) => encodeCondition(t, c)) };
    }
    case 'wait': {
      const t = table(schema, o.table);
      const out: Record<string, unknown> = {
        op: 'wait',
        table: o.table,
        where: o.where.map((c) => encodeCondition(t, c)),
        columns: [...o.columns],
        until: o.until,
        rows: o.rows.map((r) => encodeRow(t, r)),
      };
      if (o.timeout !== undefined) out['timeout'] = o.timeout;
      return out;
    }
    case 'commit':
      return { op: 'commit', durable: o.durable };
    case 'abort':
      return { op: 'abort' };
    case 'comment':
      return { op: 'comment', comment: o.comment };
    case 'assert':
      return { op: 'assert', lock: o.lock };
  }
}

/** Decoded result of one operation. */
export interface OperationResult {
  /** insert: the new row's UUID. */
  readonly uuid?: string;
  /** update/mutate/delete: rows affected. */
  readonly count?: number;
  /** select: the rows (decoded, with the selected columns only). */
  readonly rows?: readonly Row[];
  /** Raw result object as returned by the server. */
  readonly raw: unknown;
}

/** Decode the result of operation `o` (which did not fail). */
export function decodeOperationResult(schema: DatabaseSchema, o: Operation, raw: unknown): OperationResult {
  const r = (raw ?? {}) as Record<string, unknown>;
  const out: { -readonly [K in keyof OperationResult]: OperationResult[K] } = { raw };
  if (Array.isArray(r['uuid']) && typeof r['uuid'][1] === 'string') out.uuid = r['uuid'][1] as string;
  if (typeof r['count'] === 'number') out.count = r['count'] as number;
  if (Array.isArray(r['rows']) && o.op === 'select') {
    const t = table(schema, o.table);
    out.rows = (r['rows'] as Record<string, unknown>[]).map((row) => {
      const cols = o.columns ? o.columns.filter((c) => c !== '_uuid' && c !== '_version') : t.columnNames;
      const uuidJson = row['_uuid'];
      const uuid = Array.isArray(uuidJson) && typeof uuidJson[1] === 'string' ? (uuidJson[1] as string) : '';
      return decodeRow(t, uuid, row, cols);
    });
  }
  return out;
}
