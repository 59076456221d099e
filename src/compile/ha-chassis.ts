// SB HA_Chassis_Group / HA_Chassis (ovn_port_update_sbrec, the ha-chassis
// part, and cleanup_sb_ha_chassis_groups): the gateway chassis a
// chassisredirect port or an external port may be bound to, by priority.
//   - a distributed gateway port with an NB ha_chassis_group: that group,
//     under its NB name, with its NB members;
//   - one with Gateway_Chassis rows instead: a group named after the port;
//   - an LSP of type external with an ha_chassis_group: that group.
// No other group survives.  ref_chassis (handle_port_binding_changes and
// build_ha_chassis_group_ref_chassis): for a gateway group with more than one
// member, the chassis where the switch ports of its routers' "router group"
// (routers connected to each other directly or through switches) are bound —
// ovn-controller keeps BFD sessions to the gateways only from those chassis.
//
// Incremental: the groups are re-read only when the distributed gateway
// ports, the external ports or the NB HA/gateway chassis tables changed; the
// bound chassis are gathered only while some gateway group has two members,
// per Switch object; an unchanged group keeps its object.
import { deriveContext, type CompileContext, type NbView, type SbView } from './context.js';
import type { DesiredHaChassis, DesiredHaChassisGroup } from './desired.js';
import type { NbHAChassisGroup, NbLogicalRouterPort, NbLogicalSwitchPort } from '../model/nb.js';
import type { RouterPort, Switch, SwitchPort, Topology } from './topology.js';
import { sortedUuids } from './hmap.js';

/** The SB group of a distributed gateway port: its NB group's name, else the port's own name (Gateway_Chassis). */
export function dgpGroupName(nb: NbView, lrp: NbLogicalRouterPort): string | undefined {
  const g = nbGroup(nb, lrp.ha_chassis_group);
  if (g) return g.name;
  return lrp.gateway_chassis.length ? lrp.name : undefined;
}

/** The NB group a port names (a reference to a missing row counts as none, as in the IDL). */
function nbGroup(nb: NbView, uuid: string | undefined): NbHAChassisGroup | undefined {
  return uuid !== undefined ? nb.HA_Chassis_Group.get(uuid) : undefined;
}

/** The SB group of an external port: its NB group's name. */
export function externalGroupName(nb: NbView, lsp: NbLogicalSwitchPort): string | undefined {
  return lsp.type === 'external' ? nbGroup(nb, lsp.ha_chassis_group)?.name : undefined;
}

/** An NB group's members, in the order of its ha_chassis column. */
function nbGroupMembers(nb: NbView, groupUuid: string): DesiredHaChassis[] {
  const g = nb.HA_Chassis_Group.get(groupUuid);
  const out: DesiredHaChassis[] = [];
  for (const u of sortedUuids(g?.ha_chassis ?? [])) {
    const c = nb.HA_Chassis.get(u);
    if (c) out.push({ chassisName: c.chassis_name, priority: c.priority });
  }
  return out;
}

function gatewayChassisMembers(nb: NbView, lrp: NbLogicalRouterPort): DesiredHaChassis[] {
  const out: DesiredHaChassis[] = [];
  for (const u of sortedUuids(lrp.gateway_chassis)) {
    const c = nb.Gateway_Chassis.get(u);
    if (c) out.push({ chassisName: c.chassis_name, priority: c.priority });
  }
  return out;
}

interface GroupDef {
  readonly members: readonly DesiredHaChassis[];
}

/**
 * The groups the ports ask for.  A name asked for twice keeps its first
 * definition: NB groups first, then the ports' Gateway_Chassis groups (the
 * reference would rewrite the one SB row back and forth).
 */
function groupDefs(ctx: CompileContext, dgps: readonly NbLogicalRouterPort[], externals: readonly NbLogicalSwitchPort[]): Map<string, GroupDef> {
  const nb = ctx.nb;
  const defs = new Map<string, GroupDef>();
  const fromNb = (groupUuid: string | undefined): void => {
    const g = nbGroup(nb, groupUuid);
    if (g && !defs.has(g.name)) defs.set(g.name, { members: nbGroupMembers(nb, g._uuid) });
  };
  for (const lrp of dgps) {
    if (nbGroup(nb, lrp.ha_chassis_group) && lrp.gateway_chassis.length) {
      ctx.warn('ha-chassis-group-and-gateway-chassis', `Both ha_chassis_group and gateway_chassis configured on port ${lrp.name}; ignoring the latter.`);
    }
    fromNb(lrp.ha_chassis_group);
  }
  for (const lsp of externals) fromNb(lsp.ha_chassis_group);
  for (const lrp of dgps) {
    if (nbGroup(nb, lrp.ha_chassis_group) || !lrp.gateway_chassis.length) continue;
    if (defs.has(lrp.name)) {
      ctx.warn('ha-chassis-group-name', `HA chassis group ${lrp.name} is both an NB HA_Chassis_Group and the gateway chassis of the port of that name; the NB group is used`);
      continue;
    }
    defs.set(lrp.name, { members: gatewayChassisMembers(nb, lrp) });
  }
  return defs;
}

/** Union-find over router UUIDs: the reference's logical router groups. */
class RouterGroups {
  private readonly parent = new Map<string, string>();
  find(u: string): string {
    let p = this.parent.get(u) ?? u;
    if (p === u) return u;
    p = this.find(p);
    this.parent.set(u, p);
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** The chassis (SB UUIDs) a switch's ports are bound to, per Switch object (its ports' bindings are part of it). */
const boundChassisMemo = new WeakMap<Switch, readonly string[]>();
function boundChassis(sw: Switch): readonly string[] {
  let r = boundChassisMemo.get(sw);
  if (!r) {
    const s = new Set<string>();
    for (const p of sw.ports) if (p.sb?.chassis !== undefined) s.add(p.sb.chassis);
    boundChassisMemo.set(sw, (r = [...s]));
  }
  return r;
}

/**
 * ref_chassis of the gateway groups in `multi` (groups of distributed gateway
 * ports with more than one member): chassis names, sorted.
 */
export function refChassisByGroup(
  topo: Pick<Topology, 'routers' | 'switches' | 'lrpByName'>,
  sb: Pick<SbView, 'Chassis'>,
  groupOf: (rp: RouterPort) => string | undefined,
  multi: ReadonlySet<string>,
): Map<string, readonly string[]> {
  const groups = new RouterGroups();
  const routed = topo.switches.filter((sw) => sw.routerPorts.length > 0);
  for (const sw of routed) {
    const first = sw.routerPorts[0]!.peer!.routerUuid;
    for (const p of sw.routerPorts) groups.union(first, p.peer!.routerUuid);
  }
  for (const r of topo.routers) {
    for (const rp of r.ports) {
      const peer = rp.peerName !== undefined ? topo.lrpByName.get(rp.peerName) : undefined;
      if (peer) groups.union(r.uuid, peer.routerUuid);
    }
  }
  // Gateway groups per router group, then the chassis bound behind each router group.
  const namesOf = new Map<string, Set<string>>();
  for (const r of topo.routers) {
    for (const rp of r.l3dgwPorts) {
      const name = groupOf(rp);
      if (name === undefined || !multi.has(name)) continue;
      const root = groups.find(r.uuid);
      let s = namesOf.get(root);
      if (!s) namesOf.set(root, (s = new Set()));
      s.add(name);
    }
  }
  const refs = new Map<string, Set<string>>();
  for (const sw of routed) {
    const names = namesOf.get(groups.find(sw.routerPorts[0]!.peer!.routerUuid));
    if (!names) continue;
    for (const ch of boundChassis(sw)) {
      const name = sb.Chassis.get(ch)?.name;
      if (name === undefined) continue;
      for (const g of names) {
        let s = refs.get(g);
        if (!s) refs.set(g, (s = new Set()));
        s.add(name);
      }
    }
  }
  return new Map([...refs].map(([g, s]) => [g, [...s].sort()] as const));
}

/** The external ports of a switch that name an HA chassis group, per Switch object. */
const externalsMemo = new WeakMap<Switch, readonly SwitchPort[]>();
function externalPorts(sw: Switch): readonly SwitchPort[] {
  let r = externalsMemo.get(sw);
  if (!r) externalsMemo.set(sw, (r = sw.ports.filter((p) => p.type === 'external' && p.nb.ha_chassis_group !== undefined)));
  return r;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameMembers(a: readonly DesiredHaChassis[], b: readonly DesiredHaChassis[]): boolean {
  return a.length === b.length && a.every((m, i) => m.chassisName === b[i]!.chassisName && m.priority === b[i]!.priority);
}

const NONE: readonly string[] = [];

/** The desired SB HA chassis groups, kept from run to run (one per Compiler). */
export class HaChassisSync {
  private inputs: readonly unknown[] = [];
  private defs = new Map<string, GroupDef>();
  private warnings: readonly [string, string][] = [];
  private refInputs: readonly unknown[] = [];
  private refs = new Map<string, readonly string[]>();
  private out: ReadonlyMap<string, DesiredHaChassisGroup> = new Map();

  /** The groups; `warn` gets this run's warnings (kept with the memoised groups). */
  update(ctx: CompileContext, topo: Topology, warn: (key: string, message: string) => void): ReadonlyMap<string, DesiredHaChassisGroup> {
    const dgpPorts: RouterPort[] = [];
    for (const r of topo.routers) for (const rp of r.l3dgwPorts) dgpPorts.push(rp);
    const externals: NbLogicalSwitchPort[] = [];
    for (const sw of topo.switches) for (const p of externalPorts(sw)) externals.push(p.nb);
    const dgps = dgpPorts.map((rp) => rp.nb);
    const inputs: unknown[] = [ctx.nb.HA_Chassis_Group, ctx.nb.HA_Chassis, ctx.nb.Gateway_Chassis, dgps.length, ...dgps, ...externals];
    let changed = false;
    if (!sameList(inputs, this.inputs)) {
      const warnings: [string, string][] = [];
      this.defs = groupDefs(deriveContext(ctx, { warn: (k, m) => warnings.push([k, m]) }), dgps, externals);
      this.warnings = warnings;
      this.inputs = inputs;
      changed = true;
    }
    for (const [k, m] of this.warnings) warn(k, m);

    // ref_chassis: only gateway groups with more than one member have any.
    const groupOf = (rp: RouterPort): string | undefined => dgpGroupName(ctx.nb, rp.nb);
    const multi = new Set<string>();
    for (const rp of dgpPorts) {
      const name = groupOf(rp);
      if (name !== undefined && (this.defs.get(name)?.members.length ?? 0) > 1) multi.add(name);
    }
    if (multi.size) {
      const routed: unknown[] = [];
      for (const sw of topo.switches) if (sw.routerPorts.length) routed.push(sw);
      const refInputs: unknown[] = [this.defs, ctx.sb.Chassis, topo.routers.length, ...topo.routers, ...routed];
      if (!sameList(refInputs, this.refInputs)) {
        const refs = refChassisByGroup(topo, ctx.sb, groupOf, multi);
        if (refs.size !== this.refs.size || [...refs].some(([g, l]) => !sameList(l, this.refs.get(g) ?? NONE))) changed = true;
        this.refs = refs;
        this.refInputs = refInputs;
      }
    } else if (this.refs.size) {
      this.refs = new Map();
      this.refInputs = [];
      changed = true;
    }
    if (!changed) return this.out;

    const prev = this.out;
    const out = new Map<string, DesiredHaChassisGroup>();
    for (const [name, def] of this.defs) {
      const refChassis = this.refs.get(name) ?? NONE;
      const old = prev.get(name);
      out.set(
        name,
        old && sameMembers(old.members, def.members) && sameList(old.refChassis, refChassis) ? old : { name, members: def.members, refChassis },
      );
    }
    const same = out.size === prev.size && [...out].every(([k, v]) => prev.get(k) === v);
    if (!same) this.out = out;
    return this.out;
  }
}
