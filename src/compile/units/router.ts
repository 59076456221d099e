// The router unit family: a router's flows as units of incremental work.
//   lr/<uuid>/own            the datapath-level flows (stage defaults, multicast, ARP/ND, …)
//   lr/<uuid>/routes         its static routes (routing, ECMP, next-hop solicitations)
//   lr/<uuid>/policies       its routing policies
//   lr/<uuid>/port/<lrp>     one router port's flows (with its chassisredirect port's)
//   lr/<uuid>/ls/<switch>    the flows a peer switch's ports put on the router (ARP resolve)
// Each unit records the NB rows its builders read and two derived values: the
// router's fingerprint (what the builders read of the topology: its ports and
// their peers) and, for lr/…/ls/…, the switch's ports.  A unit is rebuilt only
// when one of them changed; a route edit rebuilds lr/<uuid>/routes only, a policy edit
// lr/<uuid>/policies only (each reads the router's row but for the other's column).
import type { CompileContext, Diagnostic } from '../context.js';
import { DepRecorder, sameElements, sameValue, type DerivedValue } from '../deps.js';
import { makeContribution, PHASE_OWN, PHASE_PORTS, type Contribution, type FlowStore } from '../flow-store.js';
import type { Router, RouterPort, Switch, Topology } from '../topology.js';
import { trackedContext } from '../tracked-context.js';
import { buildRouterFlowsFromSwitch, buildRouterOwnFlows, buildRouterPolicyFlows, buildRouterPortFlows, buildRouterRouteFlows } from '../router/index.js';
import { peerSwitch } from '../router/common.js';
import type { UnitsByDep } from '../dep-index.js';
import { describeUnits, resolveDerived, SingleSets, trackedTopology, type RunFacts, type UnitFamily } from './family.js';

interface Unit {
  readonly deps: DepRecorder;
  readonly contribution: Contribution;
  readonly diagnostics: readonly Diagnostic[];
}

/** The router's row as the values of its columns but `skip` (compared element by element). */
function rowWithout(nb: Router['nb'], skip: readonly string[]): DerivedValue[] {
  const out: DerivedValue[] = [];
  for (const [k, v] of Object.entries(nb)) if (!skip.includes(k)) out.push(v as DerivedValue);
  return out;
}

/** What every router unit reads of the router itself (not its ports), as comparable values. */
function routerLevelFingerprint(r: Router): DerivedValue[] {
  // Not the whole row: the datapath-level units read it (each but the columns of the others).
  // Of its VIPs: its own addresses among them, and whether it answers ARP/ND for any
  // (a VIP added to the LB group of 500 gateway routers changes neither).
  const out: DerivedValue[] = [r.nb.options, r.nb.copp, r.nb.name, r.isGwRouter, r.mcastRelay, r.lbOwnIps, r.lbRespondV4.length > 0, r.lbRespondV6.length > 0];
  for (const n of r.natEntries) out.push(n.nb);
  for (const p of r.l3dgwPorts) out.push(p.name, p.crName);
  return out;
}

/** What the builders read of one router port and what is on its other side. */
function portFingerprint(p: RouterPort, topo: Topology, out: DerivedValue[]): void {
  out.push(p.nb, p.peerName ?? '', p.crName ?? '', p.enabled);
  const sw = peerSwitch(topo, p);
  if (sw) {
    // Not the switch's row nor its other ports (a pod added there rebuilds only lr/…/ls/…).
    out.push(sw.hasVtepLports);
    for (const l of sw.localnetPorts) out.push(l.nb);
    // Other routers on the same switch (their networks are next hops).
    for (const rp of sw.routerPorts) out.push(rp.peer?.nb, rp.peer?.routerUuid);
  } else if (p.peerName !== undefined) {
    const peer = topo.lrpByName.get(p.peerName);
    out.push(peer?.nb, peer?.routerUuid, peer?.peerName);
  }
}

/** What the router's datapath-level builders read: the router and all its ports. */
export function routerTopologyFingerprint(r: Router, topo: Topology): DerivedValue[] {
  const out = routerLevelFingerprint(r);
  for (const p of r.ports) portFingerprint(p, topo, out);
  return out;
}

/** What lr/…/ls/… reads of a peer switch: its ports and their peers. */
function switchPortsFingerprint(sw: Switch): DerivedValue[] {
  const out: DerivedValue[] = [sw.nb];
  // A virtual port's flows follow its binding (virtual_parent, chassis).
  for (const p of sw.ports) out.push(p.nb, p.enabled, p.peer?.nb, p.peer?.routerUuid, p.type === 'virtual' ? p.sb : undefined);
  return out;
}

/** What a router's units were last checked against; while all of it is the same, none is checked again. */
interface Settled {
  readonly rtr: Router;
  /** The peer switches and peer router ports, in port order. */
  readonly peers: readonly unknown[];
  readonly keys: readonly (number | undefined)[];
  readonly sbBfd: unknown;
  readonly global: string;
  /** The router's unit ids. */
  readonly ids: readonly string[];
  /** routerLevelFingerprint() as it was. */
  readonly level: DerivedValue[];
}


export class RouterUnits implements UnitFamily {
  private readonly units = new Map<string, Unit>();
  private readonly singleSets = new SingleSets();
  private readonly settled = new Map<string, Settled>();
  /** Per port or switch unit: the objects its fingerprint is made of, as last checked. */
  private readonly inputsOf = new Map<string, readonly unknown[]>();
  recomputed = 0;

  /** `deps`: where the units' recorded dependencies are registered (the compiler's index). */
  constructor(
    private readonly store: FlowStore,
    private readonly deps: UnitsByDep,
  ) {}

  /** Brings every router unit up to date; pushes the diagnostics of the live units. */
  update(run: RunFacts, diagnostics: Diagnostic[]): void {
    const { ctx, topology: topo, reached } = run;
    const globalFp = run.global;
    const portKeys = run.bindings.keys.port;
    this.recomputed = 0;
    // Routers some changed row reaches (unit ids are "lr/<uuid>/…").
    const reachedRouters = new Set<string>();
    if (reached) for (const id of reached) if (id.startsWith('lr/')) reachedRouters.add(id.slice(3, id.indexOf('/', 3)));
    const sbBfd = ctx.nb.BFD.size ? ctx.sb.BFD : undefined;
    for (const r of topo.routers) {
      const peers = r.ports.map((p) => peerSwitch(topo, p) ?? (p.peerName !== undefined ? topo.lrpByName.get(p.peerName) : undefined));
      // Its ports' keys and its own (which names its LB address sets).
      const keys = r.ports.map((p) => portKeys.get(p.name));
      keys.push(run.bindings.keys.datapath.get(r.uuid));
      const before = this.settled.get(r.uuid);
      if (
        reached !== undefined &&
        before !== undefined &&
        before.rtr === r &&
        before.global === globalFp &&
        before.sbBfd === sbBfd &&
        !reachedRouters.has(r.uuid) &&
        sameElements(before.peers, peers) &&
        sameElements(before.keys, keys)
      ) {
        for (const id of before.ids) {
          const u = this.units.get(id)!;
          if (u.diagnostics.length) diagnostics.push(...u.diagnostics);
        }
        continue;
      }
      const level = routerLevelFingerprint(r);
      // The datapath key names the router's LB address sets in its ports' flows.
      level.push(run.bindings.keys.datapath.get(r.uuid));
      level.push(sbBfd as DerivedValue);
      // Per-port and per-switch units whose own inputs are the same objects need no check
      // when the router-level facts are unchanged and no changed row reaches them.
      const levelSame = before !== undefined && before.global === globalFp && sameValue(before.level, level);
      const ids = this.checkRouter(run, r, level, levelSame ? reached : undefined, diagnostics);
      const idSet = new Set(ids);
      for (const id of before?.ids ?? []) if (!idSet.has(id)) this.drop(id);
      this.settled.set(r.uuid, { rtr: r, peers, keys, sbBfd, global: globalFp, ids, level });
    }
    for (const [u, st] of this.settled) {
      if (topo.routerByUuid.has(u)) continue;
      for (const id of st.ids) this.drop(id);
      this.settled.delete(u);
      this.singleSets.delete(u);
    }
  }

  /** Checks (and rebuilds where needed) every unit of one router; returns their ids. */
  private checkRouter(run: RunFacts, r: Router, level: DerivedValue[], skipIfSame: ReadonlySet<string> | undefined, diagnostics: Diagnostic[]): string[] {
    const topo = run.topology;
    const portKeys = run.bindings.keys.port;
    // lr/…/own reads every port (and their tunnel keys: ecmp_symmetric_reply); a port's unit
    // reads the router and that port; lr/…/ls/… the router and its ports on that switch.
    // Routes and ports with BFD sessions read the sessions' SB status.
    const ownFp = routerTopologyFingerprint(r, topo);
    for (const p of r.ports) ownFp.push(portKeys.get(p.name));
    ownFp.push(level[level.length - 1]);
    const portFp = (p: RouterPort): DerivedValue[] => {
      const out = [...level];
      portFingerprint(p, topo, out);
      return out;
    };
    const dps = this.singleSets.of(r.uuid);
    const dpKey = run.bindings.keys.datapath.get(r.uuid);
    const ids: string[] = [];
    // `sub` orders the units of one phase on the router (a flow two ports both emit keeps the
    // first one's hint): by port name, then peer switch, whatever order they were built in.
    const check = (
      id: string,
      sub: string,
      rfp: () => DerivedValue[],
      inputs: readonly unknown[] | undefined,
      sw: Switch | undefined,
      build: (tctx: CompileContext, topo: Topology) => { phase: number; flows: ReturnType<typeof buildRouterOwnFlows> },
    ): void => {
      ids.push(id);
      if (inputs && skipIfSame && !skipIfSame.has(id)) {
        const u = this.units.get(id);
        const was = this.inputsOf.get(id);
        if (u && was && sameElements(was, inputs)) {
          if (u.diagnostics.length) diagnostics.push(...u.diagnostics);
          return;
        }
      }
      if (inputs) this.inputsOf.set(id, inputs);
      this.checkUnit(run, r, id, sub, rfp(), sw, dps, build, diagnostics);
    };
    // The datapath-level units read the router's row, each but the columns of the others.
    const withRow = (skip: readonly string[]) => (): DerivedValue[] => [...ownFp, rowWithout(r.nb, skip)];
    check(`lr/${r.uuid}/own`, '', withRow(['static_routes', 'policies']), undefined, undefined, (tctx, t) => ({ phase: PHASE_OWN, flows: buildRouterOwnFlows(tctx, t, r) }));
    // Their subs keep the reference's order: own, routes, policies, then the ports.
    check(`lr/${r.uuid}/routes`, 'o/1', withRow(['policies']), undefined, undefined, (tctx, t) => ({ phase: PHASE_OWN, flows: buildRouterRouteFlows(tctx, t, r, (n) => portKeys.get(n)) }));
    check(`lr/${r.uuid}/policies`, 'o/2', withRow(['static_routes']), undefined, undefined, (tctx, t) => ({ phase: PHASE_OWN, flows: buildRouterPolicyFlows(tctx, t, r) }));
    /** Peer switch → the router's ports attached to it. */
    const peers = new Map<Switch, RouterPort[]>();
    for (const p of r.ports) {
      const sw = peerSwitch(topo, p);
      const peer = sw ?? (p.peerName !== undefined ? topo.lrpByName.get(p.peerName) : undefined);
      check(`lr/${r.uuid}/port/${p.name}`, `p/${p.name}`, () => portFp(p), [p, peer], undefined, (tctx, t) => ({ phase: PHASE_PORTS, flows: buildRouterPortFlows(tctx, t, r, p, dpKey) }));
      if (sw) {
        const l = peers.get(sw);
        if (l) l.push(p);
        else peers.set(sw, [p]);
      }
    }
    for (const [sw, attached] of peers) {
      const fp = (): DerivedValue[] => {
        const out = [...level];
        for (const p of attached) portFingerprint(p, topo, out);
        return out;
      };
      check(`lr/${r.uuid}/ls/${sw.uuid}`, `s/${sw.uuid}`, fp, [sw, ...attached], sw, (tctx, t) => ({ phase: PHASE_PORTS, flows: buildRouterFlowsFromSwitch(tctx, t, r, sw) }));
    }
    return ids;
  }

  /** Rebuilds one unit unless its recorded dependencies still hold. */
  private checkUnit(
    run: RunFacts,
    r: Router,
    id: string,
    sub: string,
    rfp: DerivedValue[],
    sw: Switch | undefined,
    dps: ReadonlySet<string>,
    build: (tctx: CompileContext, topo: Topology) => { phase: number; flows: ReturnType<typeof buildRouterOwnFlows> },
    diagnostics: Diagnostic[],
  ): void {
    const ctx = run.ctx;
    const swFp = sw ? switchPortsFingerprint(sw) : undefined;
    const facts = { router: rfp, switch: swFp };
    let unit = this.units.get(id);
    if (!unit || !unit.deps.holds(ctx.nb, (name) => resolveDerived(run, facts, name))) {
      const deps = new DepRecorder();
      deps.value('global', run.global);
      deps.value('router', rfp);
      if (swFp) deps.value('switch', swFp);
      const tctx = trackedContext(ctx, deps);
      // Ports looked up by name are dependencies too (a distributed NAT's logical port, a virtual parent).
      const part = build(tctx, trackedTopology(run.topology, deps));
      unit = { deps, contribution: makeContribution(id, dps, sub, [part], this.store.pool), diagnostics: tctx.diagnostics };
      this.units.set(id, unit);
      this.store.set(id, unit.contribution);
      this.deps.set(id, deps);
      this.recomputed++;
    }
    if (unit.diagnostics.length) diagnostics.push(...unit.diagnostics);
  }

  private drop(id: string): void {
    this.inputsOf.delete(id);
    if (!this.units.delete(id)) return;
    this.store.set(id, undefined);
    this.deps.set(id, undefined);
  }

  get size(): number {
    return this.units.size;
  }

  describe(verbose: boolean): string[] {
    return describeUnits(this.units, verbose);
  }

}
