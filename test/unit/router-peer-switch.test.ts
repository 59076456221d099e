// A peer router's change reaches the switches attached to it even when nothing of the
// switch itself changed: the switch's flows read the router's NAT entries, LB addresses and
// distributed gateway ports (l2-lookup ARP/ND forwarding, nat_addresses). The incremental
// compile must then equal a full compile; the random property rarely builds this exact case.
import { describe, expect, it } from 'vitest';
import { apply, emptyView, type Change } from '../helpers/nb-changes.js';
import { bundledSchema, viewFromWireTables } from '../../src/replay/load.js';
import type { NbView, SbView } from '../../src/compile/context.js';
import { Compiler } from '../../src/compile/compiler.js';
import { compile } from '../../src/compile/compile.js';
import { compareDesired } from '../../src/compile/compare-desired.js';

const FRESH = { macPrefix: '0a:00:00', svcMonitorMac: '0a:00:00:00:00:01' };
const SB = viewFromWireTables(bundledSchema('sb'), {}) as unknown as SbView;
const u = (p: string) => `${p}-0000-4000-8000-000000000000`;
const SW = u('10000000'), LSP_VM = u('20000000'), LSP_RTR = u('20000001'), LR = u('70000000'), LRP = u('80000000'), NAT = u('f6000000'), LB = u('50000000');
const SW2 = u('10000001'), LSP_RTR2 = u('20000002'), LRP2 = u('80000001'), LSP_VM2 = u('20000003');
const set = (xs: unknown[]) => ['set', xs];
const map = (o: Record<string, string>) => ['map', Object.entries(o)];

const base: Change[] = [
  { table: 'Logical_Switch_Port', uuid: LSP_VM, row: { name: 'vm', addresses: set(['00:00:00:00:00:01 10.0.0.5']) } },
  { table: 'Logical_Switch_Port', uuid: LSP_RTR, row: { name: 'sw-lr', type: 'router', addresses: set(['router']), options: map({ 'router-port': 'lr-sw' }) } },
  { table: 'Logical_Switch', uuid: SW, row: { name: 'sw', ports: set([['uuid', LSP_VM], ['uuid', LSP_RTR]]) } },
  { table: 'Logical_Router_Port', uuid: LRP, row: { name: 'lr-sw', mac: '00:00:00:00:ff:01', networks: set(['10.0.0.1/24']) } },
  { table: 'Logical_Router', uuid: LR, row: { name: 'lr', ports: set([['uuid', LRP]]), options: map({ chassis: 'ch1' }) } },
];

function expectSame(steps: Change[]): void {
  let nb: NbView = emptyView();
  for (const c of base) nb = apply(nb, c);
  const inc = new Compiler(FRESH);
  inc.run({ nb, sb: SB });
  for (const c of steps) {
    nb = apply(nb, c);
    const d = compareDesired(inc.run({ nb, sb: SB }).desired, compile({ nb, sb: SB }, FRESH));
    expect(d, `after ${JSON.stringify(c)}`).toEqual([]);
  }
}

describe("a peer router's change on an unchanged switch", () => {
  it('NAT rules added and removed', () => {
    expectSame([
      { table: 'NAT', uuid: NAT, row: { type: 'dnat_and_snat', external_ip: '10.0.0.100', logical_ip: '10.0.0.5', options: map({}) } },
      { table: 'Logical_Router', uuid: LR, toggle: { column: 'nat', value: NAT } },
      { table: 'NAT', uuid: NAT, row: { type: 'dnat_and_snat', external_ip: '10.0.0.101', logical_ip: '10.0.0.5', options: map({}) } },
      { table: 'Logical_Router', uuid: LR, toggle: { column: 'nat', value: NAT } },
    ]);
  });

  it('a load balancer VIP on the router', () => {
    expectSame([
      { table: 'Load_Balancer', uuid: LB, row: { name: 'lb', vips: map({ '10.0.0.200:80': '10.0.0.5:8080' }), protocol: 'tcp', options: map({}) } },
      { table: 'Logical_Router', uuid: LR, toggle: { column: 'load_balancer', value: LB } },
      { table: 'Load_Balancer', uuid: LB, row: { name: 'lb', vips: map({ '10.0.0.201:80': '10.0.0.5:8080' }), protocol: 'tcp', options: map({}) } },
    ]);
  });
});

// The topology's router part (router ports, their peers, Router objects) is reused while no
// router, router port or NAT row changed; a switch-side change can still give a router port
// another peer, which must then be found again.
describe('router ports whose peers change through switch ports only', () => {
  const second: Change[] = [
    { table: 'Logical_Switch', uuid: SW2, row: { name: 'sw2', ports: set([]) } },
    { table: 'Logical_Router_Port', uuid: LRP2, row: { name: 'lr-sw2', mac: '00:00:00:00:ff:02', networks: set(['10.0.2.1/24']) } },
    { table: 'Logical_Router', uuid: LR, toggle: { column: 'ports', value: LRP2 } },
  ];
  const peerOn2 = (routerPort: string): Change => ({
    table: 'Logical_Switch_Port',
    uuid: LSP_RTR2,
    row: { name: 'sw2-lr', type: 'router', addresses: set(['router']), options: map({ 'router-port': routerPort }) },
  });

  it('a router-type port added, pointed elsewhere, made a plain port, removed', () => {
    expectSame([
      ...second,
      peerOn2('lr-sw2'),
      { table: 'Logical_Switch', uuid: SW2, toggle: { column: 'ports', value: LSP_RTR2 } },
      // Two switch ports now name lr-sw: the reference's port order decides.
      peerOn2('lr-sw'),
      peerOn2('lr-sw2'),
      { table: 'Logical_Switch_Port', uuid: LSP_VM2, row: { name: 'vm2', addresses: set(['00:00:00:00:00:02 10.0.2.5']) } },
      { table: 'Logical_Switch', uuid: SW2, toggle: { column: 'ports', value: LSP_VM2 } },
      { table: 'Logical_Switch_Port', uuid: LSP_RTR2, row: { name: 'sw2-lr', addresses: set(['00:00:00:00:00:03 10.0.2.6']) } },
      peerOn2('lr-sw2'),
      { table: 'Logical_Switch', uuid: SW2, toggle: { column: 'ports', value: LSP_RTR2 } },
      { table: 'Logical_Switch_Port', uuid: LSP_VM, row: { name: 'vm', addresses: set(['00:00:00:00:00:01 10.0.0.6']) } },
    ]);
  });
});
