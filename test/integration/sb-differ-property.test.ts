// The incremental SB differ against a real SB ovsdb-server, as a property:
// for random NB contents and random sequences of NB changes — with other
// clients deleting or editing SB rows in between, as ovn-controller or an
// operator might — every transaction the differ builds commits, and once it
// has, the SB holds exactly the desired state: a full, memo-free diff of the
// same desired contents against the SB finds nothing left to write. The
// replica is the daemon's: inserts into the echo-free tables (Logical_Flow,
// Port_Binding, Multicast_Group) are echoed in part and completed from the
// rows the differ kept (OwnInserts); the completed rows must equal what the
// server holds.
//
// SBDIFF_RUNS=5000 npx vitest run test/integration/sb-differ-property.test.ts   (CI: 500)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SbView } from '../../src/compile/context.js';
import { Compiler } from '../../src/compile/compiler.js';
import { OvsdbSession } from '../../src/ovsdb/index.js';
import { ops, type Operation } from '../../src/ovsdb/operations.js';
import { namedUuid, rowsEqual, type Row } from '../../src/ovsdb/datum.js';
import { ECHO_FREE_REQUESTS, ECHO_FREE_TABLES, OwnInserts } from '../../src/sb/own-inserts.js';
import { createReplica, waitForReplica, type ReplicaObservable, type ReplicaSnapshot } from '../../src/replica/index.js';
import { diffSb } from '../../src/sb/differ.js';
import { SbFlowIndex } from '../../src/sb/flow-index.js';
import { SbDiffer } from '../../src/sb/sb-differ.js';
import { apply, change, emptyView, routerChange, type Change } from '../helpers/nb-changes.js';
import { SB_SCHEMA, startOvsdbServer, type OvsdbServer } from '../helpers/ovsdb-server.js';

const RUNS = Number(process.env['SBDIFF_RUNS'] ?? 500);
const FRESH = { macPrefix: '0a:00:00', svcMonitorMac: '0a:00:00:00:00:01' };
const DB = 'OVN_Southbound';

/** What another SB client does between two runs. */
type Interference =
  | { kind: 'delete'; table: 'Port_Binding' | 'Multicast_Group' | 'IP_Multicast' | 'Load_Balancer' | 'Address_Set' | 'Port_Group' | 'Meter'; pick: number }
  | { kind: 'edit-pb'; pick: number }
  | { kind: 'edit-named'; table: 'Address_Set' | 'Port_Group'; pick: number }
  | { kind: 'edit-band'; pick: number }
  | { kind: 'chassis'; add: boolean }
  | { kind: 'monitor'; status: 'online' | 'offline'; pick: number }
  | { kind: 'delete'; table: 'HA_Chassis_Group' | 'Static_MAC_Binding' | 'BFD' | 'DNS' | 'Chassis_Template_Var' | 'Mirror'; pick: number }
  /** Router rows edited in place: a group renamed or its ref_chassis emptied, a member's priority, a binding's MAC, a session's state (as ovn-controller writes it). */
  | { kind: 'edit-router'; what: 'group-name' | 'group-ref' | 'member' | 'smb' | 'bfd'; pick: number }
  /** A port bound to chassis ch1 (HA groups' ref_chassis follow bound ports). */
  | { kind: 'bind'; pick: number };

const interference: fc.Arbitrary<Interference | undefined> = fc.option(
  fc.oneof(
    fc.record({
      kind: fc.constant('delete' as const),
      table: fc.constantFrom(
        'Port_Binding' as const,
        'Multicast_Group' as const,
        'IP_Multicast' as const,
        'Load_Balancer' as const,
        'Address_Set' as const,
        'Port_Group' as const,
        'Meter' as const,
      ),
      pick: fc.nat(50),
    }),
    fc.record({ kind: fc.constant('edit-pb' as const), pick: fc.nat(50) }),
    fc.record({ kind: fc.constant('edit-named' as const), table: fc.constantFrom('Address_Set' as const, 'Port_Group' as const), pick: fc.nat(50) }),
    fc.record({ kind: fc.constant('edit-band' as const), pick: fc.nat(50) }),
    fc.record({ kind: fc.constant('chassis' as const), add: fc.boolean() }),
    fc.record({ kind: fc.constant('delete' as const), table: fc.constantFrom('HA_Chassis_Group' as const, 'Static_MAC_Binding' as const, 'BFD' as const, 'DNS' as const, 'Chassis_Template_Var' as const, 'Mirror' as const), pick: fc.nat(50) }),
    fc.record({ kind: fc.constant('edit-router' as const), what: fc.constantFrom('group-name' as const, 'group-ref' as const, 'member' as const, 'smb' as const, 'bfd' as const), pick: fc.nat(50) }),
    fc.record({ kind: fc.constant('bind' as const), pick: fc.nat(50) }),
    // ovn-controller reporting a backend's health.
    fc.record({ kind: fc.constant('monitor' as const), status: fc.constantFrom('online' as const, 'offline' as const), pick: fc.nat(50) }),
  ),
  { nil: undefined, freq: 3 },
);

function interferenceOps(sb: SbView, i: Interference): Operation[] {
  const pickRow = (table: ReadonlyMap<string, { _uuid: string }>, n: number): string | undefined => {
    const rows = [...table.values()];
    return rows.length ? rows[n % rows.length]!._uuid : undefined;
  };
  if (i.kind === 'monitor') {
    const u = pickRow(sb.Service_Monitor, i.pick);
    return u ? [{ op: 'update', table: 'Service_Monitor', where: [['_uuid', '==', u]], row: { status: i.status } } as Operation] : [];
  }
  if (i.kind === 'chassis') {
    const ch = [...sb.Chassis.values()].find((c) => c.name === 'ch1');
    if (i.add && !ch) {
      return [ops.insert('Encap', { type: 'geneve', ip: '192.0.2.1', chassis_name: 'ch1' }, 'e'), ops.insert('Chassis', { name: 'ch1', hostname: 'host1', encaps: [namedUuid('e')] })];
    }
    if (!i.add && ch) return [{ op: 'delete', table: 'Chassis', where: [['_uuid', '==', ch._uuid]] } as Operation];
    return [];
  }
  if (i.kind === 'edit-pb') {
    const u = pickRow(sb.Port_Binding, i.pick);
    return u ? [{ op: 'update', table: 'Port_Binding', where: [['_uuid', '==', u]], row: { options: { foo: 'bar' }, tag: 7 } } as Operation] : [];
  }
  if (i.kind === 'edit-named') {
    const u = pickRow(sb[i.table] as ReadonlyMap<string, { _uuid: string }>, i.pick);
    const column = i.table === 'Address_Set' ? 'addresses' : 'ports';
    return u ? [{ op: 'update', table: i.table, where: [['_uuid', '==', u]], row: { [column]: ['stranger'] } } as Operation] : [];
  }
  if (i.kind === 'bind') {
    const u = pickRow(sb.Port_Binding, i.pick);
    const ch = [...sb.Chassis.values()].find((c) => c.name === 'ch1');
    return u && ch ? [{ op: 'update', table: 'Port_Binding', where: [['_uuid', '==', u]], row: { chassis: ch._uuid } } as Operation] : [];
  }
  if (i.kind === 'edit-router') {
    const update = (table: string, u: string | undefined, row: Record<string, unknown>): Operation[] =>
      u ? [{ op: 'update', table, where: [['_uuid', '==', u]], row } as Operation] : [];
    switch (i.what) {
      case 'group-name':
        return update('HA_Chassis_Group', pickRow(sb.HA_Chassis_Group, i.pick), { name: `renamed${i.pick}` });
      case 'group-ref':
        return update('HA_Chassis_Group', pickRow(sb.HA_Chassis_Group, i.pick), { ref_chassis: [] });
      case 'member':
        return update('HA_Chassis', pickRow(sb.HA_Chassis, i.pick), { priority: 999 });
      case 'smb':
        return update('Static_MAC_Binding', pickRow(sb.Static_MAC_Binding, i.pick), { mac: '00:00:00:00:00:99' });
      case 'bfd':
        return update('BFD', pickRow(sb.BFD, i.pick), { status: 'up', min_tx: 7 });
    }
  }
  if (i.kind === 'delete' && i.table === 'HA_Chassis_Group') {
    // Bindings refer to it (strongly): they let go of it in the same transaction.
    const u = pickRow(sb.HA_Chassis_Group, i.pick);
    if (!u) return [];
    const users = [...sb.Port_Binding.values()].filter((p) => p.ha_chassis_group === u);
    return [
      ...users.map((p) => ({ op: 'update', table: 'Port_Binding', where: [['_uuid', '==', p._uuid]], row: { ha_chassis_group: undefined } }) as Operation),
      { op: 'delete', table: 'HA_Chassis_Group', where: [['_uuid', '==', u]] } as Operation,
    ];
  }
  if (i.kind === 'edit-band') {
    // A band edited in place: its meter's row does not change.
    const u = pickRow(sb.Meter_Band, i.pick);
    return u ? [{ op: 'update', table: 'Meter_Band', where: [['_uuid', '==', u]], row: { rate: 999 } } as Operation] : [];
  }
  const u = pickRow(sb[i.table] as ReadonlyMap<string, { _uuid: string }>, i.pick);
  return u ? [{ op: 'delete', table: i.table, where: [['_uuid', '==', u]] } as Operation] : [];
}

let srv: OvsdbServer;
let session: OvsdbSession;
let replica$: ReplicaObservable;
let unsubscribe: () => void;
/** The rows of the transaction in flight, for the replica to complete its partial inserts with. */
let pending: OwnInserts | undefined;

beforeAll(async () => {
  srv = await startOvsdbServer({ schema: SB_SCHEMA });
  session = new OvsdbSession({ remote: srv.remote, database: DB });
  replica$ = createReplica(session, DB, undefined, { requests: ECHO_FREE_REQUESTS, completeInsert: (_t, uuid) => pending?.get(uuid) });
  const sub = replica$.subscribe();
  unsubscribe = () => sub.unsubscribe();
  await waitForReplica(replica$, () => true, 10_000);
}, 30_000);

afterAll(async () => {
  unsubscribe?.();
  await session?.close();
  await srv?.stop();
});

/** Commits `ops` and returns the replica's snapshot once it reflects them. */
async function commit(ops: Operation[], own?: OwnInserts): Promise<ReplicaSnapshot> {
  const before = replica$.current!;
  if (!ops.length) return before;
  // A transaction the SB refuses is a differ bug: transact() rejects then.
  pending = own;
  await session.transact(DB, ops).finally(() => (pending = undefined));
  // ovsdb-server sends the update before the reply, so it is normally here already; a
  // transaction that changed nothing sends none (the check below then judges the SB as it is).
  return waitForReplica(replica$, (s) => s !== before, 1000).catch(() => replica$.current!);
}

/** The replica's rows of the echo-free tables (completed from our own inserts) equal the server's. */
async function expectRowsAsServerHas(sb: SbView): Promise<void> {
  const tables = [...ECHO_FREE_TABLES];
  const results = await session.transact(DB, tables.map((t) => ops.select(t)));
  tables.forEach((table, i) => {
    const server = new Map((results[i]?.rows ?? []).map((r) => [r._uuid, r]));
    const mine = (sb as unknown as Record<string, ReadonlyMap<string, Row>>)[table]!;
    expect(mine.size, table).toBe(server.size);
    for (const [uuid, row] of mine) {
      const s = server.get(uuid);
      if (!s || !rowsEqual(s, row)) throw new Error(`replica row ${table} ${uuid} differs from the server's:\n${JSON.stringify(row)}\n${JSON.stringify(s)}`);
    }
  });
}

/** The property over NB contents built by `initialArb` and changed by `stepArb`, with interference. */
async function holds(initialArb: fc.Arbitrary<Change[]>, stepArb: fc.Arbitrary<Change>, runs: number): Promise<void> {
  let incremental = 0;
  let steps = 0;
  await fc.assert(
    fc.asyncProperty(
      initialArb,
      fc.array(fc.tuple(stepArb, interference), { minLength: 1, maxLength: 10 }),
      async (initial, sequence) => {
        let view = emptyView();
        for (const c of initial) view = apply(view, c);
        // A daemon (re)starting on whatever SB the previous sequence left.
        const compiler = new Compiler(FRESH);
        const differ = new SbDiffer();
        const index = new SbFlowIndex();
        let first = true;
        for (const [c, other] of [[undefined, undefined] as const, ...sequence]) {
          if (other) await commit(interferenceOps(replica$.current!.tables as unknown as SbView, other));
          if (c) view = apply(view, c);
          const sb = replica$.current!.tables as unknown as SbView;
          const run = compiler.run({ nb: view, sb });
          index.update(sb);
          // Someone else's flow writes make the daemon diff every flow again; other tables stay incremental.
          const own = new OwnInserts(session.cachedSchema(DB)!);
          const diff = differ.diff(run.desired, sb, first ? undefined : { changedFlowKeys: run.changedFlowKeys, datapathOnlyKeys: run.datapathOnlyKeys, index }, own);
          if (differ.stats.incremental) incremental++;
          steps++;
          first = false;
          const after = (await commit(diff.ops, own)).tables as unknown as SbView;
          if (own.size) await expectRowsAsServerHas(after);
          const left = diffSb(run.desired, after);
          const rows = left.ops.filter((o) => (o as { table?: string }).table !== 'SB_Global');
          if (rows.length) {
            throw new Error(
              `after ${JSON.stringify(c)} / ${JSON.stringify(other)} (incremental: ${differ.stats.incremental}) the SB still needs:\n${JSON.stringify(rows, null, 1).slice(0, 3000)}`,
            );
          }
        }
      },
    ),
    { numRuns: runs },
  );
  // The incremental path must have been taken, not just the full one.
  expect(incremental).toBeGreaterThan(steps / 4);
}

describe('incremental SB differ (property, real ovsdb-server)', () => {
  it(`leaves the SB equal to the desired state over ${RUNS} random sequences`, () => holds(fc.array(change, { maxLength: 10 }), change, RUNS), 600_000);
  // HA chassis groups, static MAC bindings and BFD sessions need routers with ports and gateways.
  it(`and over ${RUNS / 2} router-heavy sequences`, () => holds(fc.array(routerChange, { minLength: 10, maxLength: 30 }), routerChange, RUNS / 2), 600_000);
});
