// Tunnel keys for datapaths, logical ports and multicast groups, allocated
// as the reference does (northd.c build_datapaths() and build_ports()):
//
//  1. keys requested through `requested-tnl-key` (switch other_config,
//     router options, port options) are taken first, rows already in SB
//     before new ones; a key already taken is refused with a warning;
//  2. keys already in SB are kept where they do not conflict;
//  3. every datapath/port still without a key gets the next free one after
//     a hint, wrapping around.  Datapaths: hint starts at 0 (so the lowest
//     free key from 1 is used); ports: one hint per datapath, which is the
//     highest key taken so far on that datapath.
//
// The order within each step is the reference's list order: rows present
// in both NB and SB first, then NB-only rows; for datapaths both lists are
// in NB table order (switches, then routers), for ports the "both" list is
// in SB Port_Binding table order and the NB-only list in join order.  Table
// order is an IDL hash-map walk, reproduced by hmap.ts assuming rows were
// received in UUID order (see idlOrder); it can differ from the real daemon
// only when two rows of a table fall into the same hash bucket.
import { memoWithWarnings, recordingWarnings, replayWarnings, type CompileContext } from './context.js';
import type { NbLogicalSwitchPort } from '../model/nb.js';
import type { SbPortBinding } from '../model/sb.js';
import { idlOrder } from './hmap.js';
import { smapGetInt, type Topology } from './topology.js';

export const OVN_MAX_DP_KEY = (1 << 24) - 1;
export const OVN_MAX_DP_GLOBAL_NUM = (1 << 16) - 1;
export const OVN_MAX_DP_KEY_LOCAL = OVN_MAX_DP_KEY - OVN_MAX_DP_GLOBAL_NUM;
export const OVN_MAX_DP_VXLAN_KEY = (1 << 12) - 1;
export const OVN_VXLAN_MIN_MULTICAST = 2048;

/** Fixed multicast group keys (lib/mcast-group-index.h). */
export const MC_KEYS = {
  _MC_flood: 32768,
  _MC_unknown: 32769,
  _MC_mrouter_flood: 32770,
  _MC_static: 32771,
  _MC_flood_l2: 32772,
} as const;
/** First key for IGMP-learnt groups. */
export const OVN_MIN_IP_MULTICAST = 32773;
export const OVN_MAX_IP_MULTICAST = 65535;

export interface TunnelKeys {
  /** NB switch/router UUID → datapath tunnel key (missing: exhausted). */
  readonly datapath: ReadonlyMap<string, number>;
  /** Router port name (LRP, cr-LRP) → port tunnel key. */
  readonly port: ReadonlyMap<string, number>;
  /** Switch NB UUID → its ports' keys (the same map object while the Switch object is). */
  readonly switchPorts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Router NB UUID → its ports' keys, chassisredirect ports included (the same map object while the Router object is). */
  readonly routerPorts: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** is_vxlan_mode(): some chassis has a vxlan encap. */
export function isVxlanMode(ctx: CompileContext): boolean {
  for (const ch of ctx.sb.Chassis.values()) {
    for (const eu of ch.encaps) if (ctx.sb.Encap.get(eu)?.type === 'vxlan') return true;
  }
  return false;
}

/** A set of used keys plus the reference's wrap-around allocator. */
class KeySet {
  private readonly used = new Set<number>();
  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {}
  add(k: number): boolean {
    if (this.used.has(k)) return false;
    this.used.add(k);
    return true;
  }
  /** ovn_allocate_tnlid(): first free key after `hint` (wrapping), or 0. */
  allocate(hint: number): number {
    const next = (k: number): number => (k + 1 <= this.max ? k + 1 : this.min);
    let budget = this.max - this.min + 1;
    for (let k = next(hint); k !== hint && budget > 0; k = next(k), budget--) {
      if (this.add(k)) return k;
    }
    return 0;
  }
}

/** lsp_is_type_changed() with update_sbrec: the SB row is replaced by a new one. */
export function lspTypeChangeReplacesRow(sb: SbPortBinding, nbsp: NbLogicalSwitchPort): boolean {
  if (!sb.type && !nbsp.type) {
    return (sb.parent_port === undefined) !== (nbsp.parent_name === undefined);
  }
  const changed = sb.type && nbsp.type ? sb.type !== nbsp.type : true;
  return changed && (sb.type === 'virtual' || nbsp.type === 'virtual');
}

type DpPort = {
  name: string;
  options: Readonly<Record<string, string>>;
  kind: 'switch' | 'router';
  sb: SbPortBinding | undefined;
};


/**
 * Keys of one datapath's ports, given in join order: requested keys first,
 * then the keys of ports already in SB, then the next free key after the
 * highest one taken (join_logical_ports moves a port onto the `both` list
 * while walking the NB, so both lists follow the join order).
 */
function allocateDpPortKeys(joinOrder: readonly DpPort[], vxlan: boolean, warn: (key: string, message: string) => void): Map<string, number> {
  const portsBoth = joinOrder.filter((p) => p.sb !== undefined);
  const portsNbOnly = joinOrder.filter((p) => p.sb === undefined);
  const maxPortKey = (1 << ((vxlan ? 12 : 16) - 1)) - 1;
  const set = new KeySet(1, maxPortKey);
  let hint = 0;
  const portKeys = new Map<string, number>();
  const addKey = (p: DpPort, k: number): boolean => {
    if (!set.add(k)) return false;
    portKeys.set(p.name, k);
    if (k > hint) hint = k;
    return true;
  };
  for (const p of [...portsBoth, ...portsNbOnly]) {
    const k = smapGetInt(p.options, 'requested-tnl-key', 0) >>> 0;
    if (!k) continue;
    // Better than the reference, whose SB transaction the server then rejects forever: a key
    // the SB schema refuses is not used (the port gets one allocated) and said once.
    if (!vxlan && k > maxPortKey) {
      warn('port-tnl-key-range', `Tunnel key ${k} for port ${p.name} is out of range (1..${maxPortKey}): not used`);
      continue;
    }
    if (vxlan && k >= OVN_VXLAN_MIN_MULTICAST) {
      warn('port-tnl-key-vxlan', `Tunnel key ${k} for port ${p.name} is incompatible with VXLAN`);
      continue;
    }
    if (!addKey(p, k)) {
      warn('port-tnl-key-dup', `Logical ${p.kind} port ${p.name} requests same tunnel key ${k} as another LSP or LRP`);
    }
  }
  for (const p of portsBoth) if (!portKeys.has(p.name)) addKey(p, p.sb!.tunnel_key);
  for (const p of [...portsBoth, ...portsNbOnly]) {
    if (portKeys.has(p.name)) continue;
    const k = set.allocate(hint);
    if (!k) {
      warn('port-tnl-key-exhausted', 'all port tunnel ids exhausted');
      continue;
    }
    hint = k;
    portKeys.set(p.name, k);
  }
  return portKeys;
}

export function allocateTunnelKeys(ctx: CompileContext, topo: Topology): TunnelKeys {
  const vxlan = isVxlanMode(ctx);

  const dpKeys = memoDatapathKeys(ctx, topo, vxlan);

  // ---------------------------------------------------------------- ports
  // Port keys are unique per datapath, so each datapath's ports are allocated on
  // their own (in join order); a datapath's result is reused while its Switch or
  // Router object (ports, their NB and SB rows) and the VXLAN mode are the same.
  const switchPorts = new Map<string, ReadonlyMap<string, number>>();
  const routerPorts = new Map<string, ReadonlyMap<string, number>>();
  const byDp = new Map<string, ReadonlyMap<string, number>>();
  /** SB bindings by logical_port, for chassisredirect ports (built on first use). */
  let sbByName: Map<string, SbPortBinding[]> | undefined;
  const crBinding = (name: string, datapath: string): SbPortBinding | undefined => {
    if (!sbByName) {
      sbByName = new Map();
      for (const pb of ctx.sb.Port_Binding.values()) {
        const l = sbByName.get(pb.logical_port);
        if (l) l.push(pb);
        else sbByName.set(pb.logical_port, [pb]);
      }
    }
    return sbByName.get(name)?.find((pb) => pb.datapath === datapath);
  };
  for (const d of topo.datapathOrder) {
    let keys: ReadonlyMap<string, number>;
    if (d.kind === 'switch') {
      const sw = d.sw;
      keys = memoWithWarnings(ctx, ctx.memo.portKeys, sw, [vxlan], (c) => {
        const ports: DpPort[] = sw.ports.map((p) => ({
          name: p.name,
          options: p.nb.options,
          kind: 'switch',
          sb: p.sb && !lspTypeChangeReplacesRow(p.sb, p.nb) ? p.sb : undefined,
        }));
        return allocateDpPortKeys(ports, vxlan, c.warn);
      });
      switchPorts.set(sw.uuid, keys);
      byDp.set(sw.uuid, keys);
    } else {
      const rtr = d.rtr;
      // A chassisredirect port's SB row is looked up by name: an input of its own.
      const crRows = rtr.l3dgwPorts.map((p) => (p.sb !== undefined ? crBinding(p.crName!, p.sb.datapath) : undefined));
      keys = memoWithWarnings(ctx, ctx.memo.routerPortKeys, rtr, [vxlan, ...crRows], (c) => {
        const ports: DpPort[] = [];
        for (const p of rtr.ports) {
          ports.push({ name: p.name, options: p.nb.options, kind: 'router', sb: p.sb });
          if (p.crName !== undefined) ports.push({ name: p.crName, options: p.nb.options, kind: 'router', sb: p.sb !== undefined ? crBinding(p.crName, p.sb.datapath) : undefined });
        }
        return allocateDpPortKeys(ports, vxlan, c.warn);
      });
      routerPorts.set(rtr.uuid, keys);
      byDp.set(rtr.uuid, keys);
    }
  }
  return { datapath: dpKeys, port: portKeysByName(ctx.memo.portKeyMap, byDp), switchPorts, routerPorts };
}

/**
 * Every port's key by name, edited from the last run's map: only the datapaths whose key
 * maps are new objects are taken out and put back (port names are unique across datapaths).
 */
function portKeysByName(
  memo: { byDp: ReadonlyMap<string, ReadonlyMap<string, number>>; all: Map<string, number> },
  byDp: ReadonlyMap<string, ReadonlyMap<string, number>>,
): ReadonlyMap<string, number> {
  const all = memo.all;
  const added: ReadonlyMap<string, number>[] = [];
  for (const [u, keys] of byDp) {
    const old = memo.byDp.get(u);
    if (old === keys) continue;
    if (old) for (const n of old.keys()) all.delete(n);
    added.push(keys);
  }
  // With nothing new and as many datapaths, every datapath is one of the last run's.
  if (added.length || memo.byDp.size !== byDp.size) for (const [u, old] of memo.byDp) if (!byDp.has(u)) for (const n of old.keys()) all.delete(n);
  for (const keys of added) for (const [n, k] of keys) all.set(n, k);
  memo.byDp = byDp;
  return all;
}

/**
 * The datapath half of allocateTunnelKeys(), reused (with its warnings) while the SB
 * datapath table, the VXLAN mode and every datapath's row fields it reads are the same:
 * the usual case of a port or load balancer change, where sorting 500 switches into the
 * IDL's order would be most of the work.
 */
function memoDatapathKeys(ctx: CompileContext, topo: Topology, vxlan: boolean): Map<string, number> {
  const inputs: unknown[] = [ctx.sb.Datapath_Binding, vxlan];
  for (const s of topo.switches) inputs.push(s.nb._uuid, s.nb.name, s.nb.other_config);
  for (const r of topo.routers) inputs.push(r.nb._uuid, r.nb.name, r.nb.options);
  const m = ctx.memo.datapathKeys;
  if (m && m.inputs.length === inputs.length && m.inputs.every((x, i) => x === inputs[i])) {
    replayWarnings(ctx, m.warnings);
    return m.value;
  }
  const rec = recordingWarnings(ctx);
  const value = allocateDatapathKeys(rec.ctx, topo, vxlan);
  ctx.memo.datapathKeys = { inputs, value, warnings: rec.warnings };
  return value;
}

function allocateDatapathKeys(ctx: CompileContext, topo: Topology, vxlan: boolean): Map<string, number> {
  const sbKeyByNb = new Map<string, number>();
  const seenNb = new Set<string>();
  for (const dp of idlOrder(ctx.sb.Datapath_Binding.values())) {
    const key = dp.external_ids['logical-switch'] ?? dp.external_ids['logical-router'];
    if (key === undefined || seenNb.has(key)) continue;
    seenNb.add(key);
    sbKeyByNb.set(key, dp.tunnel_key);
  }
  type Dp = { uuid: string; name: string; kind: 'switch' | 'router'; req: Readonly<Record<string, string>> };
  const nbDps: Dp[] = [
    ...idlOrder(topo.switches.map((s) => s.nb)).map((s) => ({
      uuid: s._uuid,
      name: s.name,
      kind: 'switch' as const,
      req: s.other_config,
    })),
    ...idlOrder(topo.routers.map((r) => r.nb)).map((r) => ({
      uuid: r._uuid,
      name: r.name,
      kind: 'router' as const,
      req: r.options,
    })),
  ];
  const both = nbDps.filter((d) => sbKeyByNb.has(d.uuid));
  const nbOnly = nbDps.filter((d) => !sbKeyByNb.has(d.uuid));
  const dpKeys = new Map<string, number>();
  const dpSet = new KeySet(1, vxlan ? OVN_MAX_DP_VXLAN_KEY : OVN_MAX_DP_KEY_LOCAL);
  for (const d of [...both, ...nbOnly]) {
    const k = smapGetInt(d.req, 'requested-tnl-key', 0) >>> 0;
    if (!k) continue;
    if (k > OVN_MAX_DP_KEY) {
      ctx.warn('tnl-key-range', `Tunnel key ${k} for datapath ${d.name} is out of range (1..${OVN_MAX_DP_KEY}): not used`);
      continue;
    }
    if (d.req['interconn-ts'] === undefined && vxlan && k >= 1 << 12) {
      ctx.warn('tnl-key-vxlan', `Tunnel key ${k} for datapath ${d.name} is incompatible with VXLAN`);
      continue;
    }
    if (dpSet.add(k)) dpKeys.set(d.uuid, k);
    else {
      ctx.warn(
        'tnl-key-dup',
        `Logical ${d.kind} ${d.name} requests same tunnel key ${k} as another logical switch or router`,
      );
    }
  }
  for (const d of both) {
    if (!dpKeys.has(d.uuid) && dpSet.add(sbKeyByNb.get(d.uuid)!)) dpKeys.set(d.uuid, sbKeyByNb.get(d.uuid)!);
  }
  let dpHint = 0;
  for (const d of [...both, ...nbOnly]) {
    if (dpKeys.has(d.uuid)) continue;
    const k = dpSet.allocate(dpHint);
    if (!k) {
      ctx.warn('tnl-key-exhausted', 'all datapath tunnel ids exhausted');
      continue;
    }
    dpHint = k;
    dpKeys.set(d.uuid, k);
  }

  return dpKeys;
}
