// What several router stages share: the registers of the router pipeline
// (northd.c's REG_* / REGBIT_* for routers), and small facts about router
// ports that the reference computes in several places.
import type { CompileContext } from '../context.js';
import { coppMeterOf } from '../copp.js';
import type { Router, RouterPort, Switch, Topology } from '../topology.js';
import { smapGetInt } from '../../model/smap.js';

export const REGBIT_EGRESS_LOOPBACK = 'reg9[0]';
export const REGBIT_PKT_LARGER = 'reg9[1]';
export const REGBIT_LOOKUP_NEIGHBOR_RESULT = 'reg9[2]';
export const REGBIT_LOOKUP_NEIGHBOR_IP_RESULT = 'reg9[3]';
export const REGBIT_DST_NAT_IP_LOCAL = 'reg9[4]';
export const REGBIT_KNOWN_ECMP_NH = 'reg9[5]';
export const REGBIT_KNOWN_LB_SESSION = 'reg9[6]';
export const REG_INPORT_ETH_ADDR = 'xreg0[0..47]';
export const REG_ECMP_GROUP_ID = 'reg8[0..15]';
export const REG_ECMP_MEMBER_ID = 'reg8[16..31]';
export const REG_NEXT_HOP_IPV4 = 'reg0';
export const REG_NEXT_HOP_IPV6 = 'xxreg0';
export const REG_SRC_IPV4 = 'reg1';
export const REG_SRC_IPV6 = 'xxreg1';
export const REG_ROUTE_TABLE_ID = 'reg7';
export const REG_ORIG_TP_DPORT_ROUTER = 'reg9[16..31]';
export const REGBIT_ND_RA_OPTS_RESULT = 'reg0[5]';

/** Ethernet header sizes of build_gateway_get_l2_hdr_size(). */
const ETH_HEADER_LEN = 14;
const VLAN_ETH_HEADER_LEN = 18;

/** lrport_is_enabled(). */
export function lrportIsEnabled(p: RouterPort): boolean {
  return p.enabled;
}

/** is_l3dgw_port(): a distributed gateway port (it has a chassisredirect port). */
export function isL3dgwPort(p: RouterPort): boolean {
  return p.crName !== undefined;
}

/** The cr- port's name as it appears in matches. */
export function crJsonKey(p: RouterPort): string {
  return JSON.stringify(p.crName!);
}

/** The switch on the other side of a router port (its peer is a router-type LSP), if any. */
export function peerSwitch(topo: Topology, p: RouterPort): Switch | undefined {
  const peer = p.peerName !== undefined ? topo.lspByName.get(p.peerName) : undefined;
  return peer ? topo.switchByUuid.get(peer.switchUuid) : undefined;
}

/** The router port on the other side of a router port (router-to-router link), if any. */
export function peerRouterPort(topo: Topology, p: RouterPort): RouterPort | undefined {
  return p.peerName !== undefined ? topo.lrpByName.get(p.peerName) : undefined;
}

/**
 * build_gateway_get_l2_hdr_size(): a VLAN header when a localnet port of the
 * peer switch requests a tag.
 */
export function gatewayL2HdrSize(topo: Topology, p: RouterPort): number {
  if (peerSwitch(topo, p)?.localnetPorts.some((l) => l.nb.tag_request !== undefined)) return VLAN_ETH_HEADER_LEN;
  return ETH_HEADER_LEN;
}

/** consider_l3dgw_port_is_centralized(): a DGP whose peer switch has no vtep ports. */
export function l3dgwIsCentralized(topo: Topology, p: RouterPort): boolean {
  return isL3dgwPort(p) && !peerSwitch(topo, p)?.hasVtepLports;
}

/** options:gateway_mtu of a router port (0 when unset). */
export function gatewayMtu(p: RouterPort): number {
  return smapGetInt(p.nb.options, 'gateway_mtu', 0);
}

/** The control-plane protocols a router's Copp row meters (23.03). */
export type RouterCoppProto =
  | 'arp'
  | 'arp-resolve'
  | 'nd-na'
  | 'nd-ns'
  | 'nd-ns-resolve'
  | 'nd-ra-opts'
  | 'icmp4-error'
  | 'icmp6-error'
  | 'tcp-reset'
  | 'bfd'
  | 'event-elb'
  | 'reject';

/** copp_meter_get() for a router. */
export function routerCoppMeter(ctx: CompileContext, rtr: Router, proto: RouterCoppProto): string | undefined {
  return coppMeterOf(ctx, rtr.nb.copp, proto);
}

/** build_lrouter_arp_flow()'s reply: answer the ARP request from `mac`. */
export function arpReplyActions(mac: string): string {
  return `eth.dst = eth.src; eth.src = ${mac}; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; arp.sha = ${mac}; arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; output;`;
}

/** build_lrouter_nd_flow()'s reply: `action` (nd_na / nd_na_router) from `mac`. */
export function ndReplyActions(action: string, mac: string): string {
  return `${action} { eth.src = ${mac}; ip6.src = nd.target; nd.tll = ${mac}; outport = inport; flags.loopback = 1; output; };`;
}
