// The IGMP unit family: igmp/<datapath>, the flows of the multicast groups learnt on a
// switch or relayed into a router (igmp.ts).  A unit is its datapath's flow array, which
// stays the same object while equal.
import type { Diagnostic } from '../context.js';
import { makeContribution, PHASE_PORTS, type Contribution, type FlowStore } from '../flow-store.js';
import type { LFlow } from '../lflow.js';
import { SingleSets, type RunFacts, type UnitFamily } from './family.js';

export class IgmpUnits implements UnitFamily {
  private readonly units = new Map<string, { flows: readonly LFlow[]; contribution: Contribution }>();
  private readonly singleSets = new SingleSets();
  recomputed = 0;

  constructor(private readonly store: FlowStore) {}

  get size(): number {
    return this.units.size;
  }

  update(run: RunFacts, _diagnostics: Diagnostic[]): void {
    this.recomputed = 0;
    const byDp = run.igmpFlows;
    const exists = (dp: string): boolean => run.topology.switchByUuid.has(dp) || run.topology.routerByUuid.has(dp);
    for (const [dp, flows] of byDp) {
      if (!exists(dp)) continue;
      const id = `igmp/${dp}`;
      const was = this.units.get(id);
      if (was && was.flows === flows) continue;
      const contribution = makeContribution(id, this.singleSets.of(dp), 'igmp', [{ phase: PHASE_PORTS, flows }], this.store.pool);
      this.units.set(id, { flows, contribution });
      this.store.set(id, contribution);
      this.recomputed++;
    }
    for (const id of this.units.keys()) {
      const dp = id.slice('igmp/'.length);
      if (byDp.has(dp) && exists(dp)) continue;
      this.units.delete(id);
      this.store.set(id, undefined);
      this.singleSets.delete(dp);
    }
  }

  describe(verbose: boolean): string[] {
    const lines: string[] = [];
    for (const [id, u] of this.units) {
      lines.push(`${id}: ${u.contribution.flows.size} flows`);
      if (verbose) lines.push('  <- value learnt multicast groups (SB IGMP_Group)');
    }
    return lines;
  }
}
