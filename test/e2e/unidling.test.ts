/**
 * Unidling (seeds 000/002): NB_Global options:controller_event=true and a load balancer whose VIP
 * 192.168.1.100:80 has no backends, on the client's switch. A TCP SYN to the VIP hits the
 * ls_in_pre_lb `trigger_event(event = "empty_lb_backends", …)` flow and ovn-controller inserts a
 * SB Controller_Event{event_type=empty_lb_backends, event_info={vip, protocol, load_balancer}}.
 * Then the CMS "restarts the service": a backend is added and HTTP to the VIP is answered.
 *
 * The VIP is in the switch's own subnet and nothing answers ARP for it, so the client gets a
 * static neighbour entry for the VIP pointing at the (future) backend's MAC: the LB DNATs the IP,
 * the L2 lookup then delivers by that MAC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asArray, asMap, E2E, e2eSkipReason, northdKindFromEnv, waitFor, type Row, type Vm } from './harness.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const VIP = '192.168.1.100';
const BACKEND_MAC = '00:00:00:00:00:12';

describe.skipIf(!!skip).sequential(`e2e unidling / Controller_Event (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let client: Vm;
  let server: Vm;
  let lbUuid: string;

  beforeAll(async () => {
    env = await E2E.create({ label: 'unidling' });
    await env.startNorthd(kind);
    await env.nbctl(['set', 'NB_Global', '.', 'options:controller_event=true']);
    await env.nbctl([
      'ls-add', 'sw0',
      '--', 'lsp-add', 'sw0', 'sw0-p0',
      '--', 'lsp-set-addresses', 'sw0-p0', '00:00:00:00:00:11 192.168.1.11',
      '--', 'lsp-add', 'sw0', 'sw0-p1',
      '--', 'lsp-set-addresses', 'sw0-p1', `${BACKEND_MAC} 192.168.1.12`,
    ]);
    lbUuid = await env.nbctl(['create', 'Load_Balancer', 'name=lb0', 'protocol=tcp', `vips:"${VIP}:80"=""`]);
    expect(lbUuid).toMatch(/^[0-9a-f-]{36}$/);
    await env.nbctl(['ls-lb-add', 'sw0', lbUuid]);
    const ch = await env.addChassis('node1');
    client = await ch.addVm('p0', { lsp: 'sw0-p0', mac: '00:00:00:00:00:11', ip: '192.168.1.11/24' });
    server = await ch.addVm('p1', { lsp: 'sw0-p1', mac: BACKEND_MAC, ip: '192.168.1.12/24' });
    await client.setNeighbour(VIP, BACKEND_MAC);
    await server.serveHttp(80, 'woken up');
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('a TCP SYN to the empty VIP makes ovn-controller insert a Controller_Event', async () => {
    // Keep sending SYNs until the event shows up (the first ones may precede the port wiring).
    expect(await env.query('sb', 'Controller_Event'), 'no event before any SYN').toHaveLength(0);
    const attempts: string[] = [];
    const ev = await waitFor(
      async () => {
        attempts.push(await client.tcpConnect(VIP, 80, 500));
        const rows = await env.query('sb', 'Controller_Event');
        return rows.find((r) => r.event_type === 'empty_lb_backends');
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'SB Controller_Event empty_lb_backends' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; connect attempts: ${attempts.slice(-5).join(', ')}`);
    });
    const info = asMap((ev as Row).event_info);
    expect(info).toEqual({ vip: `${VIP}:80`, protocol: 'tcp', load_balancer: lbUuid });
    expect(asArray((ev as Row).chassis)).toHaveLength(1);
  });

  it('after the CMS adds a backend, HTTP to the VIP is answered', async () => {
    await env.nbctl(['set', 'Load_Balancer', lbUuid, `vips:"${VIP}:80"="192.168.1.12:80"`]);
    const r = await client.waitHttp(`http://${VIP}/`, 15_000);
    expect(r.status).toBe(200);
    expect(r.body).toBe('woken up');
  });
});
