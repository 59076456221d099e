// OVN's address strings: Logical_Switch_Port `addresses`/`dynamic_addresses`,
// Logical_Router_Port `mac` + `networks`, and the structure OVN builds from
// them (struct lport_addresses in lib/ovn-util.h) that flow builders format
// matches from.  The acceptance rules follow lib/ovn-util.c of OVN 23.03.1:
//
//  * extract_addresses(): a MAC (ovs_scan, see mac.ts), then as many IPv4 or
//    IPv6 addresses (each with an optional /prefix or mask; host bits may be
//    set) as can be read; the first thing that is neither stops the loop and
//    whatever remains is "trailing" text.  Trailing text does NOT reject the
//    entry: extract_lsp_addresses() only logs "invalid syntax '...' in
//    address" at INFO and keeps the MAC and the IPs read so far.
//    Consequences worth knowing: "00:00:00:00:00:01 10.0.0.1 junk" keeps
//    10.0.0.1; "00:00:00:00:00:01 junk 10.0.0.1" keeps only the MAC; the
//    lenient scanner reads "256.1.1.1" as 0.1.1.1.
//  * an IPv4 with an out-of-range prefix or a non-CIDR mask makes OVS advance
//    its scan position past it before the IPv6 attempt, so
//    "MAC 1.2.3.4/33 fd00::1" keeps fd00::1 and drops 1.2.3.4/33.
//  * extract_lrp_networks(): the MAC must be a whole-string MAC; each network
//    must be a whole-string CIDR (IPv4 tried first, then IPv6); an unparsable
//    network is skipped (INFO "invalid syntax"), as is IPv4 0.0.0.0/N (WARN
//    "bad 'networks'"); finally the EUI-64 fe80::/64 link-local address of
//    the MAC is always appended.
import { formatMac, type Mac, parseMac, scanMac } from './mac.js';
import {
  formatIpv4,
  formatIpv6,
  in6GenerateLla,
  in6IsLla,
  in6SolicitedNode,
  ipParseCidr,
  ipParseCidrLen,
  type Ipv4,
  ipv4Broadcast,
  ipv4Network,
  ipv4PrefixMask,
  type Ipv6,
  ipv6Network,
  ipv6ParseCidr,
  ipv6ParseCidrLen,
  ipv6PrefixMask,
  inetPton6,
} from './ip.js';
import { type Result, err, ok } from './result.js';
import { ETH_ADDR_SCAN_FMT, IPV6_SCAN_FMT, IP_SCAN_FMT, ovsScan } from './scan.js';

/** struct ipv4_netaddr. */
export interface Ipv4Netaddr {
  readonly addr: Ipv4;
  readonly mask: Ipv4;
  readonly network: Ipv4;
  readonly plen: number;
  /** "192.168.10.123" */
  readonly addrStr: string;
  /** "192.168.10.0" */
  readonly networkStr: string;
  /** "192.168.10.255" */
  readonly bcastStr: string;
}

/** struct ipv6_netaddr. */
export interface Ipv6Netaddr {
  readonly addr: Ipv6;
  readonly mask: Ipv6;
  readonly network: Ipv6;
  /** Solicited-node multicast address ff02::1:ffXX:XXXX. */
  readonly snAddr: Ipv6;
  readonly plen: number;
  /** "fc00::1" */
  readonly addrStr: string;
  /** "ff02::1:ff00:1" */
  readonly snAddrStr: string;
  /** "fc00::" */
  readonly networkStr: string;
  /** in6_is_lla(addr): a fe80::/64 link-local address. */
  readonly isLla: boolean;
}

/** struct lport_addresses. */
export interface LportAddresses {
  readonly ea: Mac;
  /** MAC as OVN prints it (lowercase, zero-padded). */
  readonly eaStr: string;
  readonly ipv4Addrs: readonly Ipv4Netaddr[];
  readonly ipv6Addrs: readonly Ipv6Netaddr[];
}

/** add_ipv4_netaddr(). */
export function makeIpv4Netaddr(addr: Ipv4, plen: number): Ipv4Netaddr {
  const mask = ipv4PrefixMask(plen);
  const network = ipv4Network(addr, plen);
  return {
    addr,
    mask,
    network,
    plen,
    addrStr: formatIpv4(addr),
    networkStr: formatIpv4(network),
    bcastStr: formatIpv4(ipv4Broadcast(addr, plen)),
  };
}

/** add_ipv6_netaddr(). */
export function makeIpv6Netaddr(addr: Ipv6, plen: number): Ipv6Netaddr {
  const network = ipv6Network(addr, plen);
  const snAddr = in6SolicitedNode(addr);
  return {
    addr,
    mask: ipv6PrefixMask(plen),
    network,
    snAddr,
    plen,
    addrStr: formatIpv6(addr),
    snAddrStr: formatIpv6(snAddr),
    networkStr: formatIpv6(network),
    isLla: in6IsLla(addr),
  };
}

function scanIps(s: string, start: number): { v4: Ipv4Netaddr[]; v6: Ipv6Netaddr[]; end: number } {
  const v4: Ipv4Netaddr[] = [];
  const v6: Ipv6Netaddr[] = [];
  let buf = start;
  while (buf < s.length) {
    const r4 = ipParseCidrLen(s, buf);
    if (r4.ok) {
      v4.push(makeIpv4Netaddr(r4.value.ip, r4.value.plen));
      buf = r4.end;
      continue;
    }
    // OVS reuses the position the failed IPv4 attempt left behind.
    const r6 = ipv6ParseCidrLen(s, r4.end);
    if (!r6.ok) break;
    v6.push(makeIpv6Netaddr(r6.value.ip, r6.value.plen));
    buf = r6.end;
  }
  return { v4, v6, end: buf };
}

export interface ExtractedAddresses {
  readonly addresses: LportAddresses;
  /** Offset where unparsed text begins (== input length when none). */
  readonly ofs: number;
}

/**
 * extract_addresses(): "MAC [IP...] [anything]".  Fails only when no MAC can
 * be scanned at the start.
 */
export function extractAddresses(s: string): Result<ExtractedAddresses, 'no-mac'> {
  const m = scanMac(s);
  if (!m) return err('no-mac', `invalid syntax '${s}' in address. No MAC address found`);
  const ips = scanIps(s, m.end);
  return ok({
    addresses: { ea: m.mac, eaStr: formatMac(m.mac), ipv4Addrs: ips.v4, ipv6Addrs: ips.v6 },
    ofs: ips.end,
  });
}

export interface LspAddressesParsed {
  readonly addresses: LportAddresses;
  /** Text OVN ignored after the last address (it logs "invalid syntax"); undefined when none. */
  readonly trailing?: string;
}

/** extract_lsp_addresses(): like extractAddresses, reporting ignored trailing text. */
export function extractLspAddresses(s: string): Result<LspAddressesParsed, 'no-mac'> {
  const r = extractAddresses(s);
  if (!r.ok) return r;
  const { addresses, ofs } = r.value;
  return ok(ofs < s.length ? { addresses, trailing: s.slice(ofs) } : { addresses });
}

/**
 * extract_ip_addresses(): "IP [IP...]" without a MAC; at least one address
 * must be read (trailing text is ignored).
 */
export function extractIpAddresses(s: string): Result<LportAddresses, 'no-ip'> {
  const ips = scanIps(s, 0);
  if (!ips.v4.length && !ips.v6.length) return err('no-ip', `${s}: no IP address found`);
  return ok({ ea: 0, eaStr: formatMac(0), ipv4Addrs: ips.v4, ipv6Addrs: ips.v6 });
}

/**
 * extract_ip_address(): at most one IPv4 (/32) and at most one IPv6 (/128)
 * host address, e.g. LB options:hairpin_snat_ip.
 */
export function extractIpAddress(s: string): Result<LportAddresses, 'invalid-ip-address'> {
  const r = extractIpAddresses(s);
  if (
    !r.ok ||
    r.value.ipv4Addrs.length > 1 ||
    r.value.ipv6Addrs.length > 1 ||
    (r.value.ipv4Addrs.length === 1 && r.value.ipv4Addrs[0]!.plen !== 32) ||
    (r.value.ipv6Addrs.length === 1 && r.value.ipv6Addrs[0]!.plen !== 128)
  ) {
    return err('invalid-ip-address', `${s}: expected at most one IPv4 and one IPv6 host address`);
  }
  return r;
}

export interface LrpNetworks {
  readonly addresses: LportAddresses;
  /** Messages OVN would log for networks it skipped. */
  readonly warnings: readonly string[];
}

/**
 * extract_lrp_networks(): the router port's MAC and networks, plus the
 * always-added fe80::/64 link-local address.  Fails only on a bad MAC
 * (northd then logs "bad 'mac' ..." and ignores the port).
 */
export function extractLrpNetworks(mac: string, networks: readonly string[]): Result<LrpNetworks, 'bad-mac'> {
  const m = parseMac(mac);
  if (!m.ok) return err('bad-mac', `bad 'mac' ${mac}`);
  const v4: Ipv4Netaddr[] = [];
  const v6: Ipv6Netaddr[] = [];
  const warnings: string[] = [];
  for (const n of networks) {
    const r4 = ipParseCidr(n);
    if (r4.ok) {
      if (r4.value.ip === 0) {
        warnings.push(`bad 'networks' ${n}`);
        continue;
      }
      v4.push(makeIpv4Netaddr(r4.value.ip, r4.value.plen));
      continue;
    }
    const r6 = ipv6ParseCidr(n);
    if (r6.ok) v6.push(makeIpv6Netaddr(r6.value.ip, r6.value.plen));
    else warnings.push(`invalid syntax '${n}' in networks`);
  }
  v6.push(makeIpv6Netaddr(in6GenerateLla(m.value), 64));
  return ok({ addresses: { ea: m.value, eaStr: formatMac(m.value), ipv4Addrs: v4, ipv6Addrs: v6 }, warnings });
}

/**
 * is_dynamic_lsp_address(): "dynamic", "dynamic IPv4", "dynamic IPv6",
 * "dynamic IPv4 IPv6" or "MAC dynamic".  Exactly as lenient as OVN: after
 * "dynamic" the IPv6 part is only scanned as [0-9a-fA-F:.]+, not validated,
 * so e.g. "dynamic abc" counts as dynamic.
 */
export function isDynamicLspAddress(s: string): boolean {
  if (s.startsWith('dynamic')) {
    let n = 7;
    if (n === s.length) return true;
    const r4 = ovsScan(s, ` ${IP_SCAN_FMT}`, n);
    if (r4) {
      if (r4.end === s.length) return true;
      n = r4.end;
    }
    const r6 = ovsScan(s, ` ${IPV6_SCAN_FMT}`, n);
    return !!r6 && r6.end === s.length;
  }
  const r = ovsScan(s, `${ETH_ADDR_SCAN_FMT} dynamic`);
  return !!r && r.end === s.length;
}

/** What a dynamic address entry asks for (northd.c set_dynamic_updates()). */
export interface DynamicSpec {
  /** "MAC dynamic": this MAC is kept, the IPs are allocated. */
  readonly mac?: Mac;
  /** "dynamic a.b.c.d [ipv6]": this IPv4 is requested. */
  readonly ipv4?: Ipv4;
  /** "dynamic [a.b.c.d] ipv6": this IPv6 is requested (only if it parses). */
  readonly ipv6?: Ipv6;
}

export function parseDynamicSpec(s: string): DynamicSpec {
  const out: { mac?: Mac; ipv4?: Ipv4; ipv6?: Ipv6 } = {};
  const m = ovsScan(s, `${ETH_ADDR_SCAN_FMT} dynamic`);
  if (m && m.end === s.length) {
    const b = m.values as number[];
    out.mac = b.reduce((a, x) => a * 256 + x, 0);
  }
  let ip4: number[] | undefined;
  let ip6: string | undefined;
  const a = ovsScan(s, `dynamic ${IP_SCAN_FMT}`);
  if (a && a.end === s.length) {
    ip4 = a.values as number[];
  } else {
    const b = ovsScan(s, `dynamic ${IPV6_SCAN_FMT}`);
    if (b && b.end === s.length) {
      ip6 = b.values[0] as string;
    } else {
      const c = ovsScan(s, `dynamic ${IP_SCAN_FMT} ${IPV6_SCAN_FMT}`);
      if (c && c.end === s.length) {
        ip4 = c.values.slice(0, 4) as number[];
        ip6 = c.values[4] as string;
      }
    }
  }
  if (ip4) out.ipv4 = ((ip4[0]! << 24) | (ip4[1]! << 16) | (ip4[2]! << 8) | ip4[3]!) >>> 0;
  if (ip6 !== undefined) {
    const v = inetPton6(ip6);
    if (v !== undefined) out.ipv6 = v;
  }
  return out;
}

/** One entry of Logical_Switch_Port `addresses`, classified as northd does. */
export type LspAddressEntry =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'router' }
  | { readonly kind: 'dynamic'; readonly spec: DynamicSpec }
  | { readonly kind: 'static'; readonly addresses: LportAddresses; readonly trailing?: string }
  | { readonly kind: 'invalid'; readonly message: string };

export function classifyLspAddress(entry: string): LspAddressEntry {
  if (entry === 'unknown') return { kind: 'unknown' };
  if (entry === 'router') return { kind: 'router' };
  if (isDynamicLspAddress(entry)) return { kind: 'dynamic', spec: parseDynamicSpec(entry) };
  const r = extractLspAddresses(entry);
  if (!r.ok) {
    return {
      kind: 'invalid',
      message: `invalid syntax '${entry}' in logical switch port addresses. No MAC address found`,
    };
  }
  return r.value.trailing !== undefined
    ? { kind: 'static', addresses: r.value.addresses, trailing: r.value.trailing }
    : { kind: 'static', addresses: r.value.addresses };
}

/** What northd's join_logical_ports() derives from an LSP's `addresses`. */
export interface LspAddressSummary {
  /** "unknown" present. */
  readonly hasUnknown: boolean;
  /** "router" present (filled from the peer LRP's networks later). */
  readonly hasRouter: boolean;
  /** Dynamic entries in order (northd only honours the first). */
  readonly dynamic: readonly { readonly entry: string; readonly spec: DynamicSpec }[];
  /** Static "MAC IP..." entries, in order (op->lsp_addrs before dynamic/router ones). */
  readonly static: readonly LportAddresses[];
  /** Messages OVN logs for ignored entries or ignored trailing text. */
  readonly warnings: readonly string[];
}

export function summarizeLspAddresses(entries: readonly string[]): LspAddressSummary {
  let hasUnknown = false;
  let hasRouter = false;
  const dynamic: { entry: string; spec: DynamicSpec }[] = [];
  const stat: LportAddresses[] = [];
  const warnings: string[] = [];
  for (const e of entries) {
    const c = classifyLspAddress(e);
    switch (c.kind) {
      case 'unknown':
        hasUnknown = true;
        break;
      case 'router':
        hasRouter = true;
        break;
      case 'dynamic':
        dynamic.push({ entry: e, spec: c.spec });
        break;
      case 'invalid':
        warnings.push(c.message);
        break;
      case 'static':
        if (c.trailing !== undefined) warnings.push(`invalid syntax '${e}' in address`);
        stat.push(c.addresses);
        break;
    }
  }
  return { hasUnknown, hasRouter, dynamic, static: stat, warnings };
}
