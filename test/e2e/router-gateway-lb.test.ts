/**
 * Load balancers on a gateway router (seeds 002/003: `ovn-nbctl set logical_router gw1
 * load_balancer=<uuid>`), reached from an external host on the physical network.
 *
 *   ext host 172.16.0.100 (netns on node1's br-phys; no route to 10.0.1.0/24)
 *      │ br-phys (ovn-bridge-mappings physnet1:br-phys)
 *   ext ── ln-ext (localnet, network_name=physnet1)
 *      │ gw1-ext 172.16.0.1/24
 *   [gw1]  gateway router, options:chassis=node1, options:lb_force_snat_ip=router_ip
 *          lb-web  172.16.0.200:80 → 10.0.1.10:80, 10.0.1.20:80
 *          lb-idle 172.16.0.201:80 → (no backends), NB_Global options:controller_event=true
 *      │ gw1-ls1 10.0.1.1/24
 *   ls1 ── vm1 10.0.1.10, vm2 10.0.1.20 (node1; HTTP servers answering their names)
 *
 * - the host's ARP for the VIP is answered with gw1-ext's MAC (the router's `_rtr_lb_*` set);
 * - HTTP requests from the host to the VIP reach both backends (new connections, new ports);
 * - the backends see the request come from the router's own address (lb_force_snat_ip=router_ip);
 * - a SYN to the VIP without backends makes ovn-controller write Controller_Event
 *   {empty_lb_backends} naming the VIP, the protocol and the load balancer; once a backend is
 *   added, the VIP answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMap, E2E, e2eSkipReason, northdKindFromEnv, waitFor, type Row, type Vm } from './harness.js';
import { localnetSwitch, routerPort, serveClientAddress, vmPort, waitPingTtl } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const GW_EXT_MAC = '02:00:00:00:ff:01';

describe.skipIf(!!skip).sequential(`e2e gateway router load balancers (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let host: Vm;
  let vm1: Vm;
  let vm2: Vm;
  let idleLb: string;

  beforeAll(async () => {
    env = await E2E.create({ label: 'router-gateway-lb' });
    await env.startNorthd(kind);
    await env.nbctl(['set', 'NB_Global', '.', 'options:controller_event=true']);
    await env.nbctl([
      ...localnetSwitch('ext', 'ln-ext', 'physnet1'),
      '--', 'ls-add', 'ls1',
      '--', 'lr-add', 'gw1',
      '--', 'set', 'Logical_Router', 'gw1', 'options:chassis=node1', 'options:lb_force_snat_ip=router_ip',
      ...routerPort('gw1', 'ext', 'gw1-ext', GW_EXT_MAC, '172.16.0.1/24'),
      ...routerPort('gw1', 'ls1', 'gw1-ls1', '02:00:00:00:01:01', '10.0.1.1/24'),
      ...vmPort('ls1', 'ls1-vm1', '02:00:00:01:00:10', '10.0.1.10'),
      ...vmPort('ls1', 'ls1-vm2', '02:00:00:01:00:20', '10.0.1.20'),
      '--', 'lb-add', 'lb-web', '172.16.0.200:80', '10.0.1.10:80,10.0.1.20:80', 'tcp',
      '--', 'lr-lb-add', 'gw1', 'lb-web',
    ]);
    idleLb = await env.nbctl(['create', 'Load_Balancer', 'name=lb-idle', 'protocol=tcp', 'vips:"172.16.0.201:80"=""']);
    await env.nbctl(['lr-lb-add', 'gw1', idleLb]);
    const node1 = await env.addChassis('node1', { bridgeMappings: { physnet1: 'br-phys' } });
    host = await node1.addPhysHost('ext', { bridge: 'br-phys', mac: '0a:00:00:00:00:64', ip: '172.16.0.100/24' });
    vm1 = await node1.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:00:00:01:00:10', ip: '10.0.1.10/24', gateway: '10.0.1.1' });
    vm2 = await node1.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:00:00:01:00:20', ip: '10.0.1.20/24', gateway: '10.0.1.1' });
    await serveClientAddress(vm1, 80, 'vm1');
    await serveClientAddress(vm2, 80, 'vm2');
    await env.waitLspUp('ls1-vm2', 20_000);
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it("the host's ARP for the VIP gets gw1-ext's MAC", async () => {
    await waitPingTtl(host, '172.16.0.1', 20_000);
    const r = await host.arping('172.16.0.200');
    expect(r.replies, r.output).not.toHaveLength(0);
    expect(new Set(r.replies), r.output).toEqual(new Set([GW_EXT_MAC]));
  });

  it('HTTP from the host to the VIP reaches both backends, from the router address (lb_force_snat_ip=router_ip)', async () => {
    await host.waitHttp('http://172.16.0.200/', 15_000);
    const rs = await host.httpGetMany('http://172.16.0.200/', 20);
    expect(rs.every((r) => r.ok), JSON.stringify(rs.filter((r) => !r.ok).slice(0, 3))).toBe(true);
    // Both backends answer, each with the address it saw: the router's port on their network.
    expect(new Set(rs.map((r) => r.body))).toEqual(new Set(['vm1 10.0.1.1', 'vm2 10.0.1.1']));
  });

  it('a SYN to the VIP without backends gives Controller_Event{empty_lb_backends}; with a backend it answers', async () => {
    const ev = await waitFor(
      async () => {
        await host.tcpConnect('172.16.0.201', 80, 500);
        const rows = await env.query('sb', 'Controller_Event');
        return rows.find((r) => r.event_type === 'empty_lb_backends');
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'SB Controller_Event empty_lb_backends' },
    );
    expect(asMap((ev as Row).event_info)).toEqual({ vip: '172.16.0.201:80', protocol: 'tcp', load_balancer: idleLb });
    await env.nbctl(['set', 'Load_Balancer', idleLb, 'vips:"172.16.0.201:80"="10.0.1.10:80"']);
    const r = await host.waitHttp('http://172.16.0.201/', 15_000);
    expect(r.body).toBe('vm1 10.0.1.1');
  });
});
