// The logical-switch flows that do not belong to ACLs, load balancers or
// stateful processing: one switch in, its flows out.  The order below is the
// reference's (per datapath, then per port), which only matters for which
// builder's hint a merged flow keeps.
import type { CompileContext } from '../context.js';
import type { LFlow } from '../lflow.js';
import type { Switch, Topology } from '../topology.js';
import { assignQdiscQueues } from '../bindings.js';
import { admissionControl, outputPortSecurity, portSecurityForPort } from './port-security.js';
import { fdbDefaults, fdbLearningForPort } from './fdb.js';
import { arpNdKnownIps, arpNdResponderDefault, arpNdSkipLocalnet } from './arp-nd.js';
import { dhcpDnsDefaults, dnsLookupAndResponse, externalPortFlows } from './dhcp-dns.js';
import { dhcpOptionsAndResponse } from './dhcp.js';
import { destinationLookupBroadcastMulticast, forwardingGroups, l2UnknownDefaults, unicastLookup } from './l2-lookup.js';
import { interconnMcastSnoop } from './mcast.js';

import { arpNdServiceMonitor, type MonitoredBackend } from './arp-nd.js';
export { arpNdServiceMonitor, type MonitoredBackend };

export interface SwitchFlowOptions {
  /** LSP name → Port_Binding options:qdisc_queue_id (SwitchBindings.qdiscQueues). */
  readonly qdiscQueues?: ReadonlyMap<string, number>;
  /** NB_Global options:svc_monitor_mac (for the service-monitor ARP/ND responder). */
  readonly svcMonitorMac?: string;
  /** Health-checked LB backends on this switch (build_lswitch_arp_nd_service_monitor input). */
  readonly monitoredBackends?: readonly MonitoredBackend[];
}

export function buildSwitchPortFlows(
  ctx: CompileContext,
  topo: Topology,
  sw: Switch,
  opts: SwitchFlowOptions = {},
): LFlow[] {
  const queues = opts.qdiscQueues ?? assignQdiscQueues(ctx, topo);
  const out: LFlow[] = [];
  // Per datapath.
  out.push(...interconnMcastSnoop(ctx, sw));
  out.push(...forwardingGroups(ctx, sw));
  out.push(...admissionControl(ctx, sw));
  out.push(...fdbDefaults());
  out.push(...arpNdResponderDefault());
  out.push(...dnsLookupAndResponse(ctx, sw));
  out.push(...dhcpDnsDefaults());
  out.push(...destinationLookupBroadcastMulticast(ctx, sw));
  out.push(...outputPortSecurity(ctx));
  // Per port.
  for (const op of sw.ports) {
    const q = queues.get(op.name);
    out.push(...portSecurityForPort(ctx, op, q !== undefined ? String(q) : undefined));
    out.push(...fdbLearningForPort(op));
    out.push(...arpNdSkipLocalnet(op));
    out.push(...arpNdKnownIps(ctx, topo, sw, op));
    out.push(...dhcpOptionsAndResponse(ctx, sw, op));
    out.push(...externalPortFlows(ctx, sw, op));
    out.push(...unicastLookup(ctx, topo, sw, op));
  }
  if (opts.svcMonitorMac !== undefined && opts.monitoredBackends?.length) {
    out.push(...arpNdServiceMonitor(opts.svcMonitorMac, opts.monitoredBackends));
  }
  out.push(...l2UnknownDefaults(ctx, sw));
  return out;
}
