import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { FramingError, JsonFramer } from '../../src/ovsdb/framer.js';

/** Strings rich in JSON-structural characters, escapes and multibyte UTF-8. */
const trickyString = fc
  .array(
    fc.oneof(
      fc.constantFrom('{', '}', '[', ']', '"', '\\', '\\"', '\\\\', '\\u00e9', '\n', '\t', 'é', '日本', '😀', '\u0000', ',', ':'),
      fc.string({ unit: 'binary', maxLength: 6 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

const leaf = fc.oneof(trickyString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('arr'), tie('obj')),
  arr: fc.array(tie('value'), { maxLength: 4 }),
  obj: fc.dictionary(trickyString, tie('value'), { maxKeys: 4 }),
}));
const topLevel = fc.oneof(fc.array(value, { maxLength: 4 }), fc.dictionary(trickyString, value, { maxKeys: 4 }));

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('JsonFramer', () => {
  test('reassembles back-to-back values split at arbitrary byte boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(topLevel, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.constantFrom('', ' ', '\n', ' \r\n\t'),
        (values, cuts, sep) => {
          const text = values.map((v) => JSON.stringify(v)).join(sep);
          const chunks = splitAt(Buffer.from(text, 'utf8'), cuts);
          const f = new JsonFramer();
          const got: unknown[] = [];
          for (const c of chunks) got.push(...f.push(c));
          expect(got).toEqual(values.map((v) => JSON.parse(JSON.stringify(v))));
          expect(f.inProgress).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('one byte at a time, including a 4-byte UTF-8 character', () => {
    const text = '{"a":"x😀\\"}{[]"}[1,{"b":"é\\\\"}]';
    const f = new JsonFramer();
    const got: unknown[] = [];
    for (const b of Buffer.from(text)) got.push(...f.push(Buffer.from([b])));
    expect(got).toEqual([{ a: 'x😀"}{[]' }, [1, { b: 'é\\' }]]);
  });

  test.each([
    ['mismatched brackets', '{"a":1]'],
    ['stray close', '{"a":1}}'],
    ['scalar at top level', 'true'],
    ['garbage between values', '{"a":1} x {"b":2}'],
    ['bad token inside', '{"a":tru}'],
    ['trailing comma', '{"a":1,}'],
  ])('malformed input is an error: %s', (_name, text) => {
    const f = new JsonFramer();
    expect(() => f.push(Buffer.from(text))).toThrow(FramingError);
    // Once failed, the framer stays failed.
    expect(() => f.push(Buffer.from('{}'))).toThrow(FramingError);
  });

  test('values before the malformed one are still delivered on the previous push', () => {
    const f = new JsonFramer();
    expect(f.push(Buffer.from('{"ok":1}'))).toEqual([{ ok: 1 }]);
    expect(() => f.push(Buffer.from('{"x":]'))).toThrow(/malformed/);
  });

  test('oversize value is an error, whole or split across chunks', () => {
    const big = JSON.stringify({ data: 'x'.repeat(100) });
    const f1 = new JsonFramer({ maxMessageSize: 50 });
    expect(() => f1.push(Buffer.from(big))).toThrow(expect.objectContaining({ kind: 'oversize' }));
    const f2 = new JsonFramer({ maxMessageSize: 50 });
    let err: unknown;
    try {
      for (let i = 0; i < big.length; i += 7) f2.push(Buffer.from(big.slice(i, i + 7)));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FramingError);
    expect((err as FramingError).kind).toBe('oversize');
    // A value exactly at the limit passes.
    const ok = JSON.stringify({ d: 'y'.repeat(40) });
    expect(new JsonFramer({ maxMessageSize: ok.length }).push(Buffer.from(ok))).toHaveLength(1);
  });

  test('reassembles a large message split into many chunks', () => {
    // (Speed is measured in bench/client, not asserted here.)
    const rows: Record<string, unknown> = {};
    for (let i = 0; i < 50_000; i++) rows[`r${i}`] = { name: `n{${i}}"\\`, tags: ['a', 'b]'] };
    const buf = Buffer.from(JSON.stringify({ id: 1, result: rows }));
    const f = new JsonFramer();
    const out: unknown[] = [];
    for (let i = 0; i < buf.length; i += 4096) out.push(...f.push(buf.subarray(i, i + 4096)));
    expect(out).toHaveLength(1);
    expect((out[0] as { result: object }).result).toEqual(rows);
  });
});
