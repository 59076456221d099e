// Router egress table 6, delivery (man ovn-northd, "Egress Table 6:
// Delivery"; northd.c build_egress_delivery_flows_for_lrouter_port): packets
// to an enabled router port are output (priority 100); with multicast relay,
// IP multicast leaves with the port's MAC as source (priority 110).  A
// disabled port gets nothing, so its packets meet the default drop — which
// the reference adds while visiting the enabled ports.  The chassisredirect
// port has no egress of its own.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { LR_OUT_DELIVERY } from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import { lrportIsEnabled } from './common.js';

export function egressDelivery(ctx: CompileContext, _topo: Topology, rtr: Router, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  if (!lrportIsEnabled(p)) return f.out;
  if (rtr.mcastRelay) {
    f.add(LR_OUT_DELIVERY, 110, `(ip4.mcast || ip6.mcast) && outport == ${p.jsonKey}`, `eth.src = ${p.networks.eaStr}; output;`);
  }
  f.add(LR_OUT_DELIVERY, 100, `outport == ${p.jsonKey}`, 'output;');
  f.add(LR_OUT_DELIVERY, 0, '1', ctx.dropAction);
  return f.out;
}
