/**
 * Port-group ACLs shaped like a Kubernetes network policy: one switch ls1 (10.0.0.0/24), two HTTP
 * servers in port group pg_servers, three clients:
 * - `allowed` (10.0.0.21), listed in address set `allowed_clients`;
 * - `member` (10.0.0.23), the only port of port group pg_clients2, so allowed through the address
 *   set northd derives from that port group, `$pg_clients2_ip4`;
 * - `other` (10.0.0.22), in neither.
 * ACLs on pg_servers: to-lport 1000 `outport == @pg_servers && ip4` drop (default deny), and two
 * to-lport 1001 allow-related ACLs for `ip4.src == $allowed_clients` and `ip4.src ==
 * $pg_clients2_ip4`.
 *
 * ovn-controller resolves `@pg_servers` through SB Port_Group and `$…` through SB Address_Set; a
 * logical flow naming one that does not exist fails to parse and is skipped, so without them the
 * drop is never installed and `other` gets through.
 *
 * Every NB change is followed by `ovn-nbctl --wait=hv sync`, so the flows are on the chassis
 * before the packets are sent. A drop is silent (no ICMP/RST): "blocked" means `ping -c 3 -w 3`
 * gets no reply and a TCP SYN times out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const PORT = 8080;
const DROP_MATCH = 'outport == @pg_servers && ip4';

/** `ping -c 3 -w 3`: true if at least one reply came back (bounded: ≤ 3 s + slack). */
async function pingSome(vm: Vm, dst: string): Promise<{ ok: boolean; output: string }> {
  const r = await vm.exec('ping', ['-n', '-c', '3', '-w', '3', dst], { timeoutMs: 8000 });
  return { ok: r.code === 0, output: `${vm.name} → ${dst}: exit ${r.code}\n${r.stdout}${r.stderr}` };
}

describe.skipIf(!!skip).sequential(`e2e port-group ACLs (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let servers: Vm[];
  let allowed: Vm;
  let other: Vm;
  let member: Vm;

  /** NB change, then wait until every chassis has the resulting flows. */
  async function nbChange(args: string[]): Promise<void> {
    await env.nbctl(args);
    await env.nbctl(['--wait=hv', 'sync'], { timeoutMs: 15_000 });
  }

  /** `client` reaches every server: ping, then HTTP (a TCP connection with its replies). */
  async function expectReachesServers(client: Vm, timeoutMs: number): Promise<void> {
    for (const s of servers) {
      await client.waitPing(s.ip, timeoutMs);
      const r = await client.waitHttp(`http://${s.ip}:${PORT}/`, timeoutMs);
      expect(r.body).toBe(s.name);
    }
  }

  /** `client` reaches no server: no ping reply within 3 s, and a TCP SYN is neither answered nor refused. */
  async function expectBlockedFromServers(client: Vm): Promise<void> {
    const results = await Promise.all(
      servers.map(async (s) => ({
        ping: await pingSome(client, s.ip),
        tcp: await client.tcpConnect(s.ip, PORT, 1500),
        server: s,
      })),
    );
    for (const { ping, tcp, server } of results) {
      expect(ping.ok, ping.output).toBe(false);
      expect(ping.output, ping.output).toMatch(/ 0 received/);
      expect(tcp, `${client.name} → ${server.ip}:${PORT}`).toBe('timeout');
    }
  }

  beforeAll(async () => {
    env = await E2E.create({ label: 'acl-port-group' });
    await env.startNorthd(kind);
    const ports: [string, string, string][] = [
      ['ls1-server1', '02:ac:10:00:00:11', '10.0.0.11'],
      ['ls1-server2', '02:ac:10:00:00:12', '10.0.0.12'],
      ['ls1-allowed', '02:ac:10:00:00:21', '10.0.0.21'],
      ['ls1-other', '02:ac:10:00:00:22', '10.0.0.22'],
      ['ls1-member', '02:ac:10:00:00:23', '10.0.0.23'],
    ];
    await env.nbctl([
      'ls-add', 'ls1',
      ...ports.flatMap(([lsp, mac, ip]) => ['--', 'lsp-add', 'ls1', lsp, '--', 'lsp-set-addresses', lsp, `${mac} ${ip}`]),
    ]);
    const ch = await env.addChassis('node1');
    const vms = new Map<string, Vm>();
    for (const [lsp, mac, ip] of ports) {
      const name = lsp.replace(/^ls1-/, '');
      vms.set(name, await ch.addVm(name, { lsp, mac, ip: `${ip}/24` }));
    }
    servers = [vms.get('server1')!, vms.get('server2')!];
    allowed = vms.get('allowed')!;
    other = vms.get('other')!;
    member = vms.get('member')!;
    for (const s of servers) await s.serveHttp(PORT, s.name);
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('baseline: without ACLs every client reaches both servers (ping and HTTP)', async () => {
    await expectReachesServers(allowed, 20_000);
    await expectReachesServers(other, 10_000);
    await expectReachesServers(member, 10_000);
  });

  it('with the port-group ACLs, the client in address set allowed_clients reaches both servers', async () => {
    await env.nbctl(['pg-add', 'pg_servers', 'ls1-server1', 'ls1-server2']);
    await env.nbctl(['pg-add', 'pg_clients2', 'ls1-member']);
    await env.nbctl(['create', 'Address_Set', 'name=allowed_clients', `addresses="${allowed.ip}"`]);
    await env.nbctl(['--type=port-group', 'acl-add', 'pg_servers', 'to-lport', '1000', DROP_MATCH, 'drop']);
    await env.nbctl([
      '--type=port-group', 'acl-add', 'pg_servers', 'to-lport', '1001',
      'outport == @pg_servers && ip4 && ip4.src == $allowed_clients', 'allow-related',
    ]);
    await nbChange([
      '--type=port-group', 'acl-add', 'pg_servers', 'to-lport', '1001',
      'outport == @pg_servers && ip4 && ip4.src == $pg_clients2_ip4', 'allow-related',
    ]);
    expect((await env.query('nb', 'ACL', { columns: ['_uuid'] })).length).toBe(3);
    await expectReachesServers(allowed, 10_000);
  });

  it('the client in port group pg_clients2 reaches both servers ($pg_clients2_ip4)', async () => {
    await expectReachesServers(member, 10_000);
  });

  it('the other client is dropped on its way to both servers, but still reaches a non-server port', async () => {
    await expectBlockedFromServers(other);
    // Control: its port itself works (the ACLs only apply to traffic to pg_servers' ports).
    expect(await other.pingOnce(allowed.ip), `ping ${other.ip} → ${allowed.ip}`).toBe(true);
  });

  it('after deleting the drop ACL the other client reaches both servers again', async () => {
    await nbChange(['--type=port-group', 'acl-del', 'pg_servers', 'to-lport', '1000', DROP_MATCH]);
    expect((await env.query('nb', 'ACL', { columns: ['_uuid'] })).length).toBe(2);
    await expectReachesServers(other, 10_000);
    // The allow-related ACLs are still there and still let the others through.
    await expectReachesServers(allowed, 10_000);
    await expectReachesServers(member, 10_000);
  });
});
