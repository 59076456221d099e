// Router ingress table 21, ARP/ND request (man ovn-northd, "Ingress Table
// 21: ARP Request"): a packet whose Ethernet destination is still unknown
// (00:00:00:00:00:00 after table 17) becomes an ARP request or an IPv6
// neighbour solicitation for its next hop; everything else is output.  A
// static route's IPv6 next hop (a /128) is solicited at its own solicited-node
// multicast address (northd.c build_arp_request_flows_for_lrouter).
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { formatIpv6, in6SolicitedNode, ipv6MulticastToEthernet, ipv6ParseCidr } from '../../model/ip.js';
import { formatMac } from '../../model/mac.js';
import { sortedUuids } from '../hmap.js';
import { LR_IN_ARP_REQUEST } from '../stages.js';
import type { Router, Topology } from '../topology.js';
import { REG_NEXT_HOP_IPV4, REG_NEXT_HOP_IPV6, REG_SRC_IPV4, routerCoppMeter } from './common.js';


/** Priority 200: neighbour solicitation for each static route whose next hop is one IPv6 host (they read the routes: lr/…/routes). */
export function staticRouteNextHopSolicitations(ctx: CompileContext, rtr: Router): LFlow[] {
  const f = new FlowSink();
  // In the IDL's order (by UUID): of two routes to the same next hop, the first names the flow.
  for (const uuid of sortedUuids(rtr.nb.static_routes)) {
    const route = ctx.nb.Logical_Router_Static_Route.get(uuid);
    if (!route) continue;
    const nh = ipv6ParseCidr(route.nexthop);
    if (!nh.ok || nh.value.plen !== 128) continue;
    const sn = in6SolicitedNode(nh.value.ip);
    f.add(
      LR_IN_ARP_REQUEST,
      200,
      `eth.dst == 00:00:00:00:00:00 && ip6 && ${REG_NEXT_HOP_IPV6} == ${route.nexthop}`,
      `nd_ns { eth.dst = ${formatMac(ipv6MulticastToEthernet(sn))}; ip6.dst = ${formatIpv6(sn)}; nd.target = ${route.nexthop}; output; };`,
      { hint: route._uuid, meter: routerCoppMeter(ctx, rtr, 'nd-ns-resolve') },
    );
  }
  return f.out;
}

/** The table's other flows (the static routes' solicitations are staticRouteNextHopSolicitations()). */
export function arpRequest(ctx: CompileContext, _topo: Topology, rtr: Router): LFlow[] {
  const f = new FlowSink();
  f.add(
    LR_IN_ARP_REQUEST,
    100,
    'eth.dst == 00:00:00:00:00:00 && ip4',
    `arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = ${REG_SRC_IPV4}; arp.tpa = ${REG_NEXT_HOP_IPV4}; arp.op = 1; output; };`,
    { meter: routerCoppMeter(ctx, rtr, 'arp-resolve') },
  );
  f.add(LR_IN_ARP_REQUEST, 100, 'eth.dst == 00:00:00:00:00:00 && ip6', `nd_ns { nd.target = ${REG_NEXT_HOP_IPV6}; output; };`, {
    meter: routerCoppMeter(ctx, rtr, 'nd-ns-resolve'),
  });
  f.add(LR_IN_ARP_REQUEST, 0, '1', 'output;');
  return f.out;
}
