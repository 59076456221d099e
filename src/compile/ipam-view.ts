// The NB switch ports as the rest of the compile sees them once IPAM ran: the ports whose
// dynamic_addresses IPAM assigns, changes or clears carry the new value (the reference sets
// it in its in-memory NB row in the same run, and writes it back).  The same table while
// IPAM writes nothing; otherwise a copy with just those rows replaced.
import type { NbLogicalSwitchPort } from '../model/nb.js';
import { ShardedMap } from '../replica/sharded-map.js';
import type { IpamResult } from './ipam.js';

export class IpamView {
  private last: { src: unknown; ipam: IpamResult; out: ReadonlyMap<string, NbLogicalSwitchPort> } | undefined;
  /** Replaced rows by their source row: the same object while the row and the value are (units compare rows by identity). */
  private readonly rows = new WeakMap<NbLogicalSwitchPort, { value: string | undefined; row: NbLogicalSwitchPort }>();

  view(src: ReadonlyMap<string, NbLogicalSwitchPort>, ipam: IpamResult): ReadonlyMap<string, NbLogicalSwitchPort> {
    if (!ipam.writes.size) return src;
    if (this.last && this.last.src === src && this.last.ipam === ipam) return this.last.out;
    const byName = new Map<string, NbLogicalSwitchPort>();
    for (const p of src.values()) if (ipam.writes.has(p.name)) byName.set(p.name, p);
    const base = src instanceof ShardedMap ? src : ShardedMap.from(src);
    const e = base.edit();
    for (const [name, value] of ipam.writes) {
      const p = byName.get(name);
      if (!p) continue;
      let r = this.rows.get(p);
      if (!r || r.value !== value) this.rows.set(p, (r = { value, row: Object.freeze({ ...p, dynamic_addresses: value }) }));
      e.set(p._uuid, r.row);
    }
    const out = e.finish();
    this.last = { src, ipam, out };
    return out;
  }
}
