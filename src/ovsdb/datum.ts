/**
 * Schema-aware conversion between OVSDB's JSON datum notation (RFC 7047 §5.1)
 * and plain JS values.
 *
 * JS representation of a column value (a contract other modules rely on):
 * - integer/real → number, boolean → boolean, string → string, uuid → string;
 * - set with max 1 and min 1 → the scalar; min 0 → the scalar or `undefined`;
 * - set with max > 1 → `readonly T[]`, sorted;
 * - map with string keys → `Readonly<Record<string, V>>` (keys inserted in
 *   sorted order); other maps → `ReadonlyArray<[K, V]>` sorted by key;
 * - every decoded row has `_uuid: string`.
 * Wherever a uuid is encoded, `namedUuid("name")` may be used instead of a
 * UUID string to refer to a row inserted with that `uuid-name` in the same
 * transaction.
 */
import type { AtomicType, BaseType, ColumnSchema, ColumnType, TableSchema } from './schema.js';

export class DatumError extends Error {
  override name = 'DatumError';
}

/** Marker for a `["named-uuid", name]` reference. */
export class NamedUuid {
  constructor(readonly name: string) {}
  toJSON(): unknown {
    return ['named-uuid', this.name];
  }
}

/** Refer to a row inserted in the same transaction under `uuid-name` = name. */
export function namedUuid(name: string): NamedUuid {
  return new NamedUuid(name);
}

export type Atom = number | boolean | string;
export type AtomInput = Atom | NamedUuid;

/** A decoded row. Column values follow the representation described above. */
export interface Row {
  readonly _uuid: string;
  readonly [column: string]: unknown;
}

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ID_RE = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID_RE.test(s);
}

// ---------------------------------------------------------------- comparison

/** Total order on atoms of one type (numbers numerically, strings by code unit). */
export function compareAtoms(a: Atom, b: Atom): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Deep equality of decoded column values (atoms, arrays, records). */
export function datumEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN == NaN for our purposes.
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!datumEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!datumEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Equality of two decoded rows over all their own properties. */
export function rowsEqual(a: Row, b: Row): boolean {
  return datumEqual(a, b);
}

// ---------------------------------------------------------------- decoding

export function decodeAtom(base: BaseType, json: unknown): Atom {
  switch (base.type) {
    case 'integer':
      if (typeof json === 'number' && Number.isInteger(json)) return json;
      break;
    case 'real':
      if (typeof json === 'number') return json;
      break;
    case 'boolean':
      if (typeof json === 'boolean') return json;
      break;
    case 'string':
      if (typeof json === 'string') return json;
      break;
    case 'uuid':
      if (Array.isArray(json) && json.length === 2 && json[0] === 'uuid' && typeof json[1] === 'string') {
        return json[1];
      }
      break;
  }
  throw new DatumError(`expected ${base.type} atom, got ${JSON.stringify(json)}`);
}

function isSetJson(json: unknown): json is ['set', unknown[]] {
  return Array.isArray(json) && json.length === 2 && json[0] === 'set' && Array.isArray(json[1]);
}

/** Decode a set (or a single atom standing for a one-element set) into atoms, unsorted. */
export function decodeAtoms(base: BaseType, json: unknown): Atom[] {
  if (isSetJson(json)) return json[1].map((a) => decodeAtom(base, a));
  return [decodeAtom(base, json)];
}

/** Decode a `["map", [[k, v], ...]]` into pairs, unsorted. */
export function decodePairs(type: ColumnType, json: unknown): [Atom, Atom][] {
  if (!Array.isArray(json) || json.length !== 2 || json[0] !== 'map' || !Array.isArray(json[1])) {
    throw new DatumError(`expected map, got ${JSON.stringify(json)}`);
  }
  const value = type.value!;
  return json[1].map((p) => {
    if (!Array.isArray(p) || p.length !== 2) throw new DatumError(`bad map pair ${JSON.stringify(p)}`);
    return [decodeAtom(type.key, p[0]), decodeAtom(value, p[1])];
  });
}

function sortAtoms<T extends Atom>(atoms: T[]): T[] {
  return atoms.sort(compareAtoms);
}

function pairsToValue(type: ColumnType, pairs: [Atom, Atom][]): unknown {
  pairs.sort((x, y) => compareAtoms(x[0], y[0]));
  if (type.key.type === 'string') {
    return Object.fromEntries(pairs);
  }
  return pairs;
}

function atomsToValue(col: ColumnSchema, atoms: Atom[]): unknown {
  switch (col.kind) {
    case 'scalar':
      if (atoms.length !== 1) throw new DatumError(`column ${col.name}: expected exactly one value`);
      return atoms[0];
    case 'optional':
      if (atoms.length > 1) throw new DatumError(`column ${col.name}: expected at most one value`);
      return atoms[0];
    default:
      return sortAtoms(atoms);
  }
}

/** Decode a column value from its JSON datum. */
export function decodeDatum(col: ColumnSchema, json: unknown): unknown {
  if (col.kind === 'map') return pairsToValue(col.type, decodePairs(col.type, json));
  return atomsToValue(col, decodeAtoms(col.type.key, json));
}

/** The value of a column that holds its type's default datum. */
export function defaultDatum(col: ColumnSchema): unknown {
  switch (col.kind) {
    case 'scalar':
      return defaultAtom(col.type.key.type);
    case 'optional':
      return undefined;
    case 'set':
      return [];
    case 'map':
      return col.type.key.type === 'string' ? {} : [];
  }
}

function defaultAtom(t: AtomicType): Atom {
  switch (t) {
    case 'integer':
    case 'real':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
  }
}

/**
 * Decode a row's JSON object. Columns in `columns` that the JSON omits get
 * their default value (ovsdb-server omits default-valued columns in update2).
 * Unknown columns are ignored.
 */
export function decodeRow(
  table: TableSchema,
  uuid: string,
  json: Record<string, unknown>,
  columns: readonly string[] = table.columnNames,
): Row {
  const row: Record<string, unknown> = { _uuid: uuid };
  for (const name of columns) {
    const col = table.columns[name];
    if (!col) continue;
    const j = json[name];
    row[name] = j === undefined ? defaultDatum(col) : decodeDatum(col, j);
  }
  return row as Row;
}

const EMPTY_ARRAY: readonly never[] = Object.freeze([]);
const EMPTY_RECORD: Readonly<Record<string, never>> = Object.freeze({});

/**
 * The row decodeRow() makes of encodeRow(table, values): values in the JS
 * representation (references as UUID strings, no named-uuids) turned into the
 * replica form without going through the wire form. Not validated: encode the
 * same values to check them.
 */
export function rowOfValues(table: TableSchema, uuid: string, values: Readonly<Record<string, unknown>>): Row {
  const row: Record<string, unknown> = { _uuid: uuid };
  for (const name of table.columnNames) {
    const col = table.columns[name]!;
    const v = values[name];
    // Empty sets and maps: one frozen object for all (replica rows are frozen anyway).
    if (v === undefined || v === null) row[name] = col.kind === 'set' || (col.kind === 'map' && col.type.key.type !== 'string') ? EMPTY_ARRAY : col.kind === 'map' ? EMPTY_RECORD : defaultDatum(col);
    else if (col.kind === 'scalar') row[name] = v;
    else if (col.kind === 'map') row[name] = pairsToValue(col.type, [...valueToPairs(col, v)]);
    else {
      const atoms = valueToAtoms(col, v);
      row[name] = col.kind === 'optional' ? atoms[0] : sortAtoms([...atoms]);
    }
  }
  return row as Row;
}

/**
 * Apply an update2/update3 "modify" diff to one column value: scalars are
 * replaced, sets toggle the listed elements, maps add/remove/replace pairs.
 */
export function applyColumnDiff(col: ColumnSchema, old: unknown, diff: unknown): unknown {
  // "For columns with single value, the difference is the value of the new
  // column" (ovsdb-server(7)): that includes optional (0..1) columns, where
  // ovsdb-server sends the new value (an empty set for none), not a symmetric
  // difference.
  if (col.kind === 'scalar' || col.kind === 'optional') return decodeDatum(col, diff);
  if (col.kind === 'map') {
    const m = new Map<Atom, Atom>(valueToPairs(col, old));
    for (const [k, v] of decodePairs(col.type, diff)) {
      if (!m.has(k)) m.set(k, v);
      else if (m.get(k) === v) m.delete(k);
      else m.set(k, v);
    }
    return pairsToValue(col.type, [...m.entries()]);
  }
  const s = new Set<Atom>(valueToAtoms(col, old));
  for (const a of decodeAtoms(col.type.key, diff)) {
    if (s.has(a)) s.delete(a);
    else s.add(a);
  }
  return atomsToValue(col, [...s]);
}

/** Apply a whole row diff (JSON object of column diffs) to a decoded row; returns a new row. */
export function applyRowDiff(table: TableSchema, old: Row, diff: Record<string, unknown>): Row {
  const row: Record<string, unknown> = { ...old };
  for (const [name, d] of Object.entries(diff)) {
    const col = table.columns[name];
    if (!col) continue;
    row[name] = applyColumnDiff(col, old[name] === undefined && col.kind !== 'optional' ? defaultDatum(col) : old[name], d);
  }
  return row as Row;
}

function valueToAtoms(col: ColumnSchema, v: unknown): Atom[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v as Atom[];
  return [v as Atom];
}

function valueToPairs(col: ColumnSchema, v: unknown): [Atom, Atom][] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v as [Atom, Atom][];
  if (v instanceof Map) return [...(v as Map<Atom, Atom>).entries()];
  return Object.entries(v as Record<string, Atom>);
}

// ---------------------------------------------------------------- encoding

export function encodeAtom(base: BaseType, v: unknown): unknown {
  switch (base.type) {
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      break;
    case 'real':
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      break;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      break;
    case 'string':
      if (typeof v === 'string') return v;
      break;
    case 'uuid':
      if (v instanceof NamedUuid) {
        if (!ID_RE.test(v.name)) throw new DatumError(`bad named-uuid ${JSON.stringify(v.name)}`);
        return ['named-uuid', v.name];
      }
      if (isUuid(v)) return ['uuid', v];
      break;
  }
  throw new DatumError(`expected ${base.type} value, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v instanceof NamedUuid) return `namedUuid(${v.name})`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Encode a set of atoms of `base` from a JS array, a Set, a single value or undefined. */
export function encodeSet(base: BaseType, v: unknown): unknown {
  if (v === undefined || v === null) return ['set', []];
  if (Array.isArray(v)) return ['set', v.map((a) => encodeAtom(base, a))];
  if (v instanceof Set) return ['set', [...v].map((a) => encodeAtom(base, a))];
  return encodeAtom(base, v);
}

/** Encode a map from a Record, a Map or an array of [key, value] pairs. */
export function encodeMap(type: ColumnType, v: unknown): unknown {
  const value = type.value;
  if (!value) throw new DatumError('not a map type');
  let entries: [unknown, unknown][];
  if (v === undefined || v === null) entries = [];
  else if (Array.isArray(v)) entries = v as [unknown, unknown][];
  else if (v instanceof Map) entries = [...v.entries()];
  else if (typeof v === 'object') entries = Object.entries(v as Record<string, unknown>);
  else throw new DatumError(`expected map value, got ${describe(v)}`);
  return [
    'map',
    entries.map((p) => {
      if (!Array.isArray(p) || p.length !== 2) throw new DatumError(`bad map pair ${describe(p)}`);
      return [encodeAtom(type.key, p[0]), encodeAtom(value, p[1])];
    }),
  ];
}

/** Encode a column value (JS representation above) into a JSON datum. */
export function encodeDatum(col: ColumnSchema, v: unknown): unknown {
  switch (col.kind) {
    case 'scalar':
      return encodeAtom(col.type.key, v);
    case 'optional':
    case 'set':
      return encodeSet(col.type.key, v);
    case 'map':
      return encodeMap(col.type, v);
  }
}

/**
 * Encode a (partial) row for insert/update. `_uuid`/`_version` are skipped;
 * `undefined` clears an optional column and is otherwise ignored.
 */
export function encodeRow(table: TableSchema, row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(row)) {
    if (name === '_uuid' || name === '_version') continue;
    const col = table.columns[name];
    if (!col) throw new DatumError(`table ${table.name} has no column ${name}`);
    if (v === undefined && col.kind !== 'optional') continue;
    try {
      out[name] = encodeDatum(col, v);
    } catch (e) {
      throw new DatumError(`${table.name}.${name}: ${(e as Error).message}`);
    }
  }
  return out;
}
