// The incremental compiler: NB snapshot (+ SB inputs) → desired SB, reusing
// the work of the previous run wherever its inputs did not change.
//
// Units of work and what they depend on (printable with describeGraph()):
//   global        NB_Global options, chassis features, svc_monitor_mac → its
//                 fingerprint is a dependency of every flow unit;
//   topology      datapaths, ports, peers, tunnel keys, Port_Binding /
//                 Multicast_Group / IP_Multicast rows — rebuilt every run
//                 (linear, no flows), so each unit can name the parts it uses;
//   ls/<uuid>/acls  which ACL lists apply to a switch (its own, its port
//                 groups') and whether it is stateful: no flows; depends on
//                 the switch and its own ACL rows, CoPP, "port groups of this
//                 port", "ACL summary of this port group" and "this LB
//                 (group) has a VIP" — not on the groups' ACLs;
//   ls/<uuid>/own   one logical switch's stateful flows except those of single
//                 ACLs (pre-/post-stateful, ACL defaults, QoS, LB hairpin …):
//                 depends on the NB rows its builders read (recorded), "has a
//                 VIP" lookups, its ACL summary (has ACLs, has stateful ACLs)
//                 and global;
//   ls/<uuid>/ports the switch's per-port flows (port security, ARP/ND, L2
//                 lookup …): depends on its ports and their peers
//                 (fingerprint), the rows and other ports it reads, and global
//                 — so an ACL change rebuilds only the stateful half;
//   lb/<uuid>[/m] one load balancer's switch flows, shared by every switch it
//                 applies to (one contribution per CoPP meter class):
//                 depends on the LB row, the switches it applies to, global.
//   acl/<uuid>/<kind>/<place> one ACL's flows, shared by every switch it
//                 applies to as that kind (stateful or not, reject meter) at
//                 that place in the switch's ACL list: depends on the ACL row,
//                 what its log action reads (meters), the switches, global.
// Flows of all units merge in a FlowStore, which reports the flow keys that
// changed; the SB differ writes only those (src/sb/sb-differ.ts).
// SB rows that are not flows, each kept from run to run by its own module:
// port groups, meters, HA chassis groups (ha-chassis.ts), static MAC
// bindings (static-mac-bindings.ts), BFD sessions and the NB BFD status to
// write back (bfd.ts).
//
// A fresh Compiler is the full compile (compile.ts).  The invariant — the result of a run
// equals the result of a fresh Compiler on the same input — is checked by a
// property test and, at run time, by the daemon's optional self-check.
import { makeContext, type CompileContext, type CompileInput, type Diagnostic, type LookupKind } from './context.js';
import { trackedContext } from './tracked-context.js';
import type { DesiredLoadBalancer, DesiredSb } from './desired.js';
import { buildGlobalOptions, NB_OPTIONS_WRITTEN_BACK, type FreshRandom } from './global.js';
import { buildTopology, type Router, type Switch, type Topology } from './topology.js';
import { buildSwitchBindings, queueSignature } from './bindings.js';
import { buildSwitchPortFlows } from './switch/index.js';
import {
  aclSummary,
  buildOneAclFlows,
  buildSwitchStatefulOwnFlows,
  buildLbFlowsForSwitch,
  coppMeter,
  lbSwitchMeters,
  ownAclPlacements,
  pgAclPlacements,
  switchHasLbVip,
  switchPortGroups,
  switchStatefulFacts,
  type LbSwitchMeters,
} from './switch/stateful-index.js';
import { AclGroups, samePlacements, type AclGroup, type SwitchAcls } from './acl-groups.js';
import { ShardedMap } from '../replica/sharded-map.js';
import { LbResolver, type ResolvedLb } from './lb/resolve.js';
import { desiredSbLoadBalancer, withDatapaths } from './lb/sb-sync.js';
import { FlowStore, makeContribution, PHASE_LB, PHASE_OWN, PHASE_PORTS, type Contribution } from './flow-store.js';
import { CompileMemo } from './memo.js';
import { DepRecorder, sameElements, sameValue, trackedView, type DerivedValue } from './deps.js';
import { changedDepKeys, UnitsByDep } from './dep-index.js';
import { LspUpInsensitiveView } from './lsp-up-view.js';
import { smapGetBool } from '../model/smap.js';
import type { NbNBGlobal } from '../model/nb.js';
import { PortGroupSync } from './port-groups.js';
import { MeterSync } from './meters.js';
import { UnsupportedFeatures } from './unsupported.js';
import { RouterUnits } from './units/router.js';
import { HaChassisSync } from './ha-chassis.js';
import { StaticMacBindingSync } from './static-mac-bindings.js';
import { BfdSync } from './bfd.js';

export interface CompileStats {
  readonly full: boolean;
  readonly switchUnits: number;
  readonly switchUnitsRecomputed: number;
  readonly lbUnits: number;
  readonly lbUnitsRecomputed: number;
  readonly flowsChanged: number;
  readonly ms: { topology: number; bindings: number; lbs: number; units: number; merge: number; total: number };
}

export interface CompileResult {
  readonly desired: DesiredSb;
  /** Flow keys whose merged flow was added, removed or modified by this run. */
  readonly changedFlowKeys: ReadonlySet<string>;
  /** Of those, the flows whose content is unchanged: only their datapath set moved. */
  readonly datapathOnlyKeys: ReadonlySet<string>;
  readonly stats: CompileStats;
}

interface SwitchUnit {
  readonly deps: DepRecorder;
  readonly contribution: Contribution;
  readonly diagnostics: readonly Diagnostic[];
}

/** The ACLs of one switch (unit ls/<uuid>/acls): no flows of its own. */
interface AclPart {
  readonly deps: DepRecorder;
  readonly info: SwitchAcls;
  /** [has ACLs, has stateful ACLs]: what the switch's own flows read of its ACLs. */
  readonly summary: DerivedValue;
  readonly diagnostics: readonly Diagnostic[];
}

interface AclUnit {
  readonly acl: AclGroup['acl'];
  readonly global: string;
  readonly deps: DepRecorder;
  readonly contribution: Contribution;
}

interface LbUnit {
  readonly lb: ResolvedLb;
  readonly meters: LbSwitchMeters;
  readonly global: string;
  readonly contribution: Contribution;
}

/**
 * The per-run facts every flow unit depends on, as one comparable string.
 * Without the options northd writes back: otherwise its own first write-back
 * would look like a change of every flow's inputs.
 */
function globalFingerprint(ctx: CompileContext, svcMonitorMac: string): string {
  const options = Object.entries(ctx.options).filter(([k]) => !NB_OPTIONS_WRITTEN_BACK.has(k));
  return JSON.stringify([options, ctx.features, ctx.dropAction, svcMonitorMac]);
}

/**
 * What a switch's flow builders read of a peer router besides the peer port itself: its LB
 * addresses, NAT entries, multicast relay and distributed gateway ports — not its row nor its
 * other ports, so a route, a policy or a port added elsewhere on the router rebuilds no switch.
 */
function routerFingerprint(r: Router): DerivedValue[] {
  return [r.lbIpsV4, r.lbIpsV6, r.natEntries.map((n) => n.nb), r.mcastRelay, r.l3dgwPorts.map((p) => [p.name, p.crName ?? ''])];
}

function switchFingerprint(sw: Switch, topo: Topology, queues: ReadonlyMap<string, number>): DerivedValue[] {
  const out: DerivedValue[] = [sw.nb, topo.checkLspIsUp, sw.mcast.floodRelay];
  for (const p of sw.ports) {
    out.push(p.nb, p.up, queues.get(p.name));
    if (p.peer) {
      out.push(p.peer.nb, p.peer.peerName ?? '', p.peer.crName ?? '');
      const r = topo.routerByUuid.get(p.peer.routerUuid);
      out.push(r ? routerFingerprint(r) : undefined);
    }
  }
  return out;
}

/** Topology as a switch unit sees it: lookups of other ports by name are recorded. */
function trackedTopology(topo: Topology, rec: DepRecorder): Topology {
  const portByName = new Proxy(topo.portByName, {
    get(target, prop) {
      if (prop === 'get') {
        return (name: string) => {
          const p = target.get(name);
          rec.value(`port/${name}`, portFingerprint(p));
          return p;
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { ...topo, portByName };
}

function portFingerprint(p: Topology['portByName'] extends ReadonlyMap<string, infer P> ? P | undefined : never): DerivedValue {
  if (!p) return undefined;
  return p.kind === 'lsp' ? ['lsp', p.switchUuid, p.nb] : ['lrp', p.routerUuid, p.nb];
}

const NO_PEERS: readonly (Router | undefined)[] = [];
const NO_KEYS: ReadonlySet<string> = new Set();

/** Whether a switch's router ports still lead to the same Router objects. */
function samePeers(peers: readonly (Router | undefined)[], sw: Switch, topo: Topology): boolean {
  const rp = sw.routerPorts;
  if (rp.length !== peers.length) return false;
  for (let i = 0; i < rp.length; i++) if (topo.routerByUuid.get(rp[i]!.peer!.routerUuid) !== peers[i]) return false;
  return true;
}

/** SB tables northd writes and never reads: a change in them (our own writes coming back) changes no input. */
const SB_WRITE_ONLY = new Set([
  'SB_Global',
  'Logical_Flow',
  'Logical_DP_Group',
  'Multicast_Group',
  'Address_Set',
  'Port_Group',
  'Meter',
  'Meter_Band',
  'DHCP_Options',
  'DHCPv6_Options',
  'RBAC_Role',
  'RBAC_Permission',
  'Load_Balancer',
  'DNS',
  'HA_Chassis_Group',
  'HA_Chassis',
  'Static_MAC_Binding',
]);

/** The NB_Global row changed only in the columns `ovn-nbctl --wait` and northd's write-back bump. */
function onlyCfgChanged(a: ReadonlyMap<string, NbNBGlobal>, b: ReadonlyMap<string, NbNBGlobal>): boolean {
  if (a.size !== b.size || a.size > 1) return false;
  const x = a.values().next().value;
  const y = b.values().next().value;
  if (!x || !y) return x === y;
  return x._uuid === y._uuid && x.options === y.options && x.external_ids === y.external_ids && x.ipsec === y.ipsec && x.name === y.name && x.connections === y.connections && x.ssl === y.ssl;
}


/** The units of a switch (see the graph above); its ACLs come first, the own flows read their summary. */
const SWITCH_PARTS = ['acls', 'own', 'ports'] as const;

export class Compiler {
  private readonly store = new FlowStore();
  private switchUnits = new Map<string, SwitchUnit>();
  private lbUnits = new Map<string, LbUnit>();
  private readonly aclParts = new Map<string, AclPart>();
  private readonly aclGroups = new AclGroups();
  private readonly aclUnits = new Map<string, AclUnit>();
  private lastGlobalFp: string | undefined;
  private readonly lbResolver = new LbResolver();
  /** Topology/binding objects reused from earlier runs of this compiler. */
  private readonly memo = new CompileMemo();
  private readonly fpMemo = new WeakMap<Switch, { check: boolean; queues: string; peers: readonly (Router | undefined)[]; fp: DerivedValue[] }>();
  /** Switches (by UUID) whose units were up to date for this Switch object; see the walk in run(). */
  private readonly settled = new Map<string, { sw: Switch; peers: readonly (Router | undefined)[] }>();
  private settledCheck: boolean | undefined;
  private settledQueuesEmpty = false;
  private lastLbs: ReadonlyMap<string, ResolvedLb> | undefined;
  private lastCoppEmpty = false;
  /** One datapath set per shared LB switch list. */
  private readonly setOfList = new WeakMap<readonly string[], ReadonlySet<string>>();
  private sbLbRows = new Map<string, { lb: ResolvedLb; row: DesiredLoadBalancer | undefined }>();
  /** Unit ids by switch UUID (built once), and load balancer unit ids by LB UUID. */
  private readonly unitIds = new Map<string, readonly string[]>();
  private readonly singleSets = new Map<string, ReadonlySet<string>>();
  private readonly lbUnitIds = new Map<string, string>();
  /** The datapath order the flow store's rank was computed from. */
  private rankOf: readonly string[] | undefined;
  /** The SB address sets, kept while the NB Address_Set table, svc_monitor_mac and the port groups' sets are. */
  private addressSets: { table: unknown; mac: string; pgSets: unknown; map: ReadonlyMap<string, readonly string[]>; warnings: readonly Diagnostic[] } | undefined;
  private readonly portGroups = new PortGroupSync();
  private readonly meters = new MeterSync();
  private readonly unsupported = new UnsupportedFeatures();
  private readonly haChassis = new HaChassisSync();
  private readonly staticMacBindings = new StaticMacBindingSync();
  private readonly bfd = new BfdSync();
  private lastLbRows: { lbs: ReadonlyMap<string, ResolvedLb>; out: Map<string, DesiredLoadBalancer> } | undefined;
  private readonly lspView = new LspUpInsensitiveView();
  /** Which switch units read which NB rows and derived values. */
  private readonly unitsByDep = new UnitsByDep();
  /** The last full run's input and result (see unchangedRun()). */
  private lastRun: { input: CompileInput; desired: DesiredSb; asWarnings: readonly Diagnostic[] } | undefined;
  private readonly routerUnits = new RouterUnits(this.store, this.unitsByDep);
  private prevNb: CompileInput['nb'] | undefined;
  private runs = 0;

  constructor(private readonly fresh: FreshRandom) {}

  run(input: CompileInput): CompileResult {
    const quick = this.unchangedRun(input);
    if (quick) return quick;
    const t0 = performance.now();
    const full = this.runs++ === 0;
    // Rows that changed only in `up` keep their object while flows ignore `up`.
    const options = input.nb.NB_Global.values().next().value?.options ?? {};
    const lsps = this.lspView.view(input.nb.Logical_Switch_Port, !smapGetBool(options, 'ignore_lsp_down', true));
    const ctx = makeContext(lsps === input.nb.Logical_Switch_Port ? input : { ...input, nb: { ...input.nb, Logical_Switch_Port: lsps } }, this.memo);
    const global = buildGlobalOptions(ctx, this.fresh);
    const fp0 = globalFingerprint(ctx, global.svcMonitorMac);
    // The last run's string when equal: the units compare theirs by identity then.
    const globalSame = fp0 === this.lastGlobalFp;
    const globalFp = globalSame ? this.lastGlobalFp! : fp0;
    const topology = buildTopology(ctx);
    const tTopo = performance.now();
    const bindings = buildSwitchBindings(ctx, topology);
    const tBind = performance.now();
    const lbs = this.lbResolver.resolve(ctx);
    const t1 = performance.now();

    // The datapath walk order decides which of several disagreeing flows is kept.
    if (topology.dpOrderIds !== this.rankOf) {
      const rank = new Map<string, number>();
      topology.dpOrderIds.forEach((u, i) => rank.set(u, i));
      this.store.setDatapathRank(rank);
      this.rankOf = topology.dpOrderIds;
    }

    // --- switch units: only those the changed NB rows reach are checked (all when
    // port names or rows are shared, since then the datapath order decides who binds them).
    let swRecomputed = 0;
    const liveSwitches = new Set<string>();
    const diagnostics: Diagnostic[] = [...ctx.diagnostics];
    const reached = this.prevNb && !ctx.memo.joinChanges.ambiguous ? this.unitsByDep.reached(changedDepKeys(this.prevNb, ctx.nb)) : undefined;
    const prevNb = this.prevNb;
    this.prevNb = ctx.nb;
    const aclSwitchChanges: [string, SwitchAcls | undefined][] = [];
    // A switch that is the same object as when its units were last found up to date, that
    // no changed row reaches, in a run whose global inputs are those of the last run, is up
    // to date without computing its fingerprint (most of 500 switches on a port change).
    const quiet =
      reached !== undefined &&
      globalSame &&
      this.settledCheck === topology.checkLspIsUp &&
      bindings.qdiscQueues.size === 0 &&
      this.settledQueuesEmpty;
    if (!quiet) this.settled.clear();
    this.settledCheck = topology.checkLspIsUp;
    this.settledQueuesEmpty = bindings.qdiscQueues.size === 0;
    for (const sw of topology.switches) {
      liveSwitches.add(sw.uuid);
      const ids = this.switchUnitIds(sw.uuid);
      const st = quiet ? this.settled.get(sw.uuid) : undefined;
      if (st && st.sw === sw && samePeers(st.peers, sw, topology) && !reached!.has(ids[0]!) && !reached!.has(ids[1]!) && !reached!.has(ids[2]!)) {
        this.pushDiagnostics(sw.uuid, ids, diagnostics);
        continue;
      }
      const fp = this.fingerprintOf(sw, topology, bindings.qdiscQueues);
      const derived = (name: string): DerivedValue => this.derivedValue(ctx, topology, name, globalFp, fp, sw.uuid);
      let rebuilt = false;
      for (let i = 0; i < SWITCH_PARTS.length; i++) {
        const part = SWITCH_PARTS[i]!;
        const id = ids[i]!;
        if (part === 'acls') {
          const prevPart = this.aclParts.get(sw.uuid);
          let cur = prevPart;
          if (!prevPart || ((reached === undefined || reached.has(id)) && !prevPart.deps.holds(ctx.nb, derived))) {
            cur = this.buildAclPart(ctx, sw);
            this.aclParts.set(sw.uuid, cur);
            this.unitsByDep.set(id, cur.deps);
            aclSwitchChanges.push([sw.uuid, cur.info]);
          }
          if (cur!.diagnostics.length) diagnostics.push(...cur!.diagnostics);
          continue;
        }
        const prev = this.switchUnits.get(id);
        let unit = prev;
        const unchanged =
          prev !== undefined &&
          reached !== undefined &&
          !reached.has(id) &&
          prev.deps.derived.get('global') === globalFp &&
          (!prev.deps.derived.has('switch') || sameValue(prev.deps.derived.get('switch'), fp)) &&
          (!prev.deps.derived.has('acls') || sameValue(prev.deps.derived.get('acls'), this.aclParts.get(sw.uuid)!.summary));
        if (!prev || (!unchanged && !prev.deps.holds(ctx.nb, derived))) {
          unit =
            part === 'own'
              ? this.buildSwitchOwnUnit(ctx, sw, globalFp)
              : this.buildSwitchPortsUnit(ctx, topology, sw, bindings.qdiscQueues, global.svcMonitorMac, globalFp, fp);
          this.switchUnits.set(id, unit);
          this.unitsByDep.set(id, unit.deps);
          this.store.set(id, unit.contribution);
          rebuilt = true;
        }
        if (unit!.diagnostics.length) diagnostics.push(...unit!.diagnostics);
      }
      if (rebuilt) swRecomputed++;
      // The fingerprint is a function of the Switch object and its peer Router objects: while
      // both are the same and no changed row reaches its units, the switch is not visited.
      const m = this.fpMemo.get(sw);
      if (m?.fp === fp) this.settled.set(sw.uuid, { sw, peers: m.peers });
      else this.settled.delete(sw.uuid);
    }
    for (const [uuid, ids] of this.unitIds) {
      if (liveSwitches.has(uuid)) continue;
      this.unitIds.delete(uuid);
      this.settled.delete(uuid);
      this.singleSets.delete(uuid);
      if (this.aclParts.delete(uuid)) aclSwitchChanges.push([uuid, undefined]);
      for (const id of ids) {
        this.switchUnits.delete(id);
        this.unitsByDep.set(id, undefined);
        this.store.set(id, undefined);
      }
    }

    // --- ACL units: port groups whose ACL lists changed first, then switches whose lists or kind changed
    this.updatePortGroupAcls(ctx, prevNb);
    for (const [uuid, info] of aclSwitchChanges) this.aclGroups.setSwitch(uuid, info);
    const aclChanges = this.aclGroups.takeChanges();
    const aclCheck = new Set<string>(aclChanges.keys());
    if (reached === undefined || globalFp !== this.lastGlobalFp) for (const k of this.aclUnits.keys()) aclCheck.add(k);
    else for (const k of reached) if (k.startsWith('acl/')) aclCheck.add(k);
    this.lastGlobalFp = globalFp;
    for (const key of aclCheck) {
      const g = aclChanges.has(key) ? aclChanges.get(key) : this.aclGroups.get(key);
      const prev = this.aclUnits.get(key);
      if (!g) {
        this.aclUnits.delete(key);
        this.unitsByDep.set(key, undefined);
        this.store.set(key, undefined);
        continue;
      }
      const sameFlows = prev !== undefined && prev.acl === g.acl && prev.global === globalFp && prev.deps.holds(ctx.nb, (name) => this.derivedValue(ctx, topology, name, globalFp, [], ''));
      if (sameFlows && prev.contribution.datapaths === g.switches) continue;
      const unit = sameFlows ? { acl: prev.acl, global: prev.global, deps: prev.deps, contribution: movedContribution(prev.contribution, g.switches) } : this.buildAclUnit(ctx, key, g, globalFp);
      this.aclUnits.set(key, unit);
      if (!sameFlows) this.unitsByDep.set(key, unit.deps);
      this.store.set(key, unit.contribution);
    }

    // --- load balancer units: one per (LB, meter class of the switches it is on)
    let lbRecomputed = 0;
    const liveLbUnits = new Set<string>();
    const metersOf = new Map<string, LbSwitchMeters>();
    const meterKey = (m: LbSwitchMeters): string => (m.event === undefined && m.reject === undefined ? '' : `/${m.event ?? ''}/${m.reject ?? ''}`);
    const coppSwitches = new Set(topology.switches.filter((sw) => sw.nb.copp !== undefined).map((sw) => sw.uuid));
    // The resolver's map is the last run's when no load balancer, group or attachment
    // changed: with the same global inputs and no CoPP meters, every LB unit is as it was.
    const lbsSettled = lbs === this.lastLbs && globalSame && coppSwitches.size === 0 && this.lastCoppEmpty;
    this.lastLbs = lbs;
    this.lastCoppEmpty = coppSwitches.size === 0;
    for (const lb of lbsSettled ? [] : lbs.values()) {
      if (!lb.switches.length || !lb.vips.length) continue;
      // Switches without a CoPP policy (the usual case) share one class and one datapath set.
      let classes: Map<string, { meters: LbSwitchMeters; dps: ReadonlySet<string> }>;
      const noCopp = !coppSwitches.size || !lb.switches.some((u) => coppSwitches.has(u));
      if (noCopp) {
        // The common case, unchanged: the same resolved LB on the same switch set.
        let id = this.lbUnitIds.get(lb.uuid);
        if (id === undefined) this.lbUnitIds.set(lb.uuid, (id = `lb/${lb.uuid}`));
        const prev = this.lbUnits.get(id);
        if (prev !== undefined && prev.lb.nb === lb.nb && prev.global === globalFp && prev.meters.event === undefined && prev.meters.reject === undefined) {
          liveLbUnits.add(id);
          const dps = this.setOf(lb.switches);
          if (prev.contribution.datapaths === dps) continue;
          // Its switches changed (a switch joined or left its group): the same flows on the
          // new set; the store moves them without a merge.
          const contribution = movedContribution(prev.contribution, dps);
          this.lbUnits.set(id, { lb, meters: prev.meters, global: prev.global, contribution });
          this.store.set(id, contribution);
          lbRecomputed++;
          continue;
        }
      }
      if (noCopp) {
        classes = new Map([['', { meters: { event: undefined, reject: undefined }, dps: this.setOf(lb.switches) }]]);
      } else {
        const byClass = new Map<string, { meters: LbSwitchMeters; dps: Set<string> }>();
        for (const u of lb.switches) {
          const sw = topology.switchByUuid.get(u);
          if (!sw) continue;
          let m = metersOf.get(u);
          if (!m) metersOf.set(u, (m = lbSwitchMeters(ctx, sw.nb)));
          const k = meterKey(m);
          let c = byClass.get(k);
          if (!c) byClass.set(k, (c = { meters: m, dps: new Set() }));
          c.dps.add(u);
        }
        classes = byClass;
      }
      for (const [k, c] of classes) {
        const id = `lb/${lb.uuid}${k}`;
        liveLbUnits.add(id);
        const prev = this.lbUnits.get(id);
        const sameFlows =
          // A load balancer's switch flows are a function of its row (parsed once per row version):
          // when only its switches changed, the flows are kept and only the datapath set moves.
          prev !== undefined && prev.lb.nb === lb.nb && prev.global === globalFp && prev.meters.event === c.meters.event && prev.meters.reject === c.meters.reject;
        if (sameFlows && sameSetOf(prev.contribution.datapaths, c.dps)) continue;
        const contribution = sameFlows
          ? movedContribution(prev.contribution, c.dps)
          : makeContribution(id, c.dps, lb.uuid, [{ phase: PHASE_LB, flows: buildLbFlowsForSwitch(ctx, lb, c.meters) }], this.store.pool);
        this.lbUnits.set(id, { lb, meters: c.meters, global: globalFp, contribution });
        this.store.set(id, contribution);
        lbRecomputed++;
      }
    }
    for (const id of lbsSettled ? [] : this.lbUnits.keys()) {
      if (liveLbUnits.has(id)) continue;
      this.lbUnits.delete(id);
      this.store.set(id, undefined);
    }
    // --- router units (src/compile/units/router.ts)
    diagnostics.push(...this.routerUnits.update(ctx, topology, globalFp, bindings.keys.port, reached));
    const t2 = performance.now();
    this.store.commit();
    const datapathOnlyKeys = this.store.datapathOnlyChanges();
    const changedFlowKeys = this.store.takeChanges();
    const t3 = performance.now();

    this.unsupported.check(ctx.nb, ctx.sb, diagnostics);
    const pgRows = this.portGroups.update(ctx, topology, bindings.keys.datapath, ctx.memo.joinChanges.ambiguous);
    diagnostics.push(...this.portGroups.diagnostics());
    const addressSets = this.addressSetRows(ctx, global.svcMonitorMac, pgRows.sets, diagnostics);
    const haChassisGroups = this.haChassis.update(ctx, topology, (key, message) => diagnostics.push({ level: 'warn', key, message }));
    const bfd = this.bfd.update(ctx, topology, this.fresh.bfdDiscSeed ?? 0);

    const desired: DesiredSb = {
      sbGlobalOptions: global.sbOptions,
      nbGlobalOptions: global.nbOptions,
      datapaths: bindings.datapaths,
      portBindings: bindings.portBindings,
      multicastGroups: bindings.multicastGroups,
      ipMulticast: bindings.ipMulticast,
      loadBalancers: this.desiredLoadBalancers(lbs),
      addressSets,
      portGroups: pgRows.groups,
      meters: this.meters.update(ctx.nb),
      haChassisGroups,
      staticMacBindings: this.staticMacBindings.update(ctx.nb, topology),
      bfd: bfd.rows,
      flows: this.store,
      lspDynamicAddresses: bindings.lspDynamicAddresses,
      nbBfdStatus: bfd.nbStatus,
      diagnostics,
    };
    this.lastRun = { input, desired, asWarnings: this.addressSets?.warnings ?? [] };
    return {
      desired,
      changedFlowKeys,
      datapathOnlyKeys,
      stats: {
        full,
        switchUnits: liveSwitches.size,
        switchUnitsRecomputed: swRecomputed,
        lbUnits: this.lbUnits.size,
        lbUnitsRecomputed: lbRecomputed,
        flowsChanged: changedFlowKeys.size,
        ms: { topology: tTopo - t0, bindings: tBind - tTopo, lbs: t1 - tBind, units: t2 - t1, merge: t3 - t2, total: performance.now() - t0 },
      },
    };
  }

  /**
   * A run whose input differs from the last one only where no flow and no SB row but the
   * address sets come from — NB_Global's nb_cfg/sb_cfg/hv_cfg (what `ovn-nbctl --wait` bumps),
   * NB Address_Set, and SB tables northd only writes — is the last run's result with the
   * address sets brought up to date: a bare `sync` or an address-set edit costs a few
   * comparisons, not a walk of every datapath.
   */
  private unchangedRun(input: CompileInput): CompileResult | undefined {
    const last = this.lastRun;
    if (!last) return undefined;
    const t0 = performance.now();
    const a = last.input.nb as unknown as Record<string, unknown>;
    const b = input.nb as unknown as Record<string, unknown>;
    for (const t in b) if (a[t] !== b[t] && t !== 'NB_Global' && t !== 'Address_Set') return undefined;
    if (a['NB_Global'] !== b['NB_Global'] && !onlyCfgChanged(last.input.nb.NB_Global, input.nb.NB_Global)) return undefined;
    const sa = last.input.sb as unknown as Record<string, unknown>;
    const sb = input.sb as unknown as Record<string, unknown>;
    for (const t in sb) if (sa[t] !== sb[t] && !SB_WRITE_ONLY.has(t)) return undefined;
    this.runs++;
    const diagnostics = last.desired.diagnostics.filter((d) => !last.asWarnings.includes(d));
    let addressSets = last.desired.addressSets;
    if (a['Address_Set'] !== b['Address_Set']) {
      const prev = this.addressSets!;
      const ctx = { nb: input.nb } as CompileContext;
      addressSets = this.addressSetRows(ctx, prev.mac, prev.pgSets as ReadonlyMap<string, readonly string[]>, diagnostics);
    } else diagnostics.push(...last.asWarnings);
    const desired: DesiredSb = { ...last.desired, addressSets, diagnostics };
    this.lastRun = { input, desired, asWarnings: this.addressSets?.warnings ?? [] };
    const ms = performance.now() - t0;
    return {
      desired,
      changedFlowKeys: NO_KEYS,
      datapathOnlyKeys: NO_KEYS,
      stats: {
        full: false,
        switchUnits: this.unitIds.size,
        switchUnitsRecomputed: 0,
        lbUnits: this.lbUnits.size,
        lbUnitsRecomputed: 0,
        flowsChanged: 0,
        ms: { topology: 0, bindings: 0, lbs: 0, units: 0, merge: 0, total: ms },
      },
    };
  }

  /** The diagnostics a switch's units gave when they were built (repeated every run). */
  private pushDiagnostics(uuid: string, ids: readonly string[], out: Diagnostic[]): void {
    const acl = this.aclParts.get(uuid);
    if (acl?.diagnostics.length) out.push(...acl.diagnostics);
    for (let i = 1; i < ids.length; i++) {
      const u = this.switchUnits.get(ids[i]!);
      if (u?.diagnostics.length) out.push(...u.diagnostics);
    }
  }

  /** The flow store's string for a flow content key (see SbFlowIndex). */
  internFlowKey(key: string): string {
    return this.store.pool.canonicalKey(key);
  }

  /** The dependency graph as text: every unit and what it depends on. */
  describeGraph(opts: { verbose?: boolean } = {}): string {
    const lines: string[] = ['global: NB_Global options, SB Chassis features, svc_monitor_mac', 'topology: rebuilt every run'];
    for (const [id, u] of this.switchUnits) {
      const deps = u.deps.describe();
      lines.push(`${id}: ${u.contribution.flows.size} flows, ${deps.length} dependencies`);
      if (opts.verbose) for (const d of deps) lines.push(`  <- ${d}`);
    }
    for (const [uuid, part] of this.aclParts) {
      lines.push(`ls/${uuid}/acls: ${part.info.own.length} own ACLs, ${part.info.pgs.length} port groups`);
      if (opts.verbose) for (const d of part.deps.describe()) lines.push(`  <- ${d}`);
    }
    for (const [id, u] of this.aclUnits) {
      lines.push(`${id}: ${u.contribution.flows.size} flows on ${u.contribution.datapaths.size} switches`);
      if (opts.verbose) for (const d of [...u.deps.describe(), 'value switches-of-acl', 'value global']) lines.push(`  <- ${d}`);
    }
    for (const [id, u] of this.lbUnits) {
      lines.push(`${id}: ${u.contribution.flows.size} flows on ${u.contribution.datapaths.size} switches`);
      if (opts.verbose) lines.push(`  <- row Load_Balancer/${u.lb.uuid.slice(0, 8)}`, `  <- value switches-of-lb`, '  <- value global');
    }
    lines.push(...this.routerUnits.describe(opts.verbose === true));
    return lines.join('\n') + '\n';
  }

  private derivedValue(ctx: CompileContext, topo: Topology, name: string, globalFp: string, swFp: DerivedValue[], swUuid: string): DerivedValue {
    if (name === 'global') return globalFp;
    if (name === 'switch') return swFp;
    if (name === 'acls') return this.aclParts.get(swUuid)!.summary;
    const slash = name.indexOf('/');
    const kind = name.slice(0, slash);
    const key = name.slice(slash + 1);
    if (kind === 'port') return portFingerprint(topo.portByName.get(key));
    return ctx.lookup(kind as LookupKind, key) as DerivedValue;
  }

  /**
   * Which ACL lists apply to a switch (its own, its port groups'), as what
   * kind of switch.  It reads the port groups' membership and ACL summaries,
   * not their ACLs: an ACL added to a group does not reach it.
   */
  private buildAclPart(ctx: CompileContext, sw: Switch): AclPart {
    const deps = new DepRecorder();
    deps.row('Logical_Switch', sw.uuid, sw.nb);
    const tctx = trackedContext(ctx, deps);
    const own = ownAclPlacements(tctx, sw.nb);
    const pgs = switchPortGroups(tctx, sw.nb);
    let { hasAcls, hasStatefulAcl } = aclSummary(own.map((p) => p.acl));
    for (const g of pgs) {
      const sum = tctx.lookup('pg-acl-summary', g);
      if (sum[0] === '1') hasAcls = true;
      if (sum[1] === '1') hasStatefulAcl = true;
    }
    const hasStateful = hasStatefulAcl || switchHasLbVip(tctx, sw.nb);
    const rejectMeter = sw.nb.copp !== undefined ? coppMeter(tctx, sw.nb, 'reject') : undefined;
    return { deps, info: { own, pgs, hasStateful, rejectMeter }, summary: [hasAcls, hasStatefulAcl], diagnostics: tctx.diagnostics };
  }

  /** Hands the port groups whose ACL lists changed (their row, or one of their ACLs) to the ACL groups. */
  private updatePortGroupAcls(ctx: CompileContext, prevNb: CompileInput['nb'] | undefined): void {
    const pgs = ctx.nb.Port_Group;
    const changed = new Set<string>();
    if (!prevNb) {
      for (const g of pgs.keys()) changed.add(g);
    } else {
      ShardedMap.diff(prevNb.Port_Group, pgs, (g) => changed.add(g));
      const acls = new Set<string>();
      ShardedMap.diff(prevNb.ACL, ctx.nb.ACL, (u) => acls.add(u));
      if (acls.size) for (const pg of pgs.values()) if (pg.acls.some((u) => acls.has(u))) changed.add(pg._uuid);
    }
    for (const g of changed) {
      const pg = pgs.get(g);
      const next = pg ? pgAclPlacements(ctx.nb.ACL, pg) : undefined;
      const before = this.aclGroups.pgPlacements(g);
      if (next && before && samePlacements(before, next)) continue;
      if (next || before) this.aclGroups.setPg(g, next);
    }
  }

  /** One ACL's flows on the switches of its group. */
  private buildAclUnit(ctx: CompileContext, key: string, g: AclGroup, globalFp: string): AclUnit {
    const deps = new DepRecorder();
    deps.row('ACL', g.acl._uuid, g.acl);
    const tctx = trackedContext(ctx, deps);
    const flows = buildOneAclFlows(tctx, g.acl, g.hasStateful, g.rejectMeter);
    const contribution = makeContribution(key, g.switches, g.origin, [{ phase: PHASE_OWN, flows }], this.store.pool);
    return { acl: g.acl, global: globalFp, deps, contribution };
  }

  /** A switch's stateful flows: they read the NB (recorded), not the topology. */
  private buildSwitchOwnUnit(ctx: CompileContext, sw: Switch, globalFp: string): SwitchUnit {
    const deps = new DepRecorder();
    deps.value('global', globalFp);
    // Named explicitly so that the printed graph shows it.
    deps.row('Logical_Switch', sw.uuid, sw.nb);
    const summary = this.aclParts.get(sw.uuid)!.summary as [boolean, boolean];
    deps.value('acls', summary);
    const tctx = trackedContext(ctx, deps);
    const facts = switchStatefulFacts(tctx, sw.nb, { hasAcls: summary[0], hasStatefulAcl: summary[1] });
    const own = buildSwitchStatefulOwnFlows({ ctx: tctx, sw: sw.nb, lbs: [], facts });
    const contribution = makeContribution(`ls/${sw.uuid}/own`, this.switchSet(sw.uuid), '', [{ phase: PHASE_OWN, flows: own }], this.store.pool);
    return { deps, contribution, diagnostics: tctx.diagnostics };
  }

  /** A switch's per-port flows: they read its ports and their peers (the fingerprint) and other ports by name. */
  private buildSwitchPortsUnit(
    ctx: CompileContext,
    topo: Topology,
    sw: Switch,
    queues: ReadonlyMap<string, number>,
    svcMonitorMac: string,
    globalFp: string,
    fp: DerivedValue[],
  ): SwitchUnit {
    const deps = new DepRecorder();
    deps.value('global', globalFp);
    deps.value('switch', fp);
    // Named explicitly (the fingerprint covers them too) so that the printed graph shows them.
    deps.row('Logical_Switch', sw.uuid, sw.nb);
    for (const p of sw.ports) deps.row('Logical_Switch_Port', p.nb._uuid, p.nb);
    const tctx = trackedContext(ctx, deps);
    const ports = buildSwitchPortFlows(tctx, trackedTopology(topo, deps), sw, { svcMonitorMac, qdiscQueues: queues });
    const contribution = makeContribution(`ls/${sw.uuid}/ports`, this.switchSet(sw.uuid), '', [{ phase: PHASE_PORTS, flows: ports }], this.store.pool);
    return { deps, contribution, diagnostics: tctx.diagnostics };
  }

  /**
   * switchFingerprint(), the same array while a switch without router ports is
   * the same object with the same queues: the dependency check is then one
   * comparison.
   */
  private fingerprintOf(sw: Switch, topo: Topology, queues: ReadonlyMap<string, number>): DerivedValue[] {
    const q = queueSignature(sw, queues);
    // A switch with router ports also reads its peer routers (the same objects while unchanged).
    const peers = sw.routerPorts.length ? sw.routerPorts.map((p) => topo.routerByUuid.get(p.peer!.routerUuid)) : NO_PEERS;
    const m = this.fpMemo.get(sw);
    if (m && m.check === topo.checkLspIsUp && m.queues === q && (m.peers === peers || sameElements(m.peers, peers))) return m.fp;
    const fp = switchFingerprint(sw, topo, queues);
    this.fpMemo.set(sw, { check: topo.checkLspIsUp, queues: q, peers, fp });
    return fp;
  }

  private setOf(list: readonly string[]): ReadonlySet<string> {
    let s = this.setOfList.get(list);
    if (!s) this.setOfList.set(list, (s = new Set(list)));
    return s;
  }

  /** {uuid}, one object for all the units of a switch (the flow store memoises unions per set). */
  private switchSet(uuid: string): ReadonlySet<string> {
    let s = this.singleSets.get(uuid);
    if (!s) this.singleSets.set(uuid, (s = new Set([uuid])));
    return s;
  }

  private switchUnitIds(uuid: string): readonly string[] {
    let ids = this.unitIds.get(uuid);
    if (!ids) this.unitIds.set(uuid, (ids = SWITCH_PARTS.map((p) => `ls/${uuid}/${p}`)));
    return ids;
  }

  /**
   * SB Address_Set (sync_addr_sets()): svc_monitor_mac, the port groups' sets, then the
   * NB address sets, which win over a port group's set of the same name.  An unchanged
   * NB set keeps its array, so the differ compares it by identity.
   */
  private addressSetRows(ctx: CompileContext, mac: string, pgSets: ReadonlyMap<string, readonly string[]>, out: Diagnostic[]): ReadonlyMap<string, readonly string[]> {
    const last = this.addressSets;
    if (last && last.table === ctx.nb.Address_Set && last.mac === mac && last.pgSets === pgSets) {
      out.push(...last.warnings);
      return last.map;
    }
    const m = new Map<string, readonly string[]>([['svc_monitor_mac', last?.mac === mac ? last.map.get('svc_monitor_mac')! : [mac]]]);
    for (const [name, addrs] of pgSets) m.set(name, addrs);
    const nbNames = new Set<string>();
    const warnings: Diagnostic[] = [];
    for (const as of ctx.nb.Address_Set.values()) {
      if (nbNames.has(as.name) || as.name === 'svc_monitor_mac') continue;
      nbNames.add(as.name);
      if (pgSets.has(as.name)) {
        // The reference inserts a second SB row of that name, and every one of its SB
        // transactions fails on the name index; we keep the NB set and say so.
        warnings.push({
          level: 'warn',
          key: 'address-set-name-collision',
          message: `address set ${as.name} has the name of a port group's derived address set; the address set's addresses are used (ovn-northd 23.03 cannot write its SB transaction with this collision)`,
        });
      }
      const sorted = [...as.addresses].sort();
      const old = last?.map.get(as.name);
      m.set(as.name, old && old.length === sorted.length && old.every((x, i) => x === sorted[i]) ? old : sorted);
    }
    this.addressSets = { table: ctx.nb.Address_Set, mac, pgSets, map: m, warnings };
    out.push(...warnings);
    return m;
  }

  private desiredLoadBalancers(lbs: ReadonlyMap<string, ResolvedLb>): Map<string, DesiredLoadBalancer> {
    // The resolver returns the same map while nothing about load balancers changed.
    if (this.lastLbRows?.lbs === lbs) return this.lastLbRows.out;
    const out = new Map<string, DesiredLoadBalancer>();
    const next = new Map<string, { lb: ResolvedLb; row: DesiredLoadBalancer | undefined }>();
    for (const lb of lbs.values()) {
      const prev = this.sbLbRows.get(lb.uuid);
      let e = prev && prev.lb === lb ? prev : undefined;
      if (!e && prev?.row && prev.lb.nb === lb.nb && prev.lb.sbVips === lb.sbVips && lb.switches.length) {
        // Only the switches changed (a switch joined its group): the row keeps its other values.
        e = { lb, row: withDatapaths(prev.row, lb.switches) };
      }
      e ??= { lb, row: desiredSbLoadBalancer(lb) };
      next.set(lb.uuid, e);
      if (e.row) out.set(lb.uuid, e.row);
    }
    this.sbLbRows = next;
    this.lastLbRows = { lbs, out };
    return out;
  }
}

/** The same flows on other datapaths (one literal shape: see resolve.ts's withAttachments). */
function movedContribution(c: Contribution, datapaths: ReadonlySet<string>): Contribution {
  return { id: c.id, datapaths, sub: c.sub, flows: c.flows };
}

function sameSetOf(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
