// The rows a transaction inserts, kept by the client so that the server need
// not echo them back: every insert gets its UUID from us ("uuid" beside
// "uuid-name", an OVSDB extension since Open vSwitch 2.13), and the rows of
// the echo-free tables are kept in replica form (references resolved). The SB
// replica monitors those tables with `insertColumns`, so an insert
// notification carries one column, and completes it from these rows; an
// insert nobody here made stays partial, matches no desired row, and the next
// full diff deletes it (the reference deletes foreign flows too).
import { randomBytes } from 'node:crypto';
import { NamedUuid, rowOfValues, type Row } from '../ovsdb/datum.js';
import type { MonitorRequests } from '../ovsdb/session.js';
import type { DatabaseSchema, TableSchema } from '../ovsdb/schema.js';

/**
 * SB tables whose inserts are not echoed in full: a cold start's bulk, inserted by northd
 * alone (ovn-controller updates Port_Binding rows; those notifications stay whole).
 */
export const ECHO_FREE_REQUESTS: MonitorRequests = {
  Logical_Flow: { insertColumns: ['table_id'] },
  Port_Binding: { insertColumns: ['tunnel_key'] },
  Multicast_Group: { insertColumns: ['tunnel_key'] },
};
export const ECHO_FREE_TABLES: ReadonlySet<string> = new Set(Object.keys(ECHO_FREE_REQUESTS));

/**
 * UUIDs for one transaction's new rows, and the kept rows by UUID without a
 * hash map (a cold start inserts ≈ 90,000): the last 12 hex digits are the
 * row's index, the 16 in the middle are random per transaction, the first 8
 * a scramble of the index (rows still sort, and hash, as if random).
 *
 * A row is kept as the values sent and turned into its replica form (every
 * column, sets sorted) when first asked for, or by `build()` while the server
 * commits: a cold start's rows then cost nothing before the transaction goes.
 */
export class OwnInserts {
  /** By index: the replica row once built. */
  private readonly rows: (Row | undefined)[] = [];
  /** By index: the values sent, until the row is built. */
  private readonly values: (Readonly<Record<string, unknown>> | undefined)[] = [];
  /** By index: the row's table. */
  private readonly tableOf: (TableSchema | undefined)[] = [];
  private readonly byTable = new Map<string, number[]>();
  private readonly middle: string;
  private readonly salt: number;
  private count = 0;
  /** Rows before this index are all built. */
  private builtUpTo = 0;
  constructor(
    readonly schema: DatabaseSchema,
    readonly tables: ReadonlySet<string> = ECHO_FREE_TABLES,
  ) {
    const r = randomBytes(12);
    const hex = r.toString('hex');
    // Version 4, RFC 4122 variant, like a random UUID.
    this.middle = `-${hex.slice(0, 4)}-4${hex.slice(4, 7)}-${((parseInt(hex[7]!, 16) & 3) | 8).toString(16)}${hex.slice(8, 11)}-`;
    this.salt = r.readUInt32LE(8);
  }

  /** A UUID for the next new row. */
  newUuid(): string {
    return this.uuidAt(this.count++);
  }

  /** Keeps the row `uuid` (from newUuid()) inserted into `table` with these values (references resolved). */
  add(table: string, uuid: string, values: Readonly<Record<string, unknown>>): void {
    const i = this.indexOf(uuid);
    if (i === undefined) throw new Error(`${uuid} is not a UUID of this transaction`);
    const t = this.schema.tables[table];
    if (!t) throw new Error(`schema has no table ${table}`);
    this.values[i] = values;
    this.tableOf[i] = t;
    this.rows[i] = undefined;
    let list = this.byTable.get(table);
    if (!list) this.byTable.set(table, (list = []));
    list.push(i);
  }

  /** The kept row with this UUID. */
  get(uuid: string): Row | undefined {
    const i = this.indexOf(uuid);
    return i === undefined ? undefined : this.rowAt(i);
  }

  /** Rows kept. */
  get size(): number {
    let n = 0;
    for (const list of this.byTable.values()) n += list.length;
    return n;
  }

  /** The rows inserted into `table`. */
  rowsOf(table: string): readonly Row[] {
    return (this.byTable.get(table) ?? []).map((i) => this.rowAt(i)!);
  }

  /** Builds up to `max` rows not built yet; false once all are. */
  build(max: number): boolean {
    const end = Math.min(this.count, this.builtUpTo + max);
    for (let i = this.builtUpTo; i < end; i++) this.rowAt(i);
    this.builtUpTo = end;
    return end < this.count;
  }

  private rowAt(i: number): Row | undefined {
    const r = this.rows[i];
    if (r !== undefined) return r;
    const v = this.values[i];
    if (v === undefined) return undefined;
    const row = rowOfValues(this.tableOf[i]!, this.uuidAt(i), v);
    this.rows[i] = row;
    this.values[i] = undefined;
    return row;
  }

  private uuidAt(i: number): string {
    const head = ((Math.imul(i + 1, 0x9e3779b1) ^ this.salt) >>> 0).toString(16).padStart(8, '0');
    return head + this.middle + i.toString(16).padStart(12, '0');
  }

  private indexOf(uuid: string): number | undefined {
    if (uuid.length !== 36 || !uuid.startsWith(this.middle, 8)) return undefined;
    const i = parseInt(uuid.slice(24), 16);
    return i < this.count ? i : undefined;
  }
}

/** A column value with every named-uuid replaced by the UUID given to that row. */
export function resolveRefs(v: unknown, uuidOf: (name: string) => string): unknown {
  if (v instanceof NamedUuid) return uuidOf(v.name);
  if (Array.isArray(v)) return v.some((x) => typeof x === 'object' && x !== null) ? v.map((x) => resolveRefs(x, uuidOf)) : v;
  if (typeof v === 'object' && v !== null) {
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      if (x instanceof NamedUuid) (out ??= { ...(v as Record<string, unknown>) })[k] = uuidOf(x.name);
    }
    return out ?? v;
  }
  return v;
}
