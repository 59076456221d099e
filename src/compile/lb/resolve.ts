// Load balancers as northd sees them (lib/lb.c ovn_northd_lb_create() and
// northd.c build_lbs() of OVN 23.03.1): each NB Load_Balancer with its VIPs
// parsed (bad VIPs skipped with the reference's warning), its options read,
// and the logical switches and routers it applies to, directly or through a
// Load_Balancer_Group.
import { ShardedMap } from '../../replica/sharded-map.js';
import { recordingWarnings, replayWarnings, type CompileContext, type KeptWarning } from '../context.js';
import type { NbLoadBalancer } from '../../model/nb.js';
import { type LbVip, parseLbVip, smapGetBool, formatLbVip6Template } from '../../model/vip.js';
import { smapGetUint } from '../../model/smap.js';

export type LbProto = 'tcp' | 'udp' | 'sctp';
export type NeighborResponderMode = 'reachable' | 'all' | 'none';

/** One parsed VIP plus the per-VIP facts northd derives from the LB. */
export interface ResolvedVip extends LbVip {
  /** options:reject=true: a VIP without backends rejects instead of dropping. */
  readonly emptyBackendReject: boolean;
  /** With a health check (lb/health.ts): the backends it balances over. */
  readonly health?: { readonly value: string; readonly active: number };
}

/** The ct_lb backends text of a VIP: its active backends when health-checked. */
export function vipBackends(vip: ResolvedVip): string {
  return vip.health ? vip.health.value : vip.value;
}

/** Whether the VIP has nothing to balance over (drop or reject): no backends, or none active. */
export function vipHasNoBackends(vip: ResolvedVip): boolean {
  return vip.health ? vip.health.active === 0 : vip.backends.length === 0;
}

export interface ResolvedLb {
  readonly uuid: string;
  readonly nb: NbLoadBalancer;
  /** The protocol used in matches: the NB protocol, "tcp" when unset. */
  readonly proto: LbProto;
  /** VIPs that parsed, in NB map order. */
  readonly vips: readonly ResolvedVip[];
  /** selection_fields rendered for hash_fields="..." (tp_* become <proto>_*), undefined if none. */
  readonly selectionFields: string | undefined;
  /** options:event. */
  readonly controllerEvent: boolean;
  /** options:add_route (forced off for template LBs). */
  readonly routable: boolean;
  /** options:skip_snat. */
  readonly skipSnat: boolean;
  /** options:template. */
  readonly template: boolean;
  readonly neighborResponder: NeighborResponderMode;
  /** options:affinity_timeout, clamped to 65535; 0 = no affinity. */
  readonly affinityTimeout: number;
  /** VIP addresses (vipStr) by family, deduplicated. */
  readonly ipsV4: readonly string[];
  readonly ipsV6: readonly string[];
  /** NB Logical_Switch UUIDs the LB applies to (directly or via groups), sorted. */
  readonly switches: readonly string[];
  /** NB Logical_Router UUIDs (enabled routers only), sorted. */
  readonly routers: readonly string[];
  /**
   * The vips map as written to SB: the NB map, except that IPv6 template LBs
   * get their keys rewritten (ovn_northd_lb_get_vips()).
   */
  readonly sbVips: Readonly<Record<string, string>>;
}

export { smapGetUint } from '../../model/smap.js';

const NEIGH_MODES: readonly NeighborResponderMode[] = ['reachable', 'all', 'none'];

function neighborResponderMode(ctx: CompileContext, lb: NbLoadBalancer, template: boolean): NeighborResponderMode {
  const dflt: NeighborResponderMode = template ? 'none' : 'reachable';
  const mode = lb.options['neighbor_responder'] ?? dflt;
  const known = NEIGH_MODES.find((m) => m === mode);
  if (known && !(template && known === 'reachable')) return known;
  ctx.warn(
    'lb-neighbor-responder',
    `Invalid neighbor responder mode ${mode} for load balancer ${lb._uuid}, forcing it to ${dflt}`,
  );
  return dflt;
}

/** The hash_fields string of ovn_northd_lb_create(). */
export function selectionFieldsString(lb: Pick<NbLoadBalancer, 'protocol' | 'selection_fields'>): string | undefined {
  if (lb.selection_fields.length === 0) return undefined;
  const proto = lb.protocol ? lb.protocol : undefined;
  return lb.selection_fields
    .map((f) => (proto && (f === 'tp_src' || f === 'tp_dst') ? `${proto}_${f.slice(3)}` : f))
    .join(',');
}

/** Parses one NB load balancer (everything but the datapaths it applies to). */
export function parseLoadBalancer(
  ctx: CompileContext,
  lb: NbLoadBalancer,
): Omit<ResolvedLb, 'switches' | 'routers'> {
  const opts = lb.options;
  const template = smapGetBool(opts, 'template');
  const family = (opts['address-family'] ?? 'ipv4') === 'ipv4' ? 4 : 6;
  const proto: LbProto = lb.protocol === 'udp' ? 'udp' : lb.protocol === 'sctp' ? 'sctp' : 'tcp';

  let routable = smapGetBool(opts, 'add_route');
  if (template && routable) {
    ctx.warn(
      'lb-template-add-route',
      `Template load balancer ${lb._uuid} does not suport option 'add_route'.  Forcing it to disabled.`,
    );
    routable = false;
  }
  const neighborResponder = neighborResponderMode(ctx, lb, template);

  let affinityTimeout = smapGetUint(opts, 'affinity_timeout', 0);
  if (affinityTimeout > 0xffff) {
    ctx.warn('lb-affinity-timeout', `max affinity_timeout timeout value is ${0xffff}`);
    affinityTimeout = 0xffff;
  }

  const emptyBackendReject = smapGetBool(opts, 'reject');
  const vips: ResolvedVip[] = [];
  const v4 = new Set<string>();
  const v6 = new Set<string>();
  const templateVips: Record<string, string> = {};
  for (const [key, value] of Object.entries(lb.vips)) {
    const r = parseLbVip(key, value, template, family);
    if (!r.ok) {
      ctx.warn('lb-vip', `Failed to initialize LB VIP: ${r.error.message}`);
      continue;
    }
    vips.push({ ...r.value, emptyBackendReject });
    // The reference files a VIP under IPv4 when its in6_addr is v4-mapped;
    // template VIPs have no address and land in the IPv6 set.
    if (r.value.vip?.family === 4) v4.add(r.value.vipStr);
    else v6.add(r.value.vipStr);
    if (template && family === 6) templateVips[formatLbVip6Template(r.value)] = value;
  }

  return {
    uuid: lb._uuid,
    nb: lb,
    proto,
    vips,
    selectionFields: selectionFieldsString(lb),
    controllerEvent: smapGetBool(opts, 'event'),
    routable,
    skipSnat: smapGetBool(opts, 'skip_snat'),
    template,
    neighborResponder,
    affinityTimeout,
    ipsV4: [...v4],
    ipsV6: [...v6],
    sbVips: Object.keys(templateVips).length > 0 ? templateVips : lb.vips,
  };
}

/**
 * Every NB load balancer, keyed by UUID, with the switches and routers it
 * applies to.  Routers disabled with enabled=false are not datapaths in the
 * reference and so never count.
 */
export function resolveLoadBalancers(ctx: CompileContext): ReadonlyMap<string, ResolvedLb> {
  return new LbResolver().resolve(ctx);
}

/**
 * resolveLoadBalancers() across runs: an LB row is parsed once per version
 * (its warnings are repeated on every run), LBs with the same attachments
 * share one datapath list, and an LB whose row and attachments did not change
 * is the same ResolvedLb object as in the previous run — which is what the
 * incremental compiler keys its LB units on.
 */
/** One load balancer row parsed, with the warnings parsing gave. */
type ParsedLb = { row: NbLoadBalancer; parsed: Omit<ResolvedLb, 'switches' | 'routers'>; warnings: readonly KeptWarning[] };

export class LbResolver {
  private parses = new Map<string, ParsedLb>();
  private lists = new Map<string, readonly string[]>();
  private resolved = new Map<string, ResolvedLb>();
  /** Each load balancer's attachment signatures (switches, routers): '' for none. */
  private sigs = new Map<string, readonly [string, string]>();
  /** What the last resolve() read, and the warnings it gave. */
  private last: { ls: Nb['Logical_Switch']; lr: Nb['Logical_Router']; lb: Nb['Load_Balancer']; lbg: Nb['Load_Balancer_Group']; warnings: readonly KeptWarning[] } | undefined;

  resolve(ctx: CompileContext): Map<string, ResolvedLb> {
    const nb = ctx.nb;
    // The load balancers whose row, attachments or groups' attachments changed: the others
    // keep their ResolvedLb (and lists) from the last run. Undefined: all (first run).
    const affected = this.last ? affectedLbs(this.last, nb) : undefined;
    if (affected?.size === 0) {
      // Nothing reached a load balancer: the same map (the compiler's LB units key on it).
      replayWarnings(ctx, this.last!.warnings);
      this.last = { ...this.last!, ls: nb.Logical_Switch, lr: nb.Logical_Router, lb: nb.Load_Balancer, lbg: nb.Load_Balancer_Group };
      return this.resolved;
    }
    const { ctx: warnCtx, warnings: warningsOut } = recordingWarnings(ctx);
    const direct = new Map<string, string[]>();
    const groups = new Map<string, string[]>();
    const routerDirect = new Map<string, string[]>();
    const routerGroups = new Map<string, string[]>();
    const push = (m: Map<string, string[]>, k: string, v: string): void => {
      const l = m.get(k);
      if (l) l.push(v);
      else m.set(k, [v]);
    };
    for (const ls of nb.Logical_Switch.values()) {
      for (const lb of ls.load_balancer) push(direct, lb, ls._uuid);
      for (const g of ls.load_balancer_group) push(groups, g, ls._uuid);
    }
    for (const lr of nb.Logical_Router.values()) {
      if (lr.enabled === false) continue;
      for (const lb of lr.load_balancer) push(routerDirect, lb, lr._uuid);
      for (const g of lr.load_balancer_group) push(routerGroups, g, lr._uuid);
    }
    const groupsOfLb = new Map<string, string[]>();
    for (const g of nb.Load_Balancer_Group.values()) for (const lb of new Set(g.load_balancer)) push(groupsOfLb, lb, g._uuid);

    const lists = new Map<string, readonly string[]>();
    const attachment = (sig: string, dps: readonly string[] | undefined, gs: readonly string[], members: ReadonlyMap<string, readonly string[]>): readonly string[] => {
      if (!sig) return NONE;
      let list = lists.get(sig);
      if (list) return list;
      const set = new Set(dps ?? []);
      for (const g of gs) for (const d of members.get(g) ?? []) set.add(d);
      const fresh = [...set].sort();
      const prev = this.lists.get(sig);
      list = prev && sameList(prev, fresh) ? prev : fresh;
      lists.set(sig, list);
      return list;
    };
    const sigOf = (kind: string, dps: readonly string[] | undefined, gs: readonly string[]): string =>
      !dps?.length && !gs.length ? '' : `${kind}|${(dps ?? []).slice().sort().join(',')}|${gs.join(',')}`;

    const parses = new Map<string, ParsedLb>();
    const out = new Map<string, ResolvedLb>();
    const sigs = new Map<string, readonly [string, string]>();
    for (const row of nb.Load_Balancer.values()) {
      const prev = this.resolved.get(row._uuid);
      const prevSigs = this.sigs.get(row._uuid);
      if (affected && !affected.has(row._uuid) && prev && prev.nb === row && prevSigs) {
        // Nothing it depends on changed; its lists stay shared with the affected ones of the
        // same signature (those computed the same content, see affectedLbs()).
        const p = this.parses.get(row._uuid)!;
        replayWarnings(warnCtx, p.warnings);
        parses.set(row._uuid, p);
        if (prevSigs[0] && !lists.has(prevSigs[0])) lists.set(prevSigs[0], prev.switches);
        if (prevSigs[1] && !lists.has(prevSigs[1])) lists.set(prevSigs[1], prev.routers);
        sigs.set(row._uuid, prevSigs);
        out.set(row._uuid, prev);
        continue;
      }
      let p = this.parses.get(row._uuid);
      if (p && p.row === row) {
        replayWarnings(warnCtx, p.warnings);
      } else {
        const rec = recordingWarnings(warnCtx);
        p = { row, parsed: parseLoadBalancer(rec.ctx, row), warnings: rec.warnings };
      }
      parses.set(row._uuid, p);
      const gs = (groupsOfLb.get(row._uuid) ?? []).sort();
      const lsDirect = direct.get(row._uuid);
      const lrDirect = routerDirect.get(row._uuid);
      const rowSigs = [sigOf('ls', lsDirect, gs), sigOf('lr', lrDirect, gs)] as const;
      sigs.set(row._uuid, rowSigs);
      const switches = attachment(rowSigs[0], lsDirect, gs, groups);
      const routers = attachment(rowSigs[1], lrDirect, gs, routerGroups);
      const lb = prev && prev.nb === row && prev.switches === switches && prev.routers === routers ? prev : withAttachments(p.parsed, switches, routers);
      out.set(row._uuid, lb);
    }
    this.parses = parses;
    this.lists = lists;
    this.resolved = out;
    this.sigs = sigs;
    this.last = { ls: nb.Logical_Switch, lr: nb.Logical_Router, lb: nb.Load_Balancer, lbg: nb.Load_Balancer_Group, warnings: warningsOut };
    return out;
  }
}

type Nb = CompileContext['nb'];

/**
 * The load balancers a change reaches: rows that changed; those a changed switch or router
 * lists (before or after, directly or through a group; a router also by its enabled flag);
 * those a changed group lists (before or after); every member of a group that a changed
 * switch or router lists.  An LB outside this set has the same row, groups and attachment
 * lists as before, and any LB whose list for a signature changed is inside it (the list
 * changes only through a switch, router or group it names), so lists stay shared.
 */
function affectedLbs(last: { ls: Nb['Logical_Switch']; lr: Nb['Logical_Router']; lb: Nb['Load_Balancer']; lbg: Nb['Load_Balancer_Group'] }, nb: Nb): Set<string> {
  const out = new Set<string>();
  const touchedGroups = new Set<string>();
  ShardedMap.diff(last.lb, nb.Load_Balancer, (u) => out.add(u));
  const attached = (r: { readonly load_balancer: readonly string[]; readonly load_balancer_group: readonly string[] } | undefined): void => {
    if (!r) return;
    for (const x of r.load_balancer) out.add(x);
    for (const g of r.load_balancer_group) touchedGroups.add(g);
  };
  ShardedMap.diff(last.ls, nb.Logical_Switch, (_u, before, after) => {
    if (before && after && before.load_balancer === after.load_balancer && before.load_balancer_group === after.load_balancer_group) return;
    attached(before);
    attached(after);
  });
  ShardedMap.diff(last.lr, nb.Logical_Router, (_u, before, after) => {
    if (before && after && before.load_balancer === after.load_balancer && before.load_balancer_group === after.load_balancer_group && before.enabled === after.enabled) return;
    attached(before);
    attached(after);
  });
  ShardedMap.diff(last.lbg, nb.Load_Balancer_Group, (_g, before, after) => {
    for (const r of [before, after]) if (r) for (const x of r.load_balancer) out.add(x);
  });
  for (const g of touchedGroups) {
    for (const row of [nb.Load_Balancer_Group.get(g), last.lbg.get(g)]) if (row) for (const x of row.load_balancer) out.add(x);
  }
  return out;
}

const NONE: readonly string[] = [];

/**
 * A parsed load balancer with its datapaths, property by property: a switch joining a
 * group makes a thousand of these per run, and `{ ...parsed, switches, routers }` was
 * ≈ 10× slower to build (and its objects slower to read) than one literal shape.
 */
function withAttachments(p: Omit<ResolvedLb, 'switches' | 'routers'>, switches: readonly string[], routers: readonly string[]): ResolvedLb {
  return {
    uuid: p.uuid,
    nb: p.nb,
    proto: p.proto,
    vips: p.vips,
    selectionFields: p.selectionFields,
    controllerEvent: p.controllerEvent,
    routable: p.routable,
    skipSnat: p.skipSnat,
    template: p.template,
    neighborResponder: p.neighborResponder,
    affinityTimeout: p.affinityTimeout,
    ipsV4: p.ipsV4,
    ipsV6: p.ipsV6,
    sbVips: p.sbVips,
    switches,
    routers,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The resolved load balancers that apply to one logical switch. */
export function loadBalancersOfSwitch(
  lbs: ReadonlyMap<string, ResolvedLb>,
  switchUuid: string,
): ResolvedLb[] {
  return [...lbs.values()].filter((lb) => lb.switches.includes(switchUuid));
}
