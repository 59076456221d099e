// Ingress table ls_in_pre_acl / egress table ls_out_pre_acl (man ovn-northd
// "Pre-ACLs"): prepare packets for the ACL stages.  With stateful ACLs, IP
// traffic is marked for conntrack defragmentation, except router and
// localnet ports, ND/MLD/DHCPv6 and multicast; allow-stateless ACLs set the
// stateless bit so that the packet bypasses conntrack.
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import type { Stage } from '../stages.js';
import { LS_IN_PRE_ACL, LS_OUT_PRE_ACL } from '../stages.js';
import type { NbACL, NbLogicalSwitchPort } from '../../model/nb.js';
import { OVN_ACL_PRI_OFFSET, REGBIT_ACL_STATELESS, REGBIT_CONNTRACK_DEFRAG } from './stateful-regs.js';
import { type SwitchStatefulInput, portKey } from './stateful-common.js';

/**
 * skip_port_from_conntrack(): router and localnet ports must not go through
 * ct() (conntrack is not distributed across chassis).  Egress also clears
 * conntrack state unless stateful ACLs need it.
 */
export function skipPortFromConntrack(
  sink: FlowSink,
  hasStatefulAcl: boolean,
  port: NbLogicalSwitchPort,
  inStage: Stage,
  outStage: Stage,
  priority: number,
): void {
  const opts = { hint: port._uuid, ioPort: port.name };
  sink.add(inStage, priority, `ip && inport == ${portKey(port)}`, 'next;', opts);
  sink.add(outStage, priority, `ip && outport == ${portKey(port)}`, hasStatefulAcl ? 'next;' : 'ct_clear; next;', opts);
}

/** build_stateless_filters(), for one ACL: allow-stateless ACLs bypass conntrack. */
export function statelessFilter(sink: FlowSink, acl: NbACL): void {
  if (acl.action !== 'allow-stateless') return;
  const stage = acl.direction === 'from-lport' ? LS_IN_PRE_ACL : LS_OUT_PRE_ACL;
  sink.add(stage, acl.priority + OVN_ACL_PRI_OFFSET, acl.match, `${REGBIT_ACL_STATELESS} = 1; next;`, { hint: acl._uuid });
}

function statelessFilters(sink: FlowSink, input: SwitchStatefulInput): void {
  for (const acl of input.facts.acls) statelessFilter(sink, acl);
}

export function buildPreAcls(input: SwitchStatefulInput): LFlow[] {
  const { facts } = input;
  const sink = new FlowSink();
  sink.add(LS_IN_PRE_ACL, 0, '1', 'next;');
  sink.add(LS_OUT_PRE_ACL, 0, '1', 'next;');
  sink.add(LS_IN_PRE_ACL, 110, 'eth.dst == $svc_monitor_mac', 'next;');
  sink.add(LS_OUT_PRE_ACL, 110, 'eth.src == $svc_monitor_mac', 'next;');

  if (facts.hasStatefulAcl) {
    for (const p of [...facts.routerPorts, ...facts.localnetPorts]) {
      skipPortFromConntrack(sink, true, p, LS_IN_PRE_ACL, LS_OUT_PRE_ACL, 110);
    }
    statelessFilters(sink, input);
    const noCt = 'nd || nd_rs || nd_ra || mldv1 || mldv2 || (udp && udp.src == 546 && udp.dst == 547)';
    sink.add(LS_IN_PRE_ACL, 110, noCt, 'next;');
    sink.add(LS_OUT_PRE_ACL, 110, noCt, 'next;');
    sink.add(LS_IN_PRE_ACL, 110, 'eth.mcast', 'next;');
    sink.add(LS_OUT_PRE_ACL, 110, 'eth.mcast', 'next;');
    sink.add(LS_IN_PRE_ACL, 100, 'ip', `${REGBIT_CONNTRACK_DEFRAG} = 1; next;`);
    sink.add(LS_OUT_PRE_ACL, 100, 'ip', `${REGBIT_CONNTRACK_DEFRAG} = 1; next;`);
  } else if (facts.hasLbVip) {
    statelessFilters(sink, input);
  }
  return sink.out;
}
