import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NB_SCHEMA, ovsdbTransact, startOvsdbCluster, waitUntil, type OvsdbCluster } from '../helpers/ovsdb-server.js';
import { OvsdbSession, ops, type Row } from '../../src/ovsdb/index.js';
import { createReplica, waitForReplica, type ReplicaObservable, type ReplicaUpdate } from '../../src/replica/index.js';

const DB = 'OVN_Northbound';
let cluster: OvsdbCluster;
let session: OvsdbSession;
let replica$: ReplicaObservable;
const updates: ReplicaUpdate[] = [];
const logs: string[] = [];
const log = (o: unknown, m?: string) => logs.push(m ?? String(o));

function names(m: ReadonlyMap<string, Row> | undefined): string[] {
  return [...(m?.values() ?? [])].map((r) => String(r['name'])).sort();
}
const has = (name: string) => (s: { tables: Readonly<Record<string, ReadonlyMap<string, Row>>> }) =>
  names(s.tables['Logical_Switch']).includes(name);

async function serverNames(remote: string): Promise<string[]> {
  const [r] = (await ovsdbTransact(remote, DB, [{ op: 'select', table: 'Logical_Switch', where: [], columns: ['name'] }])) as { rows: { name: string }[] }[];
  return r!.rows.map((x) => x.name).sort();
}

beforeAll(async () => {
  cluster = await startOvsdbCluster({ schema: NB_SCHEMA, size: 3, electionTimerMs: 500 });
  await cluster.waitForLeader(15_000);
  session = new OvsdbSession({
    remote: cluster.remote,
    database: DB,
    probeInterval: 500,
    backoff: { initialMs: 20, maxMs: 200 },
    logger: { debug: () => {}, info: log, warn: log, error: log },
  });
  replica$ = createReplica(session, DB, ['Logical_Switch']);
  replica$.subscribe((u) => updates.push(u));
});

afterAll(async () => {
  await session?.close();
  await cluster?.stop();
});

describe('RAFT cluster', () => {
  test('the session settles on the leader; replica follows writes', async () => {
    await session.whenReady(10_000);
    const leader = await cluster.leaderIndex();
    expect(session.remote).toBe(cluster.servers[leader]!.remote);
    await session.transact(DB, [ops.insert('Logical_Switch', { name: 'a' })]);
    const s = await waitForReplica(replica$, has('a'), 5000);
    expect(names(s.tables['Logical_Switch'])).toEqual(['a']);
  });

  test('after a dropped connection the monitor resumes from the last txn id (found=true)', async () => {
    const leader = await cluster.leaderIndex();
    const n = updates.length;
    const resumes = replica$.stats!.resumes;
    const fullLoads = replica$.stats!.fullLoads;
    session.drop('test: forced reconnect');
    await ovsdbTransact(cluster.servers[leader]!.remote, DB, [{ op: 'insert', table: 'Logical_Switch', row: { name: 'b' } }]);
    const s = await waitForReplica(replica$, has('b'), 10_000);
    await waitUntil(() => replica$.stats!.resumes > resumes, 10_000, 'monitor to resume');
    // clustered servers keep a transaction history: monitor_cond_since resumed, no full reload
    expect(replica$.stats!.fullLoads).toBe(fullLoads);
    const emitted = updates.slice(n);
    // never a full reload: either a live update or the resumed history
    expect(emitted.every((u) => !u.initial)).toBe(true);
    const inserted = emitted.flatMap((u) => [...(u.changes['Logical_Switch']?.inserted.values() ?? [])].map((r) => r['name']));
    expect(inserted).toEqual(['b']);
    expect(names(s.tables['Logical_Switch'])).toEqual(['a', 'b']);
  });

  test('leader SIGKILLed: the client follows the new leader and the replica stays correct', async () => {
    const old = await cluster.leaderIndex();
    expect(old).toBeGreaterThanOrEqual(0);
    await cluster.servers[old]!.kill('SIGKILL');
    const leader = await cluster.waitForLeader(15_000);
    expect(leader).not.toBe(old);
    const newRemote = cluster.servers[leader]!.remote;
    // written through the new leader, by another client
    await ovsdbTransact(newRemote, DB, [{ op: 'insert', table: 'Logical_Switch', row: { name: 'c' } }]);
    const s = await waitForReplica(replica$, has('c'), 15_000);
    await waitUntil(() => session.state === 'ready' && session.remote === newRemote, 15_000, 'session on the new leader');
    // and through our own session
    await session.transact(DB, [ops.insert('Logical_Switch', { name: 'd' })]);
    const s2 = await waitForReplica(replica$, has('d'), 5000);
    expect(names(s.tables['Logical_Switch'])).toContain('c');
    expect(names(s2.tables['Logical_Switch'])).toEqual(await serverNames(newRemote));
    expect(names(s2.tables['Logical_Switch'])).toEqual(['a', 'b', 'c', 'd']);
    expect(logs.some((l) => /not the cluster leader|connection to .* (lost|closed)|failed/.test(l))).toBe(true);
  });
});
