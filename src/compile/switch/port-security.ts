// Ingress tables 0-1 (check/apply port security) and egress tables 8-9:
// build_lswitch_lflows_admission_control, build_lswitch_port_sec_op and
// build_lswitch_output_port_sec_od.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import {
  LS_IN_APPLY_PORT_SEC,
  LS_IN_CHECK_PORT_SEC,
  LS_IN_HAIRPIN,
  LS_IN_L2_UNKNOWN,
  LS_OUT_APPLY_PORT_SEC,
  LS_OUT_CHECK_PORT_SEC,
} from '../stages.js';
import type { Switch, SwitchPort } from '../topology.js';
import { REGBIT_FROM_RAMP, REGBIT_PORT_SEC_DROP } from './common.js';

/**
 * Ingress table 0/1: logical VLANs (unless vlan-passthru) and multicast
 * source MACs are dropped; everything else asks ovn-controller's port
 * security check and drops on failure.
 */
export function admissionControl(ctx: CompileContext, sw: Switch): LFlow[] {
  const f = new FlowSink();
  if (!sw.vlanPassthru) f.add(LS_IN_CHECK_PORT_SEC, 100, 'vlan.present', ctx.dropAction);
  f.add(LS_IN_CHECK_PORT_SEC, 100, 'eth.src[40]', ctx.dropAction);
  f.add(LS_IN_CHECK_PORT_SEC, 50, '1', `${REGBIT_PORT_SEC_DROP} = check_in_port_sec(); next;`);
  f.add(LS_IN_APPLY_PORT_SEC, 50, `${REGBIT_PORT_SEC_DROP} == 1`, ctx.dropAction);
  f.add(LS_IN_APPLY_PORT_SEC, 0, '1', 'next;');
  return f.out;
}

/**
 * Per-port exceptions to the generic port-security flows: disabled ports
 * drop in both directions, vtep ports skip straight to the hairpin stage,
 * and ports with a QoS queue set it first.
 * `qdiscQueueId` is the port's Port_Binding options:qdisc_queue_id.
 */
export function portSecurityForPort(
  ctx: CompileContext,
  op: SwitchPort,
  qdiscQueueId: string | undefined,
): LFlow[] {
  const f = new FlowSink();
  if (op.type === 'external') return f.out;
  const opts = { hint: op.nb._uuid, ioPort: op.name };
  const inMatch = `inport == ${op.jsonKey}`;
  if (!op.enabled) {
    f.add(LS_IN_CHECK_PORT_SEC, 100, inMatch, `${REGBIT_PORT_SEC_DROP} = 1; next;`, opts);
    f.add(LS_IN_L2_UNKNOWN, 50, `outport == ${op.jsonKey}`, ctx.dropAction, opts);
    return f.out;
  }
  const queue = qdiscQueueId !== undefined ? `set_queue(${qdiscQueueId}); ` : '';
  if (op.type === 'vtep') {
    f.add(
      LS_IN_CHECK_PORT_SEC,
      70,
      inMatch,
      `${queue}${REGBIT_FROM_RAMP} = 1; next(pipeline=ingress, table=${LS_IN_HAIRPIN.table});`,
      opts,
    );
  } else if (qdiscQueueId !== undefined) {
    f.add(LS_IN_CHECK_PORT_SEC, 70, inMatch, `${queue}${REGBIT_PORT_SEC_DROP} = check_in_port_sec(); next;`, opts);
    if (op.type === 'localnet') {
      f.add(LS_OUT_APPLY_PORT_SEC, 100, `outport == ${op.jsonKey}`, `set_queue(${qdiscQueueId}); output;`, opts);
    }
  }
  return f.out;
}

/** Egress tables 8/9: multicast skips the check; failures are dropped. */
export function outputPortSecurity(ctx: CompileContext): LFlow[] {
  const f = new FlowSink();
  f.add(LS_OUT_CHECK_PORT_SEC, 100, 'eth.mcast', `${REGBIT_PORT_SEC_DROP} = 0; next;`);
  f.add(LS_OUT_CHECK_PORT_SEC, 0, '1', `${REGBIT_PORT_SEC_DROP} = check_out_port_sec(); next;`);
  f.add(LS_OUT_APPLY_PORT_SEC, 50, `${REGBIT_PORT_SEC_DROP} == 1`, ctx.dropAction);
  f.add(LS_OUT_APPLY_PORT_SEC, 0, '1', 'output;');
  return f.out;
}
