// Router NAT and load-balancing stages as a router without NAT rules or load
// balancers gets them (man ovn-northd, ingress tables 4-9 "UNSNAT", "DEFRAG",
// "Load balancing affinity check", "DNAT", "Load balancing affinity learn",
// "ECMP symmetric reply processing", and egress tables 0-5 "Check DNAT
// local", "UNDNAT", "Post UNDNAT", "SNAT", "Post SNAT", "Egress Loopback";
// northd.c build_lrouter_nat_defrag_and_lb, build_lb_affinity_default_flows,
// build_lrouter_force_snat_flows_op): every stage lets packets through by
// default; a router with load-balancer VIPs keeps established and related
// connections' NAT state; a gateway router with NAT or VIPs sends all IP
// traffic through the DNAT zone on the way out; a gateway router's
// options:dnat_force_snat_ip / lb_force_snat_ip (addresses) and
// lb_force_snat_ip=router_ip make the SNAT flows they name.
//
// The NAT rules' own flows are nat.ts's.  TODO(router LB): the load balancers'
// own flows are not written yet.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { extractIpAddress, type LportAddresses } from '../../model/lsp-addresses.js';
import {
  LR_IN_DEFRAG,
  LR_IN_DNAT,
  LR_IN_ECMP_STATEFUL,
  LR_IN_LB_AFF_CHECK,
  LR_IN_LB_AFF_LEARN,
  LR_IN_UNSNAT,
  LR_OUT_CHECK_DNAT_LOCAL,
  LR_OUT_EGR_LOOP,
  LR_OUT_POST_SNAT,
  LR_OUT_POST_UNDNAT,
  LR_OUT_SNAT,
  LR_OUT_UNDNAT,
} from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import { REGBIT_DST_NAT_IP_LOCAL } from './common.js';
import { routerNatFlows } from './nat.js';

/** lr_has_lb_vip(): some load balancer of the router, directly or through a group, has a VIP. */
function routerHasLbVip(ctx: CompileContext, rtr: Router): boolean {
  return rtr.nb.load_balancer.some((u) => ctx.lookup('lb-has-vip', u)) || rtr.nb.load_balancer_group.some((g) => ctx.lookup('lbg-has-vip', g));
}

/** options:lb_force_snat_ip=router_ip on a gateway router (od->lb_force_snat_router_ip). */
export function lbForceSnatRouterIp(rtr: Router): boolean {
  return rtr.nb.options['lb_force_snat_ip'] === 'router_ip' && rtr.nb.options['chassis'] !== undefined;
}

/** get_force_snat_ip(): the addresses of options:<kind>_force_snat_ip, empty when unset or invalid. */
export function forceSnatAddrs(rtr: Router, kind: 'dnat' | 'lb'): LportAddresses | undefined {
  if (kind === 'lb' && lbForceSnatRouterIp(rtr)) return undefined;
  const v = rtr.nb.options[`${kind}_force_snat_ip`];
  if (v === undefined) return undefined;
  const r = extractIpAddress(v);
  return r.ok ? r.value : undefined;
}

/** Priority 0 of every NAT/LB stage: go on. */
function passThroughDefaults(f: FlowSink): void {
  f.add(LR_IN_DEFRAG, 0, '1', 'next;');
  f.add(LR_IN_UNSNAT, 0, '1', 'next;');
  f.add(LR_OUT_CHECK_DNAT_LOCAL, 0, '1', `${REGBIT_DST_NAT_IP_LOCAL} = 0; next;`);
  f.add(LR_OUT_SNAT, 0, '1', 'next;');
  f.add(LR_IN_DNAT, 0, '1', 'next;');
  f.add(LR_OUT_UNDNAT, 0, '1', 'next;');
  f.add(LR_OUT_POST_UNDNAT, 0, '1', 'next;');
  f.add(LR_OUT_POST_SNAT, 0, '1', 'next;');
  f.add(LR_OUT_EGR_LOOP, 0, '1', 'next;');
  f.add(LR_IN_ECMP_STATEFUL, 0, '1', 'next;');
}

/**
 * DNAT priorities 50/70 on a router with VIPs: related traffic (when the
 * chassis support it) and established natted traffic keep the flags their
 * connection was committed with.
 */
function lbConnectionFlows(f: FlowSink, ctx: CompileContext): void {
  const reg = ctx.features.ctNoMaskedLabel ? 'ct_mark' : 'ct_label';
  if (ctx.features.ctLbRelated) {
    const rel = 'ct.rel && !ct.est && !ct.new';
    f.add(LR_IN_DNAT, 70, `${rel} && ${reg}.skip_snat == 1`, 'flags.skip_snat_for_lb = 1; ct_commit_nat;');
    f.add(LR_IN_DNAT, 70, `${rel} && ${reg}.force_snat == 1`, 'flags.force_snat_for_lb = 1; ct_commit_nat;');
    f.add(LR_IN_DNAT, 50, rel, 'ct_commit_nat;');
  }
  const est = `ct.est && !ct.rel && !ct.new && ${reg}.natted`;
  f.add(LR_IN_DNAT, 70, `${est} && ${reg}.skip_snat == 1`, 'flags.skip_snat_for_lb = 1; next;');
  f.add(LR_IN_DNAT, 70, `${est} && ${reg}.force_snat == 1`, 'flags.force_snat_for_lb = 1; next;');
  f.add(LR_IN_DNAT, 50, est, 'next;');
}

/** build_lrouter_force_snat_flows(): unSNAT replies to the address, SNAT flagged traffic to it. */
function forceSnatFlows(f: FlowSink, ipv: '4' | '6', ip: string, context: 'dnat' | 'lb'): void {
  f.add(LR_IN_UNSNAT, 110, `ip${ipv} && ip${ipv}.dst == ${ip}`, 'ct_snat;');
  f.add(LR_OUT_SNAT, 100, `flags.force_snat_for_${context} == 1 && ip${ipv}`, `ct_snat(${ip});`);
}

export function natDefragAndLb(ctx: CompileContext, topo: Topology, rtr: Router): LFlow[] {
  const f = new FlowSink();
  passThroughDefaults(f);
  const hasLbVip = routerHasLbVip(ctx, rtr);
  if (hasLbVip) lbConnectionFlows(f, ctx);
  const hasNat = rtr.natEntries.length > 0;
  if (rtr.isGwRouter && (hasNat || hasLbVip)) {
    // Every packet goes through the DNAT zone so replies are unDNATed; ND/ICMP need no conntrack.
    f.add(LR_OUT_UNDNAT, 100, 'nd || nd_rs || nd_ra', 'next;');
    f.add(LR_OUT_UNDNAT, 50, 'ip', 'flags.loopback = 1; ct_dnat;');
    f.add(LR_OUT_POST_UNDNAT, 50, 'ip && ct.new', 'ct_commit { } ; next; ');
  }
  // Neighbour solicitations ovn-controller generates (the nd_ns action) skip conntrack.
  f.add(LR_OUT_SNAT, 120, 'nd_ns', 'next;');
  // NAT applies only on gateway routers and routers with distributed gateway ports.
  if (!rtr.isGwRouter && !rtr.l3dgwPorts.length) return f.out;
  // The rules themselves (nat.ts).
  f.out.push(...routerNatFlows(ctx, topo, rtr, forceSnatAddrs(rtr, 'dnat') !== undefined));
  if (hasNat) {
    const natted = ctx.features.ctNoMaskedLabel ? 'ct_mark.natted' : 'ct_label.natted';
    f.add(LR_OUT_CHECK_DNAT_LOCAL, 50, `ip && ${natted} == 1`, `${REGBIT_DST_NAT_IP_LOCAL} = 1; next;`, { hint: rtr.nb._uuid });
  }
  if (rtr.isGwRouter) {
    for (const kind of ['dnat', 'lb'] as const) {
      const a = forceSnatAddrs(rtr, kind);
      if (!a) continue;
      if (a.ipv4Addrs.length) forceSnatFlows(f, '4', a.ipv4Addrs[0]!.addrStr, kind);
      if (a.ipv6Addrs.length) forceSnatFlows(f, '6', a.ipv6Addrs[0]!.addrStr, kind);
    }
  }
  return f.out;
}

export function lbAffinityDefaults(_ctx: CompileContext, _rtr: Router): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_LB_AFF_CHECK, 0, '1', 'next;');
  f.add(LR_IN_LB_AFF_LEARN, 0, '1', 'next;');
  return f.out;
}

/**
 * lb_force_snat_ip=router_ip on a gateway router: load-balanced traffic out of
 * a connected port is SNATed to the port's first address (the first IPv6 only
 * when the port has one besides its link-local address).
 */
export function forceSnatForPort(ctx: CompileContext, _topo: Topology, rtr: Router, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  if (p.peerName === undefined || !lbForceSnatRouterIp(rtr)) return f.out;
  const v4 = p.networks.ipv4Addrs;
  if (v4.length) {
    f.add(LR_IN_UNSNAT, 110, `inport == ${p.jsonKey} && ip4.dst == ${v4[0]!.addrStr}`, 'ct_snat;');
    f.add(LR_OUT_SNAT, 110, `flags.force_snat_for_lb == 1 && ip4 && outport == ${p.jsonKey}`, `ct_snat(${v4[0]!.addrStr});`);
    if (v4.length > 1) {
      ctx.warn(
        'lb-force-snat-multiple-ips',
        `Logical router port ${p.jsonKey} is configured with multiple IPv4 addresses.  Only the first IP [${v4[0]!.addrStr}] is considered as SNAT for load balancer`,
      );
    }
  }
  // The link-local address is always there, last.
  const v6 = p.networks.ipv6Addrs;
  if (v6.length > 1) {
    f.add(LR_IN_UNSNAT, 110, `inport == ${p.jsonKey} && ip6.dst == ${v6[0]!.addrStr}`, 'ct_snat;');
    f.add(LR_OUT_SNAT, 110, `flags.force_snat_for_lb == 1 && ip6 && outport == ${p.jsonKey}`, `ct_snat(${v6[0]!.addrStr});`);
    if (v6.length > 2) {
      ctx.warn(
        'lb-force-snat-multiple-ips',
        `Logical router port ${p.jsonKey} is configured with multiple IPv6 addresses.  Only the first IP [${v6[0]!.addrStr}] is considered as SNAT for load balancer`,
      );
    }
  }
  return f.out;
}
