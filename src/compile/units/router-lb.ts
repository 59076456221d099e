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
import { movedContribution, sameSetOf } from './lb.js';
import type { RunFacts, UnitFamily } from './family.js';

interface Unit {
  readonly lb: ResolvedLb;
  readonly global: string;
  readonly contribution: Contribution;
}

/** A router's class for LBs without skip_snat and for those with it, and its identity. */
interface RouterClasses {
  /** What the classes were computed from (routerLbClass() reads no more of the router). */
  readonly inputs: readonly unknown[];
  readonly plain: RouterLbClass;
  readonly skip: RouterLbClass;
  readonly key: string;
}

export class RouterLbUnits implements UnitFamily {
  private readonly units = new Map<string, Unit>();
  private last: { lbs: unknown; routers: unknown; global: string; copp: unknown; meters: unknown } | undefined;
  /** Per router UUID: its classes, the same object while what they are computed from is. */
  private classes = new Map<string, RouterClasses>();
  /** Per LB UUID: the resolved LB, its routers' classes and its unit ids, as last built. */
  private perLb = new Map<string, { lb: ResolvedLb; classes: readonly RouterClasses[]; ids: readonly string[] }>();
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
    const classes = new Map<string, RouterClasses>();
    const classesOf = (rtr: Router): RouterClasses => {
      let c = classes.get(rtr.uuid);
      if (c) return c;
      const inputs: unknown[] = [rtr.nb.options, rtr.nb.copp, rtr.natEntries, rtr.isGwRouter, now.copp, now.meters, ...rtr.l3dgwPorts];
      const was = this.classes.get(rtr.uuid);
      if (was && was.inputs.length === inputs.length && was.inputs.every((x, i) => x === inputs[i])) c = was;
      else {
        const plain = routerLbClass(ctx, rtr, false);
        const skip = routerLbClass(ctx, rtr, true);
        // Not the NAT addresses themselves: only the VIPs among them (per LB, below) change the flows,
        // so the gateway routers of a cluster, each with its own SNAT address, stay one class.
        const key = [plain.snat, plain.dgp, plain.isGw ? 'gw' : '', plain.rejectMeter ?? '', plain.eventMeter ?? ''].join('|');
        c = { inputs, plain, skip, key };
      }
      classes.set(rtr.uuid, c);
      return c;
    };
    const perLb = new Map<string, { lb: ResolvedLb; classes: readonly RouterClasses[]; ids: readonly string[] }>();
    for (const lb of lbs.values()) {
      if (!lb.routers.length || !lb.vips.length) continue;
      // The same resolved LB on routers of the same classes: its units are as they were.
      const rcs: RouterClasses[] = [];
      for (const u of lb.routers) {
        const rtr = topology.routerByUuid.get(u);
        if (rtr) rcs.push(classesOf(rtr));
      }
      const was = this.perLb.get(lb.uuid);
      if (was && was.lb === lb && was.classes.length === rcs.length && was.classes.every((c, i) => c === rcs[i]) && run.globalSame) {
        for (const id of was.ids) live.add(id);
        perLb.set(lb.uuid, was);
        continue;
      }
      const ids: string[] = [];
      const byClass = new Map<string, { c: RouterLbClass; dps: Set<string> }>();
      for (const u of lb.routers) {
        const rtr: Router | undefined = topology.routerByUuid.get(u);
        if (!rtr) continue;
        const rc = classesOf(rtr);
        const c = lb.skipSnat ? rc.skip : rc.plain;
        // The VIPs that are NAT addresses of the router make its flows its own.
        const natVips = c.externalIps.size ? lb.vips.filter((v) => c.externalIps.has(v.vipStr)).map((v) => v.vipStr).join(',') : '';
        const k = `${lb.skipSnat ? 's' : ''}|${rc.key}|${natVips}`;
        let e = byClass.get(k);
        if (!e) byClass.set(k, (e = { c, dps: new Set() }));
        e.dps.add(u);
      }
      for (const [k, { c, dps }] of byClass) {
        const id = `lrlb/${lb.uuid}/${k}`;
        live.add(id);
        ids.push(id);
        const prev = this.units.get(id);
        const sameFlows = prev !== undefined && prev.lb.nb === lb.nb && prev.global === run.global;
        if (sameFlows && sameSetOf(prev.contribution.datapaths, dps)) continue;
        const contribution = sameFlows
          ? movedContribution(prev.contribution, dps)
          : makeContribution(id, dps, lb.uuid, [{ phase: PHASE_LB, flows: buildLbFlowsForRouter(ctx, lb, c) }], this.store.pool);
        this.units.set(id, { lb, global: run.global, contribution });
        this.store.set(id, contribution);
        this.recomputed++;
      }
      perLb.set(lb.uuid, { lb, classes: rcs, ids });
    }
    this.classes = classes;
    this.perLb = perLb;
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
