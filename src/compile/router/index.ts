// The logical-router pipeline (man ovn-northd, "Logical Router Datapaths"):
// one router in, its flows out, in the reference's order — per datapath
// (build_lswitch_and_lrouter_iterate_by_od), then per router port
// (build_lswitch_and_lrouter_iterate_by_op; a distributed gateway port's
// chassisredirect port is handled with its port), then the flows a switch's
// ports put on the routers attached to that switch (ARP resolve).  The order
// only decides which builder's hint a merged flow keeps.
import type { CompileContext } from '../context.js';
import type { LFlow } from '../lflow.js';
import type { Router, RouterPort, Switch, Topology } from '../topology.js';
import { admissionDefaults, admissionForPort } from './admission.js';
import { neighborLearningDefaults, neighborLearningForPort } from './neighbor.js';
import { ndRaDefaults, ndRaForPort } from './nd-ra.js';
import { ipRoutingForPort, ipRoutingPre, mcastLookup, staticRoutes } from './routing.js';
import { ingressPolicies } from './policy.js';
import { arpResolveDefaults, arpResolveForRouterPort, arpResolveFromSwitch } from './arp-resolve.js';
import { checkPktLen } from './pkt-len.js';
import { gatewayRedirect } from './gw-redirect.js';
import { arpRequest, staticRouteNextHopSolicitations } from './arp-request.js';
import { arpNdForDatapath, dhcpv6Reply, ipv4Input, ipv6Input, miscLocalTrafficDrop } from './ip-input.js';
import { egressDelivery } from './egress.js';
import { forceSnatForPort, lbAffinityDefaults, natDefragAndLb } from './nat-defaults.js';

/**
 * A router's datapath-level flows but those of its static routes and policies (which are
 * buildRouterRouteFlows() and buildRouterPolicyFlows(): a route or policy edit rebuilds only those).
 */
export function buildRouterOwnFlows(ctx: CompileContext, topo: Topology, rtr: Router): LFlow[] {
  return [
    ...admissionDefaults(ctx),
    ...neighborLearningDefaults(ctx, topo, rtr),
    ...ndRaDefaults(ctx, rtr),
    ...ipRoutingPre(ctx, rtr),
    ...mcastLookup(ctx, topo, rtr),
    ...arpResolveDefaults(ctx, topo, rtr),
    ...checkPktLen(ctx, topo, rtr),
    ...gatewayRedirect(ctx, topo, rtr),
    ...arpRequest(ctx, topo, rtr),
    ...miscLocalTrafficDrop(ctx, topo, rtr),
    ...arpNdForDatapath(ctx, topo, rtr),
    ...natDefragAndLb(ctx, topo, rtr),
    ...lbAffinityDefaults(ctx, rtr),
  ];
}

/** A router's static routes (routing, ECMP, next-hop solicitations); `portKey` gives its ports' tunnel keys as allocated this run. */
export function buildRouterRouteFlows(ctx: CompileContext, topo: Topology, rtr: Router, portKey: (name: string) => number | undefined): LFlow[] {
  return [...staticRoutes(ctx, topo, rtr, portKey), ...staticRouteNextHopSolicitations(ctx, rtr)];
}

/** A router's routing policies. */
export function buildRouterPolicyFlows(ctx: CompileContext, topo: Topology, rtr: Router): LFlow[] {
  return ingressPolicies(ctx, topo, rtr);
}

/** One router port's flows (and its chassisredirect port's); `dpKey`: the router's datapath tunnel key. */
export function buildRouterPortFlows(ctx: CompileContext, topo: Topology, rtr: Router, port: RouterPort, dpKey?: number): LFlow[] {
  return [
    ...admissionForPort(topo, port),
    ...neighborLearningForPort(ctx, topo, rtr, port),
    ...ipRoutingForPort(ctx, topo, rtr, port),
    ...ndRaForPort(ctx, topo, rtr, port),
    ...arpResolveForRouterPort(ctx, topo, rtr, port),
    ...egressDelivery(ctx, topo, rtr, port),
    ...dhcpv6Reply(ctx, topo, rtr, port),
    ...ipv6Input(ctx, topo, rtr, port),
    ...ipv4Input(ctx, topo, rtr, port, dpKey),
    ...forceSnatForPort(ctx, topo, rtr, port),
  ];
}

/** The flows the ports of switch `sw` put on router `rtr`'s datapath (sw is one of its peers). */
export function buildRouterFlowsFromSwitch(ctx: CompileContext, topo: Topology, rtr: Router, sw: Switch): LFlow[] {
  return arpResolveFromSwitch(ctx, topo, rtr, sw);
}
