// Router ingress table 3 (man ovn-northd, "Ingress Table 3: IP Input"; northd.c
// build_misc_local_traffic_drop_flows_for_lrouter, build_lrouter_arp_nd_for_datapath,
// build_dhcpv6_reply_flows_for_lrouter_port, build_ipv6_input_flows_for_lrouter_port
// and build_lrouter_ipv4_ip_input): the router answers what is addressed to it
// (ARP and ND for its addresses, ICMP echo, DHCPv6 replies, BFD), rejects
// other traffic to its addresses with ICMP unreachable / TCP reset / SCTP
// abort, sends ICMP time exceeded for expiring packets, drops martians,
// broadcasts and packets from its own addresses, and passes the rest on to
// routing.
//
// NAT external addresses get their ARP/ND replies per datapath (nat.ts); the
// per-port ones of distributed gateway ports and LB VIPs are not handled here
// yet; a router's own addresses that are also SNAT or LB IPs are left out of
// the priority-60 drop, as the reference does.
import type { CompileContext } from '../context.js';
import { dgpNatArpNdReplies, natArpNdReplies } from './nat.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { LR_IN_IP_INPUT } from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import { in6IsLla } from '../../model/ip.js';
import { extractIpAddress } from '../../model/lsp-addresses.js';
import { smapGetBool } from '../../model/smap.js';
import { arpReplyActions, crJsonKey, isL3dgwPort, peerSwitch, REG_INPORT_ETH_ADDR, ndReplyActions, REGBIT_EGRESS_LOOPBACK } from './common.js';
import { routerCoppMeter } from './common.js';

/** Flows of a datapath that do not depend on its ports. */
export function miscLocalTrafficDrop(ctx: CompileContext, _topo: Topology, rtr: Router): LFlow[] {
  const f = new FlowSink();
  const drop = ctx.dropAction;
  // IGMP/MLD with TTL 1 must reach ports that flood multicast statically.
  if (rtr.ports.some((p) => p.enabled && p.mcastFlood)) {
    f.add(LR_IN_IP_INPUT, 120, 'igmp && ip.ttl == 1', 'next;');
    f.add(LR_IN_IP_INPUT, 120, '(mldv1 || mldv2) && ip.ttl == 1', 'next;');
  }
  // Martians: multicast/broadcast/loopback/zero-network sources, loopback/zero-network destinations.
  f.add(
    LR_IN_IP_INPUT,
    100,
    'ip4.src_mcast ||ip4.src == 255.255.255.255 || ip4.src == 127.0.0.0/8 || ip4.dst == 127.0.0.0/8 || ip4.src == 0.0.0.0/8 || ip4.dst == 0.0.0.0/8',
    drop,
  );
  // ARP/ND not for the router's own addresses (those are answered at priority 90).
  f.add(LR_IN_IP_INPUT, 85, 'arp || nd', drop);
  f.add(LR_IN_IP_INPUT, 84, 'nd_rs || nd_ra', 'next;');
  f.add(LR_IN_IP_INPUT, 83, 'ip6.mcast_rsvd', drop);
  f.add(LR_IN_IP_INPUT, 82, 'ip4.mcast || ip6.mcast', rtr.mcastRelay ? 'next;' : drop);
  f.add(LR_IN_IP_INPUT, 50, 'eth.bcast', drop);
  // RFC 1812 5.3.1: expiring multicast is dropped silently, no time exceeded.
  f.add(LR_IN_IP_INPUT, 32, 'ip.ttl == {0, 1} && !ip.later_frag && (ip4.mcast || ip6.mcast)', drop);
  f.add(LR_IN_IP_INPUT, 30, 'ip.ttl == {0, 1}', drop);
  f.add(LR_IN_IP_INPUT, 0, '1', 'next;');
  return f.out;
}

/** ARP/ND responders for NAT external IPs, per datapath (nat.ts). */
export function arpNdForDatapath(ctx: CompileContext, _topo: Topology, rtr: Router): LFlow[] {
  return natArpNdReplies(ctx, rtr);
}

/** Replies from DHCPv6 servers to the router's addresses go to ovn-controller (prefix delegation). */
export function dhcpv6Reply(_ctx: CompileContext, _topo: Topology, _rtr: Router, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  for (const a of p.networks.ipv6Addrs) {
    f.add(LR_IN_IP_INPUT, 100, `ip6.dst == ${a.addrStr} && udp.src == 547 && udp.dst == 546`, 'reg0 = 0; handle_dhcpv6_reply;');
  }
  return f.out;
}

/** op_put_v4_networks(): the port's IPv4 addresses (and broadcasts) as one address or a set. */
function v4Networks(p: RouterPort, withBcast: boolean): string {
  const addrs = p.networks.ipv4Addrs;
  if (!withBcast && addrs.length === 1) return addrs[0]!.addrStr;
  return `{${addrs.flatMap((a) => (withBcast ? [a.addrStr, a.bcastStr] : [a.addrStr])).join(', ')}}`;
}

/** op_put_v6_networks(). */
function v6Networks(p: RouterPort): string {
  const addrs = p.networks.ipv6Addrs;
  if (addrs.length === 1) return addrs[0]!.addrStr;
  return `{${addrs.map((a) => a.addrStr).join(', ')}}`;
}

/** build_lrouter_arp_flow(): reply to an ARP request for `ip` with the port's MAC. */
function arpReply(f: FlowSink, p: RouterPort, ip: string, extra: string, priority: number): void {
  const mac = REG_INPORT_ETH_ADDR;
  f.add(
    LR_IN_IP_INPUT,
    priority,
    `inport == ${p.jsonKey} && arp.op == 1 && arp.tpa == ${ip}${extra ? ` && ${extra}` : ''}`,
    arpReplyActions(mac),
    { hint: p.nb._uuid },
  );
}

/** build_lrouter_nd_flow(): answer a neighbor solicitation for `ip` with `action` (nd_na / nd_na_router). */
function ndReply(f: FlowSink, p: RouterPort, action: string, ip: string, snIp: string, extra: string, priority: number, meter: string | undefined): void {
  const mac = REG_INPORT_ETH_ADDR;
  f.add(
    LR_IN_IP_INPUT,
    priority,
    `inport == ${p.jsonKey} && ip6.dst == {${ip}, ${snIp}} && nd_ns && nd.target == ${ip}${extra ? ` && ${extra}` : ''}`,
    ndReplyActions(action, mac),
    { hint: p.nb._uuid, meter },
  );
}

/** Routers with a gateway (gateway router or distributed gateway port) do not reject traffic to their addresses here. */
function rejectsLocalTraffic(rtr: Router): boolean {
  return !rtr.isGwRouter && rtr.l3dgwPorts.length === 0;
}

/** The ICMP time-exceeded source/destination swap: a DGP answers from the address the packet was sent to. */
function ttlExceededAddrs(p: RouterPort, family: '4' | '6', addr: string): string {
  return isL3dgwPort(p) ? `ip${family}.dst <-> ip${family}.src` : `ip${family}.dst = ip${family}.src; ip${family}.src = ${addr}`;
}

export function ipv6Input(ctx: CompileContext, _topo: Topology, rtr: Router, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  const v6 = p.networks.ipv6Addrs;
  const hint = p.nb._uuid;
  if (v6.length > 0) {
    f.add(
      LR_IN_IP_INPUT,
      90,
      `ip6.dst == ${v6Networks(p)} && icmp6.type == 128 && icmp6.code == 0`,
      'ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 129; flags.loopback = 1; next; ',
      { hint },
    );
  }
  // A DGP answers only on its gateway chassis, so that upstream MAC learning points there.
  const resident = isL3dgwPort(p) ? `is_chassis_resident(${crJsonKey(p)})` : '';
  const ndNa = routerCoppMeter(ctx, rtr, 'nd-na');
  for (const a of v6) ndReply(f, p, 'nd_na_router', a.addrStr, a.snAddrStr, resident, 90, ndNa);

  if (rejectsLocalTraffic(rtr)) {
    const tcpReset = routerCoppMeter(ctx, rtr, 'tcp-reset');
    const icmpErr = routerCoppMeter(ctx, rtr, 'icmp6-error');
    for (const a of v6) {
      const to = `ip6 && ip6.dst == ${a.addrStr} && !ip.later_frag`;
      f.add(LR_IN_IP_INPUT, 80, `${to} && tcp`, 'tcp_reset {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };', { hint, meter: tcpReset });
      f.add(LR_IN_IP_INPUT, 80, `${to} && sctp`, 'sctp_abort {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };', { hint, meter: tcpReset });
      f.add(
        LR_IN_IP_INPUT,
        80,
        `${to} && udp`,
        'icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 1; icmp6.code = 4; next; };',
        { hint, meter: icmpErr },
      );
      f.add(LR_IN_IP_INPUT, 70, to, 'icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 1; icmp6.code = 3; next; };', {
        hint,
        meter: icmpErr,
      });
    }
  }

  const icmpErr = routerCoppMeter(ctx, rtr, 'icmp6-error');
  for (const a of v6) {
    if (in6IsLla(a.network)) continue;
    f.add(
      LR_IN_IP_INPUT,
      31,
      `inport == ${p.jsonKey} && ip6 && ip6.src == ${a.networkStr}/${a.plen} && ip.ttl == {0, 1} && !ip.later_frag`,
      `icmp6 {eth.dst <-> eth.src; ${ttlExceededAddrs(p, '6', a.addrStr)} ; ip.ttl = 254; icmp6.type = 3; /* Time exceeded */ icmp6.code = 0; /* TTL exceeded in transit */ outport = ${p.jsonKey}; flags.loopback = 1; output; };`,
      { hint, meter: icmpErr },
    );
  }
  return f.out;
}

/** An op->has_bfd port: some NB BFD session runs on it. */
function hasBfd(ctx: CompileContext, p: RouterPort): boolean {
  for (const b of ctx.nb.BFD.values()) if (b.logical_port === p.name) return true;
  return false;
}

/**
 * build_lrouter_bfd_flows(): BFD control packets from the port's addresses go
 * on, those to them go to ovn-controller.
 */
function bfdFlows(ctx: CompileContext, rtr: Router, f: FlowSink, p: RouterPort): void {
  if (!hasBfd(ctx, p)) return;
  const hint = p.nb._uuid;
  const meter = routerCoppMeter(ctx, rtr, 'bfd');
  const families: [string, string][] = [];
  if (p.networks.ipv4Addrs.length) families.push(['ip4', v4Networks(p, false)]);
  if (p.networks.ipv6Addrs.length) families.push(['ip6', v6Networks(p)]);
  for (const [ip, list] of families) {
    f.add(LR_IN_IP_INPUT, 110, `${ip}.src == ${list} && udp.dst == 3784`, 'next; ', { hint });
    f.add(LR_IN_IP_INPUT, 110, `${ip}.dst == ${list} && udp.dst == 3784`, 'handle_bfd_msg(); ', { hint, meter });
  }
}

/**
 * The gateway-chassis condition of the ARP replies of a port on a router with
 * distributed gateway ports, when its peer switch has a localnet port: a DGP
 * answers on its own gateway chassis; another port only with
 * options:reside-on-redirect-chassis and a single DGP, on that DGP's chassis.
 */
function arpReplyResidence(topo: Topology, rtr: Router, p: RouterPort): string {
  if (rtr.l3dgwPorts.length === 0 || !peerSwitch(topo, p)?.localnetPorts.length) return '';
  if (isL3dgwPort(p)) return ` && is_chassis_resident(${crJsonKey(p)})`;
  if (smapGetBool(p.nb.options, 'reside-on-redirect-chassis', false) && rtr.l3dgwPorts.length === 1) {
    return ` && is_chassis_resident(${crJsonKey(rtr.l3dgwPorts[0]!)})`;
  }
  return '';
}

/** The first IPv4/IPv6 address of a router's <type>_force_snat_ip option, when valid. */
function forceSnatIps(rtr: Router, type: 'dnat' | 'lb'): string[] {
  const v = rtr.nb.options[`${type}_force_snat_ip`];
  if (v === undefined) return [];
  const r = extractIpAddress(v);
  if (!r.ok) return [];
  const out: string[] = [];
  if (r.value.ipv4Addrs.length) out.push(r.value.ipv4Addrs[0]!.addrStr);
  if (r.value.ipv6Addrs.length) out.push(r.value.ipv6Addrs[0]!.addrStr);
  return out;
}

/** options:lb_force_snat_ip=router_ip on a gateway router: the port addresses are SNAT addresses. */
function lbForceSnatRouterIp(rtr: Router): boolean {
  return rtr.nb.options['lb_force_snat_ip'] === 'router_ip' && rtr.nb.options['chassis'] !== undefined;
}

/** The router's SNAT addresses (od->snat_ips): force-SNAT options and SNAT rules' external IPs. */
function snatIps(rtr: Router): Set<string> {
  const ips = new Set(forceSnatIps(rtr, 'dnat'));
  if (!lbForceSnatRouterIp(rtr)) for (const ip of forceSnatIps(rtr, 'lb')) ips.add(ip);
  for (const n of rtr.natEntries) {
    const ext = n.ext;
    if (n.nb.type !== 'snat' || !ext) continue;
    if (ext.ipv4Addrs.length + ext.ipv6Addrs.length !== 1) continue;
    ips.add(ext.ipv4Addrs.length ? ext.ipv4Addrs[0]!.addrStr : ext.ipv6Addrs[0]!.addrStr);
  }
  return ips;
}

/**
 * build_lrouter_drop_own_dest(): IP traffic to the router's own addresses that
 * nothing above answered is dropped — except addresses that are also SNAT or LB
 * IPs, which later stages handle.
 */
function dropOwnDest(f: FlowSink, rtr: Router, p: RouterPort, drop: string): void {
  const snat = snatIps(rtr);
  const lb = new Set(rtr.lbOwnIps);
  const v4 = p.networks.ipv4Addrs.map((a) => a.addrStr).filter((ip) => !snat.has(ip) && !lb.has(ip));
  if (v4.length) f.add(LR_IN_IP_INPUT, 60, `ip4.dst == {${v4.join(', ')}}`, drop, { hint: p.nb._uuid });
  const v6 = p.networks.ipv6Addrs.map((a) => a.addrStr).filter((ip) => !snat.has(ip) && !lb.has(ip));
  if (v6.length) f.add(LR_IN_IP_INPUT, 60, `ip6.dst == {${v6.join(', ')}}`, drop, { hint: p.nb._uuid });
}

/** `dpKey`: the router's datapath tunnel key (it names the router's LB address sets). */
export function ipv4Input(ctx: CompileContext, topo: Topology, rtr: Router, p: RouterPort, dpKey?: number): LFlow[] {
  const f = new FlowSink();
  const v4 = p.networks.ipv4Addrs;
  const hint = p.nb._uuid;
  if (v4.length > 0) {
    // Packets claiming to come from the router's own or broadcast addresses (unless looped back).
    f.add(LR_IN_IP_INPUT, 100, `ip4.src == ${v4Networks(p, true)} && ${REGBIT_EGRESS_LOOPBACK} == 0`, ctx.dropAction, { hint });
    f.add(
      LR_IN_IP_INPUT,
      90,
      `ip4.dst == ${v4Networks(p, false)} && icmp4.type == 8 && icmp4.code == 0`,
      'ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 0; flags.loopback = 1; next; ',
      { hint },
    );
  }

  bfdFlows(ctx, rtr, f, p);

  const icmpErr = routerCoppMeter(ctx, rtr, 'icmp4-error');
  for (const a of v4) {
    f.add(
      LR_IN_IP_INPUT,
      31,
      `inport == ${p.jsonKey} && ip4 && ip.ttl == {0, 1} && !ip.later_frag`,
      `icmp4 {eth.dst <-> eth.src; icmp4.type = 11; /* Time exceeded */ icmp4.code = 0; /* TTL exceeded in transit */ ${ttlExceededAddrs(p, '4', a.addrStr)} ; ip.ttl = 254; outport = ${p.jsonKey}; flags.loopback = 1; output; };`,
      { hint, meter: icmpErr },
    );
  }

  const residence = arpReplyResidence(topo, rtr, p);
  for (const a of v4) arpReply(f, p, a.addrStr, `arp.spa == ${a.networkStr}/${a.plen}${residence}`, 90);

  // One responder for all the VIPs the router answers for, through its address sets.
  if (dpKey !== undefined && (rtr.lbRespondV4.length || rtr.lbRespondV6.length)) {
    const resident = isL3dgwPort(p) ? ` && is_chassis_resident(${crJsonKey(p)})` : '';
    const mac = REG_INPORT_ETH_ADDR;
    if (rtr.lbRespondV4.length) {
      f.add(
        LR_IN_IP_INPUT,
        90,
        `inport == ${p.jsonKey} && arp.op == 1 && arp.tpa == $_rtr_lb_${dpKey}_ip4${resident}`,
        arpReplyActions(mac),
      );
    }
    if (rtr.lbRespondV6.length) {
      f.add(
        LR_IN_IP_INPUT,
        90,
        `inport == ${p.jsonKey} && nd_ns && nd.target == $_rtr_lb_${dpKey}_ip6${resident}`,
        ndReplyActions('nd_na', mac),
        { meter: routerCoppMeter(ctx, rtr, 'nd-na') },
      );
    }
  }

  if (rejectsLocalTraffic(rtr)) {
    const tcpReset = routerCoppMeter(ctx, rtr, 'tcp-reset');
    for (const a of v4) {
      const to = `ip4 && ip4.dst == ${a.addrStr} && !ip.later_frag`;
      f.add(
        LR_IN_IP_INPUT,
        80,
        `${to} && udp`,
        'icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 3; icmp4.code = 3; next; };',
        { hint, meter: icmpErr },
      );
      f.add(LR_IN_IP_INPUT, 80, `${to} && tcp`, 'tcp_reset {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };', { hint, meter: tcpReset });
      f.add(LR_IN_IP_INPUT, 80, `${to} && sctp`, 'sctp_abort {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };', { hint, meter: tcpReset });
      f.add(LR_IN_IP_INPUT, 70, to, 'icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 3; icmp4.code = 2; next; };', {
        hint,
        meter: icmpErr,
      });
    }
  }

  if (!lbForceSnatRouterIp(rtr)) dropOwnDest(f, rtr, p, ctx.dropAction);
  // A distributed gateway port answers for the NAT addresses applied at it (nat.ts).
  if (isL3dgwPort(p)) f.out.push(...dgpNatArpNdReplies(ctx, rtr, p));
  return f.out;
}
