/**
 * Helpers for the logical-router e2e tests (additive to harness.ts): pings that report the TTL of
 * the reply, the kernel neighbour table of a VM, and a geneve underlay between two chassis.
 */
import type { Chassis, Vm } from './harness.js';
import { waitFor } from './harness.js';

/** Result of one `ping -c 1`: whether it was answered and the reply's IP TTL. */
export interface PingTtl {
  ok: boolean;
  ttl?: number;
  output: string;
}

/** One ping (1 s reply timeout) from `vm` to `dst`; parses `ttl=` of the echo reply. */
export async function pingTtl(vm: Vm, dst: string): Promise<PingTtl> {
  const r = await vm.exec('ping', ['-n', '-c', '1', '-W', '1', dst], { timeoutMs: 4000 });
  const output = `${vm.name} (${vm.ip}) → ${dst}: exit ${r.code}\n${r.stdout}${r.stderr}`;
  const m = /bytes from \S+ icmp_seq=\d+ ttl=(\d+)/.exec(r.stdout);
  return { ok: r.code === 0 && !!m, ttl: m ? Number(m[1]) : undefined, output };
}

/** Pings until one is answered (bounded by `timeoutMs`); returns that reply (with its TTL). */
export async function waitPingTtl(vm: Vm, dst: string, timeoutMs: number): Promise<PingTtl> {
  return waitFor(
    async () => {
      const p = await pingTtl(vm, dst);
      if (!p.ok) throw new Error(p.output.trim());
      return p;
    },
    { timeoutMs, intervalMs: 50, what: `ping ${vm.name} (${vm.ip}) → ${dst}` },
  );
}

/** `ping -c <count> -w <deadline>`: true if at least one reply came back. */
export async function pingSome(vm: Vm, dst: string, count = 3, deadlineS = 3): Promise<{ ok: boolean; output: string }> {
  const r = await vm.exec('ping', ['-n', '-c', String(count), '-w', String(deadlineS), dst], {
    timeoutMs: (deadlineS + 5) * 1000,
  });
  return { ok: r.code === 0, output: `${vm.name} (${vm.ip}) → ${dst}: exit ${r.code}\n${r.stdout}${r.stderr}` };
}

/** The MAC of `ip` in the VM's kernel neighbour table (lowercase), or undefined. */
export async function neighMac(vm: Vm, ip: string): Promise<string | undefined> {
  const r = await vm.exec('ip', ['-4', 'neigh', 'show', ip, 'dev', vm.ifname], { timeoutMs: 3000, check: true });
  return /lladdr ([0-9a-fA-F:]{17})/.exec(r.stdout)?.[1]?.toLowerCase();
}

/** Removes every neighbour entry of the VM's interface. */
export async function flushNeigh(vm: Vm): Promise<void> {
  await vm.exec('ip', ['-4', 'neigh', 'flush', 'dev', vm.ifname], { timeoutMs: 3000, check: true });
}

/**
 * Connects two chassis with a geneve underlay, OVS userspace-tunnelling style: in each chassis
 * netns a netdev bridge `br-ul` carries the encap IP on its own (tap) interface and has one end of
 * a veth pair between the two netns as its port. ovs-vswitchd resolves the tunnel's next hop
 * through the netns routing table (the connected /24 on br-ul) and sends the encapsulated packet
 * through br-ul (NORMAL) onto the veth. Each chassis must have been started with `encapIp` set to
 * the address given here.
 */
export async function connectUnderlay(
  a: Chassis,
  ipA: string,
  b: Chassis,
  ipB: string,
  prefixLen = 24,
): Promise<void> {
  const e = a.e2e;
  const ifA = e.ifName('u');
  const ifB = e.ifName('u');
  await a.exec('ip', ['link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', b.netns]);
  for (const [ch, ifn, ip] of [
    [a, ifA, ipA],
    [b, ifB, ipB],
  ] as const) {
    await ch.vsctl([
      '--may-exist', 'add-br', 'br-ul', '--', 'set', 'bridge', 'br-ul', 'datapath_type=netdev',
      'other-config:disable-in-band=true',
      '--', 'add-port', 'br-ul', ifn,
    ]);
    await ch.exec('ip', ['link', 'set', ifn, 'up']);
    await ch.exec('ethtool', ['-K', ifn, 'tx', 'off']);
    // The bridge's tap device appears once vswitchd has created the bridge.
    await waitFor(async () => (await ch.exec('ip', ['link', 'show', 'br-ul']).then(() => true, () => false)), {
      timeoutMs: 5000,
      intervalMs: 100,
      what: `br-ul device in ${ch.netns}`,
    });
    await ch.exec('ip', ['addr', 'add', `${ip}/${prefixLen}`, 'dev', 'br-ul']);
    await ch.exec('ip', ['link', 'set', 'br-ul', 'up']);
  }
}

/** ovn-nbctl arguments: router port `lrp` on `lr` and its router-type peer `<ls>-<lr>` on switch `ls`. */
export function routerPort(lr: string, ls: string, lrp: string, mac: string, cidr: string): string[] {
  const lsp = `${ls}-${lr}`;
  return [
    '--', 'lrp-add', lr, lrp, mac, cidr,
    '--', 'lsp-add', ls, lsp,
    '--', 'lsp-set-type', lsp, 'router',
    '--', 'lsp-set-addresses', lsp, 'router',
    '--', 'lsp-set-options', lsp, `router-port=${lrp}`,
  ];
}

/** ovn-nbctl arguments: a VM port with one MAC/IP, port security on both. */
export function vmPort(ls: string, lsp: string, mac: string, ip: string): string[] {
  return [
    '--', 'lsp-add', ls, lsp,
    '--', 'lsp-set-addresses', lsp, `${mac} ${ip}`,
    '--', 'lsp-set-port-security', lsp, `${mac} ${ip}`,
  ];
}

/**
 * Starts an HTTP server in `vm` (Node, no dependencies) on `port` that answers every request
 * with the address the request came from, as the server sees it (what a NAT rewrote shows),
 * preceded by `tag` when given.
 */
export async function serveClientAddress(vm: Vm, port: number, tag = ''): Promise<void> {
  const code =
    `const [port,ppid,tag]=process.argv.slice(1);` +
    `const s=require('http').createServer((q,r)=>{r.setHeader('connection','close');r.end((tag?tag+' ':'')+q.socket.remoteAddress.replace(/^::ffff:/,''))});` +
    `s.listen(+port,'0.0.0.0',()=>console.log('listening'));` +
    `setInterval(()=>{try{process.kill(+ppid,0)}catch{process.exit(0)}},1000);`;
  await vm.e2e.spawnUntil('ip', ['netns', 'exec', vm.ns, process.execPath, '-e', code, String(port), String(process.pid), tag], /listening/);
}

/** ovn-nbctl arguments: switch `ls` with a localnet port `lsp` on physical network `network`. */
export function localnetSwitch(ls: string, lsp: string, network: string): string[] {
  return [
    'ls-add', ls,
    '--', 'lsp-add', ls, lsp,
    '--', 'lsp-set-type', lsp, 'localnet',
    '--', 'lsp-set-addresses', lsp, 'unknown',
    '--', 'lsp-set-options', lsp, `network_name=${network}`,
  ];
}
