// The load-balancer VIP addresses of each logical router (the reference's
// od->lb_ips: every VIP of the LBs attached to the router directly or through
// a Load_Balancer_Group), kept from run to run.
//
// Re-scanning every router's VIPs on every run was most of a run's cost on
// ovn-kubernetes-like networks (every gateway router has the cluster LB
// group: 500 routers × 2,000 VIPs).  Here a router's addresses are recomputed
// only when its row's LB columns, one of its groups or one of its load
// balancers changed, and a load balancer's addresses are parsed once per
// version of its `vips` column.
import type { NbLoadBalancer, NbLoadBalancerGroup, NbLogicalRouter } from '../model/nb.js';
import { formatIpv4, formatIpv6, inetPton4, inetPton6 } from '../model/ip.js';
import { ShardedMap } from '../replica/sharded-map.js';
import { sameElements } from './deps.js';

export interface LbIps {
  readonly v4: readonly string[];
  readonly v6: readonly string[];
  /**
   * The VIP addresses the router answers ARP/ND for, by the LBs' options:neighbor_responder:
   * those of "all" LBs, and those of "reachable" LBs (the default) that the caller keeps when
   * one of the router's networks holds them ("none": neither).
   */
  readonly respondAll: readonly string[];
  readonly respondReachable: readonly string[];
}

/** options:neighbor_responder as the reference reads it (an invalid mode is the default). */
function neighborMode(lb: NbLoadBalancer): 'reachable' | 'all' | 'none' {
  // Rows built by hand (tests) may lack the column.
  const opts: Readonly<Record<string, string>> = lb.options ?? {};
  const template = opts['template'] === 'true';
  const mode = opts['neighbor_responder'];
  if (mode === 'all' || mode === 'none') return mode;
  if (mode === 'reachable' && !template) return mode;
  return template ? 'none' : 'reachable';
}

/** The address part of a load-balancer VIP key ("1.2.3.4:80", "[fd00::1]:80", "1.2.3.4"). */
export function vipKeyIp(key: string): { ip: string; v6: boolean } | undefined {
  if (key.startsWith('[')) {
    const close = key.indexOf(']');
    if (close < 0) return undefined;
    const v = inetPton6(key.slice(1, close));
    return v === undefined ? undefined : { ip: formatIpv6(v), v6: true };
  }
  const v4direct = inetPton4(key);
  if (v4direct !== undefined) return { ip: formatIpv4(v4direct), v6: false };
  const colon = key.lastIndexOf(':');
  if (colon > 0 && key.indexOf(':') === colon) {
    const v = inetPton4(key.slice(0, colon));
    return v === undefined ? undefined : { ip: formatIpv4(v), v6: false };
  }
  const v6 = inetPton6(key);
  return v6 === undefined ? undefined : { ip: formatIpv6(v6), v6: true };
}

const vipsCache = new WeakMap<object, { v4: readonly string[]; v6: readonly string[] }>();

/** One load balancer's VIP addresses (cached per `vips` column value). */
function lbVipIps(lb: NbLoadBalancer): { v4: readonly string[]; v6: readonly string[] } {
  let r = vipsCache.get(lb.vips);
  if (r) return r;
  const v4: string[] = [];
  const v6: string[] = [];
  for (const k of Object.keys(lb.vips)) {
    const ip = vipKeyIp(k);
    if (ip) (ip.v6 ? v6 : v4).push(ip.ip);
  }
  vipsCache.set(lb.vips, (r = { v4, v6 }));
  return r;
}

type Tables = {
  readonly Load_Balancer: ReadonlyMap<string, NbLoadBalancer>;
  readonly Load_Balancer_Group: ReadonlyMap<string, NbLoadBalancerGroup>;
};

interface Entry {
  readonly lbs: readonly string[];
  readonly groups: readonly string[];
  readonly ips: LbIps;
  /** The LB UUIDs it was computed from (directly and through groups). */
  readonly members: ReadonlySet<string>;
}

export class RouterLbIps {
  private last: Tables | undefined;
  private readonly entries = new Map<string, Entry>();
  /** LB and group UUIDs that changed since the previous run (undefined: treat all as changed). */
  private changedLbs: Set<string> | undefined;
  private changedGroups: Set<string> | undefined;

  /** Called once per run, before any get(). */
  begin(nb: Tables): void {
    const prev = this.last;
    this.last = nb;
    this.byMembers = new Map();
    if (!prev) {
      this.changedLbs = undefined;
      this.changedGroups = undefined;
      return;
    }
    const lbs = new Set<string>();
    const groups = new Set<string>();
    ShardedMap.diff(prev.Load_Balancer, nb.Load_Balancer, (u) => lbs.add(u));
    ShardedMap.diff(prev.Load_Balancer_Group, nb.Load_Balancer_Group, (u) => groups.add(u));
    this.changedLbs = lbs;
    this.changedGroups = groups;
  }

  /** This run's results by the LBs and groups they were computed from: routers that share a group share them. */
  private byMembers = new Map<string, Entry>();

  /** The router's VIP addresses; the same object while they are unchanged. */
  get(lr: NbLogicalRouter): LbIps {
    const nb = this.last!;
    const e = this.entries.get(lr._uuid);
    if (e && e.lbs === lr.load_balancer && e.groups === lr.load_balancer_group && !this.touches(e)) return e.ips;
    const shareKey = `${lr.load_balancer.join(',')}|${lr.load_balancer_group.join(',')}`;
    const shared = this.byMembers.get(shareKey);
    if (shared) {
      this.entries.set(lr._uuid, { lbs: lr.load_balancer, groups: lr.load_balancer_group, ips: shared.ips, members: shared.members });
      return shared.ips;
    }
    const members = new Set<string>(lr.load_balancer);
    for (const g of lr.load_balancer_group) for (const u of nb.Load_Balancer_Group.get(g)?.load_balancer ?? []) members.add(u);
    const v4 = new Set<string>();
    const v6 = new Set<string>();
    const all = new Set<string>();
    const reachable = new Set<string>();
    for (const u of members) {
      const lb = nb.Load_Balancer.get(u);
      if (!lb) continue;
      const ips = lbVipIps(lb);
      for (const ip of ips.v4) v4.add(ip);
      for (const ip of ips.v6) v6.add(ip);
      const mode = neighborMode(lb);
      if (mode === 'none') continue;
      const to = mode === 'all' ? all : reachable;
      for (const ip of ips.v4) to.add(ip);
      for (const ip of ips.v6) to.add(ip);
    }
    const next = { v4: [...v4], v6: [...v6], respondAll: [...all], respondReachable: [...reachable] };
    const same =
      e &&
      sameElements(e.ips.v4, next.v4) &&
      sameElements(e.ips.v6, next.v6) &&
      sameElements(e.ips.respondAll, next.respondAll) &&
      sameElements(e.ips.respondReachable, next.respondReachable);
    const ips = same ? e.ips : next;
    const entry = { lbs: lr.load_balancer, groups: lr.load_balancer_group, ips, members };
    this.entries.set(lr._uuid, entry);
    this.byMembers.set(shareKey, entry);
    return ips;
  }

  /** Forgets routers that are gone. */
  retain(live: ReadonlySet<string>): void {
    for (const u of this.entries.keys()) if (!live.has(u)) this.entries.delete(u);
  }

  private touches(e: Entry): boolean {
    if (!this.changedLbs || !this.changedGroups) return true;
    for (const g of e.groups) if (this.changedGroups.has(g)) return true;
    if (this.changedLbs.size > e.members.size) {
      for (const u of e.members) if (this.changedLbs.has(u)) return true;
    } else {
      for (const u of this.changedLbs) if (e.members.has(u)) return true;
    }
    return false;
  }
}
