// Random NB contents and changes for the property tests: a small universe of
// rows (UUIDs fixed per table and index, so changes collide often) and views
// built the way the replica builds them — a change replaces only the rows it
// touches inside a new version of their table (ShardedMap); every other row
// and table keeps its identity, which is what memoisation keys on.
import fc from 'fast-check';
import { bundledSchema, viewFromWireTables } from '../../src/replay/load.js';
import type { NbView } from '../../src/compile/context.js';
import { ShardedMap } from '../../src/replica/sharded-map.js';

type Wire = Record<string, unknown>;
const map = (o: Record<string, string>): unknown => ['map', Object.entries(o)];
const set = (xs: readonly unknown[]): unknown => ['set', xs];
const uuidSet = (us: readonly string[]): unknown => set(us.map((u) => ['uuid', u]));
const optRef = (u: string | undefined): unknown => (u === undefined ? set([]) : ['uuid', u]);

const id = (prefix: string, i: number): string => `${prefix}${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`;
const SW = [0, 1, 2, 3].map((i) => id('1000', i));
const LSP = Array.from({ length: 12 }, (_, i) => id('2000', i));
const ACL = Array.from({ length: 6 }, (_, i) => id('3000', i));
const PG = [0, 1, 2].map((i) => id('4000', i));
const LB = [0, 1, 2, 3].map((i) => id('5000', i));
const LBG = [0, 1].map((i) => id('6000', i));
const LR = [id('7000', 0), id('7000', 1)];
const LRP = [0, 1, 2].map((i) => id('8000', i));
const ROUTE = [0, 1, 2].map((i) => id('f000', i));
const POLICY = [0, 1].map((i) => id('f100', i));
const GWC = [0, 1].map((i) => id('f200', i));
const HAG = id('f300', 0);
const HAC = [0, 1].map((i) => id('f400', i));
const SMB = [0, 1].map((i) => id('f500', i));
const NAT = [0, 1].map((i) => id('f600', i));
/** BFD sessions, one per router port name (logical_port, dst_ip is an NB index). */
const BFD = [0, 1, 2].map((i) => id('f700', i));
const BFD_PORT = ['rp0', 'rp1', 'p0'];
const COPP = id('9000', 0);
const METER = [0, 1].map((i) => id('a000', i));
const BAND = [0, 1, 2].map((i) => id('e000', i));
const AS = [0, 1].map((i) => id('b000', i));
const QOS = [0, 1].map((i) => id('c000', i));
const CTV = [0, 1].map((i) => id('c100', i));
const DNS = [0, 1].map((i) => id('c200', i));
const HC = [0, 1].map((i) => id('c300', i));
const MIRROR = [0, 1].map((i) => id('c400', i));
const NBG = id('d000', 0);

const sub = <T,>(xs: readonly T[]) => fc.subarray([...xs]);
const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const portName = fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'dup');
const addresses = fc.subarray(
  [
    '00:00:00:00:00:01 10.0.0.1',
    '00:00:00:00:00:02 10.0.0.2 fd00::2',
    '00:00:00:00:00:03',
    'unknown',
    'router',
    'dynamic',
    // IPAM forms: a given MAC, a given IPv4, a given IPv6.
    '0a:00:00:00:00:09 dynamic',
    'dynamic 10.0.0.5',
    'dynamic fd00::5',
    '00:00:00:00:00:04 10.0.0.4 10.0.0.44',
    'zz:bad 10.0.0.9',
  ],
  { maxLength: 3 },
);

/** One NB change: the table, the row UUID, and its new wire contents (undefined = delete). */
export type Change =
  | { table: string; uuid: string; row: Wire | undefined }
  /** Adds or removes one element of a set column of an existing row (as a CMS edits one thing at a time), or flips a boolean. */
  | { table: string; uuid: string; toggle: { column: string; value: string } };

const lspChange: fc.Arbitrary<Change> = fc.record({
  uuid: fc.constantFrom(...LSP),
  del: fc.boolean(),
  name: portName,
  type: fc.constantFrom('', '', '', 'router', 'localnet', 'localport', 'virtual', 'external', 'vtep', 'bogus'),
  addresses,
  ps: fc.subarray(['00:00:00:00:00:01 10.0.0.1', '00:00:00:00:00:02 10.0.0.0/24', '00:00:00:00:00:05'], { maxLength: 2 }),
  routerPort: maybe(fc.constantFrom('rp0', 'rp1', 'rp2', 'missing')),
  virtual: fc.boolean(),
  qos: fc.boolean(),
  tnlKey: maybe(fc.constantFrom('7', '8')),
  enabled: maybe(fc.boolean()),
  up: maybe(fc.boolean()),
  dynamic: maybe(fc.constantFrom('00:00:00:00:00:09 10.0.0.9', '0a:00:00:00:00:01 10.0.0.5 fd00::5', '0a:00:00:00:00:02')),
  hag: fc.constantFrom(false, false, true),
}).map((r) => {
  const options: Record<string, string> = {};
  if (r.routerPort) options['router-port'] = r.routerPort;
  if (r.virtual) Object.assign(options, { 'virtual-ip': '10.0.0.100', 'virtual-parents': 'p0,p1' });
  if (r.qos) options['qos_max_rate'] = '1000';
  if (r.tnlKey) options['requested-tnl-key'] = r.tnlKey;
  return {
    table: 'Logical_Switch_Port',
    uuid: r.uuid,
    row: r.del
      ? undefined
      : {
          name: r.name,
          type: r.type,
          addresses: set(r.addresses),
          port_security: set(r.ps),
          options: map(options),
          ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
          ...(r.up !== undefined ? { up: r.up } : {}),
          ...(r.dynamic !== undefined ? { dynamic_addresses: r.dynamic } : {}),
          ...(r.hag ? { ha_chassis_group: ['uuid', HAG] } : {}),
        },
  };
});

const switchTweak: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ uuid: fc.constantFrom(...SW), value: fc.constantFrom(...LBG) }).map((r) => ({ table: 'Logical_Switch', uuid: r.uuid, toggle: { column: 'load_balancer_group', value: r.value } })),
  fc.record({ uuid: fc.constantFrom(...SW), value: fc.constantFrom(...LB) }).map((r) => ({ table: 'Logical_Switch', uuid: r.uuid, toggle: { column: 'load_balancer', value: r.value } })),
  fc.record({ uuid: fc.constantFrom(...SW), value: fc.constantFrom(...LSP) }).map((r) => ({ table: 'Logical_Switch', uuid: r.uuid, toggle: { column: 'ports', value: r.value } })),
  fc.record({ uuid: fc.constantFrom(...SW), value: fc.constantFrom(...ACL) }).map((r) => ({ table: 'Logical_Switch', uuid: r.uuid, toggle: { column: 'acls', value: r.value } })),
  fc.record({ uuid: fc.constantFrom(...LSP), value: fc.constantFrom(...MIRROR) }).map((r) => ({ table: 'Logical_Switch_Port', uuid: r.uuid, toggle: { column: 'mirror_rules', value: r.value } })),
  fc.record({ uuid: fc.constantFrom(...SW), value: fc.constantFrom(...DNS) }).map((r) => ({ table: 'Logical_Switch', uuid: r.uuid, toggle: { column: 'dns_records', value: r.value } })),
  fc.record({ uuid: fc.constantFrom(...PG), value: fc.constantFrom(...LSP) }).map((r) => ({ table: 'Port_Group', uuid: r.uuid, toggle: { column: 'ports', value: r.value } })),
  fc.record({ uuid: fc.constantFrom(...PG), value: fc.constantFrom(...ACL) }).map((r) => ({ table: 'Port_Group', uuid: r.uuid, toggle: { column: 'acls', value: r.value } })),
  fc.record({ uuid: fc.constantFrom(...LBG), value: fc.constantFrom(...LB) }).map((r) => ({ table: 'Load_Balancer_Group', uuid: r.uuid, toggle: { column: 'load_balancer', value: r.value } })),
  // ovn-northd's own write-back of a port coming up (a boolean column: flipped).
  fc.constantFrom(...LSP).map((uuid) => ({ table: 'Logical_Switch_Port', uuid, toggle: { column: 'up', value: '' } })),
);

const switchChange: fc.Arbitrary<Change> = fc.record({
  uuid: fc.constantFrom(...SW),
  del: fc.boolean(),
  name: fc.constantFrom('sw0', 'sw1', 'sw2', 'sw3'),
  ports: sub(LSP),
  acls: sub(ACL),
  lbs: sub(LB),
  lbgs: sub(LBG),
  qos: sub(QOS),
  copp: fc.boolean(),
  otherConfig: fc.constantFrom<Record<string, string>>({}, { mcast_snoop: 'true' }, { 'vlan-passthru': 'true' }, { subnet: '10.0.0.0/24' }, { subnet: '10.0.0.0/29', exclude_ips: '10.0.0.2..10.0.0.4' }, { ipv6_prefix: 'fd00::/64' }, { mac_only: 'true' }, { 'requested-tnl-key': '5' }),
}).map((r) => ({
  table: 'Logical_Switch',
  uuid: r.uuid,
  row: r.del
    ? undefined
    : {
        name: r.name,
        ports: uuidSet(r.ports),
        acls: uuidSet(r.acls),
        load_balancer: uuidSet(r.lbs),
        load_balancer_group: uuidSet(r.lbgs),
        qos_rules: uuidSet(r.qos),
        copp: optRef(r.copp ? COPP : undefined),
        other_config: map(r.otherConfig),
      },
}));

const aclChange: fc.Arbitrary<Change> = fc.record({
  uuid: fc.constantFrom(...ACL),
  del: fc.boolean(),
  direction: fc.constantFrom('from-lport', 'to-lport'),
  priority: fc.constantFrom(0, 100, 1001, 32767),
  match: fc.constantFrom('ip4', 'tcp.dst == 80', 'outport == @pg0 && ip4', 'inport == "p1"', 'ip4.src == $as0'),
  action: fc.constantFrom('allow', 'allow-related', 'allow-stateless', 'drop', 'reject'),
  log: fc.boolean(),
  label: fc.constantFrom(0, 0, 5),
  meter: fc.constantFrom(undefined, undefined, 'm0', 'm1', 'missing'),
  name: fc.constantFrom(undefined, 'n0'),
}).map((r) => ({
  table: 'ACL',
  uuid: r.uuid,
  row: r.del
    ? undefined
    : {
        direction: r.direction,
        priority: r.priority,
        match: r.match,
        action: r.action,
        log: r.log,
        label: r.label,
        options: map({}),
        meter: r.meter === undefined ? set([]) : r.meter,
        name: r.name === undefined ? set([]) : r.name,
      },
}));

const pgChange: fc.Arbitrary<Change> = fc.record({
  uuid: fc.constantFrom(...PG),
  del: fc.boolean(),
  name: fc.constantFrom('pg0', 'pg1', 'pg2'),
  ports: sub(LSP),
  acls: sub(ACL),
}).map((r) => ({
  table: 'Port_Group',
  uuid: r.uuid,
  row: r.del ? undefined : { name: r.name, ports: uuidSet(r.ports), acls: uuidSet(r.acls) },
}));

const lbChange: fc.Arbitrary<Change> = fc.record({
  uuid: fc.constantFrom(...LB),
  del: fc.boolean(),
  vips: fc.subarray(
    [
      ['10.0.0.10:80', '10.0.0.1:8080,10.0.0.2:8080'],
      ['10.0.0.11:80', ''],
      ['10.0.0.12', '10.0.0.1'],
      ['[fd00::10]:80', '[fd00::2]:80'],
      ['10.0.0.13:80', '10.0.0.1:80'],
      ['bad-vip', '10.0.0.1'],
      ['10.0.0.14:81', 'nonsense'],
      // Template VIPs (only valid on options:template LBs; errors elsewhere).
      ['^vip:^vport', '^backends'],
      ['^vip:90', '10.0.0.1:90,10.0.0.2:90'],
      ['^vip6', '[fd00::2]:80'],
    ] as [string, string][],
    { maxLength: 4 },
  ),
  protocol: fc.constantFrom(undefined, 'tcp', 'udp', 'sctp'),
  options: fc.constantFrom<Record<string, string>>(
    {},
    { event: 'true' },
    { reject: 'true' },
    { affinity_timeout: '60' },
    { hairpin_snat_ip: '1.1.1.1' },
    { skip_snat: 'true' },
    { neighbor_responder: 'all' },
    { neighbor_responder: 'none' },
    { template: 'true' },
    { template: 'true', 'address-family': 'ipv6', reject: 'true' },
  ),
  selection: fc.constantFrom([], ['ip_src', 'tp_dst']),
  // Health checks: a check per VIP key, backends mapped to ports with a monitor source IP.
  health: fc.subarray(HC),
  mappings: fc.subarray([['10.0.0.1', 'p0:10.0.0.250'], ['10.0.0.2', 'p1:10.0.0.250'], ['fd00::2', 'p0:[fd00::250]'], ['10.0.0.3', 'nosuch:10.0.0.250']] as [string, string][]),
}).map((r) => ({
  table: 'Load_Balancer',
  uuid: r.uuid,
  row: r.del
    ? undefined
    : {
        name: `lb-${r.uuid.slice(4, 8)}`,
        vips: ['map', r.vips],
        ...(r.protocol ? { protocol: r.protocol } : {}),
        options: map(r.options),
        selection_fields: set(r.selection),
        health_check: uuidSet(r.health),
        ip_port_mappings: ['map', r.mappings.map(([k, v]) => [k.includes(':') ? `[${k}]` : k, v])],
      },
}));

const hcChange: fc.Arbitrary<Change> = fc.record({ i: fc.constantFrom(...HC), vip: fc.constantFrom('10.0.0.10:80', '10.0.0.12', '[fd00::10]:80'), interval: fc.constantFrom('5', '10') }).map((r) => ({
  table: 'Load_Balancer_Health_Check',
  uuid: r.i,
  row: { vip: r.vip, options: map({ interval: r.interval }) },
}));

const lbgChange: fc.Arbitrary<Change> = fc.record({ uuid: fc.constantFrom(...LBG), del: fc.boolean(), lbs: sub(LB) }).map((r) => ({
  table: 'Load_Balancer_Group',
  uuid: r.uuid,
  row: r.del ? undefined : { name: `g-${r.uuid.slice(4, 8)}`, load_balancer: uuidSet(r.lbs) },
}));

/** Deletes half the time, or rarely (routers then live long enough to grow ports and gateways). */
const anyDel = fc.boolean();
const rareDel = fc.constantFrom(false, false, false, false, true);

const routerRowChangeOf = (del: fc.Arbitrary<boolean>): fc.Arbitrary<Change> => fc.record({
  i: fc.constantFrom(0, 0, 1),
  del,
  ports: sub(LRP),
  lbs: sub(LB),
  routes: sub(ROUTE),
  policies: sub(POLICY),
  nat: sub(NAT),
  options: fc.constantFrom<Record<string, string>>(
    {},
    { chassis: 'ch1' },
    { mcast_relay: 'true' },
    { always_learn_from_arp_request: 'false' },
    { dynamic_neigh_routers: 'true' },
    { chassis: 'ch1', lb_force_snat_ip: 'router_ip' },
  ),
  enabled: maybe(fc.boolean()),
}).map((r) => ({
  table: 'Logical_Router',
  uuid: LR[r.i]!,
  row: r.del
    ? undefined
    : {
        name: `lr${r.i}`,
        ports: uuidSet(r.ports),
        load_balancer: uuidSet(r.lbs),
        static_routes: uuidSet(r.routes),
        policies: uuidSet(r.policies),
        nat: uuidSet(r.nat),
        options: map(r.options),
        ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
      },
}));
const routerRowChange = routerRowChangeOf(anyDel);

/** With `ownMac`, each port has its own MAC (or a bad one) instead of one of two shared ones. */
const lrpChangeOf = (del: fc.Arbitrary<boolean>, ownMac: boolean): fc.Arbitrary<Change> => fc.record({
  i: fc.constantFrom(0, 1, 2),
  del,
  name: fc.constantFrom('rp0', 'rp1', 'rp2'),
  mac: fc.constantFrom('00:00:00:00:ff:01', '00:00:00:00:ff:02', 'bad'),
  networks: fc.constantFrom(['10.0.0.254/24'], ['10.0.1.1/24', 'fd00::1/64'], ['192.168.0.1/31'], []),
  peer: maybe(fc.constantFrom('rp0', 'rp1', 'rp2', 'p0')),
  gwc: sub(GWC),
  hag: fc.boolean(),
  options: fc.constantFrom<Record<string, string>>({}, { gateway_mtu: '1400' }, { 'reside-on-redirect-chassis': 'true' }, { 'redirect-type': 'bridged' }, { route_table: 'rtb-1' }),
  ra: fc.constantFrom<Record<string, string>>({}, { address_mode: 'slaac', send_periodic: 'true', mtu: '1450' }, { address_mode: 'dhcpv6_stateful' }),
  enabled: maybe(fc.boolean()),
}).map((r) => ({
  table: 'Logical_Router_Port',
  uuid: LRP[r.i]!,
  row: r.del
    ? undefined
    : {
        name: r.name,
        mac: ownMac && r.mac !== 'bad' ? `00:00:00:00:fe:0${r.i + 1}` : r.mac,
        networks: set(r.networks),
        ...(r.peer !== undefined ? { peer: r.peer } : {}),
        gateway_chassis: uuidSet(r.gwc),
        ha_chassis_group: optRef(r.hag ? HAG : undefined),
        options: map(r.options),
        ipv6_ra_configs: map(r.ra),
        ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
      },
}));
const lrpChange = lrpChangeOf(anyDel, false);

/** Routes (some watched by BFD sessions), BFD sessions, policies, NAT, gateway chassis, HA chassis groups and static MAC bindings of the routers. */
const routerPartChange: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    uuid: fc.constantFrom(...ROUTE),
    prefix: fc.constantFrom('10.1.0.0/16', '0.0.0.0/0', 'fd01::/64', '10.0.0.5'),
    nexthop: fc.constantFrom('10.0.0.1', '10.0.1.254', 'fd00::2', 'discard'),
    policy: fc.constantFrom(undefined, 'src-ip'),
    table: fc.constantFrom('', 'rtb-1'),
    outputPort: maybe(fc.constantFrom('rp0', 'rp1')),
    ecmpSymmetric: fc.boolean(),
    bfd: maybe(fc.constantFrom(...BFD)),
  }).map((r) => ({
    table: 'Logical_Router_Static_Route',
    uuid: r.uuid,
    row: {
      ip_prefix: r.prefix,
      nexthop: r.nexthop,
      route_table: r.table,
      ...(r.policy ? { policy: r.policy } : {}),
      ...(r.outputPort ? { output_port: r.outputPort } : {}),
      ...(r.bfd ? { bfd: ['uuid', r.bfd] } : {}),
      options: map(r.ecmpSymmetric ? { ecmp_symmetric_reply: 'true' } : {}),
    },
  })),
  fc.record({
    i: fc.constantFrom(0, 1, 2),
    del: fc.boolean(),
    dst: fc.constantFrom('10.0.0.1', '10.0.1.254', 'fd00::2'),
    status: maybe(fc.constantFrom('down' as const, 'up' as const, 'admin_down' as const)),
    minTx: maybe(fc.constantFrom(100, 500)),
    detectMult: maybe(fc.constantFrom(3)),
  }).map((r) => ({
    table: 'BFD',
    uuid: BFD[r.i]!,
    row: r.del
      ? undefined
      : {
          logical_port: BFD_PORT[r.i]!,
          dst_ip: r.dst,
          ...(r.status ? { status: r.status } : {}),
          ...(r.minTx ? { min_tx: r.minTx } : {}),
          ...(r.detectMult ? { detect_mult: r.detectMult } : {}),
        },
  })),
  fc.record({
    uuid: fc.constantFrom(...POLICY),
    priority: fc.constantFrom(100, 1000),
    match: fc.constantFrom('ip4.src == 10.0.0.0/24', 'ip6', 'ip4.dst == 10.9.0.1'),
    action: fc.constantFrom('allow', 'drop', 'reroute'),
    nexthops: fc.subarray(['10.0.0.1', '10.0.1.2', '10.0.1.3'], { maxLength: 2 }),
  }).map((r) => ({
    table: 'Logical_Router_Policy',
    uuid: r.uuid,
    row: { priority: r.priority, match: r.match, action: r.action, nexthops: set(r.action === 'reroute' ? r.nexthops : []), options: map({}) },
  })),
  fc.record({ uuid: fc.constantFrom(...GWC), chassis: fc.constantFrom('ch1', 'ch2'), prio: fc.constantFrom(1, 20) }).map((r) => ({
    table: 'Gateway_Chassis',
    uuid: r.uuid,
    row: { name: `gwc-${r.uuid.slice(4, 8)}`, chassis_name: r.chassis, priority: r.prio },
  })),
  fc.record({ del: fc.boolean(), members: sub(HAC) }).map((r) => ({
    table: 'HA_Chassis_Group',
    uuid: HAG,
    row: r.del ? undefined : { name: 'hag0', ha_chassis: uuidSet(r.members) },
  })),
  fc.record({ uuid: fc.constantFrom(...HAC), chassis: fc.constantFrom('ch1', 'ch2'), prio: fc.constantFrom(5, 10) }).map((r) => ({
    table: 'HA_Chassis',
    uuid: r.uuid,
    row: { chassis_name: r.chassis, priority: r.prio },
  })),
  fc.record({ uuid: fc.constantFrom(...SMB), del: fc.boolean(), port: fc.constantFrom('rp0', 'rp1', 'p0'), ip: fc.constantFrom('10.0.0.7', 'fd00::7'), mac: fc.constantFrom('00:00:00:00:aa:01', '00:00:00:00:aa:02'), ovr: fc.boolean() }).map((r) => ({
    table: 'Static_MAC_Binding',
    uuid: r.uuid,
    row: r.del ? undefined : { logical_port: r.port, ip: r.ip, mac: r.mac, override_dynamic_mac: r.ovr },
  })),
  fc
    .record({
      uuid: fc.constantFrom(...NAT),
      type: fc.constantFrom('snat', 'dnat', 'dnat_and_snat'),
      ext: fc.constantFrom('172.16.0.1', '172.16.0.2', 'bogus', 'fd10::100'),
      logical: fc.constantFrom('10.0.0.0/24', '10.0.0.11', 'fd00::/64', 'fd00::11'),
      stateless: fc.constantFrom(false, false, true),
      range: fc.constantFrom('', '', '1000-2000'),
      // Distributed on a router with a distributed gateway port (logical_port + external_mac).
      distributed: fc.constantFrom(false, false, true),
      gwPort: fc.constantFrom(undefined, undefined, LRP[0]!),
      extIps: fc.constantFrom(undefined, undefined, 'allowed_ext_ips', 'exempted_ext_ips'),
    })
    .map((r) => ({
      table: 'NAT',
      uuid: r.uuid,
      row: {
        type: r.type,
        external_ip: r.ext,
        logical_ip: r.logical,
        external_port_range: r.range,
        options: map(r.stateless ? { stateless: 'true' } : {}),
        ...(r.distributed ? { logical_port: 'p1', external_mac: '00:00:00:00:aa:01' } : {}),
        ...(r.gwPort ? { gateway_port: ['uuid', r.gwPort] } : {}),
        ...(r.extIps ? { [r.extIps]: ['uuid', AS[0]!] } : {}),
      },
    })),
);

const globalChange: fc.Arbitrary<Change> = fc.record({
  options: fc.subarray(
    [
      ['controller_event', 'true'],
      ['ignore_lsp_down', 'false'],
      ['svc_monitor_mac', '0a:00:00:00:00:09'],
      ['use_ct_inv_match', 'false'],
      ['debug_drop_collector_set', '5'],
      ['debug_drop_domain_id', '3'],
    ] as [string, string][],
  ),
  nbCfg: fc.nat(5),
}).map((r) => ({ table: 'NB_Global', uuid: NBG, row: { options: ['map', r.options], nb_cfg: r.nbCfg } }));

const miscChange: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ i: fc.constantFrom(...AS), addrs: fc.subarray(['10.0.0.1', '10.0.0.2', '10.1.0.0/16']) }).map((r) => ({
    table: 'Address_Set',
    uuid: r.i,
    row: { name: `as${r.i.slice(7, 8)}`, addresses: set(r.addrs) },
  })),
  fc.record({ i: fc.constantFrom(...QOS), del: fc.boolean(), dscp: fc.constantFrom(0, 10), prio: fc.constantFrom(100, 200) }).map((r) => ({
    table: 'QoS',
    uuid: r.i,
    row: r.del ? undefined : { priority: r.prio, direction: 'from-lport', match: 'ip4', action: map({}), bandwidth: ['map', [['rate', 100]]], ...(r.dscp ? { action: ['map', [['dscp', r.dscp]]] } : {}) },
  })),
  fc.record({ del: fc.boolean(), meters: fc.constantFrom<Record<string, string>>({ 'event-elb': 'm0' }, { reject: 'm0', 'event-elb': 'm0' }, { 'nd-na': 'm0' }, { 'event-elb': 'missing' }) }).map((r) => ({
    table: 'Copp',
    uuid: COPP,
    row: r.del ? undefined : { name: 'copp0', meters: map(r.meters) },
  })),
  fc.record({ i: fc.constantFrom(0, 1), del: fc.boolean(), fair: fc.boolean(), unit: fc.constantFrom('pktps', 'kbps'), bands: fc.subarray(BAND, { minLength: 1 }) }).map((r) => ({
    table: 'Meter',
    uuid: METER[r.i]!,
    row: r.del ? undefined : { name: `m${r.i}`, unit: r.unit, fair: r.fair, bands: uuidSet(r.bands) },
  })),
  fc.record({ i: fc.constantFrom(...MIRROR), del: fc.boolean(), name: fc.constantFrom('m-a', 'm-b'), filter: fc.constantFrom('from-lport', 'to-lport'), sink: fc.constantFrom('192.0.2.1', '192.0.2.2'), index: fc.constantFrom(1, 2) }).map((r) => ({
    table: 'Mirror',
    uuid: r.i,
    row: r.del ? undefined : { name: r.name, filter: r.filter, sink: r.sink, type: 'gre', index: r.index },
  })),
  fc.record({ i: fc.constantFrom(...DNS), del: fc.boolean(), recs: fc.subarray([['vm1.ovn.org', '10.0.0.1 FD00::1'], ['VM2.ovn.org', '10.0.0.2']] as [string, string][]) }).map((r) => ({
    table: 'DNS',
    uuid: r.i,
    row: r.del ? undefined : { records: ['map', r.recs] },
  })),
  fc.record({ i: fc.constantFrom(...CTV), del: fc.boolean(), chassis: fc.constantFrom('hv1', 'hv2'), vars: fc.subarray([['vip', '10.0.0.100'], ['vport', '80'], ['backends', '10.0.0.1:80']] as [string, string][]) }).map((r) => ({
    table: 'Chassis_Template_Var',
    uuid: r.i,
    row: r.del ? undefined : { chassis: r.chassis, variables: ['map', r.vars] },
  })),
  fc.record({ u: fc.constantFrom(...BAND), rate: fc.constantFrom(1, 10), burst: fc.constantFrom(0, 5) }).map((r) => ({
    table: 'Meter_Band',
    uuid: r.u,
    row: { action: 'drop', rate: r.rate, burst_size: r.burst },
  })),
);

export const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: lspChange },
  { weight: 3, arbitrary: switchChange },
  { weight: 3, arbitrary: switchTweak },
  { weight: 2, arbitrary: aclChange },
  { weight: 2, arbitrary: pgChange },
  { weight: 3, arbitrary: lbChange },
  { weight: 1, arbitrary: lbgChange },
  { weight: 1, arbitrary: hcChange },
  { weight: 2, arbitrary: routerRowChange },
  { weight: 2, arbitrary: lrpChange },
  { weight: 2, arbitrary: routerPartChange },
  { weight: 1, arbitrary: globalChange },
  { weight: 1, arbitrary: miscChange },
);

/**
 * A switch port becoming (or staying) the router-type peer of a router port, or naming
 * another one: the router ports' peers change while no router row does.
 */
const peerLspChange: fc.Arbitrary<Change> = fc
  .record({
    uuid: fc.constantFrom(...LSP),
    name: fc.constantFrom('p7', 'p8', 'p9'),
    rp: fc.constantFrom('rp0', 'rp1', 'rp2'),
    router: fc.constantFrom(true, true, false),
    // GARP addresses: the router's NAT (and, unless excluded, every VIP of its LBs).
    nat: fc.constantFrom<Record<string, string>>({}, { 'nat-addresses': 'router' }, { 'nat-addresses': 'router', 'exclude-lb-vips-from-garp': 'true' }),
  })
  .map((r) => ({
    table: 'Logical_Switch_Port',
    uuid: r.uuid,
    row: { name: r.name, type: r.router ? 'router' : '', addresses: set(r.router ? ['router'] : ['00:00:00:00:00:07 10.0.0.7']), options: map(r.router ? { 'router-port': r.rp, ...r.nat } : {}) },
  }));

/** Changes that build routers more often (ports, gateways, routes, BFD, static MAC bindings), with switches to attach them to. */
export const routerChange: fc.Arbitrary<Change> = fc.oneof(
  { weight: 2, arbitrary: lspChange },
  { weight: 2, arbitrary: switchChange },
  { weight: 1, arbitrary: switchTweak },
  { weight: 3, arbitrary: routerRowChangeOf(rareDel) },
  // Own MACs: two router ports sharing a MAC (and link-local address) give the incremental
  // compile other stage-hints than a full one (a router-pipeline issue of its own).
  { weight: 4, arbitrary: lrpChangeOf(rareDel, true) },
  { weight: 5, arbitrary: routerPartChange },
  { weight: 2, arbitrary: peerLspChange },
  // VIPs change under routers that hold them (directly or through a group).
  { weight: 2, arbitrary: lbChange },
  { weight: 1, arbitrary: lbgChange },
);

// ------------------------------------------------------------------ views

const nbSchema = bundledSchema('nb');
function decode(table: string, uuid: string, row: Wire): unknown {
  return (viewFromWireTables(nbSchema, { [table]: { [uuid]: row } }) as Record<string, ReadonlyMap<string, unknown>>)[table]!.get(uuid);
}

/**
 * A new view with the change applied: only the changed table gets a new
 * version, and only the changed row a new object.
 */
export function apply(view: NbView, c: Change): NbView {
  const table = (view as unknown as Record<string, ShardedMap<unknown>>)[c.table]!;
  const e = table.edit();
  if ('toggle' in c) {
    const old = table.get(c.uuid) as Record<string, unknown> | undefined;
    if (!old) return view;
    const cur = old[c.toggle.column];
    const next = Array.isArray(cur) ? (cur.includes(c.toggle.value) ? cur.filter((v) => v !== c.toggle.value) : [...cur, c.toggle.value]) : cur !== true;
    e.set(c.uuid, Object.freeze({ ...old, [c.toggle.column]: next }));
  } else if (c.row) {
    // As the replica applies an update2 diff: a column that did not change keeps its value object.
    const row = { ...(decode(c.table, c.uuid, c.row) as Record<string, unknown>) };
    const old = table.get(c.uuid) as Record<string, unknown> | undefined;
    if (old) for (const k of Object.keys(row)) if (JSON.stringify(row[k]) === JSON.stringify(old[k])) row[k] = old[k];
    e.set(c.uuid, Object.freeze(row));
  } else e.delete(c.uuid);
  return { ...view, [c.table]: e.finish() } as NbView;
}

export function emptyView(): NbView {
  const out: Record<string, ShardedMap<unknown>> = {};
  for (const name of Object.keys(nbSchema.tables)) out[name] = ShardedMap.empty();
  return apply(out as unknown as NbView, { table: 'NB_Global', uuid: NBG, row: {} });
}
