// Multicast on switches: build_interconn_mcast_snoop_flows (IGMP/MLD from
// remote ports of a transit switch are punted to ovn-controller in the
// egress pre-LB stage).  The IGMP-learnt group flows of
// build_lswitch_ip_mcast_igmp_mld need SB IGMP_Group rows (not done yet).
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { LS_OUT_PRE_LB } from '../stages.js';
import type { Switch } from '../topology.js';
import { coppMeter } from './common.js';

export function interconnMcastSnoop(ctx: CompileContext, sw: Switch): LFlow[] {
  const f = new FlowSink();
  if (!sw.mcast.enabled || sw.nb.other_config['interconn-ts'] === undefined) return f.out;
  const meter = coppMeter(ctx, sw, 'igmp');
  const opts = meter !== undefined ? { meter } : {};
  for (const op of sw.ports) {
    if (op.type !== 'remote') continue;
    f.add(LS_OUT_PRE_LB, 120, `inport == ${op.jsonKey} && igmp`, 'clone { igmp; }; next;', opts);
    f.add(LS_OUT_PRE_LB, 120, `inport == ${op.jsonKey} && (mldv1 || mldv2)`, 'clone { igmp; }; next;', opts);
  }
  return f.out;
}
