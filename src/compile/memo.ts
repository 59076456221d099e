// The memo tables of one Compiler: objects reused from its previous runs
// while their inputs are the same objects.  They belong to a Compiler, not
// to the module, so a fresh Compiler (the full compile) shares nothing with
// an incremental one and the property test compares two independent results.
// Pure parse caches keyed by the parsed value itself stay module-level.
import type { NbLogicalRouterPort, NbLogicalSwitch, NbLogicalSwitchPort } from '../model/nb.js';
import type { SbIPMulticast, SbPortBinding } from '../model/sb.js';
import type { KeptWarning, Memoised } from './context.js';
import type { DesiredIpMulticast, DesiredMulticastGroup, DesiredPortBinding } from './desired.js';
import type { Router, RouterPart, RouterPort, Switch, SwitchPort } from './topology.js';
import { ShardedMap } from '../replica/sharded-map.js';
import { MultiIndex } from '../replica/multi-index.js';
import { RouterLbIps } from './router-lb-ips.js';

/** SB Port_Binding by logical_port, brought from one table version to the next by the changed rows. */
export class SbPortIndex {
  private table: ReadonlyMap<string, SbPortBinding> = new Map();
  private readonly byName = new MultiIndex<SbPortBinding>();

  /** The index for `table`, or undefined when some name has several bindings (order decides then). */
  update(table: ReadonlyMap<string, SbPortBinding>): ReadonlyMap<string, SbPortBinding> | undefined {
    ShardedMap.diff(this.table, table, (_u, before, after) => {
      if (before) this.byName.remove(before.logical_port, before);
      if (after) this.byName.add(after.logical_port, after);
    });
    this.table = table;
    if (this.byName.duplicated) return undefined;
    return this.view;
  }

  private readonly view: ReadonlyMap<string, SbPortBinding> = {
    get: (name: string) => this.byName.first(name),
    has: (name: string) => this.byName.has(name),
  } as ReadonlyMap<string, SbPortBinding>;
}

type Row = { readonly _uuid: string };
type Named = Row & { readonly name: string };

/**
 * Which switches' joins may differ from the previous run, from the NB/SB rows
 * that changed: a switch whose Logical_Switch row changed, that lists a
 * Logical_Switch_Port row that changed, or that has a port whose SB
 * Port_Binding changed, and every switch sharing a port with a changed
 * Logical_Switch row.  Undefined (walk every switch) on the first run, when
 * or when a port name or port row is used twice (then the datapath order
 * decides which switch binds it).  A switch's SB datapath is checked by the caller.
 */
export class JoinChanges {
  private ls: ReadonlyMap<string, Row & { readonly ports: readonly string[] }> = new Map();
  private lsp: ReadonlyMap<string, Named> = new Map();
  private lrp: ReadonlyMap<string, Named> = new Map();
  private pb: ReadonlyMap<string, SbPortBinding> = new Map();
  private started = false;
  /** Logical_Switch rows by the port UUIDs they list. */
  private readonly owners = new MultiIndex<Row & { readonly ports: readonly string[] }>();
  /** Logical_Switch_Port and Logical_Router_Port rows by name. */
  private readonly names = new MultiIndex<Named>();
  /** A switch was added or deleted since the previous call of dirty(). */
  switchSetChanged = true;

  /** Some port name or port row is used twice (the datapath order decides then). */
  get ambiguous(): boolean {
    return this.names.duplicated > 0 || this.owners.duplicated > 0;
  }

  /** Bound switch port name → switch UUID, from the previous topology. */
  portSwitch: ReadonlyMap<string, { readonly switchUuid: string }> = new Map();

  dirty(
    nb: { Logical_Switch: ReadonlyMap<string, Row & { readonly ports: readonly string[] }>; Logical_Switch_Port: ReadonlyMap<string, Named>; Logical_Router_Port: ReadonlyMap<string, Named> },
    sb: { Port_Binding: ReadonlyMap<string, SbPortBinding> },
  ): Set<string> | undefined {
    const first = !this.started;
    this.started = true;
    const out = new Set<string>();
    this.switchSetChanged = first;
    ShardedMap.diff(this.ls, nb.Logical_Switch, (u, before, after) => {
      out.add(u);
      if (!before || !after) this.switchSetChanged = true;
      if (before) for (const p of before.ports) this.owners.remove(p, before);
      if (after) for (const p of after.ports) this.owners.add(p, after);
      // Another switch listing the same port may bind it (or lose it) now.
      for (const r of [before, after]) if (r) for (const p of r.ports) for (const o of this.owners.rows(p)) out.add(o._uuid);
    });
    const named = (u: string, before: Named | undefined, after: Named | undefined): void => {
      if (before) this.names.remove(before.name, before);
      if (after) this.names.add(after.name, after);
      for (const ls of this.owners.rows(u)) out.add(ls._uuid);
    };
    ShardedMap.diff(this.lsp, nb.Logical_Switch_Port, named);
    ShardedMap.diff(this.lrp, nb.Logical_Router_Port, named);
    ShardedMap.diff(this.pb, sb.Port_Binding, (_u, before, after) => {
      for (const r of [before, after]) {
        const sw = r && this.portSwitch.get(r.logical_port);
        if (sw) out.add(sw.switchUuid);
      }
    });
    this.ls = nb.Logical_Switch;
    this.lsp = nb.Logical_Switch_Port;
    this.lrp = nb.Logical_Router_Port;
    this.pb = sb.Port_Binding;
    // Shared ports and names: which switch binds them depends on the datapath order.
    if (first || this.names.duplicated || this.owners.duplicated) return undefined;
    return out;
  }
}

/** The previous run's Port_Binding map and the rows each switch put in it. */
export interface PortBindingAssembly {
  out: ShardedMap<DesiredPortBinding>;
  bySwitch: ReadonlyMap<string, readonly DesiredPortBinding[]>;
  byRouter: ReadonlyMap<string, readonly DesiredPortBinding[]>;
  /** The previous map was assembled from scratch (a router port named like a switch port). */
  collided: boolean;
}

export class CompileMemo {
  private readonly arrays = new Map<string, readonly unknown[]>();

  /** `next`, or the array last given under `name` when it holds the same objects in the same order. */
  sameArray<T>(name: string, next: readonly T[]): readonly T[] {
    const prev = this.arrays.get(name) as readonly T[] | undefined;
    if (prev && prev.length === next.length && prev.every((x, i) => x === next[i])) return prev;
    this.arrays.set(name, next);
    return next;
  }

  /** topology: switch ports by name, edited from run to run (see assembleLspByName). */
  readonly lspByName: { out: ShardedMap<SwitchPort>; bySwitch: ReadonlyMap<string, Switch> } = { out: ShardedMap.empty(), bySwitch: new Map() };
  /** topology: the datapath walk order, and what it was computed from. */
  dpOrder: { dpb: unknown; lr: unknown; dpOrder: readonly string[]; sbDpByNb: ReadonlyMap<string, string> } | undefined;
  /** topology: what changed since the previous run. */
  readonly joinChanges = new JoinChanges();
  /** topology: a router port, by its NB row (without and with its peer). */
  readonly routerPort = new WeakMap<NbLogicalRouterPort, RouterPort[]>();
  /** topology: the router part (router ports, peers, routers) as last built, reused while its inputs are. */
  routerPart: RouterPart | undefined;
  /** topology: each router as last built (reused while its row, ports, NAT entries and LB addresses are). */
  readonly router = new Map<string, Router>();
  /** topology: each router's load-balancer VIP addresses. */
  readonly routerLbIps = new RouterLbIps();
  /** topology: the SB bindings by name. */
  readonly sbPorts = new SbPortIndex();
  /** topology: a non-router port, by its NB row. */
  readonly port = new WeakMap<NbLogicalSwitchPort, { sb: SbPortBinding | undefined; switchUuid: string; ipam: boolean; port: SwitchPort }>();
  /** topology: a switch without router ports, by its NB row and port objects. */
  readonly switch = new WeakMap<NbLogicalSwitch, { ports: readonly SwitchPort[]; sw: Switch }>();
  /** topology: what joining a switch without router ports read (see buildTopology). */
  readonly join = new WeakMap<
    NbLogicalSwitch,
    {
      rows: readonly (NbLogicalSwitchPort | undefined)[];
      sbs: readonly (SbPortBinding | undefined)[];
      sbDp: string | undefined;
      sw: Switch;
      warnings: readonly KeptWarning[];
    }
  >();
  /** keys: a switch's port tunnel keys (inputs: vxlan mode). */
  readonly portKeys = new WeakMap<Switch, Memoised<ReadonlyMap<string, number>>>();
  /** keys: a router's port tunnel keys (inputs: vxlan mode, its chassisredirect ports' SB rows). */
  readonly routerPortKeys = new WeakMap<Router, Memoised<ReadonlyMap<string, number>>>();
  /** keys: every port's key by name, and the per-datapath maps it was assembled from. */
  readonly portKeyMap: { byDp: ReadonlyMap<string, ReadonlyMap<string, number>>; all: Map<string, number> } = { byDp: new Map(), all: new Map() };
  /** allocateTunnelKeys()'s datapath keys (see memoDatapathKeys()). */
  datapathKeys: Memoised<Map<string, number>> | undefined;
  /** bindings: a non-router port's Port_Binding row (inputs: key, queue, vlan-passthru, Chassis table). */
  readonly binding = new WeakMap<SwitchPort, Memoised<DesiredPortBinding>>();
  /** bindings: a router's Port_Binding rows (inputs: its ports' keys, DGP group names and peer vtep ports). */
  readonly routerBindings = new WeakMap<Router, Memoised<readonly DesiredPortBinding[]>>();
  /** bindings: a switch's Port_Binding rows, switches without router-type ports (inputs: keys, queues, Chassis table). */
  readonly switchBindings = new WeakMap<Switch, Memoised<readonly DesiredPortBinding[]>>();
  /** bindings: the Port_Binding map, edited from run to run. */
  readonly portBindings: PortBindingAssembly = { out: ShardedMap.empty(), bySwitch: new Map(), byRouter: new Map(), collided: false };
  /** bindings: the SB IP_Multicast rows by switch, and one desired row per switch's multicast settings. */
  readonly ipMulticast: {
    dpb: unknown;
    ipm: unknown;
    existing: ReadonlyMap<string, SbIPMulticast>;
    rows: WeakMap<object, { prev: SbIPMulticast | undefined; row: DesiredIpMulticast }>;
  } = { dpb: undefined, ipm: undefined, existing: new Map(), rows: new WeakMap() };
  /** bindings: a switch's multicast groups (switches without router ports). */
  readonly mcGroups = new WeakMap<Switch, readonly DesiredMulticastGroup[]>();
}
