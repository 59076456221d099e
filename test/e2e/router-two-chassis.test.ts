/**
 * Distributed logical router across two chassis. node1 and node2 each run their ovs-vswitchd and
 * ovn-controller in their own netns; their geneve encap IPs (172.31.0.1, 172.31.0.2) sit on a
 * netdev bridge `br-ul` in each netns, joined by a veth pair (see `connectUnderlay`). The only
 * path between VMs of different chassis is that tunnel.
 *
 *   node1: vma 10.0.1.10 (ls1)
 *   node2: vmb 10.0.1.20 (ls1), vmc 10.0.2.10 (ls2)
 *   lr1: lr1-ls1 10.0.1.1/24 ─ lr1-ls2 10.0.2.1/24 (no gateway chassis: fully distributed)
 *
 * - both chassis register with their own geneve encap, and each VM's port is bound on its chassis;
 * - same subnet across the tunnel (control for the underlay): ttl=64 both ways;
 * - different subnets and chassis through lr1: ttl=63 both ways (routed once, on the sender's
 *   chassis, then tunnelled);
 * - the router pipeline also runs on node2: vmc pings 10.0.2.1 (ttl=254) and gets lr1-ls2's MAC
 *   for it by ARP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asArray, E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { connectUnderlay, routerPort, vmPort, waitPingTtl } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const LRP1_MAC = '02:00:00:00:01:01';
const LRP2_MAC = '02:00:00:00:02:01';
const ENCAP1 = '172.31.0.1';
const ENCAP2 = '172.31.0.2';



describe.skipIf(!!skip).sequential(`e2e router across two chassis (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let vma: Vm;
  let vmb: Vm;
  let vmc: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'router-two-chassis' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'ls-add', 'ls2',
      '--', 'lr-add', 'lr1',
      ...routerPort('lr1', 'ls1', 'lr1-ls1', LRP1_MAC, '10.0.1.1/24'),
      ...routerPort('lr1', 'ls2', 'lr1-ls2', LRP2_MAC, '10.0.2.1/24'),
      ...vmPort('ls1', 'ls1-vma', '02:00:00:01:00:10', '10.0.1.10'),
      ...vmPort('ls1', 'ls1-vmb', '02:00:00:01:00:20', '10.0.1.20'),
      ...vmPort('ls2', 'ls2-vmc', '02:00:00:02:00:10', '10.0.2.10'),
    ]);
    const node1 = await env.addChassis('node1', { encapIp: ENCAP1 });
    const node2 = await env.addChassis('node2', { encapIp: ENCAP2 });
    await connectUnderlay(node1, ENCAP1, node2, ENCAP2);
    vma = await node1.addVm('vma', { lsp: 'ls1-vma', mac: '02:00:00:01:00:10', ip: '10.0.1.10/24', gateway: '10.0.1.1' });
    vmb = await node2.addVm('vmb', { lsp: 'ls1-vmb', mac: '02:00:00:01:00:20', ip: '10.0.1.20/24', gateway: '10.0.1.1' });
    vmc = await node2.addVm('vmc', { lsp: 'ls2-vmc', mac: '02:00:00:02:00:10', ip: '10.0.2.10/24', gateway: '10.0.2.1' });
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('both chassis have their own geneve encap and each VM port is bound on its chassis', async () => {
    for (const p of ['ls1-vma', 'ls1-vmb', 'ls2-vmc']) await env.waitLspUp(p, 20_000);
    const encaps = await env.query('sb', 'Encap', { columns: ['chassis_name', 'ip', 'type'] });
    expect(
      encaps.map((e) => `${String(e.chassis_name)} ${String(e.type)} ${String(e.ip)}`).sort(),
    ).toEqual([`node1 geneve ${ENCAP1}`, `node2 geneve ${ENCAP2}`]);
    const chassis = await env.query('sb', 'Chassis', { columns: ['_uuid', 'name'] });
    const nameOf = new Map(chassis.map((c) => [String(c._uuid), String(c.name)]));
    const pbs = await env.query('sb', 'Port_Binding', { columns: ['logical_port', 'chassis'] });
    const boundOn = (lp: string) =>
      asArray(pbs.find((p) => p.logical_port === lp)?.chassis).map((u) => nameOf.get(String(u)));
    expect(boundOn('ls1-vma')).toEqual(['node1']);
    expect(boundOn('ls1-vmb')).toEqual(['node2']);
    expect(boundOn('ls2-vmc')).toEqual(['node2']);
  });

  it('same subnet across the tunnel (underlay control): ttl=64 both ways', async () => {
    const p = await waitPingTtl(vma, '10.0.1.20', 20_000);
    expect(p.ttl, p.output).toBe(64);
    const q = await waitPingTtl(vmb, '10.0.1.10', 10_000);
    expect(q.ttl, q.output).toBe(64);
  });

  it('different subnets on different chassis through the distributed router: ttl=63 both ways', async () => {
    const p = await waitPingTtl(vma, '10.0.2.10', 15_000);
    expect(p.ttl, p.output).toBe(63);
    const q = await waitPingTtl(vmc, '10.0.1.10', 10_000);
    expect(q.ttl, q.output).toBe(63);
  });

  it('the router also answers on node2: ping 10.0.2.1 (ttl=254) and ARP with the router port MAC', async () => {
    const p = await waitPingTtl(vmc, '10.0.2.1', 10_000);
    expect(p.ttl, p.output).toBe(254);
    const r = await vmc.arping('10.0.2.1');
    expect(r.replies, r.output).not.toHaveLength(0);
    expect(new Set(r.replies), r.output).toEqual(new Set([LRP2_MAC]));
    const q = await waitPingTtl(vmb, '10.0.1.1', 10_000);
    expect(q.ttl, q.output).toBe(254);
  });
});
