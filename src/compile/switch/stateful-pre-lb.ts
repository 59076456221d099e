// Ingress table ls_in_pre_lb / egress table ls_out_pre_lb (man ovn-northd
// "Pre-LB"): decide which packets go to conntrack for load balancing.
// Multicast, ND/MLD, service-monitor and stateless traffic skip it, as do
// router ports (and localnet ports unless the switch has LB VIPs); with LB
// VIPs every other IP packet is sent to conntrack for NAT.  IGMP/MLD from
// remote ports of an interconnection switch is punted to the controller.
// The priority-130 empty-backend events live with the LB rules
// (stateful-lb.ts).
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import { LS_IN_PRE_LB, LS_OUT_PRE_LB } from '../stages.js';
import { smapGetBool } from '../../model/vip.js';
import { REGBIT_ACL_STATELESS, REGBIT_CONNTRACK_NAT } from './stateful-regs.js';
import { type SwitchStatefulInput, portKey } from './stateful-common.js';
import { coppMeter } from './stateful-facts.js';
import { skipPortFromConntrack } from './stateful-pre-acl.js';

/** build_interconn_mcast_snoop_flows(). */
function interconnMcastSnoop(sink: FlowSink, input: SwitchStatefulInput): void {
  const { ctx, sw, facts } = input;
  if (!smapGetBool(sw.other_config, 'mcast_snoop') || sw.other_config['interconn-ts'] === undefined) return;
  const meter = coppMeter(ctx, sw, 'igmp');
  for (const p of facts.ports) {
    if (p.type !== 'remote') continue;
    for (const m of [`inport == ${portKey(p)} && igmp`, `inport == ${portKey(p)} && (mldv1 || mldv2)`]) {
      sink.add(LS_OUT_PRE_LB, 120, m, 'clone { igmp; }; next;', meter ? { meter } : {});
    }
  }
}

export function buildPreLb(input: SwitchStatefulInput): LFlow[] {
  const { facts } = input;
  const sink = new FlowSink();
  interconnMcastSnoop(sink, input);

  sink.add(LS_IN_PRE_LB, 110, 'eth.mcast', 'next;');
  sink.add(LS_OUT_PRE_LB, 110, 'eth.mcast', 'next;');
  sink.add(LS_IN_PRE_LB, 110, 'nd || nd_rs || nd_ra || mldv1 || mldv2', 'next;');
  sink.add(LS_OUT_PRE_LB, 110, 'nd || nd_rs || nd_ra || mldv1 || mldv2', 'next;');
  sink.add(LS_IN_PRE_LB, 110, 'eth.dst == $svc_monitor_mac', 'next;');
  sink.add(LS_OUT_PRE_LB, 110, 'eth.src == $svc_monitor_mac', 'next;');
  sink.add(LS_IN_PRE_LB, 0, '1', 'next;');
  sink.add(LS_OUT_PRE_LB, 0, '1', 'next;');

  for (const p of facts.routerPorts) {
    skipPortFromConntrack(sink, facts.hasStatefulAcl, p, LS_IN_PRE_LB, LS_OUT_PRE_LB, 110);
  }
  // Localnet traffic needs conntrack only when it may be load balanced.
  if (!facts.hasLbVip) {
    for (const p of facts.localnetPorts) {
      skipPortFromConntrack(sink, facts.hasStatefulAcl, p, LS_IN_PRE_LB, LS_OUT_PRE_LB, 110);
    }
  }

  sink.add(LS_IN_PRE_LB, 110, `${REGBIT_ACL_STATELESS} == 1`, 'next;');
  sink.add(LS_OUT_PRE_LB, 110, `${REGBIT_ACL_STATELESS} == 1`, 'next;');

  if (facts.hasLbVip) {
    sink.add(LS_IN_PRE_LB, 100, 'ip', `${REGBIT_CONNTRACK_NAT} = 1; next;`);
    sink.add(LS_OUT_PRE_LB, 100, 'ip', `${REGBIT_CONNTRACK_NAT} = 1; next;`);
  }
  return sink.out;
}
