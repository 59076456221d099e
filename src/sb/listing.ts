// Views of logical flows for printing: from the compiler's desired state
// (replay) or from SB rows (a live SB), both as `ovn-sbctl lflow-list` lines.
import type { DesiredSb } from '../compile/desired.js';
import type { SbView } from '../compile/context.js';
import type { ListedFlow } from './lflow-list.js';

/** Flows of a desired SB; datapaths are named by their NB UUID (there is no SB row yet). */
export function listDesiredFlows(desired: DesiredSb): ListedFlow[] {
  const out: ListedFlow[] = [];
  for (const { flow, datapaths } of desired.flows.flows.values()) {
    for (const dp of datapaths) {
      const d = desired.datapaths.get(dp);
      out.push({
        dpName: d?.externalIds['name'] ?? '',
        dpUuid: dp,
        pipeline: flow.stage.pipeline,
        table: flow.stage.table,
        stageName: flow.stage.name,
        priority: flow.priority,
        match: flow.match,
        actions: flow.actions,
      });
    }
  }
  return out;
}

/** Flows of a live SB, one entry per (flow, datapath) as ovn-sbctl expands groups. */
export function listSbFlows(sb: SbView): ListedFlow[] {
  const out: ListedFlow[] = [];
  for (const lf of sb.Logical_Flow.values()) {
    const dps = lf.logical_datapath !== undefined ? [lf.logical_datapath] : [];
    if (lf.logical_dp_group !== undefined) dps.push(...(sb.Logical_DP_Group.get(lf.logical_dp_group)?.datapaths ?? []));
    for (const dp of dps) {
      const d = sb.Datapath_Binding.get(dp);
      out.push({
        dpName: d?.external_ids['name'] ?? d?.external_ids['name2'] ?? '',
        dpUuid: dp,
        pipeline: lf.pipeline as 'ingress' | 'egress',
        table: lf.table_id,
        stageName: lf.external_ids['stage-name'] ?? '',
        priority: lf.priority,
        match: lf.match,
        actions: lf.actions,
      });
    }
  }
  return out;
}
