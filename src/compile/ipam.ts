// IPAM (build_ipam and northd/ipam.c of OVN 23.03.1): MAC and IP allocation for logical
// switch ports whose addresses say "dynamic", on switches with other_config:subnet (IPv4,
// minus exclude_ips and the subnet's first address), ipv6_prefix (EUI-64 of the MAC) or
// mac_only.  Every static address of every port and every router port's MAC is claimed first
// (MACs only inside NB_Global options:mac_prefix, IPs only in their switch's subnet; a router
// port's IPs in its peer switch's subnet).  Then, switch by switch in the reference's datapath
// order and port by port: a port keeps its dynamic_addresses while each part is still valid
// (the MAC inside the prefix or the one the CMS wrote, the IPv4 free in the subnet, the IPv6
// in the prefix), otherwise the part is reassigned — after every kept address is claimed: the
// first free IPv4, the first free MAC from the IPv4's low 24 bits, the EUI-64 IPv6.  The result
// is what the flows use and what is written back into the NB (cleared where IPAM no longer
// applies).  A pure function of the NB; recomputed only when switches, ports, router ports or
// NB_Global changed and some port uses dynamic addresses.
import type { NbLogicalSwitch, NbLogicalSwitchPort } from '../model/nb.js';
import { extractLspAddresses, isDynamicLspAddress, type LportAddresses } from '../model/lsp-addresses.js';
import { formatIpv4, formatIpv6, in6GenerateEui64, inetPton4, inetPton6, ipParseMasked, ipv4IsCidr, ipv6CountCidrBits, ipv6ParseMasked, type Ipv6 } from '../model/ip.js';
import { formatMac, parseMacPrefix, scanMac, type Mac } from '../model/mac.js';
import { ETH_ADDR_SCAN_FMT, IP_SCAN_FMT, IPV6_SCAN_FMT, ovsScan } from '../model/scan.js';
import type { CompileContext } from './context.js';
import { smapGetBool } from '../model/smap.js';
import { ShardedMap } from '../replica/sharded-map.js';

const MAC_ADDR_SPACE = 0xffffff;

interface IpamInfo {
  readonly id: string;
  /** IPv4: first allocatable address, count, and the taken indexes. */
  readonly start: number;
  readonly total: number;
  readonly taken: Uint8Array | undefined;
  readonly ipv6Prefix: Ipv6 | undefined;
  readonly macOnly: boolean;
}

export interface IpamResult {
  /** LSP name → the dynamic_addresses the flows use (only ports with one). */
  readonly addresses: ReadonlyMap<string, string>;
  /** LSP name → the value to write into the NB (undefined clears), where it differs. */
  readonly writes: ReadonlyMap<string, string | undefined>;
  readonly warnings: readonly [key: string, message: string][];
}

const NONE: IpamResult = { addresses: new Map(), writes: new Map(), warnings: [] };

function ipamInfo(sw: NbLogicalSwitch, warn: (k: string, m: string) => void): IpamInfo {
  const oc = sw.other_config;
  const id = sw._uuid;
  let start = 0;
  let total = 0;
  let taken: Uint8Array | undefined;
  const subnet = oc['subnet'];
  if (subnet !== undefined) {
    const p = ipParseMasked(subnet);
    if (!p.ok || p.value.mask === 0xffffffff || !ipv4IsCidr(p.value.mask)) warn('ipam-subnet', `${id}: bad 'subnet' ${subnet}`);
    else {
      start = ((p.value.ip & p.value.mask) >>> 0) + 1;
      total = ~p.value.mask >>> 0;
      taken = new Uint8Array(total);
      taken[0] = 1;
      const ex = oc['exclude_ips'];
      if (ex !== undefined) {
        let error: string | undefined;
        const toks = ex.trim().split(/\s+/).filter((t) => t.length);
        for (const tok of toks) {
          const [a, b, extra] = tok.split('..');
          const s = a === undefined ? undefined : inetPton4(a);
          if (s === undefined || extra !== undefined) {
            error ??= 'expecting address';
            break;
          }
          let e = s + 1;
          if (b !== undefined) {
            const v = inetPton4(b);
            if (v === undefined) {
              error ??= 'expecting address range';
              break;
            }
            e = v + 1;
          }
          const lo = Math.max(start, s);
          const hi = Math.min(start + total, e);
          if (hi > lo) for (let i = lo; i < hi; i++) taken[i - start] = 1;
          else error ??= 'excluded addresses not in subnet';
        }
        if (error !== undefined) warn('ipam-exclude-ips', `${id}: bad exclude_ips (${error})`);
      }
    }
  }
  let ipv6Prefix: Ipv6 | undefined;
  const pfx = oc['ipv6_prefix'];
  if (pfx !== undefined) {
    if (pfx.includes('/')) {
      const p = ipv6ParseMasked(pfx);
      if (!p.ok) warn('ipam-ipv6-prefix', `${id}: bad 'ipv6_prefix' ${pfx}: ${p.error.message}`);
      else if (ipv6CountCidrBits(p.value.mask) !== 64) warn('ipam-ipv6-prefix', `${id}: bad 'ipv6_prefix' ${pfx}: must be /64`);
      else ipv6Prefix = p.value.ip;
    } else {
      const v = inetPton6(pfx);
      if (v === undefined) warn('ipam-ipv6-prefix', `${id}: bad 'ipv6_prefix' ${pfx}`);
      else ipv6Prefix = v;
    }
    if (ipv6Prefix !== undefined) ipv6Prefix &= ((1n << 64n) - 1n) << 64n;
  }
  const macOnly = subnet === undefined && pfx === undefined && smapGetBool(oc, 'mac_only', false);
  return { id, start, total, taken, ipv6Prefix, macOnly };
}

type Update = 'none' | 'remove' | 'static' | 'dynamic';

interface PortUpdate {
  readonly lsp: NbLogicalSwitchPort;
  readonly info: IpamInfo;
  readonly current: LportAddresses | undefined;
  mac: Update;
  ipv4: Update;
  ipv6: Update;
  staticMac?: Mac;
  staticIp?: number;
  staticIpv6?: Ipv6;
}

/** "dynamic IP", "dynamic IP6", "dynamic IP IP6" (whole string): the IPs, else undefined. */
function dynamicSpec(s: string): { ip4?: number; ip6?: string } | undefined {
  const head = 'dynamic ';
  if (!s.startsWith(head)) return undefined;
  const r4 = ovsScan(s, IP_SCAN_FMT, head.length);
  if (r4) {
    const ip4 = ((r4.values as number[]).reduce((a, b) => a * 256 + b, 0)) >>> 0;
    if (r4.end === s.length) return { ip4 };
    const r6 = ovsScan(s, ` ${IPV6_SCAN_FMT}`, r4.end);
    if (r6 && r6.end === s.length) return { ip4, ip6: r6.values[0] as string };
    return undefined;
  }
  const r6 = ovsScan(s, IPV6_SCAN_FMT, head.length);
  return r6 && r6.end === s.length ? { ip6: r6.values[0] as string } : undefined;
}

export class Ipam {
  private last: { ls: unknown; lsp: unknown; lrp: unknown; prefix: Mac; out: IpamResult } | undefined;
  /** Ports with a dynamic address or dynamic_addresses, kept up to date by diffing the port table. */
  private dynamicPorts = new Set<string>();
  private portsSeen: ReadonlyMap<string, NbLogicalSwitchPort> | undefined;

  private trackDynamicPorts(table: ReadonlyMap<string, NbLogicalSwitchPort>): void {
    const dynamic = (p: NbLogicalSwitchPort): boolean => p.dynamic_addresses !== undefined || p.addresses.some(isDynamicLspAddress);
    const prev = this.portsSeen;
    this.portsSeen = table;
    if (prev === table) return;
    if (prev instanceof ShardedMap && table instanceof ShardedMap) {
      ShardedMap.diff(prev, table, (u, _before, after) => {
        if (after && dynamic(after)) this.dynamicPorts.add(u);
        else this.dynamicPorts.delete(u);
      });
      return;
    }
    this.dynamicPorts = new Set();
    for (const [u, p] of table) if (dynamic(p)) this.dynamicPorts.add(u);
  }

  update(ctx: CompileContext, macPrefixText: string, walkOrder: (ctx: CompileContext) => readonly string[]): IpamResult {
    const nb = ctx.nb;
    const prefix = parseMacPrefix(macPrefixText) ?? 0;
    const l = this.last;
    if (l && l.ls === nb.Logical_Switch && l.lsp === nb.Logical_Switch_Port && l.lrp === nb.Logical_Router_Port && l.prefix === prefix) return l.out;
    const out = this.compute(ctx, prefix, walkOrder);
    this.last = { ls: nb.Logical_Switch, lsp: nb.Logical_Switch_Port, lrp: nb.Logical_Router_Port, prefix, out };
    return out;
  }

  private compute(ctx: CompileContext, prefix: Mac, walkOrder: (ctx: CompileContext) => readonly string[]): IpamResult {
    const nb = ctx.nb;
    // Nothing dynamic anywhere: nothing to assign, keep or clear.
    this.trackDynamicPorts(nb.Logical_Switch_Port);
    if (!this.dynamicPorts.size) return NONE;
    const warnings: [string, string][] = [];
    const warn = (k: string, m: string): void => void warnings.push([k, m]);
    const infos = new Map<string, IpamInfo>();
    const switchOf = new Map<string, NbLogicalSwitch>();
    for (const sw of nb.Logical_Switch.values()) {
      infos.set(sw._uuid, ipamInfo(sw, warn));
      for (const u of sw.ports) switchOf.set(u, sw);
    }
    const lrpNames = new Set<string>();
    for (const r of nb.Logical_Router_Port.values()) lrpNames.add(r.name);
    const lspByName = new Map<string, NbLogicalSwitchPort>();
    for (const p of nb.Logical_Switch_Port.values()) lspByName.set(p.name, p);
    const macam = new Set<number>();
    const inPrefix = (m: Mac): boolean => Math.floor(m / 0x1000000) === Math.floor(prefix / 0x1000000);
    const insertMac = (m: Mac, check: boolean): void => {
      if (!inPrefix(m)) return;
      if (check && macam.has(m)) {
        warn('ipam-duplicate-mac', `Duplicate MAC set: ${formatMac(m)}`);
        return;
      }
      macam.add(m);
    };
    const insertIp = (info: IpamInfo, ip: number): void => {
      if (!info.taken || ip < info.start || ip >= info.start + info.total) return;
      if (info.taken[ip - info.start]) {
        warn('ipam-duplicate-ip', `${info.id}: Duplicate IP set: ${formatIpv4(ip)}`);
        return;
      }
      info.taken[ip - info.start] = 1;
    };
    // Static addresses of every switch port, router ports' MACs (and IPs in their peer's subnet).
    const peerSwitchOfLrp = new Map<string, NbLogicalSwitch>();
    for (const p of nb.Logical_Switch_Port.values()) {
      const rp = p.type === 'router' ? p.options['router-port'] : undefined;
      const sw = switchOf.get(p._uuid);
      if (rp !== undefined && sw) peerSwitchOfLrp.set(rp, sw);
    }
    for (const p of nb.Logical_Switch_Port.values()) {
      const sw = switchOf.get(p._uuid);
      if (!sw) continue;
      const info = infos.get(sw._uuid)!;
      for (const a of p.addresses) {
        if (a === 'router' || a === 'unknown' || isDynamicLspAddress(a)) continue;
        const r = extractLspAddresses(a);
        if (!r.ok) continue;
        insertMac(r.value.addresses.ea, true);
        if (info.taken) for (const ip of r.value.addresses.ipv4Addrs) insertIp(info, ip.addr);
      }
    }
    for (const lrp of nb.Logical_Router_Port.values()) {
      const mac = scanMac(lrp.mac);
      if (!mac) continue;
      insertMac(mac.mac, true);
      const sw = peerSwitchOfLrp.get(lrp.name);
      if (!sw || sw.other_config['subnet'] === undefined) continue;
      const info = infos.get(sw._uuid)!;
      for (const n of lrp.networks) {
        const ip = inetPton4(n.split('/')[0]!);
        if (ip !== undefined && ip !== info.start) insertIp(info, ip);
      }
    }
    // Keep what still holds, in the reference's order; collect the rest.
    const addresses = new Map<string, string>();
    const writes = new Map<string, string | undefined>();
    const updates: PortUpdate[] = [];
    for (const dp of walkOrder(ctx)) {
      const sw = nb.Logical_Switch.get(dp);
      if (!sw) continue;
      const info = infos.get(dp)!;
      const ipam = info.taken !== undefined || info.ipv6Prefix !== undefined || info.macOnly;
      for (const u of sw.ports) {
        const lsp = nb.Logical_Switch_Port.get(u);
        if (!lsp) continue;
        if (!ipam) {
          if (lsp.dynamic_addresses !== undefined) writes.set(lsp.name, undefined);
          continue;
        }
        // Ports with a peer (router-type ports naming a router port) get nothing.
        const rp = lsp.type === 'router' ? lsp.options['router-port'] : undefined;
        if (rp !== undefined && lrpNames.has(rp)) continue;
        let n = 0;
        for (const spec of lsp.addresses) {
          if (!isDynamicLspAddress(spec)) continue;
          if (n++) {
            warn('ipam-multiple-dynamic', `More than one dynamic address configured for logical switch port '${lsp.name}'`);
            continue;
          }
          if (lsp.dynamic_addresses !== undefined) {
            const cur = extractLspAddresses(lsp.dynamic_addresses);
            const current = cur.ok ? cur.value.addresses : undefined;
            const up: PortUpdate = { lsp, info, current, mac: 'none', ipv4: 'none', ipv6: 'none' };
            this.checkForUpdates(spec, up, prefix);
            // Unchanged parts are claimed now, before anything is assigned.
            if (up.mac === 'none' && current) insertMac(current.ea, false);
            if (up.ipv4 === 'none' && current?.ipv4Addrs.length) insertIp(info, current.ipv4Addrs[0]!.addr);
            if (up.mac !== 'none' || up.ipv4 !== 'none' || up.ipv6 !== 'none') updates.push(up);
            else addresses.set(lsp.name, lsp.dynamic_addresses);
          } else {
            const up: PortUpdate = { lsp, info, current: undefined, mac: 'dynamic', ipv4: 'none', ipv6: 'none' };
            this.setDynamicUpdates(spec, up);
            updates.push(up);
          }
        }
        if (!n && lsp.dynamic_addresses !== undefined) writes.set(lsp.name, undefined);
      }
    }
    for (const up of updates) {
      const { info, current } = up;
      let ip4 = 0;
      if (up.ipv4 === 'none') ip4 = current?.ipv4Addrs[0]?.addr ?? 0;
      else if (up.ipv4 === 'static') ip4 = up.staticIp!;
      else if (up.ipv4 === 'dynamic') {
        ip4 = 0;
        if (info.taken) {
          let i = 0;
          while (i < info.total - 1 && info.taken[i]) i++;
          if (i === info.total - 1) warn('ipam-exhausted', `${info.id}: Subnet address space has been exhausted.`);
          else ip4 = info.start + i;
        }
      }
      let mac: Mac;
      if (up.mac === 'none') mac = current!.ea;
      else if (up.mac === 'static') mac = up.staticMac!;
      else {
        const base = ip4 & MAC_ADDR_SPACE;
        mac = 0;
        for (let i = 0; i < MAC_ADDR_SPACE - 1; i++) {
          const m = prefix + (((base + i) % (MAC_ADDR_SPACE - 1)) + 1);
          if (!macam.has(m)) {
            mac = m;
            break;
          }
        }
      }
      let ip6: Ipv6 = 0n;
      if (up.ipv6 === 'none') ip6 = current?.ipv6Addrs[0]?.addr ?? 0n;
      else if (up.ipv6 === 'static') ip6 = up.staticIpv6!;
      else if (up.ipv6 === 'dynamic') ip6 = in6GenerateEui64(mac, info.ipv6Prefix!);
      let text = formatMac(mac);
      insertMac(mac, true);
      if (ip4) {
        insertIp(info, ip4);
        text += ` ${formatIpv4(ip4)}`;
      }
      if (ip6 !== 0n) text += ` ${formatIpv6(ip6)}`;
      addresses.set(up.lsp.name, text);
    }
    for (const [name, text] of addresses) {
      const lsp = lspByName.get(name);
      if (lsp && lsp.dynamic_addresses !== text) writes.set(name, text);
    }
    return { addresses, writes, warnings };
  }

  /** dynamic_addresses_check_for_updates(). */
  private checkForUpdates(spec: string, up: PortUpdate, prefix: Mac): void {
    const cur = up.current;
    // MAC: the one the CMS wrote, else one inside the prefix.
    const written = ovsScan(spec, ETH_ADDR_SCAN_FMT);
    if (written) {
      const ea = scanMac(spec)!.mac;
      if (!cur || ea !== cur.ea) {
        up.mac = 'static';
        up.staticMac = ea;
      }
    } else if (!cur || Math.floor(cur.ea / 0x1000000) !== Math.floor(prefix / 0x1000000)) up.mac = 'dynamic';
    // IPv4.
    const info = up.info;
    if (!info.taken) up.ipv4 = cur?.ipv4Addrs.length ? 'remove' : 'none';
    else if (!cur?.ipv4Addrs.length) up.ipv4 = 'dynamic';
    else {
      const ip4 = cur.ipv4Addrs[0]!.addr;
      const index = ip4 - info.start;
      if (ip4 < info.start || index >= info.total - 1 || info.taken[index]) up.ipv4 = 'dynamic';
      else {
        const d = dynamicSpec(spec);
        if (d?.ip4 !== undefined) {
          const i = d.ip4 - info.start;
          if (d.ip4 < info.start || i > info.total || info.taken[i]) up.ipv4 = 'dynamic';
          else if (cur.ipv4Addrs[0]!.addr !== d.ip4) {
            up.ipv4 = 'static';
            up.staticIp = d.ip4;
          }
        }
      }
    }
    // IPv6.
    if (info.ipv6Prefix === undefined) up.ipv6 = cur?.ipv6Addrs.length ? 'remove' : 'none';
    else if (!cur?.ipv6Addrs.length || written) up.ipv6 = 'dynamic';
    else {
      const d = dynamicSpec(spec);
      if (d?.ip6 !== undefined) {
        const v = inetPton6(d.ip6);
        if (v === undefined || (v & info.ipv6Prefix) !== info.ipv6Prefix) up.ipv6 = 'dynamic';
        else if (cur.ipv6Addrs[0]!.addr !== v) {
          up.ipv6 = 'static';
          up.staticIpv6 = v;
        }
      } else if (up.mac !== 'none') up.ipv6 = 'dynamic';
    }
  }

  /** set_dynamic_updates(): a port without dynamic_addresses yet. */
  private setDynamicUpdates(spec: string, up: PortUpdate): void {
    const m = ovsScan(spec, `${ETH_ADDR_SCAN_FMT} dynamic`);
    if (m && m.end === spec.length) {
      up.mac = 'static';
      up.staticMac = scanMac(spec)!.mac;
    } else up.mac = 'dynamic';
    const d = dynamicSpec(spec);
    if (d?.ip4 !== undefined) {
      up.ipv4 = 'static';
      up.staticIp = d.ip4;
    } else up.ipv4 = up.info.taken ? 'dynamic' : 'none';
    const v6 = d?.ip6 !== undefined ? inetPton6(d.ip6) : undefined;
    if (v6 !== undefined) {
      up.ipv6 = 'static';
      up.staticIpv6 = v6;
    } else up.ipv6 = up.info.ipv6Prefix !== undefined ? 'dynamic' : 'none';
  }
}
