// The load-balancer health-check unit family: lbhc/<switch>, the ARP/ND responders for the
// service monitors' source IPs on the switch of each monitored backend's port
// (build_lswitch_arp_nd_service_monitor; lb/health.ts says which).  A unit is a function of
// its list of backends and svc_monitor_mac; the list stays the same object while unchanged.
import type { Diagnostic } from '../context.js';
import { makeContribution, PHASE_LB, type Contribution, type FlowStore } from '../flow-store.js';
import { arpNdServiceMonitor, type MonitoredBackend } from '../switch/arp-nd.js';
import { SingleSets, type RunFacts, type UnitFamily } from './family.js';

interface Unit {
  readonly list: readonly MonitoredBackend[];
  readonly mac: string;
  readonly contribution: Contribution;
}

export class LbHealthUnits implements UnitFamily {
  private readonly units = new Map<string, Unit>();
  private readonly singleSets = new SingleSets();
  recomputed = 0;

  constructor(private readonly store: FlowStore) {}

  get size(): number {
    return this.units.size;
  }

  update(run: RunFacts, _diagnostics: Diagnostic[]): void {
    this.recomputed = 0;
    const responders = run.lbResponders;
    for (const [sw, list] of responders) {
      if (!run.topology.switchByUuid.has(sw)) continue;
      const id = `lbhc/${sw}`;
      const was = this.units.get(id);
      if (was && was.list === list && was.mac === run.svcMonitorMac) continue;
      const contribution = makeContribution(id, this.singleSets.of(sw), '', [{ phase: PHASE_LB, flows: arpNdServiceMonitor(run.svcMonitorMac, list) }], this.store.pool);
      this.units.set(id, { list, mac: run.svcMonitorMac, contribution });
      this.store.set(id, contribution);
      this.recomputed++;
    }
    for (const id of this.units.keys()) {
      const sw = id.slice('lbhc/'.length);
      if (responders.has(sw) && run.topology.switchByUuid.has(sw)) continue;
      this.units.delete(id);
      this.store.set(id, undefined);
      this.singleSets.delete(sw);
    }
  }

  describe(verbose: boolean): string[] {
    const lines: string[] = [];
    for (const [id, u] of this.units) {
      lines.push(`${id}: ${u.contribution.flows.size} flows`);
      if (verbose) lines.push(`  <- value health-check responders (${u.list.length})`, '  <- value svc_monitor_mac');
    }
    return lines;
  }
}
