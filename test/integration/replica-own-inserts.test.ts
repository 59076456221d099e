// Inserts echoed in part (MonitorTableRequest.insertColumns) through a real
// ovsdb-server: an insert notification carries only the insert columns, the
// replica completes the rows it is told about, keeps the others partial, and
// modifications and deletions still carry every column.
import { afterEach, describe, expect, it } from 'vitest';
import { OvsdbSession, type Row } from '../../src/ovsdb/index.js';
import { createReplica, waitForReplica } from '../../src/replica/index.js';
import { SB_SCHEMA, ovsdbTransact, startOvsdbServer } from '../helpers/ovsdb-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const DB = 'OVN_Southbound';
const MINE = '0a9a2c1e-6f64-4d52-9a54-3f1b8c1d0001';
const THEIRS = '0a9a2c1e-6f64-4d52-9a54-3f1b8c1d0002';

describe('replica: inserts echoed in part', () => {
  it('completes its own inserts, keeps foreign ones partial, and sees every column of a modify', async () => {
    const srv = await startOvsdbServer({ schema: SB_SCHEMA });
    cleanups.push(() => srv.stop());
    const session = new OvsdbSession({ remote: srv.remote });
    cleanups.push(() => session.close());
    const asked: string[] = [];
    const replica$ = createReplica(session, DB, undefined, {
      requests: { Logical_Flow: { insertColumns: ['table_id'] } },
      completeInsert: (table, uuid) => {
        asked.push(`${table} ${uuid}`);
        return uuid === MINE ? ({ _uuid: MINE, pipeline: 'ingress', table_id: 3, priority: 50, match: 'mine', actions: 'next;' } as Row) : undefined;
      },
    });
    const sub = replica$.subscribe();
    cleanups.push(async () => sub.unsubscribe());
    await waitForReplica(replica$, () => true, 10_000);

    const flow = (uuid: string, match: string) => ({ op: 'insert', table: 'Logical_Flow', uuid, row: { pipeline: 'ingress', table_id: 3, priority: 50, match, actions: 'next;' } });
    await ovsdbTransact(srv.remote, DB, [flow(MINE, 'mine'), flow(THEIRS, 'theirs')]);
    const s1 = await waitForReplica(replica$, (s) => s.tables['Logical_Flow']!.size === 2, 5000);
    expect(asked.sort()).toEqual([`Logical_Flow ${MINE}`, `Logical_Flow ${THEIRS}`]);
    const lf = (s: typeof s1, u: string) => s.tables['Logical_Flow']!.get(u) as Row;
    expect(lf(s1, MINE)).toMatchObject({ match: 'mine', table_id: 3, priority: 50, pipeline: 'ingress' });
    // The notification of the other insert carried table_id alone: the rest reads as defaults.
    expect(lf(s1, THEIRS)).toMatchObject({ match: '', table_id: 3, priority: 0, pipeline: '' });

    // A modify carries the columns that changed, whichever request they are in.
    await ovsdbTransact(srv.remote, DB, [{ op: 'update', table: 'Logical_Flow', where: [['_uuid', '==', ['uuid', THEIRS]]], row: { match: 'edited', table_id: 4 } }]);
    const s2 = await waitForReplica(replica$, (s) => lf(s, THEIRS)?.['match'] === 'edited', 5000);
    expect(lf(s2, THEIRS)).toMatchObject({ match: 'edited', table_id: 4 });

    await ovsdbTransact(srv.remote, DB, [{ op: 'delete', table: 'Logical_Flow', where: [['_uuid', '==', ['uuid', MINE]]] }]);
    const s3 = await waitForReplica(replica$, (s) => s.tables['Logical_Flow']!.size === 1, 5000);
    expect(lf(s3, THEIRS)).toBeDefined();

    // A second session's full monitor sees complete rows (initial contents carry every column).
    const other = new OvsdbSession({ remote: srv.remote });
    cleanups.push(() => other.close());
    const full$ = createReplica(other, DB, undefined, { requests: { Logical_Flow: { insertColumns: ['table_id'] } } });
    const sub2 = full$.subscribe();
    cleanups.push(async () => sub2.unsubscribe());
    const f = await waitForReplica(full$, (s) => s.tables['Logical_Flow']!.size === 1, 5000);
    expect(lf(f, THEIRS)).toMatchObject({ match: 'edited', table_id: 4, priority: 50, pipeline: 'ingress' });
  });
});
