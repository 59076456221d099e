// The resolved topology: which NB switches and routers become datapaths,
// which of their ports become logical ports, what each port's addresses
// parse to, and who peers with whom (northd.c join_datapaths() and
// join_logical_ports()).  Built once per compile from the NB snapshot (and
// the SB rows northd reads back); every flow builder reads from it.
//
// Orders follow the reference where they can leak into the output:
// `datapathOrder` is the walk order of the reference's datapath hmap and
// each switch's `ports` are in the order of its `ports` column as the IDL
// delivers it (sorted by UUID), minus duplicates.
import { recordingWarnings, replayWarnings, type CompileContext, type KeptWarning } from './context.js';
import type {
  NbLogicalRouter,
  NbLogicalRouterPort,
  NbLogicalSwitch,
  NbLogicalSwitchPort,
  NbNAT,
} from '../model/nb.js';
import type { SbPortBinding } from '../model/sb.js';
import {
  extractIpAddresses,
  extractLrpNetworks,
  extractLspAddresses,
  type LportAddresses,
  summarizeLspAddresses,
} from '../model/lsp-addresses.js';
import { parsePortSecurity } from '../model/port-security.js';
import { hashString, hmapOrder, idlOrder, sortedUuids, uuidHash } from './hmap.js';

// ----------------------------------------------------------------- small OVS helpers

export { smapGetBool, smapGetInt, smapGetUllong } from '../model/smap.js';
import { smapGetBool, smapGetUllong } from '../model/smap.js';
import { sameElements, sameValue } from './deps.js';
import { ShardedMap } from '../replica/sharded-map.js';

/** json_string_escape(): the port name as a quoted string for matches/actions. */
export function jsonKey(name: string): string {
  return JSON.stringify(name);
}

// ----------------------------------------------------------------- types

export interface McastSwitchInfo {
  readonly enabled: boolean;
  readonly querier: boolean;
  readonly floodUnregistered: boolean;
  readonly tableSize: number;
  readonly idleTimeout: number;
  readonly queryInterval: number;
  readonly queryMaxResponse: number;
  readonly ethSrc: string | undefined;
  readonly ip4Src: string | undefined;
  readonly ip6Src: string | undefined;
  /** Some router-type port's router has mcast_relay. */
  readonly floodRelay: boolean;
  /** Some enabled port has options:mcast_flood=true (MC_STATIC exists). */
  readonly floodStatic: boolean;
  /** Some enabled port has options:mcast_flood_reports=true. */
  readonly floodReports: boolean;
}

export interface SwitchPort {
  readonly kind: 'lsp';
  readonly name: string;
  /** The name quoted as it appears in matches ("inport == \"p1\""). */
  readonly jsonKey: string;
  readonly nb: NbLogicalSwitchPort;
  /** NB UUID of the switch. */
  readonly switchUuid: string;
  readonly type: string;
  readonly enabled: boolean;
  readonly up: boolean;
  /** Parsed static addresses, then (for router-type ports) the peer's networks. */
  readonly lspAddrs: readonly LportAddresses[];
  /** How many of lspAddrs come from `addresses` itself. */
  readonly nLspNonRouterAddrs: number;
  readonly psAddrs: readonly LportAddresses[];
  readonly hasUnknown: boolean;
  /** For router-type ports: the router port it connects to (options:router-port), when valid. */
  readonly peer: RouterPort | undefined;
  /** The SB Port_Binding this port keeps (same logical_port and datapath). */
  readonly sb: SbPortBinding | undefined;
  readonly mcastFlood: boolean;
  readonly mcastFloodReports: boolean;
}

export interface RouterPort {
  readonly kind: 'lrp';
  readonly name: string;
  readonly jsonKey: string;
  readonly nb: NbLogicalRouterPort;
  readonly routerUuid: string;
  readonly networks: LportAddresses;
  readonly enabled: boolean;
  /** Name of the chassisredirect port ("cr-<name>") for a distributed gateway port. */
  readonly crName: string | undefined;
  /** The logical port on the other side: a router-type LSP or a peer LRP. */
  readonly peerName: string | undefined;
  readonly sb: SbPortBinding | undefined;
  readonly mcastFlood: boolean;
}

export interface NatEntry {
  readonly nb: NbNAT;
  /** Parsed external_ip, undefined when invalid (the reference skips it). */
  readonly ext: LportAddresses | undefined;
  readonly isV6: boolean;
}

export interface Router {
  readonly uuid: string;
  readonly nb: NbLogicalRouter;
  readonly name: string;
  readonly ports: readonly RouterPort[];
  readonly isGwRouter: boolean;
  readonly mcastRelay: boolean;
  /** Distributed gateway ports (LRPs with gateway_chassis/ha_chassis_group). */
  readonly l3dgwPorts: readonly RouterPort[];
  readonly natEntries: readonly NatEntry[];
  readonly hasDistributedNat: boolean;
  /**
   * Per port name, the VIPs (of the router's LBs) that port's networks hold: a peer switch
   * forwards ARP/ND for them to the port.  The router's full VIP list is not part of the
   * object (ctx.memo.routerLbIps has it): a VIP none of this reads leaves the router as it was.
   */
  readonly lbReachable: ReadonlyMap<string, IpLists>;
  /** What peer switches' flows read of its NAT rules (not SNAT addresses). */
  readonly natPeer: NatPeerFacts;
  /**
   * The VIP addresses the router answers ARP/ND for (od->lb_ips->ips_v4/v6_reachable), sorted:
   * its SB address sets `_rtr_lb_<key>_ip4/_ip6` and their per-port responders.
   */
  readonly lbRespondV4: readonly string[];
  readonly lbRespondV6: readonly string[];
  /** The router's own port addresses that are also VIPs (not dropped at IP input), sorted. */
  readonly lbOwnIps: readonly string[];
  /**
   * What peer switches (their flows and Port_Binding rows) read of this router, per router
   * port, as one object that stays the same while all of it is: a route, a policy or a port
   * added elsewhere on the router makes a new Router but keeps the other ports' views.
   */
  readonly peerViews: ReadonlyMap<string, object>;
}

/** What a switch reads of the router behind one of its router-type ports (Router.peerViews). */
export function peerViewOf(topo: Pick<Topology, 'routerByUuid'>, rp: RouterPort): object | undefined {
  return topo.routerByUuid.get(rp.routerUuid)?.peerViews.get(rp.name);
}

export interface Switch {
  readonly uuid: string;
  readonly nb: NbLogicalSwitch;
  readonly name: string;
  /** Ports that became logical ports, in join order. */
  readonly ports: readonly SwitchPort[];
  readonly localnetPorts: readonly SwitchPort[];
  /** Router-type ports whose peer router port exists. */
  readonly routerPorts: readonly SwitchPort[];
  readonly hasVtepLports: boolean;
  /** Some enabled, non-external port lists "unknown" (od->has_unknown). */
  readonly hasUnknown: boolean;
  readonly vlanPassthru: boolean;
  readonly mcast: McastSwitchInfo;
  /** Routers this switch is connected to (NB UUIDs). */
  readonly peerRouters: readonly string[];
}

export interface Topology {
  /** All datapaths in the reference's hmap walk order. */
  readonly datapathOrder: readonly ({ kind: 'switch'; sw: Switch } | { kind: 'router'; rtr: Router })[];
  readonly switches: readonly Switch[];
  readonly switchByUuid: ReadonlyMap<string, Switch>;
  readonly routers: readonly Router[];
  readonly routerByUuid: ReadonlyMap<string, Router>;
  /** Every bound logical port by name (LSPs and LRPs; not the cr- ports). */
  readonly portByName: ReadonlyMap<string, SwitchPort | RouterPort>;
  readonly lspByName: ReadonlyMap<string, SwitchPort>;
  readonly lrpByName: ReadonlyMap<string, RouterPort>;
  /** check_lsp_is_up (NB_Global options:ignore_lsp_down=false). */
  readonly checkLspIsUp: boolean;
  /** The NB UUIDs of datapathOrder: the same array while the order is. */
  readonly dpOrderIds: readonly string[];
}

// ----------------------------------------------------------------- build

// Parsing is pure: the results are kept per column value (the replica keeps an
// unchanged column's array when other columns of the row change), so an
// incremental run parses only the addresses that changed.  Read-only results.
const summaryCache = new WeakMap<readonly string[], ReturnType<typeof summarizeLspAddresses>>();
const portSecurityCache = new WeakMap<readonly string[], ReturnType<typeof parsePortSecurity>>();

// Topology objects are reused (ctx.memo) while their inputs are the same objects;
// router-type ports never, as their peers are patched in.  A switch without router
// ports is reused whole while the LSP row of each UUID of its `ports` column
// (sorted, undefined when dangling), the SB binding each port kept and its
// datapath's SB row are the same (the join memo, with the warnings its ports raised).
const sortedPortsMemo = new WeakMap<readonly string[], string[]>();
function sortedPortUuids(ports: readonly string[]): string[] {
  let r = sortedPortsMemo.get(ports);
  if (!r) sortedPortsMemo.set(ports, (r = sortedUuids(ports)));
  return r;
}

/** SB Port_Binding by logical_port; with duplicates, the first in IDL order wins. */
function sbPortsByName(table: ReadonlyMap<string, SbPortBinding>, index: CompileContext['memo']['sbPorts']): ReadonlyMap<string, SbPortBinding> {
  const fast = index.update(table);
  if (fast) return fast;
  const out = new Map<string, SbPortBinding>();
  for (const pb of table.values()) {
    if (out.has(pb.logical_port)) {
      out.clear();
      for (const r of idlOrder(table.values())) if (!out.has(r.logical_port)) out.set(r.logical_port, r);
      return out;
    }
    out.set(pb.logical_port, pb);
  }
  return out;
}


function cachedSummary(addresses: readonly string[]): ReturnType<typeof summarizeLspAddresses> {
  let r = summaryCache.get(addresses);
  if (!r) summaryCache.set(addresses, (r = summarizeLspAddresses(addresses)));
  return r;
}

function cachedPortSecurity(entries: readonly string[]): ReturnType<typeof parsePortSecurity> {
  let r = portSecurityCache.get(entries);
  if (!r) portSecurityCache.set(entries, (r = parsePortSecurity(entries)));
  return r;
}

function lrouterIsEnabled(r: NbLogicalRouter): boolean {
  return r.enabled === undefined || r.enabled;
}

function mcastSwitchBase(nb: NbLogicalSwitch): Omit<McastSwitchInfo, 'floodRelay' | 'floodStatic' | 'floodReports'> {
  const oc = nb.other_config;
  let idle = smapGetUllong(oc, 'mcast_idle_timeout', 300);
  idle = Math.min(Math.max(idle, 15), 3600);
  let qi = smapGetUllong(oc, 'mcast_query_interval', Math.floor(idle / 2));
  qi = Math.min(Math.max(qi, 1), 3600);
  return {
    enabled: smapGetBool(oc, 'mcast_snoop', false),
    querier: smapGetBool(oc, 'mcast_querier', true),
    floodUnregistered: smapGetBool(oc, 'mcast_flood_unregistered', false),
    tableSize: smapGetUllong(oc, 'mcast_table_size', 2048),
    idleTimeout: idle,
    queryInterval: qi,
    queryMaxResponse: smapGetUllong(oc, 'mcast_query_max_response', 1),
    ethSrc: oc['mcast_eth_src'],
    ip4Src: oc['mcast_ip4_src'],
    ip6Src: oc['mcast_ip6_src'],
  };
}

export { vipKeyIp } from './router-lb-ips.js';
import type { LbIps } from './router-lb-ips.js';
import { keepEqualNatPeer, natPeerFacts, ownVips, reachableVips, respondedVips, type IpLists, type NatPeerFacts } from './router-lb-reach.js';

/** The joinMemo entry of a switch without router ports, from what it was just built from. */
function rememberJoin(
  joinMemo: CompileContext['memo']['join'],
  ls: NbLogicalSwitch,
  lsps: ReadonlyMap<string, NbLogicalSwitchPort>,
  sbDp: string | undefined,
  sw: Switch,
  warnings: readonly [string, string][],
): void {
  const rows = sortedPortUuids(ls.ports).map((u) => lsps.get(u));
  // Bound ports are the existing rows minus names bound earlier: only memoise when none was dropped.
  if (rows.filter((r) => r !== undefined).length !== sw.ports.length) return;
  joinMemo.set(ls, { rows, sbs: sw.ports.map((p) => p.sb), sbDp, sw, warnings });
}

function sameJoin(
  memo: { rows: readonly (NbLogicalSwitchPort | undefined)[]; sbs: readonly (SbPortBinding | undefined)[]; sbDp: string | undefined; sw: Switch },
  uuids: readonly string[],
  lsps: ReadonlyMap<string, NbLogicalSwitchPort>,
  sbPorts: ReadonlyMap<string, SbPortBinding>,
  bound: ReadonlySet<string>,
): boolean {
  if (uuids.length !== memo.rows.length) return false;
  for (let i = 0; i < uuids.length; i++) if (lsps.get(uuids[i]!) !== memo.rows[i]) return false;
  const ports = memo.sw.ports;
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i]!;
    if (bound.has(p.name)) return false;
    const sb = sbPorts.get(p.name);
    // The kept binding: the same row when it was kept, otherwise still none kept.
    if (memo.sbs[i] !== undefined ? sb !== memo.sbs[i] : sb !== undefined && sb.datapath === memo.sbDp) return false;
  }
  return true;
}

/** The datapaths in the reference's hmap walk order (what IPAM walks before the topology exists). */
export function datapathWalkOrder(ctx: CompileContext): readonly string[] {
  return orderDatapaths(ctx, true).dpOrder;
}

/**
 * The datapaths in the reference's hmap walk order (SB rows first, as they
 * were inserted first, then NB-only ones) and their SB UUIDs; the previous
 * run's while the SB datapaths, the routers and the set of switches are.
 */
function orderDatapaths(ctx: CompileContext, switchSetChanged: boolean): { dpOrder: readonly string[]; sbDpByNb: ReadonlyMap<string, string> } {
  const nb = ctx.nb;
  const m = ctx.memo.dpOrder;
  if (m && !switchSetChanged && m.dpb === ctx.sb.Datapath_Binding && m.lr === nb.Logical_Router) return m;
  const sbDpKey = new Map<string, string>(); // SB datapath uuid -> NB uuid
  const insertion: string[] = [];
  const seen = new Set<string>();
  for (const dp of idlOrder(ctx.sb.Datapath_Binding.values())) {
    const key = dp.external_ids['logical-switch'] ?? dp.external_ids['logical-router'];
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    sbDpKey.set(dp._uuid, key);
    insertion.push(key);
  }
  const nbSwitches = idlOrder(nb.Logical_Switch.values());
  const nbRouters = idlOrder(nb.Logical_Router.values()).filter(lrouterIsEnabled);
  for (const s of nbSwitches) if (!seen.has(s._uuid)) (seen.add(s._uuid), insertion.push(s._uuid));
  for (const r of nbRouters) if (!seen.has(r._uuid)) (seen.add(r._uuid), insertion.push(r._uuid));
  const enabledRouters = new Set(nbRouters.map((r) => r._uuid));
  const dpOrder = hmapOrder(insertion, uuidHash).filter((u) => nb.Logical_Switch.has(u) || enabledRouters.has(u));
  const sbDpByNb = new Map<string, string>();
  for (const [sbu, nbu] of sbDpKey) sbDpByNb.set(nbu, sbu);
  ctx.memo.dpOrder = { dpb: ctx.sb.Datapath_Binding, lr: nb.Logical_Router, dpOrder, sbDpByNb };
  return ctx.memo.dpOrder;
}

/**
 * Switch ports by name: the previous run's map with the ports of the switches
 * whose Switch object changed replaced (deletes first: a port can move).
 */
function assembleLspByName(asm: CompileContext['memo']['lspByName'], switches: readonly Switch[]): ReadonlyMap<string, SwitchPort> {
  const e = asm.out.edit();
  const next = new Map<string, Switch>();
  const added: Switch[] = [];
  for (const sw of switches) {
    next.set(sw.uuid, sw);
    const before = asm.bySwitch.get(sw.uuid);
    if (before === sw) continue;
    if (before) {
      // A port set again below as the same object is not deleted first (see buildPortBindings).
      const now = new Set(sw.ports);
      for (const p of before.ports) if (!now.has(p)) e.delete(p.name);
    }
    added.push(sw);
  }
  for (const [u, before] of asm.bySwitch) if (!next.has(u)) for (const p of before.ports) e.delete(p.name);
  for (const sw of added) for (const p of sw.ports) e.set(p.name, p);
  asm.out = e.finish();
  asm.bySwitch = next;
  return asm.out;
}

/** Every bound port by name: a router port wins over a switch port of the same name. */
class PortsByName implements ReadonlyMap<string, SwitchPort | RouterPort> {
  constructor(
    private readonly lsps: ReadonlyMap<string, SwitchPort>,
    private readonly lrps: ReadonlyMap<string, RouterPort>,
  ) {}
  get(name: string): SwitchPort | RouterPort | undefined {
    return this.lrps.get(name) ?? this.lsps.get(name);
  }
  has(name: string): boolean {
    return this.lrps.has(name) || this.lsps.has(name);
  }
  get size(): number {
    let n = this.lsps.size;
    for (const k of this.lrps.keys()) if (!this.lsps.has(k)) n++;
    return n;
  }
  *entries(): MapIterator<[string, SwitchPort | RouterPort]> {
    for (const [k, v] of this.lsps) if (!this.lrps.has(k)) yield [k, v];
    yield* this.lrps.entries();
    return undefined;
  }
  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
    return undefined;
  }
  *values(): MapIterator<SwitchPort | RouterPort> {
    for (const [, v] of this.entries()) yield v;
    return undefined;
  }
  forEach(cb: (value: SwitchPort | RouterPort, key: string, map: ReadonlyMap<string, SwitchPort | RouterPort>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this);
  }
  [Symbol.iterator](): MapIterator<[string, SwitchPort | RouterPort]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return 'PortsByName';
  }
}

export function buildTopology(ctx: CompileContext): Topology {
  const nb = ctx.nb;
  const checkLspIsUp = !smapGetBool(ctx.options, 'ignore_lsp_down', true);

  // Switches whose join may have changed (undefined: check each one's memo).
  const changes = ctx.memo.joinChanges;
  ctx.memo.routerLbIps.begin(nb);
  const dirty = changes.dirty(nb, ctx.sb);
  const { dpOrder, sbDpByNb } = orderDatapaths(ctx, changes.switchSetChanged);

  // SB port bindings by logical_port (first in IDL order wins).
  const sbPorts = sbPortsByName(ctx.sb.Port_Binding, ctx.memo.sbPorts);

  const boundNames = new Set<string>();
  type MutableSwitch = {
    uuid: string;
    nb: NbLogicalSwitch;
    /** Reused whole (joinMemo); for a switch with router-type ports, only if their peers are unchanged (checked below). */
    reused?: Switch;
    warnings?: readonly KeptWarning[];
  };
  type DraftRouter = { uuid: string; nb: NbLogicalRouter; ports: RouterPort[] };
  const draftSwitches: MutableSwitch[] = [];
  /** The drafted ports of each switch that is not reused (filled by step 1, grouped on first use). */
  let draftsBySwitch: Map<MutableSwitch, typeof lspDrafts> | undefined;
  const draftsBySwitchOf = (): Map<MutableSwitch, typeof lspDrafts> => {
    if (!draftsBySwitch) {
      draftsBySwitch = new Map();
      for (const d of lspDrafts) {
        let l = draftsBySwitch.get(d.sw);
        if (!l) draftsBySwitch.set(d.sw, (l = []));
        l.push(d);
      }
    }
    return draftsBySwitch;
  };
  const draftRouters: DraftRouter[] = [];
  /** Router ports by name, before their peers are known. */
  const baseLrpByName = new Map<string, RouterPort>();
  const lspDrafts: { sw: MutableSwitch; lsp: NbLogicalSwitchPort; sb: SbPortBinding | undefined }[] = [];
  const draftPorts = (sw: MutableSwitch): void => {
    const sbDp = sbDpByNb.get(sw.uuid);
    for (const pu of sortedPortUuids(sw.nb.ports)) {
      const lsp = nb.Logical_Switch_Port.get(pu);
      if (!lsp) continue;
      if (boundNames.has(lsp.name)) {
        ctx.warn('duplicate-lport', `duplicate logical port ${lsp.name}`);
        continue;
      }
      boundNames.add(lsp.name);
      const sb = sbPorts.get(lsp.name);
      const keep = sb && sb.datapath === sbDp ? sb : undefined;
      lspDrafts.push({ sw, lsp, sb: keep });
    }
  };

  // The router part — router ports, their peers, the Router objects — is the last run's when
  // nothing it reads changed but router rows' routes, policies, NAT or LBs (changedRouters():
  // those routers get new objects) and no router-type port came, went or changed (checked
  // after step 1); router warnings go through rctx so that they can be replayed then.
  const lastRouters = ctx.memo.routerPart;
  const rebuiltRouters = dirty !== undefined && !changes.switchSetChanged && lastRouters !== undefined ? changedRouters(ctx, lastRouters, sbDpByNb) : undefined;
  let reuseRouters = rebuiltRouters !== undefined;
  const recorded = recordingWarnings(ctx);
  const rctx = recorded.ctx;
  const draftRouter = (dpUuid: string): void => {
    const lr = nb.Logical_Router.get(dpUuid)!;
    const rtr: DraftRouter = { uuid: lr._uuid, nb: lr, ports: [] };
    draftRouters.push(rtr);
    for (const pu of sortedUuids(lr.ports)) {
      const lrp = nb.Logical_Router_Port.get(pu);
      if (!lrp) continue;
      const nets = cachedLrpNetworks(lrp);
      if (!nets.ok) {
        rctx.warn('bad-lrp-mac', `bad 'mac' ${lrp.mac}`);
        continue;
      }
      for (const w of nets.value.warnings) rctx.warn('lrp-networks', w);
      const a = nets.value.addresses;
      if (!a.ipv4Addrs.length && !a.ipv6Addrs.length) continue;
      if (boundNames.has(lrp.name)) {
        rctx.warn('duplicate-lrport', `duplicate logical router port ${lrp.name}`);
        continue;
      }
      boundNames.add(lrp.name);
      const isDgp = lrp.ha_chassis_group !== undefined || lrp.gateway_chassis.length > 0;
      let crName: string | undefined;
      if (isDgp) {
        if (lr.options['chassis'] !== undefined) {
          rctx.warn(
            'dgp-on-gw-router',
            `Bad configuration: distributed gateway port configured on port ${lrp.name} on L3 gateway router`,
          );
        } else {
          crName = `cr-${lrp.name}`;
        }
      }
      const sbRow = sbPorts.get(lrp.name);
      const sb = sbRow && sbRow.datapath === sbDpByNb.get(lr._uuid) ? sbRow : undefined;
      const port = memoRouterPort(ctx.memo.routerPort, lrp, lr._uuid, a, crName, sb, undefined);
      rtr.ports.push(port);
      baseLrpByName.set(lrp.name, port);
    }
  };

  // --- 1. datapaths in the reference's walk order: which switch or router binds each port name.
  for (const dpUuid of dpOrder) {
    const ls = nb.Logical_Switch.get(dpUuid);
    if (ls) {
      const sw: MutableSwitch = { uuid: ls._uuid, nb: ls };
      draftSwitches.push(sw);
      const sbDp = sbDpByNb.get(ls._uuid);
      const memo = ctx.memo.join.get(ls);
      const routerTyped = memo !== undefined && memo.sw.ports.some((p) => p.type === 'router');
      // A switch with router-type ports is reused only when no name is shared (dirty known):
      // whether its peers still hold is known once the routers are (step 3).
      if (
        memo &&
        memo.sbDp === sbDp &&
        (dirty ? !dirty.has(ls._uuid) : !routerTyped && sameJoin(memo, sortedPortUuids(ls.ports), nb.Logical_Switch_Port, sbPorts, boundNames))
      ) {
        sw.reused = memo.sw;
        sw.warnings = memo.warnings;
        // Without shared names (dirty known) no later switch can collide with these.
        if (!dirty) for (const p of memo.sw.ports) boundNames.add(p.name);
        continue;
      }
      // Stale: the rebuilt switch remembers itself again if it can be memoised.
      if (memo) ctx.memo.join.delete(ls);
      draftPorts(sw);
      continue;
    }
    if (!reuseRouters) draftRouter(dpUuid);
  }
  if (reuseRouters && !routerTypeSigsHold(lastRouters!, draftSwitches, draftsBySwitchOf)) {
    // A router-type port came, went or names another router port: the peers must be found again.
    reuseRouters = false;
    for (const u of dpOrder) if (!nb.Logical_Switch.has(u)) draftRouter(u);
  }

  let lrpByName: Map<string, RouterPort>;
  let routers: Router[];
  let routerByUuid: Map<string, Router>;
  const peerOf = (lsp: NbLogicalSwitchPort): RouterPort | undefined => {
    if (lsp.type !== 'router') return undefined;
    const rp = lsp.options['router-port'];
    return rp !== undefined ? lrpByName.get(rp) : undefined;
  };
  const floodRelayOf = (ports: readonly SwitchPort[]): boolean => ports.some((p) => p.peer && routerByUuid.get(p.peer.routerUuid)?.mcastRelay);
  if (reuseRouters) {
    const last = lastRouters!;
    replayWarnings(ctx, last.warnings);
    // Routers whose rows, NAT rules or LB addresses changed get new objects on the same ports.
    const rebuilt = rebuiltRouters!;
    if (!rebuilt.size) {
      for (const r of last.routers) replayWarnings(ctx, last.natWarnings.get(r.uuid) ?? []);
    } else {
      const natWarnings = new Map(last.natWarnings);
      last.routers = last.routers.map((r) => {
        if (!rebuilt.has(r.uuid)) {
          replayWarnings(ctx, last.natWarnings.get(r.uuid) ?? []);
          return r;
        }
        return routerObject(ctx, r.uuid, nb.Logical_Router.get(r.uuid)!, r.ports, natWarnings);
      });
      last.routerByUuid = new Map(last.routers.map((r) => [r.uuid, r]));
      last.natWarnings = natWarnings;
    }
    last.lr = nb.Logical_Router;
    last.nat = nb.NAT;
    ({ lrpByName, routers, routerByUuid } = last);
    // Every reused switch's peers hold: they are the same router port objects.
    for (const sw of draftSwitches) if (sw.reused) replayWarnings(ctx, sw.warnings ?? []);
    for (const sw of draftSwitches) if (!sw.reused) last.rtSigs.set(sw.uuid, routerTypeSig(draftsBySwitchOf().get(sw) ?? []));
    last.pb = ctx.sb.Port_Binding;
    last.sbDpByNb = sbDpByNb;
  } else {
  let fragile = false;
    // --- 2. router port peers: a router-type LSP naming the port (when several do, the
    // last one in the reference's port hmap walk), else a peer LRP named in `peer`.
    // The port hmap order only matters then: computed on first use.
    let hashRankMap: Map<string, number> | undefined;
    const hashRank = (name: string): number => {
      if (!hashRankMap) {
        // Every bound LSP name in join order (the port hmap's insertion order).
        const lspNames: string[] = [];
        for (const sw of draftSwitches) {
          if (sw.reused) for (const p of sw.reused.ports) lspNames.push(p.name);
          else for (const d of draftsBySwitchOf().get(sw) ?? []) lspNames.push(d.lsp.name);
        }
        hashRankMap = new Map(hmapOrder(lspNames, (n) => hashString(n, 0)).map((n, i) => [n, i] as const));
      }
      return hashRankMap.get(name) ?? 0;
    };
    const lrpPeer = new Map<string, string>();
    const namePeer = (lsp: NbLogicalSwitchPort): void => {
      if (lsp.type !== 'router') return;
      const rp = lsp.options['router-port'];
      const cand = rp !== undefined ? baseLrpByName.get(rp) : undefined;
      if (!cand) return;
      const prev = lrpPeer.get(cand.name);
      if (prev !== undefined && prev !== lsp.name) fragile = true;
      if (prev === undefined || (prev !== lsp.name && hashRank(lsp.name) > hashRank(prev))) lrpPeer.set(cand.name, lsp.name);
    };
    for (const sw of draftSwitches) {
      if (sw.reused) for (const p of routerTypePorts(sw.reused)) namePeer(p.nb);
      else for (const d of draftsBySwitchOf().get(sw) ?? []) namePeer(d.lsp);
    }
    let lspNames: Set<string> | undefined;
    const isBoundLsp = (name: string): boolean => {
      if (!lspNames) {
        lspNames = new Set();
        for (const sw of draftSwitches) {
          if (sw.reused) for (const p of sw.reused.ports) lspNames.add(p.name);
          else for (const d of draftsBySwitchOf().get(sw) ?? []) lspNames.add(d.lsp.name);
        }
      }
      return lspNames.has(name);
    };
    lrpByName = new Map<string, RouterPort>();
    for (const d of draftRouters) {
      d.ports = d.ports.map((p) => {
        let peerName = lrpPeer.get(p.name);
        if (peerName === undefined && p.nb.peer !== undefined) {
          const other = baseLrpByName.get(p.nb.peer);
          if (other) peerName = other.name;
          else if ((fragile = true) && isBoundLsp(p.nb.peer)) {
            rctx.warn('lrp-peer-is-lsp', `Bad configuration: The peer of router port ${p.name} is a switch port`);
          }
        }
        const port = peerName === undefined ? p : memoRouterPort(ctx.memo.routerPort, p.nb, p.routerUuid, p.networks, p.crName, p.sb, peerName);
        lrpByName.set(port.name, port);
        return port;
      });
    }

    // --- routers (NAT entries, LB IPs): the previous run's object while all of it is the same.
    routers = [];
    routerByUuid = new Map<string, Router>();
    const natWarnings = new Map<string, readonly KeptWarning[]>();
    for (const d of draftRouters) {
      const rtr = routerObject(ctx, d.uuid, d.nb, d.ports, natWarnings);
      routers.push(rtr);
      routerByUuid.set(rtr.uuid, rtr);
    }
    for (const u of [...ctx.memo.router.keys()]) if (!routerByUuid.has(u)) ctx.memo.router.delete(u);
    ctx.memo.routerLbIps.retain(new Set(routerByUuid.keys()));

    // --- 3. switches.  A reused switch with router-type ports still holds when each of them
    // has the same peer port object, and its routers' multicast relay is unchanged.
    for (const sw of draftSwitches) {
      const r = sw.reused;
      if (!r) continue;
      const rtp = routerTypePorts(r);
      if (!rtp.length) {
        replayWarnings(ctx, sw.warnings ?? []);
        continue;
      }
      const holds = rtp.every((p) => p.peer === peerOf(p.nb)) && r.mcast.floodRelay === floodRelayOf(rtp);
      if (holds) {
        replayWarnings(ctx, sw.warnings ?? []);
        continue;
      }
      // Not shared names here (dirty known), so binding them now changes no other switch.
      sw.reused = undefined;
      ctx.memo.join.delete(sw.nb);
      draftPorts(sw);
      draftsBySwitchOf().set(sw, lspDrafts.filter((d) => d.sw === sw));
    }
    const rtSigs = new Map<string, string>();
    for (const sw of draftSwitches) rtSigs.set(sw.uuid, sw.reused ? routerTypeSig(routerTypePorts(sw.reused).map((p) => ({ lsp: p.nb }))) : routerTypeSig(draftsBySwitchOf().get(sw) ?? []));
    ctx.memo.routerPart = {
      lr: nb.Logical_Router,
      lrp: nb.Logical_Router_Port,
      nat: nb.NAT,
      pb: ctx.sb.Port_Binding,
      sbDpByNb,
      routers,
      routerByUuid,
      lrpByName,
      rtSigs,
      warnings: recorded.warnings,
      natWarnings,
      fragile,
    };
  }

  const switches: Switch[] = [];
  const switchByUuid = new Map<string, Switch>();
  for (const sw of draftSwitches) {
    if (sw.reused) {
      switches.push(sw.reused);
      switchByUuid.set(sw.uuid, sw.reused);
      continue;
    }
    const ports: SwitchPort[] = [];
    const warnings: [string, string][] = [];
    const peerRouters: string[] = [];
    // IPAM (build_ipam): a port's first "dynamic" entry contributes the addresses
    // assigned to it (ipam.ts ran first: the row carries its dynamic_addresses).
    const ipam =
      sw.nb.other_config['subnet'] !== undefined ||
      sw.nb.other_config['ipv6_prefix'] !== undefined ||
      smapGetBool(sw.nb.other_config, 'mac_only', false);
    for (const d of draftsBySwitchOf().get(sw) ?? []) {
      const lsp = d.lsp;
      const summary = cachedSummary(lsp.addresses);
      for (const w of summary.warnings) (ctx.warn('lsp-addresses', w), warnings.push(['lsp-addresses', w]));
      const ps = cachedPortSecurity(lsp.port_security);
      for (const w of ps.warnings) (ctx.warn('port-security', w), warnings.push(['port-security', w]));
      const peer = peerOf(lsp);
      if (peer && !peerRouters.includes(peer.routerUuid)) peerRouters.push(peer.routerUuid);
      // A port is a function of its row, its SB binding, its switch, the IPAM flag and its peer.
      const memo = ctx.memo.port.get(lsp);
      if (memo && memo.sb === d.sb && memo.switchUuid === sw.uuid && memo.ipam === ipam && memo.port.peer === peer) {
        ports.push(memo.port);
        continue;
      }
      const lspAddrs = [...summary.static];
      if (peer && summary.hasRouter) lspAddrs.push(peer.networks);
      if (ipam && !peer && summary.dynamic.length && lsp.dynamic_addresses !== undefined) {
        const dyn = extractLspAddresses(lsp.dynamic_addresses);
        if (dyn.ok) lspAddrs.push(dyn.value.addresses);
      }
      const port: SwitchPort = {
        kind: 'lsp',
        name: lsp.name,
        jsonKey: jsonKey(lsp.name),
        nb: lsp,
        switchUuid: sw.uuid,
        type: lsp.type,
        enabled: lsp.enabled === undefined || lsp.enabled,
        up: lsp.up === true,
        lspAddrs,
        nLspNonRouterAddrs: summary.static.length,
        psAddrs: ps.entries,
        hasUnknown: summary.hasUnknown,
        peer,
        sb: d.sb,
        mcastFlood: smapGetBool(lsp.options, 'mcast_flood', false),
        mcastFloodReports: smapGetBool(lsp.options, 'mcast_flood_reports', false),
      };
      ports.push(port);
      ctx.memo.port.set(lsp, { sb: d.sb, switchUuid: sw.uuid, ipam, port });
    }
    // A switch is a function of its row, its ports and its routers' multicast relay.
    const floodRelay = floodRelayOf(ports);
    const swMemo = ctx.memo.switch.get(sw.nb);
    if (swMemo && sameElements(swMemo.ports, ports) && swMemo.sw.mcast.floodRelay === floodRelay) {
      switches.push(swMemo.sw);
      switchByUuid.set(sw.uuid, swMemo.sw);
      rememberJoin(ctx.memo.join, sw.nb, nb.Logical_Switch_Port, sbDpByNb.get(sw.uuid), swMemo.sw, warnings);
      continue;
    }
    const base = mcastSwitchBase(sw.nb);
    const enabledPorts = ports.filter((p) => p.enabled);
    const s: Switch = {
      uuid: sw.uuid,
      nb: sw.nb,
      name: sw.nb.name,
      ports,
      localnetPorts: ports.filter((p) => p.type === 'localnet'),
      routerPorts: ports.filter((p) => p.peer !== undefined),
      hasVtepLports: ports.some((p) => p.type === 'vtep'),
      hasUnknown: ports.some(
        (p) => p.type !== 'external' && p.enabled && p.nb.addresses.includes('unknown'),
      ),
      vlanPassthru: smapGetBool(sw.nb.other_config, 'vlan-passthru', false),
      mcast: {
        ...base,
        floodRelay,
        floodStatic: enabledPorts.some((p) => p.mcastFlood),
        floodReports: enabledPorts.some((p) => p.mcastFloodReports),
      },
      peerRouters,
    };
    switches.push(s);
    switchByUuid.set(s.uuid, s);
    ctx.memo.switch.set(sw.nb, { ports, sw: s });
    rememberJoin(ctx.memo.join, sw.nb, nb.Logical_Switch_Port, sbDpByNb.get(sw.uuid), s, warnings);
  }

  const lspByName = assembleLspByName(ctx.memo.lspByName, switches);
  ctx.memo.joinChanges.portSwitch = lspByName;
  const portByName = new PortsByName(lspByName, lrpByName);

  const datapathOrder = dpOrder.map((u) => {
    const sw = switchByUuid.get(u);
    return sw ? ({ kind: 'switch', sw } as const) : ({ kind: 'router', rtr: routerByUuid.get(u)! } as const);
  });

  return {
    datapathOrder,
    dpOrderIds: dpOrder,
    switches,
    switchByUuid,
    routers,
    routerByUuid,
    portByName,
    lspByName,
    lrpByName,
    checkLspIsUp,
  };
}

/** The router part of the last topology and what it was built from (see buildTopology). */
export interface RouterPart {
  lr: ReadonlyMap<string, NbLogicalRouter>;
  readonly lrp: unknown;
  nat: ReadonlyMap<string, NbNAT>;
  pb: ReadonlyMap<string, SbPortBinding>;
  sbDpByNb: ReadonlyMap<string, string>;
  routers: Router[];
  routerByUuid: Map<string, Router>;
  readonly lrpByName: Map<string, RouterPort>;
  /** Per switch UUID: its router-type ports and the router ports they name (routerTypeSig()). */
  readonly rtSigs: Map<string, string>;
  /** The warnings of steps 1 and 2 (router ports, peers), and each router's NAT warnings. */
  readonly warnings: readonly KeptWarning[];
  natWarnings: ReadonlyMap<string, readonly KeptWarning[]>;
  /**
   * Several router-type ports named one router port, or a router port's `peer` named no router
   * port: the peers then depend on which switch ports exist, and the part is always rebuilt.
   */
  readonly fragile: boolean;
}

/** A switch's router-type ports with the router port each names, as one comparable string. */
function routerTypeSig(drafts: readonly { lsp: NbLogicalSwitchPort }[]): string {
  let out = '';
  for (const { lsp } of drafts) if (lsp.type === 'router') out += `${lsp.name}\0${lsp.options['router-port'] ?? ''}\n`;
  return out;
}

/**
 * The routers whose Router objects must be rebuilt for the router part of `last` to hold —
 * their rows changed in other columns than their ports, options, name and `enabled`, their
 * NAT rules or their LB addresses changed — or undefined when the router part must be built
 * anew: a router came or went, a router port changed, a router's SB datapath or a router
 * port's SB binding changed.  (The switches' router-type ports are checked once the switches
 * are drafted: routerTypeSigsHold().)
 */
function changedRouters(ctx: CompileContext, last: RouterPart, sbDpByNb: ReadonlyMap<string, string>): Set<string> | undefined {
  const nb = ctx.nb;
  if (last.fragile || nb.Logical_Router_Port !== last.lrp) return undefined;
  if (sbDpByNb !== last.sbDpByNb) for (const r of last.routers) if (sbDpByNb.get(r.uuid) !== last.sbDpByNb.get(r.uuid)) return undefined;
  if (ctx.sb.Port_Binding !== last.pb) {
    let touched = false;
    ShardedMap.diff(last.pb, ctx.sb.Port_Binding, (_u, b, a) => {
      if ((b && last.lrpByName.has(b.logical_port)) || (a && last.lrpByName.has(a.logical_port))) touched = true;
    });
    if (touched) return undefined;
  }
  const out = new Set<string>();
  if (nb.Logical_Router !== last.lr) {
    let structural = false;
    ShardedMap.diff(last.lr, nb.Logical_Router, (u, b, a) => {
      if (!b || !a || b.ports !== a.ports || b.options !== a.options || b.name !== a.name || b.enabled !== a.enabled) structural = true;
      else out.add(u);
    });
    if (structural) return undefined;
  }
  if (nb.NAT !== last.nat) {
    const nats = new Set<string>();
    ShardedMap.diff(last.nat, nb.NAT, (u) => nats.add(u));
    for (const r of last.routers) if (r.nb.nat.some((u) => nats.has(u))) out.add(r.uuid);
  }
  for (const r of last.routers) {
    if (out.has(r.uuid)) continue;
    if (ctx.memo.routerLbIps.get(r.nb) !== lbIpsOf.get(r)) out.add(r.uuid);
  }
  return out;
}

/** The LbIps each Router object was last made or kept for. */
const lbIpsOf = new WeakMap<Router, LbIps>();

/** `next` when it differs from `prev` by value, else `prev` (kept objects keep peers' memos). */
function keepEqualLists(prev: IpLists | undefined, next: IpLists): IpLists {
  return prev && sameElements(prev.v4, next.v4) && sameElements(prev.v6, next.v6) ? prev : next;
}

/** What the router's VIPs mean for it and its peers; the previous values while equal. */
function lbFacts(lbIps: LbIps, nat: readonly NatEntry[], ports: readonly RouterPort[], prev: Router | undefined) {
  const nets = ports.map((p) => p.networks);
  const respond = respondedVips(lbIps, nets);
  const own = ownVips(lbIps, nets);
  const reach = new Map<string, IpLists>();
  let reachSame = prev !== undefined && prev.lbReachable.size === ports.length;
  for (const p of ports) {
    const was = prev?.lbReachable.get(p.name);
    const r = keepEqualLists(was, reachableVips(lbIps, p.networks));
    if (r !== was) reachSame = false;
    reach.set(p.name, r);
  }
  return {
    lbRespondV4: prev && sameElements(prev.lbRespondV4, respond.v4) ? prev.lbRespondV4 : respond.v4,
    lbRespondV6: prev && sameElements(prev.lbRespondV6, respond.v6) ? prev.lbRespondV6 : respond.v6,
    lbOwnIps: prev && sameElements(prev.lbOwnIps, own) ? prev.lbOwnIps : own,
    lbReachable: reachSame ? prev!.lbReachable : (reach as ReadonlyMap<string, IpLists>),
    natPeer: keepEqualNatPeer(prev?.natPeer, natPeerFacts(lbIps, nat)),
  };
}

/**
 * A router from its row and ports (NAT entries, LB addresses, peer view): the previous
 * run's object while all of it is the same.  Its NAT warnings are given and kept in `natWarnings`.
 */
function routerObject(ctx: CompileContext, uuid: string, nb: NbLogicalRouter, ports: readonly RouterPort[], natWarnings: Map<string, readonly KeptWarning[]>): Router {
  const rec = recordingWarnings(ctx);
  const nat = routerNatEntries(rec.ctx, nb);
  if (rec.warnings.length) natWarnings.set(uuid, rec.warnings);
  else natWarnings.delete(uuid);
  const lbIps = ctx.memo.routerLbIps.get(nb);
  const prev = ctx.memo.router.get(uuid);
  const sameShape = prev !== undefined && prev.nb === nb && prev.natEntries === nat.entries && sameElements(prev.ports, ports);
  let rtr: Router;
  if (sameShape && lbIpsOf.get(prev) === lbIps) rtr = prev;
  else {
    const lb = lbFacts(lbIps, nat.entries, ports, prev);
    if (
      sameShape &&
      lb.lbRespondV4 === prev.lbRespondV4 &&
      lb.lbRespondV6 === prev.lbRespondV6 &&
      lb.lbOwnIps === prev.lbOwnIps &&
      lb.lbReachable === prev.lbReachable &&
      lb.natPeer === prev.natPeer
    ) {
      // New VIPs that none of its ports or peers reads (a ClusterIP added to the group of
      // every gateway router): the router stays the same object.
      rtr = prev;
    } else {
      const l3dgwPorts = ports.filter((p) => p.crName !== undefined);
      const mcastRelay = smapGetBool(nb.options, 'mcast_relay', false);
      const view = routerPeerView(nb, mcastRelay, lb.natPeer, l3dgwPorts);
      const routerView = prev && sameValue(prev.peerViews.get(PEER_VIEW_ROUTER), view) ? prev.peerViews.get(PEER_VIEW_ROUTER)! : view;
      const peerViews = new Map<string, object>([[PEER_VIEW_ROUTER, routerView]]);
      for (const p of ports) {
        const was = prev?.peerViews.get(p.name) as readonly unknown[] | undefined;
        const reach = lb.lbReachable.get(p.name);
        peerViews.set(p.name, was && was[0] === routerView && was[1] === reach ? was : [routerView, reach]);
      }
      rtr = {
        uuid,
        nb,
        name: nb.name,
        ports,
        isGwRouter: nb.options['chassis'] !== undefined,
        mcastRelay,
        l3dgwPorts,
        natEntries: nat.entries,
        hasDistributedNat: nat.hasDistributedNat,
        ...lb,
        peerViews,
      };
    }
  }
  lbIpsOf.set(rtr, lbIps);
  ctx.memo.router.set(uuid, rtr);
  return rtr;
}

/** Whether every switch drafted anew has the router-type ports it had when `last` was built. */
function routerTypeSigsHold<S extends { uuid: string; reused?: unknown }, D extends { lsp: NbLogicalSwitchPort }>(
  last: RouterPart,
  drafted: readonly S[],
  draftsOf: () => ReadonlyMap<S, readonly D[]>,
): boolean {
  for (const sw of drafted) {
    if (sw.reused) continue;
    if (routerTypeSig(draftsOf().get(sw) ?? []) !== (last.rtSigs.get(sw.uuid) ?? '')) return false;
  }
  return true;
}

/** The key of the router-level part in Router.peerViews (port names are never empty). */
const PEER_VIEW_ROUTER = '';

/**
 * The router-level part of Router.peerViews: what switch builders and router-type Port_Bindings
 * read of a router — its name, chassis, multicast relay, what peers read of its NAT rules
 * (natPeer: not its SNAT addresses) and its distributed gateway ports (names, chassisredirect
 * names, networks: a peer's `is_chassis_resident` and GARP addresses) — not its routes,
 * policies, other ports, NAT rows or VIPs.  A peer port with nat-addresses=router reads the
 * NAT rows and VIPs too: they are inputs of that peer's bindings (bindings.ts).
 */
function routerPeerView(nb: NbLogicalRouter, mcastRelay: boolean, natPeer: NatPeerFacts, l3dgwPorts: readonly RouterPort[]): unknown[] {
  const out: unknown[] = [nb.name, nb.options['chassis'], mcastRelay, natPeer];
  for (const p of l3dgwPorts) out.push(p.name, p.crName, p.networks);
  return out;
}

const routerTypeMemo = new WeakMap<Switch, readonly SwitchPort[]>();

/** A switch's router-type ports (a Switch object never changes, so once per object). */
function routerTypePorts(sw: Switch): readonly SwitchPort[] {
  let r = routerTypeMemo.get(sw);
  if (!r) routerTypeMemo.set(sw, (r = sw.ports.filter((p) => p.type === 'router')));
  return r;
}

/** A router port, the same object while its row, router, networks, chassisredirect name, binding and peer are. */
function memoRouterPort(
  memo: CompileContext['memo']['routerPort'],
  lrp: NbLogicalRouterPort,
  routerUuid: string,
  networks: LportAddresses,
  crName: string | undefined,
  sb: SbPortBinding | undefined,
  peerName: string | undefined,
): RouterPort {
  const m = memo.get(lrp);
  const hit = m?.find((p) => p.routerUuid === routerUuid && p.networks === networks && p.crName === crName && p.sb === sb && p.peerName === peerName);
  if (hit) return hit;
  const port: RouterPort = {
    kind: 'lrp',
    name: lrp.name,
    jsonKey: jsonKey(lrp.name),
    nb: lrp,
    routerUuid,
    networks,
    enabled: lrp.enabled === undefined || lrp.enabled,
    crName,
    peerName,
    sb,
    mcastFlood: smapGetBool(lrp.options, 'mcast_flood', false),
  };
  // The port without its peer and with it: both are built every run.
  memo.set(lrp, [...(m ?? []).filter((p) => (p.peerName === undefined) !== (peerName === undefined)), port]);
  return port;
}

const lrpNetworksCache = new WeakMap<NbLogicalRouterPort, ReturnType<typeof extractLrpNetworks>>();
function cachedLrpNetworks(lrp: NbLogicalRouterPort): ReturnType<typeof extractLrpNetworks> {
  let r = lrpNetworksCache.get(lrp);
  if (!r) lrpNetworksCache.set(lrp, (r = extractLrpNetworks(lrp.mac, lrp.networks)));
  return r;
}

const natCache = new WeakMap<readonly string[], { rows: readonly (NbNAT | undefined)[]; name: string; entries: readonly NatEntry[]; hasDistributedNat: boolean; warnings: readonly KeptWarning[] }>();

/** A router's NAT entries (parsed external IPs), the same array while its NAT rows are. */
function routerNatEntries(ctx: CompileContext, lr: NbLogicalRouter): { entries: readonly NatEntry[]; hasDistributedNat: boolean } {
  const uuids = sortedUuids(lr.nat);
  const rows = uuids.map((u) => ctx.nb.NAT.get(u));
  const m = natCache.get(lr.nat);
  if (m && m.name === lr.name && sameElements(m.rows, rows)) {
    replayWarnings(ctx, m.warnings);
    return m;
  }
  const warnings: KeptWarning[] = [];
  const entries: NatEntry[] = [];
  let hasDistributedNat = false;
  for (const nat of rows) {
    if (!nat) continue;
    const r = extractIpAddresses(nat.external_ip);
    const ext =
      r.ok &&
      ((r.value.ipv4Addrs.length === 1 && r.value.ipv6Addrs.length === 0) ||
        (r.value.ipv4Addrs.length === 0 && r.value.ipv6Addrs.length === 1))
        ? r.value
        : undefined;
    if (!ext) {
      const w: KeptWarning = ['bad-nat-ip', `Bad ip address ${nat.external_ip} in nat configuration for router ${lr.name}`];
      ctx.warn(w[0], w[1]);
      warnings.push(w);
    } else if (nat.type === 'dnat_and_snat' && nat.logical_port !== undefined && nat.external_mac !== undefined) {
      hasDistributedNat = true;
    }
    entries.push({ nb: nat, ext, isV6: !!ext && ext.ipv6Addrs.length > 0 });
  }
  const out = { rows, name: lr.name, entries, hasDistributedNat, warnings };
  natCache.set(lr.nat, out);
  return out;
}
