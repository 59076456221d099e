/**
 * Health-checked switch load balancer: ovn-controller probes each backend (TCP SYN from the
 * service-monitor source IP and svc_monitor_mac), reports SB Service_Monitor.status, and northd
 * balances the VIP over the backends that are not offline.
 *
 *   client 10.0.1.10 ─┐
 *   vm1    10.0.1.11 ─┤ (HTTP :8080, answers "vm1 <client address>")
 *   vm2    10.0.1.12 ─┼─ ls1 10.0.1.0/24, TCP LB lb1 10.0.1.100:80 → 10.0.1.11:8080,10.0.1.12:8080
 *   fwd    10.0.1.1  ─┘ (a Linux IP forwarder, the VIP's next hop; see switch-lb.test.ts)
 *
 * lb1: ip_port_mappings 10.0.1.11=ls1-vm1:10.0.1.2, 10.0.1.12=ls1-vm2:10.0.1.2, and a
 * Load_Balancer_Health_Check vip="10.0.1.100:80" {interval=1, timeout=1, success_count=1,
 * failure_count=1}. northd generates NB_Global options:svc_monitor_mac itself, writes one SB
 * Service_Monitor per backend (src_mac = that MAC, src_ip 10.0.1.2) and answers ARP for 10.0.1.2
 * with it, so that a backend's SYN-ACK (or RST) reaches ovn-controller (handle_svc_check).
 *
 * The client reaches the same-subnet VIP through a static neighbour entry with `fwd`'s MAC, as in
 * switch-lb.test.ts (the DNAT happens at the client's port and leaves eth.dst alone).
 *
 * - NB_Global options:svc_monitor_mac is set; SB Service_Monitor rows for both backends (tcp,
 *   port 8080, logical_port, src_ip 10.0.1.2, src_mac = svc_monitor_mac), both reported online;
 * - HTTP to the VIP reaches both backends;
 * - with vm2's server stopped its monitor goes offline, the VIP's ls_in_lb flow balances over
 *   10.0.1.11:8080 only, and 10 new connections are all answered by vm1;
 * - with vm2's server started again it goes online, and both backends answer again.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMap, E2E, e2eSkipReason, northdKindFromEnv, waitFor, type Row, type Vm } from './harness.js';
import { serveClientAddress } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const VIP = '10.0.1.100';
const FWD_MAC = '02:ac:10:01:00:01';
const SRC_IP = '10.0.1.2';
const BACKENDS = { vm1: '10.0.1.11', vm2: '10.0.1.12' } as const;

/** SB Service_Monitor rows, one line each, for messages. */
function describeMonitors(rows: Row[]): string {
  return JSON.stringify(rows.map((r) => ({ ip: r.ip, port: r.port, lp: r.logical_port, status: r.status, src_ip: r.src_ip, src_mac: r.src_mac })));
}

/** Which backend answered each request ("vm1"/"vm2"), or the error. */
function whoAnswered(results: { ok: boolean; body?: string; error?: string }[]): string[] {
  return results.map((r) => (r.ok ? (r.body ?? '').split(' ')[0]! : `error: ${r.error ?? '?'}`));
}

describe.skipIf(!!skip).sequential(`e2e LB health check (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let client: Vm;
  let vm2: Vm;
  let vm2Server: ChildProcess | undefined;

  /** The SB Service_Monitor rows. */
  const monitors = (): Promise<Row[]> => env.query('sb', 'Service_Monitor');

  /** Waits until the monitor of `ip` has `status` (bounded); returns all rows for messages. */
  async function waitStatus(ip: string, status: string, timeoutMs: number): Promise<Row[]> {
    let rows: Row[] = [];
    await waitFor(
      async () => {
        rows = await monitors();
        return rows.some((r) => r.ip === ip && r.status === status);
      },
      { timeoutMs, intervalMs: 200, what: `Service_Monitor ${ip} status=${status}` },
    ).catch(() => undefined);
    return rows;
  }

  /** The actions of the ls_in_lb flows for the VIP (new connections). */
  async function vipActions(): Promise<string[]> {
    const flows = await env.query('sb', 'Logical_Flow', { columns: ['match', 'actions', 'external_ids'] });
    return flows
      .filter((f) => asMap(f.external_ids)['stage-name'] === 'ls_in_lb' && String(f.match).includes(`ip4.dst == ${VIP}`))
      .map((f) => String(f.actions));
  }

  /** Waits until the VIP's ls_in_lb flow balances over exactly `backends` (bounded). */
  async function waitVipBackends(backends: string[], timeoutMs: number): Promise<string[]> {
    const want = backends.map((b) => `${b}:8080`).join(',');
    let actions: string[] = [];
    await waitFor(
      async () => {
        actions = await vipActions();
        return actions.length > 0 && actions.every((a) => a.includes(`backends=${want});`));
      },
      { timeoutMs, intervalMs: 200, what: `ls_in_lb flow for ${VIP} with backends=${want}` },
    ).catch(() => undefined);
    return actions;
  }

  beforeAll(async () => {
    env = await E2E.create({ label: 'lb-health-check' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'lsp-add', 'ls1', 'ls1-client',
      '--', 'lsp-set-addresses', 'ls1-client', '02:ac:10:01:00:10 10.0.1.10',
      '--', 'lsp-add', 'ls1', 'ls1-vm1',
      '--', 'lsp-set-addresses', 'ls1-vm1', `02:ac:10:01:00:11 ${BACKENDS.vm1}`,
      '--', 'lsp-add', 'ls1', 'ls1-vm2',
      '--', 'lsp-set-addresses', 'ls1-vm2', `02:ac:10:01:00:12 ${BACKENDS.vm2}`,
      '--', 'lsp-add', 'ls1', 'ls1-fwd',
      '--', 'lsp-set-addresses', 'ls1-fwd', `${FWD_MAC} 10.0.1.1`,
    ]);
    await env.nbctl(['lb-add', 'lb1', `${VIP}:80`, `${BACKENDS.vm1}:8080,${BACKENDS.vm2}:8080`, 'tcp']);
    await env.nbctl([
      'set', 'Load_Balancer', 'lb1',
      `ip_port_mappings:"${BACKENDS.vm1}"="ls1-vm1:${SRC_IP}"`,
      `ip_port_mappings:"${BACKENDS.vm2}"="ls1-vm2:${SRC_IP}"`,
    ]);
    await env.nbctl([
      '--', '--id=@hc', 'create', 'Load_Balancer_Health_Check', `vip="${VIP}:80"`,
      'options:interval=1', 'options:timeout=1', 'options:success_count=1', 'options:failure_count=1',
      '--', 'add', 'Load_Balancer', 'lb1', 'health_check', '@hc',
    ]);
    await env.nbctl(['ls-lb-add', 'ls1', 'lb1']);
    // The fixture itself.
    const [lb] = await env.query('nb', 'Load_Balancer', { columns: ['ip_port_mappings', 'health_check', 'vips'] });
    expect(asMap(lb?.ip_port_mappings)).toEqual({ [BACKENDS.vm1]: `ls1-vm1:${SRC_IP}`, [BACKENDS.vm2]: `ls1-vm2:${SRC_IP}` });
    const hcs = await env.query('nb', 'Load_Balancer_Health_Check');
    expect(hcs.map((h) => [h.vip, asMap(h.options)])).toEqual([
      [`${VIP}:80`, { interval: '1', timeout: '1', success_count: '1', failure_count: '1' }],
    ]);
    expect(lb?.health_check).toBe(hcs[0]!._uuid);

    const ch = await env.addChassis('node1');
    client = await ch.addVm('client', { lsp: 'ls1-client', mac: '02:ac:10:01:00:10', ip: '10.0.1.10/24' });
    const vm1 = await ch.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:ac:10:01:00:11', ip: `${BACKENDS.vm1}/24` });
    vm2 = await ch.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:ac:10:01:00:12', ip: `${BACKENDS.vm2}/24` });
    const fwd = await ch.addVm('fwd', { lsp: 'ls1-fwd', mac: FWD_MAC, ip: '10.0.1.1/24' });
    await fwd.sysctl('net.ipv4.ip_forward', 1);
    await fwd.sysctl('net.ipv4.conf.all.send_redirects', 0);
    await fwd.sysctl(`net.ipv4.conf.${fwd.ifname}.send_redirects`, 0);
    await client.setNeighbour(VIP, FWD_MAC);
    await serveClientAddress(vm1, 8080, 'vm1');
    vm2Server = await startVm2Server();
  });

  /** serveClientAddress for vm2, keeping the child so that the test can stop it. */
  async function startVm2Server(): Promise<ChildProcess> {
    const code =
      `const [port,ppid,tag]=process.argv.slice(1);` +
      `const s=require('http').createServer((q,r)=>{r.setHeader('connection','close');r.end(tag+' '+q.socket.remoteAddress.replace(/^::ffff:/,''))});` +
      `s.listen(+port,'0.0.0.0',()=>console.log('listening'));` +
      `setInterval(()=>{try{process.kill(+ppid,0)}catch{process.exit(0)}},1000);`;
    return env.spawnUntil('ip', ['netns', 'exec', vm2.ns, process.execPath, '-e', code, '8080', String(process.pid), 'vm2'], /listening/);
  }

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('svc_monitor_mac is set and SB has an online Service_Monitor per backend (tcp 8080, its port, src_ip 10.0.1.2)', async () => {
    let mac = '';
    await waitFor(
      async () => {
        const [g] = await env.query('nb', 'NB_Global', { columns: ['options'] });
        mac = asMap(g?.options).svc_monitor_mac ?? '';
        return mac !== '';
      },
      { timeoutMs: 15_000, intervalMs: 200, what: 'NB_Global options:svc_monitor_mac' },
    ).catch(() => undefined);
    expect(mac, 'NB_Global options:svc_monitor_mac').toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    let rows: Row[] = [];
    await waitFor(
      async () => {
        rows = await monitors();
        return rows.length >= 2 && rows.every((r) => r.status === 'online');
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'two online Service_Monitor rows' },
    ).catch(() => undefined);
    const shape = rows
      .map((r) => ({ ip: r.ip, port: r.port, protocol: r.protocol, logical_port: r.logical_port, src_ip: r.src_ip, src_mac: r.src_mac }))
      .sort((a, b) => String(a.ip).localeCompare(String(b.ip)));
    expect(shape, describeMonitors(rows)).toEqual([
      { ip: BACKENDS.vm1, port: 8080, protocol: 'tcp', logical_port: 'ls1-vm1', src_ip: SRC_IP, src_mac: mac },
      { ip: BACKENDS.vm2, port: 8080, protocol: 'tcp', logical_port: 'ls1-vm2', src_ip: SRC_IP, src_mac: mac },
    ]);
    expect(rows.map((r) => r.status), describeMonitors(rows)).toEqual(['online', 'online']);
    // The check's options are copied onto each monitor.
    for (const r of rows) {
      expect(asMap(r.options), describeMonitors(rows)).toMatchObject({ interval: '1', timeout: '1', success_count: '1', failure_count: '1' });
    }
  });

  it('HTTP to the VIP reaches both backends', async () => {
    const first = await client.waitHttp(`http://${VIP}/`, 15_000);
    expect(first.body).toMatch(/^vm[12] 10\.0\.1\.10$/);
    const results = await client.httpGetMany(`http://${VIP}/`, 20, 1500);
    const who = whoAnswered(results);
    expect(who.filter((w) => w === 'vm1' || w === 'vm2').length, who.join(', ')).toBeGreaterThanOrEqual(18);
    expect([...new Set(who.filter((w) => !w.startsWith('error')))].sort(), who.join(', ')).toEqual(['vm1', 'vm2']);
  });

  it('with vm2 down its monitor goes offline and every new connection to the VIP is answered by vm1', async () => {
    // Precondition: vm2 is up and online right now.
    const before = await monitors();
    expect(before.find((r) => r.ip === BACKENDS.vm2)?.status, describeMonitors(before)).toBe('online');
    expect(vm2Server, 'vm2 server').toBeDefined();
    vm2Server!.kill('SIGKILL');
    await new Promise<void>((resolve) => (vm2Server!.exitCode !== null || vm2Server!.signalCode !== null ? resolve() : vm2Server!.once('exit', () => resolve())));
    vm2Server = undefined;
    expect(await client.tcpConnect(BACKENDS.vm2, 8080, 1000), 'vm2:8080 once stopped').toBe('refused');

    const rows = await waitStatus(BACKENDS.vm2, 'offline', 10_000);
    expect(rows.find((r) => r.ip === BACKENDS.vm2)?.status, describeMonitors(rows)).toBe('offline');
    expect(rows.find((r) => r.ip === BACKENDS.vm1)?.status, describeMonitors(rows)).toBe('online');
    // northd drops the offline backend from the VIP's flow; then wait for the chassis to have it.
    const actions = await waitVipBackends([BACKENDS.vm1], 10_000);
    expect(actions.length, JSON.stringify(actions)).toBeGreaterThan(0);
    for (const a of actions) expect(a, JSON.stringify(actions)).toContain(`backends=${BACKENDS.vm1}:8080);`);
    await env.nbctl(['--wait=hv', 'sync'], { timeoutMs: 10_000 });

    const results = await client.httpGetMany(`http://${VIP}/`, 10, 1500);
    expect(whoAnswered(results)).toEqual(Array(10).fill('vm1'));
  });

  it('with vm2 serving again its monitor goes online and both backends answer', async () => {
    // Precondition: vm2 is offline right now.
    const before = await monitors();
    expect(before.find((r) => r.ip === BACKENDS.vm2)?.status, describeMonitors(before)).toBe('offline');
    vm2Server = await startVm2Server();
    const rows = await waitStatus(BACKENDS.vm2, 'online', 10_000);
    expect(rows.find((r) => r.ip === BACKENDS.vm2)?.status, describeMonitors(rows)).toBe('online');
    const actions = await waitVipBackends([BACKENDS.vm1, BACKENDS.vm2], 10_000);
    expect(actions.length, JSON.stringify(actions)).toBeGreaterThan(0);
    for (const a of actions) expect(a, JSON.stringify(actions)).toContain(`backends=${BACKENDS.vm1}:8080,${BACKENDS.vm2}:8080);`);
    await env.nbctl(['--wait=hv', 'sync'], { timeoutMs: 10_000 });
    const results = await client.httpGetMany(`http://${VIP}/`, 20, 1500);
    const who = whoAnswered(results);
    expect(who.filter((w) => w === 'vm1' || w === 'vm2').length, who.join(', ')).toBeGreaterThanOrEqual(18);
    expect([...new Set(who.filter((w) => !w.startsWith('error')))].sort(), who.join(', ')).toEqual(['vm1', 'vm2']);
  });
});
