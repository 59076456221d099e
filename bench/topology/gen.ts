/**
 * Benchmark topology generator: builds an OVN_Northbound database in ONE
 * ovsdb transaction (JSON operations built here, sent as a single raw
 * JSON-RPC `transact` to a private ovsdb-server) and saves it with
 * `ovsdb-client backup` as an NB snapshot both daemons can start from.
 *
 *   npx tsx bench/topology/gen.ts --scale small|medium|large [--full] [-o FILE]
 *
 * Default output: bench/out/nb-<scale>[-full].db, plus FILE.json (what was
 * generated, what was left out, the names run.ts needs for its operations).
 *
 * Scales (ovn-kubernetes-like; pod IPs 10.128.0.0/14, VIPs 172.30.0.0/16):
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
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  scale: Scale;
  switchOnly: boolean;
  counts: Record<string, number>;
  leftOut: string[];
  /** names run.ts uses for the incremental operations */
  names: { switch0: string; lb0: string; portGroup0: string; addressSet0: string; lbGroup?: string };
}

// ------------------------------------------------------------------ addressing

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
/** Pod network of switch s: 10.128.0.0/14 carved in /24s. */
function podIp(s: number, host: number): string {
  return `10.${128 + (s >> 8)}.${s & 255}.${host}`;
}
function ipMac(ip: string): string {
  return '0a:58:' + ip.split('.').map((o) => hex2(Number(o))).join(':');
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
  const lbIds: string[] = [];
  let v = 0;
  for (let l = 0; l < sp.lbs; l++) {
    const vips: Record<string, string> = {};
    for (let k = 0; k < sp.vipsPerLb; k++, v++) {
      const port = k === 0 ? 80 : 443;
      const empty = sp.emptyVipEvery > 0 && v % sp.emptyVipEvery === sp.emptyVipEvery - 1;
      const backends: string[] = [];
      if (!empty)
        for (let b = 0; b < sp.backendsPerVip; b++) {
          const s = (v * 7 + b * 13) % sp.switches;
          const p = (v + b * 3) % sp.portsPerSwitch;
          backends.push(`${podIp(s, p + 2)}:8080`);
        }
      vips[`${vip(v)}:${port}`] = backends.join(',');
      count('VIPs');
      if (empty) count('VIPs without backends');
    }
    const id = `lb_${l}`;
    ops.push({ op: 'insert', table: 'Load_Balancer', "uuid-name": id, row: { name: `lb${l}`, vips: map(vips), protocol: l % 10 === 9 ? 'udp' : 'tcp' } });
    lbIds.push(id);
    count('load balancers');
  }
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
  for (let g = 0; g < sp.portGroups; g++) {
    const members: Wire[] = [];
    for (let s = g % 10; s < sp.switches; s += 10) members.push(named(portsOf[s]![g % sp.portsPerSwitch]!));
    const asAddrs: string[] = [];
    for (let k = 0; k < 4; k++) asAddrs.push(podIp((g * 3 + k * 17) % sp.switches, ((g + k) % sp.portsPerSwitch) + 2));
    ops.push({ op: 'insert', table: 'Address_Set', row: { name: `as_pg${g}`, addresses: set(asAddrs) } });
    count('address sets');
    const acls: [string, number, string, string, Record<string, Wire>][] = [
      ['to-lport', 1001, `outport == @pg${g} && ip4.src == $as_pg${g} && tcp.dst == 8080`, 'allow-related', {}],
      ['from-lport', 1001, `inport == @pg${g} && ip4.dst == 172.30.0.0/16`, 'allow-related', {}],
      ['to-lport', 1002, `outport == @pg${g} && udp.dst == 53`, 'allow', {}],
      ['to-lport', 1000, `outport == @pg${g} && ip4`, 'drop', { log: true, name: `deny-pg${g}`, severity: 'info' }],
    ];
    const aclIds: Wire[] = [];
    for (let a = 0; a < sp.aclsPerPortGroup; a++) {
      const [direction, priority, match, action, extra] = acls[a % acls.length]!;
      const id = `acl_${g}_${a}`;
      ops.push({ op: 'insert', table: 'ACL', "uuid-name": id, row: { direction, priority: priority + Math.floor(a / acls.length), match, action, ...extra } });
      aclIds.push(named(id));
      count('ACLs');
    }
    ops.push({ op: 'insert', table: 'Port_Group', row: { name: `pg${g}`, ports: set(members), acls: set(aclIds) } });
    count('port groups');
  }

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

/**
 * Generates the topology into a fresh private ovsdb-server in one transaction and writes
 * `ovsdb-client backup` of it to `outFile` (+ `outFile.json` with the TopologyInfo).
 */
export async function generateSnapshot(scale: Scale, switchOnly: boolean, outFile = snapshotPath(scale, switchOnly)): Promise<TopologyInfo & { file: string; transactMs: number; ops: number; bytes: number }> {
  const { ops, info } = buildTopology(scale, switchOnly);
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

// ------------------------------------------------------------------ CLI

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (n: string): string | undefined => {
    const i = argv.indexOf(n);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scale = (opt('--scale') ?? 'small') as Scale;
  if (!SCALES.includes(scale)) throw new Error(`--scale must be one of ${SCALES.join(', ')}`);
  const switchOnly = !argv.includes('--full');
  const r = await generateSnapshot(scale, switchOnly, opt('-o') ?? snapshotPath(scale, switchOnly));
  console.log(`${r.file}: ${r.ops} operations (${(r.bytes / 1e6).toFixed(1)} MB JSON) in one transaction, ${r.transactMs.toFixed(0)} ms`);
  for (const [k, n] of Object.entries(r.counts)) console.log(`  ${k}: ${n}`);
  for (const l of r.leftOut) console.log(`  left out (--switch-only): ${l}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error((e as Error)?.stack ?? String(e));
    process.exit(1);
  });
}
