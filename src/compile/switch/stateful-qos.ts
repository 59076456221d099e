// Ingress tables ls_in_qos_mark / ls_in_qos_meter and egress tables
// ls_out_qos_mark / ls_out_qos_meter (man ovn-northd "QoS Marking" / "QoS
// Meter"): DSCP marking and rate limiting per NB QoS row.
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import { LS_IN_QOS_MARK, LS_IN_QOS_METER, LS_OUT_QOS_MARK, LS_OUT_QOS_METER } from '../stages.js';
import type { SwitchStatefulInput } from './stateful-common.js';

export function buildQos(input: SwitchStatefulInput): LFlow[] {
  const { ctx, sw } = input;
  const sink = new FlowSink();
  sink.add(LS_IN_QOS_MARK, 0, '1', 'next;');
  sink.add(LS_OUT_QOS_MARK, 0, '1', 'next;');
  sink.add(LS_IN_QOS_METER, 0, '1', 'next;');
  sink.add(LS_OUT_QOS_METER, 0, '1', 'next;');

  for (const uuid of sw.qos_rules) {
    const qos = ctx.nb.QoS.get(uuid);
    if (!qos) continue;
    const ingress = qos.direction === 'from-lport';
    const dscp = qos.action['dscp'];
    if (dscp !== undefined) {
      sink.add(ingress ? LS_IN_QOS_MARK : LS_OUT_QOS_MARK, qos.priority, qos.match, `ip.dscp = ${dscp}; next;`, {
        hint: qos._uuid,
      });
    }
    const rate = qos.bandwidth['rate'] ?? 0;
    const burst = qos.bandwidth['burst'] ?? 0;
    if (rate) {
      const meter = burst ? `set_meter(${rate}, ${burst}); next;` : `set_meter(${rate}); next;`;
      sink.add(ingress ? LS_IN_QOS_METER : LS_OUT_QOS_METER, qos.priority, qos.match, meter, { hint: qos._uuid });
    }
  }
  return sink.out;
}
