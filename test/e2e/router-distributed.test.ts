/**
 * Distributed logical router, one chassis: lr1 joins ls1 (10.0.1.0/24) and ls2 (10.0.2.0/24).
 *
 *   vm11 10.0.1.10 ─┐                              ┌─ vm21 10.0.2.10
 *   vm12 10.0.1.11 ─┴─ ls1 ── lr1-ls1 [lr1] lr1-ls2 ── ls2
 *                           10.0.1.1      10.0.2.1
 *                     02:00:00:00:01:01  02:00:00:00:02:01
 *
 * - the router answers ICMP echo to its own addresses (lr_in_ip_input: `ip.ttl = 255`, then one
 *   routing hop on the way back → the VM sees ttl=254, which no Linux VM would send);
 * - ARP for a router port's IP is answered with that port's MAC (and the VM's neighbour table
 *   holds it after a ping); no reply for an unowned address or for the other port's address;
 * - ping across the subnets works both ways, and the reply's TTL is one less than a same-subnet
 *   reply's (63 vs 64): the router decremented it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { flushNeigh, neighMac, pingTtl, routerPort, vmPort, waitPingTtl } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const LRP1_MAC = '02:00:00:00:01:01';
const LRP2_MAC = '02:00:00:00:02:01';



describe.skipIf(!!skip).sequential(`e2e distributed router (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let vm11: Vm;
  let vm12: Vm;
  let vm21: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'router-distributed' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'ls-add', 'ls2',
      '--', 'lr-add', 'lr1',
      ...routerPort('lr1', 'ls1', 'lr1-ls1', LRP1_MAC, '10.0.1.1/24'),
      ...routerPort('lr1', 'ls2', 'lr1-ls2', LRP2_MAC, '10.0.2.1/24'),
      ...vmPort('ls1', 'ls1-vm11', '02:00:00:01:00:10', '10.0.1.10'),
      ...vmPort('ls1', 'ls1-vm12', '02:00:00:01:00:11', '10.0.1.11'),
      ...vmPort('ls2', 'ls2-vm21', '02:00:00:02:00:10', '10.0.2.10'),
    ]);
    const ch = await env.addChassis('node1');
    vm11 = await ch.addVm('vm11', { lsp: 'ls1-vm11', mac: '02:00:00:01:00:10', ip: '10.0.1.10/24', gateway: '10.0.1.1' });
    vm12 = await ch.addVm('vm12', { lsp: 'ls1-vm12', mac: '02:00:00:01:00:11', ip: '10.0.1.11/24', gateway: '10.0.1.1' });
    vm21 = await ch.addVm('vm21', { lsp: 'ls2-vm21', mac: '02:00:00:02:00:10', ip: '10.0.2.10/24', gateway: '10.0.2.1' });
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('a VM pings its router port IP; the router answers (reply ttl=254)', async () => {
    const p = await waitPingTtl(vm11, '10.0.1.1', 20_000);
    expect(p.ttl, p.output).toBe(254);
    const q = await waitPingTtl(vm21, '10.0.2.1', 10_000);
    expect(q.ttl, q.output).toBe(254);
  });

  it("a VM pings the router's far port IP (10.0.2.1 from ls1) through its gateway", async () => {
    const p = await waitPingTtl(vm11, '10.0.2.1', 10_000);
    expect(p.ttl, p.output).toBe(254);
  });

  it("ARP for a router port's IP is answered with that port's MAC, and only for it", async () => {
    const r1 = await vm11.arping('10.0.1.1');
    expect(r1.replies, r1.output).not.toHaveLength(0);
    expect(new Set(r1.replies), r1.output).toEqual(new Set([LRP1_MAC]));
    const r2 = await vm21.arping('10.0.2.1');
    expect(r2.replies, r2.output).not.toHaveLength(0);
    expect(new Set(r2.replies), r2.output).toEqual(new Set([LRP2_MAC]));
    // Negative controls: an address nobody owns, and the other router port's address asked on ls1.
    const none = await vm11.arping('10.0.1.99', 2, 2);
    expect(none.replies, none.output).toHaveLength(0);
    const other = await vm11.arping('10.0.2.1', 2, 2);
    expect(other.replies, other.output).toHaveLength(0);
  });

  it("after a ping the VM's neighbour entry for its gateway is the router port's MAC", async () => {
    await flushNeigh(vm12);
    expect(await neighMac(vm12, '10.0.1.1')).toBeUndefined();
    const p = await waitPingTtl(vm12, '10.0.1.1', 10_000);
    expect(p.ttl, p.output).toBe(254);
    expect(await neighMac(vm12, '10.0.1.1')).toBe(LRP1_MAC);
  });

  it('ping across the subnets works both ways and the router decrements the TTL (63 vs 64 same-subnet)', async () => {
    const same = await waitPingTtl(vm11, '10.0.1.11', 10_000);
    expect(same.ttl, same.output).toBe(64);
    const across = await waitPingTtl(vm11, '10.0.2.10', 15_000);
    expect(across.ttl, across.output).toBe(63);
    const back = await waitPingTtl(vm21, '10.0.1.10', 10_000);
    expect(back.ttl, back.output).toBe(63);
    const back2 = await pingTtl(vm21, '10.0.1.11');
    expect(back2.ttl, back2.output).toBe(63);
  });
});
