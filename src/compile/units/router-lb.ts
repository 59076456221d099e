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
import { sameElements } from '../deps.js';

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
  /** Everything of the classes but the NAT addresses (plain.externalIps). */
  readonly key: string;
}

/** The routers of one class among those an LB applies to. */
interface ClassGroup {
  readonly key: string;
  /** The first router's classes: the flows of an LB none of whose VIPs is a NAT address read no more. */
  readonly rep: RouterClasses;
  readonly routers: readonly string[];
  readonly dps: ReadonlySet<string>;
}

/**
 * One list of routers (the resolver shares it between the LBs of a group: the 1,000 LBs of
 * an ovn-kubernetes cluster group have one) split into classes, computed once per run.
 */
interface Plan {
  readonly routers: readonly string[];
  readonly classes: readonly RouterClasses[];
  /** The same array (and objects) while the classes' keys and routers are. */
  readonly groups: readonly ClassGroup[];
  /** The NAT external addresses of all its routers. */
  readonly natIps: ReadonlySet<string>;
}

interface PerLb {
  readonly lb: ResolvedLb;
  readonly groups: readonly ClassGroup[];
  /** Whether one of its VIPs was a NAT address of one of its routers (its units then per router). */
  readonly natHit: boolean;
  readonly ids: readonly string[];
}

export class RouterLbUnits implements UnitFamily {
  private readonly units = new Map<string, Unit>();
  private last: { lbs: unknown; routers: unknown; global: string; copp: unknown; meters: unknown } | undefined;
  /** Per router UUID: its classes, the same object while what they are computed from is. */
  private classes = new Map<string, RouterClasses>();
  /** Per router list (by identity): its plan as last computed. */
  private plans = new WeakMap<readonly string[], Plan>();
  /** Per LB UUID: the resolved LB, its routers' class groups and its unit ids, as last built. */
  private perLb = new Map<string, PerLb>();
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
    const plans = new Map<readonly string[], Plan>();
    const planOf = (routers: readonly string[]): Plan => {
      let plan = plans.get(routers);
      if (plan) return plan;
      const rcs: RouterClasses[] = [];
      const present: string[] = [];
      for (const u of routers) {
        const rtr = topology.routerByUuid.get(u);
        if (!rtr) continue;
        rcs.push(classesOf(rtr));
        present.push(u);
      }
      const was = this.plans.get(routers);
      if (was && sameElements(was.classes, rcs)) plan = was;
      else {
        const byKey = new Map<string, { rep: RouterClasses; routers: string[] }>();
        const natIps = new Set<string>();
        rcs.forEach((rc, i) => {
          for (const ip of rc.plain.externalIps) natIps.add(ip);
          const g = byKey.get(rc.key);
          if (g) g.routers.push(present[i]!);
          else byKey.set(rc.key, { rep: rc, routers: [present[i]!] });
        });
        // Groups of the same keys and routers stay the same objects (their LBs' units hold).
        const groups: ClassGroup[] = [];
        let same = was !== undefined && was.groups.length === byKey.size;
        let i = 0;
        for (const [key, g] of byKey) {
          const old = was?.groups[i++];
          if (old && old.key === key && sameElements(old.routers, g.routers)) groups.push(old);
          else {
            same = false;
            groups.push({ key, rep: g.rep, routers: g.routers, dps: new Set(g.routers) });
          }
        }
        plan = { routers, classes: rcs, groups: same ? was!.groups : groups, natIps };
      }
      plans.set(routers, plan);
      this.plans.set(routers, plan);
      return plan;
    };
    const perLb = new Map<string, PerLb>();
    for (const lb of lbs.values()) {
      if (!lb.routers.length || !lb.vips.length) continue;
      const plan = planOf(lb.routers);
      const natHit = plan.natIps.size > 0 && lb.vips.some((v) => plan.natIps.has(v.vipStr));
      // The same resolved LB on the same class groups, none of its VIPs a NAT address then or now: its units are as they were.
      const was = this.perLb.get(lb.uuid);
      if (was && was.lb === lb && was.groups === plan.groups && !was.natHit && !natHit && run.globalSame) {
        for (const id of was.ids) live.add(id);
        perLb.set(lb.uuid, was);
        continue;
      }
      const ids: string[] = [];
      const byClass = new Map<string, { c: RouterLbClass; dps: ReadonlySet<string> }>();
      const s = lb.skipSnat ? 's' : '';
      for (const g of plan.groups) {
        if (!natHit) {
          byClass.set(`${s}|${g.key}|`, { c: lb.skipSnat ? g.rep.skip : g.rep.plain, dps: g.dps });
          continue;
        }
        for (const u of g.routers) {
          const rc = classesOf(topology.routerByUuid.get(u)!);
          const c = lb.skipSnat ? rc.skip : rc.plain;
          // The VIPs that are NAT addresses of the router make its flows its own.
          const natVips = c.externalIps.size ? lb.vips.filter((v) => c.externalIps.has(v.vipStr)).map((v) => v.vipStr).join(',') : '';
          const k = `${s}|${g.key}|${natVips}`;
          let e = byClass.get(k);
          if (!e) byClass.set(k, (e = { c, dps: new Set() }));
          (e.dps as Set<string>).add(u);
        }
      }
      for (const [k, { c, dps }] of byClass) {
        const id = `lrlb/${lb.uuid}/${k}`;
        live.add(id);
        ids.push(id);
        const prev = this.units.get(id);
        const sameFlows = prev !== undefined && prev.lb.nb === lb.nb && prev.lb.vips === lb.vips && prev.global === run.global;
        if (sameFlows && sameSetOf(prev.contribution.datapaths, dps)) continue;
        const contribution = sameFlows
          ? movedContribution(prev.contribution, dps)
          : makeContribution(id, dps, lb.uuid, [{ phase: PHASE_LB, flows: buildLbFlowsForRouter(ctx, lb, c) }], this.store.pool);
        this.units.set(id, { lb, global: run.global, contribution });
        this.store.set(id, contribution);
        this.recomputed++;
      }
      perLb.set(lb.uuid, { lb, groups: plan.groups, natHit, ids });
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
