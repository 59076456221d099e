// LspUpTracker (incremental Logical_Switch_Port.up) against the full
// derivation lspUp(): after every random change to ports, bindings and
// chassis, the LSPs whose `up` must be written are the same.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShardedMap } from '../../src/replica/sharded-map.js';
import { LspUpTracker } from '../../src/daemon/lsp-up.js';
import { lspUp } from '../../src/daemon/nb-writeback.js';
import type { NbView, SbView } from '../../src/compile/context.js';

const NAMES = ['p0', 'p1', 'p2', 'p3'];
const CHASSIS = ['ch-a', 'ch-b'];

type Step =
  | { t: 'lsp'; slot: number; name: string; type: string; up: boolean | undefined; del: boolean }
  | { t: 'pb'; slot: number; name: string; chassis: string | undefined; up: boolean | undefined; del: boolean }
  | { t: 'chassis'; which: number; notif: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    t: fc.constant('lsp' as const),
    slot: fc.nat(5),
    name: fc.constantFrom(...NAMES),
    type: fc.constantFrom('', 'router', 'localnet'),
    up: fc.constantFrom(undefined, true, false),
    del: fc.boolean(),
  }),
  fc.record({
    t: fc.constant('pb' as const),
    slot: fc.nat(5),
    name: fc.constantFrom(...NAMES),
    chassis: fc.constantFrom(undefined, ...CHASSIS),
    up: fc.constantFrom(undefined, true, false),
    del: fc.boolean(),
  }),
  fc.record({ t: fc.constant('chassis' as const), which: fc.nat(1), notif: fc.boolean() }),
);

function expected(nb: NbView, sb: SbView): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [u, up] of lspUp(nb, sb)) if (nb.Logical_Switch_Port.get(u)?.up !== up) out.set(u, up);
  return out;
}

describe('LspUpTracker', () => {
  it('equals the full derivation after every change (duplicates included)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        let lsps = ShardedMap.empty<Record<string, unknown>>();
        let pbs = ShardedMap.empty<Record<string, unknown>>();
        let chassis = ShardedMap.from<Record<string, unknown>>(CHASSIS.map((n) => [n, { _uuid: n, name: n, other_config: {} }]));
        const tracker = new LspUpTracker();
        let checked = 0;
        for (const s of steps) {
          if (s.t === 'lsp') {
            const e = lsps.edit();
            const uuid = `lsp-${s.slot}`;
            if (s.del) e.delete(uuid);
            else e.set(uuid, { _uuid: uuid, name: s.name, type: s.type, ...(s.up === undefined ? {} : { up: s.up }) });
            lsps = e.finish();
          } else if (s.t === 'pb') {
            const e = pbs.edit();
            const uuid = `pb-${s.slot}`;
            if (s.del) e.delete(uuid);
            else e.set(uuid, { _uuid: uuid, logical_port: s.name, ...(s.chassis ? { chassis: s.chassis } : {}), ...(s.up === undefined ? {} : { up: s.up }) });
            pbs = e.finish();
          } else {
            const e = chassis.edit();
            const n = CHASSIS[s.which]!;
            e.set(n, { _uuid: n, name: n, other_config: s.notif ? { 'port-up-notif': 'true' } : {} });
            chassis = e.finish();
          }
          const nb = { Logical_Switch_Port: lsps } as unknown as NbView;
          const sb = { Port_Binding: pbs, Chassis: chassis } as unknown as SbView;
          tracker.update(nb, sb);
          expect(tracker.mismatches()).toEqual(expected(nb, sb));
          checked++;
        }
        expect(checked).toBe(steps.length);
      }),
      { numRuns: 500 },
    );
  });
});
