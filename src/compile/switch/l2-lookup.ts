// Ingress tables 25-26 (ls_in_l2_lkup, ls_in_l2_unknown): destination
// lookup.  build_lswitch_destination_lookup_bmcast, build_fwd_group_lflows,
// build_lswitch_ip_unicast_lookup with build_lswitch_rport_arp_req_flows,
// and build_lswitch_flows (the unknown-MAC defaults).
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { scanMac, formatMac, parseMac } from '../../model/mac.js';
import { isDynamicLspAddress } from '../../model/lsp-addresses.js';
import { LS_IN_ARP_ND_RSP, LS_IN_L2_LKUP, LS_IN_L2_UNKNOWN } from '../stages.js';
import { jsonKey, smapGetBool, type Switch, type SwitchPort, type Topology } from '../topology.js';
import { ssetOrder } from '../hmap.js';
import { coppMeter, FLAGBIT_NOT_VXLAN, MC_FLOOD, MC_FLOOD_L2, MC_MROUTER_FLOOD, MC_STATIC, MC_UNKNOWN } from './common.js';

/**
 * Priority 110: service-monitor replies go to ovn-controller; 100/85/80:
 * IGMP/MLD and IP multicast when snooping is on; 70: other multicast and
 * broadcast is flooded.
 */
export function destinationLookupBroadcastMulticast(ctx: CompileContext, sw: Switch): LFlow[] {
  const f = new FlowSink();
  const svcMeter = coppMeter(ctx, sw, 'svc-monitor');
  f.add(
    LS_IN_L2_LKUP,
    110,
    'eth.dst == $svc_monitor_mac && (tcp || icmp || icmp6)',
    'handle_svc_check(inport);',
    svcMeter !== undefined ? { meter: svcMeter } : {},
  );
  const mc = sw.mcast;
  if (mc.enabled) {
    const igmpMeter = coppMeter(ctx, sw, 'igmp');
    const mopts = igmpMeter !== undefined ? { meter: igmpMeter } : {};
    f.add(LS_IN_L2_LKUP, 100, 'igmp', 'igmp;', mopts);
    f.add(LS_IN_L2_LKUP, 100, 'mldv1 || mldv2', 'igmp;', mopts);
    f.add(LS_IN_L2_LKUP, 85, 'ip4.mcast && ip4.dst == 224.0.0.0/24', `outport = "${MC_FLOOD_L2}"; output;`);
    f.add(LS_IN_L2_LKUP, 85, 'ip6.mcast_flood', `outport = "${MC_FLOOD}"; output;`);
    if (!mc.floodUnregistered) {
      let act = '';
      if (mc.floodRelay) act += `clone { outport = "${MC_MROUTER_FLOOD}"; output; }; `;
      if (mc.floodStatic) act += `outport ="${MC_STATIC}"; output;`;
      if (!mc.floodRelay && !mc.floodStatic) act += ctx.dropAction;
      f.add(LS_IN_L2_LKUP, 80, 'ip4.mcast || ip6.mcast', act);
    }
  }
  f.add(LS_IN_L2_LKUP, 70, 'eth.mcast', `outport = "${MC_FLOOD}"; output;`);
  return f.out;
}

/** Forwarding groups: ARP for the group VIP is answered, its MAC goes to fwd_group(). */
export function forwardingGroups(ctx: CompileContext, sw: Switch): LFlow[] {
  const f = new FlowSink();
  for (const gu of [...sw.nb.forwarding_groups].sort()) {
    const g = ctx.nb.Forwarding_Group.get(gu);
    if (!g || !g.child_port.length) continue;
    const act =
      'eth.dst = eth.src; ' +
      `eth.src = ${g.vmac}; ` +
      'arp.op = 2; /* ARP reply */ ' +
      'arp.tha = arp.sha; ' +
      `arp.sha = ${g.vmac}; ` +
      'arp.tpa = arp.spa; ' +
      `arp.spa = ${g.vip}; ` +
      'outport = inport; ' +
      'flags.loopback = 1; ' +
      'output;';
    f.add(LS_IN_ARP_ND_RSP, 50, `arp.tpa == ${g.vip} && arp.op == 1`, act, { hint: g._uuid });
    const ports = g.child_port.map((p) => `"${p}"`).join(',');
    const grp = `${g.liveness ? 'liveness="true",' : ''}childports=${ports}`;
    f.add(LS_IN_L2_LKUP, 50, `eth.dst == ${g.vmac}`, `fwd_group(${grp});`, { hint: g._uuid });
  }
  return f.out;
}

// ------------------------------------------------------------ router ports

/**
 * Priority 80: ARP requests / neighbour solicitations for an address the
 * router owns (its networks, reachable LB VIPs, DNAT external IPs) go only
 * to the router port (and, if the switch has other ports, are flooded in
 * the L2 domain too); priority 75: the router's own ARP/ND is flooded.
 */
function routerPortArpRequests(topo: Topology, sw: Switch, swOp: SwitchPort): LFlow[] {
  const f = new FlowSink();
  const rp = swOp.peer;
  if (!rp || !rp.enabled) return f.out;
  const rtr = topo.routerByUuid.get(rp.routerUuid)!;
  const hint = swOp.nb._uuid;
  const floods = sw.routerPorts.length !== sw.nb.ports.length;
  const add = (ip: string, v6: boolean): void => {
    const m = `${FLAGBIT_NOT_VXLAN} && ${v6 ? `nd_ns && nd.target == ${ip}` : `arp.op == 1 && arp.tpa == ${ip}`}`;
    const act = floods
      ? `clone {outport = ${swOp.jsonKey}; output; }; outport = "${MC_FLOOD_L2}"; output;`
      : `outport = ${swOp.jsonKey}; output;`;
    f.add(LS_IN_L2_LKUP, 80, m, act, { hint });
  };
  // The router's VIPs this port's networks hold, then its NAT addresses that are not VIPs.
  const reach = rtr.lbReachable.get(rp.name);
  if (reach) {
    for (const ip of reach.v4) add(ip, false);
    for (const ip of reach.v6) add(ip, true);
  }
  for (const ip of rtr.natPeer.arpIps.v4) add(ip, false);
  for (const ip of rtr.natPeer.arpIps.v6) add(ip, true);
  for (const n of rp.networks.ipv4Addrs) add(n.addrStr, false);
  for (const n of rp.networks.ipv6Addrs) add(n.addrStr, true);

  if (floods) {
    const macs = [rp.networks.eaStr, ...rtr.natPeer.floodMacs];
    f.add(
      LS_IN_L2_LKUP,
      75,
      `eth.src == {${ssetOrder(macs).join(', ')}} && (arp.op == 1 || rarp.op == 3 || nd_ns)`,
      `outport = "${MC_FLOOD_L2}"; output;`,
    );
  }
  return f.out;
}

/**
 * Priority 50: a packet to one of the port's MACs goes to that port (or is
 * dropped when the port is disabled).  "router" addresses use the peer's
 * MAC, pinned to the gateway chassis when the router has a distributed
 * gateway port and this switch a localnet port.
 */
export function unicastLookup(ctx: CompileContext, topo: Topology, sw: Switch, op: SwitchPort): LFlow[] {
  const f = new FlowSink();
  if (op.type === 'external') return f.out;
  if (op.type === 'router') f.out.push(...routerPortArpRequests(topo, sw, op));
  const hint = op.nb._uuid;
  const action = op.enabled ? `outport = ${op.jsonKey}; output;` : ctx.dropAction;
  for (const addr of op.nb.addresses) {
    const mac = scanMac(addr);
    if (mac) {
      f.add(LS_IN_L2_LKUP, 50, `eth.dst == ${formatMac(mac.mac)}`, action, { hint });
    } else if (addr === 'unknown') {
      // Membership in _MC_unknown; see bindings.ts.
    } else if (isDynamicLspAddress(addr)) {
      const dyn = op.nb.dynamic_addresses !== undefined ? scanMac(op.nb.dynamic_addresses) : null;
      if (!dyn) continue;
      f.add(LS_IN_L2_LKUP, 50, `eth.dst == ${formatMac(dyn.mac)}`, action, { hint });
    } else if (addr === 'router') {
      const peer = op.peer;
      const pmac = peer ? scanMac(peer.nb.mac) : null;
      if (!peer || !pmac) continue;
      const rtr = topo.routerByUuid.get(peer.routerUuid)!;
      let match = `eth.dst == ${formatMac(pmac.mac)}`;
      if (rtr.l3dgwPorts.length && sw.localnetPorts.length) {
        let check = false;
        let key = '';
        if (peer.crName !== undefined) {
          check = true;
          key = jsonKey(peer.crName);
        } else {
          check = smapGetBool(peer.nb.options, 'reside-on-redirect-chassis', false) && rtr.l3dgwPorts.length === 1;
          key = jsonKey(rtr.l3dgwPorts[0]!.crName!);
        }
        if (check) match += ` && is_chassis_resident(${key})`;
      }
      f.add(LS_IN_L2_LKUP, 50, match, action, { hint });
      if (peer.crName !== undefined) {
        for (const [mac, lport] of rtr.natPeer.distributed) {
          const em = parseMac(mac);
          if (!em.ok) continue;
          f.add(LS_IN_L2_LKUP, 50, `eth.dst == ${formatMac(em.value)} && is_chassis_resident("${lport}")`, action, { hint });
        }
      }
    } else {
      ctx.warn('lsp-addresses-syntax', `${op.name}: invalid syntax '${addr}' in addresses column`);
    }
  }
  return f.out;
}

/** Priority 0 lookup through the FDB, then unknown destinations: flood to _MC_unknown or drop. */
export function l2UnknownDefaults(ctx: CompileContext, sw: Switch): LFlow[] {
  const f = new FlowSink();
  f.add(LS_IN_L2_LKUP, 0, '1', 'outport = get_fdb(eth.dst); next;');
  f.add(
    LS_IN_L2_UNKNOWN,
    50,
    'outport == "none"',
    sw.hasUnknown ? `outport = "${MC_UNKNOWN}"; output;` : ctx.dropAction,
  );
  f.add(LS_IN_L2_UNKNOWN, 0, '1', 'output;');
  return f.out;
}
