import { describe, expect, it } from 'vitest';
import { OwnWrites } from '../../src/daemon/own-writes.js';
import { ops } from '../../src/ovsdb/operations.js';
import type { TableChanges } from '../../src/replica/index.js';

const U1 = '11111111-1111-1111-1111-111111111111';
const U2 = '22222222-2222-2222-2222-222222222222';
const none = new Map();
const changes = (c: Partial<TableChanges>): TableChanges => ({ inserted: none, updated: none, deleted: none, ...c }) as TableChanges;

describe('own-write recognition', () => {
  const mine = () => {
    const w = new OwnWrites();
    w.record([ops.assert('ovn_northd'), ops.insert('Logical_Flow', { match: '1' }), ops.update('Port_Binding', [['_uuid', '==', U1]], { options: { a: 'b' } }), ops.delete('Logical_Flow', [['_uuid', '==', U2]])]);
    return w;
  };

  it('explains the echo of our own inserts, updates and deletes', () => {
    const w = mine();
    expect(
      w.explains({
        Logical_Flow: changes({ inserted: new Map([['x', { _uuid: 'x' }]]), deleted: new Map([[U2, { _uuid: U2 }]]) }),
        Port_Binding: changes({ updated: new Map([[U1, { old: { _uuid: U1, options: {}, up: false }, new: { _uuid: U1, options: { a: 'b' }, up: false } }]]) }),
        Logical_DP_Group: changes({ deleted: new Map([['g', { _uuid: 'g' }]]) }),
      }),
    ).toBe(true);
  });

  it('does not explain more inserts than ours, a column we did not write, or a foreign delete', () => {
    const twoInserts = { Logical_Flow: changes({ inserted: new Map([['x', { _uuid: 'x' }], ['y', { _uuid: 'y' }]]) }) };
    expect(mine().explains(twoInserts)).toBe(false);
    const claimed = { Port_Binding: changes({ updated: new Map([[U1, { old: { _uuid: U1, options: {}, chassis: undefined }, new: { _uuid: U1, options: { a: 'b' }, chassis: 'c' } }]]) }) };
    expect(mine().explains(claimed)).toBe(false);
    expect(mine().explains({ Port_Binding: changes({ deleted: new Map([[U2, { _uuid: U2 }]]) }) })).toBe(true);
    expect(mine().explains({ Port_Binding: changes({ deleted: new Map([['other', { _uuid: 'other' }]]) }) })).toBe(false);
  });
});
