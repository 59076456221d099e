// Multicast groups learnt by IGMP/MLD snooping (build_mcast_groups' IGMP part,
// build_lswitch_ip_mcast_igmp_mld and build_mcast_lookup_flows_for_lrouter of OVN 23.03.1).
// ovn-controller writes one SB IGMP_Group row per (group address, switch, chassis); northd
// aggregates them per switch into a Multicast_Group named by the address — its ports (but
// mcast_flood ports and ports towards relaying routers) and the switch's localnet ports — and
// relays them into every peer router with mcast_relay: a Multicast_Group on the router of its
// ports towards those switches (IPv4 groups, and IPv6 groups of routable scope).  The special
// address "mrouters" adds its ports to the switch's _MC_mrouter_flood.  Flows: a switch sends
// a registered group's traffic to the group (priority 90 in ls_in_l2_lkup; not 224.0.0.0/24 nor
// the IPv6 all-hosts/-routers groups; at most mcast_table_size per family), a relaying router
// routes it into the group (priority 10500 in lr_in_ip_routing).  Rows without a chassis or
// datapath, or on a datapath northd does not own, are deleted.  A group keeps its SB tunnel
// key; new ones get the first free key above the fixed groups' (per datapath, per run).
//
// Incremental: recomputed when the SB IGMP_Group, Multicast_Group or Datapath_Binding table or
// the topology changed; per-datapath results keep their objects while equal.
import type { CompileContext, Diagnostic } from './context.js';
import type { DesiredMulticastGroup } from './desired.js';
import { FlowSink, type LFlow } from './lflow.js';
import { inetPton4, inetPton6 } from '../model/ip.js';
import { LR_IN_IP_ROUTING, LS_IN_L2_LKUP } from './stages.js';
import type { Topology } from './topology.js';

/** OVN_MIN_IP_MULTICAST: the fixed groups take 32768-32772. */
const MIN_IP_MULTICAST = 32773;
const MAX_IP_MULTICAST = 65535;
const MROUTERS = 'mrouters';

interface Group {
  readonly name: string;
  readonly v4: number | undefined;
  readonly v6: bigint | undefined;
  readonly ports: Set<string>;
}

export interface IgmpResult {
  /** Multicast_Group rows of the learnt groups. */
  readonly groups: readonly DesiredMulticastGroup[];
  /** Switch UUID → ports the "mrouters" entries add to _MC_mrouter_flood. */
  readonly mrouterPorts: ReadonlyMap<string, readonly string[]>;
  /** Datapath UUID → its flows for the learnt groups (the same array while equal). */
  readonly flows: ReadonlyMap<string, readonly LFlow[]>;
  /** SB IGMP_Group UUIDs to delete. */
  readonly stale: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

const EMPTY: IgmpResult = { groups: [], mrouterPorts: new Map(), flows: new Map(), stale: [], diagnostics: [] };

/** ipv6_addr_is_routable_multicast(): a multicast address of scope other than 0-3 and F. */
function routableMulticast6(a: bigint): boolean {
  if (a >> 120n !== 0xffn) return false;
  const scope = Number((a >> 112n) & 0xfn);
  return !(scope <= 3 || scope === 0xf);
}

const ALL_HOSTS = 0xff02n << 112n | 1n;
const ALL_ROUTERS = 0xff02n << 112n | 2n;
const ALL_SITE_ROUTERS = 0xff05n << 112n | 2n;

function sameFlows(a: readonly LFlow[], b: readonly LFlow[]): boolean {
  return a.length === b.length && a.every((f, i) => f.match === b[i]!.match && f.actions === b[i]!.actions && f.priority === b[i]!.priority && f.stage === b[i]!.stage);
}

export class IgmpGroups {
  private last: { igmp: unknown; mc: unknown; dp: unknown; topo: unknown; pb: unknown; out: IgmpResult } | undefined;

  update(ctx: CompileContext, topo: Topology): IgmpResult {
    const sb = ctx.sb;
    if (!sb.IGMP_Group.size) return (this.last = undefined), EMPTY;
    const l = this.last;
    if (l && l.igmp === sb.IGMP_Group && l.mc === sb.Multicast_Group && l.dp === sb.Datapath_Binding && l.topo === topo && l.pb === sb.Port_Binding) return l.out;
    const diagnostics: Diagnostic[] = [];
    const stale: string[] = [];
    /** Datapath UUID → its groups by address text, in the order first seen. */
    const byDp = new Map<string, Map<string, Group>>();
    const mrouterPorts = new Map<string, string[]>();
    const groupOf = (dp: string, name: string, v4: number | undefined, v6: bigint | undefined): Group => {
      let m = byDp.get(dp);
      if (!m) byDp.set(dp, (m = new Map()));
      let g = m.get(name);
      if (!g) m.set(name, (g = { name, v4, v6, ports: new Set() }));
      return g;
    };
    for (const row of sb.IGMP_Group.values()) {
      const sbDp = row.datapath === undefined ? undefined : sb.Datapath_Binding.get(row.datapath);
      const nbDp = sbDp ? (sbDp.external_ids['logical-switch'] ?? sbDp.external_ids['logical-router']) : undefined;
      if (row.chassis === undefined || !sbDp || nbDp === undefined || (!topo.switchByUuid.has(nbDp) && !topo.routerByUuid.has(nbDp))) {
        stale.push(row._uuid);
        continue;
      }
      let v4: number | undefined;
      let v6: bigint | undefined;
      if (row.address !== MROUTERS) {
        v4 = inetPton4(row.address);
        v6 = v4 === undefined ? inetPton6(row.address) : undefined;
        if (v4 === undefined && v6 === undefined) {
          diagnostics.push({ level: 'warn', key: 'igmp-group-address', message: `invalid IGMP group address: ${row.address}` });
          continue;
        }
      }
      const ports: string[] = [];
      for (const u of row.ports) {
        const name = sb.Port_Binding.get(u)?.logical_port;
        const p = name === undefined ? undefined : topo.lspByName.get(name);
        if (!p) continue;
        // Already flooded: mcast_flood ports, and ports towards a relaying router.
        if (p.mcastFlood) continue;
        if (p.peer && topo.routerByUuid.get(p.peer.routerUuid)?.mcastRelay) continue;
        ports.push(p.name);
      }
      if (!ports.length) continue;
      if (row.address === MROUTERS) {
        const l = mrouterPorts.get(nbDp);
        if (l) l.push(...ports);
        else mrouterPorts.set(nbDp, [...ports]);
        continue;
      }
      const g = groupOf(nbDp, row.address, v4, v6);
      for (const p of ports) g.ports.add(p);
    }
    // Relay into the peer routers with mcast_relay.
    for (const sw of topo.switches) {
      const groups = byDp.get(sw.uuid);
      if (!groups) continue;
      for (const swp of sw.routerPorts) {
        const rp = swp.peer!;
        const rtr = topo.routerByUuid.get(rp.routerUuid);
        if (!rtr?.mcastRelay || rp.mcastFlood) continue;
        for (const g of groups.values()) {
          if (g.v4 === undefined && !routableMulticast6(g.v6!)) continue;
          groupOf(rtr.uuid, g.name, g.v4, g.v6).ports.add(rp.crName ?? rp.name);
        }
      }
    }
    // Tunnel keys: the SB row's, else the first free one (per datapath, per run).
    const sbKeys = new Map<string, number>();
    for (const m of sb.Multicast_Group.values()) {
      const d = sb.Datapath_Binding.get(m.datapath);
      const nb = d ? (d.external_ids['logical-switch'] ?? d.external_ids['logical-router']) : undefined;
      if (nb !== undefined) sbKeys.set(`${nb}|${m.name}`, m.tunnel_key);
    }
    const groups: DesiredMulticastGroup[] = [];
    const flows = new Map<string, readonly LFlow[]>();
    for (const [dp, m] of byDp) {
      const used = new Set<number>();
      const keyed: [Group, number | undefined][] = [...m.values()].map((g) => {
        const k = sbKeys.get(`${dp}|${g.name}`);
        if (k !== undefined) used.add(k);
        return [g, k];
      });
      let hint = MIN_IP_MULTICAST;
      const sw = topo.switchByUuid.get(dp);
      const f = new FlowSink();
      let n4 = 0;
      let n6 = 0;
      for (const [g, k0] of keyed) {
        let key = k0;
        if (key === undefined) {
          for (let t = hint + 1; t <= MAX_IP_MULTICAST; t++) {
            if (!used.has(t)) {
              key = t;
              break;
            }
          }
          if (key === undefined) continue;
          used.add(key);
          hint = key;
        }
        const ports = [...g.ports];
        if (sw) for (const ln of sw.localnetPorts) if (!g.ports.has(ln.name)) ports.push(ln.name);
        groups.push({ datapath: dp, name: g.name, tunnelKey: key, ports });
        if (sw) {
          // Switch: registered groups to their ports (not link-local ones), flooded to relays/static too.
          const limit = sw.mcast.tableSize;
          let match: string;
          if (g.v4 !== undefined) {
            if (((g.v4 >>> 8) << 8) >>> 0 === 0xe0000000) continue;
            if (n4 >= limit) continue;
            n4++;
            match = `eth.mcast && ip4 && ip4.dst == ${g.name} `;
          } else {
            if (g.v6 === ALL_HOSTS || g.v6 === ALL_ROUTERS || g.v6 === ALL_SITE_ROUTERS) continue;
            if (n6 >= limit) continue;
            n6++;
            match = `eth.mcast && ip6 && ip6.dst == ${g.name} `;
          }
          let actions = '';
          if (sw.mcast.floodRelay) actions += 'clone { outport = "_MC_mrouter_flood"; output; };';
          if (sw.mcast.floodStatic) actions += 'clone { outport ="_MC_static"; output; };';
          actions += `outport = "${g.name}"; output; `;
          f.add(LS_IN_L2_LKUP, 90, match, actions);
        } else {
          const rtr = topo.routerByUuid.get(dp);
          if (!rtr?.mcastRelay) continue;
          const match = g.v4 !== undefined ? `ip4 && ip4.dst == ${g.name} ` : `ip6 && ip6.dst == ${g.name} `;
          const floodStatic = rtr.ports.some((p) => p.enabled && p.mcastFlood);
          const actions = (floodStatic ? 'clone { outport = "_MC_static"; ip.ttl--; next; };' : '') + `outport = "${g.name}"; ip.ttl--; next;`;
          f.add(LR_IN_IP_ROUTING, 10500, match, actions);
        }
      }
      const prev = l?.out.flows.get(dp);
      flows.set(dp, prev && sameFlows(prev, f.out) ? prev : f.out);
    }
    const out: IgmpResult = { groups, mrouterPorts, flows, stale, diagnostics };
    this.last = { igmp: sb.IGMP_Group, mc: sb.Multicast_Group, dp: sb.Datapath_Binding, topo, pb: sb.Port_Binding, out };
    return out;
  }
}
