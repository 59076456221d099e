// The stateful part of a logical switch's pipelines (northd.c
// build_lswitch_lflows_pre_acl_and_acl(), build_lb_affinity_default_flows()
// and build_lswitch_flows_for_lb() of OVN 23.03.1): pre-ACL, pre-LB,
// pre-stateful, ACL hints, ACLs, QoS, LB, stateful, hairpin.
import type { CompileContext } from '../context.js';
import type { LFlow } from '../lflow.js';
import type { NbLogicalSwitch } from '../../model/nb.js';
import type { ResolvedLb } from '../lb/resolve.js';
import { switchStatefulFacts } from './stateful-facts.js';
import type { SwitchStatefulInput } from './stateful-common.js';
import { buildPreAcls } from './stateful-pre-acl.js';
import { buildPreLb } from './stateful-pre-lb.js';
import { buildPreStateful } from './stateful-pre-stateful.js';
import { buildAclHints } from './stateful-acl-hints.js';
import { buildAcls } from './stateful-acls.js';
import { buildQos } from './stateful-qos.js';
import { buildStateful } from './stateful-stateful.js';
import { buildLbHairpin, buildVtepHairpin } from './stateful-hairpin.js';
import { buildLbAffinityDefaults, buildSwitchLbFlows } from './stateful-lb.js';

/**
 * All stateful-stage flows of one switch.  `lbs` are the resolved load
 * balancers that apply to `sw` (see loadBalancersOfSwitch()).
 */
export function buildSwitchStatefulFlows(
  ctx: CompileContext,
  sw: NbLogicalSwitch,
  lbs: readonly ResolvedLb[],
): LFlow[] {
  const input: SwitchStatefulInput = { ctx, sw, lbs, facts: switchStatefulFacts(ctx, sw) };
  return [...buildSwitchStatefulOwnFlows(input), ...buildSwitchLbFlows(input)];
}

/**
 * The stateful flows of a switch except the per-LB ones (which the
 * incremental compiler builds once per LB for all its switches).  They read
 * the switch's LBs only through facts.hasLbVip.
 */
export function buildSwitchStatefulOwnFlows(input: SwitchStatefulInput): LFlow[] {
  return [
    ...buildPreAcls(input),
    ...buildPreLb(input),
    ...buildPreStateful(input),
    ...buildAclHints(input),
    ...buildAcls(input),
    ...buildQos(input),
    ...buildStateful(input),
    ...buildLbHairpin(input),
    ...buildVtepHairpin(input),
    ...buildLbAffinityDefaults(),
  ];
}

export { buildLbFlowsForSwitch, lbSwitchMeters, type LbSwitchMeters } from './stateful-lb.js';
export {
  switchStatefulFacts,
  switchAclPlacements,
  ownAclPlacements,
  pgAclPlacements,
  switchPortGroups,
  switchHasLbVip,
  aclSummary,
  type SwitchStatefulFacts,
  type AclPlacement,
  type AclSummary,
  coppMeter,
} from './stateful-facts.js';
export { buildOneAclFlows } from './stateful-acls.js';
export type { SwitchStatefulInput } from './stateful-common.js';
