import { describe, expect, it } from 'vitest';
import { hashString, hmapOrder, ssetOrder, uuidHash } from '../../src/compile/hmap.js';
import { jsonKey, smapGetBool, smapGetInt, vipKeyIp } from '../../src/compile/topology.js';
import { lspTypeChangeReplacesRow } from '../../src/compile/keys.js';
import type { NbLogicalSwitchPort } from '../../src/model/nb.js';
import type { SbPortBinding } from '../../src/model/sb.js';

describe('hmap order (lib/hmap.c)', () => {
  it('hashes strings like OVS hash_string (murmur variant)', () => {
    expect(hashString('sw0-p1')).toBe(3325552655);
    expect(hashString('00:00:00:00:ff:01')).toBe(2176494200);
    expect(hashString('a')).toBe(721651713);
    expect(hashString('abcdefg')).toBe(1651692162);
  });

  it('uuid_hash is the first 32 bits', () => {
    expect(uuidHash('cedcbde4-d5ec-4441-ae8d-462d430b5138')).toBe(0xcedcbde4);
  });

  it('walks buckets in order, newest first within a bucket', () => {
    // The mask grows to 3 at the 2nd insert; later inserts go to the bucket head.
    expect(hmapOrder([7, 4, 3], (x) => x)).toEqual([4, 3, 7]);
    // A resize re-pushes each node, reversing the bucket it came from.
    expect(hmapOrder([1, 5, 2], (x) => x)).toEqual([1, 5, 2]);
    expect(hmapOrder([1, 5, 9], (x) => x)).toEqual([9, 1, 5]);
    expect(hmapOrder([], (x: number) => x)).toEqual([]);
  });

  it('sset ignores duplicates', () => {
    expect(ssetOrder(['a', 'a', 'b']).sort()).toEqual(['a', 'b']);
  });
});

describe('smap helpers', () => {
  it('smap_get_bool defaults', () => {
    expect(smapGetBool({ k: 'TRUE' }, 'k', false)).toBe(true);
    expect(smapGetBool({ k: 'yes' }, 'k', false)).toBe(false);
    expect(smapGetBool({ k: 'yes' }, 'k', true)).toBe(true);
    expect(smapGetBool({ k: 'False' }, 'k', true)).toBe(false);
    expect(smapGetBool({}, 'k', true)).toBe(true);
  });
  it('smap_get_int', () => {
    expect(smapGetInt({ k: '100' }, 'k', 0)).toBe(100);
    expect(smapGetInt({ k: '10x' }, 'k', 0)).toBe(0);
    expect(smapGetInt({}, 'k', -1)).toBe(-1);
  });
  it('quotes port names as JSON strings', () => {
    expect(jsonKey('p1')).toBe('"p1"');
    expect(jsonKey('a"b')).toBe('"a\\"b"');
  });
});

describe('VIP keys', () => {
  it('extracts the IP of a VIP key', () => {
    expect(vipKeyIp('10.0.0.10:80')).toEqual({ ip: '10.0.0.10', v6: false });
    expect(vipKeyIp('10.0.0.10')).toEqual({ ip: '10.0.0.10', v6: false });
    expect(vipKeyIp('[fd00::0001]:80')).toEqual({ ip: 'fd00::1', v6: true });
    expect(vipKeyIp('fd00::1')).toEqual({ ip: 'fd00::1', v6: true });
    expect(vipKeyIp('nonsense')).toBeUndefined();
  });
});

describe('lsp_is_type_changed', () => {
  const sb = (type: string, parent?: string) => ({ type, parent_port: parent }) as unknown as SbPortBinding;
  const nb = (type: string, parent?: string) => ({ type, parent_name: parent }) as unknown as NbLogicalSwitchPort;
  it('replaces the row when a VIF gains or loses its parent', () => {
    expect(lspTypeChangeReplacesRow(sb(''), nb('', 'vm1'))).toBe(true);
    expect(lspTypeChangeReplacesRow(sb('', 'vm1'), nb('', 'vm1'))).toBe(false);
  });
  it('replaces the row only for changes to/from virtual', () => {
    expect(lspTypeChangeReplacesRow(sb(''), nb('virtual'))).toBe(true);
    expect(lspTypeChangeReplacesRow(sb('localnet'), nb('localport'))).toBe(false);
    expect(lspTypeChangeReplacesRow(sb('virtual'), nb('virtual'))).toBe(false);
  });
});
