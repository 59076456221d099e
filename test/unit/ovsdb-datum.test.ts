import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  applyColumnDiff,
  compareAtoms,
  decodeDatum,
  decodeRow,
  DatumError,
  encodeRow,
  rowOfValues,
  encodeDatum,
  encodeOperation,
  namedUuid,
  ops,
  parseColumnType,
  parseSchema,
  columnKind,
  type Atom,
  type AtomicType,
  type ColumnSchema,
} from '../../src/ovsdb/index.js';

function col(typeJson: unknown, name = 'c'): ColumnSchema {
  const type = parseColumnType(typeJson);
  return { name, type, ephemeral: false, mutable: true, kind: columnKind(type) };
}

const uuidArb = fc.uuid({ version: [1, 2, 3, 4, 5] });
const atomArb: Record<AtomicType, fc.Arbitrary<Atom>> = {
  integer: fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  real: fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
  boolean: fc.boolean(),
  string: fc.string({ unit: 'binary', maxLength: 12 }),
  uuid: uuidArb,
};
const TYPES: AtomicType[] = ['integer', 'real', 'boolean', 'string', 'uuid'];
const sorted = (xs: Atom[]): Atom[] => [...xs].sort(compareAtoms);
const uniq = (xs: Atom[]): Atom[] => [...new Set(xs)];

describe('datum codec', () => {
  for (const t of TYPES) {
    test(`${t}: scalar, optional, set round trips`, () => {
      const scalar = col(t);
      const optional = col({ key: t, min: 0, max: 1 });
      const set = col({ key: t, min: 0, max: 'unlimited' });
      fc.assert(
        fc.property(atomArb[t], fc.option(atomArb[t], { nil: undefined }), fc.array(atomArb[t], { maxLength: 8 }), (a, o, xs) => {
          expect(decodeDatum(scalar, encodeDatum(scalar, a))).toEqual(a);
          expect(decodeDatum(optional, encodeDatum(optional, o))).toEqual(o);
          const s = uniq(xs);
          const dec = decodeDatum(set, encodeDatum(set, s));
          expect(dec).toEqual(sorted(s));
          // JSON round trip (what actually goes over the wire)
          expect(decodeDatum(set, JSON.parse(JSON.stringify(encodeDatum(set, s))))).toEqual(sorted(s));
        }),
        { numRuns: 100 },
      );
    });

    test(`map string → ${t} is a Record; map ${t} → string is an array of pairs unless keys are strings`, () => {
      const m1 = col({ key: 'string', value: t, min: 0, max: 'unlimited' });
      const m2 = col({ key: t, value: 'string', min: 0, max: 'unlimited' });
      fc.assert(
        fc.property(
          fc.dictionary(fc.string({ maxLength: 6 }), atomArb[t], { maxKeys: 6 }),
          fc.uniqueArray(fc.tuple(atomArb[t], fc.string({ maxLength: 4 })), { selector: (p) => p[0], maxLength: 6 }),
          (rec, pairs) => {
            const d1 = decodeDatum(m1, encodeDatum(m1, rec)) as Record<string, Atom>;
            expect(d1).toEqual(rec);
            const d2 = decodeDatum(m2, encodeDatum(m2, pairs));
            const want = [...pairs].sort((x, y) => compareAtoms(x[0], y[0]));
            if (t === 'string') expect(d2).toEqual(Object.fromEntries(want));
            else expect(d2).toEqual(want);
          },
        ),
        { numRuns: 100 },
      );
    });

    test(`${t}: update2 diffs: sets by symmetric difference, optional columns by new value`, () => {
      const set = col({ key: t, min: 0, max: 'unlimited' });
      const opt = col({ key: t, min: 0, max: 1 });
      fc.assert(
        fc.property(fc.array(atomArb[t], { maxLength: 6 }), fc.array(atomArb[t], { maxLength: 6 }), (a0, b0) => {
          const a = uniq(a0);
          const b = uniq(b0);
          const symdiff = [...a.filter((x) => !b.includes(x)), ...b.filter((x) => !a.includes(x))];
          expect(applyColumnDiff(set, sorted(a), encodeDatum(set, symdiff))).toEqual(sorted(b));
          // ovsdb-server sends a 0..1 column's new value (an empty set for none), as seen on the wire.
          const oa = a[0];
          const ob = b[0];
          expect(applyColumnDiff(opt, oa, encodeDatum(opt, ob))).toEqual(ob);
        }),
        { numRuns: 100 },
      );
    });
  }

  test('update2 map diff: add, delete (same value), replace (new value)', () => {
    const m = col({ key: 'string', value: 'string', min: 0, max: 'unlimited' });
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })),
        fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })),
        (a, b) => {
          const diff: [string, string][] = [];
          for (const [k, v] of Object.entries(a)) if (!(k in b)) diff.push([k, v]);
          for (const [k, v] of Object.entries(b)) if (a[k] !== v) diff.push([k, v]);
          const got = applyColumnDiff(m, decodeDatum(m, encodeDatum(m, a)), ['map', diff]);
          expect(got).toEqual(b);
        },
      ),
    );
  });

  test('scalar diff is the new value; uuid scalar default is the zero uuid', () => {
    const s = col('integer');
    expect(applyColumnDiff(s, 3, 7)).toBe(7);
    const schema = parseSchema({
      name: 'D',
      tables: { T: { columns: { u: { type: 'uuid' }, o: { type: { key: 'string', min: 0, max: 1 } }, m: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } } } } },
    });
    expect(decodeRow(schema.tables['T']!, 'x', {})).toEqual({ _uuid: 'x', u: '00000000-0000-0000-0000-000000000000', o: undefined, m: {} });
  });

  test('named uuids encode to ["named-uuid", name] wherever a uuid goes', () => {
    const u = col('uuid');
    const us = col({ key: 'uuid', min: 0, max: 'unlimited' });
    const m = col({ key: 'string', value: 'uuid', min: 0, max: 'unlimited' });
    expect(encodeDatum(u, namedUuid('row1'))).toEqual(['named-uuid', 'row1']);
    expect(encodeDatum(us, [namedUuid('a'), '550e8400-e29b-41d4-a716-446655440000'])).toEqual([
      'set',
      [['named-uuid', 'a'], ['uuid', '550e8400-e29b-41d4-a716-446655440000']],
    ]);
    expect(encodeDatum(m, { x: namedUuid('b') })).toEqual(['map', [['x', ['named-uuid', 'b']]]]);
    expect(() => encodeDatum(u, namedUuid('1bad'))).toThrow(DatumError);
  });

  test('type errors are DatumErrors', () => {
    expect(() => encodeDatum(col('integer'), 1.5)).toThrow(DatumError);
    expect(() => encodeDatum(col('uuid'), 'not-a-uuid')).toThrow(DatumError);
    expect(() => encodeDatum(col('boolean'), 'true')).toThrow(DatumError);
    expect(() => decodeDatum(col('string'), 3)).toThrow(DatumError);
    expect(() => decodeDatum(col('integer'), ['set', [1, 2]])).toThrow(DatumError);
  });

  test('operations encode conditions, mutations and rows with the schema', () => {
    const schema = parseSchema({
      name: 'D',
      tables: {
        T: {
          columns: {
            n: { type: 'integer' },
            s: { type: { key: 'string', min: 0, max: 'unlimited' } },
            m: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
            r: { type: { key: { type: 'uuid', refTable: 'T' }, min: 0, max: 1 } },
          },
        },
      },
    });
    expect(encodeOperation(schema, ops.insert('T', { n: 1, s: ['b', 'a'], r: namedUuid('me') }, 'me'))).toEqual({
      op: 'insert',
      table: 'T',
      'uuid-name': 'me',
      row: { n: 1, s: ['set', ['b', 'a']], r: ['named-uuid', 'me'] },
    });
    expect(
      encodeOperation(
        schema,
        ops.mutate('T', [['_uuid', '==', '550e8400-e29b-41d4-a716-446655440000']], [
          ['n', '+=', 2],
          ['s', 'insert', 'x'],
          ['m', 'delete', ['k1', 'k2']],
          ['m', 'insert', { k: 'v' }],
        ]),
      ),
    ).toEqual({
      op: 'mutate',
      table: 'T',
      where: [['_uuid', '==', ['uuid', '550e8400-e29b-41d4-a716-446655440000']]],
      mutations: [
        ['n', '+=', 2],
        ['s', 'insert', 'x'],
        ['m', 'delete', ['set', ['k1', 'k2']]],
        ['m', 'insert', ['map', [['k', 'v']]]],
      ],
    });
    expect(encodeOperation(schema, ops.update('T', [], { r: undefined }))).toEqual({ op: 'update', table: 'T', where: [], row: { r: ['set', []] } });
    expect(() => encodeOperation(schema, ops.insert('T', { nope: 1 }))).toThrow(DatumError);
    expect(() => encodeOperation(schema, ops.insert('U', {}))).toThrow(DatumError);
  });

  test('rowOfValues() is decodeRow(encodeRow()) for the SB tables northd inserts into', async () => {
    const fs = await import('node:fs');
    const sb = parseSchema(JSON.parse(fs.readFileSync('schemas/ovn-sb.ovsschema', 'utf8')));
    for (const name of ['Logical_Flow', 'Port_Binding', 'Multicast_Group', 'Datapath_Binding']) {
      const t = sb.tables[name]!;
      // A random subset of the columns, each with a random value of its type (sets unsorted).
      const valueOf = (c: ColumnSchema): fc.Arbitrary<unknown> => {
        const key = atomArb[c.type.key.type].filter((a) => c.type.key.type !== 'integer' || (a as number) >= 0);
        if (c.kind === 'scalar') return key;
        if (c.kind === 'optional') return fc.option(key, { nil: undefined });
        if (c.kind === 'set') return fc.uniqueArray(key, { maxLength: 4 });
        return fc.dictionary(fc.string({ maxLength: 6 }), atomArb[c.type.value!.type], { maxKeys: 4 });
      };
      const rowArb = fc.record(Object.fromEntries(t.columnNames.map((c) => [c, valueOf(t.columns[c]!)])), { requiredKeys: [] });
      fc.assert(
        fc.property(uuidArb, rowArb, (uuid, values) => {
          let wire: Record<string, unknown>;
          try {
            wire = encodeRow(t, values);
          } catch {
            return; // a value outside the column's constraints: not a row the differ makes
          }
          expect(rowOfValues(t, uuid, values)).toEqual(decodeRow(t, uuid, JSON.parse(JSON.stringify(wire)) as Record<string, unknown>));
        }),
        { numRuns: 200 },
      );
    }
  });

  test('parses the OVN schemas', async () => {
    const fs = await import('node:fs');
    for (const f of ['schemas/ovn-nb.ovsschema', 'schemas/ovn-sb.ovsschema']) {
      const s = parseSchema(JSON.parse(fs.readFileSync(f, 'utf8')));
      expect(Object.keys(s.tables).length).toBeGreaterThan(10);
      for (const t of Object.values(s.tables)) {
        for (const c of t.columnNames) {
          const cs = t.columns[c]!;
          // every OVN map has string keys (the Record representation)
          if (cs.kind === 'map') expect(cs.type.key.type).toBe('string');
        }
      }
    }
  });
});
