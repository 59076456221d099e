// The load-balancer health-check unit family: lbhc/<switch>, the ARP/ND responders for the
// service monitors' source IPs on the switch of each monitored backend's port
// (build_lswitch_arp_nd_service_monitor; lb/health.ts says which).  A unit is a function of
// its list of backends (the same object while unchanged) and svc_monitor_mac.
import { PHASE_LB, type FlowStore } from '../flow-store.js';
import { arpNdServiceMonitor, type MonitoredBackend } from '../switch/arp-nd.js';
import { PerDatapathUnits } from './per-datapath.js';

export function lbHealthUnits(store: FlowStore): PerDatapathUnits<readonly MonitoredBackend[]> {
  return new PerDatapathUnits(store, {
    prefix: 'lbhc',
    sub: '',
    phase: PHASE_LB,
    values: (run) => run.lbResponders,
    inputs: (run, list) => [list, run.svcMonitorMac],
    build: (run, list) => arpNdServiceMonitor(run.svcMonitorMac, list),
    dependsOn: ['value health-check responders (lb/health.ts)', 'value svc_monitor_mac'],
  });
}
