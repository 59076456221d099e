// The logical switch flows of its load balancers (northd.c
// build_lswitch_flows_for_lb() and what it calls), per man ovn-northd:
//  * Pre-LB, priority 130: a VIP without backends raises an
//    "empty_lb_backends" controller event (when events are enabled);
//  * Pre-stateful, priority 120: traffic to a VIP remembers the original
//    destination (for hairpin flows) and goes through ct_lb(_mark);
//  * LB, priority 120 (VIP with port) / 110 (without): new connections are
//    load balanced (or dropped/rejected when the VIP has no backends);
//  * LB affinity check/learn and LB priority 150 for options:affinity_timeout;
//  * the priority-0 defaults of the affinity stages.
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import {
  LS_IN_LB,
  LS_IN_LB_AFF_CHECK,
  LS_IN_LB_AFF_LEARN,
  LS_IN_PRE_LB,
  LS_IN_PRE_STATEFUL,
  LS_OUT_QOS_MARK,
} from '../stages.js';
import type { CompileContext } from '../context.js';
import { vipBackends, vipHasNoBackends, type ResolvedLb, type ResolvedVip } from '../lb/resolve.js';
import {
  REGBIT_CONNTRACK_COMMIT,
  REGBIT_CONNTRACK_NAT,
  REGBIT_KNOWN_LB_SESSION,
  REG_LB_AFF_BACKEND_IP4,
  REG_LB_AFF_MATCH_PORT,
  REG_LB_L2_AFF_BACKEND_IP6,
  REG_ORIG_DIP_IPV4,
  REG_ORIG_DIP_IPV6,
  REG_ORIG_TP_DPORT,
  ctLbAction,
  globalOption,
} from './stateful-regs.js';
import type { SwitchStatefulInput } from './stateful-common.js';
import { coppMeter } from './stateful-facts.js';

const ipOf = (vip: ResolvedVip): 'ip4' | 'ip6' => (vip.addressFamily === 4 ? 'ip4' : 'ip6');
/** IN6_IS_ADDR_V4MAPPED(vip): template VIPs have no address and count as IPv6. */
const isV4Mapped = (vip: ResolvedVip): boolean => vip.vip?.family === 4;

/** "ip:port" with brackets for IPv6, or just the address without a port. */
export function hostPort(ip: string, port: string | number | undefined, ipv6: boolean): string {
  if (port === undefined) return ip;
  return ipv6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * build_empty_lb_event_flow(): match and action of the controller event for
 * a VIP without backends, or undefined when no event applies.
 */
export function emptyLbEvent(
  ctx: CompileContext,
  lb: ResolvedLb,
  vip: ResolvedVip,
): { match: string; actions: string } | undefined {
  const enabled = lb.controllerEvent || globalOption(ctx, 'controller_event', false);
  if (!enabled || vip.backends.length > 0 || vip.emptyBackendReject) return undefined;
  const ipv4 = vip.addressFamily === 4;
  let match = `ip${ipv4 ? '4' : '6'}.dst == ${vip.vipStr} && ${lb.proto}`;
  if (vip.portStr !== undefined) match += ` && ${lb.proto}.dst == ${vip.portStr}`;
  const vipText = hostPort(vip.vipStr, vip.portStr, !ipv4);
  return {
    match,
    actions:
      `trigger_event(event = "empty_lb_backends", vip = "${vipText}", ` +
      `protocol = "${lb.proto}", load_balancer = "${lb.uuid}");`,
  };
}

/**
 * build_lb_vip_actions() for a switch: ct_lb(_mark) over the backends as
 * written in the NB, or drop / reject for a VIP without backends.
 * A health-checked VIP balances over its active backends only (lb/health.ts).
 */
export function lbVipSwitchAction(
  ctx: CompileContext,
  lb: ResolvedLb,
  vip: ResolvedVip,
): { actions: string; reject: boolean } {
  const empty = vipHasNoBackends(vip);
  if (empty && vip.emptyBackendReject) {
    return {
      actions: `reg0 = 0; reject { outport <-> inport; next(pipeline=egress,table=${LS_OUT_QOS_MARK.table});};`,
      reject: true,
    };
  }
  if (empty) return { actions: ctx.dropAction, reject: false };
  const hash = lb.selectionFields ? `; hash_fields="${lb.selectionFields}"` : '';
  return {
    actions: `${REGBIT_CONNTRACK_COMMIT} = 0; ${ctLbAction(ctx)}(backends=${vipBackends(vip)}${hash});`,
    reject: false,
  };
}

/** build_lb_rules_pre_stateful(): one VIP. */
function preStatefulVip(sink: FlowSink, ctx: CompileContext, lb: ResolvedLb, vip: ResolvedVip): void {
  const ip = ipOf(vip);
  let actions = `${ip === 'ip4' ? REG_ORIG_DIP_IPV4 : REG_ORIG_DIP_IPV6} = ${vip.vipStr}; `;
  let match = `${REGBIT_CONNTRACK_NAT} == 1 && ${ip}.dst == ${vip.vipStr}`;
  if (vip.portStr !== undefined) {
    actions += `${REG_ORIG_TP_DPORT} = ${vip.portStr}; `;
    match += ` && ${lb.proto}.dst == ${vip.portStr}`;
  }
  actions += `${ctLbAction(ctx)};`;
  sink.add(LS_IN_PRE_STATEFUL, 120, match, actions, { hint: lb.uuid });
}

/** build_lb_affinity_ls_flows(): session affinity for one VIP. */
function affinityVip(sink: FlowSink, lb: ResolvedLb, vip: ResolvedVip): void {
  if (!lb.affinityTimeout) return;
  const hint = { hint: lb.uuid };
  const v4 = isV4Mapped(vip);
  const ip = v4 ? 'ip4' : 'ip6';
  const regVip = v4 ? REG_ORIG_DIP_IPV4 : REG_ORIG_DIP_IPV6;
  const regBackend = v4 ? REG_LB_AFF_BACKEND_IP4 : REG_LB_L2_AFF_BACKEND_IP6;
  const hasPort = vip.portStr !== undefined;

  const portMatch = hasPort ? ` && ${REG_ORIG_TP_DPORT} == ${vip.portStr}` : '';
  sink.add(
    LS_IN_LB_AFF_CHECK,
    100,
    `ct.new && ${ip} && ${regVip} == ${vip.vipStr}${portMatch}`,
    `${REGBIT_KNOWN_LB_SESSION} = chk_lb_aff(); next;`,
    hint,
  );

  const actionHead =
    `${REGBIT_CONNTRACK_COMMIT} = 0; ${regVip} = ${vip.vipStr}; ` +
    (hasPort ? `${REG_ORIG_TP_DPORT} = ${vip.portStr}; ` : '');
  const learnVip = hostPort(vip.vipStr, vip.portStr, !v4);
  const learnMatchHead =
    `${REGBIT_KNOWN_LB_SESSION} == 0 && ct.new && ${ip} && ${regVip} == ${vip.vipStr}` +
    (hasPort ? ` && ${REG_ORIG_TP_DPORT} == ${vip.portStr}` : '') +
    ` && ${ip}.dst == `;
  const matchHead = `${REGBIT_KNOWN_LB_SESSION} == 1 && ct.new && ${ip} && ${regBackend} == `;

  for (const b of vip.backends) {
    const backend = b.port ? hostPort(b.ipStr, b.port, !v4) : b.ipStr;
    const learnMatch = learnMatchHead + b.ipStr + (b.port ? ` && ${lb.proto}.dst == ${b.port}` : '');
    const match = matchHead + b.ipStr + (b.port ? ` && ${REG_LB_AFF_MATCH_PORT} == ${b.port}` : '');
    const learn =
      `commit_lb_aff(vip = "${learnVip}", backend = "${backend}"` +
      (hasPort ? `, proto = ${lb.proto}` : '') +
      `, timeout = ${lb.affinityTimeout}); /* drop */`;
    sink.add(LS_IN_LB_AFF_LEARN, 100, learnMatch, learn, hint);
    sink.add(LS_IN_LB, 150, match, `${actionHead}ct_lb_mark(backends=${backend});`, hint);
  }
}

/** The CoPP meters a switch applies to its LB flows (they are the only per-switch part). */
export interface LbSwitchMeters {
  readonly event: string | undefined;
  readonly reject: string | undefined;
}

export function lbSwitchMeters(ctx: CompileContext, sw: SwitchStatefulInput['sw']): LbSwitchMeters {
  return { event: coppMeter(ctx, sw, 'event-elb'), reject: coppMeter(ctx, sw, 'reject') };
}

/** build_lb_rules(): one VIP. */
function lbRuleVip(sink: FlowSink, ctx: CompileContext, lb: ResolvedLb, vip: ResolvedVip, meters: LbSwitchMeters): void {
  const { actions, reject } = lbVipSwitchAction(ctx, lb, vip);
  let match = `ct.new && ${ipOf(vip)}.dst == ${vip.vipStr}`;
  let priority = 110;
  if (vip.portStr !== undefined) {
    match += ` && ${lb.proto}.dst == ${vip.portStr}`;
    priority = 120;
  }
  affinityVip(sink, lb, vip);
  const meter = reject ? meters.reject : undefined;
  sink.add(LS_IN_LB, priority, match, actions, meter ? { hint: lb.uuid, meter } : { hint: lb.uuid });
}

/**
 * build_lswitch_flows_for_lb() of one LB: the same flows on every switch it
 * applies to, except for the CoPP meters of the switch.
 */
export function buildLbFlowsForSwitch(ctx: CompileContext, lb: ResolvedLb, meters: LbSwitchMeters): LFlow[] {
  const sink = new FlowSink();
  for (const vip of lb.vips) {
    const ev = emptyLbEvent(ctx, lb, vip);
    if (ev) {
      sink.add(LS_IN_PRE_LB, 130, ev.match, ev.actions, meters.event ? { hint: lb.uuid, meter: meters.event } : { hint: lb.uuid });
    }
  }
  for (const vip of lb.vips) preStatefulVip(sink, ctx, lb, vip);
  for (const vip of lb.vips) lbRuleVip(sink, ctx, lb, vip, meters);
  return sink.out;
}

/** build_lswitch_flows_for_lb() of every LB on the switch, for this switch. */
export function buildSwitchLbFlows(input: SwitchStatefulInput): LFlow[] {
  const meters = lbSwitchMeters(input.ctx, input.sw);
  return input.lbs.flatMap((lb) => buildLbFlowsForSwitch(input.ctx, lb, meters));
}

/** build_lb_affinity_default_flows(), switch part. */
export function buildLbAffinityDefaults(): LFlow[] {
  const sink = new FlowSink();
  sink.add(LS_IN_LB_AFF_CHECK, 0, '1', 'next;');
  sink.add(LS_IN_LB_AFF_LEARN, 0, '1', 'next;');
  return sink.out;
}
