/**
 * Switch load balancer, no logical router: one switch ls1 (10.0.0.0/24) with a client, two HTTP
 * backends and a TCP load balancer attached to the switch, VIP 10.0.0.100:80 → 10.0.0.11:8080,
 * 10.0.0.12:8080 (on the same subnet).
 *
 * Nothing answers ARP for a same-subnet switch-LB VIP in 23.03, so the client gets a static
 * neighbour entry for the VIP. Its MAC decides where the packet goes: ls_in_lb DNATs the IP at the
 * client's port but leaves eth.dst alone, and ls_in_l2_lkup then delivers by eth.dst. With a
 * backend's MAC every request DNATed to the *other* backend lands on the wrong VM and is dropped
 * (measured: ~half the requests time out, one backend only). So the VIP's MAC is that of a fourth
 * namespace `fwd` on ls1, a plain Linux IP forwarder (ip_forward=1, no redirects) standing in for
 * the router a CMS would put there: it sends the DNATed packet on to whichever backend the LB
 * chose. Replies go straight from the backend to the client and are un-DNATed in the client's
 * conntrack zone (ls_out_pre_stateful ct_lb_mark). Without the LB, `fwd` gets packets for
 * 10.0.0.100, which nobody owns, and the client gets no answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const VIP = '10.0.0.100';
const FWD_MAC = '02:ac:10:00:00:01';

describe.skipIf(!!skip).sequential(`e2e switch load balancer (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let client: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'switch-lb' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'lsp-add', 'ls1', 'ls1-client',
      '--', 'lsp-set-addresses', 'ls1-client', '02:ac:10:00:00:10 10.0.0.10',
      '--', 'lsp-add', 'ls1', 'ls1-vm1',
      '--', 'lsp-set-addresses', 'ls1-vm1', '02:ac:10:00:00:11 10.0.0.11',
      '--', 'lsp-add', 'ls1', 'ls1-vm2',
      '--', 'lsp-set-addresses', 'ls1-vm2', '02:ac:10:00:00:12 10.0.0.12',
      '--', 'lsp-add', 'ls1', 'ls1-fwd',
      '--', 'lsp-set-addresses', 'ls1-fwd', `${FWD_MAC} 10.0.0.1`,
    ]);
    await env.nbctl(['lb-add', 'lb1', `${VIP}:80`, '10.0.0.11:8080,10.0.0.12:8080', 'tcp']);
    await env.nbctl(['ls-lb-add', 'ls1', 'lb1']);
    const ch = await env.addChassis('node1');
    client = await ch.addVm('client', { lsp: 'ls1-client', mac: '02:ac:10:00:00:10', ip: '10.0.0.10/24' });
    const vm1 = await ch.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:ac:10:00:00:11', ip: '10.0.0.11/24' });
    const vm2 = await ch.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:ac:10:00:00:12', ip: '10.0.0.12/24' });
    const fwd = await ch.addVm('fwd', { lsp: 'ls1-fwd', mac: FWD_MAC, ip: '10.0.0.1/24' });
    await fwd.sysctl('net.ipv4.ip_forward', 1);
    // It forwards out of the interface it received on: no ICMP redirects to the client.
    await fwd.sysctl('net.ipv4.conf.all.send_redirects', 0);
    await fwd.sysctl(`net.ipv4.conf.${fwd.ifname}.send_redirects`, 0);
    await client.setNeighbour(VIP, FWD_MAC);
    await vm1.serveHttp(8080, 'backend vm1');
    await vm2.serveHttp(8080, 'backend vm2');
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('the client reaches each backend directly on :8080, and nothing listens on :80 (baseline)', async () => {
    const r1 = await client.waitHttp('http://10.0.0.11:8080/', 20_000);
    expect(r1.body).toBe('backend vm1');
    const r2 = await client.waitHttp('http://10.0.0.12:8080/', 10_000);
    expect(r2.body).toBe('backend vm2');
    // So an answer on VIP:80 needs the LB's port translation 80 → 8080, not just an IP rewrite.
    expect(await client.tcpConnect('10.0.0.11', 80, 1000)).toBe('refused');
    expect(await client.tcpConnect('10.0.0.12', 80, 1000)).toBe('refused');
  });

  it('HTTP to the VIP is load-balanced over both backends', async () => {
    const first = await client.waitHttp(`http://${VIP}/`, 15_000);
    expect(first.body).toMatch(/^backend vm[12]$/);
    // Each request is a new connection from a new source port: the LB's hash spreads them
    // (all 20 on one backend has probability 2^-19).
    const results = await client.httpGetMany(`http://${VIP}/`, 20, 1500);
    const seen = new Map<string, number>();
    for (const r of results) if (r.ok) seen.set(r.body!, (seen.get(r.body!) ?? 0) + 1);
    const failures = results.filter((r) => !r.ok).map((r) => r.error ?? '?');
    const why = `answers: ${JSON.stringify([...seen])}, failures: ${failures.join('; ')}`;
    expect(results.length - failures.length, why).toBeGreaterThanOrEqual(18);
    expect([...seen.keys()].sort(), why).toEqual(['backend vm1', 'backend vm2']);
  });

  it('a VIP port that is not in the LB is not answered', async () => {
    // 10.0.0.100:8080 is not a VIP (the backends do listen on 8080: an LB that ignored the port
    // would answer). Control for the test above: the answers come from the LB's DNAT.
    const r = await client.httpGet(`http://${VIP}:8080/`, 1500);
    expect(r.ok, JSON.stringify(r)).toBe(false);
    // …and the VIP still works afterwards.
    const ok = await client.httpGet(`http://${VIP}/`, 3000);
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
  });
});
