// What NB port groups become in the SB (northd.c build_port_group_lswitches()
// and sync_port_groups(); en-sync-sb.c sync_addr_sets()):
//   - one SB Port_Group per (port group, logical switch with member ports),
//     named "<switch tunnel key>_<group name>", holding the member ports of
//     that switch: ovn-controller resolves `@<group>` in a flow's match
//     through it (per datapath), so without it no ACL on a port group is
//     installed on any hypervisor;
//   - two SB Address_Sets per port group, "<group>_ip4" and "<group>_ip6",
//     with the IPs of the member ports' `addresses` (dynamic entries skipped)
//     and `dynamic_addresses`, for `$<group>_ip4` in matches.
// Members are NB Logical_Switch_Port rows; the SB rows resolve each member by
// name among the bound ports (a router port of the same name wins and is
// skipped, as in the reference), its address sets read the member rows
// directly.
//
// Incremental: a group is recomputed only when its row, one of its member
// rows, the binding of one of its member names, or the tunnel key of one of
// its switches changed; unchanged groups keep their arrays, so the maps built
// from them compare by identity in the SB differ.
import type { NbLogicalSwitchPort, NbPortGroup } from '../model/nb.js';
import { extractLspAddresses, isDynamicLspAddress } from '../model/lsp-addresses.js';
import { ShardedMap } from '../replica/sharded-map.js';
import type { CompileContext, Diagnostic } from './context.js';
import type { Topology } from './topology.js';
import { sameElements } from './deps.js';

/** One port group's SB rows. */
export interface PortGroupRows {
  /** SB Port_Group rows: name → sorted port names. */
  readonly sbGroups: ReadonlyArray<readonly [string, readonly string[]]>;
  readonly ip4: readonly string[];
  readonly ip6: readonly string[];
  /** Switch UUID → the tunnel key its SB names were made with. */
  readonly switchKeys: ReadonlyMap<string, number>;
  /** Member port names, for reaching the group when their binding changes. */
  readonly memberNames: readonly string[];
  /** Some member's switch had no tunnel key. */
  readonly missingKey: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

const addrCache = new WeakMap<NbLogicalSwitchPort, { ip4: readonly string[]; ip6: readonly string[] }>();

/** build_port_group_address_set() for one member row (cached per row version). */
function memberIps(lsp: NbLogicalSwitchPort): { ip4: readonly string[]; ip6: readonly string[] } {
  let r = addrCache.get(lsp);
  if (r) return r;
  const ip4: string[] = [];
  const ip6: string[] = [];
  const split = (s: string): void => {
    const a = extractLspAddresses(s);
    if (!a.ok) return;
    for (const x of a.value.addresses.ipv4Addrs) ip4.push(x.addrStr);
    for (const x of a.value.addresses.ipv6Addrs) ip6.push(x.addrStr);
  };
  for (const s of lsp.addresses) if (!isDynamicLspAddress(s)) split(s);
  if (lsp.dynamic_addresses !== undefined) split(lsp.dynamic_addresses);
  addrCache.set(lsp, (r = { ip4, ip6 }));
  return r;
}

function sortedUnique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}


/** One group's rows, computed from scratch; arrays equal to `prev`'s are `prev`'s. */
export function buildPortGroupRows(ctx: CompileContext, topo: Topology, dpKeys: ReadonlyMap<string, number>, pg: NbPortGroup, prev: PortGroupRows | undefined): PortGroupRows {
  const lsps = ctx.nb.Logical_Switch_Port;
  const diagnostics: Diagnostic[] = [];
  const bySwitch = new Map<string, Set<string>>();
  const ip4: string[] = [];
  const ip6: string[] = [];
  const memberNames: string[] = [];
  for (const u of pg.ports) {
    const lsp = lsps.get(u);
    if (!lsp) continue;
    memberNames.push(lsp.name);
    const ips = memberIps(lsp);
    ip4.push(...ips.ip4);
    ip6.push(...ips.ip6);
    const port = topo.portByName.get(lsp.name);
    if (!port) {
      diagnostics.push({ level: 'warn', key: 'pg-port-not-found', message: `lport ${lsp.name} in port group ${pg.name} not found.` });
      continue;
    }
    if (port.kind !== 'lsp') {
      diagnostics.push({ level: 'warn', key: 'pg-port-no-switch', message: `lport ${lsp.name} in port group ${pg.name} has no lswitch.` });
      continue;
    }
    let s = bySwitch.get(port.switchUuid);
    if (!s) bySwitch.set(port.switchUuid, (s = new Set()));
    s.add(port.name);
  }
  const prevGroups = new Map(prev?.sbGroups);
  const sbGroups: [string, readonly string[]][] = [];
  const switchKeys = new Map<string, number>();
  let missingKey = false;
  for (const [sw, names] of bySwitch) {
    const key = dpKeys.get(sw);
    if (key === undefined) {
      missingKey = true; // no tunnel key (exhausted): the switch has no SB datapath
      continue;
    }
    switchKeys.set(sw, key);
    const name = `${key}_${pg.name}`;
    const ports = sortedUnique(names);
    const old = prevGroups.get(name);
    sbGroups.push([name, old && sameElements(old, ports) ? old : ports]);
  }
  const v4 = sortedUnique(ip4);
  const v6 = sortedUnique(ip6);
  return {
    sbGroups,
    ip4: prev && sameElements(prev.ip4, v4) ? prev.ip4 : v4,
    ip6: prev && sameElements(prev.ip6, v6) ? prev.ip6 : v6,
    switchKeys,
    memberNames,
    missingKey,
    diagnostics,
  };
}

interface Inputs {
  readonly pg: ReadonlyMap<string, NbPortGroup>;
  readonly lsp: ReadonlyMap<string, NbLogicalSwitchPort>;
  readonly lrp: ReadonlyMap<string, { readonly name: string }>;
  readonly lspByName: ReadonlyMap<string, unknown>;
  readonly dpKeys: ReadonlyMap<string, number>;
}

/** The SB rows of every port group, kept from run to run (one per Compiler). */
export class PortGroupSync {
  private readonly rows = new Map<string, PortGroupRows>();
  /** Member name → groups (UUIDs) that have a member of that name. */
  private readonly byMember = new Map<string, Set<string>>();
  private last: Inputs | undefined;
  private out: { groups: Map<string, readonly string[]>; sets: Map<string, readonly string[]> } | undefined;

  /** SB Port_Group rows by name, and the groups' address sets by name. */
  update(ctx: CompileContext, topo: Topology, dpKeys: ReadonlyMap<string, number>, ambiguous: boolean): { groups: ReadonlyMap<string, readonly string[]>; sets: ReadonlyMap<string, readonly string[]> } {
    const nb = ctx.nb;
    const cur: Inputs = { pg: nb.Port_Group, lsp: nb.Logical_Switch_Port, lrp: nb.Logical_Router_Port, lspByName: topo.lspByName, dpKeys };
    const prev = this.last;
    this.last = cur;
    let todo: Set<string>;
    if (!prev || ambiguous) {
      todo = new Set(cur.pg.keys());
      for (const u of this.rows.keys()) todo.add(u);
    } else {
      todo = this.reached(ctx, prev, cur);
      if (!todo.size && this.out) return this.out;
    }
    let changed = !this.out;
    for (const u of todo) {
      const pg = cur.pg.get(u);
      const before = this.rows.get(u);
      if (before) for (const n of before.memberNames) this.byMember.get(n)?.delete(u);
      if (!pg) {
        if (before) {
          this.rows.delete(u);
          changed = true;
        }
        continue;
      }
      const after = buildPortGroupRows(ctx, topo, dpKeys, pg, before);
      for (const n of after.memberNames) {
        let s = this.byMember.get(n);
        if (!s) this.byMember.set(n, (s = new Set()));
        s.add(u);
      }
      this.rows.set(u, after);
      if (!before || before.ip4 !== after.ip4 || before.ip6 !== after.ip6 || !sameGroups(before.sbGroups, after.sbGroups) || pg.name !== prevName(prev, u)) changed = true;
    }
    if (changed || !this.out) {
      const groups = new Map<string, readonly string[]>();
      const sets = new Map<string, readonly string[]>();
      // Group names are unique in a real NB (an index); should two groups share one, the
      // lower UUID wins, so that the result does not depend on the order of runs.
      const owner = new Map<string, string>();
      for (const [u, r] of this.rows) {
        const name = cur.pg.get(u)!.name;
        const o = owner.get(name);
        if (o !== undefined && o < u) continue;
        owner.set(name, u);
        if (o !== undefined) for (const [n] of this.rows.get(o)!.sbGroups) groups.delete(n);
        for (const [n, ports] of r.sbGroups) groups.set(n, ports);
        sets.set(`${name}_ip4`, r.ip4);
        sets.set(`${name}_ip6`, r.ip6);
      }
      this.out = { groups, sets };
    }
    return this.out;
  }

  /** The diagnostics the groups gave when they were built (repeated every run). */
  diagnostics(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const r of this.rows.values()) out.push(...r.diagnostics);
    return out;
  }

  /** Groups whose rows may differ from the previous run's. */
  private reached(ctx: CompileContext, prev: Inputs, cur: Inputs): Set<string> {
    const todo = new Set<string>();
    const byName = (name: string): void => {
      const s = this.byMember.get(name);
      if (s) for (const u of s) todo.add(u);
    };
    ShardedMap.diff(prev.pg, cur.pg, (u) => todo.add(u));
    ShardedMap.diff(prev.lsp, cur.lsp, (u, before, after) => {
      for (const g of ctx.lookup('pg-uuids-of', u)) todo.add(g);
      if (before) byName(before.name);
      if (after) byName(after.name);
    });
    ShardedMap.diff(prev.lspByName, cur.lspByName, (name) => byName(name));
    ShardedMap.diff(prev.lrp, cur.lrp, (_u, before, after) => {
      if (before) byName(before.name);
      if (after) byName(after.name);
    });
    if (prev.dpKeys !== cur.dpKeys) {
      for (const [u, r] of this.rows) {
        for (const [sw, key] of r.switchKeys) {
          if (cur.dpKeys.get(sw) !== key) {
            todo.add(u);
            break;
          }
        }
      }
      // A switch that had no key may have one now.
      for (const [u, r] of this.rows) if (r.missingKey) todo.add(u);
    }
    return todo;
  }
}

function prevName(prev: Inputs | undefined, u: string): string | undefined {
  return prev?.pg.get(u)?.name;
}

function sameGroups(a: PortGroupRows['sbGroups'], b: PortGroupRows['sbGroups']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}
