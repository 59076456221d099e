import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeTempDir, startOvsdbServer, type OvsdbServer } from '../helpers/ovsdb-server.js';
import {
  OvsdbSession,
  RpcError,
  TransactError,
  compareAtoms,
  namedUuid,
  ops,
  type Atom,
} from '../../src/ovsdb/index.js';

const TYPES = ['integer', 'real', 'boolean', 'string', 'uuid'] as const;
const short = { integer: 'i', real: 'r', boolean: 'b', string: 's', uuid: 'u' } as const;

function testSchema(): unknown {
  const columns: Record<string, unknown> = {};
  for (const t of TYPES) {
    const k = short[t];
    columns[k] = { type: t };
    columns[`o${k}`] = { type: { key: t, min: 0, max: 1 } };
    columns[`s${k}`] = { type: { key: t, min: 0, max: 'unlimited' } };
    columns[`m${k}`] = { type: { key: 'string', value: t, min: 0, max: 'unlimited' } };
  }
  columns['mik'] = { type: { key: 'integer', value: 'string', min: 0, max: 'unlimited' } };
  columns['e'] = { type: { key: { type: 'string', enum: ['set', ['red', 'green']] }, min: 0, max: 1 } };
  columns['kids'] = { type: { key: { type: 'uuid', refTable: 'Child' }, min: 0, max: 'unlimited' } };
  return {
    name: 'Test',
    version: '1.0.0',
    tables: {
      Atoms: { columns, isRoot: true },
      Child: { columns: { name: { type: 'string' } }, isRoot: false },
    },
  };
}

const real = fc
  .double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 })
  .map((d) => (Object.is(d, -0) ? 0 : d))
  // ovsdb-server rejects subnormals (dropping the connection); its number parser
  // may also be off by an ulp for extreme exponents, so reals compare at 12 digits.
  .filter((d) => d === 0 || Math.abs(d) >= 1e-300);
const atom = {
  integer: fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  real,
  boolean: fc.boolean(),
  // ovsdb-server rejects strings that are not valid UTF-8 (lone surrogates)
  string: fc.string({ unit: 'grapheme', maxLength: 10 }),
  uuid: fc.uuid({ version: 4 }),
} as const;

const rowArb = fc.record(
  Object.fromEntries(
    TYPES.flatMap((t) => {
      const k = short[t];
      const a = atom[t] as fc.Arbitrary<Atom>;
      return [
        [k, a],
        [`o${k}`, fc.option(a, { nil: undefined })],
        [`s${k}`, fc.uniqueArray(a, { maxLength: 5 })],
        [`m${k}`, fc.dictionary(fc.string({ unit: 'grapheme-ascii', maxLength: 5 }), a, { maxKeys: 4 })],
      ];
    }),
  ) as Record<string, fc.Arbitrary<unknown>>,
);

function normalise(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = Array.isArray(v) ? [...(v as Atom[])].sort(compareAtoms) : v;
  }
  return out;
}

const REAL_COLUMNS = new Set(['r', 'or', 'sr', 'mr']);
const closeReal = (a: unknown, b: unknown): boolean =>
  typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));

/** Exact equality, except reals (relative 1e-12: ovsdb-server's number parser can be off by ulps). */
function expectSameRow(got: Record<string, unknown>, want: Record<string, unknown>): void {
  const g = normalise(got);
  const w = normalise(want);
  expect(Object.keys(g).sort()).toEqual(Object.keys(w).sort());
  for (const k of Object.keys(w)) {
    if (!REAL_COLUMNS.has(k)) {
      expect(g[k], k).toEqual(w[k]);
      continue;
    }
    const gv = g[k];
    const wv = w[k];
    if (typeof wv === 'number') expect(closeReal(gv, wv), `${k}: ${String(gv)} vs ${wv}`).toBe(true);
    else if (Array.isArray(wv)) {
      expect((gv as unknown[]).length).toBe(wv.length);
      wv.forEach((x, i) => expect(closeReal((gv as unknown[])[i], x), k).toBe(true));
    } else if (wv && typeof wv === 'object') {
      expect(Object.keys(gv as object).sort()).toEqual(Object.keys(wv).sort());
      for (const [mk, mv] of Object.entries(wv)) expect(closeReal((gv as Record<string, unknown>)[mk], mv), k).toBe(true);
    } else expect(gv).toEqual(wv);
  }
}

let srv: OvsdbServer;
let session: OvsdbSession;
let dir: string;

beforeAll(async () => {
  dir = makeTempDir();
  const schemaFile = path.join(dir, 'test.ovsschema');
  fs.writeFileSync(schemaFile, JSON.stringify(testSchema()));
  srv = await startOvsdbServer({ schema: schemaFile, dir });
  session = new OvsdbSession({ remote: srv.remote, probeInterval: 0, backoff: { initialMs: 20, maxMs: 200 } });
  await session.whenReady(5000);
});

afterAll(async () => {
  await session?.close();
  await srv?.stop();
  if (dir) removeTempDir(dir);
});

describe('transact against a real ovsdb-server', () => {
  test('list_dbs, get_schema, echo', async () => {
    expect((await session.listDbs()).sort()).toEqual(['Test', '_Server']);
    const schema = await session.getSchema('Test');
    expect(schema.tables['Atoms']!.columns['mik']!.kind).toBe('map');
    expect(schema.tables['Atoms']!.columns['ou']!.kind).toBe('optional');
    expect(await session.echo('hello', 1)).toEqual(['hello', 1]);
  });

  test('every atom type round trips through insert + select (property)', async () => {
    await fc.assert(
      fc.asyncProperty(rowArb, async (row) => {
        const [ins] = await session.transact('Test', [ops.insert('Atoms', row)]);
        expect(ins!.uuid).toMatch(/^[0-9a-f-]{36}$/);
        const [sel] = await session.transact('Test', [ops.select('Atoms', [['_uuid', '==', ins!.uuid]], Object.keys(row))]);
        expect(sel!.rows).toHaveLength(1);
        const { _uuid, ...got } = sel!.rows![0]!;
        expectSameRow(got, row);
      }),
      { numRuns: 25 },
    );
  });

  test('non-string map keys come back as sorted [key, value] pairs', async () => {
    const [ins] = await session.transact('Test', [ops.insert('Atoms', { mik: [[3, 'c'], [-1, 'a'], [2, 'b']] })]);
    const [sel] = await session.transact('Test', [ops.select('Atoms', [['_uuid', '==', ins!.uuid]], ['mik'])]);
    expect(sel!.rows![0]!['mik']).toEqual([[-1, 'a'], [2, 'b'], [3, 'c']]);
  });

  test('named uuids, update, mutate, delete, comment, wait/verify', async () => {
    const res = await session.transact('Test', [
      ops.comment('test transaction'),
      ops.insert('Child', { name: 'k1' }, 'k1'),
      ops.insert('Child', { name: 'k2' }, 'k2'),
      ops.insert('Atoms', { s: 'parent', kids: [namedUuid('k1'), namedUuid('k2')], ou: namedUuid('k1') }, 'p'),
    ]);
    const parent = res[3]!.uuid!;
    const [k1, k2] = [res[1]!.uuid!, res[2]!.uuid!];
    let [sel] = await session.transact('Test', [ops.select('Atoms', [['_uuid', '==', parent]], ['kids', 'ou', 's'])]);
    expect(sel!.rows![0]).toMatchObject({ s: 'parent', kids: [k1, k2].sort(), ou: k1 });

    const [upd] = await session.transact('Test', [ops.update('Atoms', [['s', '==', 'parent']], { i: 42, ms: { a: 'x' }, ou: undefined })]);
    expect(upd!.count).toBe(1);
    const [mut] = await session.transact('Test', [
      ops.mutate('Atoms', [['_uuid', '==', parent]], [
        ['i', '+=', 8],
        ['ss', 'insert', ['q', 'p']],
        ['ms', 'insert', { b: 'y' }],
        ['kids', 'delete', k2],
      ]),
    ]);
    expect(mut!.count).toBe(1);
    [sel] = await session.transact('Test', [ops.select('Atoms', [['_uuid', '==', parent]], ['i', 'ss', 'ms', 'kids', 'ou'])]);
    expect(sel!.rows![0]).toEqual({ _uuid: '', i: 50, ss: ['p', 'q'], ms: { a: 'x', b: 'y' }, kids: [k1], ou: undefined });
    // Child k2 is no longer referenced: garbage collected (non-root table).
    const [kids] = await session.transact('Test', [ops.select('Child', [], ['name'])]);
    expect(kids!.rows!.map((r) => r['name'])).toContain('k1');
    expect(kids!.rows!.map((r) => r['name'])).not.toContain('k2');

    // verify succeeds on the current value, fails on a stale one
    await session.transact('Test', [ops.verify('Atoms', parent, { i: 50 }), ops.update('Atoms', [['_uuid', '==', parent]], { i: 51 })]);
    const stale = session.transact('Test', [ops.verify('Atoms', parent, { i: 50 }), ops.update('Atoms', [['_uuid', '==', parent]], { i: 52 })]);
    await expect(stale).rejects.toBeInstanceOf(TransactError);
    await expect(stale).rejects.toMatchObject({ error: 'timed out', opIndex: 0 });
    // explicit wait with "!="
    await session.transact('Test', [ops.wait('Atoms', [['_uuid', '==', parent]], ['i'], '!=', [{ i: 0 }], 0)]);

    const [del] = await session.transact('Test', [ops.delete('Atoms', [['_uuid', '==', parent]])]);
    expect(del!.count).toBe(1);
  });

  test('per-operation and commit errors are TransactErrors with the raw results', async () => {
    // enum constraint violation
    const bad = session.transact('Test', [ops.insert('Atoms', { e: 'blue' })]);
    await expect(bad).rejects.toBeInstanceOf(TransactError);
    await expect(bad).rejects.toMatchObject({ error: 'constraint violation' });
    // referential integrity fails at commit
    const dangling = session.transact('Test', [ops.insert('Atoms', { kids: ['550e8400-e29b-41d4-a716-446655440000'] })]);
    await expect(dangling).rejects.toMatchObject({ error: 'referential integrity violation', opIndex: 1 });
    // assert without holding the lock
    await expect(session.transact('Test', [ops.assert('nolock')])).rejects.toMatchObject({ error: 'not owner' });
    // unknown database → RPC-level error
    await expect(session.request('transact', ['Nope'])).rejects.toBeInstanceOf(RpcError);
  });
});

describe('monitor against a real ovsdb-server', () => {
  test('monitor_cond_since with columns and a where clause: initial, insert, modify diff, delete', async () => {
    const { applyRowDiff } = await import('../../src/ovsdb/index.js');
    const events: import('../../src/ovsdb/index.js').MonitorEvent[] = [];
    const [pre] = await session.transact('Test', [ops.insert('Atoms', { i: 777001, s: 'before', ss: ['x'] })]);
    const mon = session.monitor('Test', { Atoms: { columns: ['i', 's', 'ss'], where: [['i', '==', 777001]] } }, (e) => events.push(e));
    const wait = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(events.length).toBeGreaterThanOrEqual(n);
    };
    await wait(1);
    expect(mon.method).toBe('monitor_cond_since');
    expect(events[0]!.type).toBe('initial');
    const initialRows = [...events[0]!.updates.get('Atoms')!.values()].map((c) => c.new!);
    expect(initialRows).toEqual([{ _uuid: pre!.uuid, i: 777001, s: 'before', ss: ['x'] }]);

    await session.transact('Test', [ops.insert('Atoms', { i: 8, s: 'filtered out' })]);
    const [ins] = await session.transact('Test', [ops.insert('Atoms', { i: 777001, s: 'new' })]);
    await wait(2);
    expect([...events[1]!.updates.get('Atoms')!.entries()]).toEqual([[ins!.uuid, { kind: 'insert', new: { _uuid: ins!.uuid, i: 777001, s: 'new', ss: [] } }]]);

    await session.transact('Test', [ops.mutate('Atoms', [['_uuid', '==', pre!.uuid]], [['ss', 'insert', ['y']], ['ss', 'delete', ['x']]])]);
    await wait(3);
    const mod = events[2]!.updates.get('Atoms')!.get(pre!.uuid!)!;
    expect(mod.kind).toBe('modify');
    const t = events[2]!.schema.tables['Atoms']!;
    expect(applyRowDiff(t, initialRows[0]!, mod.diff!)).toEqual({ _uuid: pre!.uuid, i: 777001, s: 'before', ss: ['y'] });

    await session.transact('Test', [ops.delete('Atoms', [['_uuid', '==', ins!.uuid]])]);
    await wait(4);
    expect(events[3]!.updates.get('Atoms')!.get(ins!.uuid!)).toEqual({ kind: 'delete' });
    mon.cancel();
  });
});
