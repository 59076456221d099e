// The load balancer unit family (switch side): lb/<uuid>[/<event meter>/<reject meter>],
// one load balancer's switch flows, shared by every switch it applies to — one unit per
// class of CoPP meters among those switches.  A function of the LB row (parsed once per
// row version by the resolver) and global: when only its switches change (a switch joins
// its group) the same flows move to the new datapath set without a rebuild.
import type { Diagnostic } from '../context.js';
import { buildLbFlowsForSwitch, lbSwitchMeters, type LbSwitchMeters } from '../switch/stateful-index.js';
import { makeContribution, PHASE_LB, type Contribution, type FlowStore } from '../flow-store.js';
import type { ResolvedLb } from '../lb/resolve.js';
import type { RunFacts, UnitFamily } from './family.js';

interface LbUnit {
  readonly lb: ResolvedLb;
  readonly meters: LbSwitchMeters;
  readonly global: string;
  readonly contribution: Contribution;
}

/** The same flows on other datapaths (one literal shape: see resolve.ts's withAttachments). */
export function movedContribution(c: Contribution, datapaths: ReadonlySet<string>): Contribution {
  return { id: c.id, datapaths, sub: c.sub, flows: c.flows };
}

/** Whether two datapath sets hold the same datapaths. */
export function sameSetOf(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

const meterKey = (m: LbSwitchMeters): string => (m.event === undefined && m.reject === undefined ? '' : `/${m.event ?? ''}/${m.reject ?? ''}`);

export class LbUnits implements UnitFamily {
  private readonly units = new Map<string, LbUnit>();
  private lastLbs: ReadonlyMap<string, ResolvedLb> | undefined;
  private lastCoppEmpty = false;
  /** One datapath set per shared LB switch list. */
  private readonly setOfList = new WeakMap<readonly string[], ReadonlySet<string>>();
  /** lb/<uuid> by LB UUID (the common unit id, built once). */
  private readonly ids = new Map<string, string>();
  recomputed = 0;

  constructor(private readonly store: FlowStore) {}

  get size(): number {
    return this.units.size;
  }

  update(run: RunFacts, _diagnostics: Diagnostic[]): void {
    const { ctx, topology, lbs } = run;
    this.recomputed = 0;
    const live = new Set<string>();
    const metersOf = new Map<string, LbSwitchMeters>();
    const coppSwitches = new Set(topology.switches.filter((sw) => sw.nb.copp !== undefined).map((sw) => sw.uuid));
    // The resolver's map is the last run's when no load balancer, group or attachment
    // changed: with the same global inputs and no CoPP meters, every LB unit is as it was.
    const settled = lbs === this.lastLbs && run.globalSame && coppSwitches.size === 0 && this.lastCoppEmpty;
    this.lastLbs = lbs;
    this.lastCoppEmpty = coppSwitches.size === 0;
    if (settled) return;
    for (const lb of lbs.values()) {
      if (!lb.switches.length || !lb.vips.length) continue;
      // Switches without a CoPP policy (the usual case) share one class and one datapath set.
      const noCopp = !coppSwitches.size || !lb.switches.some((u) => coppSwitches.has(u));
      if (noCopp) {
        // The common case, unchanged: the same resolved LB on the same switch set.
        let id = this.ids.get(lb.uuid);
        if (id === undefined) this.ids.set(lb.uuid, (id = `lb/${lb.uuid}`));
        const prev = this.units.get(id);
        if (prev !== undefined && prev.lb.nb === lb.nb && prev.lb.vips === lb.vips && prev.global === run.global && prev.meters.event === undefined && prev.meters.reject === undefined) {
          live.add(id);
          const dps = this.setOf(lb.switches);
          if (prev.contribution.datapaths === dps) continue;
          // Its switches changed (a switch joined or left its group): the same flows on the
          // new set; the store moves them without a merge.
          const contribution = movedContribution(prev.contribution, dps);
          this.units.set(id, { lb, meters: prev.meters, global: prev.global, contribution });
          this.store.set(id, contribution);
          this.recomputed++;
          continue;
        }
      }
      let classes: Map<string, { meters: LbSwitchMeters; dps: ReadonlySet<string> }>;
      if (noCopp) {
        classes = new Map([['', { meters: { event: undefined, reject: undefined }, dps: this.setOf(lb.switches) }]]);
      } else {
        const byClass = new Map<string, { meters: LbSwitchMeters; dps: Set<string> }>();
        for (const u of lb.switches) {
          const sw = topology.switchByUuid.get(u);
          if (!sw) continue;
          let m = metersOf.get(u);
          if (!m) metersOf.set(u, (m = lbSwitchMeters(ctx, sw.nb)));
          const k = meterKey(m);
          let c = byClass.get(k);
          if (!c) byClass.set(k, (c = { meters: m, dps: new Set() }));
          c.dps.add(u);
        }
        classes = byClass;
      }
      for (const [k, c] of classes) {
        const id = `lb/${lb.uuid}${k}`;
        live.add(id);
        const prev = this.units.get(id);
        // A load balancer's switch flows are a function of its row (parsed once per row version) and its VIPs' health (lb/health.ts):
        // when only its switches changed, the flows are kept and only the datapath set moves.
        const sameFlows = prev !== undefined && prev.lb.nb === lb.nb && prev.lb.vips === lb.vips && prev.global === run.global && prev.meters.event === c.meters.event && prev.meters.reject === c.meters.reject;
        if (sameFlows && sameSetOf(prev.contribution.datapaths, c.dps)) continue;
        const contribution = sameFlows
          ? movedContribution(prev.contribution, c.dps)
          : makeContribution(id, c.dps, lb.uuid, [{ phase: PHASE_LB, flows: buildLbFlowsForSwitch(ctx, lb, c.meters) }], this.store.pool);
        this.units.set(id, { lb, meters: c.meters, global: run.global, contribution });
        this.store.set(id, contribution);
        this.recomputed++;
      }
    }
    for (const id of this.units.keys()) {
      if (live.has(id)) continue;
      this.units.delete(id);
      this.store.set(id, undefined);
    }
  }

  describe(verbose: boolean): string[] {
    const lines: string[] = [];
    for (const [id, u] of this.units) {
      lines.push(`${id}: ${u.contribution.flows.size} flows on ${u.contribution.datapaths.size} switches`);
      if (verbose) lines.push(`  <- row Load_Balancer/${u.lb.uuid.slice(0, 8)}`, `  <- value switches-of-lb`, '  <- value global');
    }
    return lines;
  }

  private setOf(list: readonly string[]): ReadonlySet<string> {
    let s = this.setOfList.get(list);
    if (!s) this.setOfList.set(list, (s = new Set(list)));
    return s;
  }
}
