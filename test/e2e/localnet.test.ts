/**
 * Localnet: switch ls1 with a VM and a `localnet` port (options:network_name=physnet1). The chassis
 * maps physnet1 to the OVS bridge br-phys (`ovn-bridge-mappings=physnet1:br-phys`), and a plain
 * "physical host" namespace — not bound to any LSP — is plugged into br-phys. ovn-controller patches
 * br-int to br-phys for the localnet port; the VM and the host reach each other through it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

describe.skipIf(!!skip).sequential(`e2e localnet port (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let vm: Vm;
  let phys: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'localnet' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'lsp-add', 'ls1', 'ls1-vm1',
      '--', 'lsp-set-addresses', 'ls1-vm1', '00:00:00:00:00:01 192.168.1.10',
      '--', 'lsp-set-port-security', 'ls1-vm1', '00:00:00:00:00:01 192.168.1.10',
      '--', 'lsp-add', 'ls1', 'ln-physnet1',
      '--', 'lsp-set-type', 'ln-physnet1', 'localnet',
      '--', 'lsp-set-addresses', 'ln-physnet1', 'unknown',
      '--', 'lsp-set-options', 'ln-physnet1', 'network_name=physnet1',
    ]);
    const ch = await env.addChassis('node1', { bridgeMappings: { physnet1: 'br-phys' } });
    vm = await ch.addVm('vm1', { lsp: 'ls1-vm1', mac: '00:00:00:00:00:01', ip: '192.168.1.10/24' });
    phys = await ch.addPhysHost('phys', { bridge: 'br-phys', mac: '0a:00:00:00:00:c8', ip: '192.168.1.200/24' });
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('the VM pings the physical host through the localnet port, and back', async () => {
    await vm.waitPing('192.168.1.200', 20_000);
    await phys.waitPing('192.168.1.10', 10_000);
    expect(await vm.pingOnce('192.168.1.200')).toBe(true);
    expect(await phys.pingOnce('192.168.1.10')).toBe(true);
  });

  it('the physical host learns the VM by ARP through the localnet port', async () => {
    const r = await phys.arping('192.168.1.10');
    expect(new Set(r.replies), r.output).toEqual(new Set(['00:00:00:00:00:01']));
  });
});
