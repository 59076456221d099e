// Datapath-set signatures: one record per distinct content, whatever object the set came in,
// so that signatures of large groups compare by identity (see sortedDatapaths()).
import { describe, expect, it } from 'vitest';
import { sortedDatapaths } from '../../src/sb/differ.js';

describe('sortedDatapaths', () => {
  it('sorts and signs a set', () => {
    const r = sortedDatapaths(new Set(['c', 'a', 'b']));
    expect(r.list).toEqual(['a', 'b', 'c']);
    expect(r.sig).toBe('a,b,c');
  });

  it('gives one record for equal contents in different objects', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `uuid-${String(i).padStart(4, '0')}`);
    const a = sortedDatapaths(new Set(ids));
    const b = sortedDatapaths([...ids].reverse());
    const c = sortedDatapaths(ids.values());
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('keeps different contents apart', () => {
    const a = sortedDatapaths(['x', 'y']);
    const b = sortedDatapaths(['x', 'z']);
    expect(b).not.toBe(a);
    expect(b.sig).toBe('x,z');
  });
});
