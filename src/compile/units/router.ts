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

interface Unit {
  readonly deps: DepRecorder;
  readonly contribution: Contribution;
  readonly diagnostics: readonly Diagnostic[];
}

/** What the router builders read of the topology around a router, as comparable values. */
export function routerTopologyFingerprint(r: Router, topo: Topology): DerivedValue[] {
  const out: DerivedValue[] = [r.nb, r.isGwRouter, r.mcastRelay, r.lbIpsV4, r.lbIpsV6];
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

export class RouterUnits {
  private readonly units = new Map<string, Unit>();
  private readonly singleSets = new Map<string, ReadonlySet<string>>();
  recomputed = 0;

  constructor(private readonly store: FlowStore) {}

  /** Brings every router unit up to date; returns the diagnostics of the live units. */
  update(ctx: CompileContext, topo: Topology, globalFp: string, portKeys: ReadonlyMap<string, number>): Diagnostic[] {
    this.recomputed = 0;
    const live = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    for (const r of topo.routers) {
      // The ports' tunnel keys appear in flows (ecmp_symmetric_reply): part of the fingerprint.
      const rfp = routerTopologyFingerprint(r, topo);
      for (const p of r.ports) rfp.push(portKeys.get(p.name));
      // Routes and ports with BFD sessions read the sessions' SB status.
      rfp.push(ctx.nb.BFD.size ? ctx.sb.BFD : undefined);
      const dps = this.singleSet(r.uuid);
      const check = (id: string, sw: Switch | undefined, build: (tctx: CompileContext) => { phase: number; flows: ReturnType<typeof buildRouterOwnFlows> }): void => {
        live.add(id);
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
          deps.row('Logical_Router', r.uuid, r.nb);
          const tctx = trackedContext(ctx, deps);
          const part = build(tctx);
          unit = { deps, contribution: makeContribution(id, dps, '', [part], this.store.pool), diagnostics: tctx.diagnostics };
          this.units.set(id, unit);
          this.store.set(id, unit.contribution);
          this.recomputed++;
        }
        if (unit.diagnostics.length) diagnostics.push(...unit.diagnostics);
      };
      check(`lr/${r.uuid}/own`, undefined, (tctx) => ({ phase: PHASE_OWN, flows: buildRouterOwnFlows(tctx, topo, r, (n) => portKeys.get(n)) }));
      const peers = new Map<string, Switch>();
      for (const p of r.ports) {
        check(`lr/${r.uuid}/port/${p.name}`, undefined, (tctx) => ({ phase: PHASE_PORTS, flows: buildRouterPortFlows(tctx, topo, r, p) }));
        const sw = peerSwitch(topo, p);
        if (sw) peers.set(sw.uuid, sw);
      }
      for (const sw of peers.values()) {
        check(`lr/${r.uuid}/ls/${sw.uuid}`, sw, (tctx) => ({ phase: PHASE_PORTS, flows: buildRouterFlowsFromSwitch(tctx, topo, r, sw) }));
      }
    }
    for (const id of [...this.units.keys()]) {
      if (live.has(id)) continue;
      this.units.delete(id);
      this.store.set(id, undefined);
    }
    for (const u of [...this.singleSets.keys()]) if (!topo.routerByUuid.has(u)) this.singleSets.delete(u);
    return diagnostics;
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
