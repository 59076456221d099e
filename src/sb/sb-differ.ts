// The daemon's SB differ: a full diff (differ.ts diffSb) when every SB row
// must be compared again, otherwise an incremental one that only looks at
// the keys whose desired row or SB rows changed since the previous run.
//
// Why that is enough: after a run, every key either already matched the
// desired row or got an operation that changes its SB rows once committed
// (a failed commit makes the daemon ask for a full diff).  So a key whose
// desired row is the same object and whose SB rows are the same objects as at
// the previous run still matches — provided what the comparison resolves
// through did not move: the datapath rows and mapping, and the Chassis table.
// When those changed the full diff runs (it is memoised, see DiffMemo).
import type { SbView } from '../compile/context.js';
import type { DesiredDatapath, DesiredIpMulticast, DesiredLoadBalancer, DesiredMulticastGroup, DesiredSb } from '../compile/desired.js';
import type { SbBFD, SbDNS, SbMirror, SbServiceMonitor, SbDatapathBinding, SbHAChassisGroup, SbIPMulticast, SbLoadBalancer, SbMulticastGroup, SbPortBinding, SbStaticMACBinding } from '../model/sb.js';
import { MultiIndex } from '../replica/multi-index.js';
import { ShardedMap } from '../replica/sharded-map.js';
import type { Operation } from '../ovsdb/operations.js';
import {
  chassisIndex,
  datapathKey,
  DiffMemo,
  diffFlowsIncremental,
  diffSb,
  DpGroupPool,
  groupSignature,
  OpBuilder,
  syncByName,
  NAMED_TABLES,
  syncIpMulticast,
  syncLoadBalancer,
  syncMulticastGroup,
  syncPortBinding,
  sortedDatapaths,
  syncRbac,
  type DiffBasis,
  type FlowDelta,
  type Ref,
  type SbDiff,
} from './differ.js';
import { DHCPV4_OPTIONS, DHCPV6_OPTIONS } from './static-rows.js';
import { changedNames, NAME_COLUMN, nameOf, namedWants, syncNamedKeys, type NamedRow, type NamedTable } from './named-rows.js';
import type { OwnInserts } from './own-inserts.js';
import { routerRowKey, routerWants, syncHaGroupKeys, syncKeyedKeys, type KeyedRouterTable } from './router-rows.js';
import { syncMirrorKeys } from './mirror-rows.js';

/** Rows of one SB table by a key, kept up to date from table version to version. */
class KeyedRows<R extends { readonly _uuid: string }> {
  private table: ReadonlyMap<string, R> = new Map();
  readonly index = new MultiIndex<R>();
  constructor(private readonly keyOf: (row: R) => string) {}

  /** Brings the index to `table`; returns the keys of the rows that changed. */
  update(table: ReadonlyMap<string, R>): Set<string> {
    const changed = new Set<string>();
    ShardedMap.diff(this.table, table, (_u, before, after) => {
      if (before) {
        const k = this.keyOf(before);
        this.index.remove(k, before);
        changed.add(k);
      }
      if (after) {
        const k = this.keyOf(after);
        this.index.add(k, after);
        changed.add(k);
      }
    });
    this.table = table;
    return changed;
  }
}

const mcKeyOf = (dp: string, name: string): string => `${dp}\u0000${name}`;

interface Previous {
  readonly desired: DesiredSb;
  readonly sb: SbView;
  readonly basis: DiffBasis;
  /** Desired multicast groups by (SB datapath UUID, name). */
  readonly mcWant: ReadonlyMap<string, DesiredMulticastGroup>;
  /** Desired IP_Multicast rows by SB datapath UUID. */
  readonly ipmWant: ReadonlyMap<string, DesiredIpMulticast>;
  /** NB datapath UUID → SB datapath UUID. */
  readonly dpRef: ReadonlyMap<string, string>;
  /**
   * Keys this diff wrote, per table; undefined after a full diff that wrote
   * any of these tables.  The next snapshot may not show those writes (another
   * client can undo them before we see them), so they are compared again.
   */
  readonly touched: Touched | undefined;
}

interface Touched {
  readonly dps: ReadonlySet<string>;
  readonly pbs: ReadonlySet<string>;
  readonly mcs: ReadonlySet<string>;
  readonly ipms: ReadonlySet<string>;
  readonly lbs: ReadonlySet<string>;
  readonly mirrors: ReadonlySet<string>;
  /** Names per named table (Address_Set, Port_Group, Meter). */
  readonly named: Readonly<Record<NamedTable, ReadonlySet<string>>>;
  /** Keys of the router rows (router-rows.ts). */
  readonly router: Readonly<Record<RouterTable, ReadonlySet<string>>>;
}

type RouterTable = 'HA_Chassis_Group' | KeyedRouterTable;
const ROUTER_TABLES: readonly RouterTable[] = ['HA_Chassis_Group', 'Static_MAC_Binding', 'BFD', 'DNS', 'Service_Monitor'];

const noNames = (): Record<NamedTable, Set<string>> => ({ Address_Set: new Set(), Port_Group: new Set(), Meter: new Set(), Chassis_Template_Var: new Set() });
const noRouterKeys = (): Record<RouterTable, Set<string>> => ({ HA_Chassis_Group: new Set(), Static_MAC_Binding: new Set(), BFD: new Set(), DNS: new Set(), Service_Monitor: new Set() });
interface MutableTouched {
  readonly dps: Set<string>;
  readonly pbs: Set<string>;
  readonly mcs: Set<string>;
  readonly ipms: Set<string>;
  readonly lbs: Set<string>;
  readonly mirrors: Set<string>;
  readonly named: Record<NamedTable, Set<string>>;
  readonly router: Record<RouterTable, Set<string>>;
}
const nothingTouched = (): MutableTouched => ({
  dps: new Set<string>(),
  pbs: new Set<string>(),
  mcs: new Set<string>(),
  ipms: new Set<string>(),
  lbs: new Set<string>(),
  mirrors: new Set<string>(),
  named: noNames(),
  router: noRouterKeys(),
});

const NON_FLOW_TABLES = [
  'Datapath_Binding',
  'Port_Binding',
  'Multicast_Group',
  'IP_Multicast',
  'Load_Balancer',
  'Address_Set',
  'Port_Group',
  'Meter',
  'HA_Chassis_Group',
  'Static_MAC_Binding',
  'BFD',
  'DNS',
  'Chassis_Template_Var',
  'Service_Monitor',
  'Mirror',
];

export interface SbDifferStats {
  /** Whether the last diff was the incremental one. */
  incremental: boolean;
  /** Keys it compared, per table (incremental diffs only). */
  keys: Record<string, number>;
}

export class SbDiffer {
  private memo = new DiffMemo();
  private prev: Previous | undefined;
  private readonly dps = new KeyedRows<SbDatapathBinding>((r) => datapathKey(r.external_ids) ?? '');
  private readonly pbs = new KeyedRows<SbPortBinding>((r) => r.logical_port);
  private readonly mcs = new KeyedRows<SbMulticastGroup>((r) => mcKeyOf(r.datapath, r.name));
  private readonly ipms = new KeyedRows<SbIPMulticast>((r) => r.datapath);
  private readonly lbs = new KeyedRows<SbLoadBalancer>((r) => r.external_ids['lb_id'] ?? '');
  private readonly lbsByGroup = new KeyedRows<SbLoadBalancer>((r) => r.datapath_group ?? '');
  private readonly named: Record<NamedTable, KeyedRows<NamedRow>> = {
    Address_Set: new KeyedRows((r) => nameOf('Address_Set', r)),
    Port_Group: new KeyedRows((r) => nameOf('Port_Group', r)),
    Meter: new KeyedRows((r) => nameOf('Meter', r)),
    Chassis_Template_Var: new KeyedRows((r) => nameOf('Chassis_Template_Var', r)),
  };
  private readonly haGroups = new KeyedRows<SbHAChassisGroup>(routerRowKey.HA_Chassis_Group);
  /** Port_Bindings by the HA chassis group (SB UUID) they refer to. */
  private readonly pbsByHaGroup = new KeyedRows<SbPortBinding>((r) => r.ha_chassis_group ?? '');
  private readonly smbs = new KeyedRows<SbStaticMACBinding>(routerRowKey.Static_MAC_Binding);
  private readonly bfds = new KeyedRows<SbBFD>(routerRowKey.BFD);
  private readonly mirrors = new KeyedRows<SbMirror>((r) => r.name);
  private readonly dnsRows = new KeyedRows<SbDNS>(routerRowKey.DNS);
  private readonly monitors = new KeyedRows<SbServiceMonitor>(routerRowKey.Service_Monitor);
  readonly stats: SbDifferStats = { incremental: false, keys: {} };
  /** The incremental diff's desired indexes, and whether some datapath was still being inserted. */
  private wanted: { mcs: ReadonlyMap<string, DesiredMulticastGroup>; ipms: ReadonlyMap<string, DesiredIpMulticast>; incomplete: boolean } | undefined;

  /**
   * The operations that make `sb` hold `desired`.  Without `delta` (first run,
   * after a failed commit, someone else's writes) every row is compared.
   */
  diff(desired: DesiredSb, sb: SbView, delta?: FlowDelta, own?: OwnInserts): SbDiff {
    const changedDps = this.dps.update(sb.Datapath_Binding);
    const changedPbs = this.pbs.update(sb.Port_Binding);
    const changedMcs = this.mcs.update(sb.Multicast_Group);
    const changedIpms = this.ipms.update(sb.IP_Multicast);
    const changedLbs = this.lbs.update(sb.Load_Balancer);
    const changedMirrors = this.mirrors.update(sb.Mirror);
    this.lbsByGroup.update(sb.Load_Balancer);
    const changedNamed = noNames();
    for (const t of NAMED_TABLES) changedNamed[t] = this.named[t].update(sb[t]);
    const changedRouter: Record<RouterTable, Set<string>> = {
      HA_Chassis_Group: this.haGroups.update(sb.HA_Chassis_Group),
      Static_MAC_Binding: this.smbs.update(sb.Static_MAC_Binding),
      BFD: this.bfds.update(sb.BFD),
      DNS: this.dnsRows.update(sb.DNS),
      Service_Monitor: this.monitors.update(sb.Service_Monitor),
    };
    this.pbsByHaGroup.update(sb.Port_Binding);
    const prev = this.prev;
    this.prev = undefined;
    let out: SbDiff;
    let touched: Touched | undefined;
    const dpKeys = delta && prev?.touched ? this.datapathChanges(prev, prev.touched, desired, sb, changedDps) : undefined;
    if (delta && prev?.touched && dpKeys) {
      const t = prev.touched;
      for (const k of t.pbs) changedPbs.add(k);
      for (const k of t.mcs) changedMcs.add(k);
      for (const k of t.ipms) changedIpms.add(k);
      for (const k of t.lbs) changedLbs.add(k);
      for (const k of t.mirrors) changedMirrors.add(k);
      for (const n of NAMED_TABLES) for (const k of t.named[n]) changedNamed[n].add(k);
      for (const n of ROUTER_TABLES) for (const k of t.router[n]) changedRouter[n].add(k);
      const r = this.incremental(prev, desired, sb, delta, own, {
        dps: dpKeys,
        pbs: changedPbs,
        mcs: changedMcs,
        ipms: changedIpms,
        lbs: changedLbs,
        mirrors: changedMirrors,
        named: changedNamed,
        router: changedRouter,
      });
      out = r.diff;
      touched = r.touched;
      this.stats.incremental = true;
    } else {
      if (!delta) this.memo = new DiffMemo();
      out = diffSb(desired, sb, delta, this.memo, own);
      touched = NON_FLOW_TABLES.some((t) => out.counts[t]) ? touchedBy(out.ops, sb) : nothingTouched();
      this.stats.incremental = false;
      this.stats.keys = {};
    }
    const dpRef = new Map<string, string>();
    for (const [sbu, nbu] of out.basis.sbDpToNb) dpRef.set(nbu, sbu);
    // The incremental diff's indexes are reused when every datapath already had its SB row.
    const w = this.stats.incremental && this.wanted && !this.wanted.incomplete ? this.wanted : undefined;
    this.wanted = undefined;
    this.prev = {
      desired,
      sb,
      basis: out.basis,
      dpRef,
      touched,
      mcWant: w?.mcs ?? new Map(desired.multicastGroups.flatMap((g) => (dpRef.has(g.datapath) ? [[mcKeyOf(dpRef.get(g.datapath)!, g.name), g] as const] : []))),
      ipmWant: w?.ipms ?? new Map(desired.ipMulticast.flatMap((r) => (dpRef.has(r.datapath) ? [[dpRef.get(r.datapath)!, r] as const] : []))),
    };
    return out;
  }

  /**
   * The datapath keys (NB UUIDs) to compare again, when the incremental diff
   * can handle them: the Chassis table is the same, and no SB datapath has to
   * be deleted (that takes its ports, groups and MAC bindings with it: the full
   * diff does it).  Added datapaths and changed columns are fine.
   */
  private datapathChanges(prev: Previous, touched: Touched, desired: DesiredSb, sb: SbView, changed: Set<string>): Set<string> | undefined {
    if (sb.Chassis !== prev.sb.Chassis || prev.basis.deletedDps.size) return undefined;
    for (const k of touched.dps) changed.add(k);
    if (prev.desired.datapaths !== desired.datapaths) {
      for (const [k, want] of desired.datapaths) {
        const p = prev.desired.datapaths.get(k);
        if (!p || !sameDatapath(p, want)) changed.add(k);
      }
      for (const k of prev.desired.datapaths.keys()) if (!desired.datapaths.has(k)) changed.add(k);
    }
    for (const k of changed) {
      const rows = this.dps.index.rows(k);
      if (k === '' || rows.length > 1 || (rows.length && !desired.datapaths.has(k))) return undefined;
    }
    return changed;
  }

  private incremental(
    prev: Previous,
    desired: DesiredSb,
    sb: SbView,
    delta: FlowDelta,
    own: OwnInserts | undefined,
    changed: {
      dps: Set<string>;
      pbs: Set<string>;
      mcs: Set<string>;
      ipms: Set<string>;
      lbs: Set<string>;
      mirrors: Set<string>;
      named: Record<NamedTable, Set<string>>;
      router: Record<RouterTable, Set<string>>;
    },
  ): { diff: SbDiff; touched: Touched } {
    const b = new OpBuilder(this.memo, own);
    const touched = nothingTouched();
    /** Runs `sync` for `key`, remembering the key when it wrote something. */
    const track = (set: Set<string>, key: string, sync: () => void): void => {
      const n = b.ops.length;
      sync();
      if (b.ops.length !== n) set.add(key);
    };
    // --- Datapath_Binding: the changed keys (no SB datapath is deleted here).
    const sbDpToNb = new Map(prev.basis.sbDpToNb);
    const dpRef = new Map<string, Ref>(prev.dpRef);
    for (const k of changed.dps) {
      const old = prev.dpRef.get(k);
      if (old !== undefined) sbDpToNb.delete(old);
      dpRef.delete(k);
      const want = desired.datapaths.get(k);
      if (!want) continue;
      const have = this.dps.index.first(k);
      if (have) sbDpToNb.set(have._uuid, k);
      track(touched.dps, k, () => {
        dpRef.set(k, b.syncMemo('Datapath_Binding', have, want, [], () => ({ tunnel_key: want.tunnelKey, external_ids: want.externalIds })));
      });
    }
    const epoch = this.memo.dpEpoch(sbDpToNb);
    const dpRefOf = (nb: string): Ref => {
      const r = dpRef.get(nb);
      if (r === undefined) throw new Error(`desired row references unknown datapath ${nb}`);
      return r;
    };
    /** A datapath as a key of the SB-side indexes: its SB UUID, or a placeholder while being inserted. */
    const dpKeyOf = (nb: string): string => {
      const r = dpRefOf(nb);
      return typeof r === 'string' ? r : `new:${nb}`;
    };
    const keys: Record<string, number> = {};

    // --- HA_Chassis_Group: names whose desired group, SB row or HA_Chassis rows changed.
    const router = routerWants(desired);
    const haNames = changed.router.HA_Chassis_Group;
    changedNames<unknown>(prev.desired.haChassisGroups, desired.haChassisGroups, haNames);
    if (sb.HA_Chassis !== prev.sb.HA_Chassis) {
      // A member edited in place changes no group row: the groups of the changed members.
      const members = new Set<string>();
      ShardedMap.diff(prev.sb.HA_Chassis, sb.HA_Chassis, (u) => members.add(u));
      for (const g of sb.HA_Chassis_Group.values()) if (g.ha_chassis.some((u) => members.has(u))) haNames.add(g.name);
    }
    const pbNames = changed.pbs;
    const haRefs = syncHaGroupKeys(b, sb, router, haNames, (n) => this.haGroups.index.rows(n), (n, kept) => {
      touched.router.HA_Chassis_Group.add(n);
      // Bindings that refer to a group row this diff deletes are pointed elsewhere.
      for (const row of this.haGroups.index.rows(n)) {
        if (kept === row._uuid) continue;
        for (const pb of this.pbsByHaGroup.index.rows(row._uuid)) pbNames.add(pb.logical_port);
      }
    });
    const haGroupRef = (name: string): Ref | undefined => haRefs.get(name) ?? this.haGroups.index.first(name)?._uuid;
    keys['HA_Chassis_Group'] = haNames.size;

    // --- Mirror: names whose desired row or SB rows changed (before the bindings that name them).
    const mirrorNames = changed.mirrors;
    changedNames<unknown>(prev.desired.mirrors, desired.mirrors, mirrorNames);
    const mirrorRefs = syncMirrorKeys(b, desired.mirrors, mirrorNames, (n) => this.mirrors.index.rows(n), (n) => touched.mirrors.add(n));
    const mirrorRef = (name: string): Ref | undefined => mirrorRefs.get(name) ?? this.mirrors.index.first(name)?._uuid;
    keys['Mirror'] = mirrorNames.size;

    // --- Port_Binding: keys whose desired row or SB rows changed.
    diffMapKeys(prev.desired.portBindings, desired.portBindings, pbNames);
    let chassis: Map<string, string> | undefined;
    const chassisByName = (): Map<string, string> => (chassis ??= chassisIndex(sb));
    const pbRefs = new Map<string, Ref>();
    /** Datapaths (SB UUIDs) whose multicast groups may name a port whose row moved. */
    const mcDps = new Set<string>();
    for (const name of pbNames) track(touched.pbs, name, () => {
      const want = desired.portBindings.get(name);
      const before = prev.desired.portBindings.get(name);
      if (want) mcDps.add(dpKeyOf(want.datapath));
      if (before && dpRef.has(before.datapath)) mcDps.add(dpKeyOf(before.datapath));
      const rows = this.pbs.index.rows(name);
      for (const row of rows) mcDps.add(row.datapath);
      const have = b.keepFirst('Port_Binding', rows, want !== undefined);
      if (want) pbRefs.set(name, syncPortBinding(b, have, want, dpRefOf(want.datapath), sb, chassisByName, haGroupRef, mirrorRef));
    });
    keys['Port_Binding'] = pbNames.size;

    // --- Multicast_Group, by (SB datapath, name).
    // The same groups on the same datapaths: the previous index (the compiler keeps the array).
    const sameMcs = desired.multicastGroups === prev.desired.multicastGroups && !changed.dps.size;
    const mcWant = sameMcs ? prev.mcWant : new Map<string, DesiredMulticastGroup>();
    if (!sameMcs) for (const g of desired.multicastGroups) (mcWant as Map<string, DesiredMulticastGroup>).set(mcKeyOf(dpKeyOf(g.datapath), g.name), g);
    const mcKeys = changed.mcs;
    diffMapKeys(prev.mcWant, mcWant, mcKeys);
    if (mcDps.size) for (const k of [...mcWant.keys(), ...prev.mcWant.keys()]) if (mcDps.has(k.slice(0, k.indexOf('\u0000')))) mcKeys.add(k);
    /** A row on a datapath that is no longer ours is deleted, not kept. */
    const onLiveDatapath = (row: { readonly datapath: string }): boolean => sbDpToNb.has(row.datapath);
    const portRef = (name: string): Ref | undefined => pbRefs.get(name) ?? this.pbs.index.first(name)?._uuid;
    for (const k of mcKeys) track(touched.mcs, k, () => {
      const g = mcWant.get(k);
      const have = b.keepFirst('Multicast_Group', this.mcs.index.rows(k), g !== undefined, onLiveDatapath);
      if (g) syncMulticastGroup(b, have, g, dpRefOf(g.datapath), portRef);
    });
    keys['Multicast_Group'] = mcKeys.size;

    // --- IP_Multicast, by SB datapath.
    const sameIpms = desired.ipMulticast === prev.desired.ipMulticast && !changed.dps.size;
    const ipmWant = sameIpms ? prev.ipmWant : new Map<string, DesiredIpMulticast>();
    if (!sameIpms) for (const r of desired.ipMulticast) (ipmWant as Map<string, DesiredIpMulticast>).set(dpKeyOf(r.datapath), r);
    const ipmKeys = changed.ipms;
    diffMapKeys(prev.ipmWant, ipmWant, ipmKeys, sameIpMulticast);
    for (const k of ipmKeys) track(touched.ipms, k, () => {
      const want = ipmWant.get(k);
      const have = b.keepFirst('IP_Multicast', this.ipms.index.rows(k), want !== undefined, onLiveDatapath);
      if (want) syncIpMulticast(b, have, want, dpRefOf(want.datapath));
    });
    keys['IP_Multicast'] = ipmKeys.size;

    // --- Load_Balancer, by lb_id; also those whose datapath group row changed.
    const lbIds = changed.lbs;
    /** Load balancers whose SB rows changed or that the previous run wrote. */
    const sbChangedLbs = new Set(lbIds);
    diffMapKeys(prev.desired.loadBalancers, desired.loadBalancers, lbIds);
    if (sb.Logical_DP_Group !== prev.sb.Logical_DP_Group) {
      ShardedMap.diff(prev.sb.Logical_DP_Group, sb.Logical_DP_Group, (g) => {
        for (const lb of this.lbsByGroup.index.rows(g)) lbIds.add(lb.external_ids['lb_id'] ?? '');
      });
    }
    let pool: DpGroupPool | undefined;
    const lbGroups = (): DpGroupPool => {
      if (!pool) {
        pool = new DpGroupPool(b, dpRefOf, this.memo, epoch);
        for (const lb of sb.Load_Balancer.values()) if (lb.datapath_group) pool.adopt(lb.datapath_group, sb, sbDpToNb);
      }
      return pool;
    };
    // A group all of whose load balancers move to the same new datapath set is
    // rewritten in place (a switch joining a load balancer group: one update
    // instead of one per load balancer).  Not a group some flow uses too.
    const lbMoves = new Map<string, { sig: string | null; list: readonly string[]; n: number }>();
    for (const id of lbIds) {
      const have = this.lbs.index.first(id);
      const g = have?.datapath_group;
      if (g === undefined) continue;
      const want = id === '' ? undefined : desired.loadBalancers.get(id);
      const m = lbMoves.get(g);
      if (!want || !want.datapaths.length || this.lbs.index.rows(id).length > 1) {
        lbMoves.set(g, { sig: null, list: [], n: 0 });
        continue;
      }
      const { list, sig } = sortedDatapaths(want.datapaths);
      if (!m) lbMoves.set(g, { sig, list, n: 1 });
      else if (m.sig !== sig) m.sig = null;
      else m.n++;
    }
    for (const [g, m] of lbMoves) {
      if (m.sig === null || m.n !== this.lbsByGroup.index.rows(g).length || delta.index.groupUse(g) > 0) continue;
      const pool = lbGroups();
      if (pool.has(m.list) || groupSignature(sb.Logical_DP_Group.get(g), sbDpToNb) === m.sig) continue;
      pool.retarget(g, m.list);
    }
    for (const id of lbIds) track(touched.lbs, id, () => {
      const want = id === '' ? undefined : desired.loadBalancers.get(id);
      const before = prev.desired.loadBalancers.get(id);
      const have1 = this.lbs.index.rows(id);
      if (
        want &&
        before &&
        have1.length === 1 &&
        !sbChangedLbs.has(id) &&
        !prev.touched!.lbs.has(id) &&
        sameButDatapaths(before, want)
      ) {
        // The SB row held `before` and did not change: only its datapath group can differ.
        const row = have1[0]!;
        const group = want.datapaths.length ? lbGroups().ref(want.datapaths) : undefined;
        if (group !== row.datapath_group) b.update('Load_Balancer', row._uuid, { datapath_group: group });
        return;
      }
      const have = b.keepFirst('Load_Balancer', this.lbs.index.rows(id), want !== undefined);
      if (want) syncLoadBalancer(b, have, want, sb, epoch, lbGroups);
    });
    keys['Load_Balancer'] = lbIds.size;

    // --- Logical_Flow: the changed flow keys.
    diffFlowsIncremental(b, desired, sb, delta, sbDpToNb, dpRefOf, epoch);

    // --- Named tables: the names whose desired value or SB rows changed.
    const wantNamed = namedWants(desired);
    const prevNamed = namedWants(prev.desired);
    for (const t of NAMED_TABLES) {
      const names = changed.named[t];
      changedNames<unknown>(prevNamed[t], wantNamed[t], names);
      // A band edited in place changes no Meter row.
      if (t === 'Meter' && sb.Meter_Band !== prev.sb.Meter_Band) for (const n of wantNamed.Meter.keys()) names.add(n);
      const idx = this.named[t];
      keys[t] = syncNamedKeys(b, t, sb, wantNamed, names, (n) => idx.index.rows(n), (n) => touched.named[t].add(n));
    }
    // --- Static_MAC_Binding and BFD: keys whose desired row or SB rows changed.
    const prevRouter = routerWants(prev.desired);
    for (const t of ['Static_MAC_Binding', 'BFD', 'DNS', 'Service_Monitor'] as const) {
      const ks = changed.router[t];
      changedNames<unknown>(prevRouter[t], router[t], ks);
      // A DNS row names datapaths: a datapath just inserted or deleted changes its refs.
      if (t === 'DNS' && changed.dps.size) for (const k of router.DNS.keys()) ks.add(k);
      const rowsOf = (k: string): readonly { readonly _uuid: string }[] => (t === 'BFD' ? this.bfds : t === 'DNS' ? this.dnsRows : t === 'Service_Monitor' ? this.monitors : this.smbs).index.rows(k);
      keys[t] = syncKeyedKeys(b, t, router, ks, rowsOf, (nb) => dpRef.get(nb), (k) => touched.router[t].add(k));
    }
    // --- Stale IGMP groups (ovn-controller's rows northd purges).
    if (desired.igmpStale !== prev.desired.igmpStale || sb.IGMP_Group !== prev.sb.IGMP_Group) for (const u of desired.igmpStale) if (sb.IGMP_Group.has(u)) b.delete('IGMP_Group', u);
    // --- Static tables: only when they changed.
    if (sb.DHCP_Options !== prev.sb.DHCP_Options) {
      syncByName(b, 'DHCP_Options', sb.DHCP_Options, new Map(DHCPV4_OPTIONS.map((o) => [o.name, o])), (o) => ({ code: o.code, type: o.type }));
    }
    if (sb.DHCPv6_Options !== prev.sb.DHCPv6_Options) {
      syncByName(b, 'DHCPv6_Options', sb.DHCPv6_Options, new Map(DHCPV6_OPTIONS.map((o) => [o.name, o])), (o) => ({ code: o.code, type: o.type }));
    }
    if (sb.RBAC_Permission !== prev.sb.RBAC_Permission || sb.RBAC_Role !== prev.sb.RBAC_Role) syncRbac(b, sb);
    const globals = [...sb.SB_Global.values()];
    b.sync('SB_Global', globals[0], { options: desired.sbGlobalOptions });

    this.stats.keys = keys;
    this.wanted = { mcs: mcWant, ipms: ipmWant, incomplete: [...dpRef.values()].some((r) => typeof r !== 'string') };
    return { diff: { ops: b.ops, counts: b.counts, basis: { sbDpToNb, deletedDps: new Set(), epoch } }, touched };
  }
}

/**
 * The keys a full diff's operations write, as the incremental diff names them.
 * A multicast group or IP_Multicast row on a datapath inserted by the same
 * transaction has no key yet; it needs none: if that transaction is lost, the
 * datapath's key (touched) brings it back, and its rows are wanted under a
 * new key then.
 */
function touchedBy(operations: readonly Operation[], sb: SbView): Touched {
  const t = nothingTouched();
  const tables = sb as unknown as Record<string, ReadonlyMap<string, Record<string, unknown>>>;
  const dpOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  for (const o of operations) {
    if (o.op !== 'insert' && o.op !== 'update' && o.op !== 'delete') continue;
    let row: Readonly<Record<string, unknown>> | undefined;
    if (o.op === 'insert') row = o.row;
    else {
      const w = o.where.find(([c, f]) => c === '_uuid' && f === '==');
      row = typeof w?.[2] === 'string' ? tables[o.table]?.get(w[2]) : undefined;
      if (!row) continue;
    }
    switch (o.table) {
      case 'Datapath_Binding': {
        const k = datapathKey((row['external_ids'] ?? {}) as Record<string, string>);
        if (k !== undefined) t.dps.add(k);
        break;
      }
      case 'Port_Binding':
        if (typeof row['logical_port'] === 'string') t.pbs.add(row['logical_port']);
        break;
      case 'Multicast_Group': {
        const dp = dpOf(row['datapath']);
        if (dp !== undefined) t.mcs.add(mcKeyOf(dp, String(row['name'])));
        break;
      }
      case 'IP_Multicast': {
        const dp = dpOf(row['datapath']);
        if (dp !== undefined) t.ipms.add(dp);
        break;
      }
      case 'Mirror':
        if (typeof row['name'] === 'string') t.mirrors.add(row['name']);
        break;
      case 'Load_Balancer':
        t.lbs.add(((row['external_ids'] ?? {}) as Record<string, string>)['lb_id'] ?? '');
        break;
      case 'Address_Set':
      case 'Port_Group':
      case 'Meter':
      case 'Chassis_Template_Var': {
        const name = row[NAME_COLUMN[o.table]];
        if (typeof name === 'string') t.named[o.table].add(name);
        break;
      }
      case 'HA_Chassis_Group':
        if (typeof row['name'] === 'string') t.router.HA_Chassis_Group.add(row['name']);
        break;
      case 'Static_MAC_Binding':
        t.router.Static_MAC_Binding.add(routerRowKey.Static_MAC_Binding(row as unknown as SbStaticMACBinding));
        break;
      case 'BFD':
        t.router.BFD.add(routerRowKey.BFD(row as unknown as SbBFD));
        break;
      case 'DNS':
        t.router.DNS.add(routerRowKey.DNS({ external_ids: (row['external_ids'] ?? {}) as Record<string, string> }));
        break;
      case 'Service_Monitor':
        if (typeof row['ip'] === 'string') t.router.Service_Monitor.add(routerRowKey.Service_Monitor(row as unknown as SbServiceMonitor));
        break;
    }
  }
  return t;
}

/** Adds to `out` every key whose value differs (by identity, or by `same`) between the two maps. */
function diffMapKeys<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, out: Set<string>, same?: (x: V, y: V) => boolean): void {
  if (a === b) return;
  if (!same) {
    // Versions of one ShardedMap: only the buckets that changed are compared.
    ShardedMap.diff(a, b, (k) => out.add(k));
    return;
  }
  for (const [k, v] of b) {
    const w = a.get(k);
    if (w !== v && (w === undefined || !same || !same(w, v))) out.add(k);
  }
  for (const k of a.keys()) if (!b.has(k)) out.add(k);
}

function sameDatapath(a: DesiredDatapath, b: DesiredDatapath): boolean {
  return a === b || (a.tunnelKey === b.tunnelKey && a.kind === b.kind && sameRecord(a.externalIds, b.externalIds));
}

/** Two desired load balancer rows that differ at most in their datapaths (other values compared by identity). */
function sameButDatapaths(a: DesiredLoadBalancer, b: DesiredLoadBalancer): boolean {
  // for…in instead of Object.keys: a thousand of these per run when a switch joins a group.
  let n = 0;
  for (const k in b) {
    n++;
    if (k !== 'datapaths' && a[k as keyof DesiredLoadBalancer] !== b[k as keyof DesiredLoadBalancer]) return false;
  }
  for (const _ in a) n--;
  return n === 0;
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function sameIpMulticast(a: DesiredIpMulticast, b: DesiredIpMulticast): boolean {
  for (const k of Object.keys(b) as (keyof DesiredIpMulticast)[]) if (a[k] !== b[k]) return false;
  return Object.keys(a).length === Object.keys(b).length;
}

