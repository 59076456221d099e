/**
 * Seed network: switch ls1 with two port-secured VMs on one chassis.
 * - ping both ways; both LSPs' NB `up` becomes true (northd write-back);
 * - ARP answered by OVN's ls_in_arp_rsp responder: for an LSP address with no VM behind it at all,
 *   and for a VM whose kernel ignores ARP (arp_ignore=8); an address no LSP owns stays unanswered;
 * - `ovn-nbctl --wait=sb sync` / `--wait=hv sync` return promptly and nb_cfg propagates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMap, E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

describe.skipIf(!!skip).sequential(`e2e seed network (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let vm1: Vm;
  let vm2: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'seed-network' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'lsp-add', 'ls1', 'ls1-node1-ns1',
      '--', 'lsp-set-addresses', 'ls1-node1-ns1', '00:00:00:00:00:01 192.168.1.10',
      '--', 'lsp-set-port-security', 'ls1-node1-ns1', '00:00:00:00:00:01 192.168.1.10',
      '--', 'lsp-add', 'ls1', 'ls1-node2-ns1',
      '--', 'lsp-set-addresses', 'ls1-node2-ns1', '00:00:00:00:00:02 192.168.1.20',
      '--', 'lsp-set-port-security', 'ls1-node2-ns1', '00:00:00:00:00:02 192.168.1.20',
      // An LSP with an address but no VM behind it: only OVN can answer ARP for 192.168.1.30.
      '--', 'lsp-add', 'ls1', 'ls1-node3-ns1',
      '--', 'lsp-set-addresses', 'ls1-node3-ns1', '00:00:00:00:00:03 192.168.1.30',
    ]);
    const ch = await env.addChassis('node1');
    vm1 = await ch.addVm('ns1', { lsp: 'ls1-node1-ns1', mac: '00:00:00:00:00:01', ip: '192.168.1.10/24' });
    vm2 = await ch.addVm('ns2', { lsp: 'ls1-node2-ns1', mac: '00:00:00:00:00:02', ip: '192.168.1.20/24' });
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('both LSPs become up=true in NB', async () => {
    await env.waitLspUp('ls1-node1-ns1', 20_000);
    await env.waitLspUp('ls1-node2-ns1', 10_000);
    expect((await env.lsp('ls1-node1-ns1'))?.up).toBe(true);
    expect((await env.lsp('ls1-node2-ns1'))?.up).toBe(true);
    // The port without a VM is bound nowhere, so it must not be up.
    expect((await env.lsp('ls1-node3-ns1'))?.up).not.toBe(true);
  });

  it('ping works both ways', async () => {
    await vm1.waitPing('192.168.1.20', 15_000);
    await vm2.waitPing('192.168.1.10', 10_000);
    expect(await vm1.pingOnce('192.168.1.20')).toBe(true);
    expect(await vm2.pingOnce('192.168.1.10')).toBe(true);
  });

  it('OVN answers ARP for an LSP address that has no VM at all, and only for LSP addresses', async () => {
    const r = await vm1.arping('192.168.1.30');
    expect(r.replies, r.output).not.toHaveLength(0);
    expect(new Set(r.replies), r.output).toEqual(new Set(['00:00:00:00:00:03']));
    // Negative control: nothing in this sandbox answers ARP for an address that no LSP owns, so
    // the reply above can only come from OVN's ARP responder.
    const none = await vm1.arping('192.168.1.99', 2, 2);
    expect(none.replies, none.output).toHaveLength(0);
  });

  it('OVN answers ARP for a VM whose kernel ignores ARP', async () => {
    // arp_ignore=8: the kernel of vm2 never replies to ARP requests.
    await vm2.sysctl(`net.ipv4.conf.all.arp_ignore`, 8);
    await vm2.sysctl(`net.ipv4.conf.${vm2.ifname}.arp_ignore`, 8);
    const r = await vm1.arping('192.168.1.20');
    expect(r.replies, r.output).not.toHaveLength(0);
    expect(new Set(r.replies), r.output).toEqual(new Set(['00:00:00:00:00:02']));
  });

  it('ovn-nbctl --wait=sb sync and --wait=hv sync return promptly and propagate nb_cfg', async () => {
    let t0 = Date.now();
    await env.nbctl(['--wait=sb', 'sync'], { timeoutMs: 10_000 });
    const sbMs = Date.now() - t0;
    t0 = Date.now();
    await env.nbctl(['--wait=hv', 'sync'], { timeoutMs: 10_000 });
    const hvMs = Date.now() - t0;
    expect(sbMs).toBeLessThan(5000);
    expect(hvMs).toBeLessThan(5000);
    const [nb] = await env.query('nb', 'NB_Global', { columns: ['nb_cfg', 'sb_cfg', 'hv_cfg'] });
    expect(nb, 'NB_Global').toBeDefined();
    expect(nb!.nb_cfg as number).toBeGreaterThanOrEqual(2);
    expect(nb!.sb_cfg).toBe(nb!.nb_cfg);
    expect(nb!.hv_cfg).toBe(nb!.nb_cfg);
    const [sb] = await env.query('sb', 'SB_Global', { columns: ['nb_cfg', 'options'] });
    expect(sb?.nb_cfg).toBe(nb!.nb_cfg);
    expect(asMap(sb?.options)).toBeDefined();
  });
});
