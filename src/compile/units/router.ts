// The router unit family: a router's flows as units of incremental work.
//   lr/<uuid>/own            the datapath-level flows (defaults, static routes, policies, …)
//   lr/<uuid>/port/<lrp>     one router port's flows (with its chassisredirect port's)
//   lr/<uuid>/ls/<switch>    the flows a peer switch's ports put on the router (ARP resolve)
// Each unit records the NB rows its builders read and two derived values: the
// router's fingerprint (what the builders read of the topology: its ports and
// their peers) and, for lr/…/ls/…, the switch's ports.  A unit is rebuilt only
// when one of them changed; a route or policy edit rebuilds lr/<uuid>/own only.
import type { CompileContext, Diagnostic, LookupKind } from '../context.js';
import { DepRecorder, type DerivedValue } from '../deps.js';
import { makeContribution, PHASE_OWN, PHASE_PORTS, type Contribution, type FlowStore } from '../flow-store.js';
import type { Router, Switch, Topology } from '../topology.js';
import { trackedContext } from '../tracked-context.js';
import { buildRouterFlowsFromSwitch, buildRouterOwnFlows, buildRouterPortFlows } from '../router/index.js';
import { peerSwitch } from '../router/common.js';
import type { UnitsByDep } from '../dep-index.js';

interface Unit {
  readonly deps: DepRecorder;
  readonly contribution: Contribution;
  readonly diagnostics: readonly Diagnostic[];
}

/** What the router builders read of the topology around a router, as comparable values. */
export function routerTopologyFingerprint(r: Router, topo: Topology): DerivedValue[] {
  // Not the whole row: its routes and policies are read by lr/…/own only (a row dependency there).
  const out: DerivedValue[] = [r.nb.options, r.nb.copp, r.nb.name, r.isGwRouter, r.mcastRelay, r.lbIpsV4, r.lbIpsV6];
  for (const n of r.natEntries) out.push(n.nb);
  for (const p of r.ports) {
    out.push(p.nb, p.peerName ?? '', p.crName ?? '', p.enabled);
    const sw = peerSwitch(topo, p);
    if (sw) {
      out.push(sw.nb, sw.hasVtepLports);
      for (const l of sw.localnetPorts) out.push(l.nb);
      // Other routers on the same switch (their networks are next hops).
      for (const rp of sw.routerPorts) out.push(rp.peer?.nb, rp.peer?.routerUuid);
    } else if (p.peerName !== undefined) {
      const peer = topo.lrpByName.get(p.peerName);
      out.push(peer?.nb, peer?.routerUuid, peer?.peerName);
    }
  }
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
}

function sameElements(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class RouterUnits {
  private readonly units = new Map<string, Unit>();
  private readonly singleSets = new Map<string, ReadonlySet<string>>();
  private readonly settled = new Map<string, Settled>();
  recomputed = 0;

  /** `deps`: where the units' recorded dependencies are registered (the compiler's index). */
  constructor(
    private readonly store: FlowStore,
    private readonly deps: UnitsByDep,
  ) {}

  /**
   * Brings every router unit up to date; returns the diagnostics of the live units.
   * `reached`: the units the NB rows changed since the last run reach (undefined: check all).
   */
  update(ctx: CompileContext, topo: Topology, globalFp: string, portKeys: ReadonlyMap<string, number>, reached: ReadonlySet<string> | undefined): Diagnostic[] {
    this.recomputed = 0;
    const diagnostics: Diagnostic[] = [];
    // Routers some changed row reaches (unit ids are "lr/<uuid>/…").
    const reachedRouters = new Set<string>();
    if (reached) for (const id of reached) if (id.startsWith('lr/')) reachedRouters.add(id.slice(3, id.indexOf('/', 3)));
    const sbBfd = ctx.nb.BFD.size ? ctx.sb.BFD : undefined;
    for (const r of topo.routers) {
      const peers = r.ports.map((p) => peerSwitch(topo, p) ?? (p.peerName !== undefined ? topo.lrpByName.get(p.peerName) : undefined));
      const keys = r.ports.map((p) => portKeys.get(p.name));
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
      const ids = this.checkRouter(ctx, topo, r, globalFp, portKeys, sbBfd, diagnostics);
      for (const id of before?.ids ?? []) if (!ids.includes(id)) this.drop(id);
      this.settled.set(r.uuid, { rtr: r, peers, keys, sbBfd, global: globalFp, ids });
    }
    for (const [u, st] of this.settled) {
      if (topo.routerByUuid.has(u)) continue;
      for (const id of st.ids) this.drop(id);
      this.settled.delete(u);
      this.singleSets.delete(u);
    }
    return diagnostics;
  }

  /** Checks (and rebuilds where needed) every unit of one router; returns their ids. */
  private checkRouter(
    ctx: CompileContext,
    topo: Topology,
    r: Router,
    globalFp: string,
    portKeys: ReadonlyMap<string, number>,
    sbBfd: unknown,
    diagnostics: Diagnostic[],
  ): string[] {
    // The ports' tunnel keys appear in flows (ecmp_symmetric_reply): part of the fingerprint.
    const rfp = routerTopologyFingerprint(r, topo);
    for (const p of r.ports) rfp.push(portKeys.get(p.name));
    // Routes and ports with BFD sessions read the sessions' SB status.
    rfp.push(sbBfd as DerivedValue);
    const dps = this.singleSet(r.uuid);
    const ids: string[] = [];
    // `sub` orders the units of one phase on the router (a flow two ports both emit keeps the
    // first one's hint): by port name, then peer switch, whatever order they were built in.
    const check = (id: string, sub: string, sw: Switch | undefined, build: (tctx: CompileContext) => { phase: number; flows: ReturnType<typeof buildRouterOwnFlows> }): void => {
      ids.push(id);
      const swFp = sw ? switchPortsFingerprint(sw) : undefined;
      const derived = (name: string): DerivedValue => {
        if (name === 'global') return globalFp;
        if (name === 'router') return rfp;
        if (name === 'switch') return swFp;
        // A lookup the builders made through the tracked context ("<kind>/<key>").
        const slash = name.indexOf('/');
        return ctx.lookup(name.slice(0, slash) as LookupKind, name.slice(slash + 1)) as DerivedValue;
      };
      let unit = this.units.get(id);
      if (!unit || !unit.deps.holds(ctx.nb, derived)) {
        const deps = new DepRecorder();
        deps.value('global', globalFp);
        deps.value('router', rfp);
        if (swFp) deps.value('switch', swFp);
        if (sub === '') deps.row('Logical_Router', r.uuid, r.nb);
        const tctx = trackedContext(ctx, deps);
        const part = build(tctx);
        unit = { deps, contribution: makeContribution(id, dps, sub, [part], this.store.pool), diagnostics: tctx.diagnostics };
        this.units.set(id, unit);
        this.store.set(id, unit.contribution);
        this.deps.set(id, deps);
        this.recomputed++;
      }
      if (unit.diagnostics.length) diagnostics.push(...unit.diagnostics);
    };
    check(`lr/${r.uuid}/own`, '', undefined, (tctx) => ({ phase: PHASE_OWN, flows: buildRouterOwnFlows(tctx, topo, r, (n) => portKeys.get(n)) }));
    const peers = new Map<string, Switch>();
    for (const p of r.ports) {
      check(`lr/${r.uuid}/port/${p.name}`, `p/${p.name}`, undefined, (tctx) => ({ phase: PHASE_PORTS, flows: buildRouterPortFlows(tctx, topo, r, p) }));
      const sw = peerSwitch(topo, p);
      if (sw) peers.set(sw.uuid, sw);
    }
    for (const sw of peers.values()) {
      check(`lr/${r.uuid}/ls/${sw.uuid}`, `s/${sw.uuid}`, sw, (tctx) => ({ phase: PHASE_PORTS, flows: buildRouterFlowsFromSwitch(tctx, topo, r, sw) }));
    }
    return ids;
  }

  private drop(id: string): void {
    if (!this.units.delete(id)) return;
    this.store.set(id, undefined);
    this.deps.set(id, undefined);
  }

  get size(): number {
    return this.units.size;
  }

  describe(verbose: boolean): string[] {
    const lines: string[] = [];
    for (const [id, u] of this.units) {
      const deps = u.deps.describe();
      lines.push(`${id}: ${u.contribution.flows.size} flows, ${deps.length} dependencies`);
      if (verbose) for (const d of deps) lines.push(`  <- ${d}`);
    }
    return lines;
  }

  private singleSet(uuid: string): ReadonlySet<string> {
    let s = this.singleSets.get(uuid);
    if (!s) this.singleSets.set(uuid, (s = new Set([uuid])));
    return s;
  }
}
