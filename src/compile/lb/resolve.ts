// Load balancers as northd sees them (lib/lb.c ovn_northd_lb_create() and
// northd.c build_lbs() of OVN 23.03.1): each NB Load_Balancer with its VIPs
// parsed (bad VIPs skipped with the reference's warning), its options read,
// and the logical switches and routers it applies to, directly or through a
// Load_Balancer_Group.
import type { CompileContext } from '../context.js';
import type { NbLoadBalancer } from '../../model/nb.js';
import { type LbVip, parseLbVip, smapGetBool, formatLbVip6Template } from '../../model/vip.js';
import { smapGetUint } from '../../model/smap.js';

export type LbProto = 'tcp' | 'udp' | 'sctp';
export type NeighborResponderMode = 'reachable' | 'all' | 'none';

/** One parsed VIP plus the per-VIP facts northd derives from the LB. */
export interface ResolvedVip extends LbVip {
  /** options:reject=true: a VIP without backends rejects instead of dropping. */
  readonly emptyBackendReject: boolean;
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
  const switchesOf = new Map<string, Set<string>>();
  const routersOf = new Map<string, Set<string>>();
  const addTo = (m: Map<string, Set<string>>, lb: string, dp: string): void => {
    let s = m.get(lb);
    if (!s) m.set(lb, (s = new Set()));
    s.add(dp);
  };
  const groupLbs = (groupUuid: string): readonly string[] =>
    ctx.nb.Load_Balancer_Group.get(groupUuid)?.load_balancer ?? [];

  for (const ls of ctx.nb.Logical_Switch.values()) {
    for (const lb of ls.load_balancer) addTo(switchesOf, lb, ls._uuid);
    for (const g of ls.load_balancer_group) for (const lb of groupLbs(g)) addTo(switchesOf, lb, ls._uuid);
  }
  for (const lr of ctx.nb.Logical_Router.values()) {
    if (lr.enabled === false) continue;
    for (const lb of lr.load_balancer) addTo(routersOf, lb, lr._uuid);
    for (const g of lr.load_balancer_group) for (const lb of groupLbs(g)) addTo(routersOf, lb, lr._uuid);
  }

  const out = new Map<string, ResolvedLb>();
  for (const lb of ctx.nb.Load_Balancer.values()) {
    out.set(lb._uuid, {
      ...parseLoadBalancer(ctx, lb),
      switches: [...(switchesOf.get(lb._uuid) ?? [])].sort(),
      routers: [...(routersOf.get(lb._uuid) ?? [])].sort(),
    });
  }
  return out;
}

/** The resolved load balancers that apply to one logical switch. */
export function loadBalancersOfSwitch(
  lbs: ReadonlyMap<string, ResolvedLb>,
  switchUuid: string,
): ResolvedLb[] {
  return [...lbs.values()].filter((lb) => lb.switches.includes(switchUuid));
}
