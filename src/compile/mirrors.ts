// SB Mirror (sync_mirrors): every NB Mirror copied by name (filter, index, sink, type), and a
// logical switch port's Port_Binding.mirror_rules naming the SB rows of the NB mirrors in its
// mirror_rules (bindings.ts).  ovn-controller mirrors the port's traffic to the sink.
//
// Incremental: the same NB table gives the same map; an unchanged row keeps its object.
import type { NbMirror } from '../model/nb.js';

export interface DesiredMirror {
  readonly filter: string;
  readonly index: number;
  readonly sink: string;
  readonly type: string;
}

export class MirrorSync {
  private table: ReadonlyMap<string, NbMirror> | undefined;
  private out: ReadonlyMap<string, DesiredMirror> = new Map();
  private readonly rows = new WeakMap<NbMirror, DesiredMirror>();

  update(nb: { Mirror: ReadonlyMap<string, NbMirror> }): ReadonlyMap<string, DesiredMirror> {
    if (nb.Mirror === this.table) return this.out;
    this.table = nb.Mirror;
    const out = new Map<string, DesiredMirror>();
    for (const m of nb.Mirror.values()) {
      if (out.has(m.name)) continue;
      let d = this.rows.get(m);
      if (!d) this.rows.set(m, (d = { filter: m.filter, index: m.index, sink: m.sink, type: m.type }));
      out.set(m.name, d);
    }
    this.out = out;
    return out;
  }
}
