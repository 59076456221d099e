// Ingress tables ls_in_acl and ls_in_acl_after_lb, egress table ls_out_acl
// (man ovn-northd "from-lport ACLs" / "to-lport ACLs"): the default verdicts,
// the conntrack housekeeping that exists whenever the switch is stateful
// (stateful ACLs or LB VIPs), the flows of each ACL row, and the holes for
// DHCP/DNS replies from ovn-controller and service-monitor traffic.
import type { CompileContext } from '../context.js';
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import { LS_IN_ACL, LS_IN_ACL_AFTER_LB, LS_IN_L2_LKUP, LS_OUT_ACL, LS_OUT_QOS_MARK } from '../stages.js';
import type { Stage } from '../stages.js';
import type { NbACL } from '../../model/nb.js';
import { parseMac } from '../../model/mac.js';
import { formatIpv6, in6GenerateLla } from '../../model/ip.js';
import { smapGetBool } from '../../model/vip.js';
import {
  OVN_ACL_PRI_OFFSET,
  REGBIT_ACL_HINT_ALLOW,
  REGBIT_ACL_HINT_ALLOW_NEW,
  REGBIT_ACL_HINT_ALLOW_REL,
  REGBIT_ACL_HINT_BLOCK,
  REGBIT_ACL_HINT_DROP,
  REGBIT_ACL_LABEL,
  REGBIT_CONNTRACK_COMMIT,
  REG_LABEL,
  ctBlocked,
  globalOption,
  implicitDropAction,
} from './stateful-regs.js';
import type { SwitchStatefulInput } from './stateful-common.js';
import { coppMeter, isFairMeter } from './stateful-facts.js';
import { statelessFilter } from './stateful-pre-acl.js';

const IPV6_CT_OMIT_MATCH = 'nd || nd_ra || nd_rs || mldv1 || mldv2';

/** build_acl_log(): "log(name=..., severity=..., verdict=..., meter=...); " or "". */
export function aclLogAction(ctx: CompileContext, acl: NbACL): string {
  if (!acl.log) return '';
  const parts: string[] = [];
  if (acl.name !== undefined) parts.push(`name="${acl.name}"`);
  parts.push(`severity=${acl.severity ?? 'info'}`);
  if (acl.action === 'drop') parts.push('verdict=drop');
  else if (acl.action === 'reject') parts.push('verdict=reject');
  else if (acl.action === 'allow' || acl.action === 'allow-related' || acl.action === 'allow-stateless') {
    parts.push('verdict=allow');
  }
  if (acl.meter !== undefined) {
    // A fair meter is instantiated per ACL.
    parts.push(isFairMeter(ctx, acl.meter) ? `meter="${acl.meter}__${acl._uuid}"` : `meter="${acl.meter}"`);
  }
  return `log(${parts.join(', ')}); `;
}

function aclStage(acl: NbACL): Stage {
  if (acl.direction !== 'from-lport') return LS_OUT_ACL;
  return smapGetBool(acl.options, 'apply-after-lb') ? LS_IN_ACL_AFTER_LB : LS_IN_ACL;
}

/** build_reject_acl_rules(). */
function rejectAcl(
  sink: FlowSink,
  ctx: CompileContext,
  meter: string | undefined,
  stage: Stage,
  acl: NbACL,
  extraMatch: string,
  extraActions: string,
): void {
  const ingress = stage.pipeline === 'ingress';
  const next = ingress
    ? `next(pipeline=egress,table=${LS_OUT_QOS_MARK.table});`
    : `next(pipeline=ingress,table=${LS_IN_L2_LKUP.table});`;
  const match = (extraMatch ? `(${extraMatch}) && ` : '') + acl.match;
  const actions =
    aclLogAction(ctx, acl) +
    // (the reference appends a blank to extra actions that already end in one)
    (extraActions ? `${extraActions} ` : '') +
    `reg0 = 0; reject { /* eth.dst <-> eth.src; ip.dst <-> ip.src; is implicit. */ outport <-> inport; ${next} };`;
  sink.add(stage, acl.priority + OVN_ACL_PRI_OFFSET, match, actions, meter ? { hint: acl._uuid, meter } : { hint: acl._uuid });
}

/**
 * consider_acl(): the flows of one ACL row on a switch that is stateful (has
 * stateful ACLs or LB VIPs) or not; `rejectMeter` is the switch's CoPP meter
 * for reject.
 */
function aclFlows(sink: FlowSink, ctx: CompileContext, acl: NbACL, hasStateful: boolean, rejectMeter: string | undefined): void {
  const blocked = ctBlocked(ctx);
  const stage = aclStage(acl);
  const prio = acl.priority + OVN_ACL_PRI_OFFSET;
  const hint = { hint: acl._uuid };
  const log = aclLogAction(ctx, acl);
  const ctInv = globalOption(ctx, 'use_ct_inv_match', true);

  switch (acl.action) {
    case 'allow-stateless':
      sink.add(stage, prio, acl.match, `${log}next;`, hint);
      return;
    case 'allow':
    case 'allow-related': {
      if (!hasStateful) {
        sink.add(stage, prio, acl.match, `${log}next;`, hint);
        return;
      }
      const label = acl.label !== 0 ? `${REGBIT_ACL_LABEL} = 1; ${REG_LABEL} = ${acl.label}; ` : '';
      // New connections (or re-allowed blocked ones) are committed.
      sink.add(
        stage,
        prio,
        `${REGBIT_ACL_HINT_ALLOW_NEW} == 1 && (${acl.match})`,
        `${REGBIT_CONNTRACK_COMMIT} = 1; ${label}${log}next;`,
        hint,
      );
      // Established request traffic is re-checked; recommitted only to update a label.
      sink.add(
        stage,
        prio,
        `${REGBIT_ACL_HINT_ALLOW} == 1 && (${acl.match})`,
        `${label ? `${REGBIT_CONNTRACK_COMMIT} = 1; ${label}` : ''}${log}next;`,
        hint,
      );
      if (acl.log && acl.label !== 0 && smapGetBool(acl.options, 'log-related')) {
        const relStage = acl.direction === 'from-lport' ? LS_OUT_ACL : LS_IN_ACL;
        const inv = ctInv ? ' && !ct.inv' : '';
        sink.add(
          relStage,
          65533,
          `ct.est && !ct.rel && !ct.new${inv} && ct.rpl && ${blocked} == 0 && ct_label.label == ${acl.label}`,
          `${log}next;`,
          hint,
        );
        sink.add(
          relStage,
          65533,
          `!ct.est && ct.rel && !ct.new${inv} && ${blocked} == 0 && ct_label.label == ${acl.label}`,
          `${log}next;`,
          hint,
        );
      }
      return;
    }
    case 'drop':
    case 'reject': {
      const reject = acl.action === 'reject';
      const drop = implicitDropAction(ctx);
      if (hasStateful) {
        // Untracked or not established: just drop/reject.
        if (reject) rejectAcl(sink, ctx, rejectMeter, stage, acl, `${REGBIT_ACL_HINT_DROP} == 1`, '');
        else sink.add(stage, prio, `${REGBIT_ACL_HINT_DROP} == 1 && (${acl.match})`, `${log}${drop}`, hint);
        // Established and previously allowed: mark blocked, then drop/reject.
        const commit = `ct_commit { ${blocked} = 1; };`;
        if (reject) rejectAcl(sink, ctx, rejectMeter, stage, acl, `${REGBIT_ACL_HINT_BLOCK} == 1`, `${commit} `);
        else {
          sink.add(stage, prio, `${REGBIT_ACL_HINT_BLOCK} == 1 && (${acl.match})`, `${commit} ${log}${drop}`, hint);
        }
      } else if (reject) {
        rejectAcl(sink, ctx, rejectMeter, stage, acl, '', '');
      } else {
        sink.add(stage, prio, acl.match, `${log}${drop}`, hint);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Everything one ACL row adds to a switch: its stateless filter (pre-ACL) and
 * its ACL-stage flows.  The same on every switch of the same kind, so the
 * incremental compiler builds it once per ACL for all of them.
 */
export function buildOneAclFlows(ctx: CompileContext, acl: NbACL, hasStateful: boolean, rejectMeter: string | undefined): LFlow[] {
  const sink = new FlowSink();
  if (hasStateful) statelessFilter(sink, acl);
  aclFlows(sink, ctx, acl, hasStateful, rejectMeter);
  return sink.out;
}

/** DHCPv4/v6 replies from ovn-controller to each (non-external) port. */
function dhcpReplyFlows(sink: FlowSink, input: SwitchStatefulInput, hasStateful: boolean): void {
  const { ctx, facts } = input;
  const act = hasStateful ? 'ct_commit; next;' : 'next;';
  for (const p of facts.ports) {
    if (p.type === 'external') continue;
    const v4 = p.dhcpv4_options === undefined ? undefined : ctx.nb.DHCP_Options.get(p.dhcpv4_options);
    if (v4) {
      const { server_id: id, server_mac: mac, lease_time: lease } = v4.options;
      if (id !== undefined && mac !== undefined && lease !== undefined) {
        sink.add(
          LS_OUT_ACL,
          34000,
          `outport == "${p.name}" && eth.src == ${mac} && ip4.src == ${id} && udp && udp.src == 67 && udp.dst == 68`,
          act,
          { hint: v4._uuid, ioPort: p.name },
        );
      }
    }
    const v6 = p.dhcpv6_options === undefined ? undefined : ctx.nb.DHCP_Options.get(p.dhcpv6_options);
    if (v6) {
      const mac = v6.options['server_id'];
      const ea = mac === undefined ? undefined : parseMac(mac);
      if (mac !== undefined && ea?.ok) {
        const lla = formatIpv6(in6GenerateLla(ea.value));
        sink.add(
          LS_OUT_ACL,
          34000,
          `outport == "${p.name}" && eth.src == ${mac} && ip6.src == ${lla} && udp && udp.src == 547 && udp.dst == 546`,
          act,
          { hint: v6._uuid, ioPort: p.name },
        );
      }
    }
  }
}

function hasDnsRecords(input: SwitchStatefulInput): boolean {
  return input.sw.dns_records.some((u) => {
    const dns = input.ctx.nb.DNS.get(u);
    return dns !== undefined && Object.keys(dns.records).length > 0;
  });
}

export function buildAcls(input: SwitchStatefulInput): LFlow[] {
  const { ctx, facts } = input;
  const sink = new FlowSink();
  const blocked = ctBlocked(ctx);
  const hasStateful = facts.hasStatefulAcl || facts.hasLbVip;
  const defaultDrop = globalOption(ctx, 'default_acl_drop', false);
  const ctInv = globalOption(ctx, 'use_ct_inv_match', true);
  const inv = ctInv ? ' && !ct.inv' : '';

  // Default verdicts.
  if (!facts.hasAcls) {
    const prio = facts.hasLbVip ? 0 : 65535;
    sink.add(LS_IN_ACL, prio, '1', 'next;');
    sink.add(LS_OUT_ACL, prio, '1', 'next;');
    sink.add(LS_IN_ACL_AFTER_LB, 0, '1', 'next;');
  } else {
    const dflt = defaultDrop ? ctx.dropAction : 'next;';
    sink.add(LS_IN_ACL, 0, '1', dflt);
    sink.add(LS_OUT_ACL, 0, '1', dflt);
    sink.add(LS_IN_ACL_AFTER_LB, 0, '1', dflt);
  }

  if (hasStateful) {
    // Commit connections that hit the default allow, and re-allow blocked ones.
    for (const stage of [LS_IN_ACL, LS_OUT_ACL]) {
      sink.add(stage, 1, `ip && ct.est && ${blocked} == 1`, `${REGBIT_CONNTRACK_COMMIT} = 1; next;`);
      sink.add(stage, 1, 'ip && !ct.est', defaultDrop ? ctx.dropAction : `${REGBIT_CONNTRACK_COMMIT} = 1; next;`);
    }
    // Invalid traffic, and replies of connections marked for deletion, are dropped.
    const invalid = `${ctInv ? 'ct.inv || ' : ''}(ct.est && ct.rpl && ${blocked} == 1)`;
    sink.add(LS_IN_ACL, 65532, invalid, ctx.dropAction);
    sink.add(LS_OUT_ACL, 65532, invalid, ctx.dropAction);
    // Replies of allowed connections pass.
    const reply = `ct.est && !ct.rel && !ct.new${inv} && ct.rpl && ${blocked} == 0`;
    sink.add(
      LS_IN_ACL,
      65532,
      reply,
      `${REGBIT_ACL_HINT_DROP} = 0; ${REGBIT_ACL_HINT_BLOCK} = 0; ${REGBIT_ACL_HINT_ALLOW_REL} = 1; next;`,
    );
    sink.add(LS_OUT_ACL, 65532, reply, 'next;');
    // Related traffic passes (and is NATed when the chassis can).
    const related = `!ct.est && ct.rel && !ct.new${inv} && ${blocked} == 0`;
    const rel = ctx.features.ctLbRelated;
    sink.add(LS_IN_ACL, 65532, related, `${REGBIT_ACL_HINT_ALLOW_REL} = 1; ${rel ? 'ct_commit_nat;' : 'next;'}`);
    sink.add(LS_OUT_ACL, 65532, related, rel ? 'ct_commit_nat;' : 'next;');
    sink.add(LS_IN_ACL_AFTER_LB, 65532, `${REGBIT_ACL_HINT_ALLOW_REL} == 1`, 'next;');
  }

  // IPv6 service protocols always pass and never see conntrack.
  sink.add(LS_IN_ACL, 65532, IPV6_CT_OMIT_MATCH, 'next;');
  sink.add(LS_OUT_ACL, 65532, IPV6_CT_OMIT_MATCH, 'next;');
  sink.add(LS_IN_ACL_AFTER_LB, 65532, IPV6_CT_OMIT_MATCH, 'next;');

  const rejectMeter = facts.acls.some((a) => a.action === 'reject') ? coppMeter(ctx, input.sw, 'reject') : undefined;
  for (const acl of facts.acls) aclFlows(sink, ctx, acl, hasStateful, rejectMeter);

  dhcpReplyFlows(sink, input, hasStateful);
  if (hasDnsRecords(input)) sink.add(LS_OUT_ACL, 34000, 'udp.src == 53', hasStateful ? 'ct_commit; next;' : 'next;');

  if (facts.hasAcls || facts.hasLbVip) {
    sink.add(LS_IN_ACL, 34000, 'eth.dst == $svc_monitor_mac', 'next;');
    sink.add(LS_OUT_ACL, 34000, 'eth.src == $svc_monitor_mac', 'next;');
  }
  return sink.out;
}
