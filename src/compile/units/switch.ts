// The switch unit family: three units per logical switch.
//   ls/<uuid>/acls   which ACL lists apply to the switch (its own, its port groups') and
//                    whether it is stateful: no flows; depends on the switch and its own ACL
//                    rows, CoPP, "port groups of this port", "ACL summary of this port
//                    group" and "this LB (group) has a VIP" — not on the groups' ACLs.  What
//                    changed is handed to the ACL family (takeAclChanges()).
//   ls/<uuid>/own    the switch's stateful flows except those of single ACLs (pre-/post-
//                    stateful, ACL defaults, QoS, LB hairpin …): the NB rows its builders
//                    read (recorded), its ACL summary and global.
//   ls/<uuid>/ports  the per-port flows (port security, ARP/ND, L2 lookup …): its ports and
//                    their peers (the switch fingerprint), the rows and other ports it reads,
//                    and global — so an ACL change rebuilds only the stateful half.
import type { CompileContext, Diagnostic } from '../context.js';
import { trackedContext } from '../tracked-context.js';
import { queueSignature } from '../bindings.js';
import { buildSwitchPortFlows } from '../switch/index.js';
import { aclSummary, buildSwitchStatefulOwnFlows, coppMeter, ownAclPlacements, switchHasLbVip, switchPortGroups, switchStatefulFacts } from '../switch/stateful-index.js';
import type { SwitchAcls } from '../acl-groups.js';
import { makeContribution, PHASE_OWN, PHASE_PORTS, type Contribution, type FlowStore } from '../flow-store.js';
import { DepRecorder, sameElements, sameValue, type DerivedValue } from '../deps.js';
import type { UnitsByDep } from '../dep-index.js';
import { peerViewOf, type Switch, type Topology } from '../topology.js';
import { describeUnits, portFingerprint, resolveDerived, SingleSets, trackedTopology, type RunFacts, type UnitFamily } from './family.js';

interface SwitchUnit {
  readonly deps: DepRecorder;
  readonly contribution: Contribution;
  readonly diagnostics: readonly Diagnostic[];
}

/** The ACLs of one switch (unit ls/<uuid>/acls): no flows of its own. */
interface AclPart {
  readonly deps: DepRecorder;
  readonly info: SwitchAcls;
  /** [has ACLs, has stateful ACLs]: what the switch's own flows read of its ACLs. */
  readonly summary: DerivedValue;
  readonly diagnostics: readonly Diagnostic[];
}

/** The units of a switch; its ACLs come first, the own flows read their summary. */
const SWITCH_PARTS = ['acls', 'own', 'ports'] as const;
const NO_PEERS: readonly (object | undefined)[] = [];

/** What the per-port builders read of a switch, its ports and their peers (routers: their peer views). */
function switchFingerprint(sw: Switch, topo: Topology, queues: ReadonlyMap<string, number>): DerivedValue[] {
  const out: DerivedValue[] = [sw.nb, topo.checkLspIsUp, sw.mcast.floodRelay];
  for (const p of sw.ports) {
    out.push(p.nb, p.up, queues.get(p.name));
    if (p.peer) {
      out.push(p.peer.nb, p.peer.peerName ?? '', p.peer.crName ?? '');
      // Of the router, only what switch builders read (Router.peerViews).
      out.push(peerViewOf(topo, p.peer));
    }
  }
  return out;
}

/** Whether a switch's router ports still lead to routers with the same peer views. */
function samePeers(peers: readonly (object | undefined)[], sw: Switch, topo: Topology): boolean {
  const rp = sw.routerPorts;
  if (rp.length !== peers.length) return false;
  for (let i = 0; i < rp.length; i++) if (peerViewOf(topo, rp[i]!.peer!) !== peers[i]) return false;
  return true;
}

export class SwitchUnits implements UnitFamily {
  private readonly units = new Map<string, SwitchUnit>();
  private readonly aclParts = new Map<string, AclPart>();
  private readonly fpMemo = new WeakMap<Switch, { check: boolean; queues: string; peers: readonly (object | undefined)[]; fp: DerivedValue[] }>();
  /** Switches (by UUID) whose units were up to date for this Switch object; see update(). */
  private readonly settled = new Map<string, { sw: Switch; peers: readonly (object | undefined)[] }>();
  private settledCheck: boolean | undefined;
  private settledQueuesEmpty = false;
  /** Unit ids by switch UUID (built once). */
  private readonly unitIds = new Map<string, readonly string[]>();
  private readonly singleSets = new SingleSets();
  /** Switches whose ACL lists or kind changed since takeAclChanges() (undefined: the switch is gone). */
  private aclChanges: [string, SwitchAcls | undefined][] = [];
  recomputed = 0;

  constructor(
    private readonly store: FlowStore,
    private readonly index: UnitsByDep,
  ) {}

  get size(): number {
    return this.unitIds.size;
  }

  update(run: RunFacts, diagnostics: Diagnostic[]): void {
    const { ctx, topology, reached } = run;
    const queues = run.bindings.qdiscQueues;
    this.recomputed = 0;
    const live = new Set<string>();
    // A switch that is the same object as when its units were last found up to date, that
    // no changed row reaches, in a run whose global inputs are those of the last run, is up
    // to date without computing its fingerprint (most of 500 switches on a port change).
    const quiet = reached !== undefined && run.globalSame && this.settledCheck === topology.checkLspIsUp && queues.size === 0 && this.settledQueuesEmpty;
    if (!quiet) this.settled.clear();
    this.settledCheck = topology.checkLspIsUp;
    this.settledQueuesEmpty = queues.size === 0;
    for (const sw of topology.switches) {
      live.add(sw.uuid);
      const ids = this.unitIdsOf(sw.uuid);
      const st = quiet ? this.settled.get(sw.uuid) : undefined;
      if (st && st.sw === sw && samePeers(st.peers, sw, topology) && !reached!.has(ids[0]!) && !reached!.has(ids[1]!) && !reached!.has(ids[2]!)) {
        this.pushDiagnostics(sw.uuid, ids, diagnostics);
        continue;
      }
      const fp = this.fingerprintOf(sw, topology, queues);
      const facts = { switch: fp, acls: undefined as DerivedValue };
      const derived = (name: string): DerivedValue => resolveDerived(run, facts, name);
      let rebuilt = false;
      for (let i = 0; i < SWITCH_PARTS.length; i++) {
        const part = SWITCH_PARTS[i]!;
        const id = ids[i]!;
        if (part === 'acls') {
          const prevPart = this.aclParts.get(sw.uuid);
          let cur = prevPart;
          if (!prevPart || ((reached === undefined || reached.has(id)) && !prevPart.deps.holds(ctx.nb, derived))) {
            cur = this.buildAclPart(ctx, sw);
            this.aclParts.set(sw.uuid, cur);
            this.index.set(id, cur.deps);
            this.aclChanges.push([sw.uuid, cur.info]);
          }
          facts.acls = cur!.summary;
          if (cur!.diagnostics.length) diagnostics.push(...cur!.diagnostics);
          continue;
        }
        const prev = this.units.get(id);
        let unit = prev;
        const unchanged =
          prev !== undefined &&
          reached !== undefined &&
          !reached.has(id) &&
          prev.deps.derived.get('global') === run.global &&
          (!prev.deps.derived.has('switch') || sameValue(prev.deps.derived.get('switch'), fp)) &&
          (!prev.deps.derived.has('acls') || sameValue(prev.deps.derived.get('acls'), facts.acls));
        if (!prev || (!unchanged && !prev.deps.holds(ctx.nb, derived))) {
          unit = part === 'own' ? this.buildOwnUnit(ctx, sw, run.global, facts.acls as [boolean, boolean]) : this.buildPortsUnit(run, sw, fp);
          this.units.set(id, unit);
          this.index.set(id, unit.deps);
          this.store.set(id, unit.contribution);
          rebuilt = true;
        }
        if (unit!.diagnostics.length) diagnostics.push(...unit!.diagnostics);
      }
      if (rebuilt) this.recomputed++;
      // The fingerprint is a function of the Switch object and its peer routers' views: while
      // both are the same and no changed row reaches its units, the switch is not visited.
      const m = this.fpMemo.get(sw);
      if (m?.fp === fp) this.settled.set(sw.uuid, { sw, peers: m.peers });
      else this.settled.delete(sw.uuid);
    }
    for (const [uuid, ids] of this.unitIds) {
      if (live.has(uuid)) continue;
      this.unitIds.delete(uuid);
      this.settled.delete(uuid);
      this.singleSets.delete(uuid);
      if (this.aclParts.delete(uuid)) this.aclChanges.push([uuid, undefined]);
      for (const id of ids) {
        this.units.delete(id);
        this.index.set(id, undefined);
        this.store.set(id, undefined);
      }
    }
  }

  /** The switches whose ACL lists or kind changed since the last call (for the ACL family). */
  takeAclChanges(): [string, SwitchAcls | undefined][] {
    const out = this.aclChanges;
    this.aclChanges = [];
    return out;
  }

  describe(verbose: boolean): string[] {
    const lines = describeUnits(this.units, verbose);
    for (const [uuid, part] of this.aclParts) {
      lines.push(`ls/${uuid}/acls: ${part.info.own.length} own ACLs, ${part.info.pgs.length} port groups`);
      if (verbose) for (const d of part.deps.describe()) lines.push(`  <- ${d}`);
    }
    return lines;
  }

  /** The diagnostics a switch's units gave when they were built (repeated every run). */
  private pushDiagnostics(uuid: string, ids: readonly string[], out: Diagnostic[]): void {
    const acl = this.aclParts.get(uuid);
    if (acl?.diagnostics.length) out.push(...acl.diagnostics);
    for (let i = 1; i < ids.length; i++) {
      const u = this.units.get(ids[i]!);
      if (u?.diagnostics.length) out.push(...u.diagnostics);
    }
  }

  /**
   * Which ACL lists apply to a switch (its own, its port groups'), as what
   * kind of switch.  It reads the port groups' membership and ACL summaries,
   * not their ACLs: an ACL added to a group does not reach it.
   */
  private buildAclPart(ctx: CompileContext, sw: Switch): AclPart {
    const deps = new DepRecorder();
    deps.row('Logical_Switch', sw.uuid, sw.nb);
    const tctx = trackedContext(ctx, deps);
    const own = ownAclPlacements(tctx, sw.nb);
    const pgs = switchPortGroups(tctx, sw.nb);
    let { hasAcls, hasStatefulAcl } = aclSummary(own.map((p) => p.acl));
    for (const g of pgs) {
      const sum = tctx.lookup('pg-acl-summary', g);
      if (sum[0] === '1') hasAcls = true;
      if (sum[1] === '1') hasStatefulAcl = true;
    }
    const hasStateful = hasStatefulAcl || switchHasLbVip(tctx, sw.nb);
    const rejectMeter = sw.nb.copp !== undefined ? coppMeter(tctx, sw.nb, 'reject') : undefined;
    return { deps, info: { own, pgs, hasStateful, rejectMeter }, summary: [hasAcls, hasStatefulAcl], diagnostics: tctx.diagnostics };
  }

  /** A switch's stateful flows: they read the NB (recorded), not the topology. */
  private buildOwnUnit(ctx: CompileContext, sw: Switch, global: string, summary: [boolean, boolean]): SwitchUnit {
    const deps = new DepRecorder();
    deps.value('global', global);
    // Named explicitly so that the printed graph shows it.
    deps.row('Logical_Switch', sw.uuid, sw.nb);
    deps.value('acls', summary);
    const tctx = trackedContext(ctx, deps);
    const facts = switchStatefulFacts(tctx, sw.nb, { hasAcls: summary[0], hasStatefulAcl: summary[1] });
    const own = buildSwitchStatefulOwnFlows({ ctx: tctx, sw: sw.nb, lbs: [], facts });
    const contribution = makeContribution(`ls/${sw.uuid}/own`, this.singleSets.of(sw.uuid), '', [{ phase: PHASE_OWN, flows: own }], this.store.pool);
    return { deps, contribution, diagnostics: tctx.diagnostics };
  }

  /** A switch's per-port flows: they read its ports and their peers (the fingerprint) and other ports by name. */
  private buildPortsUnit(run: RunFacts, sw: Switch, fp: DerivedValue[]): SwitchUnit {
    const deps = new DepRecorder();
    deps.value('global', run.global);
    deps.value('switch', fp);
    // Named explicitly (the fingerprint covers them too) so that the printed graph shows them.
    deps.row('Logical_Switch', sw.uuid, sw.nb);
    for (const p of sw.ports) deps.row('Logical_Switch_Port', p.nb._uuid, p.nb);
    const tctx = trackedContext(run.ctx, deps);
    const ports = buildSwitchPortFlows(tctx, trackedTopology(run.topology, deps), sw, { svcMonitorMac: run.svcMonitorMac, qdiscQueues: run.bindings.qdiscQueues });
    const contribution = makeContribution(`ls/${sw.uuid}/ports`, this.singleSets.of(sw.uuid), '', [{ phase: PHASE_PORTS, flows: ports }], this.store.pool);
    return { deps, contribution, diagnostics: tctx.diagnostics };
  }

  /**
   * switchFingerprint(), the same array while the switch is the same object with the same
   * queues and its peer routers' views are the same: the dependency check is then one comparison.
   */
  private fingerprintOf(sw: Switch, topo: Topology, queues: ReadonlyMap<string, number>): DerivedValue[] {
    const q = queueSignature(sw, queues);
    const peers = sw.routerPorts.length ? sw.routerPorts.map((p) => peerViewOf(topo, p.peer!)) : NO_PEERS;
    const m = this.fpMemo.get(sw);
    if (m && m.check === topo.checkLspIsUp && m.queues === q && (m.peers === peers || sameElements(m.peers, peers))) return m.fp;
    const fp = switchFingerprint(sw, topo, queues);
    this.fpMemo.set(sw, { check: topo.checkLspIsUp, queues: q, peers, fp });
    return fp;
  }

  private unitIdsOf(uuid: string): readonly string[] {
    let ids = this.unitIds.get(uuid);
    if (!ids) this.unitIds.set(uuid, (ids = SWITCH_PARTS.map((p) => `ls/${uuid}/${p}`)));
    return ids;
  }
}
