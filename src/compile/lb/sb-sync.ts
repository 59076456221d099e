// SB Load_Balancer rows as the reference's sync_lbs() writes them: one row
// per NB load balancer that applies to at least one logical switch, with the
// NB name, vips and protocol, the NB options plus hairpin_orig_tuple=true
// (northd stores the original destination in registers for hairpin flows),
// external_ids:lb_id, and the switches it applies to (the reference puts
// them into a Logical_DP_Group referenced by `datapath_group`).
import type { DesiredLoadBalancer } from '../desired.js';
import type { ResolvedLb } from './resolve.js';

export function desiredSbLoadBalancer(lb: ResolvedLb): DesiredLoadBalancer | undefined {
  if (lb.switches.length === 0) return undefined;
  return {
    nbUuid: lb.uuid,
    name: lb.nb.name,
    vips: lb.sbVips,
    protocol: lb.nb.protocol,
    options: { ...lb.nb.options, hairpin_orig_tuple: 'true' },
    external_ids: { lb_id: lb.uuid },
    datapaths: lb.switches,
  };
}

/** The same row on other datapaths, built property by property (as in resolve.ts's withAttachments). */
export function withDatapaths(row: DesiredLoadBalancer, datapaths: readonly string[]): DesiredLoadBalancer {
  return {
    nbUuid: row.nbUuid,
    name: row.name,
    vips: row.vips,
    protocol: row.protocol,
    options: row.options,
    external_ids: row.external_ids,
    datapaths,
  };
}

/** Desired SB Load_Balancer rows keyed by NB Load_Balancer UUID. */
export function desiredSbLoadBalancers(lbs: ReadonlyMap<string, ResolvedLb>): ReadonlyMap<string, DesiredLoadBalancer> {
  const out = new Map<string, DesiredLoadBalancer>();
  for (const lb of lbs.values()) {
    const row = desiredSbLoadBalancer(lb);
    if (row) out.set(lb.uuid, row);
  }
  return out;
}
