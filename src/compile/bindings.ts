// The SB rows northd derives from the topology for datapaths and ports:
// Datapath_Binding (ovn_datapath_update_external_ids), Port_Binding
// (ovn_port_update_sbrec), Multicast_Group (build_mcast_groups and the
// _MC_unknown membership of build_lswitch_ip_unicast_lookup) and
// IP_Multicast (build_ip_mcast).
//
// A chassisredirect or external port's ha_chassis_group is named here; the
// groups themselves are ha-chassis.ts's; a switch port's mirror_rules name SB
// Mirror rows (mirrors.ts).  `dynamic` addresses are the ones IPAM assigned
// (ipam.ts: the ports carry them by the time bindings are built).
import { routerNatAddresses } from './nat-addresses.js';
import { memoWithWarnings, type CompileContext } from './context.js';
import type { DesiredDatapath, DesiredIpMulticast, DesiredMulticastGroup, DesiredPortBinding } from './desired.js';
import { extractLspAddresses } from '../model/lsp-addresses.js';
import type { TunnelKeys } from './keys.js';
import { allocateTunnelKeys, MC_KEYS } from './keys.js';
import { peerViewOf, smapGetBool, smapGetInt, type Router, type RouterPort, type SwitchPort, type Topology } from './topology.js';
import { ShardedMap } from '../replica/sharded-map.js';
import { dgpGroupName, externalGroupName } from './ha-chassis.js';

const KNOWN_LSP_TYPES = new Set(['', 'l2gateway', 'localnet', 'localport', 'router', 'vtep', 'external', 'virtual', 'remote']);

function portHasQosParams(opts: Readonly<Record<string, string>>): boolean {
  return opts['qos_max_rate'] !== undefined || opts['qos_min_rate'] !== undefined || opts['qos_burst'] !== undefined;
}

// ----------------------------------------------------------------- datapaths

/** A datapath's row is a function of its NB row and tunnel key: the same object while both are. */
const datapathRowMemo = new WeakMap<object, { key: number; row: DesiredDatapath }>();

export function buildDatapathBindings(topo: Topology, keys: TunnelKeys): DesiredDatapath[] {
  const out: DesiredDatapath[] = [];
  for (const d of topo.datapathOrder) {
    const tunnelKey = keys.datapath.get(d.kind === 'switch' ? d.sw.uuid : d.rtr.uuid);
    if (tunnelKey === undefined) continue;
    const nbRow = d.kind === 'switch' ? d.sw.nb : d.rtr.nb;
    const m = datapathRowMemo.get(nbRow);
    if (m && m.key === tunnelKey) {
      out.push(m.row);
      continue;
    }
    const before = out.length;
    const ids: Record<string, string> = {};
    if (d.kind === 'switch') {
      const nb = d.sw.nb;
      ids['logical-switch'] = nb._uuid;
      ids['name'] = nb.name;
      const name2 = nb.external_ids['neutron:network_name'];
      if (name2) ids['name2'] = name2;
      const ts = nb.other_config['interconn-ts'];
      if (ts !== undefined) ids['interconn-ts'] = ts;
      out.push({ nbUuid: nb._uuid, kind: 'switch', tunnelKey, externalIds: ids });
    } else {
      const nb = d.rtr.nb;
      ids['logical-router'] = nb._uuid;
      ids['name'] = nb.name;
      const name2 = nb.external_ids['neutron:router_name'];
      if (name2) ids['name2'] = name2;
      const zone = smapGetInt(nb.options, 'snat-ct-zone', -1);
      if (zone >= 0) ids['snat-ct-zone'] = String(zone);
      if (!smapGetBool(nb.options, 'always_learn_from_arp_request', true)) ids['always_learn_from_arp_request'] = 'false';
      out.push({ nbUuid: nb._uuid, kind: 'router', tunnelKey, externalIds: ids });
    }
    if (out.length > before) datapathRowMemo.set(nbRow, { key: tunnelKey, row: out[out.length - 1]! });
  }
  return out;
}

// ----------------------------------------------------------------- QoS queues

/**
 * options:qdisc_queue_id for ports with QoS settings: kept from SB when
 * present, else the lowest free id (from 1) on the port's chassis; a
 * localnet port counts as its own chassis; an unbound VIF gets none.
 */
/** The ports of a switch that hold or want a queue (usually none), per Switch object. */
const qosPortsMemo = new WeakMap<Topology['switches'][number], readonly SwitchPort[]>();
function qosRelevantPorts(sw: Topology['switches'][number]): readonly SwitchPort[] {
  let r = qosPortsMemo.get(sw);
  if (!r) {
    r = sw.ports.filter((p) => p.type !== 'router' && (portHasQosParams(p.nb.options) || smapGetInt(p.sb?.options ?? {}, 'qdisc_queue_id', 0) !== 0));
    qosPortsMemo.set(sw, r);
  }
  return r;
}

/** The queues of a switch's ports as one comparable string ('' in the usual case of none). */
export function queueSignature(sw: Topology['switches'][number], queues: ReadonlyMap<string, number>): string {
  let q = '';
  if (queues.size) for (const p of sw.ports) q += `${queues.get(p.name) ?? ''},`;
  return q;
}

export function assignQdiscQueues(ctx: CompileContext, topo: Topology): Map<string, number> {
  const used = new Map<string, Set<number>>();
  const use = (owner: string, q: number) => {
    let s = used.get(owner);
    if (!s) used.set(owner, (s = new Set()));
    s.add(q);
  };
  const out = new Map<string, number>();
  const ports: SwitchPort[] = [];
  for (const s of topo.switches) for (const p of qosRelevantPorts(s)) ports.push(p);
  for (const p of ports) {
    const q = smapGetInt(p.sb?.options ?? {}, 'qdisc_queue_id', 0);
    if (q && p.sb?.chassis) use(p.sb.chassis, q);
  }
  for (const p of ports) {
    const existing = smapGetInt(p.sb?.options ?? {}, 'qdisc_queue_id', 0);
    const hasQos = portHasQosParams(p.nb.options);
    if (hasQos && existing) out.set(p.name, existing);
    if (!hasQos || existing) continue;
    const owner = p.type === 'localnet' ? `localnet:${p.name}` : p.sb?.chassis;
    if (owner === undefined) continue;
    for (let q = 1; q <= 0xf000; q++) {
      if (!used.get(owner)?.has(q)) {
        use(owner, q);
        out.set(p.name, q);
        break;
      }
    }
  }
  void ctx;
  return out;
}

// ----------------------------------------------------------------- port bindings

function requestedChassis(ctx: CompileContext, p: SwitchPort): string[] {
  const req = p.nb.options['requested-chassis'];
  if (req === undefined) return [];
  const out: string[] = [];
  for (const name of req.split(',').filter((s) => s.length > 0)) {
    let found: string | undefined;
    for (const ch of ctx.sb.Chassis.values()) if (ch.name === name) found = ch.name;
    if (found === undefined) for (const ch of ctx.sb.Chassis.values()) if (ch.hostname === name) found = ch.name;
    if (found !== undefined) out.push(found);
    else ctx.warn('unknown-requested-chassis', `Unknown chassis '${name}' set in options:requested-chassis on LSP '${p.name}'.`);
  }
  return out;
}

function lspBinding(
  ctx: CompileContext,
  topo: Topology,
  p: SwitchPort,
  tunnelKey: number,
  queues: ReadonlyMap<string, number>,
): DesiredPortBinding {
  const sw = topo.switchByUuid.get(p.switchUuid)!;
  let type: string;
  let options: Record<string, string>;
  const natAddresses: string[] = [];
  let reqChassis: string[] = [];
  let haGroup: string | undefined;
  if (p.type !== 'router') {
    options = { ...p.nb.options };
    const q = queues.get(p.name);
    if (q !== undefined) options['qdisc_queue_id'] = String(q);
    else delete options['qdisc_queue_id'];
    if (sw.vlanPassthru) options['vlan-passthru'] = 'true';
    if (p.sb && p.sb.requested_additional_chassis.length) {
      const act = p.sb.options['additional-chassis-activated'];
      if (act !== undefined) options['additional-chassis-activated'] = act;
    }
    if (KNOWN_LSP_TYPES.has(p.type)) type = p.type;
    else {
      ctx.warn('unknown-lsp-type', `Unknown port type '${p.type}' set on logical switch '${p.name}'.`);
      type = p.sb?.type ?? '';
    }
    reqChassis = requestedChassis(ctx, p);
    haGroup = externalGroupName(ctx.nb, p.nb);
  } else {
    const rtr = p.peer ? topo.routerByUuid.get(p.peer.routerUuid) : undefined;
    const chassis = rtr?.nb.options['chassis'];
    type = chassis !== undefined ? 'l3gateway' : 'patch';
    options = {};
    const routerPort = p.nb.options['router-port'];
    if (routerPort !== undefined) options['peer'] = routerPort;
    if (chassis !== undefined) options['l3gateway-chassis'] = chassis;
    const peer = p.peer;
    const dgps = rtr?.l3dgwPorts ?? [];
    const natOpt = p.nb.options['nat-addresses'];
    const dgpFor = (rp: RouterPort): RouterPort => (rp.crName !== undefined ? rp : dgps[0]!);
    if (natOpt !== undefined && natOpt !== 'router' && peer && (chassis !== undefined || dgps.length)) {
      if (!extractLspAddresses(natOpt).ok) ctx.warn('nat-addresses', 'Error extracting nat-addresses.');
      else {
        let s = natOpt;
        if (dgps.length) s += ` is_chassis_resident(${JSON.stringify(dgpFor(peer).crName)})`;
        natAddresses.push(s);
      }
    }
    if (natOpt === 'router' && peer && rtr && (chassis !== undefined || dgps.length)) {
      const excludeLb = smapGetBool(p.nb.options, 'exclude-lb-vips-from-garp', false);
      natAddresses.push(...routerNatAddresses(ctx, rtr, peer, !excludeLb));
    }
    let garp = false;
    if (peer && dgps.length) {
      if (peer.crName !== undefined) garp = true;
      else if (smapGetBool(peer.nb.options, 'reside-on-redirect-chassis', false)) {
        if (dgps.length === 1) garp = true;
        else ctx.warn('reside-on-redirect-chassis', `"reside-on-redirect-chassis" is set on logical router port ${peer.name}, which is on logical router ${rtr!.name}, which has ${dgps.length} distributed gateway ports. Thisoption can only be used when there is a single distributed gateway port.`);
      }
    } else if (chassis !== undefined && sw.localnetPorts.length) {
      garp = true;
    }
    if (garp && peer) {
      let s = [peer.networks.eaStr, ...peer.networks.ipv4Addrs.map((a) => a.addrStr)].join(' ');
      if (dgps.length) s += ` is_chassis_resident(${JSON.stringify(dgpFor(peer).crName)})`;
      natAddresses.push(s);
    }
  }
  const ids: Record<string, string> = { ...p.nb.external_ids };
  const pname = ids['neutron:port_name'];
  if (pname) ids['name'] = pname;
  const row: DesiredPortBinding = {
    datapath: p.switchUuid,
    logical_port: p.name,
    tunnel_key: tunnelKey,
    type,
    options,
    parent_port: p.nb.parent_name,
    tag: p.nb.tag,
    mac: p.nb.addresses,
    port_security: p.nb.port_security,
    nat_addresses: natAddresses,
    external_ids: ids,
    ...(reqChassis.length ? { requestedChassis: reqChassis[0]! } : {}),
    ...(reqChassis.length > 1 ? { requestedAdditionalChassis: reqChassis.slice(1) } : {}),
    ...(haGroup !== undefined ? { haChassisGroup: haGroup } : {}),
    mirrorRules: mirrorNames(ctx, p.nb.mirror_rules),
  };
  return row;
}

/** ND RA interval bounds and defaults (RFC 4861 6.2.1, as the reference applies them). */
const RA_MAX_INTERVAL = { dflt: 600, min: 4, max: 1800 };
const RA_MIN_INTERVAL_MIN = 3;

/**
 * ovn_update_ipv6_options() and copy_ra_to_sb(): what ovn-controller needs to send
 * periodic router advertisements (options ipv6_ra_*) and to ask for a prefix.
 */
function ipv6PortOptions(rp: RouterPort, pdList: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (rp.enabled && smapGetBool(rp.nb.options, 'prefix_delegation', false)) out['ipv6_prefix_delegation'] = 'true';
  if (rp.enabled && smapGetBool(rp.nb.options, 'prefix', false)) out['ipv6_prefix'] = 'true';
  const ra = rp.nb.ipv6_ra_configs;
  const mode = ra['address_mode'];
  if (mode !== 'slaac' && mode !== 'dhcpv6_stateful' && mode !== 'dhcpv6_stateless') return out;
  if (!smapGetBool(ra, 'send_periodic', false)) return out;
  out['ipv6_ra_send_periodic'] = 'true';
  out['ipv6_ra_address_mode'] = mode;
  const max = Math.min(Math.max(smapGetInt(ra, 'max_interval', RA_MAX_INTERVAL.dflt), RA_MAX_INTERVAL.min), RA_MAX_INTERVAL.max);
  out['ipv6_ra_max_interval'] = String(max);
  const minDefault = max >= 9 ? Math.trunc(max / 3) : Math.trunc((max * 3) / 4);
  const min = Math.max(Math.min(smapGetInt(ra, 'min_interval', minDefault), Math.trunc((max * 3) / 4)), RA_MIN_INTERVAL_MIN);
  out['ipv6_ra_min_interval'] = String(min);
  const mtu = smapGetInt(ra, 'mtu', 0);
  if (mtu >= 1280) out['ipv6_ra_mtu'] = String(mtu);
  const prefixes: string[] = [];
  for (const a of rp.networks.ipv6Addrs) {
    if (a.isLla) out['ipv6_ra_src_addr'] = a.addrStr;
    else prefixes.push(`${a.networkStr}/${a.plen}`);
  }
  if (pdList !== undefined) prefixes.push(pdList);
  out['ipv6_ra_prefixes'] = prefixes.join(' ').replace(/ +$/, '');
  if (ra['rdnss'] !== undefined) out['ipv6_ra_rdnss'] = ra['rdnss'];
  if (ra['dnssl'] !== undefined) out['ipv6_ra_dnssl'] = ra['dnssl'];
  out['ipv6_ra_src_eth'] = rp.networks.eaStr;
  const prf = ra['router_preference'];
  out['ipv6_ra_prf'] = prf === 'HIGH' || prf === 'LOW' ? prf : 'MEDIUM';
  if (ra['route_info'] !== undefined) out['ipv6_ra_route_info'] = ra['route_info'];
  return out;
}

/**
 * A router's Port_Binding rows (its ports' and their chassisredirect ports'), the same array
 * while the Router object (its row, ports, NAT), its ports' keys and, for distributed gateway
 * ports, their HA chassis group names and peer switches' vtep ports are the same: the SB
 * differ then skips them, and a run that changed no router checks one entry per router.
 */
function memoRouterBindings(ctx: CompileContext, topo: Topology, rtr: Router, keys: TunnelKeys): readonly DesiredPortBinding[] {
  const portKeys = keys.routerPorts.get(rtr.uuid);
  const inputs: unknown[] = [portKeys];
  for (const rp of rtr.l3dgwPorts) {
    const peer = rp.peerName !== undefined ? topo.lspByName.get(rp.peerName) : undefined;
    inputs.push(dgpGroupName(ctx.nb, rp.nb), peer ? topo.switchByUuid.get(peer.switchUuid)?.hasVtepLports : undefined);
  }
  return memoWithWarnings(ctx, ctx.memo.routerBindings, rtr, inputs, (c) => {
    const rows: DesiredPortBinding[] = [];
    for (const rp of rtr.ports) rows.push(...memoLrpBindings(c, topo, rp, keys));
    return rows;
  });
}

const lrpRowsMemo = new WeakMap<RouterPort, { inputs: readonly unknown[]; rows: DesiredPortBinding[] }>();

/**
 * One router port's rows (and its chassisredirect port's), the same objects while the port,
 * what they read of its router, its keys and (a DGP) its group name and peer's vtep ports are:
 * a route added to a router with 500 ports makes no new row.
 */
function memoLrpBindings(ctx: CompileContext, topo: Topology, rp: RouterPort, keys: TunnelKeys): DesiredPortBinding[] {
  const rtr = topo.routerByUuid.get(rp.routerUuid)!;
  // Of the router: its options (chassis) and whether it has distributed NAT, not its routes.
  const inputs: unknown[] = [rtr.nb.options, rtr.hasDistributedNat, keys.port.get(rp.name)];
  if (rp.crName !== undefined) {
    const peer = rp.peerName !== undefined ? topo.lspByName.get(rp.peerName) : undefined;
    inputs.push(keys.port.get(rp.crName), dgpGroupName(ctx.nb, rp.nb), peer ? topo.switchByUuid.get(peer.switchUuid)?.hasVtepLports : undefined);
  }
  const m = lrpRowsMemo.get(rp);
  if (m && m.inputs.length === inputs.length && m.inputs.every((x, i) => x === inputs[i])) return m.rows;
  const rows = lrpBindings(ctx, topo, rp, keys);
  lrpRowsMemo.set(rp, { inputs, rows });
  return rows;
}

function lrpBindings(ctx: CompileContext, topo: Topology, rp: RouterPort, keys: TunnelKeys): DesiredPortBinding[] {
  const rtr = topo.routerByUuid.get(rp.routerUuid)!;
  const chassis = rtr.nb.options['chassis'];
  const mac = [[rp.nb.mac, ...rp.nb.networks].join(' ')];
  const out: DesiredPortBinding[] = [];
  const opts: Record<string, string> = {};
  if (rp.peerName !== undefined) {
    opts['peer'] = rp.peerName;
    if (rp.crName !== undefined) opts['chassis-redirect-port'] = rp.crName;
  }
  if (chassis !== undefined) opts['l3gateway-chassis'] = chassis;
  const pd = rp.sb?.options['ipv6_ra_pd_list'];
  if (pd !== undefined) opts['ipv6_ra_pd_list'] = pd;
  // A port peered through a switch, with IPv6 networks: prefix delegation and periodic RAs.
  if (rp.nb.peer === undefined && rp.peerName !== undefined && rp.networks.ipv6Addrs.length) Object.assign(opts, ipv6PortOptions(rp, pd));
  const key = keys.port.get(rp.name);
  if (key !== undefined) {
    out.push({
      datapath: rtr.uuid,
      logical_port: rp.name,
      tunnel_key: key,
      type: chassis !== undefined ? 'l3gateway' : 'patch',
      options: opts,
      parent_port: undefined,
      tag: undefined,
      mac,
      port_security: [],
      nat_addresses: [],
      external_ids: { ...rp.nb.external_ids },
    });
  }
  if (rp.crName !== undefined) {
    const crKey = keys.port.get(rp.crName);
    if (crKey !== undefined) {
      const cr: Record<string, string> = { 'distributed-port': rp.name };
      const redirectType = rp.nb.options['redirect-type'];
      // l3dgw_port_has_associated_vtep_lports(): a peer switch with vtep ports.
      const peerSw = rp.peerName !== undefined ? topo.lspByName.get(rp.peerName) : undefined;
      const hasVtep = peerSw ? topo.switchByUuid.get(peerSw.switchUuid)!.hasVtepLports : false;
      let always = !rtr.hasDistributedNat && !hasVtep;
      if (redirectType !== undefined) {
        cr['redirect-type'] = redirectType;
        if (redirectType === 'bridged') always = false;
      }
      if (always) cr['always-redirect'] = 'true';
      const haGroup = dgpGroupName(ctx.nb, rp.nb);
      out.push({
        datapath: rtr.uuid,
        logical_port: rp.crName,
        tunnel_key: crKey,
        type: 'chassisredirect',
        options: cr,
        parent_port: undefined,
        tag: undefined,
        mac,
        port_security: [],
        nat_addresses: [],
        external_ids: { ...rp.nb.external_ids },
        ...(haGroup !== undefined ? { haChassisGroup: haGroup } : {}),
      });
    }
  }
  return out;
}

/**
 * A non-router port's row depends on the port object (its NB and SB rows),
 * its tunnel key and queue, the switch's vlan-passthru and the Chassis table
 * (requested-chassis): the same inputs give the same row object, which lets
 * the SB differ skip it.
 */

function memoLspBinding(
  ctx: CompileContext,
  topo: Topology,
  sw: Topology['switches'][number],
  p: SwitchPort,
  key: number,
  queues: ReadonlyMap<string, number>,
): DesiredPortBinding {
  if (p.type === 'router') return lspBinding(ctx, topo, p, key, queues);
  // An external port's row names its HA chassis group: the group's NB row is an input.
  const group = p.type === 'external' && p.nb.ha_chassis_group !== undefined ? ctx.nb.HA_Chassis_Group.get(p.nb.ha_chassis_group) : undefined;
  const inputs = [key, queues.get(p.name), sw.vlanPassthru, ctx.sb.Chassis, group];
  return memoWithWarnings(ctx, ctx.memo.binding, p, inputs, (c) => lspBinding(c, topo, p, key, queues));
}

/** The Port_Binding rows of one switch's ports, in port order. */
function switchPortBindings(
  ctx: CompileContext,
  topo: Topology,
  sw: Topology['switches'][number],
  keys: ReadonlyMap<string, number> | undefined,
  queues: ReadonlyMap<string, number>,
): readonly DesiredPortBinding[] {
  const out: DesiredPortBinding[] = [];
  if (!keys) return out;
  for (const p of sw.ports) {
    const key = keys.get(p.name);
    if (key !== undefined) out.push(memoLspBinding(ctx, topo, sw, p, key, queues));
  }
  return out;
}

/**
 * switchPortBindings(), the same array while the Switch object, its port keys,
 * the queues of its ports and the Chassis table are the same (switches with
 * router-type ports, whose rows read the routers' peer views, while those are).
 */
/** Switch objects are immutable: whether one has a router-type port is remembered per object. */
const routerTypeMemo = new WeakMap<Topology['switches'][number], boolean>();

function hasRouterTypePort(sw: Topology['switches'][number]): boolean {
  let r = routerTypeMemo.get(sw);
  if (r === undefined) routerTypeMemo.set(sw, (r = sw.ports.some((p) => p.type === 'router')));
  return r;
}

/** The HA chassis groups (NB UUIDs) the external ports of a switch name, per Switch object (usually none). */
const externalGroupsMemo = new WeakMap<Topology['switches'][number], readonly string[]>();

const NO_MIRRORS: readonly string[] = [];

/** The names of the NB mirrors a port lists (sorted): its Port_Binding's mirror_rules. */
function mirrorNames(ctx: CompileContext, uuids: readonly string[]): readonly string[] {
  if (!uuids.length) return NO_MIRRORS;
  const names: string[] = [];
  for (const u of uuids) {
    const m = ctx.nb.Mirror.get(u);
    if (m) names.push(m.name);
  }
  return names.length ? names.sort() : NO_MIRRORS;
}

const mirroredMemo = new WeakMap<Topology['switches'][number], boolean>();

/** Whether some port of the switch lists mirrors (its bindings then read the NB Mirror table). */
function hasMirroredPort(sw: Topology['switches'][number]): boolean {
  let r = mirroredMemo.get(sw);
  if (r === undefined) mirroredMemo.set(sw, (r = sw.ports.some((p) => p.nb.mirror_rules.length > 0)));
  return r;
}

function externalGroups(sw: Topology['switches'][number]): readonly string[] {
  let r = externalGroupsMemo.get(sw);
  if (!r) {
    r = [];
    for (const p of sw.ports) if (p.type === 'external' && p.nb.ha_chassis_group !== undefined) (r as string[]).push(p.nb.ha_chassis_group);
    externalGroupsMemo.set(sw, r);
  }
  return r;
}

function memoSwitchPortBindings(
  ctx: CompileContext,
  topo: Topology,
  sw: Topology['switches'][number],
  keys: ReadonlyMap<string, number> | undefined,
  queues: ReadonlyMap<string, number>,
): readonly DesiredPortBinding[] {
  const inputs: unknown[] = [keys, queueSignature(sw, queues), ctx.sb.Chassis];
  for (const g of externalGroups(sw)) inputs.push(ctx.nb.HA_Chassis_Group.get(g));
  if (hasMirroredPort(sw)) inputs.push(ctx.nb.Mirror);
  // A router-type port's row reads its peer router (gateway chassis, DGPs): its peer view is
  // the same object while all of that is.  With nat-addresses=router it reads the router's NAT
  // rows too, and (unless excluded from GARPs) every VIP of the router.
  if (hasRouterTypePort(sw)) {
    for (const p of sw.routerPorts) {
      const rtr = topo.routerByUuid.get(p.peer!.routerUuid);
      inputs.push(peerViewOf(topo, p.peer!));
      if (rtr && p.nb.options['nat-addresses'] === 'router') {
        inputs.push(rtr.natEntries);
        if (!smapGetBool(p.nb.options, 'exclude-lb-vips-from-garp', false)) inputs.push(ctx.memo.routerLbIps.get(rtr.nb));
      }
    }
  }
  return memoWithWarnings(ctx, ctx.memo.switchBindings, sw, inputs, (c) => switchPortBindings(c, topo, sw, keys, queues));
}

/**
 * Port_Binding rows for every LSP and LRP (and chassisredirect port), by
 * logical_port.  The map is the previous run's with only the rows of switches
 * that changed replaced (the differ then finds the changed names quickly).
 */
export function buildPortBindings(
  ctx: CompileContext,
  topo: Topology,
  keys: TunnelKeys,
  queues: ReadonlyMap<string, number> = assignQdiscQueues(ctx, topo),
): ReadonlyMap<string, DesiredPortBinding> {
  const asm = ctx.memo.portBindings;
  const nextRouter = new Map<string, readonly DesiredPortBinding[]>();
  /** Routers whose rows are new arrays this run. */
  const changedRouters: (readonly DesiredPortBinding[])[] = [];
  let collide = false;
  for (const rtr of topo.routers) {
    const rows = memoRouterBindings(ctx, topo, rtr, keys);
    nextRouter.set(rtr.uuid, rows);
    if (asm.byRouter.get(rtr.uuid) === rows) {
      if (asm.collided) collide ||= rows.some((r) => topo.lspByName.has(r.logical_port));
      continue;
    }
    changedRouters.push(rows);
    // A router port row named like a switch port overrides it: assemble from scratch then.
    collide ||= rows.some((r) => topo.lspByName.has(r.logical_port));
  }
  const e = (collide || asm.collided ? ShardedMap.empty<DesiredPortBinding>() : asm.out).edit();
  const next = new Map<string, readonly DesiredPortBinding[]>();
  const added: (readonly DesiredPortBinding[])[] = [];
  const fresh = collide || asm.collided;
  for (const sw of topo.switches) {
    const rows = memoSwitchPortBindings(ctx, topo, sw, keys.switchPorts.get(sw.uuid), queues);
    next.set(sw.uuid, rows);
    const before = asm.bySwitch.get(sw.uuid);
    if (before === rows && !fresh) continue;
    if (before && !fresh) {
      // A row set again below as the same object need not be deleted first (most of a
      // switch whose one port changed; setting an entry to the value it has copies nothing).
      const now = new Set(rows);
      for (const r of before) if (!now.has(r)) e.delete(r.logical_port);
    }
    added.push(rows);
  }
  if (!fresh) {
    for (const [u, rows] of asm.bySwitch) if (!next.has(u)) for (const r of rows) e.delete(r.logical_port);
    // A router's rows that are the same array stay (most of them).
    for (const [u, rows] of asm.byRouter) {
      const now = nextRouter.get(u);
      if (now === rows) continue;
      const keep = new Set(now);
      for (const r of rows) if (!keep.has(r)) e.delete(r.logical_port);
    }
  }
  // Deletes first: a port that moved between switches is deleted by one and set by the other.
  for (const rows of added) for (const r of rows) e.set(r.logical_port, r);
  for (const rows of fresh ? nextRouter.values() : changedRouters) for (const r of rows) e.set(r.logical_port, r);
  asm.out = e.finish();
  asm.bySwitch = next;
  asm.byRouter = nextRouter;
  asm.collided = collide;
  return asm.out;
}

// ----------------------------------------------------------------- multicast groups

/**
 * The fixed multicast groups: every enabled LSP floods (_MC_flood), the
 * non-router ones also in _MC_flood_l2; enabled LSPs with "unknown" join
 * _MC_unknown; relay/report/static flooding groups per mcast options.
 * IGMP-learnt groups (from SB IGMP_Group) are not built yet.
 */
export function buildMulticastGroups(topo: Topology, mcMemo: WeakMap<Topology['switches'][number], readonly DesiredMulticastGroup[]> = new WeakMap()): DesiredMulticastGroup[] {
  const out: DesiredMulticastGroup[] = [];
  for (const rtr of topo.routers) {
    let g = routerMcMemo.get(rtr);
    if (g === undefined) routerMcMemo.set(rtr, (g = routerStaticGroup(rtr)));
    if (g) out.push(g);
  }
  for (const sw of topo.switches) {
    // A function of the Switch object, unless multicast relay makes it read its routers.
    const memoised = !sw.mcast.floodRelay ? mcMemo.get(sw) : undefined;
    const groups = memoised ?? switchMulticastGroups(topo, sw);
    if (!memoised && !sw.mcast.floodRelay) mcMemo.set(sw, groups);
    out.push(...groups);
  }
  return out;
}


/** A router's _MC_static group (ports with mcast_flood), per Router object; null: none. */
const routerMcMemo = new WeakMap<Router, DesiredMulticastGroup | null>();

function routerStaticGroup(rtr: Router): DesiredMulticastGroup | null {
  const ports: string[] = [];
  for (const rp of rtr.ports) {
    const name = rp.crName ?? rp.name;
    if (rp.enabled && rp.mcastFlood && !ports.includes(name)) ports.push(name);
  }
  return ports.length ? { datapath: rtr.uuid, name: '_MC_static', tunnelKey: MC_KEYS['_MC_static'], ports } : null;
}

function switchMulticastGroups(topo: Topology, sw: Topology['switches'][number]): DesiredMulticastGroup[] {
  const groups = new Map<keyof typeof MC_KEYS, Set<string>>();
  const add = (name: keyof typeof MC_KEYS, port: string) => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = new Set()));
    g.add(port);
  };
  for (const p of sw.ports) {
    if (!p.enabled) continue;
    add('_MC_flood', p.name);
    if (p.type !== 'router') add('_MC_flood_l2', p.name);
    if (sw.mcast.floodRelay && p.peer && topo.routerByUuid.get(p.peer.routerUuid)?.mcastRelay) add('_MC_mrouter_flood', p.name);
    if (p.mcastFloodReports) add('_MC_mrouter_flood', p.name);
    if (p.mcastFlood) add('_MC_static', p.name);
    if (p.type !== 'external' && p.nb.addresses.includes('unknown')) add('_MC_unknown', p.name);
  }
  return [...groups].map(([name, ports]) => ({ datapath: sw.uuid, name, tunnelKey: MC_KEYS[name], ports: [...ports] }));
}

// ----------------------------------------------------------------- IP_Multicast

/** One IP_Multicast row per switch, from other_config:mcast_*. */
export function buildIpMulticast(ctx: CompileContext, topo: Topology): DesiredIpMulticast[] {
  // The SB rows matter only for the columns northd keeps (sources, seq_no):
  // the index is rebuilt only when the SB datapaths or IP_Multicast rows change.
  const memo = ctx.memo.ipMulticast;
  if (memo.dpb !== ctx.sb.Datapath_Binding || memo.ipm !== ctx.sb.IP_Multicast) {
    const existing = new Map<string, (typeof ctx.sb.IP_Multicast extends ReadonlyMap<string, infer R> ? R : never)>();
    const nbBySbDp = new Map<string, string>();
    for (const dp of ctx.sb.Datapath_Binding.values()) {
      const k = dp.external_ids['logical-switch'];
      if (k !== undefined) nbBySbDp.set(dp._uuid, k);
    }
    for (const row of ctx.sb.IP_Multicast.values()) {
      const nbu = nbBySbDp.get(row.datapath);
      if (nbu !== undefined && !existing.has(nbu)) existing.set(nbu, row);
    }
    memo.dpb = ctx.sb.Datapath_Binding;
    memo.ipm = ctx.sb.IP_Multicast;
    memo.existing = existing;
  }
  return topo.switches.map((sw) => {
    const m = sw.mcast;
    const prev = memo.existing.get(sw.uuid);
    // One object per (multicast settings, SB row): the differ then skips it by identity.
    const r = memo.rows.get(m);
    if (r && r.prev === prev && r.row.datapath === sw.uuid) return r.row;
    const row: DesiredIpMulticast = {
      datapath: sw.uuid,
      enabled: m.enabled,
      querier: m.querier,
      table_size: m.tableSize,
      idle_timeout: m.idleTimeout,
      query_interval: m.queryInterval,
      query_max_resp: m.queryMaxResponse,
      eth_src: m.ethSrc ?? prev?.eth_src ?? '',
      ip4_src: m.ip4Src ?? prev?.ip4_src ?? '',
      ip6_src: m.ip6Src ?? prev?.ip6_src ?? '',
      seq_no: prev?.seq_no ?? 0,
    };
    memo.rows.set(m, { prev, row });
    return row;
  });
}

// ----------------------------------------------------------------- all together

export interface SwitchBindings {
  readonly keys: TunnelKeys;
  readonly qdiscQueues: ReadonlyMap<string, number>;
  readonly datapaths: ReadonlyMap<string, DesiredDatapath>;
  readonly portBindings: ReadonlyMap<string, DesiredPortBinding>;
  readonly multicastGroups: readonly DesiredMulticastGroup[];
  readonly ipMulticast: readonly DesiredIpMulticast[];
  /** Dynamic IPAM is not implemented yet: nothing is written back. */
}

/** Tunnel keys, Datapath_Binding, Port_Binding, Multicast_Group and IP_Multicast rows. */
export function buildSwitchBindings(ctx: CompileContext, topo: Topology): SwitchBindings {
  const keys = allocateTunnelKeys(ctx, topo);
  const qdiscQueues = assignQdiscQueues(ctx, topo);
  return {
    keys,
    qdiscQueues,
    datapaths: new Map(buildDatapathBindings(topo, keys).map((d) => [d.nbUuid, d])),
    portBindings: buildPortBindings(ctx, topo, keys, qdiscQueues),
    // The previous run's arrays when every element is the same object (the differ then skips them).
    multicastGroups: ctx.memo.sameArray('mc', buildMulticastGroups(topo, ctx.memo.mcGroups).filter((g) => keys.datapath.has(g.datapath))),
    ipMulticast: ctx.memo.sameArray('ipm', buildIpMulticast(ctx, topo).filter((m) => keys.datapath.has(m.datapath))),
  };
}
