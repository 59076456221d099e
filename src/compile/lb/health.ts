// Load balancer health checks (ovn_lb_svc_create, build_lb_svcs, build_lb_vip_actions and
// build_lswitch_arp_nd_service_monitor of OVN 23.03.1).  A VIP with a Load_Balancer_Health_Check
// (matched on the VIP key as written) has its backends monitored by ovn-controller: a backend
// whose ip_port_mappings entry names an enabled logical switch port and a source IP gets an SB
// Service_Monitor row (ip, port, protocol, logical_port; the check's options, svc_monitor_mac
// and the source IP); the VIP then balances only over monitored backends whose monitor is not
// reported down (no status yet counts as up).  A monitor whose port is not up is set offline.
// The switch of each mapped port answers ARP/ND for the source IP with svc_monitor_mac.
//
// Incremental: applied after the resolver as an overlay: an LB without health checks, or
// whose health facts are unchanged, keeps its ResolvedLb object (and the map stays the same
// object when no LB changed), so only LBs whose monitors changed status rebuild their flows.
import type { CompileContext, Diagnostic } from '../context.js';
import type { NbLoadBalancerHealthCheck } from '../../model/nb.js';
import type { SbServiceMonitor } from '../../model/sb.js';
import { formatIpv4, formatIpv6, inetPton4, inetPton6 } from '../../model/ip.js';
import type { ResolvedLb, ResolvedVip } from './resolve.js';
import type { SwitchPort, Topology } from '../topology.js';
import type { MonitoredBackend } from '../switch/arp-nd.js';

/** What a health-checked VIP balances over. */
export interface VipHealth {
  /** The ct_lb backends text of the active backends ("ip:port,…"). */
  readonly value: string;
  readonly active: number;
}

export interface DesiredServiceMonitor {
  readonly ip: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly logical_port: string;
  readonly options: Readonly<Record<string, string>>;
  readonly src_mac: string;
  readonly src_ip: string;
  /** The port is down while the monitor says online: northd sets it offline. */
  readonly setOffline: boolean;
}

export function serviceMonitorKey(ip: string, port: number, protocol: string, logicalPort: string): string {
  return `${ip}|${port}|${protocol}|${logicalPort}`;
}

export interface HealthResult {
  /** The resolved LBs with health applied (the input map when nothing applies). */
  readonly lbs: ReadonlyMap<string, ResolvedLb>;
  readonly monitors: ReadonlyMap<string, DesiredServiceMonitor>;
  /** Switch UUID → the monitored backends whose port is on it (their ARP/ND responders). */
  readonly responders: ReadonlyMap<string, readonly MonitoredBackend[]>;
  readonly diagnostics: readonly Diagnostic[];
}

const NONE: HealthResult = { lbs: new Map(), monitors: new Map(), responders: new Map(), diagnostics: [] };

/** inet_parse_address() + ss_format_address_nobracks(): canonical text, or undefined. */
function parseSrcIp(text: string): string | undefined {
  // An IPv6 address may be written in brackets ("sw0-p1:[fd00::2]").
  const s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = inetPton4(s);
  if (v4 !== undefined) return formatIpv4(v4);
  const v6 = inetPton6(s);
  return v6 === undefined ? undefined : formatIpv6(v6);
}

export class HealthChecks {
  private last: { lbs: unknown; sm: unknown; ports: unknown; mac: string; hc: unknown; pb: unknown; out: HealthResult } | undefined;
  /** Per LB UUID: the base object, its health signature and the overlaid object. */
  private overlays = new Map<string, { base: ResolvedLb; sig: string; out: ResolvedLb }>();

  apply(ctx: CompileContext, lbs: ReadonlyMap<string, ResolvedLb>, topo: Topology, svcMonitorMac: string): HealthResult {
    const nb = ctx.nb;
    const sb = ctx.sb;
    if (!nb.Load_Balancer_Health_Check.size && !sb.Service_Monitor.size) {
      this.last = undefined;
      this.overlays.clear();
      return { ...NONE, lbs };
    }
    const l = this.last;
    if (l && l.lbs === lbs && l.sm === sb.Service_Monitor && l.ports === topo.portByName && l.mac === svcMonitorMac && l.hc === nb.Load_Balancer_Health_Check && l.pb === sb.Port_Binding) {
      return l.out;
    }
    const status = new Map<string, SbServiceMonitor>();
    for (const m of sb.Service_Monitor.values()) status.set(serviceMonitorKey(m.ip, m.port, m.protocol ?? '', m.logical_port), m);
    const monitors = new Map<string, DesiredServiceMonitor>();
    const responders = new Map<string, MonitoredBackend[]>();
    const diagnostics: Diagnostic[] = [];
    const overlays = new Map<string, { base: ResolvedLb; sig: string; out: ResolvedLb }>();
    let changed = false;
    const out = new Map(lbs);
    // The reference visits LBs in its hash map's order; a monitor shared by two LBs takes the
    // options of the last one.  Sorted by UUID here (deterministic).
    for (const lb of [...lbs.values()].sort((a, b) => (a.uuid < b.uuid ? -1 : 1))) {
      if (!lb.nb.health_check.length) continue;
      if (lb.proto === 'sctp' || lb.template) {
        const what = lb.proto === 'sctp' ? 'SCTP' : 'Template';
        diagnostics.push({
          level: 'warn',
          key: 'lb-health-check-unsupported',
          message: `${what} load balancers do not currently support health checks. Not creating health checks for load balancer ${lb.uuid}`,
        });
        continue;
      }
      const checks = lb.nb.health_check.map((u) => nb.Load_Balancer_Health_Check.get(u)).filter((h): h is NbLoadBalancerHealthCheck => h !== undefined);
      const healths: (VipHealth | undefined)[] = [];
      for (const vip of lb.vips) {
        const hc = checks.find((h) => h.vip === vip.key);
        const v4 = vip.addressFamily === 4;
        const parts: string[] = [];
        for (const b of vip.backends) {
          const mapping = lb.nb.ip_port_mappings[v4 ? b.ipStr : `[${b.ipStr}]`];
          let op: SwitchPort | undefined;
          let srcIp: string | undefined;
          if (mapping !== undefined) {
            const colon = mapping.indexOf(':');
            if (colon >= 0) {
              const p = topo.portByName.get(mapping.slice(0, colon));
              op = p?.kind === 'lsp' ? p : undefined;
              srcIp = parseSrcIp(mapping.slice(colon + 1));
              if (srcIp === undefined) diagnostics.push({ level: 'warn', key: 'lb-svc-mon-src-ip', message: `Invalid svc mon src IP ${mapping.slice(colon + 1)}` });
            }
          }
          // The ARP/ND responder for the source IP: any VIP with a check, any mapped port.
          if (hc && op && srcIp !== undefined) {
            const l = responders.get(op.switchUuid);
            const r: MonitoredBackend = { lbUuid: lb.uuid, vipIsV4: v4, svcMonSrcIp: srcIp };
            if (l) l.push(r);
            else responders.set(op.switchUuid, [r]);
          }
          if (!hc || !op || srcIp === undefined || !op.enabled) continue;
          const protocol = lb.nb.protocol === 'udp' ? 'udp' : 'tcp';
          const key = serviceMonitorKey(b.ipStr, b.port, protocol, op.name);
          const have = status.get(key);
          const portUp = op.sb?.up === true;
          const setOffline = !portUp && have?.status === 'online';
          monitors.set(key, { ip: b.ipStr, port: b.port, protocol, logical_port: op.name, options: hc.options, src_mac: svcMonitorMac, src_ip: srcIp, setOffline });
          const st = setOffline ? 'offline' : have?.status;
          if (st !== undefined && st !== 'online') continue;
          parts.push(v4 ? `${b.ipStr}:${b.port}` : `[${b.ipStr}]:${b.port}`);
        }
        healths.push(hc ? { value: parts.join(','), active: parts.length } : undefined);
      }
      const sig = healths.map((h) => (h ? `${h.active}:${h.value}` : '-')).join('|');
      const was = this.overlays.get(lb.uuid);
      let lbOut: ResolvedLb;
      if (was && was.base === lb && was.sig === sig) lbOut = was.out;
      else {
        // The VIPs array is what the LB units compare (with the row): the same while the health is.
        const vips: readonly ResolvedVip[] = was && was.sig === sig && was.base.vips === lb.vips ? was.out.vips : lb.vips.map((v, i) => (healths[i] ? { ...v, health: healths[i] } : v));
        lbOut = { ...lb, vips };
      }
      overlays.set(lb.uuid, { base: lb, sig, out: lbOut });
      if (lbOut !== lb) {
        out.set(lb.uuid, lbOut);
        changed = true;
      }
    }
    this.overlays = overlays;
    // Responder lists keep the last run's arrays while equal (their units then hold).
    const sameList = (a: readonly MonitoredBackend[], b: readonly MonitoredBackend[]): boolean =>
      a.length === b.length && a.every((x, i) => x.lbUuid === b[i]!.lbUuid && x.vipIsV4 === b[i]!.vipIsV4 && x.svcMonSrcIp === b[i]!.svcMonSrcIp);
    const stable = new Map<string, readonly MonitoredBackend[]>();
    for (const [sw, list] of responders) {
      const prev = l?.out.responders.get(sw);
      stable.set(sw, prev && sameList(prev, list) ? prev : list);
    }
    // The same map as the last result when every overlaid LB is the same object.
    let lbsOut: ReadonlyMap<string, ResolvedLb> = changed ? out : lbs;
    if (changed && l && l.out.lbs.size === out.size && [...out].every(([k, v]) => l.out.lbs.get(k) === v)) lbsOut = l.out.lbs;
    const result: HealthResult = { lbs: lbsOut, monitors, responders: stable, diagnostics };
    this.last = { lbs, sm: sb.Service_Monitor, ports: topo.portByName, mac: svcMonitorMac, hc: nb.Load_Balancer_Health_Check, pb: sb.Port_Binding, out: result };
    return result;
  }
}
