import { afterAll, afterEach, describe, expect, test } from 'vitest';
import net from 'node:net';
import path from 'node:path';
import { makeTempDir, NB_SCHEMA, removeTempDir, startOvsdbServer, waitUntil } from '../helpers/ovsdb-server.js';
import { JsonFramer } from '../../src/ovsdb/framer.js';
import { DisconnectedError, OvsdbSession, parseRemote, parseRemotes, type MonitorEvent } from '../../src/ovsdb/index.js';

type Send = (msg: unknown) => void;
type Handler = (msg: Record<string, unknown>, send: Send, sock: net.Socket) => void;

interface FakeServer {
  remote: string;
  connections: number;
  received: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A scripted JSON-RPC peer on a unix socket. */
async function fakeServer(onConnect: (send: Send, sock: net.Socket, n: number) => void, onMessage: Handler = () => {}): Promise<FakeServer> {
  const dir = makeTempDir('ovsdbf-');
  const sockPath = path.join(dir, 'fake.sock');
  const socks = new Set<net.Socket>();
  const fs: FakeServer = {
    remote: `unix:${sockPath}`,
    connections: 0,
    received: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of socks) s.destroy();
        server.close(() => {
          removeTempDir(dir);
          resolve();
        });
      }),
  };
  const server = net.createServer((sock) => {
    socks.add(sock);
    sock.on('close', () => socks.delete(sock));
    sock.on('error', () => {});
    fs.connections++;
    const send: Send = (m) => {
      if (!sock.destroyed) sock.write(typeof m === 'string' ? m : JSON.stringify(m));
    };
    const framer = new JsonFramer();
    sock.on('data', (d) => {
      let msgs: unknown[] = [];
      try {
        msgs = framer.push(d);
      } catch {
        sock.destroy();
      }
      for (const m of msgs) {
        fs.received.push(m as Record<string, unknown>);
        onMessage(m as Record<string, unknown>, send, sock);
      }
    });
    onConnect(send, sock, fs.connections);
  });
  await new Promise<void>((r) => server.listen(sockPath, () => r()));
  return fs;
}

function capture() {
  const lines: string[] = [];
  const f = (o: unknown, m?: string) => lines.push(typeof o === 'string' ? o : (m ?? JSON.stringify(o)));
  return { lines, logger: { debug: f, info: f, warn: f, error: f } };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function session(remote: string, extra: Partial<ConstructorParameters<typeof OvsdbSession>[0]> = {}) {
  const log = capture();
  const s = new OvsdbSession({ remote, probeInterval: 0, backoff: { initialMs: 10, maxMs: 50 }, logger: log.logger, ...extra });
  cleanup.push(() => s.close());
  return { s, log };
}

describe('remotes', () => {
  test('parse unix/tcp/ssl and comma-separated lists', () => {
    expect(parseRemote('unix:/tmp/x.sock')).toEqual({ kind: 'unix', path: '/tmp/x.sock' });
    expect(parseRemote('tcp:127.0.0.1:6641')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 6641 });
    expect(parseRemote('ssl:[::1]:6642')).toEqual({ kind: 'ssl', host: '::1', port: 6642 });
    expect(parseRemotes('tcp:a:1, unix:/b')).toHaveLength(2);
    expect(() => parseRemote('http://x')).toThrow();
  });
});

describe('session robustness against bad peers', () => {
  test('silent server: inactivity probe fires, connection dropped and retried; pending request rejected', async () => {
    const fake = await fakeServer(() => {});
    cleanup.push(() => fake.close());
    const { s, log } = session(fake.remote, { probeInterval: 100 });
    await s.whenReady(2000);
    const pending = s.echo('never answered');
    await expect(pending).rejects.toBeInstanceOf(DisconnectedError);
    await waitUntil(() => fake.connections >= 3, 5000, 'reconnects');
    expect(fake.received.some((m) => m['method'] === 'echo')).toBe(true);
    expect(log.lines.some((l) => /inactivity probe/.test(l))).toBe(true);
  });

  test('answered probes keep a real connection up', async () => {
    const srv = await startOvsdbServer({ schema: NB_SCHEMA });
    cleanup.push(() => srv.stop());
    const { s } = session(srv.remote, { probeInterval: 80 });
    await s.whenReady(3000);
    await new Promise((r) => setTimeout(r, 600));
    expect(s.connectCount).toBe(1);
    expect(s.state).toBe('ready');
  });

  test('the server echo request is answered', async () => {
    let reply: Record<string, unknown> | undefined;
    const fake = await fakeServer(
      (send) => send({ method: 'echo', params: ['ping', 7], id: 'echo' }),
      (m) => {
        if (m['id'] === 'echo') reply = m;
      },
    );
    cleanup.push(() => fake.close());
    const { s } = session(fake.remote);
    await s.whenReady(2000);
    await waitUntil(() => reply !== undefined, 2000, 'echo reply');
    expect(reply).toEqual({ id: 'echo', result: ['ping', 7], error: null });
  });

  test.each([
    ['garbage', (send: Send) => send('{"method": ]'), /malformed JSON/],
    ['non-JSON bytes', (send: Send) => send('HTTP/1.1 400 Bad Request\r\n\r\n'), /malformed JSON/],
    ['close mid-message', (send: Send, sock: net.Socket) => { send('{"id":1,"result":["abc'); sock.end(); }, /middle of a message/],
    ['oversize message', (send: Send) => send({ method: 'update2', params: ['x', { T: 'y'.repeat(5000) }], id: null }), /exceeds the maximum/],
    ['unknown notification', (send: Send) => send({ method: 'surprise', params: [], id: null }), /unknown notification/],
    ['reply to nothing', (send: Send) => send({ id: 999, result: [], error: null }), /unknown id/],
  ])('%s: logged, reconnected, no crash', async (_name, misbehave, pattern) => {
    const fake = await fakeServer((send, sock) => misbehave(send, sock));
    cleanup.push(() => fake.close());
    const { s, log } = session(fake.remote, { maxMessageSize: 1000 });
    s.start();
    await waitUntil(() => fake.connections >= 3, 5000, 'reconnects');
    expect(log.lines.some((l) => pattern.test(l)), log.lines.join('\n')).toBe(true);
  });

  test('an RPC error on a monitor is logged and the session reconnects', async () => {
    const fake = await fakeServer(() => {}, (m, send) => {
      if (m['method'] === 'monitor_cond' && (m['params'] as unknown[])[0] === '_Server') send({ id: m['id'], result: null, error: 'unknown database' });
      else if (m['method'] === 'get_schema') send({ id: m['id'], result: null, error: { error: 'unknown database', details: 'no such db' } });
    });
    cleanup.push(() => fake.close());
    const { s, log } = session(fake.remote);
    s.monitor('Nope', { T: true }, () => {});
    await waitUntil(() => fake.connections >= 3, 5000, 'reconnects');
    expect(log.lines.some((l) => /get_schema Nope failed: get_schema: unknown database \(no such db\)/.test(l)), log.lines.join('\n')).toBe(true);
  });
});

describe('monitor method fallback', () => {
  const schema = { name: 'D', version: '1.0.0', tables: { T: { columns: { n: { type: 'integer' }, tags: { type: { key: 'string', min: 0, max: 'unlimited' } } } } } };
  const U1 = '11111111-1111-4111-8111-111111111111';

  test.each([
    ['monitor_cond', ['monitor_cond_since']],
    ['monitor', ['monitor_cond_since', 'monitor_cond']],
  ])('falls back to %s', async (method, unsupported) => {
    let monitorId: unknown;
    let sendUpdate: (() => void) | undefined;
    const fake = await fakeServer(() => {}, (m, send) => {
      const params = m['params'] as unknown[];
      if (m['method'] === 'monitor_cond' && params[0] === '_Server') return send({ id: m['id'], result: null, error: 'unknown database' });
      if (m['method'] === 'get_schema') return send({ id: m['id'], result: schema, error: null });
      if (unsupported.includes(m['method'] as string)) return send({ id: m['id'], result: null, error: 'unknown method' });
      if (m['method'] === method) {
        monitorId = params[1];
        if (method === 'monitor') {
          send({ id: m['id'], result: { T: { [U1]: { new: { n: 1, tags: ['set', ['a']] } } } }, error: null });
          sendUpdate = () => send({ method: 'update', params: [monitorId, { T: { [U1]: { old: { n: 1 }, new: { n: 2, tags: ['set', ['a']] } } } }], id: null });
        } else {
          send({ id: m['id'], result: { T: { [U1]: { initial: { n: 1, tags: 'a' } } } }, error: null });
          sendUpdate = () => send({ method: 'update2', params: [monitorId, { T: { [U1]: { modify: { n: 2 } } } }], id: null });
        }
      }
    });
    cleanup.push(() => fake.close());
    const { s } = session(fake.remote);
    const events: MonitorEvent[] = [];
    const mon = s.monitor('D', { T: true }, (e) => events.push(e));
    await waitUntil(() => events.length === 1, 3000, 'initial event');
    expect(mon.method).toBe(method);
    expect(events[0]!.type).toBe('initial');
    expect(events[0]!.updates.get('T')!.get(U1)!.new).toEqual({ _uuid: U1, n: 1, tags: ['a'] });
    sendUpdate!();
    await waitUntil(() => events.length === 2, 3000, 'update event');
    const ch = events[1]!.updates.get('T')!.get(U1)!;
    expect(ch.kind).toBe('modify');
    if (method === 'monitor') expect(ch.new).toEqual({ _uuid: U1, n: 2, tags: ['a'] });
    else expect(ch.diff).toEqual({ n: 2 });
  });
});

describe('deferred updates', () => {
  const schema = { name: 'D', version: '1.0.0', tables: { T: { columns: { n: { type: 'integer' } } } } };
  const U1 = '11111111-1111-4111-8111-111111111111';
  const U2 = '22222222-2222-4222-8222-222222222222';

  // A transaction's echo, then its reply: in one write, or (replyDelayMs) in two.
  async function echoingServer(replyDelayMs?: number): Promise<FakeServer> {
    let monitorId: unknown;
    return fakeServer(() => {}, (m, send) => {
      const params = m['params'] as unknown[];
      if (m['method'] === 'monitor_cond' && params[0] === '_Server') return send({ id: m['id'], result: null, error: 'unknown database' });
      if (m['method'] === 'get_schema') return send({ id: m['id'], result: schema, error: null });
      if (m['method'] === 'monitor_cond_since') {
        monitorId = params[1];
        return send({ id: m['id'], result: [false, '00000000-0000-0000-0000-000000000001', { T: { [U1]: { initial: { n: 1 } } } }], error: null });
      }
      if (m['method'] === 'transact') {
        const update = { method: 'update3', params: [monitorId, '00000000-0000-0000-0000-000000000002', { T: { [U2]: { insert: { n: 2 } } } }], id: null };
        const reply = JSON.stringify({ id: m['id'], result: [{ uuid: ['uuid', U2] }], error: null });
        if (replyDelayMs === undefined) return send(JSON.stringify(update) + reply);
        send(update);
        setTimeout(() => send(reply), replyDelayMs);
      }
    });
  }

  test.each([
    [false, undefined],
    [true, undefined],
    [true, 50],
  ])('deferUpdates=%s, reply %s ms after the echo: the reply seen after or before it; applied() waits for it', async (defer, replyDelayMs) => {
    const fake = await echoingServer(replyDelayMs);
    cleanup.push(() => fake.close());
    const { s } = session(fake.remote);
    const events: MonitorEvent[] = [];
    const mon = s.monitor('D', { T: true }, (e) => events.push(e), { deferUpdates: defer });
    await waitUntil(() => events.length === 1, 3000, 'initial event');
    await s.transact('D', [{ op: 'insert', table: 'T', row: { n: 2 } }]);
    // Without deferral the echo was applied before the reply; with it, not yet.
    expect(events.length).toBe(defer ? 1 : 2);
    await mon.applied();
    expect(events.map((e) => e.type)).toEqual(['initial', 'update']);
    expect(events[1]!.updates.get('T')!.get(U2)!.new).toEqual({ _uuid: U2, n: 2 });
    expect(mon.lastTxnId).toBe('00000000-0000-0000-0000-000000000002');
  });
  test('cancel() with updates held for a transaction: applied() resolves, nothing is applied', async () => {
    const fake = await echoingServer(300);
    cleanup.push(() => fake.close());
    const { s } = session(fake.remote);
    const events: MonitorEvent[] = [];
    const mon = s.monitor('D', { T: true }, (e) => events.push(e), { deferUpdates: true });
    await waitUntil(() => events.length === 1, 3000, 'initial event');
    const reply = s.transact('D', [{ op: 'insert', table: 'T', row: { n: 2 } }]);
    // The echo is in (held: the transaction is in flight), the reply 300 ms away.
    await waitUntil(() => fake.received.some((m) => m['method'] === 'transact'), 3000, 'transact sent');
    await new Promise((r) => setTimeout(r, 100));
    const waiting = mon.applied();
    mon.cancel();
    await Promise.race([waiting, new Promise((_, rej) => setTimeout(() => rej(new Error('applied() did not resolve')), 1000))]);
    await reply;
    await new Promise((r) => setTimeout(r, 20));
    expect(events.length).toBe(1);
  });
});
