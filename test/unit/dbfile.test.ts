import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbFileError, parseDbFile, readDbFileSync, readRecords, type WireJson } from '../../src/ovsdb/dbfile.js';
import { type OvnEnv, ovnToolsAvailable, startOvn } from './model-ovn-env.js';

/** Composes a record the way ovsdb_log_compose_record() does. */
function record(json: unknown, magic = 'JSON'): string {
  const data = JSON.stringify(json) + '\n';
  const sha = createHash('sha1').update(data).digest('hex');
  return `OVSDB ${magic} ${Buffer.byteLength(data)} ${sha}\n${data}`;
}

const SCHEMA = {
  name: 'Test',
  version: '1.0.0',
  tables: {
    T: {
      columns: {
        s: { type: 'string' },
        i: { type: 'integer' },
        b: { type: 'boolean' },
        u: { type: 'uuid' },
        opt: { type: { key: 'string', min: 0, max: 1 } },
        set: { type: { key: 'string', min: 0, max: 'unlimited' } },
        refs: { type: { key: { type: 'uuid', refTable: 'T' }, min: 0, max: 'unlimited' } },
        m: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      },
    },
    Empty: { columns: { x: { type: 'real' } } },
  },
};
const U1 = '11111111-1111-1111-1111-111111111111';
const U2 = '22222222-2222-2222-2222-222222222222';

describe('dbfile: format and diff semantics', () => {
  it('fills defaults for columns never written', () => {
    const db = parseDbFile(record(SCHEMA) + record({ T: { [U1]: {} }, _is_diff: true }));
    expect(db.transactions).toBe(1);
    expect(db.schema.name).toBe('Test');
    expect(db.tables['Empty']!.size).toBe(0);
    expect(db.tables['T']!.get(U1)).toEqual({
      s: '',
      i: 0,
      b: false,
      u: ['uuid', '00000000-0000-0000-0000-000000000000'],
      opt: ['set', []],
      set: ['set', []],
      refs: ['set', []],
      m: ['map', []],
    });
    const raw = parseDbFile(record(SCHEMA) + record({ T: { [U1]: { s: 'x' } } }), { fillDefaults: false });
    expect(raw.tables['T']!.get(U1)).toEqual({ s: 'x' });
  });

  it('applies set and map diffs when _is_diff is true', () => {
    const text =
      record(SCHEMA) +
      record({
        _date: 1,
        _comment: 'insert',
        _is_diff: true,
        T: { [U1]: { s: 'a', set: ['set', ['x', 'y']], m: ['map', [['k1', 'v1'], ['k2', 'v2']]], refs: ['uuid', U2], opt: 'o' } },
      }) +
      record({
        _is_diff: true,
        T: {
          [U1]: {
            s: 'b', // scalar: replaced
            set: ['set', ['y', 'z']], // y removed, z added
            m: ['map', [['k1', 'v1'], ['k2', 'w2'], ['k3', 'v3']]], // k1 removed, k2 updated, k3 added
            refs: ['uuid', U2], // removed
            opt: ['set', []], // optional: replaced (cleared)
          },
        },
      });
    const row = parseDbFile(text).tables['T']!.get(U1)!;
    expect(row['s']).toBe('b');
    expect(row['set']).toEqual(['set', ['x', 'z']]);
    expect(row['m']).toEqual(['map', [['k2', 'w2'], ['k3', 'v3']]]);
    expect(row['refs']).toEqual(['set', []]);
    expect(row['opt']).toEqual(['set', []]);
  });

  it('replaces values when _is_diff is absent, and deletes rows', () => {
    const text =
      record(SCHEMA) +
      record({ T: { [U1]: { set: ['set', ['x', 'y']], m: ['map', [['k', 'v']]] }, [U2]: { s: 'two' } } }) +
      record({ T: { [U1]: { set: 'y', m: ['map', []] } } }) +
      record({ T: { [U2]: null } });
    const db = parseDbFile(text);
    expect(db.tables['T']!.get(U1)!['set']).toBe('y');
    expect(db.tables['T']!.get(U1)!['m']).toEqual(['map', []]);
    expect(db.tables['T']!.has(U2)).toBe(false);
    expect(db.transactions).toBe(3);
  });

  it('stops at a truncated or corrupt tail but keeps what came before', () => {
    const good = record(SCHEMA) + record({ T: { [U1]: { s: 'kept' } } });
    const bad = record({ T: { [U1]: { s: 'lost' } } });
    const cut = parseDbFile(good + bad.slice(0, bad.length - 5));
    expect(cut.tables['T']!.get(U1)!['s']).toBe('kept');
    expect(cut.truncated?.offset).toBe(Buffer.byteLength(good));
    const corrupt = parseDbFile(good + bad.replace('lost', 'LOST'));
    expect(corrupt.tables['T']!.get(U1)!['s']).toBe('kept');
    expect(corrupt.truncated?.reason).toMatch(/SHA-1/);
    const unchecked = parseDbFile(good + bad.replace('lost', 'LOST'), { verifySha1: false });
    expect(unchecked.tables['T']!.get(U1)!['s']).toBe('LOST');
  });

  it('rejects non-database input clearly', () => {
    expect(() => parseDbFile('')).toThrow(DbFileError);
    expect(() => parseDbFile('hello\n')).toThrow(/not an OVSDB file/);
    expect(() => parseDbFile(record({ not: 'a schema' }))).toThrow(/schema/);
    expect(() => parseDbFile(record({ name: 'x', cluster_id: 'y' }, 'CLUSTER'))).toThrow(/clustered/);
    expect(() => parseDbFile(record(SCHEMA) + record({ Nope: {} }))).toThrow(/no table named Nope/);
    expect(() => parseDbFile(record(SCHEMA) + record({ T: { [U1]: { nope: 1 } } }))).toThrow(/no column nope/);
  });

  it('splits records', () => {
    const recs = [...readRecords(Buffer.from(record(SCHEMA) + record({ a: 1 })))];
    expect(recs.map((r) => r.magic)).toEqual(['JSON', 'JSON']);
    expect(recs[1]!.json).toEqual({ a: 1 });
  });
});

/** Order-insensitive normal form of a wire datum. */
function norm(d: WireJson): string {
  if (Array.isArray(d) && d[0] === 'map') {
    return JSON.stringify(['map', (d[1] as WireJson[]).map((p) => JSON.stringify(p)).sort()]);
  }
  const elems = Array.isArray(d) && d[0] === 'set' ? (d[1] as WireJson[]) : [d];
  return JSON.stringify(elems.map((e) => JSON.stringify(e)).sort());
}

function normTables(tables: Record<string, Map<string, Record<string, WireJson>>>): Record<string, Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, Record<string, string>>> = {};
  for (const [t, rows] of Object.entries(tables)) {
    out[t] = {};
    for (const [uuid, row] of rows) {
      out[t][uuid] = Object.fromEntries(
        Object.entries(row)
          .filter(([c]) => c !== '_uuid' && c !== '_version')
          .map(([c, v]) => [c, norm(v)]),
      );
    }
  }
  return out;
}

describe.skipIf(!ovnToolsAvailable())('dbfile: files written by the real OVSDB tools', () => {
  let env: OvnEnv;
  beforeAll(() => {
    env = startOvn();
    const n = env.nbctl;
    n('ls-add', 'sw0');
    n('lsp-add', 'sw0', 'p1', '--', 'lsp-set-addresses', 'p1', '00:00:00:00:00:01 10.0.0.1', 'unknown');
    n('lsp-add', 'sw0', 'p2', '--', 'lsp-set-addresses', 'p2', '00:00:00:00:00:02');
    n('lsp-add', 'sw0', 'p3', '--', 'lsp-set-port-security', 'p3', '00:00:00:00:00:03 10.0.0.3');
    n('set', 'logical_switch', 'sw0', 'other_config:subnet=10.0.0.0/24', 'other_config:a=1', 'external_ids:x=y');
    n('set', 'logical_switch', 'sw0', 'other_config:a=2'); // map update
    n('remove', 'logical_switch', 'sw0', 'other_config', 'subnet'); // map removal
    n('lsp-del', 'p2'); // set removal + row delete
    n('lsp-set-enabled', 'p1', 'disabled'); // optional column set
    n('lsp-set-enabled', 'p1', 'enabled'); // optional column changed
    n('lsp-set-addresses', 'p1', '00:00:00:00:00:11'); // set replaced
    n('lr-add', 'r0', '--', 'lrp-add', 'r0', 'r0-sw0', '00:00:00:00:ff:01', '10.0.0.254/24', 'fd00::1/64');
    n('lb-add', 'lb0', '10.0.0.100:80', '10.0.0.1:80,10.0.0.3:80', 'tcp');
    n('ls-lb-add', 'sw0', 'lb0');
    n('acl-add', 'sw0', 'to-lport', '1000', 'ip4.src == 10.0.0.1', 'drop');
    n('lr-route-add', 'r0', '0.0.0.0/0', '10.0.0.1');
    n('lr-del', 'r0');
    n('set', 'nb_global', '.', 'options:mac_prefix=0a:0b:0c', 'nb_cfg=5');
  });
  afterAll(() => env?.stop());

  function live(): Record<string, Map<string, Record<string, WireJson>>> {
    const schema = JSON.parse(readFileSync('/usr/share/ovn/ovn-nb.ovsschema', 'utf8')) as { tables: Record<string, unknown> };
    const tables = Object.keys(schema.tables);
    const ops = tables.map((t) => ({ op: 'select', table: t, where: [] }));
    const reply = JSON.parse(env.run('ovsdb-client', 'transact', `unix:${env.nbSock}`, JSON.stringify(['OVN_Northbound', ...ops]))) as {
      rows: Record<string, WireJson>[];
    }[];
    const out: Record<string, Map<string, Record<string, WireJson>>> = {};
    tables.forEach((t, i) => {
      out[t] = new Map(reply[i]!.rows.map((r) => [(r['_uuid'] as [string, string])[1], r]));
    });
    return out;
  }

  it('replays the server\'s own database file to the same content as the live server', () => {
    const db = readDbFileSync(env.nbDb);
    expect(db.schema.name).toBe('OVN_Northbound');
    expect(db.transactions).toBeGreaterThan(10);
    expect(db.truncated).toBeUndefined();
    expect(db.tables['Logical_Switch_Port']!.size).toBe(2);
    expect(db.tables['Logical_Router']!.size).toBe(0);
    expect(normTables(db.tables)).toEqual(normTables(live()));
    const sw = [...db.tables['Logical_Switch']!.values()][0]!;
    expect(norm(sw['other_config']!)).toBe(norm(['map', [['a', '2']]]));
  });

  it('reads `ovsdb-client backup` output', () => {
    const file = join(env.dir, 'backup.db');
    writeFileSync(file, env.run('ovsdb-client', 'backup', `unix:${env.nbSock}`));
    const db = readDbFileSync(file);
    expect(db.transactions).toBe(1);
    expect(normTables(db.tables)).toEqual(normTables(live()));
  });

  it('reads a compacted database file', () => {
    env.run('ovs-appctl', '-t', `${env.dir}/nb.ctl`, 'ovsdb-server/compact');
    const db = readDbFileSync(env.nbDb);
    expect(normTables(db.tables)).toEqual(normTables(live()));
  });

  it('rejects a clustered database file', () => {
    const file = join(env.dir, 'clustered.db');
    env.run('ovsdb-tool', 'create-cluster', file, '/usr/share/ovn/ovn-nb.ovsschema', 'unix:' + join(env.dir, 'raft.sock'));
    expect(() => readDbFileSync(file)).toThrow(/clustered OVSDB database files are not supported/);
  });
});
