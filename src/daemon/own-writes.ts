// Recognises the monitor updates that merely echo our own transactions, so
// that writing the SB (and the NB write-back) does not trigger another full
// run. A change is ours when it is an insert into a table we inserted into
// (up to the number of rows we inserted), an update of a row we updated that
// changed no column we did not write, or a delete of a row we deleted.
// Anything else — including a foreign change merged into the same
// notification — is not explained, and the caller runs again.
import type { Operation } from '../ovsdb/operations.js';
import { datumEqual } from '../ovsdb/datum.js';
import type { TableChanges } from '../replica/index.js';

/** Tables whose rows the server removes by itself when nothing refers to them any more. */
const GARBAGE_COLLECTED = new Set(['Logical_DP_Group', 'Meter_Band', 'Gateway_Chassis', 'HA_Chassis']);

function uuidOf(where: readonly (readonly [string, string, unknown])[]): string | undefined {
  const w = where.find(([c, f]) => c === '_uuid' && f === '==');
  return typeof w?.[2] === 'string' ? w[2] : undefined;
}

export class OwnWrites {
  private readonly inserts = new Map<string, number>();
  private readonly updates = new Map<string, Set<string>>();
  private readonly deletes = new Set<string>();

  record(operations: readonly Operation[]): void {
    for (const op of operations) {
      if (op.op === 'insert') this.inserts.set(op.table, (this.inserts.get(op.table) ?? 0) + 1);
      else if (op.op === 'update') {
        const uuid = uuidOf(op.where as never);
        if (!uuid) continue;
        const cols = this.updates.get(uuid) ?? new Set<string>();
        for (const c of Object.keys(op.row)) cols.add(c);
        this.updates.set(uuid, cols);
      } else if (op.op === 'delete') {
        const uuid = uuidOf(op.where as never);
        if (uuid) this.deletes.add(uuid);
      }
    }
  }

  /** True when every change of this batch is one of ours (consumes the matched inserts). */
  explains(changes: Readonly<Record<string, TableChanges>>): boolean {
    for (const [table, ch] of Object.entries(changes)) {
      if (ch.inserted.size) {
        const left = (this.inserts.get(table) ?? 0) - ch.inserted.size;
        if (left < 0) return false;
        this.inserts.set(table, left);
      }
      for (const [uuid] of ch.deleted) if (!this.deletes.has(uuid) && !GARBAGE_COLLECTED.has(table)) return false;
      for (const [uuid, { old, new: cur }] of ch.updated) {
        const mine = this.updates.get(uuid);
        if (!mine) return false;
        for (const col of Object.keys(cur)) {
          if (col !== '_uuid' && !mine.has(col) && !datumEqual(old[col], cur[col])) return false;
        }
      }
    }
    return true;
  }
}
