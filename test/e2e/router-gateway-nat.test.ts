/**
 * NAT on a gateway router, seen from an external host on the physical network.
 *
 *   ext host 172.16.0.100 (netns on node1's br-phys; no route to 10.0.1.0/24)
 *      │ br-phys (ovn-bridge-mappings physnet1:br-phys)
 *   ext ── ln-ext (localnet, network_name=physnet1)
 *      │ gw1-ext 172.16.0.1/24
 *   [gw1]  gateway router, options:chassis=node1
 *          snat 10.0.1.0/24 → 172.16.0.50; dnat_and_snat 172.16.0.60 ↔ 10.0.1.20 (a floating IP)
 *      │ gw1-ls1 10.0.1.1/24
 *   ls1 ── vm1 10.0.1.10, vm2 10.0.1.20 (node1)
 *
 * - the host's ARP for the SNAT and the floating IP is answered with gw1-ext's MAC (the router's
 *   priority-90 ARP replies for NAT addresses), not for an address no rule names;
 * - vm1's connection to an HTTP server on the host arrives from 172.16.0.50 (SNAT);
 * - the host reaches vm2 through its floating IP 172.16.0.60 (DNAT: ping, and HTTP served by
 *   vm2), and vm2's own connection to the host arrives from 172.16.0.60, not from the SNAT address;
 * - the host cannot reach vm1 (it has no route to 10.0.1.0/24 and vm1 has no floating IP).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { localnetSwitch, pingSome, routerPort, serveClientAddress, vmPort, waitPingTtl } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const GW_EXT_MAC = '02:00:00:00:ff:01';

describe.skipIf(!!skip).sequential(`e2e gateway router NAT (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let host: Vm;
  let vm1: Vm;
  let vm2: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'router-gateway-nat' });
    await env.startNorthd(kind);
    await env.nbctl([
      ...localnetSwitch('ext', 'ln-ext', 'physnet1'),
      '--', 'ls-add', 'ls1',
      '--', 'lr-add', 'gw1',
      '--', 'set', 'Logical_Router', 'gw1', 'options:chassis=node1',
      ...routerPort('gw1', 'ext', 'gw1-ext', GW_EXT_MAC, '172.16.0.1/24'),
      ...routerPort('gw1', 'ls1', 'gw1-ls1', '02:00:00:00:01:01', '10.0.1.1/24'),
      ...vmPort('ls1', 'ls1-vm1', '02:00:00:01:00:10', '10.0.1.10'),
      ...vmPort('ls1', 'ls1-vm2', '02:00:00:01:00:20', '10.0.1.20'),
      '--', 'lr-nat-add', 'gw1', 'snat', '172.16.0.50', '10.0.1.0/24',
      '--', 'lr-nat-add', 'gw1', 'dnat_and_snat', '172.16.0.60', '10.0.1.20',
    ]);
    const node1 = await env.addChassis('node1', { bridgeMappings: { physnet1: 'br-phys' } });
    host = await node1.addPhysHost('ext', { bridge: 'br-phys', mac: '0a:00:00:00:00:64', ip: '172.16.0.100/24' });
    vm1 = await node1.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:00:00:01:00:10', ip: '10.0.1.10/24', gateway: '10.0.1.1' });
    vm2 = await node1.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:00:00:01:00:20', ip: '10.0.1.20/24', gateway: '10.0.1.1' });
    await serveClientAddress(host, 8080);
    await vm2.serveHttp(80, 'vm2');
    await env.waitLspUp('ls1-vm2', 20_000);
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it("the host's ARP for the SNAT address and the floating IP gets gw1-ext's MAC, not for other addresses", async () => {
    await waitPingTtl(host, '172.16.0.1', 20_000);
    for (const ip of ['172.16.0.50', '172.16.0.60']) {
      const r = await host.arping(ip);
      expect(r.replies, r.output).not.toHaveLength(0);
      expect(new Set(r.replies), r.output).toEqual(new Set([GW_EXT_MAC]));
    }
    const none = await host.arping('172.16.0.70', 2, 2);
    expect(none.replies, none.output).toHaveLength(0);
  });

  it("vm1's connection reaches the host from the SNAT address 172.16.0.50", async () => {
    const r = await vm1.waitHttp('http://172.16.0.100:8080/', 15_000);
    expect(r.body).toBe('172.16.0.50');
  });

  it('the host reaches vm2 through its floating IP 172.16.0.60 (ping and HTTP)', async () => {
    const p = await waitPingTtl(host, '172.16.0.60', 15_000);
    expect(p.ok, p.output).toBe(true);
    const r = await host.waitHttp('http://172.16.0.60/', 15_000);
    expect(r.body).toBe('vm2');
  });

  it("vm2's own connection reaches the host from its floating IP, not from the SNAT address", async () => {
    const r = await vm2.waitHttp('http://172.16.0.100:8080/', 15_000);
    expect(r.body).toBe('172.16.0.60');
  });

  it('the host cannot reach vm1, which has no floating IP (and the host no route to 10.0.1.0/24)', async () => {
    const p = await pingSome(host, '10.0.1.10', 2, 2);
    expect(p.ok, p.output).toBe(false);
  });
});
