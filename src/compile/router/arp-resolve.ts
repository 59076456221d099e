// Router ingress table 17, ARP/ND resolution (man ovn-northd, "Ingress Table
// 17: ARP/ND Resolution"; northd.c build_arp_resolve_flows_for_lrouter and
// build_arp_resolve_flows_for_lrouter_port): a unicast IP packet's next hop
// (reg0 / xxreg0) is turned into an Ethernet destination.  Next hops the
// northbound database already knows — the addresses of the switch ports
// behind a router port, the other routers on the same switch, a directly
// peered router port — get a static priority-100 flow; everything else asks
// the MAC_Binding table (get_arp / get_nd) at priority 1.  A distributed
// gateway port with redirect-type=bridged hands unresolved traffic to its
// gateway chassis (priority 50); traffic still addressed to a router address
// NAT/LB translate is dropped (priority 2).  (NB Static_MAC_Binding rows make
// no flows in 23.03: ovn-controller reads their SB copies.)
//
// The reference emits the priority-100 flows while visiting the port that
// owns the address, onto the datapath of the router that needs them.  Here a
// router's builders produce what lands on that router: its own port's flows
// (arpResolveForRouterPort, which therefore looks at the router port peered
// with it) and the flows the ports of one of its peer switches put on it
// (arpResolveFromSwitch).
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { extractIpAddress, type LportAddresses } from '../../model/lsp-addresses.js';
import { inetPton4, inetPton6 } from '../../model/ip.js';
import { smapGetBool } from '../../model/smap.js';
import { LR_IN_ARP_RESOLVE, type Stage } from '../stages.js';
import type { Router, RouterPort, Switch, SwitchPort, Topology } from '../topology.js';
import { crJsonKey, isL3dgwPort, peerRouterPort, REG_NEXT_HOP_IPV4, REG_NEXT_HOP_IPV6 } from './common.js';

/** The datapath-level flows: multicast already has its outport, the rest asks the MAC bindings. */
export function arpResolveDefaults(ctx: CompileContext, _topo: Topology, _rtr: Router): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_ARP_RESOLVE, 500, 'ip4.mcast || ip6.mcast', 'next;');
  f.add(LR_IN_ARP_RESOLVE, 1, 'ip4', `get_arp(outport, ${REG_NEXT_HOP_IPV4}); next;`);
  f.add(LR_IN_ARP_RESOLVE, 1, 'ip6', `get_nd(outport, ${REG_NEXT_HOP_IPV6}); next;`);
  f.add(LR_IN_ARP_RESOLVE, 0, '1', ctx.dropAction);
  return f.out;
}

/** A port's IPv4 addresses as a match operand: one bare address, several in braces (op_put_v4_networks). */
export function v4NetworksOperand(nets: LportAddresses, withBcast = false): string {
  if (!withBcast && nets.ipv4Addrs.length === 1) return nets.ipv4Addrs[0]!.addrStr;
  const parts: string[] = [];
  for (const a of nets.ipv4Addrs) {
    parts.push(a.addrStr);
    if (withBcast) parts.push(a.bcastStr);
  }
  return `{${parts.join(', ')}}`;
}

/** The same for IPv6 (op_put_v6_networks). */
export function v6NetworksOperand(nets: LportAddresses): string {
  if (nets.ipv6Addrs.length === 1) return nets.ipv6Addrs[0]!.addrStr;
  return `{${nets.ipv6Addrs.map((a) => a.addrStr).join(', ')}}`;
}

/**
 * find_lrp_member_ip(): whether `ip` lies in one of the router port's subnets.
 * An address that does not parse is in none.
 */
export function inLrpSubnet(nets: LportAddresses, ip: string): boolean {
  if (ip.includes('.')) {
    const v = inetPton4(ip);
    if (v === undefined) return false;
    return nets.ipv4Addrs.some((na) => ((na.network ^ v) & na.mask) === 0);
  }
  const v = inetPton6(ip);
  if (v === undefined) return false;
  return nets.ipv6Addrs.some((na) => ((na.network ^ v) & na.mask) === 0n);
}

/**
 * The addresses the router's NAT and load-balancer stages translate: its
 * SNAT and force-SNAT addresses and its VIPs (od->snat_ips and lb_ips).
 */
function translatedRouterIps(rtr: Router): Set<string> {
  const ips = new Set<string>();
  const firstOf = (a: LportAddresses): void => {
    if (a.ipv4Addrs.length) ips.add(a.ipv4Addrs[0]!.addrStr);
    if (a.ipv6Addrs.length) ips.add(a.ipv6Addrs[0]!.addrStr);
  };
  const forceSnat = (kind: string): void => {
    const v = rtr.nb.options[`${kind}_force_snat_ip`];
    if (v === undefined) return;
    const r = extractIpAddress(v);
    if (r.ok) firstOf(r.value);
  };
  forceSnat('dnat');
  // lb_force_snat_ip=router_ip on a gateway router names no address of its own.
  if (!(rtr.nb.options['lb_force_snat_ip'] === 'router_ip' && rtr.nb.options['chassis'] !== undefined)) forceSnat('lb');
  for (const n of rtr.natEntries) {
    if (n.nb.type !== 'snat' || !n.ext) continue;
    ips.add(n.isV6 ? n.ext.ipv6Addrs[0]!.addrStr : n.ext.ipv4Addrs[0]!.addrStr);
  }
  // Of the VIPs, only the router's own addresses matter to the callers.
  for (const ip of rtr.lbOwnIps) ips.add(ip);
  return ips;
}

/**
 * build_lrouter_drop_own_dest(): drop IP traffic to the port's own addresses,
 * either those NAT/LB may translate (`translated`) or the others.
 */
export function dropOwnDest(f: FlowSink, ctx: CompileContext, rtr: Router, p: RouterPort, stage: Stage, priority: number, translated: boolean): void {
  const xlated = translatedRouterIps(rtr);
  const pick = (addrs: readonly { addrStr: string }[]): string[] =>
    addrs.filter((a) => xlated.has(a.addrStr) === translated).map((a) => a.addrStr);
  const v4 = pick(p.networks.ipv4Addrs);
  if (v4.length) f.add(stage, priority, `ip4.dst == {${v4.join(', ')}}`, ctx.dropAction, { hint: p.nb._uuid });
  const v6 = pick(p.networks.ipv6Addrs);
  if (v6.length) f.add(stage, priority, `ip6.dst == {${v6.join(', ')}}`, ctx.dropAction, { hint: p.nb._uuid });
}

/**
 * A router port `q` peered directly with this router's port `p` (router-to-
 * router link) resolves to q's MAC.  The reference emits it while visiting q,
 * whose `peer` column must be set and whose peer must be p.
 */
function peerRouterNeighbors(f: FlowSink, topo: Topology, p: RouterPort): void {
  const q = peerRouterPort(topo, p);
  if (!q || q.nb.peer === undefined || q.peerName !== p.name) return;
  const action = `eth.dst = ${q.networks.eaStr}; next;`;
  // (The missing space before "==" is the reference's.)
  if (q.networks.ipv4Addrs.length) {
    f.add(LR_IN_ARP_RESOLVE, 100, `outport == ${p.jsonKey} && ${REG_NEXT_HOP_IPV4}== ${v4NetworksOperand(q.networks)}`, action, { hint: q.nb._uuid });
  }
  if (q.networks.ipv6Addrs.length) {
    f.add(LR_IN_ARP_RESOLVE, 100, `outport == ${p.jsonKey} && ${REG_NEXT_HOP_IPV6} == ${v6NetworksOperand(q.networks)}`, action, { hint: q.nb._uuid });
  }
}

/**
 * redirect-type=bridged on a distributed gateway port: off the gateway chassis
 * the packet goes to the gateway with the port's own MAC instead of resolving here.
 */
function bridgedRedirect(f: FlowSink, p: RouterPort): void {
  if (!isL3dgwPort(p)) return;
  if (p.nb.options['redirect-type']?.toLowerCase() !== 'bridged') return;
  f.add(LR_IN_ARP_RESOLVE, 50, `outport == ${p.jsonKey} && !is_chassis_resident(${crJsonKey(p)})`, `eth.dst = ${p.networks.eaStr}; next;`, {
    hint: p.nb._uuid,
  });
}

/** The flows of router port `p` on its own router (the cr- port adds none). */
export function arpResolveForRouterPort(ctx: CompileContext, topo: Topology, rtr: Router, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  peerRouterNeighbors(f, topo, p);
  bridgedRedirect(f, p);
  // Traffic to an address NAT could have untranslated but did not (priority 2).
  dropOwnDest(f, ctx, rtr, p, LR_IN_ARP_RESOLVE, 2, true);
  return f.out;
}

/** The router ports of `sw` whose router is `rtr` (sw's router-type ports' peers). */
function portsOfRouterOn(sw: Switch, rtr: Router): RouterPort[] {
  const out: RouterPort[] = [];
  for (const rp of sw.routerPorts) if (rp.peer && rp.peer.routerUuid === rtr.uuid) out.push(rp.peer);
  return out;
}

/** A VM/container port: each of its addresses in the subnet of one of rtr's ports on the switch. */
function vifNeighbors(f: FlowSink, rtrPorts: readonly RouterPort[], op: SwitchPort): void {
  for (const a of op.lspAddrs) {
    const action = `eth.dst = ${a.eaStr}; next;`;
    for (const ip of a.ipv4Addrs) {
      for (const rp of rtrPorts) {
        if (!inLrpSubnet(rp.networks, ip.addrStr)) continue;
        f.add(LR_IN_ARP_RESOLVE, 100, `outport == ${rp.jsonKey} && ${REG_NEXT_HOP_IPV4} == ${ip.addrStr}`, action, { hint: op.nb._uuid });
      }
    }
    for (const ip of a.ipv6Addrs) {
      for (const rp of rtrPorts) {
        if (!inLrpSubnet(rp.networks, ip.addrStr)) continue;
        f.add(LR_IN_ARP_RESOLVE, 100, `outport == ${rp.jsonKey} && ${REG_NEXT_HOP_IPV6} == ${ip.addrStr}`, action, { hint: op.nb._uuid });
      }
    }
  }
}

/**
 * A virtual port: its virtual IP resolves to the MAC of the virtual parent
 * that claimed it, or to 00:00:00:00:00:00 (resolve by ARP) while unclaimed.
 * Only the first router port whose subnet holds the IP gets the flow.
 */
function virtualNeighbor(f: FlowSink, topo: Topology, sw: Switch, rtr: Router, op: SwitchPort): void {
  const vip = op.nb.options['virtual-ip'];
  if (vip === undefined || op.nb.options['virtual-parents'] === undefined) return;
  const isV4 = vip.includes('.');
  if ((isV4 ? inetPton4(vip) : inetPton6(vip)) === undefined) return;
  const reg = isV4 ? REG_NEXT_HOP_IPV4 : REG_NEXT_HOP_IPV6;
  const firstHolder = (on: Switch): RouterPort | undefined => {
    for (const rp of on.routerPorts) if (rp.peer && inLrpSubnet(rp.peer.networks, vip)) return rp.peer;
    return undefined;
  };
  const parentName = op.sb?.virtual_parent;
  let peer: RouterPort | undefined;
  let mac: string;
  if (!parentName || op.sb?.chassis === undefined) {
    peer = firstHolder(sw);
    mac = '00:00:00:00:00:00';
  } else {
    const vp = topo.portByName.get(parentName);
    if (!vp || vp.kind !== 'lsp' || !vp.lspAddrs.length) return;
    const vpSwitch = topo.switchByUuid.get(vp.switchUuid);
    peer = vpSwitch && firstHolder(vpSwitch);
    mac = vp.lspAddrs[0]!.eaStr;
  }
  if (!peer || peer.routerUuid !== rtr.uuid) return;
  f.add(LR_IN_ARP_RESOLVE, 100, `outport == ${peer.jsonKey} && ${reg} == ${vip}`, `eth.dst = ${mac}; next;`, { hint: op.nb._uuid });
}

/**
 * A router-type port of the switch whose peer is one of rtr's ports: the other
 * routers' ports on the switch resolve to their MACs (unless the router learns
 * its neighbours dynamically).
 */
function otherRouterNeighbors(f: FlowSink, sw: Switch, rtr: Router, op: SwitchPort): void {
  const peer = op.peer;
  if (!peer || peer.routerUuid !== rtr.uuid) return;
  if (smapGetBool(rtr.nb.options, 'dynamic_neigh_routers', false)) return;
  for (const rp of sw.routerPorts) {
    const other = rp.peer;
    if (!other || other.name === peer.name) continue;
    const action = `eth.dst = ${other.networks.eaStr}; next;`;
    if (other.networks.ipv4Addrs.length) {
      f.add(LR_IN_ARP_RESOLVE, 100, `outport == ${peer.jsonKey} && ${REG_NEXT_HOP_IPV4} == ${v4NetworksOperand(other.networks)}`, action, {
        hint: op.nb._uuid,
      });
    }
    if (other.networks.ipv6Addrs.length) {
      f.add(LR_IN_ARP_RESOLVE, 100, `outport == ${peer.jsonKey} && ${REG_NEXT_HOP_IPV6} == ${v6NetworksOperand(other.networks)}`, action, {
        hint: op.nb._uuid,
      });
    }
    // TODO(router NAT/LB): the other router's routable NAT/LB addresses
    // (routable_addresses_to_lflows) when rtr is a gateway router or peer a DGP.
  }
}

/** The flows the ports of switch `sw` put on router `rtr`. */
export function arpResolveFromSwitch(_ctx: CompileContext, topo: Topology, rtr: Router, sw: Switch): LFlow[] {
  const f = new FlowSink();
  const rtrPorts = portsOfRouterOn(sw, rtr);
  if (!rtrPorts.length) return f.out;
  for (const op of sw.ports) {
    if (!op.enabled) continue;
    if (op.type === 'router') otherRouterNeighbors(f, sw, rtr, op);
    else if (op.type === 'virtual') virtualNeighbor(f, topo, sw, rtr, op);
    else vifNeighbors(f, rtrPorts, op);
  }
  return f.out;
}
