// Turns the compiler's desired SB contents into the minimal list of OVSDB
// operations against the current SB contents: rows are matched by natural
// keys, unchanged rows produce nothing, changed rows are updated column by
// column, and rows northd does not own are never touched (except the
// MAC_Binding rows of a deleted datapath, which the SB would refuse to keep).
import { ops, type Operation } from '../ovsdb/operations.js';
import { datumEqual, encodeRow, namedUuid, type NamedUuid } from '../ovsdb/datum.js';
import { resolveRefs, type OwnInserts } from './own-inserts.js';
import { encodeFlowInsert } from './lflow-insert.js';
import type { SbView } from '../compile/context.js';
import type { DesiredIpMulticast, DesiredLoadBalancer, DesiredMulticastGroup, DesiredPortBinding, DesiredSb } from '../compile/desired.js';
import type { MergedFlow } from '../compile/lflow.js';
import type { SbLoadBalancer, SbLogicalDPGroup, SbLogicalFlow, SbPortBinding } from '../model/sb.js';
import { flowContentKey, type SbFlowIndex } from './flow-index.js';
import { DHCPV4_OPTIONS, DHCPV6_OPTIONS, RBAC_PERMISSIONS, RBAC_ROLE_NAME } from './static-rows.js';
import { namedWants, syncNamedTable, type NamedTable } from './named-rows.js';
import { routerWants, syncHaGroupsFull, syncKeyedFull } from './router-rows.js';
import { syncMirrorsFull } from './mirror-rows.js';

/** The tables northd keys by name (src/sb/named-rows.ts). */
export const NAMED_TABLES: readonly NamedTable[] = ['Address_Set', 'Port_Group', 'Meter', 'Chassis_Template_Var'];

export type Ref = string | NamedUuid;
export type Cols = Record<string, unknown>;

export interface TableCounts {
  insert: number;
  update: number;
  delete: number;
}

export interface SbDiff {
  readonly ops: Operation[];
  readonly counts: Record<string, TableCounts>;
  /** What the diff resolved datapaths to (the incremental differ starts from it). */
  readonly basis: DiffBasis;
}

export interface DiffBasis {
  /** SB Datapath_Binding UUID → NB switch/router UUID, for the rows kept. */
  readonly sbDpToNb: ReadonlyMap<string, string>;
  /** SB datapaths the diff deletes. */
  readonly deletedDps: ReadonlySet<string>;
  /** The DiffMemo token of this datapath mapping. */
  readonly epoch: object;
}

function sortedStrings(xs: Iterable<string>): string[] {
  return [...xs].sort();
}

/**
 * A datapath set as a sorted list and its signature.  Flow datapath sets are
 * immutable and shared (one per load balancer's switch list), so the result
 * is cached per set object: a switch joining a group of 500 switches changes
 * thousands of flows but only a few distinct sets.
 */
const sortedSetCache = new WeakMap<object, SortedDatapaths>();

export interface SortedDatapaths {
  readonly list: readonly string[];
  readonly sig: string;
}

/**
 * One record (so one signature string) per distinct content.  A signature of
 * 500 datapaths is ≈ 18 KB: two equal but distinct string objects are compared
 * character by character on every Map lookup and ===, which for thousands of
 * flows on one group was most of a diff; the same object compares at once.
 * A cache: bounded by the characters it holds, and forgetting only costs speed.
 */
const canonicalSigs = new Map<string, SortedDatapaths>();
let canonicalChars = 0;
const CANONICAL_MAX_CHARS = 8 << 20;

function canonicalRecord(list: readonly string[]): SortedDatapaths {
  const sig = list.join(',');
  const known = canonicalSigs.get(sig);
  if (known) return known;
  if (canonicalChars + sig.length > CANONICAL_MAX_CHARS) {
    canonicalSigs.clear();
    canonicalChars = 0;
  }
  const r = { list, sig };
  canonicalSigs.set(sig, r);
  canonicalChars += sig.length;
  return r;
}

/** The signature of a Logical_DP_Group row's NB datapaths; undefined when missing or naming an unknown datapath. */
export function groupSignature(row: SbLogicalDPGroup | undefined, sbDpToNb: ReadonlyMap<string, string>): string | undefined {
  if (!row) return undefined;
  const nbs: string[] = [];
  for (const d of row.datapaths) {
    const nb = sbDpToNb.get(d);
    if (nb === undefined) return undefined;
    nbs.push(nb);
  }
  return sortedDatapaths(nbs).sig;
}

export function sortedDatapaths(dps: Iterable<string>): SortedDatapaths {
  if (dps instanceof Set || Array.isArray(dps)) {
    let r = sortedSetCache.get(dps);
    if (!r) sortedSetCache.set(dps, (r = canonicalRecord(sortedStrings(dps))));
    return r;
  }
  return canonicalRecord(sortedStrings(dps));
}

/** Two set values with the same elements (usually in the same order: checked first). */
function sameSetValue(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && (a[i] === b[i] || String(a[i]) === String(b[i]))) i++;
  if (i === a.length) return true;
  return datumEqual(sortedStrings(a.map(String)), sortedStrings(b.map(String)));
}

/** Columns of `want` whose value differs from `have` (sets compared as sets). */
function changedColumns(have: Readonly<Record<string, unknown>>, want: Cols): Cols | undefined {
  let out: Cols | undefined;
  for (const k in want) {
    const v = want[k];
    const h = have[k];
    const eq = v === undefined ? h === undefined : Array.isArray(v) && Array.isArray(h) ? sameSetValue(v, h) : datumEqual(h, v);
    if (!eq) (out ??= {})[k] = v;
  }
  return out;
}

/**
 * What the differ keeps from one run to the next: the (desired row, SB row)
 * pairs it found equal, with the outside values the comparison used (the
 * datapath's SB UUID, the Chassis table, ...).  While all of them are the
 * same objects the pair is still equal and is not compared again, so an
 * incremental run costs a lookup per row instead of a column-by-column
 * comparison (desired rows are memoised by the compiler, SB rows by the
 * replica).  Also caches the datapath sets of Logical_DP_Group rows.
 */
export class DiffMemo {
  private readonly equal = new WeakMap<object, { have: object; extra: readonly unknown[] }>();
  private readonly groupSigs = new WeakMap<object, { dps: unknown; sig: string | undefined }>();
  private dpMap: ReadonlyMap<string, string> = new Map();
  private dpToken: object = {};

  /**
   * An object that stays the same while the SB → NB datapath mapping only grows: what
   * is memoised under it (equal rows, group signatures) names only datapaths mapped
   * then, whose mapping is unchanged.  An undefined group signature (a datapath not
   * mapped yet) is not kept, so a group naming a datapath mapped since is signed again.
   * A datapath added (a switch) then keeps every other group's signature.
   */
  dpEpoch(sbDpToNb: ReadonlyMap<string, string>): object {
    let grown = sbDpToNb.size >= this.dpMap.size;
    if (grown) for (const [k, v] of this.dpMap) if (sbDpToNb.get(k) !== v) (grown = false);
    if (!grown) this.dpToken = {};
    if (sbDpToNb.size !== this.dpMap.size || !grown) this.dpMap = new Map(sbDpToNb);
    return this.dpToken;
  }

  isEqual(want: object, have: object | undefined, extra: readonly unknown[]): boolean {
    if (!have) return false;
    const m = this.equal.get(want);
    if (!m || m.have !== have || m.extra.length !== extra.length) return false;
    for (let i = 0; i < extra.length; i++) if (m.extra[i] !== extra[i]) return false;
    return true;
  }

  setEqual(want: object, have: object, extra: readonly unknown[]): void {
    this.equal.set(want, { have, extra });
  }

  /** The sorted NB datapath list of a group row, cached per (row, datapath epoch). */
  groupSig(row: object, epoch: object, compute: () => string | undefined): string | undefined {
    const m = this.groupSigs.get(row);
    if (m && m.dps === epoch && m.sig !== undefined) return m.sig;
    const sig = compute();
    this.groupSigs.set(row, { dps: epoch, sig });
    return sig;
  }
}

const NO_ROW: Readonly<Record<string, unknown>> = Object.freeze({});
const FLOW_REF_COLUMNS = ['logical_datapath', 'logical_dp_group'] as const;

export class OpBuilder {
  readonly ops: Operation[] = [];
  readonly counts: Record<string, TableCounts> = {};
  private seq = 0;
  /** uuid-name → the UUID given to that row (with `own`). */
  private readonly uuids = new Map<string, string>();
  /**
   * With `own`, every insert carries its UUID; the rows of `own.tables` are
   * kept there, and Logical_Flow inserts (most of a cold start's ≈ 90,000
   * operations) are kept as their JSON text rather than as row objects:
   * nothing more to encode when the transaction is sent.
   */
  constructor(
    readonly memo: DiffMemo | undefined,
    private readonly own?: OwnInserts,
  ) {}

  private count(table: string, kind: keyof TableCounts): void {
    (this.counts[table] ??= { insert: 0, update: 0, delete: 0 })[kind]++;
  }
  insert(table: string, row: Cols): NamedUuid {
    const name = `row${this.seq++}`;
    this.count(table, 'insert');
    const own = this.own;
    if (!own) {
      this.ops.push(ops.insert(table, withoutDefaults(row), name));
      return namedUuid(name);
    }
    const uuid = own.newUuid();
    if (table !== 'Logical_Flow') this.uuids.set(name, uuid); // nothing refers to a flow
    if (!own.tables.has(table)) {
      this.ops.push({ op: 'insert', table, row: withoutDefaults(row), uuidName: name, uuid });
      return namedUuid(name);
    }
    if (table === 'Logical_Flow') {
      // No uuid-name; the flow's own references (its only uuid columns) resolved.
      const cols: Cols = { ...row };
      for (const k of FLOW_REF_COLUMNS) if (cols[k] !== undefined) cols[k] = resolveRefs(cols[k], this.uuidOf);
      own.add(table, uuid, cols);
      this.ops.push({ op: 'insert', table, row: NO_ROW, uuid, encoded: encodeFlowInsert(uuid, cols) });
      return namedUuid(name);
    }
    const resolved: Cols = {};
    for (const [k, v] of Object.entries(withoutDefaults(row))) resolved[k] = resolveRefs(v, this.uuidOf);
    own.add(table, uuid, resolved);
    this.ops.push({ op: 'insert', table, row: resolved, uuidName: name, uuid });
    return namedUuid(name);
  }
  private readonly uuidOf = (name: string): string => {
    const u = this.uuids.get(name);
    if (u === undefined) throw new Error(`reference to ${name}, not inserted by this transaction`);
    return u;
  };
  /**
   * The row to keep among `rows` for one key: the first that `mayStay`, when a
   * row is wanted at all; every other row is deleted (duplicates, strays).
   */
  keepFirst<R extends { readonly _uuid: string }>(table: string, rows: Iterable<R>, wanted: boolean, mayStay?: (r: R) => boolean): R | undefined {
    let have: R | undefined;
    for (const r of rows) {
      if (!wanted || have || (mayStay && !mayStay(r))) this.delete(table, r._uuid);
      else have = r;
    }
    return have;
  }
  update(table: string, uuid: string, cols: Cols): void {
    this.ops.push(ops.update(table, [['_uuid', '==', uuid]], cols));
    this.count(table, 'update');
  }
  delete(table: string, uuid: string): void {
    this.ops.push(ops.delete(table, [['_uuid', '==', uuid]]));
    this.count(table, 'delete');
  }
  /** Insert, update or leave alone one keyed row. */
  sync(table: string, have: { _uuid: string } | undefined, want: Cols): Ref {
    if (!have) return this.insert(table, want);
    const changed = changedColumns(have as unknown as Record<string, unknown>, want);
    if (changed) this.update(table, have._uuid, changed);
    return have._uuid;
  }
  /**
   * sync() of the row `build()` makes from the desired object `key`, skipped
   * when the memo knows the pair equal under the same `extra` values.
   */
  syncMemo(table: string, have: { _uuid: string } | undefined, key: object, extra: readonly unknown[], build: () => Cols): Ref {
    if (have && this.memo?.isEqual(key, have, extra)) return have._uuid;
    const n = this.ops.length;
    const ref = this.sync(table, have, build());
    if (have && this.ops.length === n) this.memo?.setEqual(key, have, extra);
    return ref;
  }
}

export function datapathKey(ext: Readonly<Record<string, string>>): string | undefined {
  return ext['logical-switch'] ?? ext['logical-router'];
}

/** What an incremental run knows: the flow keys it changed, and an index of the SB flows. */
export interface FlowDelta {
  readonly changedFlowKeys: ReadonlySet<string>;
  /**
   * Of those, the keys whose flow content did not change (the SB row already
   * holds it): only the datapath or group reference is compared.
   */
  readonly datapathOnlyKeys?: ReadonlySet<string>;
  /** Up to date with `sb` (SbFlowIndex.update(sb) called before diffSb). */
  readonly index: SbFlowIndex;
}

/**
 * The operations that make `sb` hold `desired`.  With `delta`, Logical_Flow
 * rows are compared only for the flow keys the compile changed (the other
 * flows are known to be in the SB already); every other table is compared in
 * full (they are small next to Logical_Flow).
 */
export function diffSb(desired: DesiredSb, sb: SbView, delta?: FlowDelta, memo?: DiffMemo, own?: OwnInserts): SbDiff {
  const b = new OpBuilder(memo, own);

  // --- Datapath_Binding, keyed by the NB switch/router UUID.
  const dpRef = new Map<string, Ref>();
  const sbDpToNb = new Map<string, string>();
  const deletedDps = new Set<string>();
  const dpByKey = new Map<string, (typeof sb.Datapath_Binding extends ReadonlyMap<string, infer R> ? R : never)>();
  for (const dp of sb.Datapath_Binding.values()) {
    const key = datapathKey(dp.external_ids);
    if (!key || dpByKey.has(key) || !desired.datapaths.has(key)) {
      deletedDps.add(dp._uuid);
      continue;
    }
    dpByKey.set(key, dp);
    sbDpToNb.set(dp._uuid, key);
  }
  for (const [nbUuid, want] of desired.datapaths) {
    const ref = b.syncMemo('Datapath_Binding', dpByKey.get(nbUuid), want, [], () => ({
      tunnel_key: want.tunnelKey,
      external_ids: want.externalIds,
    }));
    dpRef.set(nbUuid, ref);
  }
  const dpRefOf = (nbUuid: string): Ref => {
    const r = dpRef.get(nbUuid);
    if (r === undefined) throw new Error(`desired row references unknown datapath ${nbUuid}`);
    return r;
  };

  // --- HA_Chassis_Group by name, before the Port_Bindings that refer to them.
  const router = routerWants(desired);
  const haRefs = syncHaGroupsFull(b, sb, router);
  // --- Mirror by name, before the Port_Bindings that refer to them.
  const mirrorRefs = syncMirrorsFull(b, sb, desired.mirrors);

  // --- Port_Binding, keyed by logical_port.
  const pbRef = new Map<string, Ref>();
  const pbByName = new Map<string, (typeof sb.Port_Binding extends ReadonlyMap<string, infer R> ? R : never)>();
  for (const pb of sb.Port_Binding.values()) {
    const want = desired.portBindings.get(pb.logical_port);
    if (!want || pbByName.has(pb.logical_port) || deletedDps.has(pb.datapath)) {
      b.delete('Port_Binding', pb._uuid);
      continue;
    }
    pbByName.set(pb.logical_port, pb);
  }
  let chassis: Map<string, string> | undefined;
  const chassisByName = (): Map<string, string> => (chassis ??= chassisIndex(sb));
  for (const [name, want] of desired.portBindings) {
    pbRef.set(name, syncPortBinding(b, pbByName.get(name), want, dpRefOf(want.datapath), sb, chassisByName, (g) => haRefs.get(g), (m) => mirrorRefs.get(m)));
  }

  // --- Multicast_Group, keyed by (datapath, name).
  const mcKey = (dp: string, name: string) => `${dp}\u0000${name}`;
  const mcHave = new Map<string, { _uuid: string }>();
  const mcWant = new Map(desired.multicastGroups.map((g) => [mcKey(g.datapath, g.name), g]));
  for (const mc of sb.Multicast_Group.values()) {
    const nb = sbDpToNb.get(mc.datapath);
    const key = nb !== undefined ? mcKey(nb, mc.name) : undefined;
    if (key === undefined || !mcWant.has(key) || mcHave.has(key)) b.delete('Multicast_Group', mc._uuid);
    else mcHave.set(key, mc);
  }
  for (const [key, g] of mcWant) syncMulticastGroup(b, mcHave.get(key), g, dpRefOf(g.datapath), (p) => pbRef.get(p));

  // --- IP_Multicast, keyed by datapath.
  const ipmHave = new Map<string, { _uuid: string }>();
  const ipmWant = new Map(desired.ipMulticast.map((r) => [r.datapath, r]));
  for (const r of sb.IP_Multicast.values()) {
    const nb = sbDpToNb.get(r.datapath);
    if (nb === undefined || !ipmWant.has(nb) || ipmHave.has(nb)) b.delete('IP_Multicast', r._uuid);
    else ipmHave.set(nb, r);
  }
  for (const [nb, want] of ipmWant) syncIpMulticast(b, ipmHave.get(nb), want, dpRefOf(nb));

  // --- Load_Balancer, keyed by external_ids:lb_id, with its own pool of datapath groups.
  // One token per run for "the datapath mapping is the one of the previous run".
  const epoch = memo?.dpEpoch(sbDpToNb) ?? {};
  const lbGroups = new DpGroupPool(b, dpRefOf, memo, epoch);
  const lbHave = new Map<string, { _uuid: string }>();
  for (const lb of sb.Load_Balancer.values()) {
    const id = lb.external_ids['lb_id'];
    if (id === undefined || !desired.loadBalancers.has(id) || lbHave.has(id)) {
      b.delete('Load_Balancer', lb._uuid);
      continue;
    }
    lbHave.set(id, lb);
    if (lb.datapath_group) lbGroups.adopt(lb.datapath_group, sb, sbDpToNb);
  }
  for (const [id, want] of desired.loadBalancers) syncLoadBalancer(b, lbHave.get(id) as SbLoadBalancer | undefined, want, sb, epoch, () => lbGroups);

  // --- Logical_Flow, keyed by content; datapath sets become Logical_DP_Groups.
  if (delta) diffFlowsIncremental(b, desired, sb, delta, sbDpToNb, dpRefOf, epoch);
  else diffFlows(b, desired, sb, sbDpToNb, deletedDps, dpRefOf, epoch);

  // --- Named tables.
  const named = namedWants(desired);
  for (const t of NAMED_TABLES) syncNamedTable(b, t, sb, named);
  syncByName(b, 'DHCP_Options', sb.DHCP_Options, new Map(DHCPV4_OPTIONS.map((o) => [o.name, o])), (o) => ({ code: o.code, type: o.type }));
  syncByName(b, 'DHCPv6_Options', sb.DHCPv6_Options, new Map(DHCPV6_OPTIONS.map((o) => [o.name, o])), (o) => ({ code: o.code, type: o.type }));
  syncRbac(b, sb);
  // --- Stale IGMP groups (ovn-controller's rows northd purges).
  for (const u of desired.igmpStale) if (sb.IGMP_Group.has(u)) b.delete('IGMP_Group', u);
  // --- Static_MAC_Binding and BFD by their natural keys.
  syncKeyedFull(b, sb, router, (nb) => dpRef.get(nb), deletedDps);

  // --- SB_Global: one row; northd owns options and ipsec (nb_cfg is the daemon's).
  const globals = [...sb.SB_Global.values()];
  b.sync('SB_Global', globals[0], { options: desired.sbGlobalOptions });

  // --- Rows a deleted datapath takes with it (strong references).
  for (const mb of sb.MAC_Binding.values()) if (deletedDps.has(mb.datapath)) b.delete('MAC_Binding', mb._uuid);
  for (const mb of sb.Static_MAC_Binding.values()) if (deletedDps.has(mb.datapath)) b.delete('Static_MAC_Binding', mb._uuid);
  for (const dp of deletedDps) b.delete('Datapath_Binding', dp);

  return { ops: b.ops, counts: b.counts, basis: { sbDpToNb, deletedDps, epoch } };
}


/** SB Chassis UUID by name and by hostname (options:requested-chassis accepts either). */
export function chassisIndex(sb: SbView): Map<string, string> {
  const out = new Map<string, string>();
  for (const ch of sb.Chassis.values()) {
    out.set(ch.name, ch._uuid);
    if (ch.hostname) out.set(ch.hostname, ch._uuid);
  }
  return out;
}

/** Inserts or updates the Port_Binding of `want` (its datapath resolved to `dp`). */
export function syncPortBinding(
  b: OpBuilder,
  have: SbPortBinding | undefined,
  want: DesiredPortBinding,
  dp: Ref,
  sb: SbView,
  chassisByName: () => ReadonlyMap<string, string>,
  /** An HA_Chassis_Group's reference by name (synced before the Port_Bindings). */
  haGroupRef: (name: string) => Ref | undefined,
  /** A Mirror's reference by name (synced before the Port_Bindings). */
  mirrorRef: (name: string) => Ref | undefined = () => undefined,
): Ref {
  const group = want.haChassisGroup !== undefined ? haGroupRef(want.haChassisGroup) : undefined;
  const mirrors = want.mirrorRules?.map(mirrorRef).filter((r): r is Ref => r !== undefined);
  return b.syncMemo('Port_Binding', have, want, [dp, sb.Chassis, group, ...(mirrors ?? [])], () => {
    const { requestedChassis, requestedAdditionalChassis } = want;
    const chassis = chassisByName();
    const row = columnsExcept(want, 'requestedChassis', 'requestedAdditionalChassis', 'datapath', 'haChassisGroup', 'mirrorRules');
    row['datapath'] = dp;
    row['ha_chassis_group'] = group;
    // A switch port's mirrors (router ports' bindings leave the column alone).
    if (mirrors) row['mirror_rules'] = mirrors;
    // A chassisredirect port's legacy gateway_chassis gave way to its HA chassis group.
    if (want.type === 'chassisredirect') row['gateway_chassis'] = [];
    row['requested_chassis'] = requestedChassis !== undefined ? chassis.get(requestedChassis) : undefined;
    row['requested_additional_chassis'] = (requestedAdditionalChassis ?? []).map((c) => chassis.get(c)).filter((c): c is string => c !== undefined);
    // ovn-controller only updates `up` once northd has initialised it to false.
    if (!have || have.up === undefined) row['up'] = false;
    return row;
  });
}

export function syncMulticastGroup(
  b: OpBuilder,
  have: { _uuid: string } | undefined,
  g: DesiredMulticastGroup,
  dp: Ref,
  portRef: (name: string) => Ref | undefined,
): void {
  const ports = g.ports.map(portRef).filter((r): r is Ref => r !== undefined);
  b.syncMemo('Multicast_Group', have, g, [dp, ...ports], () => ({ datapath: dp, name: g.name, tunnel_key: g.tunnelKey, ports }));
}

export function syncIpMulticast(b: OpBuilder, have: { _uuid: string } | undefined, want: DesiredIpMulticast, dp: Ref): void {
  b.syncMemo('IP_Multicast', have, want, [dp], () => {
    const row = columnsExcept(want, 'datapath', 'seq_no');
    row['datapath'] = dp;
    if (!have) row['seq_no'] = want.seq_no;
    return row;
  });
}

export function syncLoadBalancer(
  b: OpBuilder,
  have: SbLoadBalancer | undefined,
  want: DesiredLoadBalancer,
  sb: SbView,
  epoch: object,
  groups: () => DpGroupPool,
): void {
  const datapaths = want.datapaths;
  // The row's group (as an object) and the datapath table decide what its group stands for.
  const group = have?.datapath_group !== undefined ? sb.Logical_DP_Group.get(have.datapath_group) : undefined;
  b.syncMemo('Load_Balancer', have, want, [group, epoch], () => {
    const row = columnsExcept(want, 'nbUuid', 'datapaths');
    row['datapaths'] = [];
    row['datapath_group'] = datapaths.length ? groups().ref(datapaths) : undefined;
    return row;
  });
}

/**
 * The columns of a desired row but the named fields.  A for…in copy: object rest and
 * spread (`{ a, ...cols } = want; { ...cols, b }`) took ≈ 8× as long, which at a cold
 * start of 20,000 port bindings was ≈ 100 ms before the SB transaction could go out.
 */
function columnsExcept(want: object, ...skip: string[]): Cols {
  const row: Cols = {};
  const src = want as Readonly<Record<string, unknown>>;
  for (const k in src) if (!skip.includes(k)) row[k] = src[k];
  return row;
}

/** Reuses existing Logical_DP_Group rows with the same datapath set; inserts the rest once. */
export class DpGroupPool {
  private readonly bySet = new Map<string, Ref>();
  constructor(
    private readonly b: OpBuilder,
    private readonly dpRefOf: (nb: string) => Ref,
    private readonly memo?: DiffMemo,
    private readonly epoch: object = {},
  ) {}

  adopt(groupUuid: string, sb: SbView, sbDpToNb: ReadonlyMap<string, string>): void {
    const g = sb.Logical_DP_Group.get(groupUuid);
    if (!g) return;
    // A group naming a stale datapath has no signature: it is not reused.
    const compute = (): string | undefined => groupSignature(g, sbDpToNb);
    const sig = this.memo ? this.memo.groupSig(g, this.epoch, compute) : compute();
    if (sig !== undefined && !this.bySet.has(sig)) this.bySet.set(sig, groupUuid);
  }

  has(nbUuids: Iterable<string>): boolean {
    return this.bySet.has(sortedDatapaths(nbUuids).sig);
  }

  /** Rewrites an existing group's datapaths (when every flow using it moves to the same new set). */
  retarget(groupUuid: string, nbUuids: Iterable<string>): void {
    const { list, sig } = sortedDatapaths(nbUuids);
    this.b.update('Logical_DP_Group', groupUuid, { datapaths: list.map(this.dpRefOf) });
    for (const [s, r] of this.bySet) if (r === groupUuid) this.bySet.delete(s);
    this.bySet.set(sig, groupUuid);
  }

  ref(nbUuids: Iterable<string>): Ref {
    const { list, sig } = sortedDatapaths(nbUuids);
    let r = this.bySet.get(sig);
    if (r === undefined) {
      r = this.b.insert('Logical_DP_Group', { datapaths: list.map(this.dpRefOf) });
      this.bySet.set(sig, r);
    }
    return r;
  }

}

/**
 * An inserted row without its empty sets and maps (their default): less for
 * us to encode and for the server to parse (a cold start inserts ≈ 190,000
 * rows, most with no meter and no port tag).
 */
function withoutDefaults(row: Cols): Cols {
  let out: Cols | undefined;
  for (const k in row) {
    const v = row[k];
    const empty = v === undefined || (Array.isArray(v) ? v.length === 0 : isEmptyPlainObject(v));
    if (empty && !out) {
      out = {};
      for (const k2 in row) {
        if (k2 === k) break;
        out[k2] = row[k2];
      }
    } else if (!empty && out) {
      out[k] = v;
    }
  }
  return out ?? row;
}

function isEmptyPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const _ in v) return false;
  return true;
}

function desiredFlowColumns(m: MergedFlow): Cols {
  const f = m.flow;
  const ext: Record<string, string> = { 'stage-name': f.stage.name };
  if (f.hint) ext['stage-hint'] = f.hint.slice(0, 8);
  return {
    pipeline: f.stage.pipeline,
    table_id: f.stage.table,
    priority: f.priority,
    match: f.match,
    actions: f.actions,
    controller_meter: f.meter,
    tags: f.ioPort !== undefined ? { in_out_port: f.ioPort } : {},
    external_ids: ext,
  };
}

function diffFlows(
  b: OpBuilder,
  desired: DesiredSb,
  sb: SbView,
  sbDpToNb: ReadonlyMap<string, string>,
  deletedDps: ReadonlySet<string>,
  dpRefOf: (nb: string) => Ref,
  epoch: object,
): void {
  const groups = new DpGroupPool(b, dpRefOf, b.memo, epoch);
  const haveByKey = new Map<string, SbLogicalFlow>();
  for (const lf of sb.Logical_Flow.values()) {
    const key = flowContentKey(lf);
    const stale = (lf.logical_datapath !== undefined && deletedDps.has(lf.logical_datapath)) || haveByKey.has(key) || !desired.flows.flows.has(key);
    if (stale) {
      b.delete('Logical_Flow', lf._uuid);
      continue;
    }
    haveByKey.set(key, lf);
    if (lf.logical_dp_group) groups.adopt(lf.logical_dp_group, sb, sbDpToNb);
  }
  const groupSigs = new GroupSignatures(sb, sbDpToNb);
  for (const [key, m] of desired.flows.flows) {
    const cols = desiredFlowColumns(m);
    const have = haveByKey.get(key);
    setFlowDatapaths(cols, m.datapaths, have, dpRefOf, groups, groupSigs);
    b.sync('Logical_Flow', have, cols);
  }
}

/** Group signatures by group UUID, computed once per diff (`set` after a group is rewritten). */
class GroupSignatures {
  private readonly sigs = new Map<string, string | undefined>();
  constructor(
    private readonly sb: SbView,
    private readonly sbDpToNb: ReadonlyMap<string, string>,
  ) {}
  get(g: string): string | undefined {
    if (this.sigs.has(g)) return this.sigs.get(g);
    const sig = groupSignature(this.sb.Logical_DP_Group.get(g), this.sbDpToNb);
    this.sigs.set(g, sig);
    return sig;
  }
  set(g: string, sig: string): void {
    this.sigs.set(g, sig);
  }
}

/**
 * A flow row's logical_datapath / logical_dp_group for `dps`: one datapath
 * directly, several through a group — the row's own group when it already
 * holds the same datapaths (even if another equal group exists).
 */
function setFlowDatapaths(
  cols: Cols,
  dps: ReadonlySet<string>,
  have: SbLogicalFlow | undefined,
  dpRefOf: (nb: string) => Ref,
  groups: DpGroupPool,
  groupSigs: GroupSignatures,
): void {
  if (dps.size === 1) {
    cols['logical_datapath'] = dpRefOf(dps.values().next().value!);
    cols['logical_dp_group'] = undefined;
    return;
  }
  const g = have?.logical_dp_group;
  cols['logical_datapath'] = undefined;
  cols['logical_dp_group'] = g !== undefined && groupSigs.get(g) === sortedDatapaths(dps).sig ? g : groups.ref(dps);
}

export function syncByName<V>(
  b: OpBuilder,
  table: string,
  have: ReadonlyMap<string, { _uuid: string; name: string }>,
  want: ReadonlyMap<string, V>,
  columns: (v: V) => Cols,
): void {
  const byName = new Map<string, { _uuid: string }>();
  for (const row of have.values()) {
    if (!want.has(row.name) || byName.has(row.name)) b.delete(table, row._uuid);
    else byName.set(row.name, row);
  }
  for (const [name, v] of want) b.sync(table, byName.get(name), { name, ...columns(v) });
}

export function syncRbac(b: OpBuilder, sb: SbView): void {
  const permByTable = new Map<string, { _uuid: string }>();
  for (const p of sb.RBAC_Permission.values()) {
    if (permByTable.has(p.table) || !RBAC_PERMISSIONS.some((s) => s.table === p.table)) b.delete('RBAC_Permission', p._uuid);
    else permByTable.set(p.table, p);
  }
  const perms: Record<string, Ref> = {};
  for (const spec of RBAC_PERMISSIONS) {
    perms[spec.table] = b.sync('RBAC_Permission', permByTable.get(spec.table), {
      table: spec.table,
      authorization: [...spec.authorization],
      insert_delete: spec.insert_delete,
      update: [...spec.update],
    });
  }
  const roles = [...sb.RBAC_Role.values()];
  const role = roles.find((r) => r.name === RBAC_ROLE_NAME);
  for (const r of roles) if (r !== role) b.delete('RBAC_Role', r._uuid);
  b.sync('RBAC_Role', role, { name: RBAC_ROLE_NAME, permissions: perms });
}

/** Logical_Flow rows for the changed flow keys only. */
export function diffFlowsIncremental(
  b: OpBuilder,
  desired: DesiredSb,
  sb: SbView,
  delta: FlowDelta,
  sbDpToNb: ReadonlyMap<string, string>,
  dpRefOf: (nb: string) => Ref,
  epoch: object,
): void {
  const groups = new DpGroupPool(b, dpRefOf, b.memo, epoch);
  for (const g of delta.index.groups().keys()) if (delta.index.groupUse(g) > 0) groups.adopt(g, sb, sbDpToNb);
  /** The signature of an existing group's NB datapaths (undefined: missing or stale). */
  const groupSigs = new GroupSignatures(sb, sbDpToNb);

  // 1. Rows to keep per key (the first), duplicates to delete.
  const plan: { key: string; have: SbLogicalFlow | undefined; want: MergedFlow }[] = [];
  /** Rows of the changed keys that no plan entry keeps (deleted here). */
  const gone = new Set<SbLogicalFlow>();
  for (const key of delta.changedFlowKeys) {
    const rows = delta.index.rows(key);
    const want = desired.flows.flows.get(key);
    const have = b.keepFirst('Logical_Flow', rows, want !== undefined);
    if (want) plan.push({ key, have, want });
    if (rows.length > (have ? 1 : 0)) for (const r of rows) if (r !== have) gone.add(r);
  }
  /** The rows of group `g` this diff already handles (kept by a plan entry, or deleted). */
  const handledIn = (g: string): Set<SbLogicalFlow> => {
    const out = new Set<SbLogicalFlow>(gone);
    for (const { have } of plan) if (have?.logical_dp_group === g) out.add(have);
    return out;
  };

  // 2. A group most of whose flows move to one new datapath set is rewritten in place (one
  //    small update instead of one per flow: e.g. a switch joining a load balancer group);
  //    its flows that keep the old set are given another group.
  const moves = new Map<string, Map<string, { dps: ReadonlySet<string>; n: number }>>();
  for (const { have, want } of plan) {
    const g = have?.logical_dp_group;
    if (!g || want.datapaths.size < 2) continue;
    const sig = sortedDatapaths(want.datapaths).sig;
    let dests = moves.get(g);
    if (!dests) moves.set(g, (dests = new Map()));
    const e = dests.get(sig);
    if (e) e.n++;
    else dests.set(sig, { dps: want.datapaths, n: 1 });
  }
  if (moves.size) {
    const lbGroups = new Set<string>();
    for (const lb of sb.Load_Balancer.values()) if (lb.datapath_group) lbGroups.add(lb.datapath_group);
    for (const [g, dests] of moves) {
      const cur = groupSigs.get(g);
      if (lbGroups.has(g) || cur === undefined) continue;
      let best: { sig: string; dps: ReadonlySet<string>; n: number } | undefined;
      for (const [sig, e] of dests) if (sig !== cur && (!best || e.n > best.n)) best = { sig, ...e };
      if (!best || groups.has(best.dps)) continue;
      const done = handledIn(g);
      const stay = [...delta.index.groupFlows(g)].filter((f) => !done.has(f));
      if (best.n <= stay.length + (dests.get(cur)?.n ?? 0)) continue;
      groups.retarget(g, best.dps);
      groupSigs.set(g, best.sig);
      for (const f of stay) {
        const key = flowContentKey(f);
        const want = desired.flows.flows.get(key);
        if (want) plan.push({ key, have: f, want });
      }
    }
  }

  // 3. Insert / update.
  const datapathOnly = delta.datapathOnlyKeys;
  for (const { key, have, want } of plan) {
    if (have && datapathOnly?.has(key)) {
      // The row already holds this content: only where it applies may differ.
      const cols: Cols = {};
      setFlowDatapaths(cols, want.datapaths, have, dpRefOf, groups, groupSigs);
      if (cols['logical_datapath'] !== have.logical_datapath || cols['logical_dp_group'] !== have.logical_dp_group) b.update('Logical_Flow', have._uuid, cols);
      continue;
    }
    const cols = desiredFlowColumns(want);
    setFlowDatapaths(cols, want.datapaths, have, dpRefOf, groups, groupSigs);
    b.sync('Logical_Flow', have, cols);
  }
}
