// Compares the SB rows other than logical flows — Datapath_Binding,
// Port_Binding, Multicast_Group, Load_Balancer, IP_Multicast, Address_Set,
// Port_Group, Meter (with its bands), Chassis_Template_Var, DNS, Mirror (and Port_Binding mirror_rules), Service_Monitor (not its status: ovn-controller's), HA_Chassis_Group (with its HA_Chassis
// members), Static_MAC_Binding, BFD (but its random discriminator),
// SB_Global options — and the flows'
// controller_meter (not in `ovn-sbctl lflow-list`) between a reference SB and
// our desired SB, by natural keys with references rendered as names (SB
// UUIDs differ between databases; a Port_Group's "<tunnel key>_" prefix is
// rendered as its datapath's name through each side's own datapaths).
import type { SbView } from '../compile/context.js';
import { KEEP_SB_ROW, type DesiredPortBinding, type DesiredSb } from '../compile/desired.js';
import { compareBands } from '../compile/meters.js';

export type NormalRows = Map<string, string>;
export type NormalSb = Record<string, NormalRows>;

function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (Array.isArray(x)) return [...x].map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).sort();
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)));
    return x;
  });
}

function dpLabel(ext: Readonly<Record<string, string>>): string {
  const id = ext['logical-switch'] ?? ext['logical-router'] ?? '';
  return `${ext['name'] ?? ext['name2'] ?? ''}(${id})`;
}

/** The Port_Binding columns northd owns, with the datapath and HA chassis group as names. */
function portBindingShape(p: Omit<DesiredPortBinding, 'datapath' | 'haChassisGroup' | 'mirrorRules'>, datapath: string, haChassisGroup: string | undefined, mirrors: readonly string[]): string {
  return canon({
    mirror_rules: mirrors,
    datapath,
    ha_chassis_group: haChassisGroup ?? null,
    type: p.type,
    options: p.options,
    mac: p.mac,
    port_security: p.port_security,
    tag: p.tag ?? null,
    parent_port: p.parent_port ?? null,
    nat_addresses: p.nat_addresses,
    external_ids: p.external_ids,
    tunnel_key: p.tunnel_key,
  });
}

const lbOf = (rows: NormalSb, t: string) => (rows[t] ??= new Map());

/** "<tunnel key>_<group>" with the key rendered as its datapath's label. */
function portGroupName(name: string, dpByKey: (key: number) => string | undefined): string {
  const m = /^(\d+)_(.*)$/s.exec(name);
  const label = m ? dpByKey(Number(m[1])) : undefined;
  return m && label !== undefined ? `${label}_${m[2]}` : name;
}

/** An HA chassis group: members as "chassis-name:priority" (with the chassis reference when it names another chassis), ref_chassis by name. */
function haGroupShape(members: readonly string[], refChassis: readonly string[]): string {
  return canon({ members, ref_chassis: refChassis });
}

function bfdShape(b: { src_port: number; status: string; min_tx: number; min_rx: number; detect_mult: number }): string {
  return canon({ src_port: b.src_port, status: b.status, min_tx: b.min_tx, min_rx: b.min_rx, detect_mult: b.detect_mult });
}

const keyOf = (a: string, b: string): string => `${a}|${b}`;

function meterShape(unit: string, bands: readonly { action: string; rate: number; burst_size: number }[]): string {
  const sorted = bands.map((b) => ({ action: b.action, rate: b.rate, burst_size: b.burst_size })).sort(compareBands);
  return JSON.stringify({ unit, bands: sorted });
}

/** The key of a metered flow on one datapath. */
function meteredFlowKey(dp: string, pipeline: string, table: number, priority: number, match: string, actions: string): string {
  return `${dp}|${pipeline}|${table}|${priority}|${match}|${actions}`;
}

/** Normalised rows of a real SB. */
export interface NormaliseOptions {
  /** Leave tunnel keys out (for comparing two cold starts, whose allocation order may differ). */
  readonly withoutKeys?: boolean;
}

function dropKeys(out: NormalSb): NormalSb {
  for (const rows of Object.values(out)) {
    for (const [k, v] of rows) {
      const o = JSON.parse(v) as Record<string, unknown>;
      if (o && typeof o === 'object' && !Array.isArray(o) && 'tunnel_key' in o) {
        delete o['tunnel_key'];
        rows.set(k, JSON.stringify(o));
      }
    }
  }
  return out;
}

export function normaliseSb(sb: SbView, opts: NormaliseOptions = {}): NormalSb {
  const out: NormalSb = {};
  // Datapaths are named by their NB UUID (same in both databases: same NB snapshot) and name.
  const dpName = (uuid: string | undefined) => {
    const d = uuid !== undefined ? sb.Datapath_Binding.get(uuid) : undefined;
    return d ? dpLabel(d.external_ids) : `?${uuid}`;
  };
  const pbName = (uuid: string) => sb.Port_Binding.get(uuid)?.logical_port ?? `?${uuid}`;
  for (const d of sb.Datapath_Binding.values()) {
    lbOf(out, 'Datapath_Binding').set(dpName(d._uuid), canon({ tunnel_key: d.tunnel_key, external_ids: d.external_ids }));
  }
  const haName = (u: string | undefined) => (u === undefined ? undefined : (sb.HA_Chassis_Group.get(u)?.name ?? `?${u}`));
  for (const p of sb.Port_Binding.values()) {
    lbOf(out, 'Port_Binding').set(p.logical_port, portBindingShape(p, dpName(p.datapath), haName(p.ha_chassis_group), p.mirror_rules.map((u) => sb.Mirror.get(u)?.name ?? `?${u}`)));
  }
  const chassisName = (u: string | undefined) => (u === undefined ? undefined : (sb.Chassis.get(u)?.name ?? `?${u}`));
  for (const g of sb.HA_Chassis_Group.values()) {
    const members = g.ha_chassis.map((u) => {
      const c = sb.HA_Chassis.get(u);
      if (!c) return `?${u}`;
      const name = c.external_ids['chassis-name'] ?? '';
      const ref = chassisName(c.chassis);
      return `${name}:${c.priority}${ref !== undefined && ref !== name ? ` (chassis ${ref})` : ''}`;
    });
    lbOf(out, 'HA_Chassis_Group').set(g.name, haGroupShape(members, g.ref_chassis.map((u) => chassisName(u)!)));
  }
  for (const m of sb.Static_MAC_Binding.values()) {
    lbOf(out, 'Static_MAC_Binding').set(keyOf(m.logical_port, m.ip), canon({ mac: m.mac, override_dynamic_mac: m.override_dynamic_mac, datapath: dpName(m.datapath) }));
  }
  for (const b of sb.BFD.values()) lbOf(out, 'BFD').set(keyOf(b.logical_port, b.dst_ip), bfdShape(b));
  for (const m of sb.Multicast_Group.values()) {
    lbOf(out, 'Multicast_Group').set(`${dpName(m.datapath)}|${m.name}`, canon({ tunnel_key: m.tunnel_key, ports: m.ports.map(pbName) }));
  }
  for (const lb of sb.Load_Balancer.values()) {
    const dps = [...lb.datapaths];
    if (lb.datapath_group) dps.push(...(sb.Logical_DP_Group.get(lb.datapath_group)?.datapaths ?? []));
    lbOf(out, 'Load_Balancer').set(
      lb.external_ids['lb_id'] ?? lb.name,
      canon({ name: lb.name, vips: lb.vips, protocol: lb.protocol ?? null, options: lb.options, external_ids: lb.external_ids, datapaths: dps.map(dpName) }),
    );
  }
  for (const r of sb.IP_Multicast.values()) {
    const { _uuid, datapath, seq_no: _s, ...rest } = r;
    lbOf(out, 'IP_Multicast').set(dpName(datapath), canon(rest));
  }
  for (const a of sb.Address_Set.values()) lbOf(out, 'Address_Set').set(a.name, canon(a.addresses));
  const dpByKey = new Map<number, string>();
  for (const d of sb.Datapath_Binding.values()) dpByKey.set(d.tunnel_key, dpLabel(d.external_ids));
  for (const g of sb.Port_Group.values()) lbOf(out, 'Port_Group').set(portGroupName(g.name, (k) => dpByKey.get(k)), canon(g.ports));
  for (const m of sb.Meter.values()) {
    const bands = m.bands.map((u) => sb.Meter_Band.get(u) ?? { action: `?${u}`, rate: 0, burst_size: 0 });
    lbOf(out, 'Meter').set(m.name, meterShape(m.unit, bands));
  }
  for (const t of sb.Chassis_Template_Var.values()) lbOf(out, 'Chassis_Template_Var').set(t.chassis, canon(t.variables));
  for (const m of sb.Mirror.values()) lbOf(out, 'Mirror').set(m.name, canon({ filter: m.filter, index: m.index, sink: m.sink, type: m.type }));
  for (const m of sb.Service_Monitor.values()) {
    lbOf(out, 'Service_Monitor').set(`${m.ip}|${m.port}|${m.protocol ?? ''}|${m.logical_port}`, canon({ options: m.options, src_mac: m.src_mac, src_ip: m.src_ip }));
  }
  for (const r of sb.DNS.values()) {
    lbOf(out, 'DNS').set(r.external_ids['dns_id'] ?? `?${r._uuid}`, canon({ records: r.records, datapaths: r.datapaths.map(dpName) }));
  }
  for (const lf of sb.Logical_Flow.values()) {
    if (lf.controller_meter === undefined) continue;
    const dps = lf.logical_datapath !== undefined ? [lf.logical_datapath] : [];
    if (lf.logical_dp_group !== undefined) dps.push(...(sb.Logical_DP_Group.get(lf.logical_dp_group)?.datapaths ?? []));
    for (const dp of dps) {
      lbOf(out, 'Logical_Flow controller_meter').set(meteredFlowKey(dpName(dp), lf.pipeline, lf.table_id, lf.priority, lf.match, lf.actions), JSON.stringify(lf.controller_meter));
    }
  }
  for (const g of sb.SB_Global.values()) lbOf(out, 'SB_Global').set('.', canon(g.options));
  return opts.withoutKeys ? dropKeys(out) : out;
}

/** Normalised rows of our desired SB. */
export function normaliseDesired(d: DesiredSb): NormalSb {
  const out: NormalSb = {};
  const dpName = (nb: string) => {
    const dp = d.datapaths.get(nb);
    return dp ? dpLabel(dp.externalIds) : `?${nb}`;
  };
  for (const dp of d.datapaths.values()) {
    lbOf(out, 'Datapath_Binding').set(dpName(dp.nbUuid), canon({ tunnel_key: dp.tunnelKey, external_ids: dp.externalIds }));
  }
  for (const [name, p] of d.portBindings) {
    lbOf(out, 'Port_Binding').set(name, portBindingShape(p, dpName(p.datapath), p.haChassisGroup, p.mirrorRules ?? []));
  }
  for (const [name, g] of d.haChassisGroups) {
    lbOf(out, 'HA_Chassis_Group').set(name, haGroupShape(g.members.map((m) => `${m.chassisName}:${m.priority}`), g.refChassis));
  }
  for (const m of d.staticMacBindings.values()) {
    // A row only kept (not written) has no desired contents.
    if (m === KEEP_SB_ROW) continue;
    lbOf(out, 'Static_MAC_Binding').set(keyOf(m.logical_port, m.ip), canon({ mac: m.mac, override_dynamic_mac: m.override_dynamic_mac, datapath: dpName(m.datapath) }));
  }
  for (const b of d.bfd.values()) lbOf(out, 'BFD').set(keyOf(b.logical_port, b.dst_ip), bfdShape(b));
  for (const m of d.multicastGroups) {
    lbOf(out, 'Multicast_Group').set(`${dpName(m.datapath)}|${m.name}`, canon({ tunnel_key: m.tunnelKey, ports: m.ports }));
  }
  for (const [id, lb] of d.loadBalancers) {
    lbOf(out, 'Load_Balancer').set(
      id,
      canon({ name: lb.name, vips: lb.vips, protocol: lb.protocol ?? null, options: lb.options, external_ids: lb.external_ids, datapaths: lb.datapaths.map(dpName) }),
    );
  }
  for (const r of d.ipMulticast) {
    const { datapath, seq_no: _s, ...rest } = r;
    lbOf(out, 'IP_Multicast').set(dpName(datapath), canon(rest));
  }
  for (const [name, addrs] of d.addressSets) lbOf(out, 'Address_Set').set(name, canon(addrs));
  const dpByKey = new Map<number, string>();
  for (const dp of d.datapaths.values()) dpByKey.set(dp.tunnelKey, dpLabel(dp.externalIds));
  for (const [name, ports] of d.portGroups) lbOf(out, 'Port_Group').set(portGroupName(name, (k) => dpByKey.get(k)), canon(ports));
  for (const [name, m] of d.meters) lbOf(out, 'Meter').set(name, meterShape(m.unit, m.bands));
  for (const [chassis, vars] of d.templateVars) lbOf(out, 'Chassis_Template_Var').set(chassis, canon(vars));
  for (const [name, m] of d.mirrors) lbOf(out, 'Mirror').set(name, canon({ filter: m.filter, index: m.index, sink: m.sink, type: m.type }));
  for (const m of d.serviceMonitors.values()) {
    lbOf(out, 'Service_Monitor').set(`${m.ip}|${m.port}|${m.protocol}|${m.logical_port}`, canon({ options: m.options, src_mac: m.src_mac, src_ip: m.src_ip }));
  }
  for (const [id, r] of d.dns) lbOf(out, 'DNS').set(id, canon({ records: r.records, datapaths: r.datapaths.map(dpName) }));
  for (const { flow, datapaths } of d.flows.flows.values()) {
    if (flow.meter === undefined) continue;
    for (const dp of datapaths) {
      lbOf(out, 'Logical_Flow controller_meter').set(meteredFlowKey(dpName(dp), flow.stage.pipeline, flow.stage.table, flow.priority, flow.match, flow.actions), JSON.stringify(flow.meter));
    }
  }
  lbOf(out, 'SB_Global').set('.', canon(d.sbGlobalOptions));
  return out;
}

export interface RowComparison {
  readonly table: string;
  readonly matched: number;
  readonly total: number;
  readonly extra: number;
  readonly differences: readonly string[];
}

export function compareNormalSb(expected: NormalSb, actual: NormalSb): RowComparison[] {
  const tables = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return tables.map((table) => {
    const e = expected[table] ?? new Map();
    const a = actual[table] ?? new Map();
    let matched = 0;
    const differences: string[] = [];
    for (const [k, v] of e) {
      const got = a.get(k);
      if (got === v) matched++;
      else differences.push(got === undefined ? `${table} ${k}: missing (want ${v})` : `${table} ${k}: want ${v}\n${' '.repeat(table.length + k.length + 3)}got  ${got}`);
    }
    let extra = 0;
    for (const k of a.keys()) {
      if (!e.has(k)) {
        extra++;
        differences.push(`${table} ${k}: extra ${a.get(k)}`);
      }
    }
    return { table, matched, total: e.size, extra, differences };
  });
}
