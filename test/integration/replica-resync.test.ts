import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { filter, firstValueFrom } from 'rxjs';
import {
  NB_SCHEMA,
  ovsdbTransact,
  startOvsdbServer,
  startUnixProxy,
  waitUntil,
  type OvsdbServer,
  type UnixProxy,
} from '../helpers/ovsdb-server.js';
import { OvsdbSession, ops, type Row } from '../../src/ovsdb/index.js';
import { createReplica, waitForReplica, type ReplicaObservable, type ReplicaUpdate } from '../../src/replica/index.js';

const DB = 'OVN_Northbound';
let srv: OvsdbServer;
let proxy: UnixProxy;
let session: OvsdbSession;
let replica$: ReplicaObservable;
const updates: ReplicaUpdate[] = [];
const logs: string[] = [];
const logger = {
  debug: () => {},
  info: (o: unknown, m?: string) => logs.push(m ?? String(o)),
  warn: (o: unknown, m?: string) => logs.push(m ?? String(o)),
  error: (o: unknown, m?: string) => logs.push(m ?? String(o)),
};

/** Write through a separate connection straight to the server (not through the proxy). */
function direct(...operations: unknown[]): Promise<unknown[]> {
  return ovsdbTransact(srv.remote, DB, operations);
}

function byName(rows: ReadonlyMap<string, Row> | undefined, name: string): Row | undefined {
  for (const r of rows?.values() ?? []) if (r['name'] === name) return r;
  return undefined;
}

function names(m: ReadonlyMap<string, Row> | undefined): string[] {
  return [...(m?.values() ?? [])].map((r) => String(r['name'])).sort();
}

async function serverNames(): Promise<string[]> {
  const [r] = (await direct({ op: 'select', table: 'Logical_Switch', where: [], columns: ['name'] })) as { rows: { name: string }[] }[];
  return r!.rows.map((x) => x.name).sort();
}

/** Merge the changes of several updates for one table into name sets. */
function summarise(us: readonly ReplicaUpdate[], table: string) {
  const out = { inserted: [] as string[], updated: [] as string[], deleted: [] as string[] };
  for (const u of us) {
    const c = u.changes[table];
    if (!c) continue;
    out.inserted.push(...[...c.inserted.values()].map((r) => String(r['name'])));
    out.updated.push(...[...c.updated.values()].map((r) => String(r.new['name'])));
    out.deleted.push(...[...c.deleted.values()].map((r) => String(r['name'])));
  }
  for (const k of ['inserted', 'updated', 'deleted'] as const) out[k].sort();
  return out;
}

beforeAll(async () => {
  srv = await startOvsdbServer({ schema: NB_SCHEMA });
  proxy = await startUnixProxy(srv.sockPath);
  session = new OvsdbSession({
    remote: proxy.remote,
    database: DB,
    probeInterval: 1000,
    backoff: { initialMs: 20, maxMs: 100 },
    logger,
  });
  replica$ = createReplica(session, DB, {
    Logical_Switch: { columns: ['name', 'other_config', 'ports'] },
    Logical_Switch_Port: true,
  });
  replica$.subscribe((u) => updates.push(u));
});

afterAll(async () => {
  await session?.close();
  await proxy?.close();
  await srv?.stop();
});

describe('replica', () => {
  test('initial contents, then incremental updates with structural sharing', async () => {
    await direct(
      { op: 'insert', table: 'Logical_Switch', row: { name: 'ls1' } },
      { op: 'insert', table: 'Logical_Switch', row: { name: 'ls2' } },
      { op: 'insert', table: 'Logical_Switch', row: { name: 'ls3', ports: ['named-uuid', 'p1'] } },
      { op: 'insert', table: 'Logical_Switch_Port', row: { name: 'lsp1', addresses: ['set', ['00:00:00:00:00:01 10.0.0.1']] }, 'uuid-name': 'p1' },
    );
    const s1 = await waitForReplica(replica$, (s) => s.tables['Logical_Switch']!.size === 3, 5000);
    expect(updates[0]!.initial).toBe(true);
    expect(names(s1.tables['Logical_Switch'])).toEqual(['ls1', 'ls2', 'ls3']);
    const ls3 = byName(s1.tables['Logical_Switch'], 'ls3')!;
    const lsp1 = byName(s1.tables['Logical_Switch_Port'], 'lsp1')!;
    expect(ls3['ports']).toEqual([lsp1._uuid]);
    expect(lsp1['addresses']).toEqual(['00:00:00:00:00:01 10.0.0.1']);
    expect(lsp1['up']).toBeUndefined(); // optional boolean, empty
    expect(Object.isFrozen(ls3)).toBe(true);
    expect(Object.keys(ls3).sort()).toEqual(['_uuid', 'name', 'other_config', 'ports']); // selected columns only

    const n = updates.length;
    await session.transact(DB, [ops.update('Logical_Switch', [['name', '==', 'ls1']], { other_config: { k: 'v' } })]);
    const s2 = await waitForReplica(replica$, (s) => byName(s.tables['Logical_Switch'], 'ls1')?.['other_config'] !== undefined && (byName(s.tables['Logical_Switch'], 'ls1')!['other_config'] as Record<string, string>)['k'] === 'v', 5000);
    const u = updates[updates.length - 1]!;
    expect(updates.length).toBe(n + 1);
    expect(u.initial).toBe(false);
    expect(Object.keys(u.changes)).toEqual(['Logical_Switch']);
    expect(summarise([u], 'Logical_Switch')).toEqual({ inserted: [], updated: ['ls1'], deleted: [] });
    // untouched table and rows keep their identity
    expect(s2.tables['Logical_Switch_Port']).toBe(s1.tables['Logical_Switch_Port']);
    expect(byName(s2.tables['Logical_Switch'], 'ls3')).toBe(ls3);
    expect(s2.tables['Logical_Switch']).not.toBe(s1.tables['Logical_Switch']);
    // a late subscriber gets the current snapshot as an initial update
    const late = await firstValueFrom(replica$);
    expect(late.initial).toBe(true);
    expect(late.snapshot).toBe(s2);
  });

  test('after a disconnect, exactly the changes made meanwhile are emitted', async () => {
    const before = replica$.current!;
    const ls3 = byName(before.tables['Logical_Switch'], 'ls3')!;
    const connects = session.connectCount;
    proxy.setEnabled(false);
    await waitUntil(() => session.state !== 'ready', 5000, 'session to notice the disconnect');
    await direct(
      { op: 'insert', table: 'Logical_Switch', row: { name: 'ls4' } },
      { op: 'update', table: 'Logical_Switch', where: [['name', '==', 'ls1']], row: { other_config: ['map', [['k', 'w']]] } },
      { op: 'delete', table: 'Logical_Switch', where: [['name', '==', 'ls2']] },
    );
    const n = updates.length;
    proxy.setEnabled(true);
    const after = await waitForReplica(replica$, (s) => byName(s.tables['Logical_Switch'], 'ls4') !== undefined, 5000);
    expect(session.connectCount).toBeGreaterThan(connects);
    const emitted = updates.slice(n);
    expect(emitted.length).toBe(1);
    // A standalone ovsdb-server keeps no transaction history, so monitor_cond_since
    // answers found=false: the replica diffs the full contents (the resume path,
    // found=true, is covered by the RAFT cluster test).
    expect(emitted[0]!.initial).toBe(true);
    expect(replica$.stats!.fullLoads).toBe(2);
    expect(summarise(emitted, 'Logical_Switch')).toEqual({ inserted: ['ls4'], updated: ['ls1'], deleted: ['ls2'] });
    expect(emitted[0]!.changes['Logical_Switch_Port']).toBeUndefined();
    expect(byName(after.tables['Logical_Switch'], 'ls3')).toBe(ls3);
    expect(after.tables['Logical_Switch_Port']).toBe(before.tables['Logical_Switch_Port']);
    expect(names(after.tables['Logical_Switch'])).toEqual(await serverNames());
  });

  test('server SIGKILLed and restarted: the fresh contents are diffed, only differences emitted', async () => {
    const before = replica$.current!;
    const ls3 = byName(before.tables['Logical_Switch'], 'ls3')!;
    proxy.setEnabled(false);
    await srv.kill('SIGKILL');
    await waitUntil(() => session.state !== 'ready', 5000, 'session to notice the disconnect');
    await srv.restart();
    await direct(
      { op: 'insert', table: 'Logical_Switch', row: { name: 'ls5' } },
      { op: 'delete', table: 'Logical_Switch', where: [['name', '==', 'ls4']] },
      { op: 'update', table: 'Logical_Switch_Port', where: [['name', '==', 'lsp1']], row: { up: true } },
    );
    const n = updates.length;
    proxy.setEnabled(true);
    const after = await waitForReplica(replica$, (s) => byName(s.tables['Logical_Switch'], 'ls5') !== undefined, 5000);
    const emitted = updates.slice(n);
    expect(emitted.length).toBe(1);
    expect(summarise(emitted, 'Logical_Switch')).toEqual({ inserted: ['ls5'], updated: [], deleted: ['ls4'] });
    expect(summarise(emitted, 'Logical_Switch_Port')).toEqual({ inserted: [], updated: ['lsp1'], deleted: [] });
    expect(byName(after.tables['Logical_Switch_Port'], 'lsp1')!['up']).toBe(true);
    // unchanged rows keep their identity even through a full resync
    expect(byName(after.tables['Logical_Switch'], 'ls3')).toBe(ls3);
    expect(names(after.tables['Logical_Switch'])).toEqual(await serverNames());
  });

  test('a direct SIGKILL (no proxy) is survived too, and writes after the restart arrive', async () => {
    await srv.kill('SIGKILL');
    await srv.restart();
    await session.whenReady(5000);
    await session.transact(DB, [ops.insert('Logical_Switch', { name: 'ls6' })]);
    const after = await waitForReplica(replica$, (s) => byName(s.tables['Logical_Switch'], 'ls6') !== undefined, 5000);
    expect(names(after.tables['Logical_Switch'])).toEqual(await serverNames());
    expect(logs.some((l) => /connection to .* (lost|closed)/.test(l))).toBe(true);
  });
});

describe('replica initial load performance', () => {
  test('200k rows load into frozen maps quickly (fake monitor)', async () => {
    const { parseSchema } = await import('../../src/ovsdb/index.js');
    const fs = await import('node:fs');
    const schema = parseSchema(JSON.parse(fs.readFileSync(NB_SCHEMA, 'utf8')));
    const N = 200_000;
    const rows = new Map<string, { kind: 'insert'; new: Row }>();
    for (let i = 0; i < N; i++) {
      const uuid = randomUUID();
      rows.set(uuid, { kind: 'insert', new: { _uuid: uuid, name: `lsp${i}`, addresses: [`00:00:00:00:00:01 10.0.0.${i % 250}`], options: { a: 'b' }, up: true } });
    }
    let listener: ((ev: unknown) => void) | undefined;
    const fake = {
      getSchema: async () => schema,
      monitor: (_db: string, _req: unknown, l: (ev: unknown) => void) => {
        listener = l;
        return { cancel: () => {} };
      },
    } as unknown as OvsdbSession;
    const r$ = createReplica(fake, DB, ['Logical_Switch_Port']);
    const got: ReplicaUpdate[] = [];
    const sub = r$.subscribe((u) => got.push(u));
    await waitUntil(() => listener !== undefined, 2000, 'monitor registration');
    const t0 = performance.now();
    listener!({ type: 'initial', schema, columns: new Map(), updates: new Map([['Logical_Switch_Port', rows]]) });
    const loadMs = performance.now() - t0;
    expect(got[0]!.snapshot.tables['Logical_Switch_Port']!.size).toBe(N);
    // one incremental change on a 200k-row table
    const t1 = performance.now();
    const first = rows.keys().next().value!;
    listener!({
      type: 'update',
      schema,
      columns: new Map(),
      resumed: false,
      updates: new Map([['Logical_Switch_Port', new Map([[first, { kind: 'modify', diff: { up: false } }]])]]),
    });
    const updMs = performance.now() - t1;
    expect(got[1]!.snapshot.tables['Logical_Switch_Port']!.get(first)!['up']).toBe(false);
    sub.unsubscribe();
    console.log(`replica: initial load of ${N} rows ${loadMs.toFixed(0)} ms, one update ${updMs.toFixed(1)} ms`);
    // Structural sharing: an untouched row keeps its identity across snapshots.
    const other = [...rows.keys()][N - 1]!;
    expect(got[1]!.snapshot.tables['Logical_Switch_Port']!.get(other)).toBe(got[0]!.snapshot.tables['Logical_Switch_Port']!.get(other));
  });
});
