// Ingress table ls_in_stateful / egress table ls_out_stateful (man
// ovn-northd "Stateful"): commit connections marked for commit, clearing the
// "blocked" bit and recording the ACL label when one was set; plus the
// default ls_in_lb flow.
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import { LS_IN_LB, LS_IN_STATEFUL, LS_OUT_STATEFUL } from '../stages.js';
import { REGBIT_ACL_LABEL, REGBIT_CONNTRACK_COMMIT, REG_LABEL, ctBlocked } from './stateful-regs.js';
import type { SwitchStatefulInput } from './stateful-common.js';

export function buildStateful(input: SwitchStatefulInput): LFlow[] {
  const blocked = ctBlocked(input.ctx);
  const sink = new FlowSink();
  sink.add(LS_IN_LB, 0, '1', 'next;');
  for (const stage of [LS_IN_STATEFUL, LS_OUT_STATEFUL]) {
    sink.add(stage, 0, '1', 'next;');
    sink.add(
      stage,
      100,
      `${REGBIT_CONNTRACK_COMMIT} == 1 && ${REGBIT_ACL_LABEL} == 1`,
      `ct_commit { ${blocked} = 0; ct_label.label = ${REG_LABEL}; }; next;`,
    );
    sink.add(stage, 100, `${REGBIT_CONNTRACK_COMMIT} == 1 && ${REGBIT_ACL_LABEL} == 0`, `ct_commit { ${blocked} = 0; }; next;`);
  }
  return sink.out;
}
