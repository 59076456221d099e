// The incremental compiler: NB snapshot (+ SB inputs) → desired SB, reusing
// the work of the previous run wherever its inputs did not change.
//
// Units of work and what they depend on (printable with describeGraph()):
//   global        NB_Global options, chassis features, svc_monitor_mac → its
//                 fingerprint is a dependency of every flow unit;
//   topology      datapaths, ports, peers, tunnel keys, Port_Binding /
//                 Multicast_Group / IP_Multicast rows — walked every run, with
//                 every object that did not change reused, so each unit can name
//                 the parts it uses;
//   the unit families, one module each under units/, in this order (family.ts):
//     switches (units/switch.ts)  ls/<uuid>/acls, /own, /ports;
//     ACLs (units/acl.ts)         acl/<uuid>/<kind>/<place>, after the switches'
//                                 ACL parts, which say where each ACL applies;
//     load balancers (units/lb.ts) lb/<uuid>[/<meters>];
//     routers (units/router.ts)   lr/<uuid>/own, /routes, /policies, /port/<lrp>, /ls/<switch>;
//     router LBs (units/router-lb.ts) lrlb/<lb>/<class of router>.
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
import { makeContext, type CompileContext, type CompileInput, type Diagnostic } from './context.js';
import type { DesiredLoadBalancer, DesiredSb } from './desired.js';
import { buildGlobalOptions, NB_OPTIONS_WRITTEN_BACK, parseMacPrefix, type FreshRandom } from './global.js';
import { buildTopology, type Router } from './topology.js';
import { buildSwitchBindings } from './bindings.js';
import { LbResolver, type ResolvedLb } from './lb/resolve.js';
import { desiredSbLoadBalancer, withDatapaths } from './lb/sb-sync.js';
import { FlowStore } from './flow-store.js';
import { CompileMemo } from './memo.js';
import { changedDepKeys, UnitsByDep } from './dep-index.js';
import { LspUpInsensitiveView } from './lsp-up-view.js';
import { smapGetBool } from '../model/smap.js';
import type { NbNBGlobal } from '../model/nb.js';
import { PortGroupSync } from './port-groups.js';
import { MeterSync } from './meters.js';
import { TemplateVarSync } from './template-vars.js';
import { DnsSync } from './dns.js';
import { MirrorSync } from './mirrors.js';
import { Ipam } from './ipam.js';
import { IpamView } from './ipam-view.js';
import { datapathWalkOrder } from './topology.js';
import { HealthChecks } from './lb/health.js';
import { lbHealthUnits } from './units/lb-health.js';
import { IgmpGroups, type IgmpResult } from './igmp.js';
import { igmpUnits } from './units/igmp.js';
import { MC_KEYS } from './keys.js';
import type { DesiredMulticastGroup } from './desired.js';
import { UnsupportedFeatures } from './unsupported.js';
import { SwitchUnits } from './units/switch.js';
import { AclUnits } from './units/acl.js';
import { LbUnits } from './units/lb.js';
import { RouterUnits } from './units/router.js';
import { RouterLbUnits } from './units/router-lb.js';
import type { RunFacts, UnitFamily } from './units/family.js';
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

/**
 * The per-run facts every flow unit depends on, as one comparable string.
 * Without the options northd writes back: otherwise its own first write-back
 * would look like a change of every flow's inputs.
 */
function globalFingerprint(ctx: CompileContext, svcMonitorMac: string): string {
  const options = Object.entries(ctx.options).filter(([k]) => !NB_OPTIONS_WRITTEN_BACK.has(k));
  return JSON.stringify([options, ctx.features, ctx.dropAction, svcMonitorMac]);
}

const NO_KEYS: ReadonlySet<string> = new Set();

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
  'Chassis_Template_Var',
  'Mirror',
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


export class Compiler {
  private readonly store = new FlowStore();
  private lastGlobalFp: string | undefined;
  private readonly lbResolver = new LbResolver();
  /** Topology/binding objects reused from earlier runs of this compiler. */
  private readonly memo = new CompileMemo();
  private sbLbRows = new Map<string, { lb: ResolvedLb; row: DesiredLoadBalancer | undefined }>();
  /** The datapath order the flow store's rank was computed from. */
  private rankOf: readonly string[] | undefined;
  /** The SB address sets, kept while the NB Address_Set table, svc_monitor_mac and the port groups' sets are. */
  private addressSets:
    | { table: unknown; mac: string; pgSets: unknown; rtrSets: ReadonlyMap<string, readonly string[]>; map: ReadonlyMap<string, readonly string[]>; warnings: readonly Diagnostic[] }
    | undefined;
  /** The routers' LB address sets, kept while the Router objects and datapath keys are. */
  private rtrLbSets: { routers: unknown; keys: unknown; sets: ReadonlyMap<string, readonly string[]> } | undefined;
  private readonly portGroups = new PortGroupSync();
  private readonly meters = new MeterSync();
  private readonly templateVars = new TemplateVarSync();
  private readonly dns = new DnsSync();
  private readonly mirrors = new MirrorSync();
  private readonly ipam = new Ipam();
  private readonly ipamView = new IpamView();
  private readonly health = new HealthChecks();
  private readonly igmp = new IgmpGroups();
  private lastMc: { base: unknown; igmp: unknown; out: readonly DesiredMulticastGroup[] } | undefined;
  private readonly unsupported = new UnsupportedFeatures();
  private readonly haChassis = new HaChassisSync();
  private readonly staticMacBindings = new StaticMacBindingSync();
  private readonly bfd = new BfdSync();
  private lastLbRows: { lbs: ReadonlyMap<string, ResolvedLb>; out: Map<string, DesiredLoadBalancer> } | undefined;
  private readonly lspView = new LspUpInsensitiveView();
  /** Which units read which NB rows and derived values. */
  private readonly unitsByDep = new UnitsByDep();
  /** The last full run's input and result (see unchangedRun()). */
  private lastRun: { input: CompileInput; desired: DesiredSb; asWarnings: readonly Diagnostic[] } | undefined;
  private readonly switchUnits = new SwitchUnits(this.store, this.unitsByDep);
  private readonly lbUnits = new LbUnits(this.store);
  /** The unit families, in the order they are brought up to date (the ACLs read the switches' ACL parts). */
  private readonly families: readonly UnitFamily[] = [
    this.switchUnits,
    new AclUnits(this.store, this.unitsByDep, this.switchUnits),
    this.lbUnits,
    new RouterUnits(this.store, this.unitsByDep),
    new RouterLbUnits(this.store),
    lbHealthUnits(this.store),
    igmpUnits(this.store),
  ];
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
    const nbIn = lsps === input.nb.Logical_Switch_Port ? input.nb : { ...input.nb, Logical_Switch_Port: lsps };
    let ctx = makeContext({ ...input, nb: nbIn }, this.memo);
    // IPAM first: what it assigns is in the ports every builder reads (ipam.ts, ipam-view.ts).
    const ipam = this.ipam.update(ctx, parseMacPrefix(options['mac_prefix']) ?? this.fresh.macPrefix, datapathWalkOrder);
    if (ipam.writes.size) ctx = makeContext({ ...input, nb: { ...nbIn, Logical_Switch_Port: this.ipamView.view(nbIn.Logical_Switch_Port, ipam) } }, this.memo);
    for (const [key, message] of ipam.warnings) ctx.warn(key, message);
    const global = buildGlobalOptions(ctx, this.fresh);
    const fp0 = globalFingerprint(ctx, global.svcMonitorMac);
    // The last run's string when equal: the units compare theirs by identity then.
    const globalSame = fp0 === this.lastGlobalFp;
    const globalFp = globalSame ? this.lastGlobalFp! : fp0;
    this.lastGlobalFp = globalFp;
    const topology = buildTopology(ctx);
    const tTopo = performance.now();
    const bindings = buildSwitchBindings(ctx, topology);
    const tBind = performance.now();
    const health = this.health.apply(ctx, this.lbResolver.resolve(ctx), topology, global.svcMonitorMac);
    const lbs = health.lbs;
    const igmp = this.igmp.update(ctx, topology);
    const t1 = performance.now();

    // The datapath walk order decides which of several disagreeing flows is kept.
    if (topology.dpOrderIds !== this.rankOf) {
      const rank = new Map<string, number>();
      topology.dpOrderIds.forEach((u, i) => rank.set(u, i));
      this.store.setDatapathRank(rank);
      this.rankOf = topology.dpOrderIds;
    }

    // Only the units the changed NB rows reach are checked (all of them when port names or
    // rows are shared, since then the datapath order decides who binds them).
    const diagnostics: Diagnostic[] = [...ctx.diagnostics, ...health.diagnostics, ...igmp.diagnostics];
    const reached = this.prevNb && !ctx.memo.joinChanges.ambiguous ? this.unitsByDep.reached(changedDepKeys(this.prevNb, ctx.nb)) : undefined;
    const run: RunFacts = { ctx, topology, bindings, lbs, svcMonitorMac: global.svcMonitorMac, lbResponders: health.responders, igmpFlows: igmp.flows, global: globalFp, globalSame, reached, prevNb: this.prevNb };
    this.prevNb = ctx.nb;
    for (const f of this.families) f.update(run, diagnostics);
    const t2 = performance.now();
    this.store.commit();
    const datapathOnlyKeys = this.store.datapathOnlyChanges();
    const changedFlowKeys = this.store.takeChanges();
    const t3 = performance.now();

    this.unsupported.check(ctx.nb, ctx.sb, diagnostics);
    const pgRows = this.portGroups.update(ctx, topology, bindings.keys.datapath, ctx.memo.joinChanges.ambiguous);
    diagnostics.push(...this.portGroups.diagnostics());
    const addressSets = this.addressSetRows(ctx, global.svcMonitorMac, pgRows.sets, this.routerLbSets(topology.routers, bindings.keys.datapath), diagnostics);
    const haChassisGroups = this.haChassis.update(ctx, topology, (key, message) => diagnostics.push({ level: 'warn', key, message }));
    const bfd = this.bfd.update(ctx, topology, this.fresh.bfdDiscSeed ?? 0);

    const desired: DesiredSb = {
      sbGlobalOptions: global.sbOptions,
      nbGlobalOptions: global.nbOptions,
      datapaths: bindings.datapaths,
      portBindings: bindings.portBindings,
      multicastGroups: this.multicastGroups(bindings.multicastGroups, igmp, bindings.keys.datapath),
      igmpStale: igmp.stale,
      ipMulticast: bindings.ipMulticast,
      loadBalancers: this.desiredLoadBalancers(lbs),
      addressSets,
      portGroups: pgRows.groups,
      meters: this.meters.update(ctx.nb),
      templateVars: this.templateVars.update(ctx.nb),
      dns: this.dns.update(ctx.nb),
      mirrors: this.mirrors.update(ctx.nb),
      serviceMonitors: health.monitors,
      haChassisGroups,
      staticMacBindings: this.staticMacBindings.update(ctx.nb, topology),
      bfd: bfd.rows,
      flows: this.store,
      lspDynamicAddresses: ipam.writes,
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
        switchUnits: this.switchUnits.size,
        switchUnitsRecomputed: this.switchUnits.recomputed,
        lbUnits: this.lbUnits.size,
        lbUnitsRecomputed: this.lbUnits.recomputed,
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
      addressSets = this.addressSetRows(ctx, prev.mac, prev.pgSets as ReadonlyMap<string, readonly string[]>, prev.rtrSets, diagnostics);
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
        switchUnits: this.switchUnits.size,
        switchUnitsRecomputed: 0,
        lbUnits: this.lbUnits.size,
        lbUnitsRecomputed: 0,
        flowsChanged: 0,
        ms: { topology: 0, bindings: 0, lbs: 0, units: 0, merge: 0, total: ms },
      },
    };
  }

  /** The fixed multicast groups with the learnt ones (igmp.ts); the last array while both are the same. */
  private multicastGroups(base: readonly DesiredMulticastGroup[], igmp: IgmpResult, dpKeys: ReadonlyMap<string, number>): readonly DesiredMulticastGroup[] {
    if (!igmp.groups.length && !igmp.mrouterPorts.size) return base;
    if (this.lastMc && this.lastMc.base === base && this.lastMc.igmp === igmp) return this.lastMc.out;
    const out = base.map((g) => {
      const extra = g.name === '_MC_mrouter_flood' ? igmp.mrouterPorts.get(g.datapath) : undefined;
      return extra ? { ...g, ports: [...new Set([...g.ports, ...extra])] } : g;
    });
    for (const [dp, ports] of igmp.mrouterPorts) {
      if (!dpKeys.has(dp) || base.some((g) => g.datapath === dp && g.name === '_MC_mrouter_flood')) continue;
      out.push({ datapath: dp, name: '_MC_mrouter_flood', tunnelKey: MC_KEYS['_MC_mrouter_flood'], ports: [...new Set(ports)] });
    }
    for (const g of igmp.groups) if (dpKeys.has(g.datapath)) out.push(g);
    this.lastMc = { base, igmp, out };
    return out;
  }

  /** The flow store's string for a flow content key (see SbFlowIndex). */
  internFlowKey(key: string): string {
    return this.store.pool.canonicalKey(key);
  }

  /** The dependency graph as text: every unit and what it depends on. */
  describeGraph(opts: { verbose?: boolean } = {}): string {
    const lines: string[] = ['global: NB_Global options, SB Chassis features, svc_monitor_mac', 'topology: walked every run, unchanged objects reused'];
    for (const f of this.families) lines.push(...f.describe(opts.verbose === true));
    return lines.join('\n') + '\n';
  }

  /**
   * SB Address_Set (sync_addr_sets()): svc_monitor_mac, the port groups' sets, then the
   * NB address sets, which win over a port group's set of the same name.  An unchanged
   * NB set keeps its array, so the differ compares it by identity.
   */
  private addressSetRows(
    ctx: CompileContext,
    mac: string,
    pgSets: ReadonlyMap<string, readonly string[]>,
    rtrSets: ReadonlyMap<string, readonly string[]>,
    out: Diagnostic[],
  ): ReadonlyMap<string, readonly string[]> {
    const last = this.addressSets;
    if (last && last.table === ctx.nb.Address_Set && last.mac === mac && last.pgSets === pgSets && last.rtrSets === rtrSets) {
      out.push(...last.warnings);
      return last.map;
    }
    const m = new Map<string, readonly string[]>([['svc_monitor_mac', last?.mac === mac ? last.map.get('svc_monitor_mac')! : [mac]]]);
    for (const [name, addrs] of pgSets) m.set(name, addrs);
    for (const [name, addrs] of rtrSets) m.set(name, addrs);
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
    this.addressSets = { table: ctx.nb.Address_Set, mac, pgSets, rtrSets, map: m, warnings };
    out.push(...warnings);
    return m;
  }

  /** `_rtr_lb_<datapath key>_ip4/_ip6`: the VIPs each router answers ARP/ND for (router/ip-input.ts). */
  private routerLbSets(routers: readonly Router[], keys: ReadonlyMap<string, number>): ReadonlyMap<string, readonly string[]> {
    const last = this.rtrLbSets;
    if (last && last.routers === routers && last.keys === keys) return last.sets;
    const sets = new Map<string, readonly string[]>();
    for (const r of routers) {
      const k = keys.get(r.uuid);
      if (k === undefined) continue;
      if (r.lbRespondV4.length) sets.set(`_rtr_lb_${k}_ip4`, r.lbRespondV4);
      if (r.lbRespondV6.length) sets.set(`_rtr_lb_${k}_ip6`, r.lbRespondV6);
    }
    // The same map while its content is: the address sets are then not assembled again.
    const same = last && last.sets.size === sets.size && [...sets].every(([n, a]) => last.sets.get(n) === a);
    this.rtrLbSets = { routers, keys, sets: same ? last.sets : sets };
    return this.rtrLbSets.sets;
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
