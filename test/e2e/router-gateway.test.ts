/**
 * Gateway router reached from an external host through a localnet switch (routes only, no NAT).
 *
 *   ext host 172.16.0.100 (netns on node1's br-phys, route 10.0.1.0/24 and 100.64.0.0/24 via 172.16.0.1)
 *      │ br-phys (ovn-bridge-mappings physnet1:br-phys, node1 only)
 *   ext ── ln-ext (localnet, network_name=physnet1)
 *      │ gw1-ext 172.16.0.1/24
 *   [gw1]  gateway router, options:chassis=node1; static route 10.0.1.0/24 via 100.64.0.2
 *      │ gw1-join 100.64.0.1/24
 *   join
 *      │ lr1-join 100.64.0.2/24
 *   [lr1]  distributed router; static route 0.0.0.0/0 via 100.64.0.1
 *      │ lr1-ls1 10.0.1.1/24
 *   ls1 ── vm1 10.0.1.10 (node1), vm2 10.0.1.20 (node2)
 *
 * node1 and node2 are joined by a geneve underlay (see router-two-chassis.test.ts). node2 has no
 * physnet1 mapping, so vm2's traffic to the outside only works if gw1 really runs on node1 alone:
 * lr1 (on node2) hands it to gw1-join, which is bound to node1, so it is tunnelled there.
 *
 * - SB: gw1's ports are `l3gateway` ports bound to node1 (`options:l3gateway-chassis=node1`);
 * - the external host pings gw1's external IP (ttl=254: echo reply with ttl 255, one routing hop)
 *   and its ARP request gets gw1-ext's MAC; an unowned address gets no ARP reply;
 * - with its static routes, the host pings gw1's join IP (254), lr1's IP behind it (253: two
 *   hops back), and both VMs (ttl=62: two routers), and the VMs ping the host (62 too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asArray, asMap, E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { connectUnderlay, localnetSwitch, routerPort, vmPort, waitPingTtl } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const GW_EXT_MAC = '02:00:00:00:ff:01';
const ENCAP1 = '172.31.0.1';
const ENCAP2 = '172.31.0.2';



describe.skipIf(!!skip).sequential(`e2e gateway router via localnet (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let host: Vm;
  let vm1: Vm;
  let vm2: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'router-gateway' });
    await env.startNorthd(kind);
    await env.nbctl([
      ...localnetSwitch('ext', 'ln-ext', 'physnet1'),
      '--', 'ls-add', 'join',
      '--', 'ls-add', 'ls1',
      '--', 'lr-add', 'gw1',
      '--', 'set', 'Logical_Router', 'gw1', 'options:chassis=node1',
      '--', 'lr-add', 'lr1',
      ...routerPort('gw1', 'ext', 'gw1-ext', GW_EXT_MAC, '172.16.0.1/24'),
      ...routerPort('gw1', 'join', 'gw1-join', '02:00:00:00:fe:01', '100.64.0.1/24'),
      ...routerPort('lr1', 'join', 'lr1-join', '02:00:00:00:fe:02', '100.64.0.2/24'),
      ...routerPort('lr1', 'ls1', 'lr1-ls1', '02:00:00:00:01:01', '10.0.1.1/24'),
      '--', 'lr-route-add', 'gw1', '10.0.1.0/24', '100.64.0.2',
      '--', 'lr-route-add', 'lr1', '0.0.0.0/0', '100.64.0.1',
      ...vmPort('ls1', 'ls1-vm1', '02:00:00:01:00:10', '10.0.1.10'),
      ...vmPort('ls1', 'ls1-vm2', '02:00:00:01:00:20', '10.0.1.20'),
    ]);
    const node1 = await env.addChassis('node1', { encapIp: ENCAP1, bridgeMappings: { physnet1: 'br-phys' } });
    const node2 = await env.addChassis('node2', { encapIp: ENCAP2 });
    await connectUnderlay(node1, ENCAP1, node2, ENCAP2);
    host = await node1.addPhysHost('ext', { bridge: 'br-phys', mac: '0a:00:00:00:00:64', ip: '172.16.0.100/24' });
    for (const net of ['10.0.1.0/24', '100.64.0.0/24']) {
      await host.exec('ip', ['route', 'add', net, 'via', '172.16.0.1', 'dev', host.ifname], { check: true });
    }
    vm1 = await node1.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:00:00:01:00:10', ip: '10.0.1.10/24', gateway: '10.0.1.1' });
    vm2 = await node2.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:00:00:01:00:20', ip: '10.0.1.20/24', gateway: '10.0.1.1' });
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it("SB: the gateway router's ports are l3gateway ports bound to node1", async () => {
    const [node1] = await env.query('sb', 'Chassis', { where: [['name', '==', 'node1']], columns: ['_uuid'] });
    expect(node1, 'SB Chassis node1').toBeDefined();
    for (const lp of ['gw1-ext', 'gw1-join']) {
      const where = [['logical_port', '==', lp]];
      const pb = await env.query('sb', 'Port_Binding', { where, columns: ['type', 'options', 'chassis'] });
      expect(pb, `SB Port_Binding ${lp}`).toHaveLength(1);
      expect(pb[0]!.type).toBe('l3gateway');
      expect(asMap(pb[0]!.options)['l3gateway-chassis']).toBe('node1');
    }
    // ovn-controller on node1 claims them.
    await env.waitLspUp('ls1-vm1', 20_000);
    const pb = await env.query('sb', 'Port_Binding', { where: [['logical_port', '==', 'gw1-ext']], columns: ['chassis'] });
    expect(asArray(pb[0]?.chassis)).toEqual([node1!._uuid]);
  });

  it("the external host pings the gateway router's external IP (ttl=254)", async () => {
    const p = await waitPingTtl(host, '172.16.0.1', 20_000);
    expect(p.ttl, p.output).toBe(254);
  });

  it("the external host's ARP for the gateway IP is answered with gw1-ext's MAC, and only for it", async () => {
    const r = await host.arping('172.16.0.1');
    expect(r.replies, r.output).not.toHaveLength(0);
    expect(new Set(r.replies), r.output).toEqual(new Set([GW_EXT_MAC]));
    const none = await host.arping('172.16.0.99', 2, 2);
    expect(none.replies, none.output).toHaveLength(0);
  });

  it('via its static routes the host reaches the join IP (254) and lr1 behind gw1 (253)', async () => {
    const j = await waitPingTtl(host, '100.64.0.1', 10_000);
    expect(j.ttl, j.output).toBe(254);
    const l = await waitPingTtl(host, '10.0.1.1', 10_000);
    expect(l.ttl, l.output).toBe(253);
  });

  it('the host and a VM on the gateway chassis ping each other through both routers (ttl=62)', async () => {
    const p = await waitPingTtl(host, '10.0.1.10', 15_000);
    expect(p.ttl, p.output).toBe(62);
    const q = await waitPingTtl(vm1, '172.16.0.100', 10_000);
    expect(q.ttl, q.output).toBe(62);
  });

  it('the host and a VM on the other chassis ping each other (gw1 on node1 only, tunnelled; ttl=62)', async () => {
    const p = await waitPingTtl(host, '10.0.1.20', 15_000);
    expect(p.ttl, p.output).toBe(62);
    const q = await waitPingTtl(vm2, '172.16.0.100', 10_000);
    expect(q.ttl, q.output).toBe(62);
  });
});
