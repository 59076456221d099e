// The memo tables of one Compiler: objects reused from its previous runs
// while their inputs are the same objects.  They belong to a Compiler, not
// to the module, so a fresh Compiler (the full compile) shares nothing with
// an incremental one and the property test compares two independent results.
// Pure parse caches keyed by the parsed value itself stay module-level.
import type { NbLogicalSwitch, NbLogicalSwitchPort } from '../model/nb.js';
import type { SbPortBinding } from '../model/sb.js';
import type { DesiredMulticastGroup, DesiredPortBinding } from './desired.js';
import type { Switch, SwitchPort } from './topology.js';

export class CompileMemo {
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
