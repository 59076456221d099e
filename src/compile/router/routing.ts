// Router ingress tables 12-14 (man ovn-northd, "Ingress Table 12: IP Routing
// Pre", "Ingress Table 13: IP Routing", "Ingress Table 14: IP_ROUTING_ECMP"):
// a port's options:route_table selects the route table (reg7), connected
// networks and static routes pick the output port and next hop by longest
// prefix, ECMP routes select a member (reg8) whose next hop table 14 sets,
// and with mcast_relay, IP multicast is routed to the learnt groups or
// flooded to the statically configured ports.
// (northd.c build_ip_routing_pre_flows_for_lrouter,
// build_ip_routing_flows_for_lrouter_port, build_static_route_flows_for_lrouter,
// build_mcast_lookup_flows_for_lrouter.)
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import type { NbLogicalRouterStaticRoute } from '../../model/nb.js';
import {
  formatIpv4,
  formatIpv6,
  inetPton4,
  inetPton6,
  ip46ParseCidr,
  ipv4Network,
  ipv6Bytes,
  ipv6IsV4Mapped,
  ipv6MappedIpv4,
  ipv6Network,
  normalizeV46Prefix,
  type Ipv6,
} from '../../model/ip.js';
import type { LportAddresses } from '../../model/lsp-addresses.js';
import { smapGetBool } from '../../model/smap.js';
import { hashByteArray, sortedUuids } from '../hmap.js';
import { syncedBfdStatus, type BfdStatus } from '../bfd-status.js';
import {
  LR_IN_ARP_RESOLVE,
  LR_IN_DEFRAG,
  LR_IN_ECMP_STATEFUL,
  LR_IN_IP_ROUTING,
  LR_IN_IP_ROUTING_ECMP,
  LR_IN_IP_ROUTING_PRE,
  LR_IN_POLICY,
} from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import {
  REG_ECMP_GROUP_ID,
  REG_ECMP_MEMBER_ID,
  REG_NEXT_HOP_IPV4,
  REG_NEXT_HOP_IPV6,
  REG_ROUTE_TABLE_ID,
  REG_SRC_IPV4,
  REG_SRC_IPV6,
  REGBIT_KNOWN_ECMP_NH,
} from './common.js';

/** Longest-prefix match: priority = plen * 3 + an offset that puts connected networks above static routes. */
const ROUTE_PRIO_OFFSET_MULTIPLIER = 3;
const ROUTE_PRIO_OFFSET_STATIC = 1;
const ROUTE_PRIO_OFFSET_CONNECTED = 2;
const ROUTE_ORIGIN_CONNECTED = 'connected';
const BFD_UDP_DST_PORT = 3784;
const MC_STATIC = '_MC_static';
/** The ct_label bits that hold the ECMP reply MAC, through a register (no masked ct_label access). */
const REG_ECMP_ETH_FULL = 'xxreg1';
const REG_ECMP_ETH_FIELD = `${REG_ECMP_ETH_FULL}[32..79]`;
const MAX_ROUTE_TABLES = 0xffff;

// ----------------------------------------------------------------- table 12

/** Priority 0: the main route table (0) unless a port's route_table says otherwise. */
export function ipRoutingPre(_ctx: CompileContext, _rtr: Router): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_IP_ROUTING_PRE, 0, '1', `${REG_ROUTE_TABLE_ID} = 0; next;`);
  return f.out;
}

// ----------------------------------------------------------------- route matches and actions

/** The route table ids of one router: 1, 2, … in order of first mention (ports first, then routes). */
class RouteTables {
  private readonly ids = new Map<string, number>();
  constructor(private readonly ctx: CompileContext) {}

  /** 0 for the main table (no name). */
  id(name: string | undefined): number {
    if (!name) return 0;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.ids.size + 1;
      if (id === MAX_ROUTE_TABLES) {
        this.ctx.warn('route-tables', 'too many route tables for Logical Router.');
        return 0;
      }
      this.ids.set(name, id);
    }
    return id;
  }
}

interface RouteMatch {
  readonly match: string;
  readonly priority: number;
}

/**
 * build_route_match(): ip4/ip6 dst (src for src-ip routes) within the
 * network; static routes, and routes of a named table, also match the route
 * table; a link-local network only from the port that owns it.
 */
function routeMatch(inport: RouterPort | undefined, rtbId: number, networkS: string, plen: number, isSrcRoute: boolean, isV4: boolean, ofs: number): RouteMatch {
  const eff = isSrcRoute ? 0 : ofs;
  let m = inport ? `inport == ${inport.jsonKey} && ` : '';
  if (rtbId || eff === ROUTE_PRIO_OFFSET_STATIC) m += `${REG_ROUTE_TABLE_ID} == ${rtbId} && `;
  m += `ip${isV4 ? '4' : '6'}.${isSrcRoute ? 'src' : 'dst'} == ${networkS}/${plen}`;
  return { match: m, priority: plen * ROUTE_PRIO_OFFSET_MULTIPLIER + eff };
}

/** build_route_prefix_s(): the prefix's network address (no length). */
function routePrefixS(prefix: Ipv6, plen: number): string {
  if (ipv6IsV4Mapped(prefix)) return formatIpv4(ipv4Network(ipv6MappedIpv4(prefix), plen));
  return formatIpv6(ipv6Network(prefix, plen));
}

/** True for a fe80::/64 address (in6_is_lla), from its text. */
function isLinkLocalNetwork(networkS: string): boolean {
  const v = inetPton6(networkS);
  return v !== undefined && v >> 64n === 0xfe80n << 48n;
}

interface RouteSpec {
  /** The output port; undefined for a discard route. */
  readonly port: RouterPort | undefined;
  readonly lrpAddr: string | undefined;
  readonly networkS: string;
  readonly plen: number;
  /** The next hop, or '' to route to the destination itself. */
  readonly gateway: string;
  readonly isSrcRoute: boolean;
  readonly rtbId: number;
  readonly hint: string;
  readonly isDiscard: boolean;
  readonly ofs: number;
}

/**
 * add_route(): one route in table 13.  Over a port with BFD sessions, BFD
 * packets to the network are routed without decrementing the TTL.
 */
function addRoute(ctx: CompileContext, f: FlowSink, bfd: ReadonlySet<string>, r: RouteSpec): void {
  const isV4 = r.networkS.includes('.');
  const inport = !isV4 && isLinkLocalNetwork(r.networkS) ? r.port : undefined;
  const { match, priority } = routeMatch(inport, r.rtbId, r.networkS, r.plen, r.isSrcRoute, isV4, r.ofs);
  if (r.isDiscard) {
    f.add(LR_IN_IP_ROUTING, priority, match, ctx.dropAction, { hint: r.hint });
    return;
  }
  const p = r.port!;
  const common =
    `${REG_ECMP_GROUP_ID} = 0; ${isV4 ? REG_NEXT_HOP_IPV4 : REG_NEXT_HOP_IPV6} = ${r.gateway || `ip${isV4 ? '4' : '6'}.dst`}; ` +
    `${isV4 ? REG_SRC_IPV4 : REG_SRC_IPV6} = ${r.lrpAddr}; eth.src = ${p.networks.eaStr}; outport = ${p.jsonKey}; flags.loopback = 1; next;`;
  f.add(LR_IN_IP_ROUTING, priority, match, `ip.ttl--; ${common}`, { hint: r.hint });
  if (bfd.has(p.name)) f.add(LR_IN_IP_ROUTING, priority + 1, `${match} && udp.dst == ${BFD_UDP_DST_PORT}`, common, { hint: r.hint });
}

/**
 * The ports with op->has_bfd: named by some NB BFD row, unless an SB BFD row
 * of the port has no NB row left (the reference clears the flag for those
 * while it deletes them).
 */
function bfdPorts(ctx: CompileContext): ReadonlySet<string> {
  const out = new Set<string>();
  if (!ctx.nb.BFD.size) return out;
  const nbKeys = new Set<string>();
  for (const b of ctx.nb.BFD.values()) {
    nbKeys.add(`${b.logical_port}\u0000${b.dst_ip}`);
    out.add(b.logical_port);
  }
  for (const s of ctx.sb.BFD.values()) if (!nbKeys.has(`${s.logical_port}\u0000${s.dst_ip}`)) out.delete(s.logical_port);
  return out;
}

// ----------------------------------------------------------------- table 13: connected networks

/** A router port's own networks (IPv4, then IPv6 with the link-local one). */
export function ipRoutingForPort(ctx: CompileContext, _topo: Topology, _rtr: Router, port: RouterPort): LFlow[] {
  const f = new FlowSink();
  const n = port.networks;
  const bfd = bfdPorts(ctx);
  for (const a of n.ipv4Addrs) connectedRoute(ctx, f, bfd, port, a.addrStr, a.networkStr, a.plen);
  for (const a of n.ipv6Addrs) connectedRoute(ctx, f, bfd, port, a.addrStr, a.networkStr, a.plen);
  return f.out;
}

function connectedRoute(ctx: CompileContext, f: FlowSink, bfd: ReadonlySet<string>, port: RouterPort, addr: string, networkS: string, plen: number): void {
  addRoute(ctx, f, bfd, {
    port,
    lrpAddr: addr,
    networkS,
    plen,
    gateway: '',
    isSrcRoute: false,
    rtbId: 0,
    hint: port.nb._uuid,
    isDiscard: false,
    ofs: ROUTE_PRIO_OFFSET_CONNECTED,
  });
}

// ----------------------------------------------------------------- tables 12-14: static routes

interface ParsedRoute {
  readonly nb: NbLogicalRouterStaticRoute;
  /** The prefix as written (host bits kept), IPv4 as a mapped address. */
  readonly prefix: Ipv6;
  readonly plen: number;
  readonly isV4: boolean;
  readonly isSrcRoute: boolean;
  readonly rtbId: number;
  readonly hash: number;
  readonly ecmpSymmetricReply: boolean;
  readonly isDiscard: boolean;
  /** Where the route leaves (undefined for a discard route). */
  readonly out: OutPort | undefined;
}

interface OutPort {
  readonly port: RouterPort;
  readonly lrpAddr: string;
}

/** Same prefix (as written), length, policy and table: routes that form an ECMP group. */
function sameRouteKey(a: ParsedRoute, b: ParsedRoute): boolean {
  return a.prefix === b.prefix && a.plen === b.plen && a.isSrcRoute === b.isSrcRoute && a.rtbId === b.rtbId;
}

/** A next hop parsed once for find_lport_address(): "." decides the family. */
export type Nexthop = { readonly v4: true; readonly ip: number } | { readonly v4: false; readonly ip: Ipv6 };

/** The next hop, or undefined (with the reference's warning) when it does not parse. */
export function parseNexthop(ctx: CompileContext, ip: string): Nexthop | undefined {
  if (ip.includes('.')) {
    const v = inetPton4(ip);
    if (v === undefined) ctx.warn('bad-ip', `bad ip address ${ip}`);
    return v === undefined ? undefined : { v4: true, ip: v };
  }
  const v = inetPton6(ip);
  if (v === undefined) ctx.warn('bad-ip', `bad ipv6 address ${ip}`);
  return v === undefined ? undefined : { v4: false, ip: v };
}

/** find_lport_address(): the port's address on the network that holds the next hop. */
export function lrpMemberIp(n: LportAddresses, nh: Nexthop | undefined): string | undefined {
  if (!nh) return undefined;
  if (nh.v4) {
    for (const a of n.ipv4Addrs) if (((a.network ^ nh.ip) & a.mask) >>> 0 === 0) return a.addrStr;
  } else {
    for (const a of n.ipv6Addrs) if (((a.network ^ nh.ip) & a.mask) === 0n) return a.addrStr;
  }
  return undefined;
}

/** Per list of router ports: for each IPv4 mask of their networks, network → index of the first port on it. */
const v4NetworkIndex = new WeakMap<readonly RouterPort[], Map<number, Map<number, number>>>();

/**
 * The first of `ports` with an IPv4 network holding `ip` (what a scan of the ports finds),
 * by one lookup per distinct mask: 2,000 routes on a router with 500 ports scanned every
 * port for every route.
 */
function firstPortHolding(ports: readonly RouterPort[], ip: number): RouterPort | undefined {
  let byMask = v4NetworkIndex.get(ports);
  if (!byMask) {
    byMask = new Map();
    ports.forEach((p, i) => {
      for (const a of p.networks.ipv4Addrs) {
        let m = byMask!.get(a.mask);
        if (!m) byMask!.set(a.mask, (m = new Map()));
        const net = (a.network & a.mask) >>> 0;
        if (!m.has(net)) m.set(net, i);
      }
    });
    v4NetworkIndex.set(ports, byMask);
  }
  let best = -1;
  for (const [mask, m] of byMask) {
    const i = m.get((ip & mask) >>> 0);
    if (i !== undefined && (best < 0 || i < best)) best = i;
  }
  return best < 0 ? undefined : ports[best];
}

/**
 * find_static_route_outport(): the route's output_port (reaching the next
 * hop through its first address of the family when no network of it holds
 * the next hop), else the first port of the router with a network that
 * holds the next hop.
 */
function staticRouteOutport(ctx: CompileContext, topo: Topology, rtr: Router, route: NbLogicalRouterStaticRoute, isV4: boolean): OutPort | undefined {
  let port: RouterPort | undefined;
  let lrpAddr: string | undefined;
  const nh = route.nexthop ? parseNexthop(ctx, route.nexthop) : undefined;
  if (route.output_port !== undefined) {
    const found = topo.portByName.get(route.output_port);
    if (!found) {
      ctx.warn('static-route-outport', `Bad out port ${route.output_port} for static route ${route.ip_prefix}`);
      return undefined;
    }
    // A switch port has no networks: no path.
    port = found.kind === 'lrp' ? found : undefined;
    const n = port?.networks;
    if (n) lrpAddr = lrpMemberIp(n, nh);
    if (n && !lrpAddr) lrpAddr = isV4 ? n.ipv4Addrs[0]?.addrStr : n.ipv6Addrs[0]?.addrStr;
  } else if (nh?.v4) {
    port = firstPortHolding(rtr.ports, nh.ip);
    lrpAddr = port ? lrpMemberIp(port.networks, nh) : undefined;
  } else {
    for (const p of rtr.ports) {
      port = p;
      lrpAddr = lrpMemberIp(p.networks, nh);
      if (lrpAddr) break;
    }
  }
  if (!port || !lrpAddr) {
    ctx.warn('static-route-no-path', `No path for static route ${route.ip_prefix}; next hop ${route.nexthop}`);
    return undefined;
  }
  if (port.routerUuid !== rtr.uuid) {
    // The reference puts the route on that port's router; we keep each router's flows to itself.
    ctx.warn('static-route-foreign-port', `static route ${route.ip_prefix} of router ${rtr.name} leaves through ${port.name} of another router: skipped`);
    return undefined;
  }
  return { port, lrpAddr };
}

/**
 * The BFD session a route depends on (the route's bfd row, when it watches
 * the route's next hop) is down: the route is left out.  Its status is the
 * one build_bfd_table() leaves (bfd-status.ts); admin_down there becomes
 * down as the route reads it.
 */
function routeBfdDown(ctx: CompileContext, route: NbLogicalRouterStaticRoute): boolean {
  if (route.bfd === undefined) return false;
  const b = ctx.nb.BFD.get(route.bfd);
  if (!b || b.dst_ip !== route.nexthop) return false;
  let sbStatus: BfdStatus | undefined;
  for (const s of ctx.sb.BFD.values()) {
    if (s.logical_port !== b.logical_port || s.dst_ip !== b.dst_ip) continue;
    sbStatus = s.status;
    break;
  }
  const status = syncedBfdStatus(b.status, sbStatus);
  return status === 'admin_down' || status === 'down';
}

/**
 * The checks of parsed_routes_add() before it looks at the route's BFD
 * session: addresses that parse, of one family, and a way out.
 */
function checkRoute(ctx: CompileContext, topo: Topology, rtr: Router, route: NbLogicalRouterStaticRoute): { isDiscard: boolean; isV4: boolean; prefix: Ipv6; plen: number; out: OutPort | undefined } | undefined {
  const isDiscard = route.nexthop === 'discard';
  const validNexthop = route.nexthop !== '' && !isDiscard;
  let nexthopV4 = false;
  if (validNexthop) {
    const nh = ip46ParseCidr(route.nexthop);
    if (!nh.ok) {
      ctx.warn('static-route-nexthop', `bad 'nexthop' ${route.nexthop} in static route ${route._uuid}`);
      return undefined;
    }
    nexthopV4 = nh.value.family === 4;
    if (nh.value.plen !== (nexthopV4 ? 32 : 128)) {
      ctx.warn('static-route-nexthop', `bad next hop mask ${route.nexthop} in static route ${route._uuid}`);
      return undefined;
    }
  }
  const pfx = ip46ParseCidr(route.ip_prefix);
  if (!pfx.ok) {
    ctx.warn('static-route-prefix', `bad 'ip_prefix' ${route.ip_prefix} in static route ${route._uuid}`);
    return undefined;
  }
  const isV4 = ipv6IsV4Mapped(pfx.value.prefix);
  if (validNexthop && isV4 !== nexthopV4) {
    ctx.warn(
      'static-route-family',
      `Address family doesn't match between 'ip_prefix' ${route.ip_prefix} and 'nexthop' ${route.nexthop} in static route ${route._uuid}`,
    );
    return undefined;
  }
  const out = isDiscard ? undefined : staticRouteOutport(ctx, topo, rtr, route, isV4);
  if (!isDiscard && !out) return undefined;
  return { isDiscard, isV4, prefix: pfx.value.prefix, plen: pfx.value.plen, out };
}

/**
 * The NB BFD session a static route uses (build_bfd_table's "user" of it):
 * the route passes the checks and watches the session's destination.
 */
export function staticRouteBfdSession(ctx: CompileContext, topo: Topology, rtr: Router, route: NbLogicalRouterStaticRoute): string | undefined {
  if (route.bfd === undefined || ctx.nb.BFD.get(route.bfd)?.dst_ip !== route.nexthop) return undefined;
  return checkRoute(ctx, topo, rtr, route) ? route.bfd : undefined;
}

/** parsed_routes_add(): a static route validated, or undefined (with the reference's warning). */
function parseRoute(ctx: CompileContext, topo: Topology, rtr: Router, tables: RouteTables, route: NbLogicalRouterStaticRoute): ParsedRoute | undefined {
  const checked = checkRoute(ctx, topo, rtr, route);
  if (!checked) return undefined;
  if (routeBfdDown(ctx, route)) return undefined;
  const { isDiscard, isV4, prefix, plen, out } = checked;
  return {
    nb: route,
    prefix,
    plen,
    isV4,
    rtbId: tables.id(route.route_table),
    isSrcRoute: route.policy === 'src-ip',
    hash: routeHash(prefix, plen),
    ecmpSymmetricReply: smapGetBool(route.options, 'ecmp_symmetric_reply', false),
    isDiscard,
    out,
  };
}

/** A route's priority offset: options:origin=connected routes rank with connected networks. */
function routeOriginOffset(route: NbLogicalRouterStaticRoute): number {
  return (route.options['origin'] ?? '') === ROUTE_ORIGIN_CONNECTED ? ROUTE_PRIO_OFFSET_CONNECTED : ROUTE_PRIO_OFFSET_STATIC;
}

interface EcmpGroup {
  /** 1, 2, … in order of creation (when a second route with the same key shows up). */
  readonly id: number;
  readonly first: ParsedRoute;
  /** Member ids are positions + 1. */
  readonly routes: ParsedRoute[];
}

/**
 * The static routes: per-port route table selection, then the routes
 * grouped by (prefix, plen, policy, table) into ECMP groups and unique
 * routes, each emitted in the walk order of the reference's hash maps.
 */
export function staticRoutes(ctx: CompileContext, topo: Topology, rtr: Router, portKey: (name: string) => number | undefined = () => undefined): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_IP_ROUTING_ECMP, 0, '1', ctx.dropAction);
  f.add(LR_IN_IP_ROUTING, 0, '1', ctx.dropAction);
  f.add(LR_IN_IP_ROUTING_ECMP, 150, `${REG_ECMP_GROUP_ID} == 0`, 'next;');

  const tables = new RouteTables(ctx);
  routeTableSelection(ctx, f, rtr, tables);

  const groups = new SimHmap<EcmpGroup>();
  const unique = new SimHmap<ParsedRoute>();
  for (const u of sortedUuids(rtr.nb.static_routes)) {
    const nb = ctx.nb.Logical_Router_Static_Route.get(u);
    if (!nb) continue;
    const r = parseRoute(ctx, topo, rtr, tables, nb);
    if (!r) continue;
    const g = groups.find(r.hash, (eg) => sameRouteKey(eg.first, r));
    if (g) {
      g.routes.push(r);
      continue;
    }
    const prev = unique.remove(r.hash, (ur) => sameRouteKey(ur, r));
    if (prev) groups.insert(r.hash, { id: groups.size + 1, first: prev, routes: [prev, r] });
    else unique.insert(r.hash, r);
  }
  for (const g of groups.walk()) ecmpRoute(ctx, f, topo, rtr, g, portKey);
  const bfd = unique.size ? bfdPorts(ctx) : new Set<string>();
  for (const r of unique.walk()) uniqueStaticRoute(ctx, f, bfd, r);
  return f.out;
}

/** build_route_table_lflow(): packets from a port with options:route_table use that table. */
function routeTableSelection(ctx: CompileContext, f: FlowSink, rtr: Router, tables: RouteTables): void {
  for (const u of sortedUuids(rtr.nb.ports)) {
    const lrp = ctx.nb.Logical_Router_Port.get(u);
    if (!lrp) continue;
    const id = tables.id(lrp.options['route_table']);
    if (!id) continue;
    // The name unquoted, as the reference writes it.
    f.add(LR_IN_IP_ROUTING_PRE, 100, `inport == "${lrp.name}"`, `${REG_ROUTE_TABLE_ID} = ${id}; next;`);
  }
}

/** build_static_route_flow(): a route without ECMP siblings. */
function uniqueStaticRoute(ctx: CompileContext, f: FlowSink, bfd: ReadonlySet<string>, r: ParsedRoute): void {
  // The reference looks the port up again, with the same result.
  const out = r.out;
  addRoute(ctx, f, bfd, {
    port: out?.port,
    lrpAddr: out?.lrpAddr,
    networkS: routePrefixS(r.prefix, r.plen),
    plen: r.plen,
    gateway: r.nb.nexthop,
    isSrcRoute: r.isSrcRoute,
    rtbId: r.rtbId,
    hint: r.nb._uuid,
    isDiscard: r.isDiscard,
    ofs: routeOriginOffset(r.nb),
  });
}

/**
 * build_ecmp_route_flow(): table 13 picks a member of the group, table 14
 * sets each member's next hop.  On a gateway router, members with
 * ecmp_symmetric_reply also get the conntrack flows that send replies back
 * through the member the request came from (once per output port).
 */
function ecmpRoute(ctx: CompileContext, f: FlowSink, topo: Topology, rtr: Router, g: EcmpGroup, portKey: (name: string) => number | undefined): void {
  const first = g.first;
  const rm = routeMatch(undefined, first.rtbId, routePrefixS(first.prefix, first.plen), first.plen, first.isSrcRoute, first.isV4, routeOriginOffset(first.nb));
  const ids = g.routes.map((_r, i) => i + 1).join(', ');
  f.add(LR_IN_IP_ROUTING, rm.priority, rm.match, `ip.ttl--; flags.loopback = 1; ${REG_ECMP_GROUP_ID} = ${g.id}; ${REG_ECMP_MEMBER_ID} = select(${ids});`);

  const visited = new Set<string>();
  g.routes.forEach((r, i) => {
    // A discard route in a group is a member only through its output_port (next hop "discard").
    const out = r.out ?? staticRouteOutport(ctx, topo, rtr, r.nb, first.isV4);
    if (!out) return;
    if (rtr.nb.options['chassis'] !== undefined && r.ecmpSymmetricReply && !visited.has(out.port.name)) {
      visited.add(out.port.name);
      ecmpSymmetricReply(ctx, f, out, r, rm.match, portKey(out.port.name) ?? 0);
    }
    const v4 = first.isV4;
    f.add(
      LR_IN_IP_ROUTING_ECMP,
      100,
      `${REG_ECMP_GROUP_ID} == ${g.id} && ${REG_ECMP_MEMBER_ID} == ${i + 1}`,
      `${v4 ? REG_NEXT_HOP_IPV4 : REG_NEXT_HOP_IPV6} = ${r.nb.nexthop}; ${v4 ? REG_SRC_IPV4 : REG_SRC_IPV6} = ${out.lrpAddr}; ` +
        `eth.src = ${out.port.networks.eaStr}; outport = ${out.port.jsonKey}; next;`,
      { hint: r.nb._uuid },
    );
  });
}

/**
 * add_ecmp_symmetric_reply_flows(): traffic arriving through the member's
 * port from the routed prefix is committed with its source MAC and port
 * (ct_label / ct_mark), and replies to it skip the ECMP selection and the
 * policies and go back to that MAC through that port.
 */
/** `key`: the output port's tunnel key as allocated this run (the reference allocates before it builds flows). */
function ecmpSymmetricReply(ctx: CompileContext, f: FlowSink, out: OutPort, r: ParsedRoute, routeMatchS: string, key: number): void {
  const hint = { hint: r.nb._uuid };
  const replyPort = ctx.features.ctNoMaskedLabel ? 'ct_mark.ecmp_reply_port' : 'ct_label.ecmp_reply_port';
  const v6 = r.isV4 ? 'false' : 'true';
  const base = `inport == ${out.port.jsonKey} && ip${r.isV4 ? '4' : '6'}.${r.isSrcRoute ? 'dst' : 'src'} == ${normalizeV46Prefix(r.prefix, r.plen)}`;
  f.add(LR_IN_DEFRAG, 100, base, `${REGBIT_KNOWN_ECMP_NH} = chk_ecmp_nh_mac(); ct_next;`, hint);
  f.add(LR_IN_DEFRAG, 100, routeMatchS, `${REGBIT_KNOWN_ECMP_NH} = chk_ecmp_nh(); ct_next;`, hint);
  const commit = (proto: string): string =>
    `ct_commit { ct_label.ecmp_reply_eth = eth.src;  ${replyPort} = ${key};}; commit_ecmp_nh(ipv6 = ${v6}, proto = ${proto}); next;`;
  for (const proto of ['tcp', 'udp', 'sctp']) f.add(LR_IN_ECMP_STATEFUL, 100, `${base} && (ct.new && !ct.est) && ${proto}`, commit(proto), hint);
  for (const proto of ['tcp', 'udp', 'sctp']) {
    f.add(LR_IN_ECMP_STATEFUL, 100, `${base} && (!ct.rpl && ct.est) && ${proto} && ${REGBIT_KNOWN_ECMP_NH} == 0`, commit(proto), hint);
  }
  const reply = `ct.rpl && ${REGBIT_KNOWN_ECMP_NH} == 1 && ${replyPort} == ${key}`;
  f.add(
    LR_IN_IP_ROUTING,
    10300,
    `${reply} && ${routeMatchS}`,
    `ip.ttl--; flags.loopback = 1; eth.src = ${out.port.networks.eaStr}; ${r.isV4 ? '' : 'xx'}reg1 = ${out.lrpAddr}; outport = ${out.port.jsonKey}; next;`,
    hint,
  );
  f.add(LR_IN_POLICY, 65535, reply, 'next;', hint);
  f.add(
    LR_IN_ARP_RESOLVE,
    200,
    reply,
    `push(${REG_ECMP_ETH_FULL}); ${REG_ECMP_ETH_FULL} = ct_label; eth.dst = ${REG_ECMP_ETH_FIELD}; pop(${REG_ECMP_ETH_FULL}); next;`,
    hint,
  );
}

// ----------------------------------------------------------------- hash maps of the reference

/**
 * route_hash(): hash_bytes() over the 16 bytes of the prefix as written,
 * with the prefix length as basis.
 */
function routeHash(prefix: Ipv6, plen: number): number {
  return hashByteArray(ipv6Bytes(prefix), plen);
}


/**
 * An OVS `struct hmap` with inserts and removals, for its walk order:
 * buckets hold their newest node first; the table doubles when it holds
 * more than twice as many nodes as buckets, and never shrinks on removal.
 */
class SimHmap<T> {
  private mask = 0;
  private buckets: { item: T; hash: number }[][] = [[]];
  private n = 0;

  get size(): number {
    return this.n;
  }

  insert(hash: number, item: T): void {
    const h = hash >>> 0;
    this.buckets[h & this.mask]!.unshift({ item, hash: h });
    this.n++;
    if (Math.floor(this.n / 2) > this.mask) {
      const mask = calcMask(this.n);
      if (mask > this.mask) {
        const nb: { item: T; hash: number }[][] = Array.from({ length: mask + 1 }, () => []);
        for (const bucket of this.buckets) for (const node of bucket) nb[(node.hash & mask) >>> 0]!.unshift(node);
        this.buckets = nb;
        this.mask = mask;
      }
    }
  }

  find(hash: number, pred: (t: T) => boolean): T | undefined {
    const h = hash >>> 0;
    for (const node of this.buckets[h & this.mask]!) if (node.hash === h && pred(node.item)) return node.item;
    return undefined;
  }

  remove(hash: number, pred: (t: T) => boolean): T | undefined {
    const h = hash >>> 0;
    const bucket = this.buckets[h & this.mask]!;
    const i = bucket.findIndex((node) => node.hash === h && pred(node.item));
    if (i < 0) return undefined;
    this.n--;
    return bucket.splice(i, 1)[0]!.item;
  }

  walk(): T[] {
    const out: T[] = [];
    for (const bucket of this.buckets) for (const node of bucket) out.push(node.item);
    return out;
  }
}

/** calc_mask() of lib/hmap.c. */
function calcMask(capacity: number): number {
  let mask = Math.floor(capacity / 2);
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  mask |= (mask & 1) << 1;
  return mask >>> 0;
}

// ----------------------------------------------------------------- table 13: multicast

/**
 * IPv6 RS/RA are never routed.  With mcast_relay, multicast goes to the
 * learnt groups (none yet: SB IGMP_Group is not read) and otherwise is
 * flooded to the mcast_flood ports (without TTL decrement for IGMP/MLD,
 * which the router's own MACs must not loop) or dropped.
 */
export function mcastLookup(ctx: CompileContext, _topo: Topology, rtr: Router): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_IP_ROUTING, 10550, 'nd_rs || nd_ra', ctx.dropAction);
  if (!rtr.mcastRelay) return f.out;
  const floodStatic = rtr.ports.some((p) => p.enabled && p.mcastFlood);
  if (floodStatic) {
    for (const p of rtr.ports) {
      f.add(LR_IN_IP_ROUTING, 10550, `eth.src == ${p.networks.eaStr} && igmp`, ctx.dropAction);
      f.add(LR_IN_IP_ROUTING, 10550, `eth.src == ${p.networks.eaStr} && (mldv1 || mldv2)`, ctx.dropAction);
    }
    f.add(LR_IN_IP_ROUTING, 10460, 'igmp', `clone { outport = "${MC_STATIC}"; next; };`);
    f.add(LR_IN_IP_ROUTING, 10460, 'mldv1 || mldv2', `clone { outport = "${MC_STATIC}"; next; };`);
    f.add(LR_IN_IP_ROUTING, 10450, 'ip4.mcast || ip6.mcast', `clone { outport = "${MC_STATIC}"; ip.ttl--; next; };`);
  } else {
    f.add(LR_IN_IP_ROUTING, 10450, 'ip4.mcast || ip6.mcast', ctx.dropAction);
  }
  return f.out;
}
