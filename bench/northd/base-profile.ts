/**
 * The cost of one incremental compile, in-process and without servers: the NB snapshot of
 * a topology (bench/out/nb-<scale>.db or nb-ovnk<N>.db, made by run.ts or gen.ts; --nb FILE
 * for another) is compiled once, then one kind of NB change is made --runs times, each
 * followed by a compile, and the medians of the compile's phases are printed. Steadier than
 * the operations against real servers on a noisy machine, so small changes to the per-run
 * work show in it. The SB holds only the topology's seed (ovnk: the nodes' Chassis, from
 * FILE.sb-seed.json; else empty): tunnel keys are allocated from scratch; the SB diff is not
 * part of it.
 *
 *   --change port         one port's external_ids (what every change pays: topology, bindings, walks)
 *   --change pod          (ovnk) a new port with address and port security on the first node
 *                         switch, as run.ts's "add a pod"
 *   --change vip          a VIP added to the first load balancer
 *   --change switch       a new switch with one port, in the first load balancer group; with
 *                         an ovnk topology a node switch (subnet, LB group, management port)
 *                         with its rtos-/stor- pair on ovn_cluster_router
 *   --change acl          an ACL added to the first port group
 *   --change address-set  an address added to the first address set
 *   --change sync         NB_Global nb_cfg + 1 and nothing else (a bare `ovn-nbctl --wait=sb sync`)
 *   --change route        (ovnk) a src-ip static route added to ovn_cluster_router
 *   --change router-port  (ovnk) an LRP on ovn_cluster_router + its router-type peer on an empty
 *                         switch that an untimed compile created first
 *   --change snat         (ovnk) a per-pod SNAT on node0's gateway router, as run.ts's "add SNAT rule"
 *   --change fip          (ovnk) a dnat_and_snat on node0's gateway router, as run.ts's "add floating IP"
 *
 *   npx tsx bench/northd/base-profile.ts --scale large [--change port] [--runs 40] [--profile [--save FILE.cpuprofile]]
 *   npx tsx bench/northd/base-profile.ts --nodes 500 [--router-nat-lb] --change route …   (bench/out/nb-ovnk500.db)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import { loadNbView, loadSbView } from '../../src/replay/load.js';
import { ShardedMap } from '../../src/replica/sharded-map.js';
import { Compiler } from '../../src/compile/compiler.js';
import { randomFresh } from '../../src/compile/global.js';
import type { NbView } from '../../src/compile/context.js';
import { summarizeProfile, formatSummary, type CpuProfile } from '../client/profile-summary.js';
import { ipMac, ovnkGatewayRouter, ovnkName, ovnkNodeIp, ovnkSpecFromArgs, podIp, type TopologyInfo } from '../topology/gen.js';
import { argv, opt } from './args.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCALE = argv.includes('--nodes') ? ovnkName(ovnkSpecFromArgs(argv)) : opt('--scale', 'large');
const RUNS = Number(opt('--runs', '40'));
const CHANGE = opt('--change', 'port');

type Row = Record<string, unknown> & { _uuid: string };
type Tables = Record<string, ShardedMap<Row>>;

const NB_FILE = opt('--nb', `${REPO}bench/out/nb-${SCALE}.db`);
const plain = loadNbView(NB_FILE);
const INFO = existsSync(NB_FILE + '.json') ? (JSON.parse(readFileSync(NB_FILE + '.json', 'utf8')) as TopologyInfo) : undefined;
const SB_SEED = existsSync(NB_FILE + '.sb-seed.json') ? NB_FILE + '.sb-seed.json' : undefined;
let nb = Object.fromEntries(Object.entries(plain).map(([t, m]) => [t, ShardedMap.from(m as unknown as ReadonlyMap<string, Row>)])) as Tables;

/** A new NB version with `rows` set (undefined deletes) in `table`, other tables kept. */
function put(table: string, rows: [string, Row | undefined][]): void {
  const e = nb[table]!.edit();
  for (const [u, r] of rows) if (r) e.set(u, Object.freeze(r));
  else e.delete(u);
  nb = { ...nb, [table]: e.finish() };
}

const first = (table: string): Row => nb[table]!.values().next().value as Row;
const byName = (table: string, name: string): Row => {
  for (const r of nb[table]!.values()) if (r['name'] === name) return r;
  throw new Error(`${table} ${name} not found`);
};
const lsps = [...nb['Logical_Switch_Port']!.values()];
const lsp0 = lsps.find((p) => p['type'] === '') ?? lsps[0]!;

const OVNK = INFO?.names.ovnk;
const ovnk = (): NonNullable<typeof OVNK> => {
  if (!OVNK) throw new Error(`--change ${CHANGE} needs an ovnk topology (--nodes N; ${NB_FILE}.json names it)`);
  return OVNK;
};
const clusterRouter = (): Row => byName('Logical_Router', ovnk().clusterRouter);

/** An LRP on the cluster router and its router-type LSP (not on a switch yet); returns the LSP's UUID. */
function addRouterPort(lrpName: string, lspName: string, ip: string, prefixLen: number): string {
  const lrp: Row = { _uuid: `bench-lrp-${lrpName}`, name: lrpName, gateway_chassis: [], ha_chassis_group: undefined, options: {}, networks: [`${ip}/${prefixLen}`], mac: ipMac(ip), peer: undefined, enabled: undefined, ipv6_ra_configs: {}, ipv6_prefix: [], external_ids: {} };
  put('Logical_Router_Port', [[lrp._uuid, lrp]]);
  const lr = clusterRouter();
  put('Logical_Router', [[lr._uuid, { ...lr, ports: [...(lr['ports'] as string[]), lrp._uuid] }]]);
  const lsp: Row = { ...lsp0, _uuid: `bench-lsp-${lspName}`, name: lspName, type: 'router', addresses: ['router'], port_security: [], options: { 'router-port': lrpName }, external_ids: {} };
  put('Logical_Switch_Port', [[lsp._uuid, lsp]]);
  return lsp._uuid;
}

function addSwitch(name: string, ports: string[], withLbGroup: boolean, otherConfig: Record<string, string> = {}): void {
  const lbg = withLbGroup && nb['Load_Balancer_Group']!.size ? first('Load_Balancer_Group')._uuid : undefined;
  const ls0 = first('Logical_Switch');
  const u = `bench-ls-${name}`;
  put('Logical_Switch', [[u, { ...ls0, _uuid: u, name, ports, acls: [], load_balancer: [], load_balancer_group: lbg ? [lbg] : [], other_config: otherConfig, external_ids: {} }]]);
}

/** A NAT row added to node0's gateway router. */
function addNat(i: number, type: string, externalIp: string, logicalIp: string): void {
  const u = `bench-nat-${i}`;
  put('NAT', [[u, { _uuid: u, type, external_ip: externalIp, logical_ip: logicalIp, external_mac: undefined, logical_port: undefined, external_port_range: '', allowed_ext_ips: undefined, exempted_ext_ips: undefined, gateway_port: undefined, options: {}, external_ids: {} }]]);
  const gr = byName('Logical_Router', ovnkGatewayRouter(ovnk().node0));
  put('Logical_Router', [[gr._uuid, { ...gr, nat: [...(gr['nat'] as string[]), u] }]]);
}

/** A change (`change`), after `prep` compiled untimed. */
const CHANGES: Record<string, { prep?: (i: number) => void; change: (i: number) => void }> = {
  port: {
    change: (i) => {
      const p = lsps[(i * 7919) % lsps.length]!;
      put('Logical_Switch_Port', [[p._uuid, { ...p, external_ids: { ...(p['external_ids'] as object), touched: String(i) } }]]);
    },
  },
  pod: {
    change: (i) => {
      const ls = byName('Logical_Switch', ovnk().node0);
      const ip = podIp(0, 240 + (i % 10));
      const addr = `${ipMac(ip)} ${ip}`;
      const u = `bench-pod-${i}`;
      // The previous pod goes, the new one comes (the switch keeps its size).
      const ports = (ls['ports'] as string[]).filter((p) => !p.startsWith('bench-pod-'));
      put('Logical_Switch_Port', [[u, { ...lsp0, _uuid: u, name: `bench-p${i}`, type: '', addresses: [addr], port_security: [addr], options: {}, external_ids: {} }]]);
      put('Logical_Switch', [[ls._uuid, { ...ls, ports: [...ports, u] }]]);
    },
  },
  vip: {
    change: (i) => {
      const lb = nb['Load_Balancer']!.get(first('Load_Balancer')._uuid)!;
      put('Load_Balancer', [[lb._uuid, { ...lb, vips: { ...(lb['vips'] as object), [`172.31.${i >> 8}.${i & 255}:80`]: '10.128.0.2:8080,10.128.0.3:8080' } }]]);
    },
  },
  switch: {
    change: (i) => {
      if (OVNK) {
        // A node switch as ovnkube-master creates it: subnet, LB group, rtos-/stor-, management port.
        const s = OVNK.nodes + i;
        const node = `bench-node${i}`;
        const stor = addRouterPort(`rtos-${node}`, `stor-${node}`, podIp(s, 1), 24);
        const mip = podIp(s, 2);
        const mgmt = `bench-mgmt-${i}`;
        put('Logical_Switch_Port', [[mgmt, { ...lsp0, _uuid: mgmt, name: `k8s-${node}`, addresses: [`${ipMac(mip)} ${mip}`], port_security: [], options: {}, external_ids: {} }]]);
        addSwitch(node, [stor, mgmt], true, { subnet: `${podIp(s, 0)}/24` });
        return;
      }
      const lsp = `bench-lsp-${i}`;
      put('Logical_Switch_Port', [[lsp, { ...lsp0, _uuid: lsp, name: `bench-ls${i}-p0`, addresses: [`0a:58:0a:c9:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')} 10.201.${i >> 8}.${i & 255}`], external_ids: {} }]]);
      addSwitch(`bench-ls-${i}`, [lsp], true);
    },
  },
  acl: {
    change: (i) => {
      const pg = nb['Port_Group']!.get(first('Port_Group')._uuid)!;
      const acl0 = first('ACL');
      const u = `bench-acl-${i}`;
      put('ACL', [[u, { ...acl0, _uuid: u, direction: 'to-lport', priority: 1100 + (i % 900), match: `outport == @${pg['name'] as string} && tcp.dst == ${9000 + i}`, action: 'allow-related', name: undefined, label: 0, external_ids: {} }]]);
      put('Port_Group', [[pg._uuid, { ...pg, acls: [...(pg['acls'] as string[]), u] }]]);
    },
  },
  'address-set': {
    change: (i) => {
      const as = nb['Address_Set']!.get(first('Address_Set')._uuid)!;
      put('Address_Set', [[as._uuid, { ...as, addresses: [...(as['addresses'] as string[]), `10.202.${i >> 8}.${i & 255}`] }]]);
    },
  },
  sync: {
    change: () => {
      const g = first('NB_Global');
      put('NB_Global', [[g._uuid, { ...g, nb_cfg: (g['nb_cfg'] as number) + 1 }]]);
    },
  },
  route: {
    change: (i) => {
      const u = `bench-route-${i}`;
      put('Logical_Router_Static_Route', [[u, { _uuid: u, route_table: '', ip_prefix: `10.132.${i >> 8}.${i & 255}`, policy: 'src-ip', nexthop: ovnk().joinIp0, output_port: undefined, bfd: undefined, options: {}, external_ids: {} }]]);
      const lr = clusterRouter();
      put('Logical_Router', [[lr._uuid, { ...lr, static_routes: [...(lr['static_routes'] as string[]), u] }]]);
    },
  },
  snat: { change: (i) => addNat(i, 'snat', ovnkNodeIp(0), `${podIp(0, 200 + (i % 20))}/32`) },
  fip: { change: (i) => addNat(i, 'dnat_and_snat', `172.18.${250 + (i >> 8)}.${(i & 255) + 1}`, podIp(0, 220 + (i % 20))) },
  'router-port': {
    prep: (i) => addSwitch(`bench-rp${i}`, [], false),
    change: (i) => {
      const stor = addRouterPort(`rtos-bench-rp${i}`, `stor-bench-rp${i}`, `10.${133 + (i >> 8)}.${i & 255}.1`, 24);
      const ls = nb['Logical_Switch']!.get(`bench-ls-bench-rp${i}`)!;
      put('Logical_Switch', [[ls._uuid, { ...ls, ports: [...(ls['ports'] as string[]), stor] }]]);
    },
  },
};
const change = CHANGES[CHANGE];
if (!change) throw new Error(`--change: one of ${Object.keys(CHANGES).join(', ')}`);

const sb = loadSbView(SB_SEED);
const compiler = new Compiler(randomFresh(() => 0.5));
let t = performance.now();
const cold = compiler.run({ nb: nb as unknown as NbView, sb });
console.log(`${SCALE}: cold compile ${(performance.now() - t).toFixed(0)} ms, ${cold.desired.flows.size} merged flows${SB_SEED ? ` (SB seed ${SB_SEED})` : ''}`);
const samples: Record<string, number[]> = {};
const session = new Session();
if (argv.includes('--profile')) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
for (let i = 0; i < RUNS; i++) {
  if (change.prep) {
    change.prep(i);
    compiler.run({ nb: nb as unknown as NbView, sb });
  }
  change.change(i);
  t = performance.now();
  const r = compiler.run({ nb: nb as unknown as NbView, sb });
  const ms = { ...r.stats.ms, wall: performance.now() - t };
  for (const [k, v] of Object.entries(ms)) (samples[k] ??= []).push(v);
}
const med = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`${CHANGE}, ${RUNS} runs, medians: ` + Object.entries(samples).map(([k, v]) => `${k} ${med(v).toFixed(2)}`).join(', '));
if (argv.includes('--profile')) {
  const { profile } = await session.post('Profiler.stop');
  console.log(formatSummary(summarizeProfile(profile as unknown as CpuProfile), 40));
  const out = opt('--save', '');
  if (out) writeFileSync(out, JSON.stringify(profile));
}
