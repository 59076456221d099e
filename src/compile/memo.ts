// The memo tables of one Compiler: objects reused from its previous runs
// while their inputs are the same objects.  They belong to a Compiler, not
// to the module, so a fresh Compiler (the full compile) shares nothing with
// an incremental one and the property test compares two independent results.
// Pure parse caches keyed by the parsed value itself stay module-level.
import type { NbLogicalSwitch, NbLogicalSwitchPort } from '../model/nb.js';
import type { SbPortBinding } from '../model/sb.js';
import type { DesiredMulticastGroup, DesiredPortBinding } from './desired.js';
import type { Switch, SwitchPort } from './topology.js';
import { ShardedMap } from '../replica/sharded-map.js';
import { MultiIndex } from '../replica/multi-index.js';

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

export class CompileMemo {
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
      warnings: readonly [string, string][];
    }
  >();
  /** keys: a switch's port tunnel keys. */
  readonly portKeys = new WeakMap<Switch, { vxlan: boolean; keys: ReadonlyMap<string, number>; warnings: readonly [string, string][] }>();
  /** bindings: a non-router port's Port_Binding row. */
  readonly binding = new WeakMap<
    SwitchPort,
    { key: number; queue: number | undefined; vlan: boolean; chassis: unknown; row: DesiredPortBinding; warnings: readonly { key: string; message: string }[] }
  >();
  /** bindings: a switch's multicast groups (switches without router ports). */
  readonly mcGroups = new WeakMap<Switch, readonly DesiredMulticastGroup[]>();
}
