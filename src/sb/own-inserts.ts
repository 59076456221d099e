// The rows a transaction inserts, kept by the client so that the server need
// not echo them back: every insert gets its UUID from us ("uuid" beside
// "uuid-name", an OVSDB extension since Open vSwitch 2.13), and the rows of
// the echo-free tables are kept in replica form (references resolved). The SB
// replica monitors those tables with `insertColumns`, so an insert
// notification carries one column, and completes it from these rows; an
// insert nobody here made stays partial, matches no desired row, and the next
// full diff deletes it (the reference deletes foreign flows too).
import { randomUUID } from 'node:crypto';
import { NamedUuid, type Row } from '../ovsdb/datum.js';
import type { MonitorRequests } from '../ovsdb/session.js';
import type { DatabaseSchema } from '../ovsdb/schema.js';

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

export class OwnInserts {
  /** UUID → the row as the replica holds it. */
  readonly rows = new Map<string, Row>();
  private readonly byTable = new Map<string, Row[]>();
  constructor(
    readonly schema: DatabaseSchema,
    readonly tables: ReadonlySet<string> = ECHO_FREE_TABLES,
    /** New row UUIDs (random; tests may pass a deterministic source). */
    readonly newUuid: () => string = randomUUID,
  ) {}

  add(table: string, row: Row): void {
    this.rows.set(row._uuid, row);
    let list = this.byTable.get(table);
    if (!list) this.byTable.set(table, (list = []));
    list.push(row);
  }

  /** The rows inserted into `table`. */
  rowsOf(table: string): readonly Row[] {
    return this.byTable.get(table) ?? [];
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
