// The router load balancer unit family: lrlb/<lb>/<class>, one load balancer's flows on the
// routers it applies to, one unit per class of router (router/lb.ts's routerLbClass(): SNAT
// flags, distributed gateway port, CoPP meters, VIPs that are NAT addresses) — the gateway
// routers of an ovn-kubernetes cluster are one class, so a VIP added to the group they all
// share is built once, on all of them.  A unit is a function of the LB row (resolved once per
// row version), its class and global: when only its routers change, the same flows move to
// the new datapath set.
import type { Diagnostic } from '../context.js';
import { makeContribution, PHASE_LB, type Contribution, type FlowStore } from '../flow-store.js';
import type { ResolvedLb } from '../lb/resolve.js';
import type { Router } from '../topology.js';
import { buildLbFlowsForRouter, routerLbClass, type RouterLbClass } from '../router/lb.js';
import { movedContribution } from './lb.js';
import type { RunFacts, UnitFamily } from './family.js';

interface Unit {
  readonly lb: ResolvedLb;
  readonly global: string;
  readonly contribution: Contribution;
}

/** The class's identity: routers with equal keys get the same flows from one LB. */
function classKey(lb: ResolvedLb, c: RouterLbClass): string {
  const natVips = lb.vips.filter((v) => c.externalIps.has(v.vipStr)).map((v) => v.vipStr);
  return [c.snat, c.forceSnat ? 'force' : '', c.dgp, c.isGw ? 'gw' : '', c.rejectMeter ?? '', c.eventMeter ?? '', natVips.join(',')].join('|');
}

export class RouterLbUnits implements UnitFamily {
  private readonly units = new Map<string, Unit>();
  private last: { lbs: unknown; routers: unknown; global: string; copp: unknown; meters: unknown } | undefined;
  recomputed = 0;

  constructor(private readonly store: FlowStore) {}

  get size(): number {
    return this.units.size;
  }

  update(run: RunFacts, _diagnostics: Diagnostic[]): void {
    const { ctx, topology, lbs } = run;
    this.recomputed = 0;
    // The last run's units hold while the resolved LBs, the Router objects, the global inputs
    // and the CoPP/meter tables (the class's meters) are the same objects.
    const now = { lbs, routers: topology.routers, global: run.global, copp: ctx.nb.Copp, meters: ctx.nb.Meter };
    const l = this.last;
    this.last = now;
    if (l && l.lbs === now.lbs && l.routers === now.routers && l.global === now.global && l.copp === now.copp && l.meters === now.meters) return;
    const live = new Set<string>();
    for (const lb of lbs.values()) {
      if (!lb.routers.length || !lb.vips.length || lb.template) continue;
      const byClass = new Map<string, { c: RouterLbClass; dps: Set<string> }>();
      for (const u of lb.routers) {
        const rtr: Router | undefined = topology.routerByUuid.get(u);
        if (!rtr) continue;
        const c = routerLbClass(ctx, rtr, lb);
        const k = classKey(lb, c);
        let e = byClass.get(k);
        if (!e) byClass.set(k, (e = { c, dps: new Set() }));
        e.dps.add(u);
      }
      for (const [k, { c, dps }] of byClass) {
        const id = `lrlb/${lb.uuid}/${k}`;
        live.add(id);
        const prev = this.units.get(id);
        const sameFlows = prev !== undefined && prev.lb.nb === lb.nb && prev.global === run.global;
        if (sameFlows && sameSet(prev.contribution.datapaths, dps)) continue;
        const contribution = sameFlows
          ? movedContribution(prev.contribution, dps)
          : makeContribution(id, dps, lb.uuid, [{ phase: PHASE_LB, flows: buildLbFlowsForRouter(ctx, lb, c) }], this.store.pool);
        this.units.set(id, { lb, global: run.global, contribution });
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
      lines.push(`${id}: ${u.contribution.flows.size} flows on ${u.contribution.datapaths.size} routers`);
      if (verbose) lines.push(`  <- row Load_Balancer/${u.lb.uuid.slice(0, 8)}`, '  <- value routers-of-lb (by class)', '  <- value global');
    }
    return lines;
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
