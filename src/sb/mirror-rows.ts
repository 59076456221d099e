// SB Mirror rows by name, synced before the Port_Bindings whose mirror_rules refer to them
// (a weak reference: a row deleted by someone else drops out of the bindings by itself).
// The full diff compares every row; the incremental one only the names whose desired row or
// SB rows changed.
import type { SbView } from '../compile/context.js';
import type { DesiredMirror } from '../compile/mirrors.js';
import type { SbMirror } from '../model/sb.js';
import type { OpBuilder, Ref } from './differ.js';

function syncMirror(b: OpBuilder, have: SbMirror | undefined, name: string, want: DesiredMirror): Ref {
  return b.sync('Mirror', have, { name, filter: want.filter, index: want.index, sink: want.sink, type: want.type });
}

/** Every row compared (the full diff); returns the rows' references by name. */
export function syncMirrorsFull(b: OpBuilder, sb: SbView, want: ReadonlyMap<string, DesiredMirror>): Map<string, Ref> {
  const byName = new Map<string, SbMirror>();
  for (const row of sb.Mirror.values()) {
    if (!want.has(row.name) || byName.has(row.name)) b.delete('Mirror', row._uuid);
    else byName.set(row.name, row);
  }
  const refs = new Map<string, Ref>();
  for (const [name, w] of want) refs.set(name, syncMirror(b, byName.get(name), name, w));
  return refs;
}

/** Only `names` compared; returns the references of the rows it kept or inserted. */
export function syncMirrorKeys(
  b: OpBuilder,
  want: ReadonlyMap<string, DesiredMirror>,
  names: Iterable<string>,
  rowsOf: (name: string) => readonly SbMirror[],
  onWrite: (name: string) => void,
): Map<string, Ref> {
  const refs = new Map<string, Ref>();
  for (const name of names) {
    const before = b.ops.length;
    const w = want.get(name);
    const have = b.keepFirst('Mirror', rowsOf(name), w !== undefined);
    if (w) refs.set(name, syncMirror(b, have, name, w));
    if (b.ops.length !== before) onWrite(name);
  }
  return refs;
}
