import { Duplex } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { JsonFramer } from '../../src/ovsdb/framer.js';
import { JsonRpcConnection } from '../../src/ovsdb/jsonrpc.js';

/** A peer that reads slowly (a small buffer, one write per turn): streamed requests meet backpressure. */
function slowPeer(): { stream: Duplex; messages: () => Record<string, unknown>[]; writes: () => number } {
  const framer = new JsonFramer();
  const got: Record<string, unknown>[] = [];
  let writes = 0;
  const stream = new Duplex({
    highWaterMark: 4096,
    read() {},
    write(chunk: Buffer, _enc, cb) {
      writes++;
      for (const m of framer.push(chunk)) got.push(m as Record<string, unknown>);
      setImmediate(cb);
    },
  });
  return { stream, messages: () => got, writes: () => writes };
}

const noHandlers = { onNotification: () => {}, onClose: () => {} };
const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  expect(cond()).toBe(true);
};

describe('JsonRpcConnection.requestSerialized', () => {
  test('streams a large request whole, with messages sent meanwhile after it, in order', async () => {
    const peer = slowPeer();
    const conn = new JsonRpcConnection(peer.stream, noHandlers);
    // ≈ 3 MB of params: several chunks, each past the stream's buffer.
    const params = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ op: 'insert', table: 'T', row: { i, pad: 'x'.repeat(80) } }));
    let written = false;
    void conn.requestSerialized('transact', ['"DB"', ...params], () => (written = true));
    // While it is being written: a notification, a second streamed request, another notification.
    conn.notify('first', []);
    void conn.requestSerialized('transact', ['"DB"', '{"op":"comment","comment":"second"}']);
    conn.notify('second', []);
    expect(written).toBe(false);
    await until(() => peer.messages().length === 4);
    expect(written).toBe(true);
    const [a, n1, b, n2] = peer.messages();
    expect(a!['method']).toBe('transact');
    const got = a!['params'] as unknown[];
    expect(got.length).toBe(params.length + 1);
    expect(got[0]).toBe('DB');
    expect(got.slice(1)).toEqual(params.map((p) => JSON.parse(p)));
    expect(n1!['method']).toBe('first');
    expect(b!['params']).toEqual(['DB', { op: 'comment', comment: 'second' }]);
    expect(n2!['method']).toBe('second');
    // Written as the peer drained, not all at once.
    expect(peer.writes()).toBeGreaterThan(3);
    expect(conn.charsSent).toBeGreaterThan(params.reduce((n, p) => n + p.length + 1, 0));
  });
});
