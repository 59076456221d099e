// SB Static_MAC_Binding (build_static_mac_binding_table): every NB
// Static_MAC_Binding on a router port becomes an SB row on that router's
// datapath, which ovn-controller installs as a fixed neighbour entry.  An NB
// row on any other port writes nothing but keeps an SB row of that port and
// IP alive (the reference deletes only SB rows without an NB row).
//
// Incremental: an NB row on the same router keeps its desired object, and an
// unchanged result keeps its map.
import type { NbStaticMACBinding } from '../model/nb.js';
import { KEEP_SB_ROW, type DesiredStaticMacBinding } from './desired.js';
import type { Topology } from './topology.js';

/** The natural key of a (static) MAC binding. */
export function staticMacBindingKey(logicalPort: string, ip: string): string {
  return `${logicalPort}\u0000${ip}`;
}

type Want = DesiredStaticMacBinding | typeof KEEP_SB_ROW;

/** The router (NB UUID) that owns a port name: a router port or a chassisredirect port. */
function routerOfPort(topo: Pick<Topology, 'lrpByName' | 'routers'>, crRouters: () => ReadonlyMap<string, string>, name: string): string | undefined {
  return topo.lrpByName.get(name)?.routerUuid ?? crRouters().get(name);
}

export class StaticMacBindingSync {
  private rows = new Map<string, { nb: NbStaticMACBinding; router: string | undefined; want: Want }>();
  private out: ReadonlyMap<string, Want> = new Map();

  update(nb: { Static_MAC_Binding: ReadonlyMap<string, NbStaticMACBinding> }, topo: Pick<Topology, 'lrpByName' | 'routers'>): ReadonlyMap<string, Want> {
    const table = nb.Static_MAC_Binding;
    if (!table.size && !this.rows.size) return this.out;
    let cr: Map<string, string> | undefined;
    const crRouters = (): ReadonlyMap<string, string> => {
      if (!cr) {
        cr = new Map();
        for (const r of topo.routers) for (const rp of r.l3dgwPorts) cr.set(rp.crName!, r.uuid);
      }
      return cr;
    };
    const rows = new Map<string, { nb: NbStaticMACBinding; router: string | undefined; want: Want }>();
    let changed = false;
    for (const smb of table.values()) {
      const key = staticMacBindingKey(smb.logical_port, smb.ip);
      // (logical_port, ip) is an NB index: one row per key.
      if (rows.has(key)) continue;
      const router = routerOfPort(topo, crRouters, smb.logical_port);
      const prev = this.rows.get(key);
      if (prev && prev.nb === smb && prev.router === router) {
        rows.set(key, prev);
        continue;
      }
      changed = true;
      const want: Want =
        router === undefined
          ? KEEP_SB_ROW
          : { logical_port: smb.logical_port, ip: smb.ip, mac: smb.mac, override_dynamic_mac: smb.override_dynamic_mac, datapath: router };
      rows.set(key, { nb: smb, router, want });
    }
    if (!changed && rows.size === this.rows.size) {
      this.rows = rows;
      return this.out;
    }
    this.rows = rows;
    this.out = new Map([...rows].map(([k, r]) => [k, r.want] as const));
    return this.out;
  }
}
