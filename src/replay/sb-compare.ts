// Compares the SB rows other than logical flows — Datapath_Binding,
// Port_Binding, Multicast_Group, Load_Balancer, IP_Multicast, Address_Set,
// SB_Global options — between a reference SB and our desired SB, by natural
// keys with references rendered as names (SB UUIDs differ between databases).
import type { SbView } from '../compile/context.js';
import type { DesiredPortBinding, DesiredSb } from '../compile/desired.js';

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

/** The Port_Binding columns northd owns, with the datapath as a name. */
function portBindingShape(p: Omit<DesiredPortBinding, 'datapath'>, datapath: string): string {
  return canon({
    datapath,
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
  for (const p of sb.Port_Binding.values()) {
    lbOf(out, 'Port_Binding').set(p.logical_port, portBindingShape(p, dpName(p.datapath)));
  }
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
    lbOf(out, 'Port_Binding').set(name, portBindingShape(p, dpName(p.datapath)));
  }
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
