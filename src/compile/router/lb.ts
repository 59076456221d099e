// A load balancer's flows on the routers it applies to (man ovn-northd, router ingress
// "DEFRAG" and "DNAT", egress "UNDNAT" and "SNAT"; northd.c build_lrouter_defrag_flows_for_lb,
// build_lrouter_flows_for_lb, build_lrouter_nat_flows_for_lb, build_lb_vip_actions):
//  * DEFRAG priority 100: traffic to a VIP goes through ct_dnat (defragmented, tracked);
//  * DNAT priority 120 (VIP with port) / 110: a new connection is load balanced — flagged to
//    skip SNAT (options:skip_snat) or to be SNATed (the router's lb_force_snat_ip) — or
//    dropped / rejected when the VIP has no backends; on a router with a distributed gateway
//    port only on its gateway chassis, with the replies unDNATed there (UNDNAT 120);
//  * DNAT priority 130: the empty_lb_backends controller event;
//  * UNSNAT priority 120: a VIP that is also a NAT external address is not unSNATed;
//  * SNAT priority 120: options:skip_snat lets flagged traffic through unSNATed.
// The flows differ between routers only by what routerLbClass() names, so routers of one
// class share them (units/router-lb.ts).  Also options:affinity_timeout (LB_AFF_CHECK/LEARN).
// Template LBs (options:template) take the same path: their ^variables stand where addresses
// and ports would, and ovn-controller substitutes them per chassis (Chassis_Template_Var).
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { vipBackends, vipHasNoBackends, type ResolvedLb, type ResolvedVip } from '../lb/resolve.js';
import { emptyLbEvent, hostPort } from '../switch/stateful-lb.js';
import { ctLbAction, REG_LB_AFF_BACKEND_IP4, REG_LB_AFF_MATCH_PORT } from '../switch/stateful-regs.js';
import { LR_IN_DEFRAG, LR_IN_DNAT, LR_IN_LB_AFF_CHECK, LR_IN_LB_AFF_LEARN, LR_IN_UNSNAT, LR_OUT_SNAT, LR_OUT_UNDNAT } from '../stages.js';
import type { Router } from '../topology.js';
import { crJsonKey, REG_NEXT_HOP_IPV4, REG_NEXT_HOP_IPV6, REGBIT_KNOWN_LB_SESSION, routerCoppMeter } from './common.js';

/** Where a router keeps the VIP's port for affinity (REG_ORIG_TP_DPORT_ROUTER). */
const REG_ORIG_TP_DPORT_ROUTER = 'reg9[16..31]';
/** REG_LB_L3_AFF_BACKEND_IP6: a router's IPv6 affinity backend. */
const REG_LB_L3_AFF_BACKEND_IP6 = 'xxreg1';
import { forceSnatAddrs, lbForceSnatRouterIp } from './nat-defaults.js';

/** What a load balancer's flows read of one router; routers with equal classes share the flows. */
export interface RouterLbClass {
  /** skip_snat on the LB, else force SNAT (lb_force_snat_ip), else neither. */
  readonly snat: 'skip' | 'force' | 'normal';
  /** The router's lb_force_snat_ip (which the affinity flows put before the LB's skip_snat). */
  readonly forceSnat: boolean;
  /** The first distributed gateway port: its name and chassisredirect port (JSON), '' for none. */
  readonly dgp: string;
  readonly dgpCr: string;
  readonly isGw: boolean;
  readonly rejectMeter: string | undefined;
  readonly eventMeter: string | undefined;
  /** The router's NAT external addresses (od->external_ips). */
  readonly externalIps: ReadonlySet<string>;
}

export function routerLbClass(ctx: CompileContext, rtr: Router, skipSnat: boolean): RouterLbClass {
  const dgp = rtr.l3dgwPorts[0];
  const externalIps = new Set<string>();
  for (const n of rtr.natEntries) externalIps.add(n.nb.external_ip);
  // lb_force_snat_ip on a gateway router: router_ip, or valid addresses.
  const forceSnat = lbForceSnatRouterIp(rtr) || forceSnatAddrs(rtr, 'lb') !== undefined;
  return {
    snat: skipSnat ? 'skip' : forceSnat ? 'force' : 'normal',
    forceSnat,
    dgp: dgp?.jsonKey ?? '',
    dgpCr: dgp ? crJsonKey(dgp) : '',
    isGw: rtr.isGwRouter,
    rejectMeter: routerCoppMeter(ctx, rtr, 'reject'),
    eventMeter: routerCoppMeter(ctx, rtr, 'event-elb'),
    externalIps,
  };
}

/** build_lb_vip_actions() for a router: the plain, skip-SNAT and force-SNAT actions. */
function vipActions(ctx: CompileContext, lb: ResolvedLb, vip: ResolvedVip): { normal: string; skip: string; force: string; reject: boolean } {
  const empty = vipHasNoBackends(vip);
  const reject = empty && vip.emptyBackendReject;
  const drop = empty && !vip.emptyBackendReject;
  let action = `${ctLbAction(ctx)}(backends=${vipBackends(vip)}`;
  if (reject) action = `reg0 = 0; reject { outport <-> inport; next(pipeline=egress,table=${LR_OUT_SNAT.table});};`;
  else if (drop) action = ctx.dropAction;
  else if (lb.selectionFields) action += `; hash_fields="${lb.selectionFields}"`;
  const isLb = !(reject || drop);
  const enclose = isLb ? ');' : '';
  const flagged = isLb && ctx.features.ctLbRelated;
  return {
    normal: action + enclose,
    skip: `flags.skip_snat_for_lb = 1; ${action}${flagged ? '; skip_snat);' : enclose}`,
    force: `flags.force_snat_for_lb = 1; ${action}${flagged ? '; force_snat);' : enclose}`,
    reject,
  };
}

/**
 * build_lb_affinity_lr_flows(): options:affinity_timeout — a new connection to the VIP looks
 * up the backend it last chose for this client (LB_AFF_CHECK), a known one is used again
 * (DNAT priority 150), an unknown one is learnt once load balanced (LB_AFF_LEARN).
 */
function affinity(f: FlowSink, lb: ResolvedLb, vip: ResolvedVip, newMatch: string, flag: 'force' | 'skip' | undefined): void {
  if (!lb.affinityTimeout) return;
  const hint = lb.uuid;
  const v6 = vip.vip?.family !== 4;
  const ip = v6 ? 'ip6' : 'ip4';
  const regVip = v6 ? REG_NEXT_HOP_IPV6 : REG_NEXT_HOP_IPV4;
  const regBackend = v6 ? REG_LB_L3_AFF_BACKEND_IP6 : REG_LB_AFF_BACKEND_IP4;
  const hasPort = vip.portStr !== undefined;
  f.add(LR_IN_LB_AFF_CHECK, 100, newMatch, `${regVip} = ${ip}.dst; ${hasPort ? `${REG_ORIG_TP_DPORT_ROUTER} = ${lb.proto}.dst; ` : ''}${REGBIT_KNOWN_LB_SESSION} = chk_lb_aff(); next;`, { hint });
  const flagAction = flag === 'force' ? 'flags.force_snat_for_lb = 1; ' : flag === 'skip' ? 'flags.skip_snat_for_lb = 1; ' : '';
  const ctFlag = flag === 'force' ? '; force_snat' : flag === 'skip' ? '; skip_snat' : '';
  const learnVip = hasPort ? hostPort(vip.vipStr, vip.portStr, v6) : vip.vipStr;
  const learnHead = `${REGBIT_KNOWN_LB_SESSION} == 0 && ct.new && ${ip} && ${regVip} == ${vip.vipStr}${hasPort ? ` && ${REG_ORIG_TP_DPORT_ROUTER} == ${vip.portStr}` : ''} && ${ip}.dst == `;
  const matchHead = `${REGBIT_KNOWN_LB_SESSION} == 1 && ct.new && ${ip} && ${regBackend} == `;
  for (const b of vip.backends) {
    const backend = hostPort(b.ipStr, b.port || undefined, v6);
    const learnMatch = learnHead + b.ipStr + (b.port ? ` && ${lb.proto}.dst == ${b.port}` : '');
    const match = matchHead + b.ipStr + (b.port ? ` && ${REG_LB_AFF_MATCH_PORT} == ${b.port}` : '');
    const learn = `commit_lb_aff(vip = "${learnVip}", backend = "${backend}"${hasPort ? `, proto = ${lb.proto}` : ''}, timeout = ${lb.affinityTimeout}); /* drop */`;
    f.add(LR_IN_LB_AFF_LEARN, 100, learnMatch, learn, { hint });
    f.add(LR_IN_DNAT, 150, match, `${regVip} = ${vip.vipStr}; ${flagAction}ct_lb_mark(backends=${backend}${ctFlag});`, { hint });
  }
}

/** The flows of load balancer `lb` on a router of class `c`. */
export function buildLbFlowsForRouter(ctx: CompileContext, lb: ResolvedLb, c: RouterLbClass): LFlow[] {
  const f = new FlowSink();
  const hint = lb.uuid;
  for (const vip of lb.vips) {
    const ip = vip.addressFamily === 4 ? 'ip4' : 'ip6';
    f.add(LR_IN_DEFRAG, 100, `ip && ${ip}.dst == ${vip.vipStr}`, 'ct_dnat;', { hint });
  }
  for (const vip of lb.vips) {
    const ip = vip.addressFamily === 4 ? 'ip4' : 'ip6';
    const acts = vipActions(ctx, lb, vip);
    let match = `ct.new && !ct.rel && ${ip} && ${ip}.dst == ${vip.vipStr}`;
    let prio = 110;
    if (vip.portStr !== undefined) {
      prio = 120;
      match += ` && ${lb.proto} && ${lb.proto}.dst == ${vip.portStr}`;
    }
    const action = c.snat === 'skip' ? acts.skip : c.snat === 'force' ? acts.force : acts.normal;
    const meter = acts.reject ? c.rejectMeter : undefined;
    if (!c.dgp) f.add(LR_IN_DNAT, prio, match, action, { hint, meter });
    else {
      // Only on the gateway chassis, whose zone unDNATs the replies.
      const here = vip.backends.length || !vip.emptyBackendReject ? ` && is_chassis_resident(${c.dgpCr})` : '';
      f.add(LR_IN_DNAT, prio, match + here, action, { hint, meter });
      if (vip.backends.length) {
        const from = vip.backends.map((b) => `(${ip}.src == ${b.ipStr}${b.portStr !== undefined ? ` && ${lb.proto}.src == ${b.portStr})` : ')'}`).join(' || ');
        const undnat = c.snat === 'force' ? 'flags.force_snat_for_lb = 1; next;' : c.snat === 'skip' ? 'flags.skip_snat_for_lb = 1; next;' : c.isGw ? 'ct_dnat;' : 'ct_dnat_in_czone;';
        f.add(LR_OUT_UNDNAT, 120, `${ip} && (${from}) && outport == ${c.dgp} && is_chassis_resident(${c.dgpCr})`, undnat, { hint });
      }
    }
    affinity(f, lb, vip, match, c.forceSnat ? 'force' : lb.skipSnat ? 'skip' : undefined);
    // A VIP that is also a NAT external address: not unSNATed (its DNAT entry must be found).
    if (c.externalIps.has(vip.vipStr)) {
      const m = `${ip} && ${ip}.dst == ${vip.vipStr} && ${lb.proto}` + (vip.portStr !== undefined ? ` && ${lb.proto}.dst == ${vip.portStr}` : '');
      f.add(LR_IN_UNSNAT, 120, m, 'next;', { hint });
    }
    const ev = emptyLbEvent(ctx, lb, vip);
    if (ev) f.add(LR_IN_DNAT, 130, ev.match, ev.actions, { hint, meter: c.eventMeter });
  }
  if (lb.skipSnat) f.add(LR_OUT_SNAT, 120, 'flags.skip_snat_for_lb == 1 && ip', 'next;');
  return f.out;
}
