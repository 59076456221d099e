/**
 * Generate a large OVN_Southbound standalone database file for the client
 * benchmarks: N Logical_Flow rows (default 200,000) shaped like the ones
 * ovn-northd 23.03 writes, spread over a few hundred Datapath_Binding rows,
 * plus the Port_Binding rows the flows mention, a few Logical_DP_Group rows
 * and one SB_Global row.
 *
 * The file is written directly (ovsdb(5)): `ovsdb-tool create` writes the
 * schema record, then one big transaction record is appended
 *     OVSDB JSON <length> <sha1 of the next length bytes>\n{...}\n
 * Generation is deterministic (seeded PRNG), so the same N always gives the
 * same file. Files are cached as bench/out/sb-lflows-<N>-v<GEN_VERSION>.db.
 *
 *   npx tsx bench/client/gen-sb.ts --rows 200000 [--out FILE] [--force]
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bump when the generated content changes (invalidates the cache). */
export const GEN_VERSION = 1;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT_DIR = join(REPO_ROOT, 'bench', 'out');
export const SB_SCHEMA = join(REPO_ROOT, 'schemas', 'ovn-sb.ovsschema');

export interface GenStats {
  path: string;
  bytes: number;
  logicalFlows: number;
  datapaths: number;
  portBindings: number;
  dpGroups: number;
  flowsWithDpGroup: number;
  avgMatchLen: number;
  avgActionsLen: number;
  ms: number;
}

// ------------------------------------------------------------------ PRNG

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)]!;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return s;
  }
  uuid(): string {
    const h = this.hex(32);
    const v = '89ab'[Math.floor(this.next() * 4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  mac(): string {
    return `fa:16:3e:${this.hex(2)}:${this.hex(2)}:${this.hex(2)}`;
  }
}

// ------------------------------------------------------------------ model

interface Port {
  uuid: string;
  name: string; // logical_port
  mac: string;
  ip: string;
  ip6: string;
  key: number;
}

interface Datapath {
  uuid: string;
  key: number;
  router: boolean;
  name: string;
  subnet: number; // 10.<hi>.<lo>.0/24 index
  ports: Port[];
  pgs: string[]; // port group names used in ACL matches
}

function subnetPrefix(i: number): string {
  return `10.${(i >> 8) & 255}.${i & 255}`;
}

interface FlowCtx {
  rng: Rng;
  dp: Datapath;
  port: Port;
  peer: Port;
}

interface Template {
  stage: string;
  pipeline: 'ingress' | 'egress';
  table: number;
  source: number; // northd.c line
  weight: number;
  /** Uses a port (tags in_out_port). */
  portTag?: 'in' | 'out';
  hint?: boolean;
  prio(c: FlowCtx): number;
  match(c: FlowCtx): string;
  actions(c: FlowCtx): string;
}

const dhcpOpts = (c: FlowCtx): string => {
  const p = subnetPrefix(c.dp.subnet);
  return (
    `reg0[3] = put_dhcp_opts(offerip = ${c.port.ip}, classless_static_route = {169.254.169.254/32,${p}.2, 0.0.0.0/0,${p}.1}, ` +
    `dns_server = {10.254.0.2, 10.254.0.3}, domain_name = "openstacklocal", lease_time = 43200, mtu = 1442, ` +
    `netmask = 255.255.255.0, router = ${p}.1, server_id = ${p}.1); next;`
  );
};

const SWITCH_TEMPLATES: Template[] = [
  {
    stage: 'ls_in_check_port_sec', pipeline: 'ingress', table: 0, source: 5811, weight: 3, portTag: 'in',
    prio: () => 50,
    match: (c) => `inport == "${c.port.name}"`,
    actions: () => 'reg0[15] = check_in_port_sec(); next;',
  },
  {
    stage: 'ls_in_lookup_fdb', pipeline: 'ingress', table: 2, source: 5870, weight: 2, portTag: 'in',
    prio: () => 100,
    match: (c) => `inport == "${c.port.name}"`,
    actions: () => 'reg0[11] = lookup_fdb(inport, eth.src); next;',
  },
  {
    stage: 'ls_in_put_fdb', pipeline: 'ingress', table: 3, source: 5876, weight: 2, portTag: 'in',
    prio: () => 100,
    match: (c) => `inport == "${c.port.name}" && reg0[11] == 0`,
    actions: () => 'put_fdb(inport, eth.src); next;',
  },
  {
    stage: 'ls_in_acl', pipeline: 'ingress', table: 9, source: 6702, weight: 8, hint: true,
    prio: (c) => 1001 + c.rng.int(0, 1000),
    match: (c) =>
      `reg0[7] == 1 && (inport == @${c.rng.pick(c.dp.pgs)} && ip4 && ip4.dst == ${subnetPrefix(c.rng.int(0, 4000))}.0/24 && ` +
      `tcp && tcp.dst == ${c.rng.int(1, 65535)})`,
    actions: () => 'reg0[1] = 1; next;',
  },
  {
    stage: 'ls_in_acl', pipeline: 'ingress', table: 9, source: 6702, weight: 6, hint: true,
    prio: (c) => 1001 + c.rng.int(0, 1000),
    match: (c) =>
      `reg0[8] == 1 && (inport == @${c.rng.pick(c.dp.pgs)} && ip6 && ip6.dst == fd00:${c.rng.hex(4)}::/64 && udp && ` +
      `udp.dst >= ${c.rng.int(1, 30000)} && udp.dst <= ${c.rng.int(30001, 65535)})`,
    actions: (c) =>
      `log(name="neutron-${c.rng.uuid()}", severity=info, verdict=allow, meter="acl_log_meter"); next;`,
  },
  {
    stage: 'ls_in_lb', pipeline: 'ingress', table: 13, source: 7112, weight: 4, hint: true,
    prio: () => 120,
    match: (c) => `ct.new && ip4.dst == 172.${c.rng.int(16, 31)}.${c.rng.int(0, 255)}.${c.rng.int(1, 254)} && tcp.dst == ${c.rng.pick([80, 443, 8080, 8443, 6443])}`,
    actions: (c) => {
      const n = c.rng.int(2, 6);
      const b: string[] = [];
      for (let i = 0; i < n; i++) b.push(`${subnetPrefix(c.dp.subnet)}.${c.rng.int(2, 250)}:${c.rng.pick([80, 8080, 8443])}`);
      return `reg0[1] = 0; ct_lb_mark(backends=${b.join(',')});`;
    },
  },
  {
    stage: 'ls_in_arp_rsp', pipeline: 'ingress', table: 21, source: 8740, weight: 6,
    prio: () => 50,
    match: (c) => `arp.tpa == ${c.port.ip} && arp.op == 1`,
    actions: (c) =>
      `eth.dst = eth.src; eth.src = ${c.port.mac}; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; ` +
      `arp.sha = ${c.port.mac}; arp.tpa = arp.spa; arp.spa = ${c.port.ip}; outport = inport; flags.loopback = 1; output;`,
  },
  {
    stage: 'ls_in_arp_rsp', pipeline: 'ingress', table: 21, source: 8783, weight: 3,
    prio: () => 50,
    match: (c) => `nd_ns && ip6.dst == {${c.port.ip6}, ff02::1:ff${c.port.ip6.slice(-7)}} && nd.target == ${c.port.ip6}`,
    actions: (c) =>
      `nd_na { eth.src = ${c.port.mac}; ip6.src = ${c.port.ip6}; nd.target = ${c.port.ip6}; nd.tll = ${c.port.mac}; ` +
      `outport = inport; flags.loopback = 1; output; };`,
  },
  {
    stage: 'ls_in_arp_rsp', pipeline: 'ingress', table: 21, source: 8764, weight: 2, portTag: 'in',
    prio: () => 100,
    match: (c) => `arp.tpa == ${c.port.ip} && arp.op == 1 && inport == "${c.port.name}"`,
    actions: () => 'next;',
  },
  {
    stage: 'ls_in_dhcp_options', pipeline: 'ingress', table: 22, source: 8950, weight: 3, portTag: 'in',
    prio: () => 100,
    match: (c) =>
      `inport == "${c.port.name}" && eth.src == ${c.port.mac} && ip4.src == 0.0.0.0 && ip4.dst == 255.255.255.255 && udp.src == 68 && udp.dst == 67`,
    actions: dhcpOpts,
  },
  {
    stage: 'ls_in_dhcp_response', pipeline: 'ingress', table: 23, source: 8999, weight: 3, portTag: 'in',
    prio: () => 100,
    match: (c) => `inport == "${c.port.name}" && eth.src == ${c.port.mac} && ip4 && udp.src == 68 && udp.dst == 67 && reg0[3]`,
    actions: (c) => {
      const p = subnetPrefix(c.dp.subnet);
      return `eth.dst = eth.src; eth.src = fa:16:3e:00:00:01; ip4.src = ${p}.1; udp.src = 67; udp.dst = 68; outport = inport; flags.loopback = 1; output;`;
    },
  },
  {
    stage: 'ls_in_l2_lkup', pipeline: 'ingress', table: 27, source: 9562, weight: 6,
    prio: () => 50,
    match: (c) => `eth.dst == ${c.port.mac}`,
    actions: (c) => `outport = "${c.port.name}"; output;`,
  },
  {
    stage: 'ls_out_acl', pipeline: 'egress', table: 4, source: 6702, weight: 6, hint: true,
    prio: (c) => 1001 + c.rng.int(0, 1000),
    match: (c) => {
      const pg = c.rng.pick(c.dp.pgs);
      return `reg0[8] == 1 && (outport == @${pg} && ip4 && ip4.src == $${pg}_ip4 && icmp4)`;
    },
    actions: () => 'reg0[1] = 1; next;',
  },
  {
    stage: 'ls_out_acl', pipeline: 'egress', table: 4, source: 6702, weight: 5, hint: true,
    prio: (c) => 1001 + c.rng.int(0, 1000),
    match: (c) => {
      const pg = c.rng.pick(c.dp.pgs);
      return `reg0[7] == 1 && (outport == @${pg} && ip4 && ip4.src == ${subnetPrefix(c.rng.int(0, 4000))}.0/24 && tcp && tcp.dst == ${c.rng.int(1, 65535)})`;
    },
    actions: () => 'reg0[1] = 1; next;',
  },
  {
    stage: 'ls_out_apply_port_sec', pipeline: 'egress', table: 9, source: 5950, weight: 3, portTag: 'out',
    prio: () => 50,
    match: (c) => `outport == "${c.port.name}" && eth.dst == ${c.port.mac} && ip4.dst == {255.255.255.255, 224.0.0.0/4, ${c.port.ip}}`,
    actions: () => 'output;',
  },
];

const ROUTER_TEMPLATES: Template[] = [
  {
    stage: 'lr_in_admission', pipeline: 'ingress', table: 0, source: 11302, weight: 3, portTag: 'in',
    prio: () => 50,
    match: (c) => `eth.dst == ${c.port.mac} && inport == "${c.port.name}"`,
    actions: (c) => `xreg0[0..47] = ${c.port.mac}; next;`,
  },
  {
    stage: 'lr_in_ip_input', pipeline: 'ingress', table: 3, source: 12433, weight: 4, portTag: 'in',
    prio: () => 90,
    match: (c) => `inport == "${c.port.name}" && arp.op == 1 && arp.tpa == ${c.port.ip} && arp.spa == ${subnetPrefix(c.dp.subnet)}.0/24`,
    actions: () =>
      'eth.dst = eth.src; eth.src = xreg0[0..47]; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; arp.sha = xreg0[0..47]; ' +
      'arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; output;',
  },
  {
    stage: 'lr_in_unsnat', pipeline: 'ingress', table: 4, source: 13200, weight: 3,
    prio: () => 90,
    match: (c) => `ip && ip4.dst == 172.24.${c.rng.int(0, 255)}.${c.rng.int(1, 254)}`,
    actions: () => 'ct_snat;',
  },
  {
    stage: 'lr_in_dnat', pipeline: 'ingress', table: 7, source: 13318, weight: 4, hint: true,
    prio: () => 100,
    match: (c) =>
      `ip && ip4.dst == 172.24.${c.rng.int(0, 255)}.${c.rng.int(1, 254)} && inport == "${c.peer.name}" && is_chassis_resident("cr-${c.peer.name}")`,
    actions: (c) => `ct_dnat_in_czone(${subnetPrefix(c.rng.int(0, 4000))}.${c.rng.int(2, 250)});`,
  },
  {
    stage: 'lr_in_ip_routing', pipeline: 'ingress', table: 12, source: 10160, weight: 5,
    prio: () => 74,
    match: (c) => `ip4.dst == ${subnetPrefix(c.rng.int(0, 4000))}.0/24`,
    actions: (c) =>
      `ip.ttl--; reg8[0..15] = 0; reg0 = ip4.dst; reg1 = ${c.port.ip}; eth.src = ${c.port.mac}; outport = "${c.port.name}"; flags.loopback = 1; next;`,
  },
  {
    stage: 'lr_in_arp_resolve', pipeline: 'ingress', table: 17, source: 12020, weight: 5, portTag: 'out',
    prio: () => 100,
    match: (c) => `outport == "${c.port.name}" && reg0 == ${subnetPrefix(c.rng.int(0, 4000))}.${c.rng.int(2, 250)}`,
    actions: (c) => `eth.dst = ${c.rng.mac()}; next;`,
  },
  {
    stage: 'lr_out_snat', pipeline: 'egress', table: 3, source: 13690, weight: 3, hint: true,
    prio: () => 153,
    match: (c) =>
      `ip && ip4.src == ${subnetPrefix(c.dp.subnet)}.0/24 && outport == "${c.peer.name}" && is_chassis_resident("cr-${c.peer.name}")`,
    actions: (c) => `ct_snat_in_czone(172.24.${c.rng.int(0, 255)}.${c.rng.int(1, 254)});`,
  },
  {
    stage: 'lr_out_delivery', pipeline: 'egress', table: 6, source: 12710, weight: 1, portTag: 'out',
    prio: () => 100,
    match: (c) => `outport == "${c.port.name}"`,
    actions: () => 'output;',
  },
];

/** Flows identical on many datapaths: northd puts them in a Logical_DP_Group. */
const SHARED_FLOWS: { stage: string; pipeline: 'ingress' | 'egress'; table: number; prio: number; source: number; match: string; actions: string }[] = [
  { stage: 'ls_in_apply_port_sec', pipeline: 'ingress', table: 1, prio: 50, source: 5826, match: 'reg0[15] == 1', actions: 'drop;' },
  { stage: 'ls_in_pre_acl', pipeline: 'ingress', table: 4, prio: 110, source: 5990, match: 'eth.dst == $svc_monitor_mac', actions: 'next;' },
  { stage: 'ls_in_pre_acl', pipeline: 'ingress', table: 4, prio: 110, source: 6003, match: 'eth.mcast', actions: 'next;' },
  { stage: 'ls_in_pre_acl', pipeline: 'ingress', table: 4, prio: 100, source: 6024, match: 'ip', actions: 'reg0[0] = 1; next;' },
  { stage: 'ls_in_acl', pipeline: 'ingress', table: 9, prio: 65532, source: 6810, match: 'ct.est && !ct.rel && !ct.new && !ct.inv && ct.rpl && ct_mark.blocked == 0', actions: 'reg0[9] = 0; reg0[10] = 0; next;' },
  { stage: 'ls_in_acl', pipeline: 'ingress', table: 9, prio: 65532, source: 6820, match: 'nd || nd_ra || nd_rs || mldv1 || mldv2', actions: 'next;' },
  { stage: 'ls_in_acl', pipeline: 'ingress', table: 9, prio: 1, source: 6780, match: 'ip && (!ct.est || (ct.est && ct_mark.blocked == 1))', actions: 'reg0[1] = 1; next;' },
  { stage: 'ls_in_stateful', pipeline: 'ingress', table: 19, prio: 100, source: 7420, match: 'reg0[1] == 1 && reg0[13] == 0', actions: 'ct_commit { ct_mark.blocked = 0; }; next;' },
  { stage: 'ls_in_dns_lookup', pipeline: 'ingress', table: 24, prio: 100, source: 9050, match: 'udp.dst == 53', actions: 'reg0[4] = dns_lookup(); next;' },
  { stage: 'ls_in_l2_lkup', pipeline: 'ingress', table: 27, prio: 110, source: 9440, match: 'eth.dst == $svc_monitor_mac && (tcp || icmp || icmp6)', actions: 'handle_svc_check(inport);' },
  { stage: 'ls_in_l2_lkup', pipeline: 'ingress', table: 27, prio: 70, source: 9470, match: 'eth.mcast', actions: 'outport = "_MC_flood"; output;' },
  { stage: 'ls_out_pre_acl', pipeline: 'egress', table: 1, prio: 110, source: 6003, match: 'eth.src == $svc_monitor_mac', actions: 'next;' },
  { stage: 'ls_out_acl', pipeline: 'egress', table: 4, prio: 34000, source: 6880, match: 'outport == @neutron_pg_drop && ip', actions: 'reg0 = 0; reg1 = 0; reg2 = 0; reg3 = 0; reg4 = 0; reg5 = 0; reg6 = 0; reg7 = 0; reg8 = 0; reg9 = 0; drop;' },
  { stage: 'ls_out_check_port_sec', pipeline: 'egress', table: 8, prio: 100, source: 5935, match: 'eth.mcast', actions: 'reg0[15] = 0; next;' },
  { stage: 'ls_out_check_port_sec', pipeline: 'egress', table: 8, prio: 0, source: 5940, match: '1', actions: 'reg0[15] = check_out_port_sec(); next;' },
];

function pickWeighted(rng: Rng, ts: readonly Template[], total: number): Template {
  let x = rng.float() * total;
  for (const t of ts) {
    x -= t.weight;
    if (x < 0) return t;
  }
  return ts[ts.length - 1]!;
}

// ------------------------------------------------------------------ writer

const U = (u: string): [string, string] => ['uuid', u];
const MAP = (o: Record<string, string>): ['map', [string, string][]] => ['map', Object.entries(o)];

/** Build the transaction record body (JSON text + '\n') as a list of Buffers. */
function buildTransaction(nFlows: number, seed: number): { parts: Buffer[]; stats: Omit<GenStats, 'path' | 'bytes' | 'ms'> } {
  const rng = new Rng(seed);
  // Scale: ~1 datapath per 650 flows, between 20 and 600; 1 router per 6 switches.
  const nDp = Math.max(20, Math.min(600, Math.round(nFlows / 650)));
  const dps: Datapath[] = [];
  let pbKey = 0;
  for (let i = 0; i < nDp; i++) {
    const router = i % 7 === 6;
    const dp: Datapath = {
      uuid: rng.uuid(),
      key: i + 1,
      router,
      name: `neutron-${rng.uuid()}`,
      subnet: i,
      ports: [],
      pgs: [],
    };
    const nPorts = router ? rng.int(2, 6) : rng.int(6, 20);
    for (let p = 0; p < nPorts; p++) {
      const id = rng.uuid();
      dp.ports.push({
        uuid: rng.uuid(),
        name: router ? `lrp-${id}` : id,
        mac: rng.mac(),
        ip: `${subnetPrefix(i)}.${p + 2}`,
        ip6: `fd00:${(i & 0xffff).toString(16)}::f816:3eff:fe${rng.hex(2)}:${rng.hex(4)}`,
        key: p + 1,
      });
      pbKey++;
    }
    for (let g = 0; g < 4; g++) dp.pgs.push(`pg_${rng.hex(8)}_${rng.hex(4)}_${rng.hex(4)}`);
    dps.push(dp);
  }
  const switches = dps.filter((d) => !d.router);
  const routers = dps.filter((d) => d.router);

  // Datapath groups: random subsets of the switches.
  const nGroups = Math.max(4, Math.min(40, Math.round(nDp / 10)));
  const groups: { uuid: string; dps: string[] }[] = [];
  for (let g = 0; g < nGroups; g++) {
    const size = rng.int(Math.min(10, switches.length), switches.length);
    const set = new Set<string>();
    while (set.size < size) set.add(rng.pick(switches).uuid);
    groups.push({ uuid: rng.uuid(), dps: [...set].sort() });
  }

  const parts: Buffer[] = [];
  let pending = '';
  const emit = (s: string): void => {
    pending += s;
    if (pending.length > 1 << 20) {
      parts.push(Buffer.from(pending, 'utf8'));
      pending = '';
    }
  };

  emit('{');
  // SB_Global
  emit(`"SB_Global":{${JSON.stringify(rng.uuid())}:${JSON.stringify({ nb_cfg: 0, options: MAP({ mac_prefix: '0a:bc:de', svc_monitor_mac: 'fa:16:3e:ab:cd:ef' }) })}},`);
  // Datapath_Binding
  emit('"Datapath_Binding":{');
  dps.forEach((d, i) => {
    const ext: Record<string, string> = d.router
      ? { 'logical-router': rng.uuid(), name: d.name, name2: `router-${i}` }
      : { 'logical-switch': rng.uuid(), name: d.name, name2: `private-net-${i}` };
    emit(`${i ? ',' : ''}${JSON.stringify(d.uuid)}:${JSON.stringify({ tunnel_key: d.key, external_ids: MAP(ext) })}`);
  });
  emit('},');
  // Port_Binding
  emit('"Port_Binding":{');
  let nPb = 0;
  for (const d of dps) {
    for (const p of d.ports) {
      const row = d.router
        ? { logical_port: p.name, datapath: U(d.uuid), tunnel_key: p.key, type: 'patch', mac: `${p.mac} ${p.ip}/24`, options: MAP({ peer: `rp-${p.name.slice(4)}` }), external_ids: MAP({}) }
        : {
            logical_port: p.name, datapath: U(d.uuid), tunnel_key: p.key, type: '', mac: `${p.mac} ${p.ip} ${p.ip6}`,
            port_security: `${p.mac} ${p.ip} ${p.ip6}`,
            options: MAP({ mcast_flood_reports: 'true', 'requested-chassis': `compute-${rng.int(1, 64)}` }),
            external_ids: MAP({ 'neutron:cidrs': `${p.ip}/24 ${p.ip6}/64`, 'neutron:device_id': rng.uuid(), 'neutron:device_owner': 'compute:nova', 'neutron:network_name': d.name, 'neutron:port_name': '', 'neutron:project_id': rng.hex(32), 'neutron:revision_number': String(rng.int(1, 9)), 'neutron:security_group_ids': rng.uuid() }),
          };
      emit(`${nPb++ ? ',' : ''}${JSON.stringify(p.uuid)}:${JSON.stringify(row)}`);
    }
  }
  emit('},');
  // Logical_DP_Group
  emit('"Logical_DP_Group":{');
  groups.forEach((g, i) => emit(`${i ? ',' : ''}${JSON.stringify(g.uuid)}:${JSON.stringify({ datapaths: ['set', g.dps.map(U)] })}`));
  emit('},');
  // Logical_Flow
  emit('"Logical_Flow":{');
  const swTotal = SWITCH_TEMPLATES.reduce((s, t) => s + t.weight, 0);
  const rtTotal = ROUTER_TEMPLATES.reduce((s, t) => s + t.weight, 0);
  let matchLen = 0;
  let actLen = 0;
  let withGroup = 0;
  const usedGroups = new Set<number>();
  for (let i = 0; i < nFlows; i++) {
    let row: Record<string, unknown>;
    // ~5% of the flows are shared ones on a datapath group (each group used at least once).
    if (i < nGroups || rng.float() < 0.05) {
      const gi = i < nGroups ? i : rng.int(0, nGroups - 1);
      usedGroups.add(gi);
      const f = rng.pick(SHARED_FLOWS);
      // Vary the shared flows a little so they are not all byte-identical.
      const m = rng.float() < 0.5 ? f.match : `${f.match} && reg${rng.int(0, 9)}[${rng.int(0, 31)}] == 1`;
      row = {
        logical_dp_group: U(groups[gi]!.uuid), pipeline: f.pipeline, table_id: f.table, priority: f.prio, match: m, actions: f.actions,
        external_ids: MAP({ source: `northd.c:${f.source}`, 'stage-name': f.stage }),
      };
      matchLen += m.length;
      actLen += f.actions.length;
      withGroup++;
    } else {
      const dp = rng.float() < 0.2 && routers.length ? rng.pick(routers) : rng.pick(switches);
      const t = dp.router ? pickWeighted(rng, ROUTER_TEMPLATES, rtTotal) : pickWeighted(rng, SWITCH_TEMPLATES, swTotal);
      const c: FlowCtx = { rng, dp, port: rng.pick(dp.ports), peer: rng.pick(dp.ports) };
      const m = t.match(c);
      const a = t.actions(c);
      const ext: Record<string, string> = { source: `northd.c:${t.source}`, 'stage-hint': rng.hex(8), 'stage-name': t.stage };
      if (!t.hint) delete ext['stage-hint'];
      row = {
        logical_datapath: U(dp.uuid), pipeline: t.pipeline, table_id: t.table, priority: t.prio(c), match: m, actions: a,
        external_ids: MAP(ext),
      };
      if (t.portTag) row['tags'] = MAP({ in_out_port: c.port.name });
      if (t.stage === 'ls_in_arp_rsp' || t.stage === 'ls_in_dhcp_options') row['controller_meter'] = '__ovn_arp_meter';
      matchLen += m.length;
      actLen += a.length;
    }
    emit(`${i ? ',' : ''}${JSON.stringify(rng.uuid())}:${JSON.stringify(row)}`);
  }
  emit('},');
  emit(`"_date":${Date.UTC(2024, 0, 1)},"_comment":"bench/client/gen-sb.ts v${GEN_VERSION}"}\n`);
  parts.push(Buffer.from(pending, 'utf8'));
  if (usedGroups.size !== nGroups) throw new Error('internal: unreferenced datapath group');
  return {
    parts,
    stats: {
      logicalFlows: nFlows,
      datapaths: nDp,
      portBindings: nPb,
      dpGroups: nGroups,
      flowsWithDpGroup: withGroup,
      avgMatchLen: Math.round(matchLen / Math.max(1, nFlows)),
      avgActionsLen: Math.round(actLen / Math.max(1, nFlows)),
    },
  };
}

/** Write the database file at `path` (overwriting). */
export function generateSb(nFlows: number, path: string, seed = 20230301): GenStats {
  const t0 = performance.now();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  execFileSync('ovsdb-tool', ['create', tmp, SB_SCHEMA], { stdio: 'inherit' });
  const { parts, stats } = buildTransaction(nFlows, seed);
  const hash = createHash('sha1');
  let len = 0;
  for (const p of parts) {
    hash.update(p);
    len += p.length;
  }
  const fd = openSync(tmp, 'a');
  try {
    writeSync(fd, `OVSDB JSON ${len} ${hash.digest('hex')}\n`);
    for (const p of parts) writeSync(fd, p);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  rmSync(join(dirname(tmp), `.${basename(tmp)}.~lock~`), { force: true });
  return { path, bytes: len, ...stats, ms: Math.round(performance.now() - t0) };
}

export function cachedSbPath(nFlows: number): string {
  return join(OUT_DIR, `sb-lflows-${nFlows}-v${GEN_VERSION}.db`);
}

/** Path of the cached database for `nFlows`, generating it if missing. */
export function ensureSb(nFlows: number, log: (s: string) => void = () => {}, force = false): string {
  const path = cachedSbPath(nFlows);
  if (!force && existsSync(path)) return path;
  log(`generating ${path} (${nFlows} Logical_Flow rows)...`);
  const st = generateSb(nFlows, path);
  log(
    `  ${(st.bytes / 1048576).toFixed(1)} MiB in ${st.ms} ms: ${st.datapaths} datapaths, ${st.portBindings} port bindings, ` +
      `${st.dpGroups} dp groups (${st.flowsWithDpGroup} flows), avg match ${st.avgMatchLen} / actions ${st.avgActionsLen} chars`,
  );
  return path;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const rows = Number(argValue(args, '--rows') ?? 200_000);
  const out = argValue(args, '--out');
  if (out) {
    const st = generateSb(rows, resolve(out));
    console.log(JSON.stringify(st));
  } else {
    console.log(ensureSb(rows, (s) => console.error(s), args.includes('--force')));
  }
}
