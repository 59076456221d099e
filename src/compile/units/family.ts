// What every unit family (switches, ACLs, load balancers, routers …) shares: the facts of
// one run, declared once, and the small interface the compiler drives them through.
// A family owns its units — their flows in the flow store, their recorded dependencies
// in the index — and brings them up to date in update(); the compiler only orders the
// families and merges.  A new kind of datapath is a new family file, not a new branch.
import type { CompileContext, Diagnostic, LookupKind, NbView } from '../context.js';
import type { DepRecorder, DerivedValue } from '../deps.js';
import type { Contribution } from '../flow-store.js';
import type { Topology } from '../topology.js';
import type { SwitchBindings } from '../bindings.js';
import type { ResolvedLb } from '../lb/resolve.js';
import type { MonitoredBackend } from '../switch/arp-nd.js';
import type { LFlow } from '../lflow.js';

/** The per-run facts every family reads. */
export interface RunFacts {
  readonly ctx: CompileContext;
  readonly topology: Topology;
  readonly bindings: SwitchBindings;
  /** Resolved load balancers (the last run's map while none changed). */
  readonly lbs: ReadonlyMap<string, ResolvedLb>;
  readonly svcMonitorMac: string;
  /** Switch UUID → health-checked backends on it (lb/health.ts: their ARP/ND responders). */
  readonly lbResponders: ReadonlyMap<string, readonly MonitoredBackend[]>;
  /** Datapath UUID → the flows of its learnt multicast groups (igmp.ts). */
  readonly igmpFlows: ReadonlyMap<string, readonly LFlow[]>;
  /** The global fingerprint (NB_Global options, chassis features, drop action, svc_monitor_mac): the last run's string object when equal. */
  readonly global: string;
  /** Whether `global` is the last run's. */
  readonly globalSame: boolean;
  /** The units the NB rows changed since the last run reach; undefined: check every unit. */
  readonly reached: ReadonlySet<string> | undefined;
  /** The last run's NB (undefined on the first run). */
  readonly prevNb: NbView | undefined;
}

/** One family of units. */
export interface UnitFamily {
  /** Brings every unit of the family up to date for `run`; pushes the live units' diagnostics. */
  update(run: RunFacts, diagnostics: Diagnostic[]): void;
  /** Units of the family now, and units (re)built by the last update. */
  readonly size: number;
  readonly recomputed: number;
  /** inc-engine/show-graph lines: one per unit, with its dependencies when verbose. */
  describe(verbose: boolean): string[];
}

/**
 * Derived values a family supplies to its units and compares itself — never keys of the
 * dependency index: "global" (RunFacts.global), "switch" (a switch's or a peer switch's
 * fingerprint), "acls" (a switch's ACL summary), "router" (a router unit's fingerprint).
 * Every other recorded value is an NB lookup, "<kind>/<key>", resolved by resolveDerived().
 */
export const UNIT_FACTS: ReadonlySet<string> = new Set(['global', 'switch', 'acls', 'router']);

/** The fingerprint of a port by name (the "port/<name>" lookup of trackedTopology()). */
export function portFingerprint(p: ReturnType<Topology['portByName']['get']>): DerivedValue {
  if (!p) return undefined;
  return p.kind === 'lsp' ? ['lsp', p.switchUuid, p.nb] : ['lrp', p.routerUuid, p.nb];
}

/**
 * The current value of a recorded dependency named `name`: one of the unit's facts
 * (UNIT_FACTS, from `facts`), a port by name, or an NB lookup.
 */
export function resolveDerived(run: RunFacts, facts: Readonly<Record<string, DerivedValue>>, name: string): DerivedValue {
  if (UNIT_FACTS.has(name)) return name === 'global' ? run.global : facts[name];
  const slash = name.indexOf('/');
  const kind = name.slice(0, slash);
  const key = name.slice(slash + 1);
  if (kind === 'port') return portFingerprint(run.topology.portByName.get(key));
  return run.ctx.lookup(kind as LookupKind, key) as DerivedValue;
}

/**
 * Topology as a unit sees it: lookups of ports by name (portByName, lspByName) are recorded as
 * "port/<name>" dependencies, so a port created, deleted or changed elsewhere reaches the
 * units that looked it up (a router's distributed NAT reads its logical port's type).
 */
export function trackedTopology(topo: Topology, rec: DepRecorder): Topology {
  const track = <M extends ReadonlyMap<string, unknown>>(map: M): M =>
    new Proxy(map, {
      get(target, prop) {
        if (prop === 'get') {
          return (name: string) => {
            const p = target.get(name);
            rec.value(`port/${name}`, portFingerprint(topo.portByName.get(name)));
            return p;
          };
        }
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  return { ...topo, portByName: track(topo.portByName), lspByName: track(topo.lspByName) };
}

/** {uuid}, one object per datapath for all the units on it (the flow store memoises unions per set). */
export class SingleSets {
  private readonly sets = new Map<string, ReadonlySet<string>>();
  of(uuid: string): ReadonlySet<string> {
    let s = this.sets.get(uuid);
    if (!s) this.sets.set(uuid, (s = new Set([uuid])));
    return s;
  }
  delete(uuid: string): void {
    this.sets.delete(uuid);
  }
}

/** inc-engine/show-graph lines for units that record their dependencies: one per unit, and its dependencies when verbose. */
export function describeUnits(units: ReadonlyMap<string, { readonly deps: DepRecorder; readonly contribution: Contribution }>, verbose: boolean): string[] {
  const lines: string[] = [];
  for (const [id, u] of units) {
    const deps = u.deps.describe();
    lines.push(`${id}: ${u.contribution.flows.size} flows, ${deps.length} dependencies`);
    if (verbose) for (const d of deps) lines.push(`  <- ${d}`);
  }
  return lines;
}
