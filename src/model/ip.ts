// IPv4 and IPv6 addresses and prefixes with the acceptance rules OVN 23.03.1
// inherits from OVS (lib/packets.c) and glibc:
//
//  * parseIpv4/parseIpv6 are inet_pton(): strict.  IPv4 is exactly four
//    dotted decimal numbers 0..255 without leading zeros ("01.2.3.4" is
//    rejected); IPv6 follows glibc (at most 4 hex digits per group, one "::",
//    "::" may not stand for zero groups, an embedded dotted quad only at the
//    end, no brackets, no zone).
//  * ipParseCidr/ipParseMasked/ipv6ParseCidr/ipv6ParseMasked are OVS's
//    ip_parse_cidr() & co.  These scan with ovs_scan(), which is lenient: an
//    IPv4 byte is %hhu, so "256.0.0.1" reads as 0.0.0.1, "1. 2.3.4" and
//    "01.2.3.4" are accepted; the prefix is %d after '/', so "/ 24" and
//    "/+24" are accepted, and an IPv4 mask may be written as a dotted quad
//    ("1.2.3.0/255.255.255.0").  The mask must be contiguous (CIDR).
//    IPv6 in these functions is scanned as up to 46 characters of
//    [0-9a-fA-F:.] and then checked with inet_pton().
//  * formatIpv6 is glibc's inet_ntop(): lowercase, longest run (≥2) of zero
//    groups compressed (the first one on ties), "::a.b.c.d" for IPv4-compatible
//    and "::ffff:a.b.c.d" for IPv4-mapped addresses.
//
// Representation: an IPv4 address is an unsigned 32-bit number, an IPv6
// address a 128-bit bigint (first byte most significant).
import { type Mac, macToBytes } from './mac.js';
import { type Result, err, ok } from './result.js';
import { IPV6_SCAN_FMT, IP_SCAN_FMT, ovsScan } from './scan.js';

export type Ipv4 = number;
export type Ipv6 = bigint;

const ALL128 = (1n << 128n) - 1n;

// ---------------------------------------------------------------- IPv4

/** glibc inet_pton(AF_INET). */
export function inetPton4(s: string): Ipv4 | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

export function parseIpv4(s: string): Result<Ipv4, 'invalid-ipv4'> {
  const v = inetPton4(s);
  return v === undefined ? err('invalid-ipv4', `${s}: invalid IP address`) : ok(v);
}

/** inet_ntop(AF_INET) / IP_FMT. */
export function formatIpv4(ip: Ipv4): string {
  return `${(ip >>> 24) & 0xff}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** be32_prefix_mask(): the mask of a /plen IPv4 network (plen 0..32). */
export function ipv4PrefixMask(plen: number): Ipv4 {
  return plen <= 0 ? 0 : plen >= 32 ? 0xffffffff : (0xffffffff << (32 - plen)) >>> 0;
}

/** ip_is_cidr(): true when the mask's one bits are contiguous from the top. */
export function ipv4IsCidr(mask: Ipv4): boolean {
  const x = ~mask >>> 0;
  return ((x & (x + 1)) >>> 0) === 0;
}

/** ip_count_cidr_bits(). */
export function ipv4CountCidrBits(mask: Ipv4): number {
  if (mask === 0) return 0;
  let tz = 0;
  while (((mask >>> tz) & 1) === 0) tz++;
  return 32 - tz;
}

export function ipv4Network(ip: Ipv4, plen: number): Ipv4 {
  return (ip & ipv4PrefixMask(plen)) >>> 0;
}

export function ipv4Broadcast(ip: Ipv4, plen: number): Ipv4 {
  return (ip | ~ipv4PrefixMask(plen)) >>> 0;
}

export function ipv4IsMulticast(ip: Ipv4): boolean {
  return ip >>> 28 === 0xe;
}

/** ip_is_local_multicast(): 224.0.0.0/24. */
export function ipv4IsLocalMulticast(ip: Ipv4): boolean {
  return ip >>> 8 === 0xe00000;
}

/** Result of the *_len scanners: like OVS, `end` is advanced even by some failures. */
export type ScanResult<T> =
  | { readonly ok: true; readonly value: T; readonly end: number }
  | { readonly ok: false; readonly message: string; readonly end: number };

/**
 * ip_parse_masked_len(): IPv4 with optional "/dotted-mask" or "/prefix" at
 * `start`, trailing text allowed.  On failure `end` is where OVS leaves its
 * scan position (advanced past "a.b.c.d/N" when N is out of range).
 */
export function ipParseMaskedLen(s: string, start: number): ScanResult<{ ip: Ipv4; mask: Ipv4 }> {
  let r = ovsScan(s, `${IP_SCAN_FMT}/${IP_SCAN_FMT}`, start);
  if (r) {
    const v = r.values as number[];
    return { ok: true, value: { ip: bytes4(v, 0), mask: bytes4(v, 4) }, end: r.end };
  }
  r = ovsScan(s, `${IP_SCAN_FMT}/%d`, start);
  if (r) {
    const v = r.values as number[];
    const prefix = v[4]!;
    if (prefix < 0 || prefix > 32) {
      return {
        ok: false,
        message: `${s.slice(start)}: IPv4 network prefix bits not between 0 and 32, inclusive`,
        end: r.end,
      };
    }
    return { ok: true, value: { ip: bytes4(v, 0), mask: ipv4PrefixMask(prefix) }, end: r.end };
  }
  r = ovsScan(s, IP_SCAN_FMT, start);
  if (r) return { ok: true, value: { ip: bytes4(r.values as number[], 0), mask: 0xffffffff }, end: r.end };
  return { ok: false, message: `${s.slice(start)}: invalid IP address`, end: start };
}

/** ip_parse_cidr_len(): like ipParseMaskedLen but the mask must be CIDR. */
export function ipParseCidrLen(s: string, start: number): ScanResult<{ ip: Ipv4; plen: number }> {
  const r = ipParseMaskedLen(s, start);
  if (!r.ok) return r;
  if (!ipv4IsCidr(r.value.mask)) return { ok: false, message: `${s.slice(start)}: CIDR network required`, end: r.end };
  return { ok: true, value: { ip: r.value.ip, plen: ipv4CountCidrBits(r.value.mask) }, end: r.end };
}

/** ip_parse_masked(): the whole string. */
export function ipParseMasked(s: string): Result<{ ip: Ipv4; mask: Ipv4 }, 'invalid-ipv4'> {
  const r = ipParseMaskedLen(s, 0);
  if (!r.ok) return err('invalid-ipv4', r.message);
  if (r.end !== s.length) return err('invalid-ipv4', `${s}: invalid IP address`);
  return ok(r.value);
}

/** ip_parse_cidr(): "a.b.c.d", "a.b.c.d/N" or "a.b.c.d/m.m.m.m" (CIDR), whole string. */
export function ipParseCidr(s: string): Result<{ ip: Ipv4; plen: number }, 'invalid-ipv4'> {
  const r = ipParseCidrLen(s, 0);
  if (!r.ok) return err('invalid-ipv4', r.message);
  if (r.end !== s.length) return err('invalid-ipv4', `${s}: invalid IP address`);
  return ok(r.value);
}

function bytes4(v: readonly number[], i: number): Ipv4 {
  return ((v[i]! << 24) | (v[i + 1]! << 16) | (v[i + 2]! << 8) | v[i + 3]!) >>> 0;
}

// ---------------------------------------------------------------- IPv6

function hexDigit(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** glibc inet_pton(AF_INET6). */
export function inetPton6(s: string): Ipv6 | undefined {
  const words: number[] = [];
  let i = 0;
  let colonAt = -1; // index in words where "::" stands
  if (s.length === 0) return undefined;
  if (s[0] === ':') {
    if (s[1] !== ':') return undefined;
    i = 1;
  }
  let tokStart = i;
  let digits = 0;
  let val = 0;
  while (i < s.length) {
    const ch = s[i++]!;
    const d = hexDigit(ch);
    if (d >= 0) {
      if (digits === 4) return undefined;
      val = (val << 4) | d;
      digits++;
      continue;
    }
    if (ch === ':') {
      tokStart = i;
      if (digits === 0) {
        if (colonAt >= 0) return undefined;
        colonAt = words.length;
        continue;
      } else if (i === s.length) {
        return undefined;
      }
      if (words.length >= 8) return undefined;
      words.push(val);
      digits = 0;
      val = 0;
      continue;
    }
    if (ch === '.' && words.length + 2 <= 8) {
      const v4 = inetPton4(s.slice(tokStart));
      if (v4 !== undefined) {
        words.push(v4 >>> 16, v4 & 0xffff);
        digits = 0;
        i = s.length;
        break;
      }
    }
    return undefined;
  }
  if (digits > 0) {
    if (words.length >= 8) return undefined;
    words.push(val);
  }
  if (colonAt >= 0) {
    if (words.length === 8) return undefined;
    const fill = new Array<number>(8 - words.length).fill(0);
    words.splice(colonAt, 0, ...fill);
  }
  if (words.length !== 8) return undefined;
  let v = 0n;
  for (const w of words) v = (v << 16n) | BigInt(w);
  return v;
}

export function parseIpv6(s: string): Result<Ipv6, 'invalid-ipv6'> {
  const v = inetPton6(s);
  return v === undefined ? err('invalid-ipv6', `${s}: invalid IPv6 address`) : ok(v);
}

export function ipv6Words(ip: Ipv6): number[] {
  const w = new Array<number>(8);
  for (let i = 7; i >= 0; i--) {
    w[i] = Number(ip & 0xffffn);
    ip >>= 16n;
  }
  return w;
}

export function ipv6Bytes(ip: Ipv6): number[] {
  const b = new Array<number>(16);
  for (let i = 15; i >= 0; i--) {
    b[i] = Number(ip & 0xffn);
    ip >>= 8n;
  }
  return b;
}

export function ipv6FromBytes(b: readonly number[]): Ipv6 {
  let v = 0n;
  for (let i = 0; i < 16; i++) v = (v << 8n) | BigInt((b[i] ?? 0) & 0xff);
  return v;
}

/** glibc inet_ntop(AF_INET6). */
export function formatIpv6(ip: Ipv6): string {
  const w = ipv6Words(ip);
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      out += formatIpv4(((w[6]! << 16) | w[7]!) >>> 0);
      return out;
    }
    out += w[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** ipv6_create_mask(). */
export function ipv6PrefixMask(plen: number): Ipv6 {
  if (plen <= 0) return 0n;
  if (plen >= 128) return ALL128;
  return (ALL128 << BigInt(128 - plen)) & ALL128;
}

/** ipv6_is_cidr(). */
export function ipv6IsCidr(mask: Ipv6): boolean {
  const x = ~mask & ALL128;
  return (x & (x + 1n)) === 0n;
}

/** ipv6_count_cidr_bits() (meaningful for CIDR masks). */
export function ipv6CountCidrBits(mask: Ipv6): number {
  let n = 0;
  for (let bit = 127n; bit >= 0n && ((mask >> bit) & 1n) === 1n; bit--) n++;
  return n;
}

export function ipv6Network(ip: Ipv6, plen: number): Ipv6 {
  return ip & ipv6PrefixMask(plen);
}

/**
 * ipv6_parse_masked_len(): IPv6 with optional "/prefix" or "/ipv6-mask" at
 * `start` (blanks before the address are skipped), trailing text allowed.
 */
export function ipv6ParseMaskedLen(s: string, start: number): ScanResult<{ ip: Ipv6; mask: Ipv6 }> {
  const r = ovsScan(s, ` ${IPV6_SCAN_FMT}`, start);
  const ip = r ? inetPton6(r.values[0] as string) : undefined;
  if (!r || ip === undefined) {
    return { ok: false, message: `${s.slice(start)}: invalid IPv6 address`, end: r ? r.end : start };
  }
  let end = r.end;
  const p = ovsScan(s, '/%d', end);
  if (p) {
    const prefix = p.values[0] as number;
    if (prefix < 0 || prefix > 128) {
      return {
        ok: false,
        message: `${s.slice(start)}: IPv6 network prefix bits not between 0 and 128, inclusive`,
        end: p.end,
      };
    }
    return { ok: true, value: { ip, mask: ipv6PrefixMask(prefix) }, end: p.end };
  }
  const m = ovsScan(s, `/${IPV6_SCAN_FMT}`, end);
  if (m) {
    end = m.end;
    const mask = inetPton6(m.values[0] as string);
    if (mask === undefined) return { ok: false, message: `${s.slice(start)}: Invalid IPv6 mask`, end };
    return { ok: true, value: { ip, mask }, end };
  }
  return { ok: true, value: { ip, mask: ALL128 }, end };
}

/** ipv6_parse_cidr_len(). */
export function ipv6ParseCidrLen(s: string, start: number): ScanResult<{ ip: Ipv6; plen: number }> {
  const r = ipv6ParseMaskedLen(s, start);
  if (!r.ok) return r;
  if (!ipv6IsCidr(r.value.mask)) return { ok: false, message: `${s.slice(start)}: IPv6 CIDR network required`, end: r.end };
  return { ok: true, value: { ip: r.value.ip, plen: ipv6CountCidrBits(r.value.mask) }, end: r.end };
}

/** ipv6_parse_masked(): whole string. */
export function ipv6ParseMasked(s: string): Result<{ ip: Ipv6; mask: Ipv6 }, 'invalid-ipv6'> {
  const r = ipv6ParseMaskedLen(s, 0);
  if (!r.ok) return err('invalid-ipv6', r.message);
  if (r.end !== s.length) return err('invalid-ipv6', `${s}: invalid IPv6 address`);
  return ok(r.value);
}

/** ipv6_parse_cidr(): whole string. */
export function ipv6ParseCidr(s: string): Result<{ ip: Ipv6; plen: number }, 'invalid-ipv6'> {
  const r = ipv6ParseCidrLen(s, 0);
  if (!r.ok) return err('invalid-ipv6', r.message);
  if (r.end !== s.length) return err('invalid-ipv6', `${s}: invalid IPv6 address`);
  return ok(r.value);
}

// ---------------------------------------------------------------- v4/v6 mixed

export type IpAddress =
  | { readonly family: 4; readonly addr: Ipv4 }
  | { readonly family: 6; readonly addr: Ipv6 };

/** ::ffff:a.b.c.d for an IPv4 address (in6_addr_set_mapped_ipv4). */
export function ipv4ToMapped(ip: Ipv4): Ipv6 {
  return (0xffffn << 32n) | BigInt(ip);
}

/** IN6_IS_ADDR_V4MAPPED. */
export function ipv6IsV4Mapped(ip: Ipv6): boolean {
  return ip >> 32n === 0xffffn;
}

/** in6_addr_get_mapped_ipv4() (0 when not mapped). */
export function ipv6MappedIpv4(ip: Ipv6): Ipv4 {
  return ipv6IsV4Mapped(ip) ? Number(ip & 0xffffffffn) : 0;
}

/** ip46_parse_cidr(): IPv4 first (as a mapped address), then IPv6. */
export function ip46ParseCidr(s: string): Result<{ prefix: Ipv6; plen: number; family: 4 | 6 }, 'invalid-ip'> {
  const v4 = ipParseCidr(s);
  if (v4.ok) return ok({ prefix: ipv4ToMapped(v4.value.ip), plen: v4.value.plen, family: 4 });
  const v6 = ipv6ParseCidr(s);
  if (v6.ok) return ok({ prefix: v6.value.ip, plen: v6.value.plen, family: 6 });
  return err('invalid-ip', `${s}: invalid IP address or prefix`);
}

/** normalize_ipv4_prefix(): network address, "/plen" unless 32. */
export function normalizeIpv4Prefix(ip: Ipv4, plen: number): string {
  const net = formatIpv4(ipv4Network(ip, plen));
  return plen === 32 ? net : `${net}/${plen}`;
}

/** normalize_ipv6_prefix(): network address, "/plen" unless 128. */
export function normalizeIpv6Prefix(ip: Ipv6, plen: number): string {
  const net = formatIpv6(ipv6Network(ip, plen));
  return plen === 128 ? net : `${net}/${plen}`;
}

/** normalize_v46_prefix(): for a prefix that may be IPv4-mapped. */
export function normalizeV46Prefix(prefix: Ipv6, plen: number): string {
  return ipv6IsV4Mapped(prefix) ? normalizeIpv4Prefix(ipv6MappedIpv4(prefix), plen) : normalizeIpv6Prefix(prefix, plen);
}

// ---------------------------------------------------------------- derived addresses

/** in6_generate_eui64(): prefix's first 64 bits + modified EUI-64 of the MAC. */
export function in6GenerateEui64(mac: Mac, prefix: Ipv6): Ipv6 {
  const m = macToBytes(mac);
  const iid = [m[0]! ^ 0x02, m[1]!, m[2]!, 0xff, 0xfe, m[3]!, m[4]!, m[5]!];
  let v = 0n;
  for (const b of iid) v = (v << 8n) | BigInt(b);
  return (prefix & (((1n << 64n) - 1n) << 64n)) | v;
}

const FE80 = 0xfe80n << 112n;

/** in6_generate_lla(): the fe80::/64 EUI-64 link-local address of a MAC. */
export function in6GenerateLla(mac: Mac): Ipv6 {
  return in6GenerateEui64(mac, FE80);
}

/** in6_is_lla(): fe80::/64 (the second 32-bit word must be zero too). */
export function in6IsLla(ip: Ipv6): boolean {
  return ip >> 64n === 0xfe80n << 48n;
}

/** in6_addr_solicited_node(): ff02::1:ffXX:XXXX from the low 24 bits. */
export function in6SolicitedNode(ip: Ipv6): Ipv6 {
  return (0xff02n << 112n) | (0x1n << 32n) | (0xffn << 24n) | (ip & 0xffffffn);
}

/** ipv6_multicast_to_ethernet(): 33:33 + the low 32 bits. */
export function ipv6MulticastToEthernet(ip: Ipv6): Mac {
  return 0x3333 * 2 ** 32 + Number(ip & 0xffffffffn);
}

/** ip_eth_addr multicast mapping for IPv4: 01:00:5e + low 23 bits. */
export function ipv4MulticastToEthernet(ip: Ipv4): Mac {
  return 0x01005e * 2 ** 24 + (ip & 0x7fffff);
}

export function ipv6IsMulticast(ip: Ipv6): boolean {
  return ip >> 120n === 0xffn;
}

export function ipv6IsZero(ip: Ipv6): boolean {
  return ip === 0n;
}
