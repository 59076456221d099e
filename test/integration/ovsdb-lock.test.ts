import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NB_SCHEMA, startOvsdbServer, startUnixProxy, waitUntil, type OvsdbServer, type UnixProxy } from '../helpers/ovsdb-server.js';
import { OvsdbSession, ops } from '../../src/ovsdb/index.js';

let srv: OvsdbServer;
let proxy: UnixProxy;
const sessions: OvsdbSession[] = [];

function newSession(remote: string): OvsdbSession {
  const s = new OvsdbSession({ remote, probeInterval: 0, backoff: { initialMs: 20, maxMs: 100 } });
  sessions.push(s);
  return s;
}

beforeAll(async () => {
  srv = await startOvsdbServer({ schema: NB_SCHEMA });
  proxy = await startUnixProxy(srv.sockPath);
});

afterAll(async () => {
  for (const s of sessions) await s.close();
  await proxy?.close();
  await srv?.stop();
});

describe('locks', () => {
  test('two clients contend; release hands over; steal takes it; reconnect re-requests', async () => {
    const a = newSession(proxy.remote); // A goes through the proxy so we can cut it off
    const b = newSession(srv.remote);
    const la = a.lock('ovn_northd');
    await la.whenLocked(5000);
    const lb = b.lock('ovn_northd');
    const bStates: boolean[] = [];
    lb.locked$.subscribe((v) => bStates.push(v));
    await b.whenReady(5000);
    await b.echo(); // the lock request was sent before this echo, so its reply is in
    expect(lb.locked).toBe(false);
    expect(la.locked).toBe(true);

    // assert: only the owner passes
    await a.transact('OVN_Northbound', [ops.assert('ovn_northd'), ops.comment('owner')]);
    await expect(b.transact('OVN_Northbound', [ops.assert('ovn_northd')])).rejects.toMatchObject({ error: 'not owner' });

    // A steps down: B is notified with "locked"
    await la.release();
    expect(la.locked).toBe(false);
    await lb.whenLocked(5000);

    // A asks again (queued), then steals: B gets "stolen"
    const la2 = a.lock('ovn_northd');
    await a.echo();
    expect(la2.locked).toBe(false);
    await la2.steal();
    expect(la2.locked).toBe(true);
    await waitUntil(() => !lb.locked, 5000, 'B to see "stolen"');
    expect(bStates).toEqual([false, true, false]);

    // A loses its connection: the server frees the lock, B (still queued) gets it back;
    // A reconnects and re-requests, waiting in line.
    proxy.setEnabled(false);
    await waitUntil(() => !la2.locked, 5000, 'A to notice the lost connection');
    await lb.whenLocked(5000);
    proxy.setEnabled(true);
    await a.whenReady(5000);
    await a.echo();
    expect(la2.locked).toBe(false);
    await lb.release();
    await la2.whenLocked(5000);
    expect(la2.locked).toBe(true);
  });
});
