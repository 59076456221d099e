// What a router's VIP addresses mean for its ports and peers, derived from its LbIps
// (router-lb-ips.ts) and its ports' networks:
//  * per port, the VIPs that port's networks hold (a peer switch forwards ARP/ND for them
//    to the port: build_lswitch_rport_arp_req_flows);
//  * the VIPs it answers ARP/ND for (its `_rtr_lb_<key>_ip4/_ip6` address sets);
//  * its own port addresses that are VIPs;
//  * what peers read of its NAT rules: external IPs that are not VIPs (forwarded like its own
//    addresses), external MACs, distributed rules — not SNAT addresses.
// Routers that share load balancers share one LbIps object, and the gateway routers of a
// cluster share their networks' prefixes, so each result is computed once per (LbIps,
// prefixes) and a VIP added to the group of 500 gateway routers costs two computations,
// not 500 — and, while what a router's ports and peers read is unchanged, the router keeps
// its object (topology.ts), so nothing downstream is rebuilt.
import type { LportAddresses } from '../model/lsp-addresses.js';
import { inetPton4, inetPton6 } from '../model/ip.js';
import { ssetOrder } from './hmap.js';
import type { LbIps } from './router-lb-ips.js';
import type { NatEntry } from './topology.js';

/** A list of IPv4 and one of IPv6 addresses. */
export interface IpLists {
  readonly v4: readonly string[];
  readonly v6: readonly string[];
}

export const NO_IPS: IpLists = Object.freeze({ v4: Object.freeze([]) as readonly string[], v6: Object.freeze([]) as readonly string[] });

type Parsed4 = readonly (readonly [string, number])[];
type Parsed6 = readonly (readonly [string, bigint])[];

interface PerLbIps {
  /** v4/v6 parsed, in no particular order. */
  readonly p4: Parsed4;
  readonly p6: Parsed6;
  /** v4/v6 in the order of an sset (the reference's flow order), made when first needed. */
  order4?: ReadonlyMap<string, number>;
  order6?: ReadonlyMap<string, number>;
  readonly set4: ReadonlySet<string>;
  readonly set6: ReadonlySet<string>;
  readonly all4: Parsed4;
  readonly all6: Parsed6;
  readonly reach4: Parsed4;
  readonly reach6: Parsed6;
  /** Results by the prefixes of the networks they were computed for. */
  readonly byPrefixes: Map<string, IpLists>;
  readonly respondByPrefixes: Map<string, IpLists>;
}

const perLbIps = new WeakMap<LbIps, PerLbIps>();

/** Parsed addresses by text, shared by the versions of every router's VIP list (bounded). */
const parsed4 = new Map<string, number | undefined>();
const parsed6 = new Map<string, bigint | undefined>();
const PARSE_CACHE_MAX = 1 << 18;

function pton4(ip: string): number | undefined {
  if (parsed4.has(ip)) return parsed4.get(ip);
  if (parsed4.size >= PARSE_CACHE_MAX) parsed4.clear();
  const v = inetPton4(ip);
  parsed4.set(ip, v);
  return v;
}

function pton6(ip: string): bigint | undefined {
  if (parsed6.has(ip)) return parsed6.get(ip);
  if (parsed6.size >= PARSE_CACHE_MAX) parsed6.clear();
  const v = inetPton4(ip) === undefined ? inetPton6(ip) : undefined;
  parsed6.set(ip, v);
  return v;
}

function parse4(ips: Iterable<string>): Parsed4 {
  const out: [string, number][] = [];
  for (const ip of ips) {
    const v = pton4(ip);
    if (v !== undefined) out.push([ip, v]);
  }
  return out;
}

function parse6(ips: Iterable<string>): Parsed6 {
  const out: [string, bigint][] = [];
  for (const ip of ips) {
    const v = pton6(ip);
    if (v !== undefined) out.push([ip, v]);
  }
  return out;
}

/** Rank of each address in sset order. */
function ranks(ips: readonly string[]): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  ssetOrder(ips).forEach((ip, i) => m.set(ip, i));
  return m;
}

function of(ips: LbIps): PerLbIps {
  let r = perLbIps.get(ips);
  if (!r) {
    r = {
      p4: parse4(ips.v4),
      p6: parse6(ips.v6),
      set4: new Set(ips.v4),
      set6: new Set(ips.v6),
      all4: parse4(ips.respondAll),
      all6: parse6(ips.respondAll),
      reach4: parse4(ips.respondReachable),
      reach6: parse6(ips.respondReachable),
      byPrefixes: new Map(),
      respondByPrefixes: new Map(),
    };
    perLbIps.set(ips, r);
  }
  return r;
}

const prefixMemo = new WeakMap<LportAddresses, string>();

/** The networks' prefixes (not their host addresses): routers on the same subnets share results. */
function prefixKeyOf(n: LportAddresses): string {
  let k = prefixMemo.get(n);
  if (k === undefined) {
    k = '';
    for (const a of n.ipv4Addrs) k += `${a.network}/${a.plen},`;
    k += '|';
    for (const a of n.ipv6Addrs) k += `${a.network}/${a.plen},`;
    prefixMemo.set(n, k);
  }
  return k;
}

function prefixKey(nets: readonly LportAddresses[]): string {
  return nets.length === 1 ? prefixKeyOf(nets[0]!) : nets.map(prefixKeyOf).join(';');
}

const in4 = (nets: readonly LportAddresses[], ip: number): boolean => nets.some((n) => n.ipv4Addrs.some((a) => ((ip & a.mask) >>> 0) === a.network));
const in6 = (nets: readonly LportAddresses[], ip: bigint): boolean => nets.some((n) => n.ipv6Addrs.some((a) => (ip & a.mask) === a.network));

/** The VIPs one port's networks hold, in flow order (lrouter_port_ipv4/6_reachable). */
export function reachableVips(ips: LbIps, networks: LportAddresses): IpLists {
  if (!ips.v4.length && !ips.v6.length) return NO_IPS;
  const p = of(ips);
  const key = prefixKey([networks]);
  let r = p.byPrefixes.get(key);
  if (!r) {
    const v4 = p.p4.filter(([, v]) => in4([networks], v)).map(([ip]) => ip);
    const v6 = p.p6.filter(([, v]) => in6([networks], v)).map(([ip]) => ip);
    // In the reference's order (an sset's hash order over all the router's VIPs).
    if (v4.length > 1) {
      const o = (p.order4 ??= ranks(ips.v4));
      v4.sort((a, b) => o.get(a)! - o.get(b)!);
    }
    if (v6.length > 1) {
      const o = (p.order6 ??= ranks(ips.v6));
      v6.sort((a, b) => o.get(a)! - o.get(b)!);
    }
    p.byPrefixes.set(key, (r = v4.length || v6.length ? { v4, v6 } : NO_IPS));
  }
  return r;
}

/**
 * build_lrouter_lb_reachable_ips(): the VIPs of "all" LBs, and those of "reachable" LBs that
 * one of the router's networks holds, each sorted.
 */
export function respondedVips(ips: LbIps, networks: readonly LportAddresses[]): IpLists {
  if (!ips.respondAll.length && !ips.respondReachable.length) return NO_IPS;
  const p = of(ips);
  const key = prefixKey(networks);
  let r = p.respondByPrefixes.get(key);
  if (!r) {
    const v4 = new Set<string>();
    const v6 = new Set<string>();
    for (const [ip] of p.all4) v4.add(ip);
    for (const [ip] of p.all6) v6.add(ip);
    for (const [ip, v] of p.reach4) if (in4(networks, v)) v4.add(ip);
    for (const [ip, v] of p.reach6) if (in6(networks, v)) v6.add(ip);
    p.respondByPrefixes.set(key, (r = { v4: [...v4].sort(), v6: [...v6].sort() }));
  }
  return r;
}

/** The ports' own addresses that are VIPs, sorted. */
export function ownVips(ips: LbIps, networks: readonly LportAddresses[]): readonly string[] {
  if (!ips.v4.length && !ips.v6.length) return [];
  const p = of(ips);
  const out: string[] = [];
  for (const n of networks) {
    for (const a of n.ipv4Addrs) if (p.set4.has(a.addrStr)) out.push(a.addrStr);
    for (const a of n.ipv6Addrs) if (p.set6.has(a.addrStr)) out.push(a.addrStr);
  }
  return out.sort();
}

/** What a peer switch's flows read of a router's NAT rules. */
export interface NatPeerFacts {
  /** External IPs (but SNAT's, and those that are VIPs) a peer forwards ARP/ND for, in NAT order. */
  readonly arpIps: IpLists;
  /** External MACs of the non-SNAT rules with a valid external IP (their ARP/ND is flooded). */
  readonly floodMacs: readonly string[];
  /** Distributed dnat_and_snat rules: [external_mac, logical_port]. */
  readonly distributed: readonly (readonly [string, string])[];
}

export const NO_NAT_PEER: NatPeerFacts = Object.freeze({ arpIps: NO_IPS, floodMacs: Object.freeze([]) as readonly string[], distributed: Object.freeze([]) as readonly (readonly [string, string])[] });

export function natPeerFacts(ips: LbIps, nat: readonly NatEntry[]): NatPeerFacts {
  if (!nat.length) return NO_NAT_PEER;
  const v4: string[] = [];
  const v6: string[] = [];
  const floodMacs: string[] = [];
  const distributed: [string, string][] = [];
  for (const n of nat) {
    if (n.nb.type === 'dnat_and_snat' && n.nb.logical_port !== undefined && n.nb.external_mac !== undefined) distributed.push([n.nb.external_mac, n.nb.logical_port]);
    if (!n.ext || n.nb.type === 'snat') continue;
    if (n.nb.external_mac !== undefined) floodMacs.push(n.nb.external_mac);
    const ip = n.nb.external_ip;
    if (n.isV6) {
      if (!(ips.v6.length && of(ips).set6.has(ip))) v6.push(ip);
    } else if (!(ips.v4.length && of(ips).set4.has(ip))) v4.push(ip);
  }
  if (!v4.length && !v6.length && !floodMacs.length && !distributed.length) return NO_NAT_PEER;
  return { arpIps: v4.length || v6.length ? { v4, v6 } : NO_IPS, floodMacs, distributed };
}

/** `next` unless `prev` holds the same facts. */
export function keepEqualNatPeer(prev: NatPeerFacts | undefined, next: NatPeerFacts): NatPeerFacts {
  if (!prev || prev === next) return next;
  const same =
    sameList(prev.arpIps.v4, next.arpIps.v4) &&
    sameList(prev.arpIps.v6, next.arpIps.v6) &&
    sameList(prev.floodMacs, next.floodMacs) &&
    prev.distributed.length === next.distributed.length &&
    prev.distributed.every((d, i) => d[0] === next.distributed[i]![0] && d[1] === next.distributed[i]![1]);
  return same ? prev : next;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
