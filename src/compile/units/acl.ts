// The ACL unit family: acl/<uuid>/<kind>/<place>, one ACL's flows, shared by every switch
// it applies to as that kind (stateful or not, reject meter) at that place in the switch's
// ACL list.  Depends on the ACL row, what its log action reads (meters), global; its
// switches come from the ACL groups (acl-groups.ts), fed by the port groups' ACL lists
// and by the switch family's ACL parts — a switch joining a group moves the flows, it
// does not rebuild them.
import type { CompileContext, Diagnostic, NbView } from '../context.js';
import { trackedContext } from '../tracked-context.js';
import { buildOneAclFlows, pgAclPlacements } from '../switch/stateful-index.js';
import { AclGroups, samePlacements, type AclGroup } from '../acl-groups.js';
import { makeContribution, PHASE_OWN, type Contribution, type FlowStore } from '../flow-store.js';
import { DepRecorder } from '../deps.js';
import type { UnitsByDep } from '../dep-index.js';
import { ShardedMap } from '../../replica/sharded-map.js';
import { movedContribution } from './lb.js';
import { resolveDerived, type RunFacts, type UnitFamily } from './family.js';
import type { SwitchUnits } from './switch.js';

interface AclUnit {
  readonly acl: AclGroup['acl'];
  readonly global: string;
  readonly deps: DepRecorder;
  readonly contribution: Contribution;
}

const NO_FACTS = {};

export class AclUnits implements UnitFamily {
  private readonly groups = new AclGroups();
  private readonly units = new Map<string, AclUnit>();
  recomputed = 0;

  /** `switches`: the family whose ACL parts say which ACL lists apply to each switch. */
  constructor(
    private readonly store: FlowStore,
    private readonly index: UnitsByDep,
    private readonly switches: SwitchUnits,
  ) {}

  get size(): number {
    return this.units.size;
  }

  update(run: RunFacts, _diagnostics: Diagnostic[]): void {
    const { ctx, reached } = run;
    this.recomputed = 0;
    // Port groups whose ACL lists changed first, then switches whose lists or kind changed.
    this.updatePortGroupAcls(ctx, run.prevNb);
    for (const [uuid, info] of this.switches.takeAclChanges()) this.groups.setSwitch(uuid, info);
    const changes = this.groups.takeChanges();
    const check = new Set<string>(changes.keys());
    if (reached === undefined || !run.globalSame) for (const k of this.units.keys()) check.add(k);
    else for (const k of reached) if (k.startsWith('acl/')) check.add(k);
    for (const key of check) {
      const g = changes.has(key) ? changes.get(key) : this.groups.get(key);
      const prev = this.units.get(key);
      if (!g) {
        this.units.delete(key);
        this.index.set(key, undefined);
        this.store.set(key, undefined);
        continue;
      }
      const sameFlows = prev !== undefined && prev.acl === g.acl && prev.global === run.global && prev.deps.holds(ctx.nb, (name) => resolveDerived(run, NO_FACTS, name));
      if (sameFlows && prev.contribution.datapaths === g.switches) continue;
      const unit = sameFlows ? { acl: prev.acl, global: prev.global, deps: prev.deps, contribution: movedContribution(prev.contribution, g.switches) } : this.build(ctx, key, g, run.global);
      this.units.set(key, unit);
      if (!sameFlows) this.index.set(key, unit.deps);
      this.store.set(key, unit.contribution);
      this.recomputed++;
    }
  }

  describe(verbose: boolean): string[] {
    const lines: string[] = [];
    for (const [id, u] of this.units) {
      lines.push(`${id}: ${u.contribution.flows.size} flows on ${u.contribution.datapaths.size} switches`);
      if (verbose) for (const d of [...u.deps.describe(), 'value switches-of-acl', 'value global']) lines.push(`  <- ${d}`);
    }
    return lines;
  }

  /** Hands the port groups whose ACL lists changed (their row, or one of their ACLs) to the ACL groups. */
  private updatePortGroupAcls(ctx: CompileContext, prevNb: NbView | undefined): void {
    const pgs = ctx.nb.Port_Group;
    const changed = new Set<string>();
    if (!prevNb) {
      for (const g of pgs.keys()) changed.add(g);
    } else {
      ShardedMap.diff(prevNb.Port_Group, pgs, (g) => changed.add(g));
      const acls = new Set<string>();
      ShardedMap.diff(prevNb.ACL, ctx.nb.ACL, (u) => acls.add(u));
      if (acls.size) for (const pg of pgs.values()) if (pg.acls.some((u) => acls.has(u))) changed.add(pg._uuid);
    }
    for (const g of changed) {
      const pg = pgs.get(g);
      const next = pg ? pgAclPlacements(ctx.nb.ACL, pg) : undefined;
      const before = this.groups.pgPlacements(g);
      if (next && before && samePlacements(before, next)) continue;
      if (next || before) this.groups.setPg(g, next);
    }
  }

  /** One ACL's flows on the switches of its group. */
  private build(ctx: CompileContext, key: string, g: AclGroup, global: string): AclUnit {
    const deps = new DepRecorder();
    deps.row('ACL', g.acl._uuid, g.acl);
    const tctx = trackedContext(ctx, deps);
    const flows = buildOneAclFlows(tctx, g.acl, g.hasStateful, g.rejectMeter);
    const contribution = makeContribution(key, g.switches, g.origin, [{ phase: PHASE_OWN, flows }], this.store.pool);
    return { acl: g.acl, global, deps, contribution };
  }
}
