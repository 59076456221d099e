// Load_Balancer `vips`: keys "IP[:port]" and values "IP[:port],IP[:port],...",
// parsed with the rules of OVN 23.03.1 (lib/lb.c ovn_lb_vip_init(),
// lib/ovn-util.c ip_address_and_port_from_lb_key(), OVS inet_parse_active()).
//
// Key / backend syntax (ip_address_and_port_from_lb_key):
//  * colons outside [...] are counted; with more than one the whole string is
//    the host (a bare IPv6 address, never with a port: "fd00::1:80" is the
//    host fd00::1:80); with exactly one it separates host and port;
//  * a leading '[' and a trailing ']' are stripped from host and port, so
//    "[fd00::1]:80", "[fd00::1]" and even "[1.2.3.4]:80" are accepted;
//  * the port is strtoll()-parsed: leading blanks and a sign are allowed
//    ("1.2.3.4: 80", "+80"), it must be 0..65535; an empty port ("1.2.3.4:")
//    and port 0 both mean "no port";
//  * the host is IPv6 if it contains ':' (inet_pton, an optional %zone after
//    it), otherwise strict IPv4 inet_pton ("01.2.3.4" is rejected);
//  * the address is re-printed canonically (vipStr / ipStr: inet_ntop form).
//
// Validity (ovn_lb_vip_init_explicit):
//  * a bad key fails the VIP;
//  * backends are the non-empty comma-separated tokens (no blank trimming:
//    " 10.0.0.2:80" is a bad backend); every backend must parse, have the
//    VIP's address family, and have a port iff the VIP has one;
//  * ANY bad backend fails the whole VIP: northd logs
//    "Failed to initialize LB VIP: <errors>" and skips that VIP (the other
//    VIPs of the load balancer are kept);
//  * an empty value is a valid VIP with no backends.
//
// Template load balancers (options:template=true) take "^var[:^port|:port]"
// keys split on ':' (at most two parts) without validation, and backends that
// are either all templates "^ip[:^port|:port]" or, failing that, explicit.
//
// Verified against the real ovn-northd 23.03.1 (NB set directly, flows read
// with lflow-list): the VIP part of a match is the canonical vipStr
// ("[FD00:0::10]:80" → ip6.dst == fd00::10 && tcp.dst == 80), but the
// ct_lb_mark(backends=...) action prints the NB *value as written* (e.g.
// "10.0.0.1:+80,10.0.0.2: 0081", "[10.0.0.1]:8080", "10.0.0.1,,10.0.0.2,"),
// except with a health check, where each live backend is printed as
// "ip:port" / "[ipv6]:port".  Rejected in that run: a bad backend among good
// ones, a blank after a comma, "01.9.0.7:80", port/no-port mismatches either
// way, IPv4 VIP with IPv6 backends, port 65536.  Accepted: "[10.9.0.3]:80",
// "10.9.0.4:0" and "10.9.0.5:" (as port-less VIPs), "fd00::9:80" (a port-less
// IPv6 VIP), "10.9.0.6: 80", and "10.9.0.11:80" with no backends.
//
// Zone (scope) suffixes ("fe80::1%eth0") depend on host interfaces in OVN
// (if_nametoindex/if_indextoname); we accept only "%0"/empty zones and reject
// the others with kind 'unsupported-scope'.
import {
  formatIpv4,
  formatIpv6,
  inetPton4,
  inetPton6,
  type IpAddress,
  ipv4ToMapped,
  type Ipv6,
} from './ip.js';
import { type Result, err, ok } from './result.js';
import { isSpace } from './scan.js';
import { smapGetBool } from './smap.js';

export type AddressFamily = 4 | 6;

export interface LbKey {
  readonly addr: IpAddress;
  /** The address as OVN re-prints it (no brackets). */
  readonly ipStr: string;
  /** 0 when absent. */
  readonly port: number;
}

function unbracket(s: string): string {
  if (s.startsWith('[')) {
    s = s.slice(1);
    if (s.endsWith(']')) s = s.slice(0, -1);
  }
  return s;
}

/** inet_parse_host_port_tokens(). */
export function splitHostPort(s: string): { host: string; port: string | undefined } {
  let inBrackets = false;
  let colons = 0;
  let colon = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '[') inBrackets = true;
    else if (c === ']') inBrackets = false;
    else if (c === ':' && !inBrackets) {
      colons++;
      colon = i;
    }
  }
  if (colons > 1) return { host: s, port: undefined };
  if (colon >= 0) return { host: unbracket(s.slice(0, colon)), port: unbracket(s.slice(colon + 1)) };
  return { host: unbracket(s), port: undefined };
}

/** OVS str_to_int(s, 10): strtoll() with nothing after the number. */
function strToInt(s: string): number | undefined {
  let i = 0;
  while (i < s.length && isSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  const start = i;
  while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
  if (i === start || i !== s.length) return undefined;
  const v = Number(s.slice(start, i)) * (neg ? -1 : 1);
  if (v < -(2 ** 31) || v > 2 ** 31 - 1) return undefined;
  return v;
}

export type LbKeyError = 'bad-port' | 'bad-address' | 'unsupported-scope';

/** ip_address_and_port_from_lb_key(). */
export function parseLbKey(key: string): Result<LbKey, LbKeyError> {
  const { host, port: portS } = splitHostPort(key);
  let port = 0;
  if (portS !== undefined && portS.length > 0) {
    const p = strToInt(portS);
    if (p === undefined || p < 0 || p > 65535) return err('bad-port', `${key}: bad port number "${portS}"`);
    port = p;
  }
  if (host.includes(':')) {
    const pct = host.indexOf('%');
    const addrS = pct >= 0 ? host.slice(0, pct) : host;
    const ip = addrS ? inetPton6(addrS) : undefined;
    if (ip === undefined) return err('bad-address', `${key}: bad IP address "${host}"`);
    if (pct >= 0) {
      const rest = host.slice(pct + 1);
      const scope = rest.split('%')[0]!;
      if (scope && !/^0+$/.test(scope)) {
        return err('unsupported-scope', `${key}: IPv6 scope "${scope}" is not supported`);
      }
    }
    return ok({ addr: { family: 6, addr: ip }, ipStr: formatIpv6(ip), port });
  }
  const ip = inetPton4(host);
  if (ip === undefined) return err('bad-address', `${key}: bad IP address "${host}"`);
  return ok({ addr: { family: 4, addr: ip }, ipStr: formatIpv4(ip), port });
}

/** The address as OVN stores it in an in6_addr (IPv4 → ::ffff:a.b.c.d). */
export function ipAddressAsIn6(a: IpAddress): Ipv6 {
  return a.family === 4 ? ipv4ToMapped(a.addr) : a.addr;
}

export interface LbBackend {
  /** Canonical address text, or the template variable for template backends. */
  readonly ipStr: string;
  /** Undefined for template backends. */
  readonly addr?: IpAddress;
  /** 0 when absent (always 0 for template backends). */
  readonly port: number;
  /** Canonical port text, or the template port; undefined when absent. */
  readonly portStr?: string;
}

export interface LbVip {
  /** The NB `vips` key as written (health checks are matched on it). */
  readonly key: string;
  /** The NB `vips` value as written. */
  readonly value: string;
  /** Canonical address text (the template variable for template VIPs). */
  readonly vipStr: string;
  /** Undefined for template VIPs. */
  readonly vip?: IpAddress;
  readonly vipPort: number;
  /** Canonical port text; undefined when the VIP has no port. */
  readonly portStr?: string;
  readonly addressFamily: AddressFamily;
  readonly backends: readonly LbBackend[];
  /** The load balancer is a template LB. */
  readonly template: boolean;
  /** Backends were parsed as templates. */
  readonly templateBackends: boolean;
}

export type LbVipError = 'bad-vip' | 'bad-backends' | 'bad-template';

function finishErrors(errors: string[]): string {
  // OVN joins "<msg>, " pieces, chomps the final ", " and adds ".".
  return errors.join(', ') + '.';
}

function parseExplicitBackends(
  value: string,
  family: AddressFamily,
  vipStr: string,
  vipHasPort: boolean,
): { backends: LbBackend[]; error?: string } {
  const errors: string[] = [];
  const backends: LbBackend[] = [];
  for (const token of value.split(',').filter((t) => t.length > 0)) {
    const r = parseLbKey(token);
    if (!r.ok) {
      errors.push(
        vipHasPort
          ? `${token}: should be an IP address and a port number with : as a separator`
          : `${token}: should be an IP address`,
      );
      continue;
    }
    if (r.value.addr.family !== family) {
      errors.push(`${token}: IP address family is different from VIP ${vipStr}`);
      continue;
    }
    if (vipHasPort && !r.value.port) {
      errors.push(`${token}: should be an IP address and a port number with : as a separator`);
      continue;
    }
    if (!vipHasPort && r.value.port) {
      errors.push(`${token}: should be an IP address`);
      continue;
    }
    backends.push(
      r.value.port
        ? { ipStr: r.value.ipStr, addr: r.value.addr, port: r.value.port, portStr: String(r.value.port) }
        : { ipStr: r.value.ipStr, addr: r.value.addr, port: 0 },
    );
  }
  return errors.length ? { backends, error: finishErrors(errors) } : { backends };
}

function parseTemplateBackends(value: string): { backends: LbBackend[]; error?: string } {
  const errors: string[] = [];
  const backends: LbBackend[] = [];
  for (const token of value.split(',').filter((t) => t.length > 0)) {
    const atoms = token.split(':').filter((t) => t.length > 0);
    if (atoms.length === 0 || atoms.length > 2) {
      errors.push(`${token}: should be a template of the form: '^backendip_variable1[:^port_variable1|:port]'`);
      continue;
    }
    backends.push(atoms.length === 2 ? { ipStr: atoms[0]!, port: 0, portStr: atoms[1]! } : { ipStr: atoms[0]!, port: 0 });
  }
  return errors.length ? { backends, error: finishErrors(errors) } : { backends };
}

/**
 * ovn_lb_vip_init(): one VIP of a load balancer.  `template` is the LB's
 * options:template, `templateFamily` its options:address-family (only used
 * for template LBs; "ipv4" unless the option says otherwise).
 */
export function parseLbVip(
  key: string,
  value: string,
  template = false,
  templateFamily: AddressFamily = 4,
): Result<LbVip, LbVipError> {
  if (!template) {
    const k = parseLbKey(key);
    if (!k.ok) {
      return err(
        'bad-vip',
        `${key}: should be an IP address (or an IP address and a port number with : as a separator).`,
      );
    }
    const family = k.value.addr.family;
    const hasPort = k.value.port !== 0;
    const b = parseExplicitBackends(value, family, k.value.ipStr, hasPort);
    if (b.error !== undefined) return err('bad-backends', b.error);
    const base = {
      key,
      value,
      vipStr: k.value.ipStr,
      vip: k.value.addr,
      vipPort: k.value.port,
      addressFamily: family,
      backends: b.backends,
      template: false,
      templateBackends: false,
    };
    return ok(hasPort ? { ...base, portStr: String(k.value.port) } : base);
  }

  const atoms = key.split(':').filter((t) => t.length > 0);
  if (atoms.length === 0 || atoms.length > 2) {
    return err('bad-template', `${key}: should be a template of the form: '^vip_variable[:^port_variable|:port]'.`);
  }
  const vipStr = atoms[0]!;
  const portStr = atoms[1];
  let backends: LbBackend[];
  let templateBackends = true;
  const t = parseTemplateBackends(value);
  if (t.error === undefined) {
    backends = t.backends;
  } else {
    const e = parseExplicitBackends(value, templateFamily, vipStr, portStr !== undefined);
    if (e.error !== undefined) {
      return err('bad-backends', `invalid backend: template (${t.error}) OR explicit (${e.error})`);
    }
    backends = e.backends;
    templateBackends = false;
  }
  const base = {
    key,
    value,
    vipStr,
    vipPort: 0,
    addressFamily: templateFamily,
    backends,
    template: true,
    templateBackends,
  };
  return ok(portStr !== undefined ? { ...base, portStr } : base);
}

export interface LbVips {
  /** Successfully parsed VIPs, in the order of the given map. */
  readonly vips: readonly LbVip[];
  /** "Failed to initialize LB VIP: ..." messages for skipped VIPs. */
  readonly warnings: readonly string[];
}

/**
 * All VIPs of a Load_Balancer row, given its `vips` and `options`.  (OVN
 * iterates the smap in hash order; we keep the map's order — flows are a set.)
 */
export function parseLbVips(
  vips: Readonly<Record<string, string>>,
  options: Readonly<Record<string, string>> = {},
): LbVips {
  const template = smapGetBool(options, 'template');
  const family: AddressFamily = (options['address-family'] ?? 'ipv4') === 'ipv4' ? 4 : 6;
  const out: LbVip[] = [];
  const warnings: string[] = [];
  for (const [k, v] of Object.entries(vips)) {
    const r = parseLbVip(k, v, template, family);
    if (r.ok) out.push(r.value);
    else warnings.push(`Failed to initialize LB VIP: ${r.error.message}`);
  }
  return { vips: out, warnings };
}

/**
 * OVS smap_get_bool(): with default false only "true" (any case) is true;
 * with default true anything but "false" (any case) is true — an absent key
 * reads as "" and so gives the default.
 */
export { smapGetBool } from './smap.js';

/**
 * ovn_lb_vip_format(): "ip", "ip:port" or "[ipv6]:port" (brackets only for
 * non-template IPv6 VIPs with a port).
 */
export function formatLbVip(vip: LbVip, template = vip.template): string {
  const brackets = vip.addressFamily === 6 && vip.portStr !== undefined && !template;
  const ip = brackets ? `[${vip.vipStr}]` : vip.vipStr;
  return vip.portStr !== undefined ? `${ip}:${vip.portStr}` : ip;
}

/**
 * ovn_lb_vip6_template_format_internal(): how template IPv6 VIPs are keyed
 * for ovn-controller (template variables always bracketed).
 */
export function formatLbVip6Template(vip: LbVip): string {
  if (vip.vipStr.startsWith('^')) {
    const ip = `[${vip.vipStr}]`;
    return vip.portStr !== undefined ? `${ip}:${vip.portStr}` : ip;
  }
  return formatLbVip(vip, vip.portStr !== undefined);
}

/**
 * ovn_lb_vip_backends_format(): "ip:port,ip:port" with IPv6 bracketed when
 * the VIP has a port (and backends are not templates), as used in ct_lb actions.
 */
export function formatLbBackends(vip: LbVip): string {
  const brackets = vip.addressFamily === 6 && vip.portStr !== undefined && !vip.templateBackends;
  return vip.backends
    .map((b) => {
      const ip = brackets ? `[${b.ipStr}]` : b.ipStr;
      return b.portStr !== undefined ? `${ip}:${b.portStr}` : ip;
    })
    .join(',');
}

/**
 * One backend as northd prints it in ct_lb_mark(backends=...) when the VIP
 * has a health check: "ip:port" or "[ipv6]:port" (the port is always printed).
 * Without a health check northd prints the NB value as written (LbVip.value).
 */
export function formatLbBackendForHealthCheck(b: LbBackend): string {
  const v6 = b.addr?.family === 6;
  return v6 ? `[${b.ipStr}]:${b.port}` : `${b.ipStr}:${b.port}`;
}
