// Optional (0..1) columns through real update2/update3 notifications:
// A → B, B → none and none → A must all land in the replica.
import { afterEach, describe, expect, it } from 'vitest';
import { OvsdbSession } from '../../src/ovsdb/index.js';
import { createReplica, waitForReplica } from '../../src/replica/index.js';
import { NB_SCHEMA, ovsdbTransact, startOvsdbServer } from '../helpers/ovsdb-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

describe('replica: optional columns', () => {
  it('applies modify updates of 0..1 columns (string, integer, uuid) as new values', async () => {
    const srv = await startOvsdbServer({ schema: NB_SCHEMA });
    cleanups.push(() => srv.stop());
    const session = new OvsdbSession({ remote: srv.remote });
    cleanups.push(() => session.close());
    const replica$ = createReplica(session, 'OVN_Northbound', ['Logical_Switch_Port', 'DHCP_Options']);
    const sub = replica$.subscribe();
    cleanups.push(async () => sub.unsubscribe());
    const db = 'OVN_Northbound';
    // Logical_Switch_Port is not a root table: a switch must hold it.
    const [, , d1, d2] = await ovsdbTransact(srv.remote, db, [
      { op: 'insert', table: 'Logical_Switch_Port', row: { name: 'p', parent_name: 'a', tag_request: 1 }, 'uuid-name': 'p' },
      { op: 'insert', table: 'Logical_Switch', row: { name: 'ls', ports: ['named-uuid', 'p'] } },
      { op: 'insert', table: 'DHCP_Options', row: { cidr: '10.0.0.0/24' } },
      { op: 'insert', table: 'DHCP_Options', row: { cidr: '10.0.1.0/24' } },
    ]);
    const u1 = (d1 as { uuid: [string, string] }).uuid[1];
    const u2 = (d2 as { uuid: [string, string] }).uuid[1];
    const lsp = (s: { tables: Record<string, ReadonlyMap<string, Record<string, unknown>>> }) => [...s.tables['Logical_Switch_Port']!.values()][0];
    const step = async (row: Record<string, unknown>, check: (r: Record<string, unknown>) => boolean) => {
      await ovsdbTransact(srv.remote, db, [{ op: 'update', table: 'Logical_Switch_Port', where: [['name', '==', 'p']], row }]);
      await waitForReplica(replica$, (s) => {
        const r = lsp(s as never);
        return r !== undefined && check(r);
      }, 5000).catch((e) => {
        throw new Error(`after ${JSON.stringify(row)} the replica holds ${JSON.stringify(lsp(replica$.current as never))}: ${e}`);
      });
    };
    await step({ dhcpv4_options: ['uuid', u1] }, (r) => r['dhcpv4_options'] === u1);
    await step({ parent_name: 'b', tag_request: 2, dhcpv4_options: ['uuid', u2] }, (r) => r['parent_name'] === 'b' && r['tag_request'] === 2 && r['dhcpv4_options'] === u2);
    await step({ parent_name: ['set', []], tag_request: ['set', []], dhcpv4_options: ['set', []] }, (r) => r['parent_name'] === undefined && r['tag_request'] === undefined && r['dhcpv4_options'] === undefined);
    await step({ parent_name: 'c', dhcpv4_options: ['uuid', u1] }, (r) => r['parent_name'] === 'c' && r['dhcpv4_options'] === u1);
    expect(replica$.current).toBeDefined();
  });
});
