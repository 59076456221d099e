// The IGMP unit family: igmp/<datapath>, the flows of the multicast groups learnt on a
// switch or relayed into a router (igmp.ts).  A unit is its datapath's flow array, which
// stays the same object while equal.
import { PHASE_PORTS, type FlowStore } from '../flow-store.js';
import type { LFlow } from '../lflow.js';
import { PerDatapathUnits } from './per-datapath.js';

export function igmpUnits(store: FlowStore): PerDatapathUnits<readonly LFlow[]> {
  return new PerDatapathUnits(store, {
    prefix: 'igmp',
    sub: 'igmp',
    phase: PHASE_PORTS,
    values: (run) => run.igmpFlows,
    inputs: (_run, flows) => [flows],
    build: (_run, flows) => flows,
    dependsOn: ['value learnt multicast groups (SB IGMP_Group)'],
  });
}
