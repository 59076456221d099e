// Ingress table ls_in_pre_stateful / egress table ls_out_pre_stateful (man
// ovn-northd "Pre-stateful"): send marked packets to conntrack — ct_lb(_mark)
// for NAT, ct_next for plain tracking/defragmentation.  The priority-120
// per-VIP flows are built with the LB rules (stateful-lb.ts).
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import { LS_IN_PRE_STATEFUL, LS_OUT_PRE_STATEFUL } from '../stages.js';
import { REGBIT_CONNTRACK_DEFRAG, REGBIT_CONNTRACK_NAT, ctLbAction } from './stateful-regs.js';
import type { SwitchStatefulInput } from './stateful-common.js';

export function buildPreStateful(input: SwitchStatefulInput): LFlow[] {
  const sink = new FlowSink();
  const ctLb = `${ctLbAction(input.ctx)};`;
  for (const stage of [LS_IN_PRE_STATEFUL, LS_OUT_PRE_STATEFUL]) {
    sink.add(stage, 0, '1', 'next;');
    sink.add(stage, 110, `${REGBIT_CONNTRACK_NAT} == 1`, ctLb);
    sink.add(stage, 100, `${REGBIT_CONNTRACK_DEFRAG} == 1`, 'ct_next;');
  }
  return sink.out;
}
