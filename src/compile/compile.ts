// The full compile: NB snapshot (+ SB inputs) → desired SB. Pure.
// Order of work follows the reference (global options, datapaths, load
// balancers, ports, then flows per datapath and per port) because the first
// builder to add a flow decides its stage-hint when datapaths share it.
import { makeContext, type CompileInput } from './context.js';
import type { DesiredSb } from './desired.js';
import { FlowTable } from './lflow.js';
import { buildGlobalOptions, type FreshRandom } from './global.js';
import { buildTopology } from './topology.js';
import { buildSwitchBindings } from './bindings.js';
import { buildSwitchPortFlows } from './switch/index.js';
import { buildSwitchStatefulFlows } from './switch/stateful-index.js';
import { resolveLoadBalancers, loadBalancersOfSwitch, desiredSbLoadBalancers } from './lb/index.js';

export function compile(input: CompileInput, fresh: FreshRandom): DesiredSb {
  const ctx = makeContext(input);
  const global = buildGlobalOptions(ctx, fresh);
  const topology = buildTopology(ctx);
  const lbs = resolveLoadBalancers(ctx);
  const bindings = buildSwitchBindings(ctx, topology);

  const flows = new FlowTable();
  for (const dp of topology.datapathOrder) {
    if (dp.kind !== 'switch') continue;
    const sw = dp.sw;
    flows.addAll(sw.uuid, buildSwitchStatefulFlows(ctx, sw.nb, loadBalancersOfSwitch(lbs, sw.uuid)));
    flows.addAll(sw.uuid, buildSwitchPortFlows(ctx, topology, sw, { svcMonitorMac: global.svcMonitorMac }));
  }

  const addressSets = new Map<string, readonly string[]>([['svc_monitor_mac', [global.svcMonitorMac]]]);
  for (const as of ctx.nb.Address_Set.values()) if (!addressSets.has(as.name)) addressSets.set(as.name, [...as.addresses].sort());

  return {
    sbGlobalOptions: global.sbOptions,
    nbGlobalOptions: global.nbOptions,
    datapaths: bindings.datapaths,
    portBindings: bindings.portBindings,
    multicastGroups: bindings.multicastGroups,
    ipMulticast: bindings.ipMulticast,
    loadBalancers: desiredSbLoadBalancers(lbs),
    addressSets,
    portGroups: new Map(),
    flows,
    lspDynamicAddresses: bindings.lspDynamicAddresses,
    diagnostics: ctx.diagnostics,
  };
}
