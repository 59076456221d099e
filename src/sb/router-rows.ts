// The SB rows that are not flows and name datapaths or chassis: HA_Chassis_Group (with
// its HA_Chassis children) by name, Static_MAC_Binding by (logical_port, ip),
// BFD by (logical_port, dst_ip), DNS by external_ids:dns_id and Service_Monitor by
// (ip, port, protocol, logical_port).  The full diff compares every row; the
// incremental one only the keys whose desired row or SB rows changed.
// HA groups go first: Port_Binding rows refer to them.
import type { SbView } from '../compile/context.js';
import { KEEP_SB_ROW, type DesiredBfd, type DesiredHaChassisGroup, type DesiredSb, type DesiredStaticMacBinding } from '../compile/desired.js';
import { staticMacBindingKey } from '../compile/static-mac-bindings.js';
import { bfdKey } from '../compile/bfd.js';
import type { SbBFD, SbDNS, SbHAChassisGroup, SbServiceMonitor, SbStaticMACBinding } from '../model/sb.js';
import { serviceMonitorKey, type DesiredServiceMonitor } from '../compile/lb/health.js';
import type { DesiredDns } from '../compile/dns.js';
import type { Cols, OpBuilder, Ref } from './differ.js';

export type KeyedRouterTable = 'Static_MAC_Binding' | 'BFD' | 'DNS' | 'Service_Monitor';

export interface RouterWants {
  readonly HA_Chassis_Group: ReadonlyMap<string, DesiredHaChassisGroup>;
  readonly Static_MAC_Binding: ReadonlyMap<string, DesiredStaticMacBinding | typeof KEEP_SB_ROW>;
  readonly BFD: ReadonlyMap<string, DesiredBfd>;
  readonly DNS: ReadonlyMap<string, DesiredDns>;
  readonly Service_Monitor: ReadonlyMap<string, DesiredServiceMonitor>;
}

export function routerWants(d: Pick<DesiredSb, 'haChassisGroups' | 'staticMacBindings' | 'bfd' | 'dns' | 'serviceMonitors'>): RouterWants {
  return { HA_Chassis_Group: d.haChassisGroups, Static_MAC_Binding: d.staticMacBindings, BFD: d.bfd, DNS: d.dns, Service_Monitor: d.serviceMonitors };
}

/** The natural key of an SB row of these tables. */
export const routerRowKey = {
  HA_Chassis_Group: (r: Pick<SbHAChassisGroup, 'name'>): string => r.name,
  Static_MAC_Binding: (r: Pick<SbStaticMACBinding, 'logical_port' | 'ip'>): string => staticMacBindingKey(r.logical_port, r.ip),
  BFD: (r: Pick<SbBFD, 'logical_port' | 'dst_ip'>): string => bfdKey(r.logical_port, r.dst_ip),
  /** A row without a valid dns_id is keyed '' (never desired: deleted). */
  DNS: (r: Pick<SbDNS, 'external_ids'>): string => r.external_ids['dns_id'] ?? '',
  Service_Monitor: (r: Pick<SbServiceMonitor, 'ip' | 'port' | 'protocol' | 'logical_port'>): string => serviceMonitorKey(r.ip, r.port, r.protocol ?? '', r.logical_port),
};

// ----------------------------------------------------------------- HA_Chassis_Group

/** SB Chassis UUID by name (chassis_lookup_by_name), per Chassis table version. */
const chassisByNameMemo = new WeakMap<object, ReadonlyMap<string, string>>();
export function chassisByName(sb: Pick<SbView, 'Chassis'>): ReadonlyMap<string, string> {
  let m = chassisByNameMemo.get(sb.Chassis);
  if (!m) {
    const out = new Map<string, string>();
    for (const c of sb.Chassis.values()) out.set(c.name, c._uuid);
    chassisByNameMemo.set(sb.Chassis, (m = out));
  }
  return m;
}

/**
 * Whether an SB group's HA_Chassis rows are the desired members, in any order:
 * chassis-name and priority equal, and the chassis reference set exactly when
 * a chassis of that name exists (chassis_group_list_changed()).
 */
function sameMembers(have: SbHAChassisGroup, want: DesiredHaChassisGroup, sb: SbView): boolean {
  if (have.ha_chassis.length !== want.members.length) return false;
  const byName = chassisByName(sb);
  const pending = want.members.map((m) => ({ name: m.chassisName, priority: m.priority, chassis: byName.get(m.chassisName) }));
  for (const u of have.ha_chassis) {
    const row = sb.HA_Chassis.get(u);
    if (!row) return false;
    const name = row.external_ids['chassis-name'];
    const i = pending.findIndex((p) => p.name === name && p.priority === row.priority && p.chassis === row.chassis);
    if (i < 0) return false;
    pending.splice(i, 1);
  }
  return true;
}

function refChassisUuids(want: DesiredHaChassisGroup, sb: SbView): string[] {
  const byName = chassisByName(sb);
  const out: string[] = [];
  for (const n of want.refChassis) {
    const u = byName.get(n);
    if (u !== undefined) out.push(u);
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}

/** Inserts or updates one group; a changed member list is replaced by new HA_Chassis rows (the old ones go with their last reference). */
export function syncHaGroup(b: OpBuilder, have: SbHAChassisGroup | undefined, want: DesiredHaChassisGroup, sb: SbView): Ref {
  const extra = [sb.HA_Chassis, sb.Chassis];
  if (have && b.memo?.isEqual(want, have, extra)) return have._uuid;
  const byName = chassisByName(sb);
  const members = (): Ref[] =>
    want.members.map((m) =>
      b.insert('HA_Chassis', { chassis: byName.get(m.chassisName), priority: m.priority, external_ids: { 'chassis-name': m.chassisName } }),
    );
  const refs = refChassisUuids(want, sb);
  if (!have) return b.insert('HA_Chassis_Group', { name: want.name, ha_chassis: members(), ref_chassis: refs });
  const cols: Cols = {};
  if (!sameMembers(have, want, sb)) cols['ha_chassis'] = members();
  if (!sameSet(have.ref_chassis, refs)) cols['ref_chassis'] = refs;
  if (Object.keys(cols).length) b.update('HA_Chassis_Group', have._uuid, cols);
  else b.memo?.setEqual(want, have, extra);
  return have._uuid;
}

/** Every group compared (the full diff); returns the groups' references by name. */
export function syncHaGroupsFull(b: OpBuilder, sb: SbView, want: RouterWants): Map<string, Ref> {
  const byName = new Map<string, SbHAChassisGroup>();
  for (const row of sb.HA_Chassis_Group.values()) {
    if (!want.HA_Chassis_Group.has(row.name) || byName.has(row.name)) b.delete('HA_Chassis_Group', row._uuid);
    else byName.set(row.name, row);
  }
  const refs = new Map<string, Ref>();
  for (const [name, w] of want.HA_Chassis_Group) refs.set(name, syncHaGroup(b, byName.get(name), w, sb));
  return refs;
}

/** Only `names` compared; returns the references of the groups it kept or inserted. */
export function syncHaGroupKeys(
  b: OpBuilder,
  sb: SbView,
  want: RouterWants,
  names: Iterable<string>,
  rowsOf: (name: string) => readonly SbHAChassisGroup[],
  /** A name it wrote, with the row it kept or inserted (undefined: none wanted). */
  onWrite: (name: string, kept: Ref | undefined) => void,
): Map<string, Ref> {
  const refs = new Map<string, Ref>();
  for (const name of names) {
    const before = b.ops.length;
    const w = want.HA_Chassis_Group.get(name);
    const have = b.keepFirst('HA_Chassis_Group', rowsOf(name), w !== undefined);
    if (w) refs.set(name, syncHaGroup(b, have, w, sb));
    if (b.ops.length !== before) onWrite(name, refs.get(name));
  }
  return refs;
}

// ----------------------------------------------------------------- Static_MAC_Binding, BFD

/** The datapath is written on insert only: the reference never moves an existing row. */
function syncStaticMacBinding(b: OpBuilder, have: SbStaticMACBinding | undefined, want: DesiredStaticMacBinding, dpRef: (nb: string) => Ref | undefined): void {
  if (have) {
    b.sync('Static_MAC_Binding', have, { mac: want.mac, override_dynamic_mac: want.override_dynamic_mac });
    return;
  }
  const dp = dpRef(want.datapath);
  if (dp === undefined) return;
  b.insert('Static_MAC_Binding', { logical_port: want.logical_port, ip: want.ip, mac: want.mac, override_dynamic_mac: want.override_dynamic_mac, datapath: dp });
}

/** The source port and discriminator are written on insert only (an existing session keeps its own). */
function syncBfd(b: OpBuilder, have: SbBFD | undefined, want: DesiredBfd): void {
  if (!have) {
    b.insert('BFD', { ...want });
    return;
  }
  b.syncMemo('BFD', have, want, [], () => ({ status: want.status, min_tx: want.min_tx, min_rx: want.min_rx, detect_mult: want.detect_mult }));
}

/** Records and datapaths; dns_id on insert. */
function syncDns(b: OpBuilder, have: SbDNS | undefined, id: string, want: DesiredDns, dpRef: (nb: string) => Ref | undefined): void {
  const dps: Ref[] = [];
  for (const d of want.datapaths) {
    const r = dpRef(d);
    if (r !== undefined) dps.push(r);
  }
  if (!dps.length) {
    // datapaths is 1..*: a row waits for its first datapath to exist.
    if (have) b.delete('DNS', have._uuid);
    return;
  }
  if (!have) b.insert('DNS', { records: want.records, datapaths: dps, external_ids: { dns_id: id } });
  else b.sync('DNS', have, { records: want.records, datapaths: dps });
}

/**
 * The monitored backend on insert; then the check's options, svc_monitor_mac and the source
 * IP; the status (ovn-controller's) only set offline while the port is down.
 */
function syncServiceMonitor(b: OpBuilder, have: SbServiceMonitor | undefined, want: DesiredServiceMonitor): void {
  const cols: Cols = { options: want.options, src_mac: want.src_mac, src_ip: want.src_ip };
  if (!have) {
    b.insert('Service_Monitor', { ip: want.ip, port: want.port, protocol: want.protocol, logical_port: want.logical_port, ...cols });
    return;
  }
  if (want.setOffline && have.status === 'online') cols['status'] = 'offline';
  b.sync('Service_Monitor', have, cols);
}

function syncKeyed(b: OpBuilder, table: KeyedRouterTable, have: unknown, want: RouterWants, key: string, dpRef: (nb: string) => Ref | undefined): void {
  if (table === 'Service_Monitor') {
    syncServiceMonitor(b, have as SbServiceMonitor | undefined, want.Service_Monitor.get(key)!);
    return;
  }
  if (table === 'DNS') {
    syncDns(b, have as SbDNS | undefined, key, want.DNS.get(key)!, dpRef);
    return;
  }
  if (table === 'BFD') {
    syncBfd(b, have as SbBFD | undefined, want.BFD.get(key)!);
    return;
  }
  const w = want.Static_MAC_Binding.get(key)!;
  if (w !== KEEP_SB_ROW) syncStaticMacBinding(b, have as SbStaticMACBinding | undefined, w, dpRef);
}

/**
 * Every row of Static_MAC_Binding, BFD, DNS and Service_Monitor compared (the full diff).  Rows on
 * `deletedDps` are left to the datapath cleanup (they go with their datapath).
 */
export function syncKeyedFull(b: OpBuilder, sb: SbView, want: RouterWants, dpRef: (nb: string) => Ref | undefined, deletedDps: ReadonlySet<string>): void {
  const tables: readonly { table: KeyedRouterTable; rows: Iterable<{ readonly _uuid: string }>; key: (r: never) => string; skip?: (r: never) => boolean }[] = [
    { table: 'Static_MAC_Binding', rows: sb.Static_MAC_Binding.values(), key: routerRowKey.Static_MAC_Binding, skip: (r: SbStaticMACBinding) => deletedDps.has(r.datapath) },
    { table: 'BFD', rows: sb.BFD.values(), key: routerRowKey.BFD },
    { table: 'DNS', rows: sb.DNS.values(), key: routerRowKey.DNS },
    { table: 'Service_Monitor', rows: sb.Service_Monitor.values(), key: routerRowKey.Service_Monitor },
  ];
  for (const t of tables) {
    const wanted = want[t.table] as ReadonlyMap<string, unknown>;
    const byKey = new Map<string, { readonly _uuid: string }>();
    for (const row of t.rows) {
      if (t.skip?.(row as never)) continue;
      const k = t.key(row as never);
      if (!wanted.has(k) || byKey.has(k)) b.delete(t.table, row._uuid);
      else byKey.set(k, row);
    }
    for (const k of wanted.keys()) syncKeyed(b, t.table, byKey.get(k), want, k, dpRef);
  }
}

/** Only `keys` of one table compared; `rowsOf` gives the SB rows of a key. */
export function syncKeyedKeys(
  b: OpBuilder,
  table: KeyedRouterTable,
  want: RouterWants,
  keys: Iterable<string>,
  rowsOf: (key: string) => readonly { readonly _uuid: string }[],
  dpRef: (nb: string) => Ref | undefined,
  onWrite: (key: string) => void,
): number {
  let n = 0;
  for (const key of keys) {
    n++;
    const before = b.ops.length;
    const wanted = want[table].has(key);
    const have = b.keepFirst(table, rowsOf(key), wanted);
    if (wanted) syncKeyed(b, table, have, want, key, dpRef);
    if (b.ops.length !== before) onWrite(key);
  }
  return n;
}
