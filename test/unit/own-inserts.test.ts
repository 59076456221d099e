import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isUuid, parseSchema } from '../../src/ovsdb/index.js';
import { OwnInserts } from '../../src/sb/own-inserts.js';

const schema = parseSchema(JSON.parse(readFileSync('schemas/ovn-sb.ovsschema', 'utf8')));

describe('OwnInserts', () => {
  test('gives distinct, well-formed UUIDs and finds the kept rows by them', () => {
    const own = new OwnInserts(schema);
    const uuids = Array.from({ length: 5000 }, () => own.newUuid());
    expect(uuids.every(isUuid)).toBe(true);
    expect(new Set(uuids).size).toBe(uuids.length);
    // Version 4, RFC 4122 variant.
    expect(uuids.every((u) => u[14] === '4' && '89ab'.includes(u[19]!))).toBe(true);
    // Not in index order: the first 8 digits are scrambled.
    expect([...uuids].sort()).not.toEqual(uuids);
    own.add('Logical_Flow', uuids[7]!, { match: uuids[7] });
    own.add('Port_Binding', uuids[4999]!, { logical_port: uuids[4999] });
    expect(own.get(uuids[7]!)?.['match']).toBe(uuids[7]);
    expect(own.get(uuids[4999]!)?.['logical_port']).toBe(uuids[4999]);
    expect(own.get(uuids[8]!)).toBeUndefined(); // given out, not kept
    expect(own.size).toBe(2);
    expect(own.rowsOf('Port_Binding').map((r) => r._uuid)).toEqual([uuids[4999]]);
    expect(own.rowsOf('Multicast_Group')).toEqual([]);
  });

  test('knows nothing of UUIDs it did not give out', () => {
    const a = new OwnInserts(schema);
    const b = new OwnInserts(schema);
    const u = a.newUuid();
    a.add('Logical_Flow', u, {});
    expect(b.get(u)).toBeUndefined();
    expect(a.get('0a9a2c1e-6f64-4d52-9a54-3f1b8c1d0001')).toBeUndefined();
    expect(() => b.add('Logical_Flow', u, {})).toThrow();
  });

  test('builds a kept row in replica form once, when asked or by build()', () => {
    const own = new OwnInserts(schema);
    const uuids = Array.from({ length: 10 }, () => own.newUuid());
    for (const [i, u] of uuids.entries()) {
      own.add('Logical_Flow', u, { match: `m${i}`, actions: 'next;', priority: i, table_id: 1, pipeline: 'ingress', external_ids: { 'stage-name': 'x' } });
    }
    const first = own.get(uuids[3]!)!;
    // Every column of the table, defaults for those not sent, sets and maps as the replica has them.
    expect(first).toMatchObject({ _uuid: uuids[3], match: 'm3', priority: 3, external_ids: { 'stage-name': 'x' }, tags: {}, logical_dp_group: undefined });
    expect(Object.keys(first).sort()).toEqual(['_uuid', ...schema.tables['Logical_Flow']!.columnNames].sort());
    expect(own.get(uuids[3]!)).toBe(first);
    expect(own.build(4)).toBe(true);
    expect(own.build(4)).toBe(true);
    expect(own.build(4)).toBe(false);
    expect(own.get(uuids[3]!)).toBe(first);
    expect(own.rowsOf('Logical_Flow').map((r) => r['match'])).toEqual(uuids.map((_, i) => `m${i}`));
  });
});

