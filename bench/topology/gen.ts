/**
 * Benchmark topology generator: builds an OVN_Northbound database in ONE
 * ovsdb transaction (JSON operations built here, sent as a single raw
 * JSON-RPC `transact` to a private ovsdb-server) and saves it with
 * `ovsdb-client backup` as an NB snapshot both daemons can start from.
 *
 *   npx tsx bench/topology/gen.ts --nodes N [--pods P] [--lbs L] [--router-nat-lb] [--no-policies] [-o FILE]
 *   npx tsx bench/topology/gen.ts --scale small|medium|large [--full] [-o FILE]
 *
 * Default output: bench/out/nb-ovnk<N>[-natlb].db (shape ovnk) or bench/out/nb-<scale>[-full].db
 * (the switch-only scales), plus FILE.json (what was generated, what was left out, the names
 * run.ts needs for its operations) and, for ovnk, FILE.sb-seed.json (the SB Chassis/Encap
 * rows of the nodes, `{table: {uuid: row}}` in wire format: run.ts inserts them into every
 * empty SB before a daemon starts; `loadSbView(FILE.sb-seed.json)` reads it in-process).
 *
 * Shape ovnk (`--nodes N`, the default shape; ovn-kubernetes shared-gateway mode as in
 * lflows/080-ovnk-node-topology/scenario.sh), for nodes g = 0..N-1:
 *   - node switch node<g> (other_config:subnet 10.128.0.0/14 carved in /24s, the cluster LB
 *     group): P pods pod-<g>-<p> (static `MAC IP` + port_security, options:requested-chassis),
 *     management port k8s-node<g> (.2), stor-node<g> (router type) ↔ rtos-node<g> (.1/24) on
 *     ovn_cluster_router;
 *   - join switch `join`: jtor-ovn_cluster_router ↔ rtoj-ovn_cluster_router 100.64.0.1/16 and
 *     jtor-GR_node<g> ↔ rtoj-GR_node<g> 100.64.x.y/16 (x.y = g+2);
 *   - gateway router GR_node<g>: options chassis=chassis-node<g>, always_learn_from_arp_request=
 *     false, dynamic_neigh_routers=true; rtoe-GR_node<g> 172.18.x.y/16 ↔ etor-GR_node<g> on the
 *     external switch ext_node<g>, with a localnet port breth0_node<g> (network_name=physnet);
 *     static routes 10.128.0.0/14 → 100.64.0.1 and 0.0.0.0/0 → 172.18.0.1 via rtoe-GR_node<g>;
 *   - ovn_cluster_router: static routes (ovn-k's) 100.64.x.y → 100.64.x.y and src-ip
 *     <node subnet> → 100.64.x.y; policies (unless --no-policies) 102 allow pod↔pod and
 *     pod→join, per node 1004 reroute to the management port and 101 allow;
 *   - SB: one Chassis chassis-node<g> (geneve encap 172.18.x.y; other_config ct-no-masked-label,
 *     mac-binding-timestamp, port-up-notif = true: a 23.03 ovn-controller);
 *   - L = 2N load balancers x 2 VIPs x 3 backends in clusterLBGroup (on every node switch),
 *     5 % VIPs without backends; N/2 port groups x 4 ACLs, one address set per port group.
 *   --router-nat-lb adds what ovn-northd-ts does not implement yet (router NAT and LB, part 2):
 *     SNAT 10.128.0.0/14 → the node IP on every GR, clusterLBGroup on every GR, GR options
 *     lb_force_snat_ip=router_ip and snat-ct-zone=0, etor-GR options nat-addresses=router and
 *     exclude-lb-vips-from-garp=true. Off by default; `leftOut` names it.
 *
 * Scales (switch-only by default; ovn-kubernetes-like; pod IPs 10.128.0.0/14, VIPs 172.30.0.0/16):
 *   small   10 switches x 10 ports, 1 router, 10 LBs (1 VIP x 2 backends, attached to every
 *           switch directly), 2 port groups x 4 ACLs
 *   medium  100 switches x 20 ports, cluster router + 100 gateway routers with SNAT behind a
 *           join switch, 500 LBs x 2 VIPs x 3 backends in one Load_Balancer_Group on every
 *           switch (and gateway router), 5 % of the VIPs without backends, 50 port groups x 4
 *           ACLs = 200 ACLs, one address set per port group
 *   large   500 switches x 40 ports = 20,000 ports, cluster router, 1,000 LBs x 2 VIPs x 3
 *           backends in a Load_Balancer_Group, 5 % empty VIPs, 250 port groups x 4 ACLs
 * Every scale: NB_Global options mac_prefix, svc_monitor_mac (fixed, so both daemons produce
 * identical flows) and controller_event=true (empty VIPs → trigger_event flows); static
 * addresses + port_security on every port (no IPAM).
 *
 * --switch-only (the default; --full turns it off) leaves out everything the TS daemon does
 * not implement yet: logical routers, router ports and their router-type switch ports, the
 * join switch, NAT, the LB group on routers. `leftOut` in the result names it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT_DIR = join(REPO_ROOT, 'bench/out');
export const NB_SCHEMA = join(REPO_ROOT, 'schemas/ovn-nb.ovsschema');
export const SB_SCHEMA = join(REPO_ROOT, 'schemas/ovn-sb.ovsschema');

export type Scale = 'small' | 'medium' | 'large';
export const SCALES: readonly Scale[] = ['small', 'medium', 'large'];

export interface ScaleSpec {
  switches: number;
  portsPerSwitch: number;
  lbs: number;
  vipsPerLb: number;
  backendsPerVip: number;
  /** every Nth VIP has no backends (20 → 5 %); 0 = none */
  emptyVipEvery: number;
  /** attach LBs through a Load_Balancer_Group (else directly to every switch) */
  lbGroup: boolean;
  portGroups: number;
  aclsPerPortGroup: number;
  /** routers in --full mode */
  routers: 'one' | 'cluster+gateways' | 'cluster';
}

export const SPECS: Record<Scale, ScaleSpec> = {
  small: { switches: 10, portsPerSwitch: 10, lbs: 10, vipsPerLb: 1, backendsPerVip: 2, emptyVipEvery: 0, lbGroup: false, portGroups: 2, aclsPerPortGroup: 4, routers: 'one' },
  medium: { switches: 100, portsPerSwitch: 20, lbs: 500, vipsPerLb: 2, backendsPerVip: 3, emptyVipEvery: 20, lbGroup: true, portGroups: 50, aclsPerPortGroup: 4, routers: 'cluster+gateways' },
  large: { switches: 500, portsPerSwitch: 40, lbs: 1000, vipsPerLb: 2, backendsPerVip: 3, emptyVipEvery: 20, lbGroup: true, portGroups: 250, aclsPerPortGroup: 4, routers: 'cluster' },
};

export const MAC_PREFIX = '0a:00:00';
export const SVC_MONITOR_MAC = '0a:00:00:00:00:fe';

export interface TopologyInfo {
  /** 'small' | 'medium' | 'large' (shape switches) or 'ovnk<N>[...]' (shape ovnk) */
  scale: string;
  shape?: 'switches' | 'ovnk';
  switchOnly: boolean;
  counts: Record<string, number>;
  leftOut: string[];
  /** names run.ts uses for the incremental operations */
  names: {
    switch0: string;
    lb0: string;
    portGroup0: string;
    addressSet0: string;
    lbGroup?: string;
    /** shape ovnk only */
    ovnk?: OvnkNames;
  };
  /** shape ovnk: the SB rows (Chassis, Encap) to insert before a daemon starts */
  sbSeedFile?: string;
  /** in the topology but not implemented by ovn-northd-ts yet: its flows are expected to differ */
  notImplemented?: string[];
  /** Features beyond the default shape that this topology has (e.g. --router-nat-lb). */
  included?: string[];
}

/** What the ovnk operations need to know of the topology. */
export interface OvnkNames {
  nodes: number;
  clusterRouter: string;
  joinSwitch: string;
  /** the gateway router join IP of node 0 (a next hop on the cluster router) */
  joinIp0: string;
  /** the node whose switch the port operations use */
  node0: string;
}

// ------------------------------------------------------------------ addressing

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
/** Pod network of switch s: 10.128.0.0/14 carved in /24s. */
export function podIp(s: number, host: number): string {
  return `10.${128 + (s >> 8)}.${s & 255}.${host}`;
}
export function ipMac(ip: string): string {
  return '0a:58:' + ip.split('.').map((o) => hex2(Number(o))).join(':');
}
/** 100.64.0.0/16 (join) and 172.18.0.0/16 (external) host i (i >= 1). */
function joinIp(i: number): string {
  return `100.64.${(i >> 8) & 255}.${i & 255}`;
}
/** A node's gateway router and its external (node) IP, as the ovnk shape names them. */
export function ovnkGatewayRouter(node: string): string {
  return `GR_${node}`;
}
export function ovnkNodeIp(g: number): string {
  return extIp(nodeHost(g));
}
function extIp(i: number): string {
  return `172.18.${(i >> 8) & 255}.${i & 255}`;
}
function extMac(ip: string): string {
  return '02:42:' + ip.split('.').map((o) => hex2(Number(o))).join(':');
}
function vip(v: number): string {
  return `172.30.${(v >> 8) & 255}.${v & 255}`;
}
const swName = (s: number): string => `ls${s}`;
const lspName = (s: number, p: number): string => `ls${s}-p${p}`;

// ------------------------------------------------------------------ OVSDB wire helpers

type Wire = unknown;
const set = (xs: readonly Wire[]): Wire => ['set', xs];
const map = (kv: Record<string, string>): Wire => ['map', Object.entries(kv)];
const named = (n: string): Wire => ['named-uuid', n];

/** The JSON operations of the whole topology (one transaction) and what it contains. */
export function buildTopology(scale: Scale, switchOnly = true): { ops: unknown[]; info: TopologyInfo } {
  const sp = SPECS[scale];
  const ops: unknown[] = [];
  const counts: Record<string, number> = {};
  const count = (k: string, n = 1): void => void (counts[k] = (counts[k] ?? 0) + n);
  const leftOut: string[] = [];

  ops.push({
    op: 'insert',
    table: 'NB_Global',
    row: { options: map({ mac_prefix: MAC_PREFIX, svc_monitor_mac: SVC_MONITOR_MAC, controller_event: 'true' }) },
  });

  // Ports (named so port groups can refer to them).
  const portsOf: string[][] = [];
  for (let s = 0; s < sp.switches; s++) {
    const ports: string[] = [];
    for (let p = 0; p < sp.portsPerSwitch; p++) {
      const ip = podIp(s, p + 2);
      const addr = `${ipMac(ip)} ${ip}`;
      const id = `lsp_${s}_${p}`;
      ops.push({ op: 'insert', table: 'Logical_Switch_Port', "uuid-name": id, row: { name: lspName(s, p), addresses: set([addr]), port_security: set([addr]) } });
      ports.push(id);
      count('logical switch ports');
    }
    portsOf.push(ports);
  }

  // Load balancers.
  const lbIds = insertLoadBalancers(ops, count, sp, (v, b) => podIp((v * 7 + b * 13) % sp.switches, ((v + b * 3) % sp.portsPerSwitch) + 2));
  if (sp.lbGroup) {
    ops.push({ op: 'insert', table: 'Load_Balancer_Group', "uuid-name": 'lbg', row: { name: 'clusterLBGroup', load_balancer: set(lbIds.map(named)) } });
    count('load balancer groups');
  }

  // Switches.
  for (let s = 0; s < sp.switches; s++) {
    const row: Record<string, Wire> = {
      name: swName(s),
      ports: set(portsOf[s]!.map(named)),
      other_config: map({ subnet: `${podIp(s, 0)}/24` }),
    };
    if (sp.lbGroup) row.load_balancer_group = set([named('lbg')]);
    else row.load_balancer = set(lbIds.map(named));
    ops.push({ op: 'insert', table: 'Logical_Switch', "uuid-name": `ls_${s}`, row });
    count('logical switches');
  }

  // Address sets and port groups with ACLs (ovn-kubernetes network-policy style).
  addPortGroups(ops, sp.portGroups, sp.aclsPerPortGroup, sp.switches, sp.portsPerSwitch, portsOf, (s, p) => podIp(s, p + 2), count);

  // Routers (only with --full).
  const routerDesc =
    sp.routers === 'one'
      ? `1 logical router with ${sp.switches} router ports (and ${sp.switches} router-type switch ports)`
      : sp.routers === 'cluster'
        ? `cluster router ovn_cluster_router with ${sp.switches} router ports (and ${sp.switches} router-type switch ports)`
        : `cluster router ovn_cluster_router with ${sp.switches + 1} router ports (and ${sp.switches} router-type switch ports), join switch "join" (${sp.switches + 1} router-type ports), ${sp.switches} gateway routers GR_<n> (options:chassis, 1 join port each, SNAT 10.128.0.0/14 → 172.18.x.y, clusterLBGroup)`;
  if (switchOnly) {
    leftOut.push(routerDesc);
  } else {
    addRouters(ops, sp, count);
  }
  return {
    ops,
    info: {
      scale,
      switchOnly,
      counts,
      leftOut,
      names: { switch0: swName(0), lb0: 'lb0', portGroup0: 'pg0', addressSet0: 'as_pg0', ...(sp.lbGroup ? { lbGroup: 'clusterLBGroup' } : {}) },
    },
  };
}

function addRouters(ops: unknown[], sp: ScaleSpec, count: (k: string, n?: number) => void): void {
  // Router-type switch ports are appended to their switches with mutate ops.
  const lrpIds: Wire[] = [];
  const rname = sp.routers === 'one' ? 'lr0' : 'ovn_cluster_router';
  for (let s = 0; s < sp.switches; s++) {
    const ip = podIp(s, 1);
    const lrp = `rtos-${swName(s)}`;
    ops.push({ op: 'insert', table: 'Logical_Router_Port', "uuid-name": `lrp_${s}`, row: { name: lrp, mac: ipMac(ip), networks: set([`${ip}/24`]) } });
    lrpIds.push(named(`lrp_${s}`));
    ops.push({ op: 'insert', table: 'Logical_Switch_Port', "uuid-name": `stor_${s}`, row: { name: `stor-${swName(s)}`, type: 'router', addresses: set(['router']), options: map({ 'router-port': lrp }) } });
    ops.push({ op: 'mutate', table: 'Logical_Switch', where: [['name', '==', swName(s)]], mutations: [['ports', 'insert', set([named(`stor_${s}`)])]] });
    count('router ports', 1);
  }
  if (sp.routers !== 'cluster+gateways') {
    ops.push({ op: 'insert', table: 'Logical_Router', row: { name: rname, ports: set(lrpIds) } });
    count('logical routers');
    return;
  }
  // Join switch + gateway routers.
  const joinPorts: Wire[] = [];
  ops.push({ op: 'insert', table: 'Logical_Router_Port', "uuid-name": 'lrp_rtoj', row: { name: 'rtoj-ovn_cluster_router', mac: '0a:58:64:40:00:01', networks: set(['100.64.0.1/16']) } });
  lrpIds.push(named('lrp_rtoj'));
  ops.push({ op: 'insert', table: 'Logical_Switch_Port', "uuid-name": 'jtor_cr', row: { name: 'jtor-ovn_cluster_router', type: 'router', addresses: set(['router']), options: map({ 'router-port': 'rtoj-ovn_cluster_router' }) } });
  joinPorts.push(named('jtor_cr'));
  ops.push({ op: 'insert', table: 'Logical_Router', row: { name: rname, ports: set(lrpIds) } });
  count('logical routers');
  for (let g = 0; g < sp.switches; g++) {
    const jip = `100.64.${(g + 2) >> 8}.${(g + 2) & 255}`;
    const lrp = `rtoj-GR_node${g}`;
    ops.push({ op: 'insert', table: 'Logical_Router_Port', "uuid-name": `lrp_gr_${g}`, row: { name: lrp, mac: ipMac(jip), networks: set([`${jip}/16`]) } });
    ops.push({ op: 'insert', table: 'Logical_Switch_Port', "uuid-name": `jtor_${g}`, row: { name: `jtor-GR_node${g}`, type: 'router', addresses: set(['router']), options: map({ 'router-port': lrp }) } });
    joinPorts.push(named(`jtor_${g}`));
    const ext = `172.18.${g >> 8}.${(g & 255) + 1}`;
    ops.push({ op: 'insert', table: 'NAT', "uuid-name": `nat_${g}`, row: { type: 'snat', external_ip: ext, logical_ip: '10.128.0.0/14' } });
    ops.push({
      op: 'insert',
      table: 'Logical_Router',
      row: {
        name: `GR_node${g}`,
        ports: set([named(`lrp_gr_${g}`)]),
        nat: set([named(`nat_${g}`)]),
        options: map({ chassis: `node${g}`, lb_force_snat_ip: 'router_ip', snat_ct_zone: '0' }),
        load_balancer_group: set([named('lbg')]),
      },
    });
    count('logical routers');
    count('NAT rules');
  }
  ops.push({ op: 'insert', table: 'Logical_Switch', row: { name: 'join', ports: set(joinPorts) } });
  count('logical switches');
}

// ------------------------------------------------------------------ shape ovnk

export interface OvnkSpec {
  nodes: number;
  podsPerNode: number;
  lbs: number;
  vipsPerLb: number;
  backendsPerVip: number;
  /** every Nth VIP has no backends (20 → 5 %) */
  emptyVipEvery: number;
  portGroups: number;
  aclsPerPortGroup: number;
  /** SNAT + LB group + LB/NAT options on the gateway routers (not implemented by ovn-northd-ts yet) */
  routerNatLb: boolean;
  /** ovn-kubernetes' logical router policies on the cluster router */
  policies: boolean;
}

export function ovnkSpec(nodes: number, o: Partial<Omit<OvnkSpec, 'nodes'>> = {}): OvnkSpec {
  // 1,024 /24 node subnets in 10.128.0.0/14; the operations add up to 20 nodes after them.
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 1000) throw new Error('--nodes: 1..1000 (node subnets are /24s of 10.128.0.0/14; the operations add nodes after them)');
  const sp: OvnkSpec = {
    nodes,
    podsPerNode: 40,
    lbs: 2 * nodes,
    vipsPerLb: 2,
    backendsPerVip: 3,
    emptyVipEvery: 20,
    portGroups: Math.max(2, Math.floor(nodes / 2)),
    aclsPerPortGroup: 4,
    routerNatLb: false,
    policies: true,
    ...o,
  };
  if (sp.podsPerNode < 1 || sp.podsPerNode > 200) throw new Error('--pods: 1..200 (pods are .3.. of the node /24; the port operation uses .240+)');
  return sp;
}

/** The scale name of an ovnk topology (file names, result names). */
export function ovnkName(sp: OvnkSpec): string {
  const d = ovnkSpec(sp.nodes);
  return (
    `ovnk${sp.nodes}` +
    (sp.podsPerNode !== d.podsPerNode ? `-p${sp.podsPerNode}` : '') +
    (sp.lbs !== d.lbs ? `-lb${sp.lbs}` : '') +
    (sp.policies ? '' : '-nopol') +
    (sp.routerNatLb ? '-natlb' : '')
  );
}

export const OVNK_CLUSTER_ROUTER = 'ovn_cluster_router';
export const OVNK_JOIN = 'join';
/** The cluster network (node subnets are its /24s, see podIp). */
export const OVNK_CLUSTER_CIDR = '10.128.0.0/14';
export const ovnkNode = (g: number): string => `node${g}`;
export const ovnkChassis = (g: number): string => `chassis-node${g}`;
/** Host part of node g in the join and external networks (.1 is the cluster router / the external gateway). */
const nodeHost = (g: number): number => g + 2;

type SbSeed = Record<string, Record<string, Record<string, Wire>>>;

/**
 * The ovnk topology: NB operations (one transaction), what it contains, and the SB rows
 * (Chassis + Encap per node) a daemon expects next to it.
 */
export function buildOvnkTopology(sp: OvnkSpec): { ops: unknown[]; info: TopologyInfo; sbSeed: SbSeed } {
  const ops: unknown[] = [];
  const counts: Record<string, number> = {};
  const count = (k: string, n = 1): void => void (counts[k] = (counts[k] ?? 0) + n);
  const N = sp.nodes;
  const leftOut: string[] = [];
  const lspRouter = (name: string, lrp: string, addresses: string, extra: Record<string, string> = {}): Record<string, Wire> => ({
    name,
    type: 'router',
    addresses: set([addresses]),
    options: map({ 'router-port': lrp, ...extra }),
  });

  ops.push({
    op: 'insert',
    table: 'NB_Global',
    row: { options: map({ mac_prefix: MAC_PREFIX, svc_monitor_mac: SVC_MONITOR_MAC, controller_event: 'true' }) },
  });

  // Pods (named so port groups can refer to them): .3 .. .P+2 of the node's /24.
  const podIpOf = (g: number, p: number): string => podIp(g, p + 3);
  const portsOf: string[][] = [];
  for (let g = 0; g < N; g++) {
    const ports: string[] = [];
    for (let p = 0; p < sp.podsPerNode; p++) {
      const ip = podIpOf(g, p);
      const addr = `${ipMac(ip)} ${ip}`;
      const id = `pod_${g}_${p}`;
      ops.push({
        op: 'insert',
        table: 'Logical_Switch_Port',
        'uuid-name': id,
        row: { name: `pod-${g}-${p}`, addresses: set([addr]), port_security: set([addr]), options: map({ 'requested-chassis': ovnkChassis(g) }) },
      });
      ports.push(id);
      count('pod ports');
    }
    portsOf.push(ports);
  }

  // Load balancers in clusterLBGroup.
  const lbIds = insertLoadBalancers(ops, count, sp, (v, b) => podIpOf((v * 7 + b * 13) % N, (v + b * 3) % sp.podsPerNode));
  ops.push({ op: 'insert', table: 'Load_Balancer_Group', 'uuid-name': 'lbg', row: { name: 'clusterLBGroup', load_balancer: set(lbIds.map(named)) } });
  count('load balancer groups');

  // Cluster router, join switch.
  const crPorts: Wire[] = [];
  const crRoutes: Wire[] = [];
  const crPolicies: Wire[] = [];
  const joinPorts: Wire[] = [];
  const crJoinIp = joinIp(1);
  ops.push({ op: 'insert', table: 'Logical_Router_Port', 'uuid-name': 'lrp_rtoj', row: { name: `rtoj-${OVNK_CLUSTER_ROUTER}`, mac: ipMac(crJoinIp), networks: set([`${crJoinIp}/16`]) } });
  crPorts.push(named('lrp_rtoj'));
  ops.push({ op: 'insert', table: 'Logical_Switch_Port', 'uuid-name': 'jtor_cr', row: lspRouter(`jtor-${OVNK_CLUSTER_ROUTER}`, `rtoj-${OVNK_CLUSTER_ROUTER}`, 'router') });
  joinPorts.push(named('jtor_cr'));
  count('router ports');
  count('router-type switch ports');
  const policy = (id: string, priority: number, match: string, action: string, nexthops?: string): void => {
    ops.push({ op: 'insert', table: 'Logical_Router_Policy', 'uuid-name': id, row: { priority, match, action, ...(nexthops ? { nexthops: set([nexthops]) } : {}) } });
    crPolicies.push(named(id));
    count('router policies');
  };
  const route = (list: Wire[], id: string, row: Record<string, Wire>): void => {
    ops.push({ op: 'insert', table: 'Logical_Router_Static_Route', 'uuid-name': id, row });
    list.push(named(id));
    count('static routes');
  };
  if (sp.policies) {
    policy('pol_pp', 102, `ip4.src == ${OVNK_CLUSTER_CIDR} && ip4.dst == ${OVNK_CLUSTER_CIDR}`, 'allow');
    policy('pol_pj', 102, `ip4.src == ${OVNK_CLUSTER_CIDR} && ip4.dst == 100.64.0.0/16`, 'allow');
  }

  const sbSeed: SbSeed = { Chassis: {}, Encap: {} };
  const seedUuid = (kind: number, g: number): string => `5eed0000-0000-4000-8000-${kind.toString(16).padStart(4, '0')}${g.toString(16).padStart(8, '0')}`;

  for (let g = 0; g < N; g++) {
    const node = ovnkNode(g);
    const gr = `GR_${node}`;
    const ext = `ext_${node}`;
    const chassis = ovnkChassis(g);
    const jip = joinIp(nodeHost(g));
    const nodeIp = extIp(nodeHost(g));
    const rtrIp = podIp(g, 1);
    const mgmtIp = podIp(g, 2);
    const subnet = `${podIp(g, 0)}/24`;

    // SB chassis of the node.
    const enc = seedUuid(1, g);
    sbSeed.Encap![enc] = { type: 'geneve', ip: nodeIp, chassis_name: chassis, options: map({ csum: 'true' }) };
    sbSeed.Chassis![seedUuid(2, g)] = {
      name: chassis,
      hostname: node,
      encaps: ['uuid', enc],
      other_config: map({ 'ct-no-masked-label': 'true', 'mac-binding-timestamp': 'true', 'port-up-notif': 'true' }),
    };
    count('SB chassis');

    // Node switch: pods, management port, stor-<node> ↔ rtos-<node>.
    ops.push({ op: 'insert', table: 'Logical_Router_Port', 'uuid-name': `rtos_${g}`, row: { name: `rtos-${node}`, mac: ipMac(rtrIp), networks: set([`${rtrIp}/24`]) } });
    crPorts.push(named(`rtos_${g}`));
    ops.push({ op: 'insert', table: 'Logical_Switch_Port', 'uuid-name': `stor_${g}`, row: lspRouter(`stor-${node}`, `rtos-${node}`, 'router') });
    ops.push({ op: 'insert', table: 'Logical_Switch_Port', 'uuid-name': `mgmt_${g}`, row: { name: `k8s-${node}`, addresses: set([`${ipMac(mgmtIp)} ${mgmtIp}`]) } });
    ops.push({
      op: 'insert',
      table: 'Logical_Switch',
      row: {
        name: node,
        ports: set([...portsOf[g]!, `stor_${g}`, `mgmt_${g}`].map(named)),
        other_config: map({ subnet }),
        load_balancer_group: set([named('lbg')]),
      },
    });
    count('node switches');
    count('management ports');
    count('router ports');
    count('router-type switch ports');

    // Gateway router: rtoj-GR_<node> on the join switch, rtoe-GR_<node> on ext_<node>.
    ops.push({ op: 'insert', table: 'Logical_Router_Port', 'uuid-name': `rtoj_${g}`, row: { name: `rtoj-${gr}`, mac: ipMac(jip), networks: set([`${jip}/16`]) } });
    ops.push({ op: 'insert', table: 'Logical_Switch_Port', 'uuid-name': `jtor_${g}`, row: lspRouter(`jtor-${gr}`, `rtoj-${gr}`, 'router') });
    joinPorts.push(named(`jtor_${g}`));
    const emac = extMac(nodeIp);
    ops.push({ op: 'insert', table: 'Logical_Router_Port', 'uuid-name': `rtoe_${g}`, row: { name: `rtoe-${gr}`, mac: emac, networks: set([`${nodeIp}/16`]) } });
    ops.push({
      op: 'insert',
      table: 'Logical_Switch_Port',
      'uuid-name': `etor_${g}`,
      row: lspRouter(`etor-${gr}`, `rtoe-${gr}`, emac, sp.routerNatLb ? { 'nat-addresses': 'router', 'exclude-lb-vips-from-garp': 'true' } : {}),
    });
    ops.push({ op: 'insert', table: 'Logical_Switch_Port', 'uuid-name': `lnet_${g}`, row: { name: `breth0_${node}`, type: 'localnet', addresses: set(['unknown']), options: map({ network_name: 'physnet' }) } });
    ops.push({ op: 'insert', table: 'Logical_Switch', row: { name: ext, ports: set([named(`etor_${g}`), named(`lnet_${g}`)]) } });
    count('external switches');
    count('localnet ports');
    count('router ports', 2);
    count('router-type switch ports', 2);
    const grRoutes: Wire[] = [];
    route(grRoutes, `gr_rt_cl_${g}`, { ip_prefix: OVNK_CLUSTER_CIDR, nexthop: crJoinIp });
    route(grRoutes, `gr_rt_def_${g}`, { ip_prefix: '0.0.0.0/0', nexthop: '172.18.0.1', output_port: set([`rtoe-${gr}`]) });
    const grRow: Record<string, Wire> = {
      name: gr,
      ports: set([named(`rtoj_${g}`), named(`rtoe_${g}`)]),
      static_routes: set(grRoutes),
      options: map({
        chassis,
        always_learn_from_arp_request: 'false',
        dynamic_neigh_routers: 'true',
        ...(sp.routerNatLb ? { lb_force_snat_ip: 'router_ip', 'snat-ct-zone': '0' } : {}),
      }),
      external_ids: map({ physical_ip: nodeIp, physical_ips: nodeIp }),
    };
    if (sp.routerNatLb) {
      ops.push({ op: 'insert', table: 'NAT', 'uuid-name': `nat_${g}`, row: { type: 'snat', external_ip: nodeIp, logical_ip: OVNK_CLUSTER_CIDR } });
      grRow.nat = set([named(`nat_${g}`)]);
      grRow.load_balancer_group = set([named('lbg')]);
      count('NAT rules');
    }
    ops.push({ op: 'insert', table: 'Logical_Router', row: grRow });
    count('gateway routers');

    // Cluster router: ovn-k's routes and policies for the node.
    route(crRoutes, `cr_rt_j_${g}`, { ip_prefix: jip, nexthop: jip });
    route(crRoutes, `cr_rt_src_${g}`, { ip_prefix: subnet, nexthop: jip, policy: 'src-ip' });
    if (sp.policies) {
      policy(`pol_rr_${g}`, 1004, `inport == "rtos-${node}" && ip4.dst == ${nodeIp} /* ${node} */`, 'reroute', mgmtIp);
      policy(`pol_al_${g}`, 101, `ip4.src == ${OVNK_CLUSTER_CIDR} && ip4.dst == ${nodeIp}/32`, 'allow');
    }
  }
  ops.push({
    op: 'insert',
    table: 'Logical_Router',
    row: {
      name: OVNK_CLUSTER_ROUTER,
      ports: set(crPorts),
      static_routes: set(crRoutes),
      policies: set(crPolicies),
      external_ids: map({ 'k8s-cluster-router': 'yes', 'k8s-ovn-topo-version': '5' }),
    },
  });
  count('cluster routers');
  ops.push({ op: 'insert', table: 'Logical_Switch', row: { name: OVNK_JOIN, ports: set(joinPorts) } });
  count('join switches');

  // Address sets and port groups with ACLs (ovn-kubernetes network-policy style), as in buildTopology.
  addPortGroups(ops, sp.portGroups, sp.aclsPerPortGroup, N, sp.podsPerNode, portsOf, podIpOf, count);

  const natLbDesc =
    `router NAT and load balancers: SNAT ${OVNK_CLUSTER_CIDR} → node IP on the ${N} gateway routers, clusterLBGroup on the ${N} gateway routers, ` +
    `GR options lb_force_snat_ip=router_ip and snat-ct-zone=0, etor-GR_<node> options nat-addresses=router and exclude-lb-vips-from-garp=true`;
  if (!sp.routerNatLb) leftOut.push(`${natLbDesc} (part 2; --router-nat-lb adds them)`);
  leftOut.push('port bindings: no pod is bound to a chassis or up (no ovn-controller), as in the switch-only scales');
  leftOut.push("ovn-k's other_config:exclude_ips on node switches, per-node load balancers (NodePort), egress IP/firewall, multicast");
  const scale = ovnkName(sp);
  return {
    ops,
    sbSeed,
    info: {
      scale,
      shape: 'ovnk',
      switchOnly: false,
      counts,
      leftOut,
      ...(sp.routerNatLb ? { included: [natLbDesc] } : {}),
      names: {
        switch0: ovnkNode(0),
        lb0: 'lb0',
        portGroup0: 'pg0',
        addressSet0: 'as_pg0',
        lbGroup: 'clusterLBGroup',
        ovnk: { nodes: N, clusterRouter: OVNK_CLUSTER_ROUTER, joinSwitch: OVNK_JOIN, joinIp0: joinIp(nodeHost(0)), node0: ovnkNode(0) },
      },
    },
  };
}

/** Port groups pg<g> with ACLs and address sets as_pg<g> (ovn-kubernetes network-policy style). */
function addPortGroups(
  ops: unknown[],
  portGroups: number,
  aclsPerPortGroup: number,
  switches: number,
  portsPerSwitch: number,
  portsOf: string[][],
  ipOf: (s: number, p: number) => string,
  count: (k: string, n?: number) => void,
): void {
  for (let g = 0; g < portGroups; g++) {
    const members: Wire[] = [];
    for (let s = g % 10; s < switches; s += 10) members.push(named(portsOf[s]![g % portsPerSwitch]!));
    const asAddrs: string[] = [];
    for (let k = 0; k < 4; k++) asAddrs.push(ipOf((g * 3 + k * 17) % switches, (g + k) % portsPerSwitch));
    ops.push({ op: 'insert', table: 'Address_Set', row: { name: `as_pg${g}`, addresses: set(asAddrs) } });
    count('address sets');
    const acls: [string, number, string, string, Record<string, Wire>][] = [
      ['to-lport', 1001, `outport == @pg${g} && ip4.src == $as_pg${g} && tcp.dst == 8080`, 'allow-related', {}],
      ['from-lport', 1001, `inport == @pg${g} && ip4.dst == 172.30.0.0/16`, 'allow-related', {}],
      ['to-lport', 1002, `outport == @pg${g} && udp.dst == 53`, 'allow', {}],
      ['to-lport', 1000, `outport == @pg${g} && ip4`, 'drop', { log: true, name: `deny-pg${g}`, severity: 'info' }],
    ];
    const aclIds: Wire[] = [];
    for (let a = 0; a < aclsPerPortGroup; a++) {
      const [direction, priority, match, action, extra] = acls[a % acls.length]!;
      const id = `acl_${g}_${a}`;
      ops.push({ op: 'insert', table: 'ACL', 'uuid-name': id, row: { direction, priority: priority + Math.floor(a / acls.length), match, action, ...extra } });
      aclIds.push(named(id));
      count('ACLs');
    }
    ops.push({ op: 'insert', table: 'Port_Group', row: { name: `pg${g}`, ports: set(members), acls: set(aclIds) } });
    count('port groups');
  }
}

/** SB operations inserting a seed (`{table: {uuid: row}}`, uuid references between its rows). */
export function sbSeedOps(seed: SbSeed): unknown[] {
  const name = (u: string): string => 'r' + u.replace(/-/g, '_');
  const fix = (w: Wire): Wire => {
    if (Array.isArray(w)) {
      if (w[0] === 'uuid' && typeof w[1] === 'string') return ['named-uuid', name(w[1])];
      return w.map(fix);
    }
    return w;
  };
  const ops: unknown[] = [];
  // Referenced tables first is not required within one transaction; keep Encap first anyway.
  for (const table of ['Encap', ...Object.keys(seed).filter((t) => t !== 'Encap')])
    for (const [u, row] of Object.entries(seed[table] ?? {}))
      ops.push({ op: 'insert', table, 'uuid-name': name(u), row: Object.fromEntries(Object.entries(row).map(([k, val]) => [k, fix(val)])) });
  return ops;
}

// ------------------------------------------------------------------ one raw transact

/** Sends `["OVN_Northbound", ...ops]` as one JSON-RPC transact over a unix socket; resolves with the result array. */
export function rawTransact(sockPath: string, db: string, ops: readonly unknown[], timeoutMs = 600_000): Promise<unknown[]> {
  return new Promise((resolvePromise, reject) => {
    const sock = net.connect({ path: sockPath });
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`transact timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(JSON.stringify({ id: 'gen', method: 'transact', params: [db, ...ops] })));
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('data', (d: string) => {
      buf += d;
      // Messages are concatenated JSON values; split on balanced braces outside strings.
      for (;;) {
        const end = jsonEnd(buf);
        if (end < 0) return;
        const msg = JSON.parse(buf.slice(0, end)) as { id: unknown; method?: string; params?: unknown; result?: unknown[]; error?: unknown };
        buf = buf.slice(end);
        if (msg.method === 'echo') sock.write(JSON.stringify({ id: msg.id, result: msg.params, error: null }));
        else if (msg.id === 'gen') {
          clearTimeout(timer);
          sock.end();
          if (msg.error) reject(new Error(JSON.stringify(msg.error)));
          else resolvePromise(msg.result ?? []);
          return;
        }
      }
    });
  });
}

export function jsonEnd(s: string): number {
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

// ------------------------------------------------------------------ snapshot

export function snapshotPath(scale: Scale, switchOnly: boolean): string {
  return join(OUT_DIR, `nb-${scale}${switchOnly ? '' : '-full'}.db`);
}

export function ovnkSnapshotPath(sp: OvnkSpec): string {
  return join(OUT_DIR, `nb-${ovnkName(sp)}.db`);
}

export type SnapshotResult = TopologyInfo & { file: string; transactMs: number; ops: number; bytes: number };

/**
 * Generates the topology into a fresh private ovsdb-server in one transaction and writes
 * `ovsdb-client backup` of it to `outFile` (+ `outFile.json` with the TopologyInfo).
 */
export async function generateSnapshot(scale: Scale, switchOnly: boolean, outFile = snapshotPath(scale, switchOnly)): Promise<SnapshotResult> {
  const { ops, info } = buildTopology(scale, switchOnly);
  return writeSnapshot(ops, { ...info, shape: 'switches' }, outFile);
}

/** The same for the ovnk shape; also writes `outFile.sb-seed.json` (the nodes' SB chassis). */
export async function generateOvnkSnapshot(sp: OvnkSpec, outFile = ovnkSnapshotPath(sp)): Promise<SnapshotResult> {
  const { ops, info, sbSeed } = buildOvnkTopology(sp);
  const seedFile = outFile + '.sb-seed.json';
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(seedFile, JSON.stringify(sbSeed) + '\n');
  return writeSnapshot(ops, { ...info, sbSeedFile: seedFile }, outFile);
}

async function writeSnapshot(ops: unknown[], info: TopologyInfo, outFile: string): Promise<SnapshotResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bgen-'));
  const sock = join(dir, 'nb.sock');
  const pidfile = join(dir, 'nb.pid');
  try {
    await exec('ovsdb-tool', ['create', join(dir, 'nb.db'), NB_SCHEMA]);
    await exec('ovsdb-server', ['--detach', '--no-chdir', `--pidfile=${pidfile}`, `--log-file=${join(dir, 'nb.log')}`, `--remote=punix:${sock}`, `--unixctl=${join(dir, 'nb.ctl')}`, '-vconsole:off', join(dir, 'nb.db')]);
    const t0 = performance.now();
    const res = await rawTransact(sock, 'OVN_Northbound', ops);
    const transactMs = performance.now() - t0;
    const bad = res.find((r) => r && typeof r === 'object' && 'error' in (r as object));
    if (bad || res.length < ops.length) throw new Error(`transaction failed: ${JSON.stringify(bad ?? res.slice(-1))}`);
    const { stdout } = await exec('ovsdb-client', ['backup', `unix:${sock}`, 'OVN_Northbound'], { maxBuffer: 1 << 30, encoding: 'buffer' });
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, stdout);
    const out = { ...info, file: outFile, transactMs, ops: ops.length, bytes: JSON.stringify(ops).length };
    writeFileSync(outFile + '.json', JSON.stringify(out, null, 2) + '\n');
    return out;
  } finally {
    try {
      const pid = Number((await exec('cat', [pidfile])).stdout.trim());
      if (pid) process.kill(pid, 'SIGTERM');
    } catch {
      /* not running */
    }
    await new Promise((r) => setTimeout(r, 100));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Inserts an ovnk topology's SB seed (the nodes' Chassis + Encap) into an SB server. */
export async function seedSb(sbSock: string, seedFile: string): Promise<void> {
  const ops = sbSeedOps(JSON.parse(readFileSync(seedFile, 'utf8')) as SbSeed);
  if (!ops.length) return;
  const res = await rawTransact(sbSock, 'OVN_Southbound', ops);
  const bad = res.find((r) => r && typeof r === 'object' && 'error' in (r as object));
  if (bad || res.length < ops.length) throw new Error(`SB seed transaction failed: ${JSON.stringify(bad ?? res.slice(-1))}`);
}

// ------------------------------------------------------------------ CLI

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (n: string): string | undefined => {
    const i = argv.indexOf(n);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  let r: SnapshotResult;
  if (opt('--scale') === undefined || opt('--nodes') !== undefined || opt('--shape') === 'ovnk') {
    if (opt('--shape') !== undefined && opt('--shape') !== 'ovnk') throw new Error('--shape: ovnk (the switch-only shape is --scale small|medium|large)');
    const sp = ovnkSpecFromArgs(argv);
    r = await generateOvnkSnapshot(sp, opt('-o') ?? ovnkSnapshotPath(sp));
  } else {
    const scale = opt('--scale') as Scale;
    if (!SCALES.includes(scale)) throw new Error(`--scale must be one of ${SCALES.join(', ')}`);
    const switchOnly = !argv.includes('--full');
    r = await generateSnapshot(scale, switchOnly, opt('-o') ?? snapshotPath(scale, switchOnly));
  }
  console.log(`${r.file}: ${r.ops} operations (${(r.bytes / 1e6).toFixed(1)} MB JSON) in one transaction, ${r.transactMs.toFixed(0)} ms`);
  for (const [k, n] of Object.entries(r.counts)) console.log(`  ${k}: ${n}`);
  for (const l of r.leftOut) console.log(`  left out: ${l}`);
  if (r.sbSeedFile) console.log(`  SB seed: ${r.sbSeedFile}`);
}

/** --nodes N (default 100) [--pods P] [--lbs L] [--router-nat-lb] [--no-policies]. */
export function ovnkSpecFromArgs(argv: readonly string[]): OvnkSpec {
  const opt = (n: string): string | undefined => {
    const i = argv.indexOf(n);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const o: Partial<OvnkSpec> = {};
  if (opt('--pods') !== undefined) o.podsPerNode = Number(opt('--pods'));
  if (opt('--lbs') !== undefined) o.lbs = Number(opt('--lbs'));
  if (argv.includes('--router-nat-lb')) o.routerNatLb = true;
  if (argv.includes('--no-policies')) o.policies = false;
  return ovnkSpec(Number(opt('--nodes') ?? '100'), o);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error((e as Error)?.stack ?? String(e));
    process.exit(1);
  });
}

/**
 * `lbs` load balancers of `vipsPerLb` VIPs (ports 80, 443, …) with `backendsPerVip` backends each
 * (`backend(v, b)` is the IP of VIP v's backend b), every `emptyVipEvery`-th VIP without backends,
 * every tenth LB UDP; returns their uuid-names.
 */
function insertLoadBalancers(
  ops: Wire[],
  count: (what: string) => void,
  sp: { lbs: number; vipsPerLb: number; backendsPerVip: number; emptyVipEvery: number },
  backend: (v: number, b: number) => string,
): string[] {
  const lbIds: string[] = [];
  let v = 0;
  for (let l = 0; l < sp.lbs; l++) {
    const vips: Record<string, string> = {};
    for (let k = 0; k < sp.vipsPerLb; k++, v++) {
      const port = k === 0 ? 80 : 443;
      const empty = sp.emptyVipEvery > 0 && v % sp.emptyVipEvery === sp.emptyVipEvery - 1;
      const backends: string[] = [];
      if (!empty) for (let b = 0; b < sp.backendsPerVip; b++) backends.push(`${backend(v, b)}:8080`);
      vips[`${vip(v)}:${port}`] = backends.join(',');
      count('VIPs');
      if (empty) count('VIPs without backends');
    }
    const id = `lb_${l}`;
    ops.push({ op: 'insert', table: 'Load_Balancer', 'uuid-name': id, row: { name: `lb${l}`, vips: map(vips), protocol: l % 10 === 9 ? 'udp' : 'tcp' } });
    lbIds.push(id);
    count('load balancers');
  }
  return lbIds;
}
