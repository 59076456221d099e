// Router ingress tables 15-16 (man ovn-northd, "Ingress Table 15: IP
// Routing Policies" and "Ingress Table 16: IP Routing Policies ECMP"): the
// router's Logical_Router_Policy rows, each at its own priority, allow
// (optionally marking the packet), drop, or reroute to a next hop, which
// overrides the routing decision of table 13; a reroute with several next
// hops selects one in table 16.  (northd.c build_ingress_policy_flows_for_lrouter,
// build_routing_policy_flow, build_ecmp_routing_policy_flows.)
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import type { NbLogicalRouterPolicy } from '../../model/nb.js';
import { smapGetUint } from '../../model/smap.js';
import { sortedUuids } from '../hmap.js';
import { LR_IN_POLICY, LR_IN_POLICY_ECMP } from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import { REG_ECMP_GROUP_ID, REG_ECMP_MEMBER_ID, REG_NEXT_HOP_IPV4, REG_NEXT_HOP_IPV6, REG_SRC_IPV4, REG_SRC_IPV6 } from './common.js';
import { lrpMemberIp, parseNexthop } from './routing.js';

export function ingressPolicies(ctx: CompileContext, _topo: Topology, rtr: Router): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_POLICY, 0, '1', `${REG_ECMP_GROUP_ID} = 0; next;`);
  f.add(LR_IN_POLICY_ECMP, 150, `${REG_ECMP_GROUP_ID} == 0`, 'next;');
  f.add(LR_IN_POLICY_ECMP, 0, '1', ctx.dropAction);

  // Each reroute with several next hops takes the next group id, whether or not its flows are built.
  let ecmpGroupId = 1;
  for (const u of sortedUuids(rtr.nb.policies)) {
    const rule = ctx.nb.Logical_Router_Policy.get(u);
    if (!rule) continue;
    if (rule.action === 'reroute' && rule.nexthops.length > 1) {
      ecmpPolicy(ctx, f, rtr, rule, ecmpGroupId);
      ecmpGroupId++;
    } else {
      singlePolicy(ctx, f, rtr, rule);
    }
  }
  return f.out;
}

/** "pkt.mark = N; " for options:pkt_mark (0 or unparsable: nothing). */
function pktMark(rule: NbLogicalRouterPolicy): string {
  const mark = smapGetUint(rule.options, 'pkt_mark', 0);
  return mark ? `pkt.mark = ${mark}; ` : '';
}

interface NexthopPort {
  readonly port: RouterPort;
  readonly lrpAddr: string;
}

/** The first port of the router with a network that holds the next hop, and its address there. */
function nexthopPort(ctx: CompileContext, rtr: Router, priority: number, nexthop: string | undefined): NexthopPort | undefined {
  if (nexthop === undefined) return undefined;
  const nh = parseNexthop(ctx, nexthop);
  for (const port of rtr.ports) {
    const lrpAddr = lrpMemberIp(port.networks, nh);
    if (lrpAddr) return { port, lrpAddr };
  }
  ctx.warn('policy-no-path', `No path for routing policy priority ${priority}; next hop ${nexthop}`);
  return undefined;
}

/** The next-hop registers, source address, MAC and output port of a reroute. */
function rerouteActions(nexthop: string, nh: NexthopPort): string {
  const v4 = nexthop.includes('.');
  return (
    `${v4 ? REG_NEXT_HOP_IPV4 : REG_NEXT_HOP_IPV6} = ${nexthop}; ${v4 ? REG_SRC_IPV4 : REG_SRC_IPV6} = ${nh.lrpAddr}; ` +
    `eth.src = ${nh.port.networks.eaStr}; outport = ${nh.port.jsonKey}; flags.loopback = 1; `
  );
}

/** build_routing_policy_flow(): allow, drop, or reroute to one next hop (nexthops[0], else the old nexthop column). */
function singlePolicy(ctx: CompileContext, f: FlowSink, rtr: Router, rule: NbLogicalRouterPolicy): void {
  let actions = '';
  if (rule.action === 'reroute') {
    const nexthop = rule.nexthops.length === 1 ? rule.nexthops[0] : rule.nexthop;
    const nh = nexthopPort(ctx, rtr, rule.priority, nexthop);
    if (!nh) return;
    actions = `${pktMark(rule)}${rerouteActions(nexthop!, nh)}${REG_ECMP_GROUP_ID} = 0; next;`;
  } else if (rule.action === 'drop') {
    actions = ctx.dropAction;
  } else if (rule.action === 'allow') {
    actions = `${pktMark(rule)}${REG_ECMP_GROUP_ID} = 0; next;`;
  }
  f.add(LR_IN_POLICY, rule.priority, rule.match, actions, { hint: rule._uuid });
}

/**
 * build_ecmp_routing_policy_flows(): table 15 selects one of the next hops
 * (all of one address family), table 16 reroutes to it.  A next hop no port
 * reaches drops the whole policy, though the members before it are kept.
 */
function ecmpPolicy(ctx: CompileContext, f: FlowSink, rtr: Router, rule: NbLogicalRouterPolicy, groupId: number): void {
  // An OVSDB set of strings reaches the IDL sorted.
  const nexthops = [...rule.nexthops].sort(byteOrder);
  const v4 = nexthops[0]!.includes('.');
  for (const nexthop of nexthops) {
    if (nexthop.includes('.') !== v4) {
      ctx.warn(
        'policy-nexthop-family',
        `nexthop [${nexthop}] of the router policy with the match [${rule.match}] do not belong to the same address family as other next hops`,
      );
      return;
    }
  }
  for (let i = 0; i < nexthops.length; i++) {
    const nexthop = nexthops[i]!;
    const nh = nexthopPort(ctx, rtr, rule.priority, nexthop);
    if (!nh) return;
    f.add(
      LR_IN_POLICY_ECMP,
      100,
      `${REG_ECMP_GROUP_ID} == ${groupId} && ${REG_ECMP_MEMBER_ID} == ${i + 1}`,
      `${pktMark(rule)}${rerouteActions(nexthop, nh)}next;`,
      { hint: rule._uuid },
    );
  }
  const ids = nexthops.map((_n, i) => i + 1).join(', ');
  f.add(LR_IN_POLICY, rule.priority, rule.match, `${REG_ECMP_GROUP_ID} = ${groupId}; ${REG_ECMP_MEMBER_ID} = select(${ids});`, { hint: rule._uuid });
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
