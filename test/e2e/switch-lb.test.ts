/**
 * Switch load balancer (seed 003): backends vm1/vm2 on ls1 (192.168.100.0/24), client vm3 on ls2
 * (192.168.101.0/24), router1 between them, and a TCP load balancer on the *client's* switch with
 * the off-subnet VIP 10.254.10.10:80 → 192.168.100.10:8000, 192.168.100.11:8000. The client
 * reaches the VIP through its default gateway (so no ARP for the VIP is needed); ls2's ingress
 * pipeline DNATs to a backend, the router routes, the reply is un-NATed on ls2's egress.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

describe.skipIf(!!skip).sequential(`e2e switch load balancer (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let vm1: Vm;
  let vm2: Vm;
  let client: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'switch-lb' });
    await env.startNorthd(kind);
    await env.nbctl([
      'lr-add', 'router1',
      '--', 'lrp-add', 'router1', 'router1-ls1', '02:ac:10:ff:00:01', '192.168.100.1/24',
      '--', 'lrp-add', 'router1', 'router1-ls2', '02:ac:10:ff:01:01', '192.168.101.1/24',
      '--', 'ls-add', 'ls1',
      '--', 'lsp-add', 'ls1', 'ls1-router1',
      '--', 'lsp-set-type', 'ls1-router1', 'router',
      '--', 'lsp-set-addresses', 'ls1-router1', 'router',
      '--', 'lsp-set-options', 'ls1-router1', 'router-port=router1-ls1',
      '--', 'lsp-add', 'ls1', 'ls1-vm1',
      '--', 'lsp-set-addresses', 'ls1-vm1', '02:ac:10:ff:00:11 192.168.100.10',
      '--', 'lsp-add', 'ls1', 'ls1-vm2',
      '--', 'lsp-set-addresses', 'ls1-vm2', '02:ac:10:ff:00:22 192.168.100.11',
      '--', 'ls-add', 'ls2',
      '--', 'lsp-add', 'ls2', 'ls2-router1',
      '--', 'lsp-set-type', 'ls2-router1', 'router',
      '--', 'lsp-set-addresses', 'ls2-router1', 'router',
      '--', 'lsp-set-options', 'ls2-router1', 'router-port=router1-ls2',
      '--', 'lsp-add', 'ls2', 'ls2-vm3',
      '--', 'lsp-set-addresses', 'ls2-vm3', '02:ac:10:ff:00:33 192.168.101.10',
    ]);
    await env.nbctl(['lb-add', 'lb1', '10.254.10.10:80', '192.168.100.10:8000,192.168.100.11:8000', 'tcp']);
    await env.nbctl(['ls-lb-add', 'ls2', 'lb1']);
    const ch = await env.addChassis('node1');
    vm1 = await ch.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:ac:10:ff:00:11', ip: '192.168.100.10/24', gateway: '192.168.100.1' });
    vm2 = await ch.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:ac:10:ff:00:22', ip: '192.168.100.11/24', gateway: '192.168.100.1' });
    client = await ch.addVm('vm3', { lsp: 'ls2-vm3', mac: '02:ac:10:ff:00:33', ip: '192.168.101.10/24', gateway: '192.168.101.1' });
    await vm1.serveHttp(8000, 'backend vm1');
    await vm2.serveHttp(8000, 'backend vm2');
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('the client reaches a backend directly through router1 (baseline)', async () => {
    const r = await client.waitHttp('http://192.168.100.10:8000/', 20_000);
    expect(r.body).toBe('backend vm1');
  });

  it('HTTP to the VIP is load-balanced over both backends', async () => {
    const first = await client.waitHttp('http://10.254.10.10/', 15_000);
    expect(first.body).toMatch(/^backend vm[12]$/);
    // Each request is a new connection from a new source port: the LB's hash spreads them.
    const results = await client.httpGetMany('http://10.254.10.10/', 20, 2000);
    const seen = new Map<string, number>();
    for (const r of results) if (r.ok) seen.set(r.body!, (seen.get(r.body!) ?? 0) + 1);
    const failures = results.filter((r) => !r.ok).map((r) => r.error ?? '?');
    const why = `answers: ${JSON.stringify([...seen])}, failures: ${failures.join('; ')}`;
    expect(results.length - failures.length, why).toBeGreaterThanOrEqual(15);
    expect([...seen.keys()].sort(), `answers: ${JSON.stringify([...seen])}, failures: ${failures.join('; ')}`).toEqual([
      'backend vm1',
      'backend vm2',
    ]);
  });

  it('the LB port is not served elsewhere: the VIP on another port is not answered', async () => {
    // 10.254.10.10:8000 is not a VIP; without the LB nothing owns 10.254.10.10 at all.
    // (Control for the test above: proves the answers come from the LB's DNAT.)
    const r = await client.httpGet('http://10.254.10.10:8000/', 1500);
    expect(r.ok, JSON.stringify(r)).toBe(false);
    // …and the VIP still works afterwards.
    const ok = await client.httpGet('http://10.254.10.10/', 3000);
    expect(ok.ok, JSON.stringify(ok)).toBe(true);
  });
});
