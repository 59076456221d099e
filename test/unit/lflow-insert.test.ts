import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeOperation, parseSchema } from '../../src/ovsdb/index.js';
import { encodeFlowInsert } from '../../src/sb/lflow-insert.js';

const schema = parseSchema(JSON.parse(readFileSync('schemas/ovn-sb.ovsschema', 'utf8')));

/** Map pairs in key order: the same map whatever order the pairs come in. */
function normalise(op: unknown): unknown {
  const o = op as { row: Record<string, unknown> };
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o.row).sort(([a], [b]) => a.localeCompare(b))) {
    row[k] = Array.isArray(v) && v[0] === 'map' ? ['map', [...(v[1] as [string, string][])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))] : v;
  }
  return { ...(op as object), row };
}

describe('encodeFlowInsert', () => {
  test('is the generic encoding of the same insert (defaults left out)', () => {
    const str = fc.string({ unit: 'binary', maxLength: 40 });
    const flow = fc.record({
      pipeline: fc.constantFrom('ingress', 'egress'),
      table_id: fc.nat(40),
      priority: fc.nat(65535),
      match: str,
      actions: str,
      controller_meter: fc.option(str, { nil: undefined }),
      tags: fc.dictionary(fc.constant('in_out_port'), str, { maxKeys: 1 }),
      external_ids: fc.dictionary(fc.string({ maxLength: 12 }), str, { maxKeys: 3 }),
      logical_datapath: fc.option(fc.uuid(), { nil: undefined }),
      logical_dp_group: fc.option(fc.uuid(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.uuid(), flow, (uuid, cols) => {
        const generic = Object.fromEntries(
          Object.entries(cols).filter(([, v]) => v !== undefined && !(typeof v === 'object' && Object.keys(v).length === 0)),
        );
        const want = encodeOperation(schema, { op: 'insert', table: 'Logical_Flow', row: generic, uuid });
        expect(normalise(JSON.parse(encodeFlowInsert(uuid, cols)))).toEqual(normalise(want));
      }),
      { numRuns: 500 },
    );
  });

  test('refuses values of the wrong type and columns the differ does not write', () => {
    const uuid = '0a9a2c1e-6f64-4d52-9a54-3f1b8c1d0001';
    expect(() => encodeFlowInsert(uuid, { priority: 1.5 })).toThrow(/integer/);
    expect(() => encodeFlowInsert(uuid, { match: 3 })).toThrow(/string/);
    expect(() => encodeFlowInsert(uuid, { hash: 1 })).toThrow(/no column/);
    expect(() => encodeFlowInsert(uuid, { external_ids: { a: 1 } })).toThrow(/not a string/);
  });
});
